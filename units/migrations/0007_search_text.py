from django.db import migrations

import tracker.text


def fold_unit_search_text(apps, schema_editor):
    """Each unit's search text, folded as Unit.search_parts() lists it."""
    Unit = apps.get_model("units", "Unit")
    units = list(Unit.objects.only("code", "name", "parent_name", "host_agency"))
    for unit in units:
        unit.search_text = tracker.text.search_text(unit.code, unit.name, unit.parent_name, unit.host_agency)
    Unit.objects.bulk_update(units, ["search_text"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0006_unit_parent_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="search_text",
            field=tracker.text.SearchTextField(verbose_name="search text"),
        ),
        migrations.RunPython(fold_unit_search_text, migrations.RunPython.noop),
    ]
