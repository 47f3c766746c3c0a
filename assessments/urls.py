from django.urls import path

from assessments import views

app_name = "assessments"
urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("new/", views.assessment_edit, name="new"),
    path("<year:year>/", views.assessment_detail, name="detail"),
    path("<year:year>/edit/", views.assessment_edit, name="edit"),
]
