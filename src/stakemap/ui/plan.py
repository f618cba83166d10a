"""The Plan page: the coalition sequence as step cards, its support chart, and the what-if panel.

The plan is :func:`stakemap.planning.planner.plan` on the stored map; the steps, the outcomes of
their meetings and the plan being followed are drawn by :mod:`stakemap.ui.progress`. Everything
the page shows comes from that one plan record, so the summary, the steps, the close, the
alternatives and the method line agree. The what-if panel changes a stance in memory only
(:func:`stakemap.planning.whatif.simulate` and a plan with the same change) until "Save this
change" is pressed.
"""

from __future__ import annotations

from collections.abc import Collection
from fractions import Fraction

import altair as alt
import pandas as pd
import streamlit as st

from stakemap.model import STANCE_LABELS, StakeholderMap, stance_label
from stakemap.planning import planner, whatif
from stakemap.planning.opinion import supports
from stakemap.planning.record import Plan, Route
from stakemap.planning.rule import pass_share_of
from stakemap.planning.unlock import apply
from stakemap.planning.words import percent, point_change
from stakemap.ui.decision import decision_panel
from stakemap.ui.progress import steps_section
from stakemap.ui.session import Current, per_version, planned, save
from stakemap.ui.text import inert
from stakemap.values import amount_text, number_text

__all__ = [
    "avoid_text",
    "chart_rows",
    "confidence_text",
    "moves",
    "nobody_moves",
    "opening_text",
    "plan_changes",
    "plan_page",
    "route_text",
    "share_options",
    "summary_numbers",
    "support_chart",
]

#: Smallest predicted move shown in the what-if table.
MOVE_SHOWN = 0.05


def plan_page(cur: Current) -> None:
    """Draw the Plan page for this tab's map."""
    m = cur.data
    st.title("Plan")
    if not m.stakeholders:
        st.info("This map has no stakeholders yet: add them on the Data page.")
        return
    share, exclude = _controls(m, cur.map_id)
    p = planned(cur, share, exclude)
    champion = p.champion or "no champion yet"
    st.caption(f"{inert(m.proposal.title or 'The proposal')} · planned by {inert(champion)}")
    st.caption(inert(p.body))
    with st.expander("How it is decided (saved with the map)"):
        decision_panel(cur, "plan-decision", described=True)
    for note in p.advice:
        st.info(inert(note), icon=":material/lightbulb:")
    # Lazy tabs: only the open one runs (the alternatives plan again, at 2,000 people a second)
    plan_tab, what_if_tab, other_tab = st.tabs(
        ["Plan", "What if", "Alternatives"], key=f"plan-tab-{cur.map_id}", on_change="rerun"
    )
    if what_if_tab.open:
        with what_if_tab:
            _what_if(cur, p, share, exclude)
        return
    if other_tab.open:
        with other_tab:
            _alternatives(cur, p, share, exclude)
        return
    with plan_tab:
        _summary(p)
        if p.verdict:
            st.caption(inert(p.verdict[:1].upper() + p.verdict[1:] + "."))
        st.caption(inert(p.method_text))
        # a followed plan keeps its own numbers on the cards; the chart counts what is left
        axis = "Meetings still to do (0 = now)" if m.followed else "Step (0 = now)"
        st.altair_chart(support_chart(p, axis), width="stretch")
        steps_section(cur, p)
        _close_card(p)
        _unlock_panel(cur, p, exclude)


def share_options(current: Fraction) -> list[Fraction]:
    """The pass shares the what-if slider offers: 5% steps, thirds, and the rule's own.

    >>> [amount_text(s) for s in share_options(Fraction(2, 3))][13:16]
    ['65%', '2/3', '70%']
    """
    steps = {Fraction(k, 20) for k in range(1, 21)} | {Fraction(1, 3), Fraction(2, 3), current}
    return sorted(steps)


def _controls(m: StakeholderMap, map_id: int) -> tuple[Fraction | None, list[str]]:
    """The what-if pass share (only where the rule is one share of the votes; None: the map's
    own rule) and the people not to approach."""
    left, right = st.columns([1, 2])
    current = pass_share_of(m.proposal)
    share = None
    if current is not None:
        chosen = left.select_slider(
            "Pass share, what if (not saved)",
            share_options(current),
            value=current,
            format_func=amount_text,
            key=f"plan-pass-{map_id}-{current}",
            help="Plans as if the proposal needed this share of the votes; the map's own rule "
            "is set under How it is decided. Exactly half means more than half.",
        )
        share = None if chosen == current else chosen
    key = f"plan-exclude-{map_id}"
    names = [n for n in m.names if n != m.proposal.champion]
    if key in st.session_state:  # a person renamed or removed since: drop them
        st.session_state[key] = [n for n in st.session_state[key] if n in names]
    exclude = right.multiselect(
        "Do not approach",
        names,
        key=key,
        help="The plan leaves them out; they still count if they agree.",
    )
    return share, exclude


def summary_numbers(p: Plan) -> tuple[str, str, str | None]:
    """Those for now, at the close and the change, counted on the first threshold's measure
    ('7 of 23', '16 of 23', '+9'); shares where the measure is not whole numbers.

    >>> from stakemap.samples.cases import new_programme
    >>> summary_numbers(planner.plan(new_programme(), samples=0))
    ('7 of 23', '16 of 23', '+9')
    """
    first = p.rule.thresholds[0] if p.rule and p.rule.thresholds else None
    if (
        first is None
        or first.total.denominator != 1
        or any(x.denominator != 1 for x in (first.for_before, first.for_after))
    ):
        now = percent(p.support_share_before, p.digits)
        close = percent(p.close.support_share, p.digits)
        change = close.rstrip("%") != now.rstrip("%")
        return now, close, f"{point_change(now, close)} pts" if change else None
    total = number_text(first.total)
    before, after = first.for_before, first.for_after
    change = f"{int(after - before):+d}" if after != before else None
    return f"{number_text(before)} of {total}", f"{number_text(after)} of {total}", change


def _summary(p: Plan) -> None:
    now, after, ready, steps, sure = st.columns(5)
    before, close, change = summary_numbers(p)
    now.metric("For it now", before, help="Counted on the rule's first threshold.")
    after.metric("At the close", close, delta=change, help="After every one-to-one step.")
    ready.metric(
        "Group meeting",
        "Ready" if p.close.ready else "Not yet",
        help="Every threshold holds and no veto blocks.",
    )
    steps.metric("One-to-one steps", sum(s.phase != "close" for s in p.steps))
    sure.metric(
        "Holds in nearby maps",
        "not measured" if p.close.confidence is None else percent(p.close.confidence),
        help="Share of nearby maps (every power, effort, tie strength and stance moved by up "
        "to one point, seeded) on which these steps still make it ready.",
    )


def confidence_text(p: Plan) -> str:
    """'holds in 95% of nearby maps', or why it was not measured.

    >>> from stakemap.samples.cases import new_programme
    >>> confidence_text(planner.plan(new_programme(), samples=0))
    'not measured'
    """
    if p.close.confidence is None:
        return "not measured"
    return f"holds in {percent(p.close.confidence)} of nearby maps"


def route_text(r: Route) -> str:
    """Another route in words: 'Or: Ben, then Ed (effort 9; holds in 70% of nearby maps)'.

    >>> route_text(Route(("Ben", "Ed"), 9.0, 0.7))
    'Or: Ben, then Ed (effort 9; holds in 70% of nearby maps)'
    """
    held = "" if r.confidence is None else f"; holds in {percent(r.confidence)} of nearby maps"
    names = ", then ".join(r.names) if r.names else "no meeting"
    return f"Or: {names} (effort {r.effort:g}{held})"


def chart_rows(p: Plan) -> list[dict]:
    """Rows of the support chart: the share for it and the share carrying it before any step
    (step 0) and after each step, with the person and phase of the step.

    >>> from stakemap.samples.cases import new_programme
    >>> rows = chart_rows(planner.plan(new_programme(), samples=0))
    >>> [(r["step"], r["who"], r["measure"]) for r in rows[:3]]
    [(0, 'Now', 'For it'), (1, 'Omar Haddad', 'For it'), (2, 'Priya Nair', 'For it')]
    """
    rows = []
    for measure, start, field in (
        ("For it", p.support_share_before, "support_share_after"),
        ("Carrying it", p.active_share_before, "active_share_after"),
    ):
        rows.append({"step": 0, "who": "Now", "phase": "", "measure": measure, "share": start})
        rows += [
            {
                "step": s.order,
                "who": s.name,
                "phase": s.phase,
                "measure": measure,
                "share": getattr(s, field),
            }
            for s in p.steps
        ]
    return rows


def support_chart(p: Plan, axis: str = "Step (0 = now)") -> alt.LayerChart:
    """The share for it step by step against the pass line (the least share that passes).

    Those carrying it are a wide pale band and those for it a thin dark line with points drawn
    on top, so both stay visible where the two coincide.
    """
    data = pd.DataFrame(chart_rows(p))
    measures = ["Carrying it", "For it"]  # drawing order: for it on top
    unit = "power" if p.counted == "power" else "the votes"
    base = alt.Chart(data).encode(
        x=alt.X("step:O", title=axis, axis=alt.Axis(labelAngle=0)),
        y=alt.Y(
            "share:Q",
            title=f"Share of {unit}",
            scale=alt.Scale(domain=[0, 1]),
            axis=alt.Axis(format="%"),
        ),
        color=alt.Color(
            "measure:N",
            title=None,
            legend=alt.Legend(orient="bottom", symbolType="stroke", symbolSize=400),
            scale=alt.Scale(domain=measures, range=["#56B4E9", "#0072B2"]),
        ),
        strokeWidth=alt.StrokeWidth(
            "measure:N", title=None, scale=alt.Scale(domain=measures, range=[7, 2]), legend=None
        ),
        tooltip=[
            alt.Tooltip("step:O", title=axis.split(" (")[0]),
            alt.Tooltip("who:N", title="Person"),
            alt.Tooltip("phase:N", title="Phase"),
            alt.Tooltip("share:Q", title="Share", format=f".{p.digits}%"),
        ],
    )
    band = base.transform_filter(alt.datum.measure == measures[0]).mark_line(opacity=0.6)
    line = base.transform_filter(alt.datum.measure == measures[1]).mark_line(point=True)
    rule = (
        alt.Chart(pd.DataFrame({"share": [p.pass_share]}))
        .mark_rule(color="#D55E00", strokeDash=[6, 4])
        .encode(y="share:Q")
    )
    text = f"Passes from {percent(p.pass_share, p.digits)}"
    label = (
        alt.Chart(pd.DataFrame({"share": [p.pass_share], "text": [text]}))
        .mark_text(align="left", dx=4, dy=-8, color="#D55E00")
        .encode(y="share:Q", text="text:N", x=alt.value(0))
    )
    return alt.layer(band, line, rule, label).properties(height=260)


def _close_card(p: Plan) -> None:
    with st.container(border=True, key="plan-close"):
        if p.close.ready:
            st.success(inert(p.close.reason), icon=":material/groups:")
        else:
            st.warning(inert(p.close.reason), icon=":material/hourglass_empty:")
        if p.close.confidence is not None:
            st.caption(f"This plan {confidence_text(p)}.")
        for r in p.routes:
            st.caption(inert(route_text(r)))
        if p.not_approached:
            st.caption(f"Not approached one-to-one: {inert(', '.join(p.not_approached))}")


def _unlock_panel(cur: Current, p: Plan, exclude: Collection[str]) -> None:
    """The checked changes that would make a plan exist, as what-if buttons (a copy of the map,
    never the stored one)."""
    if not p.unlock:
        return
    st.markdown("**What it would take** (each change checked by planning again)")
    key = f"plan-unlock-{cur.map_id}"
    for k, u in enumerate(p.unlock):
        label = f"{u.text} (then effort {u.effort:g})"
        if st.button(inert(label), key=f"plan-unlock-{cur.map_id}-{k}", icon=":material/science:"):
            st.session_state[key] = k
    chosen = st.session_state.get(key)
    if chosen is None or chosen >= len(p.unlock):
        return
    u = p.unlock[chosen]
    new = planner.plan(apply(cur.data, u.change), exclude=exclude)
    with st.container(border=True, key="plan-unlocked"):
        st.markdown(f"**What if: {inert(u.text)}** (not saved)")
        st.dataframe(plan_changes(p, new), hide_index=True, width="stretch", key="unlock-plan")
        st.caption(inert(new.close.reason))


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
        return f"Not through {name}: not ready without them (the plan now: effort {base.effort:g})."
    change = other.effort - base.effort
    more = f"{change:+g} effort" if change else "the same effort"
    text = (
        f"Not through {name}: effort {other.effort:g} ({more} than the plan now), "
        f"{sum(s.phase != 'close' for s in other.steps)} one-to-one steps"
    )
    return text + _why_not(base, other) + "."


def _why_not(base: Plan, other: Plan) -> str:
    """Why a plan costing no more than the plan is not the plan: it holds less often."""
    if other.effort > base.effort or other.close.confidence is None:
        return ""
    if base.close.confidence is None or other.close.confidence >= base.close.confidence:
        return f"; holds in {percent(other.close.confidence)} of nearby maps"
    return (
        f"; not chosen: it holds in {percent(other.close.confidence)} of nearby maps, the plan "
        f"in {percent(base.close.confidence)}"
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
        return f"Second-best opening: no ready plan opens with anyone but {first}."
    change = other.effort - base.effort
    more = f"{change:+g} effort than" if change else "the same effort as"
    steps = sum(s.phase != "close" for s in other.steps)
    text = (
        f"Second-best opening: {other.steps[0].name} first, effort {other.effort:g} "
        f"({more} the plan now), {steps} one-to-one steps"
    )
    if {s.name for s in other.steps} == {s.name for s in base.steps}:
        text += ", the same people in another order"
    return text + _why_not(base, other) + "."


def _alternatives(cur: Current, p: Plan, share, exclude: Collection[str]) -> None:
    """Other routes, cheaper plans not chosen and why, the second-best opening, then the best
    plan that avoids a chosen person (the first step's by default) and what each costs."""
    met = [s.name for s in p.steps if s.phase != "close"]
    if p.routes:
        st.markdown("**Routes about as good as the plan**")
        for r in p.routes:
            why = f" · {r.why_not}" if r.why_not else ""
            st.caption(inert(route_text(r) + why))
    if p.cheaper:
        st.markdown("**Cheaper plans, not chosen**")
        for r in p.cheaper:
            st.caption(inert(f"{', then '.join(r.names)}: effort {r.effort:g}; {r.why_not}"))
    if not met:
        return
    other = planner.second_opening(cur.data, met[0], pass_share=share, exclude=exclude)
    st.markdown(inert(opening_text(p, other)))
    if other is not None:
        st.caption(inert("; ".join(f"{s.order}. {s.name} ({s.phase})" for s in other.steps)))
    st.caption("The best plan that does not go through someone, and what it costs.")
    name = st.selectbox(
        "Not through", met, key=f"plan-avoid-{cur.map_id}", help="Plans again without them."
    )
    avoided = planner.plan(cur.data, pass_share=share, exclude=[*exclude, name])
    st.markdown(inert(avoid_text(p, avoided, name)))
    steps = [f"{s.order}. {s.name} ({s.phase})" for s in avoided.steps]
    if steps:
        st.caption(inert("; ".join(steps)))


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
    rows = [
        {
            "Person": name,
            "Stance now": stance_label(stances[name]),
            "Predicted before": round(before[name], 2),
            "Predicted after": round(after[name], 2),
            "Moves": round(after[name] - before[name], 2),
        }
        for name in before
        if abs(after[name] - before[name]) >= least
    ]
    rows.sort(key=lambda r: (-abs(r["Moves"]), r["Person"]))
    return pd.DataFrame(
        rows, columns=["Person", "Stance now", "Predicted before", "Predicted after", "Moves"]
    )


def plan_changes(old: Plan, new: Plan) -> pd.DataFrame:
    """The two plans side by side, step by step (empty where one plan is shorter)."""
    length = max(len(old.steps), len(new.steps))

    def cell(p: Plan, k: int) -> str:
        return f"{p.steps[k].name} ({p.steps[k].phase})" if k < len(p.steps) else ""

    return pd.DataFrame(
        {
            "Step": list(range(1, length + 1)),
            "Plan now": [cell(old, k) for k in range(length)],
            "With the change": [cell(new, k) for k in range(length)],
        }
    )


def _what_if(cur: Current, p: Plan, share, exclude: Collection[str]) -> None:
    m = cur.data
    st.caption(
        "Change anyone's stance to see who moves with them and how the plan changes. Nothing "
        "is saved until you press Save."
    )
    left, right = st.columns(2)
    name = left.selectbox("Person", m.names, key=f"whatif-person-{cur.map_id}")
    person = m.get(name)
    labels = list(STANCE_LABELS.values())
    key = f"whatif-stance-{cur.map_id}-{m.names.index(name)}"  # a fresh slider per person
    chosen = right.select_slider("Stance", labels, value=person.stance_label, key=key)
    stance = labels.index(chosen) - 2
    if stance == person.stance:
        st.info(f"Pick a stance other than {person.stance_label} to see what changes.")
    else:
        stances = {s.name: s.stance for s in m.stakeholders}
        before, after = whatif.simulate(m), whatif.simulate(m, {name: stance})
        del before[name], after[name]  # the change itself is not a move
        table = moves(before, after, stances)
        st.markdown(f"**If {inert(name)} becomes {chosen}, who moves**")
        if table.empty:
            st.caption(inert(nobody_moves(m, name, stance)))
        else:
            st.dataframe(table, hide_index=True, width="stretch", key="whatif-moves")
        new = planner.plan(m, pass_share=share, exclude=exclude, overrides={name: stance})
        st.markdown("**How the plan changes**")
        st.dataframe(plan_changes(p, new), hide_index=True, width="stretch", key="whatif-plan")
        st.caption(f"With the change: {inert(new.close.reason)}")
        if st.button("Save this change", key="whatif-save", type="primary", icon=":material/save:"):
            changed = m.with_stakeholder(name, stance=stance)
            save(changed, f"Stance of {name}: {person.stance_label} -> {chosen} (what-if)")
            st.rerun()
    _replay_steps(m, p)
    _pivotal(cur, p, share)


def _pivotal(cur: Current, p: Plan, share) -> None:
    with st.expander("Who can swing the decision"):
        index, exact = per_version(
            f"pivotal {share}", cur, lambda c: whatif.pivotal_power(c.data, share)
        )
        power = {k: v for k, v in index.items() if v > 0}
        if not power:
            st.caption("No one can swing the decision: no group of members can pass it.")
            return
        table = pd.DataFrame(
            [{"Person": n, "Swing share": v} for n, v in power.items()]
        ).sort_values(["Swing share", "Person"], ascending=[False, True])
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            key="whatif-pivotal",
            column_config={
                "Swing share": st.column_config.ProgressColumn(
                    format="percent", min_value=0.0, max_value=float(max(power.values()))
                )
            },
        )
        verdict = "holds" if p.close.ready else "does not hold yet"
        how = "" if exact else " Estimated from 4,000 random groups."
        st.caption(
            "How often each member's vote turns a group that fails into one that passes "
            "(Banzhaf's index): only the decision body counts, and a veto holder swings every "
            f"group that passes with him. With the plan's steps done, the rule {verdict}.{how}"
        )


def _replay_steps(m: StakeholderMap, p: Plan) -> None:
    """The plan's first steps replayed through the same model: who is for it after them."""
    meetings = [s.name for s in p.steps if s.phase != "close"]
    if not meetings:
        return
    done = st.slider(
        "Replay the plan's first steps", 0, len(meetings), len(meetings), key="whatif-replay"
    )
    predicted = whatif.simulate(m, meetings=meetings[:done])
    backers = [n for n, v in predicted.items() if supports(v)]
    st.caption(
        inert(
            f"After {done} step{'s' * (done != 1)}, the model predicts "
            f"{len(backers)} people for it: {', '.join(backers) or 'nobody'}."
        )
    )


def nobody_moves(m: StakeholderMap, name: str, stance: int) -> str:
    """Why no one else moves when ``name`` takes ``stance``: who listens and why they hold.

    >>> from stakemap.samples.cases import new_programme
    >>> nobody_moves(new_programme(), "Grace Kim", 1)
    'Nobody else moves: Grace Kim at Supporter agrees but carries it to no one until met.'
    """
    listeners = [b for a, b, w in m.influence_edges() if a == name and w > 0]
    if abs(stance) == 1:
        return (
            f"Nobody else moves: {name} at {stance_label(stance)} "
            f"{'agrees' if stance > 0 else 'disagrees'} but carries it to no one until met."
        )
    if not listeners:
        return f"Nobody else moves: no one on the map listens to {name}."
    firm = [b for b in listeners if (p := m.get(b)) is not None and abs(p.stance) >= 2]
    return (
        f"Nobody else moves: {', '.join(listeners)} listen{'s' * (len(listeners) == 1)} to "
        f"{name}, but {', '.join(firm) or 'they'} hold{'s' * (len(firm) == 1)} a firm stance."
    )
