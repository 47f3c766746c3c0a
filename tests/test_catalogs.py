"""The Thai catalogs are complete and their committed .mo files match the .po sources.

A fresh machine has no gettext, so the compiled catalogs are committed; this test fails when someone
edits a .po without recompiling (scripts/messages.sh) or leaves a string untranslated.
"""

from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CATALOGS = sorted(
    path
    for path in ROOT.glob("**/locale/th/LC_MESSAGES/django*.po")
    if ".venv" not in path.parts and "var" not in path.parts
)


def test_there_are_catalogs():
    assert len(CATALOGS) >= 2


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalog_is_complete_and_compiled(po_path):
    po = polib.pofile(str(po_path))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {po_path}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {po_path}: {fuzzy[:10]}"
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} missing: run scripts/messages.sh"
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(mo_path))}
    source = {(e.msgctxt, e.msgid): e.msgstr for e in po.translated_entries()}
    assert compiled == source, f"{mo_path} is stale: run scripts/messages.sh"
