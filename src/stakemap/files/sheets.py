"""Raw sheets: the rows of cells every reader gives the importer, the refusal of a file that
cannot be read (over the limits, or damaged: one line), and the cleaning every sheet gets
before it is read (docs/workbook.md)."""

from __future__ import annotations

from dataclasses import dataclass

from stakemap import settings
from stakemap.language import gettext as _
from stakemap.language import ngettext
from stakemap.values import clean_text

__all__ = [
    "RawSheet",
    "UnreadableFile",
    "check_rows",
    "clean_sheets",
    "column_letter",
    "one_line",
    "too_many_cells",
]

_CLEANED_SHOWN = 20  # report lines naming a cleaned cell; the rest are counted


class UnreadableFile(Exception):
    """The file is not a spreadsheet we can read safely; the message is one line for the user."""


def one_line(exc: Exception) -> str:
    """An exception's message on one line, cut to a readable length.

    >>> one_line(ValueError("bad\\n  zip"))
    'bad zip'
    """
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:199] + "…"


def check_rows(title: str, height: int, width: int) -> None:
    """Refuse a sheet of more rows, columns or cells than the limits (``settings``).

    >>> check_rows("People", 10, 2000)
    Traceback (most recent call last):
    stakemap.files.sheets.UnreadableFile: sheet People has 2,000 columns, over the limit of 1,000
    """
    if height > settings.MAX_ROWS + 50:
        raise UnreadableFile(
            _("sheet {title} has {n} rows, over the limit of {limit}").format(
                title=title, n=f"{height:,}", limit=f"{settings.MAX_ROWS:,}"
            )
        )
    if width > settings.MAX_COLUMNS:
        raise UnreadableFile(
            _("sheet {title} has {n} columns, over the limit of {limit}").format(
                title=title, n=f"{width:,}", limit=f"{settings.MAX_COLUMNS:,}"
            )
        )
    if height * width > settings.MAX_CELLS:
        raise UnreadableFile(too_many_cells(title, height * width))


def too_many_cells(title: str, cells: int) -> str:
    """The refusal of a sheet of more cells than ``settings.MAX_CELLS``."""
    return _("sheet {title} has {n} cells, over the limit of {limit}").format(
        title=title, n=f"{cells:,}", limit=f"{settings.MAX_CELLS:,}"
    )


@dataclass
class RawSheet:
    """A sheet's cells as the file holds them; ``rows[i]`` is Excel row ``i + 1``."""

    title: str
    rows: list[list[object]]
    note: str = ""


def clean_sheets(sheets: list[RawSheet]) -> list[str]:
    r"""Remove, in place, the characters no workbook can carry from sheet names and text cells
    (:func:`~stakemap.values.clean_text`); one report line per place cleaned.

    Stripping rather than refusing: such characters come from copy-paste and old exports, carry
    no meaning, and would otherwise break the export (lxml refuses them) or come back different.

    >>> sheet = RawSheet("People\x07", [["Name"], ["Ana\x1b"]])
    >>> for line in clean_sheets([sheet]): print(line)
    Sheet People: name cleaned (control characters, line breaks or a repeated name)
    People row 2, column A: control characters removed, leaving "Ana"
    >>> sheet.title, sheet.rows
    ('People', [['Name'], ['Ana']])
    """
    notes: list[str] = []
    count = 0
    taken: set[str] = set()
    for number, sheet in enumerate(sheets, start=1):
        # line breaks too: a sheet's name starts every problem line
        title = " ".join(clean_text(sheet.title).split())
        if not title or title.casefold() in taken:
            title = next(
                t
                for n in range(number, number + len(sheets) + 1)
                if (t := f"Sheet{n}").casefold() not in taken
            )
        taken.add(title.casefold())
        if title != sheet.title:
            notes.append(
                _(
                    "Sheet {title}: name cleaned (control characters, line breaks or a repeated "
                    "name)"
                ).format(title=title)
            )
            sheet.title = title
        for r, row in enumerate(sheet.rows):
            for c, cell in enumerate(row):
                if type(cell) is not str or cell.isprintable():
                    continue  # the quick test: most cells are numbers or printable text
                if (new := clean_text(cell)) != cell:
                    row[c] = new
                    count += 1
                    if count <= _CLEANED_SHOWN:
                        shown = " ".join(new.split())[:60]
                        notes.append(
                            _(
                                "{title} row {row}, column {column}: control characters removed, "
                                'leaving "{text}"'
                            ).format(title=title, row=r + 1, column=column_letter(c), text=shown)
                        )
    if count > _CLEANED_SHOWN:
        more = count - _CLEANED_SHOWN
        notes.append(
            ngettext(
                "control characters removed from {n} more cells",
                "control characters removed from {n} more cells",
                more,
            ).format(n=more)
        )
    return notes


def column_letter(index: int) -> str:
    """Excel's letters for the 0-based column ``index``.

    >>> column_letter(0), column_letter(26), column_letter(16383)
    ('A', 'AA', 'XFD')
    """
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
