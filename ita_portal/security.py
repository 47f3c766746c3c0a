"""Login throttling (django-axes) and the Content-Security-Policy of stored report documents.

Login throttling: failures are counted per username and per client address (`AXES_LOCKOUT_PARAMETERS`);
at the limit the login answers 429 with a Thai page until the cool-off has passed or a superuser unlocks
(`manage.py axes_reset_username NAME`, `axes_reset_ip ADDRESS`, `axes_reset` for all).
"""

from __future__ import annotations

import base64
import hashlib
import html
import ipaddress
import re

from axes.backends import AxesStandaloneBackend
from django.conf import settings


class ThrottledLoginBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every login made through a web request (the login page, the
    admin's login). Authentication itself is the next backend's (ModelBackend). Code that authenticates
    without a request (management commands, the test client's `login()`) has no client address to
    throttle and is passed on to ModelBackend unchecked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """The Thai page of a locked-out login (status 429), naming the limit and the cool-off in minutes."""
    from django.shortcuts import render

    minutes = max(1, round(settings.AXES_COOLOFF_TIME * 60)) if settings.AXES_COOLOFF_TIME else None
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)


def _ip_or_none(value: str) -> str | None:
    # The address is stored in an inet column on PostgreSQL: anything but an IP address (a test client's
    # missing REMOTE_ADDR, a forged X-Forwarded-For) would fail the login with a database error.
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address for throttling. Behind `TRUSTED_PROXY_COUNT` proxies (each appending to
    X-Forwarded-For) the address the nearest trusted proxy saw; otherwise REMOTE_ADDR. Never the
    left-most X-Forwarded-For entry, which any client can write. None when there is no valid address."""
    count = settings.TRUSTED_PROXY_COUNT
    remote = _ip_or_none(request.META.get("REMOTE_ADDR", "") or "")
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote
    return _ip_or_none(forwarded[-count])


# --- the policy of a stored report document (published versions and the staff preview) ---------------

_STYLE_ELEMENT = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.IGNORECASE | re.DOTALL)
_STYLE_ATTRIBUTE = re.compile(r"""\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def document_policy(document: str) -> str:
    """A sandboxing policy for a report document: no script at all, no frames, no forms, no plugins;
    its own `<style>` blocks and `style` attributes allowed by their SHA-256 hashes (frozen versions
    cannot carry a nonce), the portal's own stylesheets, fonts and images."""
    elements = sorted({_hash(match) for match in _STYLE_ELEMENT.findall(document)})
    attributes = sorted({_hash(html.unescape(a or b)) for a, b in _STYLE_ATTRIBUTE.findall(document)})
    style = ["'self'", *elements]
    directives = [
        "default-src 'none'",
        "script-src 'none'",
        "style-src " + " ".join(style),
        "style-src-elem " + " ".join(style),
        "style-src-attr " + (" ".join(["'unsafe-hashes'", *attributes]) if attributes else "'none'"),
        "img-src 'self' data:",
        "font-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
        "sandbox allow-popups allow-popups-to-escape-sandbox allow-downloads",
    ]
    return "; ".join(directives)
