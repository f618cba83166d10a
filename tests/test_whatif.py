"""What-if: predicted stances after a change of heart or meetings, and who can swing it."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stakemap.model import Proposal, Relationship, Stakeholder, StakeholderMap
from stakemap.planning.whatif import pivotal_power, simulate
from stakemap.samples.cases import new_programme
from stakemap.samples.synthetic import organisation


def test_activating_the_passive_allies_moves_the_conservative_members():
    m = new_programme()
    base = simulate(m)
    met = simulate(m, {"Omar Haddad": 2, "Priya Nair": 2})
    moved = {k: met[k] - base[k] for k in base}
    assert moved["Rosa Mendes"] > 1 and moved["Tom Becker"] > 1 and moved["Lena Fischer"] > 1
    assert moved["Grace Kim"] > 0  # through Rosa, two steps away
    assert moved["Dr Victor Hale"] == 0 and base["Dr Victor Hale"] == -2  # firm: anchored
    assert moved["Maya Lin"] == 0


def test_passive_people_carry_nothing():
    m = StakeholderMap(
        (Stakeholder("Ana", stance=1), Stakeholder("Ben", power=3, stance=0)),
        (Relationship("Ana", "Ben", 3),),
    )
    assert simulate(m)["Ben"] == 0.0
    # Ben's settled opinion moves from 0 to 0.5 * 2 + 0.5 * 0 once Ana is an active ally
    assert simulate(m, {"Ana": 2})["Ben"] == pytest.approx(1.0)
    assert simulate(m, {"Ana": -2})["Ben"] == pytest.approx(-1.0)


def test_a_repelling_tie_counts_only_when_involved_and_unknown_names_are_ignored():
    m = StakeholderMap(
        (Stakeholder("Ana", stance=2), Stakeholder("Ben", power=2)),
        (Relationship("Ana", "Ben", -2),),
    )
    assert simulate(m)["Ben"] == 0.0
    assert simulate(m, {"Nobody": 2}) == simulate(m)
    assert simulate(StakeholderMap()) == {}


def test_with_no_change_everyone_is_predicted_where_typed():
    m = organisation(60)
    assert simulate(m) == {
        s.name: float(max(s.stance, 2) if s.name == m.proposal.champion else s.stance)
        for s in m.stakeholders
    }


stances = st.integers(-2, 2)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 5), stances), min_size=1, max_size=8),
    st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7), st.integers(-5, 5)), max_size=20),
    st.dictionaries(st.integers(0, 7), stances, max_size=3),
    st.lists(st.integers(0, 7), max_size=5),
)
def test_simulate_stays_within_the_scale(people, ties, overrides, meetings):
    names = [f"P{k}" for k in range(len(people))]
    m = StakeholderMap(
        tuple(Stakeholder(n, power=p, stance=s) for n, (p, s) in zip(names, people, strict=True)),
        tuple(Relationship(names[a % len(names)], names[b % len(names)], w) for a, b, w in ties),
        Proposal(champion=names[0]),
    )
    met = [names[k % len(names)] for k in meetings]
    result = simulate(m, {names[k % len(names)]: v for k, v in overrides.items()}, met)
    assert list(result) == names
    assert all(-2 <= v <= 2 for v in result.values())


def _brute_banzhaf(powers: list[float], share: float) -> list[float]:
    total = sum(Fraction(repr(p)) for p in powers)
    exact = Fraction(repr(share)).limit_denominator(1000)

    def wins(weight: Fraction) -> bool:
        return weight > total / 2 if exact == Fraction(1, 2) else weight >= exact * total

    swings = [0] * len(powers)
    for votes in itertools.product((0, 1), repeat=len(powers)):
        weight = sum((Fraction(repr(p)) for p, v in zip(powers, votes, strict=True) if v), 0)
        for i, v in enumerate(votes):
            if not v and not wins(weight) and wins(weight + Fraction(repr(powers[i]))):
                swings[i] += 1
    count = sum(swings)
    return [s / count if count else 0.0 for s in swings]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.sampled_from((1, 1.5, 2, 2.5, 3, 4, 5)), min_size=1, max_size=9),
    st.sampled_from((0.3, 0.5, 0.51, 0.6, 0.9)),
)
def test_banzhaf_dynamic_programme_matches_brute_force(powers, share):
    m = StakeholderMap(tuple(Stakeholder(f"P{k}", power=p) for k, p in enumerate(powers)))
    index, exact = pivotal_power(m, Fraction(repr(share)))
    assert exact
    assert list(index.values()) == pytest.approx(_brute_banzhaf(powers, share), abs=1e-9)


def test_pivotal_power_on_the_story_and_compound_rules():
    index, exact = pivotal_power(new_programme())
    assert exact and max(index, key=index.get) == "Dr Victor Hale"
    assert sum(index.values()) == pytest.approx(1.0)
    assert index["Omar Haddad"] == index["Priya Nair"]  # equal weights, equal index
    assert index["Lena Fischer"] > index["Omar Haddad"]  # her yes also isolates the lead
    assert pivotal_power(StakeholderMap())[0] == {}
    lone = StakeholderMap((Stakeholder("A", power=2),), proposal=Proposal(pass_share=0.5))
    assert pivotal_power(lone)[0] == {"A": 1.0}
