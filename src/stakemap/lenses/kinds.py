"""What a lens is: its classes, axes and shaded regions, and the 1-5 scale cut into cells.

Boundaries on the 1-5 scales (power, interest): **high means above 3**, so a 3 is *low*; on
integer scales that is 4 and 5. Stance is "supportive" above 0, so a Neutral (0) falls with
the people not yet on our side (docs/domain.md).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from stakemap.language import gettext as _
from stakemap.model import Stakeholder, StakeholderMap

__all__ = [
    "HIGH_ABOVE",
    "SALIENCE_CUTOFF",
    "SCALE_TICKS",
    "Axis",
    "Lens",
    "LensClass",
    "Region",
    "is_high",
    "quadrants",
    "scale_cell",
    "stance_step",
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
    #: The fields the lens reads that may be blank (None), and the class of the people with
    #: one of them blank: a blank is not a rating, so the lens never places them on a guess.
    needs: tuple[str, ...] = ()
    unrated: str = ""

    def strategy(self, class_name: str) -> str:
        return next((c.strategy for c in self.classes if c.name == class_name), "")

    def blanks(self, person: Stakeholder) -> tuple[str, ...]:
        """The fields of :attr:`needs` that are blank for ``person``: with any, the lens
        classifies them :attr:`unrated`.

        >>> lens = Lens("L", (), dict, lambda s, c: (0, 0), (0, 0), (0, 0), lambda m, c: (),
        ...             needs=("legitimacy", "urgency"), unrated="Not rated")
        >>> lens.blanks(Stakeholder("Ana", legitimacy=4))
        ('urgency',)
        """
        return tuple(field for field in self.needs if getattr(person, field) is None)


def is_high(value: float) -> bool:
    """Whether a 1-5 score counts as high: strictly above :data:`HIGH_ABOVE`.

    >>> is_high(3), is_high(3.2)
    (False, True)
    """
    return value > HIGH_ABOVE


def scale_cell(value: float) -> int:
    """The column or row (1-5) of a 1-5 score: cell ``k`` holds the scores in ``(k-1, k]``.

    Integers stay where they are and fractions round up, so a cell never straddles the
    high/low boundary: 3 sits in cell 3 (low) and 3.2 in cell 4 (high).

    >>> [scale_cell(v) for v in (1, 2.5, 3, 3.2, 5, 7)]
    [1, 3, 3, 4, 5, 5]
    """
    return max(1, min(5, math.ceil(value)))


def stance_step(person: Stakeholder) -> int:
    """The person's stance as a whole step of the -2..2 scale (rounded, kept on the scale).

    >>> stance_step(Stakeholder("Ana", stance=1.6)), stance_step(Stakeholder("Ben", stance=-7))
    (2, -2)
    """
    return max(-2, min(2, round(person.stance)))


SCALE_TICKS = ((1, "1"), (2, "2"), (3, "3"), (4, "4"), (5, "5"))


def quadrants(
    classes: Sequence[LensClass], lows: tuple[int, int], highs: tuple[int, int]
) -> Callable[[StakeholderMap, Mapping[str, str]], tuple[Region, ...]]:
    """Four regions of a 2x2 grid on a 1-5 y scale, titled with the class and its strategy
    (in the language in force).

    ``classes`` are ordered high-high, high-low, low-high, low-low: y side first (rows 4-5
    high), x side second (``highs`` and ``lows`` are the x columns of each side).
    """

    def regions(_m: StakeholderMap, _c: Mapping[str, str]) -> tuple[Region, ...]:
        top, bottom = (4, 5), (1, 3)
        return tuple(
            Region(c.name, cols, rows, _(c.name), _(c.strategy))
            for c, cols, rows in zip(
                classes, (highs, lows, highs, lows), (top, top, bottom, bottom), strict=True
            )
        )

    return regions
