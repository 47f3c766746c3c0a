"""Staff pages (preview, options, publish) and public pages (published versions only)."""

from __future__ import annotations

import hashlib
import io
import json

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ita_portal.text import normalise_text
from measures.models import Round
from reports import columns as report_columns
from reports import data, jobs, public_page, publishing
from reports import render as documents
from reports.models import KINDS_WITH_ROUND, Kind, PublishedReport, PublishJob, ReportSettings
from units.models import Unit
from units.permissions import ADMIN, READ, unit_view


def _round_for(kind: str, round_code: str) -> str:
    if kind not in Kind.values:
        raise Http404
    if kind in KINDS_WITH_ROUND:
        if round_code not in Round.values:
            raise Http404
        return round_code
    return ""


def _years(unit: Unit) -> list[int]:
    """Plan years, and the plan year each assessment serves (its analysis is titled by it)."""
    years = set(unit.plans.values_list("fiscal_year", flat=True))
    years |= {year + 1 for year in unit.assessments.values_list("fiscal_year", flat=True)}
    return sorted(years, reverse=True)


@unit_view(READ)
def index(request, access):
    unit = access.unit
    published = PublishedReport.objects.filter(unit=unit).order_by("-fiscal_year", "kind", "round", "-version")
    return render(
        request,
        "reports/index.html",
        {
            "unit": unit,
            "access": access,
            "years": _years(unit),
            "kinds": Kind.choices,
            "kinds_with_round": [k.value for k in KINDS_WITH_ROUND],
            "rounds": [Round.H1, Round.FY],
            "published": published,
        },
    )


@unit_view(READ)
def preview(request, access, kind, year, round_code="", fmt="html"):
    round_code = _round_for(kind, round_code)
    document = data.build(kind, access.unit, year, round_code)
    if fmt == "pdf":
        from reports.pdf import PdfRenderError

        try:
            pdf, _pages = documents.render_pdf(document)
        except PdfRenderError:
            problems = publishing.unprintable(access.unit, kind, year, round_code)
            message = _("The PDF cannot be drawn: %(problems)s") % {"problems": "; ".join(problems) or _("see the server log")}
            return HttpResponse(message, status=422, content_type="text/plain; charset=utf-8")
        return HttpResponse(pdf, content_type="application/pdf")
    if fmt == "docx":
        response = HttpResponse(
            documents.render_docx(document),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        response["Content-Disposition"] = f'attachment; filename="{access.unit.slug}-{kind}-{year}.docx"'
        return response
    return HttpResponse(documents.render_html(document))


def _lines(text: str) -> list[tuple[int, list[str]]]:
    return [
        (number, [part.strip() for part in line.split("|")])
        for number, line in enumerate((text or "").splitlines(), 1)
        if line.strip()
    ]


def _person_line(step: dict, first: str) -> str:
    position = "//".join(step.get("position", "").splitlines())
    return " | ".join([step.get(first, ""), step.get("rank", ""), step.get("name", ""), position])


def _person(parts: list[str], first: str, number: int) -> dict:
    if len(parts) != 4 or not parts[0]:
        raise forms.ValidationError(
            _("Line %(line)s: write %(first)s | rank | name | position.") % {"line": number, "first": first}
        )
    position = "\n".join(p.strip() for p in parts[3].split("//") if p.strip())
    return {first: parts[0], "rank": parts[1], "name": parts[2], "position": position}


# The options each kind offers (the rest of ReportSettings does not apply to it).
KIND_FIELDS = {
    Kind.RESULTS: {"preset", "columns", "keep_columns", "introduction", "footnote", "signatures"},
    Kind.PLAN: {"preset", "columns", "keep_columns", "introduction", "footnote", "signatures"},
    Kind.OIT: {"preset", "columns", "keep_columns", "introduction", "footnote", "signatures"},
    Kind.ANALYSIS: {"introduction", "title_note", "recommendations", "signatures"},
    Kind.MEMO: {"signatory_rank", "signatory_name", "signatory_position", "memo_office", "memo_reference",
                "memo_date", "memo_subject", "memo_to", "memo_body", "memo_comment_chain"},
}  # fmt: skip
COMMON_FIELDS = {"thai_digits", "abbreviated_dates", "landscape", "table_font_size", "margin_top", "margin_right",
                 "margin_bottom", "margin_left"}  # fmt: skip


class ReportSettingsForm(forms.ModelForm):
    preset = forms.ChoiceField(label=gettext_lazy("column preset"), required=False)
    columns = forms.CharField(
        label=gettext_lazy("columns"), required=False, widget=forms.Textarea(attrs={"rows": 7}),
        help_text=gettext_lazy("One line per column, in order: key | heading. Empty: the preset's columns."),
    )  # fmt: skip
    keep_columns = forms.MultipleChoiceField(
        label=gettext_lazy("columns kept when empty"), required=False, widget=forms.CheckboxSelectMultiple
    )
    signatures = forms.CharField(
        label=gettext_lazy("signature blocks"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "One line per block: label | rank | name | position (// breaks the position line). Empty name: "
            "filled from the review record (ผู้รายงาน, ผู้อนุมัติ or ผู้รับรอง)."
        ),
    )  # fmt: skip
    recommendations = forms.CharField(
        label=gettext_lazy("recommendations per tool"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("One line per tool: IIT | text. Empty: the text generated from the scores."),
    )  # fmt: skip
    memo_comment_chain = forms.CharField(
        label=gettext_lazy("chain of comments"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("One line per person: heading | rank | name | position (// breaks the position line)"),
    )  # fmt: skip

    class Meta:
        model = ReportSettings
        fields = [
            "preset", "columns", "keep_columns", "thai_digits", "abbreviated_dates", "landscape", "table_font_size",
            "margin_top", "margin_right", "margin_bottom", "margin_left", "title_note", "introduction", "footnote",
            "recommendations", "signatures", "signatory_rank", "signatory_name", "signatory_position", "memo_office",
            "memo_reference", "memo_date", "memo_subject", "memo_to", "memo_body", "memo_comment_chain",
        ]  # fmt: skip

    def __init__(self, *args, kind: str, **kwargs):
        from ita_portal.forms import BEDateField

        super().__init__(*args, **kwargs)
        self.kind = kind
        for name in list(self.fields):
            if name not in KIND_FIELDS[kind] | COMMON_FIELDS:
                del self.fields[name]
        self.fields["table_font_size"].required = False
        if "memo_date" in self.fields:
            self.fields["memo_date"] = BEDateField(label=self.fields["memo_date"].label, required=False)
        self._initial_texts()

    def _initial_texts(self):
        instance = self.instance
        if "preset" in self.fields:
            self.fields["preset"].choices = [("", "—"), *report_columns.presets_for(self.kind)]
            available = report_columns.COLUMNS[self.kind]
            self.fields["keep_columns"].choices = [(k, heading) for k, (heading, _w) in available.items()]
            chosen = report_columns.chosen_columns(self.kind, instance.preset, instance.columns, instance.headings)
            # Columns are named by their Thai default headings (the keys stay internal).
            self.initial["columns"] = "\n".join(f"{available[key][0]} | {heading}" for key, heading in chosen)
            names = "; ".join(heading for heading, _w in available.values())
            self.fields["columns"].help_text = f"{self.fields['columns'].help_text} ({names})"
        self.initial["signatures"] = "\n".join(_person_line(b, "label") for b in instance.signatures or [])
        self.initial["memo_comment_chain"] = "\n".join(_person_line(s, "heading") for s in instance.memo_comment_chain or [])
        self.initial["recommendations"] = "\n".join(f"{k} | {v}" for k, v in (instance.recommendations or {}).items())

    def clean_columns(self):
        available = report_columns.COLUMNS[self.kind]
        # A line names its column by the Thai default heading (as shown) or by its internal key.
        by_name = {**{key: key for key in available}, **{heading: key for key, (heading, _w) in available.items()}}
        keys, headings = [], {}
        for number, parts in _lines(self.cleaned_data["columns"]):
            key = by_name.get(parts[0])
            if key is None or key in keys or len(parts) > 2:
                raise forms.ValidationError(
                    _("Line %(line)s: write one of %(keys)s | heading, each key once.")
                    % {"line": number, "keys": "; ".join(heading for heading, _w in available.values())}
                )
            keys.append(key)
            if len(parts) == 2 and parts[1]:
                headings[key] = normalise_text(parts[1])
        self.cleaned_headings = headings
        return keys

    def clean_signatures(self):
        return [_person(parts, "label", number) for number, parts in _lines(self.cleaned_data["signatures"])]

    def clean_memo_comment_chain(self):
        return [_person(parts, "heading", number) for number, parts in _lines(self.cleaned_data["memo_comment_chain"])]

    def clean_recommendations(self):
        result = {}
        for number, parts in _lines(self.cleaned_data["recommendations"]):
            if len(parts) < 2 or parts[0] not in ("IIT", "EIT", "OIT"):
                raise forms.ValidationError(_("Line %(line)s: write IIT, EIT or OIT | text.") % {"line": number})
            result[parts[0]] = normalise_text("|".join(parts[1:]).strip())
        return result

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("table_font_size"):
            cleaned["table_font_size"] = 16
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = normalise_text(value)
        return cleaned

    def save(self, commit=True):
        if "columns" in self.fields:
            self.instance.headings = getattr(self, "cleaned_headings", {})
        return super().save(commit)


@unit_view(ADMIN)
@require_http_methods(["GET", "POST"])
def edit_settings(request, access, kind, year, round_code=""):
    round_code = _round_for(kind, round_code)
    instance = data.settings_for(access.unit, kind, year, round_code)
    if not instance.introduction and kind == Kind.RESULTS:
        instance.introduction = data.default_results_introduction(access.unit, year, data.options_from(instance))
    form = ReportSettingsForm(request.POST or None, instance=instance, kind=kind)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The report settings were saved."))
        return redirect("reports:publish", *(_report_args(access.unit, kind, year, round_code)))
    return render(
        request,
        "reports/settings.html",
        {"unit": access.unit, "form": form, "kind": kind, "kind_label": Kind(kind).label, "year": year, "round": round_code},
    )


def _report_args(unit, kind, year, round_code):
    return [unit.slug, kind, year] + ([round_code] if round_code else [])


@unit_view(ADMIN)
@require_http_methods(["GET", "POST"])
def publish(request, access, kind, year, round_code=""):
    round_code = _round_for(kind, round_code)
    unit = access.unit
    check = publishing.check_completeness(unit, kind, year, round_code)
    if request.method == "POST":
        if check.ok:
            _job, created = jobs.queue(unit, kind, year, round_code, request.user)
            if not created:
                messages.info(request, _("This report is already being published: its state is shown below."))
            return redirect("reports:publish", *_report_args(unit, kind, year, round_code))
        messages.error(request, _("The report cannot be published yet: fix the problems below."))
    versions = PublishedReport.objects.filter(unit=unit, kind=kind, fiscal_year=year, round=round_code)
    recent = list(PublishJob.objects.filter(unit=unit, kind=kind, fiscal_year=year, round=round_code).select_related("report")[:5])
    return render(
        request,
        "reports/publish.html",
        {
            "unit": unit,
            "check": check,
            "kind": kind,
            "kind_label": Kind(kind).label,
            "year": year,
            "round": round_code,
            "args": _report_args(unit, kind, year, round_code)[1:],
            "versions": versions.order_by("-version"),
            "jobs": recent,
            # While a job is queued or rendering the page reloads itself (a meta refresh: no script).
            "refresh_seconds": 3 if any(job.pending for job in recent) else None,
        },
    )


# --- public pages: published versions only, no login ------------------------------------------------


def public_unit(request, slug):
    unit = get_object_or_404(Unit, slug=slug, is_active=True)
    published = list(unit.published_reports.order_by("-fiscal_year", "kind", "round", "-version"))
    latest = public_page.latest_pks(published)
    for report in published:
        report.is_latest = report.pk in latest
        report.stable_url = request.build_absolute_uri(public_page.stable_path(report)) if report.is_latest else ""
    return render(request, "reports/public_unit.html", {"unit": unit, "published": published})


# A published version never changes: browsers and proxies may keep it for a year. The stable "latest"
# addresses move when a new version is published: kept a few minutes, then revalidated by ETag.
IMMUTABLE = "public, max-age=31536000, immutable"
LATEST = "public, max-age=300"


def _etag_matches(request, etag: str) -> bool:
    header = request.headers.get("If-None-Match", "")
    return header.strip() == "*" or etag in [tag.strip() for tag in header.split(",")]


def _serve(request, report: PublishedReport, fmt: str, cache_control: str):
    field = {"html": report.html, "pdf": report.pdf, "json": report.json}[fmt]
    if not field:
        raise Http404
    content = None
    if fmt == "pdf" and report.checksum:
        digest = report.checksum  # the SHA-256 of the PDF, taken when it was published
    else:
        with field.open("rb") as handle:
            content = handle.read()
        digest = hashlib.sha256(content).hexdigest()
    etag = f'"{digest}"'  # strong: the bytes' SHA-256
    if _etag_matches(request, etag):
        response = HttpResponseNotModified()
    else:
        content_type = {"html": "text/html; charset=utf-8", "pdf": "application/pdf", "json": "application/json"}[fmt]
        response = FileResponse(io.BytesIO(content) if content is not None else field.open("rb"), content_type=content_type)
        if fmt == "pdf":
            response["Content-Disposition"] = (
                f'inline; filename="{report.unit.slug}-{report.kind}-{report.fiscal_year}'
                f'{"-" + report.round if report.round else ""}-v{report.version}.pdf"'
            )
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    return response


def public_version(request, slug, pk, fmt="html"):
    # A deactivated unit publishes nothing: every public address of it answers 404.
    report = get_object_or_404(PublishedReport.objects.select_related("unit"), pk=pk, unit__slug=slug, unit__is_active=True)
    if fmt == "html" and report.html:
        return _with_header(request, report)
    if fmt == "document":
        return _serve(request, report, "html", IMMUTABLE)
    return _serve(request, report, fmt, IMMUTABLE)


def public_latest(request, slug, year, kind, round_code="", fmt="html"):
    round_code = _round_for(kind, round_code)
    report = (
        PublishedReport.objects.select_related("unit")
        .filter(unit__slug=slug, unit__is_active=True, fiscal_year=year, kind=kind, round=round_code)
        .order_by("-version")
        .first()
    )
    if report is None:
        raise Http404
    if fmt == "html" and report.html:
        return _with_header(request, report)
    return _serve(request, report, fmt, LATEST)


def _with_header(request, report):
    """The frozen HTML behind the public header (reports.public_page). The header says whether a newer
    version exists, so the page is kept as briefly as the "latest" addresses, not for a year; the frozen
    document inside it is unchanged (its PDF and JSON keep their year-long caching)."""
    response = public_page.with_header(request, report)
    body = b"".join(response.streaming_content)
    etag = f'"{hashlib.sha256(body).hexdigest()}"'  # strong: the bytes' SHA-256, header included
    if _etag_matches(request, etag):
        response = HttpResponseNotModified()
    else:
        response.streaming_content = [body]
    response["ETag"] = etag
    response["Cache-Control"] = LATEST
    return response


def _published_only(document: dict, published: set[tuple[str, str]]) -> dict:
    """Keep only what the year's published reports show: entries of rounds whose results report was
    published, OIT item progress when an OIT report was, the ITA result when the analysis was, measures
    when the plan or a results report was."""
    kinds = {kind for kind, _round in published}
    result_rounds = {round_code for kind, round_code in published if kind == Kind.RESULTS}
    if Kind.ANALYSIS not in kinds:
        document["assessments"] = []
    for plan in document.get("plans", []):
        if Kind.OIT not in kinds:
            plan["oit_items"] = []
        if not kinds & {Kind.PLAN, Kind.RESULTS}:
            plan["measures"] = []
        for measure in plan.get("measures", []):
            measure["progress"] = [entry for entry in measure.get("progress", []) if entry.get("round") in result_rounds]
    return document


def open_data(request, slug, year):
    """The unit-year document as frozen in the latest published version of that year, holding only what
    the published reports show."""
    reports = PublishedReport.objects.filter(unit__slug=slug, unit__is_active=True, fiscal_year=year)
    report = reports.order_by("-published_at", "-pk").first()
    if report is None:
        raise Http404
    with report.json.open("rb") as handle:
        document = json.loads(handle.read())
    document = _published_only(document, set(reports.values_list("kind", "round").distinct()))
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})
    etag = f'"{hashlib.sha256(response.content).hexdigest()}"'
    if _etag_matches(request, etag):
        response = HttpResponseNotModified()
    response["ETag"] = etag
    response["Cache-Control"] = LATEST  # moves with the next version published that year
    return response
