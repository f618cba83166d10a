"""Who decides and by what rule, counted exactly: the body, its thresholds, the quorum,
abstentions and the two kinds of veto (docs/decision-rules.md).

The decision body is the people with votes: each decider and veto holder has one unless a
``Votes`` column says otherwise; third parties, influencers and the champion (unless she votes)
never count. A map with no decider is a team deciding together: everyone not marked a third
party, weighted by power on the sheet's own scale (2, 7 and 8 on a 1-10 sheet stay 2:7:8).

A proposal passes when every threshold holds, the quorum takes part and no veto blocks.
Thresholds count a *measure* of the body (its votes, its members, or a numeric column such as
Population) and are compared exactly: weights are scaled to whole numbers once, so no sum is a
float. A share of exactly one half means more than half (5 of 10 is not a majority); any other
share means at least that share (2/3 of 9 is 6, of 10 is 7); a count means at least that many.
With abstentions counted against (the default) a share is of the whole body; not counted, it is
of the votes cast, and a member who is neither for nor against abstains
(:mod:`stakemap.planning.opinion`). A quorum counts those taking part: everyone when abstentions
count against, those voting for or against otherwise. A blocking minority deems the thresholds
met unless those not in favour reach it (the EU Council's "at least four members").

A formal ``veto`` blocks while its holder is against, or, with abstentions counted against, not
for; isolation never lifts it. An ``informal veto`` blocks the same way until its holder is
isolated: the rule holds and every member of the body he listens to is for (the bandwagon close
of Sebenius 2004). A holder who listens to no one in the body cannot be isolated.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import cached_property, lru_cache

import numpy as np

from stakemap.language import gettext as _
from stakemap.model import StakeholderMap, Threshold
from stakemap.planning.opinion import against, supports
from stakemap.planning.phrases import describe, join_and, sentences, unit_noun
from stakemap.planning.thresholds import HALF, thresholds
from stakemap.values import amount_text, exact_number, measure_key, number_text

__all__ = [
    "Count",
    "Line",
    "Measure",
    "Rule",
    "Tally",
    "Veto",
    "VetoState",
    "join_and",
    "rule_of",
    "sentences",
    "unit_noun",
    "user_power",
]

#: Power scales a sheet may be written in and the inverse of the importer's rescaling to 1-5,
#: rounded to the scale's own precision.
_SCALES = {"1-10": (1.0, 10.0, 1), "0-100%": (0.0, 100.0, 0), "0-1": (0.0, 1.0, 2)}
_VETOES = {"veto": "formal", "informal veto": "informal"}
_ZERO, _ONE = Fraction(0), Fraction(1)


def user_power(power: float, scale: str) -> float:
    """A 1-5 power back on the scale the sheet was written in (``Power scale`` of the proposal),
    so shares keep the user's ratios: 2, 7 and 8 on a 1-10 sheet stay 2:7:8.

    >>> [user_power(p, "1-10") for p in (1.44, 3.67, 4.11)], user_power(3, "1-5")
    ([2.0, 7.0, 8.0], 3.0)
    """
    if scale not in _SCALES:
        return float(power)
    low, high, digits = _SCALES[scale]
    return round(low + (float(power) - 1.0) * (high - low) / 4.0, digits)


@dataclass(frozen=True, eq=False)
class Measure:
    """One way of counting the body: ``weight[i]`` is person i's weight (0 outside the body).

    ``key`` is what the rule names it by (``votes``, ``members`` or a column), ``unit`` how a
    count of it reads (``votes``, ``power``, ``members``, or the column's name). Weights are
    kept as whole numbers ``ints`` over one ``denominator``, so every sum is exact.
    """

    key: str
    unit: str
    weight: tuple[Fraction, ...]

    @cached_property
    def denominator(self) -> int:
        return math.lcm(*(w.denominator for w in self.weight)) if self.weight else 1

    @cached_property
    def ints(self) -> np.ndarray:
        den = self.denominator  # w * den exactly, in whole numbers
        values = [w.numerator * (den // w.denominator) for w in self.weight]
        big = sum(abs(v) for v in values) >= 2**62
        return np.array(values, dtype=object if big else np.int64)

    @cached_property
    def units(self) -> np.ndarray:
        """Each weight in the measure's own units, as a float (the greedy's worth, each step).

        >>> Measure("votes", "votes", (Fraction(1, 2), Fraction(3))).units.tolist()
        [0.5, 3.0]
        """
        return np.asarray(self.ints, dtype=float) / self.denominator

    @cached_property
    def total(self) -> int:
        return int(self.ints.sum())

    @property
    def integral(self) -> bool:
        """Whether every weight is a whole number (counts then name whole numbers)."""
        return self.denominator == 1

    def sum(self, mask: np.ndarray) -> int:
        """The scaled weight of the people in ``mask`` (a boolean array), exact: a product of
        whole numbers, without gathering the weights first.

        >>> Measure("votes", "votes", (Fraction(1, 2), Fraction(3))).sum(np.array([True, True]))
        7
        """
        return int(self.ints.dot(mask))

    def value(self, scaled: int) -> Fraction:
        """A scaled sum back in the measure's own units."""
        return Fraction(scaled, self.denominator)


@dataclass(frozen=True, eq=False)
class Line:
    """A threshold compiled on its measure: a share (``amount`` in (0, 1]) or a count."""

    measure: Measure
    amount: Fraction
    is_share: bool

    @property
    def strict(self) -> bool:
        """A share of exactly one half means more than half."""
        return self.is_share and self.amount == HALF

    def need(self, base: int) -> int:
        """The least scaled weight that holds, a share being of ``base`` (scaled); at least 1.

        >>> votes = Measure("votes", "votes", (Fraction(1),) * 10)
        >>> Line(votes, HALF, True).need(10), Line(votes, Fraction(2, 3), True).need(9)
        (6, 6)
        """
        if not self.is_share:
            return max(1, math.ceil(self.amount * self.measure.denominator))
        a, b = self.amount.numerator, self.amount.denominator
        need = a * base // b + 1 if self.strict else -(-a * base // b)
        return max(1, need)

    def text(self, cast: bool = False) -> str:
        """The threshold in words: 'more than half of the votes', 'at least 15 members'."""
        unit = unit_noun(self.measure.unit)
        if not self.is_share:
            return _("at least {n} {unit}").format(n=number_text(self.amount), unit=unit)
        unit = _("{unit} cast").format(unit=unit) if cast else unit
        if self.strict:
            return _("more than half of the {unit}").format(unit=unit)
        if self.amount == 1:
            return _("all of the {unit}").format(unit=unit)
        return _("at least {share} of the {unit}").format(share=amount_text(self.amount), unit=unit)


@dataclass(frozen=True)
class Veto:
    """A veto holder: ``kind`` is ``formal`` or ``informal``; ``listeners`` the members of the
    body he listens to (positive net ties into him), whose backing isolates an informal veto."""

    index: int
    kind: str
    listeners: tuple[int, ...] = ()


@dataclass(frozen=True)
class Count:
    """A threshold (or the quorum, or the blocking minority) counted on some opinions:
    ``value`` is the weight in favour (taking part; not in favour), ``base`` what a share is of,
    ``needed`` the least weight that holds, all exact in the measure's units."""

    line: Line
    value: Fraction
    base: Fraction
    needed: Fraction
    holds: bool

    @property
    def spare(self) -> Fraction:
        """How far above the line: the weight that could be lost before it fails, less one
        step where the measure counts whole votes (6 for, 6 needed: 0 to spare)."""
        return self.value - self.needed


@dataclass(frozen=True)
class VetoState:
    """A veto on some opinions: ``clear`` (he is for, or, abstentions not counted, not
    against), ``isolated`` (informal only) and whether he ``blocks``; ``missing`` lists the
    members he listens to who are not for yet."""

    veto: Veto
    opinion: float
    clear: bool
    isolated: bool
    blocks: bool
    missing: tuple[int, ...]


@dataclass(frozen=True)
class Tally:
    """The rule counted on predicted opinions: who is for and against, each threshold, the
    quorum, the blocking minority and the vetoes."""

    yes: np.ndarray
    no: np.ndarray
    counts: tuple[Count, ...]
    quorum: Count | None
    blocking: Count | None
    vetoes: tuple[VetoState, ...]

    @property
    def deemed(self) -> bool:
        """Thresholds deemed met: those not in favour do not reach the blocking minority."""
        return self.blocking is not None and not self.blocking.holds

    @property
    def lines_hold(self) -> bool:
        return all(c.holds for c in self.counts) or self.deemed

    @property
    def rule_holds(self) -> bool:
        """Thresholds and quorum, vetoes aside."""
        return self.lines_hold and (self.quorum is None or self.quorum.holds)

    @property
    def ready(self) -> bool:
        return self.rule_holds and not any(v.blocks for v in self.vetoes)

    @property
    def tightest(self) -> Count | None:
        """The threshold closest to failing: the least to spare relative to what it needs."""
        if not self.counts:
            return None
        return min(self.counts, key=lambda c: (c.holds, c.spare / max(c.needed, Fraction(1))))


@dataclass(frozen=True, eq=False)
class Rule:
    """The decision rule of a map, compiled for counting (:func:`rule_of`)."""

    names: tuple[str, ...]
    member: np.ndarray
    measures: Mapping[str, Measure]
    lines: tuple[Line, ...]
    quorum: Line | None
    blocking: Line | None
    abstentions: str
    vetoes: tuple[Veto, ...]
    fallback: bool
    notes: tuple[str, ...] = ()
    _veto_of: dict[int, Veto] = field(default_factory=dict, repr=False)

    @property
    def counted(self) -> bool:
        """Whether abstentions count against (shares of the whole body)."""
        return self.abstentions != "not counted"

    @property
    def votes(self) -> Measure:
        return self.measures["votes"]

    def veto_of(self, i: int) -> Veto | None:
        return self._veto_of.get(i)

    def with_weights(self, changed: Mapping[str, tuple[Fraction, ...]]) -> Rule:
        """The same rule with some measures' weights replaced (``changed``: measure key ->
        weights), as on a nearby map; membership stays as it is."""
        measures = dict(self.measures)
        for key, weight in changed.items():
            old = measures[key]
            measures[key] = Measure(old.key, old.unit, tuple(weight))

        def moved(line: Line | None) -> Line | None:
            if line is None:
                return None
            return Line(measures[line.measure.key], line.amount, line.is_share)

        return replace(
            self,
            measures=measures,
            lines=tuple(moved(line) for line in self.lines),
            quorum=moved(self.quorum),
            blocking=moved(self.blocking),
        )

    def tally(self, x: np.ndarray) -> Tally:
        """The rule on predicted opinions ``x`` (one per person, on the stance scale).

        >>> from stakemap.model import Stakeholder
        >>> people = tuple(Stakeholder(n, decision_role="decider") for n in "ABCD")
        >>> rule = rule_of(StakeholderMap(people))  # pass share 50%: more than half
        >>> rule.tally(np.array([1.0, 1.0, -1.0, 0.0])).ready
        False
        >>> rule.tally(np.array([1.0, 1.0, 1.0, 0.0])).counts[0].needed
        Fraction(3, 1)
        """
        x = np.asarray(x, dtype=float)
        yes = supports(x) & self.member
        no = against(x) & self.member
        cast = yes | no if not self.counted else self.member
        counts = tuple(self._count(line, yes, cast) for line in self.lines)
        quorum = None if self.quorum is None else self._count(self.quorum, cast, self.member)
        blocking = None
        if self.blocking is not None:
            opposed = (self.member & ~yes) if self.counted else no
            blocking = self._count(self.blocking, opposed, self.member)
        lines_ok = all(c.holds for c in counts) or (blocking is not None and not blocking.holds)
        rule_ok = lines_ok and (quorum is None or quorum.holds)
        vetoes = tuple(self._veto_state(v, x, yes, no, rule_ok) for v in self.vetoes)
        return Tally(yes, no, counts, quorum, blocking, vetoes)

    def _count(self, line: Line, counted: np.ndarray, base_mask: np.ndarray) -> Count:
        measure = line.measure
        value = measure.sum(counted)
        if base_mask is self.member:
            base, need, needed = self._on_body[line]
        else:
            scaled = measure.sum(base_mask)
            need = line.need(scaled)
            base, needed = measure.value(scaled), measure.value(need)
        return Count(line, measure.value(value), base, needed, value >= need)

    @cached_property
    def _on_body(self) -> dict[Line, tuple[Fraction, int, Fraction]]:
        """Each line's count with the whole body as its base (a share's when abstentions count
        against; always the quorum's and the blocking minority's), the same on every tally:
        that base, the scaled weight needed, and that weight in the measure's units."""
        out = {}
        for line in (*self.lines, self.quorum, self.blocking):
            if line is not None:
                scaled = line.measure.sum(self.member)
                need = line.need(scaled)
                out[line] = (line.measure.value(scaled), need, line.measure.value(need))
        return out

    def _veto_state(self, v: Veto, x, yes, no, rule_ok: bool) -> VetoState:
        i = v.index
        clear = bool(supports(x[i])) if self.counted else not bool(against(x[i]))
        missing = tuple(u for u in v.listeners if not yes[u])
        isolated = (
            v.kind == "informal" and not clear and rule_ok and bool(v.listeners) and not missing
        )
        return VetoState(v, float(x[i]), clear, isolated, not clear and not isolated, missing)

    def passes(self, yes: np.ndarray) -> np.ndarray:
        """Whether each row of ``yes`` (coalitions, one column a person) passes when every
        member votes, for or against: the simple game behind :mod:`stakemap.planning.pivotal`.
        """
        yes = np.asarray(yes, dtype=bool) & self.member
        ok = np.ones(len(yes), dtype=bool)
        for line in self.lines:
            measure = line.measure
            ok &= _sums(measure, yes) >= line.need(measure.total)
        if self.blocking is not None:
            measure = self.blocking.measure
            opposed = _sums(measure, ~yes & self.member)
            ok |= opposed < self.blocking.need(measure.total)
        if self.quorum is not None:
            ok &= self.quorum.measure.total >= self.quorum.need(self.quorum.measure.total)
        for v in self.vetoes:
            clear = yes[:, v.index]
            if v.kind == "informal" and v.listeners:
                clear = clear | (ok & yes[:, list(v.listeners)].all(axis=1))
            ok = ok & clear
        return ok

    def describe(self) -> str:
        """Who decides and by what rule, in one or two plain sentences, with counts."""
        return describe(self)

    def line_words(self, line: Line, quorum: bool = False) -> str:
        """A threshold in words, with its count where it is a share of whole votes."""
        cast = not self.counted and line.is_share and not quorum
        text = line.text(cast)
        measure = line.measure
        if line.is_share and measure.integral and (self.counted or quorum):
            need = measure.value(line.need(measure.total))
            total = measure.value(measure.total)
            text = _("{line} ({needed} of {total})").format(
                line=text, needed=number_text(need), total=number_text(total)
            )
        return text


def _sums(measure: Measure, rows: np.ndarray) -> np.ndarray:
    if measure.ints.dtype == object:
        return np.array([sum(measure.ints[r].tolist()) for r in rows], dtype=object)
    return rows.astype(np.int64) @ measure.ints


def rule_of(m: StakeholderMap, pass_share: float | Fraction | None = None) -> Rule:
    """The decision rule of ``m`` (see the module docstring); ``pass_share`` replaces the share
    of the first threshold on votes (the Plan page's what-if).

    >>> from stakemap.model import Proposal, Stakeholder
    >>> people = [Stakeholder("A", decision_role="decider"), Stakeholder("B", votes=2),
    ...           Stakeholder("C", decision_role="third party", power=5), Stakeholder("D")]
    >>> rule = rule_of(StakeholderMap(tuple(people), proposal=Proposal(pass_share=0.6)))
    >>> rule.votes.weight[:3], rule.fallback, rule.lines[0].need(rule.votes.total)
    ((Fraction(1, 1), Fraction(2, 1), Fraction(0, 1)), False, 2)
    """
    people = m.stakeholders
    proposal = m.proposal
    deciders = any(
        s.decision_role == "decider" or ((s.votes or 0) > 0 and s.decision_role not in _VETOES)
        for s in people
    )
    if deciders:
        weight = [_default_votes(s.votes, s.decision_role) for s in people]
    else:
        scale = proposal.extra.get("Power scale", "1-5")
        weight = [
            Fraction(0) if s.decision_role == "third party" else _exact(user_power(s.power, scale))
            for s in people
        ]
    weight = [w if w.numerator > 0 else _ZERO for w in weight]  # max(0, w), quicker
    member = np.array([w.numerator > 0 for w in weight], dtype=bool)
    notes: list[str] = []
    measures = {
        "votes": Measure("votes", "votes" if deciders else "power", tuple(weight)),
        "members": Measure("members", "members", tuple(_ONE if b else _ZERO for b in member)),
    }
    lines = thresholds(proposal, pass_share)
    wanted = [t.counts for t in lines]
    wanted += [t.counts for t in (proposal.quorum, proposal.blocking_minority) if t is not None]
    for key in wanted:
        if _resolved(m, key) not in measures:
            measures[_resolved(m, key)] = _column(m, key, member, notes)

    def line(t: Threshold) -> Line:
        return Line(measures[_resolved(m, t.counts)], Fraction(t.amount), t.is_share)

    index = {s.name: i for i, s in enumerate(people)}
    holders = {s.name for s in people if s.decision_role in _VETOES}
    listens = _listeners(m, index, member, holders)
    vetoes = tuple(
        Veto(i, _VETOES[s.decision_role], listens.get(i, ()))
        for i, s in enumerate(people)
        if s.decision_role in _VETOES
    )
    return Rule(
        names=tuple(s.name for s in people),
        member=member,
        measures=measures,
        lines=tuple(line(t) for t in lines),
        quorum=None if proposal.quorum is None else line(proposal.quorum),
        blocking=None if proposal.blocking_minority is None else line(proposal.blocking_minority),
        abstentions=proposal.abstentions or "count against",
        vetoes=vetoes,
        fallback=not deciders,
        notes=tuple(notes),
        _veto_of={v.index: v for v in vetoes},
    )


def _default_votes(votes: float | None, role: str) -> Fraction:
    """A person's votes: as written, else one for a decider or veto holder."""
    if votes is not None:
        return _exact(votes)
    return _ONE if role == "decider" or role in _VETOES else _ZERO


@lru_cache(maxsize=4096)  # a map repeats a few powers and votes over thousands of people
def _exact(x: float | int) -> Fraction:
    return Fraction(repr(float(x)))


def _resolved(m: StakeholderMap, counts: str) -> str:
    """The measure a threshold counts: votes, members, or a column in the map's spelling."""
    key = measure_key(counts)
    if key in ("votes", "members"):
        return key
    return next((c for c in m.custom_columns if c.casefold() == key.casefold()), key)


def _column(m: StakeholderMap, key: str, member: np.ndarray, notes: list[str]) -> Measure:
    """A numeric Stakeholders column as a measure of the body; a member whose cell is blank or
    not a number counts 0, and a note says so."""
    column = next((c for c in m.custom_columns if c.casefold() == key.casefold()), None)
    weight = []
    blank = []
    for s, inside in zip(m.stakeholders, member, strict=True):
        parsed = exact_number(s.custom.get(column, "")) if column else None
        value = parsed[0] if parsed is not None and parsed[0] >= 0 else None
        if inside and value is None:
            blank.append(s.name)
        weight.append(value if inside and value is not None else Fraction(0))
    if column is None:
        notes.append(
            _("No Stakeholders column is called {key}: it counts 0 for everyone.").format(key=key)
        )
    elif blank:
        notes.append(
            _("{column} is blank or not a number for {names}: counted as 0.").format(
                column=column, names=join_and(blank)
            )
        )
    return Measure(column or key, column or key, tuple(weight))


def _listeners(
    m: StakeholderMap, index: dict[str, int], member, holders: set[str]
) -> dict[int, tuple[int, ...]]:
    """For each of ``holders`` (the vetoes' names), the members of the body with a positive net
    tie into them."""
    net: dict[tuple[int, int], float] = {}
    near = (r for r in m.relationships if r.source in holders or r.target in holders)
    for src, dst, strength in (e for r in near for e in r.influence_edges()):
        if dst in holders and src in index and src != dst:
            pair = (index[src], index[dst])
            net[pair] = net.get(pair, 0.0) + float(strength)
    heard: dict[int, list[int]] = {}
    for (u, v), w in sorted(net.items()):
        if w > 0 and member[u]:
            heard.setdefault(v, []).append(u)
    return {v: tuple(us) for v, us in heard.items()}
