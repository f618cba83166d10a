"""One visual language for stance on every surface: the Map, the Network and the Excel export.

Stance is shown twice, by colour (Okabe-Ito, colour-blind safe: Okabe & Ito, "Color Universal
Design", 2008) and by shape, so it reads in greyscale too. The five shapes are the ones every
renderer draws: Vega-Lite (a star as an SVG path), vis-network and Excel chart markers.
A Blocker is the warning triangle, a Champion the star. Decision roles are never a shape:
deciders and veto holders get a heavy outline, third parties a dashed one.

>>> [STANCE_SHAPES[s].word for s in ("Champion", "Blocker")]
['star', 'triangle']
>>> {s.vis for s in STANCE_SHAPES.values()} == {"star", "square", "dot", "diamond", "triangle"}
True
"""

from __future__ import annotations

from dataclasses import dataclass

from stakemap.model import STANCE_COLOURS

__all__ = [
    "COMMUNITY_COLOURS",
    "COMMUNITY_OTHER",
    "ROLE_OUTLINES",
    "STANCE_SHAPES",
    "Shape",
    "legend_rows",
]

# A five-pointed star in Vega's unit square (-1..1), point up.
_STAR = (
    "M0,-1L0.235,-0.324L0.951,-0.309L0.38,0.124L0.588,0.809L0,0.4L-0.588,0.809L-0.38,0.124"
    "L-0.951,-0.309L-0.235,-0.324Z"
)


@dataclass(frozen=True)
class Shape:
    """One stance's marker as each renderer names it, and as a text glyph for legends."""

    word: str
    vega: str
    vis: str
    excel: str
    glyph: str


STANCE_SHAPES: dict[str, Shape] = {
    "Champion": Shape("star", _STAR, "star", "star", "\u2605"),
    "Supporter": Shape("square", "square", "square", "square", "\u25a0"),
    "Neutral": Shape("circle", "circle", "dot", "circle", "\u25cf"),
    "Critic": Shape("diamond", "diamond", "diamond", "diamond", "\u25c6"),
    "Blocker": Shape("triangle", "triangle-up", "triangle", "triangle", "\u25b2"),
}
assert set(STANCE_SHAPES) == set(STANCE_COLOURS)

#: Outline by decision role: (width, dashed). Shape and colour stay the stance's.
ROLE_OUTLINES: dict[str, tuple[int, bool]] = {
    "decider": (3, False),
    "veto": (3, False),
    "informal veto": (3, False),
    "influencer": (1, False),
    "third party": (1, True),
    "": (1, False),
}

#: Fill by community when the network is coloured by community (Paul Tol's "muted" qualitative
#: scheme, colour-blind safe): community 1 (the largest) first; later ones and people with no
#: tie are :data:`COMMUNITY_OTHER`. Shape still says the stance.
COMMUNITY_COLOURS: tuple[str, ...] = (
    "#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99", "#999933",
)  # fmt: skip
COMMUNITY_OTHER = "#DDDDDD"


def legend_rows() -> list[tuple[str, str, str]]:
    """(stance, colour, shape word) from Champion to Blocker: the one legend.

    >>> legend_rows()[0]
    ('Champion', '#0072B2', 'star')
    """
    return [(s, STANCE_COLOURS[s], STANCE_SHAPES[s].word) for s in STANCE_SHAPES]
