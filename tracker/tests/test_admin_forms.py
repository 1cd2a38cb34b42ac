"""
Every admin add and change form, posted with an empty or malformed value in each of
its fields (inlines included), answers with that field's error and writes nothing.

The admins and their fields are read from admin.site._registry and from the forms
the pages render, so a new admin or a new field is tried without touching this file.
"""

import datetime

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from activities.models import StudySession
from activities.tests.factories import make_session
from conftest import populate
from tracker.tests.formposts import bad_values, form_data, with_value
from units.models import Role, Unit, scope_of
from units.services import UNIT_EDITOR_MODELS, user_grant
from units.tests.factories import make_unit

# django-axes' login logs and the roll calls (taken on the session's form, or imported)
# are read-only lists; every other admin has forms.
READ_ONLY_LISTS = {"members.attendance", "reporting.submission"}
ADMINS = sorted(
    (
        model
        for model in admin.site._registry
        if model._meta.app_label != "axes" and model._meta.label_lower not in READ_ONLY_LISTS
    ),
    key=lambda model: model._meta.label,
)
EDITOR_MODELS = [
    model for model in ADMINS if (model._meta.app_label, model._meta.model_name) in UNIT_EDITOR_MODELS
]
WATCHED_APPS = {"units", "activities", "members", "reporting", "auth", "admin"}
# What must never reach a Vietnamese screen: Django's stock English for a form with
# errors or a broken constraint, and the constraints' own names.
NEVER_SHOWN = [
    "Please correct",
    "is violated",
    "Null characters",
    *(constraint.name for model in apps.get_models() for constraint in model._meta.constraints),
]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def row_counts():
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in WATCHED_APPS
    }


def snapshot(obj):
    if obj is None:
        return None
    return type(obj)._base_manager.filter(pk=obj.pk).values().get()


def forms_on_page(response):
    """The page's model form and its inline forms, each with where its errors are read."""
    context = response.context
    found = [context["adminform"].form]
    for inline in context["inline_admin_formsets"]:
        found += inline.formset.forms
    return found


def other_ids(field, user):
    """Ids of records `user` may not choose in `field`: each sits outside their units."""
    if user.is_superuser or not hasattr(field, "queryset"):
        return []
    model = field.queryset.model
    hidden = model._default_manager.exclude(pk__in=field.queryset.values("pk"))
    return [str(pk) for pk in hidden.order_by("pk").values_list("pk", flat=True)[:1]]


def try_every_field(client, user, model, view, only_others=False):
    """
    Post each wrong value of each field; return the cases that did not answer as they
    must. With `only_others`, only the ids of records outside the user's units.
    """
    visible = model._default_manager
    if hasattr(visible, "visible_to") and model is not get_user_model():
        visible = visible.visible_to(user)
    obj = visible.order_by("pk").first()
    assert obj is not None, f"no {model.__name__} to open"
    source = client.get(admin_url(model, "change", obj.pk))
    assert source.status_code == 200
    # The add form is posted with a copy of an existing record's values: every field
    # but the one under test is then a plausible value.
    baseline = form_data(source.content.decode(), form_id="_form")
    url = admin_url(model, "add") if view == "add" else admin_url(model, "change", obj.pk)
    page = client.get(url)
    assert page.status_code == 200
    failures = []
    tried = 0
    for index, form in enumerate(forms_on_page(page)):
        for bound_field in form:
            if bound_field.is_hidden:
                continue  # the version (tests of its own) and an inline's keys
            extra_row = index > 0 and form.instance.pk is None
            for label, value in bad_values(bound_field.field, other_ids(bound_field.field, user)):
                if extra_row and label == "empty":
                    continue  # an untouched extra row is ignored, as it should be
                if only_others and label != "another unit's id":
                    continue
                tried += 1
                problem = post_and_check(
                    client, url, with_value(baseline, bound_field, value), index, bound_field, obj
                )
                if problem:
                    failures.append(f"{bound_field.html_name} = {value!r} ({label}): {problem}")
    return tried, failures


def post_and_check(client, url, data, index, bound_field, obj):
    counts, before = row_counts(), snapshot(obj)
    response = client.post(url, data)
    if response.status_code != 200:
        return f"answered {response.status_code}"
    if row_counts() != counts or snapshot(obj) != before:
        return "wrote to the database"
    form = forms_on_page(response)[index]
    if bound_field.name not in form.errors:
        return f"no error on the field; errors: {dict(form.errors)}"
    return shown_in_english(response)


def shown_in_english(response):
    body = response.content.decode()
    found = [text for text in NEVER_SHOWN if text in body]
    return f"the page shows {found}" if found else None


@pytest.fixture
def records(tree):
    populate(tree, 3)  # the third row of each kind sits in KBNN, outside alice's units
    user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR)
    return tree


@pytest.mark.parametrize("view", ["add", "change"])
@pytest.mark.parametrize("model", ADMINS, ids=lambda model: model._meta.label)
def test_every_field_of_every_admin_form_refuses_a_bad_value(admin_client, admin_user, records, model, view):
    tried, failures = try_every_field(admin_client, admin_user, model, view)
    assert tried >= 3
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("view", ["add", "change"])
@pytest.mark.parametrize("model", EDITOR_MODELS, ids=lambda model: model._meta.label)
def test_a_unit_editor_cannot_pick_another_units_records(client, records, model, view):
    alice = get_user_model().objects.get(username="alice")
    assert scope_of(alice).code == "STP"
    client.force_login(alice)
    tried, failures = try_every_field(client, alice, model, view, only_others=True)
    assert tried >= 1
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("model", ADMINS, ids=lambda model: model._meta.label)
def test_an_admin_form_posted_empty_answers_with_errors(admin_client, records, model):
    page = admin_client.get(admin_url(model, "add"))
    data = form_data(page.content.decode(), form_id="_form")
    empty = {name: values if name.endswith("_FORMS") else [""] for name, values in data.items()}
    counts = row_counts()
    response = admin_client.post(admin_url(model, "add"), empty)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert row_counts() == counts
    assert shown_in_english(response) is None


@pytest.mark.parametrize("model", ADMINS, ids=lambda model: model._meta.label)
def test_a_change_form_posted_back_unchanged_saves(admin_client, records, model):
    """The baseline the cases above start from is valid: each error comes from the one wrong value."""
    obj = model._default_manager.order_by("pk").first()
    page = admin_client.get(admin_url(model, "change", obj.pk))
    response = admin_client.post(
        admin_url(model, "change", obj.pk), form_data(page.content.decode(), "_form")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""


def session_post(unit, **fields):
    return {
        "unit": unit.pk,
        "kind": "monthly",
        "date": "25/11/2026",
        "year": "",
        "quarter": "",
        "topic": "",
        **fields,
    }


def test_a_session_without_date_or_quarter_is_told_what_to_give(admin_client, tree):
    response = admin_client.post(admin_url(StudySession, "add"), session_post(tree["BDV"], date=""))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "__all__": ["Hãy nhập ngày, hoặc năm và quý khi không rõ ngày."]
    }
    body = response.content.decode()
    assert "Vui lòng sửa các lỗi dưới đây." in body
    assert shown_in_english(response) is None
    assert StudySession.objects.count() == 0


def test_a_session_the_unit_already_has_links_to_its_change_page(admin_client, tree):
    existing = make_session(tree["BDV"], kind="monthly", date=datetime.date(2026, 11, 25), topic="")
    response = admin_client.post(admin_url(StudySession, "add"), session_post(tree["BDV"]))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "date": [
            "Đơn vị này đã có một buổi Sinh hoạt định kỳ ngày 25/11/2026. Hãy sửa buổi đó thay vì nhập lại; "
            "nếu là một buổi khác trong cùng ngày, hãy ghi chủ đề riêng cho buổi này. "
            f'<a href="/admin/activities/studysession/{existing.pk}/change/">Mở bản ghi đã có</a>'
        ]
    }
    assert shown_in_english(response) is None
    assert StudySession.objects.count() == 1


def test_a_clash_message_escapes_what_was_typed(admin_client, tree):
    first = make_unit(tree["STP"], name="<b>Chi bộ 3</b>")
    data = {
        "code": "STP-3",
        "name": "<b>Chi bộ 3</b>",
        "kind": "cell",
        "parent": tree["STP"].pk,
        "is_active": "on",
    }
    response = admin_client.post(admin_url(Unit, "add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "name": [
            "Đơn vị cấp trên này đã có một đơn vị tên “&lt;b&gt;Chi bộ 3&lt;/b&gt;”. "
            "Hãy sửa bản ghi đó thay vì nhập lại. "
            f'<a href="/admin/units/unit/{first.pk}/change/">Mở bản ghi đã có</a>'
        ]
    }
    assert "<b>Chi bộ 3" not in response.content.decode()


def test_a_code_already_in_use_is_said_in_vietnamese(admin_client, tree):
    response = admin_client.post(
        admin_url(Unit, "add"),
        {"code": "STP", "name": "Đảng bộ mới", "kind": "grassroots_cell", "parent": tree["BLOC"].pk},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"code": ["Mã này đã được dùng; hãy chọn mã khác."]}


def test_a_clash_with_a_record_the_user_may_not_open_has_no_link(rf, tree):
    """The admin links a clash to a record only for a user who may open it."""
    from django.contrib.auth.models import AnonymousUser

    from tracker.admin import AdminLinks

    session = make_session(tree["BDV"])
    request = rf.get("/")
    request.user = AnonymousUser()
    assert AdminLinks(admin.site, request)(session) is None
    alice, _created = user_grant(username="alice", unit_code="STP", role=Role.UNIT_EDITOR)
    request.user = alice
    assert AdminLinks(admin.site, request)(session) is None
    request.user = get_user_model().objects.create_superuser("root", password="x")
    assert AdminLinks(admin.site, request)(session) == f"/admin/activities/studysession/{session.pk}/change/"


@pytest.mark.parametrize(
    ("model_name", "field", "places"),
    [
        ("servicefigure", "on_time_rate", 2),
        ("servicefigure", "one_stop_rate", 2),
        ("declaredfigure", "value", 2),
    ],
)
def test_a_number_with_more_digits_after_the_point_than_kept_is_refused_not_rounded(
    admin_client, records, model_name, field, places
):
    model = apps.get_model("activities", model_name)
    obj = model._default_manager.order_by("pk").first()
    url = admin_url(model, "change", obj.pk)
    data = form_data(admin_client.get(url).content.decode(), "_form")
    data[field] = ["99.999"]
    before = snapshot(obj)
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [
        f"Hãy chắc chắn rằng không có nhiều hơn {places} chữ số thập phân."
    ]
    assert snapshot(obj) == before
