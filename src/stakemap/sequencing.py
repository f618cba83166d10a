"""Choosing the next step over the threshold cascade: lazy (CELF) and plain greedy, with R3.

Both pickers return the same steps: the candidate of highest positive value per effort (R2),
preceded by anyone it defers to who can be won now (R3). The lazy picker (Leskovec et al.
2007, "Cost-effective outbreak detection in networks") keeps each candidate's last value as an
upper bound and re-evaluates only the top of a heap; the plain greedy re-evaluates everyone at
every step and is kept as the reference for tests and benchmarks. The value is concave in
positive influence, so a cached value can only be too low where a repelling tie is involved;
those candidates are refreshed when it changes, which keeps the two pickers in step.
"""

from __future__ import annotations

import heapq

from stakemap.cascade import State

__all__ = ["GreedyPicker", "LazyPicker", "after_deference", "value"]


class GreedyPicker:
    """Plain greedy: every step re-evaluates every feasible candidate."""

    def __init__(self, state: State) -> None:
        self.state = state
        self.candidates = {i for i in range(len(state.model.names)) if state.feasible(i)}

    def next(self, step: int) -> tuple[int, int | None] | None:
        """Win the next person at ``step + 1``: (them, whom they came first for), or None."""
        st = self.state
        self.candidates = {i for i in self.candidates if st.feasible(i)}
        scored = [(-value(st, i), i) for i in self.candidates]
        best = min((key for key in scored if key[0] < 0), default=None)
        if best is None:
            return None
        j, waiting = after_deference(st, best[1])
        for i in st.activate(j, step + 1):
            if st.feasible(i):
                self.candidates.add(i)
        return j, waiting


class LazyPicker:
    """CELF: cached values are upper bounds, refreshed only when they reach the top of the heap;
    winning someone updates only their neighbourhood (incremental cascade).

    >>> from stakemap.cascade import compile_model
    >>> from stakemap.samples import new_programme
    >>> model = compile_model(new_programme())
    >>> pick = LazyPicker(model.initial_state())
    >>> [model.names[pick.next(k)[0]] for k in range(3)]
    ['Omar Haddad', 'Priya Nair', 'Rosa Mendes']
    """

    def __init__(self, state: State) -> None:
        self.state = state
        self.heap: list[tuple[float, int, int, int]] = []
        self.version: dict[int, int] = {}
        self.queued: set[int] = set()
        for i in range(len(state.model.names)):
            if state.feasible(i):
                self._push(i, 0)

    def _push(self, i: int, stamp: int) -> None:
        self.version[i] = self.version.get(i, 0) + 1
        self.queued.add(i)
        heapq.heappush(self.heap, (-value(self.state, i), i, stamp, self.version[i]))

    def _top(self, step: int) -> int | None:
        while self.heap:
            neg, i, stamp, version = self.heap[0]
            if version != self.version[i] or not self.state.feasible(i):
                heapq.heappop(self.heap)
                if version == self.version[i]:
                    self.queued.discard(i)
            elif stamp != step:
                heapq.heappop(self.heap)
                self._push(i, step)
            else:
                return i if neg < 0 else None
        return None

    def next(self, step: int) -> tuple[int, int | None] | None:
        """Win the next person at ``step + 1``: (them, whom they came first for), or None."""
        top = self._top(step)
        if top is None:
            return None
        j, waiting = after_deference(self.state, top)
        st, model = self.state, self.state.model
        before = {i: st.influence[i] for i, _ in model.out_edges[j]}
        touched = st.activate(j, step + 1)
        # The gain is concave in positive influence, so cached values stay upper bounds except
        # through repelling ties: refresh the people such a change may have raised.
        for y in self._may_rise(j, before):
            if y in self.queued:
                self._push(y, step + 1)
        for i in touched:
            if i not in self.queued and st.feasible(i):
                self._push(i, step + 1)
        return j, waiting

    def _may_rise(self, j: int, before: dict[int, float]) -> set[int]:
        """People whose value may have risen when ``j`` was won: where influence fell or rose
        from below zero, that person and everyone with a tie to them; elsewhere, and at ``j``
        (now a supporter), those with a repelling tie to them."""
        model = self.state.model
        rising = {u for u, w in model.in_edges[j] if w < 0}
        for i, w in model.out_edges[j]:
            if w < 0 or before[i] < 0:
                rising.add(i)
                rising.update(u for u, _ in model.in_edges[i])
            else:
                rising.update(u for u, v in model.in_edges[i] if v < 0)
        return rising


def value(state: State, i: int) -> float:
    """R2: value for effort, rounded to 9 decimals so that sums of the same ties added in a
    different order compare equal (ties then go to the earlier person in the map)."""
    return round(state.gain(i) / state.model.effort[i], 9)


def after_deference(state: State, best: int) -> tuple[int, int | None]:
    """R3: if ``best`` defers to (or reports to) someone who can be won now, approach the most
    valuable such person first, and so on up the chain; return them and whom they are for."""
    chosen, waiting, seen = best, None, {best}
    while True:
        ahead = [u for u in state.model.deference[chosen] if u not in seen and state.feasible(u)]
        if not ahead:
            return chosen, waiting
        waiting = chosen
        chosen = min(ahead, key=lambda u: (-value(state, u), u))
        seen.add(chosen)
