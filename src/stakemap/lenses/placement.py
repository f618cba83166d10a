"""Where everyone sits on a lens: every person falls in one integer cell ``(column, row)`` and
:func:`place` packs the people who share a cell side by side, never on top of each other.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from stakemap.lenses.catalogue import LENSES
from stakemap.lenses.kinds import Lens, Region
from stakemap.model import StakeholderMap

__all__ = [
    "LensView",
    "Placement",
    "Sorted",
    "lens_view",
    "pack",
    "place",
    "sort",
]


@dataclass(frozen=True)
class Placement:
    """Where each marker goes: slot centres ``xy`` and the slot size ``w`` x ``h``.

    Every slot is the rectangle ``[x - w/2, x + w/2] x [y - h/2, y + h/2]``; no two slots
    overlap and each lies inside its cell, so a marker drawn within its slot overlaps no other.
    """

    xy: dict[str, tuple[float, float]]
    w: float
    h: float
    cols: int
    rows: int


def _grid_for(count: int, cell_aspect: float, slot_aspect: float) -> tuple[int, int]:
    """Columns and rows of slots for ``count`` markers, making the slots as large as possible
    when a slot should be ``slot_aspect`` times as wide as tall (room for a label)."""
    best, best_score = (1, 1), -1.0
    for cols in range(1, max(1, count) + 1):
        rows = math.ceil(max(1, count) / cols)
        score = min(cell_aspect / cols / slot_aspect, 1.0 / rows)
        if score > best_score + 1e-12:
            best, best_score = (cols, rows), score
    return best


def place(
    cells: Mapping[str, tuple[int, int]],
    order: Callable[[str], object] | None = None,
    cell_aspect: float = 1.0,
    slot_aspect: float = 2.5,
) -> Placement:
    """Pack the markers that share a cell side by side, deterministically.

    Every cell ``(c, r)`` is the unit square centred on ``(c, r)``. All cells use one slot
    grid, sized for the fullest cell, so a
    marker's size means the same everywhere. Within a cell the people are sorted by ``order``
    (then by name) and fill the grid row by row from the top, each row centred.

    Parameters
    ----------
    cells : mapping
        name -> (column, row) of its cell.
    order : callable, optional
        Sort key of a name within its cell; the name breaks ties.
    cell_aspect : float
        A cell's width over its height on screen.
    slot_aspect : float
        The wanted width over height of a slot (a label sits under the marker).

    Returns
    -------
    Placement

    Examples
    --------
    >>> p = place({"Ana": (1, 1), "Ben": (1, 1), "Cy": (2, 1)})
    >>> p.cols, p.rows, p.xy["Ana"], p.xy["Ben"], p.xy["Cy"]
    (1, 2, (1.0, 1.25), (1.0, 0.75), (2.0, 1.0))
    """
    return pack(_groups(cells, order), cell_aspect, slot_aspect)


def _groups(
    cells: Mapping[str, tuple[int, int]], order: Callable[[str], object] | None
) -> dict[tuple[int, int], list[str]]:
    """The names in each cell, sorted by ``order`` then name."""
    groups: dict[tuple[int, int], list[str]] = defaultdict(list)
    for name, cell in cells.items():
        groups[cell].append(name)
    for names in groups.values():
        names.sort(key=(lambda n: (order(n), n)) if order else None)
    return dict(groups)


def pack(
    groups: Mapping[tuple[int, int], list[str]],
    cell_aspect: float,
    slot_aspect: float,
    positions: bool = True,
) -> Placement:
    """:func:`place` for names already grouped by cell and sorted within it; with
    ``positions`` False only the slots' grid and size (``xy`` empty), to try a size.

    >>> pack({(1, 1): ["Ana", "Ben"]}, 1.0, 2.5).xy["Ben"]
    (1.0, 0.75)
    """
    fullest = max((len(g) for g in groups.values()), default=1)
    cols, rows = _grid_for(fullest, cell_aspect, slot_aspect)
    w, h = 1.0 / cols, 1.0 / rows
    xy: dict[str, tuple[float, float]] = {}
    for (c, r), names in groups.items() if positions else ():
        used_rows = math.ceil(len(names) / cols)
        top = r + (used_rows - 1) * h / 2
        for i, name in enumerate(names):
            row, col = divmod(i, cols)
            in_row = min(cols, len(names) - row * cols)
            xy[name] = (c + (col - (in_row - 1) / 2) * w, top - row * h)
    return Placement(xy, w, h, cols, rows)


@dataclass(frozen=True)
class LensView:
    """A lens applied to a map, in display coordinates ready to draw.

    ``x`` is the cell column; ``y`` runs from 0 at the bottom, each row one unit tall, with a
    title strip of ``strip`` units above every row that tops a titled region. ``placement``
    holds the shown people's slot centres in these coordinates.
    """

    lens: Lens
    classes: dict[str, str]
    regions: tuple[Region, ...]
    placement: Placement
    row_y: dict[int, float]
    height: float
    strip: float

    def box(self, region: Region) -> tuple[float, float, float, float]:
        """``(x0, x1, y0, y1)`` of a region, the title strip above its top row included."""
        top = self.row_y[region.rows[1]] + 0.5
        if region.rows[1] in _titled_rows(self.lens):
            top += self.strip
        return (
            region.cols[0] - 0.5,
            region.cols[1] + 0.5,
            self.row_y[region.rows[0]] - 0.5,
            top,
        )

    def y_ticks(self) -> tuple[tuple[float, str], ...]:
        """The y axis words at the display height of their rows."""
        axis = self.lens.y_axis
        return tuple((self.row_y[r], label) for r, label in axis.ticks) if axis else ()


def _titled_rows(lens: Lens) -> set[int]:
    """Rows that top a titled region (the layout of regions does not depend on the map)."""
    return {r.rows[1] for r in lens.regions(StakeholderMap(), {}) if r.title}


def _row_heights(lens: Lens, strip: float) -> tuple[dict[int, float], float]:
    """Display y of each row's centre and the total height, with strips above titled rows."""
    titled = _titled_rows(lens)
    row_y, y = {}, 0.0
    for row in range(lens.rows[0], lens.rows[1] + 1):
        row_y[row] = y + 0.5
        y += 1.0 + (strip if row in titled else 0.0)
    return row_y, y


@dataclass(frozen=True)
class Sorted:
    """A lens's classes of a map and its shown people sorted into cells (:func:`sort`): all of
    :func:`lens_view` that does not depend on the plot's size, worked out once when a chart
    tries several sizes."""

    lens: Lens
    classes: dict[str, str]
    regions: tuple[Region, ...]
    groups: dict[tuple[int, int], list[str]]


def sort(m: StakeholderMap, lens_name: str, names: Iterable[str] | None = None) -> Sorted:
    """Classify ``m`` through a lens and sort the people in ``names`` (default: everyone) into
    its cells, the more powerful first within a cell.

    Classes are computed on the whole map (a secondary target stays one when its decider is
    filtered out); only the shown people are placed and counted in region titles (the
    spectrum's "2 people, power 5").

    >>> from stakemap.model import Stakeholder, StakeholderMap
    >>> m = StakeholderMap((Stakeholder("Ana", power=5, interest=5), Stakeholder("Ben")))
    >>> sort(m, "Power/interest grid (Mendelow)").groups
    {(5, 5): ['Ana'], (3, 3): ['Ben']}
    """
    lens = LENSES[lens_name]
    classes = lens.classify(m)
    shown = set(m.names if names is None else names)
    people = [s for s in m.stakeholders if s.name in shown]
    cells = {s.name: lens.cell(s, classes[s.name]) for s in people}
    power = {s.name: s.power for s in people}
    shown_classes = {s.name: classes[s.name] for s in people}
    regions = lens.regions(m, shown_classes)
    return Sorted(lens, classes, regions, _groups(cells, lambda n: -power[n]))


def lens_view(
    m: StakeholderMap,
    lens_name: str,
    names: Iterable[str] | None = None,
    plot: tuple[float, float] = (800.0, 500.0),
    title_px: float = 36.0,
    slot_aspect: float = 2.5,
    sorted_in: Sorted | None = None,
    positions: bool = True,
) -> LensView:
    """Classify ``m`` through a lens and place the people in ``names`` (default: everyone),
    sorted as :func:`sort` does (or as ``sorted_in`` already holds them). ``plot`` is the
    plot's size on screen (px) and ``title_px`` the height kept above each titled region for
    its title and strategy. With ``positions`` False nobody is placed, only the slots sized
    (:func:`pack`).

    >>> from stakemap.model import Stakeholder, StakeholderMap
    >>> m = StakeholderMap((Stakeholder("Ana", power=5, interest=5), Stakeholder("Ben")))
    >>> v = lens_view(m, "Power/interest grid (Mendelow)", names=["Ana"])
    >>> sorted(v.placement.xy), v.classes["Ben"]
    (['Ana'], 'Monitor (minimal effort)')
    """
    done = sorted_in or sort(m, lens_name, names)
    lens = done.lens
    n_cols = lens.cols[1] - lens.cols[0] + 1
    n_rows = lens.rows[1] - lens.rows[0] + 1
    cell_h = max(10.0, (plot[1] - len(_titled_rows(lens)) * title_px) / n_rows)
    placed = pack(done.groups, plot[0] / n_cols / cell_h, slot_aspect, positions)
    row_y, height = _row_heights(lens, title_px / cell_h)
    row_of = {name: cell[1] for cell, names in done.groups.items() for name in names}
    xy = {n: (x, row_y[row_of[n]] + y - row_of[n]) for n, (x, y) in placed.xy.items()}
    placement = Placement(xy, placed.w, placed.h, placed.cols, placed.rows)
    return LensView(lens, done.classes, done.regions, placement, row_y, height, title_px / cell_h)
