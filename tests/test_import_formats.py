"""The sheets people already have (the PMBOK register, Kumu workbooks, registers phrased in the
many ways people phrase them), files with some bad rows, and graph files; each with what the
import panel's banner and the report say."""

from __future__ import annotations

import functools

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from stakemap import settings
from stakemap.files.importing import import_workbook
from stakemap.files.outcome import CUSTOM, SKIPPED_KEY
from stakemap.files.sheets import UnreadableFile
from stakemap.model import Relationship

from .conftest import build_xlsx

# -- the PMBOK stakeholder register -------------------------------------------------------------

#: The PMBOK Guide's stakeholder register as its template lays it out: identification
#: (name, position, role in project, contact), assessment (requirements, expectations,
#: influence, interest), classification, and the engagement assessment matrix's current and
#: desired levels; a title block above it.
_PMBOK_HEADER = [
    "ID", "Name", "Position", "Role in Project", "Contact Information", "Requirements",
    "Expectations", "Influence", "Interest", "Classification", "Current Engagement",
    "Desired Engagement",
]  # fmt: skip
_PMBOK_ROWS = [
    [1, "Dana Ruiz", "CFO", "Sponsor", "dana@example.com", "Budget held", "Monthly reports",
     "High", "High", "Internal", "Supportive", "Leading"],
    [2, "Tom Ng", "Head of IT", "Team member", "tom@example.com", "Stable systems",
     "Early say", "Medium", "High", "Internal", "Resistant", "Supportive"],
    [3, "Ines Alvarez", "Procurement manager", "Reviewer", "ines@example.com", "Compliance",
     "Clear tenders", "Low", "Medium", "Internal", "Unaware", "Neutral"],
    [4, "Acme Ltd", "Account director", "Vendor", "sales@acme.example", "Timely payment",
     "Renewal", "Medium", "Low", "External", "Neutral", "Supportive"],
]  # fmt: skip


def _pmbok() -> bytes:
    title = [["Stakeholder Register"], ["Project Title: ERP rollout", None, "Date: 2026-03-01"], []]
    return build_xlsx({"Stakeholder Register": [*title, _PMBOK_HEADER, *_PMBOK_ROWS]})


def test_the_pmbok_register_is_read_as_such() -> None:
    result = import_workbook(_pmbok(), "register.xlsx")
    assert result.ok, [str(p) for p in result.problems]
    assert result.banner() == "Ready: 4 stakeholders, 0 relationships."
    assert result.defaults == []
    assert result.mappings[0].columns == {
        "ID": CUSTOM, "Name": "Name", "Position": "Role", "Role in Project": "Group",
        "Contact Information": CUSTOM, "Requirements": CUSTOM, "Expectations": CUSTOM,
        "Influence": "Power", "Interest": "Interest", "Classification": CUSTOM,
        "Current Engagement": "Stance", "Desired Engagement": "Target stance",
    }  # fmt: skip
    assert (
        "Stakeholders: column Position read as Role: its values are job titles (such as CFO), "
        "not Stance values"
    ) in result.report
    m = result.map
    dana, tom, ines = m.get("Dana Ruiz"), m.get("Tom Ng"), m.get("Ines Alvarez")
    assert (dana.role, dana.group, dana.power, dana.stance, dana.target_stance) == (
        "CFO", "Sponsor", 5.0, 1, 2)  # fmt: skip
    assert (tom.stance, tom.target_stance, tom.power) == (-1, 1, 3.0)
    assert (ines.stance, ines.unaware, ines.engagement, ines.target_stance) == (
        0, True, "Unaware", 0)  # fmt: skip
    assert m.custom_columns == (
        "ID", "Contact Information", "Requirements", "Expectations", "Classification")  # fmt: skip
    assert dana.custom["Requirements"] == "Budget held"


def test_position_is_a_stance_where_its_values_are_stances() -> None:
    result = import_workbook(b"Name,Position\nAna,Supportive\nBen,Resistant\n", "a.csv")
    assert result.mappings[0].columns["Position"] == "Stance"
    assert [s.stance for s in result.map.stakeholders] == [1, -1]


def test_a_column_of_job_titles_is_a_role_whatever_its_header() -> None:
    data = b"Name,Post,Feeling\nAna,Chief Executive Officer,for\nBen,Finance director,against\n"
    result = import_workbook(data, "a.csv")
    assert result.mappings[0].columns == {"Name": "Name", "Post": "Role", "Feeling": "Stance"}
    assert [(s.role, s.stance) for s in result.map.stakeholders] == [
        ("Chief Executive Officer", 1), ("Finance director", -1)]  # fmt: skip
    assert (
        "Stakeholders: column Feeling read as Stance: its values are stance words (such as for)"
        in result.report
    )


def test_values_never_take_a_column_a_header_already_named() -> None:
    data = b"Name,Job title,Post\nAna,CFO,Head of IT\n"
    result = import_workbook(data, "a.csv")
    assert result.mappings[0].columns == {"Name": "Name", "Job title": "Role", "Post": CUSTOM}
    assert "Stakeholders: column Post kept: its values are job titles (such as Head of IT)" in (
        result.report
    )


def test_bad_stances_under_a_stance_header_are_problems_not_a_role() -> None:
    result = import_workbook(b"Name,Stance\nAna,maybe\nBen,for\n", "a.csv")
    assert [str(p) for p in result.problems] == [
        'Stakeholders row 2, column Stance: "maybe" is not a stance word (accepted: '
        "Blocker, Critic, Neutral, Supporter, Champion; Active opposition .. Active ally; "
        "Resistant, Supportive, Leading, Unaware; or a number from -2 to +2)"
    ]


# -- headers phrased the ways people phrase them ------------------------------------------------


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Stakeholder name", "Name"),
        ("Level of influence", "Power"),
        ("Influence level", "Power"),
        ("Influence (H/M/L)", "Power"),
        ("Impact", "Power"),
        ("Power/Influence", "Power"),
        ("Level of interest", "Interest"),
        ("Interest level", "Interest"),
        ("Stakeholder interest", "Interest"),
        ("Attitude towards project", "Stance"),
        ("Attitude towards the change", "Stance"),
        ("Current support", "Stance"),
        ("Degree of support", "Stance"),
        ("Engagement level", "Stance"),
        ("Desired engagement level", "Target stance"),
        ("Org", "Group"),
        ("Department", "Group"),
        ("Stakeholder type", "Group"),
        ("Role in the project", "Group"),
        ("Job title", "Role"),
        ("Role in the decision", "Decision role"),
    ],
)
def test_header_phrasings(header: str, column: str) -> None:
    value = {"Stance": "Supportive", "Target stance": "Leading", "Decision role": "veto"}.get(
        column, "H" if column in ("Power", "Interest") else "Finance"
    )
    name = "Ana" if column != "Name" else ""
    data = f'{"Name," if name else ""}"{header}"\n{name + "," if name else ""}{value}\n'
    result = import_workbook(data.encode(), "register.csv")
    assert result.ok, [str(p) for p in result.problems]
    assert result.mappings[0].columns[header] == column


def test_a_register_in_everyday_words_is_read_whole_with_no_warning() -> None:
    data = (
        b"Stakeholder name,Job title,Department,Level of influence,Interest level,"
        b"Attitude towards project,Desired engagement level,Comments\n"
        b"Ana Silva,CFO,Finance,High,Medium,Supportive,Leading,Key ally\n"
        b"Ben Okoro,Ops lead,Operations,Low,High,Resistant,Neutral,\n"
    )
    result = import_workbook(data, "register.csv")
    assert result.banner() == "Ready: 2 stakeholders, 0 relationships."
    assert result.defaults == []
    ana = result.map.get("Ana Silva")
    assert (ana.role, ana.group, ana.power, ana.interest, ana.stance, ana.target_stance) == (
        "CFO", "Finance", 5.0, 3.0, 1, 2)  # fmt: skip
    assert ana.notes == "Key ally" and result.map.custom_columns == ()


def test_defaults_are_named_with_the_columns_they_could_be() -> None:
    data = b"Name,Importance,Clan,Mood\nAna,H,North,Leading\nBen,L,South,Resistant\n"
    result = import_workbook(data, "a.csv")
    # Mood's stance words make it the Stance; nothing names Power or Interest
    assert result.mappings[0].columns["Mood"] == "Stance"
    assert result.banner() == "Ready: 2 stakeholders, 0 relationships."
    assert result.defaults == [
        "Power was left at its default (3) for everyone: no column was read as Power; it could "
        'be "Importance" (choose in the column mapping).',
        "Interest was left at its default (3) for everyone: no column was read as Interest; it "
        'could be "Importance" (choose in the column mapping).',
    ]


def test_a_register_with_no_scores_says_so_for_each() -> None:
    result = import_workbook(b"Name,Site\nAna,Lyon\n", "a.csv")
    assert result.defaults == [
        "Power was left at its default (3) for everyone: no column was read as Power.",
        "Interest was left at its default (3) for everyone: no column was read as Interest.",
        "Stance was left at its default (Neutral) for everyone: no column was read as Stance.",
    ]


# -- Kumu workbooks -----------------------------------------------------------------------------


def _kumu() -> bytes:
    """A workbook as Kumu's import documents it: Elements (Label, Type, Description, Tags
    separated by "|", any other field) and Connections (From, To, Type, Direction)."""
    elements = [
        ["Label", "Type", "Description", "Tags", "Website", "Power"],
        ["City council", "Organization", "Sets the budget", "funding|policy", "city.example", 5],
        ["Ana Silva", "Person", "", "policy", "", 3],
        ["Green Trust", "Organization", "Local charity", "environment | funding", "", 2],
    ]
    connections = [
        ["From", "To", "Type", "Direction", "Strength"],
        ["City council", "Green Trust", "funding", "directed", 4],
        ["Ana Silva", "City council", "advises", "mutual", 2],
        ["Green Trust", "Ana Silva", "friendship", "undirected", None],
    ]
    return build_xlsx({"Elements": elements, "Connections": connections})


def test_a_kumu_workbook_is_read_as_stakeholders_and_relationships() -> None:
    result = import_workbook(_kumu(), "kumu.xlsx")
    assert result.ok, [str(p) for p in result.problems]
    assert result.banner() == "Ready: 3 stakeholders, 5 relationships."
    m = result.map
    council = m.get("City council")
    assert (council.group, council.notes, council.goals, council.power) == (
        "Organization", "Sets the budget", ("funding", "policy"), 5.0)  # fmt: skip
    assert m.get("Green Trust").goals == ("environment", "funding")
    assert council.custom == {"Website": "city.example"}
    assert m.relationships == (
        Relationship("City council", "Green Trust", 4.0, "influences", "Type: funding"),
        Relationship("Ana Silva", "City council", 2.0, "influences", "Type: advises"),
        Relationship("City council", "Ana Silva", 2.0, "influences", "Type: advises"),
        Relationship("Green Trust", "Ana Silva", 3.0, "influences", "Type: friendship"),
        Relationship("Ana Silva", "Green Trust", 3.0, "influences", "Type: friendship"),
    )
    assert (
        "Relationships: column Type kept in the notes: its values are not relationship kinds "
        "(such as funding)"
    ) in result.report
    assert "Relationships: 5 read from sheet Connections" in result.report
    assert result.defaults == [
        "Interest was left at its default (3) for everyone: no column was read as Interest.",
        "Stance was left at its default (Neutral) for everyone: no column was read as Stance.",
    ]


def test_a_kumu_direction_that_is_no_direction_is_a_problem() -> None:
    data = build_xlsx(
        {
            "Elements": [["Label"], ["A"], ["B"]],
            "Connections": [["From", "To", "Direction"], ["A", "B", "sideways"]],
        }
    )
    assert [str(p) for p in import_workbook(data, "k.xlsx").problems] == [
        'Connections row 2, column Direction: "sideways" is not a direction '
        "(accepted: directed, mutual or undirected)"
    ]


# -- files with some bad rows -------------------------------------------------------------------


def _some_bad_rows() -> bytes:
    people = [
        ["Name", "Power", "Stance"],
        ["Ana", 4, "Supporter"],
        ["Ben", "huge", "Critic"],  # row 3: Power
        ["Cem", 2, "maybe"],  # row 4: Stance
        ["Dee", 5, "Champion"],
        [None, 3, "Neutral"],  # row 6: no name
        ["Ana", 1, "Blocker"],  # row 7: Ana again
        ["Eli", 3, "Neutral"],
    ]
    ties = [
        ["From", "To", "Strength"],
        ["Ana", "Dee", 3],
        ["Ben", "Ana", 2],  # goes with Ben's row
        ["Dee", "Zed", 2],  # row 4: Zed is nobody
        ["Eli", "Ana", 9],  # row 5: strength
    ]
    proposal = [["Key", "Value"], ["Title", "Merger"], ["Champion", "Cem"]]
    return build_xlsx({"Stakeholders": people, "Relationships": ties, "Proposal": proposal})


def test_a_file_with_some_bad_rows_offers_its_good_rows() -> None:
    result = import_workbook(_some_bad_rows(), "mixed.xlsx")
    assert result.map is None
    assert result.banner() == (
        "6 row(s) have problems; the other rows are good (3 stakeholders, 1 relationships). "
        "Import the good rows (the others are listed and kept with the map), or correct the "
        "cells below and nothing needs retyping."
    )
    assert [(b.sheet, b.row) for b in result.bad_rows] == [
        ("Stakeholders", 3), ("Stakeholders", 4), ("Stakeholders", 6), ("Stakeholders", 7),
        ("Relationships", 4), ("Relationships", 5),
    ]  # fmt: skip
    assert result.left_out == [
        "Relationships row 3: the tie Ben -> Ana left out with Ben (Stakeholders row 3)",
        "Proposal row 3: the champion Cem left out with Cem (Stakeholders row 4)",
    ]
    good = result.good_rows()
    assert good.names == ["Ana", "Dee", "Eli"]
    assert good.relationships == (Relationship("Ana", "Dee", 3.0),)
    assert (good.proposal.title, good.proposal.champion) == ("Merger", "")
    kept = good.proposal.extra[SKIPPED_KEY].splitlines()
    assert kept[:2] == [
        "Stakeholders row 3: Name = Ben; Power = huge; Stance = Critic",
        '  Stakeholders row 3, column Power: "huge" is not a number or a level word '
        "(accepted: a number on the 1-5 scale, or High/Medium/Low)",
    ]
    assert "Relationships row 4: From = Dee; To = Zed; Strength = 2" in kept
    assert kept[-1] == "Proposal row 3: the champion Cem left out with Cem (Stakeholders row 4)"


def test_corrected_cells_make_the_file_whole() -> None:
    fixes = {
        ("Stakeholders", 3, 1): "4",
        ("Stakeholders", 4, 2): "Neutral",
        ("Stakeholders", 6, 0): "Fay",
        ("Stakeholders", 7, 0): "Ana B",
        ("Relationships", 4, 1): "Eli",
        ("Relationships", 5, 2): "5",
    }
    result = import_workbook(_some_bad_rows(), "mixed.xlsx", cell_fixes=fixes)
    assert result.ok, [str(p) for p in result.problems]
    assert result.banner() == "Ready: 7 stakeholders, 4 relationships."
    assert result.map.names == ["Ana", "Ben", "Cem", "Dee", "Fay", "Ana B", "Eli"]
    assert result.map.proposal.champion == "Cem"


def test_a_file_whose_problem_is_not_in_a_row_has_no_partial_import() -> None:
    result = import_workbook(b"Who is it,Power\nAna,4\n", "a.csv")
    assert result.partial is None and result.bad_rows == []
    assert result.banner().startswith("1 problem(s): fix them in the file")


# -- the layout ---------------------------------------------------------------------------------


def test_a_layout_sheet_gives_positions_and_reports_strangers() -> None:
    data = build_xlsx(
        {
            "Stakeholders": [["Name"], ["Ana"], ["Ben"]],
            "Layout": [["Name", "X", "Y"], ["ana", 10.5, -3], ["Zed", 1, 1], ["Ben", "left", 2]],
        }
    )
    result = import_workbook(data, "a.xlsx")
    assert [str(p) for p in result.problems] == [
        'Layout row 4, column X: "left" is not a number (accepted: a number)'
    ]
    assert result.good_rows().positions == {"Ana": (10.5, -3.0)}
    assert "Layout: 1 position(s) of names not on the Stakeholders sheet skipped" in result.report


def test_the_position_of_a_person_on_a_bad_row_goes_with_them() -> None:
    data = build_xlsx(
        {
            "Stakeholders": [["Name", "Power"], ["Ana", 1], ["Ben", "x"]],
            "Layout": [["Name", "X", "Y"], ["Ben", 1, 2], ["Ana", 3, 4]],
        }
    )
    result = import_workbook(data, "a.xlsx")
    assert result.left_out == [
        "Layout row 2: the position of Ben left out with Ben (Stakeholders row 3)"
    ]
    assert result.good_rows().positions == {"Ana": (3.0, 4.0)}


# -- graph files --------------------------------------------------------------------------------

_GEPHI_GRAPHML = """<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key attr.name="label" attr.type="string" for="node" id="label"/>
  <key attr.name="Modularity Class" attr.type="int" for="node" id="modularity_class"/>
  <key attr.name="influence" attr.type="double" for="node" id="influence"/>
  <key attr.name="x" attr.type="float" for="node" id="x"/>
  <key attr.name="y" attr.type="float" for="node" id="y"/>
  <key attr.name="weight" attr.type="double" for="edge" id="weight"/>
  <graph edgedefault="undirected">
    <node id="n0"><data key="label">Ana</data><data key="modularity_class">1</data>
      <data key="influence">4</data><data key="x">125.5</data><data key="y">-70.0</data></node>
    <node id="n1"><data key="label">Ben</data><data key="modularity_class">2</data>
      <data key="influence">2</data><data key="x">-30.0</data><data key="y">40.0</data></node>
    <edge source="n0" target="n1"><data key="weight">2.0</data></edge>
  </graph>
</graphml>"""


def test_a_graphml_file_from_another_tool_is_read() -> None:
    result = import_workbook(_GEPHI_GRAPHML.encode(), "gephi.graphml")
    assert result.ok, [str(p) for p in result.problems]
    assert result.banner() == "Ready: 2 stakeholders, 2 relationships."
    m = result.map
    assert [(s.name, s.power, s.custom) for s in m.stakeholders] == [
        ("Ana", 4.0, {"Modularity Class": "1"}),
        ("Ben", 2.0, {"Modularity Class": "2"}),
    ]
    assert m.relationships == (Relationship("Ana", "Ben", 2.0), Relationship("Ben", "Ana", 2.0))
    assert m.positions == {"Ana": (125.5, 70.0), "Ben": (-30.0, -40.0)}  # y points down here
    assert result.report[0] == "GraphML read: 2 nodes, 1 edges"


@pytest.mark.parametrize("ending", [".graphml", ".gexf"])
def test_graph_xml_with_a_document_type_is_refused(hostile_files, ending: str) -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE g [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed">'
        '<node id="&b;"/></graph></graphml>'
    )
    with pytest.raises(UnreadableFile, match="declares a document type"):
        import_workbook(bomb.encode(), f"bomb{ending}")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<graphml><graph>", "not well-formed XML"),
        (b"<?xml version='1.0'?><svg/>", "neither GraphML nor GEXF"),
        (
            b'<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed">'
            b'<node id="a"><data key="nokey">1</data></node></graph></graphml>',
            "could not be read",
        ),
    ],
)
def test_broken_graph_files_are_refused_in_one_line(data: bytes, message: str) -> None:
    with pytest.raises(UnreadableFile, match=message):
        import_workbook(data, "g.graphml")


def test_a_graph_over_the_row_limit_is_refused(monkeypatch) -> None:
    monkeypatch.setattr(settings, "MAX_ROWS", 1)
    with pytest.raises(UnreadableFile, match="the graph has 2 nodes, over the limit of 1"):
        import_workbook(_GEPHI_GRAPHML.encode(), "gephi.graphml")


def test_sparse_graph_attributes_are_capped_like_cells(monkeypatch) -> None:
    nodes = (
        "".join(
            f'<key id="k{i}" for="node" attr.name="a{i}" attr.type="string"/>' for i in range(30)
        )
        + '<graph edgedefault="directed">'
        + "".join(f'<node id="n{i}"><data key="k{i}">v</data></node>' for i in range(30))
    )
    data = f'<graphml xmlns="http://graphml.graphdrawing.org/xmlns">{nodes}</graph></graphml>'
    monkeypatch.setattr(settings, "MAX_CELLS", 500)
    with pytest.raises(UnreadableFile, match="make 930 cells, over the limit of 500"):
        import_workbook(data.encode(), "sparse.graphml")


@functools.cache
def _sample_graph(kind: str) -> str:
    from stakemap.files.graphfiles import to_gexf, to_graphml
    from stakemap.samples.cases import new_programme

    return (to_gexf if kind == "gexf" else to_graphml)(new_programme()).decode()


@hypothesis_settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(["graphml", "gexf"]),
    st.integers(0, 2000),
    st.integers(0, 60),
    st.text(st.sampled_from("<>/=\"& abcdefgxyz0123456789:'!?;[]-"), max_size=40),
)
def test_damaged_graph_files_give_a_map_or_one_line(kind: str, at: int, cut: int, text: str):
    good = _sample_graph(kind)
    at %= len(good)
    data = (good[:at] + text + good[at + cut :]).encode()
    try:
        result = import_workbook(data, f"damaged.{kind}")
    except UnreadableFile as exc:
        assert "\n" not in str(exc)
    else:
        assert result.map is not None or result.problems


def test_graph_files_are_read_in_the_upload_sandbox_too() -> None:
    from stakemap.files.graphfiles import to_gexf, to_graphml
    from stakemap.samples.cases import pipeline

    m = pipeline()
    for data, name in ((to_graphml(m), "map.graphml"), (to_gexf(m), "map.gexf")):
        result = import_workbook(data, name, sandboxed=True)
        assert result.map.names == m.names
        assert len(result.map.relationships) == len(m.relationships)
