"""Alembic migrations of the store's schema (see :mod:`stakemap.store.migrate`)."""
