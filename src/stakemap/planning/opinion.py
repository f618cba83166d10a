"""Where a predicted opinion stands on the stance scale: for, against, or neither.

Opinions are predicted on the typed stance scale, -2 (Blocker) to +2 (Champion). Someone is *for*
once their opinion rounds to Supporter or above (+0.5), *against* once it rounds to Critic or
below (-0.5), and abstains in between (docs/decision-rules.md, "Who votes how").
"""

from __future__ import annotations

import numpy as np

__all__ = ["HIGH", "LINE", "LOW", "TOL", "against", "clip", "supports", "word"]

#: The stance scale's ends.
LOW, HIGH = -2.0, 2.0
#: Predicted opinion from which someone is for (and, negated, against).
LINE = 0.5
#: Tolerance on the lines: far above the solvers' error and far below any input step.
TOL = 1e-6
_WORDS = ((1.5, "Champion"), (0.5, "Supporter"), (-0.5 + 2 * TOL, "Neutral"), (-1.5, "Critic"))


def supports(x):
    """Whether an opinion (or each of an array) is for.

    >>> supports(0.5), supports(0.49)
    (True, False)
    """
    return x >= LINE - TOL


def against(x):
    """Whether an opinion (or each of an array) is against.

    >>> against(-0.5), against(-0.49)
    (True, False)
    """
    return x <= -LINE + TOL


def clip(x):
    """An opinion kept on the scale.

    >>> clip(np.array([7.6, -3.0, 0.2])).tolist()
    [2.0, -2.0, 0.2]
    """
    return np.clip(x, LOW, HIGH)


def word(x: float) -> str:
    """The stance word a predicted opinion reads as, with the lines above.

    >>> word(0.5), word(0.49), word(-0.49), word(-0.5), word(1.7)
    ('Supporter', 'Neutral', 'Neutral', 'Critic', 'Champion')
    """
    return next((w for low, w in _WORDS if x >= low - TOL), "Blocker")
