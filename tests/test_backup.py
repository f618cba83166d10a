"""Backup and restore: every map with its whole history, across engines, from the CLI too."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from stakemap.files.importing import import_workbook
from stakemap.samples.cases import new_programme, pipeline
from stakemap.store.backup import backup, restore
from stakemap.store.maps import Store


def _store_with_history(url: str) -> Store:
    store = Store(url)
    first = store.create("New programme", new_programme(), "Loaded sample map")
    m = new_programme().with_stakeholder("Omar Haddad", stance=2)
    store.save(first, m, 1, "Omar Haddad: Stance Supporter -> Champion")
    store.save(first, m.with_stakeholder("Tom Becker", name="Tom B."), 2, "Renamed Tom Becker")
    store.restore(first, 1, 3)
    store.create("Pipeline — 李娜 «draft»", pipeline(), "Imported pipeline.xlsx")
    return store


def _everything(store: Store) -> list[tuple]:
    return [
        (info.name, store.created_at(info.id), v.number, v.created_at, v.description, v.data)
        for info in store.list_maps()
        for v in store.versions(info.id)
    ]


def test_a_store_round_trips_with_its_history(database_url: str, tmp_path: Path) -> None:
    source = _store_with_history(database_url)
    assert backup(source, tmp_path / "backup") == 2
    target = Store(f"sqlite:///{tmp_path / 'restored.sqlite'}")
    assert restore(target, tmp_path / "backup") == 2
    assert _everything(target) == _everything(source)
    assert not target.claim_first_start()  # no samples loaded on top of a restored team

    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text(encoding="utf-8"))
    workbook = tmp_path / "backup" / manifest["maps"][0]["workbook"]
    latest = target.latest(target.list_maps()[0].id).data
    assert import_workbook(workbook.read_bytes(), workbook.name).map.names == latest.names


def test_restore_refuses_a_database_that_holds_maps(database_url: str, tmp_path: Path) -> None:
    backup(_store_with_history(f"sqlite:///{tmp_path / 'a.sqlite'}"), tmp_path / "backup")
    busy = _store_with_history(database_url)
    with pytest.raises(ValueError, match="needs an empty database"):
        restore(busy, tmp_path / "backup")


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ({"manifest.json": "not json"}, "cannot be read"),
        ({"manifest.json": '{"format": "other"}'}, "not a Stakemap backup"),
        ({"manifest.json": '{"format": "stakemap-backup", "version": 1, "maps": [3]}'}, "damaged"),
        ({"map-0001.json": '{"name": "X", "versions": [{}]}'}, "not a map history"),
    ],
)
def test_a_damaged_backup_is_refused_in_one_line(tmp_path: Path, damage, message) -> None:
    folder = tmp_path / "backup"
    backup(_store_with_history(f"sqlite:///{tmp_path / 'a.sqlite'}"), folder)
    for name, text in damage.items():
        (folder / name).write_text(text, encoding="utf-8")
    target = Store(f"sqlite:///{tmp_path / 'b.sqlite'}")
    with pytest.raises(ValueError, match=message):
        restore(target, folder)
    assert target.list_maps() == []


def test_backup_and_restore_commands(database_url: str, tmp_path: Path) -> None:
    source_url = f"sqlite:///{tmp_path / 'source.sqlite'}"
    source = _store_with_history(source_url)

    def cli(url: str, *args: str) -> subprocess.CompletedProcess:
        env = {"STAKEMAP_DATABASE_URL": url, "PATH": "/usr/bin:/bin"}
        return subprocess.run(
            [sys.executable, "-m", "stakemap", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    made = cli(source_url, "backup", str(tmp_path / "b"))
    assert (made.returncode, made.stdout.strip()) == (
        0,
        f"wrote 2 maps with their history to {tmp_path / 'b'}",
    )
    back = cli(database_url, "restore", str(tmp_path / "b"))
    assert back.returncode == 0, back.stderr
    assert _everything(Store(database_url)) == _everything(source)
    again = cli(database_url, "restore", str(tmp_path / "b"))
    assert again.returncode == 1
    assert again.stderr.strip() == "restore needs an empty database: this one already holds maps"
