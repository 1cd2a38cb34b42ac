"""Small builders for tests: each makes a valid row, overridable by keyword."""

import datetime
import itertools
from decimal import Decimal

from activities.models import (
    DeclaredFigure,
    Directive,
    Exemplar,
    Initiative,
    InitiativeEvaluation,
    Outreach,
    ServiceFigure,
    Source,
    StudySession,
    Theme,
)

_numbers = itertools.count(1)


def make_source(**fields):
    n = next(_numbers)
    return Source.objects.create(**{"code": f"SRC-{n}", "title": f"Nguồn {n}", **fields})


def make_directive(**fields):
    n = next(_numbers)
    fields = {"code": f"{n:02d}-CT/TW", "kind": Directive.Kind.DIRECTIVE, "title": f"Chỉ thị {n}", **fields}
    return Directive.objects.create(**fields)


def make_theme(**fields):
    n = next(_numbers)
    return Theme.objects.create(**{"year": 2024, "quarter": 1, "title": f"Chuyên đề {n}", **fields})


def make_session(unit, **fields):
    n = next(_numbers)
    fields = {
        "kind": StudySession.Kind.THEMATIC,
        "date": datetime.date(2024, 2, 5),
        "topic": f"Chuyên đề {n}",
        "attended": 18,
        "expected": 20,
        **fields,
    }
    return StudySession.objects.create(unit=unit, **fields)


def make_initiative(unit, **fields):
    n = next(_numbers)
    fields = {"title": f"Mô hình {n}", "group": Initiative.Group.ADMIN_REFORM, **fields}
    return Initiative.objects.create(unit=unit, **fields)


def make_evaluation(initiative, **fields):
    fields = {
        "evaluated_on": datetime.date(2024, 6, 30),
        "evaluator": "Ban Tuyên giáo Đảng ủy Khối",
        "result": "Hiệu quả, đề nghị nhân rộng",
        **fields,
    }
    return InitiativeEvaluation.objects.create(initiative=initiative, **fields)


def make_outreach(unit, **fields):
    n = next(_numbers)
    fields = {
        "channel": Outreach.Channel.WEBSITE,
        "title": f"Bài viết {n}",
        "published_on": datetime.date(2024, 3, 1),
        **fields,
    }
    return Outreach.objects.create(unit=unit, **fields)


def make_exemplar(unit, **fields):
    n = next(_numbers)
    fields = {"name": f"Trần Thị {n}", "deed": "Nhặt được của rơi trả lại người mất", **fields}
    fields.setdefault("recognised_on", datetime.date(2024, 5, 19))
    return Exemplar.objects.create(unit=unit, **fields)


def make_service_figure(unit, **fields):
    fields = {
        "agency": "Sở Tư pháp",
        "period_start": datetime.date(2024, 1, 1),
        "period_end": datetime.date(2024, 3, 31),
        "received": 1000,
        "carried_over": 10,
        "resolved": 990,
        "on_time": 980,
        "on_time_rate": Decimal("98.99"),
        "one_stop_rate": Decimal("100"),
        **fields,
    }
    return ServiceFigure.objects.create(unit=unit, **fields)


def make_declared_figure(unit, **fields):
    fields = {
        "metric": DeclaredFigure.Metric.THEMATIC_SESSIONS,
        "value": Decimal("13"),
        "qualifier": "exact",
        "period_start": datetime.date(2021, 1, 1),
        "period_end": datetime.date(2024, 3, 15),
        **fields,
    }
    return DeclaredFigure.objects.create(unit=unit, **fields)
