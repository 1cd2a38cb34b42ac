import pytest

from activities.tests.reportdata import build_quarter
from units.models import Role
from units.services import user_grant


@pytest.fixture
def people(tree):
    """The hand-built quarter, and three users: two committee editors and a bloc viewer."""
    build_quarter(tree)
    return {
        "alice": user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR)[0],
        "bob": user_grant(username="bob", unit_code="KBNN", role=Role.UNIT_EDITOR)[0],
        "carol": user_grant(username="carol", unit_code="BLOC", role=Role.BLOC_VIEWER)[0],
    }


def as_user(client, people, name):
    client.force_login(people[name])
    return client
