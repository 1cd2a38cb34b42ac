from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Concat, Length, Substr, Upper
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from tracker.constraints import Check, Unique, choices_check, not_blank, unique_allowing_null, year_check
from tracker.periods import YearOf
from tracker.text import (
    CodeField,
    NFCCharField,
    NFCTextField,
    SearchTextField,
    ascii_fold,
    refresh_search_text,
)
from tracker.versioning import Versioned

# A unit's path is the chain of its ancestors' ids and its own, each zero-padded to
# SEGMENT digits: the bloc 1 is "00000001", a committee 7 under it "0000000100000007".
# A subtree is then one range scan on an indexed column: path >= P and path < P+1.
# Only digits are used so that the range holds under any collation, C or linguistic.
SEGMENT = 8


def path_segment(pk):
    return str(pk).zfill(SEGMENT)


def source_field():
    """The document a row's facts come from (activities.Source); shared by every model."""
    return models.ForeignKey(
        "activities.Source",
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )


# A unit is named with its parent ("Chi bộ Văn phòng — Đảng bộ Sở Y tế") when it
# sits two levels or more under the top unit: every committee has its "Chi bộ Văn
# phòng", so a cell's name alone is ambiguous once it is shown outside its tree. A
# unit directly under the top unit is named alone: its name is unique there, and
# the top unit's name beside it would only be noise.
LABEL_SEPARATOR = " — "
LABELLED_FROM_DEPTH = 2


def unit_label(name, parent_name, path):
    """
    How a unit is named outside its tree, from three columns of its row: the rule of
    `Unit.label`, for rows read with values() or raw SQL. No query.
    """
    if parent_name and len(path or "") // SEGMENT - 1 >= LABELLED_FROM_DEPTH:
        return f"{name}{LABEL_SEPARATOR}{parent_name}"
    return name


# What a unit's search text is folded from; saving any of them refolds it.
SEARCHED_UNIT_FIELDS = {"code", "name", "host_agency", "parent", "parent_id", "parent_name"}


def refresh_unit_search_text(units):
    """Fold again the search text of these units, and of the records found by their names."""
    refresh_search_text(units)
    refresh_records_search_text(units)


def refresh_records_search_text(units):
    """Fold again the search text of the records of these units (found by the unit's names too)."""
    from activities.models import StudySession  # activities builds on units: read lazily

    refresh_search_text(StudySession.objects.filter(unit__in=units))


def path_upper_bound(path):
    """The smallest path that sorts after every path starting with `path`."""
    return str(int(path) + 1).zfill(len(path))


# What a user may see: every unit (ALL), the subtree of one unit, or nothing (None).
ALL = "all"
_UNSET = object()


def scope_of(user):
    """
    The unit whose subtree `user` works in, ALL for a superuser, None for anyone
    without a membership. Read once per user object (that is, once per request).
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return ALL
    membership = membership_of(user)
    return membership.unit if membership else None


def membership_of(user):
    """The user's membership (unit and role), or None. Read once per user object."""
    if user is None or not user.is_authenticated:
        return None
    membership = getattr(user, "_membership", _UNSET)
    if membership is _UNSET:
        membership = Membership.objects.select_related("unit").filter(user=user).first()
        user._membership = membership
    return membership


def manages_users(user):
    """
    Whether `user` may manage people: a superuser, everywhere; a bloc administrator,
    within their bloc. Unit editors and viewers give no roles, whatever permissions
    they were handed.
    """
    if scope_of(user) == ALL:
        return True
    membership = membership_of(user)
    return membership is not None and user.is_active and membership.role == Role.BLOC_ADMIN


class ScopedQuerySet(models.QuerySet):
    """
    The one selector every page, admin, import and export goes through:
    `Model.objects.visible_to(user)`. A subclass names the path from its rows to
    their unit's tree path.
    """

    scope_path = "unit__path"
    # True when the path crosses a many-valued relation (an official's positions).
    scope_through_many = False

    def visible_to(self, user):
        scope = scope_of(user)
        if scope == ALL:
            return self
        if scope is None:
            return self.none()
        return self.for_subtree(scope)

    def for_subtree(self, unit):
        """Rows of the unit and of every unit under it: one indexed range on the unit path."""
        condition = {
            f"{self.scope_path}__gte": unit.path,
            f"{self.scope_path}__lt": path_upper_bound(unit.path),
        }
        if self.scope_through_many:
            return self.filter(pk__in=self.model._default_manager.filter(**condition).values("pk"))
        return self.filter(**condition)


class ReferenceQuerySet(models.QuerySet):
    """Shared reference data (sources, directives, themes): visible to every member."""

    def visible_to(self, user):
        return self if scope_of(user) is not None else self.none()


class UnitQuerySet(ScopedQuerySet):
    scope_path = "path"

    def ancestors_of(self, unit):
        """The unit's ancestors, root first (the unit itself excluded)."""
        prefixes = [unit.path[:end] for end in range(SEGMENT, len(unit.path), SEGMENT)]
        return self.filter(path__in=prefixes).order_by("path")

    def active(self):
        return self.filter(is_active=True)

    def roots(self):
        return self.filter(parent__isnull=True)

    def in_tree_order(self):
        return self.order_by("path")

    def with_depth(self):
        return self.annotate(tree_depth=Length("path") / SEGMENT - 1)

    def sync_parent_names(self):
        """
        Set the parent name of these units from their parents, in one UPDATE: after
        a write that went around `Unit.save` (a queryset update of names). Returns
        the number of units updated.
        """
        parents = Unit.objects.filter(pk=models.OuterRef("parent_id")).values("name")[:1]
        count = self.filter(parent__isnull=False).update(parent_name=models.Subquery(parents))
        refresh_unit_search_text(self)
        return count


class PositionQuerySet(ScopedQuerySet):
    pass


class OfficialQuerySet(ScopedQuerySet):
    scope_path = "positions__unit__path"
    scope_through_many = True


class UnitKind(models.TextChoices):
    BLOC = "bloc", _("Bloc party committee")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("Grassroots party committee")
    GRASSROOTS_CELL = "grassroots_cell", _("Grassroots party cell")
    CELL = "cell", _("Subordinate party cell")


class Unit(Versioned):
    Kind = UnitKind

    # Which kinds may sit directly under which.
    ALLOWED_PARENT_KINDS = {
        Kind.BLOC: set(),
        Kind.GRASSROOTS_COMMITTEE: {Kind.BLOC},
        Kind.GRASSROOTS_CELL: {Kind.BLOC},
        Kind.CELL: {Kind.GRASSROOTS_COMMITTEE},
    }

    code = CodeField(
        _("code"),
        max_length=32,
        unique=True,
        help_text=_("Short stable code used in imports and links, e.g. STP."),
    )
    name = NFCCharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    host_agency = NFCCharField(
        _("host agency"),
        max_length=255,
        blank=True,
        help_text=_("The agency the unit belongs to, e.g. Department of Justice."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    note = NFCTextField(
        _("note"), blank=True, help_text=_("Assumptions and remarks, e.g. where a placement is unconfirmed.")
    )
    source = source_field()
    path = models.CharField(_("tree path"), max_length=255, unique=True, editable=False)
    # The parent's name, copied so that a unit can be named with its parent (`label`)
    # wherever it is listed, without a join or a query per row. Kept by save(): set
    # from the parent on every save, and on the children when a unit is renamed.
    parent_name = models.CharField(_("parent unit name"), max_length=255, blank=True, editable=False)
    # What the admin's search finds the unit by, folded: code, name, parent's name, agency.
    search_text = SearchTextField(_("search text"))

    objects = UnitQuerySet.as_manager()
    # The path, the parent's name and the search text are derived from the unit and
    # its parents, which the history already holds.
    history = HistoricalRecords(excluded_fields=["path", "parent_name", "search_text", "version"])
    search_related = ()

    class Meta:
        default_permissions = ("add", "change", "delete", "view", "import", "export")
        verbose_name = _("party unit")
        verbose_name_plural = _("party units")
        ordering = ["path"]
        constraints = [
            choices_check("kind", UnitKind, "unit_kind_valid"),
            not_blank("code", "unit_code_not_blank"),
            Check(
                condition=models.Q(code=Upper("code")),
                name="unit_code_upper",
                field="code",
                message=_("Write the code in capital letters."),
            ),
            not_blank("name", "unit_name_not_blank"),
            not_blank("path", "unit_path_not_blank"),
            # The bloc committee is the root; every other unit has a parent.
            Check(
                condition=(
                    models.Q(kind="bloc", parent__isnull=True)
                    | (~models.Q(kind="bloc") & models.Q(parent__isnull=False))
                ),
                name="unit_root_is_bloc",
                field="parent",
                message=_("The bloc committee has no parent unit, and every other unit has one."),
            ),
            Check(
                condition=~models.Q(parent=models.F("pk")),
                name="unit_not_own_parent",
                field="parent",
                message=_("A unit cannot be its own parent unit."),
            ),
            Unique(
                fields=["parent", "name"],
                name="unit_name_unique_among_siblings",
                field="name",
                message=_("The parent unit already has a unit named “%(name)s”."),
            ),
        ]

    def __str__(self):
        # Select boxes, autocomplete, history and messages name the unit this way.
        return self.label

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        renamed = self._renamed(update_fields)
        adding = self._state.adding
        if update_fields is not None and SEARCHED_UNIT_FIELDS & set(update_fields):
            update_fields = kwargs["update_fields"] = {*update_fields, "search_text"}
        with transaction.atomic():
            if update_fields is not None and not {"parent", "parent_id"} & set(update_fields):
                super().save(*args, **kwargs)
            else:
                parent_path, self.parent_name = self._parent_row()
                if update_fields is not None:
                    kwargs["update_fields"] = {*update_fields, "parent_name"}
                if self._state.adding or not self.path:
                    # The path needs the id, which the insert gives: insert with a
                    # placeholder that cannot clash, then set the real path.
                    self.path = f"new-{id(self)}-{self.code}"
                    super().save(*args, **kwargs)
                    self.path = parent_path + path_segment(self.pk)
                    Unit.objects.filter(pk=self.pk).update(path=self.path)
                elif self.parent_id != getattr(self, "_loaded_parent_id", self.parent_id):
                    super().save(*args, **kwargs)
                    self._move_subtree(parent_path)
                else:
                    super().save(*args, **kwargs)
            if renamed:
                self.children.update(parent_name=self.name)
                refresh_unit_search_text(self.children.all())
            if not adding and self.search_text != getattr(self, "_loaded_search_text", None):
                refresh_records_search_text(Unit.objects.filter(pk=self.pk))
        self._loaded_parent_id = self.parent_id
        self._loaded_name = self.name
        self._loaded_search_text = self.search_text

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Remembered so that save() knows when the unit moved in the tree or was renamed.
        instance._loaded_parent_id = instance.__dict__.get("parent_id")
        instance._loaded_name = instance.__dict__.get("name")
        instance._loaded_search_text = instance.__dict__.get("search_text")
        return instance

    def search_parts(self):
        return [self.code, self.name, self.parent_name, self.host_agency]

    def validate_constraints(self, exclude=None):
        # The path is written by save(), after validation; nothing typed can break it.
        super().validate_constraints(exclude={*(exclude or ()), "path"})

    def clean(self):
        super().clean()
        allowed = self.ALLOWED_PARENT_KINDS.get(self.kind, set())
        parent = self.parent if self.parent_id else None
        if parent is None and allowed:
            raise ValidationError({"parent": _("This kind of unit must have a parent unit.")})
        if parent is not None and parent.kind not in allowed:
            raise ValidationError(
                {
                    "parent": _("A %(kind)s cannot sit under a %(parent_kind)s.")
                    % {
                        "kind": self.get_kind_display().lower(),
                        "parent_kind": parent.get_kind_display().lower(),
                    }
                }
            )
        if parent is not None and self.pk and parent.path.startswith(self.path):
            raise ValidationError({"parent": _("A unit cannot be moved under itself or its own sub-units.")})

    @property
    def depth(self):
        """0 for the bloc committee, 1 for the units directly under it, and so on."""
        return len(self.path) // SEGMENT - 1

    @property
    def label(self):
        """
        The unit's name, with its parent's when it sits two levels or more under the
        top unit: "Chi bộ Văn phòng — Đảng bộ Sở Y tế". Reads only the row itself.
        """
        return unit_label(self.name, self.parent_name, self.path)

    def subtree(self):
        return Unit.objects.for_subtree(self)

    def is_within(self, other):
        """True if this unit is `other` or sits somewhere under it."""
        return self.path.startswith(other.path)

    def _parent_row(self):
        """The parent's path and name, as stored (a parent object in memory may be stale)."""
        if not self.parent_id:
            return "", ""
        return Unit.objects.filter(pk=self.parent_id).values_list("path", "name").get()

    def _renamed(self, update_fields):
        if self._state.adding or (update_fields is not None and "name" not in update_fields):
            return False
        # A unit saved without having been read (its name unknown) updates its children too.
        return getattr(self, "_loaded_name", None) != self.name

    def _move_subtree(self, parent_path):
        old_path = Unit.objects.filter(pk=self.pk).values_list("path", flat=True).get()
        new_path = parent_path + path_segment(self.pk)
        if new_path.startswith(old_path):
            raise ValidationError(_("A unit cannot be moved under itself or its own sub-units."))
        Unit.objects.filter(path__gte=old_path, path__lt=path_upper_bound(old_path)).update(
            path=Concat(models.Value(new_path), Substr("path", len(old_path) + 1))
        )
        self.path = new_path


class MemberCount(Versioned):
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="member_counts"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    as_of = models.DateField(_("as of"), null=True, blank=True)
    members = models.PositiveIntegerField(_("party members"))
    source = source_field()

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        default_permissions = ("add", "change", "delete", "view", "import", "export")
        verbose_name = _("member count")
        verbose_name_plural = _("member counts")
        ordering = ["unit__path", "-year"]
        constraints = [
            Unique(
                fields=["unit", "year"],
                name="member_count_one_per_unit_year",
                field="year",
                message=_("This unit already has its member count for %(year)s."),
            ),
            year_check("year", "member_count_year_range"),
            Check(
                condition=models.Q(as_of__isnull=True) | models.Q(year=YearOf("as_of")),
                name="member_count_as_of_in_year",
                field="as_of",
                message=_("The as-of date must fall within the year of the count."),
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.year}: {self.members}"


class Official(Versioned):
    code = CodeField(
        _("code"),
        max_length=64,
        unique=True,
        blank=True,
        help_text=_("Left blank, it is made from the name, e.g. PHAN-QUANG-TUAN."),
    )
    full_name = NFCCharField(_("full name"), max_length=255)
    note = NFCTextField(_("note"), blank=True)
    source = source_field()

    objects = OfficialQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        default_permissions = ("add", "change", "delete", "view", "import", "export")
        verbose_name = _("official")
        verbose_name_plural = _("officials")
        ordering = ["full_name", "code"]
        constraints = [
            not_blank("code", "official_code_not_blank"),
            not_blank("full_name", "official_name_not_blank"),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        if not self.code:
            self.code = self._free_code()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        # Before the constraints are checked, so that a blank code is made, not refused.
        if not self.code:
            self.code = self._free_code()

    def home_units(self):
        """
        The units an official belongs to first, whose editors answer for who they are:
        those of their current party positions; without one, of any current position;
        without any, of every position they held.
        """
        current = models.Q(end_date__isnull=True) | models.Q(end_date__gte=timezone.localdate())
        for held in (current & models.Q(kind=PositionKind.PARTY), current, models.Q()):
            units = list(Unit.objects.filter(pk__in=self.positions.filter(held).values("unit")))
            if units:
                return units
        return []

    def identity_editable_by(self, user):
        """
        Whether `user` may change who the official is (name, code): a superuser; anyone
        else only if every one of the official's home units lies within their own, so
        that a unit sharing the official through a second position cannot rename them.
        """
        scope = scope_of(user)
        if scope == ALL or self.pk is None:
            return True
        units = self.home_units()
        return scope is not None and bool(units) and all(unit.is_within(scope) for unit in units)

    def identity_rule(self):
        """Who may change the official's name and code, said to whoever may not."""
        units = self.home_units()
        if not units:
            return _("Only a superuser may change the name and code of this official.")
        return _(
            "Only the bloc administrator or an editor of %(units)s may change the name and code of this official."
        ) % {"units": ", ".join(unit.label for unit in units)}

    def _free_code(self):
        base = slugify(ascii_fold(self.full_name)).upper()[:56] or "OFFICIAL"
        taken = set(Official.objects.filter(code__startswith=base).values_list("code", flat=True))
        code, n = base, 1
        while code in taken:
            n += 1
            code = f"{base}-{n}"
        return code


class PositionKind(models.TextChoices):
    PARTY = "party", _("Party title")
    AGENCY = "agency", _("Agency title")


class Position(Versioned):
    Kind = PositionKind

    official = models.ForeignKey(
        Official, verbose_name=_("official"), on_delete=models.CASCADE, related_name="positions"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="positions",
        help_text=_("For an agency title, the unit whose host agency it is."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = NFCCharField(
        pgettext_lazy("position", "title"),
        max_length=255,
        help_text=_("e.g. Deputy Secretary of the Party Committee"),
    )
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)
    source = source_field()

    objects = PositionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["official__full_name", "kind", "-start_date"]
        constraints = [
            choices_check("kind", PositionKind, "position_kind_valid"),
            not_blank("title", "position_title_not_blank"),
            Check(
                condition=models.Q(start_date__isnull=True)
                | models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="position_ends_after_start",
                field="end_date",
                message=_("The end date cannot come before the start date."),
            ),
            *unique_allowing_null(
                "official",
                "unit",
                "kind",
                "title",
                optional="start_date",
                name="position_natural_key",
                field="title",
                message=_(
                    "This official already holds the title “%(title)s” in %(unit)s from %(start_date)s."
                ),
                message_when_null=_(
                    "This official already holds the title “%(title)s” in %(unit)s, without a start date."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.official} — {self.title}"


class Role(models.TextChoices):
    BLOC_ADMIN = "bloc_admin", _("Bloc administrator")
    BLOC_VIEWER = "bloc_viewer", _("Bloc viewer")
    UNIT_EDITOR = "unit_editor", _("Unit editor")
    UNIT_VIEWER = "unit_viewer", _("Unit viewer")


BLOC_ROLES = {Role.BLOC_ADMIN, Role.BLOC_VIEWER}


class Membership(models.Model):
    """A user's unit and role: they see and, if an editor, change that unit's subtree."""

    Role = Role

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="membership"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["unit__path", "user__username"]
        constraints = [choices_check("role", Role, "membership_role_valid")]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.unit}"

    def clean(self):
        super().clean()
        if self.role in BLOC_ROLES and self.unit_id and self.unit.kind != Unit.Kind.BLOC:
            raise ValidationError({"unit": _("A bloc role belongs to the bloc committee itself.")})
