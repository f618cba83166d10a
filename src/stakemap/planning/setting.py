"""How a decision is made, as one setting a person fills in: who votes, who can veto, the
thresholds, quorum, abstentions and blocking minority, and the champion (docs/decision-rules.md).

The Data page, the Plan page and the guided start edit the map through this one setting, so a
rule is written in one place and read by every page. Thresholds are typed in the words of the
Proposal sheet: ``more than half``, ``2/3 of the votes``, ``55% of members and 65% of
Population``, ``9 members``; they are read by the same parser as a workbook's Threshold rows
(:func:`stakemap.values.parse_threshold`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from fractions import Fraction

from stakemap.language import N_, pgettext
from stakemap.language import gettext as _
from stakemap.model import ABSTENTIONS, Proposal, StakeholderMap, Threshold
from stakemap.planning.thresholds import pass_share_of, thresholds_of
from stakemap.values import BadValue, amount_text, measure_key, number_text, parse_threshold

__all__ = [
    "DecisionSetting",
    "RuleText",
    "lines_text",
    "read_lines",
    "read_setting",
    "setting_of",
    "with_setting",
]

#: Decision roles the setting owns: everyone else keeps the role they have.
_BODY_ROLES = ("decider", "veto", "informal veto")
_JOINS = re.compile(r"\s*(?:;|,\s|\band\b|\bplus\b|&|[；，、]|并且|以及|和|且)\s*", re.IGNORECASE)
_OF = re.compile(r"^(?P<amount>.+?)\s+of\s+(?:the\s+|all\s+)?(?P<counts>[^\s].*)$", re.I)
#: Chinese: "成员的 55%", "55% 的成员" (either side of 的), "9 名成员", "三分之二票数".
_ZH_OF = re.compile(r"^(?P<left>[^的]+?)\s*的\s*(?P<right>[^的]+)$")
_ZH_COUNTED = re.compile(r"^(?P<amount>.+?)\s*[名位个张]?\s*(?P<counts>票数|票|成员|人数|席位)$")
_ACCEPTED = N_(
    "a share or count with what it counts, such as more than half, 2/3 of the votes, "
    "55% of members, 9 members"
)


@dataclass(frozen=True)
class DecisionSetting:
    """How the decision is made: every field a person can set on the decision panel."""

    champion: str = ""
    voters: tuple[str, ...] = ()
    formal: tuple[str, ...] = ()
    informal: tuple[str, ...] = ()
    thresholds: tuple[Threshold, ...] = (Threshold("1/2"),)
    quorum: Threshold | None = None
    abstentions: str = ABSTENTIONS[0]
    blocking: Threshold | None = None


@dataclass(frozen=True)
class RuleText:
    """The rule as typed: thresholds, quorum and blocking minority, each in words."""

    thresholds: str
    quorum: str = ""
    blocking: str = ""


def setting_of(m: StakeholderMap) -> DecisionSetting:
    """The map's decision setting: roles from the Stakeholders, the rule from the Proposal.

    >>> from stakemap.model import Stakeholder
    >>> m = StakeholderMap((Stakeholder("A", decision_role="decider"),
    ...                     Stakeholder("B", decision_role="veto")))
    >>> s = setting_of(m)
    >>> s.voters, s.formal, lines_text(s.thresholds)
    (('A',), ('B',), 'more than half of the votes')
    """
    role = {s.name: s.decision_role for s in m.stakeholders}
    p = m.proposal
    return DecisionSetting(
        champion=p.champion,
        voters=tuple(n for n, r in role.items() if r == "decider"),
        formal=tuple(n for n, r in role.items() if r == "veto"),
        informal=tuple(n for n, r in role.items() if r == "informal veto"),
        thresholds=thresholds_of(p),
        quorum=p.quorum,
        abstentions=p.abstentions or ABSTENTIONS[0],
        blocking=p.blocking_minority,
    )


def with_setting(m: StakeholderMap, s: DecisionSetting) -> StakeholderMap:
    """``m`` decided as ``s`` says: a veto holder is ``veto`` or ``informal veto`` (and votes,
    docs/decision-rules.md), a voter ``decider``; someone taken out of the body loses that
    role; other roles (influencer, third party) stay. One share of the votes is kept as the
    Proposal's pass share, anything else as its thresholds.

    >>> from stakemap.model import Stakeholder
    >>> m = StakeholderMap((Stakeholder("A", decision_role="decider"), Stakeholder("B")))
    >>> new = with_setting(m, DecisionSetting(voters=("B",), thresholds=(Threshold("2/3"),)))
    >>> [p.decision_role for p in new.stakeholders], new.proposal.pass_share
    (['', 'decider'], 0.6666666666666666)
    """

    def role(name: str, old: str) -> str:
        if name in s.formal:
            return "veto"
        if name in s.informal:
            return "informal veto"
        if name in s.voters:
            return "decider"
        return "" if old in _BODY_ROLES else old

    people = tuple(replace(p, decision_role=role(p.name, p.decision_role)) for p in m.stakeholders)
    proposal = replace(
        m.proposal,
        champion=s.champion,
        quorum=s.quorum,
        abstentions="" if s.abstentions == ABSTENTIONS[0] else s.abstentions,
        blocking_minority=s.blocking,
    )
    single = Proposal(thresholds=s.thresholds)
    share = pass_share_of(single)
    if share is not None:
        proposal = replace(proposal, thresholds=(), decision_rule="share", pass_share=float(share))
    else:
        proposal = replace(proposal, thresholds=s.thresholds, decision_rule="")
    return replace(m, stakeholders=people, proposal=proposal)


def read_setting(
    chosen: DecisionSetting, typed: RuleText, columns: tuple[str, ...] = ()
) -> tuple[DecisionSetting, list[str]]:
    """``chosen`` (people, champion, abstentions) with the rule read from ``typed``, and what
    could not be read or does not fit, each naming its field; the setting is only to be
    saved when that list is empty.

    >>> s, problems = read_setting(DecisionSetting(formal=("A",), informal=("A",)),
    ...                            RuleText("two thirds", quorum="half of members"))
    >>> lines_text(s.thresholds), lines_text(s.quorum)
    ('2/3 of the votes', 'more than half of the members')
    >>> problems
    ['A cannot hold a formal and an informal veto.']
    """
    problems: list[str] = []
    fields = {}
    for field, label, text in (
        ("thresholds", _("It passes with"), typed.thresholds),
        ("quorum", _("Quorum"), typed.quorum),
        ("blocking", _("Blocking minority"), typed.blocking),
    ):
        try:
            lines = read_lines(text, columns)
        except BadValue as bad:
            problems.append(
                _("{field}: {problem}; write {accepted}.").format(
                    field=label, problem=bad.problem, accepted=bad.accepted
                )
            )
            continue
        if field == "thresholds":
            if not lines:
                problems.append(
                    _("{field}: write at least one threshold, such as more than half.").format(
                        field=label
                    )
                )
            fields[field] = lines
        elif len(lines) > 1:
            problems.append(
                _("{field}: write one share or count, not {n}.").format(field=label, n=len(lines))
            )
        else:
            fields[field] = lines[0] if lines else None
    problems += [
        _("{name} cannot hold a formal and an informal veto.").format(name=name)
        for name in chosen.formal
        if name in chosen.informal
    ]
    return replace(chosen, **fields), problems


def lines_text(lines: tuple[Threshold, ...] | Threshold | None) -> str:
    """Thresholds in the words :func:`read_lines` reads back ("" for none).

    >>> lines_text((Threshold("11/20", "members"), Threshold("13/20", "Population")))
    '55% of the members and 65% of the Population'
    >>> lines_text(Threshold("4", "members")), lines_text(Threshold("1/1"))
    ('4 of the members', 'all of the votes')
    """
    if lines is None:
        return ""
    if isinstance(lines, Threshold):
        lines = (lines,)
    return _(" and ").join(_line_text(t) for t in lines)


def _line_text(t: Threshold) -> str:
    counts = measure_key(t.counts)
    shown = {"votes": pgettext("counts", "votes"), "members": pgettext("counts", "members")}.get(
        counts, counts
    )
    if t.share is None:
        return _("{amount} of the {counts}").format(amount=number_text(t.count), counts=shown)
    if t.share == Fraction(1, 2):
        return _("more than half of the {counts}").format(counts=shown)
    if t.share == 1:
        return _("all of the {counts}").format(counts=shown)
    return _("{amount} of the {counts}").format(amount=amount_text(t.share), counts=shown)


def read_lines(text: str, columns: tuple[str, ...] = ()) -> tuple[Threshold, ...]:
    """Thresholds typed in words, joined by "and", ";" or ","; each a share or count with what
    it counts (the votes when unsaid): votes, members or one of the map's ``columns``.
    Raises :class:`BadValue` naming the part it could not read.

    >>> read_lines("2/3")
    (Threshold(amount='2/3', counts='votes'),)
    >>> read_lines("55% of members and 65% of population", ("Population",))
    (Threshold(amount='11/20', counts='members'), Threshold(amount='13/20', counts='Population'))
    >>> read_lines("9 members; unanimity")
    (Threshold(amount='9', counts='members'), Threshold(amount='1/1', counts='votes'))
    """
    parts = [p for p in _JOINS.split(text.strip()) if p]
    return tuple(_read_line(p, columns) for p in parts)


def _read_line(part: str, columns: tuple[str, ...]) -> Threshold:
    """One threshold: ``AMOUNT``, ``AMOUNT of WHAT`` or ``COUNT WHAT``."""
    try:
        return Threshold(parse_threshold(part)[0])
    except BadValue:
        pass
    found = (
        _OF.match(part) or _zh_line(part) or re.match(r"^(?P<amount>\S+)\s+(?P<counts>.+)$", part)
    )
    if found is None:
        raise BadValue(_('"{part}" is not a share or count').format(part=part), _(_ACCEPTED))
    try:
        amount = parse_threshold(found["amount"])[0]
    except BadValue as bad:
        raise BadValue(f'"{found["amount"]}" {bad.problem}', _(_ACCEPTED)) from None
    return Threshold(amount, _counts(found["counts"], columns))


def _zh_line(part: str) -> dict[str, str] | None:
    """A threshold typed in Chinese as its amount and what it counts: the amount is the side
    of 的 that reads as one ("成员的 55%", "55% 的成员"), or it comes before 票/成员.

    >>> _zh_line("成员的 55%"), _zh_line("三分之二的票数"), _zh_line("9 名成员")["amount"]
    ({'amount': '55%', 'counts': '成员'}, {'amount': '三分之二', 'counts': '票数'}, '9')
    """
    if found := _ZH_OF.match(part):
        left, right = found["left"].strip(), found["right"].strip()
        amount_left = _reads_as_amount(left)
        if amount_left or _reads_as_amount(right):
            return {"amount": left, "counts": right} if amount_left else {
                "amount": right, "counts": left}  # fmt: skip
    found = _ZH_COUNTED.match(part)
    return {"amount": found["amount"], "counts": found["counts"]} if found else None


def _reads_as_amount(text: str) -> bool:
    try:
        parse_threshold(text)
    except BadValue:
        return False
    return True


def _counts(words: str, columns: tuple[str, ...]) -> str:
    key = measure_key(words)
    if key in ("votes", "members"):
        return key
    found = next((c for c in columns if c.casefold() == key.casefold()), None)
    if found is None:
        choices = ", ".join(("votes", "members", *columns))
        raise BadValue(
            _('"{words}" is not something the body is counted in').format(words=words), choices
        )
    return found
