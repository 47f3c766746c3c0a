from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from units.permissions import visible_provinces


@login_required
def overview(request):
    # Placeholder until the overview dashboard lands (issue 7).
    if visible_provinces(request.user) == []:
        raise PermissionDenied
    return render(request, "units/home.html", {"units": []})
