"""Coalition sequencing: whom to approach first, in what order, through whom, with what ask.

The plan is a sequence of one-to-one meetings over the one influence model
(:mod:`stakemap.planning.influence`), toward the decision rule (:mod:`stakemap.planning.rule`),
following the sequencing rules of docs/coalitions.md (Sebenius 2004; Watkins 2003; Lax and
Sebenius 2006). Candidate sequences come from the exact programme
(:mod:`stakemap.planning.exact`: the least effort, and the least effort against margins above
the support line, and other routes) and the greedy search (:mod:`stakemap.planning.greedy`);
each is replayed through the model and measured on the same seeded nearby maps
(:mod:`stakemap.planning.confidence`). The plan is the least effort among those that hold in at
least :data:`ROBUST` of nearby maps, or, if none does, the most robust; every cheaper sequence
found is kept with the reason it was not chosen, and other routes within :data:`ROUTE_SLACK` of
the plan's effort are named. A step "wins" exactly the people who become for after it, so the
what-if, replaying the same meetings, predicts the same.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from stakemap.language import gettext as _
from stakemap.model import StakeholderMap
from stakemap.planning import closing, exact, greedy, words
from stakemap.planning.assembly import assemble
from stakemap.planning.confidence import SAMPLES, confidence, nearby
from stakemap.planning.influence import Move
from stakemap.planning.problem import Problem, problem
from stakemap.planning.record import Plan, Route
from stakemap.planning.rule import sentences as rule_sentences
from stakemap.planning.unlock import unlocks

__all__ = [
    "CONFIDENCE_LIMIT",
    "MARGINS",
    "ROBUST",
    "ROUTE_SLACK",
    "plan",
    "second_opening",
    "with_champion",
]

#: Margins (stance points above the support line) the searches plan against.
MARGINS: tuple[float, ...] = (0.0, 0.5, 1.0)
#: Share of nearby maps a plan must hold in to be called robust.
ROBUST = 0.8
#: Other routes within this share of the plan's effort are named.
ROUTE_SLACK = 0.1
#: Other routes the exact programme looks for, and the largest map confidence is measured on.
ROUTES = 3
CONFIDENCE_LIMIT = 400


@dataclass
class _Candidate:
    order: tuple[int, ...]
    source: str
    ready: bool
    effort: float
    confidence: float | None
    broken: tuple[str, ...] = ()  # the sequencing rules it breaks, in words
    moves: tuple[Move, ...] = ()  # as the model played it

    @property
    def keeps(self) -> bool:
        return not self.broken


def plan(
    m: StakeholderMap,
    *,
    pass_share: float | Fraction | None = None,
    exclude: Collection[str] = (),
    overrides: dict[str, float] | None = None,
    method: str = "auto",
    samples: int = SAMPLES,
    time_limit: float | None = None,
    unlock: bool = True,
) -> Plan:
    """Sequence the coalition for ``m``'s proposal.

    ``method="auto"`` (the default) runs the exact programme on maps of up to
    :data:`stakemap.planning.exact.EXACT_LIMIT` people and the greedy on every map;
    ``"exact"`` runs the programme on any size, ``"greedy"`` the greedy alone. ``pass_share``
    replaces the share of the first threshold on votes; ``overrides`` are a what-if's stances
    (:func:`stakemap.planning.influence.network`); ``samples`` nearby maps measure confidence
    (0: not measured). When the programme proves that no plan exists, ``proven_none`` is set
    and, with ``unlock``, the smallest checked changes that would make one exist are listed.
    When the best case proves it (:attr:`stakemap.planning.problem.Problem.unreachable`: the
    rule fails even with everyone who may be met pushed as hard as a meeting can), on any
    size, ``proven_none`` is set too, the greedy does not run and no meeting is proposed: the
    close says what fails even in the best case. Otherwise a plan that is not ready shows how
    far the greedy gets.

    Examples
    --------
    >>> from stakemap.samples.cases import new_programme
    >>> p = plan(new_programme(), samples=0)
    >>> [(s.name.split()[0], s.phase) for s in p.steps]  # doctest: +NORMALIZE_WHITESPACE
    [('Omar', 'allies'), ('Priya', 'allies'), ('Rosa', 'persuade'), ('Tom', 'align'),
     ('Lena', 'persuade'), ('Dr', 'close')]
    >>> p.close.ready, p.close.isolated, p.optimal
    (True, ('Dr Victor Hale',), True)
    """
    if method not in ("auto", "exact", "greedy"):
        raise ValueError(f"unknown method {method!r}: use 'auto', 'exact' or 'greedy'")
    m, named = with_champion(m)
    pr = problem(m, pass_share, exclude, overrides)
    measured = 0 < pr.size <= CONFIDENCE_LIMIT and samples > 0
    near = nearby(m, pass_share, samples, overrides=overrides) if measured else []
    limit = exact.TIME_LIMIT if time_limit is None else time_limit
    use_exact = pr.size > 0 and (
        method == "exact" or (method == "auto" and pr.size <= exact.EXACT_LIMIT)
    )
    started = time.perf_counter()
    found: dict[tuple[int, ...], _Candidate] = {}
    sol = exact.solve(pr, limit) if use_exact else None
    if sol is not None and sol.status in ("infeasible", "unknown"):
        # no plan keeps the sequencing rules: is there one at all?
        sol = exact.solve(pr, limit, rules=False)
    if sol is not None and sol.status in ("optimal", "feasible"):
        _add(found, pr, near, sol.order, "exact")
        deadline = time.perf_counter() + limit  # the robust options and routes share a budget
        for margin in MARGINS[1:] if measured else ():
            extra = exact.solve(pr, _left(deadline, limit / 3), margin=margin)
            if extra.status in ("optimal", "feasible"):
                _add(found, pr, near, extra.order, "exact")
        if sol.order:
            _other_routes(found, pr, near, deadline, limit / 4)
    searched = time.perf_counter() - started
    beyond = pr.unreachable
    if method != "exact" and beyond is None:  # else no greedy sequence can be ready
        for margin in MARGINS if measured else (0.5,):
            order = tuple(mv.k for mv in greedy.sequence(pr, margin))
            _add(found, pr, near, order, "greedy")
    chosen = _choose(list(found.values()))
    broken = chosen.broken if chosen is not None else ()
    if chosen is None:  # nothing ready: show how far the greedy gets, unless no plan exists
        moves = () if beyond is not None else tuple(greedy.sequence(pr, 0.0))
        order = tuple(mv.k for mv in moves)
        chosen = _Candidate(order, "greedy", False, pr.effort_of(order), None, moves=moves)
    p = assemble(pr, chosen.moves, chosen.confidence, chosen.source)
    least = None if sol is None or sol.status != "optimal" else sol.effort
    p = replace(
        p,
        optimal=least is not None and p.effort <= least + 1e-9 and p.close.ready,
        gap=None if sol is None else _gap(sol, p.effort),
        searched=searched,
        cheaper=tuple(_cheaper(pr, found, chosen)),
        routes=tuple(_routes(pr, found, chosen)),
    )
    if broken:
        note = _(
            "No plan here keeps the usual order (sympathetic colleagues before those who "
            "listen to them, a powerful opponent only once most of those they listen to are "
            "on board); this one does not: {broken}."
        ).format(broken=closing.clauses(broken))
        p = replace(p, advice=(*p.advice, note))
    if sol is not None and sol.status == "infeasible":
        p = replace(
            p,
            method="exact",
            optimal=True,
            gap=0.0,
            proven_none=True,
            close=replace(
                p.close, reason=rule_sentences(p.close.reason, closing.no_plan_sentence(pr))
            ),
        )
        if unlock:
            p = replace(p, unlock=tuple(unlocks(m, pass_share=pass_share, exclude=exclude)))
    if beyond is not None:  # proven by the best case: say what fails even there
        best = closing.best_case_words(pr, beyond, pr.best_case)
        reason = rule_sentences(best, closing.no_plan_sentence(pr))
        p = replace(p, proven_none=True, close=replace(p.close, reason=reason))
    p = replace(p, method_text=method_line(p, sol is not None, beyond is not None))
    return replace(p, advice=(*named, *p.advice)) if named else p


def _add(found, pr: Problem, near, order: Sequence[int], source: str) -> None:
    order = tuple(order)
    if order in found:
        return
    played = pr.replay(order)
    names = [pr.net.names[k] for k in order]
    conf = confidence(near, names) if near and played.ready else None
    effort = pr.effort_of(order)
    found[order] = _Candidate(
        order, source, played.ready, effort, conf, played.broken, played.moves
    )


def _left(deadline: float, most: float) -> float:
    """Seconds a solve may take: ``most``, or what is left before ``deadline``."""
    return max(0.05, min(most, deadline - time.perf_counter()))


def _other_routes(found, pr: Problem, near, deadline: float, each: float) -> None:
    """Other sets of people that make it ready, least effort first (the programme again,
    each set found so far forbidden), until ``deadline``."""
    for _round in range(ROUTES):
        if time.perf_counter() > deadline:
            return
        sets = tuple(frozenset(c.order) for c in found.values() if c.ready)
        sol = exact.solve(pr, _left(deadline, each), forbid=sets)
        if sol.status not in ("optimal", "feasible"):
            return
        _add(found, pr, near, sol.order, "exact")


def _choose(candidates: list[_Candidate]) -> _Candidate | None:
    """Among ready plans that keep the sequencing rules (any ready plan if none does), the
    least effort among robust ones, else the most robust (then least effort)."""
    ready = [c for c in candidates if c.ready]
    if not ready:
        return None
    ready = [c for c in ready if c.keeps] or ready
    robust = [c for c in ready if c.confidence is None or c.confidence >= ROBUST - 1e-9]
    if robust:
        return min(robust, key=lambda c: (c.effort, -(c.confidence or 0.0), c.source, c.order))
    return min(ready, key=lambda c: (-(c.confidence or 0.0), c.effort, c.source, c.order))


def _route(pr: Problem, c: _Candidate, why_not: str = "") -> Route:
    return Route(tuple(pr.net.names[k] for k in c.order), c.effort, c.confidence, why_not)


def _cheaper(pr: Problem, found, chosen: _Candidate) -> list[Route]:
    """Ready sequences that cost less than the plan, with why each was not chosen."""
    cheaper = [c for c in found.values() if c.ready and c.effort < chosen.effort - 1e-9]
    return [
        _route(pr, c, _why_not(pr, c, chosen))
        for c in sorted(cheaper, key=lambda c: (c.effort, c.order))
    ]


def _why_not(pr: Problem, c: _Candidate, chosen: _Candidate) -> str:
    """Why ``c`` is not the plan: it breaks the sequencing rules the plan keeps, or it holds
    in fewer nearby maps ("" when neither)."""
    if chosen.keeps and not c.keeps:
        return _("breaks the usual order: {broken}").format(broken=closing.clauses(c.broken))
    if c.confidence is None or chosen.confidence is None:
        return ""
    if c.confidence < chosen.confidence - 1e-9:
        return _("holds in only {share} of nearby maps, against {plan_share} for the plan").format(
            share=words.percent(c.confidence), plan_share=words.percent(chosen.confidence)
        )
    return ""


def _routes(pr: Problem, found, chosen: _Candidate) -> list[Route]:
    """Other ready sequences within :data:`ROUTE_SLACK` of the plan's effort, a different set
    of people or a different order of them."""
    out = []
    for c in sorted(found.values(), key=lambda c: (c.effort, c.order)):
        if c is chosen or not c.ready or c.effort < chosen.effort - 1e-9:
            continue
        if c.effort > chosen.effort * (1 + ROUTE_SLACK) + 1e-9:
            continue
        out.append(_route(pr, c, _why_not(pr, c, chosen)))
    return out


def _gap(sol: exact.Solution, effort: float) -> float | None:
    """Relative distance of ``effort`` to the programme's proven lower bound."""
    if sol.status == "optimal" and effort <= sol.effort + 1e-9:
        return 0.0
    if sol.bound is None or effort <= 0:
        return sol.gap
    return max(0.0, (effort - float(sol.bound)) / effort)


def second_opening(
    m: StakeholderMap,
    first: str,
    *,
    pass_share: float | Fraction | None = None,
    exclude: Collection[str] = (),
    time_limit: float | None = None,
    samples: int = SAMPLES,
) -> Plan | None:
    """The least-effort plan whose first meeting is someone other than ``first``, solved
    exactly with an opener variable and replayed through the model, with its confidence on
    the same nearby maps as the plan; None when no other opening leads to a ready plan (or
    the map is past the exact limit). ``first`` may still be met later in it.

    >>> from stakemap.samples.cases import new_programme
    >>> alt = second_opening(new_programme(), "Omar Haddad", samples=0)
    >>> alt.steps[0].name != "Omar Haddad", alt.close.ready
    (True, True)
    """
    m, _notes = with_champion(m)
    pr = problem(m, pass_share, exclude)
    k = pr.net.index.get(first)
    if not pr.size or pr.size > exact.EXACT_LIMIT:
        return None
    limit = exact.TIME_LIMIT if time_limit is None else time_limit
    sol = exact.solve(pr, limit, not_first=k)
    if not sol.order or sol.order[0] == k:
        return None
    measured = pr.size <= CONFIDENCE_LIMIT and samples > 0
    near = nearby(m, pass_share, samples) if measured else []
    conf = confidence(near, [pr.net.names[j] for j in sol.order]) if near else None
    p = assemble(pr, pr.net.replay(sol.order), conf, "exact")
    return replace(p, optimal=sol.status == "optimal", gap=_gap(sol, p.effort))


def with_champion(m: StakeholderMap) -> tuple[StakeholderMap, tuple[str, ...]]:
    """A map without a champion but with exactly one Champion (+2) plans from that person."""
    if m.proposal.champion and m.get(m.proposal.champion) is not None:
        return m, ()
    champions = [s.name for s in m.stakeholders if s.stance >= 2]
    if len(champions) != 1:
        return m, ()
    note = _(
        "Planned by {name}, the only Champion on the map; name another champion in the "
        "Proposal sheet's Champion row if someone else builds this coalition."
    ).format(name=champions[0])
    return replace(m, proposal=replace(m.proposal, champion=champions[0])), (note,)


def method_line(p: Plan, searched: bool = True, best_case: bool = False) -> str:
    """How far to trust that the plan is the least effort, in the user's words; ``best_case``:
    no plan exists, proven by the best case (:attr:`stakemap.planning.problem.Problem.unreachable`),
    not by the exact programme's search.

    >>> from stakemap.samples.cases import new_programme
    >>> plan(new_programme(), samples=0).method_text
    'Least effort, proven.'
    """
    if p.proven_none and best_case:
        return _(
            "No plan exists on this map: proven, as even meeting everyone who can be met, each "
            "as persuasively as one meeting can, would not carry it."
        )
    if p.proven_none:
        return _("No plan exists on this map: proven by searching every order of meetings.")
    if not p.close.ready:
        if searched:
            return _("No ready plan found (searched {seconds:.1f} s); one may exist.").format(
                seconds=p.searched
            )
        return _("No ready plan found step by step; the map is too large for a full search.")
    if p.cheaper:
        cheapest = p.cheaper[0]
        conf = p.close.confidence
        if conf is None or conf >= ROBUST - 1e-9:
            text = _(
                "Least effort among plans that hold in at least {share} of nearby maps and keep "
                "the usual order; a cheaper one (effort {effort:g}) {why}."
            )
            share = ROBUST
        else:
            text = _(
                "The most robust plan found: it holds in {share} of nearby maps; a cheaper one "
                "(effort {effort:g}) {why}."
            )
            share = conf
        return text.format(share=words.percent(share), effort=cheapest.effort, why=cheapest.why_not)
    if p.optimal:
        return _("Least effort, proven.")
    if searched:
        return _("Good plan; a cheaper one may exist (searched {seconds:.1f} s).").format(
            seconds=p.searched
        )
    return _("Good plan, found step by step; the map is too large to prove it the least effort.")
