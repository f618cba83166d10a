"""The six stakeholder-mapping lenses users already know: how each classifies a map, where each
class sits and how its background is drawn (docs/domain.md names them and their sources).

Each lens has a classification function ``lens(map) -> {name: class}`` with its ordered
classes and one-line strategies; :data:`LENSES` holds them by name. The salience attributes
are present at or above a cut-off (default 4), the same rule for integer scores.

A blank is not a rating: a lens that reads a field which may be blank (legitimacy, urgency,
target stance) puts a person with it blank in its class of the not rated
(:attr:`stakemap.lenses.kinds.Lens.unrated`), never in one made of a value it made up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from stakemap.language import N_, ngettext, pgettext
from stakemap.language import gettext as _
from stakemap.lenses.kinds import (
    SALIENCE_CUTOFF,
    SCALE_TICKS,
    Axis,
    Lens,
    LensClass,
    Region,
    is_high,
    quadrants,
    scale_cell,
    stance_step,
)
from stakemap.model import (
    ENGAGEMENT_LEVELS,
    STANCE_LABELS,
    Stakeholder,
    StakeholderMap,
    engagement_label,
)

__all__ = [
    "ENGAGEMENT",
    "INFLUENCE_ATTITUDE",
    "LENSES",
    "LENS_NAMES",
    "MENDELOW",
    "POWER_MAP",
    "SALIENCE",
    "SPECTRUM",
    "EngagementCell",
    "engagement",
    "engagement_matrix",
    "influence_attitude",
    "mendelow",
    "power_map",
    "salience",
    "spectrum",
    "spectrum_moves",
]

MENDELOW: tuple[LensClass, ...] = (
    LensClass(
        N_("Manage closely (Key players)"), N_("Engage fully and make the most effort to satisfy")
    ),
    LensClass(N_("Keep satisfied"), N_("Meet their needs without overloading them with detail")),
    LensClass(
        N_("Keep informed"), N_("Tell them regularly how it goes; they can be useful allies")
    ),
    LensClass(
        N_("Monitor (minimal effort)"), N_("Watch for changes; do not bore them with detail")
    ),
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
    return {
        s.name: MENDELOW[index[is_high(s.power), is_high(s.interest)]].name for s in m.stakeholders
    }


POWER_MAP: tuple[LensClass, ...] = (
    LensClass(
        N_("Primary target"), N_("Decides (decider or veto): the one who can give what you want")
    ),
    LensClass(
        N_("Secondary target"), N_("Influences a primary target: reach the decider through them")
    ),
    LensClass(N_("Not a target"), N_("Neither decides nor directly sways a decider")),
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


SALIENCE: tuple[LensClass, ...] = (
    LensClass(N_("Definitive"), N_("Power, legitimacy and urgency: give them immediate priority")),
    LensClass(N_("Dominant"), N_("Power and legitimacy: keep them formally engaged and heard")),
    LensClass(
        N_("Dangerous"), N_("Power and urgency without legitimacy: watch closely, de-escalate")
    ),
    LensClass(
        N_("Dependent"), N_("Legitimacy and urgency: they need others' power; find their ally")
    ),
    LensClass(N_("Dormant"), N_("Power only: monitor, urgency would make them salient")),
    LensClass(
        N_("Discretionary"), N_("Legitimacy only: engage at your discretion, build goodwill")
    ),
    LensClass(N_("Demanding"), N_("Urgency only: acknowledge them, do not over-invest")),
    LensClass(N_("Non-stakeholder"), N_("No attribute at the cut-off: not a stakeholder for now")),
    LensClass(N_("Not rated"), N_("Legitimacy or urgency is blank: rate them to place them")),
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
_NOT_RATED = SALIENCE[-1].name


def salience(m: StakeholderMap, cutoff: float = SALIENCE_CUTOFF) -> dict[str, str]:
    """Salience model (Mitchell, Agle & Wood 1997): the seven classes, non-stakeholders, and
    the people not rated yet.

    Each attribute (power, legitimacy, urgency) is present when its 1-5 score is at least
    ``cutoff``; with the default 4, a 3 is absent. A blank legitimacy or urgency (None) is no
    score at all, not a low one: whoever has one is "Not rated", never a Non-stakeholder or
    a Dormant made of a guess. Power cannot be blank.

    Parameters
    ----------
    m : StakeholderMap
    cutoff : float
        The score from which an attribute counts as present.

    Returns
    -------
    dict
        name -> one of the names in :data:`SALIENCE` ("Not rated" when legitimacy or urgency is
        blank).

    References
    ----------
    R. Mitchell, B. Agle and D. Wood, "Toward a theory of stakeholder identification and
    salience", Academy of Management Review 22(4), 853-886, 1997.

    Examples
    --------
    >>> from stakemap.model import Stakeholder, StakeholderMap
    >>> m = StakeholderMap((Stakeholder("Ana", power=4, legitimacy=4, urgency=2),
    ...                     Stakeholder("Ben", power=3, legitimacy=3, urgency=5),
    ...                     Stakeholder("Cy", power=5, legitimacy=None, urgency=5)))
    >>> salience(m)
    {'Ana': 'Dominant', 'Ben': 'Demanding', 'Cy': 'Not rated'}
    >>> salience(m, cutoff=3)["Ben"]
    'Definitive'
    """
    classes = {}
    for s in m.stakeholders:
        if s.legitimacy is None or s.urgency is None:
            classes[s.name] = _NOT_RATED
        else:
            attrs = (s.power >= cutoff, s.legitimacy >= cutoff, s.urgency >= cutoff)
            classes[s.name] = _SALIENCE_BY_ATTRS[attrs]
    return classes


# Venn-like 3x3 arrangement: power on the left, legitimacy on the right, urgency below; the
# people not rated sit in the free cell, bottom left.
_SALIENCE_CELLS = {
    "Dormant": (0, 2),
    "Dominant": (1, 2),
    "Discretionary": (2, 2),
    "Dangerous": (0, 1),
    "Definitive": (1, 1),
    "Dependent": (2, 1),
    "Demanding": (1, 0),
    "Non-stakeholder": (2, 0),
    "Not rated": (0, 0),
}


def _salience_letters() -> dict[str, str]:
    """The attributes of each salience class in brief (P power, L legitimacy, U urgency), in
    the language in force."""
    return {
        "Dormant": pgettext("salience attributes", "P"),
        "Dominant": pgettext("salience attributes", "P+L"),
        "Discretionary": pgettext("salience attributes", "L"),
        "Dangerous": pgettext("salience attributes", "P+U"),
        "Definitive": pgettext("salience attributes", "P+L+U"),
        "Dependent": pgettext("salience attributes", "L+U"),
        "Demanding": pgettext("salience attributes", "U"),
        "Non-stakeholder": pgettext("salience attributes", "none"),
    }


def _salience_regions(_m: StakeholderMap, _c: Mapping[str, str]) -> tuple[Region, ...]:
    """One titled cell a class: the name and its attributes ("Dominant (P+L)"); "Not rated"
    has none to name. Titles and strategies are in the language in force."""
    letters = _salience_letters()
    return tuple(
        Region(
            c.name,
            (col, col),
            (row, row),
            _("{salience_class} ({attributes})").format(
                salience_class=_(c.name), attributes=letters[c.name]
            )
            if c.name in letters
            else _(c.name),
            _(c.strategy),
        )
        for c in SALIENCE
        for col, row in [_SALIENCE_CELLS[c.name]]
    )


ENGAGEMENT: tuple[LensClass, ...] = (
    LensClass(N_("Gap to close"), N_("Desired above current: plan the steps from C to D")),
    LensClass(N_("On target"), N_("Current is the desired level: keep them there")),
    LensClass(
        N_("Beyond target"), N_("More engaged than needed: no action, or redirect their energy")
    ),
    LensClass(N_("No target set"), N_("Target stance is blank: set one to place them")),
)
_NO_TARGET = ENGAGEMENT[-1].name
#: The engagement matrix's row of the people with no desired level, under the five levels.
_NO_TARGET_ROW = -1


@dataclass(frozen=True)
class EngagementCell:
    """A row of the engagement assessment matrix: current (C), desired (D; None when no target
    stance is set), gap in levels."""

    current: str
    desired: str | None

    @property
    def gap(self) -> int | None:
        """Levels from current to desired (positive: engagement to raise); None without a
        desired level."""
        if self.desired is None:
            return None
        return ENGAGEMENT_LEVELS.index(self.desired) - ENGAGEMENT_LEVELS.index(self.current)


def engagement_matrix(m: StakeholderMap) -> dict[str, EngagementCell]:
    """Stakeholder engagement assessment matrix (PMBOK Guide, 6th ed., 13.1.2.5 / 13.2).

    Current is the PMBOK level of the stance (Unaware when the person is unaware; Blocker and
    Critic are both Resistant); desired is the level of the target stance. A blank target
    stance is no desired level (None), not "keep them where they are": the matrix has no D
    for them and no gap.

    Examples
    --------
    >>> from stakemap.model import Stakeholder, StakeholderMap
    >>> m = StakeholderMap((Stakeholder("Ana", stance=-1, target_stance=2),
    ...                     Stakeholder("Ben", unaware=True)))
    >>> cells = engagement_matrix(m)
    >>> cells["Ana"], cells["Ana"].gap
    (EngagementCell(current='Resistant', desired='Leading'), 3)
    >>> cells["Ben"].desired is None, cells["Ben"].gap is None
    (True, True)
    """
    return {
        s.name: EngagementCell(
            s.engagement, None if s.target_stance is None else engagement_label(s.target_stance)
        )
        for s in m.stakeholders
    }


def engagement(m: StakeholderMap) -> dict[str, str]:
    """Each person's engagement class (:data:`ENGAGEMENT`): gap to close, on or beyond target,
    or "No target set" when their target stance is blank (never "On target" by default).

    >>> from stakemap.model import Stakeholder, StakeholderMap
    >>> engagement(StakeholderMap((Stakeholder("Ana", stance=2, target_stance=1),
    ...                            Stakeholder("Ben", stance=2))))
    {'Ana': 'Beyond target', 'Ben': 'No target set'}
    """
    return {
        name: _NO_TARGET
        if c.gap is None
        else ENGAGEMENT[0 if c.gap > 0 else 1 if c.gap == 0 else 2].name
        for name, c in engagement_matrix(m).items()
    }


def _engagement_cell(person: Stakeholder, _cls: str) -> tuple[int, int]:
    """(current, desired) level indices; desired is the row under the levels without a target."""
    current = ENGAGEMENT_LEVELS.index(person.engagement)
    if person.target_stance is None:
        return current, _NO_TARGET_ROW
    return current, ENGAGEMENT_LEVELS.index(engagement_label(person.target_stance))


def _engagement_regions(_m: StakeholderMap, _c: Mapping[str, str]) -> tuple[Region, ...]:
    """One untitled region a cell, of the class its current/desired pair falls in, and the
    row of the people with no target under them."""
    levels = range(len(ENGAGEMENT_LEVELS))
    return (
        *(
            Region(ENGAGEMENT[0 if d > c else 1 if d == c else 2].name, (c, c), (d, d))
            for c in levels
            for d in levels
        ),
        Region(_NO_TARGET, (0, len(ENGAGEMENT_LEVELS) - 1), (_NO_TARGET_ROW, _NO_TARGET_ROW)),
    )


SPECTRUM: tuple[LensClass, ...] = (
    LensClass(
        N_("Active allies"), N_("Keep them active: give them a part to lead and people to reach")
    ),
    LensClass(
        N_("Passive allies"), N_("Meet one to one so the idea becomes theirs and they carry it")
    ),
    LensClass(N_("Neutrals"), N_("Show them what is in it for them")),
    LensClass(N_("Passive opposition"), N_("Answer their objections so they stop resisting")),
    LensClass(N_("Active opposition"), N_("Lower their energy; do not alert them early")),
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
    return {s.name: SPECTRUM[_WEDGE_OF_STANCE[stance_step(s)]].name for s in m.stakeholders}


def spectrum_moves(m: StakeholderMap) -> dict[str, str]:
    """The "move one wedge" suggestion for each person (one wedge toward you).

    Passive allies agree but will not carry the idea: the one-to-one meeting where it becomes
    partly theirs turns them active (docs/coalitions.md, "The new programme"). Active opposition is
    lowered, not confronted first (Sebenius: no early warning).

    >>> from stakemap.model import Stakeholder, StakeholderMap
    >>> spectrum_moves(StakeholderMap((Stakeholder("Ana", stance=1),)))["Ana"]
    'Passive allies -> Active allies: meet one to one so the idea becomes theirs and they carry it'
    """
    moves = {}
    for s in m.stakeholders:
        wedge = _WEDGE_OF_STANCE[stance_step(s)]
        here = SPECTRUM[wedge]
        told = _(here.strategy)
        strategy = told[0].lower() + told[1:]
        if wedge == 0:
            moves[s.name] = _("Already {wedge}: {strategy}").format(
                wedge=_(here.name), strategy=strategy
            )
        else:
            moves[s.name] = _("{wedge} -> {next_wedge}: {strategy}").format(
                wedge=_(here.name), next_wedge=_(SPECTRUM[wedge - 1].name), strategy=strategy
            )
    return moves


def _spectrum_regions(m: StakeholderMap, classes: Mapping[str, str]) -> tuple[Region, ...]:
    """One column a wedge, subtitled with the head count and power of the people in
    ``classes`` (the shown ones: the filtered-out are not counted), in the language in force."""
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
            _(c.name),
            ngettext(
                "{n} person, power {power}", "{n} people, power {power}", count[c.name]
            ).format(n=count[c.name], power=f"{power[c.name]:g}"),
        )
        for col, c in enumerate(reversed(SPECTRUM))
    )


INFLUENCE_ATTITUDE: tuple[LensClass, ...] = (
    LensClass(N_("Influential champions"), N_("Involve them: let them carry the message")),
    LensClass(
        N_("Influential blockers or undecided"),
        N_("Engage them early: answer the blockers' concerns, win the undecided first"),
    ),
    LensClass(N_("Fans"), N_("Keep them informed and use them as messengers")),
    LensClass(
        N_("Naysayers or undecided"),
        N_("Monitor them; answer objections and inform the undecided, without over-investing"),
    ),
)


def influence_attitude(m: StakeholderMap) -> dict[str, str]:
    """Influence/attitude grid: influence (power) up, attitude (stance) across, four classes.

    Influence is high when power is above 3 (a 3 is low). Attitude splits at support: a
    stance above 0 is on our side (Influential champions, Fans); everyone else is not yet,
    and that includes the Neutrals (0), so the two other classes say so in their names:
    "Influential blockers or undecided" and "Naysayers or undecided" (the grid's blockers and
    naysayers, docs/domain.md, with the undecided they share a side with). A Neutral
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
        s.name: INFLUENCE_ATTITUDE[index[is_high(s.power), stance_step(s) > 0]].name
        for s in m.stakeholders
    }


# The stance words of the legend, not "Against us, -1, Neutral, +1, With us": one kind of label.
_STANCE_AXIS_TICKS = tuple((v, STANCE_LABELS[v]) for v in range(-2, 3))
#: The power map's five power rows, No influence .. Decision-maker (docs/domain.md).
_POWER_MAP_TICKS = (
    (1, N_("No influence")),
    (2, N_("Little influence")),
    (3, N_("Some influence")),
    (4, N_("Strong influence")),
    (5, N_("Decision-maker")),
)
LENSES: dict[str, Lens] = {
    lens.name: lens
    for lens in (
        Lens(
            N_("Power/interest grid (Mendelow)"),
            MENDELOW,
            mendelow,
            lambda s, _c: (scale_cell(s.interest), scale_cell(s.power)),
            (1, 5),
            (1, 5),
            quadrants(MENDELOW, (1, 3), (4, 5)),
            Axis(N_("Interest"), SCALE_TICKS),
            Axis(N_("Power"), SCALE_TICKS),
        ),
        Lens(
            N_("Power map"),
            POWER_MAP,
            power_map,
            lambda s, _c: (stance_step(s), scale_cell(s.power)),
            (-2, 2),
            (1, 5),
            lambda _m, _c: (),
            Axis(N_("Support"), _STANCE_AXIS_TICKS),
            Axis(N_("Power"), _POWER_MAP_TICKS),
        ),
        Lens(
            N_("Salience model"),
            SALIENCE,
            salience,
            lambda _s, c: _SALIENCE_CELLS[c],
            (0, 2),
            (0, 2),
            _salience_regions,
            needs=("legitimacy", "urgency"),
            unrated=_NOT_RATED,
        ),
        Lens(
            N_("Engagement assessment matrix"),
            ENGAGEMENT,
            engagement,
            _engagement_cell,
            (0, 4),
            (_NO_TARGET_ROW, 4),
            _engagement_regions,
            Axis(N_("Current engagement (C)"), tuple(enumerate(ENGAGEMENT_LEVELS))),
            Axis(
                N_("Desired engagement (D)"),
                ((_NO_TARGET_ROW, N_("Not set")), *enumerate(ENGAGEMENT_LEVELS)),
            ),
            needs=("target_stance",),
            unrated=_NO_TARGET,
        ),
        Lens(
            N_("Spectrum of allies"),
            SPECTRUM,
            spectrum,
            lambda _s, c: (4 - [w.name for w in SPECTRUM].index(c), 0),
            (0, 4),
            (0, 0),
            _spectrum_regions,
        ),
        Lens(
            N_("Influence/attitude grid"),
            INFLUENCE_ATTITUDE,
            influence_attitude,
            lambda s, _c: (stance_step(s), scale_cell(s.power)),
            (-2, 2),
            (1, 5),
            quadrants(INFLUENCE_ATTITUDE, (-2, 0), (1, 2)),
            Axis(N_("Attitude (stance)"), _STANCE_AXIS_TICKS),
            Axis(N_("Influence (power)"), SCALE_TICKS),
        ),
    )
}
#: The lenses in the order the picker offers them.
LENS_NAMES: tuple[str, ...] = tuple(LENSES)
