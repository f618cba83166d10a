"""Bytes to raw sheets (rows of cell values), refusing hostile, broken or unknown files first.

A file is checked before any parser sees it: its size; its kind, by its first bytes (a zip, an
OLE container, text) and its name; what a workbook declares (:mod:`stakemap.files.declared`:
the zip's directory, a sheet's extent, the string table; a zip bomb is refused without
unpacking it); XML document types (entity bombs). Excel (.xlsx, .xlsm, .xls) and LibreOffice
(.ods) workbooks are read with python-calamine (openpyxl is kept as an alternative engine for
.xlsx, for comparison; defusedxml guards it), CSV text and zips of CSV files by
:mod:`stakemap.files.csvfiles`, graph files by :mod:`stakemap.files.graphfiles`. Any other
format is refused in one line that names the ones read (docs/workbook.md, "Formats").
"""

from __future__ import annotations

import io
import json
import posixpath
import re
import zipfile
from collections.abc import Callable
from fractions import Fraction
from typing import TypeVar

from stakemap import settings
from stakemap.files.declared import (
    OLE_MAGIC,
    check_ods,
    check_xlsx,
    encrypted,
    ole_kind,
    workbook_parts,
    zip_kind,
)
from stakemap.files.sheets import RawSheet, UnreadableFile, check_rows, one_line
from stakemap.language import N_
from stakemap.language import gettext as _

__all__ = ["READ_FORMATS", "arithmetic", "is_graph_file", "read_workbook"]

_ZIP_MAGIC = b"PK\x03\x04"
_T = TypeVar("_T")
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
#: What the importer reads, as a refusal says it.
READ_FORMATS = N_(
    "Excel (.xlsx, .xlsm, .xls), LibreOffice (.ods), CSV (.csv, .tsv, .txt, or a .zip of .csv "
    "files), GraphML (.graphml) and GEXF (.gexf)"
)
#: A workbook's ending -> what the file should then be.
_WORKBOOKS = {".xlsx": N_("an Excel workbook"), ".xlsm": N_("an Excel workbook"),
              ".xls": N_("an Excel workbook"), ".ods": N_("a LibreOffice workbook"),
              ".zip": N_("a zip archive")}  # fmt: skip
_TEXT_ENDINGS = ("", ".csv", ".tsv", ".txt")
#: Formats people export networks in that are not read, by ending and by their first words.
_OTHER_ENDINGS = {".json": "JSON", ".dot": "Graphviz DOT", ".gv": "Graphviz DOT", ".gml": "GML",
                  ".net": "Pajek", ".paj": "Pajek"}  # fmt: skip
_OTHER_STARTS = (
    ("Graphviz DOT", re.compile(r"(?:strict\s+)?(?:di)?graph\b[^{\n]*\{", re.IGNORECASE)),
    ("GML", re.compile(r"(?:(?:creator|version|comment)\b[^\n]*\n\s*)*graph\s*\[", re.I)),
    ("Pajek", re.compile(r"\*(?:network|vertices|arcs|edges|arcslist|edgeslist)\b", re.I)),
)


def read_workbook(data: bytes, filename: str = "", engine: str = "calamine") -> list[RawSheet]:
    """Read .xlsx, .xlsm, .xls, .ods, .csv (or a zip of them), .graphml or .gexf bytes into raw
    sheets, or raise :class:`UnreadableFile` (graph files: :mod:`stakemap.files.graphfiles`).

    >>> [s.rows for s in read_workbook("Name;Power\\nAna;3\\n".encode(), "a.csv")]
    [[['Name', 'Power'], ['Ana', '3']]]
    >>> read_workbook(b'{"nodes": []}', "map.json")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    stakemap.files.sheets.UnreadableFile: the file is JSON, not a format Stakemap reads: ...
    """

    if not data:
        raise UnreadableFile(_("the file is empty"))
    if len(data) > settings.MAX_UPLOAD_BYTES:
        raise UnreadableFile(
            _("the file is {n} bytes, over the limit of {limit}").format(
                n=f"{len(data):,}", limit=f"{settings.MAX_UPLOAD_BYTES:,}"
            )
        )
    if is_graph_file(data, filename):
        from stakemap.files.graphfiles import read_graph  # here: most files are workbooks

        return read_graph(data)
    ending = posixpath.splitext(filename.lower())[1]
    if data.startswith(OLE_MAGIC):
        sheets = _read_ole(data)
    elif data.startswith(_ZIP_MAGIC):
        sheets = _read_zip(data, ending, engine)
    elif ending in _WORKBOOKS:
        raise UnreadableFile(_not_what_it_says(ending))
    else:
        from stakemap.files.csvfiles import csv_title, read_csv

        _refuse_other(data, ending)
        sheets = [read_csv(data, csv_title(filename), filename)]
    if not any(_filled(cell) for sheet in sheets for row in sheet.rows for cell in row):
        raise UnreadableFile(_("the file holds no data: every sheet is empty"))
    return sheets


def is_graph_file(data: bytes, filename: str = "") -> bool:
    """Whether the bytes are GraphML or GEXF (by ending, or an XML start naming either).

    >>> is_graph_file(b"", "map.GEXF"), is_graph_file(b'<?xml version="1.0"?><graphml>')
    (True, True)
    >>> is_graph_file(b"Name,Power\\n", "a.csv")
    False
    """
    if filename.lower().endswith((".graphml", ".gexf")):
        return True
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and (b"<graphml" in head or b"<gexf" in head)


def _read_ole(data: bytes) -> list[RawSheet]:
    """An .xls; a password-protected .xlsx or another Office file is refused."""
    kind = ole_kind(data)
    if kind == "encrypted":
        raise UnreadableFile(encrypted())
    if kind != "xls":
        raise UnreadableFile(
            _unread(_("an Office file but not a workbook (a Word or Outlook file?)"))
        )
    return _parsed(lambda: _read_calamine(data))


def _read_zip(data: bytes, ending: str, engine: str) -> list[RawSheet]:
    """An .xlsx, .ods or zip of CSV files, each checked for what it declares first."""
    kind = zip_kind(data)
    if kind == "csv":
        if ending in _WORKBOOKS and ending != ".zip":
            raise UnreadableFile(_not_what_it_says(ending))
        from stakemap.files.csvfiles import read_csv_zip

        return read_csv_zip(data)
    if kind == "ods":
        check_ods(data)
        return _parsed(lambda: _read_calamine(data))
    formulas = check_xlsx(data)
    sheets = _parsed(
        lambda: _read_xlsx_openpyxl(data) if engine == "openpyxl" else _read_calamine(data)
    )
    if formulas:
        _parsed(lambda: _fill_formulas(data, sheets, formulas))
    return sheets


def _parsed(read: Callable[[], _T]) -> _T:
    """``read()``, a parser's failure turned into one line."""
    try:
        return read()
    except UnreadableFile:
        raise
    except Exception as exc:  # a parser meeting a damaged part: one line, never a traceback
        raise UnreadableFile(
            _("the workbook could not be read ({reason})").format(reason=one_line(exc))
        ) from None


def _refuse_other(data: bytes, ending: str) -> None:
    """Refuse text that is not CSV: another format's ending, or JSON, DOT, GML or Pajek by its
    first words."""
    if ending not in _TEXT_ENDINGS:
        kind = _OTHER_ENDINGS.get(ending) or _("a {ending} file").format(ending=ending)
        raise UnreadableFile(_unread(kind))
    head = data[:4096].decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    for kind, start in _OTHER_STARTS:
        if start.match(head):
            raise UnreadableFile(_unread(kind))
    if head[:1] in ("{", "["):
        try:
            json.loads(data)
        except (ValueError, RecursionError):
            return
        raise UnreadableFile(_unread("JSON"))


def _unread(kind: str) -> str:
    return _("the file is {kind}, not a format Stakemap reads: it reads {formats}").format(
        kind=kind, formats=_(READ_FORMATS)
    )


def _not_what_it_says(ending: str) -> str:
    return _("the file ends in {ending} but is not {kind}").format(
        ending=ending, kind=_(_WORKBOOKS[ending])
    )


def _fill_formulas(data: bytes, sheets: list[RawSheet], parts: set[str]) -> None:
    """Give formula cells saved without a value (openpyxl and other generators write none;
    Excel and LibreOffice do) the value of their arithmetic, such as ``=2/3``; others stay
    empty. ``parts``: the sheet parts holding a formula (:func:`check_xlsx`)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    names, _strings = workbook_parts(archive)
    by_title = {sheet.title: sheet for sheet in sheets}
    for part, title in names.items():
        sheet = by_title.get(title)
        if sheet is None or part not in parts:
            continue
        for (row, col), formula in _uncached(archive.read(part)).items():
            value = arithmetic(formula)
            inside = row < len(sheet.rows) and col < len(sheet.rows[row])
            if value is not None and inside and sheet.rows[row][col] in ("", None):
                sheet.rows[row][col] = value


def _uncached(content: bytes) -> dict[tuple[int, int], str]:
    """Zero-based (row, column) -> formula text of the cells with a formula and no value."""
    from defusedxml import ElementTree

    found = {}
    for _event, cell in ElementTree.iterparse(io.BytesIO(content)):
        if cell.tag != f"{_MAIN_NS}c":
            continue
        formula = cell.find(f"{_MAIN_NS}f")
        value = cell.find(f"{_MAIN_NS}v")
        if formula is not None and formula.text and (value is None or not value.text):
            ref = re.fullmatch(r"([A-Z]+)(\d+)", cell.get("r", ""))
            if ref:
                col = sum((ord(c) - 64) * 26**k for k, c in enumerate(reversed(ref[1]))) - 1
                found[int(ref[2]) - 1, col] = formula.text
        cell.clear()
    return found


def arithmetic(formula: str) -> Fraction | None:
    """The exact value of a formula made only of numbers, + - * / and brackets, else None.

    >>> arithmetic("2/3"), arithmetic("=(1+2)*4"), arithmetic("SUM(A1:A3)")
    (Fraction(2, 3), Fraction(12, 1), None)
    """
    import ast

    ops = {ast.Add: Fraction.__add__, ast.Sub: Fraction.__sub__, ast.Mult: Fraction.__mul__,
           ast.Div: Fraction.__truediv__}  # fmt: skip

    def value(node: ast.AST) -> Fraction:
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return Fraction(repr(node.value))
        if isinstance(node, ast.BinOp) and type(node.op) in ops:
            return ops[type(node.op)](value(node.left), value(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            inner = value(node.operand)
            return -inner if isinstance(node.op, ast.USub) else inner
        raise ValueError("not arithmetic")

    text = formula.strip().lstrip("=")
    if len(text) > 200:
        return None
    try:
        return value(ast.parse(text, mode="eval").body)
    except (SyntaxError, ValueError, ZeroDivisionError, RecursionError):
        return None


def _read_calamine(data: bytes) -> list[RawSheet]:
    """Every worksheet of an .xlsx, .ods or .xls (calamine tells them apart by their bytes)."""
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        raise UnreadableFile(encrypted()) from None
    sheets = []
    for meta in book.sheets_metadata:
        if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
            continue
        sheet = book.get_sheet_by_name(meta.name)
        # rows come from A1 to the last used cell; calamine's total_height is that cell's index
        last_row, last_column = sheet.end or (-1, -1)
        check_rows(meta.name, last_row + 1, last_column + 1)
        sheets.append(RawSheet(meta.name, sheet.to_python(skip_empty_area=False)))
    return sheets


def _read_xlsx_openpyxl(data: bytes) -> list[RawSheet]:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheets = []
    for ws in book.worksheets:
        check_rows(ws.title, ws.max_row or 0, ws.max_column or 0)
        rows = [[("" if v is None else v) for v in row] for row in ws.iter_rows(values_only=True)]
        sheets.append(RawSheet(ws.title, rows))
    book.close()
    return sheets


def _filled(cell: object) -> bool:
    return cell is not None and bool(str(cell).strip())
