"""
Every database constraint of the domain, broken once at the database level.

Each case starts from a valid row made by the factories and breaks it with a plain
SQL UPDATE, past every model method and field normalisation, so the refusal can
only come from the database. A guard test fails when a model gains a constraint
that has no case here.
"""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction

from activities.models import MeetingScore, MeetingTask, SessionTally
from activities.tests import factories as af
from members.tests import factories as mf
from units.tests import factories as uf

_n = itertools.count(1)


class Column:
    """An SQL value that is another column of the same row (e.g. parent_id = id)."""

    def __init__(self, name):
        self.name = name


def _position(tree, **fields):
    return uf.make_position(uf.make_official(), tree["STP"], **fields)


def _membership(tree):
    from django.contrib.auth import get_user_model

    from units.models import Membership

    user = get_user_model().objects.create(username=f"user{next(_n)}")
    return Membership.objects.create(user=user, unit=tree["STP"], role="unit_editor")


ROWS = {
    "membership": _membership,
    "unit": lambda t: uf.make_unit(t["BLOC"]),
    "member_count": lambda t: uf.make_member_count(t["STP"], year=1999 + next(_n), as_of=None),
    "official": lambda t: uf.make_official(),
    "position": lambda t: _position(t, start_date=datetime.date(2020, 1, 1)),
    "position_undated": lambda t: _position(t),
    "source": lambda t: af.make_source(),
    "directive": lambda t: af.make_directive(),
    "theme": lambda t: af.make_theme(year=2024, quarter=1),
    "theme_yearly": lambda t: af.make_theme(year=2024, quarter=None),
    "session": lambda t: af.make_session(t["BDV"]),
    "session_undated": lambda t: af.make_session(t["BDV"], date=None, year=2024, quarter=1),
    "initiative": lambda t: af.make_initiative(t["STP"]),
    "evaluation": lambda t: af.make_evaluation(af.make_initiative(t["STP"])),
    "outreach": lambda t: af.make_outreach(t["STP"]),
    "outreach_regular": lambda t: af.make_outreach(t["STP"], published_on=None, is_regular=True),
    "exemplar": lambda t: af.make_exemplar(t["STP"]),
    "service": lambda t: af.make_service_figure(t["STP"], agency=f"Cơ quan {next(_n)}"),
    "member": lambda t: mf.make_member(t["STP-VP"]),
    "member_status": lambda t: mf.make_member_status(mf.make_member(t["STP-VP"])),
    "attendance": lambda t: mf.make_attendance(af.make_session(t["STP-VP"]), mf.make_member(t["STP-VP"])),
    "task": lambda t: MeetingTask.objects.create(session=af.make_session(t["STP-VP"]), description="Rà soát"),
    "score": lambda t: MeetingScore.objects.create(
        session=af.make_session(t["STP-VP"]), item="conduct", points=20
    ),
    # The sessions counted per unit and quarter: a row the triggers made for a session.
    "tally": lambda t: SessionTally.objects.get(
        unit=af.make_session(uf.make_unit(uf.make_unit(t["BLOC"]))).unit
    ),
    "declared": lambda t: af.make_declared_figure(
        t["BDV"], period_end=datetime.date(2024, 1, 1) + datetime.timedelta(days=next(_n))
    ),
}

# name: (row, {field: value that breaks it})
CHECKS = {
    "membership_role_valid": ("membership", {"role": "king"}),
    "unit_kind_valid": ("unit", {"kind": "province"}),
    "unit_code_not_blank": ("unit", {"code": ""}),
    "unit_code_upper": ("unit", {"code": "stp"}),
    "unit_name_not_blank": ("unit", {"name": ""}),
    "unit_path_not_blank": ("unit", {"path": ""}),
    "unit_root_is_bloc": ("unit", {"parent": None}),
    "unit_not_own_parent": ("unit", {"parent": Column("id")}),
    "member_count_year_range": ("member_count", {"year": 1800}),
    "member_count_as_of_in_year": ("member_count", {"year": 2024, "as_of": datetime.date(2023, 12, 31)}),
    "official_code_not_blank": ("official", {"code": ""}),
    "official_name_not_blank": ("official", {"full_name": ""}),
    "position_kind_valid": ("position", {"kind": "union"}),
    "position_title_not_blank": ("position", {"title": ""}),
    "position_ends_after_start": ("position", {"end_date": datetime.date(2019, 12, 31)}),
    "source_kind_valid": ("source", {"kind": "rumour"}),
    "source_code_not_blank": ("source", {"code": ""}),
    "source_title_not_blank": ("source", {"title": ""}),
    "directive_kind_valid": ("directive", {"kind": "memo"}),
    "directive_code_not_blank": ("directive", {"code": ""}),
    "directive_title_not_blank": ("directive", {"title": ""}),
    "directive_not_self_linked": ("directive", {"continues": Column("id")}),
    "theme_year_range": ("theme", {"year": 1800}),
    "theme_quarter_range": ("theme", {"quarter": 0}),
    "theme_title_not_blank": ("theme", {"title": ""}),
    "session_kind_valid": ("session", {"kind": "party"}),
    "session_format_valid": ("session", {"format": "radio"}),
    "session_year_range": ("session_undated", {"year": 1800}),
    "session_quarter_range": ("session_undated", {"quarter": 5}),
    "session_period_matches_date": ("session", {"quarter": 2}),
    "session_attended_within_expected": ("session", {"attended": 21}),
    "session_times_ordered": ("session", {"starts_at": "09:00:00", "ends_at": "08:00:00"}),
    "session_combined_is_monthly": ("session", {"also_thematic": True}),
    "session_resolution_after_meeting": ("session", {"resolution_published_on": datetime.date(2024, 2, 4)}),
    "session_score_graded": ("session", {"score": 64}),
    "session_minutes_adopted_after_meeting": (
        "session",
        {"minutes": "Biên bản", "minutes_adopted_on": datetime.date(2024, 2, 4)},
    ),
    "initiative_group_valid": ("initiative", {"group": "sports"}),
    "initiative_status_valid": ("initiative", {"status": "abandoned"}),
    "initiative_title_not_blank": ("initiative", {"title": ""}),
    "initiative_start_year_range": ("initiative", {"start_year": 1800}),
    "evaluation_evaluator_not_blank": ("evaluation", {"evaluator": ""}),
    "evaluation_result_not_blank": ("evaluation", {"result": ""}),
    "outreach_channel_valid": ("outreach", {"channel": "radio"}),
    "outreach_title_not_blank": ("outreach", {"title": ""}),
    "outreach_dated_unless_regular": ("outreach", {"published_on": None}),
    "exemplar_name_not_blank": ("exemplar", {"name": ""}),
    "exemplar_deed_not_blank": ("exemplar", {"deed": ""}),
    "service_received_qualifier_valid": ("service", {"received_qualifier": "maybe"}),
    "service_carried_over_qualifier_valid": ("service", {"carried_over_qualifier": "maybe"}),
    "service_resolved_qualifier_valid": ("service", {"resolved_qualifier": "maybe"}),
    "service_on_time_qualifier_valid": ("service", {"on_time_qualifier": "maybe"}),
    "service_agency_not_blank": ("service", {"agency": ""}),
    "service_period_ordered": ("service", {"period_end": datetime.date(2023, 12, 31)}),
    "service_carried_over_within_received": ("service", {"carried_over": 1001}),
    "service_resolved_within_received": ("service", {"resolved": 1001}),
    "service_on_time_within_received": ("service", {"resolved": None, "on_time": 1001}),
    "service_on_time_within_resolved": ("service", {"on_time": 991}),
    "service_on_time_rate_percent": ("service", {"on_time_rate": Decimal("100.01")}),
    "service_one_stop_rate_percent": ("service", {"one_stop_rate": Decimal("-0.01")}),
    "member_name_not_blank": ("member", {"full_name": ""}),
    "member_card_not_blank": ("member", {"card_number": ""}),
    "member_born_before_joining": ("member", {"born_on": datetime.date(2011, 1, 1)}),
    "member_official_after_joining": ("member", {"official_on": datetime.date(2009, 1, 1)}),
    "member_status_kind_valid": ("member_status", {"kind": "retired", "ends_on": None}),
    "member_status_end_only_for_exemption": ("member_status", {"kind": "deceased"}),
    "member_status_ends_after_start": ("member_status", {"ends_on": datetime.date(2023, 12, 31)}),
    "member_exemption_has_reason": ("member_status", {"reason": ""}),
    "attendance_status_valid": ("attendance", {"status": "late"}),
    "attendance_leave_has_reason": ("attendance", {"status": "excused", "reason": ""}),
    "task_description_not_blank": ("task", {"description": ""}),
    "task_reviewed_at_another_meeting": ("task", {"reviewed_at": Column("session_id")}),
    "score_item_not_blank": ("score", {"item": ""}),
    "score_points_at_most_100": ("score", {"points": 101}),
    "declared_metric_valid": ("declared", {"metric": "likes"}),
    "declared_qualifier_valid": ("declared", {"qualifier": "maybe"}),
    "declared_value_not_negative": ("declared", {"value": Decimal("-1")}),
    "declared_period_ordered": ("declared", {"period_end": datetime.date(2020, 12, 31)}),
}

# name: (row, fields copied from a first row onto a second one, which then duplicates it)
UNIQUES = {
    "unit_name_unique_among_siblings": ("unit", ["name"]),
    "member_count_one_per_unit_year": ("member_count", ["year"]),
    "position_natural_key": ("position", ["official"]),
    "position_natural_key_when_null": ("position_undated", ["official"]),
    "theme_natural_key": ("theme", ["title"]),
    "theme_natural_key_when_null": ("theme_yearly", ["title"]),
    "session_natural_key_dated": ("session", ["topic"]),
    "session_natural_key_undated": ("session_undated", ["topic"]),
    "initiative_natural_key": ("initiative", ["title"]),
    "evaluation_natural_key": ("evaluation", ["initiative"]),
    "outreach_natural_key": ("outreach", ["title"]),
    "outreach_natural_key_when_null": ("outreach_regular", ["title"]),
    "exemplar_natural_key": ("exemplar", ["name"]),
    "service_natural_key": ("service", ["agency"]),
    "declared_natural_key": ("declared", ["period_end"]),
    "tally_unit_quarter_key": ("tally", ["unit", "year", "quarter"]),
    "member_status_once_a_day": ("member_status", ["member", "kind", "starts_on"]),
    "attendance_once_per_session": ("attendance", ["session", "member"]),
    "score_once_per_item": ("score", ["session", "item"]),
}


def raw_update(obj, values):
    """UPDATE one row in plain SQL: no save(), no field preparation."""
    quote = connection.ops.quote_name
    sets, params = [], []
    for name, value in values.items():
        column = quote(obj._meta.get_field(name).column)
        if isinstance(value, Column):
            sets.append(f"{column} = {quote(value.name)}")
        else:
            sets.append(f"{column} = %s")
            params.append(value)
    sql = f"UPDATE {quote(obj._meta.db_table)} SET {', '.join(sets)} WHERE {quote(obj._meta.pk.column)} = %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, obj.pk])


def assert_refused(name, obj, values):
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        raw_update(obj, values)
    message = str(caught.value)
    # SQLite names a failed CHECK but reports a UNIQUE failure by its columns.
    if connection.vendor == "postgresql" or name not in UNIQUES:
        assert name in message, message
    else:
        assert "UNIQUE" in message, message


def test_every_constraint_has_a_case():
    declared = {
        constraint.name
        for model in apps.get_models()
        if model._meta.app_label in {"units", "activities", "members"}
        for constraint in model._meta.constraints
    }
    assert declared == set(CHECKS) | set(UNIQUES)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_database_refuses_a_row_breaking(tree, name):
    row, values = CHECKS[name]
    obj = ROWS[row](tree)
    assert_refused(name, obj, values)


@pytest.mark.parametrize("name", sorted(UNIQUES))
def test_database_refuses_a_duplicate_of(tree, name):
    row, fields = UNIQUES[name]
    first, second = ROWS[row](tree), ROWS[row](tree)
    values = {field: getattr(first, first._meta.get_field(field).attname) for field in fields}
    assert_refused(name, second, values)
