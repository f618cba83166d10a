"""Workbooks to maps: every synonym, scale and stance in context, every problem message, the
messy files people actually send, and the import report."""

from __future__ import annotations

import pytest

from stakemap.files.exporting import to_xlsx
from stakemap.files.importing import import_workbook
from stakemap.files.outcome import CUSTOM, IGNORE
from stakemap.model import StakeholderMap
from stakemap.samples.cases import new_programme
from stakemap.samples.synthetic import organisation
from stakemap.schema import PROPOSAL_COLUMNS, RELATIONSHIP_COLUMNS, SHEETS, STAKEHOLDER_COLUMNS
from stakemap.values import STANCE_ACCEPTED

# A valid cell for each kind of column, and what it becomes.
_VALUE = {
    "text": ("Some text", "Some text"),
    "scale": ("H", 5.0),
    "stance": ("Passive ally", 1),
    "tags": ("cost, quality", ("cost", "quality")),
    "choice": ("veto", "veto"),
    "strength": ("-2", -2.0),
    "votes": ("3", 3.0),
}


def _csv(text: str) -> StakeholderMap:
    result = import_workbook(text.encode(), "people.csv")
    assert result.ok, [str(p) for p in result.problems]
    return result.map


def _problems(data: bytes, filename: str = "map.xlsx") -> list[str]:
    result = import_workbook(data, filename)
    assert result.map is None
    return [str(p) for p in result.problems]


# -- header and sheet synonyms -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "header"),
    [(c, h) for c in STAKEHOLDER_COLUMNS for h in (c.name, *c.synonyms) if c.name != "Name"],
    ids=lambda x: getattr(x, "name", x),
)
def test_each_stakeholder_header_synonym(column, header: str) -> None:
    cell, expected = _VALUE[column.kind]
    result = import_workbook(f'Name,{header.upper()}\nAna,"{cell}"\n'.encode(), "a.csv")
    assert result.ok
    assert result.mappings[0].columns[header.upper()] == column.name
    assert getattr(result.map.stakeholders[0], column.field) == expected


@pytest.mark.parametrize("header", ["Name", *STAKEHOLDER_COLUMNS[0].synonyms])
def test_each_name_synonym(header: str) -> None:
    m = _csv(f"  {header.title()}  ,Power\nAna,4\n")
    assert m.names == ["Ana"]


@pytest.mark.parametrize(
    ("column", "header"),
    [(c, h) for c in RELATIONSHIP_COLUMNS for h in (c.name, *c.synonyms)],
    ids=lambda x: getattr(x, "name", x),
)
def test_each_relationship_header_synonym(make_xlsx, column, header: str) -> None:
    headers, cells = ["From", "To"], ["Ana", "Ben"]
    value, expected = ("rival", "rival") if column.kind == "choice" else _VALUE[column.kind]
    if column.name in headers:
        headers[headers.index(column.name)] = header
    else:
        headers.append(header)
        cells.append(value)
    data = make_xlsx(
        {"Stakeholders": [["Name"], ["Ana"], ["Ben"]], "Relationships": [headers, cells]}
    )
    result = import_workbook(data, "a.xlsx")
    assert result.ok, [str(p) for p in result.problems]
    [tie] = result.map.relationships
    assert (tie.source, tie.target) == ("Ana", "Ben")
    if column.name not in ("From", "To"):
        assert getattr(tie, column.field) == expected


@pytest.mark.parametrize(
    ("column", "header"),
    [(c, h) for c in PROPOSAL_COLUMNS for h in (c.name, *c.synonyms)],
    ids=lambda x: getattr(x, "name", x),
)
def test_each_proposal_header_synonym(make_xlsx, column, header: str) -> None:
    headers = {c.name: c.name for c in PROPOSAL_COLUMNS} | {column.name: header}
    rows = [
        [headers["Key"], headers["Value"], headers["Tags"]],
        ["Title", "Shared services", None],
        ["Part", "Cost model", "cost; finance"],
    ]
    data = make_xlsx({"Stakeholders": [["Name"], ["Ana"]], "Proposal": rows})
    proposal = import_workbook(data, "a.xlsx").map.proposal
    assert proposal.title == "Shared services"
    assert [(p.name, p.tags) for p in proposal.parts] == [("Cost model", ("cost", "finance"))]


@pytest.mark.parametrize(
    ("spec", "title"),
    [(s, t) for s in SHEETS for t in (s.name, s.name.upper(), *s.synonyms)],
    ids=lambda x: getattr(x, "name", x),
)
def test_each_sheet_name_synonym(make_xlsx, spec, title: str) -> None:
    sheets = {
        "Stakeholders": [["Name"], ["Ana"], ["Ben"]],
        "Relationships": [["From", "To"], ["Ana", "Ben"]],
        "Proposal": [["Key", "Value"], ["Champion", "ana"]],
    }
    # the named sheet comes last, after an unrelated sheet, so only its name can place it
    named = {"Notes": [["anything"]]} | {k: v for k, v in sheets.items() if k != spec.name}
    data = make_xlsx(named | {title: sheets[spec.name]})
    result = import_workbook(data, "a.xlsx")
    assert result.ok, [str(p) for p in result.problems]
    assert {m.role: m.sheet for m in result.mappings}[spec.name] == title
    assert len(result.map.relationships) == 1
    assert result.map.proposal.champion == "Ana"
    assert "Sheet Notes skipped: not a Stakeholders, Relationships or Proposal sheet" in (
        result.report
    )


def test_sheets_without_known_names_are_found_by_their_headers(make_xlsx) -> None:
    data = make_xlsx(
        {
            "Sheet3": [["Key", "Value"], ["Title", "Reorg"]],
            "Sheet1": [["Who", "Clout"], ["Ana", "M"]],
            "Sheet2": [["Influencer", "Influenced"], ["Ana", "Ana "]],
        }
    )
    assert _problems(data) == [
        'Sheet2 row 2, column To: "Ana" is the same person as From (a self-loop) '
        "(accepted: two different people)"
    ]


def test_a_single_sheet_is_the_stakeholders_sheet_whatever_its_name(make_xlsx) -> None:
    data = make_xlsx({"Relationships": [["Name", "Power"], ["Ana", 2]]})
    assert import_workbook(data, "a.xlsx").map.names == ["Ana"]


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("  NAME ", "Name"),
        ("target_stance", "Target stance"),
        ("Target-Stance", "Target stance"),
        ("DECISION    ROLE", "Decision role"),
        ("\tinterest\n", "Interest"),
        ("Full_Name", "Name"),
    ],
)
def test_headers_are_matched_ignoring_case_spaces_underscores_dashes(
    make_xlsx, header: str, column: str
) -> None:
    rows = [["Name", header], ["Ana", "Champion" if "stance" in column.lower() else "veto"]]
    if column == "Interest":
        rows[1][1] = 4
    if column == "Name":
        rows = [[header], ["Ana"]]
    result = import_workbook(make_xlsx({"People": rows}), "a.xlsx")
    assert result.ok
    assert result.mappings[0].columns[header.strip()] == column


# -- scales and stances in context -------------------------------------------------------------


def test_h_m_l_power_and_interest() -> None:
    m = _csv("Name,Power,Interest\nAna,H,l\nBen,M,high\nCem,Low,Medium\n")
    assert [(s.power, s.interest) for s in m.stakeholders] == [(5, 1), (3, 5), (1, 3)]


def test_1_to_10_and_percent_columns_are_rescaled_and_reported() -> None:
    result = import_workbook(b"Name,Power,Interest\nAna,10,80%\nBen,1,0%\nCem,7,50%\n", "a.csv")
    m = result.map
    assert [s.power for s in m.stakeholders] == [5.0, 1.0, 3.67]
    assert [s.interest for s in m.stakeholders] == [4.2, 1.0, 3.0]
    assert "Stakeholders: column Power read as 1-10, rescaled to 1-5" in result.report
    assert "Stakeholders: column Interest read as 0-100%, rescaled to 1-5" in result.report
    assert result.mappings[0].scales == {"Power": "1-10", "Interest": "0-100%"}


def test_excel_percent_cells_are_read_as_fractions(make_xlsx) -> None:
    rows = [["Name", "Power", "Urgency"], ["Ana", 0.8, 0.25], ["Ben", 0.5, 1]]
    data = make_xlsx({"S": rows}, formats={"B2": "0%", "B3": "0%", "C2": "0%", "C3": "0%"})
    result = import_workbook(data, "a.xlsx")
    assert [(s.power, s.urgency) for s in result.map.stakeholders] == [(4.2, 2.0), (3.0, 5.0)]
    assert "Stakeholders: column Power read as 0-1, rescaled to 1-5" in result.report


def test_decimal_commas_in_a_semicolon_csv() -> None:
    m = _csv("Name;Power;Interest;Effort\nZoë;3,5;4,5;1,25\nBen;2;1;5\n")
    assert [(s.power, s.interest, s.effort) for s in m.stakeholders] == [
        (3.5, 4.5, 1.25),
        (2.0, 1.0, 5.0),
    ]


def test_a_scale_can_be_overridden() -> None:
    result = import_workbook(
        b"Name,Power\nAna,5\nBen,3\n",
        "a.csv",
        scale_overrides={"Stakeholders": {"Power": "1-10"}},
    )
    assert [s.power for s in result.map.stakeholders] == [2.78, 1.89]
    assert result.mappings[0].scales["Power"] == "1-10"


def test_stance_words_of_every_scale_in_one_column() -> None:
    m = _csv(
        "Name,Stance\nA,Champion\nB,Passive ally\nC,Active opposition\nD,Leading\n"
        "E,Resistant\nF,Unaware\nG,-1\nH,+2\n"
    )
    assert [s.stance for s in m.stakeholders] == [2, 1, -2, 2, -1, 0, -1, 2]
    assert [s.unaware for s in m.stakeholders] == [False] * 5 + [True] + [False] * 2
    assert m.get("F").engagement == "Unaware"


def test_a_1_to_5_stance_column_is_converted_and_reported() -> None:
    result = import_workbook(b"Name,Attitude,Desired\nA,1\nB,3,5\nC,5,4\n", "a.csv")
    m = result.map
    assert [s.stance for s in m.stakeholders] == [-2, 0, 2]
    assert [s.target_stance for s in m.stakeholders] == [None, 2, 1]
    assert (
        "Stakeholders: column Attitude read as 1-5 (1 = Blocker, 5 = Champion), converted to -2..+2"
        in result.report
    )


def test_pmbok_unaware_as_target_gives_neutral() -> None:
    m = _csv("Name,Current engagement,Desired engagement\nAna,Unaware,Supportive\nBen,Leading,\n")
    assert (m.get("Ana").stance, m.get("Ana").unaware, m.get("Ana").target_stance) == (0, True, 1)
    assert m.get("Ben").target_stance is None


def test_decision_roles_and_kinds_in_a_workbook(make_xlsx) -> None:
    data = make_xlsx(
        {
            "Stakeholders": [["Name", "Decision"], ["A", "Decision maker"], ["B", "3rd party"]],
            "Relationships": [
                ["From", "To", "Type"],
                ["A", "B", "listens to"],
                ["B", "A", "Rivals"],
                ["A", "B", None],
            ],
        }
    )
    m = import_workbook(data, "a.xlsx").map
    assert [s.decision_role for s in m.stakeholders] == ["decider", "third party"]
    assert [(r.kind, r.strength) for r in m.relationships] == [
        ("defers to", 3.0),
        ("rival", -3.0),
        ("influences", 3.0),
    ]
    assert next(m.influence_edges()) == ("B", "A", 3.0)


# -- problem messages --------------------------------------------------------------------------


def test_duplicate_names() -> None:
    data = b"Name,Power\nAna,3\nBen,2\n ana ,4\nBen,1\n"
    assert _problems(data, "a.csv") == [
        'Stakeholders row 4, column Name: "ana" appears again (first at row 2) '
        "(accepted: each name once)",
        'Stakeholders row 5, column Name: "Ben" appears again (first at row 3) '
        "(accepted: each name once)",
    ]


def test_out_of_range_numbers(make_xlsx) -> None:
    data = make_xlsx({"People": [["Name", "Power", "Interest"], ["Ana", -1, 150], ["Ben", 4, 50]]})
    assert _problems(data) == [
        'People row 2, column Power: "-1" is outside 1-5 '
        "(accepted: a number on the 1-5 scale, or High/Medium/Low)",
        'People row 2, column Interest: "150" is outside 0-100% '
        "(accepted: a number on the 0-100% scale, or High/Medium/Low)",
    ]


def test_unknown_stance_word_and_other_bad_cells() -> None:
    data = b"Name,Stance,Target stance,Decision role,Power\nAna,Maybe,-3,boss,lots\n"
    assert _problems(data, "a.csv") == [
        'Stakeholders row 2, column Stance: "Maybe" is not a stance word (accepted: '
        f"{STANCE_ACCEPTED})",
        'Stakeholders row 2, column Target stance: "-3" is outside -2..+2 (accepted: '
        f"{STANCE_ACCEPTED})",
        'Stakeholders row 2, column Decision role: "boss" is not a known decision role '
        "(accepted: decider, veto, informal veto, influencer, third party)",
        'Stakeholders row 2, column Power: "lots" is not a number or a level word '
        "(accepted: a number on the 1-5 scale, or High/Medium/Low)",
    ]


def test_relationship_problems(make_xlsx) -> None:
    data = make_xlsx(
        {
            "Stakeholders": [["Name"], ["Ana"], ["Ben"]],
            "Relationships": [
                ["Ties between people"],
                ["From", "To", "Strength", "Kind"],
                ["Ana", "Zed", 2, "ally"],
                ["Yan", "Ben", 2, "ally"],
                ["ben", "Ben", 2, "ally"],
                [None, "Ana", 9, "enemy"],
            ],
        }
    )
    assert _problems(data) == [
        'Relationships row 3, column To: "Zed" is not a name on the Stakeholders sheet '
        "(accepted: a name from the Stakeholders sheet)",
        'Relationships row 4, column From: "Yan" is not a name on the Stakeholders sheet '
        "(accepted: a name from the Stakeholders sheet)",
        'Relationships row 5, column To: "Ben" is the same person as From (a self-loop) '
        "(accepted: two different people)",
        'Relationships row 6, column Strength: "9" is outside -5..5 '
        "(accepted: a number from -5 to 5 (negative: pushes away))",
        'Relationships row 6, column Kind: "enemy" is not a known kind '
        "(accepted: influences, defers to, reports to, ally, rival)",
        "Relationships row 6, column From: is empty (accepted: a name from the Stakeholders sheet)",
    ]


_NO_NAME = (
    "no column is read as Name (accepted: a header such as Name, Stakeholder, Person or Nom, "
    "or a column mapped to Name)"
)


def test_missing_name_column_shows_the_headers_for_the_mapping(make_xlsx) -> None:
    rows = [["Project X"], [], ["名前", "Influence"], ["李娜", 4]]
    result = import_workbook(make_xlsx({"People": rows}), "a.xlsx")
    assert [str(p) for p in result.problems] == [f"People row 1, column Name: {_NO_NAME}"]
    # the first filled row is offered in the column mapping, where Name can be chosen ...
    assert result.mappings[0].columns == {"Project X": CUSTOM, "Column B": CUSTOM}
    # ... and a header the user maps to Name also finds the header row
    fixed = import_workbook(
        make_xlsx({"People": rows}),
        "a.xlsx",
        column_overrides={"Stakeholders": {"名前": "Name"}},
    )
    assert fixed.ok
    assert (fixed.map.names, fixed.map.stakeholders[0].power) == (["李娜"], 4.0)


def test_missing_name_column_in_a_csv() -> None:
    assert _problems(b"Title,Power\nAna,3\n", "a.csv") == [
        f"Stakeholders row 1, column Name: {_NO_NAME}"
    ]


def test_no_sheet_left_for_stakeholders(make_xlsx) -> None:
    data = make_xlsx({"Relationships": [["From", "To"]], "Proposal": [["Key", "Value"]]})
    assert _problems(data) == [
        "Stakeholders, column Name: no sheet has a Name column in its first 30 rows "
        "(accepted: a header such as Name, Stakeholder, Person or Nom)"
    ]


def test_name_column_mapped_away_is_a_problem() -> None:
    result = import_workbook(
        b"Name,Power\nAna,3\n", "a.csv", column_overrides={"Stakeholders": {"Name": IGNORE}}
    )
    assert [str(p) for p in result.problems] == [f"Stakeholders row 1, column Name: {_NO_NAME}"]


def test_rows_without_a_name() -> None:
    assert _problems(b"Name,Power\nAna,3\n,4\n", "a.csv") == [
        "Stakeholders row 3, column Name: is empty; every row needs a name (accepted: any text)"
    ]


def test_pass_share_out_of_range_and_champion_not_on_the_map(make_xlsx) -> None:
    data = make_xlsx(
        {
            "Stakeholders": [["Name"], ["Ana"]],
            "Proposal": [
                ["Key", "Value", "Tags"],
                ["Title", "Reorg"],
                ["Champion", "Zed"],
                ["Pass share", "150%"],
            ],
        }
    )
    assert _problems(data) == [
        'Proposal row 3, column Value: "Zed" is not a name on the Stakeholders sheet '
        "(accepted: a name from the Stakeholders sheet)",
        'Proposal row 4, column Value: "150%" is outside 0-100% '
        "(accepted: a share such as 50%, 2/3, 66 2/3% or 0.6)",
    ]


def test_every_problem_is_reported_at_once_on_one_line_each(make_xlsx) -> None:
    long_name = "Ana\nwith a line break " + "x" * 200
    data = make_xlsx(
        {
            "Stakeholders": [["Name", "Power"], [long_name, 1], [long_name, 9], ["Ben", -3]],
            "Relationships": [["From", "To"], ["Ana", "Ben"]],
        }
    )
    problems = _problems(data)
    assert len(problems) == 3  # the duplicate, -3 on the 1-10 scale that 9 implies, the tie
    assert all("\n" not in p for p in problems)
    assert problems[0].startswith('Stakeholders row 3, column Name: "Ana with a line break xxx')
    assert '…" appears again (first at row 2)' in problems[0]
    assert problems[1].startswith('Stakeholders row 4, column Power: "-3" is outside 1-10')
    assert problems[2].startswith('Relationships row 2, column From: "Ana" is not a name')


# -- messy files -------------------------------------------------------------------------------


def test_title_rows_blank_rows_and_custom_columns(make_xlsx) -> None:
    rows = [
        ["Stakeholder register - Project X"],
        ["Prepared by the PMO", None, None, None],
        [],
        ["  NAME ", " Influence ", "Attitude", "Site", None, "Budget owner"],
        ["Ana", "H", "Supportive", "Lyon", None, "yes"],
        [],
        ["Ben", "l", "Resistant", None, "stray", None],
        [None, None, None],
        ["Cem", "M", "Neutral", "Łódź"],
        [],
        [],
    ]
    result = import_workbook(make_xlsx({"Register": rows}), "messy.xlsx")
    m = result.map
    assert m.names == ["Ana", "Ben", "Cem"]
    assert m.custom_columns == ("Site", "Column E", "Budget owner")
    assert m.get("Ana").custom == {"Site": "Lyon", "Budget owner": "yes"}
    assert m.get("Ben").custom == {"Column E": "stray"}
    assert result.report == [
        "Stakeholders: column Influence read as Power",
        "Stakeholders: column Attitude read as Stance",
        "Stakeholders: 2 blank rows skipped",
        "Stakeholders: header found on row 4 of Register; 3 title rows above it skipped",
        "Stakeholders: 3 read from sheet Register",
    ]
    assert result.mappings[0].header_row == 4
    assert result.mappings[0].columns == {
        "NAME": "Name",
        "Influence": "Power",
        "Attitude": "Stance",
        "Site": CUSTOM,
        "Column E": CUSTOM,
        "Budget owner": CUSTOM,
    }


def test_problem_rows_count_title_and_blank_rows(make_xlsx) -> None:
    rows = [["Map"], [], ["Name", "Power"], ["Ana", 4], [], ["Ben", "huge"]]
    assert _problems(make_xlsx({"People": rows})) == [
        'People row 6, column Power: "huge" is not a number or a level word '
        "(accepted: a number on the 1-5 scale, or High/Medium/Low)"
    ]


@pytest.mark.parametrize(
    ("data", "note"),
    [
        ("Name;Group;Power\nZoë;Müller;H\n李娜;R&D;4\n".encode(), "UTF-8, semicolon"),
        ("Name\tGroup\tPower\nZoë\tMüller\tH\n李娜\tR&D\t4\n".encode(), "UTF-8, tab"),
        ("\ufeffName,Group,Power\nZoë,Müller,H\n李娜,R&D,4\n".encode(), "UTF-8 with BOM, comma"),
        (
            "Name;Group;Power\r\nZoë;Müller;H\r\nLi;R&D;4\r\n".encode("cp1252"),
            "Windows-1252, semicolon",
        ),
    ],
)
def test_csv_variants(data: bytes, note: str) -> None:
    result = import_workbook(data, "people.csv")
    assert result.ok
    zoe = result.map.stakeholders[0]
    assert (zoe.name, zoe.group, zoe.power) == ("Zoë", "Müller", 5.0)
    assert result.map.stakeholders[1].power == 4.0
    assert result.report[0] == f"CSV read as {note}-separated"


def test_cjk_names_and_relationships(make_xlsx) -> None:
    data = make_xlsx(
        {
            "Stakeholders": [["名前 ", "Power"], ["李娜", 4], ["田中太郎", 2]],
            "Relationships": [["From", "To", "Kind"], ["田中太郎", "李娜", "reports to"]],
        },
    )
    result = import_workbook(data, "a.xlsx", column_overrides={"Stakeholders": {"名前": "Name"}})
    assert result.map.names == ["李娜", "田中太郎"]
    assert list(result.map.influence_edges()) == [("李娜", "田中太郎", 3.0)]


def test_duplicate_headers_are_all_kept_under_distinct_names() -> None:
    result = import_workbook(
        b"Name,Site,site,Name,Influence,Power\nAna,Lyon,Leeds,Ann,4,2\n", "a.csv"
    )
    m = result.map
    assert m.custom_columns == ("Site", "site (2)", "Name (2)", "Power (custom)")
    assert m.stakeholders[0].custom == {
        "Site": "Lyon",
        "site (2)": "Leeds",
        "Name (2)": "Ann",
        "Power (custom)": "2",
    }
    assert m.stakeholders[0].power == 4.0
    assert "Stakeholders: a second column site read as site (2)" in result.report
    assert "Stakeholders: column Power also matches Power; kept as a custom attribute" in (
        result.report
    )


def test_column_overrides() -> None:
    data = b"Name,Clout,Remarks,Budget\nAna,H,hello,10\n"
    result = import_workbook(
        data,
        "a.csv",
        column_overrides={"Stakeholders": {"Clout": CUSTOM, "Remarks": IGNORE, "Budget": "Power"}},
    )
    ana = result.map.stakeholders[0]
    assert (ana.power, ana.notes, ana.custom) == (5.0, "", {"Clout": "H"})
    assert "Stakeholders: column Remarks ignored, as chosen" in result.report
    assert result.mappings[0].columns == {
        "Name": "Name",
        "Clout": CUSTOM,
        "Remarks": IGNORE,
        "Budget": "Power",
    }


def test_relationship_extra_columns_go_into_notes(make_xlsx) -> None:
    data = make_xlsx(
        {
            "Stakeholders": [["Name"], ["Ana"], ["Ben"]],
            "Relationships": [
                ["From", "To", "Notes", "Since"],
                ["ana", "BEN", "old friends", 2019],
            ],
        }
    )
    [tie] = import_workbook(data, "a.xlsx").map.relationships
    assert (tie.source, tie.target, tie.notes) == ("Ana", "Ben", "old friends; Since: 2019")


def test_proposal_sheet(make_xlsx) -> None:
    data = make_xlsx(
        {
            "Stakeholders": [["Name"], ["Ana"]],
            "Proposal": [
                ["Key", "Value", "Tags"],
                ["title", "Reorg"],
                ["CHAMPION", "ana"],
                ["Pass share", 0.6],
                ["Part", "Cost model", "cost, finance"],
                ["Part", "Training", "people"],
                ["Deadline", "June"],
            ],
        },
    )
    p = import_workbook(data, "a.xlsx").map.proposal
    assert (p.title, p.champion, p.pass_share) == ("Reorg", "Ana", 0.6)
    assert [(x.name, x.tags) for x in p.parts] == [
        ("Cost model", ("cost", "finance")),
        ("Training", ("people",)),
    ]
    assert p.extra == {"Deadline": "June"}


# -- round trips -------------------------------------------------------------------------------


@pytest.mark.parametrize("build", [new_programme, organisation], ids=["programme", "organisation"])
@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_exported_workbooks_import_back_unchanged(build, engine: str) -> None:
    original = build()
    result = import_workbook(to_xlsx(original), "export.xlsx", engine=engine)
    assert result.ok
    assert result.map == original


def test_text_that_looks_like_a_formula_stays_text(demo_map) -> None:
    from dataclasses import replace

    m = demo_map.with_stakeholder("Ben", notes='=HYPERLINK("http://x")', role="+1")
    back = import_workbook(to_xlsx(replace(m, positions={})), "a.xlsx").map
    assert back.get("Ben").notes == '=HYPERLINK("http://x")'
    assert back.get("Ben").role == "+1"


# -- control characters (issue 9, findings 3 and 4) ---------------------------------------------


def _round_trips(m: StakeholderMap) -> None:
    """Exports to every format, and the workbook imports back unchanged."""
    from stakemap.files.csvfiles import to_csv_zip
    from stakemap.network.drawing import network_html

    assert import_workbook(to_xlsx(m), "map.xlsx").map == m
    assert to_csv_zip(m) and network_html(m, None)


def test_a_header_with_an_escape_imports_cleaned_and_exports() -> None:
    """It used to import as "Site\\x1b" and crash every export ("All strings must be XML
    compatible")."""
    result = import_workbook(b"Name,Site\x1b[0m,Power\nAna,Lyon,3\n", "people.csv")
    assert result.ok and result.map.custom_columns == ("Site[0m",)
    assert 'Stakeholders row 1, column B: control characters removed, leaving "Site[0m"' in (
        result.report
    )
    _round_trips(result.map)


def test_names_with_control_characters_survive_the_round_trip() -> None:
    """They used to import as typed, lose the characters on export, and then not match."""
    from .test_hostile_uploads import inline, raw_xlsx

    rows = [("Name", "Power", "Notes"), ("Ana\x01", "3", "ok\x7f"), ("\x1fBen\u0085", "4", "")]
    body = "".join(
        f'<row r="{r}">'
        + "".join(inline(f"{'ABC'[c]}{r}", v) for c, v in enumerate(row) if v)
        + "</row>"
        for r, row in enumerate(rows, start=1)
    )
    result = import_workbook(raw_xlsx(body, sheet="Stake\x07holders"), "map.xlsx")
    assert result.ok, [str(p) for p in result.problems]
    assert [s.name for s in result.map.stakeholders] == ["Ana", "Ben"]
    assert result.map.stakeholders[0].notes == "ok"
    assert result.report[:3] == [
        "Sheet Stakeholders: name cleaned (control characters, line breaks or a repeated name)",
        'Stakeholders row 2, column A: control characters removed, leaving "Ana"',
        'Stakeholders row 2, column C: control characters removed, leaving "ok"',
    ]
    _round_trips(result.map)


def test_names_that_meet_once_cleaned_are_refused_by_row() -> None:
    result = import_workbook(b"Name\nAna\x01\nAna\n", "people.csv")
    assert [str(p) for p in result.problems] == [
        'Stakeholders row 3, column Name: "Ana" appears again (first at row 2) '
        "(accepted: each name once)"
    ]


def test_a_name_of_control_characters_only_is_empty() -> None:
    result = import_workbook(b"Name,Power\n\x01\x02,3\n", "people.csv")
    assert [(p.sheet, p.row, p.column, p.message) for p in result.problems] == [
        ("Stakeholders", 2, "Name", "is empty; every row needs a name")
    ]
