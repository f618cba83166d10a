"""Where maps live: named maps and their versions (maps), the layout kept for each version
(placing), schema migrations (migrate, migrations/) and backups (backup).

May import the layers below it (docs/architecture.md), files and everything under them.
The workshop's own tables are the room's (stakemap.room.sessions).
"""
