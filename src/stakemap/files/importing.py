"""Bytes to a StakeholderMap, or a complete list of problems (sheet, row, column, value).

Nothing is dropped silently: the report lists what was mapped, converted and skipped. Row numbers
are the ones Excel (or a text editor, for CSV) shows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from stakemap.files.reading import read_workbook
from stakemap.files.sandbox import read_untrusted
from stakemap.files.sheets import RawSheet, UnreadableFile, clean_sheets, column_letter
from stakemap.model import (
    OUTCOMES,
    Engagement,
    Proposal,
    ProposalPart,
    Relationship,
    Stakeholder,
    StakeholderMap,
    Threshold,
)
from stakemap.schema import (
    ENGAGEMENTS,
    LAYOUT,
    NAMED_SHEETS,
    SHEETS,
    Column,
    SheetSpec,
    match_header,
    match_sheet,
    normalise_header,
)
from stakemap.values import (
    BadValue,
    cell_text,
    infer_scale,
    infer_stance_scale,
    measure_key,
    parse_abstentions,
    parse_choice,
    parse_number,
    parse_rule,
    parse_scale,
    parse_share,
    parse_stance,
    parse_strength,
    parse_tags,
    parse_threshold,
    parse_votes,
    value_kind,
)

__all__ = [
    "CUSTOM",
    "IGNORE",
    "SKIPPED_KEY",
    "BadRow",
    "ColumnMapping",
    "ImportResult",
    "Problem",
    "UnreadableFile",
    "import_workbook",
]

#: Mapping targets besides a canonical column name.
CUSTOM = "(custom attribute)"
IGNORE = "(ignore)"
_HEADER_SCAN_ROWS = 30
#: The proposal key under which "import the good rows" keeps the rows it left out.
SKIPPED_KEY = "Skipped at import"
_SKIPPED_CHARS = 30_000  # an Excel cell holds 32,767 characters
#: Direction words of a relationships sheet (Kumu's Connections sheet has this column).
_MUTUAL_DIRECTIONS = frozenset({"mutual", "undirected", "both", "two way", "bidirectional"})
_DEFAULTS = {"Power": "3", "Interest": "3", "Stance": "Neutral"}
#: A column matched by its header yields to its values when fewer than this share parse.
_FIT_SHARE = 0.5
_SAMPLE = 500  # values looked at to tell what a column holds


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str
    value: str
    message: str
    accepted: str = ""

    def __str__(self) -> str:
        """One line: sheet, row, column, the value (line breaks folded, cut at 80), the problem.

        >>> str(Problem("Stakeholders", 7, "Power", "9", "is outside 1-5"))
        'Stakeholders row 7, column Power: "9" is outside 1-5'
        """
        where = self.sheet + (f" row {self.row}" if self.row else "")
        where += f", column {self.column}" if self.column else ""
        shown = " ".join(self.value.split())
        shown = shown if len(shown) <= 80 else shown[:79] + "…"
        value = f'"{shown}" ' if shown else ""
        tail = f" (accepted: {self.accepted})" if self.accepted else ""
        return f"{where}: {value}{self.message}{tail}"


@dataclass
class ColumnMapping:
    """How one sheet's headers were read: header text -> canonical column, CUSTOM or IGNORE."""

    sheet: str
    role: str
    header_row: int
    columns: dict[str, str]
    scales: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class BadRow:
    """A data row with problems: where it is, its cells (column index, header, text), why."""

    sheet: str
    role: str
    row: int
    cells: tuple[tuple[int, str, str], ...]
    problems: tuple[Problem, ...]

    def __str__(self) -> str:
        """The row as one line, so that nothing in it is lost.

        >>> str(BadRow("People", 7, 7, ((0, "Name", "Ben"), (1, "Power", "9")), ()))
        'People row 7: Name = Ben; Power = 9'
        """
        cells = "; ".join(f"{h} = {t}" for _, h, t in self.cells if t)
        return f"{self.sheet} row {self.row}: {cells}"


@dataclass
class ImportResult:
    """What an import gave: the map (None while there are problems), the problems, the report.

    ``partial`` is the map of the good rows when every problem sits on a data row (a file
    that is only partly bad); ``bad_rows`` are those rows, ``left_out`` what went with them
    (a tie to a person on a bad row). ``defaults`` says which of Power, Interest and Stance
    no column filled, and which columns could have.
    """

    map: StakeholderMap | None
    problems: list[Problem]
    report: list[str]
    mappings: list[ColumnMapping]
    partial: StakeholderMap | None = None
    bad_rows: list[BadRow] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    defaults: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        m = self.map or StakeholderMap()
        return f"{len(m.stakeholders)} stakeholders, {len(m.relationships)} relationships"

    def banner(self) -> str:
        """The headline the import panel shows above its buttons (``defaults`` go below it).

        >>> r = import_workbook(b"Name,Power,Stance\\nAna,4,for\\n", "a.csv")
        >>> r.banner(), r.defaults
        ('Ready: 1 stakeholders, 0 relationships.', \
['Interest was left at its default (3) for everyone: no column was read as Interest.'])
        """
        if self.problems and self.partial is None:
            return (
                f"{len(self.problems)} problem(s): fix them in the file (or the column "
                "mapping) and upload again. Nothing has been imported yet."
            )
        if self.problems:
            good = self.partial
            return (
                f"{len(self.bad_rows)} row(s) have problems; the other rows are good "
                f"({len(good.stakeholders)} stakeholders, {len(good.relationships)} "
                "relationships). Import the good rows (the others are listed and kept with "
                "the map), or correct the cells below and nothing needs retyping."
            )
        return f"Ready: {self.summary()}."

    def skipped_text(self) -> str:
        """Each bad row as in the file, its problems, and what went with it; one line each."""
        lines = []
        for bad in self.bad_rows:
            lines.append(str(bad))
            lines += [f"  {p}" for p in bad.problems]
        lines += self.left_out
        text = "\n".join(lines)
        return text if len(text) <= _SKIPPED_CHARS else text[: _SKIPPED_CHARS - 1] + "…"

    def good_rows(self) -> StakeholderMap:
        """The map of the good rows, the bad ones kept in the proposal under SKIPPED_KEY.

        >>> r = import_workbook(b"Name,Power\\nAna,4\\nBen,huge\\n", "a.csv")
        >>> m = r.good_rows()
        >>> m.names, m.proposal.extra[SKIPPED_KEY].splitlines()[0]
        (['Ana'], 'Stakeholders row 3: Name = Ben; Power = huge')
        """
        if self.partial is None:
            raise ValueError("no good rows to import: the file's problems are not in its rows")
        extra = {**self.partial.proposal.extra, SKIPPED_KEY: self.skipped_text()}
        return replace(self.partial, proposal=replace(self.partial.proposal, extra=extra))


def import_workbook(
    data: bytes,
    filename: str = "",
    *,
    column_overrides: dict[str, dict[str, str]] | None = None,
    scale_overrides: dict[str, dict[str, str]] | None = None,
    engine: str = "calamine",
    sandboxed: bool = False,
    cell_fixes: dict[tuple[str, int, int], str] | None = None,
) -> ImportResult:
    """Read a workbook, CSV, GraphML or GEXF file into a map; raises :class:`UnreadableFile`
    for unsafe input.

    ``sandboxed`` parses the bytes in a child process under memory and time limits
    (:mod:`stakemap.files.sandbox`): the app's uploads and the command line's files use it.

    ``column_overrides[sheet][header]`` names the canonical column (or CUSTOM / IGNORE) a header
    should fill; ``scale_overrides[sheet][column]`` forces a scale ("1-5", "1-10", "0-100%");
    ``cell_fixes[(sheet title, row, column index)]`` replaces a cell's text (corrections
    typed in the import panel, so that the file need not be edited and uploaded again).

    >>> r = import_workbook(b"Stakeholder,Influence,Attitude\\nAna,H,supportive\\n", "a.csv")
    >>> r.summary(), r.map.stakeholders[0].power, r.map.stakeholders[0].stance
    ('1 stakeholders, 0 relationships', 5.0, 1)
    """
    raw = (read_untrusted if sandboxed else read_workbook)(data, filename, engine)
    raw = _fixed(raw, cell_fixes or {})
    builder = _Builder(column_overrides or {}, scale_overrides or {})
    builder.report.extend(clean_sheets(raw))
    return builder.build(raw)


class _Builder:
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

    def build(self, raw: list[RawSheet]) -> ImportResult:
        roles = self._assign_sheets(raw)
        people_sheet = roles.get("Stakeholders")
        if people_sheet is None:
            self.problems.append(
                Problem(
                    "Stakeholders",
                    None,
                    "Name",
                    "",
                    "no sheet has a Name column in its first 30 rows",
                    "a header such as Name, Stakeholder, Person or Nom",
                )
            )
            return ImportResult(None, self.problems, self.report, self.mappings)
        people, custom, names = self._stakeholders(people_sheet)
        ties = (
            self._relationships(roles["Relationships"], names) if "Relationships" in roles else ()
        )
        proposal = (
            self._proposal(roles["Proposal"], names, custom) if "Proposal" in roles else Proposal()
        )
        proposal = self._power_scale(proposal)
        positions = self._layout(roles["Layout"], names) if "Layout" in roles else {}
        log = self._engagements(roles["Engagements"], names) if "Engagements" in roles else ()
        good = StakeholderMap(
            tuple(people), tuple(ties), proposal, tuple(custom), positions, engagements=log
        )
        partial = None if not self.problems or self.fatal else good
        return ImportResult(
            None if self.problems else good,
            self.problems,
            self.report,
            self.mappings,
            partial=partial,
            bad_rows=self.bad_rows if partial else [],
            left_out=self.left_out if partial else [],
            defaults=self.defaults,
        )

    def _power_scale(self, proposal: Proposal) -> Proposal:
        """Keep the scale the Power column was written in (``Power scale`` in the proposal), so
        shares and indices use the user's own numbers
        (:func:`stakemap.planning.rule.user_power`)."""
        scale = next(
            (m.scales.get("Power") for m in self.mappings if m.role == "Stakeholders"), None
        )
        if not scale or scale == "1-5":
            return proposal
        return replace(proposal, extra={**proposal.extra, "Power scale": scale})

    # sheets and headers -----------------------------------------------------------------

    def _assign_sheets(self, raw: list[RawSheet]) -> dict[str, tuple[RawSheet, int, list[str]]]:
        """Which raw sheet plays which role, with its header row index and header texts.

        Sheets named for a role (or a synonym) are taken first; the others are then tried for
        any role still open. A single sheet is the Stakeholders sheet. If no sheet has a Name
        column, the sheet named for stakeholders (else the first one left) is read from its
        first filled row, so that its headers show in the column mapping and can be corrected.
        A Layout sheet (network positions) and an Engagements sheet (the engagement log) are
        found by their names only.
        """
        roles: dict[str, tuple[RawSheet, int, list[str]]] = {}
        named = {id(s): _match_role(s.title) for s in raw} if len(raw) > 1 else {}
        ordered = sorted(raw, key=lambda s: named.get(id(s)) is None)
        for sheet in ordered:
            if sheet.note:
                self.report.append(sheet.note)
            spec = named.get(id(sheet)) if len(raw) > 1 else SHEETS[0]
            for cand in [spec] if spec else SHEETS:
                header = _find_header(sheet.rows, cand, self.column_overrides.get(cand.name, {}))
                if cand.name not in roles and header is not None:
                    roles[cand.name] = (sheet, header, [cell_text(c) for c in sheet.rows[header]])
                    break
        if "Stakeholders" not in roles:
            taken = {id(found[0]) for found in roles.values()}
            for sheet in sorted(raw, key=lambda s: named.get(id(s)) is not SHEETS[0]):
                first = _first_filled_row(sheet.rows)
                if id(sheet) not in taken and first is not None:
                    headers = [cell_text(c) for c in sheet.rows[first]]
                    roles["Stakeholders"] = (sheet, first, headers)
                    break
        taken = {id(found[0]) for found in roles.values()}
        for sheet in ordered:
            if id(sheet) not in taken:
                self.report.append(
                    f"Sheet {sheet.title} skipped: not a Stakeholders, Relationships or "
                    "Proposal sheet"
                )
        return roles

    def _map_columns(
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
                if not _column_values(body, i, 1):
                    continue
                header = f"Column {column_letter(i)}"
            entries.append((i, self._unique_header(role, header, labels)))
        chosen: dict[int, Column | None] = {}
        by_values: dict[int, tuple[Column, str]] = {}
        shown: dict[str, str] = {}
        for i, header in entries:
            target = overrides.get(header)
            if target == IGNORE:
                shown[header] = IGNORE
                self.report.append(f"{role}: column {header} ignored, as chosen")
                continue
            if target:
                chosen[i] = spec_column(spec, target) if target != CUSTOM else None
                continue
            col = match_header(header, spec.columns)
            better = self._read_by_values(role, col, lambda i=i: _column_values(body, i), spec)
            if better is not None:
                by_values[i] = better
                col = None
            chosen[i] = col
        used: set[str] = set()
        for i, header in entries:
            col = chosen.get(i)
            if col is not None and col.name in used:
                self.report.append(
                    f"{role}: column {header} also matches {col.name}; kept as a custom attribute"
                )
                chosen[i] = col = None
            if col is not None:
                used.add(col.name)
                if normalise_header(header) != normalise_header(col.name):
                    self.report.append(f"{role}: column {header} read as {col.name}")
        for i, header in entries:
            if i in by_values and by_values[i][0].name not in used:
                col, why = by_values[i]
                used.add(col.name)
                chosen[i] = col
                self.report.append(f"{role}: column {header} read as {col.name}: {why}")
            elif i in by_values:
                self.report.append(f"{role}: column {header} kept: {by_values[i][1]}")
        mapping: dict[int, tuple[str, Column | None]] = {}
        canonical = {normalise_header(c.name) for c in spec.columns}
        for i, header in entries:
            if i not in chosen:
                continue
            col = chosen[i]
            shown[header] = col.name if col else CUSTOM
            if col is None and normalise_header(header) in canonical:
                # a custom attribute never takes a canonical column's name
                self.report.append(f"{role}: custom attribute {header} named {header} (custom)")
                header = f"{header} (custom)"
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
        if kind is None or (col is not None and _fit_share(col, sample) >= _FIT_SHARE):
            return None
        name = {"role": "Role", "stance": "Stance"}[kind]
        if col is not None and col.name == name:
            return None
        words = {"role": "job titles", "stance": "stance words"}[kind]
        why = f"its values are {words} (such as {example})"
        return spec_column(spec, name), why + (f", not {col.name} values" if col else "")

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
            self.report.append(f"{role}: a second column {header} read as {label}")
        return label

    def _keep_bad_row(self, title: str, role: str, number: int, row: list, mapping, since: int):
        """Record a row as bad if problems were added since index ``since``; True if so."""
        if len(self.problems) == since:
            return False
        cells = tuple(
            (i, header, cell_text(row[i]) if i < len(row) else "")
            for i, (header, _) in mapping.items()
        )
        self.bad_rows.append(BadRow(title, role, number, cells, tuple(self.problems[since:])))
        return True

    # stakeholders -----------------------------------------------------------------------

    def _stakeholders(self, found) -> tuple[list[Stakeholder], list[str], dict[str, str]]:
        """The good people, the custom columns, and every name in the sheet (casefolded ->
        as written), the bad rows' included so that ties to them are not called unknown."""
        sheet, header_row, headers = found
        mapping = self._map_columns("Stakeholders", sheet, header_row, headers, SHEETS[0])
        if not any(col and col.name == "Name" for _, col in mapping.values()):
            self.fatal = True
            self.problems.append(
                Problem(
                    sheet.title,
                    header_row + 1,
                    "Name",
                    "",
                    "no column is read as Name",
                    "a header such as Name, Stakeholder, Person or Nom, or a column mapped to Name",
                )
            )
            return [], [], {}
        rows = self._data_rows("Stakeholders", sheet, header_row)
        if normalise_header(sheet.title) == "elements":
            rows = _kumu_tags(rows, mapping)
        scales = self._scales("Stakeholders", sheet.title, mapping, rows)
        custom = [h for h, col in mapping.values() if col is None]
        people: list[Stakeholder] = []
        names: dict[str, str] = {}
        first_row: dict[str, int] = {}
        for number, row in rows:
            since = len(self.problems)
            fields, extra = self._row_fields(sheet.title, number, row, mapping, scales)
            name = fields.get("name", "")
            if not name:
                self.problems.append(
                    Problem(
                        sheet.title,
                        number,
                        "Name",
                        "",
                        "is empty; every row needs a name",
                        "any text",
                    )
                )
            elif name.casefold() in first_row:
                self.problems.append(
                    Problem(
                        sheet.title,
                        number,
                        "Name",
                        name,
                        f"appears again (first at row {first_row[name.casefold()]})",
                        "each name once",
                    )
                )
            else:
                first_row[name.casefold()] = number
                names[name.casefold()] = name
            if self._keep_bad_row(sheet.title, "Stakeholders", number, row, mapping, since):
                if name and first_row.get(name.casefold()) == number:
                    self.skipped_people[name.casefold()] = number
                continue
            people.append(Stakeholder(**fields, custom=extra))
        self.report.append(f"Stakeholders: {len(people)} read from sheet {sheet.title}")
        if rows:
            self._note_defaults(mapping, rows, scales)
        return people, custom, names

    def _note_defaults(self, mapping, rows, scales) -> None:
        """Say which of Power, Interest and Stance no column filled, and which could."""
        mapped = {col.name for _, col in mapping.values() if col}
        for name, default in _DEFAULTS.items():
            if name in mapped:
                continue
            col = SHEETS[0].column(name)
            could = [
                header
                for i, (header, c) in mapping.items()
                if c is None
                and (values := [r[i] for _, r in rows if i < len(r) and cell_text(r[i])])
                and _fit_share(col, values) == 1
            ]
            line = (
                f"{name} was left at its default ({default}) for everyone: no column was "
                f"read as {name}"
            )
            if could:
                line += f"; it could be {_quoted(could)} (choose in the column mapping)"
            self.defaults.append(line + ".")

    def _scales(self, role: str, title: str, mapping, rows) -> dict[str, str]:
        """Each numeric column's scale: inferred from its values unless overridden."""
        overrides = self.scale_overrides.get(role, {})
        scales: dict[str, str] = {}
        for i, (header, col) in mapping.items():
            if col is None or col.kind not in ("scale", "stance"):
                continue
            values = [row[i] for _, row in rows if i < len(row) and cell_text(row[i])]
            infer = infer_scale if col.kind == "scale" else infer_stance_scale
            scales[col.name] = overrides.get(col.name) or infer(values)
            if scales[col.name] != ("1-5" if col.kind == "scale" else "-2..+2"):
                self.report.append(
                    f"{role}: column {header} read as {scales[col.name]}, rescaled to 1-5"
                    if col.kind == "scale"
                    else f"{role}: column {header} read as 1-5 (1 = Blocker, "
                    "5 = Champion), converted to -2..+2"
                )
        next(m for m in reversed(self.mappings) if m.role == role).scales = scales
        return scales

    def _row_fields(self, title: str, number: int, row: list, mapping, scales):
        fields: dict[str, object] = {}
        extra: dict[str, str] = {}
        for i, (header, col) in mapping.items():
            value = row[i] if i < len(row) else ""
            text = cell_text(value)
            if col is None:
                if text:
                    extra[header] = text
                continue
            if not text:
                continue
            try:
                _set_field(fields, col, value, scales)
            except BadValue as bad:
                self.problems.append(
                    Problem(title, number, col.name, text, bad.problem, bad.accepted)
                )
        return fields, extra

    def _data_rows(self, role: str, sheet: RawSheet, header_row: int) -> list[tuple[int, list]]:
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
            self.report.append(f"{role}: {blank - trailing} blank rows skipped")
        if header_row:
            self.report.append(
                f"{role}: header found on row {header_row + 1} of {sheet.title}; "
                f"{header_row} title rows above it skipped"
            )
        return rows

    # relationships, proposal and layout -------------------------------------------------

    def _relationships(self, found, names: dict[str, str]) -> list[Relationship]:
        sheet, header_row, headers = found
        mapping = self._map_columns("Relationships", sheet, header_row, headers, SHEETS[1])
        rows = self._data_rows("Relationships", sheet, header_row)
        mapping = self._free_text_kinds(mapping, rows)
        custom = [i for i, (_, col) in mapping.items() if col is None]
        direction = next((i for i in custom if normalise_header(mapping[i][0]) == "direction"), -1)
        ties: list[Relationship] = []
        for number, row in rows:
            since = len(self.problems)
            fields, extra = self._row_fields(sheet.title, number, row, mapping, {})
            mutual = self._mutual(sheet.title, number, row, direction, extra)
            if extra:
                fields["notes"] = "; ".join(
                    [str(fields.get("notes", ""))] * bool(fields.get("notes"))
                    + [f"{k}: {v}" for k, v in extra.items()]
                )
            ends = []
            for col, key in (("From", "source"), ("To", "target")):
                name = names.get(str(fields.get(key, "")).casefold())
                if name is None:
                    self.problems.append(
                        Problem(
                            sheet.title,
                            number,
                            col,
                            str(fields.get(key, "")),
                            "is not a name on the Stakeholders sheet"
                            if fields.get(key)
                            else "is empty",
                            "a name from the Stakeholders sheet",
                        )
                    )
                ends.append(name)
            if None not in ends and ends[0] == ends[1]:
                self.problems.append(
                    Problem(
                        sheet.title,
                        number,
                        "To",
                        ends[1],
                        "is the same person as From (a self-loop)",
                        "two different people",
                    )
                )
            if self._keep_bad_row(sheet.title, "Relationships", number, row, mapping, since):
                continue
            if self._left_with_person(sheet.title, number, ends, "the tie"):
                continue
            kind = fields.get("kind") or "influences"
            default = -3.0 if kind == "rival" else 3.0
            strength = fields.get("strength", default)
            tie = Relationship(ends[0], ends[1], strength, kind, str(fields.get("notes", "")))
            ties.append(tie)
            if mutual and kind not in ("ally", "rival"):  # those two already run both ways
                ties.append(replace(tie, source=tie.target, target=tie.source))
        self.report.append(f"Relationships: {len(ties)} read from sheet {sheet.title}")
        return ties

    def _free_text_kinds(self, mapping, rows):
        """A Type column of free text (Kumu's connection types) goes to the notes, unless it
        is headed Kind or most of its values are relationship kinds."""
        for i, (header, col) in list(mapping.items()):
            if col is None or col.name != "Kind" or normalise_header(header) == "kind":
                continue
            values = [r[i] for _, r in rows if i < len(r) and cell_text(r[i])]
            if values and _fit_share(col, values) < _FIT_SHARE:
                mapping[i] = (header, None)
                self.report.append(
                    f"Relationships: column {header} kept in the notes: its values are not "
                    f"relationship kinds (such as {cell_text(values[0])})"
                )
        return mapping

    def _mutual(self, title: str, number: int, row: list, index: int, extra: dict) -> bool:
        """Whether the row's Direction says the tie runs both ways (the column is consumed)."""
        if index < 0:
            return False
        header = next((h for h in extra if normalise_header(h) == "direction"), "")
        text = extra.pop(header, "")
        key = normalise_header(text)
        if key in _MUTUAL_DIRECTIONS:
            return True
        if key and key != "directed":
            self.problems.append(
                Problem(title, number, "Direction", text, "is not a direction",
                        "directed, mutual or undirected")
            )  # fmt: skip
        return False

    def _left_with_person(self, title: str, number: int, names: list, what: str) -> bool:
        """True (and noted) if one of ``names`` is a person on a bad Stakeholders row."""
        for name in names:
            row = self.skipped_people.get(str(name or "").casefold())
            if row is not None:
                self.left_out.append(
                    f"{title} row {number}: {what} {' -> '.join(map(str, names))} left out "
                    f"with {name} (Stakeholders row {row})"
                )
                return True
        return False

    def _proposal(self, found, names: dict[str, str], custom: list[str]) -> Proposal:
        """The proposal, its parts and its decision rule (docs/workbook.md, "Proposal")."""
        sheet, header_row, headers = found
        mapping = self._map_columns("Proposal", sheet, header_row, headers, SHEETS[2])
        values: dict[str, object] = {"parts": [], "extra": {}, "thresholds": [], "rough": []}
        for number, row in self._data_rows("Proposal", sheet, header_row):
            since = len(self.problems)
            fields, _ = self._row_fields(sheet.title, number, row, mapping, {})
            key = normalise_header(fields.get("key", ""))
            value = fields.get("value", "")
            tags = fields.get("tags", ())
            if key == "champion" and self._left_with_person(
                sheet.title, number, [names.get(str(value).casefold(), value)], "the champion"
            ):
                continue
            try:
                note = _proposal_field(
                    values, key, str(fields.get("key", "")), value, tags, names, custom
                )
            except BadValue as bad:
                column = getattr(bad, "column", "Value")
                shown = str(value) if column == "Value" else ", ".join(tags)
                self.problems.append(
                    Problem(sheet.title, number, column, shown, bad.problem, bad.accepted)
                )
            else:
                if note:
                    self.report.append(f"{sheet.title} row {number}, {fields['key']}: {note}")
            self._keep_bad_row(sheet.title, "Proposal", number, row, mapping, since)
        unused = values.get("pass_share", 0.5) != 0.5 or values.get("decision_rule")
        if values["thresholds"] and unused:
            self.report.append(
                f"{sheet.title}: the Threshold rows are the rule; Pass share and Decision rule "
                "are kept but not used"
            )
        return Proposal(
            title=str(values.get("title", "")),
            champion=str(values.get("champion", "")),
            pass_share=float(values.get("pass_share", 0.5)),
            parts=tuple(values["parts"]),
            extra=values["extra"],
            decision_rule=str(values.get("decision_rule", "")),
            thresholds=tuple(values["thresholds"]),
            quorum=values.get("quorum"),
            abstentions=str(values.get("abstentions", "")),
            blocking_minority=values.get("blocking_minority"),
            rough=tuple(values["rough"]),
        )

    def _layout(self, found, names: dict[str, str]) -> dict[str, tuple[float, float]]:
        """Network positions by name; positions of people not on the map are reported."""
        sheet, header_row, headers = found
        mapping = self._map_columns("Layout", sheet, header_row, headers, LAYOUT)
        positions: dict[str, tuple[float, float]] = {}
        unknown = 0
        for number, row in self._data_rows("Layout", sheet, header_row):
            since = len(self.problems)
            fields, _ = self._row_fields(sheet.title, number, row, mapping, {})
            if len(self.problems) == since and not {"x", "y"} <= fields.keys():
                self.problems.append(
                    Problem(sheet.title, number, "X" if "x" not in fields else "Y", "",
                            "is empty", "a number")
                )  # fmt: skip
            if self._keep_bad_row(sheet.title, "Layout", number, row, mapping, since):
                continue
            name = names.get(str(fields.get("name", "")).casefold())
            if name is None:
                unknown += 1
            elif not self._left_with_person(sheet.title, number, [name], "the position of"):
                positions[name] = (fields["x"], fields["y"])
        if unknown:
            self.report.append(
                f"Layout: {unknown} position(s) of names not on the Stakeholders sheet skipped"
            )
        self.report.append(f"Layout: {len(positions)} network positions read")
        return positions

    def _engagements(self, found, names: dict[str, str]) -> tuple[Engagement, ...]:
        """The engagement log in sheet order; rows of people not on the map are reported."""
        sheet, header_row, headers = found
        mapping = self._map_columns("Engagements", sheet, header_row, headers, ENGAGEMENTS)
        log: list[Engagement] = []
        unknown = 0
        for number, row in self._data_rows("Engagements", sheet, header_row):
            since = len(self.problems)
            fields, _ = self._row_fields(sheet.title, number, row, mapping, {})
            for col in ENGAGEMENTS.columns:
                if col.required and col.field not in fields and len(self.problems) == since:
                    self.problems.append(
                        Problem(sheet.title, number, col.name, "", "is empty", _ACCEPTED[col.kind])
                    )
            if self._keep_bad_row(sheet.title, "Engagements", number, row, mapping, since):
                continue
            name = names.get(str(fields["name"]).casefold())
            if name is None:
                unknown += 1
            elif not self._left_with_person(sheet.title, number, [name], "the meeting with"):
                fields.pop("unaware", None)
                log.append(Engagement(**{**fields, "name": name}))
        if unknown:
            self.report.append(
                f"Engagements: {unknown} meeting(s) of names not on the Stakeholders sheet skipped"
            )
        self.report.append(f"Engagements: {len(log)} meetings read")
        return tuple(log)


#: What a threshold's Tags may name, as problem messages say it.
_COUNTS_ACCEPTED = "votes, members, or the name of a numeric Stakeholders column"


def _proposal_field(
    values: dict,
    key: str,
    raw_key: str,
    value: object,
    tags: tuple[str, ...],
    names: dict[str, str],
    custom: list[str],
) -> str:
    """One Proposal row into ``values``; returns a report note ("" for none) and raises
    :class:`BadValue` (with ``column`` "Tags" when the tags are at fault)."""
    if key == "title":
        values["title"] = value
    elif key == "champion":
        if value and str(value).casefold() not in names:
            raise BadValue(
                "is not a name on the Stakeholders sheet", "a name from the Stakeholders sheet"
            )
        values["champion"] = names.get(str(value).casefold(), "")
    elif key == "pass share":
        if value != "":
            share, note = parse_share(value)
            values["pass_share"] = float(share)
            return note
    elif key == "decision rule":
        if value == "":
            return ""
        if parse_rule(str(value)) is None:
            raise BadValue(
                "is not a decision rule", "share of votes, majority, unanimity or single decider"
            )
        values["decision_rule"] = parse_rule(str(value))
    elif key in ("threshold", "quorum", "blocking minority"):
        amount, note = parse_threshold(value)
        counts = _counts(tags, custom, "members" if key == "blocking minority" else "votes")
        line = Threshold(amount, counts)
        if key == "threshold":
            values["thresholds"].append(line)
        else:
            values[key.replace(" ", "_")] = line
        return note
    elif key == "abstentions":
        values["abstentions"] = parse_abstentions(value)
    elif key == "rough":
        for item in (*parse_tags(value), *tags):
            values["rough"].append(_counts((item,), custom, "votes", column="Value"))
    elif key == "part":
        values["parts"].append(ProposalPart(str(value), tuple(tags)))
    elif key:
        values["extra"][raw_key] = str(value)
    return ""


def _counts(tags: tuple[str, ...], custom: list[str], default: str, column: str = "Tags") -> str:
    """What a threshold counts, from its Tags: votes, members or a Stakeholders column (its
    spelling as the sheet has it)."""
    if len(tags) > 1:
        bad = BadValue("names more than one thing to count", _COUNTS_ACCEPTED)
        bad.column = column
        raise bad
    if not tags:
        return default
    key = measure_key(tags[0])
    if key in ("votes", "members"):
        return key
    found = next((c for c in custom if c.casefold() == key.casefold()), None)
    if found is None:
        bad = BadValue("is not votes, members or a Stakeholders column", _COUNTS_ACCEPTED)
        bad.column = column
        raise bad
    return found


def _set_field(fields: dict, col: Column, value: object, scales: dict[str, str]) -> None:
    if col.kind == "text":
        fields[col.field] = cell_text(value)
    elif col.kind == "scale":
        fields[col.field] = parse_scale(value, scales.get(col.name, "1-5"))
    elif col.kind == "stance":
        stance, unaware = parse_stance(value, scales.get(col.name, "-2..+2"))
        fields[col.field] = stance
        if col.field == "stance":
            fields["unaware"] = unaware
    elif col.kind == "tags":
        fields[col.field] = parse_tags(value)
    elif col.kind == "choice":
        fields[col.field] = parse_choice(value, col.name)
    elif col.kind == "strength":
        fields[col.field] = parse_strength(value)
    elif col.kind == "votes":
        fields[col.field] = parse_votes(value)
    elif col.kind == "date":
        fields[col.field] = parse_date(value)
    elif col.kind == "outcome":
        fields[col.field] = parse_outcome(value)
    elif col.kind == "step":
        parsed = parse_number(value)
        if parsed is None or parsed[1] or parsed[0] < 1 or parsed[0] != int(parsed[0]):
            raise BadValue("is not a step number", _ACCEPTED["step"])
        fields[col.field] = int(parsed[0])
    elif col.kind == "number":
        parsed = parse_number(value)
        if parsed is None or parsed[1]:
            raise BadValue("is not a number", "a number")
        fields[col.field] = parsed[0]


#: What an Engagements cell accepts, by column kind (for problems).
_ACCEPTED = {
    "text": "a name from the Stakeholders sheet",
    "date": "a date such as 2026-12-02",
    "outcome": ", ".join(OUTCOMES.values()),
    "stance": "Blocker, Critic, Neutral, Supporter or Champion",
    "step": "a whole number from 1",
}


def parse_date(value: object) -> str:
    """A meeting's date as ISO text, from a date cell or text such as 2026-12-02.

    >>> import datetime as dt
    >>> parse_date(dt.datetime(2026, 12, 2)), parse_date(" 2026-12-02 ")
    ('2026-12-02', '2026-12-02')
    """
    text = cell_text(value)
    day = text[:10] if len(text) == 10 or text[10:] == " 00:00:00" else ""
    try:
        return dt.date.fromisoformat(day).isoformat()
    except ValueError:
        raise BadValue("is not a date", _ACCEPTED["date"]) from None


def parse_outcome(value: object) -> str:
    """A meeting's outcome (a key of :data:`stakemap.model.OUTCOMES`) from its words or key.

    >>> parse_outcome("Agreed but passive"), parse_outcome(" WON ")
    ('passive', 'won')
    """
    key = " ".join(cell_text(value).split()).casefold()
    for outcome, words in OUTCOMES.items():
        if key in (outcome, words.casefold()):
            return outcome
    raise BadValue("is not an outcome", _ACCEPTED["outcome"])


def _fit_share(col: Column, values: list[object]) -> float:
    """The share of ``values`` that ``col`` reads without a problem (1.0 for no values)."""
    if not values:
        return 1.0
    scales = {col.name: (infer_scale if col.kind == "scale" else infer_stance_scale)(values)}
    good = 0
    for value in values:
        try:
            _set_field({}, col, value, scales)
        except BadValue:
            continue
        good += 1
    return good / len(values)


def _column_values(rows: list[list], index: int, limit: int = _SAMPLE) -> list[object]:
    """The first ``limit`` filled cells of a column (the sample that tells what it holds)."""
    found = []
    for row in rows:
        if index < len(row) and cell_text(row[index]):
            found.append(row[index])
            if len(found) == limit:
                break
    return found


def _quoted(headers: list[str]) -> str:
    """ "A", "B" or "C" """
    shown = [f'"{h}"' for h in headers]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


def _kumu_tags(rows: list[tuple[int, list]], mapping) -> list[tuple[int, list]]:
    """Kumu separates tags with "|": the Goals cells of an Elements sheet, comma-separated."""
    goals = [i for i, (_, col) in mapping.items() if col is not None and col.name == "Goals"]
    if not goals:
        return rows
    out = []
    for number, row in rows:
        row = list(row)
        for i in goals:
            if i < len(row) and isinstance(row[i], str):
                row[i] = ", ".join(row[i].split("|"))
        out.append((number, row))
    return out


def _match_role(title: str) -> SheetSpec | None:
    """The role a sheet's name gives it: a canonical sheet, the Layout or Engagements sheet."""
    spec = match_sheet(title)
    key = normalise_header(title)
    for named in NAMED_SHEETS if spec is None else ():
        if key == normalise_header(named.name) or key in named.synonyms:
            return named
    return spec


def _fixed(raw: list[RawSheet], fixes: dict[tuple[str, int, int], str]) -> list[RawSheet]:
    """The sheets with the corrected cells put in (rows copied, not changed in place)."""
    if not fixes:
        return raw
    out = []
    for sheet in raw:
        mine = {(r, c): text for (title, r, c), text in fixes.items() if title == sheet.title}
        if not mine:
            out.append(sheet)
            continue
        rows = list(sheet.rows)
        for (number, column), text in mine.items():
            if 1 <= number <= len(rows):
                row = list(rows[number - 1])
                row.extend([""] * (column + 1 - len(row)))
                row[column] = text
                rows[number - 1] = row
        out.append(replace(sheet, rows=rows))
    return out


def spec_column(spec: SheetSpec, name: str) -> Column | None:
    return next((c for c in spec.columns if c.name == name), None)


def _find_header(rows: list[list], spec: SheetSpec, overrides: dict[str, str]) -> int | None:
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


def _first_filled_row(rows: list[list]) -> int | None:
    return next((i for i, row in enumerate(rows) if any(map(cell_text, row))), None)
