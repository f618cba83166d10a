"""Where maps live: named maps and their versions (maps), the workshop's sessions, seats,
rounds and answers (workshops), schema migrations (migrate, migrations/) and backups (backup).

May import: model, settings, values. Nothing here knows the lenses, the network, the plan
or the pages.
"""
