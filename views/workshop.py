"""Workshop: a session on the current map, the projector view, rating rounds, adoption."""

from stakemap.ui.room.access import workshop_store
from stakemap.ui.room.facilitator import workshop_page
from stakemap.ui.session import require_map

workshop_page(require_map(), workshop_store())
