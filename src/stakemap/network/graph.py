"""The influence graph: a networkx graph of who influences whom, built once per map.

An edge ``A -> B`` with weight ``w`` means A influences B with strength ``w`` (-5..5; a negative
weight means A's visible support pushes B away), as docs/domain.md describes.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from dataclasses import fields
from typing import TypeVar

import networkx as nx

from stakemap.model import Stakeholder, StakeholderMap

__all__ = ["build_graph", "kept_per_map", "neighbourhood"]

T = TypeVar("T")

_KEPT_MAPS = 4  # maps whose derived values are kept (a map per open tab)


def kept_per_map(compute: Callable[[StakeholderMap], T]) -> Callable[[StakeholderMap], T]:
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


@kept_per_map
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
