"""Bundles: a .zip of a unit's unit-year document (v1.1) and its evidence files under their SHA-256, for
backing a unit up and moving it between servers (docs/unit-year-v1.1.md, "Bundle").

Reading a bundle is `interchange.reading.read_bundle`; importing its document with the files is
`interchange.importer.import_document(..., files=...)`. Written with a fixed timestamp and in a fixed
order, so that exporting the same data twice gives the same bytes.
"""

from __future__ import annotations

import json
import zipfile

from interchange.exporter import build_document
from interchange.reading import BUNDLE_JSON
from measures.models import EvidenceFile

FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def _member(name: str, compress: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    info.compress_type = compress
    info.external_attr = 0o644 << 16
    return info


def write_bundle(unit, handle, *, years=None) -> int:
    """Write the bundle to a binary file object; return the number of evidence files in it."""
    document = build_document(unit, years=years)
    wanted = sorted({f["sha256"] for p in document["plans"] for m in p["measures"] for e in m["progress"] for f in e["evidence_files"]})
    rows = {}
    for row in EvidenceFile.objects.filter(entry__measure__plan__unit=unit, sha256__in=wanted).order_by("id"):
        rows.setdefault(row.sha256, row)
    with zipfile.ZipFile(handle, "w") as archive:
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        archive.writestr(_member(BUNDLE_JSON, zipfile.ZIP_DEFLATED), text.encode("utf-8"))
        for sha in wanted:
            with rows[sha].file.open("rb") as source:  # one file at a time: each is at most EVIDENCE_MAX_BYTES
                archive.writestr(_member(f"files/{sha}", zipfile.ZIP_STORED), source.read())
    return len(wanted)
