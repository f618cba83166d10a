"""Plan: whom to approach first, in what order, through whom, with what ask, and what if."""

from stakemap.ui.plan import plan_page
from stakemap.ui.session import require_map

cur = require_map()
plan_page(cur)
