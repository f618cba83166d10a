"""Coalition sequencing: whom to approach first, in what order, through whom, with what ask.

The planner runs a greedy sequence over the threshold cascade of :mod:`stakemap.cascade`,
following the rules of ../shared/COALITIONS.md (Sebenius 2004; Watkins 2003; Lax and Sebenius
2006): value per effort with backward value toward deciders and veto holders (R1, R2, R4),
approach people after those they defer to (R3), no early warning to a powerful opponent (R5),
keep repelling allies away (R6), close when the decision rule holds (R7), goal-aligned asks (R8).
"""

from __future__ import annotations

import heapq
from collections.abc import Collection
from dataclasses import dataclass
from itertools import pairwise

from stakemap.cascade import EPS, Model, State, compile_model
from stakemap.model import StakeholderMap, stance_label
from stakemap.sequencing import GreedyPicker, LazyPicker

__all__ = [
    "Close",
    "Plan",
    "Step",
    "best_effort",
    "percent",
    "plan",
    "plan_to_json",
    "plan_to_text",
    "point_change",
    "share_digits",
]

#: Stance recorded for a person once their step is done: an active ally (spectrum of allies).
WON_STANCE = 2


@dataclass(frozen=True)
class Step:
    """One step of a plan; ``new_stance`` is what ticking it done records (None for the close)."""

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


@dataclass(frozen=True)
class Close:
    """Whether the group meeting can go ahead, who is isolated and who is still opposed."""

    ready: bool
    support_share: float
    isolated: tuple[str, ...]
    opposed: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Plan:
    """A coalition-building sequence; ``effort`` sums the one-to-one steps' efforts.

    Shares are of total power: supporters (stance +1 or more, passive allies included) and
    active supporters (those who pass influence on: +2, the champion, and everyone met).
    ``digits`` is how many decimals every printed share of the plan takes (:func:`share_digits`
    of the pass line and the supporters' shares), so no two different shares print alike.
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


def plan(
    m: StakeholderMap,
    *,
    pass_share: float | None = None,
    exclude: Collection[str] = (),
    method: str = "lazy",
) -> Plan:
    """Sequence the coalition for ``m``'s proposal.

    Each step wins the feasible person (threshold reached, R5 respected) of highest positive
    :meth:`~stakemap.cascade.State.gain` per effort, except that someone they defer to (or
    report to) who can be won now goes first (R3), until the decision rule holds (R7) or no step
    adds value. Passive allies (+1) count as supporters for the decision rule but pass no
    influence on until met one-to-one: the planner never treats them as already working for
    you, and they appear as ``allies`` steps when their word matters.

    Parameters
    ----------
    m : StakeholderMap
    pass_share : float, optional
        Share of total power that must support; default the proposal's.
    exclude : collection of str
        People never to approach (they still count if they already support).
    method : {"lazy", "greedy"}
        ``"lazy"``: lazy evaluation (CELF, Leskovec et al. 2007) with incremental cascades;
        ``"greedy"``: re-evaluate every candidate at every step. Both give the same steps (see
        :mod:`stakemap.sequencing`). The threshold closure is not submodular, so the greedy
        sequence is a heuristic: :func:`best_effort` checks it by exhaustive search.

    Examples
    --------
    >>> from stakemap.samples import new_programme
    >>> p = plan(new_programme())
    >>> [(s.name.split()[0], s.phase) for s in p.steps]  # doctest: +NORMALIZE_WHITESPACE
    [('Omar', 'allies'), ('Priya', 'allies'), ('Rosa', 'persuade'), ('Tom', 'align'),
     ('Lena', 'align'), ('Dr', 'close')]
    >>> p.close.ready, p.close.isolated
    (True, ('Dr Victor Hale',))
    """
    if method not in ("lazy", "greedy"):
        raise ValueError(f"unknown method {method!r}: use 'lazy' or 'greedy'")
    model = compile_model(m, pass_share, exclude)
    state = model.initial_state()
    before, active_before = state.share(), state.share(active=True)
    steps: list[Step] = []
    asked: dict[str, str] = {}
    pick = LazyPicker(state) if method == "lazy" else GreedyPicker(state)
    while not state.ready():
        picked = pick.next(len(steps))
        if picked is None:
            break
        steps.append(_approach_step(state, *picked, len(steps) + 1, asked))
    shares = (model.pass_share, before, *(s.support_share_after for s in steps), state.share())
    digits = share_digits(*shares)
    close = _close(state, digits)
    focus = _close_focus(state) if close.ready else None
    if focus is not None:
        steps.append(_close_step(state, focus, len(steps) + 1, close, digits))
    met = {s.name for s in steps if s.phase != "close"} | {model.names[j] for j in state.since}
    return Plan(
        title=m.proposal.title,
        champion=m.proposal.champion,
        pass_share=model.pass_share,
        support_share_before=before,
        active_share_before=active_before,
        steps=tuple(steps),
        close=close,
        not_approached=tuple(n for n in model.names if n not in met),
        effort=sum(s.effort for s in steps),
        method=method,
        digits=digits,
    )


def share_digits(*shares: float, most: int = 6) -> int:
    """Fewest decimals (up to ``most``) with which no two different shares print as the same
    percentage, so a share just below the pass line never reads as equal to it.

    Rounding is monotone, so shares that print differently keep their order: 69.6% stays
    below 70%.

    >>> share_digits(0.3043, 0.7), share_digits(0.6957, 0.7), share_digits(0.69957, 0.7)
    (0, 1, 2)
    >>> share_digits(0.7, 0.7, 0.7 + 1e-12)  # equal up to the cascade's tolerance
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


def _approach_step(
    state: State, j: int, waiting: int | None, order: int, asked: dict[str, str]
) -> Step:
    """Record the one-to-one step winning ``j`` (the state is already updated); ``waiting`` is
    the person who defers to ``j`` and made them come first (R3)."""
    m = state.model
    name = m.names[j]
    ties = [(u, w) for u, w in m.in_edges[j] if state.active[u] and state.since[u] < order]
    influence = sum(w for _, w in ties)
    messengers = [u for u, w in sorted(ties, key=lambda t: (-t[1], t[0])) if w > 0]
    messengers = [u for u in messengers if u != m.champion]
    repellers = [u for u, w in ties if w < 0]
    options = m.ask_options[j]
    ask = next((o for o in options if o not in asked), options[0] if options else None)
    if m.stance[j] >= 1:
        phase = "allies"
    elif ask is not None and influence < m.plain_threshold[j] - EPS:
        phase = "align"
    else:
        phase = "persuade"
    reason = _reason(state, j, phase, messengers, influence, ask, asked.get(ask or ""))
    if waiting is not None:
        reason += (
            f"; {m.names[waiting]} {m.verbs[j, waiting]} {name}, so {name} comes first "
            f"and can carry it to them"
        )
    reason += _backward_clause(state, j) + _repel_clause(state, j, repellers) + "."
    if ask is not None:
        asked.setdefault(ask, name)
    return Step(
        order,
        name,
        phase,
        tuple(m.names[u] for u in messengers),
        ask,
        reason,
        state.share(),
        state.share(active=True),
        m.effort[j],
    )


def _reason(
    state: State,
    j: int,
    phase: str,
    messengers: list[int],
    influence: float,
    ask: str | None,
    owner: str | None,
) -> str:
    """The step's sentence, built from the computation: who carried it, the numbers, the ask."""
    m = state.model
    name = m.names[j]
    ask_text = f"; {_ask_clause(m, j, ask, owner)}" if ask else ""
    who = name
    if messengers:
        since = max(state.since[u] for u in messengers)
        when = f"on board by step {since}" if since else "on board from the start"
        who += f" {_verb(m, j, messengers)} {_join([m.names[u] for u in messengers])} ({when})"
    if phase == "allies":
        reach = [
            m.names[i]
            for i, w in m.out_edges[j]
            if w > 0 and m.eligible[i] and not state.supporter[i]
        ]
        text = f"{name} already agrees but passes nothing on until met one-to-one"
        if messengers:
            text = f"{who}; {text[len(name) + 1 :]}"
        if reach:
            text += f"; once met, their word reaches {_join(reach)}"
        return text + ask_text
    own = dict(m.in_edges[j]).get(m.champion, 0) if m.champion is not None else 0
    total = f"influence {influence:g}"
    if own and messengers:
        total += f" ({own:g} of it from {m.names[m.champion]})"
    elif own:
        who = f"{name} is reached by {m.names[m.champion]}'s own tie"
    if phase == "align":
        return (
            f"{who}, whose {total} meets the threshold only with the ask to "
            f"{_ask_clause(m, j, ask, owner).removeprefix('ask them to ')}, which lowers it "
            f"from {m.plain_threshold[j]:g} to {m.threshold[j]:g}"
        )
    label = stance_label(m.stance[j]).lower()
    return (
        f"{who}; {total} meets the threshold of {m.threshold[j]:g} for a "
        f"{label} of power {m.power[j]:g}{ask_text}"
    )


def _ask_clause(m: Model, j: int, ask: str | None, owner: str | None) -> str:
    """R8: 'ask them to own X (their goals: a, b)', or to co-own it with its first owner."""
    part = next(p for p in m.parts if p.name == ask)
    tags = ", ".join(t for t in part.tags if t.strip().lower() in m.goals[j])
    own = f"co-own {ask!r} with {owner}" if owner else f"own {ask!r}"
    return f"ask them to {own} (their goals: {tags})"


def _verb(m: Model, j: int, messengers: list[int]) -> str:
    kinds = {m.verbs.get((u, j), "listens to") for u in messengers}
    return kinds.pop() if len(kinds) == 1 else "listens to"


def _backward_clause(state: State, j: int) -> str:
    """R1: name the non-supporting deciders and veto holders ``j`` has a say with."""
    m = state.model
    clauses = []
    for i, w in m.out_edges[j]:
        if w > 0 and m.decision[i] and not state.supporter[i]:
            role = "veto" if m.veto[i] else "decider"
            share = w / m.positive_in[i]
            clauses.append(
                f"{m.names[i]} ({role}) listens to {m.names[j]}: {share:.0%} of all the weight "
                f"on {m.names[i]}"
            )
    return f"; {'; '.join(clauses)}" if clauses else ""


def _repel_clause(state: State, j: int, repellers: list[int]) -> str:
    """R6: the active supporters whose visible support pushes ``j`` away."""
    if not repellers:
        return ""
    names = _join([state.model.names[u] for u in repellers])
    return f"; keep {names} out of it: their visible support pushes {state.model.names[j]} away"


def _close(state: State, digits: int) -> Close:
    """The close (R7): ready or not, isolated veto holders, who is still opposed, and why."""
    m = state.model
    n = range(len(m.names))
    isolated = tuple(
        m.names[i] for i in n if m.veto[i] and not state.supporter[i] and state.isolated(i)
    )
    opposed = tuple(m.names[i] for i in n if m.stance[i] < 0 and not state.supporter[i])
    share, line = state.share(), m.pass_share
    shown, line_shown = percent(share, digits), percent(line, digits)
    held = f"supporters hold {shown} of power against a {line_shown} pass line"
    problems = []
    if share < line - EPS:
        problems.append(f"{held}, short by {point_change(shown, line_shown)[1:]} points")
    for i in n:
        if m.veto[i] and not state.supporter[i] and not state.isolated(i):
            missing = [m.names[u] for u, w in m.in_edges[i] if w > 0 and not state.supporter[u]]
            problems.append(f"{m.names[i]} (veto) still hears from {_join(missing)}, not on board")
    still = f"; still opposed: {_join(list(opposed))}" if opposed else ""
    if problems:
        problems += _out_of_reach(state)
    if not m.names:
        return Close(False, 0.0, (), (), "Not ready: the map has no stakeholders.")
    if problems:
        return Close(False, share, isolated, opposed, f"Not ready: {'; '.join(problems)}{still}.")
    iso = f"; isolated veto holders: {_join(list(isolated))}" if isolated else ""
    return Close(True, share, isolated, opposed, f"Ready: {held}{iso}{still}.")


def _out_of_reach(state: State, shown: int = 3) -> list[str]:
    """The most powerful people the plan could not win, with how far they are from it."""
    m = state.model
    left = [
        i
        for i in range(len(m.names))
        if m.eligible[i] and not state.supporter[i] and not state.feasible(i)
    ]
    left.sort(key=lambda i: (-m.power[i], i))
    notes = []
    for i in left[:shown]:
        note = f"{m.names[i]} needs influence {m.threshold[i]:g} and has {state.influence[i]:g}"
        if state.influence[i] >= m.threshold[i] - EPS:
            note = f"{m.names[i]} waits until most of those they listen to are on board (R5)"
        notes.append(note)
    return [f"out of reach for now: {'; '.join(notes)}"] if notes else []


def _close_focus(state: State) -> int | None:
    """Whom the group meeting is aimed at: the most powerful non-supporting veto holder, else
    decider, else anyone; None when everyone supports."""
    m = state.model
    left = [i for i in range(len(m.names)) if not state.supporter[i]]
    return min(left, key=lambda i: (not m.veto[i], not m.decision[i], -m.power[i], i), default=None)


def _close_step(state: State, i: int, order: int, close: Close, digits: int) -> Step:
    m = state.model
    name = m.names[i]
    backers = [
        u
        for u, w in sorted(m.in_edges[i], key=lambda t: (-t[1], t[0]))
        if w > 0 and state.supporter[u] and u != m.champion
    ]
    role = {True: " (veto)", False: " (decider)" if m.decision[i] else ""}[m.veto[i]]
    text = (
        f"Present to the whole group: supporters hold {percent(close.support_share, digits)} "
        f"of power (pass line {percent(m.pass_share, digits)})"
    )
    if backers and state.isolated(i):
        text += (
            f", and {name}{role} is isolated: everyone {name} listens to "
            f"({_join([m.names[u] for u in backers])}) backs it"
        )
    elif m.positive_in[i] == 0:
        text += f", and no one on the map has {name}{role}'s ear"
    else:
        text += f"; {name}{role} is the most powerful person not yet on board"
    repel = [u for u, w in m.in_edges[i] if w < 0 and state.supporter[u]]
    text += _repel_clause(state, i, repel) + "."
    return Step(
        order,
        name,
        "close",
        tuple(m.names[u] for u in backers),
        None,
        text,
        close.support_share,
        state.share(active=True),
        0.0,
        None,
    )


def _join(names: list[str], limit: int = 6) -> str:
    """'A', 'A and B', 'A, B and C'; past ``limit`` names, 'A, B, ... and 9 others'."""
    if len(names) > limit:
        return f"{', '.join(names[:limit])} and {len(names) - limit} others"
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def best_effort(
    m: StakeholderMap, *, pass_share: float | None = None, exclude: Collection[str] = ()
) -> float | None:
    """Least total effort of any sequence of one-to-one steps that meets the decision rule.

    Exhaustive (Dijkstra over sets of people won: the cascade state depends only on the set),
    ignoring R3, which orders steps but never forbids one. Exponential: for checking the planner
    on maps of up to about 16 eligible people. None when no sequence meets the rule.

    >>> from stakemap.samples import new_programme
    >>> best_effort(new_programme()) == plan(new_programme()).effort
    True
    """
    model = compile_model(m, pass_share, exclude)
    if sum(model.eligible) > 16:
        raise ValueError("exhaustive search is for maps of up to 16 eligible people")
    frontier: list[tuple[float, tuple[int, ...]]] = [(0.0, ())]
    seen: set[frozenset[int]] = set()
    while frontier:
        cost, won = heapq.heappop(frontier)
        if frozenset(won) in seen:
            continue
        seen.add(frozenset(won))
        state = _state_after(model, won)
        if state.ready():
            return cost
        for i in range(len(model.names)):
            if state.feasible(i) and frozenset((*won, i)) not in seen:
                heapq.heappush(frontier, (cost + model.effort[i], tuple(sorted((*won, i)))))
    return None


def _state_after(model: Model, won: tuple[int, ...]) -> State:
    state = model.initial_state()
    for k, i in enumerate(won, start=1):
        state.activate(i, k)
    return state


def plan_to_json(p: Plan) -> dict:
    """The ``plan --json`` shape of ../shared/DESIGN.md (shares rounded to 4 places)."""
    return {
        "title": p.title,
        "champion": p.champion,
        "pass_share": round(p.pass_share, 4),
        "support_share_before": round(p.support_share_before, 4),
        "steps": [
            {
                "order": s.order,
                "name": s.name,
                "phase": s.phase,
                "messengers": list(s.messengers),
                "ask": s.ask,
                "reason": s.reason,
                "support_share_after": round(s.support_share_after, 4),
            }
            for s in p.steps
        ],
        "close": {
            "ready": p.close.ready,
            "support_share": round(p.close.support_share, 4),
            "isolated": list(p.close.isolated),
            "reason": p.close.reason,
        },
        "not_approached": list(p.not_approached),
    }


def plan_to_text(p: Plan) -> str:
    """The plan for a terminal: numbered steps, then the close."""
    lines = [
        f"Plan: {p.title or 'proposal'} (champion: {p.champion or 'none'}, "
        f"pass line {percent(p.pass_share, p.digits)})",
        f"Support now: {percent(p.support_share_before, p.digits)} of power",
        "",
    ]
    for s in p.steps:
        extra = f" via {_join(list(s.messengers))}" if s.messengers else ""
        lines.append(f"{s.order}. [{s.phase}] {s.name}{extra}")
        if s.ask:
            lines.append(f"   Ask: {s.ask}")
        lines.append(f"   {s.reason}")
        lines.append(f"   Support after: {percent(s.support_share_after, p.digits)}")
    lines += ["", f"Close: {p.close.reason}"]
    if p.not_approached:
        lines.append(f"Not approached: {', '.join(p.not_approached)}")
    return "\n".join(lines)
