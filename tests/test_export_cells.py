"""The workbook's cells, checked against what the map says they hold (the writer writes them a
row at a time, stakemap.files.rowsheet): every value with its type (text stays text, however it
looks), number format and style; the dropdowns and checks, the stance fills, the frozen panes,
the filters, the column widths, the hidden Layout sheet and the print settings; in English and
in Chinese, on generated maps."""

from __future__ import annotations

import io
import math
from dataclasses import replace

import openpyxl
import pytest

from stakemap.files.exporting import ROOM, STANCE_FILLS, canonical_rows, to_xlsx
from stakemap.files.importing import import_workbook
from stakemap.files.rowsheet import RowSheet, cell_xml
from stakemap.files.sheetwords import cell_word, header, localised_rows
from stakemap.language import gettext as _
from stakemap.language import pgettext, speaking
from stakemap.lenses.catalogue import LENSES
from stakemap.lenses.people import class_summary
from stakemap.model import Engagement, Relationship, Stakeholder, StakeholderMap
from stakemap.network.measures import metrics
from stakemap.planning.planner import plan
from stakemap.planning.report import plan_to_json
from stakemap.samples.synthetic import generated, large
from stakemap.schema import SHEETS
from stakemap.values import cell_text, clean_text

#: Text a spreadsheet could take for something else: formulas, numbers, links, errors, Excel's
#: own escapes, XlsxWriter's rich-text marker, white space at the ends, line breaks, any script.
ODD = [
    "=1+2", "+3", "-4", "@SUM(A1)", "1e5", "007", "http://example.org", "#REF!", "_x0041_",
    "<r>a & b</r>", "<r><t>x</t></r>", " lead", "trail ", "tab\there", "cr\rhere", "nl\nhere",
    "a & b <c> \"q\" 'p'", "\x07bell", "emoji 🙂", "Ümlaut 中文 ", "\u00a0nbsp", "x" * 300,
]  # fmt: skip


def odd_map() -> StakeholderMap:
    """People and ties whose every text is one of :data:`ODD`, an engagement log, a layout."""
    people = tuple(
        Stakeholder(f"P{i} {t[:20]}".strip(), role=t, notes=t, custom={"Budget": t})
        for i, t in enumerate(ODD)
    )
    names = [clean_text(p.name) for p in people]
    people = tuple(
        Stakeholder(n, role=p.role, notes=p.notes, custom=p.custom, votes=i % 3 or None)
        for i, (n, p) in enumerate(zip(names, people, strict=True))
    )
    ties = tuple(
        Relationship(names[i], names[i + 1], (i % 11) - 5, "ally" if i % 2 else "influences", t)
        for i, t in enumerate(ODD[:-1])
    )
    log = (Engagement(names[0], "2026-12-02", "won", 0, 2, 1, ODD[0]),)
    positions = {n: (i * 1.25, -i / 4) for i, n in enumerate(names)}
    return StakeholderMap(people, ties, custom_columns=("Budget",), engagements=log,
                          positions=positions)  # fmt: skip


MAPS = {"odd": odd_map, "generated": lambda: generated(5), "large": lambda: large(200, 800)}


def _expected(value: object) -> object:
    """What a cell written from ``value`` reads back as in openpyxl."""
    if isinstance(value, str):
        text = clean_text(value)
        if "_x" in text:  # Excel's escape, itself escaped; openpyxl reads it as written
            text = text.replace("_x", "_x005F_x")
        return text.replace("\r", "_x000D_") or None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _width(chars: float) -> float:
    """The width a column set to ``chars`` characters has in the file (Calibri 11's 7-pixel
    digit and 5 pixels of padding, in 256ths)."""
    return int((int(chars * 7 + 5) / 7) * 256) / 256


def _sheet_title(text: str) -> str:
    """A sheet's title as Excel allows it: at most 31 characters, none of []:*?/\\."""
    return "".join("-" if ch in "[]:*?/\\" else ch for ch in text)[:31]


def _values(sheet, top: int = 1) -> list[list[object]]:
    return [[c.value for c in row] for row in sheet.iter_rows(min_row=top)]


@pytest.fixture(scope="module", params=[(k, lang) for k in MAPS for lang in ("en", "zh")],
                ids=lambda p: f"{p[0]}-{p[1]}")  # fmt: skip
def exported(request):
    """(map, words, workbook): the map exported with every sheet, read by openpyxl."""
    key, lang = request.param
    m = MAPS[key]()
    with speaking(lang):
        data = to_xlsx(m, name="Map", version=2, measures=metrics(m), planned=plan(m))
        book = openpyxl.load_workbook(io.BytesIO(data))
        rows = canonical_rows(m)
        known = len(SHEETS[0].columns)
        words = {
            "Stakeholders": localised_rows("Stakeholders", rows["Stakeholders"], known),
            "Relationships": localised_rows("Relationships", rows["Relationships"]),
            "Proposal": localised_rows("Proposal", rows["Proposal"]),
            "titles": {
                w: header(w)
                for w in ("Stakeholders", "Relationships", "Proposal", "Layout", "Engagements")
            },
            "stances": [cell_word(w) for w in STANCE_FILLS],
            "lenses": {name: class_summary(m, name) for name in LENSES},
            "plan": plan_to_json(plan(m)),
            "plan_title": pgettext("header", "Coalition plan"),
            "about": pgettext("header", "About"),
            "lens_titles": [_sheet_title(_(name)) for name in LENSES],
        }
        yield m, words, book, data, lang


def test_canonical_cells_are_the_maps_with_their_types_and_styles(exported) -> None:
    m, words, book, data, lang = exported
    for sheet in ("Stakeholders", "Relationships", "Proposal"):
        cells = book[words["titles"][sheet]]
        want = [[_expected(v) for v in row] for row in words[sheet]]
        got = [row[: len(want[0])] for row in _values(cells)]
        assert got == [row + [None] * (len(want[0]) - len(row)) for row in want], sheet
        for row in cells.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                assert cell.data_type == ("s" if isinstance(cell.value, str) else "n")
                assert cell.font.b == (cell.row == 1)
                assert cell.fill.fgColor.rgb == ("FF1F3B57" if cell.row == 1 else "00000000")
                assert cell.number_format == "General"
    with speaking(lang):
        assert import_workbook(data, "map.xlsx").map == _as_read(m)


def _as_read(m: StakeholderMap) -> StakeholderMap:
    """``m`` as the importer reads it back: text stripped (:func:`~stakemap.values.cell_text`)."""
    people = tuple(
        replace(p, role=cell_text(p.role), notes=cell_text(p.notes),
                custom={k: cell_text(v) for k, v in p.custom.items()})
        for p in m.stakeholders
    )  # fmt: skip
    ties = tuple(replace(r, notes=cell_text(r.notes)) for r in m.relationships)
    return replace(m, stakeholders=people, relationships=ties)


def test_dropdowns_checks_fills_panes_filters_and_widths(exported) -> None:
    m, words, book, _data, _lang = exported
    people, ties = book[words["titles"]["Stakeholders"]], book[words["titles"]["Relationships"]]
    last, tie_last = len(m.stakeholders) + 1 + ROOM, len(m.relationships) + 1 + ROOM
    rules = {str(dv.sqref): dv for dv in people.data_validations.dataValidation}
    assert set(rules) == {f"{c}2:{c}{last}" for c in "FGLDEHIJ"}
    stance = rules[f"F2:F{last}"]
    assert (stance.type, stance.errorStyle, stance.allow_blank) == ("list", "warning", True)
    assert stance.formula1 == '"' + ",".join(words["stances"]) + '"'
    for col in "DEHIJ":
        check = rules[f"{col}2:{col}{last}"]
        assert (check.type, check.operator, check.formula1, check.formula2) == (
            "decimal", None, "1", "5")  # between, the default  # fmt: skip
    fills = {
        rule.formula[0]: rule.dxf.fill.bgColor.rgb
        for cf in people.conditional_formatting
        for rule in cf.rules
        if str(cf.sqref) == f"F2:F{last}"
    }
    assert fills == {f'"{w}"': f"FF{c}" for w, c in zip(words["stances"], STANCE_FILLS.values(),
                                                      strict=True)}  # fmt: skip
    tie_rules = {str(dv.sqref): dv for dv in ties.data_validations.dataValidation}
    assert set(tie_rules) == {f"A2:B{tie_last}", f"D2:D{tie_last}", f"C2:C{tie_last}"}
    assert tie_rules[f"A2:B{tie_last}"].formula1.endswith(f"!$A$2:$A${last}")
    assert (tie_rules[f"C2:C{tie_last}"].formula1, tie_rules[f"C2:C{tie_last}"].formula2) == (
        "-5", "5")  # fmt: skip
    assert (people.freeze_panes, ties.freeze_panes) == ("B2", "A2")
    corner = people.cell(len(m.stakeholders) + 1, len(words["Stakeholders"][0])).coordinate
    assert people.auto_filter.ref == f"A1:{corner}"
    for sheet, rows in ((people, words["Stakeholders"]), (ties, words["Relationships"])):
        widths = {
            i: d.width for d in sheet.column_dimensions.values() for i in range(d.min, d.max + 1)
        }
        for i, head in enumerate(rows[0]):
            chars = max([len(str(head))] + [len(str(r[i])) for r in rows[1:200]])
            assert widths[i + 1] == _width(min(45, max(9, chars + 2)))
    if m.positions:
        layout = book[words["titles"]["Layout"]]
        assert layout.sheet_state == "hidden"
        assert _values(layout, 2) == [
            [_expected(s.name), *m.positions[s.name]]
            for s in m.stakeholders
            if s.name in m.positions
        ]
    else:
        assert words["titles"]["Layout"] not in book.sheetnames


def test_room_sheets_cells_and_styles(exported) -> None:
    m, words, book, _data, _lang = exported
    for title, (name, summary) in zip(words["lens_titles"], words["lenses"].items(), strict=True):
        sheet = book[title]
        cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
        assert sheet["A1"].font.b and sheet["A1"].font.sz == 14
        people = sorted(c.value for c in cells if not c.font.b and not c.font.i)
        assert people == sorted(_expected(p) for cls in summary for p in cls.people), name
        assert sum(1 for c in cells if c.font.i and c.font.sz == 9) == len(summary)
        assert all(c.fill.fgColor.rgb != "00000000" for c in cells if c.row > 1)
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
    plan_sheet = book[words["plan_title"]]
    steps = words["plan"]["steps"]
    for row, step in enumerate(steps, start=2):
        share = plan_sheet.cell(row, 7)
        assert (plan_sheet.cell(row, 1).value, plan_sheet.cell(row, 2).value) == (
            step["order"], _expected(step["name"]))  # fmt: skip
        assert (share.value, share.number_format, share.data_type) == (
            step["support_share_after"], "0%", "n")  # fmt: skip
    (done,) = plan_sheet.data_validations.dataValidation
    last = max(2, len(steps) + 1)  # one row is written as one cell, as Excel does
    assert str(done.sqref) == ("H2" if last == 2 else f"H2:H{last}")
    about = book[words["about"]]
    assert about["A1"].font.b and about["B4"].value == len(m.stakeholders)


def test_a_text_like_xlsxwriters_rich_text_stays_text() -> None:
    """XlsxWriter wrote a text "<r>...</r>" as raw rich-text XML: "<r>a & b</r>" made the file
    unreadable, "<r><t>x</t></r>" came back "x". Written as text, both come back."""
    people = (Stakeholder("<r>a & b</r>", notes="<r><t>x</t></r>"), Stakeholder("B"))
    m = StakeholderMap(people, (Relationship("<r>a & b</r>", "B", 2, notes="<r></r>"),))
    assert import_workbook(to_xlsx(m), "m.xlsx").map == m


def test_cells_as_xlsxwriter_writes_them() -> None:
    """The XML of a cell, as XlsxWriter writes it in constant-memory mode."""
    cell = ' r="A1"'
    assert (
        cell_xml(" a", cell)
        == '<c r="A1" t="inlineStr"><is><t xml:space="preserve"> a</t></is></c>'
    )
    assert (
        cell_xml("a_x0041_\r", cell)
        == '<c r="A1" t="inlineStr"><is><t>a_x005F_x0041__x000D_</t></is></c>'
    )
    assert cell_xml(True, cell) == '<c r="A1" t="b"><v>1</v></c>'
    assert cell_xml(1 / 3, cell) == '<c r="A1"><v>0.3333333333333333</v></c>'
    assert cell_xml("", ' r="A1" s="2"') == '<c r="A1" s="2"/>'
    assert cell_xml("", cell) == cell_xml(None, cell) == cell_xml(math.inf, cell) == ""
    long = cell_xml("🙂" * 20000, cell)
    assert long.count("🙂") == 16383  # 32,767 UTF-16 units, no character cut in two


def test_a_row_sheet_refuses_rows_above_what_it_wrote() -> None:
    from stakemap.files.exporting import Book

    book = Book(io.BytesIO())
    sheet = book.add_worksheet("S", RowSheet)
    sheet.write_rows([["a", 1], [], ["b"]])
    with pytest.raises(ValueError, match="row 2"):
        sheet.write_rows([["c"]], row=1)
    sheet.write_rows([[None, "d"]], row=5)
    sheet.write_string(7, 0, "e")  # XlsxWriter's own writes, below
    book.close()
    cells = openpyxl.load_workbook(book.filename)["S"]
    assert _values(cells) == [["a", 1], [None, None], ["b", None], [None, None], [None, None],
                              [None, "d"], [None, None], ["e", None]]  # fmt: skip
    assert cells.dimensions == "A1:B8"
