"""The stakeholder-mapping lenses users already know, as pure functions: classes and layout.

Each lens (exact names in ../shared/COALITIONS.md) has a classification function
``lens(map) -> {name: class}`` with its ordered classes and one-line strategies, and a cell
layout for drawing it: every person falls in one integer cell ``(column, row)`` and
:func:`place` packs the people who share a cell side by side, never on top of each other.

Boundaries on the 1-5 scales (power, interest): **high means above 3**, so a 3 is *low*; on
integer scales that is 4 and 5. The salience attributes are present at or above a cut-off
(default 4), which is the same rule for integer scores. Stance is "supportive" above 0, so a
Neutral (0) falls with the people not yet on our side.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from stakemap.model import (
    ENGAGEMENT_LEVELS,
    STANCE_LABELS,
    Stakeholder,
    StakeholderMap,
    engagement_label,
    stance_label,
)

__all__ = [
    "ANONYMISE_MODES",
    "ENGAGEMENT",
    "HIGH_ABOVE",
    "INFLUENCE_ATTITUDE",
    "LENSES",
    "LENS_NAMES",
    "MENDELOW",
    "POWER_MAP",
    "SALIENCE",
    "SALIENCE_CUTOFF",
    "SPECTRUM",
    "Axis",
    "ClassSummary",
    "EngagementCell",
    "Lens",
    "LensClass",
    "LensView",
    "Placement",
    "Region",
    "anonymise",
    "class_summary",
    "edit_person",
    "engagement",
    "engagement_matrix",
    "filter_names",
    "influence_attitude",
    "lens_view",
    "mendelow",
    "place",
    "power_map",
    "salience",
    "scale_cell",
    "selected_person",
    "spectrum",
    "spectrum_moves",
]

#: A 1-5 score is "high" when strictly above this value: 3 is low, 3.2 is high.
HIGH_ABOVE = 3.0
#: Default salience cut-off: an attribute is present when its score is at least this.
SALIENCE_CUTOFF = 4.0


@dataclass(frozen=True)
class LensClass:
    """One class (quadrant, wedge, salience class) of a lens and its strategy in a line."""

    name: str
    strategy: str


@dataclass(frozen=True)
class Axis:
    """An axis of a lens chart: its title and the words written at some cell indices."""

    title: str
    ticks: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Region:
    """A shaded block of cells, ``cols`` and ``rows`` inclusive; ``title`` empty: no label."""

    kind: str
    cols: tuple[int, int]
    rows: tuple[int, int]
    title: str = ""
    subtitle: str = ""


@dataclass(frozen=True)
class Lens:
    """A lens: how to classify a map, where each class sits, and how to draw its background."""

    name: str
    classes: tuple[LensClass, ...]
    classify: Callable[[StakeholderMap], dict[str, str]]
    cell: Callable[[Stakeholder, str], tuple[int, int]]
    cols: tuple[int, int]
    rows: tuple[int, int]
    regions: Callable[[StakeholderMap, Mapping[str, str]], tuple[Region, ...]]
    x_axis: Axis | None = None
    y_axis: Axis | None = None

    def strategy(self, class_name: str) -> str:
        return next((c.strategy for c in self.classes if c.name == class_name), "")


# ---------------------------------------------------------------- scales and cells


def _high(value: float) -> bool:
    return value > HIGH_ABOVE


def scale_cell(value: float) -> int:
    """The column or row (1-5) of a 1-5 score: cell ``k`` holds the scores in ``(k-1, k]``.

    Integers stay where they are and fractions round up, so a cell never straddles the
    high/low boundary: 3 sits in cell 3 (low) and 3.2 in cell 4 (high).

    >>> [scale_cell(v) for v in (1, 2.5, 3, 3.2, 5, 7)]
    [1, 3, 3, 4, 5, 5]
    """
    return max(1, min(5, math.ceil(value)))


def _stance(person: Stakeholder) -> int:
    return max(-2, min(2, round(person.stance)))


_SCALE_TICKS = ((1, "1"), (2, "2"), (3, "3"), (4, "4"), (5, "5"))


def _quadrants(
    classes: Sequence[LensClass], lows: tuple[int, int], highs: tuple[int, int]
) -> Callable[[StakeholderMap, Mapping[str, str]], tuple[Region, ...]]:
    """Four regions of a 2x2 grid on a 1-5 y scale, titled with the class and its strategy.

    ``classes`` are ordered high-high, high-low, low-high, low-low: y side first (rows 4-5
    high), x side second (``highs`` and ``lows`` are the x columns of each side).
    """

    def regions(_m: StakeholderMap, _c: Mapping[str, str]) -> tuple[Region, ...]:
        top, bottom = (4, 5), (1, 3)
        return tuple(
            Region(c.name, cols, rows, c.name, c.strategy)
            for c, cols, rows in zip(
                classes, (highs, lows, highs, lows), (top, top, bottom, bottom), strict=True
            )
        )

    return regions


# ---------------------------------------------------------------- Mendelow


MENDELOW: tuple[LensClass, ...] = (
    LensClass("Manage closely (Key players)", "Engage fully and make the most effort to satisfy"),
    LensClass("Keep satisfied", "Meet their needs without overloading them with detail"),
    LensClass("Keep informed", "Tell them regularly how it goes; they can be useful allies"),
    LensClass("Monitor (minimal effort)", "Watch for changes; do not bore them with detail"),
)


def mendelow(m: StakeholderMap) -> dict[str, str]:
    """Power/interest grid (Mendelow 1991): each person's quadrant.

    Power is the y axis and interest the x axis; a side is high when its score is above 3
    (:data:`HIGH_ABOVE`), so a 3 is low.

    Parameters
    ----------
    m : StakeholderMap

    Returns
    -------
    dict
        name -> one of the names in :data:`MENDELOW` (ordered high/high, high power/low
        interest, low power/high interest, low/low).

    References
    ----------
    A. Mendelow, "Stakeholder mapping", Proceedings of the 2nd International Conference on
    Information Systems, Cambridge, MA, 1991.

    Examples
    --------
    >>> from stakemap.model import Stakeholder, StakeholderMap
    >>> m = StakeholderMap((Stakeholder("Ana", power=4, interest=3),
    ...                     Stakeholder("Ben", power=3.5, interest=5)))
    >>> mendelow(m)
    {'Ana': 'Keep satisfied', 'Ben': 'Manage closely (Key players)'}
    """
    index = {(True, True): 0, (True, False): 1, (False, True): 2, (False, False): 3}
    return {s.name: MENDELOW[index[_high(s.power), _high(s.interest)]].name for s in m.stakeholders}


# ---------------------------------------------------------------- Power map


POWER_MAP: tuple[LensClass, ...] = (
    LensClass("Primary target", "Decides (decider or veto): the one who can give what you want"),
    LensClass("Secondary target", "Influences a primary target: reach the decider through them"),
    LensClass("Not a target", "Neither decides nor directly sways a decider"),
)
_PRIMARY_ROLES = frozenset({"decider", "veto", "informal veto"})


def power_map(m: StakeholderMap) -> dict[str, str]:
    """Power map (community organising): primary and secondary targets.

    A primary target holds the decision (decision role ``decider`` or ``veto``); a secondary
    target is anyone else with a positive influence tie onto a primary target (a negative tie
    repels, so it is no route to the decider). Everyone else is "Not a target". The chart
    draws support (stance, Blocker .. Champion) across and power (No influence ..
    Decision-maker) up.

    References
    ----------
    The power map of community organising (e.g. Midwest Academy, "Organizing for Social
    Change", ch. on strategy charts; Training for Change's power mapping).

    Examples
    --------
    >>> from stakemap.model import Relationship, Stakeholder, StakeholderMap
    >>> m = StakeholderMap(
    ...     (Stakeholder("Ana", decision_role="decider"), Stakeholder("Ben"), Stakeholder("Cy")),
    ...     (Relationship("Ben", "Ana", 2), Relationship("Cy", "Ana", -3)))
    >>> power_map(m)
    {'Ana': 'Primary target', 'Ben': 'Secondary target', 'Cy': 'Not a target'}
    """
    primary = {s.name for s in m.stakeholders if s.decision_role in _PRIMARY_ROLES}
    secondary = {src for src, dst, w in m.influence_edges() if dst in primary and w > 0}
    return {
        s.name: POWER_MAP[0 if s.name in primary else 1 if s.name in secondary else 2].name
        for s in m.stakeholders
    }


# ---------------------------------------------------------------- Salience


SALIENCE: tuple[LensClass, ...] = (
    LensClass("Definitive", "Power, legitimacy and urgency: give them immediate priority"),
    LensClass("Dominant", "Power and legitimacy: keep them formally engaged and heard"),
    LensClass("Dangerous", "Power and urgency without legitimacy: watch closely, de-escalate"),
    LensClass("Dependent", "Legitimacy and urgency: they need others' power; find their ally"),
    LensClass("Dormant", "Power only: monitor, urgency would make them salient"),
    LensClass("Discretionary", "Legitimacy only: engage at your discretion, build goodwill"),
    LensClass("Demanding", "Urgency only: acknowledge them, do not over-invest"),
    LensClass("Non-stakeholder", "No attribute at the cut-off: not a stakeholder for now"),
)
_SALIENCE_BY_ATTRS = {
    (True, True, True): "Definitive",
    (True, True, False): "Dominant",
    (True, False, True): "Dangerous",
    (False, True, True): "Dependent",
    (True, False, False): "Dormant",
    (False, True, False): "Discretionary",
    (False, False, True): "Demanding",
    (False, False, False): "Non-stakeholder",
}


def salience(m: StakeholderMap, cutoff: float = SALIENCE_CUTOFF) -> dict[str, str]:
    """Salience model (Mitchell, Agle & Wood 1997): the seven classes plus non-stakeholders.

    Each attribute (power, legitimacy, urgency) is present when its 1-5 score is at least
    ``cutoff``; a missing score (None) counts as absent. With the default 4, a 3 is absent.

    Parameters
    ----------
    m : StakeholderMap
    cutoff : float
        The score from which an attribute counts as present.

    Returns
    -------
    dict
        name -> one of the names in :data:`SALIENCE`.

    References
    ----------
    R. Mitchell, B. Agle and D. Wood, "Toward a theory of stakeholder identification and
    salience", Academy of Management Review 22(4), 853-886, 1997.

    Examples
    --------
    >>> from stakemap.model import Stakeholder, StakeholderMap
    >>> m = StakeholderMap((Stakeholder("Ana", power=4, legitimacy=4, urgency=None),
    ...                     Stakeholder("Ben", power=3, legitimacy=3, urgency=5)))
    >>> salience(m)
    {'Ana': 'Dominant', 'Ben': 'Demanding'}
    >>> salience(m, cutoff=3)["Ben"]
    'Definitive'
    """

    def present(value: float | None) -> bool:
        return value is not None and value >= cutoff

    return {
        s.name: _SALIENCE_BY_ATTRS[present(s.power), present(s.legitimacy), present(s.urgency)]
        for s in m.stakeholders
    }


# Venn-like 3x3 arrangement: power on the left, legitimacy on the right, urgency below.
_SALIENCE_CELLS = {
    "Dormant": (0, 2),
    "Dominant": (1, 2),
    "Discretionary": (2, 2),
    "Dangerous": (0, 1),
    "Definitive": (1, 1),
    "Dependent": (2, 1),
    "Demanding": (1, 0),
    "Non-stakeholder": (2, 0),
}
_SALIENCE_LETTERS = {
    "Dormant": "P",
    "Dominant": "P+L",
    "Discretionary": "L",
    "Dangerous": "P+U",
    "Definitive": "P+L+U",
    "Dependent": "L+U",
    "Demanding": "U",
    "Non-stakeholder": "none",
}


def _salience_regions(_m: StakeholderMap, _c: Mapping[str, str]) -> tuple[Region, ...]:
    return tuple(
        Region(
            c.name, (col, col), (row, row), f"{c.name} ({_SALIENCE_LETTERS[c.name]})", c.strategy
        )
        for c in SALIENCE
        for col, row in [_SALIENCE_CELLS[c.name]]
    )


# ---------------------------------------------------------------- Engagement matrix


ENGAGEMENT: tuple[LensClass, ...] = (
    LensClass("Gap to close", "Desired above current: plan the steps from C to D"),
    LensClass("On target", "Current is the desired level: keep them there"),
    LensClass("Beyond target", "More engaged than needed: no action, or redirect their energy"),
)


@dataclass(frozen=True)
class EngagementCell:
    """A row of the engagement assessment matrix: current (C), desired (D), gap in levels."""

    current: str
    desired: str

    @property
    def gap(self) -> int:
        """Levels from current to desired (positive: engagement to raise)."""
        return ENGAGEMENT_LEVELS.index(self.desired) - ENGAGEMENT_LEVELS.index(self.current)


def engagement_matrix(m: StakeholderMap) -> dict[str, EngagementCell]:
    """Stakeholder engagement assessment matrix (PMBOK Guide, 6th ed., 13.1.2.5 / 13.2).

    Current is the PMBOK level of the stance (Unaware when the person is unaware; Blocker and
    Critic are both Resistant); desired is the level of the target stance, or the current
    level when no target is set (no change planned).

    Examples
    --------
    >>> from stakemap.model import Stakeholder, StakeholderMap
    >>> m = StakeholderMap((Stakeholder("Ana", stance=-1, target_stance=2),
    ...                     Stakeholder("Ben", unaware=True)))
    >>> cells = engagement_matrix(m)
    >>> cells["Ana"], cells["Ana"].gap
    (EngagementCell(current='Resistant', desired='Leading'), 3)
    >>> cells["Ben"].desired
    'Unaware'
    """
    cells = {}
    for s in m.stakeholders:
        current = s.engagement
        desired = current if s.target_stance is None else engagement_label(s.target_stance)
        cells[s.name] = EngagementCell(current, desired)
    return cells


def engagement(m: StakeholderMap) -> dict[str, str]:
    """Each person's engagement class (:data:`ENGAGEMENT`): gap to close, on or beyond target.

    >>> from stakemap.model import Stakeholder, StakeholderMap
    >>> engagement(StakeholderMap((Stakeholder("Ana", stance=2, target_stance=1),)))
    {'Ana': 'Beyond target'}
    """
    return {
        name: ENGAGEMENT[0 if c.gap > 0 else 1 if c.gap == 0 else 2].name
        for name, c in engagement_matrix(m).items()
    }


def _engagement_cell(person: Stakeholder, _cls: str) -> tuple[int, int]:
    current = person.engagement
    desired = current if person.target_stance is None else engagement_label(person.target_stance)
    return ENGAGEMENT_LEVELS.index(current), ENGAGEMENT_LEVELS.index(desired)


def _engagement_regions(_m: StakeholderMap, _c: Mapping[str, str]) -> tuple[Region, ...]:
    """One untitled region a cell, of the class its current/desired pair falls in."""
    levels = range(len(ENGAGEMENT_LEVELS))
    return tuple(
        Region(ENGAGEMENT[0 if d > c else 1 if d == c else 2].name, (c, c), (d, d))
        for c in levels
        for d in levels
    )


# ---------------------------------------------------------------- Spectrum of allies


SPECTRUM: tuple[LensClass, ...] = (
    LensClass("Active allies", "Keep them active: give them a part to lead and people to reach"),
    LensClass("Passive allies", "Meet one to one so the idea becomes theirs and they carry it"),
    LensClass("Neutrals", "Show them what is in it for them"),
    LensClass("Passive opposition", "Answer their objections so they stop resisting"),
    LensClass("Active opposition", "Lower their energy; do not alert them early"),
)
_WEDGE_OF_STANCE = {2: 0, 1: 1, 0: 2, -1: 3, -2: 4}


def spectrum(m: StakeholderMap) -> dict[str, str]:
    """Spectrum of allies (Training for Change): each person's wedge, from their stance.

    +2 Active allies, +1 Passive allies, 0 Neutrals, -1 Passive opposition, -2 Active
    opposition. The strategy is to move each group one wedge toward you
    (:func:`spectrum_moves`).

    References
    ----------
    Training for Change, "Spectrum of Allies" tool; G. Lakey, "Strategizing for a living
    revolution", 2012.

    Examples
    --------
    >>> from stakemap.model import Stakeholder, StakeholderMap
    >>> spectrum(StakeholderMap((Stakeholder("Ana", stance=1), Stakeholder("Ben", stance=-2))))
    {'Ana': 'Passive allies', 'Ben': 'Active opposition'}
    """
    return {s.name: SPECTRUM[_WEDGE_OF_STANCE[_stance(s)]].name for s in m.stakeholders}


def spectrum_moves(m: StakeholderMap) -> dict[str, str]:
    """The "move one wedge" suggestion for each person (one wedge toward you).

    Passive allies agree but will not carry the idea: the one-to-one meeting where it becomes
    partly theirs turns them active (../shared/COALITIONS.md, Case 2). Active opposition is
    lowered, not confronted first (Sebenius: no early warning).

    >>> from stakemap.model import Stakeholder, StakeholderMap
    >>> spectrum_moves(StakeholderMap((Stakeholder("Ana", stance=1),)))["Ana"]
    'Passive allies -> Active allies: meet one to one so the idea becomes theirs and they carry it'
    """
    moves = {}
    for s in m.stakeholders:
        wedge = _WEDGE_OF_STANCE[_stance(s)]
        here = SPECTRUM[wedge]
        if wedge == 0:
            moves[s.name] = f"Already {here.name}: {here.strategy[0].lower()}{here.strategy[1:]}"
        else:
            strategy = here.strategy[0].lower() + here.strategy[1:]
            moves[s.name] = f"{here.name} -> {SPECTRUM[wedge - 1].name}: {strategy}"
    return moves


def _spectrum_regions(m: StakeholderMap, classes: Mapping[str, str]) -> tuple[Region, ...]:
    """One column a wedge, subtitled with the head count and power of the people in
    ``classes`` (the shown ones: the filtered-out are not counted)."""
    power: dict[str, float] = defaultdict(float)
    count: dict[str, int] = defaultdict(int)
    for s in m.stakeholders:
        if s.name in classes:
            power[classes[s.name]] += s.power
            count[classes[s.name]] += 1
    return tuple(
        Region(
            c.name,
            (col, col),
            (0, 0),
            c.name,
            f"{count[c.name]} {'person' if count[c.name] == 1 else 'people'}, "
            f"power {power[c.name]:g}",
        )
        for col, c in enumerate(reversed(SPECTRUM))
    )


# ---------------------------------------------------------------- Influence/attitude


INFLUENCE_ATTITUDE: tuple[LensClass, ...] = (
    LensClass("Influential champions", "Involve them: let them carry the message"),
    LensClass(
        "Influential blockers or undecided",
        "Engage them early: answer the blockers' concerns, win the undecided first",
    ),
    LensClass("Fans", "Keep them informed and use them as messengers"),
    LensClass(
        "Naysayers or undecided",
        "Monitor them; answer objections and inform the undecided, without over-investing",
    ),
)


def influence_attitude(m: StakeholderMap) -> dict[str, str]:
    """Influence/attitude grid: influence (power) up, attitude (stance) across, four classes.

    Influence is high when power is above 3 (a 3 is low). Attitude splits at support: a
    stance above 0 is on our side (Influential champions, Fans); everyone else is not yet,
    and that includes the Neutrals (0), so the two other classes say so in their names:
    "Influential blockers or undecided" and "Naysayers or undecided" (the grid's blockers and
    naysayers, ../shared/COALITIONS.md, with the undecided they share a side with). A Neutral
    decider is thus never called a blocker, and the grid stays a 2x2 of four classes.

    Examples
    --------
    >>> from stakemap.model import Stakeholder, StakeholderMap
    >>> m = StakeholderMap((Stakeholder("Ana", power=4, stance=0),
    ...                     Stakeholder("Ben", power=3, stance=1)))
    >>> influence_attitude(m)
    {'Ana': 'Influential blockers or undecided', 'Ben': 'Fans'}
    """
    index = {(True, True): 0, (True, False): 1, (False, True): 2, (False, False): 3}
    return {
        s.name: INFLUENCE_ATTITUDE[index[_high(s.power), _stance(s) > 0]].name
        for s in m.stakeholders
    }


# ---------------------------------------------------------------- the registry

# The stance words of the legend, not "Against us, -1, Neutral, +1, With us": one kind of label.
_STANCE_AXIS_TICKS = tuple((v, STANCE_LABELS[v]) for v in range(-2, 3))
#: The power map's five power rows, No influence .. Decision-maker (../shared/COALITIONS.md).
_POWER_MAP_TICKS = (
    (1, "No influence"),
    (2, "Little influence"),
    (3, "Some influence"),
    (4, "Strong influence"),
    (5, "Decision-maker"),
)

LENSES: dict[str, Lens] = {
    lens.name: lens
    for lens in (
        Lens(
            "Power/interest grid (Mendelow)",
            MENDELOW,
            mendelow,
            lambda s, _c: (scale_cell(s.interest), scale_cell(s.power)),
            (1, 5),
            (1, 5),
            _quadrants(MENDELOW, (1, 3), (4, 5)),
            Axis("Interest", _SCALE_TICKS),
            Axis("Power", _SCALE_TICKS),
        ),
        Lens(
            "Power map",
            POWER_MAP,
            power_map,
            lambda s, _c: (_stance(s), scale_cell(s.power)),
            (-2, 2),
            (1, 5),
            lambda _m, _c: (),
            Axis("Support", _STANCE_AXIS_TICKS),
            Axis("Power", _POWER_MAP_TICKS),
        ),
        Lens(
            "Salience model",
            SALIENCE,
            salience,
            lambda _s, c: _SALIENCE_CELLS[c],
            (0, 2),
            (0, 2),
            _salience_regions,
        ),
        Lens(
            "Engagement assessment matrix",
            ENGAGEMENT,
            engagement,
            _engagement_cell,
            (0, 4),
            (0, 4),
            _engagement_regions,
            Axis("Current engagement (C)", tuple(enumerate(ENGAGEMENT_LEVELS))),
            Axis("Desired engagement (D)", tuple(enumerate(ENGAGEMENT_LEVELS))),
        ),
        Lens(
            "Spectrum of allies",
            SPECTRUM,
            spectrum,
            lambda _s, c: (4 - [w.name for w in SPECTRUM].index(c), 0),
            (0, 4),
            (0, 0),
            _spectrum_regions,
        ),
        Lens(
            "Influence/attitude grid",
            INFLUENCE_ATTITUDE,
            influence_attitude,
            lambda s, _c: (_stance(s), scale_cell(s.power)),
            (-2, 2),
            (1, 5),
            _quadrants(INFLUENCE_ATTITUDE, (-2, 0), (1, 2)),
            Axis("Attitude (stance)", _STANCE_AXIS_TICKS),
            Axis("Influence (power)", _SCALE_TICKS),
        ),
    )
}
#: The lenses in the order the picker offers them.
LENS_NAMES: tuple[str, ...] = tuple(LENSES)


# ---------------------------------------------------------------- placement


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
    groups: dict[tuple[int, int], list[str]] = defaultdict(list)
    for name, cell in cells.items():
        groups[cell].append(name)
    fullest = max((len(g) for g in groups.values()), default=1)
    cols, rows = _grid_for(fullest, cell_aspect, slot_aspect)
    w, h = 1.0 / cols, 1.0 / rows
    xy: dict[str, tuple[float, float]] = {}
    for (c, r), names in groups.items():
        names.sort(key=(lambda n: (order(n), n)) if order else None)
        used_rows = math.ceil(len(names) / cols)
        top = r + (used_rows - 1) * h / 2
        for i, name in enumerate(names):
            row, col = divmod(i, cols)
            in_row = min(cols, len(names) - row * cols)
            xy[name] = (c + (col - (in_row - 1) / 2) * w, top - row * h)
    return Placement(xy, w, h, cols, rows)


# ---------------------------------------------------------------- a lens ready to draw


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


def lens_view(
    m: StakeholderMap,
    lens_name: str,
    names: Iterable[str] | None = None,
    plot: tuple[float, float] = (800.0, 500.0),
    title_px: float = 36.0,
    slot_aspect: float = 2.5,
) -> LensView:
    """Classify ``m`` through a lens and place the people in ``names`` (default: everyone).

    Classes are computed on the whole map (a secondary target stays one when its decider is
    filtered out); only the shown people are placed and counted in region titles (the
    spectrum's "2 people, power 5"). ``plot`` is the plot's size on screen
    (px) and ``title_px`` the height kept above each titled region for its title and strategy.
    Within a cell the more powerful sit first (top left).

    >>> from stakemap.model import Stakeholder, StakeholderMap
    >>> m = StakeholderMap((Stakeholder("Ana", power=5, interest=5), Stakeholder("Ben")))
    >>> v = lens_view(m, "Power/interest grid (Mendelow)", names=["Ana"])
    >>> sorted(v.placement.xy), v.classes["Ben"]
    (['Ana'], 'Monitor (minimal effort)')
    """
    lens = LENSES[lens_name]
    classes = lens.classify(m)
    shown = set(m.names if names is None else names)
    people = [s for s in m.stakeholders if s.name in shown]
    cells = {s.name: lens.cell(s, classes[s.name]) for s in people}
    power = {s.name: s.power for s in people}
    n_cols = lens.cols[1] - lens.cols[0] + 1
    n_rows = lens.rows[1] - lens.rows[0] + 1
    cell_h = max(10.0, (plot[1] - len(_titled_rows(lens)) * title_px) / n_rows)
    placed = place(
        cells,
        order=lambda n: -power[n],
        cell_aspect=plot[0] / n_cols / cell_h,
        slot_aspect=slot_aspect,
    )
    row_y, height = _row_heights(lens, title_px / cell_h)
    xy = {n: (x, row_y[cells[n][1]] + y - cells[n][1]) for n, (x, y) in placed.xy.items()}
    placement = Placement(xy, placed.w, placed.h, placed.cols, placed.rows)
    shown_classes = {s.name: classes[s.name] for s in people}
    return LensView(
        lens, classes, lens.regions(m, shown_classes), placement, row_y, height, title_px / cell_h
    )


@dataclass(frozen=True)
class ClassSummary:
    """One class of a lens with its strategy, members (map order) and their total power."""

    name: str
    strategy: str
    people: tuple[str, ...]
    power: float


def class_summary(
    m: StakeholderMap, lens_name: str, names: Iterable[str] | None = None
) -> list[ClassSummary]:
    """The lens's classes in order, each with its people: the list beside the chart.

    Classes are computed on the whole map; with ``names`` only those people are listed and
    counted (the ones the filters show).

    >>> from stakemap.model import Stakeholder, StakeholderMap
    >>> m = StakeholderMap((Stakeholder("Ana", stance=2), Stakeholder("Ben", stance=2)))
    >>> rows = class_summary(m, "Spectrum of allies")
    >>> rows[0].name, rows[0].people, rows[0].power
    ('Active allies', ('Ana', 'Ben'), 6.0)
    >>> class_summary(m, "Spectrum of allies", names=["Ben"])[0].people
    ('Ben',)
    """
    lens = LENSES[lens_name]
    classes = lens.classify(m)
    shown = set(m.names if names is None else names)
    people = [s for s in m.stakeholders if s.name in shown]
    return [
        ClassSummary(
            c.name,
            c.strategy,
            tuple(s.name for s in people if classes[s.name] == c.name),
            sum(s.power for s in people if classes[s.name] == c.name),
        )
        for c in lens.classes
    ]


# ---------------------------------------------------------------- filters, search, selection


def filter_names(
    m: StakeholderMap,
    groups: Iterable[str] = (),
    stances: Iterable[int] = (),
    roles: Iterable[str] = (),
) -> list[str]:
    """Names of the people matching every non-empty filter (map order).

    An empty filter keeps everyone; ``roles`` may contain ``""`` for "no decision role".

    >>> from stakemap.model import Stakeholder, StakeholderMap
    >>> m = StakeholderMap((Stakeholder("Ana", group="Ops", stance=1),
    ...                     Stakeholder("Ben", group="Ops", decision_role="veto")))
    >>> filter_names(m, groups=["Ops"], roles=[""])
    ['Ana']
    """
    groups, stances, roles = set(groups), set(stances), set(roles)
    return [
        s.name
        for s in m.stakeholders
        if (not groups or s.group in groups)
        and (not stances or _stance(s) in stances)
        and (not roles or s.decision_role in roles)
    ]


def selected_person(
    selection: Mapping[str, object] | None, keys: Mapping[str, str], param: str = "pick"
) -> str | None:
    """The person a chart point selection names, or None.

    ``selection`` is the ``selection`` part of Streamlit's chart event: ``{param: [{"key":
    k}, ...]}`` for a point selection on the field ``key``, or ``{param: {}}`` when nothing
    is selected. ``keys`` maps the chart's keys to names (the name itself, or an anonymised
    label); the last selected point that maps to a person wins, and stale keys (a person
    renamed or filtered out since) are ignored.

    >>> selected_person({"pick": [{"key": "Ana"}]}, {"Ana": "Ana", "Ben": "Ben"})
    'Ana'
    >>> selected_person({"pick": {}}, {"Ana": "Ana"}) is None
    True
    """
    points = (selection or {}).get(param)
    if not isinstance(points, Sequence) or isinstance(points, str):
        return None
    for point in reversed(points):
        key = point.get("key") if isinstance(point, Mapping) else None
        if isinstance(key, str) and key in keys:
            return keys[key]
    return None


ANONYMISE_MODES: tuple[str, ...] = ("names", "initials", "letters")


def _letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (spreadsheet column style)."""
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        text = chr(ord("A") + rest) + text
    return text


def anonymise(names: Sequence[str], mode: str = "names") -> dict[str, str]:
    """Labels for the projector: the names, their initials, or "Stakeholder A, B, ...".

    Initials take the first letter of up to three words; a repeated set of initials gets a
    number (``AB``, ``AB2``). Letters follow the order of ``names``.

    >>> anonymise(["Ana Bell", "Abe Bo", "Cy"], "initials")
    {'Ana Bell': 'AB', 'Abe Bo': 'AB2', 'Cy': 'C'}
    >>> anonymise(["Ana", "Ben"], "letters")
    {'Ana': 'Stakeholder A', 'Ben': 'Stakeholder B'}
    """
    if mode == "letters":
        return {name: f"Stakeholder {_letters(i)}" for i, name in enumerate(names)}
    if mode != "initials":
        return {name: name for name in names}
    seen: dict[str, int] = defaultdict(int)
    labels = {}
    for name in names:
        words = re.findall(r"\w+", name)
        base = "".join(w[0] for w in words[:3]).upper() or "?"
        seen[base] += 1
        labels[name] = base if seen[base] == 1 else f"{base}{seen[base]}"
    return labels


# ---------------------------------------------------------------- quick edits


def edit_person(
    m: StakeholderMap, name: str, **changes: object
) -> tuple[StakeholderMap, str] | None:
    """Apply a quick edit from the map; returns the new map and its history line, or None.

    ``stance`` is clamped to -2..+2 and ``power``/``interest`` to 1-5; an edit that changes
    nothing (or names nobody) returns None.

    >>> from stakemap.model import Stakeholder, StakeholderMap
    >>> m = StakeholderMap((Stakeholder("Ana"),))
    >>> edit_person(m, "Ana", stance=1)[1]
    'Stance of Ana: Neutral -> Supporter'
    >>> edit_person(m, "Ana", stance=0) is None
    True
    """
    person = m.get(name)
    if person is None:
        return None
    clean: dict[str, object] = {}
    for field, value in changes.items():
        if field == "stance":
            value = max(-2, min(2, round(float(value))))  # type: ignore[arg-type]
        elif field in ("power", "interest"):
            value = max(1.0, min(5.0, float(value)))  # type: ignore[arg-type]
        if getattr(person, field) != value:
            clean[field] = value
    if not clean:
        return None
    parts = []
    for field, value in clean.items():
        old = getattr(person, field)
        if field == "stance":
            parts.append(f"Stance of {name}: {stance_label(old)} -> {stance_label(value)}")
        elif isinstance(value, float):
            parts.append(f"{field.capitalize()} of {name}: {old:g} -> {value:g}")
        else:
            parts.append(f"{field.replace('_', ' ').capitalize()} of {name} edited")
    return m.with_stakeholder(name, **clean), "; ".join(parts)
