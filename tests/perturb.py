"""Nearby maps for tests: a map with its rough numbers moved, as a user's re-typing might."""

from __future__ import annotations

import random
from dataclasses import replace

from stakemap.model import StakeholderMap

_STEP = (-1, 0, 1)


def jitter(m: StakeholderMap, rng: random.Random, stances: bool = True) -> StakeholderMap:
    """Each power and effort (1-5) and each tie strength (-5..5) moved by -1, 0 or +1 at
    random; with ``stances`` each typed stance too (the champion keeps hers)."""
    people = tuple(
        replace(
            s,
            power=min(5.0, max(1.0, s.power + rng.choice(_STEP))),
            effort=min(5.0, max(1.0, s.effort + rng.choice(_STEP))),
            stance=min(2, max(-2, s.stance + rng.choice(_STEP)))
            if stances and s.name != m.proposal.champion
            else s.stance,
        )
        for s in m.stakeholders
    )
    ties = tuple(
        replace(r, strength=min(5.0, max(-5.0, r.strength + rng.choice(_STEP))))
        for r in m.relationships
    )
    return replace(m, stakeholders=people, relationships=ties)
