from django.urls import path

from interchange import views

app_name = "interchange"
urlpatterns = [
    path("import/", views.upload, name="upload"),
    path("export.json", views.download, name="export"),
    path("bundle.zip", views.download_bundle, name="bundle"),
]
