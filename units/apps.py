from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_role_groups(sender, **kwargs):
    # Django creates each app's permissions in that app's post_migrate, one app
    # after another; syncing after every app leaves the groups complete at the end.
    from units.services import role_groups_sync

    role_groups_sync()


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Party units and officials")

    def ready(self):
        post_migrate.connect(_sync_role_groups, dispatch_uid="units.sync_role_groups")
