from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from tracker import views

admin.site.site_header = _("Study and follow Ho Chi Minh — activity tracker")
admin.site.site_title = _("Study-and-follow tracker")
admin.site.index_title = _("Bloc of Provincial Agencies")
# Changelists need the width; the index page lists the models.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("", include("activities.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
]

handler403 = views.permission_denied
handler500 = views.server_error
