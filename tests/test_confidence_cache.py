"""Nearby maps kept across pass shares: the Plan page's what-if slider plans the same map at
another share without drawing and compiling the nearby maps again, and gets exactly what a
fresh draw gives (same seed, same draws, same numbers)."""

from __future__ import annotations

import copy
import gc
from fractions import Fraction

import numpy as np
import pytest

from stakemap.planning import confidence
from stakemap.planning.confidence import draws, nearby
from stakemap.planning.planner import plan
from stakemap.planning.rule import rule_of
from stakemap.samples.cases import new_programme
from stakemap.samples.synthetic import generated, large


def same_network(a, b) -> bool:
    return (
        a.names == b.names
        and np.array_equal(a.typed, b.typed)
        and np.array_equal(a.power, b.power)
        and np.array_equal(a.keep, b.keep)
        and (a.step != b.step).nnz == 0
        and a.listens == b.listens
    )


MAPS = [new_programme(), generated(2), generated(5), large(20, 100)]


@pytest.mark.parametrize("m", MAPS, ids=lambda m: m.proposal.title)
def test_a_second_share_reuses_the_draws_and_matches_a_fresh_draw(m):
    first = nearby(m, Fraction(7, 10), samples=12)
    again = nearby(m, Fraction(3, 5), samples=12)
    fresh = nearby(copy.deepcopy(m), Fraction(3, 5), samples=12)  # another object: drawn anew
    assert all(a.net is b.net for a, b in zip(first, again, strict=True))
    assert all(a.net is not b.net for a, b in zip(again, fresh, strict=True))
    for a, b in zip(again, fresh, strict=True):
        assert same_network(a.net, b.net)
        assert [c.line.amount for c in a.rule.tally(a.net.typed).counts] == [
            c.line.amount for c in b.rule.tally(b.net.typed).counts
        ]
        assert {k: v.weight for k, v in a.rule.measures.items()} == {
            k: v.weight for k, v in b.rule.measures.items()
        }


def test_plans_at_several_shares_equal_plans_on_fresh_maps():
    m = generated(4)
    for share in (None, Fraction(3, 5), Fraction(3, 4), Fraction(1, 2)):
        kept = plan(m, pass_share=share)
        fresh = plan(copy.deepcopy(m), pass_share=share)
        assert kept.steps == fresh.steps and kept.close == fresh.close
        assert kept.cheaper == fresh.cheaper and kept.routes == fresh.routes


def test_the_key_holds_the_seed_samples_and_what_if():
    m = new_programme()
    rule = rule_of(m)
    base = draws(m, rule, 5)
    assert draws(m, rule, 5) is base
    assert draws(m, rule, 5, seed=1) is not base
    assert draws(m, rule, 6) is not base
    name = m.stakeholders[2].name
    assert draws(m, rule, 5, overrides={name: 2}) is not base


def test_a_new_map_at_a_reused_address_is_drawn_anew():
    old = new_programme()
    new = copy.deepcopy(old)
    kept = draws(old, rule_of(old), 4)
    key = next(k for k in confidence._kept if k[0] == id(old))
    # as if ``new`` had been made where ``old`` was: the weak reference tells them apart
    confidence._kept[(id(new), *key[1:])] = confidence._kept.pop(key)
    assert draws(new, rule_of(new), 4) is not kept
    ref = confidence._kept[(id(new), *key[1:])][0]
    assert ref() is new
    del new, kept
    gc.collect()
    draws(old, rule_of(old), 3)
    assert all(r() is not None for r, _made in confidence._kept.values())  # the dead are let go


def test_the_cache_is_bounded():
    maps = [generated(seed) for seed in range(confidence.KEPT + 3)]
    for m in maps:
        draws(m, rule_of(m), 2)
    assert len(confidence._kept) <= confidence.KEPT
    big = large(400, 2000)
    draws(big, rule_of(big), confidence.KEPT_NETWORKS // 400)  # the budget alone
    assert len(confidence._kept) == 1
