import re

import pytest
from django import forms

from tracker.widgets import PlainSelect
from units.models import Unit


def compact(html):
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.django_db
@pytest.mark.parametrize("value", [None, "chosen"])
def test_plain_select_writes_what_django_select_writes(tree, value):
    class Form(forms.Form):
        unit = forms.ModelChoiceField(Unit.objects.order_by("path"), widget=forms.Select)
        fast = forms.ModelChoiceField(Unit.objects.order_by("path"), widget=PlainSelect)

    chosen = tree["STP-TT"].pk if value else None
    form = Form(initial={"unit": chosen, "fast": chosen})
    django_html = compact(str(form["unit"])).replace('"unit"', '"fast"').replace('"id_unit"', '"id_fast"')
    assert compact(str(form["fast"])) == django_html
    assert django_html.count("<option") == 9  # the empty choice and the 8 units
    assert ("selected>Chi bộ TT STP — Đảng bộ Sở Tư pháp</option>" in django_html) == bool(value)


def test_plain_select_escapes_labels_and_values():
    widget = PlainSelect(choices=[("<a>", 'Chi bộ "A" & <B>')])
    assert widget.render("x", "<a>") == (
        '<select name="x"><option value="&lt;a&gt;" selected>Chi bộ &quot;A&quot; &amp; &lt;B&gt;</option></select>'
    )
