"""When a unit's report for a period is due, and when the period closes: the rules', or the admin's."""

import datetime

from activities import rules
from reporting.models import DeadlineRule
from reporting.periods import Period


def level_of(unit_kind):
    """Who reports as what: "cell", "committee" or "bloc" (rules.LEVEL_OF_KIND)."""
    return rules.LEVEL_OF_KIND[unit_kind]


class Deadlines:
    """The deadline rules in force: the admin's rows, read once, over the rules' defaults."""

    def __init__(self):
        self.rows = list(
            DeadlineRule.objects.order_by("-valid_from").values_list(
                "period_kind", "level", "valid_from", "deadline_days", "closing_days"
            )
        )

    def rule(self, period: Period, level):
        """The ReportingDeadline of a period and level; None for a period before the cycle."""
        for kind, rule_level, valid_from, deadline_days, closing_days in self.rows:
            if kind == period.kind and rule_level == level and valid_from <= period.end:
                return rules.ReportingDeadline(deadline_days, closing_days)
        if period.end < rules.REPORTING_CYCLE_STARTS:
            return None
        return rules.REPORTING_DEADLINES[(period.kind, level)]

    def due_on(self, period: Period, level) -> datetime.date | None:
        rule = self.rule(period, level)
        return None if rule is None else period.end + datetime.timedelta(days=rule.deadline_days)

    def closes_on(self, period: Period, level) -> datetime.date | None:
        rule = self.rule(period, level)
        return None if rule is None else period.end + datetime.timedelta(days=rule.closing_days)


def reported_periods(year):
    """The periods of a year units report on (rules.REPORTED_PERIODS), in the order they end."""
    periods = [
        Period(year, kind, number) for kind, numbers in rules.REPORTED_PERIODS.items() for number in numbers
    ]
    return sorted(periods, key=lambda period: (period.end, len(period.quarters)))


def periods_ending_with(quarter):
    """The reported periods whose last quarter is `quarter`: the quarter, and its half or year."""
    return [period for period in reported_periods(quarter.year) if period.end == quarter.end]
