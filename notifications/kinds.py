"""The kinds of notification, registered by the apps that send them (notifications knows none itself).

A kind has a code, a label people see in their e-mail settings, and whether its e-mails are batched (at
most one e-mail per person per NOTIFY_BATCH_SECONDS, listing everything that came in meanwhile).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    code: str
    label: object  # a lazy translation
    batched: bool = False
    digest_subject: object = ""  # the subject of a batched e-mail, with %(count)s


_KINDS: dict[str, Kind] = {}


def register(code: str, label, *, batched: bool = False, digest_subject="") -> Kind:
    kind = Kind(code, label, batched, digest_subject)
    _KINDS[code] = kind
    return kind


def get(code: str) -> Kind:
    try:
        return _KINDS[code]
    except KeyError:
        raise LookupError(f"unregistered notification kind {code!r}") from None


def all_kinds() -> list[Kind]:
    return list(_KINDS.values())
