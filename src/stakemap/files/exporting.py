"""StakeholderMap to the workbook (.xlsx), and the writer's parts the Kumu workbook
(:mod:`stakemap.files.kumu`) shares; CSV is in :mod:`stakemap.files.csvfiles`, GraphML and GEXF
in :mod:`stakemap.files.graphfiles`.

The workbook's first three sheets are the canonical form the importer reads back without loss
(docs/workbook.md); the others (lenses as cell grids, a power/interest chart, network metrics,
the coalition plan, About) are for the room and are skipped on re-import. No user text becomes
a formula: text is always written as a string cell.

Workbooks are written with XlsxWriter (in constant-memory mode), their cells a row at a time
by :class:`stakemap.files.rowsheet.RowSheet` (a tenth of XlsxWriter's time a cell, the same
XML); openpyxl and calamine read them. Numbers have 16 significant digits, one more than Excel
keeps.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from fractions import Fraction
from typing import TYPE_CHECKING

from xlsxwriter import Workbook
from xlsxwriter.utility import quote_sheetname, xl_col_to_name

from stakemap.files.rowsheet import RowSheet, Styled
from stakemap.files.sheetwords import (
    cell_word,
    cell_words,
    header,
    header_words,
    localised_rows,
)
from stakemap.language import gettext as _
from stakemap.language import pgettext
from stakemap.legend import STANCE_SHAPES
from stakemap.model import (
    DECISION_ROLES,
    RELATIONSHIP_KINDS,
    STANCE_COLOURS,
    StakeholderMap,
    Threshold,
    stance_label,
)
from stakemap.schema import ENGAGEMENTS, SHEETS
from stakemap.values import RULES, amount_text, exact_share

if TYPE_CHECKING:
    import pandas as pd
    from xlsxwriter.chart import Chart
    from xlsxwriter.format import Format

    from stakemap.planning.record import Plan

__all__ = [
    "MAX_LABELLED_POINTS",
    "ROOM",
    "Book",
    "canonical_rows",
    "data_sheet",
    "engagement_rows",
    "engagement_sheet",
    "layout_sheet",
    "proposal_sheet",
    "to_xlsx",
]

#: The chart labels one series per person (a spreadsheet chart's only way to label points);
#: above this many people it draws one unlabelled series instead, to stay readable and fast.
MAX_LABELLED_POINTS = 150
_HEADER = {"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F3B57"}
_TITLE = {"bold": True, "font_size": 14}
_BOLD = {"bold": True}
# Okabe-Ito hues, lightened for cell fills; Blocker..Champion.
STANCE_FILLS = {
    "Blocker": "F4B183", "Critic": "F9D7B5", "Neutral": "E7E6E6", "Supporter": "BDD7EE",
    "Champion": "8FBCE6", "Unaware": "FFFFFF",
}  # fmt: skip
_BLOCK_FILLS = ("DCE9F5", "FBE5D6", "E2F0D9", "EDEDED", "FFF2CC", "E4DFEC", "DDEBF7", "F2F2F2")
_STANCE_WORDS = [stance_label(v) for v in range(-2, 3)]
#: Okabe-Ito colours by stance (-2..+2) for chart markers.
MARKER_COLOURS = {v: STANCE_COLOURS[stance_label(v)].lstrip("#") for v in range(-2, 3)}
#: Rows the dropdowns and checks reach past the data, for people and ties added offline.
ROOM = 1000
#: The chart's size in pixels: 26 x 16 cm at 96 dpi.
_CHART_SIZE = {"width": 983, "height": 605}


class Book(Workbook):
    """An XlsxWriter workbook that makes each cell format once (XlsxWriter adds a style record
    per ``add_format``), its sheets written by :class:`~stakemap.files.rowsheet.RowSheet`.
    Text is only ever written as text (an inline string); the options say the same for any
    other write, so no text becomes a formula, a link or a number.

    In constant-memory mode, rows go to disk as they are written: the build's peak is about
    1 MB at 5,000 people instead of 45 MB with every cell held until the end (cells are written
    row after row, and the data sheets get a filter, as a table cannot be made).
    """

    def __init__(self, out: io.BytesIO) -> None:
        super().__init__(out, {
            "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
            "strings_to_numbers": False,
        })  # fmt: skip
        self._formats: dict[tuple, Format] = {}

    def format(self, **properties: object) -> Format:
        key = tuple(sorted(properties.items()))
        if key not in self._formats:
            self._formats[key] = self.add_format(properties)
        return self._formats[key]


def canonical_rows(m: StakeholderMap) -> dict[str, list[list[object]]]:
    """Each canonical sheet as a header row followed by data rows (custom columns last).

    >>> from stakemap.samples.cases import template
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
    return {"Stakeholders": people, "Relationships": ties, "Proposal": _proposal_rows(m)}


def _proposal_rows(m: StakeholderMap) -> list[list[object]]:
    """The Proposal sheet's rows, header first: shares as exact text ("2/3", "55%"), so they
    come back as written (docs/workbook.md, "Proposal"); Threshold rows, when there are any,
    are the rule (the pass share and decision rule are then kept but not used)."""
    p = m.proposal
    rows = [[c.name for c in SHEETS[2].columns],
            ["Title", p.title, ""], ["Champion", p.champion, ""]]  # fmt: skip
    share = exact_share(p.pass_share, Fraction(1, 10**9))[0]
    rows += [["Pass share", amount_text(share), ""],
             ["Decision rule", RULES.get(p.decision_rule, ""), ""]]  # fmt: skip
    rows += [["Threshold", _amount(t), t.counts] for t in p.thresholds]
    if p.quorum is not None:
        rows.append(["Quorum", _amount(p.quorum), p.quorum.counts])
    if p.abstentions:
        rows.append(["Abstentions", p.abstentions, ""])
    if p.blocking_minority is not None:
        line = p.blocking_minority
        rows.append(["Blocking minority", _amount(line), line.counts])
    if p.rough:
        rows.append(["Rough", ", ".join(p.rough), ""])
    rows += [["Part", part.name, ", ".join(part.tags)] for part in p.parts]
    rows += [[key, value, ""] for key, value in p.extra.items()]
    return rows


def _amount(t: Threshold) -> str | float | int:
    """A threshold's amount as a cell: a share as exact text, a count as a number."""
    if t.is_share:
        return amount_text(t.share)
    count = t.count
    return int(count) if count.denominator == 1 else float(count)


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
    with ``ratings`` (header row first), a Ratings sheet of the workshop answers.
    ``measures`` (:func:`stakemap.network.measures.metrics`) and ``planned``
    (:func:`stakemap.planning.planner.plan`) are those of ``m`` when the caller has them
    already."""
    out = io.BytesIO()
    book = Book(out)
    rows = canonical_rows(m)
    known = len(SHEETS[0].columns)  # the custom columns after them are the user's
    people_rows = localised_rows("Stakeholders", rows["Stakeholders"], known)
    people = data_sheet(book, header("Stakeholders"), people_rows)
    _people_rules(book, people, len(m.stakeholders))
    ties_rows = localised_rows("Relationships", rows["Relationships"])
    ties = data_sheet(book, header("Relationships"), ties_rows)
    _tie_rules(ties, len(m.stakeholders), len(m.relationships))
    proposal_sheet(book, m)
    layout_sheet(book, m)
    engagement_sheet(book, m)
    if extras:
        _lens_sheets(book, m)
        _chart_sheet(book, m)
        _metrics_sheet(book, m, measures)
        _plan_sheet(book, m, planned)
        _about_sheet(book, m, name, version)
    if ratings and len(ratings) > 1:
        data_sheet(book, header("Ratings"), ratings)  # the room's answers, not read back on import
    book.close()
    return out.getvalue()


# ---------------------------------------------------------------- canonical sheets


def _write_rows(book: Book, sheet: RowSheet, rows: list[list[object]]) -> None:
    """Write ``rows`` from the top (:meth:`~stakemap.files.rowsheet.RowSheet.write_rows`); the
    first is a styled header row."""
    sheet.write_rows(rows[:1], book.format(**_HEADER))
    sheet.write_rows(rows[1:])


def data_sheet(book: Book, title: str, rows: list[list[object]], filtered: bool = True):
    """A sheet of ``rows`` (header first); with ``filtered``, a filter on its columns."""
    sheet = book.add_worksheet(title, RowSheet)
    sheet.freeze_panes(1, 1 if title == header("Stakeholders") else 0)
    for i, head in enumerate(rows[0]):
        width = max([len(str(head))] + [len(str(r[i])) for r in rows[1:200]])
        sheet.set_column(i, i, min(45, max(9, width + 2)))
    if filtered:
        sheet.autofilter(0, 0, max(1, len(rows) - 1), len(rows[0]) - 1)
    _write_rows(book, sheet, rows)
    return sheet


def proposal_sheet(book: Book, m: StakeholderMap, title: str = "") -> None:
    """The Proposal sheet (docs/workbook.md, "Proposal"), titled ``title`` or its own name."""
    rows = localised_rows("Proposal", _proposal_rows(m))
    data_sheet(book, title or header("Proposal"), rows, filtered=False)


def _list_rule(sheet: RowSheet, source: list[str] | str, cells: str, prompt: str) -> None:
    """A dropdown that warns, and lets through, what is not on its list: the importer reads
    more words than a list shows, and a person added offline is not on a list written before."""
    sheet.data_validation(cells, {
        "validate": "list", "source": source, "ignore_blank": True, "error_type": "warning",
        "error_title": _("Not on the list"),
        "error_message": _("{choices} (or keep it anyway)").format(choices=prompt),
        "input_title": _("Choose"), "input_message": prompt,
    })  # fmt: skip


def _range_rule(sheet: RowSheet, kind: str, low: int, high: int, cells: str) -> None:
    sheet.data_validation(cells, {
        "validate": kind, "criteria": "between", "minimum": low, "maximum": high,
        "ignore_blank": True, "error_title": _("Out of range"),
        "error_message": _("A number from {low} to {high}").format(low=low, high=high),
    })  # fmt: skip


def _people_rules(book: Book, sheet: RowSheet, count: int) -> None:
    last = count + 1 + ROOM
    col = {c.name: xl_col_to_name(i) for i, c in enumerate(SHEETS[0].columns)}
    stance_cells = f"{col['Stance']}2:{col['Stance']}{last}"
    stances = [cell_word(w) for w in _STANCE_WORDS]
    _list_rule(sheet, [*stances, cell_word("Unaware")], stance_cells,
               _("Blocker, Critic, Neutral, Supporter, Champion or Unaware"))  # fmt: skip
    _list_rule(sheet, stances, f"{col['Target stance']}2:{col['Target stance']}{last}",
               _("Blocker, Critic, Neutral, Supporter or Champion"))  # fmt: skip
    _list_rule(sheet, [cell_word(r) for r in DECISION_ROLES],
               f"{col['Decision role']}2:{col['Decision role']}{last}",
               _("decider, veto, influencer, third party, or empty"))  # fmt: skip
    for name in ("Power", "Interest", "Legitimacy", "Urgency", "Effort"):
        _range_rule(sheet, "decimal", 1, 5, f"{col[name]}2:{col[name]}{last}")
    for word, colour in STANCE_FILLS.items():
        sheet.conditional_format(stance_cells, {
            "type": "cell", "criteria": "equal to", "value": f'"{cell_word(word)}"',
            "format": book.format(bg_color=f"#{colour}"),
        })  # fmt: skip


def _tie_rules(sheet: RowSheet, people: int, count: int) -> None:
    """From and To choose among the Stakeholders sheet's names, those of people added later
    included (the list runs :data:`ROOM` rows past the last person)."""
    last = count + 1 + ROOM
    names = f"={quote_sheetname(header('Stakeholders'))}!$A$2:$A${people + 1 + ROOM}"
    _list_rule(sheet, names, f"A2:B{last}", _("A name from the Stakeholders sheet"))
    _list_rule(sheet, [cell_word(k) for k in RELATIONSHIP_KINDS], f"D2:D{last}",
               _("influences, defers to, reports to, ally or rival"))  # fmt: skip
    _range_rule(sheet, "decimal", -5, 5, f"C2:C{last}")


def layout_sheet(book: Book, m: StakeholderMap, title: str = "") -> None:
    """Network positions (Name, X, Y) on a hidden sheet, so that a re-import keeps the layout;
    titled ``title`` or its own name."""
    if not m.positions:
        return
    sheet = book.add_worksheet(title or header("Layout"), RowSheet)
    sheet.hide()
    _write_rows(book, sheet, localised_rows("Layout", layout_rows(m)))


def layout_rows(m: StakeholderMap) -> list[list[object]]:
    """Network positions as rows (Name, X, Y), header first, in the map's order of people.

    >>> from stakemap.model import Stakeholder
    >>> layout_rows(StakeholderMap((Stakeholder("Ana"),), positions={"Ana": (1.5, -2.0)}))
    [['Name', 'X', 'Y'], ['Ana', 1.5, -2.0]]
    """
    rows: list[list[object]] = [["Name", "X", "Y"]]
    rows += [[s.name, *m.positions[s.name]] for s in m.stakeholders if s.name in m.positions]
    return rows


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


def engagement_sheet(book: Book, m: StakeholderMap, title: str = "") -> None:
    """The engagement log (one row a meeting), read back on import; only when there is one;
    titled ``title`` or its own name."""
    if m.engagements:
        rows = localised_rows("Engagements", engagement_rows(m))
        data_sheet(book, title or header("Engagements"), rows)


# ---------------------------------------------------------------- sheets for the room


def _print_one_page(sheet: RowSheet) -> None:
    sheet.set_landscape()
    sheet.fit_to_pages(1, 1)


def _lens_sheets(book: Book, m: StakeholderMap) -> None:
    """One sheet per lens: its classes as coloured blocks of cells with the names inside.

    Lenses drawn as four quadrants (Mendelow, influence/attitude) are drawn as their 2x2 grid:
    the high-y classes on top, the low-x ones on the left; the others as a row of columns.
    """
    from stakemap.lenses.catalogue import LENSES
    from stakemap.lenses.people import class_summary

    for lens_name, lens in LENSES.items():
        summary = class_summary(m, lens_name)
        two_by_two = len(lens.regions(m, {})) == 4
        shown_name = _(lens_name)
        sheet = book.add_worksheet(_sheet_title(shown_name), RowSheet)
        _print_one_page(sheet)
        sheet.write_rows([[shown_name]], book.format(**_TITLE))
        for col in range(0, 2 * len(summary), 2):
            sheet.set_column(col, col, 46)
            sheet.set_column(col + 1, col + 1, 2)
        tallest = max((len(c.people) for c in summary), default=0) + 3
        cells = []
        for index, cls in enumerate(summary):
            col = 2 * (1 - index % 2) if two_by_two else 2 * index
            row = 2 + (index // 2) * tallest if two_by_two else 2
            cells += _class_block(book, row, col, cls, index)
        lines: list[list[object]] = [[] for _row in range(max((c[0] for c in cells), default=0))]
        for row, col, text, style in cells:
            line = lines[row - 1]
            line += [None] * (col + 1 - len(line))
            line[col] = Styled(text, style)
        sheet.write_rows(lines[1:], row=2)  # row by row, under the title


def _class_block(book: Book, row: int, col: int, cls, index: int) -> list[tuple]:
    """The cells (row, column, text, format) of one class: a header with count and power, its
    strategy, its people."""
    fill = f"#{_BLOCK_FILLS[index % len(_BLOCK_FILLS)]}"
    style = book.format(bg_color=fill)
    return [
        (row, col, _("{lens_class} ({count}, power {power})").format(
            lens_class=_(cls.name), count=len(cls.people), power=f"{cls.power:g}"),
         book.format(bold=True, bg_color=fill)),
        (row + 1, col, _(cls.strategy), book.format(italic=True, font_size=9, bg_color=fill)),
        *((row + offset, col, person, style) for offset, person in enumerate(cls.people, 2)),
    ]  # fmt: skip


def _chart_sheet(book: Book, m: StakeholderMap) -> None:
    """A native scatter of power (y) against interest (x), each person a labelled series.

    People who share a score are spread around it (see :func:`_spread`) so that no label
    sits on another; the plotted values are listed beside the chart.
    """
    sheet = book.add_worksheet(pgettext("header", "Power-interest chart"), RowSheet)
    _print_one_page(sheet)
    points = _spread(m)
    sheet.set_column(0, 0, 24)
    head = [header("Name"), header("Interest"), header("Power"), header("Stance"),
            pgettext("header", "Plotted x"), pgettext("header", "Plotted y")]  # fmt: skip
    words = cell_words()
    _write_rows(book, sheet, [head] + [
        [s.name, s.interest, s.power, words.get(s.stance_label, s.stance_label), *points[s.name]]
        for s in m.stakeholders
    ])  # fmt: skip
    if m.stakeholders:  # a chart needs a series (XlsxWriter refuses an empty one)
        sheet.insert_chart("H2", _power_interest_chart(book, m, sheet.name))


def _power_interest_chart(book: Book, m: StakeholderMap, title: str) -> Chart:
    """The scatter over the chart sheet's Plotted x and y columns (E and F)."""
    chart = book.add_chart({"type": "scatter"})
    chart.set_title({"name": _("Power/interest grid (Mendelow)")})
    chart.set_style(13)
    scale = {"min": 0.5, "max": 5.5, "major_unit": 1}
    chart.set_x_axis({"name": header("Interest"), **scale})
    chart.set_y_axis({"name": header("Power"), **scale})
    chart.set_size(_CHART_SIZE)
    chart.set_legend({"none": True})
    count = len(m.stakeholders)
    if count <= MAX_LABELLED_POINTS:
        for row, person in enumerate(m.stakeholders, start=1):
            chart.add_series({
                "name": f"={quote_sheetname(title)}!$A${row + 1}",
                "categories": [title, row, 4, row, 4], "values": [title, row, 5, row, 5],
                "marker": _marker(MARKER_COLOURS[person.stance], stance_label(person.stance)),
                "data_labels": {"series_name": True, "value": False, "position": "right"},
            })  # fmt: skip
    else:
        chart.add_series({
            "categories": [title, 1, 4, count, 4], "values": [title, 1, 5, count, 5],
            "marker": _marker(MARKER_COLOURS[0]),
        })  # fmt: skip
    return chart


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


def _marker(colour: str, stance: str = "Neutral") -> dict[str, object]:
    """A stance's marker: its shape (the legend of stakemap.legend) in its colour."""
    return {"type": STANCE_SHAPES[stance].excel, "size": 8,
            "fill": {"color": f"#{colour}"}, "border": {"color": f"#{colour}"}}  # fmt: skip


def _metrics_sheet(book: Book, m: StakeholderMap, frame: pd.DataFrame | None) -> None:
    from stakemap.network.measures import METRIC_EXPLANATIONS, metrics

    frame = metrics(m) if frame is None else frame
    sheet = book.add_worksheet(pgettext("header", "Network metrics"), RowSheet)
    sheet.freeze_panes(1, 1)
    sheet.set_column(0, len(frame.columns) - 1, 22)
    cells = frame.astype(object).where(frame.notna(), None)
    titles = header_words()  # the Name column is the people's, as on the Stakeholders sheet
    head = [titles.get(c) or _(c) for c in frame.columns]
    _write_rows(book, sheet, [head, *cells.values.tolist()])
    bold = book.format(**_BOLD)
    meanings = [[Styled(_(column), bold), _(meaning)]
                for column, meaning in METRIC_EXPLANATIONS.items()]  # fmt: skip
    sheet.write_rows(meanings, row=len(frame) + 2)


def _plan_sheet(book: Book, m: StakeholderMap, planned: Plan | None) -> None:
    from stakemap.planning.planner import plan
    from stakemap.planning.report import plan_to_json

    result = plan_to_json(plan(m) if planned is None else planned)
    sheet = book.add_worksheet(pgettext("header", "Coalition plan"), RowSheet)
    _print_one_page(sheet)
    for col, width in enumerate((6, 24, 10, 28, 34, 70, 12, 8)):
        sheet.set_column(col, col, width)
    share = book.format(num_format="0%")
    rows = [_plan_header()] + [
        [s["order"], s["name"], _phase_word(s["phase"]), ", ".join(s["messengers"]),
         s["ask"] or "", s["reason"], Styled(s["support_share_after"], share), ""]
        for s in result["steps"]
    ]  # fmt: skip
    close = result["close"]
    ready = pgettext("cell", "Ready") if close["ready"] else pgettext("cell", "Not yet")
    rows += [[], [pgettext("header", "Close"), ready, close["reason"]]]
    _write_rows(book, sheet, rows)
    sheet.data_validation(f"H2:H{max(2, len(result['steps']) + 1)}", {
        "validate": "list", "source": [pgettext("cell", "yes"), pgettext("cell", "no")],
        "ignore_blank": True,
        "show_input": False, "show_error": False,
    })  # fmt: skip


def _plan_header() -> list[str]:
    """The coalition plan sheet's headers."""
    return [header("Step"), header("Name"), pgettext("header", "Phase"),
            pgettext("header", "Messengers"), pgettext("header", "Ask"),
            pgettext("header", "Reason"), pgettext("header", "Support after"),
            pgettext("header", "Done")]  # fmt: skip


def _phase_word(phase: str) -> str:
    """A plan step's phase (an identifier) as the plan sheet writes it."""
    words = {"allies": pgettext("cell", "allies"), "persuade": pgettext("cell", "persuade"),
             "align": pgettext("cell", "align"), "close": pgettext("cell", "close")}  # fmt: skip
    return words.get(phase, phase)


def _about_sheet(book: Book, m: StakeholderMap, name: str, version: int | None) -> None:
    sheet = book.add_worksheet(pgettext("header", "About"), RowSheet)
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 1, 90)
    rows = [
        [pgettext("header", "Map"), name or m.proposal.title],
        [pgettext("header", "Version"), "" if version is None else version],
        [pgettext("header", "Exported"), datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")],
        [pgettext("header", "People"), len(m.stakeholders)],
        [header("Relationships"), len(m.relationships)],
        [pgettext("header", "Re-import"), _(
            "Upload this file on Stakemap's Data page, or run "
            "`python -m stakemap validate FILE`. Only the Stakeholders, Relationships, "
            "Proposal, Engagements and (hidden) Layout sheets are read back; edit those, "
            "keep their headers.")],
    ]  # fmt: skip
    bold = book.format(**_BOLD)
    sheet.write_rows([[Styled(key, bold), value] for key, value in rows])


# ---------------------------------------------------------------- cell values


def _sheet_title(text: str) -> str:
    """Excel sheet titles: at most 31 characters, none of []:*?/\\."""
    return "".join("-" if ch in "[]:*?/\\" else ch for ch in text)[:31]


def _blank(value: float | None) -> object:
    return "" if value is None else value
