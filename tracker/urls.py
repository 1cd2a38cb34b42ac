from django.contrib import admin
from django.urls import include, path

from tracker import views

urlpatterns = [
    path("", include("activities.urls")),
    path("", include("reporting.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
]

handler403 = views.permission_denied
handler500 = views.server_error
