from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("reporting/<str:period>/", views.period_status, name="status"),
    path("units/<str:code>/reports/<str:period>/", views.unit_period, name="unit-period"),
    path(
        "units/<str:code>/reports/<str:period>/report/",
        views.unit_period_document,
        name="unit-period-document",
    ),
    path("account/email/", views.email_preference, name="email"),
]
