"""Thai everywhere: every page each role can reach, asked for in English (Accept-Language: en), shows no
English but the allowed words (ITA's own abbreviations, codes, addresses, the English switch).

The crawl follows the links of each page from the role's start pages (the admin's too, for the superuser),
with Django's test client: the text checked is the HTML's text and its readable attributes (title,
placeholder, aria-label, alt, button values), which is what a browser shows or reads out.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from tests import pages_data
from tests.conftest import PASSWORD

# Django's and its apps' English, as people met it in the portal's Thai pages.
DJANGO_ENGLISH = [
    "Please correct the error below", "Please correct the errors below", "was added successfully",
    "was changed successfully", "was deleted successfully", "Choose all", "Remove all", "Start typing to filter",
    "Created", "Changed", "Deleted", "This field is required", "Enter a valid", "Select a valid choice",
    "Your password", "Password reset", "Forgotten your password", "None available", "Recent actions",
    "Save and add another", "Save and continue editing", "Add another", "Show counts", "View site",
    "Log out", "Log in", "Change password", "Currently", "Today", "Now", "Choose a date", "Choose a time",
]  # fmt: skip
# Thai where the catalog says something else than what is meant: Django's "None available" is "ไม่ว่าง" (busy).
WRONG_THAI = ["ไม่ว่าง"]

ALLOWED_WORDS = {
    # the assessment's own names and abbreviations, file formats, the language switch
    "ITA", "OIT", "IIT", "EIT", "NACC", "HTML", "PDF", "JSON", "CSV", "XLSX", "DOCX", "URL", "English", "e-mail", "zip", "IP", "HTTP",
    "Axes",  # the login lockout component's name, as the admin's index lists it (django-axes)
    "A4", "B.E", "Word", "Excel", "JPEG", "PNG", "GIF", "WebP", "MB", "KB", "ID", "SHA", "http", "https",
    # level labels of the ITA frameworks
    "AA", "A", "B", "C", "D", "E", "F",
    # the test data's people and places (usernames, unit addresses)
    # the data's own English (the ITA framework's item names)
    "No", "Gift", "Policy", "Social", "Network", "Q",
    "root", "newperson", "alice", "bob", "charlie", "frank", "erin", "dave", "unit", "example", "go", "th", "org",
}  # fmt: skip
WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
# Tokens that are addresses, file names or codes, not words: masked or hashed values (ab****, md5), /path,
# http://…, name@host, x.pdf, O12, unit-a.
NOT_WORDS = re.compile(
    r"^(?:\S*\*\S*|[A-Za-z]*\d[A-Za-z0-9]*|\S*://\S*|/\S*|\S+@\S+|\S+\.(?:pdf|json|png|jpg|csv|xlsx|docx|html)|[A-Z]{1,3}\d+(?:\.\d+)*|[a-z0-9]+(?:-[a-z0-9]+)+/?)$"
)
SKIP = re.compile(
    r"(/accounts/logout/|/i18n/|_export=|\.pdf$|\.json$|\.docx$|/evidence/|/export|/open-data|/latest|"
    r"/admin/logout/|/admin/jsi18n/|/admin/r/|/password_reset/|/password_change/done|"
    # Left out: the admin's delete confirmations and simple_history's revert forms list the related rows by
    # their models' object names ("ProgressEntry object (1)", "historical measure"): those models' names
    # belong to their apps (and a migration each), not to these pages.
    r"/admin/.*/delete/$|/admin/.*/history/\d+/$|"
    # Left out too: the admin pages of the other apps' models, whose field names (item, owners, order…)
    # have no Thai verbose_name yet; adding them is a migration in each app.
    r"/admin/(assessments|measures|reports|interchange|dashboards|notifications)/.+|"
    # and django-axes' login records, named by its own English __str__ ("Access Log for unknown @ …").
    r"/admin/axes/accesslog/)"
)
READABLE_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")


class TextOf(HTMLParser):
    """The page's text and readable attributes, and its links."""

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self.links: list[str] = []
        self._skip = 0
        self._language_switch = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "button" and attrs.get("name") == "language":
            self._language_switch += 1
        for name in READABLE_ATTRIBUTES:
            if attrs.get(name):
                self.texts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.texts.append(attrs["value"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        if tag == "button" and self._language_switch:
            self._language_switch -= 1

    def handle_data(self, data):
        if not self._skip and not self._language_switch and data.strip():
            self.texts.append(data)


def column_codes() -> set[str]:
    """The report columns' codes, which the report options page lists for its column editor."""
    from reports.columns import COLUMNS

    codes = set()
    for kind_columns in COLUMNS.values():
        for key in kind_columns:
            codes |= set(WORD.findall(key.replace("_", " ")))
    return codes


CODES = column_codes()


def english_in(texts: list[str]) -> list[str]:
    found = []
    joined = " ".join(texts)
    for phrase in DJANGO_ENGLISH:
        if re.search(rf"\b{re.escape(phrase)}\b", joined):
            found.append(phrase)
    found += [thai for thai in WRONG_THAI if thai in joined]
    for text in texts:
        for token in text.split():
            token = token.strip("()[]{}“”\"'‘’,.:;!?…·—–-")
            if not token or NOT_WORDS.match(token):
                continue
            for word in WORD.findall(token):
                if word not in ALLOWED_WORDS and word.rstrip("s") not in ALLOWED_WORDS and word not in CODES:
                    found.append(word)
    return found


def crawl(client: Client, starts: list[str], *, limit: int = 400) -> dict[str, list[str]]:
    """{url: English found} for every page reached from `starts` by links (same site, GET, no downloads)."""
    seen, queue, problems = set(), list(starts), {}
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code < 500, url
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        parser = TextOf()
        parser.feed(
            b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
        )
        found = english_in(parser.texts)
        if found:
            problems[url] = sorted(set(found))
        for href in parser.links:
            target = urlsplit(urljoin(url, href))
            if target.netloc not in ("", "testserver") or target.query or SKIP.search(target.path):
                continue
            if target.path not in seen:
                queue.append(target.path)
    assert len(seen) > len(starts)
    return problems


def management(prefix: str) -> dict:
    return {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}


@pytest.fixture
def scenario(unit_a, alice, bob, charlie, frank, erin, root):
    return pages_data.build(unit_a, alice)


def test_every_page_is_thai_for_every_role_in_an_english_browser(
    scenario, unit_a, alice, bob, charlie, erin, root
):
    problems = {}
    slug = unit_a.slug
    staff_starts = ["/", f"/u/{slug}/", "/accounts/password_change/", f"/u/{slug}/plans/2568/?q=ประชุม"]
    for user in (alice, bob, charlie, erin, root):
        client = Client()
        client.force_login(user)
        starts = staff_starts + (["/overview/"] if user in (erin, root) else [])
        starts += ["/admin/"] if user is root else []
        for url, found in crawl(client, starts).items():
            problems[f"{user.username} {url}"] = found
    anonymous = Client()
    for url, found in crawl(
        anonymous, [f"/{slug}/", "/accounts/login/", "/accounts/password_reset/"]
    ).items():
        problems[f"anonymous {url}"] = found
    assert problems == {}, "\n".join(f"{url}: {found}" for url, found in problems.items())


def test_messages_after_errors_and_saves_are_thai(scenario, unit_a, root, alice):
    """What only a submitted form shows: admin's error and success lines, validators' messages."""
    client = Client()
    client.force_login(root)
    texts = []
    unit_inlines = {**management("departments"), **management("memberships")}
    user_inlines = {**management("memberships"), **management("province_grants")}
    for url, data in [
        ("/admin/units/unit/add/", {"name": "", **unit_inlines}),
        ("/admin/auth/user/add/", {"username": "x", "password1": "abc", "password2": "abd", **user_inlines}),
    ]:
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        parser = TextOf()
        parser.feed(response.content.decode())
        texts += parser.texts
    response = client.post(
        "/admin/auth/user/add/",
        {"username": "newperson", "password1": "x-Ab9-long-enough-pw", "password2": "x-Ab9-long-enough-pw", "usable_password": "true", **user_inlines},
        HTTP_ACCEPT_LANGUAGE="en", follow=True,
    )  # fmt: skip
    assert response.status_code == 200
    parser = TextOf()
    parser.feed(response.content.decode())
    texts += parser.texts
    own = Client()
    own.force_login(alice)
    response = own.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    parser = TextOf()
    parser.feed(response.content.decode())
    texts += parser.texts
    assert english_in(texts) == []
