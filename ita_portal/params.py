"""Integers from the query string, parsed strictly: the one helper every view uses for page numbers,
years and ids.

`str.isdigit()` is true for "²" or "๒" and `int()` takes "๒๕๖๘", " 12" or "1_000"; neither is a number a
link of ours writes. Only ASCII digits are taken, at most `max_digits` of them, within [minimum, maximum];
anything else is the default (None unless given), never an exception.
"""

from __future__ import annotations

import re

_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_int(raw, *, minimum: int = 0, maximum: int = 2**31 - 1, default: int | None = None) -> int | None:
    """`raw` (a string or None) as an int in [minimum, maximum], else `default`."""
    if not isinstance(raw, str) or not _ASCII_DIGITS.fullmatch(raw):
        return default
    value = int(raw)
    return value if minimum <= value <= maximum else default


def query_int(request, name: str, **bounds) -> int | None:
    """The query-string parameter `name` of the request, parsed by parse_int()."""
    return parse_int(request.GET.get(name), **bounds)


# A B.E. fiscal year as the query string names one (the URL converter's four digits).
YEAR_BOUNDS = {"minimum": 1000, "maximum": 9999}


def query_year(request, name: str = "year") -> int | None:
    return query_int(request, name, **YEAR_BOUNDS)
