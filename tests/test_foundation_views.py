from django.urls import reverse

from units.models import Unit


def test_anonymous_is_sent_to_login(client, unit_a):
    for url in (reverse("home"), reverse("units:detail", args=["unit-a"])):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_login_page_is_thai(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'lang="th"' in body
    assert "เข้าสู่ระบบ" in body


def test_home_lists_only_my_units(login, bob, unit_b):
    response = login(bob).get(reverse("home"))
    assert response.status_code == 200
    assert "องค์การบริหารส่วนตำบลเอ" in response.content.decode()
    assert "องค์การบริหารส่วนตำบลบี" not in response.content.decode()


def test_editor_of_a_gets_404_on_unit_b(login, bob, unit_b):
    assert login(bob).get(reverse("units:detail", args=["unit-b"])).status_code == 404


def test_admin_is_thai(login, root):
    response = login(root).get(reverse("admin:index"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "ผู้ดูแลระบบ ITA Portal" in body or "การดูแลระบบ" in body
    response = login(root).get(reverse("admin:units_unit_changelist"))
    assert response.status_code == 200


def test_reserved_slug_is_refused(db):
    import pytest
    from django.core.exceptions import ValidationError

    unit = Unit(slug="admin", name="x", kind=Unit.Kind.SAO)
    with pytest.raises(ValidationError) as exc:
        unit.full_clean()
    assert "slug" in exc.value.message_dict


def test_favicon_is_the_shipped_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("img/favicon.svg")
    assert b'rel="icon"' in client.get("/accounts/login/").content


def test_healthz(client, db):
    assert client.get("/healthz").content == b"ok"


def test_admin_pages_of_every_app_open(login, root, unit_a):
    client = login(root)
    for name in (
        "admin:measures_plan_changelist", "admin:measures_measure_changelist", "admin:measures_progressentry_changelist",
        "admin:measures_rounddue_changelist", "admin:assessments_framework_changelist", "admin:assessments_assessment_changelist",
        "admin:units_membership_changelist", "admin:units_provincegrant_changelist",
    ):
        assert client.get(reverse(name)).status_code == 200, name


def test_thai_whatever_the_browser_asks_until_the_user_switches(client, db):
    login_url = reverse("login")
    # An English-language browser still gets Thai: the portal's users and documents are Thai.
    page = client.get(login_url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "เข้าสู่ระบบ" in page and 'lang="th"' in page
    # The switch at the foot of the page sets the language cookie; the page then follows it.
    response = client.post(reverse("set_language"), {"language": "en", "next": login_url})
    assert response.status_code == 302 and response["Location"] == login_url
    page = client.get(login_url).content.decode()
    assert 'lang="en"' in page and "Log in" in page
    client.post(reverse("set_language"), {"language": "th", "next": login_url})
    assert 'lang="th"' in client.get(login_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_unit_page_lists_the_years_with_their_plan_and_result(login, charlie, unit_a, django_assert_max_num_queries):
    from tests import factories

    factories.assessment(unit_a, 2567, {n: 90 for n in range(1, 11)})
    factories.plan(unit_a, 2568, measures=1)
    client = login(charlie)
    with django_assert_max_num_queries(12):
        body = client.get(reverse("units:detail", args=["unit-a"])).content.decode()
    assert body.index(">2568<") < body.index(">2567<")  # latest first
    assert reverse("measures:plan", args=["unit-a", 2568]) in body
    assert reverse("assessments:detail", args=["unit-a", 2567]) in body
    assert reverse("measures:plan", args=["unit-a", 2567]) not in body
