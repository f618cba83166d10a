"""Network: who influences whom, drawn from stored positions, and who matters in the network."""

from stakemap.ui.netpage import network_page
from stakemap.ui.session import require_map
from stakemap.ui.workshop_access import workshop_store
from stakemap.ui.workshop_room import room_guard

cur = require_map()
if not room_guard(workshop_store(), cur.map_id, cur.data, cur.version, "network"):
    network_page(cur)
