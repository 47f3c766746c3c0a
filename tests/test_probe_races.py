"""Two people saving the same progress entry or OIT row at the same moment, through the views, on
PostgreSQL: one save wins, the other gets the conflict page (409); never a 500, never a lost update."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from measures.models import ProgressEntry
from tests import factories

pytestmark = [pytest.mark.skipif("connection.vendor != 'postgresql'"), pytest.mark.django_db(transaction=True)]


def _together(*posts):
    """Run the posts in threads released at once; their status codes."""
    barrier, codes = threading.Barrier(len(posts)), [None] * len(posts)

    def run(i, post):
        try:
            barrier.wait(5)
            codes[i] = post().status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, post)) for i, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return codes


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_racing_saves_of_one_entry_and_one_oit_row(unit_a, alice, bob):
    plan = factories.plan(unit_a, 2567, measures=1, approved_round=None)
    measure = plan.measures.get()
    entry_url = reverse("measures:entry", args=["unit-a", measure.pk, "H1"])
    oit_url = reverse("measures:oit", args=["unit-a", 2567])
    first, second = _client(alice), _client(bob)
    values = {"status": "in_progress", "percent": "50", "outcome": "", "problems": "", "suggestions": "", "reported_on": ""}
    assert first.post(entry_url, {**values, "result": "เริ่ม"}).status_code == 302
    assert first.post(oit_url, {"O2-status": "done", "O2-note": "เริ่ม", "O2-url": ""}).status_code == 302
    for attempt in range(5):
        entry = ProgressEntry.objects.get(measure=measure, round="H1")
        row = plan.oit_progress.get(item__code="O2")
        texts = (f"ก-{attempt}", f"ข-{attempt}")
        codes = _together(*[
            lambda c=c, t=t, v=entry.version: c.post(entry_url, {**values, "result": t, "version": v})
            for c, t in zip((first, second), texts, strict=True)
        ])
        assert sorted(codes) == [302, 409], codes
        entry.refresh_from_db()
        assert entry.result == texts[codes.index(302)]
        codes = _together(*[
            lambda c=c, t=t, v=row.version: c.post(oit_url, {"O2-status": "done", "O2-note": t, "O2-url": "", "O2-version": v})
            for c, t in zip((first, second), texts, strict=True)
        ])
        assert sorted(codes) == [302, 409], codes
        row.refresh_from_db()
        assert row.note == texts[codes.index(302)]
