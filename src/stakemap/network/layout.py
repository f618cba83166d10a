"""Where everyone is drawn: a fresh layout of the whole map, or stored places completed."""

from __future__ import annotations

import math
from collections.abc import Iterable

import networkx as nx
import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from stakemap.apart import apart
from stakemap.model import StakeholderMap
from stakemap.network.graph import build_graph
from stakemap.network.spots import line_tolerance, off_lines, on_one_line, place_newcomers
from stakemap.network.springs import grid_fruchterman_reingold

__all__ = ["complete_positions", "layout", "to_drawing_scale", "untied"]

# Layout scale in drawing units (vis-network pixels at zoom 1).
_GAP = 110.0  # space between separate groups of people
_ASPECT = 1.6  # width over height a group is widened to, for landscape screens
_KAMADA_KAWAI_MAX = 150  # above this, grid Fruchterman-Reingold (kamada-kawai is O(n^2))
# from this size a group is laid out apart in the server (30-40 ms at 400 people; handing it
# over costs about 2 ms)
_APART_FROM = 400


def layout(m: StakeholderMap, seed: int = 0) -> dict[str, tuple[float, float]]:
    """Fresh positions for everyone, in drawing units (vis-network pixels at zoom 1).

    Each group of connected people is laid out on its own, with Kamada-Kawai (1989) up to
    150 people and, above, Fruchterman & Reingold (1991) with grid-approximated repulsion
    (igraph's C implementation, seeded: 2,000 people in about 0.3 s where networkx's spring
    layout took 13-23 s), ties of any sign pulling alike. Each group
    is turned so its long axis lies horizontal (principal axes), widened to about 1.6:1 for
    landscape screens and scaled so the median distance to the nearest person is 160 in small
    groups, down to 110 from 40 people. The groups are then packed in rows, largest first,
    people with no ties last, so none overlap, and nudged so that no two people who share no
    tie stand on one vertical or horizontal line (:func:`stakemap.network.spots.off_lines`).

    Parameters
    ----------
    m : StakeholderMap
    seed : int
        Seed of the spring layout; the same map and seed give the same positions.

    Returns
    -------
    dict
        ``name -> (x, y)``, y pointing down as on screen.

    Examples
    --------
    >>> from stakemap.model import Relationship, Stakeholder
    >>> m = StakeholderMap(
    ...     tuple(Stakeholder(n) for n in "ABC"), (Relationship("A", "B"),)
    ... )
    >>> pos = layout(m)
    >>> sorted(pos) == ["A", "B", "C"] and round(math.dist(pos["A"], pos["B"]))
    160
    """
    G = build_graph(m)
    names = list(G)
    index = {n: i for i, n in enumerate(names)}
    pairs = np.array([(index[a], index[b]) for a, b in G.edges()], dtype=np.int64)
    pairs = np.unique(np.sort(pairs.reshape(-1, 2), axis=1), axis=0)  # each tie once, undirected
    blocks = [
        _component_layout([names[i] for i in people], ties, seed)
        for people, ties in _components(len(names), pairs)
    ]
    packed = _pack(blocks)
    xy = np.array([packed[n] for n in names], dtype=float).reshape(-1, 2)
    xy = off_lines(xy, pairs.tolist(), line_tolerance(xy, _spacing(len(names))))
    return {
        n: (round(float(x), 1), round(float(y), 1)) for n, (x, y) in zip(names, xy, strict=True)
    }


def _components(n: int, pairs: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """The connected groups of ``n`` people tied by ``pairs`` (index pairs): each group's
    people (indices in map order) and its ties renumbered within the group; largest group
    first, then by the first person's place in the map.

    >>> [(p.tolist(), t.tolist()) for p, t in _components(4, np.array([[2, 3]]))]
    [([2, 3], [[0, 1]]), ([0], []), ([1], [])]
    """
    adjacency = csr_array((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    count, label = connected_components(adjacency, directed=False)
    by_label = np.argsort(label, kind="stable")  # people grouped, map order within a group
    people = np.split(by_label, np.cumsum(np.bincount(label, minlength=count))[:-1])
    local = np.empty(n, dtype=np.int64)
    for group in people:
        local[group] = np.arange(len(group))
    tie_label = label[pairs[:, 0]]
    by_tie = np.argsort(tie_label, kind="stable")
    ties = np.split(pairs[by_tie], np.cumsum(np.bincount(tie_label, minlength=count))[:-1])
    groups = sorted(range(count), key=lambda c: (-len(people[c]), people[c][0]))
    return [(people[c], local[ties[c]].reshape(-1, 2)) for c in groups]


def _spacing(people: int) -> float:
    """Typical distance from a person to the nearest other: roomy for small maps, where long
    labels need it, 110 from 40 people up (where zooming in is the way to read labels).

    >>> _spacing(5), _spacing(25), _spacing(1000)
    (160.0, 135.0, 110.0)
    """
    return 160.0 - 50.0 * min(1.0, max(0.0, (people - 10) / 30))


def _component_layout(
    names: list[str], ties: np.ndarray, seed: int
) -> dict[str, tuple[float, float]]:
    """One connected group (``ties`` index ``names``) laid out around (0, 0), landscape,
    people :func:`_spacing` apart."""
    n = len(names)
    if n == 1:
        return {names[0]: (0.0, 0.0)}
    if n <= _KAMADA_KAWAI_MAX:
        H = nx.Graph()
        H.add_nodes_from(range(n))
        H.add_edges_from(ties.tolist())
        raw = nx.kamada_kawai_layout(H, weight=None)
        xy = np.array([raw[k] for k in range(n)], dtype=float)
    else:
        # igraph holds Python's lock throughout: a large group is laid out apart in the server
        if n >= _APART_FROM:
            xy = apart(grid_fruchterman_reingold, n, ties, seed)
        else:
            xy = grid_fruchterman_reingold(n, ties, seed)
    xy -= xy.mean(axis=0)
    # Turn the long axis horizontal (principal axes) and widen to screen proportions.
    _, spread, axes = np.linalg.svd(xy, full_matrices=False)
    xy = xy @ axes.T
    if spread[1] > 0:
        xy[:, 0] *= max(1.0, _ASPECT * spread[1] / spread[0])
    xy *= _spacing(n) / _typical_nearest(xy)
    return {k: (float(x), float(y)) for k, (x, y) in zip(names, xy, strict=True)}


def _typical_nearest(xy: np.ndarray) -> float:
    """Median distance from a person to the nearest other (a k-d tree query)."""
    distances, _ = cKDTree(xy).query(xy, k=2)
    return float(np.median(distances[:, 1])) or 1.0


def _pack(blocks: list[dict[str, tuple[float, float]]]) -> dict[str, tuple[float, float]]:
    """Shelf packing: blocks left to right in rows about as wide as the whole is tall."""
    boxes = [_bbox(b.values()) for b in blocks]
    area = sum((x1 - x0 + _GAP) * (y1 - y0 + _GAP) for x0, y0, x1, y1 in boxes)
    width = max([math.sqrt(area) * 1.3] + [x1 - x0 for x0, _, x1, _ in boxes])
    placed: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for block, (x0, y0, x1, y1) in zip(blocks, boxes, strict=True):
        if x > 0 and x + (x1 - x0) > width:
            x, y, row_height = 0.0, y + row_height + _GAP, 0.0
        for name, (px, py) in block.items():
            placed[name] = (round(px - x0 + x, 1), round(py - y0 + y, 1))
        x += x1 - x0 + _GAP
        row_height = max(row_height, y1 - y0)
    cx, cy = (sum(p[i] for p in placed.values()) / max(1, len(placed)) for i in (0, 1))
    return {k: (round(px - cx, 1), round(py - cy, 1)) for k, (px, py) in placed.items()}


def _bbox(points: Iterable[tuple[float, float]]) -> tuple[float, float, float, float]:
    xs, ys = zip(*points, strict=True)
    return min(xs), min(ys), max(xs), max(ys)


def complete_positions(
    m: StakeholderMap,
    stored: dict[str, tuple[float, float]] | None = None,
    *,
    seed: int = 0,
    loose: Iterable[str] = (),
) -> dict[str, tuple[float, float]]:
    """Stored positions kept as they are, with a place for everyone not yet placed.

    With nothing stored for anyone, this is :func:`layout`; so it is when the stored
    positions have collapsed onto one vertical or horizontal line (or one spot) where a fresh
    layout would not (:func:`stakemap.network.spots.on_one_line`): a map whose people were
    stacked in a column is drawn laid out. Otherwise a new person goes next to the people they
    are tied to, a new person with no tie into free space beside the others with no tie, on
    nobody's vertical or horizontal line (:func:`stakemap.network.spots.place_newcomers`).
    A ``loose`` person, whose stored place was given while they had no tie, is placed again
    now that they have one: next to their ties. Stored positions of people no longer in the
    map are dropped.

    Parameters
    ----------
    m : StakeholderMap
    stored : dict, optional
        ``name -> (x, y)``; defaults to ``m.positions``.
    seed : int
        Passed to :func:`layout` when it is used.
    loose : iterable of str
        People with no tie when ``stored`` was worked out (see :func:`untied`).

    Examples
    --------
    >>> from stakemap.model import Relationship, Stakeholder
    >>> m = StakeholderMap(
    ...     tuple(Stakeholder(n) for n in "ABC"),
    ...     (Relationship("A", "C"),),
    ...     positions={"A": (0.0, 0.0), "B": (500.0, 0.0), "Gone": (9.0, 9.0)},
    ... )
    >>> pos = complete_positions(m)
    >>> pos["A"], pos["B"], round(math.dist(pos["A"], pos["C"]))
    ((0.0, 0.0), (500.0, 0.0), 160)
    >>> column = {"A": (0.0, 0.0), "B": (0.0, 270.0), "C": (0.0, 540.0)}
    >>> complete_positions(m, column) == layout(m)
    True
    """
    stored = m.positions if stored is None else stored
    placed = {n: (float(stored[n][0]), float(stored[n][1])) for n in m.names if n in stored}
    if not placed:
        return layout(m, seed=seed)
    if on_one_line(placed.values()):
        fresh = layout(m, seed=seed)
        if not on_one_line(fresh.values()):
            return fresh
    U = build_graph(m).to_undirected(as_view=True)
    held = {n: placed.pop(n) for n in loose if n in placed and U.degree(n)}
    waiting = [n for n in m.names if n not in placed]
    if not waiting:
        return placed
    completed = place_newcomers(U, placed, waiting, _spacing(len(m.stakeholders)), held)
    return {n: completed[n] for n in m.names}


def untied(m: StakeholderMap) -> frozenset[str]:
    """The people of ``m`` with no tie in its graph (ties to themself or to no one in the map
    do not count).

    >>> from stakemap.model import Relationship, Stakeholder
    >>> m = StakeholderMap(
    ...     tuple(Stakeholder(n) for n in "ABC"), (Relationship("A", "B"), Relationship("C", "C"))
    ... )
    >>> sorted(untied(m))
    ['C']
    """
    G = build_graph(m)
    return frozenset(n for n in G if not G.degree(n))


def to_drawing_scale(
    positions: dict[str, tuple[float, float]],
) -> tuple[dict[str, tuple[float, float]], float]:
    """Another tool's positions in drawing units, and the factor they were multiplied by.

    A layout whose people stand closer than half the spacing :func:`layout` gives (the median
    distance to the nearest other person; networkx and igraph lay out in a unit square, people
    about 0.1 apart) is scaled up about (0, 0) until that distance is the spacing, and rounded
    to 0.1 as stored positions are; a roomier one is kept (factor 1.0), as is one with everyone
    on one spot.

    >>> to_drawing_scale({"A": (0.0, 0.0), "B": (1.0, -0.5), "C": (0.0, 1.0)})
    ({'A': (0.0, 0.0), 'B': (160.0, -80.0), 'C': (0.0, 160.0)}, 160.0)
    >>> to_drawing_scale({"A": (0.0, 0.0), "B": (300.0, 0.0)})[1]
    1.0
    """
    if len(positions) < 2:
        return positions, 1.0
    xy = np.array(list(positions.values()), dtype=float)
    distances, _ = cKDTree(xy).query(xy, k=2)
    apart = distances[:, 1][distances[:, 1] > 0]
    target = _spacing(len(positions))
    if not len(apart) or float(np.median(apart)) >= target / 2:
        return positions, 1.0
    factor = target / float(np.median(apart))
    return {
        name: (round(x * factor, 1), round(y * factor, 1)) for name, (x, y) in positions.items()
    }, factor
