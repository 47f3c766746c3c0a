"""Uploaded files waiting for the person to confirm the import: kept for an hour in storage under a
random name, named to the browser by a signed id (never in the session, which would carry megabytes
of JSON in every request). The id names the unit and the person; a stale or foreign id is refused."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

FOLDER = "interchange-previews"
MAX_AGE = 60 * 60
SALT = "interchange.preview"


class Expired(Exception):
    pass


def store(data: bytes, *, unit, user, name: str, replace: bool, drafts: bool) -> str:
    sweep()
    stored = default_storage.save(f"{FOLDER}/{secrets.token_hex(16)}", ContentFile(data))
    payload = {"file": stored, "unit": unit.pk, "user": user.pk, "name": name[:200], "replace": replace, "drafts": drafts}
    return signing.dumps(payload, salt=SALT, compress=True)


def load(token: str, *, unit, user) -> tuple[bytes, dict]:
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature as exc:  # SignatureExpired is a BadSignature
        raise Expired from exc
    if payload.get("unit") != unit.pk or payload.get("user") != user.pk or not str(payload.get("file", "")).startswith(f"{FOLDER}/"):
        raise Expired
    try:
        with default_storage.open(payload["file"], "rb") as handle:
            return handle.read(), payload
    except OSError as exc:
        raise Expired from exc


def discard(payload: dict) -> None:
    default_storage.delete(payload["file"])


def sweep() -> None:
    """Remove previews nobody confirmed (older than MAX_AGE)."""
    try:
        _dirs, names = default_storage.listdir(FOLDER)
    except (FileNotFoundError, NotImplementedError):
        return
    limit = timezone.now() - dt.timedelta(seconds=MAX_AGE)
    for name in names:
        path = f"{FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
        except (OSError, NotImplementedError):
            continue
