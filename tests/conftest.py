"""Shared fixtures, in the manner of healthchecks' alice/bob/charlie.

Unit A (สุพรรณบุรี) has an admin (alice), an editor (bob), an executive (charlie) and an editor limited to
กองช่าง (frank); unit B (บุรีรัมย์) has an editor (dave); erin views every unit of สุพรรณบุรี; root is a
superuser. Every later test builds on these.
"""

import pytest
from django.contrib.auth import get_user_model

from units.models import Department, Membership, ProvinceGrant, Unit

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Production hashing is deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _static_root_in_a_temporary_folder(tmp_path_factory):
    # Settings create no folder (./dev.sh start makes var/): an empty collected-static folder keeps
    # WhiteNoise from warning that STATIC_ROOT is missing, without writing into the checkout.
    from django.conf import settings

    settings.STATIC_ROOT = tmp_path_factory.mktemp("staticfiles")


@pytest.fixture(autouse=True)
def _empty_cache():
    # The local-memory cache outlives a test (the navigation's inbox count is cached per user id):
    # every test starts with an empty one, so no test depends on the order they run in.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path_factory):
    # Published reports and evidence are written to storage: never into the checkout's var/media.
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def _live_server_sessions_ended(django_db_setup, django_db_blocker):
    """The live server's request threads may leave PostgreSQL sessions open behind them, which keep the
    test database from being dropped at the end: they are ended once, after the last test (ending them
    after each browser test could end a session another test was about to use)."""
    yield
    from django.db import connection

    if connection.vendor == "postgresql":
        with django_db_blocker.unblock():
            connection.close()
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            connection.close()


@pytest.fixture
def browser_server(live_server, _live_server_sessions_ended):
    """The live server for browser tests (see `_live_server_sessions_ended`)."""
    return live_server


@pytest.fixture
def unit_a(db):
    unit = Unit.objects.create(
        slug="unit-a",
        name="องค์การบริหารส่วนตำบลเอ",
        short_name="อบต.เอ",
        kind=Unit.Kind.SAO,
        district="ดอนเจดีย์",
        province="สุพรรณบุรี",
    )
    for order, name in enumerate(["สำนักปลัด", "กองคลัง", "กองช่าง"]):
        Department.objects.create(unit=unit, name=name, order=order)
    return unit


@pytest.fixture
def unit_b(db):
    unit = Unit.objects.create(
        slug="unit-b",
        name="องค์การบริหารส่วนตำบลบี",
        short_name="อบต.บี",
        kind=Unit.Kind.SAO,
        district="หนองหงส์",
        province="บุรีรัมย์",
    )
    for order, name in enumerate(["สำนักปลัด", "กองคลัง"]):
        Department.objects.create(unit=unit, name=name, order=order)
    return unit


def _user(username, **extra):
    return get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)


@pytest.fixture
def alice(unit_a):
    """Unit A's administrator."""
    user = _user("alice", first_name="อลิส")
    Membership.objects.create(user=user, unit=unit_a, role=Membership.Role.ADMIN, position="ปลัด")
    return user


@pytest.fixture
def bob(unit_a):
    """Unit A's editor, not limited to departments."""
    user = _user("bob", first_name="บ๊อบ")
    Membership.objects.create(user=user, unit=unit_a, role=Membership.Role.EDITOR)
    return user


@pytest.fixture
def charlie(unit_a):
    """Unit A's executive: reads only."""
    user = _user("charlie", first_name="ชาลี")
    Membership.objects.create(user=user, unit=unit_a, role=Membership.Role.EXECUTIVE)
    return user


@pytest.fixture
def frank(unit_a):
    """Unit A's editor limited to กองช่าง."""
    user = _user("frank", first_name="แฟรงก์")
    membership = Membership.objects.create(user=user, unit=unit_a, role=Membership.Role.EDITOR)
    membership.departments.add(unit_a.departments.get(name="กองช่าง"))
    return user


@pytest.fixture
def dave(unit_b):
    """Unit B's editor."""
    user = _user("dave", first_name="เดฟ")
    Membership.objects.create(user=user, unit=unit_b, role=Membership.Role.EDITOR)
    return user


@pytest.fixture
def erin(unit_a, unit_b):
    """Views every unit of สุพรรณบุรี (unit A's province), read-only."""
    user = _user("erin", first_name="เอริน")
    ProvinceGrant.objects.create(user=user, province="สุพรรณบุรี")
    return user


@pytest.fixture
def root(db):
    return get_user_model().objects.create_superuser(username="root", password=PASSWORD, email="root@example.org")


@pytest.fixture
def login(client):
    """login(user) → the test client, logged in as that user."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


# A 2568 plan of unit A with one measure owned by สำนักปลัด (the review and integrity tests share them).
@pytest.fixture
def plan_a(unit_a):
    from measures.models import Plan
    from tests import factories

    return Plan.objects.create(unit=unit_a, fiscal_year=2568, based_on_assessment=2567, framework=factories.framework(2568))


@pytest.fixture
def measure(unit_a, plan_a):
    from measures.models import Measure

    item = Measure.objects.create(plan=plan_a, number="1", title="มาตรการ")
    item.owners.add(unit_a.departments.get(name="สำนักปลัด"))
    return item

