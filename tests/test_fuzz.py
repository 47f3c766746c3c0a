"""Fuzzing (hypothesis): random query strings to every page and random values to every form of the
portal, as the superuser, a unit's editor and (public pages) the anonymous; no answer may be a 5xx.

Bounded for CI: a fixed number of examples per page and form (FUZZ_EXAMPLES, default 6), derandomized so
that a failure reproduces; set FUZZ_EXAMPLES=200 and HYPOTHESIS_SEED to search harder locally. The
pages and forms are found from the URL configuration (the authorization matrix's list) and from the
pages' own HTML (every <form method="post"> and its fields), so a new page or field is fuzzed unasked.
"""

from __future__ import annotations

import os
import string
from html.parser import HTMLParser
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests import test_authz_matrix as matrix
from tests.test_authz_matrix import PATTERNS, build_url

# The matrix's data (two units, eight roles, their objects; built once, rolled back at the end).
media_root = matrix.media_root
world = matrix.world
_media_in_a_temporary_folder = matrix._media_in_a_temporary_folder
_no_pdf_rendering = matrix._no_pdf_rendering

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
FUZZ = hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize="HYPOTHESIS_SEED" not in os.environ,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Values people and programs send that code has tripped on: non-ASCII digits, overflowing and negative
# numbers, NUL (PostgreSQL refuses it in text), markup, very long text, dates in odd forms.
NASTY = [
    "", " ", "0", "-1", "²", "๒๕๖๘", "２５６８", "1e9", "99999999999999999999999999", "-99999999999999999999",
    "2568", "2567", "1", "H1", "FY", "Q9", "done", "approved", "late", "yes", "true", "null", "[]", "{}",
    "\x00", "a\x00b", "<script>alert(1)</script>", "' OR 1=1 --", "%", "../../etc/passwd", "=HYPERLINK(\"x\")",
    "31/02/2568", "2568-02-31", "0000-00-00", "9999-12-31", "1/1/1", "ก" * 300, "x" * 5000, "\u202e", "\ufeff",
]
text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
# Numbers that are not ASCII digits are what `isdigit()`-then-`int()` code trips on: drawn often.
ODD_NUMBERS = ["²", "๒", "١٢", "1_0", " 1", "+1", "-0", "0x1f", "9" * 40]
values = st.one_of(
    st.sampled_from(ODD_NUMBERS), st.sampled_from(NASTY), text, st.integers(-(10**25), 10**25).map(str)
)
QUERY_KEYS = [
    "page", "year", "sort", "status", "round", "department", "indicator", "overdue", "review", "province",
    "kind", "passes", "completeness", "level", "late", "_export", "q", "next", "per_page", "e", "o", "p",
]
query_keys = st.one_of(st.sampled_from(QUERY_KEYS), st.text(alphabet=string.ascii_letters + "_[]", min_size=1, max_size=8))
queries = st.lists(st.tuples(query_keys, values), max_size=6)


def _client(world, role):
    client = world["client"]
    client.cookies = SimpleCookie()
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][role]
    return client


def _page_cells():
    """(page, role): public pages as the anonymous, the others as the superuser (who sees every part of
    every page) and an editor (who sees the editor's)."""
    cells = []
    for pattern in PATTERNS:
        route = pattern.route
        if route.startswith("admin/") and not route.endswith(("/change/", "s/", "admin/")) or "(?P<url>" in route:
            continue  # the admin's lists and change pages take query strings; the rest is Django's own
        if route in ("accounts/logout/", "i18n/setlang/"):
            continue  # POST-only actions
        public = route.startswith(("<slug:slug>/", "accounts/login", "accounts/password_reset", "accounts/reset"))
        for role in ["anonymous"] if public else ["superuser", "editor_a"]:
            cells.append(pytest.param(pattern, role, id=f"{route or 'home'} {role}"))
    return cells


@pytest.mark.parametrize(("pattern", "role"), _page_cells())
def test_random_query_strings_never_answer_5xx(db, world, pattern, role):
    url = build_url(pattern, "A", world)

    @FUZZ
    @given(query=queries)
    def fuzz(query):
        client = _client(world, role)
        response = client.get(url, query and _as_multidict(query))
        assert response.status_code < 500, f"GET {url} {query!r} as {role}: {response.status_code}"

    fuzz()


def _as_multidict(pairs):
    data = {}
    for key, value in pairs:
        data.setdefault(key, []).append(value)
    return data


# --- forms --------------------------------------------------------------------------------------------


class FormParser(HTMLParser):
    """Every POST form of a page: its action and its fields (name → kind and the choices it offers)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "get").lower() == "post":
            self._form = {"action": attrs.get("action") or "", "fields": {}}
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select", "button") and attrs.get("name"):
            kind = attrs.get("type", tag) if tag == "input" else tag
            field = self._form["fields"].setdefault(attrs["name"], {"kind": kind, "choices": []})
            if attrs.get("value") is not None:
                field["choices"].append(attrs["value"])
            if tag == "select":
                self._select = field
        elif tag == "option" and self._select is not None:
            self._select["choices"].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def field_values(field):
    """Random values for one field: one of its own choices, or anything."""
    choices = [choice for choice in field["choices"] if choice is not None]
    if field["kind"] == "file":
        names = st.one_of(st.sampled_from(["หลักฐาน.pdf", "ก" * 120 + ".pdf", "a.exe", ".pdf", "x" * 300 + ".png"]), text)
        contents = st.one_of(st.sampled_from([b"%PDF-1.4\n%%EOF", b"\x89PNG\r\n\x1a\n", b"", b"MZ\x90\x00"]), st.binary(max_size=64))
        return st.builds(lambda name, content: SimpleUploadedFile(_file_name(name), content), names, contents)
    if field["kind"] in ("select", "checkbox", "select-multiple"):
        # A multiple choice may be sent several times: the form's own choices mixed with anything.
        return st.lists(st.one_of(st.sampled_from(choices or [""]), values), min_size=1, max_size=3)
    if choices:
        return st.one_of(st.sampled_from(choices), values)
    return values


def _file_name(name: str) -> str:
    """A name a browser could send (the test client refuses path separators and dot names)."""
    name = name.replace("/", "_").replace("\\", "_")
    return "f" if name.strip(". ") == "" else name


def _forms(client, url):
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    parser = FormParser()
    parser.feed(response.content.decode("utf-8", "replace"))
    # The language switch and the log-out button are on every page: fuzzed once, through their own pages.
    return [form for form in parser.forms if form["action"] not in ("/i18n/setlang/", "/accounts/logout/")]


def _form_patterns():
    return [
        pytest.param(pattern, id=pattern.route or "home")
        for pattern in PATTERNS
        if not pattern.route.startswith(("admin/", "<slug:slug>/")) and pattern.route not in ("healthz", "favicon.ico")
        and not pattern.route.endswith((".pdf", ".docx", ".json"))
    ]


@pytest.mark.parametrize("pattern", _form_patterns())
@pytest.mark.parametrize("role", ["superuser", "editor_a"])
def test_random_form_values_never_answer_5xx(db, world, pattern, role):
    url = build_url(pattern, "A", world)
    forms = _forms(_client(world, role), url)
    if not forms:
        pytest.skip(f"no form on {url} for {role}")

    @FUZZ
    @given(data=st.data())
    def fuzz(data):
        form = data.draw(st.sampled_from(forms))
        fields = {name: data.draw(field_values(field), label=name) for name, field in form["fields"].items()
                  if data.draw(st.booleans(), label=f"send {name}") or field["kind"] != "hidden"}
        target = form["action"] or url
        response = _client(world, role).post(target, fields)
        assert response.status_code < 500, f"POST {target} {fields!r} as {role}: {response.status_code}"

    fuzz()


# The values that broke parsers here before, sent in every field of a form at once (a systematic pass
# beside the random one): a digit that is no decimal digit, a number past every integer column, NUL
# (PostgreSQL refuses it in text), Thai digits, an empty value.
KILLERS = ["²", "9" * 40, "a\x00b", "๒๕๖๘", ""]


@pytest.mark.parametrize("pattern", _form_patterns())
def test_odd_values_in_every_field_never_answer_5xx(db, world, pattern):
    url = build_url(pattern, "A", world)
    forms = _forms(_client(world, "superuser"), url)
    if not forms:
        pytest.skip(f"no form on {url}")
    for form in forms:
        target = form["action"] or url
        for killer in KILLERS:
            fields = {
                name: ([killer] if field["kind"] == "select" else killer)
                for name, field in form["fields"].items()
                if field["kind"] not in ("file", "hidden") or name == "version"
            }
            response = _client(world, "superuser").post(target, fields)
            assert response.status_code < 500, f"POST {target} {killer!r} in every field: {response.status_code}"
