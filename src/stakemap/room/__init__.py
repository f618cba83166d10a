"""The workshop room: join codes, rating rounds and their aggregation (rounds), sessions, seats
and answers kept beside the maps (sessions), the map's latest version as the room follows it
(versions), what the room may see of a map (view), who may do what and the guess limits
(access), and the printed outcome (handouts).

May import: model, settings, values, legend, store, lenses, network, planning. Only the
pages (ui) and the command line import room.
"""
