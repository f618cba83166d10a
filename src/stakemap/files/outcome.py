"""What an import gave: the map or the problems (sheet, row, column, value), the report of what
was mapped, converted and skipped, and the rows kept aside so nothing typed is lost.

Row numbers are the ones Excel (or a text editor, for CSV) shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from stakemap.language import N_, ngettext
from stakemap.language import gettext as _
from stakemap.model import StakeholderMap

__all__ = [
    "CUSTOM",
    "IGNORE",
    "SKIPPED_KEY",
    "BadRow",
    "ColumnMapping",
    "ImportResult",
    "Problem",
    "column_name",
    "counts",
    "place",
    "role_name",
]

#: Mapping targets besides a canonical column name (identifiers; shown with ``_``).
CUSTOM = N_("(custom attribute)")
IGNORE = N_("(ignore)")
#: The proposal key under which "import the good rows" keeps the rows it left out.
SKIPPED_KEY = "Skipped at import"
#: The roles a sheet is read as (identifiers), each as it is shown.
_ROLES = {
    "Stakeholders": N_("Stakeholders"),
    "Relationships": N_("Relationships"),
    "Proposal": N_("Proposal"),
    "Layout": N_("Layout"),
    "Engagements": N_("Engagements"),
}
#: The canonical columns of every sheet (identifiers: a file's headers are read as these), each
#: as it is shown.
_COLUMNS = frozenset(
    {
        N_("Name"), N_("Role"), N_("Group"), N_("Power"), N_("Interest"), N_("Stance"),
        N_("Target stance"), N_("Legitimacy"), N_("Urgency"), N_("Effort"), N_("Goals"),
        N_("Decision role"), N_("Notes"), N_("Votes"), N_("From"), N_("To"), N_("Strength"),
        N_("Kind"), N_("Key"), N_("Value"), N_("Tags"), N_("X"), N_("Y"), N_("Date"),
        N_("Outcome"), N_("Stance before"), N_("Stance after"), N_("Step"), N_("Note"),
        N_("Direction"),
    }
)  # fmt: skip
_SKIPPED_CHARS = 30_000  # an Excel cell holds 32,767 characters


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
        where = place(self.sheet, self.row, column_name(self.column))
        shown = " ".join(self.value.split())
        shown = shown if len(shown) <= 80 else shown[:79] + "…"
        if shown and self.accepted:
            text = _('{where}: "{value}" {problem} (accepted: {accepted})')
        elif shown:
            text = _('{where}: "{value}" {problem}')
        elif self.accepted:
            text = _("{where}: {problem} (accepted: {accepted})")
        else:
            text = _("{where}: {problem}")
        return text.format(where=where, value=shown, problem=self.message, accepted=self.accepted)


def place(sheet: str, row: int | None, column: str = "") -> str:
    """Where a cell is: the sheet, its row (Excel's number) and its column, each if known.

    >>> place("People", 7, "Power"), place("People", None)
    ('People row 7, column Power', 'People')
    """
    if row and column:
        return _("{sheet} row {row}, column {column}").format(sheet=sheet, row=row, column=column)
    if row:
        return _("{sheet} row {row}").format(sheet=sheet, row=row)
    if column:
        return _("{sheet}, column {column}").format(sheet=sheet, column=column)
    return sheet


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
        cells = "; ".join(f"{h} = {t}" for _i, h, t in self.cells if t)
        return _("{sheet} row {row}: {cells}").format(sheet=self.sheet, row=self.row, cells=cells)


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
        return counts(m)

    def banner(self) -> str:
        """The headline the import panel shows above its buttons (``defaults`` go below it).

        >>> from stakemap.files.importing import import_workbook
        >>> r = import_workbook(b"Name,Power,Stance\\nAna,4,for\\n", "a.csv")
        >>> r.banner(), r.defaults
        ('Ready: 1 stakeholders, 0 relationships.', \
['Interest was left at its default (3) for everyone: no column was read as Interest.'])
        """
        if self.problems and self.partial is None:
            n = len(self.problems)
            return ngettext(
                "{n} problem(s): fix them in the file (or the column mapping) and upload again. "
                "Nothing has been imported yet.",
                "{n} problem(s): fix them in the file (or the column mapping) and upload again. "
                "Nothing has been imported yet.",
                n,
            ).format(n=n)
        if self.problems:
            good, n = self.partial, len(self.bad_rows)
            return ngettext(
                "{n} row(s) have problems; the other rows are good ({counts}). Import the good "
                "rows (the others are listed and kept with the map), or correct the cells below "
                "and nothing needs retyping.",
                "{n} row(s) have problems; the other rows are good ({counts}). Import the good "
                "rows (the others are listed and kept with the map), or correct the cells below "
                "and nothing needs retyping.",
                n,
            ).format(n=n, counts=counts(good))
        return _("Ready: {counts}.").format(counts=self.summary())

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

        >>> from stakemap.files.importing import import_workbook
        >>> r = import_workbook(b"Name,Power\\nAna,4\\nBen,huge\\n", "a.csv")
        >>> m = r.good_rows()
        >>> m.names, m.proposal.extra[SKIPPED_KEY].splitlines()[0]
        (['Ana'], 'Stakeholders row 3: Name = Ben; Power = huge')
        """
        if self.partial is None:
            raise ValueError("no good rows to import: the file's problems are not in its rows")
        extra = {**self.partial.proposal.extra, SKIPPED_KEY: self.skipped_text()}
        return replace(self.partial, proposal=replace(self.partial.proposal, extra=extra))


def column_name(column: str) -> str:
    """A canonical column's name in the language in force; any other header as it is.

    >>> column_name("Power"), column_name("Budget")
    ('Power', 'Budget')
    """
    return _(column) if column in _COLUMNS else column


def role_name(role: str) -> str:
    """The role a sheet is read as, in the language in force (a role not known: as is).

    >>> role_name("Stakeholders")
    'Stakeholders'
    """
    return _(_ROLES[role]) if role in _ROLES else role


def counts(m: StakeholderMap) -> str:
    """How many stakeholders and relationships ``m`` has, as the import's headlines say it.

    >>> counts(StakeholderMap())
    '0 stakeholders, 0 relationships'
    """
    return _("{people} stakeholders, {ties} relationships").format(
        people=len(m.stakeholders), ties=len(m.relationships)
    )
