"""Ready-made maps: the two founding cases of docs/coalitions.md and a 60-person organisation.

The files in sample_data/ are written from these builders (``python -m stakemap samples DIR``);
a test checks that each file imports back to the same map.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from stakemap.model import (
    Proposal,
    ProposalPart,
    Relationship,
    Stakeholder,
    StakeholderMap,
    Threshold,
)

__all__ = ["SAMPLES", "generated", "large", "new_programme", "organisation", "pipeline", "template"]


def new_programme() -> StakeholderMap:
    """Case 2: the junior analyst's new programme for clinics' business operations.

    Omar and Priya (business and operations) are sympathetic but passive; Rosa, Tom and Lena are
    the conservative members who defer to them; Lena is the financial expert; Dr Victor Hale, the
    clinical lead, holds an informal veto (his no stops the team unless he is isolated) and
    blocks; Grace follows him.
    """
    people = (
        Stakeholder(
            "Maya Lin",
            "Client liaison (junior analyst)",
            "Client services",
            1,
            5,
            2,
            2,
            2,
            5,
            1,
            ("client needs", "business operations"),
            "influencer",
            "The only one who talks to the clients; plans this coalition.",
        ),
        Stakeholder(
            "Omar Haddad",
            "Business development executive",
            "Business",
            3,
            4,
            1,
            2,
            4,
            3,
            2,
            ("growth", "business operations"),
            "influencer",
            "Sympathetic, but will not fight the other executives openly.",
        ),
        Stakeholder(
            "Priya Nair",
            "Operations director",
            "Operations",
            3,
            4,
            1,
            2,
            4,
            3,
            2,
            ("operations", "efficiency"),
            "influencer",
            "Sympathetic; sees the clinics' operational gaps.",
        ),
        Stakeholder(
            "Rosa Mendes",
            "Senior trainer (business and clinical)",
            "Training",
            3,
            3,
            0,
            1,
            4,
            2,
            3,
            ("quality", "training design"),
            "",
            "Conservative; listens to Omar and Priya.",
        ),
        Stakeholder(
            "Tom Becker",
            "Senior trainer (clinical)",
            "Training",
            3,
            2,
            -1,
            1,
            4,
            2,
            3,
            ("clinical standards", "training design"),
            "",
            "Prefers the existing clinical model.",
        ),
        Stakeholder(
            "Lena Fischer",
            "Financial expert",
            "Finance",
            3,
            3,
            0,
            2,
            4,
            3,
            3,
            ("finance", "financial modelling"),
            "",
            "Would like to lead something visible.",
        ),
        Stakeholder(
            "Grace Kim",
            "Clinical trainer",
            "Clinical",
            2,
            3,
            -1,
            0,
            3,
            2,
            3,
            ("clinical standards",),
            "",
            "Follows the clinical lead.",
        ),
        Stakeholder(
            "Dr Victor Hale",
            "Lead clinical expert",
            "Clinical",
            5,
            4,
            -2,
            0,
            5,
            4,
            5,
            ("clinical standards", "reputation"),
            "informal veto",
            "Shut the idea down at the first team meeting.",
        ),
    )
    ties = (
        Relationship("Omar Haddad", "Maya Lin", 2, "ally", "Both see the business gap"),
        Relationship("Priya Nair", "Maya Lin", 2, "ally"),
        Relationship("Rosa Mendes", "Omar Haddad", 4, "defers to"),
        Relationship("Rosa Mendes", "Priya Nair", 3, "defers to"),
        Relationship("Tom Becker", "Omar Haddad", 3, "defers to"),
        Relationship("Tom Becker", "Priya Nair", 3, "defers to"),
        Relationship("Lena Fischer", "Omar Haddad", 3, "defers to"),
        Relationship("Lena Fischer", "Priya Nair", 2, "defers to"),
        Relationship("Grace Kim", "Dr Victor Hale", 4, "reports to"),
        Relationship("Grace Kim", "Rosa Mendes", 2, "defers to"),
        Relationship("Dr Victor Hale", "Tom Becker", 2, "influences", "Old clinical colleagues"),
        Relationship("Rosa Mendes", "Dr Victor Hale", 2, "influences"),
        Relationship("Lena Fischer", "Dr Victor Hale", 2, "influences", "He trusts her numbers"),
        Relationship("Tom Becker", "Dr Victor Hale", 2, "influences"),
        Relationship(
            "Maya Lin",
            "Dr Victor Hale",
            -2,
            "influences",
            "A junior's visible push makes him dig in",
        ),
    )
    proposal = Proposal(
        "Business-operations programme for clinics",
        "Maya Lin",
        0.5,
        (
            ProposalPart(
                "Financial modelling module and its pilot training",
                ("finance", "financial modelling"),
            ),
            ProposalPart("Operations workflow module", ("operations", "efficiency")),
            ProposalPart("Trainer guide for the new model", ("training design", "quality")),
            ProposalPart("Client needs research", ("client needs", "growth")),
        ),
    )
    return StakeholderMap(people, ties, proposal)


def pipeline() -> StakeholderMap:
    """Case 1: the Russia-China gas pipeline and the third parties who shaped it."""
    people = (
        Stakeholder(
            "Russia (Gazprom)",
            "Seller",
            "Russia",
            5,
            5,
            2,
            2,
            5,
            5,
            1,
            ("export markets", "price"),
            "decider",
            "Wants China's market locked in.",
        ),
        Stakeholder(
            "China (CNPC)",
            "Buyer",
            "China",
            5,
            4,
            0,
            2,
            5,
            3,
            4,
            ("energy security", "price", "diversification"),
            "decider",
            "Can wait; has alternatives.",
        ),
        Stakeholder(
            "United States",
            "LNG exporter",
            "Third parties",
            4,
            3,
            -1,
            -1,
            3,
            3,
            5,
            ("lng exports",),
            "third party",
            "China's interest in US LNG pushed Russia to close quickly.",
        ),
        Stakeholder(
            "Kazakhstan",
            "Transit country on the shortest route",
            "Third parties",
            3,
            3,
            -1,
            0,
            4,
            2,
            4,
            ("independence from Russia", "transit fees"),
            "third party",
            "Did not want to deepen its dependence on Russia.",
        ),
        Stakeholder(
            "Mongolia",
            "Transit candidate",
            "Third parties",
            2,
            5,
            2,
            1,
            3,
            4,
            3,
            ("transit fees", "independence from neighbours"),
            "third party",
            "Wanted the pipeline; China did not want the route through it.",
        ),
        Stakeholder(
            "Chinese provinces (north-east)",
            "Gas consumers",
            "China",
            2,
            4,
            1,
            2,
            3,
            3,
            3,
            ("energy security", "clean air"),
            "influencer",
        ),
        Stakeholder(
            "Russian finance ministry",
            "Budget",
            "Russia",
            3,
            3,
            1,
            2,
            4,
            3,
            3,
            ("price", "revenue"),
            "influencer",
        ),
    )
    ties = (
        Relationship("United States", "China (CNPC)", 3, "influences", "LNG alternative"),
        Relationship(
            "United States", "Russia (Gazprom)", -2, "rival", "Competition for the Chinese market"
        ),
        Relationship("China (CNPC)", "Mongolia", 3, "influences", "Route choice"),
        Relationship(
            "Russia (Gazprom)", "Kazakhstan", -2, "influences", "Dependence it does not want"
        ),
        Relationship("Chinese provinces (north-east)", "China (CNPC)", 2, "influences"),
        Relationship("Russian finance ministry", "Russia (Gazprom)", 3, "influences"),
        Relationship("Mongolia", "China (CNPC)", 1, "influences", "Offers a shorter route"),
        Relationship("Kazakhstan", "China (CNPC)", 2, "influences", "Existing Central Asia gas"),
    )
    proposal = Proposal(
        "Eastern-route gas supply deal",
        "Russia (Gazprom)",
        0.6,
        (
            ProposalPart("Long-term price formula", ("price", "revenue")),
            ProposalPart("Supply security guarantees", ("energy security",)),
            ProposalPart("Transit arrangements", ("transit fees",)),
        ),
        thresholds=(Threshold("1/1"),),  # a bilateral deal: both sides sign
    )
    return StakeholderMap(people, ties, proposal)


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


def template() -> StakeholderMap:
    """The blank template's few example rows, in the canonical form: a decider, a formal and an
    informal veto holder, an ally, and a rule written as thresholds with a quorum."""
    people = (
        Stakeholder(
            "Example Decider",
            "Director",
            "Leadership",
            5,
            4,
            0,
            1,
            5,
            3,
            4,
            ("cost",),
            "decider",
            "Replace these rows with your own",
            votes=1.0,
        ),
        Stakeholder(
            "Example Veto",
            "Legal counsel",
            "Legal",
            4,
            3,
            0,
            1,
            4,
            2,
            3,
            ("risk",),
            "veto",
            "A formal veto: blocks while against, however isolated",
        ),
        Stakeholder(
            "Example Senior",
            "Senior expert",
            "Operations",
            4,
            3,
            -1,
            1,
            4,
            3,
            4,
            ("quality",),
            "informal veto",
            "An informal veto: goes along once everyone he listens to backs it",
        ),
        Stakeholder(
            "Example Ally", "Manager", "Operations", 3, 4, 1, 2, 3, 3, 2, ("quality",), "influencer"
        ),
    )
    ties = (
        Relationship("Example Ally", "Example Decider", 3, "influences"),
        Relationship("Example Senior", "Example Decider", 3, "defers to"),
    )
    return StakeholderMap(
        people,
        ties,
        Proposal(
            "Your proposal",
            "Example Ally",
            0.5,
            (ProposalPart("First part", ("quality",)),),
            thresholds=(Threshold("1/2", "votes"),),
            quorum=Threshold("2/3", "members"),
            abstentions="not counted",
        ),
    )


def large(n: int = 5000, ties: int = 25_000, seed: int = 11) -> StakeholderMap:
    """A deterministic organisation-like map for benchmarks: teams of 25, most ties inside.

    >>> m = large(100, 400)
    >>> len(m.stakeholders), len(m.relationships)
    (100, 400)
    """
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


SAMPLES: dict[str, Callable[[], StakeholderMap]] = {
    "New programme (coalition from a junior position)": new_programme,
    "Gas pipeline (third parties)": pipeline,
    "Organisation (60 people)": organisation,
}


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
