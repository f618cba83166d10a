"""The stakeholder map: people, who influences whom, and the proposal being built.

Scales follow docs/domain.md: power, interest, legitimacy, urgency and effort on 1-5; stance on
the common five-point attitude scale from -2 (Blocker) to +2 (Champion). The decision rule's
thresholds are exact (docs/decision-rules.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields, replace
from fractions import Fraction
from operator import attrgetter

from stakemap.language import N_

__all__ = [
    "ABSTENTIONS",
    "DECISION_ROLES",
    "ENGAGEMENT_LEVELS",
    "OUTCOMES",
    "RELATIONSHIP_KINDS",
    "STANCE_COLOURS",
    "STANCE_LABELS",
    "Engagement",
    "FollowedPlan",
    "FollowedStep",
    "Proposal",
    "ProposalPart",
    "Relationship",
    "Stakeholder",
    "StakeholderMap",
    "Threshold",
    "engagement_label",
    "stance_label",
]


#: The stance words: identifiers (keys of colours and shapes, values stored and charted),
#: marked here and translated where shown (``gettext(label)``).
STANCE_LABELS: dict[int, str] = {
    -2: N_("Blocker"),
    -1: N_("Critic"),
    0: N_("Neutral"),
    1: N_("Supporter"),
    2: N_("Champion"),
}
#: Okabe-Ito colours ("Color Universal Design", 2008) by stance: oranges against, blues for.
STANCE_COLOURS: dict[str, str] = {
    "Blocker": "#D55E00",
    "Critic": "#E69F00",
    "Neutral": "#999999",
    "Supporter": "#56B4E9",
    "Champion": "#0072B2",
}
#: PMBOK engagement levels, identifiers like the stance words (translated where shown).
ENGAGEMENT_LEVELS: tuple[str, ...] = (
    N_("Unaware"),
    N_("Resistant"),
    N_("Neutral"),
    N_("Supportive"),
    N_("Leading"),
)
#: A formal ``veto`` binds while its holder opposes, however isolated; an ``informal veto`` (a
#: senior colleague whose no stops a team) gives way once isolated (docs/decision-rules.md).
DECISION_ROLES: tuple[str, ...] = (
    N_("decider"),
    N_("veto"),
    N_("informal veto"),
    N_("influencer"),
    N_("third party"),
)
#: How abstentions count under a share threshold: against (a share of all votes, the default)
#: or not at all (a share of the votes cast).
ABSTENTIONS: tuple[str, ...] = (N_("count against"), N_("not counted"))
RELATIONSHIP_KINDS: tuple[str, ...] = (
    N_("influences"),
    N_("defers to"),
    N_("reports to"),
    N_("ally"),
    N_("rival"),
)
#: Outcomes of a meeting (key -> words): won to the step's goal, agreed but passive (stance +1 on
#: the spectrum of allies: agrees, carries it to no one), not convinced (stance unchanged).
OUTCOMES: dict[str, str] = {
    "won": N_("Won"),
    "passive": N_("Agreed but passive"),
    "not convinced": N_("Not convinced"),
}
# "A defers to B" and "A reports to B" mean B influences A.
_REVERSED_KINDS = frozenset({"defers to", "reports to"})
# Allies and rivals sway each other: influence runs both ways.
_MUTUAL_KINDS = frozenset({"ally", "rival"})


def stance_label(stance: float) -> str:
    """The common-scale word for a stance in -2..+2 (e.g. ``1 -> "Supporter"``)."""
    return STANCE_LABELS[max(-2, min(2, round(stance)))]


def engagement_label(stance: float, unaware: bool = False) -> str:
    """PMBOK engagement level for a stance: Unaware, Resistant, Neutral, Supportive, Leading.

    >>> engagement_label(-2), engagement_label(1), engagement_label(0, unaware=True)
    ('Resistant', 'Supportive', 'Unaware')
    """
    if unaware:
        return "Unaware"
    return ENGAGEMENT_LEVELS[max(1, min(4, round(stance) + 2))]


@dataclass(frozen=True)
class Stakeholder:
    """One person or party; ``name`` is the key within a map."""

    name: str
    role: str = ""
    group: str = ""
    power: float = 3.0
    interest: float = 3.0
    stance: int = 0
    target_stance: int | None = None
    legitimacy: float | None = None
    urgency: float | None = None
    effort: float = 3.0
    goals: tuple[str, ...] = ()
    decision_role: str = ""
    notes: str = ""
    unaware: bool = False
    votes: float | None = None
    custom: dict[str, str] = field(default_factory=dict)

    @property
    def stance_label(self) -> str:
        return stance_label(self.stance)

    @property
    def engagement(self) -> str:
        return engagement_label(self.stance, self.unaware)


@dataclass(frozen=True)
class Relationship:
    """``source`` influences ``target`` as written in the sheet's From/To and Kind.

    ``strength`` is -5..5; negative means the source's visible support pushes the target away.
    """

    source: str
    target: str
    strength: float = 3.0
    kind: str = "influences"
    notes: str = ""

    def influence_edges(self) -> Iterator[tuple[str, str, float]]:
        """(influencer, influenced, strength) pairs this tie implies.

        >>> list(Relationship("Ana", "Ben", 2, "defers to").influence_edges())
        [('Ben', 'Ana', 2)]
        """
        if self.kind in _REVERSED_KINDS:
            yield self.target, self.source, self.strength
        else:
            yield self.source, self.target, self.strength
            if self.kind in _MUTUAL_KINDS:
                yield self.target, self.source, self.strength


@dataclass(frozen=True)
class ProposalPart:
    """A part of the proposal someone can own; ``tags`` are matched against goals."""

    name: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Threshold:
    """A line that those in favour must reach (or, as a quorum, those taking part).

    ``amount`` is exact text: a share as a fraction (``"2/3"``, ``"11/20"``, ``"1/1"``) or a
    count (``"15"``, ``"2.5"``); ``counts`` says what it counts: ``"votes"`` (the Votes column),
    ``"members"`` (one each) or the name of a numeric Stakeholders column (``"Population"``).

    >>> Threshold("2/3").share, Threshold("15", "members").count
    (Fraction(2, 3), Fraction(15, 1))
    """

    amount: str
    counts: str = "votes"

    @property
    def is_share(self) -> bool:
        return "/" in self.amount

    @property
    def share(self) -> Fraction | None:
        return Fraction(self.amount) if self.is_share else None

    @property
    def count(self) -> Fraction | None:
        return None if self.is_share else Fraction(self.amount)


@dataclass(frozen=True)
class Proposal:
    """What is proposed and how it is decided.

    The rule is ``thresholds`` when any are given, all of which must hold; otherwise
    ``decision_rule`` with ``pass_share`` (a single threshold on votes). ``quorum`` counts those
    taking part; ``abstentions`` is one of :data:`ABSTENTIONS` ("" is the default, count
    against); ``blocking_minority`` deems the thresholds met unless those not in favour reach
    it; ``rough`` names the Votes or weight columns whose numbers are estimates.
    """

    title: str = ""
    champion: str = ""
    pass_share: float = 0.5
    parts: tuple[ProposalPart, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)
    decision_rule: str = ""
    thresholds: tuple[Threshold, ...] = ()
    quorum: Threshold | None = None
    abstentions: str = ""
    blocking_minority: Threshold | None = None
    rough: tuple[str, ...] = ()


@dataclass(frozen=True)
class Engagement:
    """One entry of a person's engagement log: a meeting's outcome (a key of :data:`OUTCOMES`)
    on ``date`` (ISO, YYYY-MM-DD), their stance before and after, the followed plan's step
    number (None: met outside the plan) and a free-text note."""

    name: str
    date: str
    outcome: str
    stance_before: int
    stance_after: int
    step: int | None = None
    note: str = ""

    @property
    def outcome_label(self) -> str:
        return OUTCOMES.get(self.outcome, self.outcome)


@dataclass(frozen=True)
class FollowedStep:
    """A step of the plan the user follows, as planned: its number is kept for good."""

    order: int
    name: str
    phase: str
    messengers: tuple[str, ...] = ()
    ask: str | None = None
    goal: int | None = None


@dataclass(frozen=True)
class FollowedPlan:
    """The plan of record: the steps as planned at map version ``version`` (on ``date``), the
    pass share it aimed at, and everyone's stance then (to tell what moved since)."""

    version: int
    date: str
    pass_share: float
    steps: tuple[FollowedStep, ...]
    stances: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class StakeholderMap:
    """Everything a workbook holds, plus network positions saved with the map."""

    stakeholders: tuple[Stakeholder, ...] = ()
    relationships: tuple[Relationship, ...] = ()
    proposal: Proposal = field(default_factory=Proposal)
    custom_columns: tuple[str, ...] = ()
    positions: dict[str, tuple[float, float]] = field(default_factory=dict)
    engagements: tuple[Engagement, ...] = ()
    followed: FollowedPlan | None = None

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stakeholders]

    def get(self, name: str) -> Stakeholder | None:
        return next((s for s in self.stakeholders if s.name == name), None)

    def influence_edges(self) -> Iterator[tuple[str, str, float]]:
        """All (influencer, influenced, strength) pairs of the map's relationships."""
        for rel in self.relationships:
            yield from rel.influence_edges()

    def with_stakeholder(self, name: str, /, **changes: object) -> StakeholderMap:
        """A copy with one person's fields changed; a new name is carried into relationships,
        the proposal's champion and the stored positions."""
        people = tuple(replace(s, **changes) if s.name == name else s for s in self.stakeholders)
        new_name = changes.get("name", name)
        if new_name == name:
            return replace(self, stakeholders=people)
        return replace(self, stakeholders=people).renamed(name, str(new_name))

    def renamed(self, old: str, new: str) -> StakeholderMap:
        """A copy where references to ``old`` (ties, champion, positions, engagement log and the
        followed plan) say ``new``."""

        def swap(value: str) -> str:
            return new if value == old else value

        rels = tuple(
            replace(r, source=swap(r.source), target=swap(r.target)) for r in self.relationships
        )
        positions = {swap(k): v for k, v in self.positions.items()}
        proposal = replace(self.proposal, champion=swap(self.proposal.champion))
        log = tuple(replace(e, name=swap(e.name)) for e in self.engagements)
        followed = self.followed
        if followed is not None:
            steps = tuple(
                replace(s, name=swap(s.name), messengers=tuple(map(swap, s.messengers)))
                for s in followed.steps
            )
            stances = {swap(k): v for k, v in followed.stances.items()}
            followed = replace(followed, steps=steps, stances=stances)
        return replace(
            self,
            relationships=rels,
            positions=positions,
            proposal=proposal,
            engagements=log,
            followed=followed,
        )

    def log_of(self, name: str) -> list[Engagement]:
        """``name``'s engagement log, oldest first."""
        return [e for e in self.engagements if e.name == name]

    def to_dict(self) -> dict:
        """A JSON-ready dict; :meth:`from_dict` reverses it exactly."""
        data = asdict(self)
        data["positions"] = {k: list(v) for k, v in self.positions.items()}
        if not self.engagements:  # stored maps stay as they were until someone is met
            del data["engagements"]
        if self.followed is None:
            del data["followed"]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> StakeholderMap:
        people = tuple(
            Stakeholder(**{**s, "goals": tuple(s.get("goals", ()))})
            for s in data.get("stakeholders", ())
        )
        rels = tuple(Relationship(**r) for r in data.get("relationships", ()))
        return cls(
            stakeholders=people,
            relationships=rels,
            proposal=_proposal(data.get("proposal") or {}),
            custom_columns=tuple(data.get("custom_columns", ())),
            positions={k: (v[0], v[1]) for k, v in (data.get("positions") or {}).items()},
            engagements=tuple(Engagement(**e) for e in data.get("engagements") or ()),
            followed=_followed(data.get("followed")),
        )


def _proposal(data: dict) -> Proposal:
    """The proposal of a stored dict (maps stored before thresholds have none)."""
    prop = dict(data)
    parts = tuple(ProposalPart(p["name"], tuple(p.get("tags", ()))) for p in prop.pop("parts", ()))
    lines = tuple(Threshold(**t) for t in prop.pop("thresholds", None) or ())
    quorum, blocking = (prop.pop(k, None) for k in ("quorum", "blocking_minority"))
    rough = tuple(prop.pop("rough", None) or ())
    return Proposal(
        **prop,
        parts=parts,
        thresholds=lines,
        quorum=Threshold(**quorum) if quorum else None,
        blocking_minority=Threshold(**blocking) if blocking else None,
        rough=rough,
    )


def _followed(data: dict | None) -> FollowedPlan | None:
    """The followed plan of a stored dict (None: maps stored before plans were followed)."""
    if not data:
        return None
    steps = tuple(
        FollowedStep(**{**s, "messengers": tuple(s.get("messengers", ()))})
        for s in data.get("steps", ())
    )
    return FollowedPlan(**{**data, "steps": steps, "stances": dict(data.get("stances") or {})})


def _all_but_notes(kind: type) -> attrgetter:
    """A getter of every field of the dataclass ``kind`` but its notes, as one tuple."""
    return attrgetter(*(f.name for f in fields(kind) if f.name != "notes"))


_PERSON, _TIE = _all_but_notes(Stakeholder), _all_but_notes(Relationship)


def basis(m: StakeholderMap) -> str:
    """A digest of ``m`` without its people's and ties' notes and its stored positions: what
    the planner reads of a map. What was worked out for one version then serves the next when
    an edit changed only notes or where people are drawn (docs/speed.md, rule 6).

    >>> m = StakeholderMap((Stakeholder("Ana", notes="met in May"),))
    >>> noted = replace(m, stakeholders=(Stakeholder("Ana", notes="met again"),))
    >>> basis(m) == basis(noted) == basis(replace(m, positions={"Ana": (1.0, 2.0)}))
    True
    >>> basis(m) == basis(replace(m, stakeholders=(Stakeholder("Ana", power=4),)))
    False
    >>> basis(m) == basis(replace(m, proposal=Proposal(pass_share=0.6)))
    False
    """
    digest = _people_digest(m)
    digest.update(repr((m.proposal, m.custom_columns, m.engagements, m.followed)).encode())
    return digest.hexdigest()


def people_basis(m: StakeholderMap) -> str:
    """:func:`basis` of ``m``'s people and ties alone: what a lens and the network's measures
    read (no lens and no measure shows, sorts or classifies by a note or the proposal), so two
    maps with one people basis have the same views, layouts and measures.

    >>> m = StakeholderMap((Stakeholder("Ana"),))
    >>> people_basis(m) == people_basis(replace(m, proposal=Proposal(pass_share=0.6)))
    True
    """
    return _people_digest(m).hexdigest()


def _people_digest(m: StakeholderMap) -> hashlib.blake2b:
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr([_PERSON(s) for s in m.stakeholders]).encode())
    digest.update(repr([_TIE(r) for r in m.relationships]).encode())
    return digest
