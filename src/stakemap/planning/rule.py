"""Who decides and by what rule: the decision body, its votes, the pass line and the vetoes.

After ../shared/COALITIONS.md ("Decision rule"). The decision body is the people with votes:
by default each decider and veto holder has one vote, and a ``Votes`` column gives other weights.
Third parties, influencers and the champion (unless she votes) move people but never count. A
map with no decider and no votes is a team deciding together: everyone not marked a third party
counts, weighted by power on the user's own scale. A veto holder alone is not a decision body.

Rules (``Proposal.decision_rule``): ``share`` (at least the pass share of the votes), ``majority``
(more than half), ``unanimity`` (every vote) and ``single`` (one decider's yes). A veto holder
blocks unless he supports or is isolated: the rule holds and every member of the decision body he
listens to supports (the bandwagon close, R7). Pivotal power is the Banzhaf index of the same
game (Banzhaf 1965), vetoes included: a veto holder is pivotal in every winning coalition.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

from stakemap.model import StakeholderMap
from stakemap.values import BadValue

__all__ = [
    "RULES",
    "DecisionBody",
    "decision_body",
    "parse_rule",
    "parse_votes",
    "pivotal_power",
    "user_power",
]

#: Rule key -> how the page names it.
RULES: dict[str, str] = {
    "share": "share of votes",
    "majority": "simple majority",
    "unanimity": "unanimity",
    "single": "single decider",
}
_RULE_WORDS = {
    "": "share",
    "share": "share",
    "share of votes": "share",
    "pass share": "share",
    "majority": "majority",
    "simple majority": "majority",
    "unanimity": "unanimity",
    "unanimous": "unanimity",
    "consensus": "unanimity",
    "single": "single",
    "single decider": "single",
    "one decider": "single",
}
#: Tolerance for comparing vote sums.
EPS = 1e-9
#: Power scales a sheet may be written in and the inverse of the importer's rescaling to 1-5,
#: rounded to the scale's own precision.
_SCALES = {"1-10": (1.0, 10.0, 1), "0-100%": (0.0, 100.0, 0), "0-1": (0.0, 1.0, 2)}


def parse_rule(text: str) -> str | None:
    """The rule key for a cell's words, or None if they name no rule.

    >>> parse_rule("Simple majority"), parse_rule(""), parse_rule("dice")
    ('majority', 'share', None)
    """
    return _RULE_WORDS.get(" ".join(str(text).lower().replace("-", " ").split()))


def parse_votes(value: object) -> float:
    """A ``Votes`` cell: a number of votes, 0 or more, kept as written.

    >>> parse_votes("3"), parse_votes(2.5)
    (3.0, 2.5)
    """
    try:
        votes = float(str(value).strip().replace(",", "."))
    except ValueError:
        raise BadValue("is not a number", "a number of votes, 0 or more") from None
    if not math.isfinite(votes) or votes < 0:
        raise BadValue("is not 0 or more", "a number of votes, 0 or more")
    return votes


def user_power(power: float, scale: str) -> float:
    """A 1-5 power back on the scale the sheet was written in (``Power scale`` of the proposal),
    so shares keep the user's ratios: 2, 7 and 8 on a 1-10 sheet stay 2:7:8.

    >>> [user_power(p, "1-10") for p in (1.44, 3.67, 4.11)], user_power(3, "1-5")
    ([2.0, 7.0, 8.0], 3.0)
    """
    if scale not in _SCALES:
        return float(power)
    low, high, digits = _SCALES[scale]
    return round(low + (float(power) - 1.0) * (high - low) / 4.0, digits)


@dataclass(frozen=True)
class DecisionBody:
    """The decision body of a map: ``weight[i]`` is person i's votes (0 outside the body).

    ``fallback`` says the body is everyone not marked a third party, weighted by power, because
    no one is marked as a decider.
    """

    names: tuple[str, ...]
    weight: tuple[float, ...]
    veto: tuple[bool, ...]
    rule: str
    pass_share: float
    fallback: bool

    @property
    def members(self) -> list[int]:
        return [i for i, w in enumerate(self.weight) if w > 0]

    @functools.cached_property
    def total(self) -> float:
        return float(sum(self.weight))

    @functools.cached_property
    def quota(self) -> float:
        """Votes needed: the pass share of the total, more than half, all, or one decider's."""
        total = self.total
        if self.rule == "majority":
            return total / 2.0 + EPS
        if self.rule == "unanimity":
            return total
        if self.rule == "single":
            return min((w for w in self.weight if w > 0), default=0.0)
        return self.pass_share * total

    @property
    def line(self) -> float:
        """The quota as a share of all votes (the pass line the page draws)."""
        if self.rule == "share":
            return self.pass_share
        return self.quota / self.total if self.total else 1.0

    @functools.cached_property
    def weights(self) -> np.ndarray:
        """``weight`` as an array (kept: the body never changes)."""
        import numpy as np  # here: `stakemap validate` reads a file without numpy

        return np.asarray(self.weight, dtype=float)

    def votes_for(self, supporters: Sequence[bool]) -> float:
        """Supporters' votes, summed exactly (``math.fsum``) so a tie on the quota is a tie."""
        import numpy as np

        chosen = np.asarray(supporters, dtype=bool)
        if chosen.shape != self.weights.shape:
            raise ValueError(f"{len(chosen)} supporters for {len(self.weight)} votes")
        return math.fsum(self.weights[chosen].tolist())

    def share(self, supporters: Sequence[bool]) -> float:
        """Supporters' share of the votes the rule counts."""
        return self.votes_for(supporters) / self.total if self.total else 0.0

    def rule_holds(self, supporters: Sequence[bool]) -> bool:
        """Supporters hold the rule's votes (vetoes aside); a single decider must say yes."""
        if not self.total:
            return False
        return self.votes_for(supporters) >= self.quota - EPS

    def isolated(self, v: int, supporters: Sequence[bool], listens_to: Collection[int]) -> bool:
        """R7: veto holder ``v`` is isolated once the rule holds and every member of the decision
        body he listens to (``listens_to``: positive ties into him) supports; outside parties
        never need winning."""
        if not self.rule_holds(supporters):
            return False
        return all(supporters[u] for u in listens_to if self.weight[u] > 0 and u != v)

    def describe(self) -> str:
        """One plain sentence: who decides and by what rule."""
        if self.fallback:
            return (
                "No one is marked as a decider, so everyone not marked a third party decides "
                "together, weighted by power."
            )
        count = len(self.members)
        rule = RULES[self.rule]
        votes = f"{_number(self.total)} vote{'s' * (self.total != 1)}"
        text = f"{count} decision maker{'s' * (count != 1)} with {votes}; rule: {rule}"
        if self.rule == "share":
            text += f" (at least {self.pass_share:.0%})"
        return text + "."


def decision_body(m: StakeholderMap, pass_share: float | None = None) -> DecisionBody:
    """The decision body of ``m`` (see the module docstring).

    >>> from stakemap.model import Proposal, Stakeholder
    >>> people = [Stakeholder("A", decision_role="decider"), Stakeholder("B", votes=2),
    ...           Stakeholder("C", decision_role="third party", power=5), Stakeholder("D")]
    >>> body = decision_body(StakeholderMap(tuple(people), proposal=Proposal(pass_share=0.6)))
    >>> body.weight, body.fallback, round(body.quota, 2)
    ((1.0, 2.0, 0.0, 0.0), False, 1.8)
    """
    people = m.stakeholders
    rule = parse_rule(m.proposal.decision_rule) or "share"
    share = m.proposal.pass_share if pass_share is None else pass_share
    voting = [
        s.votes if s.votes is not None else (1.0 if s.decision_role in ("decider", "veto") else 0)
        for s in people
    ]
    deciders = any(
        s.decision_role == "decider" or ((s.votes or 0) > 0 and s.decision_role != "veto")
        for s in people
    )
    fallback = not deciders
    if fallback:
        scale = m.proposal.extra.get("Power scale", "1-5")
        voting = [
            user_power(s.power, scale) if s.decision_role != "third party" else 0.0 for s in people
        ]
    return DecisionBody(
        names=tuple(s.name for s in people),
        weight=tuple(max(0.0, float(w)) for w in voting),
        veto=tuple(s.decision_role == "veto" for s in people),
        rule=rule,
        pass_share=float(share),
        fallback=fallback,
    )


def pivotal_power(body: DecisionBody) -> dict[str, float]:
    """Normalised Banzhaf index of each member under the body's rule, vetoes included.

    A member swings a coalition of the others when it wins with them and loses without them;
    a coalition wins when it holds the quota and includes every veto holder of the body, so a
    veto holder swings every winning coalition he is in. Counted by a pseudo-polynomial dynamic
    programme over integer weights (scaled by 1, 2, 4 or 10, else rounded at 10), one binomial
    convolution per distinct weight. People outside the body get 0.

    >>> from stakemap.model import Stakeholder
    >>> people = [Stakeholder(n, decision_role="decider") for n in "ABC"]
    >>> people[0] = Stakeholder("A", decision_role="veto")
    >>> body = decision_body(StakeholderMap(tuple(people)))
    >>> {k: round(v, 3) for k, v in pivotal_power(body).items()}
    {'A': 0.6, 'B': 0.2, 'C': 0.2}
    """
    scale = _scale(body.weight)
    weights = [max(0, round(w * scale)) for w in body.weight]
    members = [i for i, w in enumerate(weights) if w > 0]
    quota = _integer_quota(body, weights, scale)
    free: dict[int, int] = {}
    for i in members:
        if not body.veto[i]:
            free[weights[i]] = free.get(weights[i], 0) + 1
    veto_sum = sum(weights[i] for i in members if body.veto[i])
    n_vetoes = sum(body.veto[i] for i in members)
    swings: dict[tuple[int, bool], float] = {}
    for i in members:
        key = (weights[i], body.veto[i])
        if key in swings:
            continue
        w, veto = key
        others = dict(free) if veto else {**free, w: free[w] - 1}
        dist = _distribution(others)
        need = quota - veto_sum  # the free members' part, every veto holder in
        if veto:  # pivotal whenever the coalition wins with him
            low, high = max(need, 0), len(dist)
        else:
            low, high = max(need - w, 0), max(min(need, len(dist)), 0)
        # the other veto holders are all in with probability 1/2 each
        chance = 0.5 ** (n_vetoes - 1 if veto else n_vetoes)
        swings[key] = chance * float(dist[low:high].sum()) if low < high else 0.0
    raw = {i: swings[weights[i], body.veto[i]] for i in members}
    total = sum(raw.values())
    return {
        name: (raw.get(i, 0.0) / total if total > 0 else 0.0) for i, name in enumerate(body.names)
    }


def _scale(weights: Sequence[float]) -> int:
    for scale in (1, 2, 4, 10):
        if all(abs(w * scale - round(w * scale)) < 1e-9 for w in weights):
            return scale
    return 10


def _integer_quota(body: DecisionBody, weights: list[int], scale: int) -> int:
    total = sum(weights)
    if body.rule == "majority":
        return total // 2 + 1
    if body.rule == "unanimity":
        return total
    if body.rule == "single":
        return min((w for w in weights if w > 0), default=0)
    return math.ceil(body.pass_share * total - 1e-9)


def _distribution(counts: dict[int, int]):
    """P(total = t) when each person joins with probability 1/2, t = 0..sum (numpy and scipy
    are imported here so that importing a workbook stays light)."""
    import numpy as np
    from scipy.signal import fftconvolve
    from scipy.stats import binom

    dist = np.ones(1)
    for w, k in sorted(counts.items()):
        if k <= 0 or w <= 0:
            continue
        part = np.zeros(w * k + 1)
        part[::w] = binom.pmf(np.arange(k + 1), k, 0.5)
        if dist.size > 64:
            dist = np.clip(fftconvolve(dist, part), 0.0, None)
        else:
            dist = np.convolve(dist, part)
    return dist


def _number(x: float) -> str:
    return f"{x:g}"
