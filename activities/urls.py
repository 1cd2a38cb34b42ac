from django.urls import path

from activities import views

app_name = "activities"

urlpatterns = [
    path("", views.home, name="home"),
    path("reports/<int:year>/q<int:quarter>/", views.quarter_report, name="quarter-report"),
    path("reports/<int:year>/", views.year_report, name="year-report"),
    path("units/<str:code>/<int:year>/q<int:quarter>/", views.unit_quarter, name="unit-quarter"),
    path(
        "units/<str:code>/<int:year>/q<int:quarter>/report/", views.quarter_document, name="quarter-document"
    ),
    path("sessions/new/", views.session_create, name="session-create"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session-edit"),
    path("sessions/<int:pk>/delete/", views.session_delete, name="session-delete"),
]
