"""
A synthetic bloc for demonstrations and benchmarks.

Grassroots committees with their cells under the seeded bloc committee, with the
campaign's cadence — a thematic session each quarter, a monthly meeting, first-Monday
study in the cells that practise it — and what real records look like: some units
miss meetings, some log late, attendance varies, good models move through their life
cycle, and some declared figures disagree with what was logged.

Every row points at the demo source (code DEMO), which is how purge_demo finds
exactly these rows. The same seed and the same end date give the same data.

Most cells keep a register of their members, and take a roll call at each session:
absences with and without leave, members exempt, a few often away on leave. Since
Chỉ thị 50-CT/TW (23/7/2025) their regular meetings also record when they started
and ended (some too short), when their documents and resolution were posted on Sổ
tay (some late), the tasks they assigned and reviewed, and the cell's own points, from
which the meeting is scored (members.scoring).
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from activities import rules
from activities.models import (
    DeclaredFigure,
    Exemplar,
    Initiative,
    InitiativeEvaluation,
    MeetingScore,
    MeetingTask,
    Outreach,
    ServiceFigure,
    Source,
    StudySession,
    Theme,
)
from members.models import Attendance, AttendanceStatus, Member, MemberStatus
from members.scoring import rescore
from tracker.periods import Quarter
from units.models import MemberCount, Official, Position, Unit
from units.services import unit_bulk_create_tree

DEMO_SOURCE = {
    "code": "DEMO",
    "kind": Source.Kind.SYNTHETIC,
    "title": "Dữ liệu mẫu",
    "note": "Sinh tự động bằng lệnh generate_demo; xóa bằng purge_demo.",
}

AGENCIES = [
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Tài chính",
    "Sở Kế hoạch và Đầu tư",
    "Sở Xây dựng",
    "Sở Giao thông vận tải",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Tài nguyên và Môi trường",
    "Sở Công Thương",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Khoa học và Công nghệ",
    "Sở Thông tin và Truyền thông",
    "Sở Nội vụ",
    "Sở Ngoại vụ",
    "Thanh tra tỉnh",
    "Văn phòng Ủy ban nhân dân tỉnh",
    "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh",
    "Bảo hiểm xã hội tỉnh",
    "Cục Thuế tỉnh",
    "Cục Thống kê tỉnh",
    "Ngân hàng Nhà nước chi nhánh tỉnh",
    "Đài Phát thanh - Truyền hình tỉnh",
    "Trường Chính trị tỉnh",
    "Bệnh viện Đa khoa tỉnh",
    "Ban Quản lý các khu công nghiệp",
    "Liên minh Hợp tác xã tỉnh",
    "Viện Kiểm sát nhân dân tỉnh",
    "Tòa án nhân dân tỉnh",
    "Cục Thi hành án dân sự tỉnh",
]

CELL_NAMES = [
    "Chi bộ Văn phòng",
    "Chi bộ Thanh tra",
    "Chi bộ Phòng Tổ chức cán bộ",
    "Chi bộ Phòng Kế hoạch - Tài chính",
    "Chi bộ Phòng Pháp chế",
    "Chi bộ Phòng Quản lý chuyên ngành",
    "Chi bộ Trung tâm Dịch vụ công",
    "Chi bộ Trung tâm Thông tin",
]

FAMILY_NAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
]
MIDDLE_NAMES = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang", "Thu", "Kim", "Xuân", "Hoàng"]
GIVEN_NAMES = [
    "An", "Bình", "Chung", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hòa", "Hùng", "Hương", "Lan", "Linh",
    "Long", "Mai", "Nam", "Nga", "Phúc", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Thủy", "Trang", "Tuấn", "Yến",
]  # fmt: skip

THEME_SUBJECTS = [
    "về văn hóa",
    "về đoàn kết",
    "về cần, kiệm, liêm, chính, chí công vô tư",
    "về trách nhiệm nêu gương của cán bộ, đảng viên",
    "về xây dựng Đảng trong sạch, vững mạnh",
    "về thực hành dân chủ",
    "về phong cách làm việc khoa học, sâu sát",
    "về tinh thần phục vụ nhân dân",
    "về ý chí tự lực, tự cường",
    "về khát vọng phát triển đất nước phồn vinh, hạnh phúc",
    "về xây dựng chính quyền liêm chính, kiến tạo",
    "về rèn luyện đạo đức cách mạng",
]

FIRST_MONDAY_STORIES = [
    "Câu chuyện “Bác Hồ với những đồng tiền tiết kiệm”",
    "Câu chuyện “Chiếc áo trấn thủ”",
    "Bài viết “Bác Hồ và tinh thần đúng giờ”",
    "Tấm gương người tốt, việc tốt trong cơ quan",
    "Câu chuyện “Bác Hồ với thanh niên”",
    "Bài viết “Làm việc gì cũng phải đến nơi đến chốn”",
    "Câu chuyện “Quả táo của Bác”",
    "Bài viết “Cán bộ là đầy tớ của nhân dân”",
]

INITIATIVE_TITLES = [
    ("admin_reform", "Cải cách thủ tục hành chính, nâng cao sự hài lòng của người dân tại {agency}"),
    ("leadership_duty", "Người đứng đầu {agency} nêu gương, nói đi đôi với làm"),
    ("thrift_solidarity", "Tiết kiệm chi thường xuyên, chung tay vì người nghèo tại {agency}"),
    ("party_building", "Chi bộ {agency} sinh hoạt nền nếp, chất lượng"),
    ("propaganda", "Mỗi tuần một câu chuyện về Bác tại {agency}"),
    ("admin_reform", "Số hóa hồ sơ, giải quyết công việc trên môi trường mạng tại {agency}"),
]

DEEDS = [
    "Nhặt được của rơi, trả lại người đánh mất",
    "Hiến máu tình nguyện nhiều lần",
    "Giúp đỡ gia đình có hoàn cảnh khó khăn trong khu dân cư",
    "Có sáng kiến rút ngắn thời gian giải quyết hồ sơ cho người dân",
    "Tham gia cứu người trong tai nạn giao thông",
    "Vận động quyên góp xây nhà tình nghĩa",
]

OUTREACH_TITLES = {
    Outreach.Channel.SOCIAL_MEDIA: "Chia sẻ bài viết về học tập và làm theo Bác, tháng {month}/{year}",
    Outreach.Channel.WEBSITE: "Tin hoạt động học tập và làm theo Bác trên trang thông tin, {day}/{month}/{year}",
    Outreach.Channel.BULLETIN: "Chuyên mục “Làm theo lời Bác” trên bản tin quý {roman}/{year}",
}


# Chỉ thị 50-CT/TW: from then on the demo's regular meetings record what the 2025 rules ask.
RULES_2025 = datetime.date(2025, 7, 23)
EXEMPTION_REASONS = ["Tuổi cao, sức khỏe yếu", "Ốm đau điều trị dài ngày", "Công tác xa"]
LEAVE_REASONS = ["Ốm", "Đi công tác", "Nghỉ phép", "Việc gia đình", "Trực cơ quan", "Đi học"]
TASKS = [
    "Rà soát, cập nhật hồ sơ đảng viên",
    "Đăng ký việc làm theo Bác của từng đảng viên",
    "Hoàn thành báo cáo sơ kết công tác chuyên môn",
    "Tuyên truyền gương người tốt, việc tốt trên trang thông tin",
    "Thu đảng phí đúng quy định",
    "Chuẩn bị nội dung sinh hoạt chuyên đề quý",
]


@dataclass
class DemoSize:
    committees: int = 100
    cells_per_committee: int = 10
    years: int = 5
    seed: int = 1
    until: datetime.date | None = None


def first_monday(year, month):
    day = datetime.date(year, month, 1)
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)


def months_until(first_year, until):
    for year in range(first_year, until.year + 1):
        for month in range(1, 13):
            if datetime.date(year, month, 1) <= until:
                yield year, month


def on_time(submitted, deadline):
    """As reporting.services.submit says it: no deadline (a period before the cycle), nothing to be late for."""
    return deadline is None or timezone.localtime(submitted).date() <= deadline


class DemoBuilder:
    """Builds the rows in memory with one random generator, then bulk-inserts them."""

    def __init__(self, size: DemoSize, source: Source, root: Unit):
        self.size = size
        self.rng = random.Random(size.seed)
        self.source = source
        self.root = root
        self.until = size.until or timezone.localdate()
        self.first_year = self.until.year - size.years + 1
        self.counts = {}

    def build(self):
        committees, cells = self.units()
        members = self.member_counts(committees + cells)
        secretaries = self.officials(committees + cells)
        themes = self.themes()
        self.registers = self.members(cells, members)
        self.sessions(committees, cells, members, secretaries, themes)
        for start in range(0, len(self.scored_cells), 200):
            rescore(self.scored_cells[start : start + 200])
        self.initiatives(committees, cells)
        self.outreach(committees, cells)
        self.exemplars(committees, secretaries)
        self.service_figures(committees)
        self.submissions(committees, cells)
        return self.counts

    # Where the cells' reports for the last quarter over stand: most accepted, some
    # returned with a reason, some awaiting review, a few not handed in.
    RETURN_REASONS = (
        "Thiếu biên bản sinh hoạt chi bộ tháng cuối quý.",
        "Số đảng viên dự họp chưa khớp với danh sách điểm danh.",
        "Chưa đăng tài liệu lên Sổ tay đảng viên trước buổi họp.",
    )

    def submissions(self, committees, cells):
        """The reports of the last quarter over (reporting.Submission): accepted ones lock their records."""
        from django.contrib.auth import get_user_model

        from reporting.deadlines import Deadlines
        from reporting.models import Submission, SubmissionStatus
        from reporting.periods import Period

        period = Period.of_quarter(Quarter.of(self.until).previous())
        deadlines = Deadlines()
        reviewer = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
        moment = timezone.make_aware(datetime.datetime.combine(period.end, datetime.time(9)))
        rows, done = [], set()
        for cell in cells:
            draw = self.rng.random()
            if draw < 0.1:
                continue
            status = (
                SubmissionStatus.ACCEPTED
                if draw < 0.8
                else SubmissionStatus.RETURNED
                if draw < 0.9
                else SubmissionStatus.SUBMITTED
            )
            submitted = moment + datetime.timedelta(days=self.rng.randint(1, 9))
            reviewed = status != SubmissionStatus.SUBMITTED
            rows.append(
                Submission(
                    unit=cell,
                    **period.filter(),
                    status=status,
                    first_submitted_at=submitted,
                    submitted_at=submitted,
                    deadline=deadlines.due_on(period, "cell"),
                    on_time=on_time(submitted, deadlines.due_on(period, "cell")),
                    reason=self.rng.choice(self.RETURN_REASONS)
                    if status == SubmissionStatus.RETURNED
                    else "",
                    reviewed_by=reviewer if reviewed else None,
                    reviewed_at=submitted + datetime.timedelta(days=2) if reviewed else None,
                )
            )
            if status == SubmissionStatus.ACCEPTED:
                done.add(cell.parent_id)
        undone = {row.unit.parent_id for row in rows if row.status != SubmissionStatus.ACCEPTED}
        undone |= {cell.parent_id for cell in cells if cell.pk not in {row.unit_id for row in rows}}
        for committee in committees:
            if committee.pk in done - undone:
                submitted = moment + datetime.timedelta(days=self.rng.randint(8, 12))
                rows.append(
                    Submission(
                        unit=committee,
                        **period.filter(),
                        status=SubmissionStatus.SUBMITTED,
                        first_submitted_at=submitted,
                        submitted_at=submitted,
                        deadline=deadlines.due_on(period, "committee"),
                        on_time=on_time(submitted, deadlines.due_on(period, "committee")),
                    )
                )
        self.save(Submission, rows)

    def save(self, model, rows):
        model.objects.bulk_create(rows, batch_size=2000)
        self.counts[model] = self.counts.get(model, 0) + len(rows)
        return rows

    def units(self):
        taken = set(self.root.children.values_list("name", flat=True))
        committees, cells = [], []
        for c in range(self.size.committees):
            agency = AGENCIES[c % len(AGENCIES)]
            if c >= len(AGENCIES):
                agency = f"{agency} {c // len(AGENCIES) + 1}"
            name = f"Đảng bộ {agency}"
            if name in taken:
                name = f"{name} (mẫu)"
            committee = Unit(
                code=f"DEMO-{c + 1:03d}",
                name=name,
                kind=Unit.Kind.GRASSROOTS_COMMITTEE,
                parent=self.root,
                host_agency=agency,
                source=self.source,
            )
            committees.append(committee)
            for n in range(self.size.cells_per_committee):
                cell_name = (
                    CELL_NAMES[n]
                    if n < len(CELL_NAMES)
                    else f"Chi bộ Phòng Nghiệp vụ {n - len(CELL_NAMES) + 1}"
                )
                cells.append(
                    Unit(
                        code=f"DEMO-{c + 1:03d}-{n + 1:02d}",
                        name=cell_name,
                        kind=Unit.Kind.CELL,
                        parent=committee,
                        host_agency=agency,
                        source=self.source,
                    )
                )
        unit_bulk_create_tree(units=committees + cells)
        self.counts[Unit] = len(committees) + len(cells)
        return committees, cells

    def member_counts(self, units):
        """Members per unit and year; a committee counts its cells' members."""
        members = {}
        for unit in units:
            if unit.kind != Unit.Kind.CELL:
                continue
            count = self.rng.randint(8, 40)
            for year in range(self.first_year, self.until.year + 1):
                count = max(5, count + self.rng.randint(-2, 3))
                members[unit.pk, year] = count
                parent_key = (unit.parent.pk, year)
                members[parent_key] = members.get(parent_key, 0) + count
        rows = [
            MemberCount(unit_id=pk, year=year, members=count, source=self.source)
            for (pk, year), count in members.items()
        ]
        self.save(MemberCount, rows)
        return members

    def members(self, cells, counts):
        """
        The register of most cells (one in eight keeps none and logs a headcount): as
        many members as the cell counts in the last year, a few exempt from meetings,
        a few often away on leave. {cell pk: [(member, exempt, leave rate)]}.
        """
        members, statuses, registers = [], [], {}
        for number, cell in enumerate(cells, 1):
            if self.rng.random() < 0.125:
                continue
            register = []
            for n in range(counts[cell.pk, self.until.year]):
                joined = datetime.date(
                    self.rng.randint(1985, self.first_year - 1), self.rng.randint(1, 12), 1
                )
                member = Member(
                    unit=cell,
                    card_number=f"8{number:06d}{n:02d}",
                    full_name=self.person(),
                    born_on=datetime.date(
                        joined.year - self.rng.randint(22, 35), self.rng.randint(1, 12), 15
                    ),
                    joined_on=joined,
                    official_on=joined + datetime.timedelta(days=366),
                    source=self.source,
                )
                exempt = self.rng.random() < 0.03
                if exempt:
                    statuses.append(
                        MemberStatus(
                            member=member,
                            kind=MemberStatus.Kind.EXEMPT,
                            starts_on=datetime.date(self.first_year - 1, 1, 1),
                            reason=self.rng.choice(EXEMPTION_REASONS),
                        )
                    )
                # Most members are seldom away; one in twenty often is, with leave.
                leave = 0.5 if self.rng.random() < 0.05 else self.rng.choice([0.02, 0.04, 0.06, 0.08])
                members.append(member)
                register.append((member, exempt, leave))
            registers[cell.pk] = register
        self.save(Member, members)
        for status in statuses:
            status.member_id = status.member.pk
        self.save(MemberStatus, statuses)
        return registers

    def roll_call(self, session):
        """The session's marks from the cell's register (compact: a status and reason index per member), and its counts."""
        register = self.registers.get(session.unit.pk)
        if not register:
            return
        marks, counts = [], dict.fromkeys(AttendanceStatus.values, 0)
        for _member, exempt, leave in register:
            if exempt:
                status = AttendanceStatus.EXEMPT
            else:
                roll = self.rng.random()
                if roll < leave:
                    status = AttendanceStatus.EXCUSED
                elif roll < leave + 0.01:
                    status = AttendanceStatus.UNEXCUSED
                else:
                    status = AttendanceStatus.PRESENT
            counts[status] += 1
            marks.append((status, self.rng.randrange(len(LEAVE_REASONS))))
        session.marks = marks
        session.attended = counts[AttendanceStatus.PRESENT]
        session.expected = len(register) - counts[AttendanceStatus.EXEMPT]
        session.absent_excused = counts[AttendanceStatus.EXCUSED]
        session.absent_unexcused = counts[AttendanceStatus.UNEXCUSED]

    def meeting(self, session, combined=False):
        """A regular meeting under the 2025 rules: its times, documents, resolution (HD 42)."""
        start = self.rng.choice([datetime.time(7, 30), datetime.time(8, 0), datetime.time(14, 0)])
        minimum = 120 if combined else 90
        minutes = max(45, int(self.rng.gauss(minimum + 15, 15)))
        end = datetime.datetime.combine(session.date, start) + datetime.timedelta(minutes=minutes)
        session.starts_at, session.ends_at = start, end.time()
        session.also_thematic = combined
        roll = self.rng.random()
        if roll < 0.85:
            session.documents_posted_on = session.date - datetime.timedelta(days=self.rng.randint(1, 3))
        elif roll < 0.95:
            session.documents_posted_on = session.date  # the same day: late
        roll = self.rng.random()
        if roll < 0.8:
            session.resolution_published_on = session.date + datetime.timedelta(days=self.rng.randint(0, 2))
        elif roll < 0.92:
            session.resolution_published_on = session.date + datetime.timedelta(days=self.rng.randint(3, 6))
        if session.resolution_published_on and session.resolution_published_on > self.until:
            session.resolution_published_on = None
        session.derive_meeting_flags()

    def meeting_records(self, meetings):
        """
        The tasks each regular meeting assigned, most reviewed at the cell's next one, and
        the points the cell gave itself (seven in ten meetings assessed); then the scores.
        """
        tasks, scores, cells = [], [], set()
        by_cell = {}
        for meeting in meetings:
            by_cell.setdefault(meeting.unit.pk, []).append(meeting)
        for cell, held in by_cell.items():
            cells.add(cell)
            held.sort(key=lambda meeting: meeting.date)
            for at, meeting in enumerate(held):
                following = held[at + 1] if at + 1 < len(held) else None
                for n in range(self.rng.randint(1, 3)):
                    due = meeting.date + datetime.timedelta(days=self.rng.randint(10, 30))
                    reviewed = following if following is not None and self.rng.random() < 0.85 else None
                    tasks.append(
                        MeetingTask(
                            session=meeting,
                            description=TASKS[(at + n) % len(TASKS)],
                            assignee=self.rng.choice(["Chi ủy", "Bí thư chi bộ", "Tổ đảng", self.person()]),
                            due_on=due,
                            result="Đã hoàn thành" if reviewed else "",
                            reviewed_at=reviewed,
                        )
                    )
                if self.rng.random() < 0.7:
                    for item in rules.QUALITY_ITEMS:
                        if not item.computed:
                            points = item.points - self.rng.choice([0, 0, 0, 1, 1, 2, 3, 5])
                            scores.append(MeetingScore(session=meeting, item=item.key, points=max(0, points)))
        self.save(MeetingTask, tasks)
        self.save(MeetingScore, scores)
        return sorted(cells)

    def attendance(self, sessions):
        """Each roll call's rows, written a batch at a time (millions at a province)."""
        reasons = LEAVE_REASONS
        rows, total = [], 0
        for session in sessions:
            marks = getattr(session, "marks", None)
            if not marks:
                continue
            for (member, _exempt, _leave), (status, reason) in zip(
                self.registers[session.unit.pk], marks, strict=True
            ):
                rows.append(
                    Attendance(
                        session_id=session.pk,
                        member_id=member.pk,
                        status=status,
                        reason=reasons[reason] if status == AttendanceStatus.EXCUSED else "",
                    )
                )
            if len(rows) >= 20000:
                Attendance.objects.bulk_create(rows, batch_size=5000)
                total += len(rows)
                rows = []
        Attendance.objects.bulk_create(rows, batch_size=5000)
        self.counts[Attendance] = total + len(rows)

    def officials(self, units):
        """A secretary for each unit, and an agency title for each committee's secretary."""
        officials, positions = [], []
        for n in range(1, len(units) + 1):
            officials.append(Official(code=f"DEMO-CB-{n:05d}", full_name=self.person(), source=self.source))
        self.save(Official, officials)
        secretaries = {}
        for unit, official in zip(units, officials, strict=True):
            secretaries[unit.pk] = official
            start = datetime.date(self.first_year - self.rng.randint(0, 3), self.rng.randint(1, 12), 1)
            is_committee = unit.kind == Unit.Kind.GRASSROOTS_COMMITTEE
            title = "Bí thư Đảng ủy" if is_committee else "Bí thư chi bộ"
            positions.append(
                Position(
                    official=official,
                    unit=unit,
                    kind="party",
                    title=title,
                    start_date=start,
                    source=self.source,
                )
            )
            if is_committee:
                positions.append(
                    Position(
                        official=official,
                        unit=unit,
                        kind="agency",
                        title=f"Giám đốc {unit.host_agency}",
                        start_date=start,
                        source=self.source,
                    )
                )
        self.save(Position, positions)
        return secretaries

    def themes(self):
        """The theme of each quarter: the one on record, or a demo one."""
        existing = {(t.year, t.quarter): t for t in Theme.objects.filter(quarter__isnull=False)}
        new = []
        quarter = Quarter(self.first_year, 1)
        while quarter.start <= self.until:
            if (quarter.year, quarter.number) not in existing:
                subject = THEME_SUBJECTS[(quarter.year * 4 + quarter.number) % len(THEME_SUBJECTS)]
                theme = Theme(
                    year=quarter.year,
                    quarter=quarter.number,
                    title=f"Tư tưởng, đạo đức, phong cách Hồ Chí Minh {subject}",
                    source=self.source,
                )
                new.append(theme)
                existing[quarter.year, quarter.number] = theme
            quarter = quarter.next()
        self.save(Theme, new)
        return existing

    def sessions(self, committees, cells, members, secretaries, themes):
        rows = []
        for cell in cells:
            # Most cells keep the cadence; a few are often behind.
            reliability = self.rng.choice([0.98, 0.95, 0.92, 0.9, 0.85, 0.75, 0.6])
            studies_first_monday = self.rng.random() < 0.6
            chair = secretaries[cell.pk]
            combines = self.rng.random() < 0.4  # holds the thematic meeting with the regular one
            for year, month in months_until(self.first_year, self.until):
                expected = members[cell.pk, year]
                combined = False
                if self.rng.random() < reliability:
                    day = datetime.date(year, month, self.rng.randint(20, 28))
                    session = self.session(
                        cell,
                        StudySession.Kind.MONTHLY,
                        day,
                        f"Sinh hoạt chi bộ định kỳ tháng {month}/{year}",
                        expected,
                        chair,
                        has_self_criticism=self.rng.random() < 0.9,
                        reviews_study=self.rng.random() < 0.85,
                    )
                    if day >= RULES_2025:
                        combined = combines and month % 3 == 0
                        self.meeting(session, combined)
                        if combined:
                            session.theme = themes[year, month // 3]
                            session.topic += f" kết hợp sinh hoạt chuyên đề quý {month // 3}/{year}"
                    rows.append(session)
                if studies_first_monday and self.rng.random() < reliability:
                    day = first_monday(year, month)
                    story = FIRST_MONDAY_STORIES[(year * 12 + month) % len(FIRST_MONDAY_STORIES)]
                    rows.append(
                        self.session(cell, StudySession.Kind.FIRST_MONDAY, day, story, expected, chair)
                    )
                if month % 3 == 0 and not combined and self.rng.random() < reliability:
                    theme = themes[year, month // 3]
                    day = datetime.date(year, month - self.rng.randint(0, 2), self.rng.randint(5, 25))
                    session = self.session(
                        cell, StudySession.Kind.THEMATIC, day, theme.title, expected, chair
                    )
                    session.theme = theme
                    if self.rng.random() < 0.02:
                        session.date = None  # known only to the quarter
                    rows.append(session)
        for committee in committees:
            for year in range(self.first_year, self.until.year + 1):
                day = datetime.date(year, self.rng.randint(3, 10), self.rng.randint(1, 28))
                expected = members[committee.pk, year]
                topic = f"Lớp bồi dưỡng lý luận chính trị cho đảng viên mới năm {year}"
                rows.append(
                    self.session(
                        committee, StudySession.Kind.TRAINING, day, topic, expected, secretaries[committee.pk]
                    )
                )
        rows = [row for row in rows if row.date is None or row.date <= self.until]
        for row in rows:
            if row.attended is not None:
                self.roll_call(row)
        self.save(StudySession, rows)
        self.declared_figures(cells, rows)
        self.attendance(rows)
        meetings = [
            row for row in rows if row.kind == StudySession.Kind.MONTHLY and row.starts_at is not None
        ]
        self.scored_cells = self.meeting_records(meetings)

    def session(self, unit, kind, day, topic, expected, chair, **flags):
        quarter = Quarter.of(day)
        attended = expected - min(expected, int(self.rng.expovariate(1 / max(1, expected * 0.08))))
        record_attendance = self.rng.random() > 0.04
        return StudySession(
            unit=unit,
            kind=kind,
            date=day,
            year=quarter.year,
            quarter=quarter.number,
            topic=topic,
            format=self.rng.choice(["in_person"] * 8 + ["online", "mixed"]),
            chair=chair,
            attended=attended if record_attendance else None,
            expected=expected if record_attendance else None,
            source=self.source,
            created_at=self.logged_at(day),
            **flags,
        )

    def logged_at(self, day):
        """Most sessions are logged within days; one in ten after the quarter is over."""
        roll = self.rng.random()
        if roll < 0.7:
            delay = self.rng.randint(0, 3)
        elif roll < 0.9:
            delay = self.rng.randint(4, 20)
        else:
            delay = self.rng.randint(30, 120)
        logged = min(day + datetime.timedelta(days=delay), self.until)
        moment = datetime.datetime.combine(
            logged, datetime.time(8 + self.rng.randint(0, 9), self.rng.randint(0, 59))
        )
        return timezone.make_aware(moment)

    def declared_figures(self, cells, sessions):
        """Each cell declares its thematic sessions per year; about one in eight is off."""
        logged = {}
        for session in sessions:
            if session.kind == StudySession.Kind.THEMATIC:
                logged[session.unit.pk, session.year] = logged.get((session.unit.pk, session.year), 0) + 1
        rows = []
        for cell in cells:
            for year in range(self.first_year, self.until.year + 1):
                count = logged.get((cell.pk, year), 0)
                qualifier = "exact"
                if self.rng.random() < 0.12:
                    count += self.rng.choice([1, 1, 2, -1])
                    qualifier = self.rng.choice(["exact", "over", "about"])
                rows.append(
                    DeclaredFigure(
                        unit=cell,
                        metric=DeclaredFigure.Metric.THEMATIC_SESSIONS,
                        value=Decimal(max(0, count)),
                        qualifier=qualifier,
                        period_start=datetime.date(year, 1, 1),
                        period_end=min(datetime.date(year, 12, 31), self.until),
                        source=self.source,
                    )
                )
        self.save(DeclaredFigure, rows)

    def initiatives(self, committees, cells):
        rows, evaluations = [], []
        owners = [(unit, 2) for unit in committees] + [(unit, 1) for unit in cells if self.rng.random() < 0.3]
        for unit, how_many in owners:
            for group, template in self.rng.sample(INITIATIVE_TITLES, how_many):
                start_year = self.rng.randint(self.first_year, self.until.year)
                age = self.until.year - start_year
                stages = ["registered", "in_practice", "evaluated", "replicated"]
                weights = [[6, 4, 0, 0], [2, 5, 3, 0], [0, 3, 4, 3]][min(age, 2)]
                status = self.rng.choices(stages, weights)[0]
                initiative = Initiative(
                    unit=unit,
                    title=template.format(agency=self.place(unit)),
                    group=group,
                    start_year=start_year,
                    status=status,
                    registered_on=datetime.date(start_year, self.rng.randint(1, 3), self.rng.randint(1, 28)),
                    source=self.source,
                )
                rows.append(initiative)
                if status in ("evaluated", "replicated"):
                    for n in range(1 if status == "evaluated" else 2):
                        evaluations.append(
                            InitiativeEvaluation(
                                initiative=initiative,
                                evaluated_on=min(datetime.date(start_year + n, 12, 15), self.until),
                                evaluator="Ban Tuyên giáo Đảng ủy Khối"
                                if n == 0
                                else "Ban Thường vụ Đảng ủy Khối",
                                result="Mô hình hiệu quả" if n == 0 else "Đề nghị nhân rộng trong toàn khối",
                                source=self.source,
                            )
                        )
        self.save(Initiative, rows)
        self.save(InitiativeEvaluation, evaluations)

    @staticmethod
    def place(unit):
        """ "Sở Y tế" for a committee, "Văn phòng, Sở Y tế" for one of its cells."""
        if unit.kind == Unit.Kind.CELL:
            return f"{unit.name.removeprefix('Chi bộ ')}, {unit.host_agency}"
        return unit.host_agency

    def outreach(self, committees, cells):
        rows = []
        for unit in committees + cells:
            per_quarter = 2.0 if unit.kind == Unit.Kind.GRASSROOTS_COMMITTEE else 0.3
            quarter = Quarter(self.first_year, 1)
            while quarter.start <= self.until:
                seen = set()
                for _ in range(int(per_quarter + self.rng.random())):
                    channel = self.rng.choice(list(OUTREACH_TITLES))
                    day = quarter.start + datetime.timedelta(days=self.rng.randint(0, 89))
                    if day > self.until or (channel, day.month) in seen:
                        continue
                    seen.add((channel, day.month))
                    title = OUTREACH_TITLES[channel].format(
                        day=day.day, month=day.month, year=day.year, roman=quarter.roman
                    )
                    rows.append(
                        Outreach(
                            unit=unit, channel=channel, title=title, published_on=day, source=self.source
                        )
                    )
                quarter = quarter.next()
        self.save(Outreach, rows)

    def exemplars(self, committees, secretaries):
        rows = []
        for committee in committees:
            for year in range(self.first_year, self.until.year + 1):
                for n in range(self.rng.randint(0, 3)):
                    day = datetime.date(year, 5, 19) if n == 0 else datetime.date(year, 9, 2)
                    if day > self.until:
                        continue
                    collective = self.rng.random() < 0.2
                    name = committee.name.replace("Đảng bộ", "Tập thể") if collective else self.person()
                    rows.append(
                        Exemplar(
                            unit=committee,
                            name=name if n < 2 else f"{name} ({n + 1})",
                            is_collective=collective,
                            deed=self.rng.choice(DEEDS),
                            recognised_on=day,
                            source=self.source,
                        )
                    )
        self.save(Exemplar, rows)

    def person(self):
        return " ".join(
            (self.rng.choice(FAMILY_NAMES), self.rng.choice(MIDDLE_NAMES), self.rng.choice(GIVEN_NAMES))
        )

    def service_figures(self, committees):
        """Yearly dossier figures per agency; the declared rate is sometimes rounded up."""
        rows = []
        for committee in committees:
            size = self.rng.randint(300, 20000)
            for year in range(self.first_year, self.until.year + 1):
                end = min(datetime.date(year, 12, 31), self.until)
                received = int(size * self.rng.uniform(0.8, 1.2))
                carried = int(received * self.rng.uniform(0, 0.05))
                resolved = int(received * self.rng.uniform(0.9, 1.0))
                on_time = int(resolved * self.rng.uniform(0.9, 1.0))
                rate = Decimal(100 * on_time / resolved).quantize(Decimal("0.01"))
                if self.rng.random() < 0.15:
                    rate = min(Decimal("100.00"), rate + Decimal(self.rng.choice(["0.50", "1.20", "2.00"])))
                rows.append(
                    ServiceFigure(
                        unit=committee,
                        agency=committee.host_agency,
                        period_start=datetime.date(year, 1, 1),
                        period_end=end,
                        received=received,
                        carried_over=carried,
                        resolved=resolved,
                        on_time=on_time,
                        on_time_rate=rate,
                        one_stop_rate=Decimal(self.rng.choice(["100", "100", "98.5", "95"])),
                        one_stop_software="Hệ thống thông tin giải quyết thủ tục hành chính tỉnh",
                        source=self.source,
                    )
                )
        self.save(ServiceFigure, rows)
