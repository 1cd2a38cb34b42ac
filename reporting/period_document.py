"""
The sơ kết (6 months) and tổng kết (year) reports: the same party document as the
quarterly one (activities.quarter_document, laid out by activities.docx_report), over
the period's quarters, built from accepted data. The figures are the unit's own and
those of the units directly under it whose report for the period is accepted; the
others are named, with where their report stands, and left out of the sums.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from activities import reports
from activities.models import StudySession
from activities.quarter_document import (
    EXEMPLARS_HEADING,
    INITIATIVES_HEADING,
    OUTREACH_HEADING,
    STUDY_HEADING,
    QuarterDocument,
    Section,
    figures_lines,
    issuer_name,
    number,
    numbered,
    on_behalf_of,
    percent,
    recipients,
    vietnamese_date,
)
from reporting import services
from reporting.models import SubmissionStatus
from reporting.periods import Period, PeriodKind
from tracker.text import lowercase_first
from units.models import Unit

WHERE_IT_STANDS = {
    None: "chưa nộp báo cáo",
    SubmissionStatus.SUBMITTED: "đã nộp, chưa được duyệt",
    SubmissionStatus.RETURNED: "báo cáo bị trả lại",
}


def summary(period: Period):
    if period.kind == PeriodKind.HALF:
        words = "Sơ kết 6 tháng đầu năm" if period.number == 1 else "Sơ kết 6 tháng cuối năm"
        return f"{words} {period.year} thực hiện Kết luận số 01-KL/TW"
    if period.kind == PeriodKind.YEAR:
        return f"Tổng kết năm {period.year} thực hiện Kết luận số 01-KL/TW"
    return f"Kết quả thực hiện Kết luận số 01-KL/TW, {lowercase_first(period.label)}"


class Part:
    """One unit's figures over the period: summed over its quarters; good models as at the period's end."""

    def __init__(self, label):
        self.label = label
        self.total = reports.Figures()
        self.good_models = 0
        self.gaps = []

    def add(self, quarter, figures, gaps, last):
        self.total = self.total + figures
        if last:
            self.good_models = figures.initiative_count
        if gaps:
            self.gaps.append(f"{quarter.short_label}: {gaps}")


def parts_of(unit, period, today):
    """The unit's own Part and one per unit directly under it (each with its subtree), over the period."""
    own, below = Part(unit.label), {}
    for index, quarter in enumerate(period.quarters):
        last = index == len(period.quarters) - 1
        overview = reports.quarter_overview(unit, quarter, today=today)
        if not overview.rows:
            continue
        top = overview.rows[0]
        own.add(quarter, top.own, top.gaps, last)
        for row in overview.children:
            part = below.setdefault(row.unit.pk, Part(row.unit.label))
            part.add(quarter, row.total, "", last)
        paths = {row.unit.pk: row.unit.path for row in overview.children}
        for row in overview.rows[1:]:
            if row.own.behind_units:
                # Named under the unit directly under the report's unit that it belongs to.
                key = next(pk for pk, path in paths.items() if row.unit.path.startswith(path))
                below[key].gaps.append(f"{row.unit.label} ({quarter.short_label}): {row.gaps}")
    return own, below


def period_document(unit, period: Period, today: datetime.date | None = None):
    today = today or timezone.localdate()
    own, below = parts_of(unit, period, today)
    statuses = {row["pk"]: row for row in services.status_list_below(unit, period)}
    accepted = [pk for pk, row in statuses.items() if row["sub__status"] == SubmissionStatus.ACCEPTED]
    waiting = [
        row
        for row in statuses.values()
        if row["sub__status"] not in (SubmissionStatus.ACCEPTED, SubmissionStatus.EXCUSED)
    ]
    included = [below[pk] for pk in accepted if pk in below]
    total = own.total
    good_models = own.good_models
    for part in included:
        total = total + part.total
        good_models += part.good_models
    has_units = unit.kind != Unit.Kind.CELL
    sections = [
        study_section(total, included, has_units),
        count_section(
            INITIATIVES_HEADING,
            "mô hình hay, cách làm tiêu biểu",
            good_models,
            included,
            "good_models",
            has_units,
        ),
        count_section(
            OUTREACH_HEADING, "hoạt động tuyên truyền", total.outreach, included, "outreach", has_units
        ),
        count_section(
            EXEMPLARS_HEADING, "gương người tốt, việc tốt", total.exemplars, included, "exemplars", has_units
        ),
    ]
    if has_units:
        sections.append(reporting_section(statuses, accepted, waiting))
    sections.append(shortfalls_section(own, included))
    parent = unit.parent
    superior = parent.name.upper() if parent else settings.REPORT_SUPERIOR.upper()
    return QuarterDocument(
        superior=superior,
        issuer=issuer_name(unit),
        number="Số        -BC/…",
        place_and_date=f"{settings.REPORT_PLACE}, {vietnamese_date(today)}",
        title="BÁO CÁO",
        summary=summary(period),
        sections=sections,
        recipients=recipients(unit),
        on_behalf_of=on_behalf_of(unit),
        signer_title=settings.REPORT_SIGNER_TITLE.upper(),
    )


def study_section(total, included, has_units):
    lines = figures_lines(total)
    if not has_units:
        return Section(heading=STUDY_HEADING, lines=lines)
    kinds = list(total.tallies)
    return Section(
        heading=STUDY_HEADING,
        lines=lines,
        headers=["STT", "Đơn vị"]
        + [f"{StudySession.Kind(kind).label} (đã tổ chức/phải tổ chức)" for kind in kinds]
        + ["Tỷ lệ đảng viên tham dự"],
        rows=numbered(
            [part.label]
            + [f"{number(t.held)}/{number(t.full)}" for t in part.total.tallies.values()]
            + [percent(part.total.attendance_rate)]
            for part in included
        ),
        empty="Chưa có đơn vị trực thuộc được duyệt báo cáo.",
    )


def count_section(heading, what, count, included, attribute, has_units):
    def value(part):
        return part.good_models if attribute == "good_models" else getattr(part.total, attribute)

    lines = [f"Tổng số {what}: {number(count)}."]
    if not has_units:
        return Section(heading=heading, lines=lines)
    return Section(
        heading=heading,
        lines=lines,
        headers=["STT", "Đơn vị", f"Số {what}"],
        rows=numbered([part.label, number(value(part))] for part in included),
        empty="Chưa có đơn vị trực thuộc được duyệt báo cáo.",
    )


def reporting_section(statuses, accepted, waiting):
    expected = [row for row in statuses.values() if row["sub__status"] != SubmissionStatus.EXCUSED]
    lines = [
        f"Số liệu tổng hợp từ báo cáo đã được duyệt của {number(len(accepted))}/{number(len(expected))} "
        "đơn vị trực thuộc."
    ]
    if waiting:
        lines.append("Các đơn vị chưa được duyệt báo cáo (số liệu chưa được tổng hợp vào báo cáo này):")
        for row in waiting:
            status = WHERE_IT_STANDS.get(row["sub__status"], "")
            reason = f" ({row['sub__reason']})" if row["sub__status"] == SubmissionStatus.RETURNED else ""
            lines.append(f"- {row['name']}: {status}{reason}.")
    else:
        lines.append("Tất cả các đơn vị trực thuộc đã được duyệt báo cáo hoặc được miễn.")
    return Section(heading="V. TÌNH HÌNH BÁO CÁO CỦA CÁC ĐƠN VỊ TRỰC THUỘC", lines=lines)


def shortfalls_section(own, included):
    lines = [f"- {own.label}, {gap}." for gap in own.gaps]
    for part in included:
        lines += [f"- {gap}." for gap in part.gaps]
    return Section(
        heading="VI. HẠN CHẾ, TỒN TẠI",
        lines=lines or ["Không có đơn vị chậm tiến độ trong kỳ."],
    )
