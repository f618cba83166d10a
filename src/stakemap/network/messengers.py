"""The network in plain words: who can reach a person, through whom, and the best messenger.

A route is a chain of positive influence ties (influencer -> influenced) ending at the target,
found by breadth-first search, so the shortest chains come first (the "six degrees" reach of
Travers & Milgram, 1969, cut at ``max_steps``). The best messenger is the first person on the
shortest route who already supports the proposal (stance > 0), with the strongest weakest tie
breaking ties between routes of equal length: a chain is only as good as its weakest link.

>>> from stakemap.model import Relationship, Stakeholder, StakeholderMap
>>> m = StakeholderMap(
...     (Stakeholder("Quinn"), Stakeholder("Rosa", stance=2), Stakeholder("Omar", stance=1)),
...     (Relationship("Rosa", "Quinn", 4), Relationship("Omar", "Rosa", 3)),
... )
>>> best_messenger_sentence(m, "Quinn")
'Your best messenger to Quinn is Rosa: Rosa sways Quinn directly, and Omar sways Rosa.'
>>> m = StakeholderMap(m.stakeholders, (Relationship("Rosa", "Omar", 4),
...                                     Relationship("Omar", "Quinn", 3)))
>>> best_messenger_sentence(m, "Quinn")
'Your best messenger to Quinn is Omar: Omar sways Quinn directly, and Rosa sways Omar.'
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from stakemap.language import gettext as _
from stakemap.language import ngettext, pgettext
from stakemap.model import StakeholderMap
from stakemap.network.graph import build_graph
from stakemap.network.wording import list_text, sentences

__all__ = ["Route", "best_messenger_sentence", "route_sentence", "routes_to"]


@dataclass(frozen=True)
class Route:
    """``people[0]`` sways ``people[1]`` ... sways ``people[-1]`` (the target)."""

    people: tuple[str, ...]
    weakest: float

    @property
    def messenger(self) -> str:
        return self.people[0]


def routes_to(m: StakeholderMap, target: str, max_steps: int = 3) -> list[Route]:
    """Everyone who can reach ``target`` by positive ties within ``max_steps``, one shortest
    route each (strongest weakest tie among equals), nearest first.

    >>> from stakemap.model import Relationship, Stakeholder, StakeholderMap
    >>> m = StakeholderMap((Stakeholder("A"), Stakeholder("B"), Stakeholder("C")),
    ...                    (Relationship("B", "A", 2), Relationship("C", "B", 5),
    ...                     Relationship("C", "A", -3)))
    >>> [(r.people, r.weakest) for r in routes_to(m, "A")]
    [(('B', 'A'), 2), (('C', 'B', 'A'), 2)]
    """
    G = build_graph(m)
    if target not in G:
        return []
    best: dict[str, Route] = {target: Route((target,), float("inf"))}
    frontier = deque([target])
    while frontier:
        person = frontier.popleft()
        route = best[person]
        if len(route.people) > max_steps:
            continue
        for source, _target, weight in G.in_edges(person, data="weight"):
            if weight <= 0 or source in route.people:
                continue
            candidate = Route((source, *route.people), min(route.weakest, weight))
            known = best.get(source)
            if known is None:
                best[source] = candidate
                frontier.append(source)
            elif len(known.people) == len(candidate.people) and candidate.weakest > known.weakest:
                best[source] = candidate
    routes = [r for name, r in best.items() if name != target]
    return sorted(routes, key=lambda r: (len(r.people), -r.weakest, r.messenger.casefold()))


def route_sentence(route: Route) -> str:
    """A route in words.

    >>> route_sentence(Route(("Rosa", "Omar", "Quinn"), 2))
    'Rosa reaches Quinn through Omar: Rosa sways Omar, Omar sways Quinn.'
    """
    first, *middle, target = route.people
    if not middle:
        return _("{first} sways {target} directly.").format(first=first, target=target)
    links = list_text(
        [
            _("{first} sways {target}").format(first=a, target=b)
            for a, b in zip(route.people, route.people[1:], strict=False)
        ]
    )
    return _("{first} reaches {target} through {middle}: {links}.").format(
        first=first, target=target, middle=_and(middle), links=links
    )


def _and(names: list[str]) -> str:
    """'A', 'A and B', 'A and B and C' (every name joined by 'and')."""
    return pgettext("every", " and ").join(names)


def best_messenger_sentence(m: StakeholderMap, target: str, max_steps: int = 3) -> str:
    """Who should carry the message to ``target``: a supporter on the shortest strong route."""
    routes = routes_to(m, target, max_steps)
    if not routes:
        return _(
            "Nobody on the map sways {target} yet: add the ties you know on the Data page."
        ).format(target=target)
    stance = {s.name: s.stance for s in m.stakeholders}
    allies = [r for r in routes if stance[r.messenger] > 0]
    if not allies:
        near = routes[0]
        return sentences(
            _("No supporter reaches {target} yet; the closest voice is {name}.").format(
                target=target, name=near.messenger
            ),
            route_sentence(near),
        )
    route = allies[0]
    first = route.messenger
    if len(route.people) == 2:
        chain = _("{first} sways {target} directly").format(first=first, target=target)
    else:
        chain = _("{first} sways {chain}").format(
            first=first, chain=_(", who sways ").join(route.people[1:])
        )
    backers = [r.messenger for r in routes if r.people[1:] == route.people and r.messenger != first]
    if backers:
        chain = ngettext(
            "{chain}, and {people} sways {first}",
            "{chain}, and {people} sway {first}",
            len(backers[:2]),
        ).format(chain=chain, people=_and(backers[:2]), first=first)
    return _("Your best messenger to {target} is {name}: {chain}.").format(
        target=target, name=first, chain=chain
    )
