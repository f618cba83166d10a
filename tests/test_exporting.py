"""Export: the workbook comes back without loss, no text becomes a formula, the room's sheets
carry their validations, formats, chart and print settings."""

from __future__ import annotations

import csv
import dataclasses
import io
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stakemap.files.csvfiles import to_csv_zip
from stakemap.files.exporting import MAX_LABELLED_POINTS, to_xlsx
from stakemap.files.importing import import_workbook
from stakemap.model import (
    DECISION_ROLES,
    RELATIONSHIP_KINDS,
    Proposal,
    ProposalPart,
    Relationship,
    Stakeholder,
    StakeholderMap,
)
from stakemap.samples.cases import new_programme
from stakemap.samples.synthetic import organisation
from stakemap.schema import SHEETS, normalise_header
from stakemap.values import clean_text

# Text as people type it: any letters (CJK, accents), digits, punctuation, formula starts.
# Noncharacters (category Cn, like unassigned code points) are what CONTROL adds, not text.
_CHARS = st.characters(
    blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\x85\xa0"
).filter(lambda c: clean_text(c) == c) | st.sampled_from("=+-@ ,;'\"<>&")
_TEXT = st.text(_CHARS, max_size=25).map(lambda t: " ".join(t.split()))
_WORD = (
    st.text(_CHARS.filter(lambda c: c not in ",;，；、"), min_size=1, max_size=12)
    .map(lambda t: " ".join(t.split()))
    .filter(bool)
)
_SCORE = st.integers(100, 500).map(lambda v: v / 100)
_HEADERS = {normalise_header(c.name) for spec in SHEETS for c in spec.columns} | {
    s for spec in SHEETS for c in spec.columns for s in c.synonyms
}


#: What no workbook can carry (stakemap.values.clean_text): C0 but tab, LF and CR; DEL; C1;
#: noncharacters. Put into a map's text by :func:`soiled`. Lone surrogates are left out: no
#: file can bring one in (UTF-8 cannot encode them), and pandas (the metrics sheet) refuses them.
CONTROL = st.sampled_from(
    [chr(c) for c in [*range(9), 11, 12, *range(14, 32), *range(127, 160)]]
    + ["\ufdd0", "\ufffe", "\uffff", "\U0001fffe", "\U0010ffff"]
)


def _soil(draw, text: str) -> str:
    """``text`` with up to three control characters put in at random places."""
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(CONTROL) + text[at:]
    return text


@st.composite
def soiled(draw, m: StakeholderMap) -> StakeholderMap:
    """``m`` with control characters in names, headers and text: cleaning them gives ``m``."""
    names = {s.name: _soil(draw, s.name) for s in m.stakeholders}
    columns = {c: _soil(draw, c) for c in m.custom_columns}
    people = tuple(
        dataclasses.replace(
            s,
            name=names[s.name],
            role=_soil(draw, s.role),
            notes=_soil(draw, s.notes),
            goals=tuple(_soil(draw, g) for g in s.goals),
            custom={columns[k]: _soil(draw, v) for k, v in s.custom.items()},
        )
        for s in m.stakeholders
    )
    ties = tuple(
        dataclasses.replace(
            r, source=names[r.source], target=names[r.target], notes=_soil(draw, r.notes)
        )
        for r in m.relationships
    )
    parts = tuple(
        dataclasses.replace(p, name=_soil(draw, p.name), tags=tuple(_soil(draw, t) for t in p.tags))
        for p in m.proposal.parts
    )
    proposal = dataclasses.replace(
        m.proposal,
        title=_soil(draw, m.proposal.title),
        champion=names.get(m.proposal.champion, ""),
        parts=parts,
    )
    return StakeholderMap(people, ties, proposal, tuple(columns.values()))


def _tags(draw) -> tuple[str, ...]:
    tags = draw(st.lists(_WORD, max_size=3, unique_by=str.casefold))
    return tuple(tags)


@st.composite
def maps(draw) -> StakeholderMap:
    names = draw(st.lists(_WORD, min_size=1, max_size=8, unique_by=str.casefold))
    custom = tuple(
        draw(
            st.lists(
                _WORD.filter(lambda w: normalise_header(w) not in _HEADERS),
                max_size=2,
                unique_by=normalise_header,
            )
        )
    )
    people = []
    for name in names:
        unaware = draw(st.booleans())
        people.append(
            Stakeholder(
                name=name,
                role=draw(_TEXT),
                group=draw(_TEXT),
                power=draw(_SCORE),
                interest=draw(_SCORE),
                stance=0 if unaware else draw(st.integers(-2, 2)),
                target_stance=draw(st.none() | st.integers(-2, 2)),
                legitimacy=draw(st.none() | _SCORE),
                urgency=draw(st.none() | _SCORE),
                effort=draw(_SCORE),
                goals=_tags(draw),
                decision_role=draw(st.sampled_from(("", *DECISION_ROLES))),
                notes=draw(_TEXT),
                unaware=unaware,
                custom={c: v for c in custom if (v := draw(_TEXT))},
            )
        )
    ties = []
    if len(names) > 1:
        for _ in range(draw(st.integers(0, 8))):
            a, b = draw(st.lists(st.sampled_from(names), min_size=2, max_size=2, unique=True))
            ties.append(
                Relationship(
                    a,
                    b,
                    draw(st.integers(-10, 10)) / 2,
                    draw(st.sampled_from(RELATIONSHIP_KINDS)),
                    draw(_TEXT),
                )
            )
    parts = tuple(ProposalPart(draw(_WORD), _tags(draw)) for _ in range(draw(st.integers(0, 3))))
    proposal = Proposal(
        draw(_TEXT), draw(st.sampled_from(["", *names])), draw(st.integers(1, 100)) / 100, parts
    )
    return StakeholderMap(tuple(people), tuple(ties), proposal, custom)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(maps())
def test_workbook_round_trip(m: StakeholderMap) -> None:
    result = import_workbook(to_xlsx(m, extras=False), "map.xlsx")
    assert result.problems == []
    assert result.map == m


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(maps().flatmap(lambda m: st.tuples(st.just(m), soiled(m))))
def test_control_characters_never_reach_the_workbook(pair) -> None:
    """A map holding control characters (typed in the app, say) exports without lxml's "All
    strings must be XML compatible" and comes back as the map without them, CSV files too."""
    m, dirty = pair
    result = import_workbook(to_xlsx(dirty), "map.xlsx")
    assert result.problems == []
    assert result.map == m
    with zipfile.ZipFile(io.BytesIO(to_csv_zip(dirty))) as archive:
        data = archive.read("Stakeholders.csv")
    assert import_workbook(data, "Stakeholders.csv").map.stakeholders == (
        import_workbook(to_csv_zip_people(m), "Stakeholders.csv").map.stakeholders
    )


def to_csv_zip_people(m: StakeholderMap) -> bytes:
    with zipfile.ZipFile(io.BytesIO(to_csv_zip(m))) as archive:
        return archive.read("Stakeholders.csv")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(maps())
def test_full_workbook_round_trip(m: StakeholderMap) -> None:
    """With the lens, chart, metrics, plan and About sheets, the map still comes back."""
    result = import_workbook(to_xlsx(m), "map.xlsx")
    assert result.map == m


@settings(max_examples=60, deadline=None)
@given(maps())
def test_csv_zip_reads_back(m: StakeholderMap) -> None:
    """The Stakeholders CSV imports to the same people: the injection prefix is taken away."""
    with zipfile.ZipFile(io.BytesIO(to_csv_zip(m))) as archive:
        data = archive.read("Stakeholders.csv")
    result = import_workbook(data, "Stakeholders.csv")
    assert result.problems == []
    got = {s.name: s for s in result.map.stakeholders}
    for person in m.stakeholders:
        assert got[person.name].power == person.power
        assert got[person.name].stance == person.stance


def _hostile() -> StakeholderMap:
    people = (
        Stakeholder('=HYPERLINK("http://x","y")', notes="+1+cmd|' /C calc'!A0"),
        Stakeholder("@SUM(A1)", role="-2+3", group="Tab\there", notes="line\nbreak"),
        Stakeholder("李娜", notes="=1+1"),
    )
    return StakeholderMap(people, (Relationship("@SUM(A1)", "李娜", 2),))


def test_no_text_becomes_a_formula_in_xlsx() -> None:
    m = _hostile()
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(m)))["Stakeholders"]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value is not None]
    formulas = [c.coordinate for c in cells if c.data_type == "f"]
    assert formulas == []
    assert sheet["A2"].value == m.stakeholders[0].name
    assert import_workbook(to_xlsx(m), "x.xlsx").map == m


def test_text_that_looks_like_a_cell_type_stays_text() -> None:
    """Excel reads _xHHHH_ in a string as the character HHHH (openpyxl wrote "_x0041_" as is,
    and it came back as "A"): typed, it is escaped on export.
    Text that looks like a number, a link or an error stays text."""
    people = (
        Stakeholder("_x0041_", notes="a_x000D_b"),
        Stakeholder("1e5", role="http://example.org", group="#REF!", notes="007"),
    )
    m = StakeholderMap(people, (Relationship("_x0041_", "1e5", 2),))
    assert import_workbook(to_xlsx(m), "m.xlsx").map == m
    # openpyxl does not undo the escape in inline strings; Excel and calamine do
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(m)))["Stakeholders"]
    assert sheet["A2"].value == "_x005F_x0041_"
    assert [sheet["A3"].value, sheet["B3"].value] == ["1e5", "http://example.org"]
    assert sheet["A3"].data_type == "s" and sheet["B3"].hyperlink is None


def test_formula_like_text_is_prefixed_in_csv() -> None:
    with zipfile.ZipFile(io.BytesIO(to_csv_zip(_hostile()))) as archive:
        text = archive.read("Stakeholders.csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][0] == '\'=HYPERLINK("http://x","y")'
    assert rows[2][0] == "'@SUM(A1)"
    assert rows[2][1] == "'-2+3"
    assert rows[3][12] == "'=1+1"
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for cell in r)


@pytest.fixture(scope="module")
def book() -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(to_xlsx(new_programme(), name="NP", version=4)))


def test_sheets_in_order(book) -> None:
    assert book.sheetnames[:3] == ["Stakeholders", "Relationships", "Proposal"]
    assert {"Power-interest chart", "Network metrics", "Coalition plan", "About"} <= set(
        book.sheetnames
    )
    assert "Power-interest grid (Mendelow)"[:31] in book.sheetnames


def test_validations_tables_and_formats(book) -> None:
    people = book["Stakeholders"]
    rules = {str(dv.sqref).split(":")[0]: dv for dv in people.data_validations.dataValidation}
    assert "Champion" in rules["F2"].formula1 and "Unaware" in rules["F2"].formula1
    assert "veto" in rules["L2"].formula1
    assert rules["D2"].type == "decimal" and (rules["D2"].formula1, rules["D2"].formula2) == (
        "1",
        "5",
    )
    assert people.freeze_panes == "B2"
    assert people.auto_filter.ref.startswith("A1:")
    assert len(people.conditional_formatting) >= 1
    ties = book["Relationships"]
    names = [dv for dv in ties.data_validations.dataValidation if "Stakeholders" in dv.formula1]
    assert names and str(names[0].sqref).startswith("A2:B")


def test_chart_labels_each_person_and_print_settings(book) -> None:
    sheet = book["Power-interest chart"]
    (chart,) = sheet._charts
    assert len(chart.series) == len(new_programme().stakeholders)
    assert chart.series[0].tx.strRef.f == "'Power-interest chart'!$A$2"
    assert sheet["A2"].value == new_programme().names[0]
    for title in ("Power-interest chart", "Coalition plan", book.sheetnames[3]):
        setup = book[title].page_setup
        assert setup.orientation == "landscape"
        assert book[title].sheet_properties.pageSetUpPr.fitToPage


def test_lens_sheet_holds_every_name(book) -> None:
    sheet = book[book.sheetnames[3]]
    values = {c.value for row in sheet.iter_rows() for c in row}
    assert set(new_programme().names) <= values


def test_plan_and_about(book) -> None:
    plan = book["Coalition plan"]
    assert [c.value for c in plan[1]][:3] == ["Step", "Name", "Phase"]
    assert plan["B2"].value in new_programme().names
    about = {r[0].value: r[1].value for r in book["About"].iter_rows()}
    assert about["Map"] == "NP" and about["Version"] == 4


@pytest.mark.parametrize("m", [StakeholderMap(), StakeholderMap((Stakeholder("Ana"),))])
def test_an_empty_or_one_person_map_exports_every_sheet(m: StakeholderMap) -> None:
    data = to_xlsx(m, name="Empty", version=1)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert {"Power-interest chart", "Network metrics", "Coalition plan", "About"} <= set(
        book.sheetnames
    )
    assert len(book["Power-interest chart"]._charts) == len(m.stakeholders)
    assert import_workbook(data, "m.xlsx").map.stakeholders == m.stakeholders


def test_large_map_chart_is_one_unlabelled_series() -> None:
    m = organisation(MAX_LABELLED_POINTS + 10)
    chart_sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(m)))["Power-interest chart"]
    assert len(chart_sheet._charts[0].series) == 1
