"""Placing people once per version: in the background after a page, or when a page draws."""

from __future__ import annotations

import threading

import pytest

from stakemap.model import Relationship, Stakeholder, StakeholderMap
from stakemap.network.layout import layout
from stakemap.samples import synthetic
from stakemap.store import placing
from stakemap.store.maps import Store
from stakemap.store.placing import Activity, Placer


@pytest.fixture()
def store(tmp_path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'placing.sqlite'}")


def _counting(monkeypatch, store: Store) -> list[int]:
    """Count the layouts worked out in ``store``; each takes a moment, as on a large map. (The
    app's own placer may still be laying out an earlier test's map in its background thread:
    not counted.)"""
    calls: list[int] = []
    real = placing._work_out

    def counted(*args):
        if args[0] is store:
            calls.append(1)
            threading.Event().wait(0.2)
        return real(*args)

    monkeypatch.setattr(placing, "_work_out", counted)
    return calls


def _laying_out(store: Store, monkeypatch, quiet: float):
    """A generated map in the store, its background layout asked for, the layouts counted."""
    m = synthetic.large(60, 3)
    map_id = store.create("Big", m)
    calls = _counting(monkeypatch, store)
    placer = Placer(Activity())
    placer.place_soon(store, map_id, 1, m, quiet=quiet)
    return m, map_id, calls, placer


def test_a_page_waits_for_the_background_layout_instead_of_repeating_it(store, monkeypatch):
    m, map_id, calls, placer = _laying_out(store, monkeypatch, quiet=0.05)
    placed = placer.place(store, map_id, 1, m)
    assert placed == layout(m) and len(calls) == 1
    assert store.kept_layout(map_id) == (1, placed)
    assert placer.place(store, map_id, 1, m) == placed and len(calls) == 1


def test_two_pages_at_once_lay_a_version_out_once(store, monkeypatch):
    m, map_id, calls, placer = _laying_out(store, monkeypatch, quiet=0.0)
    results: list[dict] = []
    pages = [
        threading.Thread(target=lambda: results.append(placer.place(store, map_id, 1, m)))
        for _ in range(3)
    ]
    for page in pages:
        page.start()
    for page in pages:
        page.join()
    assert len(calls) == 1 and all(r == results[0] for r in results)


def test_a_version_with_every_position_stored_is_not_laid_out_in_the_background(store):
    m = StakeholderMap((Stakeholder("A"),), positions={"A": (5.0, 6.0)})
    map_id = store.create("Placed", m)
    placer = Placer(Activity())
    placer.place_soon(store, map_id, 1, m, quiet=0.0)
    assert not placer.pending(store, map_id, 1)
    assert placer.place(store, map_id, 1, m) == {"A": (5.0, 6.0)}
    assert store.kept_layout(map_id) is None  # nothing to keep: the version has them


def test_a_failed_background_run_is_run_again_for_the_page(store, monkeypatch):
    m = StakeholderMap((Stakeholder("A"), Stakeholder("B")), (Relationship("A", "B"),))
    map_id = store.create("Pair", m)
    real = placing._work_out
    failures = iter([RuntimeError("disk full")])

    def flaky(*args):
        for error in failures:
            raise error
        return real(*args)

    monkeypatch.setattr(placing, "_work_out", flaky)
    placer = Placer(Activity())
    placer.place_soon(store, map_id, 1, m, quiet=0.0)
    assert sorted(placer.place(store, map_id, 1, m)) == ["A", "B"]


def test_after_an_edit_only_the_newcomer_is_placed_next_to_their_tie(store):
    m = StakeholderMap((Stakeholder("A"), Stakeholder("B")), (Relationship("A", "B"),))
    map_id = store.create("Pair", m)
    placer = Placer(Activity())
    first = placer.place(store, map_id, 1, m)
    grown = StakeholderMap(
        (*m.stakeholders, Stakeholder("C")), (*m.relationships, Relationship("C", "A"))
    )
    version = store.save(map_id, grown, 1, "added C")
    second = placer.place(store, map_id, version, grown)
    assert {k: second[k] for k in first} == first
    assert store.kept_layout(map_id) == (version, second)


def test_the_background_waits_while_a_page_runs(store, monkeypatch):
    m = synthetic.large(30, 3)
    map_id = store.create("Big", m)
    calls = _counting(monkeypatch, store)
    activity = Activity()
    placer = Placer(activity)
    with activity.run():
        placer.place_soon(store, map_id, 1, m, quiet=0.1)
        threading.Event().wait(0.3)
        assert not calls  # a page is running: the layout would hold it up
    for _ in range(100):  # quiet now: it starts within about 0.1 s
        if calls:
            break
        threading.Event().wait(0.05)
    assert len(calls) == 1


def test_a_page_asking_meanwhile_gets_the_places_at_once(store):
    m = synthetic.large(30, 3)
    map_id = store.create("Big", m)
    activity = Activity()
    placer = Placer(activity)
    with activity.run():  # a page runs and asks, so the run never turns quiet
        placer.place_soon(store, map_id, 1, m, quiet=0.1)
        waited = threading.Event()
        timer = threading.Timer(5.0, waited.set)
        timer.start()
        assert placer.place(store, map_id, 1, m) == layout(m)
        timer.cancel()
        assert not waited.is_set()


def test_a_version_that_stores_some_positions_keeps_them_over_the_kept_layout(store):
    pair = StakeholderMap((Stakeholder("A"), Stakeholder("B")), (Relationship("A", "B"),))
    map_id = store.create("Pair", pair)
    placer = Placer(Activity())
    placer.place(store, map_id, 1, pair)  # a layout is kept for the map
    dragged = StakeholderMap(pair.stakeholders, pair.relationships, positions={"A": (7.0, 8.0)})
    version = store.save(map_id, dragged, 1, "moved A")
    placed = placer.place(store, map_id, version, dragged)
    assert placed["A"] == (7.0, 8.0) and sorted(placed) == ["A", "B"]
    assert store.kept_layout(map_id)[0] == 1  # nothing new kept: the version has its own


def test_the_background_keeps_no_layout_until_a_page_draws_it(store):
    """A map typed in by hand is worked out in the background after each edit, but only what a
    page draws holds the picture: until then each version is laid out as a whole."""
    m = synthetic.generated(2)
    map_id = store.create("Typed", m)
    placer = Placer(Activity())
    placer.place_soon(store, map_id, 1, m, quiet=0.0)
    (future, _), *_ = placer._jobs.values()
    assert future.result() == layout(m)
    assert store.kept_layout(map_id) is None
    assert placer.place(store, map_id, 1, m) == layout(m)
    assert store.kept_layout(map_id) == (1, layout(m))


def test_work_ahead_is_done_once_and_a_page_asking_does_not_wait_for_quiet():
    """A plan worked out ahead (store.placing.Ahead) is the one a page gets: the page's own
    computation never runs, and a page asking while runs go on starts the work at once."""
    activity = placing.Activity()
    ahead = placing.Ahead(activity, patience=30.0)
    done: list[str] = []
    with activity.run():  # a page is running: the work waits for a quiet moment
        ahead.soon("plan", lambda: done.append("ahead") or "worked out ahead", quiet=5.0)
        threading.Event().wait(0.2)
        assert done == []
        got = ahead.get("plan", lambda: done.append("page") or "worked out by the page")
    assert got == "worked out ahead" and done == ["ahead"]
    assert ahead.get("plan", lambda: "again") == "worked out ahead"


def test_a_page_does_not_wait_behind_work_queued_ahead_of_its_own():
    """A version's plan queued behind other plans worked out ahead is done by the page asking
    for it, at once: it waited behind the last version's what-ifs (seconds on a 200-person map)."""
    ahead = placing.Ahead(placing.Activity())
    release = threading.Event()
    ahead.soon("busy", lambda: release.wait(10) and "other", quiet=0.0)
    ahead.soon("mine", lambda: "ahead", quiet=0.0)
    assert ahead.get("mine", lambda: "by the page") == "by the page"
    release.set()
    assert ahead.get("busy", lambda: "again") == "other"


def test_memory_goes_back_after_a_quiet_moment_following_a_page_run(monkeypatch):
    """A page run's freed memory is handed back once no page has run for a moment, not while
    pages run, and once for runs in quick succession; the work asked for at quiet moments (the
    server's collection) runs just before."""
    trims: list[str] = []
    monkeypatch.setattr(placing, "give_back_memory", lambda: trims.append("trim") or True)
    activity = placing.Activity(trim_after=0.2)
    activity.at_quiet(lambda: trims.append("quiet work"))
    for _ in range(3):
        with activity.run():
            pass
    assert trims == []
    threading.Event().wait(0.6)
    assert trims == ["quiet work", "trim"]
    with activity.run():
        threading.Event().wait(0.4)
        assert trims == ["quiet work", "trim"]
    threading.Event().wait(0.6)
    assert trims == ["quiet work", "trim"] * 2


def test_fewer_arenas_is_a_setting_of_the_c_library():
    assert placing.fewer_arenas(8) in (True, False)


def test_work_ahead_keeps_fewer_values_of_large_maps():
    """Values are weighed by their map's people: a budget of 10,000 keeps two 5,000-person
    plans and then drops the oldest, but keeps many small ones (up to ``keep``)."""
    ahead = placing.Ahead(placing.Activity(), keep=4, budget=10_000)
    for k in range(3):
        ahead.get(("large", k), lambda k=k: k, weight=5_000)
    assert ahead.get(("large", 0), lambda: "again", weight=5_000) == "again"
    assert ahead.get(("large", 2), lambda: "again", weight=5_000) == 2
    small = placing.Ahead(placing.Activity(), keep=4, budget=10_000)
    for k in range(4):
        small.get(("small", k), lambda k=k: k, weight=20)
    assert [small.get(("small", k), lambda: "again", weight=20) for k in range(4)] == [0, 1, 2, 3]
