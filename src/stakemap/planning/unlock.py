"""What it would take: the smallest changes that make a plan exist where none does.

When the exact programme (:mod:`stakemap.planning.exact`) proves that no order of meetings makes
the proposal ready, each candidate change is applied to a copy of the map and the programme is
solved again; only changes whose new plan, replayed through the model, is ready under the same
rule are kept, cheapest (least plan effort, then smallest change) first, at most :data:`MOST`.
The candidates are the story's levers (docs/coalitions.md): one more messenger tie (ask someone
on board to talk to a member not on board), a proposal part matching a member's goals, a named
person moved one stance point, and, where the rule is one share of the votes, a lower share.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import replace
from fractions import Fraction

import numpy as np

from stakemap.language import gettext as _
from stakemap.model import ProposalPart, Relationship, StakeholderMap
from stakemap.planning import exact
from stakemap.planning.opinion import supports
from stakemap.planning.problem import problem
from stakemap.planning.record import Unlock
from stakemap.planning.thresholds import with_pass_share
from stakemap.values import amount_text

__all__ = ["MOST", "apply", "candidates", "describe", "unlocks"]

#: Suggestions shown at most, and the strength of a suggested messenger tie ("they listen").
MOST = 5
TIE = 3.0
#: Seconds spent re-solving candidates before stopping with what is verified.
BUDGET = 4.0
_PER_KIND = 4
_STEP = Fraction(1, 20)


def apply(m: StakeholderMap, change: tuple) -> StakeholderMap:
    """``m`` with ``change`` applied (a copy: the map passed in is never touched).

    >>> from stakemap.model import Stakeholder
    >>> m = StakeholderMap((Stakeholder("A"), Stakeholder("B")))
    >>> apply(m, ("tie", "A", "B")).relationships[0].target
    'B'
    >>> apply(m, ("stance", "B", 1)).get("B").stance
    1
    >>> apply(m, ("share", "9/20")).proposal.pass_share
    0.45
    """
    kind = change[0]
    if kind == "tie":
        tie = Relationship(change[1], change[2], TIE, "influences", "suggested messenger")
        return replace(m, relationships=(*m.relationships, tie))
    if kind == "goal":
        part = ProposalPart(f"{change[2].capitalize()} part for {change[1]}", (change[2],))
        return replace(m, proposal=replace(m.proposal, parts=(*m.proposal.parts, part)))
    if kind == "share":
        return replace(m, proposal=with_pass_share(m.proposal, Fraction(change[1])))
    if kind == "stance":
        people = tuple(
            replace(s, stance=int(change[2])) if s.name == change[1] else s for s in m.stakeholders
        )
        return replace(m, stakeholders=people)
    raise ValueError(f"unknown change {kind!r}")


def describe(change: tuple, m: StakeholderMap) -> str:
    """The change in plain words."""
    kind = change[0]
    if kind == "tie":
        return _("Ask {name} to talk to {other} (a new messenger)").format(
            name=change[1], other=change[2]
        )
    if kind == "goal":
        return _("Add a proposal part on {goal!r}, which matches {name}'s goals").format(
            goal=change[2], name=change[1]
        )
    if kind == "share":
        return _("Lower the pass share to {share} of the votes").format(
            share=amount_text(Fraction(change[1]))
        )
    old = m.get(change[1]).stance
    return _("Move {name} one stance point, from {old:+d} to {new:+d}").format(
        name=change[1], old=old, new=int(change[2])
    )


def candidates(m: StakeholderMap, pass_share=None) -> list[tuple]:
    """Candidate changes, a few of each kind, aimed at the members not on board."""
    pr = problem(m, pass_share)
    net, rule = pr.net, pr.rule
    on = supports(net.typed)
    votes = rule.votes.ints
    targets = [i for i in range(pr.size) if rule.member[i] and not on[i]]
    for v in rule.vetoes:
        targets += [i for i in (v.index, *v.listeners) if not on[i]]
    targets = sorted(set(targets), key=lambda i: (-votes[i], -net.power[i], i))
    targets = [i for i in targets if pr.eligible[i]] + [i for i in targets if not pr.eligible[i]]
    carriers = sorted(
        (j for j in range(pr.size) if on[j] and pr.stance[j] >= 1),
        key=lambda j: (-int(net.active0[j]), -net.power[j], j),
    )
    out: list[tuple] = []
    ties = []
    for i in targets[:_PER_KIND]:
        heard = {j for j, _ in net.listens[i]}
        j = next((j for j in carriers if j not in (i, net.champion) and j not in heard), None)
        if j is not None:
            ties.append(("tie", net.names[j], net.names[i]))
    out += ties[:_PER_KIND]
    tags = {t.strip().lower() for p in m.proposal.parts for t in p.tags}
    goals = []
    for i in targets:
        own = [g.strip().lower() for g in m.stakeholders[i].goals if g.strip()]
        if own and not any(g in tags for g in own) and pr.eligible[i]:
            goals.append(("goal", net.names[i], own[0]))
    out += goals[:_PER_KIND]
    out += [("share", str(s)) for s in _lower_shares(pr)]
    stances = [
        ("stance", net.names[i], int(m.stakeholders[i].stance) + 1)
        for i in targets
        if m.stakeholders[i].stance < 2
    ]
    return out + stances[:_PER_KIND]


def _lower_shares(pr) -> list[Fraction]:
    """Lower shares of the votes, in 5% steps down to what those for hold today, where the
    rule is one share of the votes."""
    rule = pr.rule
    if len(rule.lines) != 1 or not rule.lines[0].is_share or rule.lines[0].measure.key != "votes":
        return []
    measure = rule.votes
    held = Fraction(measure.sum(supports(pr.net.typed) & rule.member), measure.total or 1)
    share = (rule.lines[0].amount / _STEP).__ceil__() * _STEP - _STEP
    out = []
    while share > max(held, _STEP) - Fraction(1, 10**9):
        out.append(share)
        share -= _STEP
    return out


def unlocks(
    m: StakeholderMap,
    *,
    pass_share=None,
    exclude: Collection[str] = (),
    most: int = MOST,
    budget: float = BUDGET,
) -> list[Unlock]:
    """Up to ``most`` changes that each, applied and solved again, give a ready plan; cheapest
    first (least effort of the new plan, then the kind: tie, goal, stance, share). Of the
    share candidates only the highest that works is kept."""
    started = time.perf_counter()
    rank = {"tie": 0, "goal": 1, "stance": 2, "share": 3}
    found: list[Unlock] = []
    share_found = False
    for change in candidates(m, pass_share):
        if time.perf_counter() - started > budget:
            break
        if change[0] == "share" and share_found:
            continue
        changed = apply(m, change)
        share = None if change[0] == "share" else pass_share
        pr = problem(changed, share, exclude)
        if pr.ready(pr.net.typed):
            found.append(Unlock(change[0], describe(change, m), change, 0.0))
            share_found = share_found or change[0] == "share"
            continue
        sol = exact.solve(pr, min(exact.TIME_LIMIT, budget / 4))
        if sol.order:  # solve returns only orders that replay to a ready proposal
            share_found = share_found or change[0] == "share"
            effort = float(np.sum(pr.effort[list(sol.order)]))
            found.append(Unlock(change[0], describe(change, m), change, effort))
    found.sort(key=lambda u: (u.effort, rank[u.kind]))
    return found[:most]
