"""What-if prediction of stances (Friedkin-Johnsen) and pivotal power (Banzhaf) on a map."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from stakemap.model import StakeholderMap
from stakemap.planning import rule as decision
from stakemap.planning.influence import network

__all__ = ["pivotal_power", "simulate"]

_TOL = 1e-10
_MAX_ITER = 10_000


def simulate(
    m: StakeholderMap, overrides: Mapping[str, int] = {}, meetings: Sequence[str] = ()
) -> dict[str, float]:
    """Predicted stance of everyone, in [-2, 2], after opinions settle on the influence graph.

    The one model behind the plan (:mod:`stakemap.planning.influence`): Friedkin-Johnsen dynamics
    (Friedkin and Johnsen 1990; DeGroot with stubbornness), ``x = Lambda W x + (I - Lambda) u``,
    solved by fixed-point iteration on sparse matrices. Firm stances (+-2), the champion and
    everyone in ``overrides`` ("if Tess comes over") are anchored; passive people (+-1) carry
    their view to nobody; a repelling tie counts only where its person is visibly involved.
    ``meetings`` are one-to-one meetings held in that order, as the plan's steps are: each
    raises the person's anchor by its push (the champion's own meeting, active messengers they
    listen to, a goal-aligned ask). Predicted opinions above +2 (a meeting can push past the
    scale) are shown as +2.

    Parameters
    ----------
    m : StakeholderMap
    overrides : mapping of name to stance
        Stances to set (and anchor) before predicting; unknown names are ignored.
    meetings : sequence of names
        People met one-to-one, in order; unknown names are ignored.

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
    net = network(m, overrides)
    order = [net.index[name] for name in meetings if name in net.index]
    x = np.clip(net.replay(order), -2.0, 2.0) if net.names else np.zeros(0)
    return {name: float(x[k]) for k, name in enumerate(net.names)}


def pivotal_power(m: StakeholderMap, pass_share: float | None = None) -> dict[str, float]:
    """Normalised Banzhaf index of each person under the map's decision rule: the decision body,
    its votes and its vetoes (:func:`stakemap.planning.rule.pivotal_power`); 0 outside the body.

    >>> from stakemap.model import Stakeholder
    >>> people = (Stakeholder("A", power=3), Stakeholder("B", power=2), Stakeholder("C", power=1))
    >>> m = StakeholderMap(people)
    >>> {k: round(v, 3) for k, v in pivotal_power(m, 0.5).items()}
    {'A': 0.6, 'B': 0.2, 'C': 0.2}
    """
    return decision.pivotal_power(decision.decision_body(m, pass_share))
