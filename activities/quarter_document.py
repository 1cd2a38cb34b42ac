"""
The quarterly report on carrying out Conclusion 01-KL/TW, drafted from the tracker's
numbers for a unit (or the bloc) to check, number, sign and send upward: its content
here, its Word layout in docx_report.py, its printable page in a template.

Names come from the data (the unit, its parent) and from settings (REPORT_PLACE, the
superior of a top unit, the signer's title), never from the code: units are renamed
and provinces merge.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone, translation

from activities import reports
from activities.models import InitiativeStatus, ServiceFigure, StudySession
from tracker.periods import Quarter
from tracker.text import lowercase_first
from units.models import Unit


def committee_name(name):
    """The committee that acts for a đảng bộ ("Đảng bộ X" -> "Đảng ủy X"); a cell acts for itself."""
    if name.lower().startswith("đảng bộ "):
        return "Đảng ủy " + name[len("đảng bộ ") :]
    return name


def issuer_name(unit):
    return committee_name(unit.name).upper()


def recipients(unit):
    """
    "Nơi nhận" as the unit's kind has them: the committee above (its standing committee
    when the unit is a committee or a grassroots cell), the units under it (a cell has
    none), and the unit's own file.
    """
    parent = unit.parent
    above = committee_name(parent.name) if parent else settings.REPORT_SUPERIOR
    if unit.kind == Unit.Kind.CELL:
        return [f"- {above} (để báo cáo),", "- Lưu Chi bộ."]
    if unit.kind == Unit.Kind.GRASSROOTS_CELL:
        return [f"- Ban Thường vụ {above} (để báo cáo),", "- Lưu Chi bộ."]
    below = "- Các chi bộ trực thuộc," if unit.kind == Unit.Kind.GRASSROOTS_COMMITTEE else None
    return [
        f"- Ban Thường vụ {above} (để báo cáo),",
        below or "- Các đảng ủy, chi bộ cơ sở trực thuộc,",
        "- Lưu Văn phòng Đảng ủy.",
    ]


def on_behalf_of(unit):
    return "T/M CHI BỘ" if unit.kind in (Unit.Kind.CELL, Unit.Kind.GRASSROOTS_CELL) else "T/M ĐẢNG ỦY"


@dataclass
class Section:
    heading: str
    headers: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    lines: list = field(default_factory=list)  # paragraphs, when there is no table
    empty: str = ""


@dataclass
class QuarterDocument:
    superior: str
    issuer: str
    number: str
    place_and_date: str
    title: str
    summary: str
    sections: list
    recipients: list
    on_behalf_of: str
    signer_title: str


def number(value):
    """A count as Vietnamese write it: 1.234."""
    return f"{value:,}".replace(",", ".")


def numbered(rows):
    """Rows with their STT (số thứ tự) in front."""
    return [[number(index), *row] for index, row in enumerate(rows, start=1)]


def vietnamese_date(day):
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def quarter_document(unit, quarter: Quarter, today: datetime.date | None = None):
    """
    The report of unit's subtree for a quarter, dated today. A committee or a cell lists
    each record; the bloc (a province: thousands of sessions) gives one row per unit
    directly under it, with the figures of that unit's subtree.
    """
    today = today or timezone.localdate()
    if unit.kind == Unit.Kind.BLOC:
        page = bloc_quarter(unit, quarter, today)
        sections = [bloc_study_section(page), bloc_initiatives_section(page)]
        sections += [bloc_outreach_section(page), bloc_exemplars_section(page)]
    else:
        page = reports.unit_quarter(unit, quarter, today=today)
        sections = [study_section(page), initiatives_section(page), outreach_section(page)]
        sections += [exemplars_section(page)]
    parent = unit.parent
    superior = parent.name.upper() if parent else settings.REPORT_SUPERIOR.upper()
    return QuarterDocument(
        superior=superior,
        issuer=issuer_name(unit),
        number="Số        -BC/…",
        place_and_date=f"{settings.REPORT_PLACE}, {vietnamese_date(today)}",
        title="BÁO CÁO",
        summary=f"Kết quả thực hiện Kết luận số 01-KL/TW, {quarter.label[0].lower()}{quarter.label[1:]}",
        sections=[
            *sections,
            service_section(page),
            shortfalls_section(page, by_unit_under=unit.kind == Unit.Kind.BLOC),
        ],
        recipients=recipients(unit),
        on_behalf_of=on_behalf_of(unit),
        signer_title=settings.REPORT_SIGNER_TITLE.upper(),
    )


def bloc_quarter(unit, quarter, today):
    """
    What the bloc's report reads: the overview (its rows already hold each subtree's
    totals), the service figures and the reconciliation; not the province's records,
    which the bloc's report does not list.
    """
    service_figures = (
        ServiceFigure.objects.for_subtree(unit)
        .filter(period_start__lte=quarter.end, period_end__gte=quarter.start)
        .select_related("unit")
        .order_by("unit__path", "period_start")
    )
    return reports.UnitQuarter(
        unit=unit,
        quarter=quarter,
        overview=reports.quarter_overview(unit, quarter, today=today),
        sessions=None,  # not read: a None fails loudly where a list would mislead
        initiatives=None,
        outreach=None,
        exemplars=None,
        service_figures=list(service_figures),
        declared=reports.reconciliation(unit, quarter),
    )


def children(page):
    """The overview rows of the units directly under the report's unit."""
    return page.overview.children


def attendance(session):
    if session.attended is None:
        return "—"
    if session.expected is None:
        return number(session.attended)
    return f"{number(session.attended)}/{number(session.expected)}"


def study_lines(page):
    return figures_lines(page.row.total)


def figures_lines(total):
    """What a report says of the sessions held, attendance and the meetings, from a Figures."""
    counts = "; ".join(
        f"{lowercase_first(StudySession.Kind(kind).label)}: {number(tally.held)}/{number(tally.full)}"
        for kind, tally in total.tallies.items()
        if tally.held or tally.full
    )
    lines = [
        f"Tổng số buổi sinh hoạt, học tập đã ghi nhận: {number(total.sessions)} buổi ({counts or 'không có'})."
    ]
    if total.attendance_rate is not None:
        lines.append(f"Tỷ lệ đảng viên tham dự: {percent(total.attendance_rate)}.")
    meetings = meeting_line(total)
    if meetings:
        lines.append(meetings)
    return lines


def meeting_line(total):
    """
    The meetings under the 2025 rules, in counts (never the names of the absent): the
    register's attendance, absences without leave, short meetings, documents late, grades.
    """
    if not (total.roll_expected or total.graded or total.short_meetings or total.late_documents):
        return ""
    parts = []
    if total.register_rate is not None:
        parts.append(f"tỷ lệ đảng viên dự họp theo danh sách: {percent(total.register_rate)}")
        parts.append(f"{number(total.unexcused)} lượt vắng không có lý do")
    parts.append(f"{number(total.short_meetings)} cuộc họp chưa đủ thời gian quy định")
    parts.append(f"{number(total.late_documents)} cuộc họp đăng tài liệu lên Sổ tay đảng viên muộn")
    if total.graded:
        grades = ", ".join(f"{label} {number(count)}" for label, count in total.grade_counts)
        parts.append(f"xếp loại {number(total.graded)} cuộc họp: {grades}")
    return "Chất lượng sinh hoạt chi bộ (Chỉ thị 50-CT/TW, Hướng dẫn 42-HD/BTCTW): " + "; ".join(parts) + "."


STUDY_HEADING = "I. VIỆC TỔ CHỨC HỌC TẬP, SINH HOẠT"
INITIATIVES_HEADING = "II. MÔ HÌNH HAY, CÁCH LÀM TIÊU BIỂU"
OUTREACH_HEADING = "III. CÔNG TÁC TUYÊN TRUYỀN"
EXEMPLARS_HEADING = "IV. GƯƠNG NGƯỜI TỐT, VIỆC TỐT"


def study_section(page):
    return Section(
        heading=STUDY_HEADING,
        lines=study_lines(page),
        headers=["STT", "Ngày", "Đơn vị", "Loại buổi", "Chủ đề", "Có mặt/triệu tập"],
        rows=numbered(
            [
                s.date.strftime("%d/%m/%Y") if s.date else s.period_label,
                s.unit.label,
                s.get_kind_display(),
                s.topic,
                attendance(s),
            ]
            for s in page.sessions
        ),
        empty="Không có buổi sinh hoạt nào được ghi nhận trong quý.",
    )


def bloc_study_section(page):
    kinds = list(page.row.total.tallies)
    return Section(
        heading=STUDY_HEADING,
        lines=study_lines(page),
        headers=["STT", "Đơn vị"]
        + [f"{StudySession.Kind(kind).label} (đã tổ chức/phải tổ chức)" for kind in kinds]
        + ["Tỷ lệ đảng viên tham dự"],
        rows=numbered(
            [row.unit.name]
            + [f"{number(t.held)}/{number(t.full)}" for t in row.total.tallies.values()]
            + [percent(row.total.attendance_rate)]
            for row in children(page)
        ),
        empty="Không có đơn vị trực thuộc.",
    )


def initiatives_section(page):
    return Section(
        heading=INITIATIVES_HEADING,
        headers=["STT", "Đơn vị", "Mô hình", "Giai đoạn"],
        rows=numbered([i.unit.label, i.title, i.get_status_display()] for i in page.initiatives),
        empty="Chưa có mô hình được đăng ký.",
    )


def bloc_initiatives_section(page):
    return Section(
        heading=INITIATIVES_HEADING,
        lines=[f"Tổng số mô hình hay, cách làm tiêu biểu: {number(page.row.total.initiative_count)}."],
        headers=["STT", "Đơn vị", "Số mô hình"] + [str(label) for label in InitiativeStatus.labels],
        rows=numbered(
            [row.unit.name, number(row.total.initiative_count)]
            + [number(count) for count in row.total.initiatives.values()]
            for row in children(page)
        ),
        empty="Không có đơn vị trực thuộc.",
    )


def outreach_section(page):
    return Section(
        heading=OUTREACH_HEADING,
        headers=["STT", "Ngày", "Đơn vị", "Hình thức", "Nội dung"],
        rows=numbered(
            [o.published_on.strftime("%d/%m/%Y") if o.published_on else "Thường xuyên", o.unit.label]
            + [o.get_channel_display(), o.title]
            for o in page.outreach
        ),
        empty="Không có hoạt động tuyên truyền được ghi nhận trong quý.",
    )


def bloc_count_section(page, heading, what, count):
    """A count per unit under the bloc, with the bloc's total: outreach, exemplars."""
    return Section(
        heading=heading,
        lines=[f"Tổng số {what}: {number(count(page.row.total))}."],
        headers=["STT", "Đơn vị", f"Số {what}"],
        rows=numbered([row.unit.name, number(count(row.total))] for row in children(page)),
        empty="Không có đơn vị trực thuộc.",
    )


def bloc_outreach_section(page):
    return bloc_count_section(
        page, OUTREACH_HEADING, "hoạt động tuyên truyền", lambda figures: figures.outreach
    )


def exemplars_section(page):
    return Section(
        heading=EXEMPLARS_HEADING,
        headers=["STT", "Ngày", "Đơn vị", "Gương", "Việc làm"],
        rows=numbered(
            [e.recognised_on.strftime("%d/%m/%Y"), e.unit.label, e.name, e.deed] for e in page.exemplars
        ),
        empty="Không có gương người tốt, việc tốt được ghi nhận trong quý.",
    )


def bloc_exemplars_section(page):
    return bloc_count_section(
        page, EXEMPLARS_HEADING, "gương người tốt, việc tốt", lambda figures: figures.exemplars
    )


def amount(value):
    """A declared amount as Vietnamese write it: 13, 1.234 or 2,5."""
    sign = "-" if value < 0 else ""
    whole, _, fraction = f"{abs(value):f}".partition(".")
    fraction = fraction.rstrip("0")
    return f"{sign}{number(int(whole))}{',' + fraction if fraction else ''}"


def percent(value):
    return "—" if value is None else f"{value:.2f}%".replace(".", ",")


def optional(value):
    return "—" if value is None else number(value)


def service_section(page):
    return Section(
        heading="V. KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        headers=["STT", "Cơ quan", "Kỳ", "Tiếp nhận", "Đã giải quyết", "Đúng hạn", "Tỷ lệ đúng hạn (báo cáo)"]
        + ["Tỷ lệ đúng hạn (tính lại)"],
        rows=numbered(
            [
                f.agency,
                f"{f.period_start:%d/%m/%Y}–{f.period_end:%d/%m/%Y}",
                number(f.received),
                optional(f.resolved),
                optional(f.on_time),
                percent(f.on_time_rate),
                percent(f.computed_on_time_rate),
            ]
            for f in page.service_figures
        ),
        empty="Không có số liệu trong quý.",
    )


def shortfalls_section(page, by_unit_under=False):
    """
    Every shortfall the sections above show: months or quarters missed, rates and figures
    that disagree. The bloc's report, whose tables give one row per unit under it, counts
    the units behind under each of those units the same way; the others name each unit.
    """
    lines = []
    with translation.override("vi"):
        rows = children(page) if by_unit_under else page.overview.rows
        for row in rows:
            if by_unit_under and row.has_children and row.total.behind_units:
                kinds = "; ".join(
                    f"{lowercase_first(tally.label)}: {number(tally.units_behind)}"
                    for tally in row.total.tallies.values()
                    if tally.units_behind
                )
                owing = max(tally.units_due for tally in row.total.tallies.values())
                lines.append(
                    f"- {row.unit.label}: {number(row.total.behind_units)}/{number(owing)} "
                    f"đơn vị chậm tiến độ ({kinds})."
                )
            elif row.own.behind_units:
                lines.append(f"- {row.unit.label}: {row.gaps}.")
    for figure in page.service_figures:
        if figure.rate_differs:
            lines.append(
                f"- {figure.agency}: tỷ lệ giải quyết hồ sơ đúng hạn báo cáo là {percent(figure.on_time_rate)}, "
                f"tính lại từ số liệu là {percent(figure.computed_on_time_rate)}."
            )
    for figure in page.declared:
        if figure.difference:
            lines.append(
                f"- {figure.unit.label}: báo cáo {figure.get_metric_display().lower()} là {amount(figure.value)}, "
                f"số ghi nhận trên hệ thống là {figure.logged} "
                f"(chênh lệch {'+' if figure.difference > 0 else ''}{amount(figure.difference)})."
            )
    return Section(
        heading="VI. HẠN CHẾ, TỒN TẠI",
        lines=lines or ["Không có đơn vị chậm tiến độ; số liệu báo cáo khớp với số liệu ghi nhận."],
    )
