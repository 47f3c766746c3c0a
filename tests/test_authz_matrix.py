"""The authorization matrix: every URL pattern of the portal × every role × an object of unit A and of
unit B (and, for addresses naming an object by id, unit A's address with unit B's object), GET and POST
→ the expected status. Generated from the URL configuration: a pattern without an expectation below
fails `test_every_url_pattern_has_an_expectation`, so a new page cannot ship unexamined.

Roles (tests/conftest.py): anonymous; bob, editor of unit A; frank, editor of A limited to กองช่าง (the
measure of A is owned by สำนักปลัด); alice, administrator of A; charlie, executive of A; erin, province
viewer of A's province; dave, editor of unit B; root, superuser.

What roles may do (issue #11, units/permissions.py): editors report progress on their departments'
measures, submit it and edit those measures' text and steps; unit administrators edit the plan, create
measures, assessments, due dates, recommendations, import, review and publish; executives and province
viewers read. A unit one may not read answers 404 (its existence is not
revealed), a write one's role does not allow 403, the anonymous are sent to log in (302). POSTs carry no
data: a form answers 200 with its errors, an action its redirect.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from http.cookies import SimpleCookie
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver

ROLES = ["anonymous", "editor_a", "limited_editor_a", "admin_a", "executive_a", "province_viewer", "editor_b", "superuser"]
USERNAMES = {"editor_a": "bob", "limited_editor_a": "frank", "admin_a": "alice", "executive_a": "charlie",
             "province_viewer": "erin", "editor_b": "dave", "superuser": "root"}
METHODS = ["GET", "POST"]


# --- the URL configuration ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    route: str  # the full route, the key of EXPECTED
    name: str  # namespace:name, for reverse()
    params: tuple[str, ...]  # parameter names (positional ones as "0", "1")
    default_args: tuple


def url_patterns() -> list[Pattern]:
    found = []

    def walk(patterns, prefix="", namespace=""):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = ":".join(filter(None, [namespace, entry.namespace]))
                walk(entry.url_patterns, route, inner)
            elif isinstance(entry, URLPattern):
                regex = entry.pattern.regex
                names = tuple(regex.groupindex) or tuple(str(i) for i in range(regex.groups))
                outer = tuple(re.compile(r"<(?:\w+:)?(\w+)>").findall(prefix))
                found.append(Pattern(route, ":".join(filter(None, [namespace, entry.name or ""])), outer + names,
                                     tuple(sorted(entry.default_args.items()))))

    walk(get_resolver().url_patterns)
    return found


PATTERNS = url_patterns()


# --- the data: built once for the module, rolled back at its end ---------------------------------------


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("matrix-media")


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, media_root):
    # The module's files (evidence, published versions) are written once, in the module's folder.
    settings.MEDIA_ROOT = media_root


@pytest.fixture(autouse=True)
def _no_pdf_rendering(monkeypatch):
    # Authorization, not layout: WeasyPrint and python-docx are tested elsewhere.
    monkeypatch.setattr("reports.render.render_pdf", lambda document: (b"%PDF-1.7 matrix", 1))
    monkeypatch.setattr("reports.render.render_docx", lambda document: b"PK matrix")


def _unit(slug, name, province, departments):
    from units.models import Department, Unit

    unit = Unit.objects.create(slug=slug, name=name, short_name=name, kind=Unit.Kind.SAO, district="เมือง", province=province)
    for order, department in enumerate(departments):
        Department.objects.create(unit=unit, name=department, order=order)
    return unit


def _people(unit_a, unit_b):
    from tests.conftest import PASSWORD
    from units.models import Membership, ProvinceGrant

    users = {}
    User = get_user_model()
    for role, username in USERNAMES.items():
        if role == "superuser":
            users[role] = User.objects.create_superuser(username=username, password=PASSWORD, email="root@example.org")
        else:
            users[role] = User.objects.create_user(username=username, password=PASSWORD)
    memberships = {
        "editor_a": (unit_a, Membership.Role.EDITOR), "limited_editor_a": (unit_a, Membership.Role.EDITOR),
        "admin_a": (unit_a, Membership.Role.ADMIN), "executive_a": (unit_a, Membership.Role.EXECUTIVE),
        "editor_b": (unit_b, Membership.Role.EDITOR),
    }
    for role, (unit, membership_role) in memberships.items():
        Membership.objects.create(user=users[role], unit=unit, role=membership_role)
    users["limited_editor_a"].memberships.get().departments.add(unit_a.departments.get(name="กองช่าง"))
    ProvinceGrant.objects.create(user=users["province_viewer"], province=unit_a.province)
    return users


def _unit_objects(unit, admin_user) -> dict:
    """Everything of one unit a URL can name: assessment and plan years, a measure (owned by the first
    department, สำนักปลัด), its submitted 6-month entry with an evidence file, a published report."""
    from assessments.models import Recommendation
    from measures.models import EvidenceFile, Measure, OitProgress, ProgressEntry, RoundDue, UnitYearProgress
    from measures.progress import refresh_unit_year
    from reports import publishing
    from tests import factories
    from tests.dashboards_fixtures import SCORES_2568, assess

    assessment = assess(unit, 2568, SCORES_2568)
    recommendation = Recommendation.objects.create(assessment=assessment, text="ควรเปิดเผยข้อมูลให้ครบถ้วน")
    factories.assessment(unit, 2567, {n: 90 for n in range(1, 11)})
    plan = factories.plan(unit, 2568, measures=1)
    measure = Measure.objects.get(plan=plan)
    entry = ProgressEntry.objects.create(
        measure=measure, round="H1", status="in_progress", percent=50, result="ดำเนินการไปแล้วครึ่งหนึ่ง",
        review_state=ProgressEntry.Review.SUBMITTED,
    )
    evidence = EvidenceFile.objects.create(
        entry=entry, file=ContentFile(b"%PDF-1.4 evidence", name="evidence.pdf"), original_name="หลักฐาน.pdf",
        content_type="application/pdf", size=17,
    )
    due = RoundDue.objects.create(unit=unit, fiscal_year=2568, round="H1", due_date=dt.date(2025, 4, 30))
    refresh_unit_year(unit.pk, 2568)
    with mock.patch("reports.render.render_pdf", lambda document: (b"%PDF-1.7 matrix", 1)):
        report = publishing.publish(unit, "results", 2568, "FY", admin_user)
        publishing.publish(unit, "plan", 2568, "", admin_user)
    return {
        "unit": unit, "assessment": assessment, "recommendation": recommendation, "plan": plan, "measure": measure,
        "entry": entry, "evidence": evidence, "due": due, "report": report,
        "oit": OitProgress.objects.get(plan=plan), "department": unit.departments.order_by("order").first(),
        "progress": UnitYearProgress.objects.get(unit=unit, fiscal_year=2568),
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, media_root):
    """Units A (สุพรรณบุรี) and B (บุรีรัมย์), the eight roles, and each unit's objects, inside one
    transaction that every test's own transaction nests in, rolled back when the module ends."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from notifications.models import EmailPreference, Notification
    from units.models import ProvinceGrant

    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_root, PASSWORD_HASHERS=fast):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            unit_a = _unit("unit-a", "องค์การบริหารส่วนตำบลเอ", "สุพรรณบุรี", ["สำนักปลัด", "กองคลัง", "กองช่าง"])
            unit_b = _unit("unit-b", "องค์การบริหารส่วนตำบลบี", "บุรีรัมย์", ["สำนักปลัด", "กองคลัง"])
            users = _people(unit_a, unit_b)
            objects = {"A": _unit_objects(unit_a, users["admin_a"]), "B": _unit_objects(unit_b, users["superuser"])}
            objects["A"]["user"], objects["B"]["user"] = users["admin_a"], users["editor_b"]
            objects["A"]["membership"] = users["admin_a"].memberships.get()
            objects["B"]["membership"] = users["editor_b"].memberships.get()
            shared = {
                "group": Group.objects.create(name="ผู้ตรวจ"),
                "grant": ProvinceGrant.objects.get(user=users["province_viewer"]),
                "framework": objects["A"]["assessment"].framework,
                "attempt": AccessAttempt.objects.create(username="x", ip_address="10.9.9.9", user_agent="t", failures_since_start=1),
                "log": AccessLog.objects.create(username="x", ip_address="10.9.9.9", user_agent="t"),
                "failure": AccessFailureLog.objects.create(username="x", ip_address="10.9.9.9", user_agent="t"),
                "notification": Notification.objects.create(user=users["admin_a"], kind="entry_submitted", subject="ส่งรายงาน", text="มีรายงานรอตรวจ"),
                "preference": EmailPreference.objects.create(user=users["admin_a"], kind="entry_submitted", enabled=False),
            }
            sessions = {}
            for role, user in users.items():  # one session per role, reused by every cell (rolled back each time)
                login = Client()
                login.force_login(user)
                sessions[role] = login.cookies[settings.SESSION_COOKIE_NAME].value
            yield {"users": users, "objects": objects, "shared": shared, "sessions": sessions, "client": Client()}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# --- addresses ------------------------------------------------------------------------------------------

# Admin models whose objects belong to a unit: their admin pages are addressed with unit A's object.
ADMIN_OBJECTS = {
    "units/unit": "unit", "units/department": "department", "units/membership": "membership",
    "auth/user": "user", "assessments/assessment": "assessment", "assessments/recommendation": "recommendation",
    "measures/plan": "plan", "measures/measure": "measure", "measures/progressentry": "entry",
    "measures/rounddue": "due", "measures/oitprogress": "oit", "measures/unityearprogress": "progress",
}
SHARED_OBJECTS = {
    "auth/group": "group", "units/provincegrant": "grant", "assessments/framework": "framework",
    "axes/accessattempt": "attempt", "axes/accesslog": "log", "axes/accessfailurelog": "failure",
    "notifications/notification": "notification", "notifications/emailpreference": "preference",
}


def _object_of(pattern: Pattern) -> str | None:
    """Which object of a unit the address names by id (None: none)."""
    if "pk" not in pattern.params:
        return None
    if pattern.route.startswith("u/") and "/evidence/" in pattern.route:
        return "evidence"
    if pattern.route.startswith("u/"):
        return "measure"
    return "report"


def targets(pattern: Pattern) -> list[str]:
    """A: unit A's address and object; B: unit B's; AxB: unit A's address naming unit B's object."""
    if pattern.route.startswith("admin/") or "slug" not in pattern.params:
        return ["-"]
    return ["A", "B", "AxB"] if _object_of(pattern) else ["A", "B"]


def _admin_url(pattern: Pattern, world) -> str:
    route = pattern.route
    model = "/".join(route.split("/")[1:3])
    key = ADMIN_OBJECTS.get(model)
    obj = world["objects"]["A"][key] if key else world["shared"].get(SHARED_OBJECTS.get(model, ""), None)
    if pattern.name == "admin:app_list":
        return "/admin/units/"
    if pattern.params == ("url",):
        return "/admin/no-such-page/"
    if pattern.name == "admin:view_on_site":
        unit = world["objects"]["A"]["unit"]
        return f"/admin/r/{ContentType.objects.get_for_model(unit).pk}/{unit.pk}/"
    if route.endswith("/history/([^/]+)/$"):
        history = obj.history.order_by("-history_id").first()
        return f"/admin/{model}/{obj.pk}/history/{history.history_id}/"
    assert obj is not None or "<" not in route, f"{route}: name an object of {model} in ADMIN_OBJECTS or SHARED_OBJECTS"
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(obj.pk), route)


def build_url(pattern: Pattern, target: str, world) -> str:
    if pattern.route.startswith("admin/"):
        return _admin_url(pattern, world)
    address = world["objects"]["B" if target == "B" else "A"]
    named = world["objects"]["A" if target == "A" else "B"]
    kind = "results" if "round_code" in pattern.params else "plan"  # results have rounds; the plan is per year
    values = {
        "slug": address["unit"].slug,
        "year": "2568",
        "kind": kind,
        "round_code": "H1" if "/measures/" in pattern.route else "FY",
        "action": "approve",
        "uidb64": "MQ",
        "token": "set-password",
    }
    obj = _object_of(pattern)
    if obj:
        values["pk"] = str(named[obj].pk)
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], pattern.route)


# --- the cells ------------------------------------------------------------------------------------------

CELLS = [
    pytest.param(pattern, role, target, method, id=f"{method} {pattern.route} {role} {target}")
    for pattern in PATTERNS
    for target in targets(pattern)
    for role in ROLES
    for method in METHODS
]


def _request(world, pattern, role, target, method):
    client = world["client"]  # one client (and one middleware chain) for the module
    client.cookies = SimpleCookie()
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][role]
    url = build_url(pattern, target, world)
    response = client.get(url) if method == "GET" else client.post(url)
    return url, response.status_code


@pytest.mark.parametrize(("pattern", "role", "target", "method"), CELLS)
def test_cell(db, world, pattern, role, target, method):
    import os

    url, status = _request(world, pattern, role, target, method)
    dump = os.environ.get("MATRIX_DUMP")
    if dump:
        with open(dump, "a") as out:
            out.write(f"{method}\t{pattern.route}\t{role}\t{target}\t{status}\n")
        return
    want = expected(pattern, role, target, method)
    assert status == want, f"{method} {url} as {role}: {status}, expected {want}"


# --- the expectations -------------------------------------------------------------------------------------

LEVELS = {"reader": 1, "editor": 2, "admin": 3}
NEED = {"read": 1, "edit": 2, "admin": 3}


def access(role: str, unit: str) -> str | None:
    """What a role is in a unit: reader, editor, admin, or None (may not read it)."""
    if role == "superuser":
        return "admin"
    return {
        ("editor_a", "A"): "editor", ("limited_editor_a", "A"): "editor", ("admin_a", "A"): "admin",
        ("executive_a", "A"): "reader", ("province_viewer", "A"): "reader", ("editor_b", "B"): "editor",
    }.get((role, unit))


@dataclass(frozen=True)
class Staff:
    """A page under /u/<unit>/: `need` is the level `unit_view` requires, per method; then the object
    named by id is looked up (`obj`: an object of another unit is 404), the measure's departments checked
    (`owner`: the limited editor does not own it), and a level checked after the lookup (`then`)."""

    get: tuple[str, int]  # (need, status when allowed)
    post: tuple[str, int]
    obj: frozenset = frozenset()
    owner: frozenset = frozenset()
    then: tuple = ()  # ((method, need), …)

    def status(self, role, target, method):
        if role == "anonymous":
            return 302  # to the login page
        level = access(role, "B" if target == "B" else "A")
        if level is None:
            return 404  # the unit's existence is not revealed
        need, ok = self.get if method == "GET" else self.post
        if LEVELS[level] < NEED[need]:
            return 403
        if method in self.obj and target == "AxB":
            return 404
        if method in self.owner and role == "limited_editor_a":
            return 403
        if any(m == method and LEVELS[level] < NEED[n] for m, n in self.then):
            return 403
        return ok


@dataclass(frozen=True)
class Fixed:
    """The same status for every role (public pages, the login page, health check) or per login."""

    get: int
    post: int
    anonymous: tuple[int, int] | None = None  # (GET, POST) for the anonymous, when they differ
    axb: int | None = None  # unit A's address with unit B's object

    def status(self, role, target, method):
        if target == "AxB" and self.axb is not None:
            return self.axb
        if role == "anonymous" and self.anonymous:
            return self.anonymous[0 if method == "GET" else 1]
        return self.get if method == "GET" else self.post


@dataclass(frozen=True)
class Overview:
    """The province/national overview: province viewers and superusers only."""

    def status(self, role, target, method):
        return {"anonymous": 302, "province_viewer": 200, "superuser": 200}.get(role, 403)


@dataclass(frozen=True)
class Admin:
    """Django's admin: no role of a unit is staff, so everyone but the superuser is sent to its login
    page; the superuser gets `get`/`post`."""

    get: int = 200
    post: int = 200

    def status(self, role, target, method):
        if role != "superuser":
            return 302
        return self.get if method == "GET" else self.post


BOTH = frozenset({"GET", "POST"})
POST = frozenset({"POST"})
READ = Staff(("read", 200), ("read", 200))  # a page that reads; an empty POST reads it too
ADMIN_FORM = Staff(("admin", 200), ("admin", 200))  # an administrator's form; an empty POST shows its errors
PUBLIC = Fixed(200, 200)
PUBLIC_VERSION = Fixed(200, 200, axb=404)

EXPECTED = {
    # Django's accounts pages
    "accounts/login/": Fixed(200, 200),
    "accounts/logout/": Fixed(405, 302),
    "accounts/password_change/": Fixed(200, 200, anonymous=(302, 302)),
    "accounts/password_change/done/": Fixed(200, 405, anonymous=(302, 302)),
    "accounts/password_reset/": Fixed(200, 200),
    "accounts/password_reset/done/": Fixed(200, 405),
    "accounts/reset/<uidb64>/<token>/": Fixed(200, 200),  # a bad link: the page says so
    "accounts/reset/done/": Fixed(200, 405),
    "healthz": Fixed(200, 200),
    "favicon.ico": Fixed(301, 301),
    "i18n/setlang/": Fixed(302, 302),
    "": Fixed(200, 200, anonymous=(302, 302)),
    "accounts/inbox/": Fixed(200, 200, anonymous=(302, 302)),
    "accounts/notifications/": Fixed(200, 200, anonymous=(302, 302)),
    "overview/": Overview(),
    # staff pages of a unit
    "u/<slug:slug>/": READ,
    "u/<slug:slug>/dashboard/": READ,
    "u/<slug:slug>/assessments/": READ,
    "u/<slug:slug>/assessments/new/": ADMIN_FORM,
    "u/<slug:slug>/assessments/<year:year>/": Staff(("read", 200), ("admin", 200)),  # POST: recommendations
    "u/<slug:slug>/assessments/<year:year>/edit/": ADMIN_FORM,
    "u/<slug:slug>/plans/": READ,
    "u/<slug:slug>/plans/new/": Staff(("admin", 405), ("admin", 302)),
    "u/<slug:slug>/plans/<year:year>/": READ,
    "u/<slug:slug>/plans/<year:year>/copy/": Staff(("admin", 200), ("admin", 302)),  # GET: what will be copied
    "u/<slug:slug>/plans/<year:year>/oit/": Staff(("read", 200), ("edit", 302)),
    "u/<slug:slug>/plans/<year:year>/oit/history/": READ,
    "u/<slug:slug>/plans/<year:year>/due-dates/": ADMIN_FORM,
    "u/<slug:slug>/plans/<year:year>/measures/new/": ADMIN_FORM,
    "u/<slug:slug>/plans/measures/<int:pk>/": Staff(("read", 200), ("read", 200), obj=BOTH),
    # Editors edit the text and steps of their departments' measures (never take an owner away).
    "u/<slug:slug>/plans/measures/<int:pk>/edit/": Staff(("edit", 200), ("edit", 200), obj=BOTH, owner=BOTH),
    "u/<slug:slug>/plans/measures/<int:pk>/<str:round_code>/": Staff(("edit", 200), ("edit", 200), obj=BOTH, owner=BOTH),
    # approve (the action in the address): POST only; an administrator's, checked once the entry is found;
    # an approval that does not name the version the reviewer saw is refused as stale (409)
    "u/<slug:slug>/plans/measures/<int:pk>/<str:round_code>/<str:action>/": Staff(
        ("edit", 405), ("edit", 409), obj=POST, then=(("POST", "admin"),)
    ),
    "u/<slug:slug>/plans/evidence/<int:pk>/": Staff(("read", 200), ("read", 200), obj=BOTH),
    "u/<slug:slug>/reports/": READ,
    "u/<slug:slug>/data/import/": ADMIN_FORM,
    "u/<slug:slug>/data/export.json": READ,
    "u/<slug:slug>/data/bundle.zip": Staff(("admin", 200), ("admin", 200)),  # evidence files: administrators only
    # public pages: no login, the same for everyone; a version of another unit is not found
    "<slug:slug>/": PUBLIC,
    "<slug:slug>/reports/<int:pk>/": PUBLIC_VERSION,
    "<slug:slug>/reports/<int:pk>.html": PUBLIC_VERSION,
    "<slug:slug>/reports/<int:pk>.pdf": PUBLIC_VERSION,
    "<slug:slug>/reports/<int:pk>.json": PUBLIC_VERSION,
    "<slug:slug>/<year:year>/open-data.json": PUBLIC,
    "<slug:slug>/<year:year>/<slug:kind>/": PUBLIC,
    "<slug:slug>/<year:year>/<slug:kind>/latest.pdf": PUBLIC,
    "<slug:slug>/<year:year>/<slug:kind>/<slug:round_code>/": PUBLIC,
    "<slug:slug>/<year:year>/<slug:kind>/<slug:round_code>/latest.pdf": PUBLIC,
}
for _round in ("", "<slug:round_code>/"):
    _base = f"u/<slug:slug>/reports/<slug:kind>/<year:year>/{_round}"
    EXPECTED[_base + "settings/"] = ADMIN_FORM
    EXPECTED[_base + "publish/"] = Staff(("admin", 200), ("admin", 302))  # POST publishes
    EXPECTED[_base + "report.pdf"] = READ
    EXPECTED[_base + "report.docx"] = READ
    EXPECTED[_base] = READ


def _admin_expectation(route: str):
    """Django's admin, by the kind of page (the superuser's view of it)."""
    # django-axes' records and the derived reporting figures: no adding, no changing
    readonly = route.startswith(("admin/axes/", "admin/measures/unityearprogress/"))
    last = route.rstrip("/").split("/")[-1]
    if route in ("admin/", "admin/password_change/", "admin/jsi18n/") or route.startswith("admin/^("):
        return Admin(200, 405 if last == "jsi18n" else 200)
    if route == "admin/password_change/done/":
        return Admin(200, 405)
    if route == "admin/login/":
        return AdminLogin()
    if route == "admin/logout/":
        return Admin(405, 302)
    if route == "admin/autocomplete/":
        return Admin(403, 405)  # no field named: refused
    if route.startswith("admin/r/") or last == "<path:object_id>":
        return Admin(302, 302)  # view on site; an object's bare address goes on to its change page
    if route == "admin/(?P<url>.*)$":
        return Admin(404, 404)
    if last == "add":
        return Admin(403, 403) if readonly else Admin(200, 200)
    if last == "change" and route.startswith("admin/axes/"):
        return Admin(200, 302)
    if last == "change":
        return Admin(200, 403) if readonly else Admin(200, 200)
    return Admin(200, 200)  # lists, history, delete confirmation, password


@dataclass(frozen=True)
class AdminLogin:
    """The admin's login page: a form for everyone; the superuser goes on to the admin."""

    def status(self, role, target, method):
        return 302 if role == "superuser" and method == "GET" else 200


def expectation(pattern: Pattern):
    if pattern.route.startswith("admin/"):
        return _admin_expectation(pattern.route)
    return EXPECTED.get(pattern.route)


def expected(pattern, role, target, method):
    return expectation(pattern).status(role, target, method)


def test_every_url_pattern_has_an_expectation():
    missing = [pattern.route for pattern in PATTERNS if expectation(pattern) is None]
    assert not missing, f"URL patterns without an expected status per role: {missing}"
    stale = set(EXPECTED) - {pattern.route for pattern in PATTERNS}
    assert not stale, f"expectations for URL patterns that no longer exist: {sorted(stale)}"
    assert len(CELLS) >= 1000
