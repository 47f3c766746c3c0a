"""Staff pages of plans, measures and progress: each parses a form, calls one service function
(measures/services.py, measures/review.py) and renders. Access is decided by units.permissions only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ita_portal.exports import FORMATS as EXPORT_FORMATS
from ita_portal.exports import table_export
from ita_portal.params import YEAR_BOUNDS, parse_int
from ita_portal.tables import configure_table
from measures import history, published, review, services
from measures.filters import MeasureFilter
from measures.forms import (
    MeasureForm,
    OitProgressForm,
    ProgressEntryForm,
    ReviewForm,
    RoundDueForm,
    StepFormSet,
)
from measures.models import EvidenceFile, Measure, OitProgress, Plan, ProgressEntry, Round, RoundDue
from measures.status import Status, with_current_status
from measures.tables import MeasureTable
from units.permissions import ADMIN, EDIT, READ, Action, require, unit_view

# Evidence shown inline in the measure page (through evidence_download, which checks the reader's access).
PREVIEW_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
CONFLICT = 409  # the page someone else changed meanwhile: shown with what they changed, nothing saved


def _keep_typed_data(form, conflict):
    """The form keeps what this person typed; saving it again now overwrites the other change knowingly."""
    form.data = form.data.copy()
    form.data[form.add_prefix("version")] = conflict.current.version or ""
    return conflict


def _plan(access, year) -> Plan:
    return get_object_or_404(Plan.objects.select_related("framework", "unit"), unit=access.unit, fiscal_year=year)


def _measure(access, pk) -> Measure:
    return get_object_or_404(Measure.objects.select_related("plan__unit", "plan__framework"), pk=pk, plan__unit=access.unit)


def _owner_ids(measure) -> list[int]:
    return list(measure.owners.values_list("id", flat=True))


@unit_view(READ)
def plan_list(request, access):
    plans = Plan.objects.filter(unit=access.unit).annotate(measure_count=Count("measures")).order_by("-fiscal_year")
    return render(request, "measures/plan_list.html", {"unit": access.unit, "access": access, "plans": plans})


@unit_view(ADMIN)
@require_POST
def plan_create(request, access):
    year = parse_int(request.POST.get("fiscal_year"), **YEAR_BOUNDS, default=0)
    try:
        plan = services.create_plan(access, year)
    except services.FrameworkMissing as exc:
        messages.error(request, str(exc))
        return redirect("measures:plans", access.unit.slug)
    return redirect("measures:plan", access.unit.slug, plan.fiscal_year)


@unit_view(READ)
def plan_detail(request, access, year):
    plan = _plan(access, year)
    base = with_current_status(
        Measure.objects.filter(plan=plan).select_related("plan__unit").prefetch_related(
            "owners", Prefetch("entries", queryset=ProgressEntry.objects.order_by("round"))
        )
    )
    measure_filter = MeasureFilter(request.GET or None, queryset=base, unit=access.unit)
    measures = measure_filter.qs.distinct()
    totals = {row["current_status"]: row["n"] for row in with_current_status(Measure.objects.filter(plan=plan)).values("current_status").annotate(n=Count("id")).order_by()}
    table = MeasureTable(measures, round_code=measure_filter.round_code, today=timezone.localdate())
    configure_table(request, table, per_page=100)
    export_format = request.GET.get("_export")
    if export_format in EXPORT_FORMATS:
        return table_export(table, export_format, f"{access.unit.slug}-plan-{year}")
    returned = ProgressEntry.objects.filter(measure__plan=plan, review_state=ProgressEntry.Review.RETURNED).select_related("measure")
    return render(
        request,
        "measures/plan_detail.html",
        {
            "unit": access.unit, "access": access, "plan": plan, "table": table, "filter": measure_filter,
            "totals": [(s.label, totals.get(s.value, 0), s.value) for s in Status], "returned": returned,
            "rounds": [Round.H1, Round.FY], "can_edit_plan": access.may(Action.EDIT_PLAN),
        },
    )


@unit_view(ADMIN)
def plan_copy(request, access, year):
    """GET: what copying to the next year would create; POST: copy (administrators)."""
    plan = _plan(access, year)
    preview = services.copy_preview(plan)
    if request.method == "POST":
        try:
            new_plan = services.copy_plan_to_next_year(plan, access)
        except ValueError as exc:
            messages.error(request, str(exc))
            return redirect("measures:plan", access.unit.slug, year)
        messages.success(request, _("The plan was copied to %(year)s.") % {"year": new_plan.fiscal_year})
        return redirect("measures:plan", access.unit.slug, new_plan.fiscal_year)
    return render(request, "measures/plan_copy.html", {"unit": access.unit, "access": access, "plan": plan, "preview": preview})


def _step_texts(formset) -> list[str]:
    ordered = sorted(
        (form for form in formset.forms if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("text", "").strip()),
        key=lambda form: (form.cleaned_data.get("ORDER") or 10_000, formset.forms.index(form)),
    )
    return [form.cleaned_data["text"] for form in ordered]


def _save_measure_form(access, plan, measure, form, steps):
    """Returns the saved measure, or the Conflict to show (the form then carries the errors)."""
    item = form.save(commit=False)
    m2m = {name: form.cleaned_data[name] for name in ("owners", "indicators", "oit_items")}
    try:
        return services.save_measure(access, plan, item, m2m, _step_texts(steps), form.cleaned_data.get("version")), None
    except services.Refused as exc:
        form.add_error("owners", exc.message)
    except services.Conflict as exc:
        form.add_error(None, _("Someone else changed this measure (or its steps) after you opened it: compare below and save again to replace it."))
        return None, _keep_typed_data(form, exc)
    return None, None


@unit_view(EDIT)
def measure_edit(request, access, year=None, pk=None):
    measure = _measure(access, pk) if pk else None
    plan = measure.plan if measure else _plan(access, year)
    if measure is None:
        require(access, Action.EDIT_PLAN)
    else:
        require(access, Action.EDIT_MEASURE, _owner_ids(measure))
    form = MeasureForm(request.POST or None, instance=measure, plan=plan)
    steps = StepFormSet(request.POST or None, instance=measure or Measure(plan=plan), prefix="steps")
    conflict = None
    if request.method == "POST" and form.is_valid() and steps.is_valid():
        saved, conflict = _save_measure_form(access, plan, measure, form, steps)
        if saved is not None:
            messages.success(request, _("Measure %(number)s was saved.") % {"number": saved.number})
            return redirect("measures:detail", access.unit.slug, saved.pk)
    return render(
        request,
        "measures/measure_form.html",
        {"unit": access.unit, "plan": plan, "measure": measure, "form": form, "steps": steps, "conflict": conflict},
        status=CONFLICT if conflict else 200,
    )


def _round_cards(access, measure, owners):
    entries = {e.round: e for e in measure.entries.prefetch_related("links", "files", "review_events__by")}
    cards = []
    for code in (Round.H1, Round.FY, Round.Q1, Round.Q2, Round.Q3, Round.Q4):
        entry = entries.get(code)
        if entry is None and code not in (Round.H1, Round.FY):
            continue
        actions = review.allowed_actions(entry, access, owners) if entry else []
        cards.append({"code": code, "entry": entry, "actions": actions})
    return cards, entries


@unit_view(READ)
def measure_detail(request, access, pk):
    measure = _measure(access, pk)
    owners = _owner_ids(measure)
    cards, entries = _round_cards(access, measure, owners)
    changes = history.timeline(measure, title=_("Measure"))
    for code, entry in entries.items():
        changes += history.timeline(entry, title=Round(code).label)
    changes.sort(key=lambda item: item["record"].history_date, reverse=True)
    return render(
        request,
        "measures/measure_detail.html",
        {
            "unit": access.unit, "access": access, "measure": measure, "plan": measure.plan,
            "steps": measure.steps.all(), "owners": measure.owners.all(), "indicators": measure.indicators.all(),
            "rounds": cards, "can_edit": access.may(Action.EDIT_MEASURE, owners),
            "can_report": access.may(Action.REPORT, owners), "history": changes, "preview_types": PREVIEW_TYPES,
        },
    )


def _entry_values(form) -> dict:
    return {name: form.cleaned_data[name] for name in services.ENTRY_FIELDS}


def _save_entry_form(request, access, measure, round_code, form):
    """Returns (saved entry, conflict); errors go onto the form."""
    try:
        entry = services.save_entry(
            access, measure, round_code, _entry_values(form), form.cleaned_data.get("version"),
            links=form.cleaned_data["links"], files=form.cleaned_data["files"], submit="submit" in request.POST,
        )
        return entry, None
    except services.Conflict as exc:
        return None, _keep_typed_data(form, exc)
    except services.Refused as exc:
        form.add_error(None, exc.message)
    except services.Stale as exc:
        form.add_error(None, _("The entry changed while it was being submitted: check it and submit again."))
        return None, _keep_typed_data(form, services.Conflict(exc.current, []))
    except services.StorageFailed:
        form.add_error("files", _("Evidence files: the file could not be stored. Nothing was saved; please try again."))
    return None, None


@unit_view(EDIT)
def entry_edit(request, access, pk, round_code):
    measure = _measure(access, pk)
    if round_code not in Round.values:
        raise Http404
    require(access, Action.REPORT, _owner_ids(measure))
    entry = ProgressEntry.objects.filter(measure=measure, round=round_code).select_related("measure__plan").first()
    form = ProgressEntryForm(request.POST or None, request.FILES or None, instance=entry, plan=measure.plan,
                             submitting="submit" in request.POST)
    conflict = None
    if request.method == "POST" and form.is_valid():
        saved, conflict = _save_entry_form(request, access, measure, round_code, form)
        if saved is not None:
            messages.success(request, _("The progress was saved."))
            return redirect("measures:detail", access.unit.slug, measure.pk)
    return render(
        request,
        "measures/entry_form.html",
        {"unit": access.unit, "measure": measure, "entry": entry, "form": form, "round": Round(round_code),
         "conflict": conflict, "published": published.versions_showing(entry) if entry else [],
         "locked": entry is not None and entry.review_state not in services.EDITABLE},
        status=CONFLICT if conflict else 200,
    )


# action in the URL → (service function, the name of its comment argument)
TRANSITIONS = {
    "submit": (services.submit_entry, "comment"),
    "approve": (services.approve_entry, "comment"),
    "return": (services.return_entry, "comment"),
    "reopen": (services.reopen_entry, "reason"),
}


# What the page says after each transition (functions: translated when the request's language is active).
DONE_MESSAGES = {
    "submit": lambda: _("%(round)s of measure %(number)s was submitted for approval."),
    "approve": lambda: _("%(round)s of measure %(number)s was approved."),
    "return": lambda: _("%(round)s of measure %(number)s was returned for correction."),
    "reopen": lambda: _("%(round)s of measure %(number)s was reopened for correction."),
}


@unit_view(EDIT)
@require_POST
def entry_review(request, access, pk, round_code, action):
    if action not in TRANSITIONS:
        raise Http404
    measure = _measure(access, pk)
    entry = get_object_or_404(ProgressEntry, measure=measure, round=round_code)
    form = ReviewForm(request.POST)
    form.is_valid()  # both fields are optional: the service judges the version and the comment
    data = form.cleaned_data
    function, comment = TRANSITIONS[action]
    try:
        function(entry, access, version=data.get("version"), **{comment: data.get("comment", "")})
        names = {"round": Round(entry.round).label, "number": measure.number}
        messages.success(request, DONE_MESSAGES[action]() % names)
    except review.Refused as exc:
        if exc.forbidden:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    except review.Stale as exc:
        return render(request, "measures/entry_stale.html",
                      {"unit": access.unit, "measure": measure, "entry": exc.current, "action": action},
                      status=CONFLICT)
    return redirect("measures:detail", access.unit.slug, measure.pk)


@unit_view(READ)
def evidence_download(request, access, pk):
    evidence = get_object_or_404(EvidenceFile.objects.select_related("entry__measure__plan"), pk=pk, entry__measure__plan__unit=access.unit)
    # Images are shown in the measure page (?inline=1); everything else, and any other request, downloads.
    inline = request.GET.get("inline") == "1" and evidence.content_type in PREVIEW_TYPES
    return FileResponse(
        evidence.file.open("rb"), content_type=evidence.content_type, as_attachment=not inline, filename=evidence.original_name
    )


def _oit_forms(request, access, plan):
    items = list(plan.framework.oit_items.select_related("sub_indicator").order_by("order")) if plan.framework else []
    rows = {row.item_id: row for row in OitProgress.objects.filter(plan=plan).prefetch_related("owners")}
    departments = access.unit.departments.order_by("order", "name")
    forms_by_item = []
    for item in items:
        row = rows.get(item.pk)
        initial = {"status": row.status, "note": row.note, "url": row.url, "owners": list(row.owners.all()), "version": row.version} if row else {"status": "not_started"}
        # Only the rows the page sent are bound: a partial post leaves the other items as they are.
        data = request.POST if f"{item.code}-status" in request.POST else None
        form = OitProgressForm(data, prefix=item.code, initial=initial, departments=departments, item=item)
        owner_ids = [d.id for d in row.owners.all()] if row else []
        allowed = access.may(Action.REPORT, owner_ids)
        forms_by_item.append((item, form, allowed, row))
    return forms_by_item


@unit_view(READ)
def oit_progress(request, access, year):
    """Progress on each OIT item of the plan year's framework (seed 004's table), with a version per row."""
    plan = _plan(access, year)
    forms_by_item = _oit_forms(request, access, plan)
    conflicts = []
    if request.method == "POST":
        if not access.can_edit:
            raise PermissionDenied
        editable = [(item, form) for item, form, allowed, _row in forms_by_item if allowed and form.is_bound]
        if all(form.is_valid() for _item, form in editable):
            changed = [(item, form.cleaned_data, form.cleaned_data.get("version")) for item, form in editable if form.has_changed()]
            try:
                services.save_oit_rows(access, plan, changed)
                messages.success(request, _("The OIT item progress was saved."))
                return redirect("measures:oit", access.unit.slug, year)
            except services.OitConflicts as exc:
                forms = {item.pk: form for item, form in editable}
                conflicts = [(item, _keep_typed_data(forms[item.pk], conflict)) for item, conflict in exc.rows]
    rows = [(item, form, allowed) for item, form, allowed, _row in forms_by_item]
    return render(
        request, "measures/oit_progress.html",
        {"unit": access.unit, "access": access, "plan": plan, "rows": rows, "conflicts": conflicts},
        status=CONFLICT if conflicts else 200,
    )


@unit_view(READ)
def oit_history(request, access, year):
    """Field-level changes of the plan's OIT item progress, newest first."""
    plan = _plan(access, year)
    changes = []
    for row in OitProgress.objects.filter(plan=plan).select_related("item"):
        changes += history.timeline(row, title=row.item.code)
    changes.sort(key=lambda item: item["record"].history_date, reverse=True)
    return render(request, "measures/oit_history.html", {"unit": access.unit, "plan": plan, "history": changes})


@unit_view(ADMIN)
def round_dues(request, access, year):
    """The unit's own due dates for the year's 6- and 12-month reports (the dashboards count lateness
    from them)."""
    plan = _plan(access, year)
    dues = RoundDue.objects.filter(unit=access.unit, fiscal_year=year)
    form = RoundDueForm(request.POST or None, fiscal_year=year, current=dict(dues.values_list("round", "due_date")))
    if request.method == "POST" and form.is_valid():
        services.save_round_dues(access, year, {code: form.cleaned_data[code] for code in form.ROUNDS})
        messages.success(request, _("The due dates were saved."))
        return redirect("measures:plan", access.unit.slug, year)
    return render(request, "measures/round_dues.html", {"unit": access.unit, "access": access, "plan": plan, "form": form})
