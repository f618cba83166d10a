"""How far a plan can be trusted on rough numbers: the share of nearby maps on which it holds.

Users type rough 1-5 numbers, so a plan that flips from ready to not ready when one tie moves by
a point is not advice (docs/planning.md, "Confidence"). A *nearby map* moves each power and tie
strength by -1, 0 or +1 at random (clipped to 1-5 and -5..5), each typed stance by a point too
(the champion keeps hers), and the Votes or weight columns the proposal marks as rough (its
``Rough`` row): votes by a point, other columns by up to a tenth. A plan's confidence is the
share of seeded nearby maps on which replaying its meetings, in order, still makes the proposal
ready. The nearby maps are drawn and compiled once, then every candidate plan is replayed on
the same ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

import numpy as np

from stakemap.model import StakeholderMap
from stakemap.planning.influence import Network, parts_of, what_if
from stakemap.planning.rule import Rule, rule_of, user_power
from stakemap.values import measure_key

__all__ = ["SAMPLES", "Nearby", "confidence", "nearby"]

#: Nearby maps drawn for a plan's confidence.
SAMPLES = 60


@dataclass(frozen=True)
class Nearby:
    """One nearby map, compiled for replaying plans: its network and its rule."""

    net: Network
    rule: Rule

    def ready_after(self, names: Sequence[str]) -> bool:
        order = [self.net.index[n] for n in names if n in self.net.index]
        return bool(self.net.names) and self.rule.tally(self.net.predict(order)).ready


def nearby(
    m: StakeholderMap,
    pass_share: float | Fraction | None = None,
    samples: int = SAMPLES,
    seed: int = 0,
    overrides: Mapping[str, float] | None = None,
) -> list[Nearby]:
    """``samples`` seeded nearby maps of ``m`` under its rule (with ``pass_share`` and
    ``overrides`` as the plan's what-if, :func:`stakemap.planning.influence.network`), see the
    module docstring.

    >>> from stakemap.samples.cases import new_programme
    >>> near = nearby(new_programme(), samples=3)
    >>> len(near), sorted(set(near[0].net.typed) | set(near[1].net.typed)) != [0.0]
    (3, True)
    """
    parts = parts_of(m)
    rule = rule_of(m, pass_share)
    rng = np.random.default_rng(seed)
    n = len(parts.names)
    scale = m.proposal.extra.get("Power scale", "1-5")
    rough = {measure_key(c) for c in m.proposal.rough}
    index = {name: k for k, name in enumerate(parts.names)}
    pinned = {index[k]: float(v) for k, v in (overrides or {}).items() if k in index}
    fixed = np.zeros(n, dtype=bool)
    fixed[list(pinned)] = True
    if parts.champion is not None:
        fixed[parts.champion] = True
    out = []
    for _ in range(samples):
        power = np.clip(parts.power + rng.integers(-1, 2, n), 1.0, 5.0)
        stance = np.where(
            fixed, parts.stance, np.clip(parts.stance + rng.integers(-1, 2, n), -2, 2)
        )
        strength = np.clip(parts.strength + rng.integers(-1, 2, len(parts.strength)), -5.0, 5.0)
        near = replace(parts, power=power, stance=stance, strength=strength)
        changed = {}
        if rule.fallback:
            changed["votes"] = _power_weights(m, power, scale)
        for key in rough:
            measure = rule.measures.get(_column(rule, key))
            if measure is not None:
                changed[measure.key] = _rough(measure.weight, key, rng)
        out.append(Nearby(what_if(near, pinned), rule.with_weights(changed) if changed else rule))
    return out


def _power_weights(m: StakeholderMap, power: np.ndarray, scale: str) -> tuple[Fraction, ...]:
    """A team's weights (everyone not a third party, by power) on a nearby map."""
    return tuple(
        Fraction(0) if s.decision_role == "third party" else Fraction(repr(user_power(p, scale)))
        for s, p in zip(m.stakeholders, power.tolist(), strict=True)
    )


def _column(rule: Rule, key: str) -> str:
    return next((k for k in rule.measures if k.casefold() == key.casefold()), key)


def _rough(weight: tuple[Fraction, ...], key: str, rng) -> tuple[Fraction, ...]:
    """Rough weights moved: votes by a point (never below 0, members stay members), other
    columns by up to a tenth."""
    if key == "votes":
        step = rng.integers(-1, 2, len(weight))
        return tuple(
            max(Fraction(1), w + int(d)) if w > 0 else w for w, d in zip(weight, step, strict=True)
        )
    factor = rng.integers(-10, 11, len(weight))
    return tuple(w * (1 + Fraction(int(f), 100)) for w, f in zip(weight, factor, strict=True))


def confidence(near: Sequence[Nearby], names: Sequence[str]) -> float:
    """Share of the nearby maps ``near`` on which meeting ``names`` in order makes the
    proposal ready.

    >>> from stakemap.samples.cases import new_programme
    >>> near = nearby(new_programme(), samples=20)
    >>> story = ["Omar Haddad", "Priya Nair", "Rosa Mendes", "Tom Becker", "Lena Fischer"]
    >>> confidence(near, []), confidence(near, story) >= 0.8
    (0.0, True)
    """
    if not near:
        return 0.0
    return sum(n.ready_after(names) for n in near) / len(near)
