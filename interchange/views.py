"""Upload a unit-year file or bundle (preview, then confirm) and download a unit's export or bundle.

The preview is the import itself run in a transaction that is rolled back (`dry_run`), on the same
validation path as the confirmed import; the uploaded bytes wait in storage (interchange.previews).
"""

import json
import logging
import tempfile

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from interchange import previews
from interchange.bundle import write_bundle
from interchange.exporter import build_document
from interchange.importer import import_document
from interchange.messages import DocumentError
from interchange.reading import read
from ita_portal.params import query_year
from units.permissions import ADMIN, READ, Action, require, unit_view

BUNDLE_MAX_BYTES = getattr(settings, "BUNDLE_MAX_BYTES", 500 * 1024 * 1024)
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
    file = forms.FileField(label=gettext_lazy("Unit-year file (JSON) or bundle (.zip)"))
    replace = forms.BooleanField(label=gettext_lazy("Replace years that exist already"), required=False)
    drafts = forms.BooleanField(label=gettext_lazy("Bring new entries in as drafts (to be reviewed)"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > BUNDLE_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than %(limit)s MB.") % {"limit": BUNDLE_MAX_BYTES // (1024 * 1024)})
        return upload


def run_import(data: bytes, *, name: str, access, user, replace: bool, drafts: bool, dry_run: bool):
    """The one path of a browser import, for the preview (dry run) and the confirmed import alike. A unit
    administrator's file may not change the unit's identity (slug, name, kind, district, province)."""
    source = read(data, name)
    return import_document(
        source.document, replace=replace, drafts=drafts, expected_slug=access.unit.slug, user=user, identity=False,
        files=source.files, source=name, dry_run=dry_run,
    )


@unit_view(ADMIN)
def upload(request, access):
    require(access, Action.IMPORT)
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request, access)
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"unit": access.unit, "form": form, "preview": None, "error": None}
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        data, options = upload_file.read(), {"replace": form.cleaned_data["replace"], "drafts": form.cleaned_data["drafts"]}
        try:
            # The preview shows what replacing would do; without "replace" it says the years exist and stops there.
            context["preview"] = run_import(data, name=upload_file.name, access=access, user=request.user, dry_run=True,
                                            replace=True, drafts=options["drafts"])
        except DocumentError as exc:
            context["error"] = exc
        else:
            context["token"] = previews.store(data, unit=access.unit, user=request.user, name=upload_file.name, **options)
            context["blocked"] = bool(context["preview"].replaced) and not options["replace"]
    return render(request, "interchange/upload.html", context)


def _confirm(request, access):
    try:
        data, payload = previews.load(request.POST.get("token", ""), unit=access.unit, user=request.user)
    except previews.Expired:
        messages.error(request, _("Upload the file again: the preview has expired."))
        return redirect("interchange:upload", access.unit.slug)
    try:
        summary = run_import(data, name=payload["name"], access=access, user=request.user,
                             replace=payload["replace"], drafts=payload["drafts"], dry_run=False)
    except DocumentError as exc:
        form = UploadForm()
        return render(request, "interchange/upload.html", {"unit": access.unit, "form": form, "preview": None, "error": exc})
    previews.discard(payload)
    logger.info("import by %s: %s", request.user, summary.line())  # the English line stays in the logs
    messages.success(request, import_message(summary))
    return redirect("units:detail", access.unit.slug)


def _years(request) -> list[int] | None:
    year = query_year(request)
    if year is None and request.GET.get("year"):
        raise Http404("fiscal year")  # as in URLs: four ASCII digits, anything else names no data
    return [year] if year else None


@unit_view(READ)
def download(request, access):
    years = _years(request)
    document = build_document(access.unit, years=years)
    response = HttpResponse(json.dumps(document, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{access.unit.slug}{"-" + str(years[0]) if years else ""}.json"'
    return response


@unit_view(ADMIN)
def download_bundle(request, access):
    """The unit with its evidence files, for a backup or a move to another server (administrators only:
    the files are the unit's internal record)."""
    require(access, Action.IMPORT)
    years = _years(request)
    handle = tempfile.TemporaryFile()
    write_bundle(access.unit, handle, years=years)
    handle.seek(0)
    name = f"{access.unit.slug}{'-' + str(years[0]) if years else ''}-bundle.zip"
    return FileResponse(handle, as_attachment=True, filename=name, content_type="application/zip")
