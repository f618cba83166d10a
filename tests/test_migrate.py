"""Schema upgrades: a database written by release 0.1 opens after an upgrade with every map and
version intact, on SQLite and PostgreSQL; the models and the migrations describe one schema."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from stakemap.model import StakeholderMap
from stakemap.room import sessions  # noqa: F401  (its tables join the metadata)
from stakemap.store import migrate
from stakemap.store.maps import Base, Store

FIXTURES = Path(__file__).parent / "fixtures"
_ROWS = (
    "SELECT m.name, v.number, v.description, v.data FROM versions v "
    "JOIN maps m ON m.id = v.map_id ORDER BY m.name, v.number"
)


def _load_release_0_1(url: str) -> list[tuple]:
    """Fill the empty database at ``url`` from the release-0.1 dump; its version rows."""
    engine = create_engine(url)
    dump = (FIXTURES / f"release-0.1.{engine.dialect.name}.sql").read_text(encoding="utf-8")
    raw = engine.raw_connection()
    try:
        if engine.dialect.name == "sqlite":
            raw.driver_connection.executescript(dump)
        else:
            raw.driver_connection.execute(dump)  # psycopg: several statements, no parameters
            raw.driver_connection.commit()
    finally:
        raw.close()
    engine.dispose()  # the dump empties search_path on its connection: start afresh
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(text(_ROWS))]
    engine.dispose()
    return rows


def test_head_names_the_newest_migration() -> None:
    scripts = ScriptDirectory(str(Path(migrate.__file__).parent / "migrations"))
    assert scripts.get_current_head() == migrate.HEAD


def test_the_models_match_the_migrated_schema(database_url: str) -> None:
    """A change to the store's tables without a migration fails here."""
    store = Store(database_url)
    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        assert migrate.current_revision(conn) == migrate.HEAD


def test_a_release_0_1_database_upgrades_on_start_with_everything_intact(
    database_url: str,
) -> None:
    before = _load_release_0_1(database_url)
    assert len(before) == 7 and len({r[0] for r in before}) == 3

    store = Store(database_url)  # upgrades on start
    with store.engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.HEAD
        assert [tuple(r) for r in conn.execute(text(_ROWS))] == before
    for info in store.list_maps():
        versions = store.history(info.id)
        assert [v.number for v in versions] == list(range(len(versions), 0, -1))
        for v in versions:
            assert isinstance(store.load(info.id, v.number).data, StakeholderMap)
    programme = next(m for m in store.list_maps() if m.name.startswith("New programme"))
    assert store.load(programme.id, 3).data.get("Rosa Mendes-Silva") is not None
    newest = store.latest(programme.id)
    assert store.save(programme.id, newest.data, newest.number, "After the upgrade") == 5
    assert store.create("Made after the upgrade", StakeholderMap()) > programme.id
    assert not store.claim_first_start()  # the samples are not loaded again


def test_db_upgrade_command(database_url: str) -> None:
    _load_release_0_1(database_url)
    done = subprocess.run(
        [sys.executable, "-m", "stakemap", "db", "upgrade"],
        env={"STAKEMAP_DATABASE_URL": database_url, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"database at revision {migrate.HEAD} (newest)"


@pytest.mark.parametrize("revision", ["head", migrate.HEAD])
def test_upgrading_twice_changes_nothing(database_url: str, revision: str) -> None:
    engine = create_engine(database_url)
    assert migrate.upgrade(engine, revision) == migrate.HEAD
    assert migrate.upgrade(engine, revision) == migrate.HEAD
    engine.dispose()


def test_an_unreachable_database_is_one_line_not_a_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "stakemap", "db", "upgrade"],
        env={"STAKEMAP_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("database: ") and len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr
