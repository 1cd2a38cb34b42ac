"""
Sessions that may be one meeting logged twice: a clerk's import and a secretary's
form each record it, with the topic spelled differently, so the natural key lets
both in. Two sessions are possible duplicates when they have the same unit and kind
and the same day, or, for a thematic session (held once a quarter), the same quarter.
The form, the admin and the import all ask here.
"""

from activities.models import SessionKind, StudySession
from tracker.periods import Quarter


def occasion(unit_id, kind, date, year=None, quarter=None):
    """What two sessions share when they may be the same meeting; None when it cannot be told."""
    if unit_id is None or not kind:
        return None
    if kind == SessionKind.THEMATIC:
        if date is not None:
            period = Quarter.of(date)
            year, quarter = period.year, period.number
        if year is None or quarter is None:
            return None
        return (unit_id, kind, year, quarter)
    if date is None:
        return None
    return (unit_id, kind, date)


def occasion_of(session):
    return occasion(session.unit_id, session.kind, session.date, session.year, session.quarter)


def same_occasion(session):
    """Stored sessions that may be the same meeting as `session` (itself left out), oldest first."""
    key = occasion_of(session)
    if key is None:
        return StudySession.objects.none()
    sessions = StudySession.objects.filter(unit_id=session.unit_id, kind=session.kind)
    if session.kind == SessionKind.THEMATIC:
        sessions = sessions.filter(year=key[2], quarter=key[3])
    else:
        sessions = sessions.filter(date=session.date)
    if session.pk is not None:
        sessions = sessions.exclude(pk=session.pk)
    return sessions.select_related("unit").order_by("date", "pk")
