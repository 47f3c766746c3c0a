"""Settings read the environment strictly and write nothing when imported."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from ita_portal.settings import envbool

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("TRUE", True), (" yes ", True), ("On", True), ("0", False), ("false", False), ("No", False), ("off", False)],
)
def test_envbool_reads_the_usual_words(monkeypatch, raw, expected):
    monkeypatch.setenv("ITA_TEST_FLAG", raw)
    assert envbool("ITA_TEST_FLAG", "0") is expected


def test_envbool_unset_or_empty_means_the_default(monkeypatch):
    monkeypatch.delenv("ITA_TEST_FLAG", raising=False)
    assert envbool("ITA_TEST_FLAG", "1") is True
    monkeypatch.setenv("ITA_TEST_FLAG", "")
    assert envbool("ITA_TEST_FLAG", "0") is False


@pytest.mark.parametrize("raw", ["flase", "2", "y", "enabled"])
def test_envbool_refuses_a_typo_and_names_the_variable(monkeypatch, raw):
    monkeypatch.setenv("ITA_TEST_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match=f"ITA_TEST_FLAG={raw!r}"):
        envbool("ITA_TEST_FLAG", "0")


def _import_settings(tmp_path, **env):
    environment = {key: value for key, value in os.environ.items() if key not in ("DEBUG", "DATABASE_URL")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import ita_portal.settings"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_typo_in_debug_stops_the_start_naming_the_variable(tmp_path):
    result = _import_settings(tmp_path, DEBUG="flase")
    assert result.returncode != 0
    assert "DEBUG='flase' is not a yes/no value" in result.stderr


def test_importing_the_settings_creates_no_folder(tmp_path):
    static_root = tmp_path / "static"
    media_root = tmp_path / "media"
    result = _import_settings(
        tmp_path, STATIC_ROOT=str(static_root), MEDIA_ROOT=str(media_root), DATABASE_URL=f"sqlite:///{tmp_path}/x/db"
    )
    assert result.returncode == 0, result.stderr
    assert list(tmp_path.iterdir()) == []
