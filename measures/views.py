"""Staff pages of plans, measures and progress. Access is decided by units.permissions only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2.export import TableExport

from ita_portal.tables import configure_table
from measures import services
from measures.filters import MeasureFilter
from measures.forms import MeasureForm, ProgressEntryForm, ReturnForm, RoundDueForm, StepFormSet
from measures.models import (
    EvidenceFile,
    EvidenceLink,
    Measure,
    MeasureStep,
    Plan,
    ProgressEntry,
    Round,
    RoundDue,
    Status,
)
from measures.status import with_current_status
from measures.tables import MeasureTable
from units.permissions import ADMIN, EDIT, READ, unit_view

# Evidence shown inline in the measure page (through evidence_download, which checks the reader's access).
PREVIEW_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
MEASURE_FIELDS = ["number", "title", "issue", "owner_text", "start", "end", "period_text", "expected_outcome", "follow_up"]
ENTRY_FIELDS = ["status", "percent", "result", "outcome", "problems", "suggestions", "reported_on"]


def _keep_typed_data(form, conflict):
    """The form keeps what this person typed; saving it again now overwrites the other change knowingly."""
    form.data = form.data.copy()
    form.data["version"] = conflict.current.version
    return conflict


def _plan(access, year) -> Plan:
    return get_object_or_404(Plan.objects.select_related("framework", "unit"), unit=access.unit, fiscal_year=year)


def _measure(access, pk) -> Measure:
    return get_object_or_404(Measure.objects.select_related("plan__unit", "plan__framework"), pk=pk, plan__unit=access.unit)


def _require_owner(access, measure):
    if not access.can_edit_owned_by(measure.owners.values_list("id", flat=True)):
        raise PermissionDenied


@unit_view(READ)
def plan_list(request, access):
    plans = Plan.objects.filter(unit=access.unit).annotate(measure_count=Count("measures")).order_by("-fiscal_year")
    return render(request, "measures/plan_list.html", {"unit": access.unit, "access": access, "plans": plans})


@unit_view(EDIT)
@require_POST
def plan_create(request, access):
    from assessments.models import Framework

    try:
        year = int(request.POST.get("fiscal_year", ""))
    except ValueError:
        year = 0
    framework = Framework.objects.filter(fiscal_year=year).first()
    if framework is None:
        messages.error(request, _("Fiscal year: there is no ITA framework for %(year)s.") % {"year": year or "-"})
        return redirect("measures:plans", access.unit.slug)
    plan, _created = Plan.objects.get_or_create(
        unit=access.unit, fiscal_year=year, defaults={"framework": framework, "based_on_assessment": year - 1}
    )
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
    if TableExport.is_valid_format(export_format):
        return TableExport(export_format, table).response(f"{access.unit.slug}-plan-{year}.{export_format}")
    returned = ProgressEntry.objects.filter(measure__plan=plan, review_state=ProgressEntry.Review.RETURNED).select_related("measure")
    return render(
        request,
        "measures/plan_detail.html",
        {
            "unit": access.unit, "access": access, "plan": plan, "table": table, "filter": measure_filter,
            "totals": [(s.label, totals.get(s.value, 0), s.value) for s in Status], "returned": returned,
            "rounds": [Round.H1, Round.FY],
        },
    )


@unit_view(EDIT)
def plan_copy(request, access, year):
    plan = _plan(access, year)
    if request.method != "POST":
        raise Http404
    try:
        new_plan = services.copy_plan_to_next_year(plan)
    except ValueError:
        messages.error(request, _("The plan of %(year)s exists already.") % {"year": year + 1})
        return redirect("measures:plan", access.unit.slug, year)
    messages.success(request, _("The plan was copied to %(year)s.") % {"year": new_plan.fiscal_year})
    return redirect("measures:plan", access.unit.slug, new_plan.fiscal_year)


def _save_steps(formset, measure):
    ordered = sorted(
        (form for form in formset.forms if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("text", "").strip()),
        key=lambda form: (form.cleaned_data.get("ORDER") or 10_000, formset.forms.index(form)),
    )
    measure.steps.all().delete()
    MeasureStep.objects.bulk_create(
        MeasureStep(measure=measure, order=i, text=form.cleaned_data["text"].strip()) for i, form in enumerate(ordered)
    )


@unit_view(EDIT)
def measure_edit(request, access, year=None, pk=None):
    measure = _measure(access, pk) if pk else None
    plan = measure.plan if measure else _plan(access, year)
    if measure is not None:
        _require_owner(access, measure)
    form = MeasureForm(request.POST or None, instance=measure, plan=plan)
    steps = StepFormSet(request.POST or None, instance=measure or Measure(plan=plan), prefix="steps")
    conflict = None
    if request.method == "POST" and form.is_valid() and steps.is_valid():
        owners = [d.id for d in form.cleaned_data["owners"]]
        if access.is_limited and not access.can_edit_owned_by(owners):
            form.add_error("owners", _("Responsible departments: choose at least one of your own departments."))
        else:
            try:
                with transaction.atomic():
                    item = form.save(commit=False)
                    item.plan = plan
                    if measure is None:
                        item.save()
                    else:
                        services.save_versioned(item, form.cleaned_data.get("version") or 0, MEASURE_FIELDS)
                    form.save_m2m()
                    _save_steps(steps, item)
                messages.success(request, _("Measure %(number)s was saved.") % {"number": item.number})
                return redirect("measures:detail", access.unit.slug, item.pk)
            except services.Conflict as exc:
                conflict = _keep_typed_data(form, exc)
    return render(
        request,
        "measures/measure_form.html",
        {"unit": access.unit, "plan": plan, "measure": measure, "form": form, "steps": steps, "conflict": conflict},
    )


@unit_view(READ)
def measure_detail(request, access, pk):
    measure = _measure(access, pk)
    entries = {e.round: e for e in measure.entries.prefetch_related("links", "files", "review_events__by")}
    history = []
    for record in measure.history.select_related("history_user").order_by("-history_date")[:50]:
        previous = record.prev_record
        changes = record.diff_against(previous).changes if previous else []
        history.append({"record": record, "changes": changes})
    return render(
        request,
        "measures/measure_detail.html",
        {
            "unit": access.unit, "access": access, "measure": measure, "plan": measure.plan,
            "steps": measure.steps.all(), "owners": measure.owners.all(), "indicators": measure.indicators.all(),
            "rounds": [(code, entries.get(code)) for code in (Round.H1, Round.FY, Round.Q1, Round.Q2, Round.Q3, Round.Q4)
                       if code in (Round.H1, Round.FY) or code in entries],
            "can_edit": access.can_edit_owned_by(measure.owners.values_list("id", flat=True)),
            "history": history,
            "preview_types": PREVIEW_TYPES,
        },
    )


@unit_view(EDIT)
def entry_edit(request, access, pk, round_code):
    measure = _measure(access, pk)
    if round_code not in Round.values:
        raise Http404
    _require_owner(access, measure)
    entry = ProgressEntry.objects.filter(measure=measure, round=round_code).first()
    form = ProgressEntryForm(request.POST or None, request.FILES or None, instance=entry)
    conflict = None
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        item.measure, item.round = measure, round_code
        item.reported_by = request.user
        if item.percent is None and item.status == Status.DONE:
            item.percent = 100
        # Any change by the reporter needs a new review.
        item.review_state = ProgressEntry.Review.DRAFT

        def save_evidence(saved):
            saved.links.all().delete()
            EvidenceLink.objects.bulk_create(EvidenceLink(entry=saved, url=url, order=i) for i, url in enumerate(form.cleaned_data["links"]))
            for upload in form.cleaned_data["files"]:
                EvidenceFile.objects.create(
                    entry=saved, file=upload, original_name=upload.name[:255], content_type=upload.detected_type,
                    size=upload.size, uploaded_by=request.user,
                )

        try:
            with transaction.atomic():
                if entry is None:
                    item.save()
                    save_evidence(item)
                else:
                    services.save_versioned(
                        item, form.cleaned_data.get("version") or 0,
                        ENTRY_FIELDS, save_evidence,
                    )
                if "submit" in request.POST:
                    services.submit_entry(item, request.user)
            messages.success(request, _("The progress was saved."))
            return redirect("measures:detail", access.unit.slug, measure.pk)
        except services.Conflict as exc:
            conflict = _keep_typed_data(form, exc)
    return render(
        request,
        "measures/entry_form.html",
        {"unit": access.unit, "measure": measure, "entry": entry, "form": form, "round": Round(round_code), "conflict": conflict},
    )


def _entry_names(entry) -> dict:
    return {"round": Round(entry.round).label, "number": entry.measure.number}


@unit_view(EDIT)
@require_POST
def entry_review(request, access, pk, round_code, action):
    measure = _measure(access, pk)
    entry = get_object_or_404(ProgressEntry, measure=measure, round=round_code)
    if action == "submit":
        _require_owner(access, measure)
        services.submit_entry(entry, request.user)
        messages.success(request, _("%(round)s of measure %(number)s was submitted for approval.") % _entry_names(entry))
    elif action in ("approve", "return"):
        if not access.can_admin:
            raise PermissionDenied
        if action == "approve":
            services.approve_entry(entry, request.user)
            messages.success(request, _("%(round)s of measure %(number)s was approved.") % _entry_names(entry))
        else:
            form = ReturnForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Why it is returned: please write a comment."))
                return redirect("measures:detail", access.unit.slug, measure.pk)
            services.return_entry(entry, request.user, form.cleaned_data["comment"])
            messages.success(request, _("%(round)s of measure %(number)s was returned for correction.") % _entry_names(entry))
    else:
        raise Http404
    return redirect("measures:detail", access.unit.slug, measure.pk)


@unit_view(READ)
def evidence_download(request, access, pk):
    evidence = get_object_or_404(EvidenceFile.objects.select_related("entry__measure__plan"), pk=pk, entry__measure__plan__unit=access.unit)
    # Images are shown in the measure page (?inline=1); everything else, and any other request, downloads.
    inline = request.GET.get("inline") == "1" and evidence.content_type in PREVIEW_TYPES
    return FileResponse(
        evidence.file.open("rb"), content_type=evidence.content_type, as_attachment=not inline, filename=evidence.original_name
    )




@unit_view(READ)
def oit_progress(request, access, year):
    """Progress on each OIT item of the plan year's framework (seed 004's table)."""
    from measures.forms import OitProgressForm
    from measures.models import OitProgress

    plan = _plan(access, year)
    items = list(plan.framework.oit_items.select_related("sub_indicator").order_by("order")) if plan.framework else []
    rows = {row.item_id: row for row in OitProgress.objects.filter(plan=plan).prefetch_related("owners")}
    departments = access.unit.departments.order_by("order", "name")
    forms_by_item = []
    for item in items:
        row = rows.get(item.pk)
        initial = {"status": row.status, "note": row.note, "url": row.url, "owners": list(row.owners.all())} if row else {"status": "not_started"}
        # Only the rows the page sent are bound: a partial post leaves the other items as they are.
        data = request.POST if f"{item.code}-status" in request.POST else None
        form = OitProgressForm(data, prefix=item.code, initial=initial, departments=departments, item=item)
        owner_ids = [d.id for d in row.owners.all()] if row else []
        forms_by_item.append((item, form, access.can_edit_owned_by(owner_ids) if access.is_limited else access.can_edit))
    if request.method == "POST":
        if not access.can_edit:
            raise PermissionDenied
        editable = [(item, form) for item, form, allowed in forms_by_item if allowed and form.is_bound]
        if all(form.is_valid() for _item, form in editable):
            with transaction.atomic():
                for item, form in editable:
                    if not form.has_changed():
                        continue
                    row, _created = OitProgress.objects.update_or_create(
                        plan=plan, item=item,
                        defaults={"status": form.cleaned_data["status"], "note": form.cleaned_data["note"], "url": form.cleaned_data["url"], "order": item.order},
                    )
                    row.owners.set(form.cleaned_data["owners"])
            messages.success(request, _("The OIT item progress was saved."))
            return redirect("measures:oit", access.unit.slug, year)
    return render(request, "measures/oit_progress.html", {"unit": access.unit, "access": access, "plan": plan, "rows": forms_by_item})


@unit_view(ADMIN)
def round_dues(request, access, year):
    """The unit's own due dates for the year's 6- and 12-month reports (the dashboards count lateness
    from them)."""
    plan = _plan(access, year)
    dues = RoundDue.objects.filter(unit=access.unit, fiscal_year=year)
    form = RoundDueForm(request.POST or None, fiscal_year=year, current=dict(dues.values_list("round", "due_date")))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            for code in form.ROUNDS:
                due = form.cleaned_data[code]
                if due is None:
                    for row in dues.filter(round=code):
                        row.delete()  # one by one, so that the dashboards' figures follow (signals)
                else:
                    RoundDue.objects.update_or_create(
                        unit=access.unit, fiscal_year=year, round=code, defaults={"due_date": due}
                    )
        messages.success(request, _("The due dates were saved."))
        return redirect("measures:plan", access.unit.slug, year)
    return render(request, "measures/round_dues.html", {"unit": access.unit, "access": access, "plan": plan, "form": form})
