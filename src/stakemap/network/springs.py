"""Fruchterman & Reingold's spring layout (1991) with grid repulsion, by igraph's C code.

A module of its own, importing numpy and igraph alone: the server runs it in a worker process
(:mod:`stakemap.apart`), which starts in 0.2 s with these two, 0.8 s with the layout module's
networkx and scipy.
"""

from __future__ import annotations

import random
import threading

import numpy as np

__all__ = ["grid_fruchterman_reingold"]

_ITERATIONS = 500
# igraph draws from one global random source: a lock keeps two sessions' layouts apart
_IGRAPH_RANDOM = threading.Lock()


def grid_fruchterman_reingold(n: int, ties: np.ndarray, seed: int) -> np.ndarray:
    """Positions of ``n`` people tied by ``ties`` (index pairs), O(n) an iteration (repulsion
    from the people in nearby grid cells only); the same graph and seed give the same positions.

    >>> xy = grid_fruchterman_reingold(3, np.array([[0, 1], [1, 2]]), seed=0)
    >>> xy.shape, bool((xy == grid_fruchterman_reingold(3, np.array([[0, 1], [1, 2]]), 0)).all())
    ((3, 2), True)
    """
    import igraph

    graph = igraph.Graph(n, ties.tolist())
    with _IGRAPH_RANDOM:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            coords = graph.layout_fruchterman_reingold(niter=_ITERATIONS, grid=True).coords
        finally:
            igraph.set_random_number_generator(random)
    return np.array(coords, dtype=float)
