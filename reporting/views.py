"""
The reporting cycle's pages: one unit's report for a period (submit, accept, return,
excuse), who has and has not reported for a period, the report documents of a half
and a year, and each user's choice of emails.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from activities.views import chosen_root, scope_root
from reporting import services
from reporting.deadlines import Deadlines, level_of, reported_periods
from reporting.forms import EmailPreferenceForm, ReviewForm
from reporting.models import EmailPreference, SubmissionStatus
from reporting.periods import Period
from tracker.db_router import reads_replica
from units.models import Unit, unit_label

DONE_MESSAGES = {
    "submit": gettext_lazy("The report was submitted. The level above will review it."),
    "accept": gettext_lazy("The report was accepted: its records are now locked."),
    "return": gettext_lazy("The report was returned to the unit with your reason."),
    "excuse": gettext_lazy("The unit is excused from this report."),
}


def period_or_404(slug):
    try:
        period = Period.parse(slug)
    except ValueError:
        raise Http404 from None
    if not 1930 <= period.year <= 2100:
        raise Http404
    return period


def unit_or_404(request, code):
    scope_root(request)  # a user without a unit sees nothing
    return get_object_or_404(Unit.objects.visible_to(request.user), code=code.upper())


def safe_next(request, fallback):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


@login_required
@require_http_methods(["GET", "POST"])
def unit_period(request, code, period):
    unit = unit_or_404(request, code)
    period = period_or_404(period)
    here = reverse("reporting:unit-period", args=[unit.code, period.slug])
    form = ReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not form.is_valid() and {"action", "version"} & set(form.errors):
        # What the page itself posts (its buttons, the version read) came back wrong: a stale or tampered page.
        form.add_error(None, _("This page is out of date: reload it and try again."))
    if request.method == "POST" and form.is_valid():
        action, reason, version = (form.cleaned_data[name] for name in ("action", "reason", "version"))
        try:
            if action == "submit":
                _submission, changed = services.submit(unit=unit, period=period, user=request.user)
            elif action == "accept":
                _submission, changed = services.accept(
                    unit=unit, period=period, user=request.user, version=version
                )
            elif action == "return":
                _submission, changed = services.return_(
                    unit=unit, period=period, user=request.user, reason=reason, version=version
                )
            else:
                _submission, changed = services.excuse(
                    unit=unit, period=period, user=request.user, reason=reason
                )
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect(here)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    for message in errors:
                        form.add_error(field, message)
            else:
                form.add_error(None, error)
        else:
            if changed:
                messages.success(request, DONE_MESSAGES[action])
            else:
                messages.info(request, _("Nothing changed: this was already done."))
            return redirect(safe_next(request, here))
    context = period_context(request, unit, period, form)
    context["posted"] = request.POST.get("action", "")
    return render(request, "reporting/unit_period.html", context)


def period_context(request, unit, period, form):
    submission = services.submission_of(unit, period)
    deadlines = Deadlines()
    level = level_of(unit.kind)
    status = submission.status if submission else None
    return {
        "unit": unit,
        "period": period,
        "submission": submission,
        "deadline": deadlines.due_on(period, level),
        "closes_on": deadlines.closes_on(period, level),
        "content": services.content_of(unit, period),
        "below": services.status_list_below(unit, period),
        "waiting": services.waiting_below(unit, period) if unit.kind != Unit.Kind.CELL else [],
        "can_submit": services.may_submit(request.user, unit)
        and status in (None, SubmissionStatus.RETURNED)
        and timezone.localdate() >= period.end,
        "opens_on": period.end if timezone.localdate() < period.end else None,
        "can_review": services.may_review(request.user, unit) and status == SubmissionStatus.SUBMITTED,
        "can_excuse": services.may_review(request.user, unit)
        and status not in (SubmissionStatus.ACCEPTED, SubmissionStatus.EXCUSED),
        "form": form,
        "quarters": period.quarters,
        "has_document": period.kind != "quarter",
        "today": timezone.localdate(),
        "statuses": SubmissionStatus.choices,
    }


@reads_replica
@login_required
def period_status(request, period):
    """Who has reported for a period under the chosen unit: the rates, and who has not (chưa nộp)."""
    period = period_or_404(period)
    root = chosen_root(request)
    total, by_level = services.rates(root, period)
    rows = services.status_list(root, period)
    groups = {key: [] for key in ("not_submitted", "returned", "submitted", "accepted", "excused")}
    for row in rows:
        row["label"] = unit_label(row["name"], row["parent_name"], row["path"])
        status = row["sub__status"]
        groups["not_submitted" if status is None else status].append(row)
    return render(
        request,
        "reporting/period_status.html",
        {
            "period": period,
            "root": root,
            "total": total,
            "by_level": [(level, by_level[level]) for level in ("cell", "committee") if level in by_level],
            "groups": groups,
            "periods": reported_periods(period.year),
            "scope": f"?unit={root.code}" if root is not None and request.GET.get("unit") else "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def email_preference(request):
    preference = EmailPreference.objects.filter(user=request.user).first() or EmailPreference(
        user=request.user
    )
    form = EmailPreferenceForm(request.POST if request.method == "POST" else None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request,
            _("You will get the reminders by email.")
            if form.cleaned_data["reminders"]
            else _("You will no longer get emails; the reminders stay on your home page."),
        )
        return redirect("reporting:email")
    return render(request, "reporting/email_preference.html", {"form": form, "email": request.user.email})


@reads_replica
@login_required
def unit_period_document(request, code, period):
    """The report of a unit for a half or a year: a printable page, or Word with ?format=docx."""
    from activities import docx_report
    from reporting.period_document import period_document
    from tracker.text import unit_slug

    unit = unit_or_404(request, code)
    period = period_or_404(period)
    content = period_document(unit, period)
    if request.GET.get("format") == "docx":
        response = HttpResponse(
            docx_report.document_bytes(content),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        what = (
            "so-ket-6-thang"
            if period.kind == "half"
            else "tong-ket-nam"
            if period.kind == "year"
            else "bao-cao"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{what}-{period.slug}-{unit_slug(unit)}.docx"'
        )
        return response
    return render(
        request, "activities/quarter_document.html", {"document": content, "unit": unit, "period": period}
    )
