"""Plan: whom to approach first, in what order, through whom, with what ask, and what if."""

from stakemap.ui.plan import plan_page
from stakemap.ui.room.access import workshop_store
from stakemap.ui.room.screen import room_guard
from stakemap.ui.session import require_map

cur = require_map()
if not room_guard(workshop_store(), cur.map_id, cur.data, cur.version, "plan"):
    plan_page(cur)
