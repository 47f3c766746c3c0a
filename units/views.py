from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static

from units.permissions import READ, unit_view, visible_units


@login_required
def home(request):
    units = visible_units(request.user).order_by("province", "name")
    return render(request, "units/home.html", {"units": units})


@unit_view(READ)
def unit_detail(request, access):
    unit = access.unit
    departments = unit.departments.all()
    # Every fiscal year the unit has a plan or an ITA result for, latest first, with what exists. Read
    # through the reverse relations of the apps above (measures' plans, assessments'), which units
    # does not import.
    plan_years = set(unit.plans.order_by().values_list("fiscal_year", flat=True))
    assessed = dict(unit.assessments.order_by().values_list("fiscal_year", "level"))
    years = [
        {"year": year, "has_plan": year in plan_years, "assessed": year in assessed, "level": assessed.get(year) or ""}
        for year in sorted(plan_years | set(assessed), reverse=True)
    ]
    return render(
        request, "units/unit_detail.html", {"unit": unit, "access": access, "departments": departments, "years": years}
    )


def favicon(request):
    """Browsers ask for /favicon.ico where a page has no icon link (PDFs, the JSON files). The static name
    is looked up per request: in production it is collectstatic's hashed name."""
    return redirect(static("img/favicon.svg"), permanent=True)


def healthz(request):
    """For load balancers: the app answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
