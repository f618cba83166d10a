"""The Plan page's other tabs: What if (a stance changed in memory, who moves, how the plan
changes, who can swing the decision, the plan's first steps replayed) and Alternatives (routes
about as good, cheaper plans not chosen, the second-best opening, the plan not through someone).
Nothing here is saved until "Save this change" is pressed.
"""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd
import streamlit as st

from stakemap.language import gettext as _
from stakemap.language import ngettext
from stakemap.model import STANCE_LABELS, StakeholderMap, stance_label
from stakemap.planning import planner, whatif
from stakemap.planning.closing import clauses
from stakemap.planning.opinion import supports
from stakemap.planning.record import Plan, Route, Step
from stakemap.planning.report import then_text
from stakemap.planning.rule import sentences
from stakemap.planning.words import list_text, percent, phase_word
from stakemap.ui.language import shown_as
from stakemap.ui.session import Current, per_version, save
from stakemap.ui.text import inert

__all__ = [
    "MOVE_SHOWN",
    "alternatives_tab",
    "avoid_text",
    "moves",
    "nobody_moves",
    "opening_text",
    "plan_changes",
    "route_text",
    "what_if_tab",
]

#: Smallest predicted move shown in the what-if table.
MOVE_SHOWN = 0.05


def route_text(r: Route) -> str:
    """Another route in words: 'Or: Ben, then Ed (effort 9; holds in 70% of nearby maps)'.

    >>> route_text(Route(("Ben", "Ed"), 9.0, 0.7))
    'Or: Ben, then Ed (effort 9; holds in 70% of nearby maps)'
    """
    names = then_text(r.names) if r.names else _("no meeting")
    if r.confidence is None:
        return _("Or: {names} (effort {effort:g})").format(names=names, effort=r.effort)
    return _("Or: {names} (effort {effort:g}; holds in {share} of nearby maps)").format(
        names=names, effort=r.effort, share=percent(r.confidence)
    )


def avoid_text(base: Plan, other: Plan, name: str) -> str:
    """The plan that does not go through ``name``, against the plan now, with why it is not
    the plan when it costs less.

    >>> from stakemap.samples.cases import new_programme
    >>> m = new_programme()
    >>> base = planner.plan(m, samples=0)
    >>> avoid_text(base, planner.plan(m, samples=0, exclude=["Rosa Mendes"]), "Rosa Mendes")
    'Not through Rosa Mendes: not ready without them (the plan now: effort 13).'
    """
    if not other.close.ready:
        return _(
            "Not through {name}: not ready without them (the plan now: effort {effort:g})."
        ).format(name=name, effort=base.effort)
    change = other.effort - base.effort
    steps = sum(s.phase != "close" for s in other.steps)
    if change:
        text = _(
            "Not through {name}: effort {effort:g} ({change:+g} effort than the plan now), "
            "{steps} one-to-one steps"
        )
    else:
        text = _(
            "Not through {name}: effort {effort:g} (the same effort than the plan now), "
            "{steps} one-to-one steps"
        )
    text = text.format(name=name, effort=other.effort, change=change, steps=steps)
    return _why_not(base, other, text)


def _why_not(base: Plan, other: Plan, text: str) -> str:
    """``text`` as a sentence, with why a plan costing no more than the plan is not the plan:
    it holds less often."""
    if other.effort > base.effort or other.close.confidence is None:
        return _("{text}.").format(text=text)
    if base.close.confidence is None or other.close.confidence >= base.close.confidence:
        return _("{text}; holds in {share} of nearby maps.").format(
            text=text, share=percent(other.close.confidence)
        )
    return _(
        "{text}; not chosen: it holds in {share} of nearby maps, the plan in {plan_share}."
    ).format(
        text=text, share=percent(other.close.confidence), plan_share=percent(base.close.confidence)
    )


def opening_text(base: Plan, other: Plan | None) -> str:
    """The second-best opening (:func:`stakemap.planning.planner.second_opening`) against the
    plan now, with why it was not chosen when it costs no more.

    >>> from stakemap.samples.cases import new_programme
    >>> m = new_programme()
    >>> base = planner.plan(m, samples=0)
    >>> opening_text(base, planner.second_opening(m, base.steps[0].name, samples=0))
    ... # doctest: +NORMALIZE_WHITESPACE
    'Second-best opening: Priya Nair first, effort 13 (the same effort as the plan now),
     5 one-to-one steps, the same people in another order.'
    """
    first = base.steps[0].name if base.steps else ""
    if other is None or not other.steps:
        return _("Second-best opening: no ready plan opens with anyone but {name}.").format(
            name=first
        )
    change = other.effort - base.effort
    steps = sum(s.phase != "close" for s in other.steps)
    if change:
        text = _(
            "Second-best opening: {name} first, effort {effort:g} ({change:+g} effort than the "
            "plan now), {steps} one-to-one steps"
        )
    else:
        text = _(
            "Second-best opening: {name} first, effort {effort:g} (the same effort as the plan "
            "now), {steps} one-to-one steps"
        )
    text = text.format(name=other.steps[0].name, effort=other.effort, change=change, steps=steps)
    if {s.name for s in other.steps} == {s.name for s in base.steps}:
        text = _("{text}, the same people in another order").format(text=text)
    return _why_not(base, other, text)


def alternatives_tab(cur: Current, p: Plan, share, exclude: Collection[str]) -> None:
    """Other routes, cheaper plans not chosen and why, the second-best opening, then the best
    plan that avoids a chosen person (the first step's by default) and what each costs."""
    met = [s.name for s in p.steps if s.phase != "close"]
    if p.routes:
        st.markdown(_("**Routes about as good as the plan**"))
        for r in p.routes:
            why = f" · {r.why_not}" if r.why_not else ""
            st.caption(inert(route_text(r) + why))
    if p.cheaper:
        st.markdown(_("**Cheaper plans, not chosen**"))
        for r in p.cheaper:
            st.caption(
                inert(
                    _("{names}: effort {effort:g}; {why}").format(
                        names=then_text(r.names), effort=r.effort, why=r.why_not
                    )
                )
            )
    if not met:
        return
    other = planner.second_opening(cur.data, met[0], pass_share=share, exclude=exclude)
    st.markdown(inert(opening_text(p, other)))
    if other is not None:
        st.caption(inert(clauses([_step_text(s) for s in other.steps])))
    st.caption(_("The best plan that does not go through someone, and what it costs."))
    name = st.selectbox(
        _("Not through"), met, key=f"plan-avoid-{cur.map_id}", help=_("Plans again without them.")
    )
    avoided = planner.plan(cur.data, pass_share=share, exclude=[*exclude, name])
    st.markdown(inert(avoid_text(p, avoided, name)))
    steps = [_step_text(s) for s in avoided.steps]
    if steps:
        st.caption(inert(clauses(steps)))


def _step_text(s: Step) -> str:
    """'3. Rosa Mendes (persuade)'."""
    return _("{order}. {name} ({phase})").format(
        order=s.order, name=s.name, phase=phase_word(s.phase)
    )


def moves(
    before: dict[str, float],
    after: dict[str, float],
    stances: dict[str, int],
    least: float = MOVE_SHOWN,
) -> pd.DataFrame:
    """Who moves between two predictions, most first (changes smaller than ``least`` left out).

    >>> table = moves({"A": 0.0, "B": 1.0}, {"A": 0.5, "B": 1.01}, {"A": 0, "B": 1})
    >>> table[["Person", "Stance now", "Moves"]].to_dict("records")
    [{'Person': 'A', 'Stance now': 'Neutral', 'Moves': 0.5}]
    """
    person, now, pre, post, shift = (
        _("Person"),
        _("Stance now"),
        _("Predicted before"),
        _("Predicted after"),
        _("Moves"),
    )
    rows = [
        {
            person: name,
            now: _(stance_label(stances[name])),
            pre: round(before[name], 2),
            post: round(after[name], 2),
            shift: round(after[name] - before[name], 2),
        }
        for name in before
        if abs(after[name] - before[name]) >= least
    ]
    rows.sort(key=lambda r: (-abs(r[shift]), r[person]))
    return pd.DataFrame(rows, columns=[person, now, pre, post, shift])


def plan_changes(old: Plan, new: Plan) -> pd.DataFrame:
    """The two plans side by side, step by step (empty where one plan is shorter)."""
    length = max(len(old.steps), len(new.steps))

    def cell(p: Plan, k: int) -> str:
        if k >= len(p.steps):
            return ""
        step = p.steps[k]
        return _("{name} ({phase})").format(name=step.name, phase=phase_word(step.phase))

    return pd.DataFrame(
        {
            _("Step"): list(range(1, length + 1)),
            _("Plan now"): [cell(old, k) for k in range(length)],
            _("With the change"): [cell(new, k) for k in range(length)],
        }
    )


def what_if_tab(cur: Current, p: Plan, share, exclude: Collection[str]) -> None:
    m = cur.data
    st.caption(
        _(
            "Change anyone's stance to see who moves with them and how the plan changes. Nothing "
            "is saved until you press Save."
        )
    )
    left, right = st.columns(2)
    name = left.selectbox(_("Person"), m.names, key=f"whatif-person-{cur.map_id}")
    person = m.get(name)
    labels = list(STANCE_LABELS.values())
    key = f"whatif-stance-{cur.map_id}-{m.names.index(name)}"  # a fresh slider per person
    chosen = right.select_slider(
        _("Stance"), labels, value=person.stance_label, key=key, format_func=shown_as(labels)
    )
    stance = labels.index(chosen) - 2
    if stance == person.stance:
        st.info(
            _("Pick a stance other than {label} to see what changes.").format(
                label=_(person.stance_label)
            )
        )
    else:
        stances = {s.name: s.stance for s in m.stakeholders}
        before, after = whatif.simulate(m), whatif.simulate(m, {name: stance})
        del before[name], after[name]  # the change itself is not a move
        table = moves(before, after, stances)
        st.markdown(
            _("**If {name} becomes {label}, who moves**").format(name=inert(name), label=_(chosen))
        )
        if table.empty:
            st.caption(inert(nobody_moves(m, name, stance)))
        else:
            st.dataframe(table, hide_index=True, width="stretch", key="whatif-moves")
        new = planner.plan(m, pass_share=share, exclude=exclude, overrides={name: stance})
        st.markdown(_("**How the plan changes**"))
        st.dataframe(plan_changes(p, new), hide_index=True, width="stretch", key="whatif-plan")
        st.caption(_("With the change: {reason}").format(reason=inert(new.close.reason)))
        if st.button(
            _("Save this change"), key="whatif-save", type="primary", icon=":material/save:"
        ):
            changed = m.with_stakeholder(name, stance=stance)
            save(
                changed,
                _("Stance of {name}: {before} -> {after} (what-if)").format(
                    name=name, before=_(person.stance_label), after=_(chosen)
                ),
            )
            st.rerun()
    _replay_steps(m, p)
    _pivotal(cur, p, share)


def _pivotal(cur: Current, p: Plan, share) -> None:
    with st.expander(_("Who can swing the decision")):
        index, exact = per_version(
            f"pivotal {share}", cur, lambda c: whatif.pivotal_power(c.data, share)
        )
        power = {k: v for k, v in index.items() if v > 0}
        if not power:
            st.caption(_("No one can swing the decision: no group of members can pass it."))
            return
        person, swing = _("Person"), _("Swing share")
        table = pd.DataFrame([{person: n, swing: v} for n, v in power.items()]).sort_values(
            [swing, person], ascending=[False, True]
        )
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            key="whatif-pivotal",
            column_config={
                swing: st.column_config.ProgressColumn(
                    format="percent", min_value=0.0, max_value=float(max(power.values()))
                )
            },
        )
        said = [
            _(
                "How often each member's vote turns a group that fails into one that passes "
                "(Banzhaf's index): only the decision body counts, and a veto holder swings every "
                "group that passes with him."
            ),
            _("With the plan's steps done, the rule holds.")
            if p.close.ready
            else _("With the plan's steps done, the rule does not hold yet."),
        ]
        if not exact:
            said.append(_("Estimated from 4,000 random groups."))
        st.caption(sentences(*said))


def _replay_steps(m: StakeholderMap, p: Plan) -> None:
    """The plan's first steps replayed through the same model: who is for it after them."""
    meetings = [s.name for s in p.steps if s.phase != "close"]
    if not meetings:
        return
    done = st.slider(
        _("Replay the plan's first steps"), 0, len(meetings), len(meetings), key="whatif-replay"
    )
    predicted = whatif.simulate(m, meetings=meetings[:done])
    backers = [n for n, v in predicted.items() if supports(v)]
    after = ngettext(
        "After {n} step, the model predicts {count} people for it: {names}.",
        "After {n} steps, the model predicts {count} people for it: {names}.",
        done,
    )
    names = list_text(backers) or _("nobody")
    st.caption(inert(after.format(n=done, count=len(backers), names=names)))


def nobody_moves(m: StakeholderMap, name: str, stance: int) -> str:
    """Why no one else moves when ``name`` takes ``stance``: who listens and why they hold.

    >>> from stakemap.samples.cases import new_programme
    >>> nobody_moves(new_programme(), "Grace Kim", 1)
    'Nobody else moves: Grace Kim at Supporter agrees but carries it to no one until met.'
    """
    listeners = [b for a, b, w in m.influence_edges() if a == name and w > 0]
    if abs(stance) == 1:
        if stance > 0:
            text = _(
                "Nobody else moves: {name} at {label} agrees but carries it to no one until met."
            )
        else:
            text = _(
                "Nobody else moves: {name} at {label} disagrees but carries it to no one until met."
            )
        return text.format(name=name, label=_(stance_label(stance)))
    if not listeners:
        return _("Nobody else moves: no one on the map listens to {name}.").format(name=name)
    firm = [b for b in listeners if (p := m.get(b)) is not None and abs(p.stance) >= 2]
    heard = ngettext(
        "{people} listens to {name}", "{people} listen to {name}", len(listeners)
    ).format(people=list_text(listeners), name=name)
    if not firm:
        return _("Nobody else moves: {heard}, but they hold a firm stance.").format(heard=heard)
    return ngettext(
        "Nobody else moves: {heard}, but {people} holds a firm stance.",
        "Nobody else moves: {heard}, but {people} hold a firm stance.",
        len(firm),
    ).format(heard=heard, people=list_text(firm))
