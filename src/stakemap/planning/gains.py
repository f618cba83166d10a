"""The gain of the influence model, a column at a time: the opinion change a push on one
person causes, ``(I - Lambda W)^-1 e_k / power_k`` (:mod:`stakemap.planning.influence`).

A plan on a large map asks for the columns of the people it meets, one by one; the dense
inverse (25 million entries at 5,000 people) is made only for small maps. A column is zero
outside the people its person reaches through whom they listen to, and that set is closed (no
one in it moves anyone outside it), so it is the solution of the block of ``I - Lambda W`` on
those people alone (block back-substitution on a block-triangular system, Golub and Van
Loan, *Matrix Computations*): a dense solve where they are few (most people on a large map
reach a few), a sparse LU (SuperLU) of the block the large strongly connected components
reach where they are many. docs/speed.md, rule 16.

>>> step = sparse.csr_matrix([[0.0, 0.0], [0.5, 0.0]])  # 1 listens to 0
>>> [(rows.tolist(), values.tolist()) for rows, values in
...  (Gains(step, np.array([2.0, 1.0])).column(k) for k in (0, 1))]
[([0, 1], [0.5, 0.25]), ([1], [1.0])]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import breadth_first_order, connected_components
from scipy.sparse.linalg import SuperLU, splu

__all__ = ["REACH_SOLVED", "Gains"]

#: Up to this many people reached, a column is solved on them alone (a dense solve of their
#: block, ~0.1 ms), above it by a sparse LU (:meth:`Gains.column`).
REACH_SOLVED = 64


@dataclass(frozen=True)
class ClosedBlock:
    """A block of people closed under whose opinion moves whose (:attr:`Gains.closed`):
    its people in index order, each person's place in it (-1: outside), its sparse LU."""

    rows: np.ndarray
    at: np.ndarray
    lu: SuperLU


class Gains:
    """The columns of ``(I - step)^-1 / power``, each worked out when first asked for and
    kept as its rows and values. ``step`` is ``Lambda W`` (``step[i, j]``: how much ``j``'s
    opinion moves ``i``'s)."""

    def __init__(self, step: sparse.csr_matrix, power: np.ndarray) -> None:
        self.step = step
        self.power = power
        self.size = step.shape[0]
        self.whole_lu: SuperLU | None = None  # the whole map's, made only if needed
        self._columns: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._shared_reach: dict[int, np.ndarray] = {}

    def column(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Column ``k`` as the people ``k`` reaches (a breadth-first order from ``k``, except
        in a large component) and their values."""
        column = self._columns.get(k)
        if column is None:
            reach = self._reach(k)
            if len(reach) <= REACH_SOLVED:
                values = reach_solve(self.step, reach) / self.power[k]
            else:
                values = self._solved(k, reach)
            column = self._columns[k] = (reach, values)
        return column

    def _solved(self, k: int, reach: np.ndarray) -> np.ndarray:
        """Column ``k`` on the rows ``reach`` (more than :data:`REACH_SOLVED`), by sparse LU.
        Where ``k`` reaches few people outside the :attr:`closed` block, their block is solved
        densely and passes its push on to the closed block, solved by that block's LU: nobody
        in it moves anyone outside it, so the two solves are the whole solution. Else by the
        whole map's LU. The closed block's LU is the quicker (0.15-0.25 ms a solve against
        0.6-0.9 ms at 5,000 people: fewer supernodes to walk)."""
        closed = self.closed
        outside = reach if closed is None else reach[closed.at[reach] < 0]
        if closed is None or len(outside) > REACH_SOLVED:
            if self.whole_lu is None:
                self.whole_lu = _lu(self.step)
            unit = np.zeros(self.size)
            unit[k] = 1.0 / self.power[k]
            return self.whole_lu.solve(unit)[reach]
        x = np.zeros(self.size)
        if len(outside):  # k first: ``reach`` is a breadth-first order from k
            x[outside] = reach_solve(self.step, outside) / self.power[k]
            pushed = (self.step @ x)[closed.rows]
        else:
            pushed = np.zeros(len(closed.rows))
            pushed[closed.at[k]] = 1.0 / self.power[k]
        x[closed.rows] = closed.lu.solve(pushed)
        return x[reach]

    @cached_property
    def closed(self) -> ClosedBlock | None:
        """Everyone the large strongly connected components (more than :data:`REACH_SOLVED`
        people each) reach, with the sparse LU of ``I - step`` on them: a block closed under
        whose opinion moves whose, so solvable alone. None without such components."""
        labels, sizes = self._components
        large = np.flatnonzero(sizes > REACH_SOLVED)
        if not len(large):
            return None
        _, first = np.unique(labels, return_index=True)  # each component's first person
        reached = np.zeros(self.size, dtype=bool)
        for label in large:
            reached[self._reach(int(first[label]))] = True
        rows = np.flatnonzero(reached)
        at = np.full(self.size, -1)
        at[rows] = np.arange(len(rows))
        return ClosedBlock(rows, at, _lu(self.step[rows][:, rows]))

    def _reach(self, k: int) -> np.ndarray:
        """Those ``k``'s opinion moves, through whom they listen to: a breadth-first order from
        ``k`` along ``_heard``. Everyone in a strongly connected component reaches the same
        people, so in a component too large for a dense solve (more than
        :data:`REACH_SOLVED`), whose columns are solved by an LU, where the order of the rows
        does not matter, one order serves them all (kept once per component)."""
        labels, sizes = self._components
        label = labels[k]
        if sizes[label] <= REACH_SOLVED:
            return breadth_first_order(self._heard, k, return_predecessors=False)
        if label not in self._shared_reach:
            self._shared_reach[label] = breadth_first_order(
                self._heard, k, return_predecessors=False
            )
        return self._shared_reach[label]

    @cached_property
    def _components(self) -> tuple[np.ndarray, np.ndarray]:
        """Each person's strongly connected component along ``_heard``, and each one's size."""
        _, labels = connected_components(self._heard, directed=True, connection="strong")
        return labels, np.bincount(labels)

    @cached_property
    def _heard(self) -> sparse.csr_matrix:
        """``step`` transposed: row ``k`` lists those whose opinion ``k``'s moves directly."""
        return self.step.T.tocsr()


def _lu(step: sparse.csr_matrix) -> SuperLU:
    """The sparse LU of ``I - step`` (SuperLU, its default column order)."""
    return splu(sparse.csc_matrix(sparse.identity(step.shape[0]) - step))


def reach_solve(step: sparse.csr_matrix, reach: np.ndarray) -> np.ndarray:
    """``(I - step)^-1`` column ``reach[0]`` on the rows ``reach``: every person that column
    moves (a breadth-first order from ``reach[0]`` along ``step``'s columns), so it is the
    solution of the block of ``I - step`` on ``reach`` alone, a dense system.

    >>> step = sparse.csr_matrix([[0.0, 0.0, 0.0], [0.5, 0.0, 0.0], [0.0, 0.0, 0.0]])
    >>> reach_solve(step, np.array([0, 1])).tolist()
    [1.0, 0.5]
    """
    size = len(reach)
    if size == 1:
        return np.ones(1)
    at = np.full(step.shape[0], -1)
    at[reach] = np.arange(size)
    starts, counts = step.indptr[reach], np.diff(step.indptr)[reach]
    ends = np.cumsum(counts)
    entries = np.arange(ends[-1]) + np.repeat(starts - (ends - counts), counts)  # rows' entries
    rows, columns = np.repeat(np.arange(size), counts), at[step.indices[entries]]
    inside = columns >= 0
    block = np.eye(size)
    block[rows[inside], columns[inside]] -= step.data[entries[inside]]
    unit = np.zeros(size)
    unit[0] = 1.0
    return np.linalg.solve(block, unit)
