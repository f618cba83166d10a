"""The acceptance property of a spread-out drawing: who stands on someone else's line."""

from __future__ import annotations

import itertools

import numpy as np

from stakemap.model import StakeholderMap

Positions = dict[str, tuple[float, float]]


def lined_up(m: StakeholderMap, pos: Positions, share: float = 0.005) -> list[tuple[str, str]]:
    """The pairs who share no tie yet stand on one vertical or horizontal line, within
    ``share`` of the drawing's larger side."""
    xy = np.array(list(pos.values()))
    tol = max(1.0, share * float(np.ptp(xy, axis=0).max()))
    tied = {frozenset((t.source, t.target)) for t in m.relationships}
    return [
        (a, b)
        for a, b in itertools.combinations(pos, 2)
        if frozenset((a, b)) not in tied
        and (abs(pos[a][0] - pos[b][0]) <= tol or abs(pos[a][1] - pos[b][1]) <= tol)
    ]
