"""
The user admin, tried like every scoped admin: the five roles and an anonymous visitor,
a second bloc on the same instance, guessed ids and crafted posts. A bloc administrator
manages the people of their bloc and nobody else, and raises nobody above a role.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from tracker.tests.formposts import form_data
from units.models import Membership, Role, Unit
from units.services import ROLE_GROUPS, user_grant
from units.tests.factories import make_bloc, make_unit

User = get_user_model()
ROLES = ["alice", "viewer", "bloc_admin", "bloc_viewer", "anonymous"]
NO_SUCH_USER = (
    "Không tìm thấy người dùng số {} trong các đơn vị của bạn: bản ghi đã bị xóa, hoặc thuộc đơn vị khác."
)


def url(view, *args):
    name = "password_change" if view == "password" else view
    return reverse(f"admin:auth_user_{name}", args=args)


@pytest.fixture
def people(tree):
    other_bloc = make_bloc(code="BLOC2", name="Đảng bộ Khối doanh nghiệp tỉnh")
    make_unit(other_bloc, code="DN1", name="Đảng bộ Công ty Điện lực")
    users = {
        "alice": user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR)[0],
        "viewer": user_grant(username="viewer", unit_code="STP", role=Role.UNIT_VIEWER)[0],
        "bloc_admin": user_grant(username="boss", unit_code="BLOC", role=Role.BLOC_ADMIN)[0],
        "bloc_viewer": user_grant(username="reader", unit_code="BLOC", role=Role.BLOC_VIEWER)[0],
        "other_admin": user_grant(username="otherboss", unit_code="BLOC2", role=Role.BLOC_ADMIN)[0],
        "other_editor": user_grant(username="dn-editor", unit_code="DN1", role=Role.UNIT_EDITOR)[0],
        "root": User.objects.create_superuser("root", password="root-secret-123"),
    }
    return users


def login(client, people, role):
    if role != "anonymous":
        client.force_login(people[role])


def change_form(client, user):
    """What a browser posts back from the user's change form, untouched."""
    response = client.get(url("change", user.pk))
    assert response.status_code == 200
    return form_data(response.content.decode(), "user_form")


def add_form(unit, role, username="newcomer", **fields):
    return {
        "username": username,
        "usable_password": "true",
        "password1": "Mat-khau-rat-dai-2024",
        "password2": "Mat-khau-rat-dai-2024",
        "membership-TOTAL_FORMS": "1",
        "membership-INITIAL_FORMS": "0",
        "membership-MIN_NUM_FORMS": "1",
        "membership-MAX_NUM_FORMS": "1",
        "membership-0-unit": unit.pk if unit else "",
        "membership-0-role": role,
        **fields,
    }


def role_groups(user):
    return sorted(user.groups.values_list("name", flat=True))


@pytest.mark.parametrize("role", ROLES)
def test_only_a_bloc_administrator_opens_the_user_list(client, people, role):
    login(client, people, role)
    response = client.get(url("changelist"))
    expected = {"bloc_admin": 200, "anonymous": 302}.get(role, 403)
    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", ["add", "change", "password", "delete", "history"])
def test_only_a_bloc_administrator_opens_a_users_pages(client, people, role, view):
    login(client, people, role)
    target = people["viewer"]
    response = client.get(url(view) if view == "add" else url(view, target.pk))
    expected = {"bloc_admin": 200, "anonymous": 302}.get(role, 403)
    assert response.status_code == expected


def test_the_list_holds_the_blocs_people_only(client, people):
    client.force_login(people["bloc_admin"])
    response = client.get(url("changelist"))
    assert sorted(user.username for user in response.context["cl"].result_list) == [
        "alice",
        "boss",
        "reader",
        "viewer",
    ]
    client.force_login(people["other_admin"])
    response = client.get(url("changelist"))
    assert sorted(user.username for user in response.context["cl"].result_list) == ["dn-editor", "otherboss"]


def test_a_superuser_sees_everybody(client, people):
    client.force_login(people["root"])
    response = client.get(url("changelist"))
    assert len(response.context["cl"].result_list) == 7


@pytest.mark.parametrize("target", ["other_admin", "other_editor", "root"])
@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_a_guessed_id_outside_the_bloc_finds_nothing(client, people, target, view):
    client.force_login(people["bloc_admin"])
    victim = people[target]
    response = client.get(url(view, victim.pk), follow=True)
    assert response.redirect_chain == [(reverse("admin:index"), 302)]
    assert [str(message) for message in response.context["messages"]] == [NO_SUCH_USER.format(victim.pk)]


@pytest.mark.parametrize("target", ["other_admin", "root"])
def test_the_set_password_form_of_someone_outside_the_bloc_is_not_found(client, people, target):
    client.force_login(people["bloc_admin"])
    victim = people[target]
    assert client.get(url("password", victim.pk)).status_code == 404
    response = client.post(
        url("password", victim.pk),
        {"password1": "Chiem-quyen-2024!", "password2": "Chiem-quyen-2024!", "usable_password": "true"},
    )
    assert response.status_code == 404
    victim.refresh_from_db()
    assert not victim.check_password("Chiem-quyen-2024!")


def test_a_post_to_another_blocs_administrator_changes_nothing(client, people):
    client.force_login(people["bloc_admin"])
    data = change_form(client, people["alice"])
    victim = people["other_admin"]
    # Alice's form, sent to the other bloc's administrator's address: unticks "active".
    data.pop("is_active")
    data.update({"username": "otherboss", "membership-0-user": [str(victim.pk)]})
    response = client.post(url("change", victim.pk), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    victim.refresh_from_db()
    assert victim.is_active
    assert victim.membership.unit.code == "BLOC2"


def test_a_bloc_administrator_cannot_make_themselves_superuser(client, people):
    boss = people["bloc_admin"]
    client.force_login(boss)
    data = change_form(client, boss)
    assert "is_superuser" not in data and "groups" not in data and "user_permissions" not in data
    every_permission = Permission.objects.get(codename="change_group")
    extra_group = Group.objects.create(name="Toàn quyền")
    data.update(
        {
            "is_superuser": ["on"],
            "is_staff": ["on"],
            "groups": [str(extra_group.pk)],
            "user_permissions": [str(every_permission.pk)],
        }
    )
    response = client.post(url("change", boss.pk), data)
    assert response.status_code == 302
    boss = User.objects.get(pk=boss.pk)
    assert not boss.is_superuser
    assert role_groups(boss) == ["Quản trị đảng bộ"]
    assert list(boss.user_permissions.all()) == []


def test_the_change_form_shows_the_superuser_fields_read_only(client, people):
    client.force_login(people["bloc_admin"])
    response = client.get(url("change", people["alice"].pk))
    form = response.context["adminform"].form
    assert sorted(form.fields) == [
        "date_joined",
        "email",
        "first_name",
        "is_active",
        "last_login",
        "last_name",
        "password",
        "username",
    ]
    body = response.content.decode()
    assert "Biên tập đơn vị" in body  # the role group, shown, not editable


def test_a_membership_cannot_be_moved_to_another_bloc(client, people):
    client.force_login(people["bloc_admin"])
    alice = people["alice"]
    data = change_form(client, alice)
    data["membership-0-unit"] = [str(Unit.objects.get(code="DN1").pk)]
    response = client.post(url("change", alice.pk), data)
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors == [
        {"unit": ["Hãy chọn một lựa chọn hợp lệ. Lựa chọn đó không phải là một trong các lựa chọn khả thi."]}
    ]
    assert Membership.objects.get(user=alice).unit.code == "STP"


def test_a_role_is_given_through_the_membership(client, people):
    client.force_login(people["bloc_admin"])
    viewer = people["viewer"]
    data = change_form(client, viewer)
    data["membership-0-role"] = [Role.UNIT_EDITOR]
    data["membership-0-unit"] = [str(Unit.objects.get(code="STP-VP").pk)]
    assert client.post(url("change", viewer.pk), data).status_code == 302
    viewer = User.objects.get(pk=viewer.pk)
    assert (viewer.membership.unit.code, viewer.membership.role) == ("STP-VP", Role.UNIT_EDITOR)
    assert role_groups(viewer) == [ROLE_GROUPS[Role.UNIT_EDITOR]]


def test_a_bloc_administrator_adds_a_user_within_the_bloc(client, people):
    client.force_login(people["bloc_admin"])
    response = client.post(url("add"), add_form(Unit.objects.get(code="KBNN-1"), Role.UNIT_EDITOR))
    assert response.status_code == 302
    newcomer = User.objects.get(username="newcomer")
    assert (newcomer.membership.unit.code, newcomer.membership.role) == ("KBNN-1", Role.UNIT_EDITOR)
    assert (newcomer.is_staff, newcomer.is_superuser) == (True, False)
    assert role_groups(newcomer) == ["Biên tập đơn vị"]


def test_a_user_added_without_a_unit_is_refused(client, people):
    client.force_login(people["bloc_admin"])
    data = add_form(None, "", **{"membership-TOTAL_FORMS": "0", "is_superuser": "on"})
    response = client.post(url("add"), data)
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.non_form_errors() == [
        "Hãy giao cho người dùng một đơn vị và một vai trò trong các đơn vị của bạn."
    ]
    assert not User.objects.filter(username="newcomer").exists()


def test_a_user_cannot_be_added_to_another_bloc(client, people):
    client.force_login(people["bloc_admin"])
    response = client.post(url("add"), add_form(Unit.objects.get(code="BLOC2"), Role.BLOC_ADMIN))
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors == [
        {"unit": ["Hãy chọn một lựa chọn hợp lệ. Lựa chọn đó không phải là một trong các lựa chọn khả thi."]}
    ]
    assert not User.objects.filter(username="newcomer").exists()


def test_a_crafted_add_makes_no_superuser(client, people):
    client.force_login(people["bloc_admin"])
    data = add_form(Unit.objects.get(code="STP"), Role.UNIT_VIEWER, is_superuser="on", is_staff="on")
    data["groups"] = str(Group.objects.get(name=ROLE_GROUPS[Role.BLOC_ADMIN]).pk)
    assert client.post(url("add"), data).status_code == 302
    newcomer = User.objects.get(username="newcomer")
    assert not newcomer.is_superuser
    assert role_groups(newcomer) == ["Xem đơn vị"]


def test_an_editor_handed_user_permissions_still_grants_nothing(client, people):
    alice = people["alice"]
    alice.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="auth", content_type__model="user"),
        *Permission.objects.filter(codename__endswith="_membership"),
    )
    client.force_login(alice)
    assert client.get(url("changelist")).status_code == 403
    response = client.post(url("add"), add_form(Unit.objects.get(code="BLOC"), Role.BLOC_ADMIN))
    assert response.status_code == 403
    assert not User.objects.filter(username="newcomer").exists()
    response = client.post(url("change", alice.pk), {"username": "alice", "is_superuser": "on"})
    assert response.status_code == 403
    alice.refresh_from_db()
    assert not alice.is_superuser


def test_a_bloc_role_stays_on_the_bloc_committee(client, people):
    client.force_login(people["bloc_admin"])
    response = client.post(url("add"), add_form(Unit.objects.get(code="STP"), Role.BLOC_ADMIN))
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors == [
        {"unit": ["Vai trò cấp đảng bộ phải gắn với chính đơn vị cấp cao nhất."]}
    ]


def test_bulk_delete_spares_another_blocs_people(client, people):
    client.force_login(people["bloc_admin"])
    own, foreign = people["viewer"], people["other_admin"]
    client.post(
        url("changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [own.pk, foreign.pk, people["root"].pk],
            "post": "yes",
        },
    )
    assert not User.objects.filter(pk=own.pk).exists()
    assert User.objects.filter(pk__in=[foreign.pk, people["root"].pk]).count() == 2


def test_the_role_groups_are_closed_to_a_bloc_administrator(client, people):
    client.force_login(people["bloc_admin"])
    group = Group.objects.get(name=ROLE_GROUPS[Role.UNIT_VIEWER])
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    response = client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": group.name, "permissions": [p.pk for p in Permission.objects.all()]},
    )
    assert response.status_code == 403
    assert not group.permissions.filter(codename="change_user").exists()
