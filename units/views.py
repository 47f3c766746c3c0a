from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render

from units.permissions import READ, unit_view, visible_units


@login_required
def home(request):
    units = visible_units(request.user).order_by("province", "name")
    return render(request, "units/home.html", {"units": units})


@unit_view(READ)
def unit_detail(request, access):
    unit = access.unit
    departments = unit.departments.all()
    return render(request, "units/unit_detail.html", {"unit": unit, "access": access, "departments": departments})


def healthz(request):
    """For load balancers: the app answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
