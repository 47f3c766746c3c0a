from django.contrib.auth import authenticate
from django.core.management import call_command

from demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from demo.publications import DEMO_PUBLICATIONS
from reports.models import PublishedReport
from units.models import Membership, Unit


def test_load_demo_creates_units_and_one_login_per_role(db, capsys):
    call_command("load_demo")
    call_command("load_demo")  # idempotent: a second run keeps one of everything
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    assert Unit.objects.filter(slug__in=["sra-krachom", "sra-kaeo"]).count() == 2
    for username, *_ in DEMO_ACCOUNTS:
        assert authenticate(username=username, password=DEMO_PASSWORD) is not None, username
        assert username in out
    # The demo units' reports are published once, however often the demo is loaded.
    assert PublishedReport.objects.count() == len(DEMO_PUBLICATIONS)
    assert set(PublishedReport.objects.values_list("version", flat=True)) == {1}
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {Membership.Role.ADMIN, Membership.Role.EDITOR, Membership.Role.EXECUTIVE}
