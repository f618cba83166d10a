"""Workshop: a session on the current map, the projector view, rating rounds, adoption."""

from stakemap.ui.session import require_map
from stakemap.ui.workshop_access import workshop_store
from stakemap.ui.workshop_facilitator import workshop_page

workshop_page(require_map(), workshop_store())
