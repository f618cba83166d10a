"""The plan in plain words: each step's reason, the close, the rule's counts and the method.

Main text names people and counts ("needs 6 of 9 votes; 4 now; 6 after step 3") and never a
rule code, a model term or a solver word; the numbers behind a step go in its details line
(docs/planning.md, "Words").
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from fractions import Fraction
from itertools import pairwise

import numpy as np

from stakemap.planning.influence import GOAL_PUSH, OWN_MEETING, Move
from stakemap.planning.opinion import LINE, TOL, against, supports, word
from stakemap.planning.problem import Problem
from stakemap.planning.record import Plan, Step
from stakemap.planning.rule import Count, Tally, VetoState
from stakemap.values import amount_text, number_text

__all__ = [
    "PHASES",
    "close_words",
    "count_text",
    "join",
    "percent",
    "point_change",
    "share_before",
    "share_digits",
    "standing",
    "step_facts",
    "step_words",
]

_EPS = 1e-9

#: Phase -> (title, what the step asks of the champion), after COALITIONS.md's Case 2.
PHASES: dict[str, tuple[str, str]] = {
    "allies": ("Allies", "Meet one-to-one: they already agree; refine the idea together."),
    "persuade": ("Persuade", "Let the idea reach them through the people they listen to."),
    "align": ("Align", "Ask them to own the part of the proposal that matches their goals."),
    "close": ("Close", "Present to the whole group."),
}


def share_digits(*shares: float, most: int = 6) -> int:
    """Fewest decimals (up to ``most``) with which no two different shares print as the same
    percentage, so a share just below the pass line never reads as equal to it.

    >>> share_digits(0.3043, 0.7), share_digits(0.6957, 0.7), share_digits(0.69957, 0.7)
    (0, 1, 2)
    """
    ordered = sorted(shares)
    pairs = [(a, b) for a, b in pairwise(ordered) if b - a > _EPS]
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
    printed numbers add up.

    >>> point_change("30%", "70%"), point_change("70%", "69.6%")
    ('+40', '-0.4')
    """
    digits = max(len(t.rstrip("%").partition(".")[2]) for t in (before, after))
    change = float(after.rstrip("%")) - float(before.rstrip("%"))
    return _trim(f"{change:+.{digits}f}")


def _trim(number: str) -> str:
    return number.rstrip("0").rstrip(".") if "." in number else number


def join(names: Sequence[str], limit: int = 6) -> str:
    """'A', 'A and B', 'A, B and C'; past ``limit`` names, 'A, B, ... and 9 others'.

    >>> join(["Ana"]), join(["Ana", "Ben", "Cy"])
    ('Ana', 'Ana, Ben and Cy')
    """
    names = list(names)
    if len(names) > limit:
        return f"{', '.join(names[:limit])} and {len(names) - limit} others"
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _unit(count: Count, cast: bool) -> str:
    unit = count.line.measure.unit
    unit = "power points" if unit == "power" else unit
    return f"{unit} cast" if cast else unit


def _singular(unit: str) -> str:
    """'votes' -> 'vote', 'power points' -> 'power point'; a column's name as it is."""
    return {"votes": "vote", "members": "member", "power points": "power point"}.get(unit, unit)


def count_text(count: Count, cast: bool = False) -> str:
    """Those for against the whole, as counts when the measure is whole numbers.

    >>> from stakemap.planning.rule import Line, Measure
    >>> votes = Measure("votes", "votes", (Fraction(1),) * 9)
    >>> line = Line(votes, Fraction(2, 3), True)
    >>> count_text(Count(line, Fraction(4), Fraction(9), Fraction(6), False))
    '4 of 9 votes'
    """
    if count.line.measure.integral:
        return f"{number_text(count.value)} of {number_text(count.base)} {_unit(count, cast)}"
    share = count.value / count.base if count.base else Fraction(0)
    return f"{percent(float(share), 1)} of {_unit(count, cast)}"


def _needed_text(count: Count) -> str:
    """'6 needed', 'more than 11.5 needed', '65% needed'."""
    line = count.line
    if line.measure.integral or not line.is_share:
        return f"{number_text(count.needed)} needed"
    more = "more than " if line.strict else ""
    return f"{more}{amount_text(line.amount)} needed"


def standing(tally: Tally, cast: bool = False) -> str:
    """Those for on every threshold: '6 of 9 votes', '15 of 27 members and 66.1% of
    Population'."""
    return " and ".join(count_text(c, cast) for c in tally.counts)


def _spare_text(count: Count) -> str:
    spare = count.spare
    if count.line.measure.integral:
        if spare == 0:
            return "none to spare"
        return f"{number_text(spare)} to spare"
    if count.line.strict and spare <= 0:
        return "none to spare"
    return f"{number_text(spare)} {_unit(count, False)} to spare"


def short_text(count: Count) -> str:
    """'one short', '3 short', or the share still missing."""
    missing = count.needed - count.value
    if count.line.measure.integral:
        return "one short" if missing == 1 else f"{number_text(missing)} short"
    return f"{percent(float(missing / count.base), 1) if count.base else '-'} short"


def verdict(before: Tally, after: Sequence[Tally], cast: bool = False) -> str:
    """Each threshold's count now and the step that reaches it: 'needs 6 of 9 votes; 4 now;
    6 after step 3'.

    >>> from stakemap.planning.rule import Line, Measure
    >>> line = Line(Measure("votes", "votes", (Fraction(1),) * 9), Fraction(2, 3), True)
    >>> def tally(k):
    ...     c = Count(line, Fraction(k), Fraction(9), Fraction(6), k >= 6)
    ...     return Tally(None, None, (c,), None, None, ())
    >>> verdict(tally(4), [tally(5), tally(5), tally(6)])
    'needs 6 of 9 votes; 4 now; 6 after step 3'
    """
    parts = []
    for at, now in enumerate(before.counts):
        counts = [t.counts[at] for t in after]
        final = counts[-1] if counts else now
        reached = next((k for k, c in enumerate(counts, start=1) if c.holds), None)
        integral = now.line.measure.integral
        if integral:
            text = (
                f"needs {number_text(final.needed)} of {number_text(final.base)} "
                f"{_unit(final, cast)}; {number_text(now.value)} now"
            )
        else:
            text = f"needs {_needed_text(final).removesuffix(' needed')} of {_unit(final, cast)}"
            text += f"; {_share(now)} now"
        if now.holds:
            parts.append(text)
            continue

        if reached is not None:
            text += f"; {_shown(counts[reached - 1])} after step {reached}"
            if counts[reached - 1].value != final.value:
                text += f", {_shown(final)} at the close"
        elif counts:
            text += f"; {_shown(final)} after every step, short of it"
        parts.append(text)
    return " · ".join(parts)


def _shown(count: Count) -> str:
    """Those for: a count, or a share where the measure is not whole numbers."""
    return number_text(count.value) if count.line.measure.integral else _share(count)


def _share(count: Count) -> str:
    return percent(float(count.value / count.base), 1) if count.base else "0%"


# -- the steps ---------------------------------------------------------------------------------


def share_before(p: Plan, step: Step) -> float:
    """The share for it just before ``step`` (one of ``p``'s): after the step before it.

    >>> from stakemap.planning.planner import plan
    >>> from stakemap.samples.cases import new_programme
    >>> p = plan(new_programme(), samples=0)
    >>> share_before(p, p.steps[0]) == p.support_share_before
    True
    """
    i = p.steps.index(step)
    return p.steps[i - 1].support_share_after if i else p.support_share_before


def step_facts(p: Plan, step: Step) -> list[tuple[str, str]]:
    """What a step's slide and the printed plan say of it: (heading, words) for whom, through
    whom, the ask and the share for it before and after.

    >>> from stakemap.planning.planner import plan
    >>> from stakemap.samples.cases import new_programme
    >>> p = plan(new_programme(), samples=0)
    >>> [words for _, words in step_facts(p, p.steps[2])]  # doctest: +NORMALIZE_WHITESPACE
    ['Rosa Mendes', 'Omar Haddad, Priya Nair', 'Trainer guide for the new model',
     '30% of power before, 43% after: 10 of 23 power points']
    """
    share = f"{percent(share_before(p, step), p.digits)} of {p.counted} before, "
    share += f"{percent(step.support_share_after, p.digits)} after"
    through = ", ".join(step.messengers) or "you, one-to-one"
    ask = step.ask or ("none: present to the whole group" if step.phase == "close" else "none")
    return [
        ("Whom", step.name),
        ("Through whom", through),
        ("The ask", ask),
        ("For it", f"{share}: {step.standing}" if step.standing else share),
    ]


def step_words(
    pr: Problem, moves: Sequence[Move], a: int, cast: bool
) -> tuple[str, str | None, str, str]:
    """(phase, ask, reason, details) of the ``a``-th move (0-based) of ``moves``."""
    net = pr.net
    mv = moves[a]
    k, name = mv.k, net.names[mv.k]
    x_before = moves[a - 1].x if a else net.typed
    active_before = moves[a - 1].active if a else net.active0
    was_for = bool(supports(x_before[k]))
    options = pr.asks[k]
    earlier = {s for m2 in moves[:a] for s in pr.asks[m2.k][:1]}
    ask = next((o for o in options if o not in earlier), options[0] if options else None)
    listens = dict(net.listens[k])
    messengers = sorted(mv.messengers, key=lambda j: (-listens[j], j))
    carried = sum(listens[j] for j in messengers)
    if was_for:
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
            if not active_before[i] and i != k and pr.eligible[i] and not supports(x_before[i])
        ]
        won = next((n for n, m2 in enumerate(moves[:a], start=1) if k in m2.wins), None)
        if won is None:
            parts.append(f"{name} already agrees but passes nothing on until met one-to-one")
        else:
            parts.append(
                f"{name} is for it since step {won} but passes nothing on until met one-to-one"
            )
        if listeners:
            parts.append(
                f"meet {name} first so that {name} can bring it to "
                f"{join(_names(pr, listeners))}, who listen{'s' * (len(listeners) == 1)} to {name}"
            )
    elif messengers:
        since = max((_met_at(moves, j) for j in messengers), default=0)
        when = f"on board after step {since}" if since else "on board from the start"
        both = "both " if len(messengers) == 2 else "all " if len(messengers) > 2 else ""
        them = "them" if len(messengers) > 1 else net.names[messengers[0]]
        parts.append(
            f"{name} {_verb(pr, k, messengers)} {join(_names(pr, messengers))}, {both}{when}: "
            f"ask {them} to bring it to {name} as their idea"
        )
    else:
        parts.append(f"meet {name} yourself: no one {name} listens to is on board yet")
    if ask is not None and phase != "allies":
        owner = next((net.names[m2.k] for m2 in moves[:a] if ask in pr.asks[m2.k][:1]), None)
        own = f"co-own {ask!r} with {owner}" if owner else f"own {ask!r}"
        parts.append(f"ask {name} to {own}, which matches {name}'s goals ({_tags(pr, k, ask)})")
    if not mv.present:
        parts.append(f"stay out of this one yourself: your visible push sets {name} against it")
    nxt = moves[a + 1].k if a + 1 < len(moves) else None
    if nxt is not None and (k, nxt) in pr.verbs:
        other = net.names[nxt]
        parts.append(f"{other} {pr.verbs[k, nxt]} {name}, so {name} comes first")
    parts.append(_after(pr, mv, phase, cast))
    reason = _sentence("; ".join(parts))
    details = (
        f"Predicted stance of {name}: {word(x_before[k])} ({x_before[k]:+.2f}) before, "
        f"{word(mv.x[k])} ({min(mv.x[k], 2.0):+.2f}) after (for it from {LINE:+.2f}). "
        f"Weight of the meeting: {_push_parts(pr, k, mv, carried)}, against {name}'s power "
        f"{net.power[k]:g}."
    )
    return phase, (ask if phase != "allies" or ask else None), reason, details


def _after(pr: Problem, mv: Move, phase: str, cast: bool) -> str:
    net, name = pr.net, pr.net.names[mv.k]
    others = [i for i in mv.wins if i != mv.k]
    if phase == "allies":
        text = f"after it, {name} works for the proposal"
    elif mv.k in mv.wins:
        text = f"after it, {name} is for it"
    else:
        text = f"after it, {name} is predicted {word(mv.x[mv.k])}, not yet for it"
    if others:
        text += f", and {join(_names(pr, others))} come{'s' * (len(others) == 1)} over too"
    if pr.rule.member[mv.k] or others:
        text += f"; {standing(pr.tally(mv.x), cast)} now back it"
    listened = [
        net.names[v.index]
        for v in pr.rule.vetoes
        if v.index != mv.k and net.listen[v.index, mv.k] > 0
    ]
    if listened:
        text += f"; {join(listened)}, who can veto it, listen{'s' * (len(listened) == 1)} to {name}"
    return text


def _push_parts(pr: Problem, k: int, mv: Move, carried: float) -> str:
    tie = float(pr.net.champion_tie[k])
    own = 0.0 if not mv.present else (tie if tie < 0 else max(tie, OWN_MEETING))
    items = [f"your own {own:g}"]
    if carried:
        items.append(f"messengers {carried:g}")
    if pr.net.aligned[k]:
        items.append(f"an ask matching their goals {GOAL_PUSH:g}")
    return ", ".join(items)


def _tags(pr: Problem, k: int, ask: str) -> str:
    part = next(p for p in pr.m.proposal.parts if p.name == ask)
    goals = {g.strip().lower() for g in pr.m.stakeholders[k].goals}
    return ", ".join(t for t in part.tags if t.strip().lower() in goals)


def _verb(pr: Problem, k: int, messengers: list[int]) -> str:
    kinds = {pr.verbs.get((u, k), "listens to") for u in messengers}
    return kinds.pop() if len(kinds) == 1 else "listens to"


def _met_at(moves: Sequence[Move], j: int) -> int:
    return next((n for n, mv in enumerate(moves, start=1) if mv.k == j), 0)


def _names(pr: Problem, idx: Collection[int]) -> list[str]:
    return [pr.net.names[i] for i in idx]


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


# -- the close ---------------------------------------------------------------------------------


def close_words(
    pr: Problem, tally: Tally, x: np.ndarray, active: np.ndarray, sinks: Sequence[str]
) -> str:
    """Why the group meeting can go ahead, or what is still missing, with counts."""
    if not pr.size:
        return "Not ready: the map has no stakeholders."
    cast = not pr.rule.counted
    problems = _missing(pr, tally, cast)
    if problems:
        problems += _out_of_reach(pr, x, active)
        opposed = [
            pr.net.names[i]
            for i in range(pr.size)
            if pr.stance[i] < 0 and not supports(x[i]) and pr.rule.member[i]
        ]
        still = f"; still against it: {join(opposed)}" if opposed else ""
        return f"Not ready: {'; '.join(problems)}{still}."
    parts = [_holding(pr, tally, cast, sinks)]
    for state in tally.vetoes:
        if state.isolated:
            parts.append(_isolated_text(pr, state))
    if tally.quorum is not None:
        parts.append(f"{count_text(tally.quorum)} take part ({_needed_text(tally.quorum)})")
    rest = [
        pr.net.names[i]
        for i in range(pr.size)
        if pr.stance[i] < 0
        and not supports(x[i])
        and pr.rule.member[i]
        and i not in {s.veto.index for s in tally.vetoes if s.isolated}
    ]
    if rest:
        parts.append(f"still against it, without a veto: {join(rest)}")
    return f"Ready: {'; '.join(parts)}."


def _holding(pr: Problem, tally: Tally, cast: bool, sinks: Sequence[str]) -> str:
    lines = [
        f"{count_text(c, cast)} back it ({_needed_text(c)}, {_spare_text(c)})" for c in tally.counts
    ]
    text = " and ".join(lines)
    if tally.deemed and not all(c.holds for c in tally.counts):
        b = tally.blocking
        text += (
            f"; those not in favour hold {count_text(b)}, short of a blocking minority "
            f"({_needed_text(b)})"
        )
    if sinks:
        text += f"; losing {join(list(sinks), 4).replace(' and ', ' or ')} sinks it"
    elif len(tally.counts) > 1 and tally.tightest is not None:
        text += f"; the tightest is {tally.tightest.line.text(cast)}"
    return text


def _isolated_text(pr: Problem, state: VetoState) -> str:
    name = pr.net.names[state.veto.index]
    backers = join(_names(pr, state.veto.listeners))
    return (
        f"{name}, who has an informal veto, is not for it but is isolated: everyone in the "
        f"decision body {name} listens to ({backers}) backs it, so {name} is expected to go along"
    )


def _missing(pr: Problem, tally: Tally, cast: bool) -> list[str]:
    """What keeps the proposal from being ready, in words."""
    out = []
    if not tally.lines_hold:
        for c in tally.counts:
            if not c.holds:
                out.append(
                    f"{count_text(c, cast)} back it, {_needed_text(c)} ({short_text(c)})"
                    + _blockers(pr, tally, c)
                )
    if tally.quorum is not None and not tally.quorum.holds:
        q = tally.quorum
        out.append(f"only {count_text(q)} take part, {_needed_text(q)} for a quorum")
    for state in tally.vetoes:
        if state.blocks:
            out.append(_veto_text(pr, state))
    return out


def _blockers(pr: Problem, tally: Tally, c: Count) -> str:
    """The blocking minority of a failing threshold: the fewest of those not for, largest
    first, whose weight alone keeps it from holding."""
    measure = c.line.measure
    rule = pr.rule
    outside = [i for i in np.flatnonzero(rule.member & ~tally.yes)]
    outside.sort(key=lambda i: (-measure.ints[i], i))
    total = measure.total
    need = c.line.need(total)
    group, held = [], 0
    for i in outside:
        if total - held < need:
            break
        group.append(int(i))
        held += int(measure.ints[i])
    if total - held >= need or not group or len(group) > 6:
        return ""
    share = measure.value(held)
    unit = _unit(c, False)
    weight = (
        f"{number_text(share)} {_singular(unit) if share == 1 else unit}"
        if measure.integral
        else f"{percent(held / total, 1)} of {unit}"
    )
    names = join(_names(pr, group))
    return f"; {names} alone hold{'s' * (len(group) == 1)} {weight}, enough to block it"


def _veto_text(pr: Problem, state: VetoState) -> str:
    name = pr.net.names[state.veto.index]
    stance = f"{word(state.opinion)} ({min(state.opinion, 2.0):+.1f})"
    if state.veto.kind == "formal":
        if against(state.opinion):
            lift = "winning" if pr.rule.counted else "winning or neutralising"
            return (
                f"{name} holds a veto and is predicted against it ({stance}); isolation does "
                f"not lift a formal veto: only {lift} {name} does"
            )
        return (
            f"{name} holds a veto and is predicted {stance}: with abstentions counted against, "
            f"{name} blocks until for it"
        )
    if state.missing:
        missing = join(_names(pr, state.missing))
        return f"{name} (informal veto) still hears from {missing}, not on board"
    if not state.veto.listeners:
        return (
            f"{name} (informal veto) listens to no one in the decision body, so nobody can "
            f"isolate {name}: someone must win {name} over"
        )
    return f"{name} (informal veto) does not back it yet"


def _out_of_reach(pr: Problem, x: np.ndarray, active: np.ndarray, shown: int = 3) -> list[str]:
    """The members the plan could not win, most votes first, with why."""
    net, rule = pr.net, pr.rule
    votes = rule.votes.ints
    left = [i for i in range(pr.size) if pr.eligible[i] and not supports(x[i]) and rule.member[i]]
    left.sort(key=lambda i: (-votes[i], i))
    notes = []
    for i in left[:shown]:
        raw, _, _ = net.push(i, active)
        reach = x[i] + raw / net.power[i]
        notes.append(f"a meeting now would bring {net.names[i]} to {word(reach)}, not enough")
    kept = [
        net.names[i]
        for i in range(pr.size)
        if not pr.eligible[i] and not supports(x[i]) and rule.member[i] and i != net.champion
    ]
    if kept:
        notes.append(f"not to be approached (target stance or Do not approach): {join(kept)}")
    return [f"out of reach for now: {'; '.join(notes)}"] if notes else []


def no_plan_sentence(pr: Problem) -> str:
    """The proven fact, in the rule's words."""
    rule = pr.rule
    cast = not rule.counted
    goal = " and ".join(line.text(cast) for line in rule.lines) or "the rule"
    veto = " with every veto clear" if rule.vetoes else ""
    return f"No order of meetings reaches {goal}{veto} on this map."
