"""The least-effort plan, proven: a mixed-integer programme over the planner's one model.

Least-effort coalition building is weighted target set selection (NP-hard; Raghavan and Zhang,
"A branch-and-cut approach for the weighted target set selection problem on social networks",
INFORMS J. Optimization 2019). On the planner's model (:mod:`stakemap.planning.influence`) the final
opinions are ``x = x0 + sum_k C[:, k] push_k / power_k`` over the people met, with ``C`` the
non-negative inverse of ``I - Lambda W``; a meeting's push is its base (own meeting, goal-aligned
ask, messengers active from the start) plus the tie of every messenger met *before* it. So the
programme (solved by :func:`scipy.optimize.milp`, HiGHS branch-and-cut) has

- ``z_k``: ``k`` is met (eligible people only); objective ``sum effort_k z_k``;
- ``y_jk``: messenger ``j`` is active before ``k`` is met (``y_jk <= z_j, z_k``), with an order
  ``t`` (``t_j + 1 <= t_k`` when ``y_jk``; Miller-Tucker-Zemlin) so that "before" is a sequence;
  the messenger effect becomes precomputed columns per (person, messenger);
- ``m_k``: some messenger brings it, so a champion who repels ``k`` stays out (R6);
- ``s_i``: ``i`` ends at the support line; the decision rule's votes (share, majority, unanimity,
  single decider) and, per veto holder ``v``, ``s_v + s_u >= 1`` for each member ``u`` of the
  decision body ``v`` listens to (supports, or isolated: R7);
- R5 (no early warning) as a constraint: a powerful active opponent is met only once more than
  half the tie weight they listen to is active.

Every variable only ever under-counts what the model gives (a later messenger never lowers a
push, ``C >= 0``), so any order consistent with the ``y`` does at least as well: the sequence is
the topological order that puts allies first, then the deferred-to before those who defer to
them (R3, a tie-break when it keeps the order), then the solver's order. Every returned sequence
is replayed through :meth:`stakemap.planning.influence.Network.replay` and the planner's own close test;
one that does not verify is dropped (the caller falls back to the greedy).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from stakemap.planning.influence import GOAL_PUSH, LINE, OWN_MEETING, TOL

__all__ = ["EXACT_LIMIT", "TIME_LIMIT", "Solution", "solve", "sympathetic_peers"]

#: Largest map (people) the programme is tried on; beyond it the lazy greedy plans alone.
EXACT_LIMIT = 300
#: Seconds HiGHS may spend on one map before returning its incumbent (then not proven).
TIME_LIMIT = 1.5
#: R5 as in the greedy: an active opponent of at least this power waits for their listeners.
POWERFUL = 4.0
_SAFE = TOL / 2  # the programme aims inside the planner's tolerance, not on its edge
_R5_STEP = 1e-4  # "more than half" in tie points: far above HiGHS's tolerances, below any input


@dataclass(frozen=True)
class Solution:
    """What the programme found: ``status`` is ``"optimal"``, ``"feasible"`` (time limit,
    incumbent), ``"infeasible"`` (proven: no order of meetings reaches the rule) or ``"unknown"``
    (time limit, nothing found); ``order`` the meetings in sequence; ``gap`` HiGHS's relative
    MIP gap (0 when proven)."""

    status: str
    order: tuple[int, ...]
    effort: float
    gap: float | None
    seconds: float
    bound: float | None = None


def solve(
    setup,
    time_limit: float = TIME_LIMIT,
    avoid: frozenset[int] = frozenset(),
    margin: float = 0.0,
    mtz: bool = False,
    not_first: int | None = None,
) -> Solution:
    """Least-effort sequence for a planner setup (:class:`stakemap.planning.planner._Setup`), meeting
    nobody in ``avoid``, counting a person won once their opinion reaches the support line plus
    ``margin`` (0: the line itself, the one case where ``infeasible`` proves no plan exists).
    Orders are kept by lazy cycle cuts (solve, cut every cycle of "before" the solution uses,
    solve again), or with ``mtz`` by Miller-Tucker-Zemlin order variables (weaker, one solve).
    With ``not_first``, the best plan that opens with someone else (the second-best opening):
    binaries ``f_o`` pick the opener, met (``f_o <= z_o``) with no messenger met before them
    (``y_jo + f_o <= 1``), so the sequence can start with them.

    >>> from stakemap.planning.planner import _setup
    >>> from stakemap.samples import new_programme
    >>> sol = solve(_setup(new_programme(), None, ()))
    >>> sol.status, sol.effort > 0
    ('optimal', True)
    """
    import time

    started = time.perf_counter()
    net, body = setup.net, setup.body
    n = len(net.names)
    weight = np.array(body.weight, dtype=float)
    if not n or body.total <= 0:
        return Solution("infeasible", (), 0.0, 0.0, 0.0)
    eligible = setup.eligible & ~net.active0
    for k in avoid:
        eligible[k] = False
    cand = [int(k) for k in np.flatnonzero(eligible)]
    pos = {k: a for a, k in enumerate(cand)}
    c = len(cand)
    inv = np.linalg.inv(np.eye(n) - net.step.toarray()) if n else np.zeros((0, 0))
    x0 = net.solve(net.u)
    champion = net.champion
    # messenger pairs j -> k (j eligible, not active at start): y variables
    pairs: list[tuple[int, int, float]] = []
    base = np.zeros(c)
    start_in = np.zeros(c)  # tie weight into k active from the start (champion included)
    start_msg = np.zeros(c, dtype=bool)
    for a, k in enumerate(cand):
        for j, w in net.listens[k]:
            if net.active0[j]:
                start_in[a] += w
                if j != champion:
                    base[a] += w
                    start_msg[a] = True
            elif j in pos and j != champion:
                pairs.append((j, k, w))
        tie = float(net.champion_tie[k])
        own = max(tie, OWN_MEETING) if tie >= 0 else (0.0 if start_msg[a] else tie)
        base[a] += own + (GOAL_PUSH if net.aligned[k] else 0.0)
    repelled = [
        a for a, k in enumerate(cand) if net.champion_tie[k] < 0 and not start_msg[a]
    ]  # m_k: a later messenger lets the champion stay out
    # who must be watched: decision body members and the veto holders' listeners
    members = [i for i in range(n) if weight[i] > 0]
    veto_pairs: list[tuple[int, int]] = []
    for v in setup.vetoes:
        for u, _ in net.listens[v]:
            if weight[u] > 0 and u != v:
                veto_pairs.append((v, u))
    watched = sorted(set(members) | set(setup.vetoes) | {u for _, u in veto_pairs})
    spos = {i: a for a, i in enumerate(watched)}
    p, r, s = len(pairs), len(repelled), len(watched)
    # variable layout: z (c) | y (p) | m (r) | t (c) | s (s)
    oz, oy, om, ot, os_ = 0, c, c + p, c + p + r, c + p + r + c
    of = os_ + s
    nv = of + (c if not_first is not None else 0)
    cost = np.zeros(nv)
    cost[oz : oz + c] = setup.effort[cand]
    lower, upper = np.zeros(nv), np.ones(nv)
    upper[ot : ot + c] = max(c - 1, 0)
    integrality = np.ones(nv)
    integrality[ot : ot + c] = 0
    rows: list[dict[int, float]] = []
    lo: list[float] = []
    hi: list[float] = []

    def add(coeffs: dict[int, float], low: float, high: float) -> None:
        rows.append(coeffs)
        lo.append(low)
        hi.append(high)

    big = float(max(c, 1))
    arc = {(j, k): b for b, (j, k, _) in enumerate(pairs)}
    for b, (j, k, _) in enumerate(pairs):
        add({oy + b: 1.0, oz + pos[j]: -1.0}, -np.inf, 0.0)
        add({oy + b: 1.0, oz + pos[k]: -1.0}, -np.inf, 0.0)
        if mtz:
            add({ot + pos[j]: 1.0, ot + pos[k]: -1.0, oy + b: big}, -np.inf, big - 1.0)
        elif (k, j) in arc and j < k:
            add({oy + b: 1.0, oy + arc[k, j]: 1.0}, -np.inf, 1.0)
    if not mtz:
        upper[ot : ot + c] = 0.0
    by_target: dict[int, list[int]] = {}
    for b, (_, k, _) in enumerate(pairs):
        by_target.setdefault(k, []).append(b)
    for e, a in enumerate(repelled):
        k = cand[a]
        row = {om + e: 1.0}
        for b in by_target.get(k, []):
            row[oy + b] = row.get(oy + b, 0.0) - 1.0
        add(row, -np.inf, 0.0)  # m_k <= sum of y_jk
    # R4 (momentum, Case 2): whoever the plan meets who does not support yet hears it from
    # every sympathetic peer they listen to, met first (a passive ally carries nothing until met)
    for b in _peer_pairs(setup, pairs, x0):
        add({oy + b: 1.0, oz + pos[pairs[b][1]]: -1.0}, 0.0, np.inf)  # y_jk >= z_k
    # R5: a powerful active opponent only after more than half their listened weight is active
    for a, k in enumerate(cand):
        if setup.stance[k] <= -2 and net.power[k] >= POWERFUL and x0[k] < LINE - TOL:
            total = sum(w for _, w in net.listens[k])
            later = sum(pairs[b][2] for b in by_target.get(k, []))
            if start_in[a] > 0.5 * total + _R5_STEP:
                continue  # already more than half
            if start_in[a] + later <= 0.5 * total + _R5_STEP:
                upper[oz + a] = 0.0  # never more than half (or no one they listen to)
                continue
            # a margin above HiGHS's tolerances: "more than half" must not read as "half"
            row = {oz + a: start_in[a] - 0.5 * total - _R5_STEP}
            for b in by_target.get(k, []):
                row[oy + b] = pairs[b][2]
            add(row, 0.0, np.inf)
    # opinions: s_i -> x0_i + gain_i >= LINE (+ margin); each coefficient is capped at the
    # need (a valid strengthening for binaries), and s_i is fixed at 0 where even meeting
    # everyone with every messenger active falls short
    most = {a: net.push(k, np.ones(n, dtype=bool))[0] for a, k in enumerate(cand)}
    hope = x0 + sum((inv[:, k] * most[a] / net.power[k] for a, k in enumerate(cand)), np.zeros(n))
    for i in watched:
        need = LINE + margin - TOL + _SAFE - x0[i]
        if need <= 0:
            continue
        if hope[i] - x0[i] < need - 1e-9:
            upper[os_ + spos[i]] = 0.0
            continue
        row = {os_ + spos[i]: -need}
        for a, k in enumerate(cand):
            coef = inv[i, k] / net.power[k]
            if coef > 1e-12 and base[a]:
                row[oz + a] = coef * base[a]
        for b, (_, k, w) in enumerate(pairs):
            coef = inv[i, k] / net.power[k]
            if coef > 1e-12:
                row[oy + b] = coef * w
        for e, a in enumerate(repelled):
            k = cand[a]
            coef = inv[i, k] / net.power[k]
            if coef > 1e-12:
                row[om + e] = -coef * float(net.champion_tie[k])
        key = os_ + spos[i]
        if all(v >= 0 for col, v in row.items() if col != key):
            row = {col: v if col == key else min(v, need) for col, v in row.items()}
        add(row, 0.0, np.inf)
    # the rule and the vetoes
    quota = body.quota - 1e-9
    add({os_ + spos[i]: min(weight[i], quota) for i in members}, quota, np.inf)
    for v, u in veto_pairs:
        add({os_ + spos[v]: 1.0, os_ + spos[u]: 1.0}, 1.0, np.inf)
    if not_first is not None:  # f (c): the opener, someone other than ``not_first``
        add({of + a: 1.0 for a in range(c)}, 1.0, 1.0)
        for a, k in enumerate(cand):
            add({of + a: 1.0, oz + a: -1.0}, -np.inf, 0.0)
            if k == not_first:
                upper[of + a] = 0.0
        for b, (_, k, _) in enumerate(pairs):
            add({oy + b: 1.0, of + pos[k]: 1.0}, -np.inf, 1.0)
    while True:
        res = _run(cost, rows, lo, hi, nv, integrality, lower, upper, time_limit, started)
        if res.status == 2:
            return Solution("infeasible", (), 0.0, 0.0, time.perf_counter() - started)
        if res.x is None:
            return Solution("unknown", (), 0.0, None, time.perf_counter() - started)
        sol = res.x
        before = [(j, k) for b, (j, k, _) in enumerate(pairs) if sol[oy + b] > 0.5]
        cycles = _cycles(before)
        if not cycles:
            break
        if time.perf_counter() - started > time_limit:
            return Solution("unknown", (), 0.0, None, time.perf_counter() - started)
        for cycle in cycles:  # lazy cuts: no order has every "before" of a cycle
            add({oy + arc[e]: 1.0 for e in cycle}, -np.inf, len(cycle) - 1.0)
    seconds = time.perf_counter() - started
    met = [cand[a] for a in range(c) if sol[oz + a] > 0.5]
    first = None
    if not_first is not None:
        first = next(cand[a] for a in range(c) if sol[of + a] > 0.5)
    order = _sequence(setup, met, before, {k: sol[ot + pos[k]] for k in met}, x0, first)
    effort = float(sum(setup.effort[k] for k in order))
    gap = 0.0 if res.status == 0 else getattr(res, "mip_gap", None)
    bound = getattr(res, "mip_dual_bound", None)
    status = "optimal" if res.status == 0 else "feasible"
    return Solution(status, order, effort, gap, seconds, bound)


def sympathetic_peers(setup, x0: np.ndarray) -> list[tuple[int, int]]:
    """R4 pairs ``(j, k)``: ``k`` does not support at the start and listens (a positive tie) to
    ``j``, a sympathetic peer who can be met: a passive ally (stance +1, at the support line) who
    has a vote in the decision body (a fellow member, not an outside party) and carries the
    idea to nobody until met. A plan that meets ``k`` meets ``j`` before ``k``, so the idea
    reaches ``k`` through the peer (Sebenius 2004, R4 momentum; COALITIONS.md Case 2, where the
    analyst met her two sympathetic colleagues before the conservative members).

    >>> from stakemap.planning.planner import _setup
    >>> from stakemap.samples import new_programme
    >>> setup = _setup(new_programme(), None, ())
    >>> x0 = setup.net.solve(setup.net.u)
    >>> sorted({setup.net.names[j].split()[0] for j, _ in sympathetic_peers(setup, x0)})
    ['Omar', 'Priya']
    """
    net = setup.net
    peer = setup.eligible & ~net.active0 & (setup.stance > 0) & (setup.stance < 2)
    peer &= (x0 >= LINE - TOL) & (np.asarray(setup.body.weight, dtype=float) > 0)
    return [
        (j, k)
        for k in range(len(net.names))
        if x0[k] < LINE - TOL and setup.eligible[k]
        for j, _ in net.listens[k]
        if peer[j] and j != k
    ]


def _peer_pairs(setup, pairs, x0) -> list[int]:
    """Indices into ``pairs`` of the R4 pairs (:func:`sympathetic_peers`)."""
    wanted = set(sympathetic_peers(setup, x0))
    return [b for b, (j, k, _) in enumerate(pairs) if (j, k) in wanted]


def _run(cost, rows, lo, hi, nv, integrality, lower, upper, time_limit, started):
    """One HiGHS solve with what is left of the time budget."""
    import time

    data, ri, ci = [], [], []
    for q, row in enumerate(rows):
        for col, val in row.items():
            if val:
                ri.append(q)
                ci.append(col)
                data.append(val)
    matrix = sparse.csr_matrix((data, (ri, ci)), shape=(len(rows), nv))
    left = max(0.05, float(time_limit) - (time.perf_counter() - started))
    return milp(
        cost,
        constraints=LinearConstraint(matrix, np.array(lo), np.array(hi)),
        integrality=integrality,
        bounds=Bounds(lower, upper),
        options={"time_limit": left, "disp": False},
    )


def _cycles(arcs: list[tuple[int, int]], most: int = 50) -> list[list[tuple[int, int]]]:
    """Directed cycles among ``arcs`` (each found, then one of its arcs set aside to look for
    more), as lists of arcs."""
    graph: dict[int, list[int]] = {}
    for j, k in arcs:
        graph.setdefault(j, []).append(k)
    found: list[list[tuple[int, int]]] = []
    while len(found) < most:
        cycle = _one_cycle(graph)
        if cycle is None:
            return found
        found.append(cycle)
        j, k = cycle[0]
        graph[j].remove(k)
    return found


def _one_cycle(graph: dict[int, list[int]]) -> list[tuple[int, int]] | None:
    state: dict[int, int] = {}
    for root in list(graph):
        if state.get(root):
            continue
        path, stack = [root], [iter(graph.get(root, ()))]
        state[root] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
                continue
            if state.get(nxt) == 1:
                loop = [*path[path.index(nxt) :], nxt]
                return list(pairwise(loop))
            if not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(graph.get(nxt, ())))
    return None


def _sequence(setup, met, before, when, x0, first=None) -> tuple[int, ...]:
    """A topological order of ``met`` keeping every ``before`` pair: allies (already at the
    line) first, then the deferred-to before those who defer to them (R3) where that keeps the
    order, then the solver's order; ``first`` (if given) opens."""
    needs: dict[int, set[int]] = {k: set() for k in met}
    for j, k in before:
        needs[k].add(j)
    chosen = set(met)
    order: list[int] = []
    placed: set[int] = set()
    while len(order) < len(met):
        ready = [k for k in met if k not in placed and needs[k] <= placed]
        if not ready:  # cannot happen with the order constraints; keep the solver's order
            ready = [k for k in met if k not in placed]

        def key(k: int) -> tuple:
            waits = any(
                u in chosen and u not in placed and u != k and _acyclic(needs, u, k)
                for u in setup.defers[k]
            )
            return (k != first, x0[k] < LINE - TOL, waits, when[k], k)

        k = min(ready, key=key)
        order.append(k)
        placed.add(k)
    return tuple(order)


def _acyclic(needs: dict[int, set[int]], u: int, k: int) -> bool:
    """Whether ``u`` may come before ``k``: ``u`` does not (transitively) need ``k``."""
    seen, stack = set(), [u]
    while stack:
        a = stack.pop()
        if a == k:
            return False
        if a in seen:
            continue
        seen.add(a)
        stack.extend(needs.get(a, ()))
    return True
