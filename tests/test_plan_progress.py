"""Following a plan: meetings' outcomes, the engagement log, step numbers that stay, progress.

Pure logic (stakemap.planning.following) on the sample and on generated maps; the Plan page with
AppTest, on both store engines. In a browser: tests/browser/test_plan_browser.py.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

import pytest
from streamlit.testing.v1 import AppTest

from stakemap.files.table import apply_people_edits
from stakemap.model import Engagement, StakeholderMap
from stakemap.planning.following import follow, outcome_stance, progress, record_outcome
from stakemap.planning.planner import plan
from stakemap.samples.cases import new_programme
from stakemap.samples.synthetic import generated
from stakemap.ui.progress import ALL_CARDS, CARDS, changes_lines
from tests.planforms import open_outcome_forms

ROOT = Path(__file__).resolve().parents[1]
DECISION = "plan-decision"  # the decision panel's form keys start so
PAGE = ROOT / "views" / "plan.py"
TODAY = dt.date.today().isoformat()


def _open(map_id: int) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=120)
    at.query_params["map"] = str(map_id)
    return at.run()


def _cards(at: AppTest) -> list[str]:
    """The step cards' headings, escapes removed, in order."""
    return [
        re.sub(r"\\(.)", r"\1", md.value.split("  \n")[0].replace("**", ""))
        for md in at.markdown
        if re.match(r"\*\*\d+\. ", md.value) and " · " in md.value
    ]


def _record(at: AppTest, order: int, outcome: str, note: str = "", day=None) -> AppTest:
    """Open step ``order``'s outcome form, fill it and press its Save button."""
    open_outcome_forms(at, order)

    def mine(widgets):
        return next(w for w in widgets if re.search(rf"-{order}-(what|date|note|save)$", w.key))

    mine(at.radio).set_value(outcome)
    if day is not None:
        mine(at.date_input).set_value(day)
    if note:
        mine(at.text_area).input(note)
    return mine(at.button).click().run()


# -- pure logic ------------------------------------------------------------------------------


def _search(at: AppTest):
    """The long plan's search field (the decision panel has text fields of its own)."""
    return next(t for t in at.text_input if not t.form_id.startswith(DECISION))


def test_outcomes_move_along_the_spectrum_of_allies():
    assert [outcome_stance("won", s, 2) for s in (-2, 0, 1)] == [2, 2, 2]
    assert [outcome_stance("passive", s, 2) for s in (-2, 0, 1)] == [1, 1, 1]
    assert [outcome_stance("not convinced", s, 2) for s in (-2, 0, 1)] == [-2, 0, 1]
    with pytest.raises(ValueError, match="not an outcome"):
        outcome_stance("maybe", 0, 2)


def _planned_meetings(seed: int):
    """The first generated map from ``seed`` on whose plan holds a meeting (a map that is
    ready as it stands has nothing to record), its plan and the plan's meetings."""
    for s in range(seed, seed + 1000, 12):
        m = generated(s)
        p = plan(m, samples=0)
        meetings = [step for step in p.steps if step.phase != "close"]
        if meetings:
            return m, p, meetings
    raise AssertionError(f"no generated map from seed {seed} needs a meeting")


@pytest.mark.parametrize("seed", range(12))
def test_recording_on_generated_maps_keeps_every_number(seed):
    m, p, meetings = _planned_meetings(seed)
    followed = follow(p, m, 4, "2026-12-01")
    outcomes = ["won", "passive", "not convinced"]
    for k, step in enumerate(meetings):
        before = m.get(step.name).stance
        m, text = record_outcome(m, followed, step.order, outcomes[k % 3], "2026-12-02", "n")
        after = m.get(step.name).stance
        assert after == outcome_stance(outcomes[k % 3], before, step.new_stance)
        assert m.log_of(step.name)[-1] == Engagement(
            step.name, "2026-12-02", outcomes[k % 3], before, after, step.order, "n"
        )
        assert text.startswith(f"Plan step {step.order}, {step.name}: ")
        assert ("following the plan made at version 4" in text) == (k == 0)
        again = StakeholderMap.from_dict(m.to_dict())
        assert again == m
    got = progress(m, followed, plan(m, samples=0))
    assert [s.step.order for s in got.steps] == [s.order for s in p.steps]  # numbers stay
    assert got.done == len(meetings)
    assert all(s.outcome is not None for s in got.meetings)


def test_progress_says_what_changed_since_the_plan_was_made():
    m = new_programme()
    p = plan(m)
    followed = follow(p, m, 1, "2026-12-01")
    moved = m.with_stakeholder("Grace Kim", stance=1)  # changed on the Data page meanwhile
    m2, _ = record_outcome(moved, followed, 1, "won", "2026-12-02")
    got = progress(m2, followed, plan(m2))
    assert ("Grace Kim", -1, 1) in got.moved and ("Omar Haddad", 1, 2) in got.moved
    lines = changes_lines(got)
    assert lines[0].startswith("Stance moved since the plan was made: ")
    assert "Grace Kim (Critic -> Supporter)" in lines[0]
    # a step the plan now meets that was not planned, and one it no longer needs
    now = plan(m)
    met_now = [s.name for s in now.steps if s.phase != "close"]
    outside = next(n for n in m.names if n not in met_now and n != m.proposal.champion)
    kept = tuple(s for s in followed.steps if s.name != met_now[-1])
    fake = replace(followed, steps=(*kept, replace(kept[0], order=99, name=outside)))
    got = progress(m, fake, now)
    assert got.added == (met_now[-1],)
    assert got.dropped == (outside,)
    assert changes_lines(got) == [
        f"The plan now adds: {met_now[-1]}.",
        f"The plan now drops (no longer needed): {outside}.",
    ]


def test_stored_maps_without_a_log_load_and_renames_carry_into_it():
    m = new_programme()
    data = m.to_dict()
    assert "engagements" not in data and "followed" not in data  # old maps stay as they were
    assert StakeholderMap.from_dict(data) == m
    followed = follow(plan(m), m, 1, "2026-12-01")
    m2, _ = record_outcome(m, followed, 1, "won", "2026-12-02")
    index = m2.names.index("Omar Haddad")
    renamed = apply_people_edits(m2, {index: {"Name": "Omar H."}}).map
    assert [e.name for e in renamed.engagements] == ["Omar H."]
    assert renamed.followed.steps[0].name == "Omar H."
    assert "Omar H." in renamed.followed.steps[2].messengers
    assert "Omar H." in renamed.followed.stances
    gone = apply_people_edits(renamed, {}, deleted=[index]).map
    assert gone.engagements == ()


# -- the page --------------------------------------------------------------------------------


def test_an_outcome_keeps_the_step_and_its_number(store):
    map_id = store.create("Programme", new_programme())
    at = _open(map_id)
    before = _cards(at)
    assert before[1].startswith("2. Priya Nair · Allies")
    note = "<img src=x onerror=alert(1)> **wants** [the numbers](http://x) =1+1"
    at = _record(at, 2, "passive", note, dt.date(2026, 11, 30))
    assert not at.exception
    latest = store.latest(map_id)
    assert latest.number == 2  # one version: the log entry and the plan of record together
    assert latest.description == (
        "Plan step 2, Priya Nair: agreed but passive on 2026-11-30 (stance stays Supporter); "
        "following the plan made at version 1"
    )
    assert latest.data.log_of("Priya Nair") == [
        Engagement("Priya Nair", "2026-11-30", "passive", 1, 1, 2, note)
    ]
    cards = _cards(at)
    assert len(cards) == len(before)
    assert cards[1] == "2. Priya Nair · Allies · Done: Agreed but passive (2026-11-30)"
    assert [c.split(" · ")[0] for c in cards] == [c.split(" · ")[0] for c in before]
    assert [m.value for m in at.metric if m.label == "Meetings done"] == ["1 of 5"]
    assert any(md.value == "**Next:** step 1, Omar Haddad" for md in at.markdown)
    log = next(d.value for d in at.dataframe if "Outcome" in d.value.columns)
    assert log.to_dict("records") == [
        {
            "Date": "2026-11-30",
            "Outcome": "Agreed but passive",
            "Stance": "Supporter",
            "Step": 2,
            "Note": note,
        }
    ]
    assert not any("<img" in md.value for md in at.markdown)  # the note is never markdown


def test_won_moves_the_stance_and_the_panel_shows_what_changed(store):
    map_id = store.create("Programme", new_programme())
    at = _record(_open(map_id), 1, "won")
    latest = store.latest(map_id)
    assert latest.data.get("Omar Haddad").stance == 2
    assert latest.description.startswith(
        f"Plan step 1, Omar Haddad: won on {TODAY} (Supporter -> Champion)"
    )
    cards = _cards(at)
    assert cards[0] == f"1. Omar Haddad · Allies · Done: Won ({TODAY})"
    assert cards[1].startswith("2. Priya Nair · Allies")  # not renumbered to 1
    text = " ".join(md.value for md in at.markdown).replace("\\", "")
    assert "Stance moved since the plan was made: Omar Haddad (Supporter -> Champion)." in text
    assert any("Saved" in s.value and "Undo" in s.value for s in at.success)
    # not convinced: nothing moves on the map, the meeting is still logged, numbers stay
    at = _record(at, 4, "not convinced", "needs time")
    latest = store.latest(map_id)
    assert latest.number == 3
    assert latest.data.get("Tom Becker").stance == new_programme().get("Tom Becker").stance
    assert "stance stays" in latest.description
    assert "following the plan" not in latest.description  # already followed
    assert _cards(at)[3].startswith("4. Tom Becker · Align · Done: Not convinced")
    assert [m.value for m in at.metric if m.label == "Meetings done"] == ["2 of 5"]


def test_following_the_plan_as_it_is_now_renumbers_on_request(store):
    map_id = store.create("Programme", new_programme())
    at = _record(_open(map_id), 1, "won")
    assert _cards(at)[0].startswith("1. Omar Haddad")
    next(b for b in at.button if b.label == "Follow the plan as it is now").click().run()
    latest = store.latest(map_id)
    assert latest.description == "Now following the plan of version 2"
    assert latest.data.followed.version == 2
    assert latest.data.log_of("Omar Haddad")  # the log is kept
    first = plan(latest.data).steps[0]
    assert _cards(at)[0].startswith(f"1. {first.name}")


def _many_steps(n: int) -> StakeholderMap:
    sys.path.insert(0, str(ROOT / "benchmarks"))  # as benchmarks/run.py runs the benches
    from bench_plan import everyone_decides

    return everyone_decides(n, 0.9)


def test_a_long_plan_draws_the_next_steps_as_cards_and_the_rest_as_a_table(store):
    m = _many_steps(120)
    steps = plan(m).steps
    assert len(steps) > ALL_CARDS
    map_id = store.create("Many", m)
    at = _open(map_id)
    cards = _cards(at)
    assert [c.split(".")[0] for c in cards] == [str(k) for k in range(1, CARDS + 1)]
    table = next(d.value for d in at.dataframe if "Status" in d.value.columns)
    # the page's own plan: near the optimiser's time budget, a second planning may differ
    assert list(table["Step"]) == list(range(CARDS + 1, CARDS + 1 + len(table)))
    assert len(table) > 2
    # find a step of the table by name, record its meeting: it keeps its number
    late = SimpleNamespace(order=int(table["Step"].iloc[2]), name=table["Person"].iloc[2])
    _search(at).input(late.name).run()
    assert _cards(at)[0].startswith(f"{late.order}. {late.name}")
    at = _record(at, late.order, "passive")
    assert not at.exception
    assert store.latest(map_id).data.log_of(late.name)[0].step == late.order
    _search(at).input("").run()
    cards = _cards(at)
    assert cards[0].startswith("1. ")
    table = next(d.value for d in at.dataframe if "Status" in d.value.columns)
    row = table[table["Step"] == late.order].iloc[0]
    assert row["Status"] == f"Agreed but passive ({TODAY})"


def test_a_short_plan_is_all_cards_without_a_search(store):
    at = _open(store.create("Programme", new_programme()))
    assert len(_cards(at)) == len(plan(new_programme()).steps)
    assert not [t for t in at.text_input if not t.form_id.startswith(DECISION)]
    assert not [d for d in at.dataframe if "Status" in d.value.columns]


def test_the_map_person_pane_shows_the_log_read_only(store):
    m = new_programme()
    followed = follow(plan(m), m, 1, "2026-12-01")
    logged, _ = record_outcome(m, followed, 1, "won", "2026-12-02", "*bold* <i>x</i>")
    map_id = store.create("Logged", logged)
    at = AppTest.from_file(str(ROOT / "views" / "map.py"), default_timeout=120)
    at.query_params["map"] = str(map_id)
    at.session_state["map_focus"] = "Omar Haddad"
    at.run()
    assert not at.exception
    assert any(e.label.startswith("Engagement log (1)") for e in at.expander)
    log = next(d.value for d in at.dataframe if "Outcome" in d.value.columns)
    assert log.iloc[0].to_dict() == {
        "Date": "2026-12-02",
        "Outcome": "Won",
        "Stance": "Supporter -> Champion",
        "Step": 1,
        "Note": "*bold* <i>x</i>",
    }
    assert store.latest(map_id).number == 1  # read-only: nothing saved


def test_the_panel_says_when_the_pass_share_moved_and_the_chart_counts_what_is_left(store):
    from stakemap.ui.plan import support_chart

    map_id = store.create("Programme", new_programme())
    at = _record(_open(map_id), 1, "won")
    at.select_slider[0].set_value(Fraction(3, 5)).run()  # 14 of 23 instead of 12
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "It was made when 52% had to back it; now 61% must." in captions
    assert _cards(at)[0].startswith("1. Omar Haddad")  # the numbers stay with the controls
    axis = support_chart(plan(new_programme()), followed=True)
    assert axis["layer"][0]["encoding"]["x"]["title"] == "Meetings still to do (0 = now)"
