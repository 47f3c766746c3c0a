"""Login throttling, security headers (CSP, caching), error pages and the production log line."""

import base64
import datetime as dt
import hashlib
import json
import re

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import path, reverse

from ita_portal import urls as portal_urls
from tests import factories
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


def _post_login(client, username, password, ip="10.0.0.1", url=LOGIN):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- login throttling -----------------------------------------------------------------------------------


def test_a_username_is_locked_after_the_limit_from_any_address(client, alice, bob, settings):
    limit = settings.AXES_FAILURE_LIMIT
    for attempt in range(limit - 1):
        assert _post_login(client, "alice", "wrong", ip=f"10.1.0.{attempt}").status_code == 200
    locked = _post_login(client, "alice", "wrong", ip="10.1.0.99")
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "เข้าสู่ระบบผิดพลาดติดต่อกัน" in text and "15 นาที" in text
    # The right password, from a new address, is refused all the same while the lock lasts...
    assert _post_login(client, "alice", PASSWORD, ip="10.2.0.1").status_code == 429
    assert not _logged_in(client)
    # ...while another person at that address logs in.
    assert _post_login(client, "bob", PASSWORD, ip="10.2.0.1").status_code == 302
    assert _logged_in(client)


def test_an_address_is_locked_after_the_limit_whatever_the_username(client, alice, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, f"guess{attempt}", "wrong", ip="10.3.0.1")
    assert _post_login(client, "alice", PASSWORD, ip="10.3.0.1").status_code == 429
    assert not _logged_in(client)
    assert _post_login(client, "alice", PASSWORD, ip="10.3.0.2").status_code == 302


def test_the_admin_login_is_throttled_too(client, root, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, "root", "wrong", url=ADMIN_LOGIN)
    response = _post_login(client, "root", PASSWORD, url=ADMIN_LOGIN)
    assert response.status_code == 429
    assert "เข้าสู่ระบบผิดพลาดติดต่อกัน" in response.content.decode()
    assert not _logged_in(client)


def test_the_lock_ends_after_the_cool_off(client, alice, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, "alice", "wrong")
    assert _post_login(client, "alice", PASSWORD).status_code == 429
    cool_off = dt.timedelta(hours=settings.AXES_COOLOFF_TIME)
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - cool_off - dt.timedelta(seconds=1))
    assert _post_login(client, "alice", PASSWORD).status_code == 302
    assert AccessAttempt.objects.count() == 0  # a successful login clears the failures


@pytest.mark.parametrize(
    ("command", "argument"), [("axes_reset_username", "alice"), ("axes_reset_ip", "10.0.0.1"), ("axes_reset", None)]
)
def test_a_superuser_unlocks_with_the_axes_reset_commands(client, alice, settings, command, argument):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, "alice", "wrong")
    assert _post_login(client, "alice", PASSWORD).status_code == 429
    call_command(command, *([argument] if argument else []), stdout=__import__("io").StringIO())
    if command == "axes_reset_ip":  # the username's own failures still count after the address's are gone
        assert AccessAttempt.objects.count() == 0
    assert _post_login(client, "alice", PASSWORD).status_code == 302


def test_the_client_address_behind_a_trusted_proxy(rf, settings):
    from ita_portal.security import client_ip

    settings.TRUSTED_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="192.0.2.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    assert client_ip(request) == "192.0.2.9"
    settings.TRUSTED_PROXY_COUNT = 1  # the proxy appended the address it saw; what came before is the client's word
    assert client_ip(request) == "203.0.113.5"
    assert client_ip(rf.get("/", REMOTE_ADDR="192.0.2.9")) == "192.0.2.9"


# --- headers --------------------------------------------------------------------------------------------


def _directives(header: str) -> dict[str, list[str]]:
    parts = [part.strip().split() for part in header.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


@pytest.fixture
def published(unit_a, alice):
    from reports.publishing import publish

    factories.assessment(unit_a, 2567, {n: 90 for n in range(1, 11)})
    factories.plan(unit_a, 2568, measures=1)
    return publish(unit_a, "results", 2568, "FY", alice)


def test_staff_pages_carry_the_strict_policy_and_are_never_stored(login, alice, unit_a):
    client = login(alice)
    for url in ("/", reverse("units:detail", args=["unit-a"]), reverse("measures:plans", args=["unit-a"]), LOGIN):
        response = client.get(url)
        policy = _directives(response["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"], url
        assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}, url
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_public_pages_keep_their_caching_and_documents_are_sandboxed(client, published):
    public = client.get(reverse("public:unit", args=["unit-a"]))
    assert public.status_code == 200
    assert "no-store" not in public.get("Cache-Control", "")
    assert "frame-ancestors 'none'" in public["Content-Security-Policy"]

    version = client.get(reverse("public:version", args=["unit-a", published.pk]))
    body = b"".join(version.streaming_content).decode()
    policy = _directives(version["Content-Security-Policy"])
    assert policy["sandbox"] == ["allow-popups", "allow-popups-to-escape-sandbox", "allow-downloads"]
    assert policy["script-src"] == ["'none'"] and policy["default-src"] == ["'none'"]
    assert "'unsafe-inline'" not in version["Content-Security-Policy"]
    # Each <style> block of the frozen document is allowed by its hash, and nothing else inline.
    # A document's own style blocks, if it has any, are allowed by their hashes (the report layouts use
    # the portal's stylesheet today, so there may be none).
    blocks = re.findall(r"<style>(.*?)</style>", body, re.DOTALL)
    for block in blocks:
        digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy["style-src-elem"]
    assert "no-store" not in version.get("Cache-Control", "")

    pdf = client.get(reverse("public:version_pdf", args=["unit-a", published.pk]))
    assert "sandbox" not in pdf["Content-Security-Policy"]  # a PDF is no document of ours to sandbox


def test_static_files_may_be_fetched_by_sandboxed_documents(client):
    # A sandboxed report document has an opaque origin: its font is a cross-origin (CORS) request.
    response = client.get("/static/fonts/Sarabun-Regular.ttf")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_staff_preview_of_a_report_is_sandboxed_and_not_stored(login, alice, published):
    response = login(alice).get(reverse("reports:preview", args=["unit-a", "results", 2568, "FY"]))
    assert response.status_code == 200
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, no-store"


def test_document_policy_hashes_style_attributes():
    from ita_portal.security import document_policy

    policy = _directives(document_policy('<col style="width: 14%"><p style=\'color: red\'>x</p><style>p{}</style>'))
    assert policy["style-src-attr"][0] == "'unsafe-hashes'" and len(policy["style-src-attr"]) == 3
    assert len(policy["style-src-elem"]) == 2
    assert _directives(document_policy("<p>x</p>"))["style-src-attr"] == ["'none'"]


# --- error pages and the log line -----------------------------------------------------------------------


def _boom(request):
    raise RuntimeError("boom for the log")


urlpatterns = [path("boom/", _boom), *portal_urls.urlpatterns]


def test_a_500_under_debug_off_is_logged_as_one_json_line_and_answered_in_thai(client, alice, settings, capsys):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    client.force_login(alice)
    capsys.readouterr()
    response = client.get("/boom/?x=1")
    assert response.status_code == 500
    assert "เกิดข้อผิดพลาด" in response.content.decode()
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    errors = [line for line in lines if line["logger"] == "django.request" and line["level"] == "ERROR"]
    assert len(errors) == 1
    error = errors[0]
    assert error["path"] == "/boom/" and error["user"] == str(alice.pk) and error["status"] == 500
    assert "RuntimeError: boom for the log" in error["exception"]
    assert dt.datetime.fromisoformat(error["time"]).tzinfo is not None


def test_error_mail_goes_to_admins_from_the_environment(client, settings, mailoutbox):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    settings.ADMINS = [("ops", "ops@example.org")]
    client.raise_request_exception = False
    assert client.get("/boom/").status_code == 500
    assert [mail.to for mail in mailoutbox] == [["ops@example.org"]]


def test_thai_error_pages(client, alice, charlie, settings):
    settings.DEBUG = False
    not_found = client.get("/u/no-such-unit/")
    assert not_found.status_code in (302, 404)
    client.force_login(alice)
    not_found = client.get("/u/no-such-unit/")
    assert not_found.status_code == 404 and "ไม่พบหน้าที่ต้องการ" in not_found.content.decode()
    bad_host = client.get("/", HTTP_HOST="evil.example")
    assert bad_host.status_code == 400 and "คำขอไม่ถูกต้อง" in bad_host.content.decode()
    client.force_login(charlie)
    forbidden = client.post(reverse("reports:publish", args=["unit-a", "results", 2568, "FY"]))
    assert forbidden.status_code == 403 and "ไม่มีสิทธิ์" in forbidden.content.decode()


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE), "inline <script>"),
    (re.compile(r"<style\b", re.IGNORECASE), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.IGNORECASE), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.IGNORECASE), "event handler attribute"),
    (re.compile(r"javascript:", re.IGNORECASE), "javascript: address"),
]


def test_no_page_carries_inline_script_or_style(login, root, unit_a, published):
    """What the strict policy would block, found in the HTML itself (the browser journeys catch what
    scripts do at run time)."""
    from measures.models import Measure

    measure = Measure.objects.filter(plan__unit=unit_a).first()
    pages = [
        "/", "/u/unit-a/", "/u/unit-a/dashboard/", "/overview/", "/u/unit-a/plans/", "/u/unit-a/plans/2568/",
        "/u/unit-a/plans/2568/oit/", "/u/unit-a/plans/2568/due-dates/", "/u/unit-a/plans/2568/measures/new/",
        f"/u/unit-a/plans/measures/{measure.pk}/", f"/u/unit-a/plans/measures/{measure.pk}/edit/",
        f"/u/unit-a/plans/measures/{measure.pk}/H1/", "/u/unit-a/assessments/", "/u/unit-a/assessments/2567/",
        "/u/unit-a/assessments/2567/edit/", "/u/unit-a/assessments/new/", "/u/unit-a/reports/",
        "/u/unit-a/reports/results/2568/FY/settings/", "/u/unit-a/reports/results/2568/FY/publish/",
        "/u/unit-a/data/import/", "/accounts/password_change/", "/unit-a/", "/no-such-unit/",
    ]
    client = login(root)
    for url in pages:
        html = client.get(url).content.decode()
        for pattern, what in INLINE:
            match = pattern.search(html)
            assert match is None, f"{url}: {what}: {html[max(0, match.start() - 80):match.end() + 80]}"
    client.logout()
    html = client.get(LOGIN).content.decode()
    assert not any(pattern.search(html) for pattern, _what in INLINE)
