"""The plan record of an order of meetings: each step in words, the close, the rule checked.

:func:`assemble` turns the meetings a search chose, replayed through the model
(:meth:`stakemap.planning.influence.Network.replay`), into a :class:`stakemap.planning.record.Plan`:
each step's phase, ask, messengers and reason (:mod:`stakemap.planning.words`), the share for it
after each step, the close and its group meeting (:mod:`stakemap.planning.closing`), the rule
checked before and after, and advice where the map is thin. The planner
(:mod:`stakemap.planning.planner`) then adds how the plan was found.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from stakemap.language import gettext as _
from stakemap.pacing import checkpoint
from stakemap.planning import closing, words
from stakemap.planning.influence import Move, Play
from stakemap.planning.opinion import clip, supports
from stakemap.planning.problem import Problem
from stakemap.planning.record import Close, Plan, RuleCheck, Step, ThresholdCheck, VetoCheck
from stakemap.planning.rule import Count, Tally
from stakemap.planning.rule import sentences as rule_sentences

__all__ = ["assemble"]


def assemble(pr: Problem, moves: Sequence[Move], conf: float | None, source: str) -> Plan:
    """The plan of ``moves`` (an order replayed through the model), its confidence ``conf``
    and the search it came from (``source``: ``exact`` or ``greedy``).

    >>> from stakemap.samples.cases import new_programme
    >>> from stakemap.planning.problem import problem
    >>> pr = problem(new_programme())
    >>> p = assemble(pr, pr.net.replay([pr.net.index["Omar Haddad"]]), None, "greedy")
    >>> p.steps[0].name, p.steps[0].phase, p.close.ready
    ('Omar Haddad', 'allies', False)
    """
    net, rule, m = pr.net, pr.rule, pr.m
    x0, active0 = net.typed, net.active0
    cast = not rule.counted
    before = float(pr.weight_share(x0)) if pr.size else 0.0
    start = pr.tally(x0) if pr.size else None
    steps, shares, tallies = [], [], []
    told = words.history(pr.asks, moves)
    play = Play(net)  # the opinions after each move, worked out again step by step
    for a, mv in enumerate(moves):
        checkpoint()  # worked out ahead: a page run goes first (stakemap.pacing)
        x_before, active_before = play.x, play.active
        play.advance(mv.k, mv.push)
        tallies.append(pr.tally(play.x))  # once a step: its words, standing and verdict
        shares.append(float(pr.weight_share(play.x)))
        backing = words.standing(tallies[a], cast)
        seen = (x_before, active_before, play.x)
        phase, ask, reason, details = words.step_words(pr, moves, a, told, seen, backing)
        steps.append(
            Step(
                a + 1,
                net.names[mv.k],
                phase,
                tuple(sorted((net.names[j] for j in mv.messengers), key=_messenger_key(pr, mv))),
                ask,
                reason,
                shares[a],
                float(_active_share(pr, play.active)),
                float(pr.effort[mv.k]),
                wins=tuple(net.names[i] for i in mv.wins),
                details=details,
                standing=backing,
            )
        )
    x, active = play.x, play.active
    final_tally = tallies[-1] if moves else start
    line = _pass_line(final_tally)
    digits = words.share_digits(line, before, *shares)
    close = _close(pr, final_tally, x, active, conf)
    if close.ready:
        focus = _close_focus(pr, final_tally)
        if focus is not None:
            steps.append(_close_step(pr, focus, len(steps) + 1, close, final_tally, active))
    met = {net.names[mv.k] for mv in moves}
    approached = met | {net.names[j] for j in np.flatnonzero(active0)}
    return Plan(
        title=m.proposal.title,
        champion=m.proposal.champion,
        pass_share=line,
        support_share_before=before,
        active_share_before=float(_active_share(pr, active0)) if pr.size else 0.0,
        steps=tuple(steps),
        close=close,
        not_approached=tuple(n for n in net.names if n not in approached),
        effort=pr.effort_of([mv.k for mv in moves]),
        method=source,
        digits=digits,
        body=rule_sentences(rule.describe(), *rule.notes) if pr.size else "",
        advice=tuple(_advice(pr)),
        counted="power" if rule.fallback else "the votes",
        rule=_rule_check(pr, start, final_tally) if final_tally is not None else None,
        verdict=words.verdict(start, tallies, cast) if start is not None else "",
    )


def _messenger_key(pr: Problem, mv: Move):
    weights = dict(pr.net.listens[mv.k])
    index = pr.net.index
    return lambda name: (-weights[index[name]], index[name])


def _pass_line(tally: Tally | None) -> float:
    """The least share of the first threshold's measure that passes, at the close."""
    if tally is None or not tally.counts:
        return 1.0
    c = tally.counts[0]
    total = c.line.measure.value(c.line.measure.total)
    return float(c.needed / total) if total else 1.0


def _active_share(pr: Problem, active: np.ndarray) -> Fraction:
    measure = pr.rule.lines[0].measure if pr.rule.lines else pr.rule.votes
    return Fraction(measure.sum(active & pr.rule.member), measure.total or 1)


def _close(pr: Problem, tally: Tally | None, x, active, conf) -> Close:
    """The close: ready or not, the margin on the tightest threshold, whose loss sinks it, the
    vetoes, and why."""
    if tally is None:
        return Close(False, 0.0, (), (), closing.close_words(pr, None, x, active, ()), None)
    names = pr.net.names
    sinks = _sinks(pr, x) if tally.ready else []
    tight = tally.tightest
    vetoes = tuple(
        VetoCheck(names[s.veto.index], s.veto.kind, float(clip(s.opinion)), s.isolated, s.blocks)
        for s in tally.vetoes
    )
    opposed = tuple(names[i] for i in range(pr.size) if pr.stance[i] < 0 and not supports(x[i]))
    return Close(
        ready=tally.ready,
        support_share=float(pr.weight_share(x)),
        isolated=tuple(names[s.veto.index] for s in tally.vetoes if s.isolated),
        opposed=opposed,
        reason=closing.close_words(pr, tally, x, active, sinks),
        confidence=conf,
        margin=tight.spare if tight is not None and tally.ready else None,
        tightest=tight.line.text(not pr.rule.counted) if tight is not None else "",
        sinks=tuple(sinks),
        vetoes=vetoes,
    )


def _sinks(pr: Problem, x: np.ndarray, most: int = 60) -> list[str]:
    """Those for whose loss alone (turning against) would make the proposal not ready,
    heaviest first (checked on at most ``most`` people)."""
    rule = pr.rule
    yes = np.flatnonzero(supports(x) & (rule.member | _veto_mask(pr)))
    weight = np.asarray(rule.votes.ints, dtype=float)
    ordered = sorted(yes.tolist(), key=lambda i: (-weight[i], i))[:most]
    out = []
    for i in ordered:
        lost = x.copy()
        lost[i] = -2.0
        if not rule.tally(lost).ready:
            out.append(pr.net.names[i])
    return out


def _veto_mask(pr: Problem) -> np.ndarray:
    mask = np.zeros(pr.size, dtype=bool)
    for v in pr.rule.vetoes:
        mask[v.index] = True
        mask[list(v.listeners)] = True
    return mask


def _close_focus(pr: Problem, tally: Tally) -> int | None:
    """Whom the group meeting is aimed at: the most powerful member not for it, veto holders
    first; None when every member is for it."""
    net, rule = pr.net, pr.rule
    left = [i for i in range(pr.size) if not tally.yes[i] and rule.member[i]]
    left += [s.veto.index for s in tally.vetoes if not tally.yes[s.veto.index]]
    vetoes = {s.veto.index for s in tally.vetoes}
    return min(set(left), key=lambda i: (i not in vetoes, -net.power[i], i), default=None)


def _close_step(pr: Problem, i: int, order: int, close: Close, tally: Tally, active) -> Step:
    net = pr.net
    name = net.names[i]
    backers = [u for u, _w in net.listens[i] if tally.yes[u] and u != net.champion]
    cast = not pr.rule.counted
    text = closing.close_step_words(pr, i, close, tally, backers)
    return Step(
        order,
        name,
        "close",
        tuple(net.names[u] for u in backers),
        None,
        text,
        close.support_share,
        float(_active_share(pr, active)),
        0.0,
        None,
        standing=words.standing(tally, cast),
    )


def _rule_check(pr: Problem, before: Tally, after: Tally) -> RuleCheck:
    rule = pr.rule

    def check(b: Count, a: Count) -> ThresholdCheck:
        line = a.line
        return ThresholdCheck(
            counts=line.measure.key,
            unit=line.measure.unit,
            share=line.amount if line.is_share else None,
            count=None if line.is_share else line.amount,
            strict=line.strict,
            needed=a.needed,
            total=line.measure.value(line.measure.total),
            for_before=b.value,
            for_after=a.value,
            holds=a.holds,
        )

    pairs = zip(before.counts, after.counts, strict=True)
    return RuleCheck(
        thresholds=tuple(check(b, a) for b, a in pairs),
        quorum=None if after.quorum is None else check(before.quorum, after.quorum),
        abstentions=rule.abstentions,
        blocking=None if after.blocking is None else check(before.blocking, after.blocking),
    )


def _advice(pr: Problem) -> list[str]:
    """Useful advice where the map is thin: no champion, no ties."""
    net, m = pr.net, pr.m
    notes = []
    if net.champion is None:
        notes.append(
            _(
                "No champion is named: add a Champion row to the Proposal sheet (or pick one on "
                "the Data page) with the person who builds this coalition, often you; the plan "
                "then counts her meetings and her ties."
            )
        )
    if not m.relationships:
        votes = pr.rule.votes.ints
        order = sorted(
            (i for i in range(pr.size) if pr.eligible[i]),
            key=lambda i: (-int(pr.stance[i] >= 1), -votes[i], -net.power[i], i),
        )
        firsts = [net.names[i] for i in order[:3]]
        if firsts:
            notes.append(
                _(
                    "No ties are drawn yet, so nobody can carry the idea for you: meet your "
                    "supporters one-to-one first, then the most powerful people who are not "
                    "against it (start with {names}), and add on the Relationships sheet who "
                    "listens to whom."
                ).format(names=words.join(firsts))
            )
        else:
            notes.append(
                _(
                    "No ties are drawn yet, so nobody can carry the idea for you: meet your "
                    "supporters one-to-one first, then the most powerful people who are not "
                    "against it, and add on the Relationships sheet who listens to whom."
                )
            )
    return notes
