"""
A hand-built quarter I/2024 for the `tree` fixture, with every case the reports must
get right. What each cell did in quarter I/2024:

    unit    thematic        monthly (months)         first-Monday  on track?
    STP-VP  15/02 (18/20)   25/01 26/02 31/03        3             yes
    STP-TT  missed          25/01 26/02 (+01/04: Q2)  0             no
    KBNN-1  undated, Q I    3                        3             yes
    KBNN-2  10/03 (10/10)   3                        2             no (first-Monday)
    BDV     20/03 (9/10)    3                        3             yes

Plus: BDV's thematic session of 10/10/2023 and its declared "13 thematic sessions
from 2021 to 15/03/2024" (1 logged: disagrees); STP's declared 5 monthly meetings in
quarter I (5 logged: agrees); KBNN's declared 2 thematic sessions in quarter I (2
logged, one of them known only by its quarter); outreach, exemplars, good models and a service figure
whose declared on-time rate differs from the computed one.
"""

import datetime
from decimal import Decimal

from activities.models import DeclaredFigure, Initiative, Outreach, StudySession
from activities.tests import factories as af

D = datetime.date
MONTHS = [D(2024, 1, 25), D(2024, 2, 26), D(2024, 3, 31)]
FIRST_MONDAYS = [D(2024, 1, 1), D(2024, 2, 5), D(2024, 3, 4)]


def session(unit, kind, day, topic=None, attended=None, expected=None, **fields):
    return af.make_session(
        unit,
        kind=kind,
        date=day,
        topic=topic or f"{kind} {day}",
        attended=attended,
        expected=expected,
        **fields,
    )


def build_quarter(tree):
    thematic, monthly, first = (
        StudySession.Kind.THEMATIC,
        StudySession.Kind.MONTHLY,
        StudySession.Kind.FIRST_MONDAY,
    )
    session(tree["STP-VP"], thematic, D(2024, 2, 15), "Về văn hóa", 18, 20)
    for unit in ("STP-VP", "KBNN-1", "KBNN-2", "BDV"):
        for day in MONTHS:
            session(tree[unit], monthly, day)
    for day in MONTHS[:2]:
        session(tree["STP-TT"], monthly, day)
    session(tree["STP-TT"], monthly, D(2024, 4, 1))  # the next quarter
    for unit in ("STP-VP", "KBNN-1", "BDV"):
        for day in FIRST_MONDAYS:
            session(tree[unit], first, day)
    for day in FIRST_MONDAYS[:2]:
        session(tree["KBNN-2"], first, day)
    session(tree["KBNN-1"], thematic, None, "Về văn hóa", year=2024, quarter=1)
    session(tree["KBNN-2"], thematic, D(2024, 3, 10), "Về văn hóa", 10, 10)
    session(tree["BDV"], thematic, D(2024, 3, 20), "Về văn hóa", 9, 10)
    session(tree["BDV"], thematic, D(2023, 10, 10), "Về đạo đức")

    af.make_outreach(tree["STP"], title="Chuyên mục Bản tin tư pháp", published_on=D(2024, 3, 1))
    af.make_outreach(tree["STP"], title="Bài sau quý", published_on=D(2024, 4, 1))
    af.make_outreach(
        tree["BDV"], title="Gương sáng", channel=Outreach.Channel.SOCIAL_MEDIA, published_on=D(2024, 1, 15)
    )
    af.make_exemplar(tree["KBNN-1"], name="Trần Thị Hoa", recognised_on=D(2024, 3, 31))
    af.make_exemplar(tree["KBNN-1"], name="Lê Văn Nam", recognised_on=D(2024, 4, 1))
    af.make_initiative(
        tree["STP"],
        title="Cải cách thủ tục",
        status=Initiative.Status.IN_PRACTICE,
        registered_on=D(2023, 5, 1),
    )
    evaluated = af.make_initiative(
        tree["KBNN"],
        title="Cơ quan văn minh",
        status=Initiative.Status.EVALUATED,
        registered_on=D(2024, 2, 1),
    )
    af.make_evaluation(evaluated, evaluated_on=D(2024, 3, 28))
    af.make_initiative(tree["BDV"], title="Dân vận khéo", registered_on=D(2024, 5, 1))
    af.make_service_figure(
        tree["STP"],
        received=1000,
        resolved=990,
        on_time=980,
        on_time_rate=Decimal("98.06"),
        period_start=D(2024, 1, 1),
        period_end=D(2024, 3, 31),
    )
    af.make_declared_figure(
        tree["BDV"],
        metric=DeclaredFigure.Metric.THEMATIC_SESSIONS,
        value=Decimal("13"),
        period_start=D(2021, 1, 1),
        period_end=D(2024, 3, 15),
    )
    af.make_declared_figure(
        tree["STP"],
        metric=DeclaredFigure.Metric.MONTHLY_MEETINGS,
        value=Decimal("5"),
        period_start=D(2024, 1, 1),
        period_end=D(2024, 3, 31),
    )
    af.make_declared_figure(
        tree["KBNN"],
        metric=DeclaredFigure.Metric.THEMATIC_SESSIONS,
        value=Decimal("2"),
        period_start=D(2024, 1, 1),
        period_end=D(2024, 3, 31),
    )
