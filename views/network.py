"""Network: who influences whom, drawn from stored positions, and who matters in the network."""

from stakemap.ui.netpage import network_page
from stakemap.ui.room.access import workshop_store
from stakemap.ui.room.screen import room_guard
from stakemap.ui.session import require_map

cur = require_map()
if not room_guard(workshop_store(), cur.map_id, cur.data, cur.version, "network"):
    network_page(cur)
