"""
Staff pages: the home page, the quarter and year reports, one unit's quarter, and
the short form to log a session. Every page is limited to the user's units.
"""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from activities import charts, docx_report, report_tables, reports, rules
from activities import quarter_document as documents
from activities.forms import SessionForm
from activities.models import StudySession
from activities.overview import SORT_KEYS, Filters, behind_below, selected_rows, shown_rows
from members.forms import AttendanceForm
from members.models import MEETING_UNITS
from members.scoring import absent_on_leave_in, rescore
from members.services import attendance_of, attendance_record, member_count_check, members_to_call
from reporting import services as reporting_services
from reporting.deadlines import reported_periods
from reporting.models import Notice
from reporting.periods import Period
from tracker.db_router import reads_replica
from tracker.periods import Quarter
from tracker.text import unit_slug
from tracker.versioning import CHANGED_MESSAGE, RecordChanged
from tracker.views import PermissionDeniedWithReason
from units.models import ALL, Unit, UnitKind, scope_of

DOWNLOAD_FORMATS = ("xlsx", "csv")


def scope_root(request):
    """The unit whose subtree the user works in; None for a superuser over several roots."""
    scope = scope_of(request.user)
    if scope is None:
        raise PermissionDeniedWithReason(
            _("Your account is not attached to a unit yet. Ask the bloc's administrator.")
        )
    if scope != ALL:
        return scope
    roots = list(Unit.objects.roots()[:2])
    return roots[0] if len(roots) == 1 else None


def chosen_root(request):
    """The subtree a report shows: ?unit=CODE within the user's units, else all of them."""
    root = scope_root(request)
    code = request.GET.get("unit", "").strip().upper()
    if code and (root is None or code != root.code):
        return get_object_or_404(Unit.objects.visible_to(request.user), code=code)
    return root


def quarter_or_404(year, number):
    if not 1930 <= year <= 2100 or number not in (1, 2, 3, 4):
        raise Http404
    return Quarter(year, number)


def wanted_download(request):
    file_format = request.GET.get("format")
    return file_format if file_format in DOWNLOAD_FORMATS else None


def subtree_choices(request):
    """Units a report may be narrowed to: the user's scope and the committees under it."""
    units = Unit.objects.visible_to(request.user).exclude(kind=UnitKind.CELL)
    return units.only("code", "name", "path").order_by("path")


@reads_replica
@login_required
def home(request):
    root = scope_root(request)
    quarter = Quarter.current()
    today = timezone.localdate()
    overview = reports.quarter_overview(root, quarter, today=today)
    due = still_due(overview)
    return render(
        request,
        "activities/home.html",
        {
            "root": root,
            "quarter": quarter,
            "overview": overview,
            "total": overview.total,
            "due": due,
            "can_log": request.user.has_perm("activities.add_studysession"),
            "reports": reporting_services.outstanding(root, today) if isinstance(root, Unit) else [],
            "awaiting_review": reporting_services.awaiting_review(request.user),
            "notices": list(Notice.objects.filter(user=request.user)[:5]),
            "review_period": Period.of_quarter(quarter.previous()),
        },
    )


def still_due(overview):
    """
    Per tracked kind, what the units must still hold this quarter (rules.py): the units
    behind first, each with the months it missed, then those with sessions still to hold.
    """
    due = []
    for kind in rules.TRACKED_KINDS:
        behind, to_hold = [], []
        for row in overview.rows:
            tally = row.own.tallies[kind]
            if tally.is_behind:
                behind.append((row.unit, tally))
            elif tally.remaining > 0:
                to_hold.append((row.unit, tally))
        due.append(
            {
                "kind": kind,
                "label": StudySession.Kind(kind).label,
                "behind": len(behind),
                "units": behind + to_hold,
            }
        )
    return due


@reads_replica
@login_required
def quarter_report(request, year, quarter):
    quarter = quarter_or_404(year, quarter)
    root = chosen_root(request)
    filters = Filters.from_query(request.GET)
    overview = reports.quarter_overview(root, quarter)
    rows = selected_rows(overview.rows, filters)
    file_format = wanted_download(request)
    if file_format:
        table = report_tables.quarter_table(overview, rows, root)
        return report_tables.download(
            table, file_format, f"bao-cao-quy-{quarter.number}-{quarter.year}-{unit_slug(root)}"
        )
    # The scope goes first in every link of the page, then the filters.
    scope = f"unit={quote(root.code)}&" if root is not None and request.GET.get("unit") else ""
    return render(
        request,
        "activities/quarter_report.html",
        {
            "quarter": quarter,
            "root": root,
            "overview": overview,
            "rows": rows,
            "shown_rows": shown_rows(rows, filters),
            "filters": filters,
            "scope": scope,
            "links": overview_links(scope, filters),
            "unit_url": unit_url_parts(quarter),
            "columns": report_columns(overview),
            "kinds": filters.kinds,
            "kind_choices": UnitKind.choices,
            "subtrees": subtree_choices(request),
            "previous": quarter.previous(),
            "next": quarter.next(),
            "query": request.GET.urlencode(),
            "reporting_rates": reporting_services.rates_of(root, [Period.of_quarter(quarter)]),
        },
    )


def overview_links(scope, filters):
    """The query strings the overview links to: sorting by each column, the behind units, opening."""
    sort = {}
    for key in SORT_KEYS:
        ascending = filters.sort != key or filters.descending
        sort[key] = scope + filters.query(sort=key if ascending else f"-{key}")
    opened = set(filters.opened)
    return {
        "sort": sort,
        "behind": scope + filters.query(behind="1", open=[], all=""),
        "everything": scope + filters.query(behind="", q="", kind=[], open=[], all=""),
        "all": scope + filters.query(all="1", open=[]),
        "collapsed": scope + filters.query(all="", open=[]),
        # ?open=CODE for a closed committee; for an open one, the codes without it.
        "open": lambda code: scope + filters.query(open=[*filters.opened, code]),
        "close": lambda code: scope + filters.query(open=[c for c in filters.opened if c != code]),
        "is_open": lambda code: code in opened,
    }


def unit_url_parts(quarter):
    """A unit's quarter page as the text before and after its code: one reverse() for a page of rows."""
    return reverse("activities:unit-quarter", args=["~", quarter.year, quarter.number]).split("~")


def report_columns(overview):
    """The tracked kinds with their labels and completeness, for the header of the table."""
    columns = []
    for kind in rules.TRACKED_KINDS:
        on_track, expected = overview.completeness(kind)
        columns.append(
            {"kind": kind, "label": StudySession.Kind(kind).label, "on_track": on_track, "expected": expected}
        )
    return columns


@reads_replica
@login_required
def year_report(request, year):
    quarter_or_404(year, 1)
    root = chosen_root(request)
    quarters = reports.year_overview(root, year)
    history = reports.sessions_by_quarter(root)
    file_format = wanted_download(request)
    if file_format:
        table = report_tables.year_table(year, quarters, root)
        return report_tables.download(
            table,
            file_format,
            f"bao-cao-nam-{year}-{unit_slug(root)}",
            report_tables.history_table(history, root),
        )
    return render(
        request,
        "activities/year_report.html",
        {
            "year": year,
            "root": root,
            "quarters": [
                {"quarter": item.quarter, "total": item.total, "columns": report_columns(item)}
                for item in quarters
            ],
            "history": history,
            "chart": charts.sessions_chart(history),
            "subtrees": subtree_choices(request),
            "query": request.GET.urlencode(),
            "reporting_rates": reporting_services.rates_of(root, reported_periods(year)),
            "scope": bool(request.GET.get("unit")),
        },
    )


@reads_replica
@login_required
def unit_quarter(request, code, year, quarter):
    quarter = quarter_or_404(year, quarter)
    scope_root(request)  # a user without a unit sees nothing
    unit = get_object_or_404(Unit.objects.visible_to(request.user), code=code.upper())
    file_format = wanted_download(request)
    if file_format:
        # Downloads list every record, the bloc's too.
        tables = report_tables.unit_quarter_tables(reports.unit_quarter(unit, quarter))
        return report_tables.download(
            tables[0],
            file_format,
            f"chi-tiet-quy-{quarter.number}-{quarter.year}-{unit_slug(unit)}",
            *tables[1:],
        )
    # The bloc's page would list a province's records: it gives a row per unit directly
    # under it, as its Word report does, and the sessions a page at a time.
    by_unit = unit.kind == UnitKind.BLOC
    page = reports.unit_quarter(unit, quarter, page=page_number(request) if by_unit else None)
    return render(
        request,
        "activities/unit_quarter.html",
        {
            "page": page,
            "unit": unit,
            "quarter": quarter,
            "row": page.row,
            "by_unit": by_unit,
            "units_under": page.overview.children if by_unit else [],
            "behind_units": [] if by_unit else behind_below(page.overview),
            # Names, so only on the pages of units below the bloc (the user sees this subtree).
            "absent_on_leave": []
            if by_unit
            else absent_on_leave_in(unit, min(quarter.end, timezone.localdate())),
            "streak": rules.ABSENCE_STREAK,
            "meeting_rules": rules.MEETING_RULES,
            # The registers against the declared count: not on the bloc's page (a province's members).
            "member_count": None
            if by_unit
            else member_count_check(
                unit,
                min(quarter.end, timezone.localdate()),
                sum(row.unit.kind in MEETING_UNITS and row.unit.is_active for row in page.overview.rows),
            ),
            "columns": [
                {**column, "tally": page.row.total.tallies[column["kind"]]}
                for column in report_columns(page.overview)
            ],
            "unit_url": unit_url_parts(quarter),
            "previous": quarter.previous(),
            "next": quarter.next(),
            "can_log": request.user.has_perm("activities.add_studysession"),
            "reporting_panel": reporting_services.quarter_panel(request.user, unit, quarter),
        },
    )


def page_number(request):
    """?page=N as a number; anything else (absent, "abc", "-1", a huge number) is the first page."""
    value = request.GET.get("page", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else 1


@reads_replica
@login_required
def quarter_document(request, code, year, quarter):
    """The quarterly report of a unit's subtree: a printable page, or Word with ?format=docx."""
    quarter = quarter_or_404(year, quarter)
    scope_root(request)
    unit = get_object_or_404(Unit.objects.visible_to(request.user), code=code.upper())
    content = documents.quarter_document(unit, quarter)
    if request.GET.get("format") == "docx":
        response = HttpResponse(
            docx_report.document_bytes(content),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="bao-cao-quy-{quarter.number}-{quarter.year}-{unit_slug(unit)}.docx"'
        )
        return response
    return render(
        request, "activities/quarter_document.html", {"document": content, "unit": unit, "quarter": quarter}
    )


@login_required
def session_create(request):
    if not request.user.has_perm("activities.add_studysession"):
        raise PermissionDenied
    scope_root(request)
    unit = unit_for(request)
    initial = {"unit": unit.pk} if unit else {}
    form = SessionForm(request.POST or None, user=request.user, initial=initial)
    attendance = roll_call(request, form, unit)
    if request.method == "POST" and form.is_valid() and (attendance is None or attendance.is_valid()):
        session = session_save(request, form, attendance)
        messages.success(request, _("The session was saved."))
        return redirect(unit_quarter_url(session))
    if unit is None:
        cancel_url = reverse("activities:home")
    else:
        current = Quarter.current()
        cancel_url = reverse("activities:unit-quarter", args=[unit.code, current.year, current.number])
    return render(
        request,
        "activities/session_form.html",
        {
            "form": form,
            "attendance": attendance,
            "counted_by_roll_call": HEADCOUNT if attendance else (),
            "session": None,
            "cancel_url": cancel_url,
        },
    )


@login_required
def session_edit(request, pk):
    if not request.user.has_perm("activities.change_studysession"):
        raise PermissionDenied
    scope_root(request)
    session = get_object_or_404(StudySession.objects.visible_to(request.user), pk=pk)
    cancel_url = unit_quarter_url(session)  # before the form writes the posted values into it
    stored = attendance_of(session)
    unit, day = session.unit, session.date
    form = SessionForm(request.POST or None, instance=session, user=request.user)
    locks = session.locks() if request.method == "GET" else ()
    if locks:
        # Said before anyone types: the save would be refused with the same words.
        messages.warning(request, locks[0][1].message)
    attendance = roll_call(request, form, unit, day, stored)
    if request.method == "POST" and form.is_valid() and (attendance is None or attendance.is_valid()):
        try:
            session = session_save(request, form, attendance)
        except RecordChanged:
            # Saved by someone else between the form's check and its write.
            form.add_error(None, CHANGED_MESSAGE)
        else:
            messages.success(request, _("The session was saved."))
            return redirect(unit_quarter_url(session))
    return render(
        request,
        "activities/session_form.html",
        {
            "form": form,
            "attendance": attendance,
            "counted_by_roll_call": HEADCOUNT if attendance else (),
            "session": session,
            "can_delete": request.user.has_perm("activities.delete_studysession"),
            "cancel_url": cancel_url,
        },
    )


# The session's headcount, counted from the roll call when the cell keeps a register.
HEADCOUNT = ("attended", "expected")


def roll_call(request, form, unit, day=None, stored=None):
    """
    The attendance form of the session's cell, or None when the cell keeps no register
    (its sessions are logged with a headcount). On a POST, the cell and day are those
    posted (when valid), so that the list matches what is saved.
    """
    if request.method == "POST" and form.is_valid():
        unit, day = form.cleaned_data["unit"], form.cleaned_data.get("date")
        if stored is not None and unit.pk != form.instance.unit_id:
            stored = {}
    if unit is None:
        return None
    members = list(members_to_call(unit.pk, day))
    if not members:
        return None
    data = request.POST if request.method == "POST" else None
    if data is not None and data.get("attendance-cell") != str(unit.pk):
        # The page listed another cell's members (or none): show this one's list to
        # fill in, and save nothing yet.
        return AttendanceForm(None, cell=unit, members=members, stored=stored, new_list=True)
    return AttendanceForm(data, cell=unit, members=members, stored=stored)


def session_save(request, form, attendance):
    """The session, then its attendance, which sets its headcount: all or nothing."""
    with transaction.atomic():
        session = form.save()
        if attendance is not None:
            attendance_record(session=session, marks=attendance.marks(), user=request.user)
        else:
            rescore([session.unit_id])
    return session


@login_required
@require_http_methods(["GET", "POST"])
def session_delete(request, pk):
    """A wrong entry removed by its unit, after a confirmation; the audit history keeps it."""
    if not request.user.has_perm("activities.delete_studysession"):
        raise PermissionDenied
    scope_root(request)
    session = get_object_or_404(StudySession.objects.visible_to(request.user).select_related("unit"), pk=pk)
    locks = session.locks()
    if locks:
        # Accepted or closed (reporting.locks): the entry stays, and the page says why.
        messages.error(request, locks[0][1].message)
        return redirect(unit_quarter_url(session))
    if request.method == "POST":
        back = unit_quarter_url(session)
        with transaction.atomic():
            session.delete()
            rescore([session.unit_id])  # the next meeting's streak and tasks reviewed
        messages.success(request, _("The session was deleted. It remains in the audit history."))
        return redirect(back)
    return render(request, "activities/session_confirm_delete.html", {"session": session})


def unit_for(request):
    """The form's unit: ?unit=CODE, else the user's own unit when it holds sessions itself."""
    code = request.GET.get("unit", "").strip().upper()
    units = Unit.objects.visible_to(request.user)
    unit = units.filter(code=code).first() if code else None
    if unit is None:
        scope = scope_of(request.user)
        unit = scope if scope not in (None, ALL) else None
    return unit


def unit_quarter_url(session):
    return reverse("activities:unit-quarter", args=[session.unit.code, session.year, session.quarter])
