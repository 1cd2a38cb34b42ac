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

from activities import reports, rules
from activities.models import StudySession
from tracker.periods import Quarter
from tracker.text import lowercase_first
from units.models import Unit


def issuer_name(unit):
    """A party committee issues for its đảng bộ ("Đảng bộ X" -> "ĐẢNG ỦY X"); a cell for itself."""
    name = unit.name
    if name.lower().startswith("đảng bộ "):
        name = "Đảng ủy " + name[len("đảng bộ ") :]
    return name.upper()


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


def vietnamese_date(day):
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def quarter_document(unit, quarter: Quarter, today: datetime.date | None = None):
    """The report of unit's subtree for a quarter, dated today."""
    today = today or timezone.localdate()
    page = reports.unit_quarter(unit, quarter, today=today)
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
            study_section(page),
            initiatives_section(page),
            outreach_section(page),
            exemplars_section(page),
            service_section(page),
            shortfalls_section(page),
        ],
        recipients=[
            f"- Ban Thường vụ {parent.name if parent else settings.REPORT_SUPERIOR} (để báo cáo),",
            f"- Các cấp ủy, chi bộ trực thuộc {unit.name},",
            "- Lưu Văn phòng.",
        ],
        on_behalf_of=on_behalf_of(unit),
        signer_title=settings.REPORT_SIGNER_TITLE.upper(),
    )


def attendance(session):
    if session.attended is None:
        return "—"
    if session.expected is None:
        return str(session.attended)
    return f"{session.attended}/{session.expected}"


def study_section(page):
    total = page.row.total
    counts = "; ".join(
        f"{lowercase_first(StudySession.Kind(kind).label)}: {tally.held}/{tally.full}"
        for kind, tally in total.tallies.items()
        if tally.held or tally.full
    )
    lines = [f"Tổng số buổi sinh hoạt, học tập đã ghi nhận: {total.sessions} buổi ({counts or 'không có'})."]
    if total.attendance_rate is not None:
        lines.append(f"Tỷ lệ đảng viên tham dự: {percent(total.attendance_rate)}.")
    return Section(
        heading="I. VIỆC TỔ CHỨC HỌC TẬP, SINH HOẠT",
        lines=lines,
        headers=["Ngày", "Đơn vị", "Loại buổi", "Chủ đề", "Có mặt/triệu tập"],
        rows=[
            [
                s.date.strftime("%d/%m/%Y") if s.date else s.period_label,
                s.unit.name,
                s.get_kind_display(),
                s.topic,
                attendance(s),
            ]
            for s in page.sessions
        ],
        empty="Không có buổi sinh hoạt nào được ghi nhận trong quý.",
    )


def initiatives_section(page):
    return Section(
        heading="II. MÔ HÌNH HAY, CÁCH LÀM TIÊU BIỂU",
        headers=["Đơn vị", "Mô hình", "Giai đoạn"],
        rows=[[i.unit.name, i.title, i.get_status_display()] for i in page.initiatives],
        empty="Chưa có mô hình được đăng ký.",
    )


def outreach_section(page):
    return Section(
        heading="III. CÔNG TÁC TUYÊN TRUYỀN",
        headers=["Ngày", "Đơn vị", "Hình thức", "Nội dung"],
        rows=[
            [o.published_on.strftime("%d/%m/%Y") if o.published_on else "Thường xuyên", o.unit.name]
            + [o.get_channel_display(), o.title]
            for o in page.outreach
        ],
        empty="Không có hoạt động tuyên truyền được ghi nhận trong quý.",
    )


def exemplars_section(page):
    return Section(
        heading="IV. GƯƠNG NGƯỜI TỐT, VIỆC TỐT",
        headers=["Ngày", "Đơn vị", "Gương", "Việc làm"],
        rows=[[e.recognised_on.strftime("%d/%m/%Y"), e.unit.name, e.name, e.deed] for e in page.exemplars],
        empty="Không có gương người tốt, việc tốt được ghi nhận trong quý.",
    )


def amount(value):
    """A declared amount as Vietnamese write it: 13, or 2,5."""
    return str(int(value)) if value == int(value) else f"{value:f}".rstrip("0").replace(".", ",")


def percent(value):
    return "—" if value is None else f"{value:.2f}%".replace(".", ",")


def service_section(page):
    return Section(
        heading="V. KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        headers=["Cơ quan", "Kỳ", "Tiếp nhận", "Đã giải quyết", "Đúng hạn", "Tỷ lệ đúng hạn (báo cáo)"]
        + ["Tỷ lệ đúng hạn (tính lại)"],
        rows=[
            [
                f.agency,
                f"{f.period_start:%d/%m/%Y}–{f.period_end:%d/%m/%Y}",
                f.received,
                "—" if f.resolved is None else f.resolved,
                "—" if f.on_time is None else f.on_time,
                percent(f.on_time_rate),
                percent(f.computed_on_time_rate),
            ]
            for f in page.service_figures
        ],
        empty="Không có số liệu trong quý.",
    )


def shortfalls_section(page):
    """Every shortfall the sections above show: months or quarters missed, rates and figures that disagree."""
    lines = []
    with translation.override("vi"):
        for row in page.overview.rows:
            gaps = [
                f"{lowercase_first(StudySession.Kind(kind).label)}: {rules.missing_text(tally.missing)}"
                for kind, tally in row.own.tallies.items()
                if tally.missing
            ]
            if gaps:
                lines.append(f"- {row.unit.name}: {'; '.join(gaps)}.")
    for figure in page.service_figures:
        if figure.rate_differs:
            lines.append(
                f"- {figure.agency}: tỷ lệ giải quyết hồ sơ đúng hạn báo cáo là {percent(figure.on_time_rate)}, "
                f"tính lại từ số liệu là {percent(figure.computed_on_time_rate)}."
            )
    for figure in page.declared:
        if figure.difference:
            lines.append(
                f"- {figure.unit.name}: báo cáo {figure.get_metric_display().lower()} là {amount(figure.value)}, "
                f"số ghi nhận trên hệ thống là {figure.logged} "
                f"(chênh lệch {'+' if figure.difference > 0 else ''}{amount(figure.difference)})."
            )
    return Section(
        heading="VI. HẠN CHẾ, TỒN TẠI",
        lines=lines or ["Không có đơn vị chậm tiến độ; số liệu báo cáo khớp với số liệu ghi nhận."],
    )
