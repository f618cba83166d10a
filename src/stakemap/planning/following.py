"""Following a plan: the plan of record, meetings' outcomes, and what changed since it was made.

A plan recomputed after every meeting renumbers its steps while the room is talking about
"step 2". So the plan the user follows is kept with the map as it was planned
(:class:`~stakemap.model.FollowedPlan`): step numbers come from it for good, and each meeting's
outcome goes into the person's engagement log (:class:`~stakemap.model.Engagement`), the core
record of stakeholder-relationship tools. Outcomes move a person along the spectrum of allies
(Training for Change; COALITIONS.md): *won* to the step's goal (an active ally, +2), *agreed but
passive* to a passive ally (+1: agrees, carries the idea to no one), *not convinced* nowhere.
Pure logic: the Plan page (:mod:`stakemap.ui.progress`) draws it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from stakemap.language import gettext as _
from stakemap.model import (
    OUTCOMES,
    Engagement,
    FollowedPlan,
    FollowedStep,
    StakeholderMap,
    stance_label,
)
from stakemap.planning.record import WON_STANCE, Plan
from stakemap.values import cell_text

__all__ = [
    "NOTE_LENGTH",
    "Progress",
    "StepStatus",
    "follow",
    "outcome_stance",
    "progress",
    "record_outcome",
]

#: Longest note kept with an outcome (characters).
NOTE_LENGTH = 2000
#: Stance of an ally who agrees but does not act (spectrum of allies: passive ally).
PASSIVE_STANCE = 1


def outcome_stance(outcome: str, stance: int, goal: int | None) -> int:
    """The stance a meeting's ``outcome`` leaves a person at (``stance`` before, ``goal`` the
    step's aim); never lower than before.

    >>> outcome_stance("won", 0, 2), outcome_stance("passive", -1, 2)
    (2, 1)
    >>> outcome_stance("not convinced", -1, 2)
    -1
    """
    if outcome not in OUTCOMES:
        raise ValueError(f'"{outcome}" is not an outcome: {", ".join(OUTCOMES)}')
    if outcome == "won":
        return max(stance, WON_STANCE if goal is None else goal)
    if outcome == "passive":
        return max(stance, PASSIVE_STANCE)
    return stance


def follow(p: Plan, m: StakeholderMap, version: int, date: str) -> FollowedPlan:
    """The plan of record for ``p``, planned on version ``version`` of ``m``.

    >>> from stakemap.planning.planner import plan
    >>> from stakemap.samples.cases import new_programme
    >>> f = follow(plan(new_programme()), new_programme(), 1, "2026-12-02")
    >>> [(s.order, s.name, s.goal) for s in f.steps][:2]
    [(1, 'Omar Haddad', 2), (2, 'Priya Nair', 2)]
    """
    steps = tuple(
        FollowedStep(s.order, s.name, s.phase, tuple(s.messengers), s.ask, s.new_stance)
        for s in p.steps
    )
    stances = {s.name: s.stance for s in m.stakeholders}
    return FollowedPlan(version, date, p.pass_share, steps, stances)


def record_outcome(
    m: StakeholderMap,
    followed: FollowedPlan,
    order: int,
    outcome: str,
    date: str,
    note: str = "",
) -> tuple[StakeholderMap, str]:
    """The map after step ``order`` of ``followed`` met with ``outcome`` on ``date``: the
    person's new stance, an entry in their log, and the plan of record kept; with the history
    description of that one change.

    >>> from stakemap.planning.planner import plan
    >>> from stakemap.samples.cases import new_programme
    >>> m = new_programme()
    >>> f = follow(plan(m), m, 1, "2026-12-02")
    >>> new, text = record_outcome(m, f, 1, "passive", "2026-12-02", "wants the numbers")
    >>> print(text.replace("; ", "\\n"))
    Plan step 1, Omar Haddad: agreed but passive on 2026-12-02 (stance stays Supporter)
    following the plan made at version 1
    >>> new.log_of("Omar Haddad")[0].note, new.followed == f
    ('wants the numbers', True)
    """
    step = next((s for s in followed.steps if s.order == order), None)
    if step is None:
        raise ValueError(f"The followed plan has no step {order}")
    person = m.get(step.name)
    if person is None:
        raise ValueError(f"{step.name} is no longer on the map")
    after = outcome_stance(outcome, person.stance, step.goal)
    entry = Engagement(
        step.name, date, outcome, person.stance, after, order, cell_text(note)[:NOTE_LENGTH]
    )
    new = replace(m, engagements=(*m.engagements, entry), followed=followed)
    if after != person.stance:
        new = new.with_stakeholder(step.name, stance=after, unaware=False)
        moved = _("{before} -> {after}").format(
            before=_(stance_label(person.stance)), after=_(stance_label(after))
        )
    else:
        moved = _("stance stays {label}").format(label=_(stance_label(after)))
    text = _("Plan step {order}, {name}: {outcome} on {date} ({moved})").format(
        order=order, name=step.name, outcome=_(OUTCOMES[outcome]).lower(), date=date, moved=moved
    )
    if m.followed != followed:
        text = _("{text}; following the plan made at version {version}").format(
            text=text, version=followed.version
        )
    return new, text


@dataclass(frozen=True)
class StepStatus:
    """A followed step with its latest outcome (None: not met yet) and whether the current
    plan still has it (``in_plan``; the close is always kept)."""

    step: FollowedStep
    outcome: Engagement | None
    in_plan: bool

    @property
    def done(self) -> bool:
        return self.outcome is not None


@dataclass(frozen=True)
class Progress:
    """Where a followed plan stands: every step with its status, the next one, and what
    changed since it was made (people whose stance moved, as (name, then, now); steps the
    current plan adds or drops; people no longer on the map)."""

    steps: tuple[StepStatus, ...]
    moved: tuple[tuple[str, int, int], ...]
    added: tuple[str, ...]
    dropped: tuple[str, ...]
    gone: tuple[str, ...]

    @property
    def meetings(self) -> tuple[StepStatus, ...]:
        return tuple(s for s in self.steps if s.step.phase != "close")

    @property
    def done(self) -> int:
        return sum(s.done for s in self.meetings)

    @property
    def next(self) -> StepStatus | None:
        return next((s for s in self.steps if not s.done and s.in_plan), None)


def progress(m: StakeholderMap, followed: FollowedPlan, current: Plan) -> Progress:
    """Where ``followed`` stands on ``m``, against the plan made from ``m`` now.

    A step is done once its person has an outcome logged for its number; steps of people the
    current plan no longer meets (won by others meanwhile, or left out) and not done are
    dropped; people the current plan meets that the followed plan does not are added.

    >>> from stakemap.planning.planner import plan
    >>> from stakemap.samples.cases import new_programme
    >>> m = new_programme()
    >>> f = follow(plan(m), m, 1, "2026-12-02")
    >>> new, _ = record_outcome(m, f, 1, "won", "2026-12-02")
    >>> got = progress(new, f, plan(new))
    >>> got.done, got.next.step.order, got.moved
    (1, 2, (('Omar Haddad', 1, 2),))
    """
    latest: dict[tuple[str, int], Engagement] = {}
    for e in m.engagements:
        if e.step is not None:
            latest[e.name, e.step] = e
    planned_now = {s.name for s in current.steps if s.phase != "close"}
    on_map = {s.name: s.stance for s in m.stakeholders}
    statuses = tuple(
        StepStatus(
            s,
            latest.get((s.name, s.order)),
            s.phase == "close" or s.name in planned_now,
        )
        for s in followed.steps
    )
    followed_names = {s.name for s in followed.steps if s.phase != "close"}
    moved = tuple(
        (name, then, on_map[name])
        for name, then in followed.stances.items()
        if name in on_map and on_map[name] != then
    )
    added = tuple(
        s.name for s in current.steps if s.phase != "close" and s.name not in followed_names
    )
    dropped = tuple(st.step.name for st in statuses if not st.done and not st.in_plan)
    gone = tuple(s.name for s in followed.steps if s.name not in on_map)
    return Progress(statuses, moved, added, dropped, gone)
