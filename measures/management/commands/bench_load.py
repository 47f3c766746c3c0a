"""manage.py bench_load --url http://127.0.0.1:8001 --url http://127.0.0.1:8002 [--clients 32] [--seconds 60]

Simulated staff against running app servers (the topology of deploy/, or two `gunicorn` on this
database): editors read their plan, save progress and submit it; administrators read and approve. Prints
requests a second, p50/p95 per kind of request, server errors (5xx) and lost updates: after the run, what
each editor last saved successfully is compared with what the database holds.

It prepares its own unit (slug bench-load) in the database of DATABASE_URL: the app servers must use the
same database. Each editor owns a few measures of their own, so that every successful save must be what
the database holds at the end.
"""

from __future__ import annotations

import random
import re
import statistics
import threading
import time
from collections import defaultdict
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.error import HTTPError
from urllib.parse import urlencode, urlparse
from urllib.request import HTTPErrorProcessor, Request, build_opener

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction

from measures.models import Measure, Plan, ProgressEntry
from units.models import Department, Membership, Unit

SLUG, YEAR, ROUND = "bench-load", 2568, "H1"
PASSWORD = "bench-load-not-a-real-account"
MEASURES_PER_EDITOR = 4


class _Forms(HTMLParser):
    """The forms of a page: [{"action": …, "fields": {name: value}, "buttons": {name: value}}]."""

    def __init__(self):
        super().__init__()
        self.forms, self._textarea = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "", "fields": {}, "buttons": {}})
        elif self.forms and tag == "input" and attrs.get("name") and attrs.get("type") != "file":
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.forms[-1]["fields"][attrs["name"]] = attrs.get("value") or ""
        elif self.forms and tag == "button" and attrs.get("name"):
            self.forms[-1]["buttons"][attrs["name"]] = attrs.get("value") or ""
        elif self.forms and tag == "textarea" and attrs.get("name"):
            self._textarea = attrs["name"]
            self.forms[-1]["fields"][self._textarea] = ""
        elif self.forms and tag == "select" and attrs.get("name"):
            self.forms[-1]["fields"].setdefault(attrs["name"], "")

    def handle_data(self, data):
        if self._textarea:
            self.forms[-1]["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None


def forms_of(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


class _NoRedirect(HTTPErrorProcessor):
    def http_response(self, request, response):
        return response

    https_response = http_response


class Client:
    """A browser without a browser: cookies, CSRF, no redirects followed. Requests say they came over
    HTTPS (X-Forwarded-Proto, as nginx would), so production settings (secure cookies) hold."""

    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.cookies: dict[str, str] = {}
        self.opener = build_opener(_NoRedirect)
        self.host = urlparse(self.base).netloc

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, float]:
        headers = {"X-Forwarded-Proto": "https", "Referer": f"https://{self.host}{path}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode({**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        started = time.perf_counter()
        try:
            response = self.opener.open(Request(self.base + path, data=body, headers=headers), timeout=60)
        except HTTPError as exc:  # pragma: no cover - _NoRedirect returns every status
            response = exc
        text = response.read().decode("utf-8", "replace")
        elapsed = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        return response.status, text, elapsed

    def login(self, username: str, password: str) -> None:
        self.request("/accounts/login/")
        status, _text, _t = self.request("/accounts/login/", {"username": username, "password": password})
        if status != 302:
            raise RuntimeError(f"login of {username} answered {status}")


def prepare(editors: int, admins: int) -> tuple[Unit, dict[str, list[int]], list[str]]:
    """The bench unit, its people and measures (entries cleared). Returns (unit, editor → measure ids, admins)."""
    from assessments.models import Framework

    User = get_user_model()
    password = make_password(PASSWORD)
    with transaction.atomic():
        unit, _ = Unit.objects.get_or_create(slug=SLUG, defaults={"name": "หน่วยงานทดสอบภาระ", "province": "ทดสอบ"})
        department, _ = Department.objects.get_or_create(unit=unit, name="สำนักปลัด")
        plan, _ = Plan.objects.get_or_create(
            unit=unit, fiscal_year=YEAR, defaults={"framework": Framework.objects.filter(fiscal_year=YEAR).first()}
        )
        ProgressEntry.objects.filter(measure__plan=plan).delete()
        people = {"editor": [f"bench-editor-{i}" for i in range(editors)], "admin": [f"bench-admin-{i}" for i in range(admins)]}
        for role, names in people.items():
            for name in names:
                user, _ = User.objects.update_or_create(username=name, defaults={"password": password, "is_active": True})
                Membership.objects.update_or_create(user=user, unit=unit, defaults={"role": role})
        needed = editors * MEASURES_PER_EDITOR
        existing = list(plan.measures.order_by("id").values_list("id", flat=True))
        for number in range(len(existing) + 1, needed + 1):
            measure = Measure.objects.create(plan=plan, number=str(number), title=f"มาตรการทดสอบภาระที่ {number}", owner_text="สำนักปลัด", period_text="ตลอดปี")
            measure.owners.add(department)
            existing.append(measure.pk)
    owned = {name: existing[i * MEASURES_PER_EDITOR:(i + 1) * MEASURES_PER_EDITOR] for i, name in enumerate(people["editor"])}
    return unit, owned, people["admin"]


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[int, int] = defaultdict(int)
        self.saved: dict[int, str] = {}  # measure id → the result text last saved successfully
        self.refused = 0

    def add(self, kind: str, status: int, elapsed: float):
        with self.lock:
            self.times[kind].append(elapsed)
            self.statuses[status] += 1


def _save(client, stats, measure_id: int, text: str, submit: bool) -> None:
    path = f"/u/{SLUG}/plans/measures/{measure_id}/{ROUND}/"
    status, html, elapsed = client.request(path)
    stats.add("open entry form", status, elapsed)
    forms = [f for f in forms_of(html) if "version" in f["fields"] or "result" in f["fields"]]
    if status != 200 or not forms:
        return
    fields = {**forms[0]["fields"], "status": "in_progress", "percent": str(random.randint(1, 99)), "result": text,
              "reported_on": "", "links": ""}
    if submit:
        fields["submit"] = "1"
    status, _html, elapsed = client.request(path, fields)
    stats.add("submit" if submit else "save progress", status, elapsed)
    if status == 302:
        with stats.lock:
            stats.saved[measure_id] = text
    elif status < 500:
        with stats.lock:
            stats.refused += 1  # a conflict or a refused transition: shown to the person, nothing lost


def _editor(client, stats, measures, deadline, number):
    counter = 0
    while time.monotonic() < deadline:
        roll = random.random()
        if roll < 0.4:
            stats.add("read plan", *client.request(f"/u/{SLUG}/plans/{YEAR}/")[::2])
        else:
            counter += 1
            _save(client, stats, random.choice(measures), f"ผลการดำเนินงาน ผู้รายงาน {number} ครั้งที่ {counter}", roll > 0.8)


def _admin(client, stats, measures, deadline):
    while time.monotonic() < deadline:
        if random.random() < 0.4:
            stats.add("read plan", *client.request(f"/u/{SLUG}/plans/{YEAR}/")[::2])
            continue
        status, html, elapsed = client.request(f"/u/{SLUG}/plans/measures/{random.choice(measures)}/")
        stats.add("open measure", status, elapsed)
        approve = [f for f in forms_of(html) if re.search(r"/approve/?$", f["action"])]
        if approve:
            status, _html, elapsed = client.request(approve[0]["action"], approve[0]["fields"])
            stats.add("approve", status, elapsed)


def _percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


class Command(BaseCommand):
    help = "Simulated staff (read, save, submit, approve) against running app servers; prints rates, latencies, errors, lost updates."

    def add_arguments(self, parser):
        parser.add_argument("--url", action="append", required=True, help="an app server (repeat for several)")
        parser.add_argument("--clients", type=int, default=32)
        parser.add_argument("--seconds", type=float, default=60)
        parser.add_argument("--admins", type=int, default=0, help="how many of the clients approve (default a quarter)")

    def handle(self, *args, url, clients, seconds, admins, **options):
        admins = admins or max(1, clients // 4)
        editors = clients - admins
        _unit, owned, admin_names = prepare(editors, admins)
        every = [m for ids in owned.values() for m in ids]
        stats, threads = Stats(), []
        sessions = []
        for i, name in enumerate(list(owned) + admin_names):
            client = Client(url[i % len(url)])
            client.login(name, PASSWORD)
            sessions.append((name, client))
        started = time.monotonic()
        deadline = started + seconds
        for number, (name, client) in enumerate(sessions):
            target = (_editor, (client, stats, owned[name], deadline, number)) if name in owned else (_admin, (client, stats, every, deadline))
            threads.append(threading.Thread(target=target[0], args=target[1], daemon=True))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(seconds + 120)
        self._report(stats, time.monotonic() - started, clients, url)

    def _report(self, stats, elapsed, clients, urls):
        total = sum(len(v) for v in stats.times.values())
        stored = dict(ProgressEntry.objects.filter(measure_id__in=list(stats.saved), round=ROUND).values_list("measure_id", "result"))
        lost = sum(1 for measure_id, text in stats.saved.items() if stored.get(measure_id) != text)
        server_errors = sum(n for status, n in stats.statuses.items() if status >= 500)
        self.stdout.write(f"{clients} simulated staff for {elapsed:.0f} s against {', '.join(urls)}")
        self.stdout.write(f"requests: {total}, {total / elapsed:.1f} a second")
        self.stdout.write(f"{'kind':<18}{'count':>8}{'p50 ms':>9}{'p95 ms':>9}")
        for kind, values in sorted(stats.times.items()):
            self.stdout.write(f"{kind:<18}{len(values):>8}{statistics.median(values) * 1000:>9.0f}{_percentile(values, 0.95) * 1000:>9.0f}")
        self.stdout.write(f"statuses: {dict(sorted(stats.statuses.items()))}")
        self.stdout.write(f"server errors: {server_errors}")
        self.stdout.write(f"refused (conflicts, transitions not allowed): {stats.refused}")
        self.stdout.write(f"lost updates: {lost} of {len(stats.saved)} entries saved")
