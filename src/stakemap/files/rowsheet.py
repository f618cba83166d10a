"""A worksheet written a whole row at a time (:class:`RowSheet`), for the workbook's writer
(:mod:`stakemap.files.exporting`).

XlsxWriter spends some 15 µs on a cell: a call through its A1-notation decorator, a bounds
check, a named tuple in its row table, then the cell's XML element built from a list of
attributes and written to its temporary file in four writes. A workbook of 2,000 people holds
some 90,000 cells: 1.3 s of the 1.5 s the workbook took. :meth:`RowSheet.write_rows` writes
the same XML, a row as one string, to the same temporary file in about a tenth of the time.

The cells are XlsxWriter's, byte for byte, but for two differences. XlsxWriter writes a text
that starts with ``<r>`` and ends with ``</r>`` as raw rich-text XML, so such a note made the
file unreadable (``<r>a & b</r>``) or came back without its tags; here every text is escaped.
And a format is numbered when its first cell is written, where XlsxWriter numbered it when
that cell's row went to disk (a sheet's last row at the end): the same formats, listed in
styles.xml in another order at times. What XlsxWriter does, and this does the same way:

- text: at most 32,767 UTF-16 units; ``_xHHHH_`` written ``_x005F_xHHHH_`` and each control
  character as ``_xHHHH_`` (Excel's escapes); ``xml:space="preserve"`` when it starts or ends
  with white space; ``&``, ``<`` and ``>`` escaped; written as an inline string
  (``t="inlineStr"``), as XlsxWriter does in constant-memory mode;
- a number with 16 significant digits (``.16G``), a boolean as ``t="b"`` 1 or 0;
- a cell's format as its XF index (``s``), the empty text with a format as a blank cell;
- the sheet's dimension from the cells written.

It relies on XlsxWriter's internals, pinned with it (requirements.txt): the sheet's row file in
constant-memory mode (``fh``), its row table and last row (``table``, ``previous_row``),
``_check_dimensions`` and ``Format._get_xf_index``. The round-trip tests and
``tests/test_export_cells.py`` fail if a new XlsxWriter moves them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from stakemap.values import clean_text

if TYPE_CHECKING:
    from xlsxwriter.format import Format

__all__ = ["RowSheet", "Styled", "cell_xml"]

_ESCAPES = re.compile(r"(_x[0-9a-fA-F]{4}_)")  # a literal escape, itself escaped
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f]")
_STRMAX = 32767  # Excel's longest text, in UTF-16 units
_FLUSH = 512  # rows joined into one write
_SPECIAL = re.compile(r"[&<>]|_x")  # what plain text may not hold
_LAST_COLUMN = 16383


@dataclass(frozen=True, slots=True)
class Styled:
    """A cell's value with its own format (None: no format), where a row's other cells have
    the row's."""

    value: object
    style: Format | None


def _utf16_cut(text: str) -> str:
    """``text`` cut to :data:`_STRMAX` UTF-16 units, never within a character above U+FFFF
    (what XlsxWriter writes of a longer text)."""
    length = 0
    for index, char in enumerate(text):
        length += 2 if ord(char) > 0xFFFF else 1
        if length > _STRMAX:
            return text[:index]
    return text


def _inline(text: str, attributes: str) -> str:
    """A non-empty text's cell element (``attributes``: its reference and format)."""
    if len(text) > _STRMAX // 2 and len(text.encode("utf-16-le")) // 2 > _STRMAX:
        text = _utf16_cut(text)
    if "_x" in text:
        text = _ESCAPES.sub(r"_x005F\1", text)
    if not text.isprintable():
        text = _CONTROLS.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
        text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<c{attributes} t="inlineStr"><is><t{space}>{text}</t></is></c>'


def cell_xml(value: object, attributes: str) -> str:
    """One cell's XML element (``attributes``: ``r="B7"`` and any ``s="3"``, with a leading
    space), or "" for no cell: text without the characters a workbook cannot carry
    (:func:`~stakemap.values.clean_text`; the empty text is no cell, or a blank one when
    formatted), a finite number, a boolean; None, NaN and infinities are no cell; any other
    value is written as its text.

    >>> cell_xml("a < b", ' r="A1"'), cell_xml(2.5, ' r="B1"'), cell_xml(float("nan"), ' r="C1"')
    ('<c r="A1" t="inlineStr"><is><t>a &lt; b</t></is></c>', '<c r="B1"><v>2.5</v></c>', '')
    """
    kind = type(value)
    if kind is str or isinstance(value, str):
        text = value if value.isprintable() else clean_text(value)
        if text:
            return _inline(text, attributes)
        return f"<c{attributes}/>" if ' s="' in attributes else ""
    if kind is bool:
        return f'<c{attributes} t="b"><v>{int(value)}</v></c>'
    if kind is int or kind is float or isinstance(value, int | float):
        return f"<c{attributes}><v>{value:.16G}</v></c>" if math.isfinite(value) else ""
    if value is None:
        return ""
    return cell_xml(str(value), attributes)


class RowSheet(Worksheet):
    """A worksheet whose cells come a row at a time (:meth:`write_rows`), in a workbook made in
    constant-memory mode. Rows go down the sheet; XlsxWriter's own ``write`` methods may still
    add cells below the last row written here."""

    def __init__(self) -> None:
        super().__init__()
        self._next_row = 0
        self._styles: dict[int, tuple[Format, str]] = {}
        self._letters: list[str] = []

    def _style(self, style: Format | None) -> str:
        """The format's attribute, its XF index taken now, as XlsxWriter takes it when it
        writes a cell (styles.xml lists the formats that have one)."""
        if style is None:
            return ""
        key = id(style)  # the format is kept with its attribute, so its id is not reused
        if key not in self._styles:
            self._styles[key] = (style, f' s="{style._get_xf_index()}"')
        return self._styles[key][1]

    def write_rows(
        self, rows: Iterable[Sequence[object]], style: Format | None = None, row: int = -1
    ) -> None:
        """Write ``rows`` from sheet row ``row`` (zero-based; -1: the row after the last one
        written), a value a cell (:func:`cell_xml`), left to right from column A; a cell is in
        ``style`` unless it is :class:`Styled`. A row of no cell is left out of the file."""
        if not self.constant_memory or self.table:
            raise ValueError("RowSheet writes rows in constant-memory mode, before any cell")
        if 0 <= row < self._next_row:
            raise ValueError(f"row {row + 1} is above rows written already")
        number = self._next_row if row < 0 else row
        plain = self._style(style)
        letters = self._letters
        low, high, first, last = _LAST_COLUMN, -1, 0, 0
        out: list[str] = []
        for values in rows:
            number += 1  # Excel's row number
            if len(values) > len(letters):
                letters += [xl_col_to_name(c) for c in range(len(letters), len(values))]
            cells: list[str] = []
            row_low = row_high = 0
            for col, value in enumerate(values):
                attributes = plain
                kind = type(value)
                if kind is Styled:
                    attributes = self._style(value.style)
                    value = value.value
                    kind = type(value)
                if (
                    kind is str
                    and value.isprintable()
                    and value[:1] not in ("", " ")
                    and value[-1] != " "
                    and len(value) <= _STRMAX // 2
                    and not _SPECIAL.search(value)
                ):  # most cells: plain text
                    xml = (
                        f'<c r="{letters[col]}{number}"{attributes} t="inlineStr">'
                        f"<is><t>{value}</t></is></c>"
                    )
                elif kind is int or kind is float:
                    if value - value != 0:  # NaN or infinite: no cell
                        continue
                    xml = f'<c r="{letters[col]}{number}"{attributes}><v>{value:.16G}</v></c>'
                elif value is None:
                    continue
                else:
                    xml = cell_xml(value, f' r="{letters[col]}{number}"{attributes}')
                if xml:
                    if not cells:
                        row_low = col
                    row_high = col
                    cells.append(xml)
            if cells:
                out.append(f'<row r="{number}">{"".join(cells)}</row>')
                if row_low < low:
                    low = row_low
                if row_high > high:
                    high = row_high
                first, last = first or number, number
                if len(out) >= _FLUSH:
                    self.fh.write("".join(out))
                    out.clear()
        self.fh.write("".join(out))
        self._next_row = number
        if last:
            self._check_dimensions(first - 1, low)
            self._check_dimensions(last - 1, high)
            self.previous_row = last - 1  # XlsxWriter's own writes go below
