"""The influence network: a networkx graph of who influences whom, its metrics and its layout.

An edge ``A -> B`` with weight ``w`` means A influences B with strength ``w`` (-5..5; a negative
weight means A's visible support pushes B away), as in ../shared/COALITIONS.md.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable
from dataclasses import fields

import networkx as nx
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from stakemap.model import StakeholderMap

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
    "stop it.",
    CAMP_BROKER: "Share of the shortest influence routes between supporters and opponents "
    "that run through this person: the bridge for reaching the other camp, and the one who "
    "could carry the opposition's case into yours.",
    COMMUNITY: "Cluster of people more tied to each other than to the rest (Louvain): an idea "
    "spreads within a cluster before it crosses to the next, so have a voice in each.",
    NO_TIES: "Nobody is recorded as influencing this person or being influenced by them: add "
    "the ties you know, or plan to meet them yourself.",
}

# Layout scale in drawing units (vis-network pixels at zoom 1).
_GAP = 110.0  # space between separate groups of people
_ASPECT = 1.6  # width over height a group is widened to, for landscape screens
_KAMADA_KAWAI_MAX = 150  # above this, the spring layout is used (kamada-kawai is O(n^2))
_LOUVAIN_SEED = 0


def build_graph(m: StakeholderMap) -> nx.DiGraph:
    """The map's influence graph: one node a person, an edge from influencer to influenced.

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
    """
    G = nx.DiGraph(ignored=[])
    for person in m.stakeholders:
        G.add_node(person.name, **{f.name: getattr(person, f.name) for f in fields(person)[1:]})
    for rel in m.relationships:
        for source, target, strength in rel.influence_edges():
            reason = _refusal(G, source, target)
            if reason:
                G.graph["ignored"].append((source, target, reason))
            elif G.has_edge(source, target):
                data = G.edges[source, target]
                data["weight"] = max(-5, min(5, data["weight"] + strength))
                data["kinds"] += (rel.kind,)
                data["notes"] = "; ".join(n for n in (data["notes"], rel.notes) if n)
            else:
                G.add_edge(source, target, weight=strength, kinds=(rel.kind,), notes=rel.notes)
    return G


def _refusal(G: nx.DiGraph, source: str, target: str) -> str:
    if source == target:
        return "a person cannot influence themself"
    missing = [name for name in (source, target) if name not in G]
    if missing:
        return f"{missing[0]} is not in the map"
    return ""


def _positive(G: nx.DiGraph) -> nx.DiGraph:
    """Influence-carrying ties only (weight > 0)."""
    H = nx.DiGraph()
    H.add_nodes_from(G.nodes)
    H.add_weighted_edges_from((u, v, w) for u, v, w in G.edges(data="weight") if w > 0)
    return H


def metrics(m: StakeholderMap) -> pd.DataFrame:
    """Who matters in the network: one row a person, in map order, columns in plain words.

    Columns: ``Name`` and :data:`METRIC_COLUMNS`; :data:`METRIC_EXPLANATIONS` says what each
    means for coalition building.

    - Influence reach (PageRank): PageRank (Brin & Page 1998; damping 0.85) on the positive
      ties reversed, so that a score flows from the influenced to their influencers; weighted
      by strength. Shares sum to 1.
    - In-strength / Out-strength: sums of absolute tie strengths into / out of the person
      (Barrat et al. 2004, "node strength").
    - Broker score (betweenness): Brandes' (2001) betweenness on the positive ties, a tie of
      strength ``w`` being a step of length ``1 / w`` (Opsahl, Agneessens & Skvoretz 2010),
      normalised by ``(n - 1)(n - 2)``.
    - Camp broker: the share of shortest influence routes, over ordered (supporter, opponent)
      and (opponent, supporter) pairs that have a route, running through the person
      (subset betweenness, Brandes 2008). Supporters have stance > 0, opponents stance < 0.
    - Community: Louvain communities (Blondel et al. 2008, fixed seed) of the positive ties
      taken both ways, numbered from 1 by size; empty for people with no ties.
    - No ties: no relationship of any sign to or from the person.

    Repelling ties (negative strength) carry no influence, so only the strengths use them.

    Parameters
    ----------
    m : StakeholderMap

    Returns
    -------
    pandas.DataFrame

    References
    ----------
    .. [1] U. Brandes, "A faster algorithm for betweenness centrality", J. Math. Sociol. 25
       (2001); "On variants of shortest-path betweenness centrality", Social Networks 30 (2008).
    .. [2] T. Opsahl, F. Agneessens, J. Skvoretz, "Node centrality in weighted networks",
       Social Networks 32 (2010).
    .. [3] V. Blondel et al., "Fast unfolding of communities in large networks",
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
    if not names:
        return pd.DataFrame(columns=["Name", *METRIC_COLUMNS])
    P = _positive(G)
    reach = nx.pagerank(P.reverse(copy=False), weight="weight")
    broker, camp = _brokerage(G, P)
    return pd.DataFrame(
        {
            "Name": names,
            REACH: [reach[n] for n in names],
            IN_STRENGTH: [float(sum(abs(w) for *_, w in G.in_edges(n, "weight"))) for n in names],
            OUT_STRENGTH: [float(sum(abs(w) for *_, w in G.out_edges(n, "weight"))) for n in names],
            BROKER: [broker[n] for n in names],
            CAMP_BROKER: [camp[n] for n in names],
            COMMUNITY: pd.array(_communities(G, P), dtype="Int64"),
            NO_TIES: [G.degree(n) == 0 for n in names],
        }
    )


def _brokerage(G: nx.DiGraph, P: nx.DiGraph) -> tuple[dict[str, float], dict[str, float]]:
    """Betweenness and camp brokerage in one pass of Brandes' algorithm over ``P``.

    One Dijkstra from every person (step length ``60 / weight``, exact for whole strengths),
    then two dependency accumulations: over all targets (betweenness, Brandes 2001) and over
    the targets in the other camp (subset betweenness, Brandes 2008).
    """
    camp_of = {n: (s > 0) - (s < 0) for n, s in G.nodes(data="stance")}
    between = dict.fromkeys(P, 0.0)
    camp = dict.fromkeys(P, 0.0)
    pairs = 0
    for source in P:
        order, preds, sigma = _shortest_paths(P, source)
        other = -camp_of[source]
        if other:
            pairs += sum(1 for t in order if camp_of[t] == other)
        delta = dict.fromkeys(order, 0.0)
        delta_camp = dict.fromkeys(order, 0.0)
        for w in reversed(order):
            share = (1.0 + delta[w]) / sigma[w]
            share_camp = ((other != 0 and camp_of[w] == other) + delta_camp[w]) / sigma[w]
            for v in preds[w]:
                delta[v] += sigma[v] * share
                delta_camp[v] += sigma[v] * share_camp
            if w != source:
                between[w] += delta[w]
                camp[w] += delta_camp[w]
    n = len(P)
    scale = 1.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0
    return (
        {v: b * scale for v, b in between.items()},
        {v: c / pairs if pairs else 0.0 for v, c in camp.items()},
    )


def _shortest_paths(
    P: nx.DiGraph, source: str
) -> tuple[list[str], dict[str, list[str]], dict[str, float]]:
    """Dijkstra from ``source``: people by distance, shortest-path predecessors and counts."""
    order: list[str] = []
    preds: dict[str, list[str]] = {source: []}
    sigma: dict[str, float] = {source: 1.0}
    done: set[str] = set()
    best = {source: 0.0}
    heap = [(0.0, 0, source)]
    tie = 1
    while heap:
        dist, _, v = heapq.heappop(heap)
        if v in done:
            continue
        done.add(v)
        order.append(v)
        for w, step in P.succ[v].items():
            length = dist + 60.0 / step["weight"]
            if w not in best or length < best[w]:
                best[w] = length
                sigma[w] = sigma[v]
                preds[w] = [v]
                heapq.heappush(heap, (length, tie, w))
                tie += 1
            elif length == best[w] and w not in done:
                sigma[w] += sigma[v]
                preds[w].append(v)
    return order, preds, sigma


def _communities(G: nx.DiGraph, P: nx.DiGraph) -> list[int | None]:
    """Louvain community number (1 = largest) for each node in order; None without ties."""
    U = nx.Graph()
    U.add_nodes_from(P.nodes)
    for u, v, w in P.edges(data="weight"):
        previous = U.edges[u, v]["weight"] if U.has_edge(u, v) else 0
        U.add_edge(u, v, weight=previous + w)
    order = {n: i for i, n in enumerate(G.nodes)}
    groups = nx.community.louvain_communities(U, weight="weight", seed=_LOUVAIN_SEED)
    groups.sort(key=lambda c: (-len(c), min(order[n] for n in c)))
    number = {n: i for i, group in enumerate(groups, start=1) for n in group}
    return [None if G.degree(n) == 0 else number[n] for n in G.nodes]


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
    150 people and the seeded spring layout of networkx above (Fruchterman & Reingold 1991;
    networkx's energy method with scipy above 500), ties of any sign pulling alike. Each group
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
    U = nx.Graph(build_graph(m).to_undirected(as_view=True))
    order = {n: i for i, n in enumerate(U.nodes)}
    components = sorted(
        (sorted(c, key=order.__getitem__) for c in nx.connected_components(U)),
        key=lambda c: (-len(c), order[c[0]]),
    )
    packed = _pack([_component_layout(U.subgraph(c).copy(), seed) for c in components])
    return {n: packed[n] for n in U}


def _spacing(people: int) -> float:
    """Typical distance from a person to the nearest other: roomy for small maps, where long
    labels need it, 110 from 40 people up (where zooming in is the way to read labels).

    >>> _spacing(5), _spacing(25), _spacing(1000)
    (160.0, 135.0, 110.0)
    """
    return 160.0 - 50.0 * min(1.0, max(0.0, (people - 10) / 30))


def _component_layout(H: nx.Graph, seed: int) -> dict[str, tuple[float, float]]:
    """One connected group laid out around (0, 0), landscape, people :func:`_spacing` apart."""
    n = len(H)
    if n == 1:
        return {next(iter(H)): (0.0, 0.0)}
    if n <= _KAMADA_KAWAI_MAX:
        raw = nx.kamada_kawai_layout(H, weight=None)
    else:
        raw = nx.spring_layout(H, seed=seed, weight=None)
    xy = np.array([raw[k] for k in H], dtype=float)
    xy -= xy.mean(axis=0)
    # Turn the long axis horizontal (principal axes) and widen to screen proportions.
    _, spread, axes = np.linalg.svd(xy, full_matrices=False)
    xy = xy @ axes.T
    if spread[1] > 0:
        xy[:, 0] *= max(1.0, _ASPECT * spread[1] / spread[0])
    xy *= _spacing(n) / _typical_nearest(xy)
    return {k: (float(x), float(y)) for k, (x, y) in zip(H, xy, strict=True)}


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
