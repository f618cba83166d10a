"""Reading one sheet: where its header is, which column holds what (by header, else by the
values), its data rows, and the rows kept aside with their problems.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from stakemap.files.cells import IGNORED, match_role, set_field
from stakemap.files.outcome import (
    CUSTOM,
    IGNORE,
    BadRow,
    ColumnMapping,
    Problem,
    column_name,
    role_name,
)
from stakemap.files.sheets import RawSheet, column_letter
from stakemap.language import gettext as _
from stakemap.language import ngettext
from stakemap.schema import SHEETS, Column, SheetSpec, match_header, normalise_header
from stakemap.values import BadValue, cell_text, infer_scale, infer_stance_scale, value_kind

__all__ = [
    "FIT_SHARE",
    "SheetReader",
    "column_values",
    "find_header",
    "first_filled_row",
    "fit_share",
    "spec_column",
]

_HEADER_SCAN_ROWS = 30
#: A column matched by its header yields to its values when fewer than this share parse.
FIT_SHARE = 0.5
_SAMPLE = 500  # values looked at to tell what a column holds


class SheetReader:
    """What every sheet's reading shares: the problems and report so far, which sheet plays
    which part, the header and columns of each, its data rows, and the rows kept aside."""

    def __init__(self, columns: dict, scales: dict) -> None:
        self.column_overrides = columns
        self.scale_overrides = scales
        self.problems: list[Problem] = []
        self.report: list[str] = []
        self.mappings: list[ColumnMapping] = []
        self.bad_rows: list[BadRow] = []
        self.left_out: list[str] = []
        self.defaults: list[str] = []
        self.fatal = False  # a problem no row holds: no partial import
        self.skipped_people: dict[str, int] = {}  # casefolded name -> its bad row
        #: (column name, kind and field, scale, cell type, cell) -> the fields it sets: a
        #: column's cells repeat a few words and numbers (stances, kinds, levels) many times
        self.read_cells: dict[tuple, dict[str, object]] = {}

    def assign_sheets(self, raw: list[RawSheet]) -> dict[str, tuple[RawSheet, int, list[str]]]:
        """Which raw sheet plays which role, with its header row index and header texts.

        Sheets named for a role (or a synonym) are taken first; the others are then tried for
        any role still open. A single sheet is the Stakeholders sheet. If no sheet has a Name
        column, the sheet named for stakeholders (else the first one left) is read from its
        first filled row, so that its headers show in the column mapping and can be corrected.
        A Layout sheet (network positions) and an Engagements sheet (the engagement log) are
        found by their names only. A sheet whose name says "(ignore)" is skipped, as Kumu does,
        unless it is a Proposal, Layout or Engagements sheet (the Kumu export's own).
        """
        roles: dict[str, tuple[RawSheet, int, list[str]]] = {}
        named = {id(s): match_role(s.title) for s in raw}
        for sheet in [s for s in raw if IGNORED in s.title.casefold() and not named[id(s)]]:
            self.report.append(
                _("Sheet {sheet} skipped: its name says {mark}").format(
                    sheet=sheet.title, mark=IGNORED
                )
            )
        raw = [s for s in raw if IGNORED not in s.title.casefold() or named[id(s)]]
        ordered = sorted(raw, key=lambda s: named.get(id(s)) is None)
        for sheet in ordered:
            if sheet.note:
                self.report.append(sheet.note)
            for cand in self._candidates(named[id(sheet)], len(raw)):
                header = find_header(sheet.rows, cand, self.column_overrides.get(cand.name, {}))
                if cand.name not in roles and header is not None:
                    roles[cand.name] = (sheet, header, [cell_text(c) for c in sheet.rows[header]])
                    break
        if "Stakeholders" not in roles:
            taken = {id(found[0]) for found in roles.values()}
            for sheet in sorted(raw, key=lambda s: named.get(id(s)) is not SHEETS[0]):
                first = first_filled_row(sheet.rows)
                if id(sheet) not in taken and first is not None:
                    headers = [cell_text(c) for c in sheet.rows[first]]
                    roles["Stakeholders"] = (sheet, first, headers)
                    break
        taken = {id(found[0]) for found in roles.values()}
        for sheet in ordered:
            if id(sheet) not in taken:
                self.report.append(
                    _(
                        "Sheet {sheet} skipped: not a Stakeholders, Relationships or Proposal sheet"
                    ).format(sheet=sheet.title)
                )
        return roles

    @staticmethod
    def _candidates(spec: SheetSpec | None, sheets: int) -> list[SheetSpec]:
        """The roles to try a sheet for: the one its name gives; a lone sheet is Stakeholders,
        or Relationships (tried first when so named, as Relationships.csv is)."""
        if sheets == 1:
            return [SHEETS[1], SHEETS[0]] if spec is SHEETS[1] else [SHEETS[0], SHEETS[1]]
        return [spec] if spec else list(SHEETS)

    def map_columns(
        self, role: str, sheet: RawSheet, header_row: int, headers: list[str], spec: SheetSpec
    ) -> dict[int, tuple[str, Column | None]]:
        """Column index -> (header, canonical column or None for custom); IGNOREd left out.

        Headers are read first, in column order (the first column to name a canonical column
        takes it); then, for columns whose header names nothing (or whose values do not fit
        what it names), the values decide: job titles are a Role, stance words a Stance, if
        that column is still free.
        """
        overrides = self.column_overrides.get(role, {})
        labels: dict[str, int] = {}
        entries: list[tuple[int, str]] = []
        width = max((len(r) for r in sheet.rows), default=0)
        body = sheet.rows[header_row + 1 :]
        for i in range(width):
            header = headers[i] if i < len(headers) else ""
            if not header:
                if not column_values(body, i, 1):
                    continue
                header = _("Column {letter}").format(letter=column_letter(i))
            entries.append((i, self._unique_header(role, header, labels)))
        chosen: dict[int, Column | None] = {}
        by_values: dict[int, tuple[Column, str]] = {}
        shown: dict[str, str] = {}
        for i, header in entries:
            target = overrides.get(header)
            if target == IGNORE:
                shown[header] = IGNORE
                self.report.append(
                    _("{role}: column {header} ignored, as chosen").format(
                        role=role_name(role), header=header
                    )
                )
                continue
            if target:
                chosen[i] = spec_column(spec, target) if target != CUSTOM else None
                continue
            col = match_header(header, spec.columns)
            better = self._read_by_values(role, col, lambda i=i: column_values(body, i), spec)
            if better is not None:
                by_values[i] = better
                col = None
            chosen[i] = col
        used: set[str] = set()
        for i, header in entries:
            col = chosen.get(i)
            if col is not None and col.name in used:
                self.report.append(
                    _(
                        "{role}: column {header} also matches {column}; kept as a custom attribute"
                    ).format(role=role_name(role), header=header, column=column_name(col.name))
                )
                chosen[i] = col = None
            if col is not None:
                used.add(col.name)
                if normalise_header(header) not in (
                    normalise_header(col.name),
                    normalise_header(column_name(col.name)),
                ):  # a header that is the column's own name, in either language, says nothing
                    self.report.append(
                        _("{role}: column {header} read as {column}").format(
                            role=role_name(role), header=header, column=column_name(col.name)
                        )
                    )
        for i, header in entries:
            if i in by_values and by_values[i][0].name not in used:
                col, why = by_values[i]
                used.add(col.name)
                chosen[i] = col
                self.report.append(
                    _("{role}: column {header} read as {column}: {why}").format(
                        role=role_name(role), header=header, column=column_name(col.name), why=why
                    )
                )
            elif i in by_values:
                self.report.append(
                    _("{role}: column {header} kept: {why}").format(
                        role=role_name(role), header=header, why=by_values[i][1]
                    )
                )
        mapping: dict[int, tuple[str, Column | None]] = {}
        canonical = {normalise_header(c.name) for c in spec.columns}
        for i, header in entries:
            if i not in chosen:
                continue
            col = chosen[i]
            shown[header] = col.name if col else CUSTOM
            if col is None and normalise_header(header) in canonical:
                # a custom attribute never takes a canonical column's name
                renamed = _("{header} (custom)").format(header=header)
                self.report.append(
                    _("{role}: custom attribute {header} named {renamed}").format(
                        role=role_name(role), header=header, renamed=renamed
                    )
                )
                header = renamed
            mapping[i] = (header, col)
        self.mappings.append(
            ColumnMapping(sheet.title, role, header_row + 1, {h: shown[h] for _, h in entries})
        )
        return mapping

    @staticmethod
    def _read_by_values(
        role: str, col: Column | None, values: Callable[[], list[object]], spec: SheetSpec
    ) -> tuple[Column, str] | None:
        """The column its values say this is, with why, when the header says nothing or what
        its values do not fit ("Position" holding job titles); None to keep the header's.
        ``values`` gives the column's first filled cells, enough to tell."""
        if role != "Stakeholders" or (col is not None and col.kind not in ("stance", "scale")):
            return None
        sample = values()
        kind, example = value_kind(sample)
        if kind is None or (col is not None and fit_share(col, sample) >= FIT_SHARE):
            return None
        name = {"role": "Role", "stance": "Stance"}[kind]
        if col is not None and col.name == name:
            return None
        if kind == "role":
            why = _("its values are job titles (such as {example})").format(example=example)
        else:
            why = _("its values are stance words (such as {example})").format(example=example)
        if col is not None:
            why = _("{why}, not {column} values").format(why=why, column=column_name(col.name))
        return spec_column(spec, name), why

    def _unique_header(self, role: str, header: str, taken: dict[str, int]) -> str:
        """``header``, or ``header (2)``, ``(3)``... if an earlier column has the same header.

        ``taken`` counts the labels given so far (case-folded), so each call is quick.
        """
        key, label = header.casefold(), header
        while label.casefold() in taken:
            taken[key] += 1
            label = f"{header} ({taken[key]})"
        taken[label.casefold()] = 1
        if label != header:
            self.report.append(
                _("{role}: a second column {header} read as {label}").format(
                    role=role_name(role), header=header, label=label
                )
            )
        return label

    def keep_bad_row(self, title: str, role: str, number: int, row: list, mapping, since: int):
        """Record a row as bad if problems were added since index ``since``; True if so."""
        if len(self.problems) == since:
            return False
        cells = tuple(
            (i, header, cell_text(row[i]) if i < len(row) else "")
            for i, (header, _) in mapping.items()
        )
        self.bad_rows.append(BadRow(title, role, number, cells, tuple(self.problems[since:])))
        return True

    def row_fields(self, title: str, number: int, row: list, mapping, scales):
        """A data row's canonical fields and its custom columns' texts; a cell that cannot be
        read is a problem. A value a column has had before is not read again."""
        fields: dict[str, object] = {}
        extra: dict[str, str] = {}
        width = len(row)
        for i, (header, col) in mapping.items():
            value = row[i] if i < width else None
            if value is None or value == "":
                continue
            if col is None or col.kind == "text":  # set_field's text case, read once here
                text = cell_text(value)
                if text and col is None:
                    extra[header] = text
                elif text:
                    fields[col.field] = text
                continue
            key = (col.name, col.kind, col.field, scales.get(col.name), type(value), value)
            read = self.read_cells.get(key)
            if read is None:  # a bad value is read again each time, and said each time
                try:
                    if cell_text(value):
                        set_field(read := {}, col, value, scales)
                    else:
                        read = {}
                except BadValue as bad:
                    self.problems.append(
                        Problem(
                            title, number, col.name, cell_text(value), bad.problem, bad.accepted
                        )
                    )
                    continue
                self.read_cells[key] = read
            fields.update(read)
        return fields, extra

    def data_rows(self, role: str, sheet: RawSheet, header_row: int) -> list[tuple[int, list]]:
        rows = []
        blank = 0
        for index in range(header_row + 1, len(sheet.rows)):
            row = sheet.rows[index]
            if any(cell_text(c) for c in row):
                rows.append((index + 1, row))
            else:
                blank += 1
        trailing = len(sheet.rows) - (rows[-1][0] if rows else header_row + 1)
        if blank - trailing > 0:
            self.report.append(
                ngettext(
                    "{role}: {n} blank row skipped",
                    "{role}: {n} blank rows skipped",
                    blank - trailing,
                ).format(role=role_name(role), n=blank - trailing)
            )
        if header_row:
            self.report.append(
                ngettext(
                    "{role}: header found on row {row} of {sheet}; {n} title row above it skipped",
                    "{role}: header found on row {row} of {sheet}; {n} title rows above it skipped",
                    header_row,
                ).format(role=role_name(role), row=header_row + 1, sheet=sheet.title, n=header_row)
            )
        return rows

    def left_with_person(self, title: str, number: int, names: list, what: str) -> bool:
        """True (and noted) if one of ``names`` is a person on a bad Stakeholders row;
        ``what`` the row holds: "tie", "champion", "position" or "meeting"."""
        for name in names:
            row = self.skipped_people.get(str(name or "").casefold())
            if row is not None:
                self.left_out.append(
                    _left_out(what).format(
                        sheet=title,
                        number=number,
                        names=" -> ".join(map(str, names)),
                        name=name,
                        row=row,
                    )
                )
                return True
        return False


def _left_out(what: str) -> str:
    """The sentence that says a row was left out with a person on a bad row."""
    if what == "tie":
        return _(
            "{sheet} row {number}: the tie {names} left out with {name} (Stakeholders row {row})"
        )
    if what == "champion":
        return _(
            "{sheet} row {number}: the champion {names} left out with {name} "
            "(Stakeholders row {row})"
        )
    if what == "position":
        return _(
            "{sheet} row {number}: the position of {names} left out with {name} "
            "(Stakeholders row {row})"
        )
    return _(
        "{sheet} row {number}: the meeting with {names} left out with {name} "
        "(Stakeholders row {row})"
    )


def fit_share(col: Column, values: list[object]) -> float:
    """The share of ``values`` that ``col`` reads without a problem (1.0 for no values)."""
    if not values:
        return 1.0
    scales = {col.name: (infer_scale if col.kind == "scale" else infer_stance_scale)(values)}
    good = 0
    for value in values:
        try:
            set_field({}, col, value, scales)
        except BadValue:
            continue
        good += 1
    return good / len(values)


def column_values(rows: list[list], index: int, limit: int = _SAMPLE) -> list[object]:
    """The first ``limit`` filled cells of a column (the sample that tells what it holds)."""
    found = []
    for row in rows:
        if index < len(row) and cell_text(row[index]):
            found.append(row[index])
            if len(found) == limit:
                break
    return found


def spec_column(spec: SheetSpec, name: str) -> Column | None:
    return next((c for c in spec.columns if c.name == name), None)


def find_header(rows: list[list], spec: SheetSpec, overrides: dict[str, str]) -> int | None:
    """Index of the best row (within the first 30) naming the sheet's required columns;
    ``overrides`` (header -> column name) count as the user's reading of a header."""
    required = [c for c in spec.columns if c.required]
    best: tuple[int, int] | None = None
    for index, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        matched = Counter(
            col.name
            for col in (
                spec_column(spec, overrides.get(cell_text(cell), ""))
                or match_header(cell, spec.columns)
                for cell in row
            )
            if col
        )
        if all(matched[c.name] for c in required):
            score = len(matched)
            if best is None or score > best[1]:
                best = (index, score)
    return best[0] if best else None


def first_filled_row(rows: list[list]) -> int | None:
    return next((i for i, row in enumerate(rows) if any(map(cell_text, row))), None)
