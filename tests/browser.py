"""What the browser tests share: Debian's Chromium (never a downloaded browser) and how to start it."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Marks for a browser test module: `pytestmark = browser_marks`.
browser_marks = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed at /usr/bin/chromium"),
]
# Playwright's sync API runs an event loop in the test's thread; the ORM calls of the fixtures are safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
