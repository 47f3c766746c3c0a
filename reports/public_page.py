"""What the public report pages add around the frozen versions: which version is the latest of its report,
the report's stable "latest" address, and the header above a frozen HTML document (links to the unit, the
PDF, the JSON, the other versions, and a notice when a newer version exists).

The frozen HTML is never changed: the header is put in front of its content when it is served, so versions
published before the header existed get it too.
"""

from __future__ import annotations

import re

from django.http import StreamingHttpResponse
from django.template.loader import render_to_string
from django.urls import reverse

from reports.models import PublishedReport

_BODY = re.compile(rb"<body[^>]*>", re.IGNORECASE)
_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)
_HEAD_END = re.compile(rb"</head\s*>", re.IGNORECASE)


def report_key(report: PublishedReport) -> tuple:
    return (report.fiscal_year, report.kind, report.round)


def latest_pks(reports) -> set[int]:
    """The pk of the highest version of each (year, kind, round) among `reports`."""
    best: dict[tuple, PublishedReport] = {}
    for report in reports:
        key = report_key(report)
        if key not in best or report.version > best[key].version:
            best[key] = report
    return {report.pk for report in best.values()}


def stable_path(report: PublishedReport) -> str:
    """/<unit>/<year>/<kind>/[<round>/]: always the latest version of this report."""
    args = [report.unit.slug, report.fiscal_year, report.kind] + ([report.round] if report.round else [])
    return reverse("public:latest", args=args)


def with_header(request, report: PublishedReport) -> StreamingHttpResponse:
    """The frozen HTML of `report` with the public header in front of its content, inside a <main>."""
    versions = list(
        PublishedReport.objects.filter(unit=report.unit, fiscal_year=report.fiscal_year, kind=report.kind, round=report.round)
        .order_by("-version")
        .only("pk", "version", "published_at")
    )
    newest = versions[0] if versions else report
    header = render_to_string(
        "reports/_public_header.html",
        {
            "report": report,
            "unit": report.unit,
            "others": [version for version in versions if version.pk != report.pk],
            "newer": newest if newest.version > report.version else None,
            "stable_url": request.build_absolute_uri(stable_path(report)),
        },
        request=request,
    ).encode()
    with report.html.open("rb") as handle:
        document = handle.read()
    stylesheet = render_to_string("reports/_public_header_head.html").encode()
    document = _HEAD_END.sub(lambda m: stylesheet + m.group(0), document, count=1)
    if _BODY.search(document):
        document = _BODY.sub(lambda m: m.group(0) + header + b'<main id="main">', document, count=1)
        document = _BODY_END.sub(lambda m: b"</main>" + m.group(0), document, count=1)
    else:  # not a whole document: header first, the rest as it is
        document = header + b'<main id="main">' + document + b"</main>"
    return StreamingHttpResponse([document], content_type="text/html; charset=utf-8")
