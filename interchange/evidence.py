"""Evidence files as the interchange sees them: by content (SHA-256), read from and written to storage."""

from __future__ import annotations

from measures.models import EvidenceFile, content_sha256


def sha256_of(field_file) -> str:
    with field_file.open("rb"):
        return content_sha256(field_file)


def fill_sha256(rows) -> None:
    """Files uploaded before their SHA-256 was kept get it now (read once, then stored)."""
    rows = list(rows)
    for row in rows:
        row.sha256 = sha256_of(row.file)
    if rows:
        EvidenceFile.objects.bulk_update(rows, ["sha256"])


def remove_stored(names) -> None:
    storage = EvidenceFile._meta.get_field("file").storage
    for name in names:
        storage.delete(name)
