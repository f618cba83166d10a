"""What-if: predicted stances after a change of heart or a few meetings, and who can swing it.

The one model behind the plan (:mod:`stakemap.planning.influence`), so that a meeting the plan
says wins someone is predicted to win them here, and the reverse.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from stakemap.model import StakeholderMap
from stakemap.planning.influence import network
from stakemap.planning.opinion import clip
from stakemap.planning.pivotal import banzhaf
from stakemap.planning.rule import rule_of

__all__ = ["pivotal_power", "simulate"]


def simulate(
    m: StakeholderMap, overrides: Mapping[str, float] = {}, meetings: Sequence[str] = ()
) -> dict[str, float]:
    """Predicted stance of everyone, on -2..+2, after ``overrides`` and ``meetings``.

    With neither, every prediction is the stance typed: it already holds today's influence.
    ``overrides`` set stances ("if Tess comes over"): those people are anchored there and
    everyone else moves by the change it makes to the settled opinions (Friedkin and Johnsen
    1990). ``meetings`` are one-to-one meetings held in that order, as the plan's steps are.
    Unknown names are ignored.

    >>> from stakemap.model import Relationship, Stakeholder
    >>> m = StakeholderMap((Stakeholder("Ana", stance=1), Stakeholder("Ben", power=3)),
    ...                    (Relationship("Ana", "Ben", 3),))
    >>> simulate(m)["Ben"], round(simulate(m, {"Ana": 2})["Ben"], 2)
    (0.0, 1.0)
    """
    net = network(m, overrides)
    order = [net.index[name] for name in meetings if name in net.index]
    x = clip(net.predict(order))
    return {name: float(x[k]) for k, name in enumerate(net.names)}


def pivotal_power(
    m: StakeholderMap, pass_share: float | Fraction | None = None
) -> tuple[dict[str, float], bool]:
    """Each person's Banzhaf index under the map's rule (0 outside the body), and whether it
    is exact (:func:`stakemap.planning.pivotal.banzhaf`).

    >>> from stakemap.model import Stakeholder
    >>> people = (Stakeholder("A", power=3), Stakeholder("B", power=2), Stakeholder("C", power=1))
    >>> index, exact = pivotal_power(StakeholderMap(people))
    >>> {k: round(v, 3) for k, v in index.items()}, exact
    ({'A': 0.6, 'B': 0.2, 'C': 0.2}, True)
    """
    return banzhaf(rule_of(m, pass_share))
