"""What a plan is: its steps, its close, the rule checked before and after, and its routes.

Frozen records, built by :mod:`stakemap.planning.planner`, worded by
:mod:`stakemap.planning.words` and written out by :mod:`stakemap.planning.report`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

__all__ = [
    "WON_STANCE",
    "Close",
    "Plan",
    "Route",
    "RuleCheck",
    "Step",
    "ThresholdCheck",
    "Unlock",
    "VetoCheck",
]

#: Stance recorded for a person once their step is done: an active ally (spectrum of allies).
WON_STANCE = 2


@dataclass(frozen=True)
class Step:
    """One step of a plan; ``new_stance`` is what ticking it done records (None for the close).

    ``wins`` are the people who become for with this step (the person met first, then anyone
    it carries over); ``details`` holds the numbers behind ``reason``; ``standing`` counts those
    for it after the step ("13 of 23 power points").
    """

    order: int
    name: str
    phase: str
    messengers: tuple[str, ...]
    ask: str | None
    reason: str
    support_share_after: float
    active_share_after: float
    effort: float
    new_stance: int | None = WON_STANCE
    wins: tuple[str, ...] = ()
    details: str = ""
    standing: str = ""


@dataclass(frozen=True)
class ThresholdCheck:
    """One threshold (or the quorum) before any step and after the plan: ``share`` or
    ``count`` as the rule says it, ``needed`` after the plan, and the weight for (or, for the
    quorum, taking part) before and after, all exact in the units of what it ``counts``."""

    counts: str
    unit: str
    share: Fraction | None
    count: Fraction | None
    strict: bool
    needed: Fraction
    total: Fraction
    for_before: Fraction
    for_after: Fraction
    holds: bool


@dataclass(frozen=True)
class RuleCheck:
    """The rule at the close: every threshold, the quorum, how abstentions count, and the
    blocking minority (the weight not in favour, and whether it reaches the minority)."""

    thresholds: tuple[ThresholdCheck, ...]
    quorum: ThresholdCheck | None
    abstentions: str
    blocking: ThresholdCheck | None = None


@dataclass(frozen=True)
class VetoCheck:
    """A veto holder at the close: ``kind`` formal or informal, the predicted stance (on the
    scale), whether he is isolated (informal only) and whether he blocks."""

    name: str
    kind: str
    stance_after: float
    isolated: bool
    blocks: bool


@dataclass(frozen=True)
class Close:
    """Whether the group meeting can go ahead, and why.

    ``margin`` is the weight to spare on the tightest threshold (in its units, named by
    ``tightest``); ``sinks`` the people whose loss alone would make it fail; ``confidence`` the
    share of nearby maps on which the plan still closes (None: not measured)."""

    ready: bool
    support_share: float
    isolated: tuple[str, ...]
    opposed: tuple[str, ...]
    reason: str
    confidence: float | None = None
    margin: Fraction | None = None
    tightest: str = ""
    sinks: tuple[str, ...] = ()
    vetoes: tuple[VetoCheck, ...] = ()


@dataclass(frozen=True)
class Unlock:
    """A smallest change that makes a plan exist, checked by solving again: ``kind`` is
    ``tie``, ``goal``, ``share`` or ``stance``; ``text`` says it in words; ``change`` holds what
    to apply (:func:`stakemap.planning.unlock.apply`); ``effort`` is the plan's once applied."""

    kind: str
    text: str
    change: tuple
    effort: float


@dataclass(frozen=True)
class Route:
    """Another ready order of meetings: its people in order, effort, confidence (None: not
    measured) and why it is not the plan (``""`` for routes as good as the plan)."""

    names: tuple[str, ...]
    effort: float
    confidence: float | None
    why_not: str = ""


@dataclass(frozen=True)
class Plan:
    """A coalition-building sequence; ``effort`` sums the one-to-one steps' efforts.

    Shares are of the first threshold's measure (the votes, or power for a team deciding
    together): those for (predicted at the support line or above) and carriers (met and for,
    the champion, and anyone typed Champion). ``digits`` is how many decimals every printed
    share takes. ``body`` says who decides and by what rule, ``rule`` checks it at the close;
    ``routes`` are other ready orders within :data:`stakemap.planning.planner.ROUTE_SLACK` of
    the plan's effort, ``cheaper`` plans found that cost less but were not chosen, with why.
    """

    title: str
    champion: str
    pass_share: float
    support_share_before: float
    active_share_before: float
    steps: tuple[Step, ...]
    close: Close
    not_approached: tuple[str, ...]
    effort: float
    method: str
    digits: int = 0
    body: str = ""
    advice: tuple[str, ...] = ()
    counted: str = "power"
    optimal: bool = False
    gap: float | None = None
    proven_none: bool = False
    unlock: tuple[Unlock, ...] = ()
    rule: RuleCheck | None = None
    routes: tuple[Route, ...] = ()
    cheaper: tuple[Route, ...] = ()
    searched: float = 0.0
    method_text: str = ""
    verdict: str = ""
