"""When no plan can exist: the best case bounds every plan, and a plan that cannot be won says so
at once instead of searching.

The best case (:attr:`stakemap.planning.problem.Problem.best_case`) pushes everyone who may be
met as hard as one meeting can; because the model is linear with non-negative gains, no order
of meetings predicts more for anyone. These tests check that bound against replayed plans and
the exact programme on generated maps, and that a formal veto holder nobody can move (the
benchmark map's Person 01507: a Blocker with power 5 who listens to ties worth 5) ends the
search with no meeting proposed and the reason in the close.
"""

from __future__ import annotations

import random
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from stakemap.model import Relationship, StakeholderMap
from stakemap.planning.planner import plan, with_champion
from stakemap.planning.problem import problem
from stakemap.samples.synthetic import generated, large

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from bench_plan import small_map

MAPS = [generated(seed) for seed in range(40)] + [
    small_map(random.Random(seed)) for seed in range(40)
]


@pytest.mark.parametrize("m", MAPS[::2], ids=lambda m: m.proposal.title or "small")
def test_best_case_bounds_every_replayed_plan(m):
    pr = problem(m)
    rng = random.Random(len(m.stakeholders))
    people = [k for k in range(pr.size) if pr.eligible[k]]
    for _ in range(20):
        order = rng.sample(people, rng.randint(0, len(people)))
        assert np.all(pr.net.predict(order) <= pr.best_case + 1e-9)


def test_best_case_never_rules_out_a_plan_that_exists():
    proven = 0
    for m in MAPS:
        p = plan(m, samples=0)
        pr = problem(with_champion(m)[0])
        if p.close.ready:
            assert pr.unreachable is None, m.proposal.title
        else:
            proven += pr.unreachable is not None
            assert p.proven_none or pr.unreachable is None
    assert proven  # some of these maps cannot be won, and the bound proves it


def unmovable_veto(m: StakeholderMap, name: str) -> StakeholderMap:
    """``m`` with ``name`` a formal veto holder typed Blocker (anchored), power 5, who listens
    to one tie of 2: a meeting brings at most 2 (own) + 2 (messenger) + 3 (goal) = 7 points of
    push, 1.4 stance points, so he ends a Critic at best."""
    people = tuple(
        replace(s, decision_role="veto", stance=-2, power=5, target_stance=None, votes=None)
        if s.name == name
        else s
        for s in m.stakeholders
    )
    ties = tuple(r for r in m.relationships if name not in (r.source, r.target))
    other = next(s.name for s in m.stakeholders if s.name not in (name, m.proposal.champion))
    ties += (Relationship(other, name, 2, "influences"),)
    return replace(m, stakeholders=people, relationships=ties)


@pytest.mark.parametrize("seed", range(6))
def test_a_formal_veto_nobody_can_move_means_no_plan(seed):
    m = generated(seed, 12)
    name = m.stakeholders[3].name
    m = unmovable_veto(m, name)
    p = plan(m)
    assert not p.close.ready and p.proven_none
    assert p.steps == () and p.effort == 0  # no meeting toward a proposal that cannot pass
    assert name in p.close.reason and "Critic" in p.close.reason
    assert "No order of meetings" in p.close.reason


def test_large_map_with_an_unmovable_veto_stops_without_searching():
    """Past the exact programme's size the greedy would court the veto holder's circle meeting
    after meeting; the best case proves at once that no order of meetings clears the veto."""
    m = unmovable_veto(large(1000, 5000), "Person 00507")
    p = plan(m)
    assert not p.close.ready and p.proven_none and p.steps == ()
    assert "Person 00507 holds a veto" in p.close.reason
    assert "each as persuasively as one meeting can" in p.method_text  # not "by searching"


def test_benchmark_map_cannot_be_won_because_of_one_formal_veto():
    """The 5,000-person benchmark map: Person 01507 holds a formal veto, is typed Blocker
    (anchored), has power 5 and listens to ties worth 5 in all, so even with every one of them
    carrying it his meeting brings 2 + 5 = 7 points of push, -2 + 7/5 = -0.6: a Critic."""
    pr = problem(large(5000, 25_000))
    k = pr.net.index["Person 01507"]
    assert pr.rule.veto_of(k).kind == "formal"
    assert pr.best_case[k] == pytest.approx(-0.6)
    beyond = pr.unreachable
    assert beyond is not None and beyond.lines_hold
    assert [pr.net.names[s.veto.index] for s in beyond.vetoes if s.blocks] == ["Person 01507"]


def test_not_ready_close_names_no_one_a_meeting_would_win():
    """'Out of reach' lists only members a meeting now would leave short of for it (a member a
    meeting would make a Champion is not out of reach)."""
    for m in MAPS:
        p = plan(m, samples=0)
        if not p.close.ready:
            for word in ("Supporter", "Champion"):
                assert f"to {word}, not enough" not in p.close.reason
