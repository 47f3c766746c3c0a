"""The round due dates page: unit administrators only, B.E. dates, defaults when blank, dashboards follow."""

import datetime as dt

from django.urls import reverse

from measures.models import RoundDue, UnitYearProgress
from tests import factories


def url(year=2568):
    return reverse("measures:round_dues", args=["unit-a", year])


def test_admin_sets_and_clears_due_dates(login, alice, unit_a):
    factories.plan(unit_a, 2568, measures=2, approved_round=None)
    page = login(alice).get(url())
    assert page.status_code == 200
    assert "๓๐ เมษายน ๒๕๖๘" in page.content.decode()  # the default H1 date, shown as the blank's meaning
    response = login(alice).post(url(), {"H1": "15/5/2568", "FY": ""})
    assert response.status_code == 302
    assert list(RoundDue.objects.values_list("round", "due_date")) == [("H1", dt.date(2025, 5, 15))]
    assert UnitYearProgress.objects.get(unit=unit_a, fiscal_year=2568).h1_due == dt.date(2025, 5, 15)
    login(alice).post(url(), {"H1": "", "FY": "30/11/2568"})
    assert list(RoundDue.objects.values_list("round", "due_date")) == [("FY", dt.date(2025, 11, 30))]
    progress = UnitYearProgress.objects.get(unit=unit_a, fiscal_year=2568)
    assert (progress.h1_due, progress.fy_due) == (None, dt.date(2025, 11, 30))


def test_bad_due_dates_are_refused_in_thai_and_nothing_is_saved(login, alice, unit_a):
    factories.plan(unit_a, 2568, measures=1)
    for data, message in (
        ({"H1": "31/2/2568", "FY": "30/11/2568"}, "ไม่มีวันที่นี้ในปฏิทิน"),
        ({"H1": "15/5/2025", "FY": "30/11/2568"}, "พุทธศักราช"),
        ({"H1": "15/5/2568", "FY": "1/9/2568"}, "ต้องไม่ก่อนวันสิ้นสุดของรอบการรายงาน"),
    ):
        response = login(alice).post(url(), data)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not RoundDue.objects.exists()


def test_only_the_units_administrators(login, bob, charlie, dave, unit_a):
    factories.plan(unit_a, 2568, measures=1)
    assert login(bob).get(url()).status_code == 403
    assert login(charlie).post(url(), {"H1": "15/5/2568"}).status_code == 403
    assert login(dave).get(url()).status_code == 404
    assert not RoundDue.objects.exists()
