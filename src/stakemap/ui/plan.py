"""The Plan page: the coalition sequence as step cards, its support chart, and the what-if panel.

The plan is :func:`stakemap.planning.planner.plan` on the stored map; the steps, the outcomes of
their meetings and the plan being followed are drawn by :mod:`stakemap.ui.progress`. Everything
the page shows comes from that one plan record, so the summary, the steps, the close, the
alternatives and the method line agree. The what-if panel changes a stance in memory only
(:func:`stakemap.planning.whatif.simulate` and a plan with the same change) until "Save this
change" is pressed.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from fractions import Fraction

import pandas as pd
import streamlit as st

from stakemap.language import gettext as _
from stakemap.model import StakeholderMap
from stakemap.planning import planner
from stakemap.planning.record import Plan
from stakemap.planning.thresholds import pass_share_of
from stakemap.planning.unlock import apply
from stakemap.planning.words import list_text, percent, phase_word, point_change
from stakemap.ui.decision import decision_panel
from stakemap.ui.planalt import (
    alternatives_tab,
    avoid_text,
    moves,
    nobody_moves,
    opening_text,
    plan_changes,
    route_text,
    what_if_tab,
)
from stakemap.ui.progress import steps_section
from stakemap.ui.session import Current, plan_soon, planned
from stakemap.ui.text import inert
from stakemap.values import amount_text, number_text

__all__ = [
    "HOW_DECIDED_KEY",
    "avoid_text",
    "chart_rows",
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

#: A plan with more steps than this is charted without a point a step (they would touch).
POINTS = 60
#: Session key of the open state of the "How it is decided" expander.
HOW_DECIDED_KEY = "plan-how-decided"


def plan_page(cur: Current) -> None:
    """Draw the Plan page for this tab's map."""
    m = cur.data
    st.title(_("Plan"))
    if not m.stakeholders:
        st.info(_("This map has no stakeholders yet: add them on the Data page."))
        return
    share, exclude = _controls(m, cur.map_id)
    p = planned(cur, share, exclude)
    plan_soon(cur, next_shares(pass_share_of(m.proposal), share), exclude, next_click=True)
    st.caption(
        _("{title} · planned by {person}").format(
            title=inert(m.proposal.title or _("The proposal")),
            person=inert(p.champion or _("no champion yet")),
        )
    )
    st.caption(inert(p.body))
    # Drawn when opened: closed, its four pickers of every name were still drawn (docs/speed.md)
    with st.expander(
        _("How it is decided (saved with the map)"), key=HOW_DECIDED_KEY, on_change="rerun"
    ) as how:
        if how.open:
            decision_panel(cur, "plan-decision", described=True)
    for note in p.advice:
        st.info(inert(note), icon=":material/lightbulb:")
    # Lazy tabs: only the open one runs (the alternatives plan again, at 2,000 people a second)
    plan_tab, whatif_tab, other_tab = st.tabs(
        [_("Plan"), _("What if"), _("Alternatives")],
        key=f"plan-tab-{cur.map_id}",
        on_change="rerun",
    )
    if whatif_tab.open:
        with whatif_tab:
            what_if_tab(cur, p, share, exclude)
        return
    if other_tab.open:
        with other_tab:
            alternatives_tab(cur, p, share, exclude)
        return
    with plan_tab:
        _summary(p)
        if p.verdict:
            st.caption(inert(_("{text}.").format(text=p.verdict[:1].upper() + p.verdict[1:])))
        st.caption(inert(p.method_text))
        st.vega_lite_chart(spec=support_chart(p, followed=bool(m.followed)), width="stretch")
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


def next_shares(current: Fraction | None, share: Fraction | None) -> list[Fraction | None]:
    """The what-if shares one step either side of ``share`` on the slider (None: the map's
    own ``current`` share), as the page asks for them.

    >>> next_shares(Fraction(2, 3), None)
    [Fraction(13, 20), Fraction(7, 10)]
    >>> next_shares(Fraction(2, 3), Fraction(13, 20))
    [Fraction(3, 5), None]
    >>> next_shares(None, None)
    []
    """
    if current is None:
        return []
    options = share_options(current)
    at = options.index(current if share is None else share)
    return [
        None if s == current else s for s in options[max(0, at - 1) : at + 2] if s != options[at]
    ]


def _controls(m: StakeholderMap, map_id: int) -> tuple[Fraction | None, list[str]]:
    """The what-if pass share (only where the rule is one share of the votes; None: the map's
    own rule) and the people not to approach."""
    left, right = st.columns([1, 2])
    current = pass_share_of(m.proposal)
    share = None
    if current is not None:
        chosen = left.select_slider(
            _("Pass share, what if (not saved)"),
            share_options(current),
            value=current,
            format_func=amount_text,
            key=f"plan-pass-{map_id}-{current}",
            help=_(
                "Plans as if the proposal needed this share of the votes; the map's own rule "
                "is set under How it is decided. Exactly half means more than half."
            ),
        )
        share = None if chosen == current else chosen
    key = f"plan-exclude-{map_id}"
    names = [n for n in m.names if n != m.proposal.champion]
    if key in st.session_state:  # a person renamed or removed since: drop them
        st.session_state[key] = [n for n in st.session_state[key] if n in names]
    exclude = right.multiselect(
        _("Do not approach"),
        names,
        key=key,
        placeholder=_("Nobody left out"),
        help=_("The plan leaves them out; they still count if they agree."),
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
        if not change:
            return now, close, None
        return now, close, _("{change} pts").format(change=point_change(now, close))
    total = number_text(first.total)
    before, after = first.for_before, first.for_after
    change = f"{int(after - before):+d}" if after != before else None
    of = _("{value} of {total}")
    return (
        of.format(value=number_text(before), total=total),
        of.format(value=number_text(after), total=total),
        change,
    )


def _summary(p: Plan) -> None:
    # each as wide as its value, on a second line where five do not fit: in five equal
    # columns "3632 of 5181" was cut to "3632 of …" at 1280 px
    metric = functools.partial(st.container(horizontal=True, gap="medium").metric, width="content")
    before, close, change = summary_numbers(p)
    metric(_("For it now"), before, help=_("Counted on the rule's first threshold."))
    metric(_("At the close"), close, delta=change, help=_("After every one-to-one step."))
    metric(
        _("Group meeting"),
        _("Ready") if p.close.ready else _("Not yet"),
        help=_("Every threshold holds and no veto blocks."),
    )
    metric(_("One-to-one steps"), sum(s.phase != "close" for s in p.steps))
    metric(
        _("Holds in nearby maps"),
        _("not measured") if p.close.confidence is None else percent(p.close.confidence),
        help=_(
            "Share of nearby maps (every power, effort, tie strength and stance moved by up "
            "to one point, seeded) on which these steps still make it ready."
        ),
    )


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
        (_("For it"), p.support_share_before, "support_share_after"),
        (_("Carrying it"), p.active_share_before, "active_share_after"),
    ):
        rows.append({"step": 0, "who": _("Now"), "phase": "", "measure": measure, "share": start})
        rows += [
            {
                "step": s.order,
                "who": s.name,
                "phase": phase_word(s.phase),
                "measure": measure,
                "share": getattr(s, field),
            }
            for s in p.steps
        ]
    return rows


def support_chart(p: Plan, followed: bool = False) -> dict:
    """The share for it step by step against the pass line (the least share that passes), as a
    Vega-Lite spec (written as a dict, not through Altair: docs/speed.md).

    Those carrying it are a wide pale band and those for it a thin dark line with points drawn
    on top, so both stay visible where the two coincide.
    """
    if followed:  # a followed plan keeps its own numbers on the cards; this counts what is left
        axis, tip = _("Meetings still to do (0 = now)"), _("Meetings still to do")
    else:
        axis, tip = _("Step (0 = now)"), _("Step")
    measures = [_("Carrying it"), _("For it")]  # drawing order: for it on top
    title = _("Share of power") if p.counted == "power" else _("Share of the votes")
    share = {"field": "share", "type": "quantitative"}
    encoding = {
        "x": {
            "field": "step",
            "type": "quantitative",
            "title": axis,
            "scale": {"domain": [0, max(1, len(p.steps))], "nice": False},
            "axis": {"labelAngle": 0, "tickMinStep": 1, "format": "d"},
        },
        "y": {**share, "title": title, "scale": {"domain": [0, 1]}, "axis": {"format": "%"}},
        "color": {
            "field": "measure",
            "type": "nominal",
            "title": None,
            "legend": {"orient": "bottom", "symbolType": "stroke", "symbolSize": 400},
            "scale": {"domain": measures, "range": ["#56B4E9", "#0072B2"]},
        },
        "strokeWidth": {
            "field": "measure",
            "type": "nominal",
            "title": None,
            "scale": {"domain": measures, "range": [7, 2]},
            "legend": None,
        },
        "tooltip": [
            {"field": "step", "type": "quantitative", "title": tip},
            {"field": "who", "type": "nominal", "title": _("Person")},
            {"field": "phase", "type": "nominal", "title": _("Phase")},
            {**share, "title": _("Share"), "format": f".{p.digits}%"},
        ],
    }
    text = _("Passes from {share}").format(share=percent(p.pass_share, p.digits))
    rows = pd.DataFrame(chart_rows(p))
    line = {"name": "pass"}
    return {
        "height": 260,
        "datasets": {  # one dataset a measure: no filter for Vega to evaluate on every row
            "carrying": rows[rows["measure"] == measures[0]],
            "for": rows[rows["measure"] == measures[1]],
            "pass": pd.DataFrame({"share": [float(p.pass_share)], "text": [text]}),
        },
        "layer": [
            {"data": {"name": "carrying"}, "mark": {"type": "line", "opacity": 0.6},
             "encoding": encoding},
            {"data": {"name": "for"}, "mark": {"type": "line", "point": len(p.steps) <= POINTS},
             "encoding": encoding},
            {"data": line, "mark": {"type": "rule", "color": "#D55E00", "strokeDash": [6, 4]},
             "encoding": {"y": share}},
            {"data": line,
             "mark": {"type": "text", "align": "left", "dx": 4, "dy": -8, "color": "#D55E00"},
             "encoding": {"y": share, "text": {"field": "text", "type": "nominal"},
                          "x": {"value": 0}}},
        ],
    }  # fmt: skip


def _close_card(p: Plan) -> None:
    with st.container(border=True, key="plan-close"):
        if p.close.ready:
            st.success(inert(p.close.reason), icon=":material/groups:")
        else:
            st.warning(inert(p.close.reason), icon=":material/hourglass_empty:")
        if p.close.confidence is not None:
            st.caption(
                _("This plan holds in {share} of nearby maps.").format(
                    share=percent(p.close.confidence)
                )
            )
        for r in p.routes:
            st.caption(inert(route_text(r)))
        if p.not_approached:
            st.caption(
                _("Not approached one-to-one: {names}").format(
                    names=inert(list_text(p.not_approached))
                )
            )


def _unlock_panel(cur: Current, p: Plan, exclude: Collection[str]) -> None:
    """The checked changes that would make a plan exist, as what-if buttons (a copy of the map,
    never the stored one)."""
    if not p.unlock:
        return
    st.markdown(_("**What it would take** (each change checked by planning again)"))
    key = f"plan-unlock-{cur.map_id}"
    for k, u in enumerate(p.unlock):
        label = _("{change} (then effort {effort:g})").format(change=u.text, effort=u.effort)
        if st.button(inert(label), key=f"plan-unlock-{cur.map_id}-{k}", icon=":material/science:"):
            st.session_state[key] = k
    chosen = st.session_state.get(key)
    if chosen is None or chosen >= len(p.unlock):
        return
    u = p.unlock[chosen]
    new = planner.plan(apply(cur.data, u.change), exclude=exclude)
    with st.container(border=True, key="plan-unlocked"):
        st.markdown(_("**What if: {change}** (not saved)").format(change=inert(u.text)))
        st.dataframe(plan_changes(p, new), hide_index=True, width="stretch", key="unlock-plan")
        st.caption(inert(new.close.reason))
