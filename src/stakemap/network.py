"""The influence network: a networkx graph of who influences whom, its metrics and its layout.

An edge ``A -> B`` with weight ``w`` means A influences B with strength ``w`` (-5..5; a negative
weight means A's visible support pushes B away), as in ../shared/COALITIONS.md.
"""

from __future__ import annotations

import functools
import math
import random
import threading
from collections.abc import Callable, Iterable
from dataclasses import fields
from itertools import pairwise
from typing import TypeVar

import networkx as nx
import numpy as np
import pandas as pd
from scipy.sparse import csr_array, diags_array
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial import cKDTree

from stakemap.model import Stakeholder, StakeholderMap

T = TypeVar("T")

__all__ = [
    "METRIC_COLUMNS",
    "METRIC_EXPLANATIONS",
    "build_graph",
    "complete_positions",
    "layout",
    "metrics",
    "neighbourhood",
]

REACH = "Influence reach (PageRank)"
IN_STRENGTH = "In-strength"
OUT_STRENGTH = "Out-strength"
BROKER = "Broker score (betweenness)"
CAMP_BROKER = "Camp broker"
COMMUNITY = "Community"
NO_TIES = "No ties"

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

#: What each measure means for coalition building, one sentence a column.
METRIC_EXPLANATIONS: dict[str, str] = {
    REACH: "Share of all influence in the map that flows from this person, directly or through "
    "the people they sway (PageRank along the influence direction): support from a high-reach "
    "person travels, so win them early.",
    IN_STRENGTH: "How strongly others sway this person (total strength of the ties pointing at "
    "them, repelling ties counted by size): reach them through those people.",
    OUT_STRENGTH: "How strongly this person sways others directly (total strength of their "
    "ties, repelling ties counted by size): a natural messenger.",
    BROKER: "How often this person sits on the shortest influence route between two others "
    "(betweenness, a strong tie being a short step): brokers carry an idea between groups, or "
    "stop it. Above 500 people it is estimated from the routes of 300 people picked at random "
    "(the same ones each time).",
    CAMP_BROKER: "Share of the shortest influence routes between supporters and opponents "
    "that run through this person: the bridge for reaching the other camp, and the one who "
    "could carry the opposition's case into yours. Above 500 people it is estimated from the "
    "same 300 people's routes.",
    COMMUNITY: "Cluster of people more tied to each other than to the rest (Louvain): an idea "
    "spreads within a cluster before it crosses to the next, so have a voice in each.",
    NO_TIES: "Nobody is recorded as influencing this person or being influenced by them: add "
    "the ties you know, or plan to meet them yourself.",
}

# Layout scale in drawing units (vis-network pixels at zoom 1).
_GAP = 110.0  # space between separate groups of people
_ASPECT = 1.6  # width over height a group is widened to, for landscape screens
_KAMADA_KAWAI_MAX = 150  # above this, grid Fruchterman-Reingold (kamada-kawai is O(n^2))
_FR_ITERATIONS = 500
# igraph draws from one global random source: a lock keeps two sessions' layouts apart
_IGRAPH_RANDOM = threading.Lock()
_LOUVAIN_SEED = 0
# Betweenness is exact up to _EXACT_MAX people; above, it is estimated from _PIVOTS sources.
_EXACT_MAX = 500
_PIVOTS = 300
_PIVOT_SEED = 0
_BATCH_CELLS = 500_000  # sources x ties at once: peak memory +25 MB at 5,000 people (+70 MB
# at 2,000,000 cells), for the same time

_KEPT_MAPS = 4  # maps whose derived values are kept (a map per open tab)


def _kept_per_map(compute: Callable[[StakeholderMap], T]) -> Callable[[StakeholderMap], T]:
    """``compute(m)`` kept for the last :data:`_KEPT_MAPS` maps, by identity (maps are
    immutable): the several readers of one page run compute it once. The value must not be
    mutated by its callers."""
    kept: list[tuple[StakeholderMap, T]] = []
    lock = threading.Lock()

    @functools.wraps(compute)
    def cached(m: StakeholderMap) -> T:
        with lock:
            for known, value in kept:
                if known is m:
                    return value
        value = compute(m)
        with lock:
            kept.insert(0, (m, value))
            del kept[_KEPT_MAPS:]
        return value

    return cached


@_kept_per_map
def build_graph(m: StakeholderMap) -> nx.DiGraph:
    """The map's influence graph: one node a person, an edge from influencer to influenced.

    The graph is frozen (:func:`networkx.freeze`) and kept for the last few maps it was built
    for (by identity: maps are immutable), so the several readers of one page run build it once.

    Node attributes are the stakeholder's fields (``role``, ``group``, ``power``, ``stance``,
    ...). Edge attributes: ``weight`` (strength -5..5), ``kinds`` (the relationship kinds that
    produced it) and ``notes``. Several ties between the same ordered pair merge: their
    strengths add up (kept within -5..5). Ties naming someone outside the map, and ties from a
    person to themself, are left out and listed in ``G.graph["ignored"]`` as
    ``(source, target, reason)``; the importer refuses them, this is a second guard.

    Parameters
    ----------
    m : StakeholderMap

    Returns
    -------
    networkx.DiGraph

    Examples
    --------
    >>> from stakemap.model import Relationship, Stakeholder
    >>> m = StakeholderMap(
    ...     (Stakeholder("Ana"), Stakeholder("Ben")),
    ...     (Relationship("Ana", "Ben", 2, "defers to"), Relationship("Ana", "Ana", 1)),
    ... )
    >>> G = build_graph(m)
    >>> list(G.edges(data="weight")), G.graph["ignored"]
    ([('Ben', 'Ana', 2)], [('Ana', 'Ana', 'a person cannot influence themself')])
    >>> build_graph(m) is G, nx.is_frozen(G)
    (True, True)
    """
    G = nx.DiGraph(ignored=[])
    attributes = [f.name for f in fields(Stakeholder)[1:]]
    for person in m.stakeholders:
        G.add_node(person.name, **{a: getattr(person, a) for a in attributes})
    known = set(G)
    for rel in m.relationships:
        for source, target, strength in rel.influence_edges():
            reason = _refusal(known, source, target)
            if reason:
                G.graph["ignored"].append((source, target, reason))
            elif G.has_edge(source, target):
                data = G.edges[source, target]
                data["weight"] = max(-5, min(5, data["weight"] + strength))
                data["kinds"] += (rel.kind,)
                data["notes"] = "; ".join(n for n in (data["notes"], rel.notes) if n)
            else:
                G.add_edge(source, target, weight=strength, kinds=(rel.kind,), notes=rel.notes)
    return nx.freeze(G)


def _refusal(known: set[str], source: str, target: str) -> str:
    if source == target:
        return "a person cannot influence themself"
    for name in (source, target):
        if name not in known:
            return f"{name} is not in the map"
    return ""


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


def communities(m: StakeholderMap) -> list[int | None]:
    """Each person's Louvain community (Blondel et al. 2008) over the positive ties taken both
    ways, in map order: 1 for the largest, then by size and first member; None for someone
    with no tie of any sign (the "Community" measure of :func:`metrics`).

    >>> from stakemap.model import Relationship, Stakeholder
    >>> m = StakeholderMap(
    ...     tuple(Stakeholder(n) for n in "ABCDE"),
    ...     (Relationship("A", "B", 3), Relationship("C", "D", 2), Relationship("D", "C", 2)),
    ... )
    >>> communities(m)
    [1, 1, 2, 2, None]
    """
    return list(_communities(m))


@_kept_per_map
def _communities(m: StakeholderMap) -> tuple[int | None, ...]:
    G = build_graph(m)
    index = {name: i for i, name in enumerate(G.nodes)}
    both: list[dict[int, float]] = [{} for _ in index]
    for u, v, w in G.edges(data="weight"):  # the positive ties taken both ways, strengths added
        if w > 0:
            a, b = index[u], index[v]
            both[a][b] = both[b][a] = both[a].get(b, 0) + w
    groups = _louvain(both)
    groups.sort(key=lambda c: (-len(c), min(c)))
    number: list[int | None] = [None] * len(index)
    for i, group in enumerate(groups, start=1):
        for person in group:
            number[person] = i
    tied = {x for edge in G.edges for x in edge}
    return tuple(number[i] if name in tied else None for name, i in index.items())


def _louvain(adjacency: list[dict[int, float]]) -> list[list[int]]:
    """Louvain communities (Blondel et al. 2008) of an undirected weighted graph on 0..n-1.

    Moves, ties between gains, the seeded visiting order and the stopping rule (modularity
    gain at most 1e-7 between levels) follow ``networkx.community.louvain_communities`` with
    ``seed=0``, so the communities are the same; plain lists make it several times faster.
    """
    members = [[u] for u in range(len(adjacency))]
    graph = _aggregate(adjacency, members)  # networkx works on a copy: its neighbour order
    total = sum(_degrees(graph)) / 2
    if not total:
        return members
    rng = random.Random(_LOUVAIN_SEED)
    quality = _modularity(graph, members, total)
    community, moved = _one_level(graph, total, rng)
    while True:
        groups: dict[int, list[int]] = {}
        for node, c in enumerate(community):
            groups.setdefault(c, []).append(node)
        inner = [groups[c] for c in sorted(groups)]
        members = [[p for node in group for p in members[node]] for group in inner]
        new_quality = _modularity(graph, inner, total)
        if new_quality - quality <= 1e-7:
            return members
        quality = new_quality
        graph = _aggregate(graph, inner)
        community, moved = _one_level(graph, total, rng)
        if not moved:
            return members


def _one_level(
    graph: list[dict[int, float]], total: float, rng: random.Random
) -> tuple[list[int], bool]:
    """Louvain's first phase: move nodes to the neighbouring community of best modularity
    gain, in a shuffled order, until no move helps; networkx's arithmetic, step by step."""
    degree = _degrees(graph)
    tot = degree.copy()
    near = [
        {v: w for v, w in adj.items() if v != u} if u in adj else adj for u, adj in enumerate(graph)
    ]
    community = list(range(len(graph)))
    order = list(range(len(graph)))
    rng.shuffle(order)
    spread = 2 * total**2
    moved, moves = False, 1
    while moves:
        moves = 0
        for u in order:
            best, best_gain, d = community[u], 0, degree[u]
            to: dict[int, float] = {}
            for v, w in near[u].items():
                c = community[v]
                to[c] = to.get(c, 0.0) + w
            tot[best] -= d
            remove = -to.setdefault(best, 0.0) / total + (tot[best] * d) / spread
            for c, w in to.items():
                gain = remove + w / total - (tot[c] * d) / spread
                if gain > best_gain:
                    best_gain, best = gain, c
            tot[best] += d
            if best != community[u]:
                community[u] = best
                moves += 1
                moved = True
    return community, moved


def _degrees(graph: list[dict[int, float]]) -> list[float]:
    """Weighted degrees, a self-loop counted twice (networkx's convention)."""
    return [sum(adj.values()) + adj.get(u, 0) for u, adj in enumerate(graph)]


def _aggregate(graph: list[dict[int, float]], groups: list[list[int]]) -> list[dict[int, float]]:
    """Louvain's second phase: one node a group, edge weights summed (inner ones a self-loop),
    edges visited in networkx's order so that neighbour orders match its graphs."""
    group_of = [0] * len(graph)
    for i, group in enumerate(groups):
        for node in group:
            group_of[node] = i
    merged: list[dict[int, float]] = [{} for _ in groups]
    seen: set[int] = set()
    for u, adj in enumerate(graph):
        for v, w in adj.items():
            if v not in seen:
                a, b = group_of[u], group_of[v]
                merged[a][b] = merged[b][a] = w + merged[a].get(b, 0)
        seen.add(u)
    return merged


def _modularity(graph: list[dict[int, float]], groups: list[list[int]], total: float) -> float:
    """Newman's modularity of ``groups`` (Newman & Girvan 2004), resolution 1."""
    degree = _degrees(graph)
    score = 0.0
    for group in groups:
        inside = set(group)
        links = sum(w for u in group for v, w in graph[u].items() if v in inside and v != u)
        loops = sum(graph[u].get(u, 0) for u in group)
        spread = sum(degree[u] for u in group)
        score += (links / 2 + loops) / total - (spread / (2 * total)) ** 2
    return score


def neighbourhood(m: StakeholderMap, name: str, depth: int = 1) -> dict[str, int]:
    """People within ``depth`` ties of ``name`` (either direction, any sign) and their distance.

    >>> from stakemap.model import Relationship, Stakeholder
    >>> m = StakeholderMap(
    ...     tuple(Stakeholder(n) for n in "ABCD"),
    ...     (Relationship("A", "B"), Relationship("C", "B"), Relationship("C", "D")),
    ... )
    >>> neighbourhood(m, "A", 2)
    {'A': 0, 'B': 1, 'C': 2}
    """
    G = build_graph(m)
    if name not in G:
        return {}
    return dict(nx.single_source_shortest_path_length(G.to_undirected(as_view=True), name, depth))


def layout(m: StakeholderMap, seed: int = 0) -> dict[str, tuple[float, float]]:
    """Fresh positions for everyone, in drawing units (vis-network pixels at zoom 1).

    Each group of connected people is laid out on its own, with Kamada-Kawai (1989) up to
    150 people and, above, Fruchterman & Reingold (1991) with grid-approximated repulsion
    (igraph's C implementation, seeded: 2,000 people in about 0.3 s where networkx's spring
    layout took 13-23 s), ties of any sign pulling alike. Each group
    is turned so its long axis lies horizontal (principal axes), widened to about 1.6:1 for
    landscape screens and scaled so the median distance to the nearest person is 160 in small
    groups, down to 110 from 40 people. The groups are then packed in rows, largest first,
    people with no ties last, so none overlap.

    Parameters
    ----------
    m : StakeholderMap
    seed : int
        Seed of the spring layout; the same map and seed give the same positions.

    Returns
    -------
    dict
        ``name -> (x, y)``, y pointing down as on screen.

    Examples
    --------
    >>> from stakemap.model import Relationship, Stakeholder
    >>> m = StakeholderMap(
    ...     tuple(Stakeholder(n) for n in "ABC"), (Relationship("A", "B"),)
    ... )
    >>> pos = layout(m)
    >>> sorted(pos) == ["A", "B", "C"] and round(math.dist(pos["A"], pos["B"]))
    160
    """
    G = build_graph(m)
    names = list(G)
    index = {n: i for i, n in enumerate(names)}
    pairs = np.array([(index[a], index[b]) for a, b in G.edges()], dtype=np.int64)
    pairs = np.unique(np.sort(pairs.reshape(-1, 2), axis=1), axis=0)  # each tie once, undirected
    blocks = [
        _component_layout([names[i] for i in people], ties, seed)
        for people, ties in _components(len(names), pairs)
    ]
    packed = _pack(blocks)
    return {n: packed[n] for n in names}


def _components(n: int, pairs: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """The connected groups of ``n`` people tied by ``pairs`` (index pairs): each group's
    people (indices in map order) and its ties renumbered within the group; largest group
    first, then by the first person's place in the map.

    >>> [(p.tolist(), t.tolist()) for p, t in _components(4, np.array([[2, 3]]))]
    [([2, 3], [[0, 1]]), ([0], []), ([1], [])]
    """
    adjacency = csr_array((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    count, label = connected_components(adjacency, directed=False)
    by_label = np.argsort(label, kind="stable")  # people grouped, map order within a group
    people = np.split(by_label, np.cumsum(np.bincount(label, minlength=count))[:-1])
    local = np.empty(n, dtype=np.int64)
    for group in people:
        local[group] = np.arange(len(group))
    tie_label = label[pairs[:, 0]]
    by_tie = np.argsort(tie_label, kind="stable")
    ties = np.split(pairs[by_tie], np.cumsum(np.bincount(tie_label, minlength=count))[:-1])
    groups = sorted(range(count), key=lambda c: (-len(people[c]), people[c][0]))
    return [(people[c], local[ties[c]].reshape(-1, 2)) for c in groups]


def _spacing(people: int) -> float:
    """Typical distance from a person to the nearest other: roomy for small maps, where long
    labels need it, 110 from 40 people up (where zooming in is the way to read labels).

    >>> _spacing(5), _spacing(25), _spacing(1000)
    (160.0, 135.0, 110.0)
    """
    return 160.0 - 50.0 * min(1.0, max(0.0, (people - 10) / 30))


def _component_layout(
    names: list[str], ties: np.ndarray, seed: int
) -> dict[str, tuple[float, float]]:
    """One connected group (``ties`` index ``names``) laid out around (0, 0), landscape,
    people :func:`_spacing` apart."""
    n = len(names)
    if n == 1:
        return {names[0]: (0.0, 0.0)}
    if n <= _KAMADA_KAWAI_MAX:
        H = nx.Graph()
        H.add_nodes_from(range(n))
        H.add_edges_from(ties.tolist())
        raw = nx.kamada_kawai_layout(H, weight=None)
        xy = np.array([raw[k] for k in range(n)], dtype=float)
    else:
        xy = _grid_fruchterman_reingold(n, ties, seed)
    xy -= xy.mean(axis=0)
    # Turn the long axis horizontal (principal axes) and widen to screen proportions.
    _, spread, axes = np.linalg.svd(xy, full_matrices=False)
    xy = xy @ axes.T
    if spread[1] > 0:
        xy[:, 0] *= max(1.0, _ASPECT * spread[1] / spread[0])
    xy *= _spacing(n) / _typical_nearest(xy)
    return {k: (float(x), float(y)) for k, (x, y) in zip(names, xy, strict=True)}


def _grid_fruchterman_reingold(n: int, ties: np.ndarray, seed: int) -> np.ndarray:
    """Positions of ``n`` people tied by ``ties`` (index pairs) by igraph's Fruchterman-Reingold
    with grid repulsion, O(n) an iteration; the same graph and seed give the same positions."""
    import igraph

    graph = igraph.Graph(n, ties.tolist())
    with _IGRAPH_RANDOM:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            coords = graph.layout_fruchterman_reingold(niter=_FR_ITERATIONS, grid=True).coords
        finally:
            igraph.set_random_number_generator(random)
    return np.array(coords, dtype=float)


def _typical_nearest(xy: np.ndarray) -> float:
    """Median distance from a person to the nearest other (a k-d tree query)."""
    distances, _ = cKDTree(xy).query(xy, k=2)
    return float(np.median(distances[:, 1])) or 1.0


def _pack(blocks: list[dict[str, tuple[float, float]]]) -> dict[str, tuple[float, float]]:
    """Shelf packing: blocks left to right in rows about as wide as the whole is tall."""
    boxes = [_bbox(b.values()) for b in blocks]
    area = sum((x1 - x0 + _GAP) * (y1 - y0 + _GAP) for x0, y0, x1, y1 in boxes)
    width = max([math.sqrt(area) * 1.3] + [x1 - x0 for x0, _, x1, _ in boxes])
    placed: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for block, (x0, y0, x1, y1) in zip(blocks, boxes, strict=True):
        if x > 0 and x + (x1 - x0) > width:
            x, y, row_height = 0.0, y + row_height + _GAP, 0.0
        for name, (px, py) in block.items():
            placed[name] = (round(px - x0 + x, 1), round(py - y0 + y, 1))
        x += x1 - x0 + _GAP
        row_height = max(row_height, y1 - y0)
    cx, cy = (sum(p[i] for p in placed.values()) / max(1, len(placed)) for i in (0, 1))
    return {k: (round(px - cx, 1), round(py - cy, 1)) for k, (px, py) in placed.items()}


def _bbox(points: Iterable[tuple[float, float]]) -> tuple[float, float, float, float]:
    xs, ys = zip(*points, strict=True)
    return min(xs), min(ys), max(xs), max(ys)


def complete_positions(
    m: StakeholderMap,
    stored: dict[str, tuple[float, float]] | None = None,
    *,
    seed: int = 0,
) -> dict[str, tuple[float, float]]:
    """Stored positions kept as they are, with a place for everyone not yet placed.

    With nothing stored for anyone, this is :func:`layout`. Otherwise, a new person goes
    next to the people they are tied to (at the mean of their placed neighbours, nudged
    aside on a golden-angle spiral so two newcomers do not overlap); a new person with no
    placed neighbour goes on a row under the drawing. Stored positions of people no longer
    in the map are dropped.

    Parameters
    ----------
    m : StakeholderMap
    stored : dict, optional
        ``name -> (x, y)``; defaults to ``m.positions``.
    seed : int
        Passed to :func:`layout` when nothing is stored.

    Examples
    --------
    >>> from stakemap.model import Relationship, Stakeholder
    >>> m = StakeholderMap(
    ...     tuple(Stakeholder(n) for n in "ABC"),
    ...     (Relationship("A", "C"),),
    ...     positions={"A": (0.0, 0.0), "B": (500.0, 0.0), "Gone": (9.0, 9.0)},
    ... )
    >>> pos = complete_positions(m)
    >>> pos["A"], pos["B"], round(math.dist(pos["A"], pos["C"]))
    ((0.0, 0.0), (500.0, 0.0), 160)
    """
    stored = m.positions if stored is None else stored
    placed = {n: (float(stored[n][0]), float(stored[n][1])) for n in m.names if n in stored}
    if not placed:
        return layout(m, seed=seed)
    missing = [n for n in m.names if n not in placed]
    if not missing:
        return placed
    U = build_graph(m).to_undirected(as_view=True)
    left, _, _, bottom = _bbox(placed.values())
    step = _spacing(len(m.stakeholders))
    # Rounds, so that a newcomer tied only to another newcomer still lands beside them.
    while missing:
        ready = [n for n in missing if any(k in placed for k in U.neighbors(n))]
        if not ready:
            break
        for name in ready:
            near = [placed[k] for k in U.neighbors(name) if k in placed]
            angle = len(placed) * 2.399963  # the golden angle, in radians
            cx, cy = (sum(p[i] for p in near) / len(near) for i in (0, 1))
            placed[name] = (
                round(cx + step * math.cos(angle), 1),
                round(cy + step * math.sin(angle), 1),
            )
        missing = [n for n in missing if n not in placed]
    for i, name in enumerate(missing):
        placed[name] = (round(left + i * step, 1), round(bottom + _GAP + step, 1))
    return {n: placed[n] for n in m.names}
