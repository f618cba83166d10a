"""Network: who influences whom, drawn from stored positions, and who matters in the network."""

from stakemap.ui.netpage import network_page
from stakemap.ui.session import require_map

cur = require_map()
network_page(cur)
