"""Versioned schema upgrades of the store with Alembic, run on start and by ``stakemap db upgrade``.

A database made before migrations existed (release 0.1: the tables, no ``alembic_version``) is
stamped as revision 0001, its schema, then upgraded like any other. On PostgreSQL the upgrade
holds an advisory lock, so replicas starting together upgrade once; on SQLite a second process
that lost the race finds the work done.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text

__all__ = ["HEAD", "current_revision", "upgrade"]

#: The newest revision in migrations/versions (a test keeps the two in step).
HEAD = "0004"
#: The revision whose schema release 0.1 created without Alembic.
_BASELINE = "0001"
_SCRIPTS = Path(__file__).parent / "migrations"
_LOCK_KEY = 0x5354414B  # "STAK": pg_advisory_xact_lock's key for schema upgrades


def current_revision(connection: Connection) -> str | None:
    """The database's revision; None for an empty database or one from before migrations."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> str:
    """Bring the schema to ``revision`` (default the newest); return the revision reached.

    >>> from sqlalchemy import create_engine
    >>> upgrade(create_engine("sqlite://")) == HEAD
    True
    """
    with engine.connect() as probe:
        if revision == "head" and current_revision(probe) == HEAD:
            return HEAD  # the usual start: nothing to do, no Alembic import
    try:
        return _upgrade(engine, revision)
    except Exception:
        with engine.connect() as probe:  # another process may have just done the same work
            if revision == "head" and current_revision(probe) == HEAD:
                return HEAD
        raise


def _upgrade(engine: Engine, revision: str) -> str:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        config.attributes["connection"] = connection
        if current_revision(connection) is None and inspect(connection).has_table("maps"):
            command.stamp(config, _BASELINE)  # release 0.1: tables made without Alembic
        command.upgrade(config, revision)
        return current_revision(connection)
