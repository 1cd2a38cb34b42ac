from django.contrib.admin import apps


class AdminConfig(apps.AdminConfig):
    """Django's admin with the project's site (tracker.admin.AdminSite) as `admin.site`."""

    default_site = "tracker.admin.AdminSite"
    # Not the configuration of the `tracker` app itself, which has none.
    default = False
