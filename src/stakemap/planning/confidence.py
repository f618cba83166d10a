"""How far a plan can be trusted on rough numbers: the share of nearby maps on which it holds.

Users type rough 1-5 numbers, so a plan that flips from ready to not ready when one tie moves by
a point is not advice (docs/planning.md, "Confidence"). A *nearby map* moves each power and tie
strength by -1, 0 or +1 at random (clipped to 1-5 and -5..5), each typed stance by a point too
(the champion keeps hers), and the Votes or weight columns the proposal marks as rough (its
``Rough`` row): votes by a point, other columns by up to a tenth. A plan's confidence is the
share of seeded nearby maps on which replaying its meetings, in order, still makes the proposal
ready. The nearby maps are drawn and compiled once, then every candidate plan is replayed on
the same ones.

The draws and the compiled networks do not depend on the rule's pass share (only the rule
does), so they are kept for the last few maps (:data:`KEPT`, :data:`KEPT_NETWORKS`), keyed by
the map's identity (checked through a weak reference, so a new map at a reused address is
never mistaken for an old one), the what-if's stances, the number of samples and the seed: the
Plan page's what-if slider plans the same map at another share without drawing and compiling
them again. Maps are frozen, so the same object always yields the same draws. Identity, not a
hash: a map holds dicts (positions, custom columns), so it has none; a hash of its text would
do (0.4 ms at 20 people, 9 ms at 400) but identity is free, and the app keeps one map object
per saved version.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

import numpy as np

from stakemap.model import StakeholderMap
from stakemap.planning.influence import Network, parts_of, what_if
from stakemap.planning.rule import Rule, rule_of, user_power
from stakemap.values import measure_key

__all__ = ["KEPT", "SAMPLES", "Draw", "Nearby", "confidence", "draws", "nearby"]

#: Nearby maps drawn for a plan's confidence.
SAMPLES = 60
#: Draw sets kept: at most this many, holding at most :data:`KEPT_NETWORKS` people's worth of
#: compiled networks in all (a set holds ``samples`` networks of the map's size).
KEPT = 8
KEPT_NETWORKS = 60 * 800


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
    module docstring: the kept :func:`draws`, each under the rule with its weights.

    >>> from stakemap.samples.cases import new_programme
    >>> near = nearby(new_programme(), samples=3)
    >>> len(near), sorted(set(near[0].net.typed) | set(near[1].net.typed)) != [0.0]
    (3, True)
    """
    rule = rule_of(m, pass_share)
    return [
        Nearby(d.net, rule.with_weights(d.weights) if d.weights else rule)
        for d in draws(m, rule, samples, seed, overrides)
    ]


@dataclass(frozen=True)
class Draw:
    """One nearby map's part that no pass share changes: its compiled network and the weights
    of the measures it moves (measure key -> weights; empty: none)."""

    net: Network
    weights: Mapping[str, tuple[Fraction, ...]]


_kept: OrderedDict[tuple, tuple[weakref.ref, tuple[Draw, ...]]] = OrderedDict()
_lock = threading.Lock()


def draws(
    m: StakeholderMap,
    rule: Rule,
    samples: int = SAMPLES,
    seed: int = 0,
    overrides: Mapping[str, float] | None = None,
) -> tuple[Draw, ...]:
    """The seeded draws of ``m``'s nearby maps, kept for the last :data:`KEPT` maps (see the
    module docstring). ``rule`` is ``m``'s under any pass share: the draws read only whether
    it is a team's (weights by power) and the weights of the rough measures, which a pass share
    never changes; both are in the key all the same.

    >>> from stakemap.samples.cases import new_programme
    >>> m = new_programme()
    >>> draws(m, rule_of(m), 3) is draws(m, rule_of(m, 0.6), 3)
    True
    """
    rough = tuple(sorted({measure_key(c) for c in m.proposal.rough}))
    moved = tuple((key, _column(rule, key) in rule.measures) for key in rough)
    pinned = tuple(sorted((overrides or {}).items()))
    key = (id(m), pinned, samples, seed, rule.fallback, moved)
    with _lock:
        found = _kept.get(key)
        if found is not None and found[0]() is m:
            _kept.move_to_end(key)
            return found[1]
    made = _draw(m, rule, samples, seed, overrides)
    with _lock:
        for gone in [k for k, (ref, _made) in _kept.items() if ref() is None]:
            del _kept[gone]  # their maps are gone: free the networks
        _kept[key] = (weakref.ref(m), made)
        _kept.move_to_end(key)
        while len(_kept) > KEPT or (len(_kept) > 1 and _people(_kept) > KEPT_NETWORKS):
            _kept.popitem(last=False)
    return made


def _people(kept: Mapping[tuple, tuple[weakref.ref, tuple[Draw, ...]]]) -> int:
    return sum(len(d.net.names) for _ref, made in kept.values() for d in made)


def _draw(
    m: StakeholderMap,
    rule: Rule,
    samples: int,
    seed: int,
    overrides: Mapping[str, float] | None,
) -> tuple[Draw, ...]:
    parts = parts_of(m)
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
        out.append(Draw(what_if(near, pinned), changed))
    return tuple(out)


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
