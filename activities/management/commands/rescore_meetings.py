from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from activities import rules
from activities.models import StudySession
from members.scoring import MEETING_COLUMNS, rescore

# Cells scored together: five queries and one bulk update for each batch.
BATCH = 200


class Command(BaseCommand):
    help = (
        "Work out again what the reports count of every meeting from its records and "
        "activities/rules.py: short meetings, documents posted late, and the score and grade "
        "of every assessed regular meeting. Run it after changing the rules; safe to run any time."
    )

    def handle(self, *args, **options):
        translation.activate(settings.LANGUAGE_CODE)
        flagged = 0
        meetings = StudySession.objects.filter(kind__in=rules.MEETING_KINDS).only(
            *MEETING_COLUMNS, "is_short", "documents_late"
        )
        changed = []
        for session in meetings.iterator(chunk_size=5000):
            if session.derive_meeting_flags():
                changed.append(session)
            if len(changed) >= 500:
                flagged += self.update(changed)
        flagged += self.update(changed)
        # The cells with an assessed meeting, and those with a grade stored (points since removed).
        cells = sorted(
            set(
                StudySession.objects.filter(
                    Q(kind=rules.SCORED_KIND, scores__isnull=False) | Q(score__isnull=False)
                )
                .values_list("unit_id", flat=True)
                .distinct()
            )
        )
        scored = 0
        for start in range(0, len(cells), BATCH):
            with transaction.atomic():
                scored += rescore(cells[start : start + BATCH])
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Meetings worked out again: %(flagged)s had their duration or documents flag changed, "
                    "%(scored)s their score, in %(cells)s cells."
                )
                % {
                    "flagged": number_format(flagged, force_grouping=True),
                    "scored": number_format(scored, force_grouping=True),
                    "cells": number_format(len(cells), force_grouping=True),
                }
            )
        )

    @staticmethod
    def update(changed):
        count = len(changed)
        StudySession.objects.bulk_update(changed, ["is_short", "documents_late"], batch_size=500)
        changed.clear()
        return count
