"""The one influence model behind the plan and the what-if: Friedkin-Johnsen with meetings.

Opinions settle as in Friedkin and Johnsen (1990), DeGroot with stubbornness:
``x = Lambda W x + (I - Lambda) u``. ``u`` holds the stances (the champion at +2); ``W`` the
positive ties from people who carry their view (not passive people, stance +-1), normalised per
row; ``lambda_i = A_i / (A_i + power_i)`` with ``A_i`` the strength of those ties (own power is
the self-weight), and 0 for firm stances (+-2) and the champion. Repelling ties (R6) are not in
``W``: they count only where the repelling person is visibly involved (see :func:`meeting_push`).

A one-to-one **meeting** with ``k`` raises ``k``'s own anchor so that, others held fixed, their
opinion rises by ``push / power_k`` stance points (:func:`meeting_push`): the champion's own
one-to-one (:data:`OWN_MEETING`), plus the strength of each tie from an active supporter ``k``
listens to who brings it as theirs (messengers, R3), plus :data:`GOAL_PUSH` when a proposal part
matches ``k``'s goals (R8). Active supporters are the champion, anyone at +2 and everyone met:
a passive ally (+1) agrees but carries the idea to nobody until met (COALITIONS.md, Case 2).

Someone **supports** once their predicted opinion reaches :data:`LINE`. Because the equilibrium is
linear in the anchors and ``W >= 0``, the effect of a set of meetings is a sum of precomputed,
non-negative columns of ``(I - Lambda W)^-1``: meetings never lose anyone, a greedy can add
columns, and an exact optimiser can write the plan as a mixed-integer programme.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse.linalg import splu

from stakemap.model import StakeholderMap

__all__ = [
    "GOAL_PUSH",
    "LINE",
    "OWN_MEETING",
    "TOL",
    "Network",
    "meeting_push",
    "network",
]

#: Predicted opinion from which someone counts as a supporter (rounds to Supporter).
LINE = 0.5
#: Tie-strength worth of the champion's own one-to-one meeting when no tie from her is drawn:
#: it persuades, less than a trusted messenger (a tie of 3) does.
OWN_MEETING = 2.0
#: Tie-strength worth of a goal-aligned ask (R8): owning a part is a strong lever.
GOAL_PUSH = 3.0
#: Tolerance on the support line, far above the solvers' error and far below any input step.
TOL = 1e-6
_ITER_TOL = 1e-10
_MAX_ITER = 20_000


@dataclass
class Network:
    """A map compiled for the model: everything is indexed in map order.

    ``step`` is ``Lambda W`` (sparse), ``keep`` is ``1 - lambda``, ``u`` the anchors;
    ``listens[k]`` lists ``(j, w)`` for every positive net tie ``j -> k``; ``champion_tie[k]`` is
    the net tie from the champion to ``k`` (0: none drawn); ``aligned[k]`` says a proposal part
    matches ``k``'s goals; ``active0`` marks the active supporters before any meeting.
    """

    names: list[str]
    index: dict[str, int]
    power: np.ndarray
    u: np.ndarray
    keep: np.ndarray
    step: sparse.csr_matrix
    listens: list[list[tuple[int, float]]]
    repels: list[list[tuple[int, float]]]
    champion: int | None
    champion_tie: np.ndarray
    aligned: list[bool]
    active0: np.ndarray
    listen: sparse.csr_matrix | None = None
    listened: np.ndarray | None = None
    _heard: sparse.csr_matrix | None = None

    def __post_init__(self) -> None:
        """``listen[i, j]`` is the positive net tie ``j -> i`` (whom ``i`` listens to);
        ``listened[i]`` the total of those ties."""
        n = len(self.names)
        rows = [i for i, t in enumerate(self.listens) for _ in t]
        cols = [j for t in self.listens for j, _ in t]
        vals = [w for t in self.listens for _, w in t]
        self.listen = sparse.csr_matrix((vals, (rows, cols)), shape=(n, n))
        self.listened = np.asarray(self.listen.sum(axis=1)).ravel()
        self._heard = (self.listen > 0).astype(float)

    def pushes(self, active: np.ndarray) -> np.ndarray:
        """:func:`meeting_push` of everyone at once (tie-strength units)."""
        carriers = active.astype(float)
        if self.champion is not None:
            carriers[self.champion] = 0.0
        carried = self.listen @ carriers
        count = self._heard @ carriers
        tie = self.champion_tie
        own = np.where(tie < 0, np.where(count > 0, 0.0, tie), np.maximum(tie, OWN_MEETING))
        return own + carried + np.where(self.aligned, GOAL_PUSH, 0.0)

    def solve(self, u: np.ndarray, start: np.ndarray | None = None) -> np.ndarray:
        """The equilibrium for anchors ``u`` by fixed-point iteration (a contraction), from
        ``start`` (default ``u``): a nearby equilibrium converges in a few sweeps."""
        base = self.keep * u
        x = u.copy() if start is None else start.copy()
        for _ in range(_MAX_ITER):
            nxt = self.step @ x + base
            if np.max(np.abs(nxt - x), initial=0.0) < _ITER_TOL:
                return nxt
            x = nxt
        return x

    def factor(self):
        """An LU factorisation of ``I - Lambda W`` for exact columns (SuperLU)."""
        n = len(self.names)
        return splu(sparse.csc_matrix(sparse.identity(n) - self.step))

    def push(self, k: int, active: Sequence[bool]) -> tuple[float, list[int], bool]:
        """:func:`meeting_push` of ``k`` with ``active`` as the active supporters."""
        return meeting_push(self, k, active)

    def replay(self, order: Sequence[int]) -> np.ndarray:
        """Predicted opinions after meeting ``order`` in turn (each push uses who was active
        before that meeting), solved afresh by iteration."""
        active = self.active0.copy()
        u = self.u.copy()
        for k in order:
            raw, _, _ = self.push(k, active)
            u[k] += raw / self.power[k] / self.keep[k]
            active[k] = True
        return self.solve(u)


def meeting_push(net: Network, k: int, active: Sequence[bool]) -> tuple[float, list[int], bool]:
    """A meeting's push on ``k`` in tie-strength units, its messengers, and whether the
    champion takes part.

    Messengers: active supporters ``k`` listens to (positive ties), the champion aside. The
    champion's part is her own tie to ``k`` if one is drawn and larger than
    :data:`OWN_MEETING`, else :data:`OWN_MEETING`; if her tie repels ``k`` (R6) she stays out
    when a messenger can bring it, and her repulsion counts only if she has to go herself.
    A goal-aligned ask adds :data:`GOAL_PUSH`.
    """
    messengers = [j for j, _ in net.listens[k] if active[j] and j != net.champion]
    carried = sum(w for j, w in net.listens[k] if active[j] and j != net.champion)
    tie = float(net.champion_tie[k])
    if tie < 0:
        own, present = (0.0, False) if messengers else (tie, True)
    else:
        own, present = max(tie, OWN_MEETING), True
    goal = GOAL_PUSH if net.aligned[k] else 0.0
    return own + carried + goal, messengers, present


def network(m: StakeholderMap, overrides: Mapping[str, float] = {}) -> Network:
    """Compile ``m`` (with stances in ``overrides`` set and anchored) into a :class:`Network`.

    >>> from stakemap.model import Relationship, Stakeholder
    >>> m = StakeholderMap((Stakeholder("Ana", stance=2), Stakeholder("Ben", power=3)),
    ...                    (Relationship("Ana", "Ben", 3),))
    >>> net = network(m)
    >>> net.solve(net.u).round(2).tolist(), net.keep.tolist()
    ([2.0, 1.0], [1.0, 0.5])
    """
    people = m.stakeholders
    index = {s.name: k for k, s in enumerate(people)}
    n = len(people)
    champion = index.get(m.proposal.champion)
    u = np.array([max(-2.0, min(2.0, float(s.stance))) for s in people])
    anchored = np.abs(u) >= 2
    if champion is not None:
        u[champion], anchored[champion] = max(u[champion], 2.0), True
    for name, stance in overrides.items():
        if name in index:
            u[index[name]] = max(-2.0, min(2.0, float(stance)))
            anchored[index[name]] = True
    net_ties: dict[tuple[int, int], float] = {}
    for src, dst, strength in m.influence_edges():
        if src in index and dst in index and src != dst and strength:
            pair = (index[src], index[dst])
            net_ties[pair] = net_ties.get(pair, 0.0) + float(strength)
    listens: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    repels: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    champion_tie = np.zeros(n)
    rows, cols, vals = [], [], []
    for (j, i), w in net_ties.items():
        if w > 0:
            listens[i].append((j, w))
            if abs(u[j]) != 1:  # passive people carry their view to nobody
                rows.append(i)
                cols.append(j)
                vals.append(w)
        elif w < 0:
            repels[i].append((j, w))
        if j == champion:
            champion_tie[i] = w
    w_mat = sparse.csr_matrix((vals, (rows, cols)), shape=(n, n))
    absolute = np.asarray(w_mat.sum(axis=1)).ravel()
    power = np.array([max(float(s.power), 1e-9) for s in people])
    lam = np.where(anchored, 0.0, absolute / (absolute + power))
    scale = np.divide(lam, absolute, out=np.zeros(n), where=absolute > 0)
    tags = {t.strip().lower() for p in m.proposal.parts for t in p.tags}
    aligned = [any(g.strip().lower() in tags for g in s.goals) for s in people]
    active0 = np.array([s.stance >= 2 for s in people], dtype=bool)
    if champion is not None:
        active0[champion] = True
    for name, stance in overrides.items():
        if name in index:
            active0[index[name]] = stance >= 2
    return Network(
        names=[s.name for s in people],
        index=index,
        power=power,
        u=u,
        keep=1.0 - lam,
        step=sparse.csr_matrix(sparse.diags(scale) @ w_mat),
        listens=[sorted(t, key=lambda e: (-e[1], e[0])) for t in listens],
        repels=repels,
        champion=champion,
        champion_tie=champion_tie,
        aligned=aligned,
        active0=active0,
    )
