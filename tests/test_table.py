"""Edits from the Data page's tables: the change sets Streamlit's editor produces, applied."""

from __future__ import annotations

import pytest

from stakemap.files.table import (
    STANCE_OPTIONS,
    Edit,
    add_tie,
    apply_people_edits,
    apply_tie_edits,
    people_rows,
    same_tie,
    tie_rows,
)
from stakemap.model import Relationship, StakeholderMap
from stakemap.values import STANCE_ACCEPTED


def test_rows_show_words_not_codes(demo_map: StakeholderMap) -> None:
    rows = people_rows(demo_map)
    assert [r["Name"] for r in rows] == ["Ana", "Ben", "Chloé", "李娜"]
    assert rows[0]["Stance"] == "Neutral"
    assert rows[0]["Target stance"] == "Supporter"
    assert rows[2]["Target stance"] is None
    assert rows[3]["Stance"] == "Unaware"
    assert rows[2]["Site"] == "Lyon"
    assert (rows[0]["Goals"], rows[1]["Goals"]) == ("", "quality")
    assert list(rows[0])[-1] == "Site"  # custom columns come last
    assert tie_rows(demo_map)[2] == {
        "From": "李娜",
        "To": "Ana",
        "Strength": 2,
        "Kind": "reports to",
        "Notes": "",
    }
    assert STANCE_OPTIONS == ["Blocker", "Critic", "Neutral", "Supporter", "Champion", "Unaware"]


def test_edit_cells(demo_map: StakeholderMap) -> None:
    edit = apply_people_edits(
        demo_map,
        {
            1: {"Stance": "Champion", "Power": 4.5, "Goals": "quality; speed"},
            3: {"Stance": "Critic", "Decision role": "veto holder", "Site": "Kyoto"},
        },
    )
    assert edit.problems == []
    ben, lina = edit.map.get("Ben"), edit.map.get("李娜")
    assert (ben.stance, ben.power, ben.goals) == (2, 4.5, ("quality", "speed"))
    assert (lina.stance, lina.unaware, lina.decision_role) == (-1, False, "veto")
    assert lina.custom == {"Site": "Kyoto"}
    assert edit.changes == [
        "Ben: Power 3 -> 4.5",
        "Ben: Stance Supporter -> Champion",
        "Ben: Goals quality -> quality, speed",
        "李娜: Stance Unaware -> Critic",
        "李娜: Decision role blank -> veto",
        "李娜: custom attributes changed",
    ]
    assert edit.description == (
        "Ben: Power 3 -> 4.5; Ben: Stance Supporter -> Champion; Ben: Goals quality -> "
        "quality, speed (+3 more)"
    )
    assert demo_map.get("Ben").stance == 1  # the original map is untouched


def test_clearing_cells_restores_defaults(demo_map: StakeholderMap) -> None:
    edit = apply_people_edits(
        demo_map, {0: {"Power": None, "Target stance": None, "Stance": "", "Notes": " "}}
    )
    ana = edit.map.get("Ana")
    assert (ana.power, ana.target_stance, ana.stance, ana.notes) == (3.0, None, 0, "")


def test_unaware_can_be_chosen_in_the_editor(demo_map: StakeholderMap) -> None:
    edit = apply_people_edits(demo_map, {"1": {"Stance": "Unaware"}})  # keys arrive as text
    assert (edit.map.get("Ben").stance, edit.map.get("Ben").unaware) == (0, True)
    assert edit.map.get("Ben").engagement == "Unaware"


def test_a_rename_carries_into_ties_champion_and_positions(demo_map: StakeholderMap) -> None:
    edit = apply_people_edits(demo_map, {2: {"Name": "  Chloé Martin "}})
    m = edit.map
    assert m.names == ["Ana", "Ben", "Chloé Martin", "李娜"]
    assert m.relationships[1].source == "Chloé Martin"
    assert m.proposal.champion == "Chloé Martin"
    assert m.positions == {"Ana": (0.0, 1.0), "Chloé Martin": (2.0, 3.0)}
    assert edit.changes == ["Renamed Chloé to Chloé Martin"]


def test_a_rename_may_change_only_the_case(demo_map: StakeholderMap) -> None:
    edit = apply_people_edits(demo_map, {0: {"Name": "ANA"}})
    assert edit.problems == []
    assert edit.map.relationships[0].target == "ANA"


def test_duplicate_and_blank_names_are_refused(demo_map: StakeholderMap) -> None:
    edit = apply_people_edits(demo_map, {0: {"Name": "ben", "Power": 2}, 1: {"Name": ""}})
    assert edit.problems == [
        'Row 1, column Name: "ben" is already on the map',
        'Row 2, column Name: "" is empty; every row needs a name (accepted: any text)',
    ]
    assert edit.map.names == demo_map.names
    assert edit.map.get("Ana").power == 2  # the row's other cells still apply


def test_bad_cells_are_refused_with_a_message(demo_map: StakeholderMap) -> None:
    edit = apply_people_edits(demo_map, {1: {"Power": 9, "Stance": "Maybe", "Role": "Lead"}})
    assert edit.problems == [
        'Row 2, column Power: "9" is outside 1-5 '
        "(accepted: a number on the 1-5 scale, or High/Medium/Low)",
        f'Row 2, column Stance: "Maybe" is not a stance word (accepted: {STANCE_ACCEPTED})',
    ]
    assert (edit.map.get("Ben").power, edit.map.get("Ben").role) == (3, "Lead")


def test_add_rows(demo_map: StakeholderMap) -> None:
    edit = apply_people_edits(
        demo_map,
        {},
        [
            {"Name": "Dee", "Power": 4, "Stance": "Passive opposition", "Site": "Oslo"},
            {"Name": None, "Power": None, "Stance": None},  # added, then left empty
            {"Power": 3},
            {"Name": " ANA "},
            {"Name": "Eve", "Interest": "lots"},
        ],
    )
    assert edit.map.names == ["Ana", "Ben", "Chloé", "李娜", "Dee", "Eve"]
    dee = edit.map.get("Dee")
    assert (dee.power, dee.stance, dee.custom, dee.interest) == (4.0, -1, {"Site": "Oslo"}, 3.0)
    assert edit.changes == ["Added Dee", "Added Eve"]
    assert edit.problems == [
        "New row 3, column Name: every row needs a name",
        'New row 4, column Name: "ANA" is already on the map',
        'New row 5, column Interest: "lots" is not a number or a level word '
        "(accepted: a number on the 1-5 scale, or High/Medium/Low)",
    ]


def test_delete_rows_removes_their_ties_champion_and_positions(demo_map: StakeholderMap) -> None:
    edit = apply_people_edits(demo_map, {}, [], [0, 2])
    m = edit.map
    assert m.names == ["Ben", "李娜"]
    assert m.relationships == ()
    assert m.proposal.champion == ""
    assert m.positions == {}
    assert edit.changes == ["Deleted Ana, Chloé"]


def test_nothing_changed_gives_no_changes(demo_map: StakeholderMap) -> None:
    edit = apply_people_edits(demo_map, {0: {"Name": "Ana", "Power": 5}, 9: {"Power": 1}})
    assert edit == Edit(demo_map, [], [])


def test_tie_edits(demo_map: StakeholderMap) -> None:
    edit = apply_tie_edits(
        demo_map,
        {1: {"Strength": -4, "Kind": "rival"}, 0: {"Notes": "weekly 1:1"}},
        [{"From": "Ana", "To": "李娜", "Kind": "defers to"}, {"From": None, "To": None}],
        [2],
    )
    assert edit.problems == []
    assert [(t.source, t.target, t.strength, t.kind, t.notes) for t in edit.map.relationships] == [
        ("Ben", "Ana", 3, "influences", "weekly 1:1"),
        ("Chloé", "Ben", -4.0, "rival", ""),
        ("Ana", "李娜", 3.0, "defers to", ""),
    ]
    assert edit.changes == [
        "Changed tie Ben -> Ana",
        "Changed tie Chloé -> Ben",
        "Added tie Ana -> 李娜",
        "Deleted tie 李娜 -> Ana",
    ]


def test_each_tie_reads_in_words_who_sways_whom(demo_map: StakeholderMap) -> None:
    from stakemap.files.table import tie_sentence

    assert [tie_sentence(t) for t in demo_map.relationships] == [
        "Ben influences Ana",
        "Chloé and Ben are allies: they sway each other",
        "李娜 reports to Ana: Ana sways 李娜",
    ]
    rival = Relationship("Ana", "Ben", -2, "defers to")
    assert tie_sentence(rival) == "Ana defers to Ben: Ben's support pushes Ana away"


def test_tie_edits_naming_unknown_people_are_refused(demo_map: StakeholderMap) -> None:
    edit = apply_tie_edits(
        demo_map,
        {0: {"To": "Zed"}},
        [
            {"From": "Ana", "To": "Ana"},
            {"From": "Yan", "To": "Ben"},
            {"From": "Ana", "To": "Ben", "Kind": "enemy"},
            {"From": "Ana", "To": "Ben", "Strength": 8},
            {"From": "Ana", "To": "Ben", "Kind": "rival"},
        ],
    )
    assert edit.problems == [
        'Row 1, column To: "Zed" is not on the map',
        'New row 1, column To: "Ana" is the same person as From',
        'New row 2, column From: "Yan" is not on the map',
        'New row 3, column Kind: "enemy" is not a known kind '
        "(accepted: influences, defers to, reports to, ally, rival)",
        'New row 4, column Strength: "8" is outside -5..5 '
        "(accepted: a number from -5 to 5 (negative: pushes away))",
    ]
    assert edit.map.relationships[:3] == demo_map.relationships
    assert edit.map.relationships[3].strength == -3.0  # a rival's default pushes away
    assert edit.changes == ["Added tie Ana -> Ben"]


def test_a_tie_row_with_a_blank_end_makes_no_tie(demo_map: StakeholderMap) -> None:
    edit = apply_tie_edits(demo_map, {0: {"From": None}}, [{"From": "Ana", "To": ""}])
    assert edit.problems == [
        "Row 1, column From: is blank; choose a person on the map",
        "New row 1, column To: is blank; choose a person on the map",
    ]
    assert (edit.map, edit.changes) == (demo_map, [])


def test_add_a_tie(demo_map: StakeholderMap) -> None:
    edit = add_tie(demo_map, {"From": "Ana", "To": "Chloé", "Strength": 2, "Kind": "defers to"})
    assert edit.problems == []
    assert edit.map.relationships[:-1] == demo_map.relationships
    assert edit.map.relationships[-1] == Relationship("Ana", "Chloé", 2.0, "defers to")
    assert edit.description == "Added tie Ana -> Chloé"
    rival = add_tie(demo_map, {"From": "Ana", "To": "Chloé", "Strength": None, "Kind": "rival"})
    assert rival.map.relationships[-1].strength == -3.0  # blank strength: the kind's default


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ({"From": None, "To": "Ben"}, "New tie, column From: is blank; choose a person on the map"),
        ({"From": "Ana", "To": None}, "New tie, column To: is blank; choose a person on the map"),
        ({"From": "Ana", "To": "Ana"}, 'New tie, column To: "Ana" is the same person as From'),
        ({"From": "Ana", "To": "Zed"}, 'New tie, column To: "Zed" is not on the map'),
        (
            {"From": "Ben", "To": "Chloé", "Kind": "ally"},
            "New tie: Chloé and Ben are allies: they sway each other is on the map already "
            "(row 2 below)",
        ),
        (
            {"From": "Ben", "To": "Ana", "Strength": 5},
            "New tie: Ben influences Ana is on the map already (row 1 below)",
        ),
    ],
)
def test_add_a_tie_refuses_what_is_not_a_new_tie(
    demo_map: StakeholderMap, row: dict, problem: str
) -> None:
    edit = add_tie(demo_map, row)
    assert (edit.map, edit.changes, edit.problems) == (demo_map, [], [problem])


def test_same_tie_is_the_kind_between_the_same_two(demo_map: StakeholderMap) -> None:
    ben_ana = demo_map.relationships[0]  # Ben influences Ana
    assert same_tie(Relationship("Ben", "Ana", -1, "influences", "new notes"), ben_ana)
    assert not same_tie(Relationship("Ana", "Ben", 3, "influences"), ben_ana)  # one way only
    assert not same_tie(Relationship("Ben", "Ana", 3, "defers to"), ben_ana)
    allies = demo_map.relationships[1]  # Chloé and Ben, either way round
    assert same_tie(Relationship("Ben", "Chloé", 1, "ally"), allies)


def test_typed_text_loses_what_a_workbook_cannot_carry(demo_map: StakeholderMap) -> None:
    """A browser can send a lone surrogate or ESC into the editor: the map must still export
    and re-import (the store, the workbook and the metrics sheet all choke on them)."""
    from stakemap.files.exporting import to_xlsx
    from stakemap.files.importing import import_workbook

    edit = apply_people_edits(
        demo_map,
        {0: {"Role": "Lead\ud800 \x1b[31mengineer", "Site": "Ky\x00oto"}},
        added=[{"Name": "Zo\udce9\x07", "Notes": "line one\nline two"}],
    )
    assert edit.problems == []
    first = edit.map.stakeholders[0]
    assert (first.role, first.custom["Site"]) == ("Lead [31mengineer", "Kyoto")
    added = edit.map.get("Zo")
    assert added is not None and added.notes == "line one\nline two"
    again = import_workbook(to_xlsx(edit.map), "back.xlsx")
    assert again.map.names == edit.map.names
