from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Membership, Role, Unit, path_segment


@transaction.atomic
def unit_bulk_create_tree(*, units: list[Unit]) -> list[Unit]:
    """
    Insert many units at once, their paths included: a few queries per tree level
    instead of two per unit.

    Each unit's parent must already exist or come earlier in `units`. Used by bulk
    loaders (the demo generator); a single unit is simply saved.
    """
    remaining = list(units)
    while remaining:
        level = [unit for unit in remaining if unit.parent is None or unit.parent.pk is not None]
        if not level:
            raise ValueError("Some units' parents are neither saved nor in the list.")
        for unit in level:
            unit.path = f"new-{unit.code}"
            # What save() would read from the parent row: the parent is in memory here.
            unit.parent_name = unit.parent.name if unit.parent is not None else ""
        Unit.objects.bulk_create(level)
        for unit in level:
            parent_path = unit.parent.path if unit.parent is not None else ""
            unit.path = parent_path + path_segment(unit.pk)
            unit._loaded_parent_id = unit.parent_id
            unit._loaded_name = unit.name
        Unit.objects.bulk_update(level, ["path"], batch_size=500)
        created = {id(unit) for unit in level}
        remaining = [unit for unit in remaining if id(unit) not in created]
    return units


# Each role is a Django group; the group names are what bloc administrators see.
ROLE_GROUPS = {
    Role.BLOC_ADMIN: "Quản trị đảng bộ",
    Role.BLOC_VIEWER: "Xem toàn đảng bộ",
    Role.UNIT_EDITOR: "Biên tập đơn vị",
    Role.UNIT_VIEWER: "Xem đơn vị",
}
# Names the groups had before the blocs were reorganised (2025): renamed in place, so
# that their members keep them.
FORMER_ROLE_GROUPS = {
    Role.BLOC_ADMIN: "Quản trị Khối",
    Role.BLOC_VIEWER: "Xem toàn Khối",
}

# What a unit editor logs and corrects for their subtree; units, memberships and the
# shared reference data (sources, directives, themes) stay with the bloc.
UNIT_EDITOR_MODELS = [
    ("units", "membercount"),
    ("units", "official"),
    ("units", "position"),
    ("activities", "studysession"),
    ("activities", "initiative"),
    ("activities", "initiativeevaluation"),
    ("activities", "outreach"),
    ("activities", "exemplar"),
    ("activities", "servicefigure"),
    ("activities", "declaredfigure"),
    ("activities", "meetingtask"),
    ("activities", "meetingscore"),
    ("members", "member"),
    ("members", "memberstatus"),
    ("members", "attendance"),
]
# Personal data leaves the tracker only with a permission of its own: a bloc
# administrator has it and may give it to a user (the user admin's permissions).
OWN_EXPORT_PERMISSIONS = [("members", "export_member"), ("members", "export_attendance")]


def role_groups_sync() -> dict:
    """Create or update the role groups with their permissions; returns {role: group}."""
    domain = Permission.objects.filter(
        content_type__app_label__in=["units", "activities", "members", "reporting"]
    )
    own = Permission.objects.none()
    for app_label, codename in OWN_EXPORT_PERMISSIONS:
        own |= Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    # Everyone may export what they may see, to check it ("views" below), but members.
    views = (
        domain.filter(codename__startswith="view_") | domain.filter(codename__startswith="export_")
    ).exclude(pk__in=own.values("pk"))
    editing = Permission.objects.none()
    for app_label, model in UNIT_EDITOR_MODELS:
        editing |= Permission.objects.filter(content_type__app_label=app_label, content_type__model=model)
    editing = editing.exclude(pk__in=own.values("pk"))
    people = Permission.objects.filter(
        content_type__app_label="auth", content_type__model__in=["user", "group"]
    )
    permissions = {
        Role.BLOC_ADMIN: domain | people,
        Role.BLOC_VIEWER: views,
        Role.UNIT_EDITOR: views | editing,
        Role.UNIT_VIEWER: views,
    }
    groups = {}
    for role, name in ROLE_GROUPS.items():
        former = FORMER_ROLE_GROUPS.get(role)
        if former and not Group.objects.filter(name=name).exists():
            Group.objects.filter(name=former).update(name=name)
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions[role])
        groups[role] = group
    return groups


@transaction.atomic
def user_grant(*, username: str, unit_code: str, role: str, password: str | None = None):
    """
    Create or update a user attached to a unit with a role: staff access, the role's
    group (and no other role group), the membership. Returns (user, created).
    """
    unit = Unit.objects.filter(code=unit_code).first()
    if unit is None:
        raise ValidationError(_("No unit has the code %(code)s.") % {"code": unit_code})
    if role not in Role.values:
        raise ValidationError(_("Unknown role %(role)s.") % {"role": role})
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.set_password(password) if password else user.set_unusable_password()
    user.save()
    membership = Membership.objects.filter(user=user).first() or Membership(user=user)
    membership.unit, membership.role = unit, role
    membership.full_clean()
    membership.save()
    user_role_apply(user=user)
    return user, created


@transaction.atomic
def user_role_apply(*, user) -> None:
    """
    Make a user's access follow their membership: staff access and the role's group,
    and no other role group. Roles are given only through the membership, so this
    runs after every change of it.
    """
    membership = Membership.objects.filter(user=user).first()
    if membership is None:
        return
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    groups = role_groups_sync()
    user.groups.remove(*[group for role, group in groups.items() if role != membership.role])
    user.groups.add(groups[membership.role])
