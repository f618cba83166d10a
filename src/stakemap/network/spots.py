"""People apart on the drawing: a free spot for someone without a place, nobody on another's
vertical or horizontal line, and when stored places have collapsed onto one line.

A newcomer goes beside the people they are tied to, a person with no tie into free space near
the others with no tie; either way on the nearest free spot of rings around that centre, never
on the vertical or horizontal line of someone already placed. Placing people one at a time
this way (as a map typed in by hand is) spreads them on both axes instead of stacking them in
a column, where every tie would be drawn over the others. A fresh layout is nudged the same way
(:func:`off_lines`): packed rows of people, or a chain laid out straight, would otherwise
line up exactly.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Iterable, Mapping

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree

__all__ = ["line_tolerance", "off_lines", "on_one_line", "place_newcomers"]

Positions = dict[str, tuple[float, float]]

#: Turn between successive newcomers' first spot (the golden angle, in radians).
_GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))
_RING_STEP = 1 / 3  # rings and the spots on them this many spacings apart
_PATIENCE = 6  # rings looked at together
_AROUND = 48  # the most spots looked at on one ring (rings past 2.5 spacings are sparser)


def on_one_line(points: Iterable[tuple[float, float]], slack: float = 0.02) -> bool:
    """Whether ``points`` have collapsed: all on one spot, or three or more on one vertical or
    horizontal line (their width at most ``slack`` times their height, or the other way
    round).

    >>> on_one_line([(0, 0), (0, 270), (0, 540)]), on_one_line([(0, 0), (160, 0), (80, 90)])
    (True, False)
    >>> on_one_line([(5, 5), (5, 5)]), on_one_line([(0, 0), (160, 0)]), on_one_line([])
    (True, False, False)
    """
    xy = np.array(list(points), dtype=float).reshape(-1, 2)
    if len(xy) < 2:
        return False
    width, height = np.ptp(xy, axis=0)
    if width == height == 0:
        return True
    return bool(len(xy) >= 3 and min(width, height) <= slack * max(width, height))


def place_newcomers(
    ties: nx.Graph,
    placed: Mapping[str, tuple[float, float]],
    waiting: Iterable[str],
    step: float,
    held: Mapping[str, tuple[float, float]] | None = None,
) -> Positions:
    """``placed`` kept as they are, and a place for each of ``waiting``, ``step`` apart.

    People tied to someone are placed breadth first from the people already placed: each goes
    at the mean of their placed neighbours, or failing room there, on the nearest free spot
    of rings around it (the first ring ``step`` out, a turn of the golden angle from the last
    newcomer's; at least 3/4 ``step`` from anyone). A group of waiting people tied only among
    themselves starts from its first in ``waiting``: at their ``held`` place if they have one
    (a place given before they had a tie), else in free space. People with no tie go last, on
    free spots ``step`` from anyone, around the others with no tie (or under the drawing). No
    spot is taken on the vertical or horizontal line of someone placed (within
    :func:`line_tolerance`) while another is free.

    Parameters
    ----------
    ties : networkx.Graph
        Undirected: who is tied to whom; every name placed or waiting is a node.
    placed : dict
        ``name -> (x, y)`` of the people who keep their place.
    waiting : iterable of str
        The people to place, in map order.
    step : float
        The typical distance between neighbours.
    held : dict, optional
        Places the waiting had before (see above).

    Returns
    -------
    dict
        ``placed`` followed by the waiting in the order placed, rounded to 0.1.

    Examples
    --------
    >>> ties = nx.Graph([("A", "C")])
    >>> ties.add_nodes_from("BD")
    >>> pos = place_newcomers(ties, {"A": (0.0, 0.0), "B": (400.0, 0.0)}, "CD", 160.0)
    >>> round(math.dist(pos["A"], pos["C"])), sorted(pos)
    (160, ['A', 'B', 'C', 'D'])
    >>> len({x for x, _ in pos.values()}), len({y for _, y in pos.values()}) >= 3
    (4, True)
    """
    held = held or {}
    room = _Room(placed, step)
    apart = _Apart([p for n, p in room.spots.items() if not ties.degree(n)], step)
    waiting = list(waiting)
    for name in _breadth_first(ties, placed, [n for n in waiting if ties.degree(n)]):
        near = [room.spots[k] for k in ties.neighbors(name) if k in room.spots]
        if near:
            spot = room.free(_mean(near), step if len(near) == 1 else 0.0, 0.75 * step)
        elif name in held:  # their old place, if still free
            spot = room.free(held[name], 0.0, 0.75 * step)
        else:
            spot = room.free(*apart.where(room.spots), step)
        room.put(name, spot)
    for name in (n for n in waiting if not ties.degree(n)):
        room.put(name, room.free(*apart.where(room.spots), step))
        apart.add(room.spots[name])
    return room.spots


def line_tolerance(points: np.ndarray, step: float) -> float:
    """How near two people's x (or y) may be before they count as on one line: an eighth of
    ``step``, less in a crowded drawing, so that a third of each axis stays free.

    >>> line_tolerance(np.array([[0.0, 0.0], [400.0, 0.0]]), 160.0)
    20.0
    >>> grid = np.array([(x, y) for x in range(0, 1000, 100) for y in range(0, 1000, 100)])
    >>> line_tolerance(grid, 160.0)  # 100 people across 900: 900 / 300
    3.0
    """
    if not len(points):
        return step / 8
    extent = max(float(np.ptp(points, axis=0).max()), step)
    return min(step / 8, extent / (3 * len(points)))


def off_lines(xy: np.ndarray, tied: Iterable[tuple[int, int]], tol: float) -> np.ndarray:
    """``xy`` nudged so that no two people who share no tie (``tied``: index pairs) are within
    ``tol`` of one vertical or horizontal line: along each axis in turn, from the lowest
    coordinate up, a person on the line of someone already passed moves up to ``tol`` past
    them (a sweep over a sorted list: O(n log n) but for the moves).

    >>> off_lines(np.array([[0.0, 0.0], [100.0, 0.0], [200.0, 0.0]]), [(0, 1), (1, 2)], 20.0)
    array([[  0.,   0.],
           [100.,   0.],
           [200.,  20.]])
    """
    xy = np.array(xy, dtype=float)
    partners: dict[int, set[int]] = {}
    for a, b in tied:
        partners.setdefault(int(a), set()).add(int(b))
        partners.setdefault(int(b), set()).add(int(a))
    within = tol * (1 - 1e-9)  # so that a person moved exactly tol away is off the line
    for axis in (0, 1):
        values: list[float] = []  # where the people passed stand, ascending
        people: list[int] = []
        for i in np.argsort(xy[:, axis], kind="stable").tolist():
            mine = partners.get(i, set())
            v = float(xy[i, axis])
            while True:
                lo, hi = bisect_right(values, v - within), bisect_left(values, v + within)
                near = [values[k] for k in range(lo, hi) if people[k] not in mine]
                if not near:
                    break
                v = max(near) + tol
            xy[i, axis] = v
            k = bisect_right(values, v)
            values.insert(k, v)
            people.insert(k, i)
    return xy


def _breadth_first(ties: nx.Graph, placed: Mapping[str, object], waiting: list[str]) -> list[str]:
    """``waiting`` in the order to place them: breadth first from the placed, then each group
    tied only among themselves from its first in ``waiting``.

    >>> _breadth_first(nx.Graph([("A", "B"), ("B", "C"), ("D", "E")]), {"A": 0}, list("EDCB"))
    ['B', 'C', 'E', 'D']
    """
    left = set(waiting)
    order: list[str] = []

    def visit(queue: deque[str]) -> None:
        left.difference_update(queue)
        while queue:
            name = queue.popleft()
            order.append(name)
            for k in ties.neighbors(name):
                if k in left:
                    left.discard(k)
                    queue.append(k)

    visit(deque(n for n in waiting if any(k in placed for k in ties.neighbors(n))))
    for name in waiting:
        if name in left:
            visit(deque([name]))
    return order


def _mean(points: list[tuple[float, float]]) -> tuple[float, float]:
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


class _Apart:
    """Where people with no tie gather, and how far out to start looking for room: around
    those placed already, a spacing and a half inside the edge of the disc they fill; else
    under the drawing.

    >>> apart = _Apart([(0.0, 0.0), (100.0, 0.0)], 100.0)
    >>> apart.where({})
    ((50.0, 0.0), 0.0)
    >>> _Apart([], 100.0).where({"A": (0.0, 0.0), "B": (300.0, 50.0)})
    ((150.0, 250.0), 0.0)
    """

    def __init__(self, untied: list[tuple[float, float]], step: float) -> None:
        self._sum = [sum(p[0] for p in untied), sum(p[1] for p in untied)]
        self._count = len(untied)
        self._step = step

    def add(self, spot: tuple[float, float]) -> None:
        self._sum[0] += spot[0]
        self._sum[1] += spot[1]
        self._count += 1

    def where(self, spots: Mapping[str, tuple[float, float]]) -> tuple[tuple[float, float], float]:
        if self._count:
            centre = (self._sum[0] / self._count, self._sum[1] / self._count)
            filled = 1.15 * math.sqrt(self._count / math.pi)  # spacings: placed this way
            return centre, self._step * max(0.0, filled - 1.5)
        if not spots:
            return (0.0, 0.0), 0.0
        xs, ys = zip(*spots.values(), strict=True)
        return ((min(xs) + max(xs)) / 2, max(ys) + 2 * self._step), 0.0


class _Room:
    """The spots taken so far, and the nearest free spot to a point among them: distances by a
    k-d tree, lines by the sorted x and y (both kept up to date as people are placed)."""

    def __init__(self, placed: Mapping[str, tuple[float, float]], step: float) -> None:
        self.spots: Positions = {n: (float(x), float(y)) for n, (x, y) in placed.items()}
        self._xy = np.array(list(self.spots.values()), dtype=float).reshape(-1, 2)
        self._sorted = [np.sort(self._xy[:, 0]), np.sort(self._xy[:, 1])]
        self._tree: cKDTree | None = None
        self._step = step

    def put(self, name: str, spot: tuple[float, float]) -> None:
        spot = (round(float(spot[0]), 1), round(float(spot[1]), 1))
        self.spots[name] = spot
        self._xy = np.vstack([self._xy, spot])
        self._tree = None  # built again when next needed (half a millisecond at 2,000)
        for axis in (0, 1):
            line = self._sorted[axis]
            self._sorted[axis] = np.insert(line, np.searchsorted(line, spot[axis]), spot[axis])

    def free(self, centre: tuple[float, float], first: float, clearance: float) -> tuple:
        """The nearest spot to ``centre`` on rings from radius ``first`` out, ``clearance``
        from everyone and on no one's line; on the innermost ring with one, the one farthest
        from anyone. Rings are looked at :data:`_PATIENCE` at a time, a third of a spacing
        apart, twice as far apart each time while none has room (up to a spacing); failing a
        spot on no one's line by the time after the first with room, that first one."""
        if not len(self._xy):
            return centre
        tol = line_tolerance(self._xy, self._step)
        reach = float(np.linalg.norm(self._xy - centre, axis=1).max()) + clearance
        turn = len(self._xy) * _GOLDEN_ANGLE
        radius, gap, spaced = first, _RING_STEP * self._step, None
        while True:
            radii = radius + gap * np.arange(_PATIENCE)
            which, spots = self._rings(centre, radii, turn)
            gaps = self._gaps(spots, 2 * clearance)
            clear = gaps >= clearance
            good = clear & ~self._lined(spots, tol)
            if good.any():  # the innermost ring with a good spot, and on it the roomiest
                best = np.where(good & (which == which[np.argmax(good)]), gaps, -1.0)
                return tuple(spots[np.argmax(best)])
            if spaced is not None:
                return spaced
            if clear.any():
                spaced = tuple(spots[np.argmax(clear)])
            elif radii[-1] < reach:
                gap = min(2 * gap, self._step)
            radius, turn = radii[-1] + gap, turn + _PATIENCE

    def _gaps(self, spots: np.ndarray, within: float) -> np.ndarray:
        """Each spot's distance to the nearest person placed, infinite past ``within``."""
        if self._tree is None:
            self._tree = cKDTree(self._xy)
        return self._tree.query(spots, distance_upper_bound=within)[0]

    def _lined(self, spots: np.ndarray, tol: float) -> np.ndarray:
        """Whether each spot is within ``tol`` of someone's x or y."""
        lined = np.zeros(len(spots), dtype=bool)
        for axis in (0, 1):
            line = np.concatenate([[-np.inf], self._sorted[axis], [np.inf]])
            at = spots[:, axis]
            k = np.searchsorted(line, at)
            lined |= (at - line[k - 1] < tol) | (line[k] - at < tol)
        return lined

    def _rings(
        self, centre: tuple[float, float], radii: np.ndarray, turn: float
    ) -> tuple[np.ndarray, np.ndarray]:
        """The spots on rings of ``radii`` around ``centre``, and the ring of each: a third of
        a spacing apart (at most :data:`_AROUND` a ring), each ring turned a radian more."""
        counts = np.clip(np.ceil(2 * np.pi * radii / (_RING_STEP * self._step)), 1, _AROUND)
        counts = counts.astype(int)
        which = np.repeat(np.arange(len(radii)), counts)
        starts = np.repeat(np.cumsum(counts) - counts, counts)
        share = (np.arange(len(which)) - starts) / np.repeat(counts, counts)
        angles = turn + which + 2 * np.pi * share
        radius = np.repeat(radii, counts)
        spots = np.column_stack(
            [centre[0] + radius * np.cos(angles), centre[1] + radius * np.sin(angles)]
        )
        return which, spots
