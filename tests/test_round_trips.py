"""Every export that can be read back comes back as the same map: people, ties, attributes,
the proposal and its decision rule (Votes, thresholds, quorum, abstentions, blocking minority),
the network positions (all but CSV) and the engagement log (workbooks, Kumu, CSV, GraphML and
GEXF); graph files valid against their formats' schemas too (property tests over generated
maps)."""

from __future__ import annotations

import json
from dataclasses import replace
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from stakemap.files.csvfiles import to_csv_zip
from stakemap.files.exporting import to_xlsx
from stakemap.files.graphdata import _NOT_XML
from stakemap.files.graphfiles import to_gexf, to_graphml
from stakemap.files.importing import import_workbook
from stakemap.files.kumu import to_kumu_xlsx
from stakemap.model import ABSTENTIONS, OUTCOMES, Engagement, StakeholderMap, Threshold
from stakemap.values import RULES

from .test_exporting import _TEXT, maps
from .test_graph_files import schema_errors

#: Drawing units to the hundredth: the app stores positions rounded to 0.1; Excel (and so the
#: workbook) keeps 15 significant digits, not every bit of a float.
_XY = st.integers(-(10**8), 10**8).map(lambda v: v / 100)


@st.composite
def laid_out_maps(draw) -> StakeholderMap:
    """A generated map (tests/test_exporting.py) with some of its people placed."""
    m = draw(maps())
    placed = draw(st.lists(st.sampled_from(m.names), unique=True))
    return replace(m, positions={n: (draw(_XY), draw(_XY)) for n in placed})


@st.composite
def logged_maps(draw) -> StakeholderMap:
    """A laid-out map with an engagement log: meetings of its people, any order, some twice."""
    m = draw(laid_out_maps())
    entry = st.builds(
        Engagement,
        name=st.sampled_from(m.names),
        date=st.dates().map(lambda d: d.isoformat()),
        outcome=st.sampled_from(list(OUTCOMES)),
        stance_before=st.integers(-2, 2),
        stance_after=st.integers(-2, 2),
        step=st.none() | st.integers(1, 3000),
        note=_TEXT,
    )
    return replace(m, engagements=tuple(draw(st.lists(entry, max_size=6))))


_SHARES = st.tuples(st.integers(1, 12), st.integers(1, 12)).filter(lambda t: t[0] <= t[1]).map(
    lambda t: Fraction(*t)
) | st.integers(1, 100).map(lambda k: Fraction(k, 100))
_AMOUNTS = _SHARES.map(lambda f: f"{f.numerator}/{f.denominator}") | st.integers(1, 400).map(str)
_LINES = st.builds(Threshold, _AMOUNTS, st.sampled_from(["votes", "members"]))


@st.composite
def decided_maps(draw) -> StakeholderMap:
    """A logged map with Votes and a decision rule: thresholds, quorum, abstentions, blocking
    minority, rough columns (docs/decision-rules.md)."""
    m = draw(logged_maps())
    votes = st.none() | st.integers(0, 40).map(float) | st.sampled_from([0.5, 2.25])
    people = tuple(replace(s, votes=draw(votes)) for s in m.stakeholders)
    proposal = replace(
        m.proposal,
        decision_rule=draw(st.sampled_from(["", *RULES])),
        thresholds=tuple(draw(st.lists(_LINES, max_size=3))),
        quorum=draw(st.none() | _LINES),
        abstentions=draw(st.sampled_from(["", *ABSTENTIONS])),
        blocking_minority=draw(st.none() | _LINES),
        rough=tuple(draw(st.lists(st.sampled_from(["votes", "members"]), max_size=1))),
    )
    return replace(m, stakeholders=people, proposal=proposal)


_SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(decided_maps())
def test_workbook_round_trip_keeps_the_layout_and_the_log(m: StakeholderMap) -> None:
    result = import_workbook(to_xlsx(m, extras=False), "map.xlsx")
    assert result.problems == []
    assert result.map == m


@_SETTINGS
@given(decided_maps())
def test_kumu_workbook_round_trip(m: StakeholderMap) -> None:
    assume(not any("|" in goal for s in m.stakeholders for goal in s.goals))  # Kumu's separator
    result = import_workbook(to_kumu_xlsx(m), "map.kumu.xlsx")
    assert result.problems == []
    assert result.map == m


@_SETTINGS
@given(decided_maps())
def test_csv_zip_round_trip(m: StakeholderMap) -> None:
    """The zip of CSV files keeps everything, the layout (Layout.csv) included."""
    result = import_workbook(to_csv_zip(m), "map.zip")
    assert result.problems == []
    assert result.map == m


@_SETTINGS
@pytest.mark.parametrize(
    ("write", "ending"), [(to_graphml, ".graphml"), (to_gexf, ".gexf")], ids=["graphml", "gexf"]
)
@given(m=decided_maps())
def test_graph_file_round_trip(write, ending: str, m: StakeholderMap) -> None:
    """Everything a map holds but the followed plan (which no file carries) comes back: votes,
    the rule, the log and the layout included; the file is valid against its schema."""
    assume(not _NOT_XML.search(json.dumps(m.to_dict(), ensure_ascii=False)))  # XML cannot hold
    data = write(m)
    result = import_workbook(data, f"map{ending}")
    assert result.problems == []
    assert result.map == m
    assert schema_errors(ending.lstrip("."), data) == []


def test_the_layout_sheet_is_hidden_and_left_out_without_positions() -> None:
    import io

    import openpyxl

    from stakemap.samples.cases import new_programme

    m = new_programme()
    placed = replace(m, positions={m.names[0]: (1.5, -2.0)})
    for write, title in ((to_xlsx, "Layout"), (to_kumu_xlsx, "Layout (ignore)")):
        book = openpyxl.load_workbook(io.BytesIO(write(placed)))
        assert book[title].sheet_state == "hidden"
        assert list(book[title].values) == [("Name", "X", "Y"), (m.names[0], 1.5, -2)]
        assert title not in openpyxl.load_workbook(io.BytesIO(write(m))).sheetnames


def test_the_engagement_log_is_a_sheet_of_text_cells_left_out_without_meetings() -> None:
    import io

    import openpyxl

    from stakemap.files.csvfiles import to_csv_zip
    from stakemap.samples.cases import new_programme

    m = new_programme()
    name = m.names[1]
    note = '=HYPERLINK("http://x","y")'
    logged = replace(m, engagements=(Engagement(name, "2026-12-02", "passive", 0, 1, 3, note),))
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(logged)))
    rows = list(book["Engagements"].values)
    assert rows[0] == ("Name", "Date", "Outcome", "Stance before", "Stance after", "Step", "Note")
    assert rows[1] == (name, "2026-12-02", "Agreed but passive", "Neutral", "Supporter", 3, note)
    assert book["Engagements"]["G2"].data_type == "s"  # the note is text, never a formula
    assert "Engagements" not in openpyxl.load_workbook(io.BytesIO(to_xlsx(m))).sheetnames
    assert b"Engagements.csv" in to_csv_zip(logged)


def test_a_bad_engagement_row_is_named_and_unknown_people_are_skipped() -> None:
    from tests.conftest import build_xlsx

    people = [["Name", "Stance"], ["Ana", "Neutral"]]
    log = [
        ["Name", "Date", "Outcome", "Stance before", "Stance after", "Step", "Note"],
        ["Ana", "2026-12-02", "won", "Neutral", "Champion", 1, "fine"],
        ["Ana", "2 December", "Won", "Neutral", "Champion", "", ""],
        ["Ana", "2026-12-03", "maybe", "Neutral", "Champion", 0, ""],
        ["Zed", "2026-12-03", "Won", "Neutral", "Champion", "", ""],
    ]
    result = import_workbook(build_xlsx({"Stakeholders": people, "Engagements": log}), "m.xlsx")
    problems = {(p.sheet, p.row, p.column, p.value) for p in result.problems}
    assert problems == {
        ("Engagements", 3, "Date", "2 December"),
        ("Engagements", 4, "Outcome", "maybe"),
        ("Engagements", 4, "Step", "0"),
    }
    assert result.partial.engagements == (Engagement("Ana", "2026-12-02", "won", 0, 2, 1, "fine"),)
    assert "Engagements: 1 meeting(s) of names not on the Stakeholders sheet skipped" in (
        result.report
    )
