"""Coalition sequencing: whom to approach first, in what order, through whom, with what ask.

The plan is a greedy sequence of one-to-one meetings over the one influence model of
:mod:`stakemap.planning.influence` (Friedkin-Johnsen with meetings), toward the decision rule of
:mod:`stakemap.planning.rule`, following ../shared/COALITIONS.md (Sebenius 2004; Watkins 2003; Lax and
Sebenius 2006): value per effort toward the votes the rule counts and the veto holders' listeners
(R1, R2), meet people after the messengers they defer to (R3), no early warning to a powerful
opponent (R5), keep repelling people out (R6), close when the rule holds and vetoes are isolated
(R7), goal-aligned asks (R8). A step "wins" exactly the people whose predicted opinion crosses the
support line after it, so the What-if panel, replaying the same meetings, predicts the same.

Rough inputs: every plan carries its confidence, the share of seeded nearby maps (each power,
effort and tie strength moved by up to one point) on which replaying its steps still closes, and
the planner plans against a margin above the support line, keeping the most robust of a few
margins (:data:`MARGINS`).
"""

from __future__ import annotations

import random
from collections.abc import Collection
from dataclasses import dataclass, replace
from itertools import pairwise

import numpy as np

from stakemap.model import StakeholderMap
from stakemap.planning.influence import LINE, TOL, Network, network
from stakemap.planning.rule import DecisionBody, decision_body

__all__ = [
    "CONFIDENCE_SAMPLES",
    "MARGINS",
    "Close",
    "Plan",
    "Step",
    "Unlock",
    "jitter",
    "method_line",
    "percent",
    "plan",
    "plan_to_json",
    "plan_to_text",
    "point_change",
    "replay",
    "second_opening",
    "share_digits",
]

#: Stance recorded for a person once their step is done: an active ally (spectrum of allies).
WON_STANCE = 2
#: Margins (stance points above the support line) the planner plans against; the plan kept is
#: the most robust of them (then the least effort).
MARGINS: tuple[float, ...] = (1.0, 0.5, 0.0)
#: Nearby maps drawn for a plan's confidence, and the largest map (people) it is measured on.
CONFIDENCE_SAMPLES = 60
CONFIDENCE_LIMIT = 400
#: Share of a listener's worth credited for the push a newly active messenger adds (R3, R4),
#: and of a decision maker's worth for the weight a person has with them (R1).
ENABLE_CREDIT = 0.5
BACKWARD_CREDIT = 0.5
#: Power from which an active opponent (stance -2) falls under R5 (no early warning).
POWERFUL = 4.0
EPS = 1e-9


@dataclass(frozen=True)
class Step:
    """One step of a plan; ``new_stance`` is what ticking it done records (None for the close).

    ``wins`` are the people whose predicted opinion crosses the support line with this step
    (the person met first, then anyone it carries over); ``details`` holds the numbers.
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


@dataclass(frozen=True)
class Close:
    """Whether the group meeting can go ahead, who is isolated and who is still opposed;
    ``confidence`` is the share of nearby maps on which the plan still closes (None: not
    measured on a map this large)."""

    ready: bool
    support_share: float
    isolated: tuple[str, ...]
    opposed: tuple[str, ...]
    reason: str
    confidence: float | None = None


@dataclass(frozen=True)
class Plan:
    """A coalition-building sequence; ``effort`` sums the one-to-one steps' efforts.

    Shares are of the votes the decision rule counts (:mod:`stakemap.planning.rule`): supporters
    (predicted at the support line or above) and active supporters (the champion, +2 and
    everyone met). ``digits`` is how many decimals every printed share takes
    (:func:`share_digits`). ``body`` says who decides and by what rule.
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


@dataclass(frozen=True)
class Unlock:
    """A smallest change that makes a plan exist, checked by re-solving: ``kind`` is ``tie``,
    ``goal``, ``share`` or ``stance``; ``text`` says it in words; ``change`` holds what to apply
    (see :func:`stakemap.planning.unlock.apply`); ``effort`` is the plan's effort once applied."""

    kind: str
    text: str
    change: tuple
    effort: float


@dataclass
class _Setup:
    """What a plan is computed from: the map's network, decision body and who may be met."""

    m: StakeholderMap
    net: Network
    body: DecisionBody
    eligible: np.ndarray
    effort: np.ndarray
    stance: np.ndarray
    defers: list[list[int]]
    verbs: dict[tuple[int, int], str]
    asks: list[list[str]]
    vetoes: list[int]


def _setup(m: StakeholderMap, pass_share: float | None, exclude: Collection[str]) -> _Setup:
    net = network(m)
    body = decision_body(m, pass_share)
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
    asks = []
    parts = [({t.strip().lower() for t in p.tags}, p.name) for p in m.proposal.parts]
    for s in m.stakeholders:
        goals = {g.strip().lower() for g in s.goals}
        hits = [(len(goals & tags), name) for tags, name in parts]
        best = max((h for h, _ in hits), default=0)
        asks.append([name for h, name in hits if h == best and best > 0])
    return _Setup(
        m=m,
        net=net,
        body=body,
        eligible=eligible,
        effort=np.array([max(0.1, float(s.effort)) for s in m.stakeholders]),
        stance=np.array([s.stance for s in m.stakeholders]),
        defers=defers,
        verbs=verbs,
        asks=asks,
        vetoes=[v for v, is_veto in enumerate(body.veto) if is_veto],
    )


def _ready(setup: _Setup, supporters: np.ndarray) -> bool:
    body = setup.body
    if not setup.net.names or not body.rule_holds(supporters):
        return False
    return all(
        supporters[v] or body.isolated(v, supporters, [u for u, _ in setup.net.listens[v]])
        for v in setup.vetoes
    )


def _supporters(x: np.ndarray) -> np.ndarray:
    return x >= LINE - TOL


@dataclass
class _Move:
    """One meeting of a sequence, as the engine made it."""

    k: int
    waiting: int | None
    messengers: list[int]
    present: bool
    push: float
    wins: list[int]
    x: np.ndarray
    active: np.ndarray


def _worth(setup: _Setup, supporters: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each person's worth toward the close, and the extra worth of carrying it to others.

    Worth: their share of the votes still needed (R1, R2), plus an equal part of each
    non-supporting veto holder's listeners in the decision body (isolation, R7). Backward worth
    (R1): a part of the worth of each non-supporting decision maker they have a say with.
    """
    body, net = setup.body, setup.net
    weight = body.weights
    quota = max(body.quota, EPS)
    worth = np.where(supporters, 0.0, weight / quota)
    for v in setup.vetoes:
        if not supporters[v]:
            listeners = [u for u, _ in net.listens[v] if weight[u] > 0 and not supporters[u]]
            for u in listeners:
                worth[u] += 1.0 / len(listeners)
    total = net.listened
    open_ = (weight > 0) & ~supporters & (total > 0)
    factor = np.divide(BACKWARD_CREDIT * worth, total, out=np.zeros_like(worth), where=open_)
    return worth, net.listen.T @ factor


def _sequence(setup: _Setup, margin: float) -> tuple[list[_Move], np.ndarray, np.ndarray]:
    """The greedy sequence against ``margin``: each step meets the eligible person of highest
    positive value per effort (R2) whom a meeting now would carry to ``LINE + margin`` (or who
    already supports), after anyone they defer to who can be met now (R3). Vectorised: every
    candidate's value is a few sparse products per step."""
    net = setup.net
    n = len(net.names)
    x = net.solve(net.u) if n else np.zeros(0)
    active = net.active0.copy()
    moves: list[_Move] = []
    if not n:
        return moves, x, active
    u = net.u.copy()
    listen = net.listen.tocsr()
    rows = np.repeat(np.arange(n), np.diff(listen.indptr))
    cols, weights = listen.indices, listen.data
    positive_in = np.asarray(listen.sum(axis=1)).ravel()
    powerful = (setup.stance <= -2) & (net.power >= POWERFUL)
    while not _ready(setup, _supporters(x)) and len(moves) < n:
        supporters = _supporters(x)
        worth, backward = _worth(setup, supporters)
        carry = worth + backward
        direct = x + net.pushes(active) / net.power
        active_in = listen @ active.astype(float)
        feasible = setup.eligible & ~active & (supporters | (direct >= LINE + margin - TOL))
        feasible &= ~powerful | (active_in > 0.5 * positive_in + EPS) | supporters
        if not feasible.any():
            break
        gap = np.maximum(LINE + margin - x, 0.05)
        open_ = ~supporters & (carry > 0)
        entry = np.where(
            open_[rows],
            ENABLE_CREDIT * carry[rows] * np.minimum(1.0, weights / (net.power[rows] * gap[rows])),
            0.0,
        )
        enable = np.bincount(cols, weights=entry, minlength=n)
        value = np.where(supporters, 0.0, worth + backward) + np.where(active, 0.0, enable)
        value = np.round(value / setup.effort, 9)
        value = np.where(feasible, value, 0.0)
        best = int(np.argmax(value))
        if value[best] <= EPS:
            break
        k, waiting = _after_deference(setup, best, feasible, active)
        move = _meet(net, k, waiting, u, x, active)
        moves.append(move)
        x = move.x
    return moves, x, active


def _after_deference(
    setup: _Setup, best: int, feasible: np.ndarray, met: np.ndarray
) -> tuple[int, int | None]:
    """R3: if ``best`` defers to (or reports to) someone who can be met now, meet them first,
    and so on up the chain; return whom to meet and whom they come first for."""
    chosen, waiting, seen = best, None, {best}
    while True:
        ahead = [u for u in setup.defers[chosen] if u not in seen and feasible[u] and not met[u]]
        if not ahead:
            return chosen, waiting
        waiting = chosen
        chosen = min(ahead, key=lambda u: (setup.effort[u], u))
        seen.add(chosen)


def replay(
    m: StakeholderMap,
    names: Collection[str],
    *,
    pass_share: float | None = None,
) -> tuple[bool, np.ndarray]:
    """Whether the close holds after meeting ``names`` in order, and the predicted opinions,
    solved afresh by iteration (:meth:`stakemap.planning.influence.Network.replay`)."""
    setup = _setup(m, pass_share, ())
    order = [setup.net.index[n] for n in names if n in setup.net.index]
    x = setup.net.replay(order)
    return _ready(setup, _supporters(x)), x


def jitter(m: StakeholderMap, rng: random.Random) -> StakeholderMap:
    """A nearby map: each power and effort (1-5) and each tie strength (-5..5) moved by -1, 0
    or +1 at random, clipped to its range; stances, roles and votes kept."""
    people = tuple(
        replace(
            s,
            power=min(5.0, max(1.0, s.power + rng.choice((-1, 0, 1)))),
            effort=min(5.0, max(1.0, s.effort + rng.choice((-1, 0, 1)))),
        )
        for s in m.stakeholders
    )
    ties = tuple(
        replace(r, strength=min(5.0, max(-5.0, r.strength + rng.choice((-1, 0, 1)))))
        for r in m.relationships
    )
    return replace(m, stakeholders=people, relationships=ties)


def confidence(
    m: StakeholderMap,
    names: Collection[str],
    *,
    pass_share: float | None = None,
    samples: int = CONFIDENCE_SAMPLES,
    seed: int = 0,
) -> float:
    """Share of ``samples`` seeded nearby maps (:func:`jitter`) on which meeting ``names`` in
    order still closes."""
    rng = random.Random(seed)
    held = sum(replay(jitter(m, rng), names, pass_share=pass_share)[0] for _ in range(samples))
    return held / samples if samples else 0.0


def plan(
    m: StakeholderMap,
    *,
    pass_share: float | None = None,
    exclude: Collection[str] = (),
    method: str = "auto",
    samples: int = CONFIDENCE_SAMPLES,
    time_limit: float | None = None,
    unlock: bool = True,
) -> Plan:
    """Sequence the coalition for ``m``'s proposal.

    ``method="auto"`` (the default) solves the least-effort programme of
    :mod:`stakemap.planning.exact` on maps of up to :data:`stakemap.planning.exact.EXACT_LIMIT` people,
    with the sequencing rules as constraints (R3, R4: sympathetic peers met before those who
    listen to them, R5, R6), and keeps its verified sequence (``method="exact"``; ``optimal``
    when proven within the time budget, ``gap`` to the bound); when the programme is not proven,
    the greedy's plan competes as the incumbent. When the programme proves that no sequence
    reaches the rule, ``proven_none`` is set and ``unlock`` lists the smallest checked changes
    that would make one exist. The greedy plans against each of :data:`MARGINS` and keeps the
    plan that closes, then the one with the highest confidence (on maps of up to
    :data:`CONFIDENCE_LIMIT` people), then the least effort. Passive allies (+1) count as
    supporters but pass nothing on until met: they appear as ``allies`` steps when their word
    matters. ``method="exact"``
    keeps the programme's plan on any size; ``"greedy"``/``"lazy"`` skip the programme.

    Examples
    --------
    >>> from stakemap.samples import new_programme
    >>> p = plan(new_programme(), method="greedy")
    >>> [(s.name.split()[0], s.phase) for s in p.steps]  # doctest: +NORMALIZE_WHITESPACE
    [('Omar', 'allies'), ('Priya', 'allies'), ('Rosa', 'persuade'), ('Tom', 'align'),
     ('Lena', 'persuade'), ('Dr', 'close')]
    >>> p.close.ready, p.close.isolated
    (True, ('Dr Victor Hale',))
    >>> q = plan(new_programme(), samples=0, method="exact")  # the least effort, proven
    >>> q.method, q.optimal, q.close.ready, q.effort <= p.effort
    ('exact', True, True, True)
    """
    from stakemap.planning import exact as optimiser

    if method not in ("auto", "exact", "lazy", "greedy"):
        raise ValueError(f"unknown method {method!r}: use 'auto', 'exact' or 'greedy'")
    m, named = _with_champion(m)
    setup = _setup(m, pass_share, exclude)
    n = len(setup.net.names)
    measured = n <= CONFIDENCE_LIMIT and samples > 0
    limit = optimiser.TIME_LIMIT if time_limit is None else time_limit
    exact = n > 0 and (method == "exact" or (method == "auto" and n <= optimiser.EXACT_LIMIT))
    sol = optimiser.solve(setup, limit) if exact else None
    p: Plan | None = None
    if sol is not None and sol.status in ("optimal", "feasible"):
        p = _exact_plan(setup, m, pass_share, samples, measured, sol, limit)
    if p is None:
        p = _greedy(setup, m, pass_share, samples, measured)
        if sol is not None and sol.status == "infeasible":
            fact = f" {_no_plan_sentence(setup)}"
            p = replace(
                p,
                method="exact",
                optimal=True,
                gap=0.0,
                proven_none=True,
                close=replace(p.close, reason=p.close.reason + fact),
            )
            if unlock:
                from stakemap.planning.unlock import unlocks

                p = replace(p, unlock=tuple(unlocks(m, pass_share=pass_share, exclude=exclude)))
    return replace(p, advice=(*named, *p.advice)) if named else p


def _exact_plan(setup, m, pass_share, samples, measured, sol, limit) -> Plan | None:
    """The kept plan once the programme has a solution on the line: with confidence measured,
    also the programme's plans against the larger :data:`MARGINS`, keeping the one that closes,
    then the most robust, then the least effort (as the greedy keeps its own); the greedy's plan
    joins them only when the programme is not proven (it is the incumbent, not the default).
    ``optimal`` says the kept plan's effort is the proven least; ``gap`` its relative distance to
    the programme's lower bound."""
    from stakemap.planning import exact as optimiser

    options: list[tuple[tuple, Plan]] = []
    orders = [sol.order]
    if measured:
        for margin in MARGINS:
            if margin > 0:
                extra = optimiser.solve(setup, limit / 3, margin=margin)  # a robust option
                if extra.status in ("optimal", "feasible") and extra.order not in orders:
                    orders.append(extra.order)
    for order in orders:
        if not _verifies(setup, order):
            continue
        moves, x, active = _replay_moves(setup, order)
        names = [setup.net.names[k] for k in order]
        conf = confidence(m, names, pass_share=pass_share, samples=samples) if measured else None
        p = _assemble(setup, moves, x, active, conf, "exact")
        options.append(((True, conf or 0.0, -p.effort), p))
    if sol.status != "optimal" or not options:  # the greedy as the incumbent
        g = _greedy(setup, m, pass_share, samples, measured)
        if g.close.ready:
            options.append(((True, g.close.confidence or 0.0, -g.effort), g))
    if not options:
        return None
    kept = max(options, key=lambda o: o[0])[1]
    proven = sol.status == "optimal" and kept.effort <= sol.effort + EPS
    return replace(kept, optimal=proven, gap=_gap(sol, kept.effort))


def second_opening(
    m: StakeholderMap,
    first: str,
    *,
    pass_share: float | None = None,
    exclude: Collection[str] = (),
    time_limit: float | None = None,
) -> Plan | None:
    """The second-best opening: the least-effort plan whose first meeting is someone other
    than ``first`` (the best plan's opener), solved exactly by :mod:`stakemap.planning.exact` with
    an opener variable (``not_first``) and replayed through the model; None when no other
    opening leads to a ready plan (or the map is past the exact limit). ``first`` may still be
    met later in it (unlike "not through", which avoids the person altogether).

    >>> from stakemap.samples import new_programme
    >>> alt = second_opening(new_programme(), "Omar Haddad")
    >>> alt.steps[0].name != "Omar Haddad", alt.close.ready
    (True, True)
    """
    from stakemap.planning import exact as optimiser

    m, _ = _with_champion(m)
    setup = _setup(m, pass_share, exclude)
    n = len(setup.net.names)
    k = setup.net.index.get(first)
    if not n or n > optimiser.EXACT_LIMIT:
        return None
    limit = optimiser.TIME_LIMIT if time_limit is None else time_limit
    sol = optimiser.solve(setup, limit, not_first=k)
    if sol.status not in ("optimal", "feasible") or not sol.order:
        return None
    if sol.order[0] == k or not _verifies(setup, sol.order):
        return None
    moves, x, active = _replay_moves(setup, sol.order)
    p = _assemble(setup, moves, x, active, None, "exact")
    return replace(p, optimal=sol.status == "optimal", gap=_gap(sol, p.effort))


def _greedy(setup: _Setup, m, pass_share, samples: int, measured: bool) -> Plan:
    """The greedy plan: the most robust of the margins' sequences, then the least effort."""
    best: tuple | None = None
    seen: dict[tuple[int, ...], tuple] = {}
    for margin in MARGINS if measured else (0.5,):
        moves, x, active = _sequence(setup, margin)
        order = tuple(mv.k for mv in moves)
        if order in seen:
            continue
        ready = _ready(setup, _supporters(x))
        names = [setup.net.names[k] for k in order]
        conf = confidence(m, names, pass_share=pass_share, samples=samples) if measured else None
        effort = float(sum(setup.effort[k] for k in order))
        key = (ready, conf or 0.0, -effort)
        seen[order] = key
        if best is None or key > best[0]:
            best = (key, moves, x, active, conf)
    assert best is not None
    _, moves, x, active, conf = best
    return _assemble(setup, moves, x, active, conf, "greedy")


def _gap(sol, effort: float) -> float | None:
    """Relative gap of ``effort`` to the programme's proven lower bound (0: proven optimal)."""
    if sol.status == "optimal" and effort <= sol.effort + EPS:
        return 0.0
    if sol.bound is None or effort <= 0:
        return sol.gap
    return max(0.0, (effort - float(sol.bound)) / effort)


def _no_plan_sentence(setup: _Setup) -> str:
    """The proven fact, in the rule's words."""
    body = setup.body
    votes = "power" if body.fallback else "the votes"
    if body.rule == "unanimity":
        goal = f"every one of {votes}"
    elif body.rule == "single":
        goal = "the decider's yes"
    elif body.rule == "majority":
        goal = f"a majority of {votes}"
    else:
        goal = f"{percent(body.line)} of {votes}"
    veto = " with every veto holder won or isolated" if setup.vetoes else ""
    return f"No order of meetings reaches {goal}{veto} on this map."


def _verifies(setup: _Setup, order: tuple[int, ...]) -> bool:
    """The sequence, replayed through :meth:`Network.replay`, closes; it meets only eligible
    people, each once, and keeps R5 (the same test the greedy applies)."""
    net = setup.net
    if len(set(order)) != len(order) or not all(setup.eligible[k] for k in order):
        return False
    active = net.active0.copy()
    x = net.solve(net.u)
    for k in order:
        if setup.stance[k] <= -2 and net.power[k] >= POWERFUL and x[k] < LINE - TOL:
            listened = sum(w for _, w in net.listens[k])
            if not sum(w for j, w in net.listens[k] if active[j]) > 0.5 * listened + EPS:
                return False
        active[k] = True
    return _ready(setup, _supporters(net.replay(order)))


def _replay_moves(
    setup: _Setup, order: tuple[int, ...]
) -> tuple[list[_Move], np.ndarray, np.ndarray]:
    """The moves of a given sequence, made as the greedy makes its own; ``waiting`` names the
    next person met who defers to this one (R3)."""
    net = setup.net
    x = net.solve(net.u)
    u = net.u.copy()
    active = net.active0.copy()
    moves: list[_Move] = []
    for a, k in enumerate(order):
        waiting = next((w for w in order[a + 1 : a + 2] if (k, w) in setup.verbs), None)
        move = _meet(net, k, waiting, u, x, active)
        moves.append(move)
        x = move.x
    return moves, x, active


def _meet(net, k: int, waiting: int | None, u: np.ndarray, x: np.ndarray, active) -> _Move:
    """Meet ``k``: raise their anchor ``u`` by the meeting's push, solve again and mark them
    active (``u`` and ``active`` change in place); the move records who it won."""
    supporters = _supporters(x)
    raw, messengers, present = net.push(k, active)
    u[k] += raw / net.power[k] / net.keep[k]
    x = net.solve(u, start=x)
    active[k] = True
    after = _supporters(x)
    wins = [k] if after[k] and not supporters[k] else []
    wins += [int(i) for i in np.flatnonzero(after & ~supporters) if i != k]
    return _Move(k, waiting, messengers, present, raw, wins, x, active.copy())


def _with_champion(m: StakeholderMap) -> tuple[StakeholderMap, tuple[str, ...]]:
    """A map without a champion but with exactly one Champion (+2) plans from that person."""
    if m.proposal.champion and m.get(m.proposal.champion) is not None:
        return m, ()
    champions = [s.name for s in m.stakeholders if s.stance >= 2]
    if len(champions) != 1:
        return m, ()
    note = (
        f"Planned by {champions[0]}, the only Champion on the map; name another champion in the "
        "Proposal sheet's Champion row if someone else builds this coalition."
    )
    return replace(m, proposal=replace(m.proposal, champion=champions[0])), (note,)


def _assemble(setup, moves, x, active, conf, method) -> Plan:
    net, body, m = setup.net, setup.body, setup.m
    x0 = net.solve(net.u) if net.names else np.zeros(0)
    before = body.share(_supporters(x0)) if net.names else 0.0
    active_before = body.share(net.active0) if net.names else 0.0
    shares = [body.share(_supporters(mv.x)) for mv in moves]
    final = _supporters(x)
    digits = share_digits(body.line, before, *shares, body.share(final) if net.names else 0.0)
    steps = []
    for order, mv in enumerate(moves, start=1):
        steps.append(_approach_step(setup, mv, order, moves, shares[order - 1], digits))
    close = _close(setup, x, active, digits, conf)
    focus = _close_focus(setup, final) if close.ready else None
    if focus is not None:
        steps.append(_close_step(setup, focus, len(steps) + 1, close, final, active, digits))
    met = {net.names[mv.k] for mv in moves}
    approached = met | {net.names[j] for j in np.flatnonzero(net.active0)}
    return Plan(
        title=m.proposal.title,
        champion=m.proposal.champion,
        pass_share=body.line,
        support_share_before=before,
        active_share_before=active_before,
        steps=tuple(steps),
        close=close,
        not_approached=tuple(n for n in net.names if n not in approached),
        effort=float(sum(setup.effort[mv.k] for mv in moves)),
        method=method,
        digits=digits,
        body=body.describe(),
        advice=tuple(_advice(setup, moves, final)),
        counted="power" if body.fallback else "the votes",
    )


def _names(setup: _Setup, idx: Collection[int]) -> list[str]:
    return [setup.net.names[i] for i in idx]


def _approach_step(
    setup: _Setup, mv: _Move, order: int, moves: list[_Move], share: float, digits: int
) -> Step:
    """The one-to-one step of ``mv``, in plain words, with its numbers in ``details``."""
    net = setup.net
    k, name = mv.k, net.names[mv.k]
    prev = moves[order - 2] if order > 1 else None
    x_before = prev.x if prev else net.solve(net.u)
    active_before = prev.active if prev else net.active0
    was_supporter = bool(x_before[k] >= LINE - TOL)
    options = setup.asks[k]
    earlier = {s for mv2 in moves[: order - 1] for s in setup.asks[mv2.k][:1]}
    ask = next((o for o in options if o not in earlier), options[0] if options else None)
    messengers = sorted(mv.messengers, key=lambda j: (-dict(net.listens[k])[j], j))
    carried = sum(dict(net.listens[k])[j] for j in messengers)
    if was_supporter:
        phase = "allies"
    elif ask is not None and x_before[k] + carried / net.power[k] < LINE + 1.0 - TOL:
        phase = "align"
    else:
        phase = "persuade"
    parts = []
    if phase == "allies":
        hearing = net.listen[:, k].nonzero()[0]
        listeners = [
            int(i)
            for i in sorted(hearing)
            if not active_before[i] and i != k and setup.eligible[i] and x_before[i] < LINE - TOL
        ]
        parts.append(f"{name} already agrees but passes nothing on until met one-to-one")
        if listeners:
            parts.append(
                f"meet {name} first so that {name} can bring it to "
                f"{_join(_names(setup, listeners))}, "
                f"who listen{'s' * (len(listeners) == 1)} to {name}"
            )
    elif messengers:
        since = max((_met_at(moves, j) for j in messengers), default=0)
        when = f"on board after step {since}" if since else "on board from the start"
        both = "both " if len(messengers) == 2 else "all " if len(messengers) > 2 else ""
        verb = _verb(setup, k, messengers)
        parts.append(
            f"{name} {verb} {_join(_names(setup, messengers))}, {both}{when}: ask "
            f"{'them' if len(messengers) > 1 else _names(setup, messengers)[0]} to bring it to "
            f"{name} as their idea"
        )
    else:
        parts.append(f"meet {name} yourself: no one {name} listens to is on board yet")
    if ask is not None and phase != "allies":
        owner = next(
            (net.names[mv2.k] for mv2 in moves[: order - 1] if ask in setup.asks[mv2.k][:1]), None
        )
        own = f"co-own {ask!r} with {owner}" if owner else f"own {ask!r}"
        tags = _goal_tags(setup, k, ask)
        parts.append(f"ask {name} to {own}, which matches {name}'s goals ({tags})")
    if not mv.present:
        parts.append(
            f"stay out of this one yourself: your visible push sets {name} against it (R6)"
        )
    if mv.waiting is not None:
        other = net.names[mv.waiting]
        parts.append(f"{other} {setup.verbs[k, mv.waiting]} {name}, so {name} comes first")
    parts.append(_after_clause(setup, mv, phase, share, digits))
    reason = _sentence("; ".join(parts))
    details = (
        f"Predicted opinion of {name}: {x_before[k]:+.2f} before, {mv.x[k]:+.2f} after "
        f"(support line {LINE:+.1f}); push {mv.push:g} tie points "
        f"({_push_parts(setup, k, mv, carried)}) over power {net.power[k]:g}."
    )
    active_share = setup.body.share(mv.active)
    return Step(
        order,
        name,
        phase,
        tuple(_names(setup, messengers)),
        ask if phase != "allies" or ask else None,
        reason,
        share,
        active_share,
        float(setup.effort[k]),
        wins=tuple(_names(setup, mv.wins)),
        details=details,
    )


def _after_clause(setup: _Setup, mv: _Move, phase: str, share: float, digits: int) -> str:
    net, name = setup.net, setup.net.names[mv.k]
    others = [i for i in mv.wins if i != mv.k]
    if phase == "allies":
        text = f"after it, {name} works for the proposal"
    elif mv.k in mv.wins:
        text = f"after it, {name} supports"
    else:
        text = f"after it, {name} is an active supporter"
    if others:
        text += f", and {_join(_names(setup, others))} come{'s' * (len(others) == 1)} over too"
    if setup.body.weight[mv.k] > 0 or others:
        text += f"; supporters hold {percent(share, digits)} of the votes"
    listened = [net.names[v] for v in setup.vetoes if v != mv.k and net.listen[v, mv.k] > 0]
    if listened:
        text += f"; {_join(listened)} (veto) listen{'s' * (len(listened) == 1)} to {name}"
    return text


def _met_at(moves: list[_Move], j: int) -> int:
    return next((n for n, mv in enumerate(moves, start=1) if mv.k == j), 0)


def _push_parts(setup: _Setup, k: int, mv: _Move, carried: float) -> str:
    from stakemap.planning.influence import GOAL_PUSH, OWN_MEETING

    tie = float(setup.net.champion_tie[k])
    own = 0.0 if not mv.present else (tie if tie < 0 else max(tie, OWN_MEETING))
    items = [f"own meeting {own:g}"]
    if carried:
        items.append(f"messengers {carried:g}")
    if setup.net.aligned[k]:
        items.append(f"goal-aligned ask {GOAL_PUSH:g}")
    return ", ".join(items)


def _goal_tags(setup: _Setup, k: int, ask: str) -> str:
    part = next(p for p in setup.m.proposal.parts if p.name == ask)
    goals = {g.strip().lower() for g in setup.m.stakeholders[k].goals}
    return ", ".join(t for t in part.tags if t.strip().lower() in goals)


def _verb(setup: _Setup, k: int, messengers: list[int]) -> str:
    kinds = {setup.verbs.get((u, k), "listens to") for u in messengers}
    return kinds.pop() if len(kinds) == 1 else "listens to"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


def _close(setup: _Setup, x: np.ndarray, active: np.ndarray, digits: int, conf) -> Close:
    """The close (R7): ready or not, isolated veto holders, who is still opposed, and why."""
    net, body = setup.net, setup.body
    if not net.names:
        return Close(False, 0.0, (), (), "Not ready: the map has no stakeholders.", None)
    supporters = _supporters(x)
    n = range(len(net.names))
    listens = [[u for u, _ in net.listens[v]] for v in n]
    isolated = tuple(
        net.names[v]
        for v in n
        if body.veto[v] and not supporters[v] and body.isolated(v, supporters, listens[v])
    )
    opposed = tuple(net.names[i] for i in n if setup.stance[i] < 0 and not supporters[i])
    share, line = body.share(supporters), body.line
    shown, line_shown = percent(share, digits), percent(line, digits)
    votes = "power" if body.fallback else "the votes"
    held = f"supporters hold {shown} of {votes} against a {line_shown} pass line"
    problems = []
    if not body.rule_holds(supporters):
        short = point_change(shown, line_shown)[1:]
        unit = "point" if short == "1" else "points"
        problems.append(f"{held}, short by {short} {unit}")
    for v in n:
        if body.veto[v] and not supporters[v] and v not in [net.index[i] for i in isolated]:
            missing = [
                net.names[u]
                for u in listens[v]
                if body.weight[u] > 0 and not supporters[u] and u != v
            ]
            if missing:
                problems.append(
                    f"{net.names[v]} (veto) still hears from {_join(missing)}, not on board"
                )
            elif body.rule_holds(supporters):
                problems.append(f"{net.names[v]} (veto) does not support it yet")
    if problems:
        problems += _out_of_reach(setup, x, active)
        still = f"; still opposed: {_join(list(opposed))}" if opposed else ""
        return Close(
            False, share, isolated, opposed, f"Not ready: {'; '.join(problems)}{still}.", conf
        )
    text = f"Ready: {held}"
    for v in isolated:
        backers = [
            net.names[u] for u in listens[net.index[v]] if body.weight[u] > 0 and supporters[u]
        ]
        who = f" ({_join(backers)})" if backers else ""
        text += (
            f"; {v} holds a veto and still opposes it, but is isolated: everyone in the "
            f"decision body {v} listens to{who} backs it, so {v} can go along with the room (R7)"
        )
    rest = [o for o in opposed if o not in isolated]
    if rest:
        text += f"; still opposed without a veto: {_join(rest)}"
    return Close(True, share, isolated, opposed, text + ".", conf)


def _out_of_reach(setup: _Setup, x: np.ndarray, active: np.ndarray, shown: int = 3) -> list[str]:
    """The decision makers the plan could not win, most votes first, with why."""
    net, body = setup.net, setup.body
    left = [
        i
        for i in range(len(net.names))
        if setup.eligible[i] and x[i] < LINE - TOL and body.weight[i] > 0
    ]
    left.sort(key=lambda i: (-body.weight[i], i))
    notes = []
    for i in left[:shown]:
        raw, _, _ = net.push(i, active)
        reach = x[i] + raw / net.power[i]
        notes.append(
            f"{net.names[i]} would reach {reach:+.1f} with a meeting now, short of "
            f"the support line {LINE:+.1f}"
        )
    kept = [
        net.names[i]
        for i in range(len(net.names))
        if not setup.eligible[i] and x[i] < LINE - TOL and body.weight[i] > 0 and i != net.champion
    ]
    if kept:
        notes.append(f"not to be approached (target stance or Do not approach): {_join(kept)}")
    return [f"out of reach for now: {'; '.join(notes)}"] if notes else []


def _close_focus(setup: _Setup, supporters: np.ndarray) -> int | None:
    """Whom the group meeting is aimed at: the most powerful non-supporting veto holder, else
    decision maker, else anyone; None when everyone supports."""
    body, net = setup.body, setup.net
    left = [i for i in range(len(net.names)) if not supporters[i] and body.weight[i] > 0]
    return min(
        left,
        key=lambda i: (not body.veto[i], not body.weight[i] > 0, -net.power[i], i),
        default=None,
    )


def _close_step(setup, i, order, close, supporters, active, digits) -> Step:
    net, body = setup.net, setup.body
    name = net.names[i]
    backers = [u for u, _ in net.listens[i] if supporters[u] and u != net.champion]
    role = " (veto)" if body.veto[i] else " (decision maker)" if body.weight[i] > 0 else ""
    votes = "power" if body.fallback else "the votes"
    text = (
        f"Present to the whole group: supporters hold {percent(close.support_share, digits)} "
        f"of {votes} (pass line {percent(body.line, digits)})"
    )
    if name in close.isolated and backers:
        text += (
            f", and {name}{role} is isolated: everyone {name} listens to in the room "
            f"({_join(_names(setup, backers))}) backs it"
        )
    elif not net.listens[i]:
        text += f", and no one on the map has {name}{role}'s ear"
    else:
        text += f"; {name}{role} is the most powerful person not yet on board"
    if net.champion is not None and net.champion_tie[i] < 0 and backers:
        text += (
            f"; let {_join(_names(setup, backers))} make the case to {name}: your own push "
            f"sets {name} against it (R6)"
        )
    return Step(
        order,
        name,
        "close",
        tuple(_names(setup, backers)),
        None,
        text + ".",
        close.support_share,
        body.share(active),
        0.0,
        None,
    )


def _advice(setup: _Setup, moves: list[_Move], supporters: np.ndarray) -> list[str]:
    """Useful advice where the map is thin: no champion, no ties."""
    net, m = setup.net, setup.m
    notes = []
    if net.champion is None:
        notes.append(
            "No champion is named: add a Champion row to the Proposal sheet (or pick one on the "
            "Data page) with the person who builds this coalition, often you; the plan then "
            "counts her meetings and her ties."
        )
    if not m.relationships:
        order = sorted(
            (i for i in range(len(net.names)) if setup.eligible[i]),
            key=lambda i: (-int(setup.stance[i] >= 1), -setup.body.weight[i], -net.power[i], i),
        )
        firsts = [net.names[i] for i in order[:3]]
        notes.append(
            "No ties are drawn yet, so nobody can carry the idea for you: meet your supporters "
            "one-to-one first, then the most powerful people who are not against it"
            + (f" (start with {_join(firsts)})" if firsts else "")
            + ", and add on the Relationships sheet who listens to whom."
        )
    return notes


def plan_to_json(p: Plan) -> dict:
    """The ``plan --json`` shape of ../shared/DESIGN.md (shares rounded to 4 places); fields
    added since the first planner: ``decision_body``, ``advice``, each step's ``wins`` and
    ``details``, ``close.confidence``; since the optimiser: ``method`` (``exact`` or ``greedy``),
    ``optimal`` (the effort is the proven least, or no plan is proven to exist), ``gap`` (to the
    proven lower bound on effort), ``effort``, ``proven_none`` and ``unlock`` (checked changes
    that make a plan exist)."""
    return {
        "title": p.title,
        "champion": p.champion,
        "pass_share": round(p.pass_share, 4),
        "support_share_before": round(p.support_share_before, 4),
        "decision_body": p.body,
        "advice": list(p.advice),
        "steps": [
            {
                "order": s.order,
                "name": s.name,
                "phase": s.phase,
                "messengers": list(s.messengers),
                "ask": s.ask,
                "reason": s.reason,
                "support_share_after": round(s.support_share_after, 4),
                "wins": list(s.wins),
                "details": s.details,
            }
            for s in p.steps
        ],
        "close": {
            "ready": p.close.ready,
            "support_share": round(p.close.support_share, 4),
            "isolated": list(p.close.isolated),
            "reason": p.close.reason,
            "confidence": None if p.close.confidence is None else round(p.close.confidence, 4),
        },
        "not_approached": list(p.not_approached),
        "method": p.method,
        "optimal": p.optimal,
        "gap": None if p.gap is None else round(p.gap, 4),
        "effort": round(p.effort, 4),
        "proven_none": p.proven_none,
        "unlock": [
            {"kind": u.kind, "text": u.text, "change": list(u.change), "effort": u.effort}
            for u in p.unlock
        ],
    }


def share_digits(*shares: float, most: int = 6) -> int:
    """Fewest decimals (up to ``most``) with which no two different shares print as the same
    percentage, so a share just below the pass line never reads as equal to it.

    Rounding is monotone, so shares that print differently keep their order: 69.6% stays
    below 70%.

    >>> share_digits(0.3043, 0.7), share_digits(0.6957, 0.7), share_digits(0.69957, 0.7)
    (0, 1, 2)
    >>> share_digits(0.7, 0.7, 0.7 + 1e-12)  # equal up to the tolerance
    0
    """
    ordered = sorted(shares)
    pairs = [(a, b) for a, b in pairwise(ordered) if b - a > EPS]
    for digits in range(most):
        if all(f"{100 * a:.{digits}f}" != f"{100 * b:.{digits}f}" for a, b in pairs):
            return digits
    return most


def percent(share: float, digits: int = 0) -> str:
    """``share`` as a percentage with ``digits`` decimals, trailing zeros dropped.

    >>> percent(0.6957, 1), percent(0.7, 1), percent(0.3043)
    ('69.6%', '70%', '30%')
    """
    return f"{_trim(f'{100 * share:.{digits}f}')}%"


def point_change(before: str, after: str) -> str:
    """Signed change in percentage points between two percentages as printed, so that the
    printed numbers add up (30% to 70% is +40, whatever the unrounded shares).

    >>> point_change("30%", "70%"), point_change("70%", "69.6%")
    ('+40', '-0.4')
    """
    digits = max(len(t.rstrip("%").partition(".")[2]) for t in (before, after))
    change = float(after.rstrip("%")) - float(before.rstrip("%"))
    return _trim(f"{change:+.{digits}f}")


def _trim(number: str) -> str:
    """'70.0' -> '70', '69.60' -> '69.6'."""
    return number.rstrip("0").rstrip(".") if "." in number else number


def _join(names: list[str], limit: int = 6) -> str:
    """'A', 'A and B', 'A, B and C'; past ``limit`` names, 'A, B, ... and 9 others'."""
    if len(names) > limit:
        return f"{', '.join(names[:limit])} and {len(names) - limit} others"
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def method_line(p: Plan) -> str:
    """Which method produced the plan and whether it is proven the least effort.

    >>> from stakemap.samples import new_programme
    >>> method_line(plan(new_programme(), samples=0, method="exact"))
    'Method: exact (mixed-integer programme), proven least effort (effort 13).'
    """
    if p.method != "exact":
        if p.optimal:
            return (
                f"Method: greedy, proven least effort by the exact programme (effort {p.effort:g})."
            )
        if p.gap is not None:
            return (
                f"Method: greedy, checked against the exact programme: effort {p.effort:g}, at "
                f"most {percent(p.gap)} above the least."
            )
        return f"Method: greedy (lazy, not proven optimal; effort {p.effort:g})."
    if p.proven_none:
        return "Method: exact (mixed-integer programme), proven: no plan exists on this map."
    if p.optimal:
        return (
            f"Method: exact (mixed-integer programme), proven least effort (effort {p.effort:g})."
        )
    gap = f"within {percent(p.gap, 1)} of the least" if p.gap is not None else "not proven"
    return f"Method: exact (mixed-integer programme), {gap} (effort {p.effort:g})."


def plan_to_text(p: Plan) -> str:
    """The plan for a terminal: numbered steps, then the close."""
    lines = [
        f"Plan: {p.title or 'proposal'} (champion: {p.champion or 'none'}, "
        f"pass line {percent(p.pass_share, p.digits)})",
        f"Support now: {percent(p.support_share_before, p.digits)} of {p.counted}",
        "",
    ]
    for s in p.steps:
        extra = f" via {_join(list(s.messengers))}" if s.messengers else ""
        lines.append(f"{s.order}. [{s.phase}] {s.name}{extra}")
        if s.ask:
            lines.append(f"   Ask: {s.ask}")
        lines.append(f"   {s.reason}")
        lines.append(f"   Support after: {percent(s.support_share_after, p.digits)}")
    lines += ["", f"Close: {p.close.reason}", method_line(p)]
    for u in p.unlock:
        lines.append(f"   What it would take: {u.text} (then effort {u.effort:g})")
    if p.not_approached:
        lines.append(f"Not approached: {', '.join(p.not_approached)}")
    return "\n".join(lines)
