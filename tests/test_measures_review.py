"""The review state machine (measures/review.py) and the role table (units/permissions.py).

Every transition × role × current state is tried on the service, allowed and refused; a refused or stale
transition changes nothing (state, version, events)."""

import pytest
from django.urls import reverse

from measures import review, services
from measures.models import Measure, ProgressEntry, ReviewEvent
from units.permissions import Action, get_unit_access

STATES = ["draft", "submitted", "approved", "returned"]
ROLES = ["alice", "bob", "frank", "charlie", "erin", "root"]  # frank: an editor of another department
# (action, the states it starts from, the state it leads to, the roles allowed): written out by hand, not
# derived from the code under test.
TRANSITIONS = {
    "submit": ({"draft", "returned"}, "submitted", {"alice", "bob", "root"}),
    "approve": ({"submitted"}, "approved", {"alice", "root"}),
    "return": ({"submitted"}, "returned", {"alice", "root"}),
    "reopen": ({"approved"}, "draft", {"alice", "root"}),
}
CALL = {
    "submit": lambda e, a, v: review.submit_entry(e, a, version=v),
    "approve": lambda e, a, v: review.approve_entry(e, a, version=v),
    "return": lambda e, a, v: review.return_entry(e, a, version=v, comment="แนบหลักฐานเพิ่ม"),
    "reopen": lambda e, a, v: review.reopen_entry(e, a, version=v, reason="ตัวเลขผิด"),
}


def make_entry(measure, state, **extra):
    values = {"status": "in_progress", "percent": 50, "result": "ดำเนินการแล้ว", "review_state": state, **extra}
    return ProgressEntry.objects.create(measure=measure, round="H1", **values)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_every_transition_role_and_state(request, unit_a, measure, action, state, role):
    sources, target, roles = TRANSITIONS[action]
    access = get_unit_access(request.getfixturevalue(role), unit_a)
    entry = make_entry(measure, state)
    version = entry.version
    if state in sources and role in roles:
        CALL[action](entry, access, version)
        entry.refresh_from_db()
        assert (entry.review_state, entry.version) == (target, version + 1)
        event = ReviewEvent.objects.get(entry=entry)
        assert (event.action, event.from_state, event.to_state, event.version, event.by.username) == (
            action, state, target, version, request.getfixturevalue(role).username)
    else:
        with pytest.raises(review.Refused) as refused:
            CALL[action](entry, access, version)
        assert refused.value.forbidden == (role not in roles)
        assert refused.value.message  # a Thai sentence for the page
        entry.refresh_from_db()
        assert (entry.review_state, entry.version) == (state, version)
        assert not ReviewEvent.objects.exists()


def test_stale_approve_changes_nothing_and_answers_409(login, alice, unit_a, measure):
    entry = make_entry(measure, "submitted")
    seen = entry.version
    # The editor changes the text after the administrator opened the page (back to draft, then submitted).
    access_bob = get_unit_access(alice, unit_a)
    services.save_entry(access_bob, measure, "H1", {"status": "in_progress", "percent": 60, "result": "ข้อความใหม่",
                        "outcome": "", "problems": "", "suggestions": "", "reported_on": None}, seen, submit=True)
    entry.refresh_from_db()
    assert entry.review_state == "submitted" and entry.version > seen
    with pytest.raises(review.Stale):
        review.approve_entry(entry, get_unit_access(alice, unit_a), version=seen)
    url = reverse("measures:entry_review", args=["unit-a", measure.pk, "H1", "approve"])
    response = login(alice).post(url, {"version": seen})
    assert response.status_code == 409 and "ข้อความใหม่" in response.content.decode()
    assert login(alice).post(url, {}).status_code == 409  # no version at all: stale too
    entry.refresh_from_db()
    assert entry.review_state == "submitted"
    assert not entry.review_events.filter(action="approve").exists()
    assert login(alice).post(url, {"version": entry.version}).status_code == 302
    entry.refresh_from_db()
    assert entry.review_state == "approved"
    assert entry.review_events.get(action="approve").version == entry.version - 1


def test_forged_posts_are_refused(login, alice, bob, unit_a, measure):
    draft = make_entry(measure, "draft")
    url = lambda action: reverse("measures:entry_review", args=["unit-a", measure.pk, "H1", action])  # noqa: E731
    # An approve of an entry that was never submitted: a message, nothing changes.
    response = login(alice).post(url("approve"), {"version": draft.version}, follow=True)
    assert "ยังไม่ได้ส่ง" in response.content.decode() or "ไม่สามารถอนุมัติ" in response.content.decode()
    draft.refresh_from_db()
    assert draft.review_state == "draft"
    # An editor moving an approved entry back to submitted.
    ProgressEntry.objects.filter(pk=draft.pk).update(review_state="approved")
    assert login(bob).post(url("submit"), {"version": draft.version}).status_code == 302
    draft.refresh_from_db()
    assert draft.review_state == "approved"
    assert login(bob).post(url("reopen"), {"version": draft.version, "comment": "x"}).status_code == 403
    assert login(bob).post(url("nonsense"), {"version": draft.version}).status_code == 404


def test_reopen_needs_a_reason_then_allows_changes(login, alice, bob, unit_a, measure):
    entry = make_entry(measure, "approved")
    edit = reverse("measures:entry", args=["unit-a", measure.pk, "H1"])
    data = {"status": "in_progress", "percent": "70", "result": "แก้ไขแล้ว", "outcome": "", "problems": "", "suggestions": "",
            "links": "", "version": entry.version}
    response = login(bob).post(edit, data)
    assert response.status_code == 200 and "เปิดแก้ไข" in response.content.decode()
    entry.refresh_from_db()
    assert (entry.result, entry.review_state) == ("ดำเนินการแล้ว", "approved")
    reopen = reverse("measures:entry_review", args=["unit-a", measure.pk, "H1", "reopen"])
    login(alice).post(reopen, {"version": entry.version, "comment": "  "})
    entry.refresh_from_db()
    assert entry.review_state == "approved"  # no reason, no reopening
    login(alice).post(reopen, {"version": entry.version, "comment": "ตัวเลขไม่ตรงกับหลักฐาน"})
    entry.refresh_from_db()
    assert (entry.review_state, entry.review_comment) == ("draft", "ตัวเลขไม่ตรงกับหลักฐาน")
    data["version"] = entry.version
    assert login(bob).post(edit, data).status_code == 302
    entry.refresh_from_db()
    assert (entry.result, entry.percent) == ("แก้ไขแล้ว", 70)
    page = login(bob).get(reverse("measures:detail", args=["unit-a", measure.pk])).content.decode()
    assert "“ดำเนินการแล้ว” → “แก้ไขแล้ว”" in page and "ผลการดำเนินการ" in page  # field label in Thai
    assert "ตัวเลขไม่ตรงกับหลักฐาน" in page


def test_editing_a_submitted_entry_returns_it_to_draft_with_an_event(alice, bob, unit_a, measure):
    entry = make_entry(measure, "submitted")
    services.save_entry(get_unit_access(bob, unit_a), measure, "H1", {"status": "done", "percent": None, "result": "เสร็จ",
                        "outcome": "", "problems": "", "suggestions": "", "reported_on": None}, entry.version)
    entry.refresh_from_db()
    assert entry.review_state == "draft"
    event = entry.review_events.get()
    # The contract's word for a return to draft, by the reporter, with the reason written for them.
    assert (event.action, event.from_state, event.to_state, event.by) == ("reopen", "submitted", "draft", bob)
    assert event.comment == "แก้ไขหลังส่งตรวจ จึงกลับเป็นฉบับร่าง"
    assert event.version == entry.version - 1  # the version bob edited, as every transition records


def test_bulk_path_records_an_import_event(alice, unit_a, measure):
    entry = make_entry(measure, "draft")
    assert review.set_states_in_bulk([entry], "approved", alice, "sra-krachom-2568.json") == 1
    entry.refresh_from_db()
    event = entry.review_events.get()
    assert (entry.review_state, event.action, event.from_state, event.comment) == ("approved", "import", "draft", "sra-krachom-2568.json")


# --- the role table: role × action × own / other department -------------------------------------------

OWN, OTHER = "สำนักปลัด", "กองคลัง"
# (role, action) → (allowed on a measure of the editor's own department, on another department's)
TABLE = {
    ("alice", "read"): (True, True), ("bob", "read"): (True, True), ("frank", "read"): (True, True),
    ("charlie", "read"): (True, True), ("erin", "read"): (True, True), ("root", "read"): (True, True),
    ("alice", "report"): (True, True), ("bob", "report"): (True, True), ("frank", "report"): (True, False),
    ("charlie", "report"): (False, False), ("erin", "report"): (False, False), ("root", "report"): (True, True),
    ("alice", "submit"): (True, True), ("bob", "submit"): (True, True), ("frank", "submit"): (True, False),
    ("charlie", "submit"): (False, False), ("erin", "submit"): (False, False), ("root", "submit"): (True, True),
    ("alice", "edit_measure"): (True, True), ("bob", "edit_measure"): (True, True), ("frank", "edit_measure"): (True, False),
    ("charlie", "edit_measure"): (False, False), ("erin", "edit_measure"): (False, False), ("root", "edit_measure"): (True, True),
}
for _action in ("edit_plan", "assess", "due_dates", "import", "review", "publish"):
    for _role in ROLES:
        TABLE[(_role, _action)] = (True, True) if _role in ("alice", "root") else (False, False)


@pytest.mark.parametrize(("role", "action"), sorted(TABLE))
def test_role_action_department_table(request, unit_a, role, action):
    user = request.getfixturevalue(role)
    if role == "frank":  # limited to สำนักปลัด for this table (the fixture limits him to กองช่าง)
        membership = user.memberships.get()
        membership.departments.set([unit_a.departments.get(name=OWN)])
    access = get_unit_access(user, unit_a)
    own, other = unit_a.departments.get(name=OWN).id, unit_a.departments.get(name=OTHER).id
    assert (access.may(action, [own]), access.may(action, [other])) == TABLE[(role, action)]
    assert set(Action) == {Action(a) for _r, a in TABLE}


def test_owners_are_taken_away_only_by_the_administrator(login, alice, bob, unit_a, plan_a, measure):
    finance = unit_a.departments.get(name="กองคลัง")
    own = unit_a.departments.get(name="สำนักปลัด")
    editor, admin = get_unit_access(bob, unit_a), get_unit_access(alice, unit_a)
    assert editor.may_set_owners([own.id], [own.id, finance.id])  # adding is fine
    assert not editor.may_set_owners([own.id, finance.id], [own.id])  # taking กองคลัง's access away is not
    assert admin.may_set_owners([own.id, finance.id], [finance.id])
    measure.owners.add(finance)
    m2m = {"owners": [own], "indicators": [], "oit_items": []}
    with pytest.raises(review.Refused):
        services.save_measure(editor, plan_a, Measure.objects.get(pk=measure.pk), m2m, ["ขั้น"], measure.version)
    assert set(measure.owners.values_list("name", flat=True)) == {"สำนักปลัด", "กองคลัง"}
    services.save_measure(admin, plan_a, Measure.objects.get(pk=measure.pk), m2m, ["ขั้น"], measure.version)
    assert list(measure.owners.values_list("name", flat=True)) == ["สำนักปลัด"]


def test_executive_and_province_viewer_cannot_write_anything(login, charlie, erin, unit_a, measure):
    make_entry(measure, "submitted")
    for user in (charlie, erin):
        client = login(user)
        assert client.post(reverse("measures:entry", args=["unit-a", measure.pk, "H1"]), {"status": "done"}).status_code == 403
        assert client.post(reverse("measures:entry_review", args=["unit-a", measure.pk, "H1", "approve"]), {"version": 1}).status_code == 403
        assert client.post(reverse("measures:plan_copy", args=["unit-a", 2568])).status_code == 403
        assert client.post(reverse("assessments:new", args=["unit-a"]), {"fiscal_year": 2568}).status_code == 403


def test_admin_cannot_change_review_state_or_an_approved_entry(client, root, unit_a, measure):
    entry = make_entry(measure, "approved")
    client.force_login(root)
    change = reverse("admin:measures_progressentry_change", args=[entry.pk])
    page = client.get(change).content.decode()
    assert 'name="result"' not in page and 'name="review_state"' not in page  # read-only while approved
    client.post(change, {"measure": measure.pk, "round": "H1", "status": "done", "result": "แก้ในแอดมิน", "review_state": "draft"})
    entry.refresh_from_db()
    assert (entry.review_state, entry.result) == ("approved", "ดำเนินการแล้ว")


def test_measure_history_names_owners_and_steps_in_thai(login, alice, unit_a, plan_a, measure):
    finance = unit_a.departments.get(name="กองคลัง")
    own = unit_a.departments.get(name="สำนักปลัด")
    admin = get_unit_access(alice, unit_a)
    current = Measure.objects.get(pk=measure.pk)
    current.title = "ชื่อใหม่"
    services.save_measure(admin, plan_a, current, {"owners": [own, finance], "indicators": [], "oit_items": []}, ["ขั้น"], measure.version)
    page = login(alice).get(reverse("measures:detail", args=["unit-a", measure.pk])).content.decode()
    assert "“มาตรการ” → “ชื่อใหม่”" in page
    assert "“สำนักปลัด” → “สำนักปลัด, กองคลัง”" in page
    assert "อลิส" in page  # who


def test_admin_shows_the_review_log(client, root, alice, unit_a, measure):
    entry = make_entry(measure, "submitted")
    review.approve_entry(entry, get_unit_access(alice, unit_a), version=entry.version)
    client.force_login(root)
    page = client.get(reverse("admin:measures_progressentry_change", args=[entry.pk])).content.decode()
    assert "อนุมัติแล้ว" in page and "ส่งตรวจแล้ว" in page
