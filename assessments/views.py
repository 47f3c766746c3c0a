from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from assessments import services
from assessments.forms import AssessmentForm, RecommendationForm, initial_for
from assessments.models import Assessment, Framework
from ita_portal import charts
from ita_portal.params import YEAR_BOUNDS, parse_int
from ita_portal.thai import DIGITS_ARABIC, format_decimal
from units.permissions import ADMIN, READ, Action, require, unit_view


@unit_view(READ)
def assessment_list(request, access):
    assessments = Assessment.objects.filter(unit=access.unit).order_by("-fiscal_year")
    return render(
        request,
        "assessments/list.html",
        {"unit": access.unit, "access": access, "assessments": assessments,
         "frameworks": Framework.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True)},
    )


@unit_view(ADMIN)
def assessment_edit(request, access, year=None):
    unit = access.unit
    assessment = Assessment.objects.filter(unit=unit, fiscal_year=year).first() if year else None
    chosen_year = (
        year or parse_int(request.POST.get("fiscal_year"), **YEAR_BOUNDS) or parse_int(request.GET.get("year"), **YEAR_BOUNDS)
    )
    try:
        framework = services.framework_for_year(chosen_year) if chosen_year else None
    except services.FrameworkMissing:
        framework = None
    if year and framework is None:
        raise Http404
    initial = initial_for(assessment) if assessment else {"fiscal_year": chosen_year}
    form = AssessmentForm(request.POST or None, initial=initial, framework=framework, year_fixed=bool(year))
    if request.method == "POST" and form.is_valid():
        if framework is None:
            form.add_error("fiscal_year", _("Fiscal year: there is no ITA framework for this year."))
        else:
            target = services.save_assessment(
                access, framework, form.cleaned_data["official_total"], form.cleaned_data["official_level"],
                form.scores(), form.tool_totals(),
            )
            messages.success(request, _("The ITA result of %(year)s was saved.") % {"year": target.fiscal_year})
            return redirect("assessments:detail", unit.slug, target.fiscal_year)
    return render(
        request,
        "assessments/edit.html",
        {"unit": unit, "form": form, "assessment": assessment, "framework": framework,
         "years": Framework.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True)},
    )


@unit_view(READ)
def assessment_detail(request, access, year):
    assessment = get_object_or_404(Assessment.objects.select_related("framework"), unit=access.unit, fiscal_year=year)
    analysis = services.analyse(assessment)
    form = RecommendationForm(request.POST or None, analysis=analysis)
    if request.method == "POST":
        require(access, Action.ASSESS)
        if form.is_valid():
            services.save_recommendations(access, assessment, form.cleaned_data)
            messages.success(request, _("The recommendations were saved."))
            return redirect("assessments:detail", access.unit.slug, year)
    history = list(Assessment.objects.filter(unit=access.unit).order_by("fiscal_year"))
    trend = charts.line_chart(
        "ita-trend", _("ITA total by year"), _("The unit's ITA total and level for each fiscal year."),
        [(str(a.fiscal_year), a.total if a.total is not None else a.official_total, a.level or a.official_level) for a in history],
        reference=(analysis.pass_mark, _("pass mark %(mark)s") % {"mark": format_decimal(analysis.pass_mark, 0, DIGITS_ARABIC)}),
        value_header=_("Total"), note_header=_("Level"), label_header=_("Fiscal year"),
    )
    comparison = charts.bar_chart(
        "ita-indicators", _("Indicator scores, this year and the year before"),
        _("Each indicator's score in this assessment and in the previous one."),
        [str(line.number) for line in analysis.indicators],
        [(_("previous year"), [line.previous for line in analysis.indicators]),
         (str(year), [line.score for line in analysis.indicators])],
        category_header=_("Indicator"), category_names=[f"{line.number} {line.name}" for line in analysis.indicators],
    )
    return render(
        request,
        "assessments/detail.html",
        {"unit": access.unit, "access": access, "assessment": assessment, "analysis": analysis, "form": form,
         "trend": trend, "comparison": comparison},
    )
