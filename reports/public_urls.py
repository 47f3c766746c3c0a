from django.urls import path

from reports import views

# Mounted at /<unit-slug>/: stable addresses a unit pastes into the ITA system for its OIT items.
app_name = "public"
urlpatterns = [
    path("", views.public_unit, name="unit"),
    path("reports/<int:pk>/", views.public_version, name="version"),
    # The frozen HTML document itself, byte for byte and cached for a year; the page above shows it
    # under a header that says whether a newer version exists.
    path("reports/<int:pk>.html", views.public_version, {"fmt": "document"}, name="version_html"),
    path("reports/<int:pk>.pdf", views.public_version, {"fmt": "pdf"}, name="version_pdf"),
    path("reports/<int:pk>.json", views.public_version, {"fmt": "json"}, name="version_json"),
    path("<year:year>/open-data.json", views.open_data, name="open_data"),
    path("<year:year>/<slug:kind>/", views.public_latest, name="latest"),
    path("<year:year>/<slug:kind>/latest.pdf", views.public_latest, {"fmt": "pdf"}, name="latest_pdf"),
    path("<year:year>/<slug:kind>/<slug:round_code>/", views.public_latest, name="latest"),
    path("<year:year>/<slug:kind>/<slug:round_code>/latest.pdf", views.public_latest, {"fmt": "pdf"}, name="latest_pdf"),
]
