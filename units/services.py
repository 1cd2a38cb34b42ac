from django.db import transaction

from .models import Unit, path_segment


@transaction.atomic
def unit_bulk_create_tree(*, units: list[Unit]) -> list[Unit]:
    """
    Insert many units at once, their paths included: a few queries per tree level
    instead of two per unit.

    Each unit's parent must already exist or come earlier in `units`. Used by bulk
    loaders (the demo generator); a single unit is simply saved.
    """
    remaining = list(units)
    while remaining:
        level = [unit for unit in remaining if unit.parent is None or unit.parent.pk is not None]
        if not level:
            raise ValueError("Some units' parents are neither saved nor in the list.")
        for unit in level:
            unit.path = f"new-{unit.code}"
        Unit.objects.bulk_create(level)
        for unit in level:
            parent_path = unit.parent.path if unit.parent is not None else ""
            unit.path = parent_path + path_segment(unit.pk)
            unit._loaded_parent_id = unit.parent_id
        Unit.objects.bulk_update(level, ["path"], batch_size=500)
        created = {id(unit) for unit in level}
        remaining = [unit for unit in remaining if id(unit) not in created]
    return units
