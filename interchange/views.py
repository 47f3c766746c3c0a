"""Upload a unit-year file (preview, then confirm) and download a unit's export."""

import json
import logging
import re

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import Assessment
from interchange.exporter import build_document
from interchange.importer import import_document, parse, validate_document
from interchange.schema import DocumentError
from ita_portal.converters import FiscalYearConverter
from measures.models import Plan
from units.permissions import ADMIN, READ, unit_view

SESSION_KEY = "interchange-upload"
logger = logging.getLogger(__name__)


def import_message(summary) -> str:
    """The import's result in Thai for the page (ImportSummary.line() is the English line of the logs)."""
    years = ", ".join(map(str, sorted(set(summary.years)))) or "-"
    text = _("Imported fiscal years %(years)s: %(measures)s measures, %(entries)s progress entries.") % {
        "years": years, "measures": summary.measures, "entries": summary.entries,
    }  # fmt: skip
    if summary.replaced:
        text += " " + _("Replaced the data of %(years)s.") % {"years": ", ".join(map(str, summary.replaced))}
    return text


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Unit-year file (JSON)"))
    replace = forms.BooleanField(label=gettext_lazy("Replace years that exist already"), required=False)


@unit_view(ADMIN)
def upload(request, access):
    unit = access.unit
    form = UploadForm(request.POST or None, request.FILES or None)
    preview = error = None
    if request.method == "POST" and "confirm" in request.POST:
        stored = request.session.get(SESSION_KEY)
        if not stored or stored["unit"] != unit.slug:
            messages.error(request, _("Upload the file again: the preview has expired."))
            return redirect("interchange:upload", unit.slug)
        try:
            summary = import_document(
                parse(stored["data"].encode()), replace=stored["replace"], expected_slug=unit.slug, user=request.user
            )
        except DocumentError as exc:
            error = exc
        else:
            del request.session[SESSION_KEY]
            logger.info("import by %s: %s", request.user, summary.line())  # the English line stays in the logs
            messages.success(request, import_message(summary))
            return redirect("units:detail", unit.slug)
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            document = parse(data)
            validate_document(document)
            if document["unit"]["slug"] != unit.slug:
                raise DocumentError("unit.slug", _("The file is for another unit: %(slug)s") % {"slug": document["unit"]["slug"]}, "the file is for another unit")
        except DocumentError as exc:
            error = exc
        else:
            years = sorted({a["fiscal_year"] for a in document.get("assessments", [])} | {p["fiscal_year"] for p in document.get("plans", [])})
            existing = set(Assessment.objects.filter(unit=unit, fiscal_year__in=years).values_list("fiscal_year", flat=True))
            existing |= set(Plan.objects.filter(unit=unit, fiscal_year__in=years).values_list("fiscal_year", flat=True))
            preview = {
                "years": years,
                "replaced": sorted(existing),
                "blocked": bool(existing) and not form.cleaned_data["replace"],
                "measures": [(p["fiscal_year"], m["number"], m["title"]) for p in document.get("plans", []) for m in p["measures"]],
                "entries": sum(len(m.get("progress", [])) for p in document.get("plans", []) for m in p["measures"]),
            }
            request.session[SESSION_KEY] = {"unit": unit.slug, "data": data.decode(), "replace": form.cleaned_data["replace"]}
    return render(request, "interchange/upload.html", {"unit": unit, "form": form, "preview": preview, "error": error})


@unit_view(READ)
def download(request, access):
    year = request.GET.get("year", "")
    if year and not re.fullmatch(FiscalYearConverter.regex, year):
        raise Http404("fiscal year")  # as in URLs: four digits, anything else names no data
    years = [int(year)] if year else None
    document = build_document(access.unit, years=years)
    response = HttpResponse(json.dumps(document, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{access.unit.slug}{"-" + year if years else ""}.json"'
    return response
