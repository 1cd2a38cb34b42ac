import datetime
import unicodedata
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from activities.models import (
    DeclaredFigure,
    Exemplar,
    Initiative,
    Outreach,
    ServiceFigure,
    Source,
    StudySession,
    Theme,
)

from .factories import (
    make_declared_figure,
    make_directive,
    make_evaluation,
    make_exemplar,
    make_initiative,
    make_outreach,
    make_service_figure,
    make_session,
    make_source,
    make_theme,
)


def refused(callable_, *args, **kwargs):
    """Run a write that the database must refuse."""
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_(*args, **kwargs)


class TestSessionPeriod:
    @pytest.mark.parametrize(
        ("day", "year", "quarter"),
        [
            (datetime.date(2024, 3, 31), 2024, 1),
            (datetime.date(2024, 4, 1), 2024, 2),
            (datetime.date(2024, 1, 1), 2024, 1),
            (datetime.date(2023, 12, 31), 2023, 4),
            (datetime.date(2024, 6, 30), 2024, 2),
            (datetime.date(2024, 7, 1), 2024, 3),
            (datetime.date(2024, 9, 30), 2024, 3),
            (datetime.date(2024, 10, 1), 2024, 4),
        ],
    )
    def test_quarter_is_derived_from_the_date(self, tree, day, year, quarter):
        session = make_session(tree["BDV"], date=day)
        stored = StudySession.objects.values_list("year", "quarter").get(pk=session.pk)
        assert stored == (year, quarter)

    def test_typed_quarter_is_overwritten_by_the_date(self, tree):
        session = make_session(tree["BDV"], date=datetime.date(2024, 4, 1), year=2023, quarter=4)
        assert (session.year, session.quarter) == (2024, 2)

    def test_undated_session_keeps_its_quarter(self, tree):
        session = make_session(tree["BDV"], date=None, year=2024, quarter=1)
        assert session.date is None
        assert session.period_label == "Quý I/2024"

    def test_database_refuses_a_quarter_that_contradicts_the_date(self, tree):
        session = make_session(tree["BDV"], date=datetime.date(2024, 3, 31))
        refused(StudySession.objects.filter(pk=session.pk).update, quarter=2)
        refused(StudySession.objects.filter(pk=session.pk).update, year=2023)

    def test_database_refuses_quarter_five(self, tree):
        session = make_session(tree["BDV"], date=None, year=2024, quarter=1)
        refused(StudySession.objects.filter(pk=session.pk).update, quarter=5)

    def test_clean_asks_for_a_date_or_a_quarter(self, tree):
        session = StudySession(unit=tree["BDV"], kind="thematic", topic="Không ngày")
        with pytest.raises(ValidationError) as caught:
            session.full_clean()
        assert caught.value.messages == ["Hãy nhập ngày, hoặc năm và quý khi không rõ ngày."]

    def test_in_quarter_finds_dated_and_undated_sessions(self, tree):
        make_session(tree["BDV"], date=datetime.date(2024, 3, 31), topic="A")
        make_session(tree["BDV"], date=None, year=2024, quarter=1, topic="B")
        make_session(tree["BDV"], date=datetime.date(2024, 4, 1), topic="C")
        topics = StudySession.objects.in_quarter(2024, 1).values_list("topic", flat=True)
        assert sorted(topics) == ["A", "B"]

    def test_quarter_filter_uses_an_index(self, tree):
        queryset = StudySession.objects.in_quarter(2024, 1).of_kind("thematic").order_by()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET enable_seqscan = off")
            # Either index that leads with the period serves it: the listing's
            # (year, quarter, date, …) or the period-and-kind one.
            # The planner may add the kind to the period-and-kind index's condition.
            assert "Index Cond: ((year = 2024) AND (quarter = 1)" in queryset.explain()
        else:
            assert "USING INDEX session_period_kind_idx" in queryset.explain()


class TestSessionConstraints:
    def test_attended_above_expected_is_refused(self, tree):
        refused(make_session, tree["BDV"], attended=21, expected=20)

    def test_attended_equal_to_expected_is_allowed(self, tree):
        assert make_session(tree["BDV"], attended=20, expected=20).attendance_rate == 100

    def test_same_dated_session_twice_is_refused(self, tree):
        make_session(tree["BDV"], topic="Về văn hóa")
        refused(make_session, tree["BDV"], topic="Về văn hóa")

    def test_same_undated_session_twice_is_refused(self, tree):
        make_session(tree["BDV"], date=None, year=2024, quarter=1, topic="Về văn hóa")
        refused(make_session, tree["BDV"], date=None, year=2024, quarter=1, topic="Về văn hóa")
        assert StudySession.objects.count() == 1

    def test_the_same_topic_typed_decomposed_is_the_same_session(self, tree):
        make_session(tree["BDV"], topic="Về văn hóa")
        refused(make_session, tree["BDV"], topic=unicodedata.normalize("NFD", "Về văn hóa"))

    def test_same_topic_in_another_unit_is_allowed(self, tree):
        make_session(tree["BDV"], topic="Về văn hóa")
        make_session(tree["STP"], topic="Về văn hóa")
        assert StudySession.objects.count() == 2

    def test_unknown_kind_and_format_are_refused(self, tree):
        refused(make_session, tree["BDV"], kind="party")
        refused(make_session, tree["BDV"], format="radio")

    def test_negative_attendance_is_refused(self, tree):
        refused(make_session, tree["BDV"], attended=-1)


class TestServiceFigureConstraints:
    def test_on_time_above_resolved_is_refused(self, tree):
        refused(make_service_figure, tree["STP"], resolved=900, on_time=901)

    def test_resolved_above_received_is_refused(self, tree):
        refused(make_service_figure, tree["STP"], received=1000, resolved=1001, on_time=10)

    def test_on_time_above_received_is_refused_when_resolved_is_unknown(self, tree):
        refused(make_service_figure, tree["STP"], received=1000, resolved=None, on_time=1001)

    def test_carried_over_above_received_is_refused(self, tree):
        refused(make_service_figure, tree["STP"], received=100, carried_over=101, resolved=None, on_time=None)

    @pytest.mark.parametrize("field", ["on_time_rate", "one_stop_rate"])
    @pytest.mark.parametrize("value", [Decimal("-0.01"), Decimal("100.01")])
    def test_percentages_outside_0_100_are_refused(self, tree, field, value):
        refused(make_service_figure, tree["STP"], **{field: value})

    def test_period_ending_before_it_starts_is_refused(self, tree):
        refused(make_service_figure, tree["STP"], period_end=datetime.date(2023, 12, 31))

    def test_same_agency_and_period_twice_is_refused(self, tree):
        make_service_figure(tree["STP"])
        refused(make_service_figure, tree["STP"])

    def test_declared_rate_is_kept_beside_the_computed_one(self, tree):
        figure = make_service_figure(
            tree["STP"],
            received=80000,
            carried_over=776,
            resolved=None,
            on_time=77000,
            on_time_rate=Decimal("98.06"),
        )
        figure.refresh_from_db()
        assert figure.on_time_rate == Decimal("98.06")
        assert figure.computed_on_time_rate == 96.25

    def test_clean_explains_each_broken_count(self, tree):
        figure = ServiceFigure(
            unit=tree["STP"],
            agency="Sở Tư pháp",
            period_start=datetime.date(2024, 1, 1),
            period_end=datetime.date(2024, 3, 31),
            received=10,
            carried_over=11,
            resolved=12,
            on_time=13,
        )
        with pytest.raises(ValidationError) as caught:
            figure.clean()
        assert sorted(caught.value.message_dict) == ["carried_over", "on_time", "resolved"]


class TestOtherConstraints:
    def test_declared_figure_needs_an_ordered_period_and_a_non_negative_value(self, tree):
        refused(make_declared_figure, tree["BDV"], value=Decimal("-1"))
        refused(make_declared_figure, tree["BDV"], period_end=datetime.date(2020, 12, 31))

    def test_declared_figure_twice_for_the_same_period_is_refused(self, tree):
        make_declared_figure(tree["BDV"])
        refused(make_declared_figure, tree["BDV"], value=Decimal("14"))
        assert DeclaredFigure.objects.get().value == Decimal("13")

    def test_unknown_qualifier_and_metric_are_refused(self, tree):
        refused(make_declared_figure, tree["BDV"], qualifier="maybe")
        refused(make_declared_figure, tree["BDV"], metric="likes")

    def test_initiative_twice_in_a_unit_is_refused(self, tree):
        make_initiative(tree["STP"], title="Cơ quan văn minh")
        refused(make_initiative, tree["STP"], title="Cơ quan văn minh")

    def test_unknown_initiative_status_and_group_are_refused(self, tree):
        refused(make_initiative, tree["STP"], status="abandoned")
        refused(make_initiative, tree["STP"], group="sports")

    def test_evaluation_twice_on_the_same_day_by_the_same_body_is_refused(self, tree):
        initiative = make_initiative(tree["STP"])
        make_evaluation(initiative)
        refused(make_evaluation, initiative)

    def test_single_outreach_post_needs_a_date(self, tree):
        refused(make_outreach, tree["STP"], published_on=None, is_regular=False)
        make_outreach(tree["STP"], published_on=None, is_regular=True, channel=Outreach.Channel.BULLETIN)

    def test_same_undated_column_twice_is_refused(self, tree):
        make_outreach(tree["STP"], published_on=None, is_regular=True, title="Chuyên mục Bác Hồ")
        refused(make_outreach, tree["STP"], published_on=None, is_regular=True, title="Chuyên mục Bác Hồ")

    def test_exemplar_twice_is_refused(self, tree):
        make_exemplar(tree["STP"], name="Lê Văn A")
        refused(make_exemplar, tree["STP"], name="Lê Văn A")

    def test_yearly_theme_twice_is_refused(self, db):
        make_theme(year=2024, quarter=None, title="Chuyên đề năm 2024")
        refused(make_theme, year=2024, quarter=None, title="Chuyên đề năm 2024")
        make_theme(year=2024, quarter=1, title="Chuyên đề năm 2024")
        assert Theme.objects.count() == 2

    def test_theme_quarter_out_of_range_is_refused(self, db):
        refused(make_theme, quarter=0)

    def test_source_and_directive_codes_are_unique(self, db):
        make_source(code="BAO-DN")
        refused(make_source, code="bao-dn")
        make_directive(code="05-CT/TW")
        refused(make_directive, code="05-CT/TW")
        assert Source.objects.get().code == "BAO-DN"

    def test_directive_cannot_continue_itself(self, db):
        directive = make_directive()
        refused(type(directive).objects.filter(pk=directive.pk).update, continues=directive.pk)


class TestQuerySets:
    def test_records_of_a_subtree(self, tree):
        make_session(tree["STP-VP"], topic="a")
        make_session(tree["STP-TT"], topic="b")
        make_session(tree["KBNN-1"], topic="c")
        make_session(tree["STP"], topic="d")
        assert sorted(StudySession.objects.for_subtree(tree["STP"]).values_list("topic", flat=True)) == [
            "a",
            "b",
            "d",
        ]
        assert StudySession.objects.for_subtree(tree["BLOC"]).count() == 4
        assert (
            StudySession.objects.for_subtree(tree["STP"]).in_quarter(2024, 1).of_kind("thematic").count() == 3
        )

    def test_every_unit_record_has_the_subtree_selector(self, tree):
        make_initiative(tree["KBNN-2"])
        make_outreach(tree["STP-VP"])
        make_exemplar(tree["STP-VP"])
        make_service_figure(tree["STP"])
        make_declared_figure(tree["BDV"])
        counts = {
            model.__name__: model.objects.for_subtree(tree["STP"]).count()
            for model in (Initiative, Outreach, Exemplar, ServiceFigure)
        }
        assert counts == {"Initiative": 0, "Outreach": 1, "Exemplar": 1, "ServiceFigure": 1}
        assert DeclaredFigure.objects.for_subtree(tree["BDV"]).count() == 1
