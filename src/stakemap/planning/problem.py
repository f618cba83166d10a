"""The planning problem of a map: its model, its rule, who may be met and the sequencing rules.

Both searches (:mod:`stakemap.planning.greedy`, :mod:`stakemap.planning.exact`) and every check
of a plan start from one :class:`Problem`. The sequencing rules it holds are those of
docs/coalitions.md ("Whom to approach first"): meet people after those they defer to (R3),
sympathetic peers before those who listen to them (R4), no early warning to a powerful active
opponent (R5), and a champion whose push repels someone stays out where a messenger can go (R6,
in :func:`stakemap.planning.influence.meeting_push`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

import numpy as np

from stakemap.language import gettext as _
from stakemap.language import pgettext
from stakemap.model import StakeholderMap
from stakemap.planning.influence import Move, Network, Play, network
from stakemap.planning.opinion import supports
from stakemap.planning.rule import Rule, Tally, rule_of

__all__ = ["POWERFUL", "Problem", "Replay", "problem"]

#: Power from which an active opponent (stance -2) waits until most of those they listen to
#: carry the idea (R5, no early warning).
POWERFUL = 4.0
_EPS = 1e-9


@dataclass(frozen=True)
class Replay:
    """An order of meetings played through the model once (:meth:`Problem.replay`): its
    moves, whether it is a plan (eligible people, each met once, and the proposal ready after
    it) and the sequencing rules it breaks, in words."""

    moves: tuple[Move, ...]
    ready: bool
    broken: tuple[str, ...]


@dataclass
class Problem:
    """What a plan is computed from: the map, its network, its rule and who may be met.

    ``eligible[k]``: ``k`` may be met (not the champion, not excluded, not kept where they are
    by a target stance at or below Neutral); ``defers[k]`` the people ``k`` defers to or
    reports to (R3) and ``verbs`` the kind of each such tie; ``asks[k]`` the proposal parts
    matching ``k``'s goals best (R8).
    """

    m: StakeholderMap
    net: Network
    rule: Rule
    eligible: np.ndarray
    effort: np.ndarray
    stance: np.ndarray
    defers: list[list[int]]
    verbs: dict[tuple[int, int], str]
    asks: list[list[str]]

    @property
    def size(self) -> int:
        return len(self.net.names)

    def tally(self, x: np.ndarray) -> Tally:
        return self.rule.tally(x)

    def ready(self, x: np.ndarray) -> bool:
        return bool(self.size) and self.rule.tally(x).ready

    @cached_property
    def best_case(self) -> np.ndarray:
        """An upper bound on every predicted opinion over all plans: each person who may be
        met pushed at once by the most a meeting can bring them
        (:meth:`stakemap.planning.influence.Network.most_pushes`). Sound because a plan meets
        each person once, the change is linear in the pushes and the model's gain columns are
        non-negative (docs/planning.md, "The model")."""
        net = self.net
        push = np.where(self.eligible, np.maximum(net.most_pushes(), 0.0), 0.0)
        return net.typed + net.most_change(push)

    @cached_property
    def unreachable(self) -> Tally | None:
        """The rule counted on :attr:`best_case` when even that is not ready: then no plan
        exists, and the vetoes that block there block after any plan (None: a plan may exist).

        The tally is monotone in the opinions (more support never fails a threshold, lifts a
        blocking minority or clears a veto less) except for a quorum of those voting when
        abstentions are not counted, where no proof is tried.

        >>> from stakemap.samples.cases import new_programme
        >>> problem(new_programme()).unreachable is None
        True
        """
        if not self.size or (self.rule.quorum is not None and not self.rule.counted):
            return None
        best = self.rule.tally(self.best_case)
        return None if best.ready else best

    def powerful_opponent(self, k: int) -> bool:
        """R5: ``k`` is a powerful active opponent who must not hear of it early."""
        return bool(self.stance[k] <= -2 and self.net.power[k] >= POWERFUL)

    def warned_early(self, k: int, active: np.ndarray, x: np.ndarray) -> bool:
        """R5: meeting ``k`` now would warn a powerful opponent who is not for yet before more
        than half the tie weight they listen to carries the idea."""
        if not self.powerful_opponent(k) or supports(x[k]):
            return False
        listened = sum(w for _, w in self.net.listens[k])
        carried = sum(w for j, w in self.net.listens[k] if active[j])
        return not carried > 0.5 * listened + _EPS

    def sympathetic_peers(self) -> list[tuple[int, int]]:
        """R4 pairs ``(j, k)``: ``k`` is not for today and listens to ``j``, a member of the
        body who is for today but carries it to nobody until met (a passive ally). A plan that
        meets ``k`` meets ``j`` first, so the idea reaches ``k`` through a peer (Sebenius 2004,
        momentum; in the new programme the analyst met her two sympathetic colleagues before
        the conservative members).

        >>> from stakemap.samples.cases import new_programme
        >>> p = problem(new_programme())
        >>> sorted({p.net.names[j].split()[0] for j, _ in p.sympathetic_peers()})
        ['Omar', 'Priya']
        """
        net = self.net
        x0 = net.typed
        peer = self.eligible & ~net.active0 & supports(x0) & self.rule.member
        return [
            (j, k)
            for k in range(self.size)
            if not supports(x0[k]) and self.eligible[k]
            for j, _ in net.listens[k]
            if peer[j] and j != k
        ]

    def verifies(self, order: Sequence[int], rules: bool = True) -> bool:
        """The sequence meets only eligible people, each once, and, replayed through the
        model, makes the proposal ready; with ``rules``, it also meets sympathetic peers before
        those who listen to them (R4) and warns no powerful opponent early (R5)."""
        played = self.replay(order)
        return played.ready and (not rules or not played.broken)

    def breaks(self, order: Sequence[int]) -> list[str]:
        """The sequencing rules ``order`` does not keep, in words (empty: it keeps them)."""
        return list(self.replay(order).broken)

    def replay(self, order: Sequence[int]) -> Replay:
        """``order`` played through the model once: its moves, whether it :meth:`verifies`
        without the sequencing rules, and the rules it :meth:`breaks`.

        >>> from stakemap.samples.cases import new_programme
        >>> pr = problem(new_programme())
        >>> played = pr.replay([pr.net.index["Rosa Mendes"]])
        >>> played.ready, played.broken
        (False, ('Rosa Mendes is met before Omar Haddad, Priya Nair',))
        """
        peers: dict[int, list[int]] = {}
        for j, k in self.sympathetic_peers():
            peers.setdefault(k, []).append(j)
        names = self.net.names
        out, moves = [], []
        play = Play(self.net)
        for k in order:
            if self.warned_early(k, play.active, play.x):
                out.append(
                    _("{name} hears of it before most of those they listen to back it").format(
                        name=names[k]
                    )
                )
            late = [j for j in peers.get(k, ()) if not play.met[j]]
            if late:
                out.append(
                    _("{name} is met before {people}").format(
                        name=names[k], people=pgettext("list", ", ").join(names[j] for j in late)
                    )
                )
            moves.append(play.meet(k))
        valid = len(set(order)) == len(order) and all(self.eligible[k] for k in order)
        return Replay(tuple(moves), valid and self.ready(play.x), tuple(out))

    def effort_of(self, order: Sequence[int]) -> float:
        """The effort of meeting everyone in ``order``: the sum of their efforts.

        >>> from stakemap.samples.cases import new_programme
        >>> problem(new_programme()).effort_of([])
        0.0
        """
        return float(sum(self.effort[k] for k in order))

    def weight_share(self, x: np.ndarray) -> Fraction:
        """The share of the first threshold's measure held by those for (the chart's line)."""
        measure = self.rule.lines[0].measure if self.rule.lines else self.rule.votes
        total = measure.total
        yes = supports(x) & self.rule.member
        return Fraction(measure.sum(yes), total) if total else Fraction(0)


def problem(
    m: StakeholderMap,
    pass_share: float | Fraction | None = None,
    exclude: Collection[str] = (),
    overrides: dict[str, float] | None = None,
) -> Problem:
    """Compile ``m`` into a :class:`Problem` (``exclude``: people the plan must not meet;
    ``overrides``: a what-if's stances, :func:`stakemap.planning.influence.network`)."""
    net = network(m, overrides or {})
    excluded = set(exclude)
    eligible = np.array(
        [
            k != net.champion
            and s.name not in excluded
            and (s.target_stance is None or s.target_stance > 0)
            for k, s in enumerate(m.stakeholders)
        ],
        dtype=bool,
    )
    verbs: dict[tuple[int, int], str] = {}
    for rel in m.relationships:
        if rel.kind in ("defers to", "reports to") and rel.strength > 0:
            a, b = net.index.get(rel.source), net.index.get(rel.target)
            if a is not None and b is not None and a != b:
                verbs[b, a] = rel.kind  # a defers to b: b influences a
    defers: list[list[int]] = [[] for _ in net.names]
    for j, i in verbs:
        defers[i].append(j)
    parts = [({t.strip().lower() for t in p.tags}, p.name) for p in m.proposal.parts]
    asks = []
    for s in m.stakeholders:
        goals = {g.strip().lower() for g in s.goals}
        hits = [(len(goals & tags), name) for tags, name in parts]
        best = max((h for h, _ in hits), default=0)
        asks.append([name for h, name in hits if h == best and best > 0])
    stance = net.typed.copy() if overrides else np.array([s.stance for s in m.stakeholders])
    return Problem(
        m=m,
        net=net,
        rule=rule_of(m, pass_share),
        eligible=eligible,
        effort=np.array([max(0.1, float(s.effort)) for s in m.stakeholders]),
        stance=np.asarray(stance, dtype=float),
        defers=defers,
        verbs=verbs,
        asks=asks,
    )
