"""Alembic environment: migrations always run on the connection :mod:`stakemap.store.migrate`
passes in ``config.attributes["connection"]``, never from an ini file."""

from alembic import context

connection = context.config.attributes["connection"]
# batch mode: SQLite can only alter a table by copying it
context.configure(connection=connection, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
