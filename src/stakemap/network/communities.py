"""Clusters of people more tied to each other than to the rest (Louvain, Blondel et al. 2008)."""

from __future__ import annotations

import random

from stakemap.model import StakeholderMap
from stakemap.network.graph import build_graph, kept_per_map

__all__ = ["communities"]

_LOUVAIN_SEED = 0


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


@kept_per_map
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
