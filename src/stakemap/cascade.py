"""The deterministic threshold cascade behind the coalition planner.

A linear-threshold closure with fixed thresholds (Granovetter 1978; Kempe, Kleinberg and
Tardos 2003) adapted to ../shared/COALITIONS.md:

* **Active and passive supporters.** Everyone with stance +1 or more supports the proposal and
  counts for the decision rule. Only *active* supporters pass influence on: the champion, anyone
  at +2 (an active ally on the spectrum of allies) and anyone the champion has met. A passive
  ally (+1) agrees but carries the idea to nobody until met one-to-one ("Why sympathetic people
  still need a meeting"): the planner never treats them as already working for you.
* **Influence.** ``influence[i]`` is the signed sum of the net tie strengths from active
  supporters to ``i``; a negative tie (the supporter's visible support repels) counts against.
  Ties of net strength 0 carry nothing.
* **Threshold.** ``i`` can be won once ``influence[i] >= threshold[i]`` with
  ``threshold[i] = power[i] * STANCE_FACTOR[stance[i]]``, times ``GOAL_FACTOR`` when a proposal
  part matches their goals (R8). Their own power is the self-weight, so one tie (strength at most
  5) never wins a neutral of power 3 or more. Passive allies need no influence, only the meeting.
* **Decision rule.** Ready when supporters hold at least the pass share of total power and every
  veto holder supports or is isolated: everyone with a positive tie to them supports.

The state changes only by :meth:`State.activate`, which updates the out-neighbours of one person:
that is the incremental cascade the lazy planner relies on.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from stakemap.model import ProposalPart, StakeholderMap

__all__ = [
    "DECISION_WEIGHT",
    "EPS",
    "GOAL_FACTOR",
    "POWERFUL",
    "PROGRESS_CREDIT",
    "STANCE_FACTOR",
    "Model",
    "State",
    "compile_model",
]

#: Influence needed per unit of own power, by stance (harder for critics, hardest for blockers).
STANCE_FACTOR: dict[int, float] = {2: 0.0, 1: 0.0, 0: 2.0, -1: 2.5, -2: 4.0}
#: A proposal part matching someone's goals scales their threshold and their effort (R8).
GOAL_FACTOR = 0.75
#: Share of a person's value credited for progress toward their threshold (they still need a
#: meeting to come over).
PROGRESS_CREDIT = 0.5
#: Deciders and veto holders count double in the planner's value (R1, backward mapping).
DECISION_WEIGHT = 2.0
#: Power from which an active opponent (stance -2) falls under R5 (no early warning).
POWERFUL = 4.0
#: Tolerance for comparing sums of strengths and shares.
EPS = 1e-9


@dataclass
class Model:
    """A map compiled to index-based lists (people in map order), built by :func:`compile_model`.

    ``out_edges[j]`` lists ``(i, w)``: ``j`` influences ``i`` with net strength ``w != 0``;
    ``in_edges[i]`` the same ties seen from ``i``; ``verbs[j, i]`` is "defers to" or "reports to"
    when a tie of that kind says ``i`` defers to ``j``, and ``deference[i]`` lists those ``j``
    (net tie positive). ``positive_in[i]`` is the total positive
    strength on ``i`` (whom they listen to). ``ask[i]`` is the proposal part best matching their
    goals (ties: all of them, in proposal order) and ``goals[i]`` their goal tags, lower-cased.
    """

    names: list[str]
    index: dict[str, int]
    power: list[float]
    stance: list[int]
    effort: list[float]
    threshold: list[float]
    plain_threshold: list[float]
    parts: tuple[ProposalPart, ...]
    ask_options: list[list[str]]
    goals: list[frozenset[str]]
    out_edges: list[list[tuple[int, float]]]
    in_edges: list[list[tuple[int, float]]]
    positive_in: list[float]
    weight: list[float]
    decision: list[bool]
    veto: list[bool]
    eligible: list[bool]
    champion: int | None
    pass_share: float
    total_power: float
    verbs: dict[tuple[int, int], str] = field(default_factory=dict)
    vetoes: list[int] = field(default_factory=list)
    deference: list[list[int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.vetoes = [i for i, v in enumerate(self.veto) if v]
        self.deference = [[] for _ in self.names]
        for j, i in self.verbs:
            if any(u == j and w > 0 for u, w in self.in_edges[i]):
                self.deference[i].append(j)

    def powerful_opponent(self, i: int) -> bool:
        """True for an active opponent (stance -2) of power at least :data:`POWERFUL` (R5)."""
        return self.stance[i] <= -2 and self.power[i] >= POWERFUL

    def initial_state(self) -> State:
        """Supporters are stance +1 or more and the champion; the active ones are +2 and the
        champion, each marked as on board at step 0."""
        n = len(self.names)
        state = State(
            self,
            active=[False] * n,
            supporter=[s >= 1 for s in self.stance],
            influence=[0.0] * n,
            active_in=[0.0] * n,
            supporting_in=[0.0] * n,
            since={},
        )
        if self.champion is not None:
            state.supporter[self.champion] = True
        state.support_power = sum(p for p, s in zip(self.power, state.supporter, strict=True) if s)
        for j in range(n):
            if state.supporter[j]:
                for i, w in self.out_edges[j]:
                    if w > 0:
                        state.supporting_in[i] += w
        for j in range(n):
            if self.stance[j] >= 2 or j == self.champion:
                state.activate(j, 0)
        return state


@dataclass
class State:
    """Who supports and who is active after some steps; change it only through :meth:`activate`.

    ``active_in[i]`` is the positive strength on ``i`` from active supporters (R5);
    ``supporting_in[i]`` the positive strength from any supporter (isolation); ``since[j]`` the
    step at which ``j`` became active (0: from the start).
    """

    model: Model
    active: list[bool]
    supporter: list[bool]
    influence: list[float]
    active_in: list[float]
    supporting_in: list[float]
    since: dict[int, int]
    support_power: float = 0.0
    active_power: float = 0.0

    def activate(self, j: int, step: int) -> list[int]:
        """Make ``j`` an active supporter at ``step``; return the out-neighbours touched."""
        m = self.model
        self.active[j] = True
        self.active_power += m.power[j]
        self.since[j] = step
        if not self.supporter[j]:
            self.supporter[j] = True
            self.support_power += m.power[j]
            for i, w in m.out_edges[j]:
                if w > 0:
                    self.supporting_in[i] += w
        touched = []
        for i, w in m.out_edges[j]:
            self.influence[i] += w
            if w > 0:
                self.active_in[i] += w
            touched.append(i)
        return touched

    def feasible(self, i: int) -> bool:
        """Can the champion win ``i`` now: eligible, not yet active, threshold reached, and R5
        (a powerful active opponent only once most of whom they listen to are active)?"""
        m = self.model
        if self.active[i] or not m.eligible[i]:
            return False
        if self.supporter[i]:
            return True
        if self.influence[i] < m.threshold[i] - EPS:
            return False
        return not m.powerful_opponent(i) or self.r5_met(i)

    def r5_met(self, i: int) -> bool:
        """R5: active supporters hold more than half of the positive weight on ``i``."""
        return self.active_in[i] > 0.5 * self.model.positive_in[i] + EPS

    def isolated(self, i: int) -> bool:
        """Everyone with a positive tie to ``i`` supports (vacuously true with no such tie)."""
        return self.supporting_in[i] >= self.model.positive_in[i] - EPS

    def share(self, active: bool = False) -> float:
        """Supporters' (or only the active supporters') share of total power."""
        total = self.model.total_power
        return (self.active_power if active else self.support_power) / total if total else 0.0

    def ready(self) -> bool:
        """The decision rule: pass share held and every veto holder supportive or isolated."""
        m = self.model
        if not m.names or self.share() < m.pass_share - EPS:
            return False
        return all(self.supporter[i] or self.isolated(i) for i in m.vetoes)

    def progress(self, i: int, extra: float = 0.0) -> float:
        """Share of ``i``'s threshold reached with ``extra`` more influence, clipped to [0, 1];
        for a powerful opponent, the lesser of that and the share of R5's half reached."""
        m = self.model
        done = 1.0
        if m.threshold[i] > 0:
            done = min(done, max(0.0, (self.influence[i] + extra) / m.threshold[i]))
        if m.powerful_opponent(i) and m.positive_in[i] > 0:
            won = self.active_in[i] + max(extra, 0.0)
            if won <= 0.5 * m.positive_in[i] + EPS:  # R5 wants more than half; exactly half
                done = min(done, 0.999 * won / (0.5 * m.positive_in[i]))  # is not enough
        return done

    def gain(self, j: int) -> float:
        """The planner's value of winning ``j`` now (before dividing by effort).

        Power won (weighted double for deciders and veto holders), plus influence passed on
        (:data:`PROGRESS_CREDIT` of each eligible non-supporter's power, times the share of their
        threshold this tie adds), plus backward value (R1): ``j``'s share of what each
        non-supporting decider or veto holder listens to, times their power.
        """
        m = self.model
        value = 0.0
        if not self.supporter[j]:
            value += m.weight[j] * m.power[j] * (1.0 - PROGRESS_CREDIT * self.progress(j))
        for i, w in m.out_edges[j]:
            if self.supporter[i]:
                continue
            if m.eligible[i]:
                step = self.progress(i, w) - self.progress(i)
                value += m.weight[i] * PROGRESS_CREDIT * m.power[i] * step
            if m.decision[i] and w > 0 and not self.supporter[j]:
                value += m.power[i] * w / m.positive_in[i]
        return value


def compile_model(
    m: StakeholderMap, pass_share: float | None = None, exclude: Collection[str] = ()
) -> Model:
    """Compile a map into a :class:`Model` (index lists, net ties, thresholds, asks).

    >>> from stakemap.model import Relationship, Stakeholder
    >>> m = StakeholderMap(
    ...     (Stakeholder("Ana", stance=2), Stakeholder("Ben", power=2, stance=0)),
    ...     (Relationship("Ana", "Ben", 3), Relationship("Ben", "Ana", 0)))
    >>> model = compile_model(m)
    >>> model.threshold, model.out_edges
    ([0.0, 4.0], [[(1, 3.0)], []])
    """
    people = m.stakeholders
    index = {s.name: k for k, s in enumerate(people)}
    n = len(people)
    net: dict[tuple[int, int], float] = {}
    verbs: dict[tuple[int, int], str] = {}
    for rel in m.relationships:
        for src, dst, strength in rel.influence_edges():
            if src in index and dst in index and src != dst:
                pair = (index[src], index[dst])
                net[pair] = net.get(pair, 0.0) + float(strength)
                if rel.kind in ("defers to", "reports to"):
                    verbs[pair] = rel.kind
    out_edges: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    in_edges: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for (j, i), w in net.items():
        if w != 0:
            out_edges[j].append((i, w))
            in_edges[i].append((j, w))
    parts = m.proposal.parts
    champion = index.get(m.proposal.champion)
    excluded = set(exclude)
    threshold, plain, effort, options, goal_sets = [], [], [], [], []
    for s in people:
        goals = frozenset(g.strip().lower() for g in s.goals)
        hits = [(len(goals & {t.strip().lower() for t in p.tags}), p.name) for p in parts]
        best = max((h for h, _ in hits), default=0)
        options.append([name for h, name in hits if h == best and best > 0])
        goal_sets.append(goals)
        factor = GOAL_FACTOR if best > 0 else 1.0
        base = s.power * STANCE_FACTOR[max(-2, min(2, round(s.stance)))]
        plain.append(base)
        threshold.append(base * factor)
        effort.append(max(0.1, float(s.effort)) * factor)
    share = m.proposal.pass_share if pass_share is None else pass_share
    return Model(
        names=[s.name for s in people],
        index=index,
        power=[float(s.power) for s in people],
        stance=[max(-2, min(2, round(s.stance))) for s in people],
        effort=effort,
        threshold=threshold,
        plain_threshold=plain,
        parts=parts,
        ask_options=options,
        goals=goal_sets,
        out_edges=out_edges,
        in_edges=in_edges,
        positive_in=[sum(w for _, w in edges if w > 0) for edges in in_edges],
        weight=[DECISION_WEIGHT if s.decision_role in ("decider", "veto") else 1.0 for s in people],
        decision=[s.decision_role in ("decider", "veto") for s in people],
        veto=[s.decision_role == "veto" for s in people],
        eligible=[
            k != champion
            and s.name not in excluded
            and (s.target_stance is None or s.target_stance > 0)
            for k, s in enumerate(people)
        ],
        champion=champion,
        pass_share=float(share),
        total_power=float(sum(s.power for s in people)),
        verbs=verbs,
    )
