"""The least-effort plan, proven: a mixed-integer programme over the planner's one model.

Least-effort coalition building is weighted target set selection (NP-hard; Raghavan and Zhang,
"A branch-and-cut approach for the weighted target set selection problem on social networks",
INFORMS J. Optimization 2019). In the model (:mod:`stakemap.planning.influence`) the final
opinions are ``x = typed + sum_k G[:, k] push_k`` over the people met, ``G`` the non-negative
gain matrix; a meeting's push is its base (own meeting, goal-aligned ask, carriers from the
start) plus the tie of every messenger who carries the idea before it. The programme (solved by
:func:`scipy.optimize.milp`, HiGHS branch-and-cut) has

- ``z_k``: ``k`` is met; objective ``sum effort_k z_k``;
- ``y_jk``: messenger ``j`` carries it before ``k`` is met: ``j`` met (``y_jk <= z_j, z_k``)
  and for it (see below), with no cycle of "before" (lazy cycle cuts, or Miller-Tucker-Zemlin
  order variables);
- ``m_k``: some messenger brings it, so a champion who repels ``k`` stays out (R6); no meeting
  pushes anyone down;
- ``s_i``: ``i`` ends for (at the support line plus a margin); ``o_i``: ``i`` ends against;
- the rule of :mod:`stakemap.planning.rule` on those, in whole-number weights: each threshold
  (of the whole body, or of the votes cast), the quorum, a blocking minority, formal vetoes
  (the holder for, or not against) and informal ones (for, or every member he listens to for);
- R4: a sympathetic peer is met before whoever listens to them; R5: a powerful active opponent
  only once more than half the tie weight they listen to is carried to them.

Whether a messenger is for it *when the meeting happens* depends on the order, so the
programme is solved twice (:func:`solve`): restricted (a messenger must be won by their own
meeting and the messengers before it, which later meetings can only add to), so every plan
found is real; and relaxed (a messenger must be for it at the end), which proves a plan the
least effort or proves that no plan exists. Every solution is replayed through the model
(:meth:`stakemap.planning.problem.Problem.verifies`); one that does not hold is cut off and the
search goes on, and its plan is then no longer called proven.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from scipy import sparse

from stakemap.planning.problem import Problem
from stakemap.planning.programme import Formulation, Model

__all__ = ["EXACT_LIMIT", "TIME_LIMIT", "Solution", "solve"]

#: Largest map (people) the programme is tried on; beyond it the greedy plans alone.
EXACT_LIMIT = 300
#: Seconds HiGHS may spend on one map before returning its incumbent (then not proven).
TIME_LIMIT = 1.5


@dataclass(frozen=True)
class Solution:
    """What the programme found: ``status`` is ``"optimal"`` (proven least effort),
    ``"feasible"`` (a verified plan, not proven least), ``"infeasible"`` (proven: no order of
    meetings makes the proposal ready) or ``"unknown"`` (nothing verified in the time); ``order``
    the meetings in sequence; ``bound`` a proven lower bound on effort; ``seconds`` spent."""

    status: str
    order: tuple[int, ...]
    effort: float
    bound: float | None
    seconds: float

    @property
    def gap(self) -> float | None:
        """Relative distance of the effort to the proven lower bound (0: least, proven)."""
        if self.status == "optimal":
            return 0.0
        if self.bound is None or self.effort <= 0 or self.status != "feasible":
            return None
        return max(0.0, (self.effort - self.bound) / self.effort)


def solve(
    pr: Problem,
    time_limit: float = TIME_LIMIT,
    margin: float = 0.0,
    mtz: bool = False,
    not_first: int | None = None,
    forbid: tuple[frozenset[int], ...] = (),
    rules: bool = True,
) -> Solution:
    """Least-effort sequence for ``pr``, counting a person for once their opinion reaches the
    support line plus ``margin`` (0: the line itself, the one case where ``infeasible`` proves no
    plan exists). With ``not_first``, the best plan that opens with someone else; ``forbid``
    lists sets of people met that a plan may not be (to find other routes). ``rules=False``
    drops the sequencing rules R4 and R5: only then does ``infeasible`` prove that no order of
    meetings at all makes the proposal ready.

    Two programmes share the time: the *restricted* one counts a messenger only once their own
    meeting (with the messengers before it) has won them, so every plan it finds is real; the
    *relaxed* one counts a messenger who is for it at the end, so it proves a plan the least
    effort (nothing cheaper is even possible in it) or proves that none exists.

    >>> from stakemap.planning.problem import problem
    >>> from stakemap.samples.cases import new_programme
    >>> sol = solve(problem(new_programme()))
    >>> sol.status, sol.effort > 0
    ('optimal', True)
    """
    started = time.perf_counter()
    options = (margin, mtz, not_first, forbid, rules)
    first = _search(pr, Formulation(pr, *options, carriers="own"), started + 0.6 * time_limit)
    if first.kind == "found":
        cap = first.effort - 1e-6
        check = _search(
            pr, Formulation(pr, *options, carriers="end", cap=cap), started + time_limit
        )
        seconds = time.perf_counter() - started
        if check.kind == "infeasible":  # nothing cheaper, even in the relaxation
            return Solution("optimal", first.order, first.effort, first.effort, seconds)
        if check.kind == "found":  # a cheaper real plan the restriction missed
            status = "optimal" if check.proven else "feasible"
            return Solution(status, check.order, check.effort, check.bound, seconds)
        return Solution("feasible", first.order, first.effort, check.bound, seconds)
    loose = _search(pr, Formulation(pr, *options, carriers="end"), started + time_limit)
    seconds = time.perf_counter() - started
    if loose.kind == "infeasible":
        return Solution("infeasible", (), 0.0, None, seconds)
    if loose.kind == "found":
        status = "optimal" if loose.proven else "feasible"
        return Solution(status, loose.order, loose.effort, loose.bound, seconds)
    return Solution("unknown", (), 0.0, loose.bound, seconds)


@dataclass(frozen=True)
class _Outcome:
    """One programme's answer: ``kind`` found, infeasible (proven) or unknown; ``proven``
    says the plan found is the programme's optimum; ``bound`` a proven lower bound."""

    kind: str
    order: tuple[int, ...] = ()
    effort: float = 0.0
    proven: bool = False
    bound: float | None = None


def _search(pr: Problem, build: Formulation, deadline: float) -> _Outcome:
    """Solve ``build`` until a plan replays as ready, cutting off cycles of "before" and
    relaxation plans the model does not bear out, until ``deadline``."""
    if build.hopeless:
        return _Outcome("infeasible")
    bound, cut = None, False
    while True:
        res = _run(build.model, max(0.05, deadline - time.perf_counter()))
        if res.status == 2:  # infeasible: proven, unless plans were cut off by hand
            return _Outcome("unknown" if cut else "infeasible", bound=bound)
        if res.x is None:
            return _Outcome("unknown", bound=bound)
        if not cut:
            bound = getattr(res, "mip_dual_bound", None)
        cycles = _cycles(build.before(res.x))
        if cycles:
            for cycle in cycles:  # no order has every "before" of a cycle
                build.model.add(
                    {build.oy + build.arc[e]: 1.0 for e in cycle}, -np.inf, len(cycle) - 1.0
                )
        else:
            order = build.order(res.x)
            if pr.verifies(order, build.rules):
                effort = float(sum(pr.effort[k] for k in order))
                proven = res.status == 0 and not cut
                return _Outcome("found", order, effort, proven, effort if proven else bound)
            build.exclude(res.x)
            cut = True
        if time.perf_counter() > deadline:
            return _Outcome("unknown", bound=bound)


def _run(md: Model, time_limit: float):
    """One HiGHS solve (scipy.optimize imported here: plans past :data:`EXACT_LIMIT` people,
    the greedy's alone, never wait for it, 0.2-0.5 s of the command line's start-up)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    data, ri, ci = [], [], []
    for q, row in enumerate(md.rows):
        for col, val in row.items():
            ri.append(q)
            ci.append(col)
            data.append(val)
    matrix = sparse.csr_matrix((data, (ri, ci)), shape=(len(md.rows), md.nv))
    constraints = LinearConstraint(matrix, np.array(md.lo), np.array(md.hi)) if md.rows else ()
    return milp(
        np.array(md.cost),
        constraints=constraints,
        integrality=np.array(md.integer),
        bounds=Bounds(np.array(md.lower), np.array(md.upper)),
        options={"time_limit": time_limit, "disp": False},
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
