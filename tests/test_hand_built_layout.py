"""A map typed in by hand (people one at a time, each saved as a version, then ties) is drawn
spread on both axes, never as the column it once was; a collapsed layout is laid out again; a
layout someone placed is kept.

The acceptance property (tests/lines.py): no two people who share no tie stand on one
vertical or horizontal line, within half a percent of the drawing's size.
"""

from __future__ import annotations

import itertools
import math
import random

import numpy as np
import pytest

from stakemap.model import Relationship, Stakeholder, StakeholderMap
from stakemap.network import layout, spots
from stakemap.samples import synthetic
from stakemap.store.maps import Store
from stakemap.store.placing import Activity, Placer
from tests.lines import lined_up

Positions = dict[str, tuple[float, float]]


@pytest.fixture()
def db(tmp_path) -> Store:
    """A database file: the background thread must see the same data (an in-memory SQLite
    database is one per thread)."""
    return Store(f"sqlite:///{tmp_path / 'hand.sqlite'}")


def typed_by_hand(
    store: Store, m: StakeholderMap, *, look_each_time: bool
) -> tuple[StakeholderMap, Positions]:
    """``m`` entered as the Data page does: an empty map, then one version a person, then one a
    tie. After each save the app works the places out in the background (``place_soon``);
    with ``look_each_time`` someone also opens the Network page each time (``place``). Returns
    the last version and what the Network page draws for it."""
    map_id = store.create("By hand", StakeholderMap())
    placer = Placer(Activity())
    version, people, ties = 1, [], []
    data = StakeholderMap()
    edits = [(people, s) for s in m.stakeholders] + [(ties, t) for t in m.relationships]
    for into, item in edits:
        into.append(item)
        data = StakeholderMap(tuple(people), tuple(ties))
        version = store.save(map_id, data, version, "Edited")
        placer.place_soon(store, map_id, version, data, quiet=0.0)
        if look_each_time:
            placer.place(store, map_id, version, data)
    return data, placer.place(store, map_id, version, data)


def _loose_ends(n: int, seed: int) -> StakeholderMap:
    """A hand-made shape: a chain, pairs, a star and people with no tie, shuffled."""
    rng = random.Random(seed)
    names = [f"P{k}" for k in range(n)]
    rng.shuffle(names)
    third = n // 3
    ties = [(names[k], names[k + 1]) for k in range(third - 1)]  # a chain
    ties += [(names[k], names[k + 1]) for k in range(third, 2 * third - 1, 2)]  # pairs
    ties += [(names[2 * third], names[k]) for k in range(2 * third + 1, n - 2)]  # a star
    rng.shuffle(ties)
    return StakeholderMap(
        tuple(Stakeholder(p) for p in sorted(names)), tuple(Relationship(a, b) for a, b in ties)
    )


HAND_BUILT = [
    *(pytest.param(synthetic.generated(seed), id=f"generated-{seed}") for seed in range(6)),
    *(pytest.param(synthetic.organisation(n, seed=n), id=f"organisation-{n}") for n in (5, 10, 25)),
    *(pytest.param(_loose_ends(n, n), id=f"loose-ends-{n}") for n in (5, 12, 30)),
]


@pytest.mark.parametrize(
    "look_each_time", [False, True], ids=["drawn-at-the-end", "drawn-each-edit"]
)
@pytest.mark.parametrize("m", HAND_BUILT)
def test_a_map_typed_by_hand_is_drawn_spread_on_both_axes(db, m, look_each_time):
    last, drawn = typed_by_hand(db, m, look_each_time=look_each_time)
    assert sorted(drawn) == sorted(m.names)
    assert not lined_up(last, drawn)
    assert not spots.on_one_line(drawn.values())
    closest = min(math.dist(p, q) for p, q in itertools.combinations(drawn.values(), 2))
    assert closest > 60  # nobody on top of anyone


def test_typed_by_hand_and_drawn_at_the_end_is_the_fresh_layout(db):
    """Nothing was drawn while it was typed, so nothing holds the picture: it is laid out, and
    that layout is kept for the map."""
    m = synthetic.organisation(25, seed=25)
    last, drawn = typed_by_hand(db, m, look_each_time=False)
    assert drawn == layout.layout(last)
    (map_id,) = [info.id for info in db.list_maps()]
    assert db.kept_layout(map_id) == (db.latest_number(map_id), drawn)


@pytest.mark.parametrize("look", [False, True])
def test_the_column_this_used_to_draw_is_gone(db, look):
    """Before: a newcomer with no tie went under the drawing at its left edge and the
    background kept each version's places, so a map typed person by person stacked into one
    column (every x equal)."""
    m = synthetic.organisation(10, seed=10)
    _, drawn = typed_by_hand(db, m, look_each_time=look)
    assert len({x for x, _ in drawn.values()}) == len(m.names)
    assert len({round(y) for _, y in drawn.values()}) >= len(m.names) - 1


# --- newcomers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [2, 5, 15, 40])
def test_people_added_one_at_a_time_without_ties_fill_the_plane(n):
    m = StakeholderMap(tuple(Stakeholder(f"P{k}") for k in range(n)))
    placed: Positions = {}
    for k in range(1, n + 1):
        placed = layout.complete_positions(StakeholderMap(m.stakeholders[:k]), placed)
    assert not lined_up(m, placed)
    xy = np.array(list(placed.values()))
    width, height = np.ptp(xy, axis=0)
    assert n < 5 or 0.4 < width / height < 2.5  # a blob, not a line
    nearest = [min(math.dist(p, q) for q in placed.values() if q != p) for p in placed.values()]
    assert min(nearest) >= layout._spacing(n) * 0.99  # far enough from one another
    assert max(nearest) <= layout._spacing(1) * 1.5  # and not scattered (roomier when few)


def test_a_newcomer_goes_next_to_their_ties_without_moving_anyone():
    m = synthetic.organisation(25, seed=3)
    before = layout.layout(m)
    a, b = m.relationships[7].source, m.relationships[7].target  # a tie: drawn near each other
    new = StakeholderMap(
        (*m.stakeholders, Stakeholder("Zed"), Stakeholder("Yan")),
        (*m.relationships, Relationship("Zed", a), Relationship("Zed", b)),
    )
    after = layout.complete_positions(new, before)
    assert {n: after[n] for n in before} == before
    between = np.mean([before[a], before[b]], axis=0)
    assert math.dist(after["Zed"], between) < 2 * layout._spacing(27)
    assert min(math.dist(after["Yan"], p) for p in before.values()) >= layout._spacing(27) - 0.1
    assert not lined_up(new, after)


def test_someone_placed_without_a_tie_moves_next_to_their_first_tie():
    people = tuple(Stakeholder(n) for n in "ABCDE")
    spread = layout.complete_positions(StakeholderMap(people))
    tied = StakeholderMap(people, (Relationship("A", "B"), Relationship("D", "B")))
    loose = layout.untied(StakeholderMap(people))
    after = layout.complete_positions(tied, spread, loose=loose)
    assert after["A"] == spread["A"]  # the first of a newly tied group keeps their place
    assert after["C"] == spread["C"] and after["E"] == spread["E"]  # still no tie: stay
    step = layout._spacing(5)
    assert math.dist(after["B"], after["A"]) == pytest.approx(step, abs=1)
    assert math.dist(after["D"], after["B"]) == pytest.approx(step, abs=1)
    assert after["B"] != spread["B"] and after["D"] != spread["D"]
    # Without ``loose`` (a version's own positions, which someone chose), nobody moves.
    assert layout.complete_positions(tied, spread) == spread


# --- collapsed and chosen layouts --------------------------------------------------------------


@pytest.mark.parametrize("axis", [0, 1])
@pytest.mark.parametrize("n", [5, 12, 40])
def test_a_layout_collapsed_onto_one_line_is_laid_out_afresh(n, axis):
    m = synthetic.organisation(n, seed=n)
    line = {name: (0.0, 270.0 * k)[:: 1 if axis == 0 else -1] for k, name in enumerate(m.names)}
    assert spots.on_one_line(line.values())
    assert layout.complete_positions(m, line) == layout.layout(m)
    part = dict(list(line.items())[: max(3, n // 2)])  # some placed, on one line: still relaid
    assert layout.complete_positions(m, part) == layout.layout(m)
    everyone_on_one_spot = dict.fromkeys(m.names, (5.0, 5.0))
    assert layout.complete_positions(m, everyone_on_one_spot) == layout.layout(m)


@pytest.mark.parametrize("seed", range(4))
def test_a_layout_someone_placed_is_kept(seed):
    """Dragged or imported places are kept as they are, even lined up in a grid."""
    m = synthetic.generated(seed)
    rng = random.Random(seed)
    chosen = {n: (rng.uniform(-400, 400), rng.uniform(-300, 300)) for n in m.names}
    assert layout.complete_positions(m, chosen) == chosen
    grid = {n: (float(100 * (k % 4)), float(100 * (k // 4))) for k, n in enumerate(m.names)}
    assert layout.complete_positions(m, grid) == grid


def test_two_people_on_a_line_are_not_a_collapse():
    pair = {"A": (0.0, 0.0), "B": (0.0, 300.0)}
    m = StakeholderMap((Stakeholder("A"), Stakeholder("B")))
    assert layout.complete_positions(m, pair) == pair


# --- fresh layouts -----------------------------------------------------------------------------


FRESH = (
    [pytest.param(synthetic.generated(seed), id=f"generated-{seed}") for seed in range(6, 12)]
    + [pytest.param(_loose_ends(n, n), id=f"loose-ends-{n}") for n in (4, 9, 40)]
    + [
        pytest.param(synthetic.organisation(40, seed=1), id="organisation-40"),
        pytest.param(StakeholderMap(tuple(Stakeholder(f"P{k}") for k in range(9))), id="no-ties"),
    ]
)


@pytest.mark.parametrize("m", FRESH)
def test_a_fresh_layout_puts_no_two_untied_people_on_one_line(m):
    """Rows of packed groups, people with no tie and straight chains no longer line up."""
    pos = layout.layout(m)
    assert not lined_up(m, pos)
    closest = min(math.dist(p, q) for p, q in itertools.combinations(pos.values(), 2))
    assert closest > 60


def test_off_lines_moves_people_apart_by_the_tolerance_but_not_tied_ones():
    column = np.column_stack([np.zeros(5), np.arange(5) * 270.0])
    moved = spots.off_lines(column, [], 20.0)
    assert moved[:, 0].tolist() == [0.0, 20.0, 40.0, 60.0, 80.0]
    assert (moved[:, 1] == column[:, 1]).all()
    tied = spots.off_lines(column, [(0, 1), (1, 2), (2, 3), (3, 4)], 20.0)
    # each off the line of the one two before (no tie), on the line of the one before (a tie)
    assert tied[:, 0].tolist() == [0.0, 0.0, 20.0, 20.0, 40.0]
