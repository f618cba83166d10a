"""Ready-made maps: the two founding cases of docs/coalitions.md, the template a new map starts
from, and the samples the app offers (:data:`SAMPLES`).

The files in sample_data/ are written from these builders (``python -m stakemap samples DIR``);
a test checks that each file imports back to the same map.
"""

from __future__ import annotations

from collections.abc import Callable

from stakemap.model import (
    Proposal,
    ProposalPart,
    Relationship,
    Stakeholder,
    StakeholderMap,
    Threshold,
)
from stakemap.samples.synthetic import organisation

__all__ = ["SAMPLES", "new_programme", "pipeline", "template"]


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


SAMPLES: dict[str, Callable[[], StakeholderMap]] = {
    "New programme (coalition from a junior position)": new_programme,
    "Gas pipeline (third parties)": pipeline,
    "Organisation (60 people)": organisation,
}
