"""The guided start: a new map from a few answers (what is decided, who is around it, who
decides and how, who can block, who is for and against, whom each decider listens to, the
proposal's parts and whose goals they serve), built in one step (docs/guided-start.md).

People and extra ties are typed one a line in the quick-add grammar
(:func:`stakemap.files.quick.read_text`); the rule is a :class:`DecisionSetting`
(:mod:`stakemap.planning.setting`); a part line is ``Part: names of those it serves``, and each
person named gets the part's name among their goals, which is how the planner matches asks to
goals.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from stakemap.files.quick import read_text
from stakemap.files.quickwords import Names
from stakemap.language import gettext as _
from stakemap.model import ProposalPart, Relationship, StakeholderMap
from stakemap.planning.setting import DecisionSetting, with_setting
from stakemap.values import clean_text

__all__ = ["Answers", "Outcome", "guided_map", "read_parts"]

_PART = re.compile(r"^(?P<part>[^:]+?)\s*(?::\s*(?P<who>.*))?$")
_NAMES = re.compile(r"\s*(?:,|;|\band\b|&)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Answers:
    """The guided start's answers, as typed and picked."""

    title: str = ""
    people: str = ""
    setting: DecisionSetting = field(default_factory=DecisionSetting)
    stances: Mapping[str, int] = field(default_factory=dict)
    listens: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    ties: str = ""
    parts: str = ""


@dataclass(frozen=True)
class Outcome:
    """The map the answers make and what could not be read (each naming its answer and line);
    ``answers`` says, for each problem, the answer it is in: "people", "ties" or "parts"."""

    map: StakeholderMap
    problems: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()

    def of(self, answer: str) -> list[str]:
        """The problems of one answer ("people", "ties" or "parts")."""
        return [p for p, a in zip(self.problems, self.answers, strict=True) if a == answer]


def guided_map(a: Answers) -> Outcome:
    """The map the answers describe; lines with a problem add nothing and are named.

    >>> a = Answers("Remote work", "Dana, CEO\\nHenrik\\nIda",
    ...             DecisionSetting(voters=("Dana",), formal=("Ida",), champion="Henrik"),
    ...             stances={"Ida": -2}, listens={"Dana": ("Henrik",)},
    ...             parts="Core hours: Ida")
    >>> m = guided_map(a).map
    >>> [(p.name, p.decision_role, p.stance, p.goals) for p in m.stakeholders]
    [('Dana', 'decider', 0, ()), ('Henrik', '', 0, ()), ('Ida', 'veto', -2, ('Core hours',))]
    >>> [(t.source, t.target) for t in m.relationships], m.proposal.title
    ([('Henrik', 'Dana')], 'Remote work')
    """
    problems: list[str] = []
    people = read_text(a.people)
    problems += [_("People: {problem}").format(problem=p) for p in people.problems]
    m = with_setting(people.map, a.setting)
    m = replace(
        m,
        proposal=replace(m.proposal, title=clean_text(a.title)),
        stakeholders=tuple(
            replace(s, stance=a.stances.get(s.name, s.stance)) for s in m.stakeholders
        ),
    )
    m = replace(m, relationships=m.relationships + _listening(m, a.listens))
    extra = read_text(a.ties, m)
    problems += [_("Ties: {problem}").format(problem=p) for p in extra.problems]
    parts, goals, part_problems = read_parts(a.parts, extra.map.names)
    m = extra.map
    m = replace(
        m,
        stakeholders=tuple(
            replace(s, goals=_merged(s.goals, goals.get(s.name, ()))) for s in m.stakeholders
        ),
        proposal=replace(m.proposal, parts=m.proposal.parts + parts),
    )
    answers = ["people"] * len(people.problems) + ["ties"] * len(extra.problems)
    answers += ["parts"] * len(part_problems)
    return Outcome(m, tuple(problems + part_problems), tuple(answers))


def _listening(m: StakeholderMap, listens: Mapping[str, tuple[str, ...]]) -> tuple:
    """A tie from each person listened to into the one who listens (she sways him)."""
    have = {(t.source, t.target) for t in m.relationships}
    names = set(m.names)
    return tuple(
        Relationship(source, target)
        for target, sources in listens.items()
        for source in sources
        if {source, target} <= names and source != target and (source, target) not in have
    )


def _merged(goals: tuple[str, ...], more: tuple[str, ...]) -> tuple[str, ...]:
    folded = {g.casefold() for g in goals}
    return goals + tuple(g for g in more if g.casefold() not in folded)


def read_parts(
    text: str, names: list[str]
) -> tuple[tuple[ProposalPart, ...], dict[str, tuple[str, ...]], list[str]]:
    """Proposal parts typed one a line, ``Part: who it serves``: the parts (each tagged with
    its own name), the goals each person named gains, and the problems (an unknown or
    ambiguous name, by line).

    >>> parts, goals, problems = read_parts("Core hours: Ana, Ben\\nBudget", ["Ana", "Ben Ode"])
    >>> [p.name for p in parts], goals, problems
    (['Core hours', 'Budget'], {'Ana': ('Core hours',), 'Ben Ode': ('Core hours',)}, [])
    >>> read_parts("Pilot: Zoe", ["Ana"])[2]
    ['Parts: Line 1, "Zoe": no one on the map has this name']
    """
    index = Names(names)
    parts: list[ProposalPart] = []
    goals: dict[str, tuple[str, ...]] = {}
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        found = _PART.match(clean_text(line).strip())
        if not found:
            continue
        name = found["part"].strip()
        if name.casefold() in {p.name.casefold() for p in parts}:
            problems.append(
                _('Parts: Line {line}, "{text}": is already a part').format(line=number, text=name)
            )
            continue
        parts.append(ProposalPart(name, (name,)))
        for query in filter(None, _NAMES.split(found["who"] or "")):
            match = index.match(query)
            if match.name is None:
                problems.append(_unmatched(number, query, match.candidates))
            else:
                goals[match.name] = _merged(goals.get(match.name, ()), (name,))
    return tuple(parts), goals, problems


def _unmatched(number: int, query: str, candidates: tuple[str, ...]) -> str:
    if not candidates:
        text = _('Parts: Line {line}, "{text}": no one on the map has this name')
        return text.format(line=number, text=query)
    names = candidates[0]
    for other in candidates[1:]:
        names = _("{first} or {second}").format(first=names, second=other)
    text = _('Parts: Line {line}, "{text}": could be {names}')
    return text.format(line=number, text=query, names=names)
