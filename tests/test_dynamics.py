"""What-if dynamics (Friedkin-Johnsen) and pivotal power (Banzhaf)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stakemap.model import Proposal, Relationship, Stakeholder, StakeholderMap
from stakemap.planning.whatif import pivotal_power, simulate
from stakemap.samples import new_programme, organisation


def test_meeting_the_passive_allies_moves_the_conservative_members():
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
    # Fixed point of x = 0.5 * 2 + 0.5 * 0 for Ben once Ana is an active ally.
    assert simulate(m, {"Ana": 2})["Ben"] == pytest.approx(1.0)
    assert simulate(m, {"Ana": -2})["Ben"] == pytest.approx(-1.0)


def test_a_repelling_tie_counts_only_when_involved_and_unknown_overrides_are_ignored():
    m = StakeholderMap(
        (Stakeholder("Ana", stance=2), Stakeholder("Ben", power=2)),
        (Relationship("Ana", "Ben", -2),),
    )
    assert simulate(m)["Ben"] == 0.0  # R6: Ana's repulsion counts only where she is involved
    assert simulate(m, {"Nobody": 2}) == simulate(m)
    assert simulate(StakeholderMap()) == {}


def test_fixed_point_solves_the_linear_system():
    m = organisation(60)
    x = simulate(m)
    # Rebuild x = Lambda W x + (I - Lambda) u by hand for one susceptible person and check it.
    people = {s.name: s for s in m.stakeholders}
    person = next(
        s
        for s in m.stakeholders
        if abs(s.stance) < 2
        and any(b == s.name and abs(people[a].stance) != 1 for a, b, w in m.influence_edges() if w)
    )
    ties = [
        (a, w)
        for a, b, w in m.influence_edges()
        if b == person.name and w and abs(people[a].stance) != 1 and a != b
    ]
    total = sum(abs(w) for _, w in ties)
    lam = total / (total + person.power)
    pull = sum(w * x[a] for a, w in ties) / total
    assert x[person.name] == pytest.approx(lam * pull + (1 - lam) * person.stance, abs=1e-8)


stances = st.integers(-2, 2)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 5), stances), min_size=1, max_size=8),
    st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7), st.integers(-5, 5)), max_size=20),
    st.dictionaries(st.integers(0, 7), stances, max_size=3),
)
def test_simulate_stays_within_the_scale(people, ties, overrides):
    names = [f"P{k}" for k in range(len(people))]
    m = StakeholderMap(
        tuple(Stakeholder(n, power=p, stance=s) for n, (p, s) in zip(names, people, strict=True)),
        tuple(Relationship(names[a % len(names)], names[b % len(names)], w) for a, b, w in ties),
    )
    result = simulate(m, {names[k % len(names)]: v for k, v in overrides.items()})
    assert list(result) == names
    assert all(-2 <= v <= 2 for v in result.values())


def _brute_banzhaf(powers: list[float], share: float) -> list[float]:
    def wins(weight: float) -> bool:
        return weight >= share * sum(powers) - 1e-9

    swings = [0] * len(powers)
    for votes in itertools.product((0, 1), repeat=len(powers)):
        weight = sum(p for p, v in zip(powers, votes, strict=True) if v)
        for i, v in enumerate(votes):
            if not v and not wins(weight) and wins(weight + powers[i]):
                swings[i] += 1
    total = sum(swings)
    return [s / total if total else 0.0 for s in swings]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.sampled_from((1, 1.5, 2, 2.5, 3, 4, 5)), min_size=1, max_size=9),
    st.sampled_from((0.3, 0.5, 0.51, 2 / 3, 0.9)),
)
def test_banzhaf_dynamic_programme_matches_brute_force(powers, share):
    m = StakeholderMap(tuple(Stakeholder(f"P{k}", power=p) for k, p in enumerate(powers)))
    got = pivotal_power(m, share)
    assert list(got.values()) == pytest.approx(_brute_banzhaf(powers, share), abs=1e-9)


def test_pivotal_power_on_the_story_and_defaults():
    m = new_programme()
    power = pivotal_power(m)  # the proposal's pass share, 50%
    assert max(power, key=power.get) == "Dr Victor Hale"
    assert sum(power.values()) == pytest.approx(1.0)
    assert power["Omar Haddad"] == power["Lena Fischer"]  # equal weights, equal index
    assert pivotal_power(StakeholderMap()) == {}
    lone = StakeholderMap((Stakeholder("A", power=2),), proposal=Proposal(pass_share=0.5))
    assert pivotal_power(lone) == {"A": 1.0}
