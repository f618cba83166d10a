"""The Plan page's steps: the plan the user follows, meetings' outcomes and the engagement log.

Steps come from the plan of record (:mod:`stakemap.planning.following`) once the user records a
first outcome, so their numbers stay put; until then from the plan computed now. Each step's card
records a meeting's outcome (won, agreed but passive, not convinced) with a date and a note in
one saved version. What a person reads is drawn as cards: every step on a short plan, on a long
one the next :data:`CARDS` open steps (or the steps found by name), the rest in one table,
because the browser spends most of a long plan's time drawing cards (issue 15).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd
import streamlit as st

from stakemap.language import gettext as _
from stakemap.language import ngettext
from stakemap.model import OUTCOMES, Engagement, FollowedPlan, StakeholderMap, stance_label
from stakemap.planning.following import (
    NOTE_LENGTH,
    Progress,
    StepStatus,
    follow,
    progress,
    record_outcome,
)
from stakemap.planning.record import Plan, Step
from stakemap.planning.rule import sentences
from stakemap.planning.words import PHASES, list_text, percent
from stakemap.ui.language import shown_as
from stakemap.ui.session import Current, revision, save
from stakemap.ui.text import inert

__all__ = [
    "ALL_CARDS",
    "CARDS",
    "changes_lines",
    "log_rows",
    "show_log",
    "steps_section",
    "steps_table",
]

#: A plan this short is drawn as cards only; a longer one shows this many open steps as cards.
ALL_CARDS = 12
CARDS = 8
#: Names listed in a sentence of the progress panel before "and N more".
LISTED = 8
#: Session key of the last saved outcome: (revision it was saved as, message, saved or not).
_SAVED_KEY = "plan-outcome-message"
#: Session flag: a save from inside the steps fragment wants the whole page drawn again.
_RERUN_KEY = "plan-outcome-rerun"


@st.fragment
def steps_section(cur: Current, p: Plan) -> None:
    """The progress panel and the steps (cards, then the table of the rest on a long plan).

    A fragment: a search or an open form reruns only this part (the plan of a 2,000-person map
    is not planned or charted again); a saved outcome reruns the whole page."""
    if st.session_state.pop(_RERUN_KEY, False):
        st.rerun()  # a new version: the plan, chart and close card change too
    m = cur.data
    followed = m.followed or follow(p, m, cur.version, dt.date.today().isoformat())
    got = progress(m, followed, p)
    _saved_banner()
    if m.followed is not None:
        _progress_panel(cur, got, p)
    now = {s.name: s for s in p.steps}
    shown, rest = _split(cur, got)
    for status in shown:
        _card(cur, followed, status, now.get(status.step.name))
    if rest:
        st.caption(
            ngettext(
                "{n} more step: find a person above to record their meeting.",
                "{n} more steps: find a person above to record their meeting.",
                len(rest),
            ).format(n=len(rest))
        )
        st.dataframe(steps_table(rest), hide_index=True, width="stretch", key="plan-steps-table")


def _split(cur: Current, got: Progress) -> tuple[list[StepStatus], list[StepStatus]]:
    """(steps drawn as cards, steps listed in the table): all cards on a short plan."""
    steps = list(got.steps)
    if len(steps) <= ALL_CARDS:
        return steps, []
    query = st.text_input(
        _("Find a step by name"),
        key=f"plan-find-{cur.map_id}",
        placeholder=_("Type part of a name"),
        help=_("Shows the matching steps as cards, to record their meetings."),
    )
    if query.strip():
        found = [s for s in steps if query.strip().casefold() in s.step.name.casefold()]
        if not found:
            st.caption(_("No step's person has that in their name."))
        return found[:CARDS], found[CARDS:]
    open_steps = [s for s in steps if not s.done][:CARDS]
    cards = {id(s) for s in open_steps}
    return open_steps, [s for s in steps if id(s) not in cards]


def steps_table(steps: list[StepStatus]) -> pd.DataFrame:
    """The steps not drawn as cards, one row each (a dataframe: its cells are plain text).

    >>> from stakemap.model import FollowedStep
    >>> table = steps_table([StepStatus(FollowedStep(3, "Ana", "persuade", ("Ben",)), None, True)])
    >>> table.iloc[0].to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'Step': 3, 'Person': 'Ana', 'Phase': 'Persuade', 'Through': 'Ben', 'Ask': '',
     'Status': 'To do'}
    """
    columns = [_("Step"), _("Person"), _("Phase"), _("Through"), _("Ask"), _("Status")]
    return pd.DataFrame(
        [
            dict(
                zip(
                    columns,
                    (
                        s.step.order,
                        s.step.name,
                        _(PHASES[s.step.phase][0]),
                        list_text(s.step.messengers),
                        s.step.ask or "",
                        _status(s),
                    ),
                    strict=True,
                )
            )
            for s in steps
        ],
        columns=columns,
    )


def _status(s: StepStatus) -> str:
    if s.outcome is not None:
        return _("{outcome} ({date})").format(
            outcome=_(s.outcome.outcome_label), date=s.outcome.date
        )
    return _("To do") if s.in_plan else _("No longer in the plan")


def _progress_panel(cur: Current, got: Progress, p: Plan) -> None:
    m = cur.data
    with st.container(border=True, key="plan-progress"):
        done, total = got.done, len(got.meetings)
        nxt = got.next
        left, right = st.columns([1, 2])
        left.metric(_("Meetings done"), _("{done} of {total}").format(done=done, total=total))
        if nxt is None:
            right.markdown(_("**Next:** every step of the plan is done."))
        else:
            right.markdown(
                _("**Next:** step {order}, {name}").format(
                    order=nxt.step.order, name=inert(nxt.step.name)
                )
            )
        f = m.followed
        said = [
            _(
                "Following the plan made on {date} at version {version}; step numbers stay as "
                "planned."
            ).format(date=f.date, version=f.version)
        ]
        if abs(f.pass_share - p.pass_share) > 1e-9:
            said.append(
                _("It was made when {then} had to back it; now {now} must.").format(
                    then=percent(f.pass_share), now=percent(p.pass_share)
                )
            )
        st.caption(sentences(*said))
        for line in changes_lines(got):
            st.markdown(f"- {inert(line)}")
        if st.button(
            _("Follow the plan as it is now"),
            key=f"plan-refollow-{revision()}",
            icon=":material/refresh:",
            help=_(
                "Makes the plan computed now the plan of record (new step numbers); the "
                "engagement log is kept."
            ),
        ):
            new = follow(p, m, cur.version, dt.date.today().isoformat())
            said = _("Now following the plan of version {version}").format(version=cur.version)
            if save(replace(m, followed=new), said):
                st.rerun()


def changes_lines(got: Progress) -> list[str]:
    """What changed since the followed plan was made, one sentence each.

    >>> from stakemap.model import FollowedStep
    >>> got = Progress((), (("Ana", 0, 2),), ("Cy",), ("Ben",), ())
    >>> changes_lines(got)  # doctest: +NORMALIZE_WHITESPACE
    ['Stance moved since the plan was made: Ana (Neutral -> Champion).',
     'The plan now adds: Cy.', 'The plan now drops (no longer needed): Ben.']
    """
    lines = []
    if got.moved:
        moved = [
            _("{name} ({before} -> {after})").format(
                name=n, before=_(stance_label(a)), after=_(stance_label(b))
            )
            for n, a, b in got.moved
        ]
        lines.append(
            _("Stance moved since the plan was made: {names}.").format(names=_listed(moved))
        )
    if got.added:
        lines.append(_("The plan now adds: {names}.").format(names=_listed(list(got.added))))
    if got.dropped:
        lines.append(
            _("The plan now drops (no longer needed): {names}.").format(
                names=_listed(list(got.dropped))
            )
        )
    if got.gone:
        lines.append(_("No longer on the map: {names}.").format(names=_listed(list(got.gone))))
    if not lines:
        lines.append(_("Nothing changed since the plan was made."))
    return lines


def _listed(items: list[str]) -> str:
    shown = list_text(items[:LISTED])
    if len(items) <= LISTED:
        return shown
    return _("{names} and {n} more").format(names=shown, n=len(items) - LISTED)


def _card(cur: Current, followed: FollowedPlan, status: StepStatus, now: Step | None) -> None:
    step = status.step
    title, what = (_(text) for text in PHASES[step.phase])
    with st.container(border=True, key=f"plan-step-{step.order}"):
        head, act = st.columns([4, 2], vertical_alignment="center")
        who = inert(step.name)
        heading = (
            _("Group meeting, aimed at {name}").format(name=who) if step.phase == "close" else who
        )
        mark = ""
        if status.outcome is not None:
            done = _("Done: {outcome} ({date})").format(
                outcome=inert(_(status.outcome.outcome_label)), date=status.outcome.date
            )
            mark = f" · {done}"
        elif not status.in_plan:
            mark = " · " + _("No longer in the plan")
        head.markdown(f"**{step.order}. {heading}** · {title}{mark}  \n{what}")
        if step.phase != "close" and cur.data.get(step.name) is not None:
            _outcome_form(act, cur, followed, status)
        facts = []
        if step.messengers:
            facts.append(
                _("**Through:** {people}").format(people=inert(list_text(step.messengers)))
            )
        if step.ask:
            facts.append(_("**Ask:** {ask}").format(ask=inert(step.ask)))
        if now is not None and status.outcome is None:
            facts.append(_("**For it after:** {standing}").format(standing=inert(now.standing)))
        if facts:
            st.markdown("  \n".join(facts))
        if now is not None and status.outcome is None:
            st.caption(inert(now.reason))
            if now.details:
                st.caption(_("Details: {details}").format(details=inert(now.details)))
        show_log(cur.data, step.name, key=f"plan-log-{step.order}")


def _outcome_form(where, cur: Current, followed: FollowedPlan, status: StepStatus) -> None:
    """A popover holding the outcome form; saving is its submit button's on_click."""
    order = status.step.order
    label = _("Record another meeting") if status.done else _("Record outcome")
    key = f"plan-outcome-{revision()}-{order}"
    popover = where.popover(
        label, icon=":material/edit_note:", width="stretch", key=f"{key}-open", on_change="rerun"
    )
    if not popover.open:  # sent when opened: closed, eight forms were still drawn (docs/speed.md)
        return
    with popover, st.form(key, border=False):
        st.radio(
            _("Outcome"),
            list(OUTCOMES),
            format_func=shown_as(OUTCOMES, lambda outcome: _(OUTCOMES[outcome])),
            key=f"{key}-what",
        )
        st.date_input(_("Date"), value=dt.date.today(), key=f"{key}-date", format="YYYY-MM-DD")
        st.text_area(_("Note"), key=f"{key}-note", max_chars=NOTE_LENGTH, height=80)
        st.form_submit_button(
            _("Save outcome"),
            type="primary",
            key=f"{key}-save",
            on_click=_save_outcome,
            args=(cur, followed, order, key),
        )


def _save_outcome(cur: Current, followed: FollowedPlan, order: int, key: str) -> None:
    """on_click of "Save outcome": the stance change, the log entry and the plan of record,
    in one new version."""
    state = st.session_state
    day = state.get(f"{key}-date") or dt.date.today()
    try:
        new, text = record_outcome(
            cur.data,
            followed,
            order,
            state.get(f"{key}-what") or "won",
            day.isoformat(),
            state.get(f"{key}-note") or "",
        )
    except ValueError as why:
        st.session_state[_SAVED_KEY] = (
            revision(),
            _("Not saved: {why}").format(why=why),
            False,
        )
        return
    if save(new, text):
        state[_SAVED_KEY] = (
            revision(),
            _("Saved: {change}. Undo in Data > History.").format(change=text),
            True,
        )
    state[_RERUN_KEY] = True


def _saved_banner() -> None:
    """The last outcome saved, until the next save."""
    saved = st.session_state.get(_SAVED_KEY)
    if saved is None or saved[0] != revision():
        return
    if saved[2]:
        st.success(inert(saved[1]), icon=":material/task_alt:")
    else:
        st.error(inert(saved[1]))


def log_rows(m: StakeholderMap, name: str) -> list[dict[str, object]]:
    """``name``'s engagement log as table rows, newest first.

    >>> from stakemap.model import Stakeholder
    >>> m = StakeholderMap((Stakeholder("Ana"),), engagements=(
    ...     Engagement("Ana", "2026-12-01", "passive", 0, 1, 2, "=1+1"),))
    >>> log_rows(m, "Ana")
    [{'Date': '2026-12-01', 'Outcome': 'Agreed but passive', 'Stance': 'Neutral -> Supporter', \
'Step': 2, 'Note': '=1+1'}]
    """
    return [
        {
            _("Date"): e.date,
            _("Outcome"): _(e.outcome_label),
            _("Stance"): _moved(e),
            _("Step"): e.step,
            _("Note"): e.note,
        }
        for e in reversed(m.log_of(name))
    ]


def _moved(e: Engagement) -> str:
    before, after = _(stance_label(e.stance_before)), _(stance_label(e.stance_after))
    if before == after:
        return before
    return _("{before} -> {after}").format(before=before, after=after)


def show_log(m: StakeholderMap, name: str, key: str) -> None:
    """A read-only engagement log of ``name`` (nothing when they have none): plain-text cells."""
    rows = log_rows(m, name)
    if not rows:
        return
    with st.expander(_("Engagement log ({n})").format(n=len(rows)), icon=":material/history:"):
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key=key)
