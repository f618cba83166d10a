"""One decision setting (who votes, vetoes, thresholds, quorum, abstentions, blocking minority,
champion): read from typed words, written to the map, the same panel on the Data and Plan pages,
one version a save."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from stakemap.language import speaking
from stakemap.model import ABSTENTIONS, Proposal, Stakeholder, StakeholderMap, Threshold
from stakemap.planning.rule import rule_of
from stakemap.planning.setting import (
    DecisionSetting,
    RuleText,
    lines_text,
    read_lines,
    read_setting,
    setting_of,
    with_setting,
)
from stakemap.samples.cases import SAMPLES, new_programme
from stakemap.samples.synthetic import generated
from stakemap.store.maps import Store
from stakemap.values import BadValue
from tests.planforms import open_decision_panel

APP = str(Path(__file__).resolve().parents[1] / "app.py")
COLUMNS = ("Population", "Shares")

_shares = st.tuples(st.integers(1, 12), st.integers(1, 12)).filter(lambda t: t[0] <= t[1]).map(
    lambda t: Fraction(*t)
) | st.integers(1, 100).map(lambda k: Fraction(k, 100))
_counts = st.integers(1, 400).map(Fraction)
_measures = st.sampled_from(["votes", "members", *COLUMNS])


@st.composite
def _thresholds(draw) -> Threshold:
    if draw(st.booleans()):
        share = draw(_shares)
        return Threshold(f"{share.numerator}/{share.denominator}", draw(_measures))
    return Threshold(str(draw(_counts).numerator), draw(_measures))


@given(st.lists(_thresholds(), min_size=1, max_size=4), st.sampled_from(["en", "zh"]))
@settings(max_examples=300, deadline=None)
def test_typed_thresholds_read_back_as_written(lines: list[Threshold], lang: str) -> None:
    """What the panel shows is what it reads, in either language: lines_text then read_lines
    is the identity."""
    with speaking(lang):
        text = lines_text(tuple(lines))
    assert read_lines(text, COLUMNS) == tuple(lines)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("more than half", (Threshold("1/2"),)),
        ("Two thirds of the votes", (Threshold("2/3"),)),
        ("unanimity", (Threshold("1/1"),)),
        (
            "55% of members and 65% of population",
            (Threshold("11/20", "members"), Threshold("13/20", "Population")),
        ),
        ("9 members", (Threshold("9", "members"),)),
        ("9 of the members; 2/3", (Threshold("9", "members"), Threshold("2/3"))),
        ("66.67%", (Threshold("2/3"),)),
        ("majority of seats", (Threshold("1/2"),)),
        ("", ()),
        ("三分之二的票数", (Threshold("2/3"),)),
        ("过半数", (Threshold("1/2"),)),
        (
            "55% 的成员和 65% 的 Population",
            (Threshold("11/20", "members"), Threshold("13/20", "Population")),
        ),
        ("成员的 55%；全体一致", (Threshold("11/20", "members"), Threshold("1/1"))),
        ("9 名成员", (Threshold("9", "members"),)),
    ],
)
def test_rules_in_words(typed: str, expected: tuple[Threshold, ...]) -> None:
    assert read_lines(typed, COLUMNS) == expected


@pytest.mark.parametrize("typed", ["banana", "2/3 of the cats", "0 members", "150%", "half of"])
def test_unreadable_rules_name_the_part(typed: str) -> None:
    with pytest.raises(BadValue) as bad:
        read_lines(typed, COLUMNS)
    assert bad.value.accepted


def test_problems_name_their_field_and_nothing_is_set() -> None:
    chosen = DecisionSetting(voters=("A",), formal=("B",), informal=("B",))
    _, problems = read_setting(chosen, RuleText("", quorum="2/3 of cats", blocking="4; 5"))
    assert problems == [
        "It passes with: write at least one threshold, such as more than half.",
        'Quorum: "cats" is not something the body is counted in; write votes, members.',
        "Blocking minority: write one share or count, not 2.",
        "B cannot hold a formal and an informal veto.",
    ]


def _maps() -> list[StakeholderMap]:
    return [factory() for factory in SAMPLES.values()] + [generated(s, 30) for s in range(3)]


@given(data=st.data())
@settings(max_examples=60, deadline=None)
@pytest.mark.parametrize("m", _maps(), ids=lambda m: f"{len(m.stakeholders)} people")
def test_a_setting_written_is_the_setting_read(m: StakeholderMap, data) -> None:
    names = m.names
    picks = st.lists(st.sampled_from(names), unique=True, max_size=4)
    formal = tuple(data.draw(picks))
    informal = tuple(n for n in data.draw(picks) if n not in formal)
    voters = tuple(n for n in data.draw(picks) if n not in formal + informal)
    cols = tuple(m.custom_columns)
    lines = (
        data.draw(st.lists(_thresholds(), min_size=1, max_size=3))
        if not cols
        else [Threshold("2/3")]
    )
    lines = [t for t in lines if t.counts in ("votes", "members")] or [Threshold("1/2")]
    s = DecisionSetting(
        champion=data.draw(st.sampled_from(["", *names])),
        voters=voters,
        formal=formal,
        informal=informal,
        thresholds=tuple(lines),
        quorum=data.draw(st.none() | st.just(Threshold("1/2", "members"))),
        abstentions=data.draw(st.sampled_from(ABSTENTIONS)),
        blocking=data.draw(st.none() | st.just(Threshold("4", "members"))),
    )
    written = with_setting(m, s)
    back = setting_of(written)
    order = {n: k for k, n in enumerate(names)}
    for field in ("voters", "formal", "informal"):
        assert getattr(back, field) == tuple(sorted(getattr(s, field), key=order.get))
    assert (back.champion, back.thresholds, back.quorum, back.abstentions, back.blocking) == (
        s.champion,
        s.thresholds,
        s.quorum,
        s.abstentions,
        s.blocking,
    )
    kept = {p.name: p.decision_role for p in m.stakeholders}
    for p in written.stakeholders:  # influencers and third parties keep their roles
        if p.name not in voters + formal + informal and kept[p.name] not in (
            "decider",
            "veto",
            "informal veto",
        ):
            assert p.decision_role == kept[p.name]
    assert written.relationships == m.relationships and written.proposal.parts == m.proposal.parts


def test_one_share_of_the_votes_stays_the_pass_share() -> None:
    m = StakeholderMap((Stakeholder("A", decision_role="decider"),), Proposal(pass_share=0.5))
    two_thirds = with_setting(m, DecisionSetting(voters=("A",), thresholds=(Threshold("2/3"),)))
    assert two_thirds.proposal.thresholds == () and two_thirds.proposal.pass_share == pytest.approx(
        2 / 3
    )
    both = with_setting(
        m, DecisionSetting(voters=("A",), thresholds=(Threshold("2/3"), Threshold("1", "members")))
    )
    assert both.proposal.thresholds == (Threshold("2/3"), Threshold("1", "members"))


def _open(store: Store, page: str, m: StakeholderMap) -> tuple[AppTest, int]:
    map_id = store.create("Board", m)
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["map_id"] = map_id
    at.run()
    at.switch_page(page).run()
    if page == "views/data.py":
        at.session_state["data-tab"] = "Proposal"
        at.run()
    else:
        open_decision_panel(at)
    assert not at.exception
    return at, map_id


def _field(at: AppTest, kind: str, key: str):
    return next(w for w in getattr(at, kind) if (w.key or "").endswith(f"-{key}"))


BOARD = StakeholderMap(
    tuple(
        Stakeholder(n, power=p, stance=s)
        for n, p, s in [
            ("Dana", 5, 0),
            ("Marcus", 4, -1),
            ("Ines", 3, 1),
            ("Works council", 4, -2),
            ("Sofia", 2, 2),
        ]
    )
)


@pytest.mark.parametrize("page", ["views/data.py", "views/plan.py"])
def test_the_panel_saves_the_whole_setting_as_one_version(store: Store, page: str) -> None:
    at, map_id = _open(store, page, BOARD)
    _field(at, "multiselect", "voters").set_value(["Dana", "Marcus", "Ines"])
    _field(at, "multiselect", "formal").set_value(["Works council"])
    _field(at, "text_input", "rule").set_value("two thirds")
    _field(at, "text_input", "quorum").set_value("3 members")
    _field(at, "radio", "abstain").set_value("not counted")
    _field(at, "selectbox", "champion").set_value("Sofia")
    next(b for b in at.button if b.label == "Save how it is decided").click().run()
    assert not at.exception
    latest = store.latest(map_id)
    assert latest.number == 2 and latest.description == "Set how it is decided"
    saved = setting_of(latest.data)
    assert (saved.voters, saved.formal, saved.champion) == (
        ("Dana", "Marcus", "Ines"),
        ("Works council",),
        "Sofia",
    )
    assert rule_of(latest.data).describe() == (
        "4 decision makers with 4 votes; the proposal passes with at least 2/3 of the votes cast, "
        "when at least 3 members take part. Abstentions are not counted: shares are of the votes "
        "cast. Works council holds a veto."
    )
    # the panel shows what was saved, and the other page's panel reads the same setting
    assert _field(at, "text_input", "rule").value == "2/3 of the votes"


def test_a_refused_setting_saves_nothing_and_says_why(store: Store) -> None:
    at, map_id = _open(store, "views/data.py", BOARD)
    _field(at, "multiselect", "formal").set_value(["Dana"])
    _field(at, "multiselect", "informal").set_value(["Dana"])
    _field(at, "text_input", "rule").set_value("most of them")
    next(b for b in at.button if b.label == "Save how it is decided").click().run()
    assert store.latest_number(map_id) == 1
    error = at.error[0].value.replace("\\", "")  # inert escapes markdown
    assert "It passes with:" in error and "Dana cannot hold a formal and an informal veto" in error


def test_the_plan_pages_own_share_is_a_what_if_and_says_so(store: Store) -> None:
    at, _ = _open(store, "views/plan.py", new_programme())
    assert [s.label for s in at.select_slider if "Pass share" in s.label] == [
        "Pass share, what if (not saved)"
    ]
