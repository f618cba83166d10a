"""The plan in plain words: each step's reason, the close, the rule's counts and the method.

Main text names people and counts ("needs 6 of 9 votes; 4 now; 6 after step 3") and never a
rule code, a model term or a solver word; the numbers behind a step go in its details line
(docs/planning.md, "Words").
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise

from stakemap.language import N_, ngettext, pgettext
from stakemap.language import gettext as _
from stakemap.planning.influence import GOAL_PUSH, OWN_MEETING, Move
from stakemap.planning.opinion import LINE, TOL, supports, word
from stakemap.planning.phrases import list_text
from stakemap.planning.problem import Problem
from stakemap.planning.record import Plan, Step
from stakemap.planning.rule import Count, Tally, join_and, unit_noun
from stakemap.values import amount_text, number_text

__all__ = [
    "PHASES",
    "History",
    "count_text",
    "history",
    "join",
    "list_text",
    "percent",
    "point_change",
    "share_before",
    "share_digits",
    "stance_word",
    "standing",
    "step_facts",
    "step_words",
]

_EPS = 1e-9

#: Phase -> (title, what the step asks of the champion), after COALITIONS.md's Case 2; marked
#: here, translated where shown (``_(title)``).
PHASES: dict[str, tuple[str, str]] = {
    "allies": (N_("Allies"), N_("Meet one-to-one: they already agree; refine the idea together.")),
    "persuade": (
        N_("Persuade"),
        N_("Let the idea reach them through the people they listen to."),
    ),
    "align": (
        N_("Align"),
        N_("Ask them to own the part of the proposal that matches their goals."),
    ),
    "close": (N_("Close"), N_("Present to the whole group.")),
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
        return _("{names} and {n} others").format(
            names=list_text(names[:limit]), n=len(names) - limit
        )
    return join_and(names)


def either(names: Sequence[str], limit: int = 4) -> str:
    """'A', 'A or B', 'A, B or C'; past ``limit`` names, 'A, B, ... or 9 others'.

    >>> either(["Ana", "Ben", "Cy"])
    'Ana, Ben or Cy'
    """
    names = list(names)
    if len(names) > limit:
        return _("{names} or {n} others").format(
            names=list_text(names[:limit]), n=len(names) - limit
        )
    if len(names) == 1:
        return names[0]
    return _("{names} or {last}").format(names=list_text(names[:-1]), last=names[-1])


def stance_word(x: float, digits: int = 1) -> str:
    """A predicted opinion as its stance word and value: 'Critic (-1.0)'."""
    value = min(x, 2.0)
    if digits == 1:
        return _("{word} ({value:+.1f})").format(word=_(word(x)), value=value)
    return _("{word} ({value:+.2f})").format(word=_(word(x)), value=value)


def unit_text(count: Count, cast: bool) -> str:
    unit = count.line.measure.unit
    noun = unit_noun("power points" if unit == "power" else unit)
    return _("{unit} cast").format(unit=noun) if cast else noun


def amount_of(n: Fraction, unit: str) -> str:
    """A whole number of a unit: '1 vote', '3 power points', '2 Population'."""
    count = int(n) if n == int(n) else 2
    text = number_text(n)
    if unit in ("votes", "power"):
        return (
            ngettext("{n} vote", "{n} votes", count).format(n=text)
            if unit == "votes"
            else ngettext("{n} power point", "{n} power points", count).format(n=text)
        )
    if unit == "members":
        return ngettext("{n} member", "{n} members", count).format(n=text)
    return _("{n} {unit}").format(n=text, unit=unit)


def count_text(count: Count, cast: bool = False) -> str:
    """Those for against the whole, as counts when the measure is whole numbers.

    >>> from stakemap.planning.rule import Line, Measure
    >>> votes = Measure("votes", "votes", (Fraction(1),) * 9)
    >>> line = Line(votes, Fraction(2, 3), True)
    >>> count_text(Count(line, Fraction(4), Fraction(9), Fraction(6), False))
    '4 of 9 votes'
    """
    if count.line.measure.integral:
        return _("{value} of {base} {unit}").format(
            value=number_text(count.value),
            base=number_text(count.base),
            unit=unit_text(count, cast),
        )
    share = count.value / count.base if count.base else Fraction(0)
    unit = unit_text(count, cast)
    return _("{share} of {unit}").format(share=percent(float(share), 1), unit=unit)


def needed_text(count: Count) -> str:
    """'6 needed', 'more than 11.5 needed', '65% needed'."""
    line = count.line
    if line.measure.integral or not line.is_share:
        return _("{amount} needed").format(amount=number_text(count.needed))
    if line.strict:
        return _("more than {amount} needed").format(amount=amount_text(line.amount))
    return _("{amount} needed").format(amount=amount_text(line.amount))


def and_text(parts: Sequence[str]) -> str:
    """Counts that all hold at once: 'A and B' ('A，B' in Chinese)."""
    return pgettext("counts", " and ").join(parts)


def standing(tally: Tally, cast: bool = False) -> str:
    """Those for on every threshold: '6 of 9 votes', '15 of 27 members and 66.1% of
    Population'."""
    return and_text([count_text(c, cast) for c in tally.counts])


def spare_text(count: Count) -> str:
    spare = count.spare
    if count.line.measure.integral:
        if spare == 0:
            return _("none to spare")
        return _("{n} to spare").format(n=number_text(spare))
    if count.line.strict and spare <= 0:
        return _("none to spare")
    return _("{n} {unit} to spare").format(n=number_text(spare), unit=unit_text(count, False))


def short_text(count: Count) -> str:
    """'one short', '3 short', or the share still missing."""
    missing = count.needed - count.value
    if count.line.measure.integral:
        if missing == 1:
            return _("one short")
        return _("{n} short").format(n=number_text(missing))
    return _("{n} short").format(n=percent(float(missing / count.base), 1) if count.base else "-")


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
        unit = unit_text(final, cast)
        line = final.line
        if now.line.measure.integral:
            text = _("needs {needed} of {base} {unit}; {now} now").format(
                needed=number_text(final.needed),
                base=number_text(final.base),
                unit=unit,
                now=number_text(now.value),
            )
        elif line.is_share and line.strict:
            text = _("needs more than {amount} of {unit}; {now} now").format(
                amount=amount_text(line.amount), unit=unit, now=_share(now)
            )
        else:
            amount = amount_text(line.amount) if line.is_share else number_text(final.needed)
            text = _("needs {amount} of {unit}; {now} now").format(
                amount=amount, unit=unit, now=_share(now)
            )
        if now.holds:
            parts.append(text)
            continue

        if reached is not None:
            text = _("{text}; {count} after step {step}").format(
                text=text, count=_shown(counts[reached - 1]), step=reached
            )
            if counts[reached - 1].value != final.value:
                text = _("{text}, {count} at the close").format(text=text, count=_shown(final))
        elif counts:
            text = _("{text}; {count} after every step, short of it").format(
                text=text, count=_shown(final)
            )
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
    share = _("{before} of {counted} before, {after} after").format(
        before=percent(share_before(p, step), p.digits),
        counted=counted_text(p.counted),
        after=percent(step.support_share_after, p.digits),
    )
    through = list_text(step.messengers) or _("you, one-to-one")
    closing = step.phase == "close"
    ask = step.ask or (_("none: present to the whole group") if closing else _("none"))
    return [
        (_("Whom"), step.name),
        (_("Through whom"), through),
        (_("The ask"), ask),
        (
            _("For it"),
            _("{share}: {standing}").format(share=share, standing=step.standing)
            if step.standing
            else share,
        ),
    ]


def phase_word(phase: str) -> str:
    """A step's phase as the plan's short lists name it ('allies', 'close')."""
    words = {
        "allies": pgettext("phase", "allies"),
        "persuade": pgettext("phase", "persuade"),
        "align": pgettext("phase", "align"),
        "close": pgettext("phase", "close"),
    }
    return words.get(phase, phase)


def counted_text(counted: str) -> str:
    """What the plan's shares are of ('power' or 'the votes'), in the language in force."""
    return pgettext("counted", "power") if counted == "power" else pgettext("counted", "the votes")


@dataclass(frozen=True)
class History:
    """The step (1-based) at which each person of a sequence of meetings is first met
    (``met``) and first won (``won``), and at which each ask is first some step's own first
    ask (``first_ask``): a step's words look back through these instead of through every step
    before it, which made a plan's words quadratic in its length."""

    met: dict[int, int]
    won: dict[int, int]
    first_ask: dict[str, int]


def history(asks: Sequence[Sequence[str]], moves: Sequence[Move]) -> History:
    """The :class:`History` of ``moves``, given each person's asks (``Problem.asks``).

    >>> step = lambda k, wins: Move(k, (), True, 1.0, wins)
    >>> history([("a",), ("a", "b"), ()], [step(1, (1, 2)), step(0, (0,))])
    History(met={1: 1, 0: 2}, won={1: 1, 2: 1, 0: 2}, first_ask={'a': 1})
    """
    met: dict[int, int] = {}
    won: dict[int, int] = {}
    first_ask: dict[str, int] = {}
    for n, mv in enumerate(moves, start=1):
        met.setdefault(mv.k, n)
        for i in mv.wins:
            won.setdefault(i, n)
        for ask in asks[mv.k][:1]:
            first_ask.setdefault(ask, n)
    return History(met, won, first_ask)


def step_words(
    pr: Problem, moves: Sequence[Move], a: int, told: History, seen: tuple, backing: str
) -> tuple[str, str | None, str, str]:
    """(phase, ask, reason, details) of the ``a``-th move (0-based) of ``moves``, whose
    :func:`history` is ``told``; ``seen`` holds the opinions and carriers before it and the
    opinions after it (moves do not keep them), ``backing`` the :func:`standing` after it (the
    rule counted once a step for these words, the step's record and the verdict)."""
    net = pr.net
    mv = moves[a]
    k, name = mv.k, net.names[mv.k]
    x_before, active_before, x_after = seen
    was_for = bool(supports(x_before[k]))
    options = pr.asks[k]
    ask = next(
        (o for o in options if told.first_ask.get(o, a + 1) > a),  # not an earlier step's
        options[0] if options else None,
    )
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
        listeners = [
            int(i)
            for i in net.listeners(k)
            if not active_before[i] and i != k and pr.eligible[i] and not supports(x_before[i])
        ]
        won = told.won.get(k, a + 1)
        if won > a:
            parts.append(
                _("{name} already agrees but passes nothing on until met one-to-one").format(
                    name=name
                )
            )
        else:
            parts.append(
                _(
                    "{name} is for it since step {step} but passes nothing on until met one-to-one"
                ).format(name=name, step=won)
            )
        if listeners:
            parts.append(
                ngettext(
                    "meet {name} first so that {name} can bring it to {people}, who listens to "
                    "{name}",
                    "meet {name} first so that {name} can bring it to {people}, who listen to "
                    "{name}",
                    len(listeners),
                ).format(name=name, people=join(names_of(pr, listeners)))
            )
    elif messengers:
        since = max((told.met.get(j, 0) for j in messengers), default=0)
        who = _verb(pr, k, messengers, join(names_of(pr, messengers)))
        parts.append(_through(who, name, net.names[messengers[0]], len(messengers), since))
    else:
        parts.append(
            _("meet {name} yourself: no one {name} listens to is on board yet").format(name=name)
        )
    if ask is not None and phase != "allies":
        first = told.first_ask.get(ask, a + 1)
        owner = net.names[moves[first - 1].k] if first <= a else None
        tags = _tags(pr, k, ask)
        if owner:
            parts.append(
                _(
                    "ask {name} to co-own {ask!r} with {owner}, which matches {name}'s goals "
                    "({tags})"
                ).format(name=name, ask=ask, owner=owner, tags=tags)
            )
        else:
            parts.append(
                _("ask {name} to own {ask!r}, which matches {name}'s goals ({tags})").format(
                    name=name, ask=ask, tags=tags
                )
            )
    if not mv.present:
        parts.append(
            _("stay out of this one yourself: your visible push sets {name} against it").format(
                name=name
            )
        )
    nxt = moves[a + 1].k if a + 1 < len(moves) else None
    if nxt is not None and (k, nxt) in pr.verbs:
        other = net.names[nxt]
        parts.append(_first(pr.verbs[k, nxt], other, name))
    parts.append(_after(pr, mv, phase, x_after[k], backing))
    reason = _sentence(pgettext("clauses", "; ").join(parts))
    details = _(
        "Predicted stance of {name}: {before} ({x_before:+.2f}) before, {after} ({x_after:+.2f}) "
        "after (for it from {line:+.2f}). Weight of the meeting: {parts}, against {name}'s power "
        "{power:g}."
    ).format(
        name=name,
        before=_(word(x_before[k])),
        x_before=x_before[k],
        after=_(word(x_after[k])),
        x_after=min(x_after[k], 2.0),
        line=LINE,
        parts=_push_parts(pr, k, mv, carried),
        power=net.power[k],
    )
    return phase, (ask if phase != "allies" or ask else None), reason, details


def _through(who: str, name: str, messenger: str, n: int, since: int) -> str:
    """'{who}, both on board after step 2: ask them to bring it to {name} as their idea'."""
    if n == 1:
        if since:
            text = _(
                "{who}, on board after step {step}: ask {person} to bring it to {name} as "
                "their idea"
            )
        else:
            text = _(
                "{who}, on board from the start: ask {person} to bring it to {name} as their idea"
            )
    elif n == 2:
        if since:
            text = _(
                "{who}, both on board after step {step}: ask them to bring it to {name} as "
                "their idea"
            )
        else:
            text = _(
                "{who}, both on board from the start: ask them to bring it to {name} as their idea"
            )
    elif since:
        text = _(
            "{who}, all on board after step {step}: ask them to bring it to {name} as their idea"
        )
    else:
        text = _("{who}, all on board from the start: ask them to bring it to {name} as their idea")
    return text.format(who=who, step=since, person=messenger, name=name)


def _first(verb: str, other: str, name: str) -> str:
    """'{other} defers to {name}, so {name} comes first'."""
    if verb == "defers to":
        text = _("{other} defers to {name}, so {name} comes first")
    elif verb == "reports to":
        text = _("{other} reports to {name}, so {name} comes first")
    else:
        text = _("{other} listens to {name}, so {name} comes first")
    return text.format(other=other, name=name)


def _after(pr: Problem, mv: Move, phase: str, opinion: float, backing: str) -> str:
    net, name = pr.net, pr.net.names[mv.k]
    others = [i for i in mv.wins if i != mv.k]
    if phase == "allies":
        text = _("after it, {name} works for the proposal").format(name=name)
    elif mv.k in mv.wins:
        text = _("after it, {name} is for it").format(name=name)
    else:
        text = _("after it, {name} is predicted {word}, not yet for it").format(
            name=name, word=_(word(opinion))
        )
    if others:
        text = ngettext(
            "{text}, and {people} comes over too", "{text}, and {people} come over too", len(others)
        ).format(text=text, people=join(names_of(pr, others)))
    if pr.rule.member[mv.k] or others:
        text = _("{text}; {standing} now back it").format(text=text, standing=backing)
    hearing = set(net.listeners(mv.k).tolist()) if pr.rule.vetoes else set()
    listened = [
        net.names[v.index] for v in pr.rule.vetoes if v.index != mv.k and v.index in hearing
    ]
    if listened:
        text = ngettext(
            "{text}; {people}, who can veto it, listens to {name}",
            "{text}; {people}, who can veto it, listen to {name}",
            len(listened),
        ).format(text=text, people=join(listened), name=name)
    return text


def _push_parts(pr: Problem, k: int, mv: Move, carried: float) -> str:
    tie = float(pr.net.champion_tie[k])
    own = 0.0 if not mv.present else (tie if tie < 0 else max(tie, OWN_MEETING))
    items = [_("your own {weight:g}").format(weight=own)]
    if carried:
        items.append(_("messengers {weight:g}").format(weight=carried))
    if pr.net.aligned[k]:
        items.append(_("an ask matching their goals {weight:g}").format(weight=GOAL_PUSH))
    return list_text(items)


def _tags(pr: Problem, k: int, ask: str) -> str:
    part = next(p for p in pr.m.proposal.parts if p.name == ask)
    goals = {g.strip().lower() for g in pr.m.stakeholders[k].goals}
    return list_text([t for t in part.tags if t.strip().lower() in goals])


def _verb(pr: Problem, k: int, messengers: list[int], people: str) -> str:
    """'{name} defers to {people}': how the person hears the messengers."""
    kinds = {pr.verbs.get((u, k), "listens to") for u in messengers}
    verb = kinds.pop() if len(kinds) == 1 else "listens to"
    if verb == "defers to":
        text = _("{name} defers to {people}")
    elif verb == "reports to":
        text = _("{name} reports to {people}")
    else:
        text = _("{name} listens to {people}")
    return text.format(name=pr.net.names[k], people=people)


def names_of(pr: Problem, idx: Collection[int]) -> list[str]:
    return [pr.net.names[i] for i in idx]


def _sentence(text: str) -> str:
    return _("{text}.").format(text=text[:1].upper() + text[1:])
