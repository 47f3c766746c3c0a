from django.urls import path

from reports import views

app_name = "reports"
# Year-only kinds (plan, analysis) have no round segment; the fixed words come before <round_code>.
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:kind>/<year:year>/settings/", views.edit_settings, name="settings"),
    path("<slug:kind>/<year:year>/publish/", views.publish, name="publish"),
    path("<slug:kind>/<year:year>/report.pdf", views.preview, {"fmt": "pdf"}, name="preview_pdf"),
    path("<slug:kind>/<year:year>/report.docx", views.preview, {"fmt": "docx"}, name="preview_docx"),
    path("<slug:kind>/<year:year>/", views.preview, name="preview"),
    path("<slug:kind>/<year:year>/<slug:round_code>/settings/", views.edit_settings, name="settings"),
    path("<slug:kind>/<year:year>/<slug:round_code>/publish/", views.publish, name="publish"),
    path("<slug:kind>/<year:year>/<slug:round_code>/report.pdf", views.preview, {"fmt": "pdf"}, name="preview_pdf"),
    path("<slug:kind>/<year:year>/<slug:round_code>/report.docx", views.preview, {"fmt": "docx"}, name="preview_docx"),
    path("<slug:kind>/<year:year>/<slug:round_code>/", views.preview, name="preview"),
]
