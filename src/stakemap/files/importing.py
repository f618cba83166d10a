"""Bytes to a StakeholderMap, or a complete list of problems (sheet, row, column, value).

Nothing is dropped silently: the report lists what was mapped, converted and skipped. Row numbers
are the ones Excel (or a text editor, for CSV) shows.
"""

from __future__ import annotations

from dataclasses import replace

from stakemap.files.cells import proposal_field, quoted
from stakemap.files.columns import fit_share
from stakemap.files.kumu import fits, free_values, id_column, kumu_tags, strength_words, told_apart
from stakemap.files.outcome import ImportResult, Problem, column_name, role_name
from stakemap.files.reading import read_workbook
from stakemap.files.sandbox import read_untrusted
from stakemap.files.sheets import RawSheet, clean_sheets
from stakemap.files.sidesheets import SideSheets
from stakemap.language import N_, ngettext
from stakemap.language import gettext as _
from stakemap.model import Proposal, Relationship, Stakeholder, StakeholderMap
from stakemap.schema import SHEETS, normalise_header, proposal_key
from stakemap.values import (
    BadValue,
    cell_text,
    infer_scale,
    infer_stance_scale,
    parse_choice,
    parse_strength,
)

__all__ = ["import_workbook"]

#: Direction words of a relationships sheet (Kumu's Connections sheet has this column).
_MUTUAL_DIRECTIONS = frozenset({"mutual", "undirected", "both", "two way", "bidirectional"})
_DEFAULTS = {"Power": "3", "Interest": "3", "Stance": N_("Neutral")}


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


def _strength_fit(value: object) -> bool:
    """Whether a Strength cell is on the scale: a number, or a word the scale reads."""
    return any(ch.isdigit() for ch in cell_text(value)) or fits(parse_strength)(value)


class _Builder(SideSheets):
    """The map, sheet by sheet: the stakeholders first, then what names them."""

    def __init__(self, columns: dict, scales: dict) -> None:
        super().__init__(columns, scales)
        self.ids: dict[str, str] = {}  # casefolded ID -> name ("" for an ID given twice)
        self.shared: dict[str, list[str]] = {}  # a name several people had -> their new names
        self.by_id = self.piped = 0  # ends matched by ID, To cells naming several people

    def build(self, raw: list[RawSheet]) -> ImportResult:
        roles = self.assign_sheets(raw)
        people_sheet = roles.get("Stakeholders")
        made: list[Stakeholder] | None = None if people_sheet else []
        people, custom, names = self._stakeholders(people_sheet) if people_sheet else ([], [], {})
        ties = (
            self._relationships(roles["Relationships"], names, made)
            if "Relationships" in roles
            else ()
        )
        if made == []:  # no Stakeholders sheet, and no names in the ties either
            self.problems.append(
                Problem(
                    "Stakeholders",
                    None,
                    "Name",
                    "",
                    _("no sheet has a Name column in its first 30 rows"),
                    _("a header such as Name, Stakeholder, Person or Nom"),
                )
            )
            return ImportResult(None, self.problems, self.report, self.mappings)
        if made:
            people = made
            self.report.append(
                _(
                    "Stakeholders: {n} made from the names in sheet {sheet} (there is no "
                    "Stakeholders sheet); Power, Interest and Stance are left at their defaults"
                ).format(n=len(made), sheet=roles["Relationships"][0].title)
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

    def _stakeholders(self, found) -> tuple[list[Stakeholder], list[str], dict[str, str]]:
        """The good people, the custom columns, and every name in the sheet (casefolded ->
        as written), the bad rows' included so that ties to them are not called unknown."""
        sheet, header_row, headers = found
        mapping = self.map_columns("Stakeholders", sheet, header_row, headers, SHEETS[0])
        if not any(col and col.name == "Name" for _n, col in mapping.values()):
            self.fatal = True
            self.problems.append(
                Problem(
                    sheet.title,
                    header_row + 1,
                    "Name",
                    "",
                    _("no column is read as Name"),
                    _(
                        "a header such as Name, Stakeholder, Person or Nom, or a column mapped "
                        "to Name"
                    ),
                )
            )
            return [], [], {}
        rows = self.data_rows("Stakeholders", sheet, header_row)
        if normalise_header(sheet.title) == "elements":
            rows = kumu_tags(rows, mapping)
        rows, self.shared, notes = told_apart(rows, mapping)
        self.report.extend(notes)
        self._ids(rows, mapping)
        scales = self._scales("Stakeholders", sheet.title, mapping, rows)
        custom = [h for h, col in mapping.values() if col is None]
        people: list[Stakeholder] = []
        names: dict[str, str] = {}
        first_row: dict[str, int] = {}
        for number, row in rows:
            since = len(self.problems)
            fields, extra = self.row_fields(sheet.title, number, row, mapping, scales)
            name = fields.get("name", "")
            if not name:
                self.problems.append(
                    Problem(
                        sheet.title,
                        number,
                        "Name",
                        "",
                        _("is empty; every row needs a name"),
                        _("any text"),
                    )
                )
            elif name.casefold() in first_row:
                self.problems.append(
                    Problem(
                        sheet.title,
                        number,
                        "Name",
                        name,
                        _("appears again (first at row {row})").format(
                            row=first_row[name.casefold()]
                        ),
                        _("each name once"),
                    )
                )
            else:
                first_row[name.casefold()] = number
                names[name.casefold()] = name
            if self.keep_bad_row(sheet.title, "Stakeholders", number, row, mapping, since):
                if name and first_row.get(name.casefold()) == number:
                    self.skipped_people[name.casefold()] = number
                continue
            people.append(Stakeholder(**fields, custom=extra))
        self.report.append(
            _("Stakeholders: {n} read from sheet {sheet}").format(n=len(people), sheet=sheet.title)
        )
        if rows:
            self._note_defaults(mapping, rows, scales)
        return people, custom, names

    def _ids(self, rows: list[tuple[int, list]], mapping) -> None:
        """Each name by its ID (casefolded; "" for an ID given twice), when the sheet has an ID
        column: Kumu's connections may name elements by ID."""
        ident = id_column(mapping)
        at = next((i for i, (_h, c) in mapping.items() if c and c.name == "Name"), None)
        if ident is None or at is None:
            return
        for _n, row in rows:
            key = cell_text(row[ident]).casefold() if ident < len(row) else ""
            name = cell_text(row[at]) if at < len(row) else ""
            if key and name:
                self.ids[key] = "" if self.ids.get(key, name) != name else name

    def _note_defaults(self, mapping, rows, scales) -> None:
        """Say which of Power, Interest and Stance no column filled, and which could."""
        mapped = {col.name for _n, col in mapping.values() if col}
        for name, default in _DEFAULTS.items():
            if name in mapped:
                continue
            col = SHEETS[0].column(name)
            could = [
                header
                for i, (header, c) in mapping.items()
                if c is None
                and (values := [r[i] for _n, r in rows if i < len(r) and cell_text(r[i])])
                and fit_share(col, values) == 1
            ]
            shown = column_name(name)
            if could:
                line = _(
                    "{column} was left at its default ({default}) for everyone: no column was "
                    "read as {column}; it could be {could} (choose in the column mapping)."
                ).format(column=shown, default=_(default), could=quoted(could))
            else:
                line = _(
                    "{column} was left at its default ({default}) for everyone: no column was "
                    "read as {column}."
                ).format(column=shown, default=_(default))
            self.defaults.append(line)

    def _scales(self, role: str, title: str, mapping, rows) -> dict[str, str]:
        """Each numeric column's scale: inferred from its values unless overridden."""
        overrides = self.scale_overrides.get(role, {})
        scales: dict[str, str] = {}
        for i, (header, col) in mapping.items():
            if col is None or col.kind not in ("scale", "stance"):
                continue
            # each value once (by type too: True is not 1): the inference asks only any / all
            cells = (row[i] for _n, row in rows if i < len(row))
            values = [v for v in {(type(v), v): v for v in cells}.values() if cell_text(v)]
            infer = infer_scale if col.kind == "scale" else infer_stance_scale
            scales[col.name] = overrides.get(col.name) or infer(values)
            if scales[col.name] != ("1-5" if col.kind == "scale" else "-2..+2"):
                self.report.append(
                    _("{role}: column {header} read as {scale}, rescaled to 1-5").format(
                        role=role_name(role), header=header, scale=scales[col.name]
                    )
                    if col.kind == "scale"
                    else _(
                        "{role}: column {header} read as 1-5 (1 = Blocker, 5 = Champion), "
                        "converted to -2..+2"
                    ).format(role=role_name(role), header=header)
                )
        next(m for m in reversed(self.mappings) if m.role == role).scales = scales
        return scales

    def _relationships(self, found, names: dict[str, str], made: list | None) -> list:
        """The ties; From and To by name or ID, a To of "A|B" one tie to each (Kumu). With
        ``made`` (no Stakeholders sheet), each new name becomes a person put in it."""
        sheet, header_row, headers = found
        mapping = self.map_columns("Relationships", sheet, header_row, headers, SHEETS[1])
        rows, mapping = self._free_text(self.data_rows("Relationships", sheet, header_row), mapping)
        custom = [i for i, (_h, col) in mapping.items() if col is None]
        direction = next((i for i in custom if normalise_header(mapping[i][0]) == "direction"), -1)
        ties: list[Relationship] = []
        self.by_id = self.piped = 0
        for number, row in rows:
            since = len(self.problems)
            fields, extra = self.row_fields(sheet.title, number, row, mapping, {})
            mutual = self._mutual(sheet.title, number, row, direction, extra)
            if extra:
                fields["notes"] = "; ".join(
                    [str(fields.get("notes", ""))] * bool(fields.get("notes"))
                    + [f"{k}: {v}" for k, v in extra.items()]
                )
            source = self._ends(sheet.title, number, "From", fields.get("source", ""), names, made)
            targets = self._ends(sheet.title, number, "To", fields.get("target", ""), names, made)
            for target in targets if source else ():
                if target == source[0]:
                    self.problems.append(
                        Problem(sheet.title, number, "To", target,
                                _("is the same person as From (a self-loop)"),
                                _("two different people"))
                    )  # fmt: skip
            if self.keep_bad_row(sheet.title, "Relationships", number, row, mapping, since):
                continue
            if self.left_with_person(sheet.title, number, [*source, *targets], "tie"):
                continue
            kind = fields.get("kind") or "influences"
            strength = fields.get("strength", -3.0 if kind == "rival" else 3.0)
            for target in targets:
                tie = Relationship(source[0], target, strength, kind, str(fields.get("notes", "")))
                ties.append(tie)
                if mutual and kind not in ("ally", "rival"):  # those two already run both ways
                    ties.append(replace(tie, source=tie.target, target=tie.source))
        self.report.append(
            _("Relationships: {n} read from sheet {sheet}").format(n=len(ties), sheet=sheet.title)
        )
        if self.by_id:
            self.report.append(
                ngettext(
                    "Relationships: {n} From or To cell(s) matched a person by the ID column",
                    "Relationships: {n} From or To cell(s) matched a person by the ID column",
                    self.by_id,
                ).format(n=self.by_id)
            )
        if self.piped:
            self.report.append(
                ngettext(
                    "Relationships: {n} To cell(s) name several people separated by | (as in "
                    "Kumu): one tie to each",
                    "Relationships: {n} To cell(s) name several people separated by | (as in "
                    "Kumu): one tie to each",
                    self.piped,
                ).format(n=self.piped)
            )
        return ties

    def _ends(self, title, number, column, text, names, made) -> list[str]:
        """The people a From or To cell names (several: a To of "A|B"), or [] and a problem."""
        if not text:
            self.problems.append(
                Problem(
                    title,
                    number,
                    column,
                    "",
                    _("is empty"),
                    _("a name from the Stakeholders sheet"),
                )
            )
            return []
        found = self._person(text, names, made)
        if isinstance(found, str):
            return [found]
        if column == "To" and "|" in text:
            parts = [p.strip() for p in text.split("|") if p.strip()]
            each = [self._person(part, names, made) for part in parts]
            if all(isinstance(name, str) for name in each):
                self.piped += 1
                return each
            text, found = next(
                (p, e) for p, e in zip(parts, each, strict=True) if not isinstance(e, str)
            )
        self.problems.append(Problem(title, number, column, text, found.problem, found.accepted))
        return []

    def _person(self, text: str, names: dict[str, str], made: list | None) -> str | BadValue:
        """The person a name or an ID is, or why none is."""
        key = text.casefold()
        name, ident = names.get(key), self.ids.get(key)
        if name is not None and ident and ident != name:
            return BadValue(
                _("is the name of {name} and the ID of {other}").format(name=name, other=ident),
                _("a name or an ID"),
            )
        if name is not None:
            return name
        if ident:
            self.by_id += 1
            return ident
        if ident == "":
            return BadValue(_("is the ID of more than one person"), _("an ID given once"))
        if key in self.shared:
            return BadValue(
                _("names {n} people: {names}").format(
                    n=len(self.shared[key]), names=quoted(self.shared[key])
                ),
                _("one of those names, or an ID"),
            )
        if made is not None:
            names[key] = text
            made.append(Stakeholder(text))
            return text
        return BadValue(
            _("is not a name on the Stakeholders sheet"), _("a name from the Stakeholders sheet")
        )

    def _free_text(self, rows, mapping):
        """Kumu's free connection Types and Strengths: a value that is no relationship kind
        (under a header other than Kind), or a Strength in words off the scale, is kept in the
        tie's notes; Strength words on the scale are said in the report."""
        for i, (header, col) in list(mapping.items()):
            name = col.name if col else ""
            if name == "Kind" and normalise_header(header) != "kind":
                fit = fits(lambda v: parse_choice(v, "Kind"))
            elif name == "Strength":
                fit = _strength_fit
            else:
                continue
            total = sum(1 for _n, r in rows if i < len(r) and cell_text(r[i]))
            rows, mapping, moved = free_values(rows, mapping, name, fit)
            if moved and len(moved) == total and name == "Kind":
                self.report.append(
                    _(
                        "Relationships: column {header} kept in the notes: its values are not "
                        "relationship kinds (such as {example})"
                    ).format(header=header, example=moved[0])
                )
            elif moved and name == "Kind":
                self.report.append(
                    ngettext(
                        "Relationships: column {header}: {n} value(s) not relationship kinds "
                        "kept in the notes (such as {example})",
                        "Relationships: column {header}: {n} value(s) not relationship kinds "
                        "kept in the notes (such as {example})",
                        len(moved),
                    ).format(header=header, n=len(moved), example=moved[0])
                )
            elif moved:
                self.report.append(
                    ngettext(
                        "Relationships: column {header}: {n} value(s) not on the -5..5 scale "
                        "kept in the notes (such as {example}); those ties have the default "
                        "strength",
                        "Relationships: column {header}: {n} value(s) not on the -5..5 scale "
                        "kept in the notes (such as {example}); those ties have the default "
                        "strength",
                        len(moved),
                    ).format(header=header, n=len(moved), example=moved[0])
                )
        strength = next((i for i, (_h, c) in mapping.items() if c and c.name == "Strength"), None)
        if strength is not None and (words := strength_words(rows, strength, parse_strength)):
            self.report.append(
                _("Relationships: Strength words read on the -5..5 scale: {words}").format(
                    words=words
                )
            )
        return rows, mapping

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
                Problem(title, number, "Direction", text, _("is not a direction"),
                        _("directed, mutual or undirected"))
            )  # fmt: skip
        return False

    def _proposal(self, found, names: dict[str, str], custom: list[str]) -> Proposal:
        """The proposal, its parts and its decision rule (docs/workbook.md, "Proposal")."""
        sheet, header_row, headers = found
        mapping = self.map_columns("Proposal", sheet, header_row, headers, SHEETS[2])
        values: dict[str, object] = {"parts": [], "extra": {}, "thresholds": [], "rough": []}
        for number, row in self.data_rows("Proposal", sheet, header_row):
            since = len(self.problems)
            fields, _extra = self.row_fields(sheet.title, number, row, mapping, {})
            key = proposal_key(fields.get("key", ""))
            value = fields.get("value", "")
            tags = fields.get("tags", ())
            if key == "champion" and self.left_with_person(
                sheet.title, number, [names.get(str(value).casefold(), value)], "champion"
            ):
                continue
            try:
                note = proposal_field(
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
                    self.report.append(
                        _("{sheet} row {row}, {key}: {note}").format(
                            sheet=sheet.title, row=number, key=fields["key"], note=note
                        )
                    )
            self.keep_bad_row(sheet.title, "Proposal", number, row, mapping, since)
        unused = values.get("pass_share", 0.5) != 0.5 or values.get("decision_rule")
        if values["thresholds"] and unused:
            self.report.append(
                _(
                    "{sheet}: the Threshold rows are the rule; Pass share and Decision rule are "
                    "kept but not used"
                ).format(sheet=sheet.title)
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
