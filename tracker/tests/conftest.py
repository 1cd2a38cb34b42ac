import pytest

# The hand-built quarter I/2024 and its users: alice and bob edit a committee each,
# carol sees the whole bloc.
from activities.tests.conftest import people  # noqa: F401


@pytest.fixture
def save_session(tree):
    """Log a monthly meeting of STP-TT on 25/11/2026 through the staff form, as `client`."""

    def save(client):
        return client.post(
            "/sessions/new/",
            {
                "unit": tree["STP-TT"].pk,
                "kind": "monthly",
                "date": "25/11/2026",
                "format": "in_person",
                "attended": "15",
                "expected": "16",
            },
        )

    return save
