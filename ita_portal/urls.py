from django.contrib import admin
from django.urls import include, path, register_converter

from ita_portal.converters import FiscalYearConverter
from measures import inbox_views
from units import views as unit_views

register_converter(FiscalYearConverter, "year")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/inbox/", inbox_views.my_tasks, name="inbox"),
    path("accounts/notifications/", include("notifications.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("healthz", unit_views.healthz, name="healthz"),
    path("favicon.ico", unit_views.favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the switch at the foot of each page
    path("", unit_views.home, name="home"),
    path("overview/", include("dashboards.overview_urls")),
    path("u/<slug:slug>/", include("units.urls")),
    path("u/<slug:slug>/dashboard/", include("dashboards.urls")),
    path("u/<slug:slug>/assessments/", include("assessments.urls")),
    path("u/<slug:slug>/plans/", include("measures.urls")),
    path("u/<slug:slug>/reports/", include("reports.urls")),
    path("u/<slug:slug>/data/", include("interchange.urls")),
    # Public pages last: /<unit-slug>/… (unit slugs cannot take the reserved words above).
    path("<slug:slug>/open-data/", include("interchange.public_urls")),
    path("<slug:slug>/", include("reports.public_urls")),
]
