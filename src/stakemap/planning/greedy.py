"""The greedy search: one meeting at a time, the best value per effort, until the rule holds.

Each step meets the eligible person of highest value per effort (Sebenius's R2) whom a meeting
now would carry to the support line plus a margin, or who is for already and carries it on once
met; after anyone they defer to who can be met now (R3); sympathetic peers before those who
listen to them (R4) and never a powerful opponent before most of those they listen to carry it
(R5), unless no meeting that keeps these two can be made. Value is a person's part of what the
rule still lacks (the votes of each failing threshold, a blocking veto holder, the members an
informal veto holder listens to: R1, R7), plus a part of the worth of the undecided members who
listen to them (backward mapping, R1), plus the push they would add as a messenger (R3, R4). Greedy
influence maximisation is within 1 - 1/e of optimal under submodular models (Kempe, Kleinberg
and Tardos 2003); this one is not submodular, so the exact programme
(:mod:`stakemap.planning.exact`) checks it on maps of up to a few hundred people.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from stakemap.pacing import checkpoint
from stakemap.planning.influence import Move, Play, Pushes
from stakemap.planning.opinion import LINE, TOL, supports
from stakemap.planning.problem import Problem
from stakemap.planning.rule import Tally

__all__ = ["BACKWARD_CREDIT", "ENABLE_CREDIT", "sequence"]

#: Share of a listener's worth credited for the push a new messenger adds (R3, R4), and of a
#: decision maker's worth for the weight a person has with them (R1).
ENABLE_CREDIT = 0.5
BACKWARD_CREDIT = 0.5
_EPS = 1e-9


def sequence(pr: Problem, margin: float) -> list[Move]:
    """The greedy sequence of meetings, planning against ``margin`` stance points above the
    support line (see the module docstring). Vectorised: a few sparse products per step.

    >>> from stakemap.samples.cases import new_programme
    >>> from stakemap.planning.problem import problem
    >>> pr = problem(new_programme())
    >>> [pr.net.names[mv.k].split()[0] for mv in sequence(pr, 0.5)]
    ['Omar', 'Priya', 'Rosa', 'Tom', 'Lena']
    """
    net = pr.net
    n = pr.size
    play, push = Play(net), Pushes(net)
    moves: list[Move] = []
    listen = net.listen.tocsr()
    rows, weights = np.repeat(np.arange(n), np.diff(listen.indptr)), listen.data
    ears = _Ears.of(pr)
    enabling = ears.heard_by.copy()  # the same ties, each weighted by how far it gets its listener
    waits = _Waits(pr)
    while n and len(moves) < n:
        checkpoint()  # worked out ahead: a page run goes first (stakemap.pacing)
        x, active = play.x, play.active
        tally = pr.tally(x)
        if tally.ready:
            break
        yes = supports(x)
        worth, backward = _worth(pr, tally, yes, ears)
        pushes = push.of(active)
        direct = x + pushes / net.power
        feasible = pr.eligible & ~play.met & (yes | (direct >= LINE + margin - TOL))
        feasible &= pushes >= 0
        keeps = waits.keeps(yes, active, play.met)
        if (feasible & keeps).any():  # the rules give way only when nothing else can be done
            feasible &= keeps
        if not feasible.any():
            break
        carry = (worth + backward) * ~yes  # nothing more once for; masks as in _worth
        gap = np.maximum(LINE + margin - x, 0.05)
        # each tie carries a part of its listener's worth: the share of their gap it closes
        np.minimum(1.0, weights / (net.power * gap)[rows], out=enabling.data)
        enable = enabling @ (ENABLE_CREDIT * carry)
        value = carry + enable * ~active
        can = np.flatnonzero(feasible)  # the first of the best, per effort
        per_effort = np.round(value[can] / pr.effort[can], 9)
        best = int(can[np.argmax(per_effort)])
        if per_effort.max() <= _EPS:
            break
        moves.append(play.meet(_after_deference(pr, best, feasible, play.met)))
    return moves


class _Waits:
    """Who the sequencing rules let be met now, kept from one step to the next: not a listener
    whose sympathetic peers are not all met (R4), nor a powerful opponent not for yet before
    more than half the weight they listen to carries it (R5). Those waiting for peers change
    only when a peer is met, the weight a powerful opponent hears only when someone they
    listen to becomes or stops being a carrier: each is worked out again only then."""

    def __init__(self, pr: Problem) -> None:
        net = pr.net
        self.powerful = np.flatnonzero([pr.powerful_opponent(k) for k in range(pr.size)])
        self.watched = net.listen[self.powerful]  # the ties powerful opponents listen to
        self.half = 0.5 * net.listened[self.powerful] + _EPS
        self.sources = np.unique(self.watched.indices)
        pairs = [(j, k) for j, k in pr.sympathetic_peers() if pr.eligible[j]]
        self.peer, self.listener = np.array(pairs, dtype=int).reshape(-1, 2).T
        self.peers = np.unique(self.peer)
        self.waiting = np.zeros(pr.size, dtype=bool)
        self.waiting[self.listener] = True
        self.peers_met = 0
        self.heard: np.ndarray | None = None
        self.carried = np.zeros(len(self.powerful))

    def keeps(self, yes: np.ndarray, active: np.ndarray, met: np.ndarray) -> np.ndarray:
        """Whether each person may be met now, ``active`` the carriers and ``met`` those met."""
        peers_met = int(np.count_nonzero(met[self.peers]))
        if peers_met != self.peers_met:
            self.waiting[:] = False
            self.waiting[self.listener[~met[self.peer]]] = True
            self.peers_met = peers_met
        heard = active[self.sources]
        if self.heard is None or (heard != self.heard).any():
            self.carried = self.watched @ active.astype(float)
            self.heard = heard
        keeps = ~self.waiting
        keeps[self.powerful] &= yes[self.powerful] | (self.carried > self.half)
        return keeps


@dataclass(frozen=True)
class _Ears:
    """Who hears whom, for the backward worth, made once a search: ``heard_by`` is
    ``net.listen`` transposed (column j: those who listen to j, in the order a sum over ties
    takes), ``listened`` the weight each person listens to (1 where none, a safe divisor) and
    ``hearing`` 1 for members of the body who listen to someone, 0 for the others."""

    heard_by: sparse.csc_matrix
    listened: np.ndarray
    hearing: np.ndarray

    @classmethod
    def of(cls, pr: Problem) -> _Ears:
        net = pr.net
        some = net.listened > 0
        listened = np.where(some, net.listened, 1.0)
        return cls(net.listen.tocsr().T, listened, (pr.rule.member & some).astype(float))


def _worth(
    pr: Problem, tally: Tally, yes: np.ndarray, ears: _Ears
) -> tuple[np.ndarray, np.ndarray]:
    """Each person's worth toward the close, and the extra worth of having their ear.

    Worth: their part of what each failing threshold (and the quorum) still lacks, a blocking
    veto holder's own worth, and an equal part of the members an informal veto holder listens
    to who are not for yet. Backward worth (R1): a part of the worth of each member not for
    yet who listens to them. Masks are products by 0 or 1, quicker than selections and the
    same numbers on these finite, non-negative values.
    """
    worth = np.zeros(pr.size)
    failing = [c for c in tally.counts if not c.holds] if not tally.lines_hold else []
    if tally.quorum is not None and not tally.quorum.holds:
        failing.append(tally.quorum)
    for c in failing:
        lacking = float(max(c.needed - c.value, 0)) or 1.0
        worth += np.minimum(c.line.measure.units / lacking, 1.0)
    for state in tally.vetoes:
        if state.blocks:
            worth[state.veto.index] += 1.0
            for u in state.missing:
                worth[u] += 1.0 / len(state.missing)
    worth *= ~yes
    factor = (BACKWARD_CREDIT * worth) / ears.listened * ears.hearing
    return worth, ears.heard_by @ factor


def _after_deference(pr: Problem, best: int, feasible: np.ndarray, met: np.ndarray) -> int:
    """R3: if ``best`` defers to (or reports to) someone who can be met now, meet them first,
    and so on up the chain."""
    chosen, seen = best, {best}
    while True:
        ahead = [u for u in pr.defers[chosen] if u not in seen and feasible[u] and not met[u]]
        if not ahead:
            return chosen
        chosen = min(ahead, key=lambda u: (pr.effort[u], u))
        seen.add(chosen)
