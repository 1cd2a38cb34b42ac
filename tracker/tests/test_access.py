"""
Access by unit, tried with real requests.

The people, as in healthchecks: alice edits the Department of Justice (STP) and its
cells; bob edits the Treasury (KBNN), a sibling; an anonymous visitor; and the other
roles. Every record alice may not see carries the marker BOB or sits in a KBNN unit,
and no response to alice may contain either.
"""

import datetime
import re

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from activities.models import InitiativeEvaluation, StudySession
from activities.tests import factories as af
from members.tests import factories as mf
from reporting.models import DeadlineRule, LockException, Submission
from tracker.tests.formposts import SESSION_INLINES
from units.models import Official, Role
from units.services import OWN_EXPORT_PERMISSIONS, UNIT_EDITOR_MODELS, user_grant
from units.tests import factories as uf

MODELS = [
    model
    for model in admin.site._registry
    if model._meta.app_label in {"units", "activities", "members", "reporting"}
]
EDITABLE = {f"{app}.{model}" for app, model in UNIT_EDITOR_MODELS}
OWN_EXPORT = {codename.replace("export_", f"{app}.") for app, codename in OWN_EXPORT_PERMISSIONS}
FORBIDDEN_TO_ALICE = ["BOB", "KBNN", "Kho bạc"]
READ_ONLY_IN_ADMIN = {"members.attendance", "reporting.submission"}
# Submissions change only through their steps (reporting.services), and stay for the audit.
NEVER_DELETED = {"reporting.submission"}
# Scoped by unit like the records, though nobody edits them in the admin but the bloc's administrator.
REPORTING_SCOPED = {"reporting.submission", "reporting.lockexception"}


def label(model):
    return f"{model._meta.app_label}.{model._meta.model_name}"


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def make_records(unit, tag):
    """One row of every unit-scoped kind in `unit`, each carrying `tag`."""
    now = timezone.now()
    official = uf.make_official(full_name=f"Cán bộ {tag}")
    initiative = af.make_initiative(unit, title=f"Mô hình {tag}")
    member = mf.make_member(unit, full_name=f"Đảng viên {tag}")
    meeting = af.make_session(unit, kind="monthly", topic=f"Họp chi bộ {tag}")
    return {
        "units.unit": unit,
        "units.membercount": uf.make_member_count(unit),
        "units.official": official,
        "units.position": uf.make_position(official, unit, title=f"Bí thư {tag}"),
        "activities.studysession": af.make_session(unit, topic=f"Chuyên đề {tag}", chair=official),
        "activities.initiative": initiative,
        "activities.initiativeevaluation": af.make_evaluation(initiative, evaluator=f"Hội đồng {tag}"),
        "activities.outreach": af.make_outreach(unit, title=f"Bài viết {tag}"),
        "activities.exemplar": af.make_exemplar(unit, name=f"Gương {tag}"),
        "activities.servicefigure": af.make_service_figure(unit, agency=f"Cơ quan {tag}"),
        "activities.declaredfigure": af.make_declared_figure(unit, note=f"Ghi chú {tag}"),
        "members.member": member,
        "members.memberstatus": mf.make_member_status(member, reason=f"Lý do {tag}"),
        "members.attendance": mf.make_attendance(meeting, member, status="excused", reason=f"Ốm {tag}"),
        "reporting.submission": Submission.objects.create(
            unit=unit,
            period_kind="quarter",
            year=2024,
            number=1,
            status="returned",
            reason=f"Thiếu biên bản {tag}",
            submitted_at=now,
            reviewed_at=now,
        ),
        "reporting.lockexception": LockException.objects.create(
            unit=unit, period_kind="quarter", year=2024, number=1, reason=f"Mở lại {tag}", until=now.date()
        ),
    }


@pytest.fixture
def world(tree):
    shared = {
        "activities.source": af.make_source(title="Nguồn chung"),
        "activities.directive": af.make_directive(title="Chỉ thị chung"),
        "activities.theme": af.make_theme(title="Chuyên đề chung"),
        "reporting.deadlinerule": DeadlineRule.objects.create(
            period_kind="quarter",
            level="cell",
            valid_from=datetime.date(2099, 1, 1),
            deadline_days=5,
            closing_days=30,
            note="Quy định chung",
        ),
    }
    alice_records = {**make_records(tree["STP-VP"], "ALICE"), **shared}
    bob_records = make_records(tree["KBNN-1"], "BOB")
    users = {
        "alice": user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR)[0],
        "bob": user_grant(username="bob", unit_code="KBNN", role=Role.UNIT_EDITOR)[0],
        "viewer": user_grant(username="viewer", unit_code="STP", role=Role.UNIT_VIEWER)[0],
        "bloc_admin": user_grant(username="boss", unit_code="BLOC", role=Role.BLOC_ADMIN)[0],
        "bloc_viewer": user_grant(username="reader", unit_code="BLOC", role=Role.BLOC_VIEWER)[0],
    }
    return {"tree": tree, "alice": alice_records, "bob": bob_records, "users": users}


def without_tokens(body):
    """The page without its CSRF tokens: random letters that may spell BOB by chance."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)


def expected_status(role, model, view):
    if role == "anonymous":
        return 302
    writes = role == "bloc_admin" or (role == "alice" and label(model) in EDITABLE)
    if view == "add" and label(model) in READ_ONLY_IN_ADMIN:
        return 403  # the roll call is taken on the session's form, or imported
    if view == "delete" and label(model) in NEVER_DELETED:
        return 403
    if view in ("add", "delete"):
        return 200 if writes else 403
    return 200


def request(client, model, view, obj):
    if view in ("changelist", "add"):
        return client.get(admin_url(model, view))
    return client.get(admin_url(model, view, obj.pk))


@pytest.mark.parametrize("view", ["changelist", "add", "change", "delete", "history"])
@pytest.mark.parametrize("model", MODELS, ids=label)
@pytest.mark.parametrize("role", ["alice", "viewer", "bloc_admin", "bloc_viewer", "anonymous"])
def test_role_by_model_by_view(client, world, role, model, view):
    if role != "anonymous":
        client.force_login(world["users"][role])
    response = request(client, model, view, world["alice"][label(model)])
    assert response.status_code == expected_status(role, model, view)
    if role == "anonymous":
        assert response["Location"].startswith("/admin/login/")
    if role in ("alice", "viewer") and response.status_code == 200:
        body = without_tokens(response.content.decode())
        for marker in FORBIDDEN_TO_ALICE:
            at = body.find(marker)
            assert at == -1, (marker, label(model), view, body[max(0, at - 600) : at + 100])


UNIT_SCOPED = [model for model in MODELS if label(model) in EDITABLE | REPORTING_SCOPED | {"units.unit"}]


@pytest.mark.parametrize("model", UNIT_SCOPED, ids=label)
def test_changelist_shows_own_rows_and_never_a_siblings(client, world, model):
    client.force_login(world["users"]["alice"])
    response = client.get(admin_url(model, "changelist"))
    shown = {obj.pk for obj in response.context["cl"].result_list}
    assert world["alice"][label(model)].pk in shown
    assert world["bob"][label(model)].pk not in shown


@pytest.mark.parametrize("view", ["change", "delete", "history"])
@pytest.mark.parametrize("model", UNIT_SCOPED, ids=label)
def test_a_guessed_id_of_a_sibling_finds_nothing(client, world, model, view):
    client.force_login(world["users"]["alice"])
    response = client.get(admin_url(model, view, world["bob"][label(model)].pk))
    # "No such object", back to the admin index; refused outright where alice may
    # not delete that kind of row at all, and for history.
    refused = view == "history" or (view == "delete" and label(model) not in EDITABLE)
    assert response.status_code == (403 if refused else 302)
    if not refused:
        assert response["Location"] == reverse("admin:index")
    assert "BOB" not in without_tokens(response.content.decode())


def session_form(unit, **fields):
    return {
        "unit": unit.pk,
        "kind": "thematic",
        "topic": "Chuyên đề mới",
        "date": "15/02/2024",
        "year": "",
        "quarter": "",
        "attended": "10",
        "expected": "12",
        "minutes": "",
        "version": "1",  # as the change form shows it, for a record saved once
        **SESSION_INLINES,
        **fields,
    }


def test_post_naming_a_siblings_unit_is_refused(client, world):
    client.force_login(world["users"]["alice"])
    before = StudySession.objects.count()
    response = client.post(admin_url(StudySession, "add"), session_form(world["tree"]["KBNN-1"]))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["unit"] == [
        "Hãy chọn một lựa chọn hợp lệ. Lựa chọn đó không phải là một trong các lựa chọn khả thi."
    ]
    assert StudySession.objects.count() == before


def test_moving_own_record_to_a_siblings_unit_is_refused(client, world):
    client.force_login(world["users"]["alice"])
    session = world["alice"]["activities.studysession"]
    response = client.post(
        admin_url(StudySession, "change", session.pk), session_form(world["tree"]["KBNN-1"])
    )
    assert response.status_code == 200
    session.refresh_from_db()
    assert session.unit.code == "STP-VP"


def test_post_to_a_siblings_record_changes_nothing(client, world):
    client.force_login(world["users"]["alice"])
    session = world["bob"]["activities.studysession"]
    response = client.post(
        admin_url(StudySession, "change", session.pk), session_form(world["tree"]["STP-VP"], topic="Đã chiếm")
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.unit.code, session.topic) == ("KBNN-1", "Chuyên đề BOB")


def test_bulk_delete_with_a_siblings_id_deletes_only_own_rows(client, world):
    client.force_login(world["users"]["alice"])
    own, foreign = world["alice"]["activities.studysession"], world["bob"]["activities.studysession"]
    client.post(
        admin_url(StudySession, "changelist"),
        {"action": "delete_selected", "_selected_action": [own.pk, foreign.pk], "post": "yes"},
    )
    assert not StudySession.objects.filter(pk=own.pk).exists()
    assert StudySession.objects.filter(pk=foreign.pk).exists()


def test_viewer_cannot_change_even_own_unit(client, world):
    client.force_login(world["users"]["viewer"])
    session = world["alice"]["activities.studysession"]
    response = client.post(
        admin_url(StudySession, "change", session.pk), session_form(session.unit, topic="X")
    )
    assert response.status_code == 403
    session.refresh_from_db()
    assert session.topic == "Chuyên đề ALICE"


def autocomplete(client, model_name, field_name, term=""):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "activities", "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    return sorted(item["text"] for item in response.json()["results"])


def test_unit_autocomplete_offers_only_own_subtree(client, world):
    client.force_login(world["users"]["alice"])
    assert autocomplete(client, "studysession", "unit") == [
        "Chi bộ TT STP — Đảng bộ Sở Tư pháp",
        "Chi bộ VP STP — Đảng bộ Sở Tư pháp",
        "Đảng bộ Sở Tư pháp",
    ]
    # Accents are ignored: "Kho" alone would also find the bloc's "Khối" in her committee's parent.
    assert autocomplete(client, "studysession", "unit", "Kho bạc") == []


def test_official_autocomplete_offers_only_own_officials(client, world):
    client.force_login(world["users"]["alice"])
    assert autocomplete(client, "studysession", "chair") == ["Cán bộ ALICE"]
    client.force_login(world["users"]["bob"])
    assert autocomplete(client, "studysession", "chair") == ["Cán bộ BOB"]


def test_autocomplete_is_closed_to_anonymous(client, world):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "activities", "model_name": "studysession", "field_name": "unit", "term": ""},
    )
    assert response.status_code == 302


def test_subtree_filter_lists_only_own_units(client, world):
    client.force_login(world["users"]["alice"])
    response = client.get(admin_url(StudySession, "changelist"))
    unit_filter = next(spec for spec in response.context["cl"].filter_specs if spec.parameter_name == "unit")
    assert [code for code, _name in unit_filter.lookup_choices] == ["STP", "STP-VP", "STP-TT"]
    response = client.get(admin_url(StudySession, "changelist"), {"unit": "KBNN"})
    assert list(response.context["cl"].result_list) == []


def test_bloc_viewer_sees_every_unit(client, world):
    client.force_login(world["users"]["bloc_viewer"])
    response = client.get(admin_url(StudySession, "changelist"))
    assert {s.topic for s in response.context["cl"].result_list} == {
        "Chuyên đề ALICE",
        "Chuyên đề BOB",
        "Họp chi bộ ALICE",
        "Họp chi bộ BOB",
    }


def test_unit_editor_adding_an_official_must_give_a_position_in_scope(client, world):
    client.force_login(world["users"]["alice"])
    form = {
        "code": "",
        "full_name": "Lê Thị Mới",
        "note": "",
        "positions-TOTAL_FORMS": "1",
        "positions-INITIAL_FORMS": "0",
        "positions-MIN_NUM_FORMS": "1",
        "positions-MAX_NUM_FORMS": "1000",
        "positions-0-kind": "party",
        "positions-0-title": "Phó bí thư chi bộ",
        "positions-0-unit": world["tree"]["KBNN-1"].pk,
    }
    response = client.post(admin_url(Official, "add"), form)
    assert response.status_code == 200
    assert not Official.objects.filter(full_name="Lê Thị Mới").exists()
    form["positions-0-unit"] = world["tree"]["STP-TT"].pk
    response = client.post(admin_url(Official, "add"), form)
    assert response.status_code == 302
    assert Official.objects.visible_to(world["users"]["alice"]).filter(full_name="Lê Thị Mới").exists()


def test_only_the_bloc_administrator_manages_users(client, world):
    users = reverse("admin:auth_user_changelist")
    client.force_login(world["users"]["alice"])
    assert client.get(users).status_code == 403
    client.force_login(world["users"]["bloc_admin"])
    assert client.get(users).status_code == 200


def test_a_staff_user_without_a_unit_sees_nothing(client, world):
    loner = get_user_model().objects.create_user("loner", password="x", is_staff=True)
    loner.user_permissions.add(*world["users"]["bloc_viewer"].groups.get().permissions.all())
    client.force_login(loner)
    response = client.get(admin_url(StudySession, "changelist"))
    assert list(response.context["cl"].result_list) == []


class TestAudit:
    def test_a_change_is_kept_with_who_when_and_what(self, client, world):
        client.force_login(world["users"]["alice"])
        session = world["alice"]["activities.studysession"]
        before = datetime.datetime.now(datetime.UTC)
        response = client.post(
            admin_url(StudySession, "change", session.pk),
            session_form(
                session.unit,
                topic="Chuyên đề ALICE",
                attended="11",
                expected="20",
                date="05/02/2024",
                chair=session.chair_id,
            ),
        )
        assert response.status_code == 302
        record = session.history.latest()
        assert (record.history_type, record.history_user.username) == ("~", "alice")
        assert record.history_date >= before
        delta = record.diff_against(record.prev_record)
        assert {(c.field, c.old, c.new) for c in delta.changes} == {("attended", 18, 11)}

    def test_history_page_shows_the_change_to_the_owner(self, client, world):
        client.force_login(world["users"]["alice"])
        session = world["alice"]["activities.studysession"]
        client.post(
            admin_url(StudySession, "change", session.pk),
            session_form(
                session.unit, topic="Chuyên đề ALICE", attended="11", expected="20", date="05/02/2024"
            ),
        )
        body = without_tokens(client.get(admin_url(StudySession, "history", session.pk)).content.decode())
        assert "alice" in body
        assert "Số có mặt" in body or "attended" in body
        assert "18" in body and "11" in body
        assert "2 lần thay đổi" in body
        assert "None" not in body

    def test_a_deleted_record_stays_in_the_history(self, client, world):
        client.force_login(world["users"]["alice"])
        session = world["alice"]["activities.studysession"]
        pk = session.pk
        client.post(admin_url(StudySession, "delete", pk), {"post": "yes"})
        assert not StudySession.objects.filter(pk=pk).exists()
        assert list(StudySession.history.filter(id=pk).values_list("history_type", flat=True)) == ["-", "+"]
        assert StudySession.history.filter(id=pk, history_type="-").get().history_user.username == "alice"

    def test_evaluation_added_inline_is_audited_too(self, world):
        evaluation = world["alice"]["activities.initiativeevaluation"]
        assert InitiativeEvaluation.history.filter(id=evaluation.pk, history_type="+").count() == 1


class TestLogin:
    def login(self, client, username, password, address="10.0.0.1"):
        return client.post(
            reverse("admin:login"), {"username": username, "password": password}, REMOTE_ADDR=address
        )

    def test_login_page_is_vietnamese(self, client, db):
        body = client.get(reverse("admin:login")).content.decode()
        assert "Đăng nhập" in body

    def test_repeated_failures_lock_the_user_out_from_that_address(self, client, world):
        user = world["users"]["alice"]
        user.set_password("correct-horse-battery")
        user.save()
        for _ in range(4):
            assert self.login(client, "alice", "wrong").status_code == 200
        # The fifth failure locks; from then on even the right password is refused.
        assert self.login(client, "alice", "wrong").status_code == 429
        locked = self.login(client, "alice", "correct-horse-battery")
        assert locked.status_code == 429
        body = locked.content.decode()
        assert "Tạm khóa đăng nhập" in body
        assert "Mật khẩu đã nhập sai 5 lần liên tiếp" in body
        assert "Vui lòng thử lại sau 60 phút." in body

    @pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", ""])
    def test_a_login_without_a_safe_next_lands_on_the_home_page(self, client, world, next_url):
        user = world["users"]["alice"]
        user.set_password("correct-horse-battery")
        user.save()
        response = client.post(
            reverse("admin:login"),
            {"username": "alice", "password": "correct-horse-battery", "next": next_url},
            REMOTE_ADDR="10.0.0.1",
        )
        assert response.status_code == 302
        assert response["Location"] == "/"
        assert client.get(response["Location"]).status_code == 200

    def test_lockout_is_per_user_and_address(self, client, world):
        for name in ("alice", "bob"):
            world["users"][name].set_password("correct-horse-battery")
            world["users"][name].save()
        for _ in range(5):
            self.login(client, "alice", "wrong")
        assert self.login(client, "bob", "correct-horse-battery").status_code == 302
        client.logout()
        assert self.login(client, "alice", "correct-horse-battery", address="10.0.0.2").status_code == 302


def test_every_response_carries_a_csp_without_inline_scripts(client, db):
    policy = client.get(reverse("admin:login"))["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert script_src.strip() == "script-src 'self'"
    assert "frame-ancestors 'none'" in policy


IMPORTABLE = [
    model
    for model, model_admin in admin.site._registry.items()
    if model._meta.app_label in {"units", "activities", "members"} and hasattr(model_admin, "import_action")
]


@pytest.mark.parametrize("view", ["import", "export"])
@pytest.mark.parametrize("model", IMPORTABLE, ids=label)
@pytest.mark.parametrize("role", ["alice", "viewer", "bloc_admin", "bloc_viewer", "anonymous"])
def test_import_and_export_need_their_own_permissions(client, world, role, model, view):
    if role != "anonymous":
        client.force_login(world["users"][role])
    response = client.get(admin_url(model, view))
    if role == "anonymous":
        expected = 302
    elif view == "export" and label(model) in OWN_EXPORT:
        # Members are personal data: exported by a bloc administrator, or by a user
        # given the permission (members/tests/test_members.py).
        expected = 200 if role == "bloc_admin" else 403
    elif view == "export":
        expected = 200  # everyone may export what they may see
    else:
        may_import = role == "bloc_admin" or (role == "alice" and label(model) in EDITABLE)
        expected = 200 if may_import else 403
    assert response.status_code == expected
