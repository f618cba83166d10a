"""What it would take: the smallest changes that make a plan exist where none does.

When the least-effort programme (:mod:`stakemap.planning.exact`) proves that no order of meetings
reaches the rule, each candidate change is applied to a copy of the map and the programme is
solved again; only changes whose re-solved plan closes are kept, cheapest (least plan effort,
then smallest change) first, at most :data:`MOST`. The candidates are the story's levers
(../shared/COALITIONS.md): one more messenger tie (ask someone on board to talk to a decision
maker not on board), a proposal part matching a decision maker's goals (R8), a lower pass share,
and a named person moved one stance point.
"""

from __future__ import annotations

import math
import time
from collections.abc import Collection
from dataclasses import replace

from stakemap.model import ProposalPart, Relationship, StakeholderMap

__all__ = ["MOST", "apply", "candidates", "describe", "unlocks"]

#: Suggestions shown at most, and the strength of a suggested messenger tie ("they listen").
MOST = 5
TIE = 3.0
#: Seconds spent re-solving candidates before stopping with what is verified.
BUDGET = 4.0
_PER_KIND = 4


def apply(m: StakeholderMap, change: tuple) -> StakeholderMap:
    """``m`` with ``change`` applied (a copy: the map passed in is never touched).

    >>> from stakemap.model import Stakeholder
    >>> m = StakeholderMap((Stakeholder("A"), Stakeholder("B")))
    >>> apply(m, ("tie", "A", "B")).relationships[0].target
    'B'
    >>> apply(m, ("stance", "B", 1)).get("B").stance
    1
    """
    kind = change[0]
    if kind == "tie":
        tie = Relationship(change[1], change[2], TIE, "influences", "suggested messenger")
        return replace(m, relationships=(*m.relationships, tie))
    if kind == "goal":
        part = ProposalPart(f"{change[2].capitalize()} part for {change[1]}", (change[2],))
        return replace(m, proposal=replace(m.proposal, parts=(*m.proposal.parts, part)))
    if kind == "share":
        return replace(m, proposal=replace(m.proposal, pass_share=float(change[1])))
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
        return f"Ask {change[1]} to talk to {change[2]} (a new messenger tie)"
    if kind == "goal":
        return f"Add a proposal part on {change[2]!r}, which matches {change[1]}'s goals"
    if kind == "share":
        return f"Lower the pass share to {round(100 * float(change[1]))}%"
    old = m.get(change[1]).stance
    return f"Move {change[1]} one stance point, from {old:+d} to {int(change[2]):+d}"


def candidates(m: StakeholderMap, pass_share: float | None = None) -> list[tuple]:
    """Candidate changes, a few of each kind, aimed at the decision makers not on board."""
    from stakemap.planning.planner import _setup, _supporters

    setup = _setup(m, pass_share, ())
    net, body = setup.net, setup.body
    x = net.solve(net.u)
    on = _supporters(x)
    weight = body.weight
    targets = [i for i in range(len(net.names)) if weight[i] > 0 and not on[i]]
    for v in setup.vetoes:
        targets += [u for u, _ in net.listens[v] if weight[u] > 0 and not on[u]]
    targets = sorted(set(targets), key=lambda i: (-weight[i], -net.power[i], i))
    targets = [i for i in targets if setup.eligible[i]] + [
        i for i in targets if not setup.eligible[i]
    ]
    carriers = sorted(
        (j for j in range(len(net.names)) if on[j] and setup.stance[j] >= 1),
        key=lambda j: (-int(net.active0[j]), -net.power[j], j),
    )
    out: list[tuple] = []
    ties = []
    for i in targets[:_PER_KIND]:
        heard = {j for j, _ in net.listens[i]}
        for j in carriers:
            if j != i and j not in heard and j != net.champion:
                ties.append(("tie", net.names[j], net.names[i]))
                break
    out += ties[:_PER_KIND]
    tags = {t.strip().lower() for p in m.proposal.parts for t in p.tags}
    goals = []
    for i in targets:
        own = [g.strip().lower() for g in m.stakeholders[i].goals if g.strip()]
        if own and not any(g in tags for g in own) and setup.eligible[i]:
            goals.append(("goal", net.names[i], own[0]))
    out += goals[:_PER_KIND]
    if body.rule == "share":
        reach = body.share(on)
        share = math.floor(round(body.pass_share * 20, 6)) / 20 - 0.05
        while share > max(reach, 0.05) - 1e-9:
            out.append(("share", round(share, 2)))
            share -= 0.05
    stances = []
    for i in targets:
        if m.stakeholders[i].stance < 2:
            stances.append(("stance", net.names[i], int(m.stakeholders[i].stance) + 1))
    out += stances[:_PER_KIND]
    return out


def unlocks(
    m: StakeholderMap,
    *,
    pass_share: float | None = None,
    exclude: Collection[str] = (),
    most: int = MOST,
    budget: float = BUDGET,
):
    """Up to ``most`` changes that each, applied and re-solved, give a plan that closes;
    cheapest first (least effort of the unlocked plan, then the kind: tie, goal, stance, share).
    The share candidates are tried from the highest down and only the first that works is kept.
    """
    from stakemap.planning.planner import Unlock, plan

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
        share = float(change[1]) if change[0] == "share" else pass_share
        p = plan(changed, pass_share=share, exclude=exclude, samples=0, unlock=False)
        if p.close.ready:
            share_found = share_found or change[0] == "share"
            found.append(Unlock(change[0], describe(change, m), change, p.effort))
    found.sort(key=lambda u: (u.effort, rank[u.kind]))
    return found[:most]
