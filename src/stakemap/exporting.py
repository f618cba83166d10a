"""StakeholderMap to the workbook (.xlsx), a Kumu workbook, CSV files (.zip) or the network
(.html); GraphML and GEXF are in :mod:`stakemap.graphfiles`.

The workbook's first three sheets are the canonical form the importer reads back without loss;
the others (lenses as cell grids, a power/interest chart, network metrics, the coalition plan,
About) are for the room and are skipped on re-import. No user text becomes a formula: in xlsx
text is always a string cell; in CSV, text starting with = + - @ tab or CR is prefixed with an
apostrophe (OWASP "CSV Injection").
"""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from copy import copy
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.chart import Reference, ScatterChart, Series
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.series import SeriesLabel, StrRef
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from stakemap.decision import RULES
from stakemap.legend import STANCE_SHAPES
from stakemap.model import (
    DECISION_ROLES,
    RELATIONSHIP_KINDS,
    STANCE_COLOURS,
    StakeholderMap,
    stance_label,
)
from stakemap.schema import ENGAGEMENTS, SHEETS
from stakemap.values import clean_text

if TYPE_CHECKING:
    import pandas as pd

    from stakemap.coalition import Plan

__all__ = [
    "MAX_LABELLED_POINTS",
    "canonical_rows",
    "engagement_rows",
    "kumu_rows",
    "to_csv_zip",
    "to_kumu_xlsx",
    "to_xlsx",
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: The chart labels one series per person (openpyxl's only way to label points); above this
#: many people it draws one unlabelled series instead, to stay readable and fast.
MAX_LABELLED_POINTS = 150
_HEADER_FILL = PatternFill("solid", fgColor="1F3B57")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
# Okabe-Ito hues, lightened for cell fills; Blocker..Champion.
STANCE_FILLS = {
    "Blocker": "F4B183", "Critic": "F9D7B5", "Neutral": "E7E6E6", "Supporter": "BDD7EE",
    "Champion": "8FBCE6", "Unaware": "FFFFFF",
}  # fmt: skip
_TITLE_FONT = Font(bold=True, size=14)
_BLOCK_FILLS = ("DCE9F5", "FBE5D6", "E2F0D9", "EDEDED", "FFF2CC", "E4DFEC", "DDEBF7", "F2F2F2")
_STANCE_WORDS = [stance_label(v) for v in range(-2, 3)]
#: Okabe-Ito colours by stance (-2..+2) for chart markers.
MARKER_COLOURS = {v: STANCE_COLOURS[stance_label(v)].lstrip("#") for v in range(-2, 3)}


def canonical_rows(m: StakeholderMap) -> dict[str, list[list[object]]]:
    """Each canonical sheet as a header row followed by data rows (custom columns last).

    >>> from stakemap.samples import template
    >>> canonical_rows(template())["Stakeholders"][0][:3]
    ['Name', 'Role', 'Group']
    """
    people = [[c.name for c in SHEETS[0].columns] + list(m.custom_columns)]
    for s in m.stakeholders:
        stance = "Unaware" if s.unaware else stance_label(s.stance)
        target = "" if s.target_stance is None else stance_label(s.target_stance)
        people.append([
            s.name, s.role, s.group, s.power, s.interest, stance, target,
            _blank(s.legitimacy), _blank(s.urgency), s.effort, ", ".join(s.goals),
            s.decision_role, s.notes, _blank(s.votes),
            *(s.custom.get(c, "") for c in m.custom_columns),
        ])  # fmt: skip
    ties = [[c.name for c in SHEETS[1].columns]]
    ties += [[r.source, r.target, r.strength, r.kind, r.notes] for r in m.relationships]
    p = m.proposal
    proposal = [[c.name for c in SHEETS[2].columns],
                ["Title", p.title, ""], ["Champion", p.champion, ""],
                ["Pass share", p.pass_share, ""],
                ["Decision rule", RULES.get(p.decision_rule, ""), ""]]  # fmt: skip
    proposal += [["Part", part.name, ", ".join(part.tags)] for part in p.parts]
    proposal += [[key, value, ""] for key, value in p.extra.items()]
    return {"Stakeholders": people, "Relationships": ties, "Proposal": proposal}


def to_xlsx(
    m: StakeholderMap,
    *,
    name: str = "",
    version: int | None = None,
    extras: bool = True,
    ratings: list[list[object]] | None = None,
    measures: pd.DataFrame | None = None,
    planned: Plan | None = None,
) -> bytes:
    """The workbook: canonical sheets with validation, and (``extras``) the room's sheets;
    with ``ratings`` (header row first), a Ratings sheet of the workshop answers. ``measures``
    (:func:`stakemap.network.metrics`) and ``planned`` (:func:`stakemap.coalition.plan`) are
    those of ``m`` when the caller has them already."""
    book = Workbook(write_only=True)  # streams rows: about twice as fast on large maps
    rows = canonical_rows(m)
    rows["Proposal"][3][1] = _Formatted(m.proposal.pass_share, "0%")
    people = _data_sheet(book, "Stakeholders", rows["Stakeholders"])
    _people_rules(people, len(m.stakeholders))
    ties = _data_sheet(book, "Relationships", rows["Relationships"])
    _tie_rules(ties, len(m.stakeholders), len(m.relationships))
    _data_sheet(book, "Proposal", rows["Proposal"], table=False)
    _layout_sheet(book, m)
    _engagement_sheet(book, m)
    if extras:
        _lens_sheets(book, m)
        _chart_sheet(book, m)
        _metrics_sheet(book, m, measures)
        _plan_sheet(book, m, planned)
        _about_sheet(book, m, name, version)
    if ratings and len(ratings) > 1:
        ratings_sheet(book, ratings)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_kumu_xlsx(m: StakeholderMap) -> bytes:
    """A workbook Kumu imports (sheets Elements and Connections, Kumu's column names), plus
    the Proposal sheet and the hidden Layout sheet, so that Stakemap reads it back whole.

    Element Type is the Group, Description the Notes, Tags the goals joined by "|" (so a goal
    holding "|" comes back as two); Connection Type is the kind, Direction "mutual" for allies
    and rivals (their influence runs both ways) and "directed" for the others.
    """
    book = Workbook(write_only=True)
    rows = kumu_rows(m)
    _data_sheet(book, "Elements", rows["Elements"], table=False)
    _data_sheet(book, "Connections", rows["Connections"], table=False)
    proposal = canonical_rows(m)["Proposal"]
    proposal[3][1] = _Formatted(m.proposal.pass_share, "0%")
    _data_sheet(book, "Proposal", proposal, table=False)
    _layout_sheet(book, m)
    _engagement_sheet(book, m)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def kumu_rows(m: StakeholderMap) -> dict[str, list[list[object]]]:
    """The Elements and Connections sheets as rows, headers first.

    >>> from stakemap.model import Relationship, Stakeholder
    >>> m = StakeholderMap((Stakeholder("A", group="Board", goals=("cost", "risk")),
    ...                     Stakeholder("B")), (Relationship("A", "B", 2, "ally"),))
    >>> rows = kumu_rows(m)
    >>> rows["Elements"][1][:4], rows["Connections"][1]
    (['A', 'Board', '', 'cost|risk'], ['A', 'B', 'ally', 'mutual', 2, ''])
    """
    people = canonical_rows(m)["Stakeholders"]
    index = {h: i for i, h in enumerate(people[0])}
    moved = ("Name", "Group", "Notes", "Goals")
    rest = [h for h in people[0] if h not in moved]
    elements = [["Label", "Type", "Description", "Tags", *rest]]
    for s, row in zip(m.stakeholders, people[1:], strict=True):
        elements.append(
            [s.name, s.group, s.notes, "|".join(s.goals), *(row[index[h]] for h in rest)]
        )
    connections = [["From", "To", "Type", "Direction", "Strength", "Description"]]
    connections += [
        [r.source, r.target, r.kind, "mutual" if r.kind in ("ally", "rival") else "directed",
         r.strength, r.notes]
        for r in m.relationships
    ]  # fmt: skip
    return {"Elements": elements, "Connections": connections}


def to_csv_zip(m: StakeholderMap) -> bytes:
    """One UTF-8 (with BOM, for Excel) CSV file per canonical sheet (and the engagement log),
    zipped."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        sheets = canonical_rows(m)
        if m.engagements:
            sheets["Engagements"] = engagement_rows(m)
        for title, rows in sheets.items():
            text = io.StringIO()
            csv.writer(text).writerows([[_csv_safe(v) for v in row] for row in rows])
            archive.writestr(f"{title}.csv", "\ufeff" + text.getvalue())
    return out.getvalue()


# ---------------------------------------------------------------- canonical sheets


@dataclass(frozen=True)
class _Formatted:
    value: object
    number_format: str


def _out(sheet: Worksheet, value: object, **style: object) -> object:
    """A value ready to append: a plain value, or a cell when it needs a type or a style."""
    if isinstance(value, _Formatted):
        style["number_format"], value = value.number_format, value.value
    value = _cell(value)
    # openpyxl would write "=..." as a live formula and "#REF!" (its ERROR_CODES) as an error
    formula_like = isinstance(value, str) and (value.startswith("=") or value in ERROR_CODES)
    data_type = style.pop("data_type", "s" if formula_like else None)
    if not style and data_type is None:
        return value
    cell = WriteOnlyCell(sheet, value)
    if data_type is not None:
        cell.data_type = data_type
    if style:
        _style(cell, sheet.parent, style)
    return cell


#: Per workbook, the style record of each combination of style objects already applied.
_STYLES: WeakKeyDictionary[Workbook, dict[tuple, tuple]] = WeakKeyDictionary()


def _style(cell: WriteOnlyCell, book: Workbook, style: dict[str, object]) -> None:
    """Apply ``style`` (attribute -> openpyxl style object) to ``cell``.

    Assigning a style makes openpyxl hash it against the workbook's styles, which was most of
    the time of the lens sheets' 12,000 filled cells at 2,000 people; a combination seen before
    is copied as the record openpyxl made for it (as openpyxl's own worksheet copy does). The
    objects are kept with their record, so their ids, the key, cannot be reused meanwhile.
    """
    known = _STYLES.setdefault(book, {})
    key = tuple((name, id(setting)) for name, setting in style.items())
    if key in known:
        cell._style = copy(known[key][0])
        return
    for name, setting in style.items():
        setattr(cell, name, setting)
    known[key] = (copy(cell._style), tuple(style.values()))


def _write_rows(sheet: Worksheet, rows: list[list[object]], header: bool = True) -> None:
    """Append rows; the first is a styled header row when ``header``."""
    for index, row in enumerate(rows):
        style = {"fill": _HEADER_FILL, "font": _HEADER_FONT} if header and index == 0 else {}
        sheet.append([_out(sheet, v, **style) for v in row])


def _data_sheet(book: Workbook, title: str, rows: list[list[object]], table: bool = True):
    sheet = book.create_sheet(title)
    sheet.freeze_panes = "B2" if title == "Stakeholders" else "A2"
    for i, header in enumerate(rows[0], start=1):
        width = max([len(str(header))] + [len(str(r[i - 1])) for r in rows[1:200]])
        sheet.column_dimensions[get_column_letter(i)].width = min(45, max(9, width + 2))
    _write_rows(sheet, rows)
    ref = f"A1:{get_column_letter(len(rows[0]))}{max(2, len(rows))}"
    if table and len(rows) > 1:
        grid = Table(displayName=title, ref=ref, autoFilter=AutoFilter(ref=ref))
        grid.tableColumns = [
            TableColumn(id=i, name=clean_text(str(h))) for i, h in enumerate(rows[0], 1)
        ]
        grid.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        with warnings.catch_warnings():  # openpyxl always warns in write-only mode; the
            warnings.simplefilter("ignore")  # columns are set just above, as it asks
            sheet.add_table(grid)
    elif table:
        sheet.auto_filter.ref = ref
    return sheet


def _list_rule(sheet: Worksheet, formula: str, cells: str, prompt: str) -> None:
    rule = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                          errorTitle="Not on the list", error=prompt, promptTitle="Choose",
                          prompt=prompt, showInputMessage=True)  # fmt: skip
    rule.add(cells)
    sheet.data_validations.append(rule)


def _range_rule(sheet: Worksheet, kind: str, low: int, high: int, cells: str) -> None:
    rule = DataValidation(type=kind, operator="between", formula1=str(low), formula2=str(high),
                          allow_blank=True, showErrorMessage=True, errorTitle="Out of range",
                          error=f"A number from {low} to {high}")  # fmt: skip
    rule.add(cells)
    sheet.data_validations.append(rule)


def _people_rules(sheet: Worksheet, count: int) -> None:
    last = max(count + 1, 500)
    col = {c.name: get_column_letter(i) for i, c in enumerate(SHEETS[0].columns, start=1)}
    stance_cells = f"{col['Stance']}2:{col['Stance']}{last}"
    _list_rule(sheet, '"' + ",".join([*_STANCE_WORDS, "Unaware"]) + '"', stance_cells,
               "Blocker, Critic, Neutral, Supporter, Champion or Unaware")  # fmt: skip
    _list_rule(sheet, '"' + ",".join(_STANCE_WORDS) + '"',
               f"{col['Target stance']}2:{col['Target stance']}{last}",
               "Blocker, Critic, Neutral, Supporter or Champion")  # fmt: skip
    _list_rule(sheet, '"' + ",".join(DECISION_ROLES) + '"',
               f"{col['Decision role']}2:{col['Decision role']}{last}",
               "decider, veto, influencer, third party, or empty")  # fmt: skip
    for name in ("Power", "Interest", "Legitimacy", "Urgency", "Effort"):
        _range_rule(sheet, "decimal", 1, 5, f"{col[name]}2:{col[name]}{last}")
    for word, colour in STANCE_FILLS.items():
        sheet.conditional_formatting.add(
            stance_cells,
            CellIsRule(operator="equal", formula=[f'"{word}"'],
                       fill=PatternFill("solid", fgColor=colour, bgColor=colour)),
        )  # fmt: skip


def _tie_rules(sheet: Worksheet, people: int, count: int) -> None:
    last = max(count + 1, 500)
    names = f"={quote_sheetname('Stakeholders')}!$A$2:$A${max(2, people + 1)}"
    _list_rule(sheet, names, f"A2:B{last}", "A name from the Stakeholders sheet")
    _list_rule(sheet, '"' + ",".join(RELATIONSHIP_KINDS) + '"', f"D2:D{last}",
               "influences, defers to, reports to, ally or rival")  # fmt: skip
    _range_rule(sheet, "decimal", -5, 5, f"C2:C{last}")


def _layout_sheet(book: Workbook, m: StakeholderMap) -> None:
    """Network positions (Name, X, Y) on a hidden sheet, so that a re-import keeps the layout."""
    if not m.positions:
        return
    sheet = book.create_sheet("Layout")
    sheet.sheet_state = "hidden"
    rows = [["Name", "X", "Y"]]
    rows += [[s.name, *m.positions[s.name]] for s in m.stakeholders if s.name in m.positions]
    _write_rows(sheet, rows)


def engagement_rows(m: StakeholderMap) -> list[list[object]]:
    """The engagement log as rows, header first; outcomes and stances in words.

    >>> from stakemap.model import Engagement, Stakeholder
    >>> m = StakeholderMap((Stakeholder("Ana"),),
    ...                    engagements=(Engagement("Ana", "2026-12-02", "won", 0, 2, 1, "ok"),))
    >>> engagement_rows(m)[1]
    ['Ana', '2026-12-02', 'Won', 'Neutral', 'Champion', 1, 'ok']
    """
    rows: list[list[object]] = [[c.name for c in ENGAGEMENTS.columns]]
    rows += [
        [e.name, e.date, e.outcome_label, stance_label(e.stance_before),
         stance_label(e.stance_after), "" if e.step is None else e.step, e.note]
        for e in m.engagements
    ]  # fmt: skip
    return rows


def _engagement_sheet(book: Workbook, m: StakeholderMap) -> None:
    """The engagement log (one row a meeting), read back on import; only when there is one."""
    if m.engagements:
        _data_sheet(book, "Engagements", engagement_rows(m))


# ---------------------------------------------------------------- sheets for the room


def _print_one_page(sheet: Worksheet) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _lens_sheets(book: Workbook, m: StakeholderMap) -> None:
    """One sheet per lens: its classes as coloured blocks of cells with the names inside.

    Lenses of four classes (Mendelow, influence/attitude) are drawn as their 2x2 grid: the
    high-y classes on top, the low-x ones on the left; the others as a row of columns.
    """
    from stakemap.lenses import LENS_NAMES, class_summary

    for lens_name in LENS_NAMES:
        summary = class_summary(m, lens_name)
        two_by_two = len(summary) == 4
        sheet = book.create_sheet(_sheet_title(lens_name))
        cells: dict[tuple[int, int], object] = {(0, 0): _out(sheet, lens_name, font=_TITLE_FONT)}
        tallest = max((len(c.people) for c in summary), default=0) + 3
        for index, cls in enumerate(summary):
            col = 2 * (1 - index % 2) if two_by_two else 2 * index
            row = 2 + (index // 2) * tallest if two_by_two else 2
            cells.update(_class_block(sheet, row, col, cls, index))
        for col in range(0, 2 * len(summary), 2):
            sheet.column_dimensions[get_column_letter(col + 1)].width = 46
            sheet.column_dimensions[get_column_letter(col + 2)].width = 2
        _print_one_page(sheet)
        width = 1 + max(c for _, c in cells)
        for r in range(1 + max(r for r, _ in cells)):
            sheet.append([cells.get((r, c)) for c in range(width)])


def _class_block(sheet: Worksheet, row: int, col: int, cls, index: int) -> dict:
    """The cells of one class: a header with count and power, its strategy, its people."""
    fill = PatternFill("solid", fgColor=_BLOCK_FILLS[index % len(_BLOCK_FILLS)])
    block = {
        (row, col): _out(sheet, f"{cls.name} ({len(cls.people)}, power {cls.power:g})",
                         font=Font(bold=True), fill=fill),
        (row + 1, col): _out(sheet, cls.strategy, font=Font(italic=True, size=9), fill=fill),
    }  # fmt: skip
    for offset, person in enumerate(cls.people, start=2):
        block[row + offset, col] = _out(sheet, person, fill=fill, data_type="s")
    return block


def _chart_sheet(book: Workbook, m: StakeholderMap) -> None:
    """A native scatter of power (y) against interest (x), each person a labelled series.

    People who share a score are spread around it (see :func:`_spread`) so that no label
    sits on another; the plotted values are listed beside the chart.
    """
    sheet = book.create_sheet("Power-interest chart")
    _print_one_page(sheet)  # write-only sheets write their properties with the first row
    chart = ScatterChart()
    chart.title = "Power/interest grid (Mendelow)"
    chart.style = 13
    chart.x_axis.title, chart.y_axis.title = "Interest", "Power"
    for axis in (chart.x_axis, chart.y_axis):
        axis.scaling.min, axis.scaling.max, axis.majorUnit = 0.5, 5.5, 1
        axis.delete = False
    chart.height, chart.width = 16, 26
    chart.legend = None
    points = _spread(m)
    sheet.column_dimensions["A"].width = 24
    _write_rows(sheet, [["Name", "Interest", "Power", "Stance", "Plotted x", "Plotted y"]] + [
        [s.name, s.interest, s.power, s.stance_label, *points[s.name]] for s in m.stakeholders
    ])  # fmt: skip
    count = len(m.stakeholders)
    if 0 < count <= MAX_LABELLED_POINTS:
        for row, person in enumerate(m.stakeholders, start=2):
            series = Series(Reference(sheet, min_col=6, min_row=row),
                            Reference(sheet, min_col=5, min_row=row))  # fmt: skip
            series.tx = SeriesLabel(strRef=StrRef(f"'Power-interest chart'!$A${row}"))
            _point_style(series, MARKER_COLOURS[person.stance], stance_label(person.stance))
            series.dLbls = DataLabelList(showSerName=True, showVal=False, dLblPos="r")
            chart.series.append(series)
    elif count:
        series = Series(Reference(sheet, min_col=6, min_row=2, max_row=count + 1),
                        Reference(sheet, min_col=5, min_row=2, max_row=count + 1))  # fmt: skip
        _point_style(series, MARKER_COLOURS[0])
        chart.series.append(series)
    sheet.add_chart(chart, "H2")


def _spread(m: StakeholderMap) -> dict[str, tuple[float, float]]:
    """Plotted (interest, power): people sharing a score fan out in a small grid around it.

    >>> from stakemap.model import Stakeholder
    >>> _spread(StakeholderMap((Stakeholder("A"), Stakeholder("B"))))
    {'A': (3.0, 3.09), 'B': (3.0, 2.91)}
    """
    groups: dict[tuple[float, float], list[str]] = {}
    for s in m.stakeholders:
        groups.setdefault((s.interest, s.power), []).append(s.name)
    out = {}
    for (x, y), names in groups.items():
        per_col = 5
        cols = -(-len(names) // per_col)
        rows = min(per_col, len(names))
        for i, name in enumerate(names):
            col, row = divmod(i, per_col)
            dx = (col - (cols - 1) / 2) * 0.4
            dy = ((rows - 1) / 2 - row) * 0.18
            out[name] = (round(x + dx, 2), round(y + dy, 2))
    return out


def _point_style(series: Series, colour: str, stance: str = "Neutral") -> None:
    series.marker.symbol = STANCE_SHAPES[stance].excel  # the legend of stakemap.legend
    series.marker.size = 8
    series.marker.graphicalProperties.solidFill = colour
    series.marker.graphicalProperties.line.solidFill = colour
    series.graphicalProperties.line.noFill = True


def _metrics_sheet(book: Workbook, m: StakeholderMap, frame: pd.DataFrame | None) -> None:
    from stakemap.network import METRIC_EXPLANATIONS, metrics

    frame = metrics(m) if frame is None else frame
    sheet = book.create_sheet("Network metrics")
    sheet.freeze_panes = "B2"
    for i in range(1, len(frame.columns) + 1):
        sheet.column_dimensions[get_column_letter(i)].width = 22
    cells = frame.astype(object).where(frame.notna(), None)
    _write_rows(sheet, [list(frame.columns), *cells.values.tolist(), []])
    for column, meaning in METRIC_EXPLANATIONS.items():
        sheet.append([_out(sheet, column, font=Font(bold=True)), meaning])


def _plan_sheet(book: Workbook, m: StakeholderMap, planned: Plan | None) -> None:
    from stakemap.coalition import plan, plan_to_json

    result = plan_to_json(plan(m) if planned is None else planned)
    sheet = book.create_sheet("Coalition plan")
    _print_one_page(sheet)
    for letter, width in zip("ABCDEFGH", (6, 24, 10, 28, 34, 70, 12, 8), strict=True):
        sheet.column_dimensions[letter].width = width
    header = ["Step", "Name", "Phase", "Messengers", "Ask", "Reason", "Support after", "Done"]
    rows = [header] + [
        [s["order"], s["name"], s["phase"], ", ".join(s["messengers"]), s["ask"] or "",
         s["reason"], _Formatted(s["support_share_after"], "0%"), ""]
        for s in result["steps"]
    ]  # fmt: skip
    close = result["close"]
    rows += [[], ["Close", "Ready" if close["ready"] else "Not yet", close["reason"]]]
    _write_rows(sheet, rows)
    done = DataValidation(type="list", formula1='"yes,no"', allow_blank=True)
    done.add(f"H2:H{max(2, len(result['steps']) + 1)}")
    sheet.data_validations.append(done)


def _about_sheet(book: Workbook, m: StakeholderMap, name: str, version: int | None) -> None:
    sheet = book.create_sheet("About")
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 90
    rows = [
        ["Map", name or m.proposal.title],
        ["Version", "" if version is None else version],
        ["Exported", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")],
        ["People", len(m.stakeholders)],
        ["Relationships", len(m.relationships)],
        ["Re-import", "Upload this file on Stakemap's Data page, or run "
                      "`python -m stakemap validate FILE`. Only the Stakeholders, Relationships, "
                      "Proposal, Engagements and (hidden) Layout sheets are read back; edit those, "
                      "keep their headers."],
    ]  # fmt: skip
    for key, value in rows:
        sheet.append([_out(sheet, key, font=Font(bold=True)), _out(sheet, value)])


def ratings_sheet(book: Workbook, rows: list[list[object]]) -> None:
    """The workshop answers (stakemap.store_workshop.WorkshopStore.ratings_rows): one row an
    answer, for the room's record; not read back on import."""
    _data_sheet(book, "Ratings", rows)


# ---------------------------------------------------------------- cell values


def _sheet_title(text: str) -> str:
    """Excel sheet titles: at most 31 characters, none of []:*?/\\."""
    return "".join("-" if ch in "[]:*?/\\" else ch for ch in text)[:31]


def _blank(value: float | None) -> object:
    return "" if value is None else value


def _cell(value: object) -> object:
    """Whole floats as ints (Excel shows 3, not 3.0); control characters Excel refuses go."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return clean_text(value) or None
    return value


def _csv_safe(value: object) -> object:
    """Text as the workbook holds it (see :func:`_cell`), an apostrophe before a formula start."""
    if isinstance(value, str):
        value = clean_text(value)
        return "'" + value if value.startswith(_FORMULA_START) else value
    return value
