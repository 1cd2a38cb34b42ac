from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from activities.models import (
    DeclaredFigure,
    Directive,
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
from members.models import Attendance, Member, MemberStatus
from reporting.models import Submission
from seeds import article
from seeds.demo import DEMO_SOURCE, DemoBuilder, DemoSize
from units.models import MemberCount, Official, Position, Unit


@dataclass
class SeedReport:
    created: list = field(default_factory=list)
    kept: list = field(default_factory=list)

    def add(self, obj, created):
        (self.created if created else self.kept).append(obj)


def _ensure(report, model, key, values):
    """
    The row with this natural key: left exactly as it is when it exists (a user may
    have corrected it), created and validated when it does not.
    """
    obj = model._default_manager.filter(**key).first()
    if obj is None:
        obj = model(**key, **values)
        obj.full_clean()
        obj.save()
        report.add(obj, created=True)
    else:
        report.add(obj, created=False)
    return obj


@transaction.atomic
def seed_article() -> SeedReport:
    """Load every fact of the seed article (seeds/article.py); idempotent, never overwrites."""
    report = SeedReport()
    source_key = {"code": article.SOURCE["code"]}
    source = _ensure(report, Source, source_key, {k: v for k, v in article.SOURCE.items() if k != "code"})

    units = {}
    for row in article.UNITS:
        values = {**row, "parent": units.get(row["parent"]), "source": source}
        del values["code"]
        units[row["code"]] = _ensure(report, Unit, {"code": row["code"]}, values)

    for row in article.OFFICIALS:
        official = _ensure(
            report, Official, {"code": row["code"]}, {"full_name": row["full_name"], "source": source}
        )
        for position in row["positions"]:
            key = {
                "official": official,
                "unit": units[position["unit"]],
                "kind": position["kind"],
                "title": position["title"],
                "start_date": None,
            }
            _ensure(report, Position, key, {"source": source})

    directives = {}
    for row in article.DIRECTIVES:
        values = {**row, "continues": directives.get(row["continues"]), "source": source}
        del values["code"]
        directives[row["code"]] = _ensure(report, Directive, {"code": row["code"]}, values)

    themes = {}
    for row in article.THEMES:
        key = {"year": row["year"], "quarter": row["quarter"], "title": row["title"]}
        values = {
            "directive": directives[row["directive"]],
            "description": row["description"],
            "source": source,
        }
        themes[(row["year"], row["quarter"], row["title"])] = _ensure(report, Theme, key, values)

    for row in article.SESSIONS:
        key = {
            "unit": units[row["unit"]],
            "kind": row["kind"],
            "date": row["date"],
            "year": row["year"],
            "quarter": row["quarter"],
            "topic": row["topic"],
        }
        _ensure(
            report,
            StudySession,
            key,
            {"theme": themes[row["theme"]], "minutes": row["minutes"], "source": source},
        )

    for row in article.DECLARED_FIGURES:
        key = {
            "unit": units[row["unit"]],
            "metric": row["metric"],
            "period_start": row["period_start"],
            "period_end": row["period_end"],
        }
        values = {
            "value": row["value"],
            "qualifier": row["qualifier"],
            "directive": directives[row["directive"]],
            "note": row["note"],
            "source": source,
        }
        _ensure(report, DeclaredFigure, key, values)

    for row in article.SERVICE_FIGURES:
        key = {
            "unit": units[row["unit"]],
            "agency": row["agency"],
            "period_start": row["period_start"],
            "period_end": row["period_end"],
        }
        values = {k: v for k, v in row.items() if k not in key} | {"source": source}
        _ensure(report, ServiceFigure, key, values)

    for row in article.OUTREACH:
        key = {
            "unit": units[row["unit"]],
            "channel": row["channel"],
            "title": row["title"],
            "published_on": None,
        }
        values = {"is_regular": row["is_regular"], "description": row["description"], "source": source}
        _ensure(report, Outreach, key, values)

    for row in article.INITIATIVES:
        key = {"unit": units[row["unit"]], "title": row["title"]}
        values = {k: v for k, v in row.items() if k not in ("unit", "title")} | {"source": source}
        _ensure(report, Initiative, key, values)

    return report


class DemoExists(Exception):
    pass


@transaction.atomic
def demo_generate(*, size: DemoSize) -> dict:
    """
    Build a synthetic bloc under the seeded bloc committee (seeding it first if
    needed). Refuses when demo rows exist: purge them first.
    """
    if Source.objects.filter(code=DEMO_SOURCE["code"]).exists():
        raise DemoExists(_("Demo data is already loaded. Remove it with purge_demo, or pass --replace."))
    root = Unit.objects.roots().order_by("path").first()
    if root is None:
        seed_article()
        root = Unit.objects.roots().order_by("path").get()
    source = Source.objects.create(**DEMO_SOURCE)
    counts = DemoBuilder(size, source, root).build()
    return {Source: 1, **counts}


# The parts of demo rows that have no source of their own: deleted with the row they
# belong to (found through `through`), before it.
DEMO_PARTS = [
    (Attendance, "session__source"),
    (MeetingTask, "session__source"),
    (MeetingScore, "session__source"),
    (MemberStatus, "member__source"),
    (Submission, "unit__source"),
]

# Every kind of row the demo generator writes, units last.
DEMO_MODELS = [
    InitiativeEvaluation,
    StudySession,
    Member,
    DeclaredFigure,
    ServiceFigure,
    Outreach,
    Exemplar,
    Initiative,
    MemberCount,
    Position,
    Official,
    Theme,
    Unit,
]


class DemoInUse(Exception):
    def __init__(self, models):
        self.models = models
        super().__init__(", ".join(models))


def _real_rows_using_demo(source):
    """Names of the kinds of real rows that point at a demo row."""
    in_use = []
    for target in DEMO_MODELS:
        demo = target.objects.filter(source=source).values("pk")
        for relation in target._meta.related_objects:
            model = relation.related_model
            if hasattr(model, "instance_type"):
                continue  # a history table: it keeps its rows, and has no constraint
            if any(model is part for part, _through in DEMO_PARTS):
                continue  # a part of a demo row, deleted with it
            rows = model._default_manager.filter(**{f"{relation.field.name}__in": demo})
            if any(field.name == "source" for field in model._meta.fields):
                rows = rows.exclude(source=source)
            if rows.exists():
                in_use.append(str(model._meta.verbose_name_plural))
    return sorted(set(in_use))


@transaction.atomic
def demo_purge() -> dict:
    """
    Delete exactly the rows whose source is the demo source, and the source itself.

    Plain SQL deletes: demo rows were written without history and leave none (a
    person's edit to a demo row keeps its history). Refuses, deleting nothing, when a
    real row points at a demo unit or official.
    """
    source = Source.objects.filter(code=DEMO_SOURCE["code"]).first()
    if source is None:
        return {}
    in_use = _real_rows_using_demo(source)
    if in_use:
        raise DemoInUse(in_use)
    counts = {}
    for model, through in DEMO_PARTS:
        counts[model] = model._default_manager.filter(**{through: source})._raw_delete(using="default")
    for model in DEMO_MODELS:
        counts[model] = model._default_manager.filter(source=source)._raw_delete(using="default")
    Source.objects.filter(pk=source.pk)._raw_delete(using="default")
    counts[Source] = 1
    return counts
