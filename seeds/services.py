from dataclasses import dataclass, field

from django.db import transaction

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
from seeds import article
from units.models import Official, Position, Unit


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
