import datetime
import zoneinfo

import pytest

from units.models import Role
from units.services import user_grant

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


class Clock:
    """The time every call of django.utils.timezone.now() reads in a test; moved by hand."""

    def __init__(self, monkeypatch, when):
        self.when = when
        monkeypatch.setattr("django.utils.timezone.now", lambda: self.when.astimezone(datetime.UTC))

    def set(self, *args):
        """Local time in Hanoi: set(2027, 1, 5, 23, 59)."""
        self.when = datetime.datetime(*args, tzinfo=HANOI)


@pytest.fixture
def clock(monkeypatch):
    # 3 January 2027, 10:00 in Hanoi: quarter IV/2026 is over, its cells' reports due by 05/01/2027.
    return Clock(monkeypatch, datetime.datetime(2027, 1, 3, 10, 0, tzinfo=HANOI))


@pytest.fixture
def people(tree):
    """A cell's secretary, its committee's clerk, the bloc's administrator and a bloc viewer."""

    def grant(name, code, role):
        user = user_grant(username=name, unit_code=code, role=role)[0]
        user.email = f"{name}@example.vn"
        user.save(update_fields=["email"])
        return user

    return {
        "sec": grant("sec", "STP-VP", Role.UNIT_EDITOR),
        "clerk": grant("clerk", "STP", Role.UNIT_EDITOR),
        "boss": grant("boss", "BLOC", Role.BLOC_ADMIN),
        "viewer": grant("viewer", "BLOC", Role.BLOC_VIEWER),
    }
