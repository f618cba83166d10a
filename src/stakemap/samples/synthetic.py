"""Maps drawn at random, seeded: a realistic organisation of any size, a large map for timing,
and small varied maps for testing the planner on situations nobody tuned it for.
"""

from __future__ import annotations

import random

from stakemap.model import (
    Proposal,
    ProposalPart,
    Relationship,
    Stakeholder,
    StakeholderMap,
    Threshold,
)

__all__ = ["generated", "large", "organisation"]

_FIRST = (
    "Ana",
    "Ben",
    "Chloé",
    "Dana",
    "Emeka",
    "Farah",
    "Goran",
    "Hana",
    "Ivan",
    "Jia",
    "Kofi",
    "Lars",
    "Mei",
    "Nadia",
    "Olu",
    "Pia",
    "Quentin",
    "Rahul",
    "Sofía",
    "Tariq",
    "Uma",
    "Viktor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoë",
)
_LAST = (
    "Almeida",
    "Brandt",
    "Chen",
    "Dubois",
    "Eriksen",
    "Fofana",
    "García",
    "Haas",
    "Ito",
    "Jovanović",
    "Kaur",
    "Lindqvist",
    "Moreau",
    "Ng",
    "Okafor",
    "Petrov",
)
_UNITS = (
    ("Executive", ("Chief executive", "Chief operating officer", "Chief financial officer")),
    ("Finance", ("Finance manager", "Controller", "Financial analyst", "Accountant")),
    ("Operations", ("Operations manager", "Site lead", "Logistics coordinator", "Planner")),
    ("Sales", ("Sales director", "Account manager", "Sales representative")),
    ("IT", ("IT director", "Systems architect", "Developer", "Service desk lead")),
    ("HR", ("HR director", "HR business partner", "Recruiter")),
    ("Legal", ("General counsel", "Compliance officer")),
    ("Works council", ("Works council chair", "Employee representative")),
)
_GOALS = (
    "cost",
    "growth",
    "quality",
    "compliance",
    "headcount",
    "customer satisfaction",
    "automation",
    "safety",
    "career",
    "workload",
)


def organisation(n: int = 60, seed: int = 7) -> StakeholderMap:
    """A deterministic n-person organisation with a reporting line, peer ties and rivalries.

    >>> m = organisation(60)
    >>> len(m.stakeholders), len({s.name for s in m.stakeholders})
    (60, 60)
    """
    rng = random.Random(seed)
    names = _unique_names(n, rng)
    people: list[Stakeholder] = []
    ties: list[Relationship] = []
    heads: dict[str, str] = {}
    for i, name in enumerate(names):
        unit, roles = _UNITS[0] if i < 3 else _UNITS[1 + (i - 3) % (len(_UNITS) - 1)]
        head = heads.setdefault(unit, name)
        senior = name == head or unit == "Executive"
        role = roles[0] if name == head else rng.choice(roles[1:] or roles)
        if unit == "Executive":
            role = roles[i]
        power = rng.randint(4, 5) if senior else rng.choice((1, 2, 2, 3, 3, 4))
        unaware = i % 11 == 5
        decides = _decision_role(i, unit, senior, name == head)
        people.append(
            Stakeholder(
                name=name,
                role=role,
                group=unit,
                power=power,
                interest=rng.randint(1, 5),
                stance=0 if unaware else rng.choice((-2, -1, -1, 0, 0, 0, 1, 1, 2)),
                # those who decide may always be approached (no target at or below Neutral)
                target_stance=_target(rng.choice((None, 0, 1, 1, 2)), decides),
                legitimacy=rng.randint(1, 5),
                urgency=rng.randint(1, 5),
                effort=rng.randint(1, 5),
                goals=tuple(rng.sample(_GOALS, rng.randint(1, 3))),
                decision_role=decides,
                votes=0.0 if decides == "veto" else None,  # sign-off, not a vote
                unaware=unaware,
                custom={"Location": rng.choice(("Lyon", "Leeds", "Lagos", "Łódź"))},
            )
        )
        if name != head:  # the executive team sways itself both ways
            kind = "ally" if unit == "Executive" else "reports to"
            ties.append(Relationship(name, head, rng.randint(2, 4), kind))
        elif unit != "Executive":
            ties.append(Relationship(name, names[1 + i % 2], 3, "reports to"))
    for _ in range(n):
        a, b = rng.sample(names, 2)
        kind = rng.choice(("influences", "influences", "ally", "rival"))
        strength = -rng.randint(1, 3) if kind == "rival" else rng.randint(1, 4)
        ties.append(Relationship(a, b, strength, kind))
    proposal = Proposal(
        "Shared-services reorganisation",
        names[3],
        0.5,
        (
            ProposalPart("Cost model", ("cost",)),
            ProposalPart("Automation roadmap", ("automation", "quality")),
            ProposalPart("Staff transition plan", ("headcount", "workload", "career")),
        ),
        thresholds=(Threshold("1/2"),),
        abstentions="count against",
    )
    return StakeholderMap(tuple(people), _dedupe(ties), proposal, ("Location",))


def _target(drawn: int | None, role: str) -> int | None:
    return None if role in ("decider", "veto") else drawn


def _decision_role(index: int, unit: str, senior: bool, head: bool) -> str:
    if index == 0:
        return "decider"
    if head and unit in ("Legal", "Works council"):
        return "veto"
    return "influencer" if senior else ""


def _unique_names(n: int, rng: random.Random) -> list[str]:
    pool = [f"{f} {last}" for f in _FIRST for last in _LAST]
    rng.shuffle(pool)
    if n > len(pool):
        pool += [f"Person {i}" for i in range(n - len(pool))]
    return pool[:n]


def _dedupe(ties: list[Relationship]) -> tuple[Relationship, ...]:
    seen: set[tuple[str, str]] = set()
    kept = []
    for t in ties:
        pair = (t.source, t.target)
        if t.source != t.target and pair not in seen and pair[::-1] not in seen:
            seen.add(pair)
            kept.append(t)
    return tuple(kept)


def large(n: int = 5000, ties: int = 25_000, seed: int = 11) -> StakeholderMap:
    """A deterministic organisation-like map for benchmarks: teams of 25, most ties inside.

    >>> m = large(100, 400)
    >>> len(m.stakeholders), len(m.relationships)
    (100, 400)
    >>> large(5, 11)
    Traceback (most recent call last):
    ValueError: 5 people have at most 10 ties between two of them, not 11
    """
    if ties > n * (n - 1) // 2:  # each pair is tied once: more would never be drawn
        raise ValueError(
            f"{n} people have at most {n * (n - 1) // 2} ties between two of them, not {ties}"
        )
    rng = random.Random(seed)
    names = [f"Person {k:05d}" for k in range(n)]
    people = [
        Stakeholder(
            name,
            group=f"Team {k // 25}",
            power=rng.choice((1, 1, 2, 2, 2, 3, 3, 4, 5)),
            interest=rng.randint(1, 5),
            stance=rng.choice((-2, -1, -1, 0, 0, 0, 0, 1, 1, 2)),
            target_stance=rng.choice((None, None, None, 2, 1, 0)),
            effort=rng.randint(1, 5),
            goals=tuple(rng.sample(_GOALS, rng.randint(0, 2))),
            decision_role="decider" if k % 1000 == 1 else "veto" if k % 500 == 7 else "",
        )
        for k, name in enumerate(names)
    ]
    people[0] = Stakeholder(names[0], power=1, stance=2, effort=1)
    rels: list[Relationship] = []
    seen: set[tuple[int, int]] = set()
    while len(rels) < ties:
        a = rng.randrange(n)
        b = (a // 25) * 25 + rng.randrange(25) if rng.random() < 0.8 else rng.randrange(n)
        if a == b or b >= n or (a, b) in seen or (b, a) in seen:
            continue
        seen.add((a, b))
        strength = rng.randint(1, 5) * (-1 if rng.random() < 0.1 else 1)
        kind = rng.choice(("influences", "influences", "defers to", "ally"))
        rels.append(Relationship(names[a], names[b], strength, kind))
    parts = (
        ProposalPart("Cost model", ("cost",)),
        ProposalPart("Roadmap", ("automation",)),
        ProposalPart("People plan", ("headcount", "career")),
    )
    return StakeholderMap(tuple(people), tuple(rels), Proposal("Large", names[0], 0.5, parts))


def generated(seed: int, n: int | None = None) -> StakeholderMap:
    """A random but realistic map for testing the planner on maps nobody tuned it for.

    A few deciders (or none: a team deciding together), sometimes a veto holder, third parties
    with ties into the room, mixed stances, some repelling ties, goals matched by some proposal
    parts, power on 1-5 or (read back from) 1-10, votes now and then, and a champion.

    >>> m = generated(3)
    >>> len(m.stakeholders) >= 6 and m.proposal.champion in m.names
    True
    """
    rng = random.Random(seed)
    n = n or rng.randint(6, 16)
    names = [f"{_FIRST[k % len(_FIRST)]} {_LAST[(k * 7 + seed) % len(_LAST)]}" for k in range(n)]
    deciders = rng.sample(range(1, n), rng.randint(0, min(5, n - 2)))
    veto = rng.choice([None, None, *deciders, rng.randrange(1, n)])
    thirds = [k for k in range(1, n) if k not in deciders and k != veto and rng.random() < 0.25]
    ten = rng.random() < 0.3
    votes = rng.random() < 0.2
    people = []
    for k, name in enumerate(names):
        role = (
            "veto"
            if k == veto
            else "decider"
            if k in deciders
            else "third party"
            if k in thirds
            else rng.choice(("", "influencer"))
        )
        power = rng.randint(1, 10) if ten else rng.randint(1, 5)
        people.append(
            Stakeholder(
                name,
                power=round(1 + (power - 1) * 4 / 9, 2) if ten else power,
                stance=2 if k == 0 else rng.choice((-2, -1, -1, 0, 0, 0, 1, 1, 2)),
                effort=rng.randint(1, 5),
                goals=tuple(rng.sample(_GOALS, rng.randint(0, 2))),
                decision_role=role,
                votes=float(rng.randint(1, 4)) if votes and role in ("decider", "veto") else None,
            )
        )
    ties = []
    for _ in range(rng.randint(n, 3 * n)):
        a, b = rng.sample(range(n), 2)
        kind = rng.choice(("influences", "influences", "defers to", "ally", "rival"))
        strength = (
            -rng.randint(1, 3) if kind == "rival" or rng.random() < 0.1 else rng.randint(1, 5)
        )
        ties.append(Relationship(names[a], names[b], strength, kind))
    parts = tuple(ProposalPart(f"Part {g}", (g,)) for g in rng.sample(_GOALS, rng.randint(0, 3)))
    extra = {"Power scale": "1-10"} if ten else {}
    rule = rng.choice(("", "", "majority", "unanimity")) if deciders else ""
    proposal = Proposal(
        f"Generated {seed}", names[0], rng.choice((0.5, 0.6, 0.67)), parts, extra, rule
    )
    return StakeholderMap(tuple(people), _dedupe(ties), proposal)
