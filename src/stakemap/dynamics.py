"""What-if prediction of stances (Friedkin-Johnsen) and pivotal power (Banzhaf) on a map."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from scipy import sparse
from scipy.signal import fftconvolve
from scipy.stats import binom

from stakemap.model import StakeholderMap

__all__ = ["pivotal_power", "simulate"]

_TOL = 1e-10
_MAX_ITER = 10_000


def simulate(m: StakeholderMap, overrides: Mapping[str, int] = {}) -> dict[str, float]:
    """Predicted stance of everyone, in [-2, 2], after opinions settle on the influence graph.

    Friedkin-Johnsen dynamics (Friedkin and Johnsen 1990; DeGroot with stubbornness):
    ``x = Lambda W x + (I - Lambda) u``, with ``u`` the stances (after ``overrides``), ``W``
    the signed influence weights normalised per row so the absolute values sum to one, and
    ``Lambda`` each person's susceptibility, solved by fixed-point iteration on sparse matrices.

    Design of the susceptibility ``lambda_i``:

    * anchored (``lambda = 0``, keeps ``u``): firm stances (``|stance| = 2``, active allies and
      active opponents) and everyone in ``overrides`` ("if Tess comes over");
    * others: ``lambda_i = A_i / (A_i + power_i)``, where ``A_i`` is the total absolute strength
      of the ties on ``i``; their own power is the self-weight, as in the planner's cascade.

    Passive people (``|stance| = 1``, passive allies and passive opposition on the spectrum of
    allies) hold their view but carry it to nobody: their outgoing ties carry no weight. Overriding
    a passive ally to +2 is the what-if "she is met and becomes active". A negative tie pulls the
    person toward the opposite of the influencer's opinion. Since the absolute row weights sum to
    at most one and every ``lambda < 1``, the map is a contraction and the result stays in [-2, 2].

    Parameters
    ----------
    m : StakeholderMap
    overrides : mapping of name to stance
        Stances to set (and anchor) before predicting; unknown names are ignored.

    Returns
    -------
    dict
        Name -> predicted stance, in map order.

    Examples
    --------
    >>> from stakemap.model import Relationship, Stakeholder
    >>> m = StakeholderMap((Stakeholder("Ana", stance=1), Stakeholder("Ben", power=3)),
    ...                    (Relationship("Ana", "Ben", 3),))
    >>> simulate(m)["Ben"], round(simulate(m, {"Ana": 2})["Ben"], 2)
    (0.0, 1.0)
    """
    people = m.stakeholders
    index = {s.name: k for k, s in enumerate(people)}
    n = len(people)
    u = np.array([float(s.stance) for s in people])
    anchored = np.abs(u) >= 2
    for name, stance in overrides.items():
        if name in index:
            u[index[name]] = max(-2.0, min(2.0, float(stance)))
            anchored[index[name]] = True
    rows, cols, vals = [], [], []
    for src, dst, strength in m.influence_edges():
        if src in index and dst in index and src != dst and strength and abs(u[index[src]]) != 1:
            rows.append(index[dst])
            cols.append(index[src])
            vals.append(float(strength))
    w = sparse.csr_matrix((vals, (rows, cols)), shape=(n, n))
    w.sum_duplicates()
    absolute = np.asarray(abs(w).sum(axis=1)).ravel()
    power = np.array([max(float(s.power), 1e-9) for s in people])
    lam = np.where(anchored, 0.0, absolute / (absolute + power))
    scale = np.divide(lam, absolute, out=np.zeros(n), where=absolute > 0)
    step = sparse.diags(scale) @ w
    base = (1.0 - lam) * u
    x = u.copy()
    for _ in range(_MAX_ITER):
        nxt = step @ x + base
        if np.max(np.abs(nxt - x), initial=0.0) < _TOL:
            x = nxt
            break
        x = nxt
    x = np.clip(x, -2.0, 2.0)
    return {s.name: float(x[k]) for k, s in enumerate(people)}


def pivotal_power(m: StakeholderMap, pass_share: float | None = None) -> dict[str, float]:
    """Normalised Banzhaf index of each person in the weighted vote "supporters hold at least
    ``pass_share`` of total power" (veto and isolation, which depend on the network, left out).

    A person is pivotal for a coalition of the others when it falls short of the quota without
    them and reaches it with them (Banzhaf 1965; Penrose 1946). Swings are counted by a pseudo-
    polynomial dynamic programme over integer weights: powers are scaled by the smallest of 1, 2,
    4 or 10 that makes them integers (else 10, rounded); people of equal weight share one index,
    so each distinct weight is one convolution of binomial weight distributions. The raw index is
    the probability of a swing when everyone else votes independently at one half; the returned
    shares are normalised to sum to one (all zero if nobody can swing).

    >>> from stakemap.model import Stakeholder
    >>> people = (Stakeholder("A", power=3), Stakeholder("B", power=2), Stakeholder("C", power=1))
    >>> m = StakeholderMap(people)
    >>> {k: round(v, 3) for k, v in pivotal_power(m, 0.5).items()}
    {'A': 0.6, 'B': 0.2, 'C': 0.2}
    """
    people = m.stakeholders
    if not people:
        return {}
    share = m.proposal.pass_share if pass_share is None else pass_share
    weights = _integer_weights([float(s.power) for s in people])
    quota = math.ceil(share * sum(weights) - 1e-9)
    counts: dict[int, int] = {}
    for wt in weights:
        counts[wt] = counts.get(wt, 0) + 1
    swing: dict[int, float] = {}
    for wt in counts:
        others = {**counts, wt: counts[wt] - 1}
        dist = _weight_distribution(others)
        low, high = max(quota - wt, 0), min(quota, len(dist))
        swing[wt] = float(dist[low:high].sum()) if wt > 0 else 0.0
    raw = [swing[wt] for wt in weights]
    total = sum(raw)
    return {s.name: (r / total if total > 0 else 0.0) for s, r in zip(people, raw, strict=True)}


def _integer_weights(powers: list[float]) -> list[int]:
    for scale in (1, 2, 4, 10):
        if all(abs(p * scale - round(p * scale)) < 1e-9 for p in powers):
            return [max(0, round(p * scale)) for p in powers]
    return [max(0, round(p * 10)) for p in powers]


def _weight_distribution(counts: dict[int, int]) -> np.ndarray:
    """P(total weight = t) when each person votes yes with probability 1/2, for t = 0..sum."""
    dist = np.ones(1)
    for wt, k in sorted(counts.items()):
        if k == 0 or wt == 0:
            continue
        part = np.zeros(wt * k + 1)
        part[::wt] = binom.pmf(np.arange(k + 1), k, 0.5)
        dist = (
            np.clip(fftconvolve(dist, part), 0.0, None)
            if dist.size > 64
            else np.convolve(dist, part)
        )
    return dist
