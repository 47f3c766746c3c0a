from django.urls import path

from measures import views

app_name = "measures"
urlpatterns = [
    path("", views.plan_list, name="plans"),
    path("new/", views.plan_create, name="plan_create"),
    path("<year:year>/", views.plan_detail, name="plan"),
    path("<year:year>/copy/", views.plan_copy, name="plan_copy"),
    path("<year:year>/oit/", views.oit_progress, name="oit"),
    path("<year:year>/oit/history/", views.oit_history, name="oit_history"),
    path("<year:year>/due-dates/", views.round_dues, name="round_dues"),
    path("<year:year>/measures/new/", views.measure_edit, name="measure_create"),
    path("measures/<int:pk>/", views.measure_detail, name="detail"),
    path("measures/<int:pk>/edit/", views.measure_edit, name="measure_edit"),
    path("measures/<int:pk>/<str:round_code>/", views.entry_edit, name="entry"),
    path("measures/<int:pk>/<str:round_code>/<str:action>/", views.entry_review, name="entry_review"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
]
