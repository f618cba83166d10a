"""The one influence model behind the plan and the what-if: Friedkin-Johnsen with meetings.

Opinions settle as in Friedkin and Johnsen (1990, "Social influence and opinions"), DeGroot with
stubbornness: ``x = Lambda W x + (I - Lambda) u``. ``u`` holds the anchors (the stances, the
champion at +2); ``W`` the positive ties from people who carry their view (not passive people,
stance +-1), normalised per row; ``lambda_i = A_i / (A_i + power_i)`` with ``A_i`` the strength
of those ties (own power is the self-weight), and 0 for firm stances (+-2) and the champion.
Repelling ties are not in ``W``: they count only where the repelling person is visibly involved
(:func:`meeting_push`).

**Today is the starting point.** The stance a user types already contains today's influence, so
with no step every predicted opinion is the typed one, and a plan predicts only the change its
meetings cause: ``x = typed + (I - Lambda W)^-1 (I - Lambda) du``, with ``du`` the meetings'
raises of the anchors (docs/planning.md, "The model").

A one-to-one **meeting** with ``k`` raises ``k``'s anchor so that, others held fixed, their
opinion rises by ``push / power_k`` stance points: the champion's own one-to-one
(:data:`OWN_MEETING`), plus the strength of each tie from a *carrier* ``k`` listens to, who
brings it as theirs (a messenger), plus :data:`GOAL_PUSH` when a proposal part matches ``k``'s
goals. Carriers are the champion, anyone typed +2, and everyone met who is for at that moment:
a passive ally (+1) agrees but carries the idea to nobody until met (docs/coalitions.md, the new
programme), and a person met but not won carries it to no one.

The change is linear in the anchors and the columns of ``(I - Lambda W)^-1`` are non-negative:
an exact optimiser can write a plan as a mixed-integer programme (:mod:`stakemap.planning.exact`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property

import numpy as np
from scipy import sparse

from stakemap.model import Relationship, StakeholderMap
from stakemap.planning.gains import Gains
from stakemap.planning.opinion import HIGH, LOW, supports

__all__ = [
    "GOAL_PUSH",
    "OWN_MEETING",
    "Move",
    "Network",
    "Parts",
    "Play",
    "Pushes",
    "compile_parts",
    "meeting_push",
    "network",
    "parts_of",
    "what_if",
]

#: Tie-strength worth of the champion's own one-to-one meeting when no tie from her is drawn:
#: it persuades, less than a trusted messenger (a tie of 3) does.
OWN_MEETING = 2.0
#: Tie-strength worth of a goal-aligned ask: owning a part is a strong lever.
GOAL_PUSH = 3.0
_ITER_TOL = 1e-10
_MAX_ITER = 20_000
_BOUND_TOL = 1e-9
_BOUND_ITER = 2_000


@dataclass(frozen=True)
class Move:
    """One meeting of a sequence as the model plays it: whom (``k``), the carriers who brought
    it (``messengers``), whether the champion took part (``present``), the push in tie-strength
    units and who became for (``wins``: the person met first, then anyone carried over). The
    opinions and carriers after it are not kept (45 kB a step at 5,000 people): a :class:`Play`
    advanced through the moves (:meth:`Play.advance`) works them out again, the same to the
    bit."""

    k: int
    messengers: tuple[int, ...]
    present: bool
    push: float
    wins: tuple[int, ...]


@dataclass
class Network:
    """A map compiled for the model, indexed in map order.

    ``typed`` is today's opinion (the typed stances, or a what-if's); ``step`` is ``Lambda W``
    (sparse) and ``keep`` ``1 - lambda``; ``listens[k]`` lists ``(j, w)`` for every positive net
    tie ``j -> k``; ``champion_tie[k]`` is the net tie from the champion to ``k`` (0: none);
    ``aligned[k]`` says a proposal part matches ``k``'s goals; ``active0`` marks the carriers
    before any meeting.
    """

    names: list[str]
    index: dict[str, int]
    power: np.ndarray
    typed: np.ndarray
    keep: np.ndarray
    step: sparse.csr_matrix
    listens: list[list[tuple[int, float]]]
    champion: int | None
    champion_tie: np.ndarray
    aligned: np.ndarray
    active0: np.ndarray

    def __post_init__(self) -> None:
        """``listen[i, j]`` is the positive net tie ``j -> i`` (whom ``i`` listens to)."""
        n = len(self.names)
        rows = [i for i, t in enumerate(self.listens) for _ in t]
        cols = [j for t in self.listens for j, _ in t]
        vals = [w for t in self.listens for _, w in t]
        self.listen = sparse.csr_matrix((vals, (rows, cols)), shape=(n, n))
        self.listened = np.asarray(self.listen.sum(axis=1)).ravel()
        self._gain: np.ndarray | None = None

    @cached_property
    def _by_speaker(self) -> sparse.csc_matrix:
        return self.listen.tocsc()

    @cached_property
    def _repelled(self) -> tuple[np.ndarray, sparse.csr_matrix]:
        """Those the champion's tie repels, and whom each of them listens to (1 a tie)."""
        rows = np.flatnonzero(self.champion_tie < 0)
        return rows, (self.listen[rows] > 0).astype(float)

    def listeners(self, k: int) -> np.ndarray:
        """Those who listen to ``k`` (a positive net tie ``k -> i``), in index order: a column
        of ``listen``, read from its compressed columns, made once.

        >>> from stakemap.model import Relationship, Stakeholder
        >>> m = StakeholderMap((Stakeholder("Ana"), Stakeholder("Ben"), Stakeholder("Cy")),
        ...                    (Relationship("Ana", "Cy", 3), Relationship("Ana", "Ben", 2)))
        >>> network(m).listeners(0).tolist(), network(m).listeners(2).tolist()
        ([1, 2], [])
        """
        columns = self._by_speaker
        return columns.indices[columns.indptr[k] : columns.indptr[k + 1]]

    def change(self, du: np.ndarray, start: np.ndarray | None = None) -> np.ndarray:
        """The opinion change caused by raising the anchors by ``du``: the fixed point of
        ``d = Lambda W d + (I - Lambda) du`` by iteration (a contraction), from ``start``."""
        base = self.keep * du
        d = base.copy() if start is None else start.copy()
        for _ in range(_MAX_ITER):
            nxt = self.step @ d + base
            if np.max(np.abs(nxt - d), initial=0.0) < _ITER_TOL:
                return nxt
            d = nxt
        return d

    def gain_column(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Column ``k`` of :meth:`gain` (the opinion change per unit of push on ``k``) as its
        rows and their values: the dense gain's once worked out (small maps), else solved on
        the people ``k`` reaches and kept (:class:`stakemap.planning.gains.Gains`).

        >>> from stakemap.model import Relationship, Stakeholder
        >>> m = StakeholderMap((Stakeholder("Ana"), Stakeholder("Ben"), Stakeholder("Cy")),
        ...                    (Relationship("Ana", "Ben", 3),))
        >>> [(rows.tolist(), values.round(3).tolist()) for rows, values in
        ...  (network(m).gain_column(0), network(m).gain_column(1))]
        [([0, 1], [0.333, 0.167]), ([1], [0.333])]
        """
        if self._gain is not None:
            return self._everyone, self._gain[:, k]
        return self.gains.column(k)

    @cached_property
    def gains(self) -> Gains:
        """The gain's columns solved one at a time, kept."""
        return Gains(self.step, self.power)

    @cached_property
    def _everyone(self) -> np.ndarray:
        return np.arange(len(self.names))

    def most_change(self, push: np.ndarray) -> np.ndarray:
        """An upper bound on the opinion change when every person ``k`` is pushed by
        ``push[k] >= 0`` tie-strength units at once (the sum of ``push[k]`` times
        :meth:`gain_column` ``k``), without factorising: Jacobi iteration of
        ``d = Lambda W d + push / power`` from below, then ``d`` raised by one amount until
        ``(I - Lambda W) d >= push / power`` holds in every row. Such a ``d`` bounds the
        solution from above because ``(I - Lambda W)^-1`` is non-negative (a Neumann series:
        each row of ``Lambda W`` sums to ``lambda_i < 1``)."""
        base = push / self.power
        d = base.copy()
        for _ in range(_BOUND_ITER):
            nxt = self.step @ d + base
            done = np.max(np.abs(nxt - d), initial=0.0) < _BOUND_TOL
            d = nxt
            if done:
                break
        short = np.max((self.step @ d + base - d) / self.keep, initial=0.0)
        return d + max(short, 0.0) * (1.0 + 1e-9) + 1e-12  # rounding aside

    def most_pushes(self) -> np.ndarray:
        """The largest push one meeting can bring each person (:func:`meeting_push`, bounded):
        every messenger they listen to carrying it, the champion's part at its largest (none
        where her tie repels) and a goal-aligned ask."""
        tie = self.champion_tie
        carried = self.listened - np.maximum(tie, 0.0)  # the champion is no messenger
        own = np.where(tie < 0, 0.0, np.maximum(tie, OWN_MEETING))
        return own + np.maximum(carried, 0.0) + np.where(self.aligned, GOAL_PUSH, 0.0)

    def gain(self) -> np.ndarray:
        """``(I - Lambda W)^-1 / power`` as a dense matrix, worked out once: column ``k`` is the
        opinion change per tie-strength unit of push on ``k`` (the exact programme's, on small
        maps)."""
        if self._gain is None:
            n = len(self.names)
            inv = np.linalg.inv(np.eye(n) - self.step.toarray()) if n else np.zeros((0, 0))
            self._gain = inv / self.power
        return self._gain

    def push(self, k: int, active: Sequence[bool]) -> tuple[float, list[int], bool]:
        """:func:`meeting_push` of ``k`` with ``active`` as the carriers."""
        return meeting_push(self, k, active)

    def replay(self, order: Sequence[int]) -> list[Move]:
        """The meetings ``order`` played in turn (:class:`Play`)."""
        play = Play(self)
        return [play.meet(k) for k in order]

    def predict(self, order: Sequence[int]) -> np.ndarray:
        """Predicted opinions after meeting ``order`` in turn (today's with no meeting)."""
        play = Play(self)
        for k in order:
            play.meet(k)
        return play.x


class Pushes:
    """:func:`meeting_push` of everyone at once (tie-strength units), kept from one call of
    :meth:`of` to the next as the carriers change (the greedy asks after every meeting).

    What the messengers bring a person is a sum of tie strengths. When every strength is a
    multiple of 1/1024 (whole numbers are) every partial sum is exact, so adding a new
    carrier's ties to the sums gives the product over all carriers bit for bit; other
    strengths take the product each time. A push is then worked out again only where its
    parts changed (those who listen to a carrier who changed, and those the champion repels
    when one of their messengers did), by the same sum as for everyone.

    >>> from stakemap.samples.cases import new_programme
    >>> net = network(new_programme())
    >>> pushes = Pushes(net)
    >>> pushes.exact, float(pushes.of(net.active0)[net.index["Rosa Mendes"]])
    (True, 5.0)
    """

    def __init__(self, net: Network) -> None:
        n = len(net.names)
        scaled = net.listen.data * 1024.0
        self.net = net
        self.exact = bool(np.all(scaled == np.round(scaled)) and scaled.sum() < 2.0**52)
        self.carriers = np.zeros(n)
        self.carried = np.zeros(n)
        tie = net.champion_tie
        self.own = np.maximum(tie, OWN_MEETING)  # the champion's part, with no carrier yet
        repelled, heard = net._repelled
        self.own[repelled] = tie[repelled]
        self.goal = np.where(net.aligned, GOAL_PUSH, 0.0)
        self.heard_by_repelled = np.asarray(heard.sum(axis=0)).ravel() > 0
        self.pushes = self.own + self.carried + self.goal

    def of(self, active: np.ndarray) -> np.ndarray:
        """The push a meeting now would bring each person, ``active`` the carriers."""
        net = self.net
        carriers = active.astype(float)
        if net.champion is not None:
            carriers[net.champion] = 0.0
        changed = np.flatnonzero(carriers != self.carriers)
        if self.exact:
            columns = net._by_speaker  # whom each carrier reaches, and how strongly
            for j in changed:
                ties = slice(columns.indptr[j], columns.indptr[j + 1])
                listeners = columns.indices[ties]
                self.carried[listeners] += (carriers[j] - self.carriers[j]) * columns.data[ties]
                self._refresh(listeners)
        else:
            self.carried = net.listen @ carriers
            self._refresh(slice(None))
        self.carriers = carriers
        if self.heard_by_repelled[changed].any():  # she stays out where a messenger can go
            repelled, heard = net._repelled
            self.own[repelled] = np.where(heard @ carriers > 0, 0.0, net.champion_tie[repelled])
            self._refresh(repelled)
        return self.pushes.copy()

    def _refresh(self, people: np.ndarray | slice) -> None:
        """The pushes of ``people`` from their parts, summed in one order for everyone."""
        self.pushes[people] = self.own[people] + self.carried[people] + self.goal[people]


class Play:
    """Meetings played one at a time: each push uses the carriers before it, and after each,
    the people met who are for become carriers. ``x`` and ``active`` are the state now."""

    def __init__(self, net: Network) -> None:
        n = len(net.names)
        self.net = net
        self.x = net.typed.copy()
        self.active = net.active0.copy()
        self.met = np.zeros(n, dtype=bool)

    def meet(self, k: int) -> Move:
        """Meet ``k`` now and return the move."""
        before = supports(self.x)
        raw, messengers, present = self.net.push(k, self.active)
        after = self.advance(k, raw)
        wins = [k] if after[k] and not before[k] else []
        wins += [int(i) for i in np.flatnonzero(after & ~before) if i != k]
        return Move(k, tuple(messengers), present, raw, tuple(wins))

    def advance(self, k: int, push: float) -> np.ndarray:
        """Meet ``k`` with a push already worked out (a :class:`Move`'s, played again) and
        return who is for after it.

        >>> from stakemap.samples.cases import new_programme
        >>> net = network(new_programme())
        >>> moves = net.replay([1, 2])
        >>> play = Play(net)
        >>> for mv in moves:
        ...     _ = play.advance(mv.k, mv.push)
        >>> bool((play.x == net.predict([1, 2])).all())
        True
        """
        net = self.net
        rows, values = net.gain_column(k)
        x = self.x.copy()
        x[rows] += values * push
        self.x = x
        self.met[k] = True
        after = supports(self.x)
        self.active = net.active0 | (self.met & after)
        return after


def meeting_push(net: Network, k: int, active: Sequence[bool]) -> tuple[float, list[int], bool]:
    """A meeting's push on ``k`` in tie-strength units, its messengers, and whether the
    champion takes part.

    Messengers: carriers ``k`` listens to (positive ties), the champion aside. The champion's
    part is her own tie to ``k`` if one is drawn and larger than :data:`OWN_MEETING`, else
    :data:`OWN_MEETING`; if her tie repels ``k`` she stays out when a messenger can bring it,
    and her repulsion counts only if she has to go herself. A goal-aligned ask adds
    :data:`GOAL_PUSH`.
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


@dataclass(frozen=True)
class Parts:
    """A map as the model reads it, in arrays (what nearby maps vary): each person's power,
    typed stance and goal match, and each influence edge ``src -> dst`` with the index
    ``rel`` of the relationship whose ``strength`` it carries."""

    names: list[str]
    power: np.ndarray
    stance: np.ndarray
    aligned: np.ndarray
    champion: int | None
    src: np.ndarray
    dst: np.ndarray
    rel: np.ndarray
    strength: np.ndarray


def parts_of(m: StakeholderMap) -> Parts:
    """The arrays of ``m`` (unknown names in ties are left out)."""
    people = m.stakeholders
    index = {s.name: k for k, s in enumerate(people)}
    src, dst, rel = [], [], []
    for r, tie in enumerate(m.relationships):
        a, b = index.get(tie.source), index.get(tie.target)
        if a is None or b is None or tie.source == tie.target:
            continue
        for forward in _directions(tie.kind):  # Relationship.influence_edges, by kind
            src.append(a if forward else b)
            dst.append(b if forward else a)
            rel.append(r)
    tags = {t.strip().lower() for p in m.proposal.parts for t in p.tags}
    return Parts(
        names=[s.name for s in people],
        power=np.array([float(s.power) for s in people]),
        stance=np.array([float(s.stance) for s in people]),
        aligned=np.array([any(g.strip().lower() in tags for g in s.goals) for s in people], bool),
        champion=index.get(m.proposal.champion),
        src=np.array(src, dtype=np.int64),
        dst=np.array(dst, dtype=np.int64),
        rel=np.array(rel, dtype=np.int64),
        strength=np.array([float(r.strength) for r in m.relationships]),
    )


@cache
def _directions(kind: str) -> tuple[bool, ...]:
    """The edges a tie of ``kind`` implies, in order: True for source -> target (read from
    :meth:`stakemap.model.Relationship.influence_edges` once per kind)."""
    probe = Relationship("source", "target", 1.0, kind)
    return tuple(a == "source" for a, _b, _w in probe.influence_edges())


def network(m: StakeholderMap, overrides: Mapping[str, float] = {}) -> Network:
    """Compile ``m`` into a :class:`Network`; ``overrides`` set stances for a what-if ("if Tess
    comes over"): they are anchored there, and everyone else moves by the change it makes to
    the settled opinions.

    >>> from stakemap.model import Relationship, Stakeholder
    >>> m = StakeholderMap((Stakeholder("Ana", stance=1), Stakeholder("Ben", power=3)),
    ...                    (Relationship("Ana", "Ben", 3),))
    >>> network(m).typed.tolist(), network(m, {"Ana": 2}).typed.tolist()
    ([1.0, 0.0], [2.0, 1.0])
    """
    parts = parts_of(m)
    index = {name: k for k, name in enumerate(parts.names)}
    return what_if(parts, {index[n]: float(v) for n, v in overrides.items() if n in index})


def what_if(parts: Parts, fixed: Mapping[int, float]) -> Network:
    """The network of ``parts`` with the stances ``fixed`` (person index -> stance) anchored,
    everyone else moved by the change it makes to the settled opinions."""
    net = compile_parts(parts)
    if not fixed:
        return net
    changed = compile_parts(parts, fixed)
    shift = changed.change(changed.typed) - net.change(net.typed)  # settled, after and before
    shift[list(fixed)] = 0.0
    changed.typed = np.clip(changed.typed + shift, LOW, HIGH)
    return changed


def compile_parts(parts: Parts, overrides: Mapping[int, float] = {}) -> Network:
    """The :class:`Network` of ``parts``, with ``overrides`` (person index -> stance) set and
    anchored."""
    n = len(parts.names)
    champion = parts.champion
    u = np.clip(parts.stance, LOW, HIGH)
    anchored = np.abs(u) >= HIGH
    if champion is not None:
        u[champion], anchored[champion] = max(u[champion], HIGH), True
    for k, stance in overrides.items():
        u[k] = max(LOW, min(HIGH, stance))
        anchored[k] = True
    weight = parts.strength[parts.rel] if len(parts.rel) else np.zeros(0)
    codes = parts.src * max(n, 1) + parts.dst
    pairs, where = np.unique(codes, return_inverse=True)
    sums = np.bincount(where, weights=weight, minlength=len(pairs)) if len(pairs) else weight
    src, dst = np.divmod(pairs, max(n, 1))  # the net tie src -> dst weighs sums
    champion_tie = np.zeros(n)
    if champion is not None:
        champion_tie[dst[src == champion]] = sums[src == champion]
    positive = np.flatnonzero(sums > 0)
    listens: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    by_listener = positive[np.lexsort((src[positive], -sums[positive], dst[positive]))]
    for i, j, w in zip(*(a[by_listener].tolist() for a in (dst, src, sums)), strict=True):
        listens[i].append((j, w))  # strongest first, then by index
    carried = positive[np.abs(u[src[positive]]) != 1]  # passive people carry their view to nobody
    w_mat = sparse.csr_matrix((sums[carried], (dst[carried], src[carried])), shape=(n, n))
    absolute = np.asarray(w_mat.sum(axis=1)).ravel()
    power = np.maximum(parts.power, 1e-9)
    lam = np.where(anchored, 0.0, absolute / (absolute + power))
    scale = np.divide(lam, absolute, out=np.zeros(n), where=absolute > 0)
    return Network(
        names=parts.names,
        index={name: k for k, name in enumerate(parts.names)},
        power=power,
        typed=u.copy(),
        keep=1.0 - lam,
        step=sparse.csr_matrix(sparse.diags(scale) @ w_mat),
        listens=listens,
        champion=champion,
        champion_tie=champion_tie,
        aligned=parts.aligned,
        active0=u >= HIGH,
    )
