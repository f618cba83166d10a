"""The close in plain words: why the group meeting can go ahead, or what is still missing, with
counts, and the proven fact when no order of meetings can make it ready (docs/planning.md,
"Words")."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from stakemap.language import gettext as _
from stakemap.language import ngettext, pgettext
from stakemap.planning.opinion import against, supports, word
from stakemap.planning.problem import Problem
from stakemap.planning.record import Close
from stakemap.planning.rule import Count, Tally, VetoState
from stakemap.planning.words import (
    amount_of,
    and_text,
    count_text,
    either,
    join,
    names_of,
    needed_text,
    percent,
    short_text,
    spare_text,
    stance_word,
    standing,
    unit_text,
)

__all__ = ["best_case_words", "clauses", "close_step_words", "close_words", "no_plan_sentence"]


def clauses(parts: Sequence[str]) -> str:
    """Clauses of one sentence: 'A; B' ('A；B' in Chinese)."""
    return pgettext("clauses", "; ").join(parts)


def close_words(
    pr: Problem, tally: Tally, x: np.ndarray, active: np.ndarray, sinks: Sequence[str]
) -> str:
    """Why the group meeting can go ahead, or what is still missing, with counts."""
    if not pr.size:
        return _("Not ready: the map has no stakeholders.")
    cast = not pr.rule.counted
    if _missing(pr, tally, cast):
        net, reach = pr.net, x.copy()
        for i in np.flatnonzero(pr.eligible & pr.rule.member & ~supports(x)).tolist():
            reach[i] = x[i] + net.push(i, active)[0] / net.power[i]  # a meeting now
        return _not_ready(pr, tally, x, reach)
    parts = [_holding(pr, tally, cast, sinks)]
    for state in tally.vetoes:
        if state.isolated:
            parts.append(_isolated_text(pr, state))
    if tally.quorum is not None:
        parts.append(
            _("{count} take part ({needed})").format(
                count=count_text(tally.quorum), needed=needed_text(tally.quorum)
            )
        )
    rest = [
        pr.net.names[i]
        for i in range(pr.size)
        if pr.stance[i] < 0
        and not supports(x[i])
        and pr.rule.member[i]
        and i not in {s.veto.index for s in tally.vetoes if s.isolated}
    ]
    if rest:
        parts.append(_("still against it, without a veto: {names}").format(names=join(rest)))
    return _("Ready: {parts}.").format(parts=clauses(parts))


def best_case_words(pr: Problem, best: Tally, x: np.ndarray) -> str:
    """What fails even in the best case ``x`` (opinions with everyone who may be met pushed as
    hard as a meeting can, :meth:`stakemap.planning.problem.Problem.best_case`, counted as
    ``best``), in the close's words: the thresholds short, the vetoes that still block, how far
    a meeting brings those not won."""
    return _not_ready(pr, best, x, x)


def _not_ready(pr: Problem, tally: Tally, x: np.ndarray, reach: np.ndarray) -> str:
    """What is missing on opinions ``x``, those a meeting brings to ``reach`` (no further)."""
    problems = _missing(pr, tally, not pr.rule.counted) + _out_of_reach(pr, x, reach)
    opposed = names_of(pr, np.flatnonzero((pr.stance < 0) & ~supports(x) & pr.rule.member))
    if opposed:
        return _("Not ready: {problems}; still against it: {names}.").format(
            problems=clauses(problems), names=join(opposed)
        )
    return _("Not ready: {problems}.").format(problems=clauses(problems))


def _holding(pr: Problem, tally: Tally, cast: bool, sinks: Sequence[str]) -> str:
    lines = [
        _("{count} back it ({needed}, {spare})").format(
            count=count_text(c, cast), needed=needed_text(c), spare=spare_text(c)
        )
        for c in tally.counts
    ]
    text = and_text(lines)
    if tally.deemed and not all(c.holds for c in tally.counts):
        b = tally.blocking
        text = _(
            "{text}; those not in favour hold {count}, short of a blocking minority ({needed})"
        ).format(text=text, count=count_text(b), needed=needed_text(b))
    if sinks:
        text = _("{text}; losing {names} sinks it").format(text=text, names=either(list(sinks)))
    elif len(tally.counts) > 1 and tally.tightest is not None:
        text = _("{text}; the tightest is {line}").format(
            text=text, line=tally.tightest.line.text(cast)
        )
    return text


def _isolated_text(pr: Problem, state: VetoState) -> str:
    name = pr.net.names[state.veto.index]
    backers = join(names_of(pr, state.veto.listeners))
    return _(
        "{name}, who has an informal veto, is not for it but is isolated: everyone in the "
        "decision body {name} listens to ({people}) backs it, so {name} is expected to go along"
    ).format(name=name, people=backers)


def _missing(pr: Problem, tally: Tally, cast: bool) -> list[str]:
    """What keeps the proposal from being ready, in words."""
    out = []
    if not tally.lines_hold:
        for c in tally.counts:
            if not c.holds:
                text = _("{count} back it, {needed} ({short})").format(
                    count=count_text(c, cast), needed=needed_text(c), short=short_text(c)
                )
                out.append(_blockers(pr, tally, c, text))
    if tally.quorum is not None and not tally.quorum.holds:
        q = tally.quorum
        out.append(
            _("only {count} take part, {needed} for a quorum").format(
                count=count_text(q), needed=needed_text(q)
            )
        )
    for state in tally.vetoes:
        if state.blocks:
            out.append(_veto_text(pr, state))
    return out


def _blockers(pr: Problem, tally: Tally, c: Count, text: str) -> str:
    """``text`` with the blocking minority of a failing threshold: the fewest of those not
    for, largest first, whose weight alone keeps it from holding."""
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
        return text
    weight = (
        amount_of(measure.value(held), measure.unit)
        if measure.integral
        else _("{share} of {unit}").format(share=percent(held / total, 1), unit=unit_text(c, False))
    )
    return ngettext(
        "{text}; {names} alone holds {weight}, enough to block it",
        "{text}; {names} alone hold {weight}, enough to block it",
        len(group),
    ).format(text=text, names=join(names_of(pr, group)), weight=weight)


def _veto_text(pr: Problem, state: VetoState) -> str:
    name = pr.net.names[state.veto.index]
    stance = stance_word(state.opinion)
    if state.veto.kind == "formal":
        if against(state.opinion):
            if pr.rule.counted:
                text = _(
                    "{name} holds a veto and is predicted against it ({word}); isolation does "
                    "not lift a formal veto: only winning {name} does"
                )
            else:
                text = _(
                    "{name} holds a veto and is predicted against it ({word}); isolation does "
                    "not lift a formal veto: only winning or neutralising {name} does"
                )
            return text.format(name=name, word=stance)
        return _(
            "{name} holds a veto and is predicted {word}: with abstentions counted against, "
            "{name} blocks until for it"
        ).format(name=name, word=stance)
    if state.missing:
        missing = join(names_of(pr, state.missing))
        return _("{name} (informal veto) still hears from {people}, not on board").format(
            name=name, people=missing
        )
    if not state.veto.listeners:
        return _(
            "{name} (informal veto) listens to no one in the decision body, so nobody can "
            "isolate {name}: someone must win {name} over"
        ).format(name=name)
    return _("{name} (informal veto) does not back it yet").format(name=name)


def _out_of_reach(pr: Problem, x: np.ndarray, reach: np.ndarray, shown: int = 3) -> list[str]:
    """The members the plan could not win, most votes first, with the stance a meeting would
    bring them to (``reach``); those it would win are not out of reach."""
    net, rule = pr.net, pr.rule
    votes = rule.votes.ints
    open_ = ~supports(x) & rule.member
    left = np.flatnonzero(pr.eligible & open_ & ~supports(reach)).tolist()
    left.sort(key=lambda i: (-votes[i], i))
    notes = []
    for i in left[:shown]:
        notes.append(
            _("a meeting now would bring {name} to {word}, not enough").format(
                name=net.names[i], word=_(word(reach[i]))
            )
        )
    kept = [net.names[i] for i in np.flatnonzero(~pr.eligible & open_) if i != net.champion]
    if kept:
        notes.append(
            _("not to be approached (target stance or Do not approach): {names}").format(
                names=join(kept)
            )
        )
    if not notes:
        return []
    return [_("out of reach for now: {notes}").format(notes=clauses(notes))]


def no_plan_sentence(pr: Problem) -> str:
    """The proven fact, in the rule's words."""
    rule = pr.rule
    cast = not rule.counted
    goal = and_text([line.text(cast) for line in rule.lines]) or _("the rule")
    if rule.vetoes:
        return _("No order of meetings reaches {goal} with every veto clear on this map.").format(
            goal=goal
        )
    return _("No order of meetings reaches {goal} on this map.").format(goal=goal)


def close_step_words(
    pr: Problem, i: int, close: Close, tally: Tally, backers: Sequence[int]
) -> str:
    """Why the group meeting is aimed at person ``i`` (the close step's reason)."""
    net = pr.net
    name = net.names[i]
    veto = pr.rule.veto_of(i)
    if veto is not None and veto.kind == "informal":
        who = _("{name} (informal veto)").format(name=name)
    elif veto is not None:
        who = _("{name} (veto)").format(name=name)
    else:
        who = _("{name} (decision maker)").format(name=name)
    back = standing(tally, not pr.rule.counted)
    if name in close.isolated:
        text = _(
            "Present to the whole group: {standing} back it, and {who} is isolated: everyone "
            "{name} listens to in the group ({people}) backs it"
        ).format(standing=back, who=who, name=name, people=join(names_of(pr, veto.listeners)))
    elif not net.listens[i]:
        text = _(
            "Present to the whole group: {standing} back it, and no one on the map has {who}'s ear"
        ).format(standing=back, who=who)
    else:
        text = _(
            "Present to the whole group: {standing} back it; {who} is the most powerful person "
            "not yet for it"
        ).format(standing=back, who=who)
    if net.champion is not None and net.champion_tie[i] < 0 and backers:
        text = _(
            "{text}; let {people} make the case to {name}: your own push sets {name} against it"
        ).format(text=text, people=join(names_of(pr, backers)), name=name)
    return _("{text}.").format(text=text)
