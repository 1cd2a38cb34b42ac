from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_role_groups(sender, **kwargs):
    # Permissions exist only after migrate, so the role groups are made then.
    from units.services import role_groups_sync

    role_groups_sync()


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Party units and officials")

    def ready(self):
        post_migrate.connect(_sync_role_groups, sender=self)
