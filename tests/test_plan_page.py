"""The Plan page with AppTest: step cards, controls, and the what-if panel (recording a meeting's
outcome: tests/test_plan_progress.py).

AppTest cannot draw the support chart; its rows come from :func:`stakemap.ui.plan.chart_rows`,
tested directly below. Recording an outcome in a real browser: tests/browser/test_plan_browser.py.
"""

from __future__ import annotations

import re
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from stakemap.model import Proposal, Relationship, Stakeholder, StakeholderMap, Threshold
from stakemap.planning.planner import plan
from stakemap.samples.cases import new_programme
from stakemap.ui.plan import chart_rows, moves, plan_changes, support_chart
from tests.planforms import open_outcome_forms

PAGE = Path(__file__).resolve().parents[1] / "views" / "plan.py"
DECISION = "plan-decision"  # the decision panel's form keys start so


def _open(map_id: int) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.query_params["map"] = str(map_id)
    return at.run()


def _tab(at: AppTest, map_id: int, label: str) -> AppTest:
    """Open a tab of the page: only the open tab runs (lazy tabs), as a click on it would."""
    at.session_state[f"plan-tab-{map_id}"] = label
    return at.run()


def _cards(at: AppTest) -> list[str]:
    """The step cards' headings, in order."""
    return [md.value for md in at.markdown if md.value.startswith("**") and " · " in md.value]


def _plain(text: str) -> str:
    """Markdown text with the page's escapes removed."""
    return re.sub(r"\\(.)", r"\1", text)


def _text(at: AppTest) -> str:
    elements = (*at.markdown, *at.caption, *at.success, *at.warning, *at.info)
    return _plain(" ".join(e.value for e in elements))


def _page_own(widgets) -> list:
    """The page's widgets without the decision panel's (its form is drawn on every tab)."""
    return [w for w in widgets if not (w.form_id or "").startswith(DECISION)]


def test_page_shows_the_story_in_order(store):
    at = _open(store.create("Programme", new_programme()))
    assert not at.exception
    cards = _cards(at)
    assert cards[0].startswith("**1. Omar Haddad** · Allies")
    assert cards[1].startswith("**2. Priya Nair** · Allies")
    assert cards[-1].startswith("**6. Group meeting, aimed at Dr Victor Hale** · Close")
    text = _text(at)
    assert "**Through:** Omar Haddad, Priya Nair" in text
    assert "**Ask:** Financial modelling module and its pilot training" in text
    assert "**For it after:** 10 of 23 power points" in text
    ready = _plain(at.success[0].value)
    assert ready.startswith("Ready: 16 of 23 power points back it (12 needed, 4 to spare)")
    assert "Dr Victor Hale, who has an informal veto" in ready
    assert [m.value for m in at.metric][:3] == ["7 of 23", "16 of 23", "Ready"]
    assert at.metric[1].proto.delta == "+9"
    assert "Needs 12 of 23 power points; 7 now; 13 after step 4, 16 at the close." in text
    assert "Least effort, proven." in text
    # one outcome form per one-to-one step, sent when its popover opens; the close has none
    assert not _page_own(at.button)
    open_outcome_forms(at, *range(1, 7))
    assert [b.label for b in _page_own(at.button)] == ["Save outcome"] * 5


def test_pass_share_what_if_and_exclusion_controls(store):
    map_id = store.create("Programme", new_programme())
    at = _open(map_id)
    assert at.select_slider[0].label == "Pass share, what if (not saved)"
    at.select_slider[0].set_value(Fraction(3, 4)).run()  # 16 of 23 is below 3/4 (18 needed)
    assert [m.value for m in at.metric][2] == "Not yet"
    assert _plain(at.warning[0].value).startswith("Not ready: ")
    assert "18 needed" in _plain(at.warning[0].value)
    at.select_slider[0].set_value(Fraction(1, 2)).run()
    _page_own(at.multiselect)[0].select("Lena Fischer").run()
    assert not any("Lena Fischer** ·" in c for c in _cards(at))
    assert "Dr Victor Hale (informal veto) still hears from Lena Fischer" in _plain(
        at.warning[0].value
    )
    assert store.latest(map_id).number == 1  # controls never save


@pytest.mark.parametrize(("people", "quiet"), [(20, 0.01), (240, 0.3)])
def test_the_slider_neighbours_start_once_a_small_maps_run_ended(store, monkeypatch, people, quiet):
    """A small map's what-if shares next to the slider's are worked out as soon as the Plan
    page's run ends (its page draws at once, its plans take longer); a large map's wait for
    the usual quiet, so that its page is drawn first (docs/speed.md)."""
    from stakemap.samples import synthetic
    from stakemap.ui import session

    asked = []
    monkeypatch.setattr(session.AHEAD, "soon", lambda key, work, q, weight: asked.append((key, q)))
    m = synthetic.organisation(people, seed=5)
    assert len(m.stakeholders) == people
    _open(store.create("Sizes", m))
    shares = {key[4]: q for key, q in asked if key[0] == "plan"}
    assert len(shares) == 2 and None not in shares  # one share either side of the rule's
    assert set(shares.values()) == {quiet}


def test_a_rule_of_several_thresholds_has_no_pass_share_slider(store):
    m = new_programme()
    rule = replace(m.proposal, thresholds=(Threshold("1/2"), Threshold("1/2", "members")))
    at = _open(store.create("Two lines", replace(m, proposal=rule)))
    assert not at.exception and not at.select_slider
    assert "more than half of the power (12 of 23) and more than half of the members" in _text(at)


def test_what_if_shows_who_moves_and_saves_only_on_request(store):
    programme = new_programme()
    map_id = store.create("Programme", programme)
    at = _tab(_open(map_id), map_id, "What if")
    _page_own(at.selectbox)[0].set_value("Omar Haddad").run()
    _stance(at).set_value("Champion").run()
    assert not at.exception
    moved = at.dataframe[0].value
    assert moved["Person"].iloc[0] in {"Rosa Mendes", "Tom Becker", "Lena Fischer"}
    assert set(moved["Person"]) == {"Rosa Mendes", "Tom Becker", "Lena Fischer", "Grace Kim"}
    changes = at.dataframe[1].value
    assert changes["Plan now"].iloc[0] == "Omar Haddad (allies)"
    first = plan(programme, overrides={"Omar Haddad": 2}).steps[0]
    assert changes["With the change"].iloc[0] == f"{first.name} ({first.phase})"
    assert store.latest(map_id).number == 1
    at.button(key="whatif-save").click().run()
    latest = store.latest(map_id)
    assert latest.number == 2
    assert latest.description == "Stance of Omar Haddad: Supporter -> Champion (what-if)"


def test_what_if_with_no_change_and_pivotal_table(store):
    map_id = store.create("Programme", new_programme())
    at = _tab(_open(map_id), map_id, "What if")
    assert not [d for d in at.dataframe if "Status" in d.value.columns]  # the Plan tab did not run
    _page_own(at.selectbox)[0].set_value("Grace Kim").run()
    assert any("Pick a stance other than Critic" in i.value for i in at.info)
    pivotal = at.dataframe[-1].value
    assert pivotal["Person"].iloc[0] == "Dr Victor Hale"


def test_empty_map_and_hostile_names(store):
    at = _open(store.create("Empty", StakeholderMap()))
    assert "no stakeholders yet" in at.info[0].value
    hostile = "**Bold** [x](javascript:alert(1)) <b>Ana</b>"
    m = StakeholderMap(
        (
            Stakeholder("Me", stance=2, power=1),
            Stakeholder(hostile, stance=1, power=2),
            Stakeholder("Ben", power=5),
        ),
        (Relationship(hostile, "Ben", 5),),
        Proposal("<script>x</script>", "Me", 0.7),
    )
    at = _open(store.create("Hostile", m))
    assert not at.exception
    heading = _cards(at)[0]
    assert "\\*\\*Bold\\*\\*" in heading and "\\<b\\>" in heading
    assert "\\<script\\>" in at.caption[0].value
    assert any(c.startswith("**2. Ben** · ") for c in _cards(at))


def test_chart_rows_follow_the_plan():
    p = plan(new_programme())
    rows = chart_rows(p)
    support = [r["share"] for r in rows if r["measure"] == "For it"]
    active = [r["share"] for r in rows if r["measure"] == "Carrying it"]
    assert support == [p.support_share_before, *(s.support_share_after for s in p.steps)]
    assert active[0] == pytest.approx(1 / 23)  # only the champion passes influence at first
    assert active[2] == pytest.approx(7 / 23)  # once Omar and Priya are met
    assert support == sorted(support)


def test_moves_and_plan_changes_tables():
    table = moves(
        {"A": 0.0, "B": 1.0, "C": 0.0}, {"A": 0.5, "B": 1.0, "C": -1.0}, {"A": 0, "B": 1, "C": 0}
    )
    assert table["Person"].tolist() == ["C", "A"]
    old, new = plan(new_programme()), plan(new_programme(), pass_share=Fraction(9, 10))
    side = plan_changes(old, new)
    assert side["Step"].tolist() == list(range(1, max(len(old.steps), len(new.steps)) + 1))
    assert side["Plan now"].iloc[-1] == "Dr Victor Hale (close)"


def test_chart_keeps_supporters_visible_over_active_supporters():
    spec = support_chart(plan(new_programme()))
    band, line = spec["layer"][0], spec["layer"][1]
    data = {name: set(rows["measure"]) for name, rows in spec["datasets"].items() if name != "pass"}
    assert data[band["data"]["name"]] == {"Carrying it"}
    assert data[line["data"]["name"]] == {"For it"}
    assert line["mark"]["point"] is True  # drawn last, on top of the band
    width = line["encoding"]["strokeWidth"]["scale"]
    assert dict(zip(width["domain"], width["range"], strict=True)) == {
        "Carrying it": 7,
        "For it": 2,
    }
    assert line["encoding"]["color"]["legend"]["symbolType"] == "stroke"


def _no_plan_map() -> StakeholderMap:
    people = (
        Stakeholder("Ch", stance=2),
        Stakeholder("Ally", stance=1, power=3, effort=1),
        Stakeholder("Hard", stance=-1, power=3, effort=2, decision_role="decider", goals=("cost",)),
        Stakeholder("Soft", stance=0, power=2, effort=1, decision_role="decider"),
    )
    return StakeholderMap(people, (), Proposal("P", "Ch", 1.0))


def test_no_plan_is_a_fact_with_what_if_buttons_that_save_nothing(store):
    map_id = store.create("Hard", _no_plan_map())
    at = _open(map_id)
    assert not at.exception
    text = _text(at)
    assert "No order of meetings reaches all of the votes on this map." in text
    assert "No plan exists on this map: proven" in text
    first = at.button(key=f"plan-unlock-{map_id}-0")
    label = _plain(first.label)
    first.click().run()
    assert not at.exception
    shown = _text(at)
    assert f"What if: {label.rsplit(' (then', 1)[0]}" in shown and "(not saved)" in shown
    assert "Ready:" in _plain(" ".join(c.value for c in at.caption))
    assert store.latest(map_id).number == 1  # the stored map is untouched


def test_method_line_and_the_plan_not_through_someone(store):
    map_id = store.create("Programme", new_programme())
    at = _open(map_id)
    assert "Least effort, proven." in _text(at)
    at = _tab(at, map_id, "Alternatives")
    avoid = at.selectbox(key=next(k for k in _keys(at) if k.startswith("plan-avoid-")))
    avoid.set_value("Tom Becker").run()
    assert not at.exception
    assert "Not through Tom Becker:" in _text(at)


def _stance(at: AppTest):
    return next(s for s in at.select_slider if s.label == "Stance")


def _keys(at: AppTest) -> list[str]:
    return [s.key for s in at.selectbox if s.key]


def test_alternatives_show_the_second_best_opening_with_its_cost(store):
    map_id = store.create("Programme", new_programme())
    at = _tab(_open(map_id), map_id, "Alternatives")
    shown = _text(at)
    assert "Second-best opening: Priya Nair first, effort 13 (the same effort as" in shown
    assert "the same people in another order" in shown
    avoid = at.selectbox(key=next(k for k in _keys(at) if k.startswith("plan-avoid-")))
    avoid.set_value("Tom Becker").run()
    assert not at.exception and "Second-best opening:" in _text(at)  # still beside it


def test_opening_text_names_the_cost_and_a_missing_opening():
    from stakemap.planning.planner import plan, second_opening
    from stakemap.samples.cases import pipeline
    from stakemap.ui.plan import opening_text

    base = plan(pipeline(), samples=0)
    alt = second_opening(pipeline(), base.steps[0].name, samples=0)
    text = opening_text(base, alt)
    assert text.startswith(f"Second-best opening: {alt.steps[0].name} first, effort ")
    assert f"effort {alt.effort:g} ({alt.effort - base.effort:+g} effort than the plan now)" in text
    assert "another order" not in text  # a different set of people
    assert opening_text(base, None) == (
        f"Second-best opening: no ready plan opens with anyone but {base.steps[0].name}."
    )


def test_alternatives_never_show_a_cheaper_plan_without_why(store):
    from stakemap.samples.cases import pipeline

    map_id = store.create("Pipeline", pipeline())
    at = _tab(_open(map_id), map_id, "Alternatives")
    assert not at.exception
    shown = _text(at)
    p = plan(pipeline())
    for r in p.cheaper:
        assert f"effort {r.effort:g}; holds in only" in shown
    for line in shown.split("Second-best opening:")[1:2]:
        effort = float(line.split("effort ")[1].split(" ")[0])
        if effort < p.effort:
            assert "not chosen: it holds in" in line
