"""Who matters in the network: reach, strength, brokerage and community, one row a person."""

from __future__ import annotations

import math
from itertools import pairwise

import numpy as np
import pandas as pd
from scipy.sparse import csr_array, diags_array
from scipy.sparse.csgraph import dijkstra

from stakemap.language import N_
from stakemap.model import StakeholderMap
from stakemap.network.communities import communities
from stakemap.network.graph import build_graph
from stakemap.pacing import checkpoint

__all__ = ["METRIC_COLUMNS", "METRIC_EXPLANATIONS", "metrics"]

REACH = N_("Influence reach (PageRank)")
IN_STRENGTH = N_("In-strength")
OUT_STRENGTH = N_("Out-strength")
BROKER = N_("Broker score (betweenness)")
CAMP_BROKER = N_("Camp broker")
COMMUNITY = N_("Community")
NO_TIES = N_("No ties")

#: The columns of :func:`metrics`, after ``Name``, in order.
METRIC_COLUMNS: tuple[str, ...] = (
    REACH,
    IN_STRENGTH,
    OUT_STRENGTH,
    BROKER,
    CAMP_BROKER,
    COMMUNITY,
    NO_TIES,
)

#: What each measure means for coalition building, one sentence a column (marked here,
#: translated where shown).
METRIC_EXPLANATIONS: dict[str, str] = {
    REACH: N_(
        "Share of all influence in the map that flows from this person, directly or through "
        "the people they sway (PageRank along the influence direction): support from a high-reach "
        "person travels, so win them early."
    ),
    IN_STRENGTH: N_(
        "How strongly others sway this person (total strength of the ties pointing at "
        "them, repelling ties counted by size): reach them through those people."
    ),
    OUT_STRENGTH: N_(
        "How strongly this person sways others directly (total strength of their "
        "ties, repelling ties counted by size): a natural messenger."
    ),
    BROKER: N_(
        "How often this person sits on the shortest influence route between two others "
        "(betweenness, a strong tie being a short step): brokers carry an idea between groups, or "
        "stop it. Above 500 people it is estimated from the routes of 300 people picked at random "
        "(the same ones each time)."
    ),
    CAMP_BROKER: N_(
        "Share of the shortest influence routes between supporters and opponents "
        "that run through this person: the bridge for reaching the other camp, and the one who "
        "could carry the opposition's case into yours. Above 500 people it is estimated from the "
        "same 300 people's routes."
    ),
    COMMUNITY: N_(
        "Cluster of people more tied to each other than to the rest (Louvain): an idea "
        "spreads within a cluster before it crosses to the next, so have a voice in each."
    ),
    NO_TIES: N_(
        "Nobody is recorded as influencing this person or being influenced by them: add "
        "the ties you know, or plan to meet them yourself."
    ),
}

# Betweenness is exact up to _EXACT_MAX people; above, it is estimated from _PIVOTS sources.
_EXACT_MAX = 500
_PIVOTS = 300
_PIVOT_SEED = 0
_BATCH_CELLS = 500_000  # sources x ties at once: peak memory +25 MB at 5,000 people (+70 MB
# at 2,000,000 cells), for the same time


def metrics(m: StakeholderMap) -> pd.DataFrame:
    """Who matters in the network: one row a person, in map order, columns in plain words.

    Columns: ``Name`` and :data:`METRIC_COLUMNS`; :data:`METRIC_EXPLANATIONS` says what each
    means for coalition building.

    - Influence reach (PageRank): PageRank (Brin & Page 1998; damping 0.85, power iteration as
      in networkx) on the positive ties reversed, so that a score flows from the influenced to
      their influencers; weighted by strength. Shares sum to 1.
    - In-strength / Out-strength: sums of absolute tie strengths into / out of the person
      (Barrat et al. 2004, "node strength").
    - Broker score (betweenness): Brandes' (2001) betweenness on the positive ties, a tie of
      strength ``w`` being a step of length ``1 / w`` (Opsahl, Agneessens & Skvoretz 2010),
      normalised by ``(n - 1)(n - 2)``. Exact up to 500 people; above, estimated from the
      shortest routes out of 300 people drawn with a fixed seed, scaled by ``n / 300``
      (Brandes & Pich 2007), so the same map always gives the same scores.
    - Camp broker: the share of shortest influence routes, over ordered (supporter, opponent)
      and (opponent, supporter) pairs that have a route, running through the person
      (subset betweenness, Brandes 2008). Supporters have stance > 0, opponents stance < 0.
      Above 500 people, routes and pairs are both counted from the same 300 sampled people.
    - Community: Louvain communities (Blondel et al. 2008; networkx's order of moves and
      seed 0, so the same communities as ``networkx.community.louvain_communities``) of the
      positive ties taken both ways, numbered from 1 by size; empty for people with no ties.
    - No ties: no relationship of any sign to or from the person.

    Repelling ties (negative strength) carry no influence, so only the strengths use them.

    Parameters
    ----------
    m : StakeholderMap

    Returns
    -------
    pandas.DataFrame

    Notes
    -----
    The shortest routes come from scipy's Dijkstra, many sources at once; the route counts
    and Brandes' dependency accumulation then run on all those sources together, distance
    band by distance band. 5,000 people and 25,000 ties take about 0.8 s on two cores.

    References
    ----------
    .. [1] U. Brandes, "A faster algorithm for betweenness centrality", J. Math. Sociol. 25
       (2001); "On variants of shortest-path betweenness centrality", Social Networks 30 (2008).
    .. [2] U. Brandes, C. Pich, "Centrality estimation in large networks", Int. J. Bifurcation
       and Chaos 17 (2007).
    .. [3] T. Opsahl, F. Agneessens, J. Skvoretz, "Node centrality in weighted networks",
       Social Networks 32 (2010).
    .. [4] V. Blondel et al., "Fast unfolding of communities in large networks",
       J. Stat. Mech. (2008).

    Examples
    --------
    >>> from stakemap.model import Relationship, Stakeholder
    >>> m = StakeholderMap(
    ...     (Stakeholder("Ana", stance=2), Stakeholder("Ben"), Stakeholder("Cy", stance=-2)),
    ...     (Relationship("Ana", "Ben", 4), Relationship("Ben", "Cy", 2)),
    ... )
    >>> metrics(m)[["Name", "Out-strength", "Broker score (betweenness)", "Camp broker"]]
      Name  Out-strength  Broker score (betweenness)  Camp broker
    0  Ana           4.0                         0.0          0.0
    1  Ben           2.0                         0.5          1.0
    2   Cy           0.0                         0.0          0.0
    """
    G = build_graph(m)
    names = list(G.nodes)
    n = len(names)
    if not n:
        return pd.DataFrame(columns=["Name", *METRIC_COLUMNS])
    index = {name: i for i, name in enumerate(names)}
    ties = list(G.edges(data="weight"))
    tail = np.fromiter((index[u] for u, _, _ in ties), dtype=np.intp, count=len(ties))
    head = np.fromiter((index[v] for _, v, _ in ties), dtype=np.intp, count=len(ties))
    weight = np.fromiter((w for *_, w in ties), dtype=float, count=len(ties))
    stance = np.fromiter((s for _, s in G.nodes(data="stance")), dtype=float, count=n)
    lonely = np.bincount(tail, minlength=n) + np.bincount(head, minlength=n) == 0
    carries = weight > 0
    positive = (tail[carries], head[carries], weight[carries])
    broker, camp = _brokerage(n, *positive, np.sign(stance))
    return pd.DataFrame(
        {
            "Name": names,
            REACH: _pagerank(n, *positive),
            IN_STRENGTH: np.bincount(head, np.abs(weight), minlength=n),
            OUT_STRENGTH: np.bincount(tail, np.abs(weight), minlength=n),
            BROKER: broker,
            CAMP_BROKER: camp,
            COMMUNITY: pd.array(communities(m), dtype="Int64"),
            NO_TIES: lonely,
        }
    )


def _pagerank(n: int, tail: np.ndarray, head: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """PageRank on the reversed ties, by networkx's power iteration (damping 0.85, uniform
    teleport and dangling share, stop when the L1 change is below ``n * 1e-6``)."""
    damping = 0.85
    pull = csr_array((weight, (head, tail)), shape=(n, n))  # influenced -> influencer
    total = pull.sum(axis=1)
    dangling = total == 0
    step = (diags_array(np.divide(1.0, total, where=~dangling, out=np.zeros(n))) @ pull).T
    x = np.full(n, 1.0 / n)
    for _ in range(100):  # networkx's bound; damping 0.85 converges well before it
        last = x
        x = damping * (step @ x + x[dangling].sum() / n) + (1 - damping) / n
        if np.abs(x - last).sum() < n * 1e-6:
            break
    return x


def _brokerage(
    n: int, tail: np.ndarray, head: np.ndarray, weight: np.ndarray, camp: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Betweenness and camp brokerage from the shortest routes out of every person, or out of
    :data:`_PIVOTS` seeded pivots above :data:`_EXACT_MAX` people (Brandes & Pich 2007).

    A tie of strength ``w`` is a step of ``60 / w`` (whole numbers for whole strengths, so
    equal routes tie exactly; others within a relative 1e-9). ``camp`` is -1, 0 or 1 per
    person. Camp brokerage is a ratio of routes to pairs, both counted from the same sources,
    so the ``n / k`` of the estimate cancels.
    """
    if n > _EXACT_MAX:
        rng = np.random.default_rng(_PIVOT_SEED)
        sources = np.sort(rng.choice(n, _PIVOTS, replace=False))
    else:
        sources = np.arange(n)
    between, crossing, pairs = np.zeros(n), np.zeros(n), 0
    if not len(tail):
        return between, crossing
    length = 60.0 / weight
    graph = csr_array((length, (tail, head)), shape=(n, n))
    batches = min(len(sources), math.ceil(len(sources) * len(tail) / _BATCH_CELLS))
    for batch in np.array_split(sources, batches):
        checkpoint()  # worked out ahead: a page run goes first (stakemap.pacing)
        distance = dijkstra(graph, indices=batch)
        targets = (camp == -camp[batch, None]) & (camp[batch, None] != 0)
        pairs += int(np.count_nonzero(targets & np.isfinite(distance)))
        b, c = _dependencies(distance, batch, tail, head, length, targets)
        between += b
        crossing += c
    scale = n / len(sources) / ((n - 1) * (n - 2)) if n > 2 else 0.0
    return between * scale, crossing / max(1, pairs)


def _dependencies(
    distance: np.ndarray,
    sources: np.ndarray,
    tail: np.ndarray,
    head: np.ndarray,
    length: np.ndarray,
    targets: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Brandes' dependencies of ``sources`` (rows of ``distance``) on everyone, summed over the
    sources: over all targets, and over each source's ``targets`` (its other camp).

    Route counts (sigma) and dependencies (delta) are kept for all sources at once, one flat
    array of ``people x sources``, and updated band by band of distance: a tie is at least
    ``length.min()`` long, so with bands half that wide a tie on a shortest route always
    leaves an earlier band than it enters.
    """
    k, n = distance.shape
    tolerance = 1e-9 * distance[np.isfinite(distance)].max()
    by_person = np.ascontiguousarray(distance.T)  # cell person * k + source, rows gather fast
    gap = by_person[tail]
    gap += length[:, None]
    with np.errstate(invalid="ignore"):  # inf - inf: a tie out of reach, never on a route
        gap -= by_person[head]
        tie, row = np.divmod(np.flatnonzero(np.abs(gap, out=gap) <= tolerance), k)
    if not len(tie):  # none of these sources has a tie out
        return np.zeros(n), np.zeros(n)
    before, after = tail[tie] * k + row, head[tie] * k + row
    band = (by_person.ravel()[after] // (length.min() / 2)).astype(np.intp)
    order = np.argsort(band.astype(np.min_scalar_type(band.max())), kind="stable")  # radix
    before, after, band = before[order], after[order], band[order]
    cuts = np.concatenate(([0], np.flatnonzero(np.diff(band)) + 1, [len(band)]))
    bands = list(pairwise(cuts))
    own = sources * k + np.arange(k)
    sigma = np.zeros(n * k)
    sigma[own] = 1.0
    for lo, hi in bands:
        np.add.at(sigma, after[lo:hi], sigma[before[lo:hi]])
    delta, delta_camp = np.zeros(n * k), np.zeros(n * k)
    wanted = targets.T.ravel().astype(float)
    for lo, hi in reversed(bands):
        v, w = before[lo:hi], after[lo:hi]
        share = sigma[v] / sigma[w]
        np.add.at(delta, v, share * (1.0 + delta[w]))
        np.add.at(delta_camp, v, share * (wanted[w] + delta_camp[w]))
    delta[own] = delta_camp[own] = 0.0
    return delta.reshape(n, k).sum(axis=1), delta_camp.reshape(n, k).sum(axis=1)
