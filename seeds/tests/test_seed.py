"""One test per fact of the seed article, with the article's exact values."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from activities.models import (
    DeclaredFigure,
    Directive,
    Initiative,
    Outreach,
    ServiceFigure,
    Source,
    StudySession,
    Theme,
)
from seeds.services import seed_article
from units.models import Official, Position, Unit

ARTICLE = "BAO-DONGNAI-HOC-TAP-LAM-THEO-BAC-2024"
SEEDED_MODELS = [
    Source,
    Unit,
    Official,
    Position,
    Directive,
    Theme,
    StudySession,
    DeclaredFigure,
    ServiceFigure,
    Outreach,
    Initiative,
]


@pytest.fixture
def seeded(db):
    seed_article()


def rows(model):
    return model.objects.count()


class TestSource:
    def test_the_article_is_the_source(self, seeded):
        source = Source.objects.get()
        assert (source.code, source.kind, source.title) == (
            ARTICLE,
            "article",
            "Đưa việc học tập và làm theo Bác đi vào nền nếp",
        )
        assert source.published_on is None
        assert source.date_note.startswith("Sau ngày 15/03/2024")

    @pytest.mark.parametrize("model", SEEDED_MODELS[1:], ids=lambda model: model.__name__)
    def test_every_seeded_row_points_at_the_article(self, seeded, model):
        assert model.objects.count() > 0
        assert set(model.objects.values_list("source__code", flat=True)) == {ARTICLE}


class TestUnits:
    def test_the_five_units_in_their_tree(self, seeded):
        tree = list(
            Unit.objects.in_tree_order().values_list("code", "name", "kind", "parent__code", "host_agency")
        )
        assert tree == [
            ("DBK", "Đảng bộ Khối các cơ quan tỉnh", "bloc", None, ""),
            ("STP", "Đảng bộ Sở Tư pháp", "grassroots_committee", "DBK", "Sở Tư pháp"),
            ("BDVTU", "Chi bộ Ban Dân vận Tỉnh ủy", "grassroots_cell", "DBK", "Ban Dân vận Tỉnh ủy"),
            (
                "KBNN",
                "Đảng bộ Kho bạc Nhà nước tỉnh",
                "grassroots_committee",
                "DBK",
                "Kho bạc Nhà nước Đồng Nai",
            ),
            ("HQDN", "Đảng bộ Cục Hải quan Đồng Nai", "grassroots_committee", "DBK", "Cục Hải quan Đồng Nai"),
        ]

    def test_placement_under_the_bloc_is_recorded_as_an_assumption(self, seeded):
        notes = dict(Unit.objects.values_list("code", "note"))
        assert notes["DBK"] == ""
        for code in ("STP", "BDVTU", "KBNN", "HQDN"):
            assert notes[code].startswith("Giả định: bài báo không nêu vị trí"), code

    def test_bloc_subtree_holds_all_five(self, seeded):
        assert Unit.objects.for_subtree(Unit.objects.get(code="DBK")).count() == 5


class TestOfficials:
    def titles(self, full_name):
        return sorted(
            Position.objects.filter(official__full_name=full_name).values_list("unit__code", "kind", "title")
        )

    def test_phan_quang_tuan_both_titles(self, seeded):
        assert self.titles("Phan Quang Tuấn") == [
            ("STP", "agency", "Phó giám đốc Sở Tư pháp"),
            ("STP", "party", "Phó bí thư Đảng ủy"),
        ]

    def test_pham_thi_kim_chung_both_titles(self, seeded):
        assert self.titles("Phạm Thị Kim Chung") == [
            ("BDVTU", "agency", "Phó trưởng ban thường trực Ban Dân vận Tỉnh ủy"),
            ("BDVTU", "party", "Bí thư chi bộ"),
        ]

    def test_doan_thi_thu_thuy(self, seeded):
        assert self.titles("Đoàn Thị Thu Thủy") == [
            ("DBK", "party", "Phó bí thư Đảng ủy Khối các cơ quan tỉnh")
        ]

    def test_three_officials_with_stable_codes(self, seeded):
        assert sorted(Official.objects.values_list("code", flat=True)) == [
            "DOAN-THI-THU-THUY",
            "PHAM-THI-KIM-CHUNG",
            "PHAN-QUANG-TUAN",
        ]


class TestDirectivesAndTheme:
    def test_directives(self, seeded):
        assert sorted(Directive.objects.values_list("code", "kind", "continues__code")) == [
            ("01-KL/TW", "conclusion", "05-CT/TW"),
            ("05-CT/TW", "directive", None),
            ("DAN-VAN-KHEO", "movement", "05-CT/TW"),
            ("NQTW4-XII", "resolution", None),
            ("NQTW4-XIII", "resolution", None),
            ("THI-DUA-YEU-NUOC", "movement", "05-CT/TW"),
        ]
        assert Directive.objects.get(code="05-CT/TW").issued_by == "Bộ Chính trị"

    def test_quarter_one_2024_theme(self, seeded):
        theme = Theme.objects.get()
        assert (theme.year, theme.quarter, theme.title, theme.directive.code) == (
            2024,
            1,
            "Tư tưởng, đạo đức, phong cách Hồ Chí Minh về văn hóa",
            "01-KL/TW",
        )

    def test_the_quarter_one_session_has_a_quarter_and_no_date(self, seeded):
        session = StudySession.objects.get()
        assert (session.unit.code, session.kind, session.date, session.year, session.quarter) == (
            "BDVTU",
            "thematic",
            None,
            2024,
            1,
        )
        assert session.theme.title == "Tư tưởng, đạo đức, phong cách Hồ Chí Minh về văn hóa"
        assert session.period_label == "Quý I/2024"


class TestFigures:
    def test_thirteen_thematic_sessions_2021_to_15_march_2024(self, seeded):
        figure = DeclaredFigure.objects.get(metric="thematic_sessions")
        assert (figure.unit.code, figure.value, figure.qualifier) == ("BDVTU", Decimal("13"), "exact")
        assert (figure.period_start, figure.period_end) == (
            datetime.date(2021, 1, 1),
            datetime.date(2024, 3, 15),
        )

    def test_thirty_nine_topics_2021_to_march_2024(self, seeded):
        figure = DeclaredFigure.objects.get(metric="topics_studied")
        assert (figure.unit.code, figure.value, figure.qualifier) == ("BDVTU", Decimal("39"), "exact")
        assert (figure.period_start, figure.period_end) == (
            datetime.date(2021, 1, 1),
            datetime.date(2024, 3, 31),
        )

    def test_three_years_of_01_kl_tw(self, seeded):
        figure = DeclaredFigure.objects.get(metric="years_of_implementation")
        assert (figure.unit.code, figure.value, figure.directive.code) == ("DBK", Decimal("3"), "01-KL/TW")

    def test_department_of_justice_service_figures_as_declared(self, seeded):
        figure = ServiceFigure.objects.get()
        assert (figure.unit.code, figure.agency) == ("STP", "Sở Tư pháp")
        assert (figure.period_start, figure.period_end) == (
            datetime.date(2021, 1, 1),
            datetime.date(2024, 3, 13),
        )
        assert (figure.received, figure.received_qualifier) == (80000, "over")
        assert (figure.carried_over, figure.carried_over_qualifier) == (776, "exact")
        assert figure.resolved is None
        assert (figure.on_time, figure.on_time_qualifier) == (77000, "nearly")
        assert (figure.on_time_rate, figure.one_stop_rate) == (Decimal("98.06"), Decimal("100.00"))
        assert figure.one_stop_software == "eGov"

    def test_the_disagreement_is_kept_not_fixed(self, seeded):
        # Nearly 77,000 of over 80,000 is 96.25%, not the declared 98.06%.
        figure = ServiceFigure.objects.get()
        assert figure.computed_on_time_rate == 96.25
        assert figure.on_time_rate == Decimal("98.06")


class TestOutreachAndModels:
    def test_department_of_justice_outreach_channels(self, seeded):
        assert sorted(
            Outreach.objects.values_list("unit__code", "channel", "is_regular", "published_on")
        ) == [
            ("STP", "bulletin", True, None),
            ("STP", "social_media", True, None),
            ("STP", "website", True, None),
        ]
        bulletin = Outreach.objects.get(channel="bulletin")
        assert "Bản tin tư pháp hàng quý" in bulletin.title
        assert "Hội đồng Phối hợp phổ biến, giáo dục pháp luật" in bulletin.description

    def test_treasury_good_model(self, seeded):
        model = Initiative.objects.get(unit__code="KBNN")
        assert model.title == (
            "Lãnh đạo Kho bạc Nhà nước Đồng Nai xây dựng cơ quan văn minh, có đời sống văn hóa tốt"
        )
        assert (model.group, model.status) == ("leadership_duty", "in_practice")

    def test_customs_good_model(self, seeded):
        model = Initiative.objects.get(unit__code="HQDN")
        assert model.title == "Cán bộ công chức ngành hải quan “kỷ cương - chuyên nghiệp - sáng tạo”"
        assert (model.group, model.status) == ("admin_reform", "in_practice")
        assert "hải quan số, hải quan thông minh" in model.description

    def test_bloc_wide_practices(self, seeded):
        assert sorted(Initiative.objects.filter(unit__code="DBK").values_list("group", flat=True)) == [
            "leadership_duty",
            "party_building",
            "propaganda",
        ]
        titles = " | ".join(Initiative.objects.filter(unit__code="DBK").values_list("title", flat=True))
        assert "tự phê bình và phê bình" in titles
        assert "đánh giá, xếp loại cán bộ, công chức hằng năm" in titles
        assert "lớp bồi dưỡng lý luận chính trị" in titles

    def test_first_monday_study_every_month(self, seeded):
        practice = Initiative.objects.get(unit__code="BDVTU")
        assert practice.title == "Sinh hoạt học tập và làm theo Bác vào sáng thứ Hai tuần đầu tiên của tháng"


class TestIdempotence:
    def test_second_run_creates_nothing(self, seeded):
        before = {model.__name__: rows(model) for model in SEEDED_MODELS}
        report = seed_article()
        assert report.created == []
        assert len(report.kept) == 36
        assert {model.__name__: rows(model) for model in SEEDED_MODELS} == before

    def test_a_users_correction_survives_a_second_run(self, seeded):
        Unit.objects.filter(code="STP").update(name="Đảng bộ Sở Tư pháp tỉnh Đồng Nai")
        ServiceFigure.objects.update(resolved=78500)
        seed_article()
        assert Unit.objects.get(code="STP").name == "Đảng bộ Sở Tư pháp tỉnh Đồng Nai"
        assert ServiceFigure.objects.get().resolved == 78500

    def test_command_says_what_it_created_then_what_it_left_alone(self, db, capsys):
        call_command("seed")
        first = capsys.readouterr().out
        assert "  tạo mới: tổ chức đảng — Đảng bộ Sở Tư pháp\n" in first
        assert first.endswith("Dữ liệu bài báo: tạo mới 36 dòng, giữ nguyên 0 dòng đã có.\n")
        call_command("seed")
        second = capsys.readouterr().out
        assert "tạo mới:" not in second
        assert "  giữ nguyên: 1 nguồn, 5 tổ chức đảng, 3 cán bộ, 5 chức vụ," in second
        assert second.endswith("Dữ liệu bài báo: tạo mới 0 dòng, giữ nguyên 36 dòng đã có.\n")
