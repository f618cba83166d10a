"""Small phrases the plan's sentences share: a unit's noun, lists (those of the network's
words, :mod:`stakemap.network.wording`, with sentences one after another), and the decision
rule described in words (:meth:`stakemap.planning.rule.Rule.describe`)."""

from __future__ import annotations

from typing import Any

from stakemap.language import gettext as _
from stakemap.language import ngettext, pgettext
from stakemap.network.wording import list_text, sentences
from stakemap.values import number_text

__all__ = ["describe", "join_and", "list_text", "sentences", "unit_noun"]


def unit_noun(unit: str) -> str:
    """A measure's unit as a count of it reads ('votes', 'power', 'power points', 'members'),
    in the language in force; a column's name as it is.

    >>> unit_noun("votes"), unit_noun("Population")
    ('votes', 'Population')
    """
    nouns = {
        "votes": pgettext("unit", "votes"),
        "power": pgettext("unit", "power"),
        "power points": pgettext("unit", "power points"),
        "members": pgettext("unit", "members"),
    }
    return nouns.get(unit, unit)


def join_and(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C', in the language in force.

    >>> join_and(["A", "B", "C"]), join_and([])
    ('A, B and C', '')
    """
    if len(items) <= 1:
        return "".join(items)
    return _("{names} and {last}").format(names=list_text(items[:-1]), last=items[-1])


def describe(rule: Any) -> str:
    """Who decides and by what rule, in one or two plain sentences, with counts: ``rule`` is a
    :class:`stakemap.planning.rule.Rule` (not imported here, which rule.py imports)."""
    votes = rule.votes
    size = int(rule.member.sum())
    total = number_text(votes.value(votes.total))
    if rule.fallback:
        who = _(
            "No one is marked as a decider, so everyone not marked a third party decides "
            "together, weighted by power ({total} in all)"
        ).format(total=total)
    else:
        many = 1 if votes.value(votes.total) == 1 else 2
        who = ngettext(
            "{size} decision maker with {votes}", "{size} decision makers with {votes}", size
        ).format(size=size, votes=ngettext("{n} vote", "{n} votes", many).format(n=total))
    parts = [rule.line_words(line) for line in rule.lines]
    text = _("{who}; the proposal passes with {lines}").format(
        who=who, lines=join_and(parts) or _("no threshold")
    )
    if rule.quorum is not None:
        text = _("{text}, when {part} take part").format(
            text=text, part=rule.line_words(rule.quorum, quorum=True)
        )
    said = [_("{text}.").format(text=text)]
    if rule.blocking is not None:
        said.append(
            _("The thresholds count as met unless those not in favour reach {line}.").format(
                line=rule.line_words(rule.blocking, quorum=True)
            )
        )
    if not rule.counted:
        said.append(_("Abstentions are not counted: shares are of the votes cast."))
    formal = [rule.names[v.index] for v in rule.vetoes if v.kind == "formal"]
    if formal:
        said.append(
            ngettext("{names} holds a veto.", "{names} hold a veto.", len(formal)).format(
                names=join_and(formal)
            )
        )
    informal = [rule.names[v.index] for v in rule.vetoes if v.kind == "informal"]
    if informal:
        said.append(
            ngettext(
                "{names} holds an informal veto.",
                "{names} hold an informal veto.",
                len(informal),
            ).format(names=join_and(informal))
        )
    return sentences(*said)
