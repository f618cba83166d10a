"""Bytes to a StakeholderMap, or a complete list of problems (sheet, row, column, value).

Nothing is dropped silently: the report lists what was mapped, converted and skipped. Row numbers
are the ones Excel (or a text editor, for CSV) shows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from stakemap.decision import parse_rule, parse_votes
from stakemap.model import Proposal, ProposalPart, Relationship, Stakeholder, StakeholderMap
from stakemap.reading import RawSheet, UnreadableFile, read_workbook
from stakemap.schema import (
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
    parse_choice,
    parse_scale,
    parse_share,
    parse_stance,
    parse_strength,
    parse_tags,
)

__all__ = [
    "CUSTOM",
    "IGNORE",
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


@dataclass
class ImportResult:
    map: StakeholderMap | None
    problems: list[Problem]
    report: list[str]
    mappings: list[ColumnMapping]

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        m = self.map or StakeholderMap()
        return f"{len(m.stakeholders)} stakeholders, {len(m.relationships)} relationships"


def import_workbook(
    data: bytes,
    filename: str = "",
    *,
    column_overrides: dict[str, dict[str, str]] | None = None,
    scale_overrides: dict[str, dict[str, str]] | None = None,
    engine: str = "calamine",
) -> ImportResult:
    """Read a workbook or CSV into a map; raises :class:`UnreadableFile` for unsafe input.

    ``column_overrides[sheet][header]`` names the canonical column (or CUSTOM / IGNORE) a header
    should fill; ``scale_overrides[sheet][column]`` forces a scale ("1-5", "1-10", "0-100%").

    >>> r = import_workbook(b"Stakeholder,Influence,Attitude\\nAna,H,supportive\\n", "a.csv")
    >>> r.summary(), r.map.stakeholders[0].power, r.map.stakeholders[0].stance
    ('1 stakeholders, 0 relationships', 5.0, 1)
    """
    raw = read_workbook(data, filename, engine)
    builder = _Builder(column_overrides or {}, scale_overrides or {})
    return builder.build(raw)


class _Builder:
    def __init__(self, columns: dict, scales: dict) -> None:
        self.column_overrides = columns
        self.scale_overrides = scales
        self.problems: list[Problem] = []
        self.report: list[str] = []
        self.mappings: list[ColumnMapping] = []

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
        people, custom = self._stakeholders(people_sheet)
        by_key = {p.name.casefold(): p.name for p in people}
        ties = (
            self._relationships(roles["Relationships"], by_key) if "Relationships" in roles else ()
        )
        proposal = self._proposal(roles["Proposal"], by_key) if "Proposal" in roles else Proposal()
        proposal = self._power_scale(proposal)
        result_map = StakeholderMap(tuple(people), tuple(ties), proposal, tuple(custom))
        return ImportResult(
            None if self.problems else result_map, self.problems, self.report, self.mappings
        )

    def _power_scale(self, proposal: Proposal) -> Proposal:
        """Keep the scale the Power column was written in (``Power scale`` in the proposal), so
        shares and indices use the user's own numbers (:func:`stakemap.decision.user_power`)."""
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
        """
        roles: dict[str, tuple[RawSheet, int, list[str]]] = {}
        named = {id(s): match_sheet(s.title) for s in raw} if len(raw) > 1 else {}
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
        """Column index -> (header, canonical column or None for custom); IGNOREd left out."""
        overrides = self.column_overrides.get(role, {})
        used: set[str] = set()
        mapping: dict[int, tuple[str, Column | None]] = {}
        shown: dict[str, str] = {}
        labels: dict[str, int] = {}
        canonical = {normalise_header(c.name) for c in spec.columns}
        width = max((len(r) for r in sheet.rows), default=0)
        for i in range(width):
            header = headers[i] if i < len(headers) else ""
            if not header:
                if not any(cell_text(r[i]) for r in sheet.rows[header_row + 1 :] if i < len(r)):
                    continue
                header = f"Column {_column_letter(i)}"
            header = self._unique_header(role, header, labels)
            target = overrides.get(header)
            if target == IGNORE:
                shown[header] = IGNORE
                self.report.append(f"{role}: column {header} ignored, as chosen")
                continue
            col = (
                spec_column(spec, target)
                if target and target != CUSTOM
                else None
                if target == CUSTOM
                else match_header(header, spec.columns)
            )
            if col is not None and col.name in used:
                self.report.append(
                    f"{role}: column {header} also matches {col.name}; kept as a custom attribute"
                )
                col = None
            if col is not None:
                used.add(col.name)
                if normalise_header(header) != normalise_header(col.name):
                    self.report.append(f"{role}: column {header} read as {col.name}")
            shown[header] = col.name if col else CUSTOM
            if col is None and normalise_header(header) in canonical:
                # a custom attribute never takes a canonical column's name
                self.report.append(f"{role}: custom attribute {header} named {header} (custom)")
                header = f"{header} (custom)"
            mapping[i] = (header, col)
        self.mappings.append(ColumnMapping(sheet.title, role, header_row + 1, shown))
        return mapping

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

    # stakeholders -----------------------------------------------------------------------

    def _stakeholders(self, found) -> tuple[list[Stakeholder], list[str]]:
        sheet, header_row, headers = found
        mapping = self._map_columns("Stakeholders", sheet, header_row, headers, SHEETS[0])
        if not any(col and col.name == "Name" for _, col in mapping.values()):
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
            return [], []
        rows = self._data_rows("Stakeholders", sheet, header_row)
        scales = self._scales("Stakeholders", sheet.title, mapping, rows)
        custom = [h for h, col in mapping.values() if col is None]
        people: list[Stakeholder] = []
        first_row: dict[str, int] = {}
        for number, row in rows:
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
                continue
            if name.casefold() in first_row:
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
                continue
            first_row[name.casefold()] = number
            people.append(Stakeholder(**fields, custom=extra))
        self.report.append(f"Stakeholders: {len(people)} read from sheet {sheet.title}")
        return people, custom

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
                self._set_field(fields, col, value, scales)
            except BadValue as bad:
                self.problems.append(
                    Problem(title, number, col.name, text, bad.problem, bad.accepted)
                )
        return fields, extra

    @staticmethod
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
        elif col.kind == "number":
            fields[col.field] = parse_votes(value)

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

    # relationships and proposal ---------------------------------------------------------

    def _relationships(self, found, names: dict[str, str]) -> list[Relationship]:
        sheet, header_row, headers = found
        mapping = self._map_columns("Relationships", sheet, header_row, headers, SHEETS[1])
        ties: list[Relationship] = []
        for number, row in self._data_rows("Relationships", sheet, header_row):
            fields, extra = self._row_fields(sheet.title, number, row, mapping, {})
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
            if None in ends:
                continue
            if ends[0] == ends[1]:
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
                continue
            kind = fields.get("kind") or "influences"
            default = -3.0 if kind == "rival" else 3.0
            ties.append(
                Relationship(
                    ends[0],
                    ends[1],
                    fields.get("strength", default),
                    kind,
                    str(fields.get("notes", "")),
                )
            )
        self.report.append(f"Relationships: {len(ties)} read from sheet {sheet.title}")
        return ties

    def _proposal(self, found, names: dict[str, str]) -> Proposal:
        sheet, header_row, headers = found
        mapping = self._map_columns("Proposal", sheet, header_row, headers, SHEETS[2])
        values: dict[str, object] = {"parts": [], "extra": {}}
        for number, row in self._data_rows("Proposal", sheet, header_row):
            fields, _ = self._row_fields(sheet.title, number, row, mapping, {})
            key = normalise_header(fields.get("key", ""))
            value = fields.get("value", "")
            try:
                self._proposal_field(
                    values, key, str(fields.get("key", "")), value, fields.get("tags", ()), names
                )
            except BadValue as bad:
                self.problems.append(
                    Problem(sheet.title, number, "Value", str(value), bad.problem, bad.accepted)
                )
        return Proposal(
            title=str(values.get("title", "")),
            champion=str(values.get("champion", "")),
            pass_share=float(values.get("pass_share", 0.5)),
            parts=tuple(values["parts"]),
            extra=values["extra"],
            decision_rule=str(values.get("decision_rule", "")),
        )

    @staticmethod
    def _proposal_field(
        values: dict, key: str, raw_key: str, value: object, tags, names: dict[str, str]
    ) -> None:
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
                values["pass_share"] = parse_share(value)
        elif key == "decision rule":
            if value == "":
                return
            if parse_rule(str(value)) is None:
                raise BadValue(
                    "is not a decision rule",
                    "share of votes, majority, unanimity or single decider",
                )
            values["decision_rule"] = parse_rule(str(value))
        elif key == "part":
            values["parts"].append(ProposalPart(str(value), tuple(tags)))
        elif key:
            values["extra"][raw_key] = str(value)


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


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
