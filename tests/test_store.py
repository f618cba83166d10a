"""Maps and versions on SQLite and PostgreSQL: autosave, history, undo, stale saves, names."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from stakemap import settings
from stakemap.model import StakeholderMap
from stakemap.store.maps import NAME_LENGTH, StaleVersion, Store


@pytest.fixture
def url(database_url: str) -> str:
    return database_url


@pytest.fixture
def store(url: str) -> Store:
    return Store(url)


def test_create_save_history_and_restore(store: Store, demo_map: StakeholderMap) -> None:
    map_id = store.create("Reorg", demo_map)
    assert store.latest(map_id).number == 1
    assert store.latest(map_id).data == demo_map

    edited = demo_map.with_stakeholder("Ben", stance=2)
    assert (
        store.save(map_id, edited, base=1, description="Stance of Ben: Supporter -> Champion") == 2
    )
    renamed = edited.with_stakeholder("Ana", name="Ana Ruiz")
    assert store.save(map_id, renamed, base=2, description="Renamed Ana to Ana Ruiz") == 3

    assert [(v.number, v.description) for v in store.history(map_id)] == [
        (3, "Renamed Ana to Ana Ruiz"),
        (2, "Stance of Ben: Supporter -> Champion"),
        (1, "Created"),
    ]
    assert all(v.data is None for v in store.history(map_id))  # history is light
    assert store.load(map_id, 2).data == edited
    assert store.latest_number(map_id) == 3

    assert store.restore(map_id, 1, base=3) == 4
    latest = store.latest(map_id)
    assert (latest.number, latest.description, latest.data) == (4, "Restored version 1", demo_map)
    assert len(store.history(map_id)) == 4  # undo never loses history


def test_the_map_round_trips_exactly(store: Store, demo_map: StakeholderMap) -> None:
    back = store.latest(store.create("Round trip", demo_map)).data
    assert back == demo_map
    assert back.positions == {"Ana": (0.0, 1.0), "Chloé": (2.0, 3.0)}
    assert back.get("李娜").unaware is True
    assert back.get("Chloé").custom == {"Site": "Lyon"}


def test_a_save_on_an_outdated_version_is_refused(store: Store, demo_map: StakeholderMap) -> None:
    map_id = store.create("Shared", demo_map)
    # two tabs load version 1; the first saves, the second is told instead of overwriting
    store.save(map_id, demo_map.with_stakeholder("Ben", stance=2), base=1, description="tab A")
    with pytest.raises(StaleVersion) as info:
        store.save(map_id, demo_map.with_stakeholder("Ben", stance=-2), base=1, description="B")
    assert (info.value.base, info.value.latest) == (1, 2)
    assert str(info.value) == (
        "This map was changed elsewhere (version 2) after you loaded version 1."
    )
    assert store.latest(map_id).data.get("Ben").stance == 2
    with pytest.raises(StaleVersion):
        store.restore(map_id, 1, base=1)
    with pytest.raises(StaleVersion):
        store.save(map_id, demo_map, base=5, description="from the future")


def test_a_save_to_a_deleted_map_is_stale(store: Store) -> None:
    map_id = store.create("Gone", StakeholderMap())
    store.delete(map_id)
    with pytest.raises(StaleVersion) as info:
        store.save(map_id, StakeholderMap(), base=1, description="late edit")
    assert info.value.latest == 0
    assert store.latest_number(map_id) == 0
    with pytest.raises(KeyError):
        store.latest(map_id)


def test_rename_duplicate_delete(store: Store, demo_map: StakeholderMap) -> None:
    first = store.create("Alpha", demo_map)
    store.save(first, demo_map.with_stakeholder("Ben", role="Head"), 1, "Ben's role")
    store.rename(first, "  Alpha   programme ")
    assert store.name(first) == "Alpha programme"

    copy = store.duplicate(first, "Alpha copy")
    assert store.latest(copy).data == store.latest(first).data
    assert [(v.number, v.description) for v in store.history(copy)] == [
        (1, "Duplicated from Alpha programme")
    ]

    assert [(m.name, m.version) for m in store.list_maps()] == [
        ("Alpha copy", 1),
        ("Alpha programme", 2),
    ]
    store.delete(first)
    assert [m.id for m in store.list_maps()] == [copy]
    assert store.history(first) == []


def test_names_are_unique_and_not_blank(store: Store) -> None:
    store.create("Board", StakeholderMap())
    other = store.create("Works council", StakeholderMap())
    with pytest.raises(ValueError, match=r'A map called "board" already exists\.'):
        store.create("board", StakeholderMap())
    with pytest.raises(ValueError, match="already exists"):
        store.rename(other, " BOARD ")
    with pytest.raises(ValueError, match=r"A map needs a name\."):
        store.create("   ", StakeholderMap())
    store.rename(other, "WORKS council")  # a map may change its own name's case
    assert store.name(other) == "WORKS council"

    assert store.unique_name("Board") == "Board (2)"
    store.create("Board (2)", StakeholderMap())
    assert store.unique_name(" board ") == "board (3)"
    assert store.unique_name("New") == "New"
    assert store.unique_name("  ") == "Untitled map"


def test_maps_survive_a_server_restart(url: str, demo_map: StakeholderMap) -> None:
    before = Store(url)
    map_id = before.create("Persistent", demo_map)
    before.save(map_id, demo_map.with_stakeholder("Ana", stance=2), 1, "Ana: Champion")
    before.engine.dispose()

    after = Store(url)  # a new process opening the same file
    assert [(m.id, m.name, m.version) for m in after.list_maps()] == [(map_id, "Persistent", 2)]
    assert after.latest(map_id).data.get("Ana").stance == 2
    assert after.save(map_id, demo_map, base=2, description="after restart") == 3


def test_claim_first_start_is_true_exactly_once(url: str) -> None:
    first = Store(url)
    assert first.claim_first_start() is True
    assert first.claim_first_start() is False
    assert Store(url).claim_first_start() is False


def test_versions_are_timestamped_in_order(store: Store) -> None:
    map_id = store.create("Clock", StakeholderMap())
    time.sleep(0.01)
    store.save(map_id, StakeholderMap(), 1, "later")
    newest, oldest = store.history(map_id)
    assert newest.created_at > oldest.created_at
    assert store.list_maps()[0].updated_at == newest.created_at


def test_long_descriptions_are_cut(store: Store) -> None:
    map_id = store.create("Long", StakeholderMap())
    store.save(map_id, StakeholderMap(), 1, "x" * 900)
    assert len(store.history(map_id)[0].description) == 500


def test_names_at_the_schema_limit_behave_alike_on_every_engine(store: Store) -> None:
    """PostgreSQL enforces String(200) and refuses NUL; SQLite does neither. The store decides."""
    longest = "N" * NAME_LENGTH
    map_id = store.create(longest, StakeholderMap())
    with pytest.raises(ValueError, match=f"at most {NAME_LENGTH} characters; this one has 201"):
        store.create(longest + "x", StakeholderMap())
    copy_name = store.unique_name(longest, " (copy)")  # the sidebar's Duplicate
    assert len(copy_name) == NAME_LENGTH and copy_name.endswith("N (copy)")
    store.duplicate(map_id, copy_name)
    stem = store.unique_name("Q" * 300)  # an imported file's long stem
    assert stem == "Q" * NAME_LENGTH
    store.create(stem, StakeholderMap())
    again = store.unique_name("Q" * 300)
    assert again.endswith(" (2)") and len(again) == NAME_LENGTH
    store.create(again, StakeholderMap())
    assert len(store.list_maps()) == 4


def test_control_characters_in_names_are_refused_and_cleaned_from_descriptions(
    store: Store,
) -> None:
    for name in ("Board\x00", "Bo\x1bard", "\x7fBoard"):
        with pytest.raises(ValueError, match="control characters"):
            store.create(name, StakeholderMap())
    assert store.unique_name("Board\x00 review") == "Board review"
    map_id = store.create("Board", StakeholderMap(), description="Imported a\x00b.csv")
    with pytest.raises(ValueError, match="control characters"):
        store.rename(map_id, "Board\x00")
    store.save(map_id, StakeholderMap(), 1, "Renamed A\x00 to B")
    assert [v.description for v in store.history(map_id)] == ["Renamed A to B", "Imported ab.csv"]
    assert store.name(map_id) == "Board"


def test_database_url_setting(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("STAKEMAP_DATABASE_URL", "sqlite:///elsewhere.sqlite")
    assert settings.database_url() == "sqlite:///elsewhere.sqlite"
    monkeypatch.delenv("STAKEMAP_DATABASE_URL")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert settings.database_url() == f"sqlite:///{tmp_path / 'stakemap' / 'stakemap.sqlite'}"
    assert (tmp_path / "stakemap").is_dir()
