"""Who can swing the decision: the Banzhaf index of each member under the map's rule.

A member swings a coalition of the others when it passes with them and fails without them
(Banzhaf 1965, "Weighted voting doesn't work"); the index counts swings over all coalitions,
every member voting for or against (:meth:`stakemap.planning.rule.Rule.passes`). A formal veto
holder swings every coalition that passes with him. One threshold with formal vetoes is counted
exactly by a pseudo-polynomial dynamic programme over the whole-number weights, one binomial
convolution per distinct weight; any other rule (double majorities, blocking minorities,
informal vetoes) by enumerating every coalition of up to :data:`ENUMERATE` members, else
estimated on :data:`SAMPLES` seeded random coalitions.
"""

from __future__ import annotations

import numpy as np

from stakemap.planning.rule import Rule

__all__ = ["ENUMERATE", "SAMPLES", "banzhaf"]

#: Largest body whose coalitions are all enumerated.
ENUMERATE = 16
#: Random coalitions drawn to estimate the index of a larger body under a compound rule.
SAMPLES = 4000
#: Largest total weight the dynamic programme handles.
_DP_LIMIT = 2_000_000


def banzhaf(rule: Rule) -> tuple[dict[str, float], bool]:
    """The normalised Banzhaf index of each person (0 outside the body) and whether it is exact.

    >>> from stakemap.model import Stakeholder, StakeholderMap
    >>> from stakemap.planning.rule import rule_of
    >>> people = [Stakeholder(n, decision_role="decider") for n in "ABC"]
    >>> people[0] = Stakeholder("A", decision_role="veto")
    >>> index, exact = banzhaf(rule_of(StakeholderMap(tuple(people))))
    >>> {k: round(v, 3) for k, v in index.items()}, exact
    ({'A': 0.6, 'B': 0.2, 'C': 0.2}, True)
    """
    members = np.flatnonzero(rule.member)
    if _single_line(rule):
        raw, exact = _programme(rule, members), True
    elif len(members) <= ENUMERATE:
        raw, exact = _enumerated(rule, members), True
    else:
        raw, exact = _sampled(rule, members), False
    total = float(raw.sum())
    index = raw / total if total > 0 else np.zeros_like(raw)
    return {name: float(index[i]) for i, name in enumerate(rule.names)}, exact


def _single_line(rule: Rule) -> bool:
    """One threshold, formal vetoes only (or informal ones nobody can isolate), no blocking
    minority, and whole-number weights small enough for the programme."""
    if len(rule.lines) != 1 or rule.blocking is not None:
        return False
    if any(v.kind == "informal" and v.listeners for v in rule.vetoes):
        return False
    return rule.lines[0].measure.total <= _DP_LIMIT


def _programme(rule: Rule, members: np.ndarray) -> np.ndarray:
    line = rule.lines[0]
    weights = [int(w) for w in line.measure.ints]
    quota = line.need(line.measure.total)
    if rule.quorum is not None and rule.quorum.measure.total < rule.quorum.need(
        rule.quorum.measure.total
    ):
        return np.zeros(len(rule.names))
    veto = {v.index for v in rule.vetoes}
    free: dict[int, int] = {}
    for i in members:
        if i not in veto:
            free[weights[i]] = free.get(weights[i], 0) + 1
    in_veto = [i for i in members if i in veto]
    veto_sum = sum(weights[i] for i in in_veto)
    raw = np.zeros(len(rule.names))
    swings: dict[tuple[int, bool], float] = {}
    for i in members:
        key = (weights[i], i in veto)
        if key not in swings:
            w, is_veto = key
            others = dict(free) if is_veto else {**free, w: free[w] - 1}
            dist = _distribution(others)
            need = quota - veto_sum  # the free members' part, every veto holder in
            if is_veto:  # he swings whenever the coalition passes with him
                low, high = max(need, 0), len(dist)
            else:
                low, high = max(need - w, 0), max(min(need, len(dist)), 0)
            # the other veto holders are all in with probability 1/2 each
            chance = 0.5 ** (len(in_veto) - 1 if is_veto else len(in_veto))
            swings[key] = chance * float(dist[low:high].sum()) if low < high else 0.0
        raw[i] = swings[key]
    return raw


def _distribution(counts: dict[int, int]) -> np.ndarray:
    """P(total = t) when each person joins with probability 1/2, t = 0..sum."""
    from scipy.signal import fftconvolve
    from scipy.stats import binom

    dist = np.ones(1)
    for w, k in sorted(counts.items()):
        if k <= 0 or w <= 0:
            continue
        part = np.zeros(w * k + 1)
        part[::w] = binom.pmf(np.arange(k + 1), k, 0.5)
        big = dist.size > 64
        dist = np.clip(fftconvolve(dist, part), 0.0, None) if big else np.convolve(dist, part)
    return dist


def _enumerated(rule: Rule, members: np.ndarray) -> np.ndarray:
    k = len(members)
    codes = np.arange(2**k)
    inside = ((codes[:, None] >> np.arange(k)) & 1).astype(bool)
    rows = np.zeros((len(codes), len(rule.names)), dtype=bool)
    rows[:, members] = inside
    wins = rule.passes(rows)
    raw = np.zeros(len(rule.names))
    for b, i in enumerate(members):
        with_i = inside[:, b]
        raw[i] = np.count_nonzero(wins[with_i] & ~wins[codes[with_i] ^ (1 << b)])
    return raw


def _sampled(rule: Rule, members: np.ndarray, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    rows = np.zeros((SAMPLES, len(rule.names)), dtype=bool)
    rows[:, members] = rng.random((SAMPLES, len(members))) < 0.5
    raw = np.zeros(len(rule.names))
    for i in members:
        drawn = rows[:, i].copy()
        rows[:, i] = True
        wins = rule.passes(rows)
        rows[:, i] = False
        raw[i] = np.count_nonzero(wins & ~rule.passes(rows))
        rows[:, i] = drawn
    return raw
