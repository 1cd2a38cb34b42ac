"""
What a person reads when a row breaks a database constraint: a Vietnamese sentence
beside the field it concerns, never the constraint's name; and the same verdicts
computed in Python for an importer, checked against the database's own.
"""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation

from activities.tests import factories as af
from tracker.constraints import breaks, check_constraints_in_python
from tracker.tests.test_constraints import CHECKS, ROWS, Column

DOMAIN_MODELS = [
    model for model in apps.get_models() if model._meta.app_label in {"units", "activities", "members"}
]
CONSTRAINTS = {
    constraint.name: (model, constraint) for model in DOMAIN_MODELS for constraint in model._meta.constraints
}
# Conditions the Python check leaves to the database: a function it does not know
# (Upper), and what no one types: the unit's tree path, a meeting's score (derived).
LEFT_TO_THE_DATABASE = {"unit_code_upper", "unit_path_not_blank", "session_score_graded"}

# Rows that keep every constraint although a part of a condition is unknown (NULL)
# or takes its other branch.
PASSING = [
    ("session", {"attended": 999, "expected": None}),
    ("session", {"attended": None, "expected": 3}),
    ("session_undated", {"year": 2030, "quarter": 4}),
    ("service", {"resolved": None, "on_time": 999}),
    ("service", {"on_time": None, "resolved": 1000}),
    ("service", {"on_time_rate": None, "one_stop_rate": Decimal("0")}),
    ("outreach_regular", {"published_on": None, "is_regular": True}),
    ("member_count", {"year": 1999, "as_of": datetime.date(1999, 1, 1)}),
    ("position", {"start_date": None, "end_date": datetime.date(2000, 1, 1)}),
    ("theme", {"quarter": None}),
    ("initiative", {"start_year": None}),
]


def apply(obj, values):
    for name, value in values.items():
        field = obj._meta.get_field(name)
        if isinstance(value, Column):  # another column of the same row
            value = obj.pk if value.name == "id" else getattr(obj, value.name)
        setattr(obj, field.attname, value)
    return obj


def database_says_broken(model, constraint, obj):
    try:
        constraint.validate(model, obj)
    except ValidationError:
        return True
    return False


def test_every_constraint_has_a_vietnamese_message_on_one_of_its_fields():
    default = models.CheckConstraint.default_violation_error_message
    with translation.override("vi"):
        for name, (model, constraint) in CONSTRAINTS.items():
            message = str(constraint.violation_error_message)
            assert constraint.violation_error_message != default, name
            with translation.override("en"):
                english = str(constraint.violation_error_message)
            assert message != english, f"{name}: no Vietnamese for {english!r}"
            assert constraint.field in {field.name for field in model._meta.get_fields()}, name


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_python_verdict_matches_the_database_for_a_row_breaking(tree, name):
    row, values = CHECKS[name]
    obj = apply(ROWS[row](tree), values)
    model = type(obj)
    for constraint in model._meta.constraints:
        if not isinstance(constraint, models.CheckConstraint):
            continue
        broken = database_says_broken(model, constraint, obj)
        if constraint.name == name and name not in LEFT_TO_THE_DATABASE:
            assert broken, name
        expected = broken and constraint.name not in LEFT_TO_THE_DATABASE
        assert breaks(constraint, obj) is expected, (name, constraint.name)


@pytest.mark.parametrize("row, values", PASSING, ids=lambda item: str(item))
def test_python_verdict_matches_the_database_for_a_row_that_passes(tree, row, values):
    obj = apply(ROWS[row](tree), values)
    model = type(obj)
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.CheckConstraint):
            assert not database_says_broken(model, constraint, obj), constraint.name
            assert not breaks(constraint, obj), constraint.name
    assert check_constraints_in_python(obj) == {}


def test_an_unsaved_row_is_checked_without_a_query(tree, django_assert_num_queries):
    from activities.models import ServiceFigure

    figure = ServiceFigure(
        unit=tree["STP"],
        agency="Sở Tư pháp",
        period_start=datetime.date(2024, 3, 31),
        period_end=datetime.date(2024, 1, 1),
        received=10,
        carried_over=11,
        resolved=5,
        on_time=6,
        on_time_rate=Decimal("150"),
    )
    with translation.override("vi"), django_assert_num_queries(0):
        errors = check_constraints_in_python(figure)
    assert errors == {
        "period_end": ["Ngày kết thúc của kỳ phải trùng hoặc sau ngày bắt đầu."],
        "carried_over": [
            "Hồ sơ kỳ trước chuyển sang là một phần của số hồ sơ tiếp nhận nên không được vượt quá số này."
        ],
        "on_time": [
            "Số hồ sơ giải quyết đúng hạn không được vượt quá số hồ sơ đã giải quyết hoặc số hồ sơ tiếp nhận."
        ],
        "on_time_rate": ["Tỷ lệ phải nằm trong khoảng từ 0 đến 100."],
    }


def test_a_session_breaking_two_rules_gets_both_messages_on_their_fields(tree):
    session = af.make_session(tree["BDV"])
    session.attended, session.expected, session.kind = 30, 20, "party"
    with translation.override("vi"):
        assert check_constraints_in_python(session) == {
            "kind": ["Hãy chọn một giá trị có trong danh sách."],
            "attended": ["Số có mặt không được vượt quá số được triệu tập."],
        }


def test_a_clash_in_validation_names_the_existing_record(tree):
    from activities.models import StudySession

    existing = af.make_session(tree["BDV"], kind="monthly", date=datetime.date(2026, 11, 25), topic="")
    twin = StudySession(unit=tree["BDV"], kind="monthly", date=datetime.date(2026, 11, 25), topic="")
    twin.set_period_from_date()
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        twin.validate_constraints()
    [error] = caught.value.error_dict["date"]
    assert error.params["existing"] == existing
    assert list(error) == [
        "Đơn vị này đã có một buổi Sinh hoạt định kỳ ngày 25/11/2026. Hãy sửa buổi đó thay vì nhập lại; "
        "nếu là một buổi khác trong cùng ngày, hãy ghi chủ đề riêng cho buổi này."
    ]
