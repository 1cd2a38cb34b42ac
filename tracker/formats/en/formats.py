# English screens keep the dd/mm/yyyy dates the users work with; only numbers differ.
from tracker.formats.vi.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
