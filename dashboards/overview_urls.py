from django.urls import path

from dashboards import views

app_name = "overview"
urlpatterns = [
    path("", views.overview, name="index"),
]
