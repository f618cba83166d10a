"""Bytes to raw sheets (rows of cell values), refusing hostile or broken files first.

A file is checked before any parser sees it: size, kind (zip, OLE container, text), the sizes
its zip directory declares (a zip bomb is refused without unpacking it), encrypted members, and
XML document type declarations (entity bombs). Reading uses python-calamine; openpyxl is kept as
an alternative engine for comparison (defusedxml guards it).
"""

from __future__ import annotations

import csv
import io
import posixpath
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from stakemap import settings
from stakemap.files import graphfiles
from stakemap.files.sheets import RawSheet, UnreadableFile

__all__ = ["arithmetic", "column_number", "read_workbook"]

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAX_RATIO = 200  # deflate tops out near 1000:1; real workbooks sit well under 100:1
_XML_HEAD = 4096
_SNIFF_CHARS = 4096


def read_workbook(data: bytes, filename: str = "", engine: str = "calamine") -> list[RawSheet]:
    """Read .xlsx, .csv, .graphml or .gexf bytes into raw sheets, or raise
    :class:`UnreadableFile` (graph files: :mod:`stakemap.files.graphfiles`).

    >>> [s.rows for s in read_workbook("Name;Power\\nAna;3\\n".encode(), "a.csv")]
    [[['Name', 'Power'], ['Ana', '3']]]
    """

    if not data:
        raise UnreadableFile("the file is empty")
    if len(data) > settings.MAX_UPLOAD_BYTES:
        raise UnreadableFile(
            f"the file is {len(data):,} bytes, over the limit of {settings.MAX_UPLOAD_BYTES:,}"
        )
    if graphfiles.is_graph_file(data, filename):
        return graphfiles.read_graph(data)
    if data.startswith(_OLE_MAGIC):
        raise UnreadableFile(
            "the workbook is password-protected or in the old .xls format: "
            "save it as .xlsx without a password"
        )
    if data.startswith(_ZIP_MAGIC):
        _check_zip(data)
        _check_declared(data)
        sheets = _read_xlsx(data, engine)
    elif filename.lower().endswith((".xlsx", ".xlsm", ".xls")):
        raise UnreadableFile("the file ends in .xlsx but is not an Excel workbook")
    else:
        sheets = [_read_csv(data, filename)]
    if not any(_filled(cell) for sheet in sheets for row in sheet.rows for cell in row):
        raise UnreadableFile("the file holds no data: every sheet is empty")
    return sheets


def _check_zip(data: bytes) -> None:
    try:
        _check_zip_parts(data)
    except UnreadableFile:
        raise
    except Exception as exc:  # zipfile, zlib, bz2 and lzma each fail in their own way
        raise UnreadableFile(f"the workbook is damaged ({_one_line(exc)})") from None


def _check_zip_parts(data: bytes) -> None:
    archive = zipfile.ZipFile(io.BytesIO(data))
    members = archive.infolist()
    declared = sum(m.file_size for m in members)
    if declared > settings.MAX_UNPACKED_BYTES:
        raise UnreadableFile(
            f"the workbook would unpack to {declared:,} bytes, over the limit of "
            f"{settings.MAX_UNPACKED_BYTES:,} (a zip bomb?)"
        )
    for m in members:
        if m.flag_bits & 0x1:
            raise UnreadableFile("the workbook is encrypted: save it without a password")
        if m.compress_size and m.file_size / m.compress_size > _MAX_RATIO and m.file_size > 1e6:
            raise UnreadableFile(
                f"the part {m.filename} expands {m.file_size // m.compress_size}:1 (a zip bomb?)"
            )
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        raise UnreadableFile("the file is a zip archive but not an Excel workbook")
    for m in members:
        if m.filename.endswith((".xml", ".rels")):
            with archive.open(m) as part:
                head = part.read(_XML_HEAD)
            if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
                raise UnreadableFile(
                    f"the part {m.filename} declares a document type (XML entities are refused)"
                )


# -- sizes the workbook declares ------------------------------------------------------------
# python-calamine sizes a sheet from its cell references and its string table from the count
# the file states, before reading a value: two cells, one at XFD1000000, ask for ~500 GB and a
# uniqueCount of 4e9 for 96 GB, and the Rust allocator aborts the whole process. So the parts
# are scanned first, streamed in chunks, for what they declare.

_CHUNK = 1 << 20
_TAG_CARRY = 1 << 16  # an unfinished tag longer than this is no cell reference calamine reads
_REF = rb"""\$?([A-Za-z]{1,4})?\$?([0-9]{1,12})"""
#: Quick pass: every r="..." attribute (in a worksheet only cells and rows carry one), empty
#: cells included, so it can only overstate; a sheet it finds within the limits is.
_ANY_REF = re.compile(rb"""\sr\s*=\s*["']""" + _REF + rb"""["']""")
#: Exact pass, for a sheet the quick one finds too large: cell and row start tags with their
#: reference, group 4 "/" for an empty (self-closing) one; calamine counts neither empty cells
#: nor rows without a value, so empty rows are taken out first (``_EMPTY_ROW``).
_CELL_OR_ROW = re.compile(
    rb"""<(?:[A-Za-z_][\w.-]*:)?(c|row)\s(?:[^>]*?\s)?r\s*=\s*["']"""
    + _REF
    + rb"""["'][^>]*?(/?)>"""
)
#: A row holding no cell or only empty ones (Excel writes them for formatting): no extent.
_EMPTY_ROW = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?row\s[^>]*?(?:/>|(?<!/)>(?:\s*<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*/>)*"
    rb"\s*</(?:[A-Za-z_][\w.-]*:)?row\s*>)"
)
_ANY_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s>]")
_DIMENSION = re.compile(
    rb"""<(?:[A-Za-z_][\w.-]*:)?dimension\s[^>]*?\bref\s*=\s*["'](?:[^"':]*:)?""" + _REF
)
_COUNT = re.compile(rb"""\b(count|uniqueCount)\s*=\s*["']\s*([0-9]{1,20})""")
_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_DOC_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass
class _Extent:
    """The furthest row and column a sheet part declares, and how many cells it holds."""

    rows: int = 0
    columns: int = 0
    cells: int = 0

    def reach(self, column: bytes | None, row: bytes) -> None:
        self.rows = max(self.rows, int(row))
        if column:
            self.columns = max(self.columns, column_number(column.decode("ascii")))

    def reach_all(self, refs: list[tuple[bytes, bytes]]) -> None:
        if refs:
            columns, rows = zip(*refs, strict=True)
            widest = max(set(columns), key=lambda c: (len(c), c.upper()))
            self.reach(widest, max(set(rows), key=int))

    def within_limits(self) -> bool:
        return (
            self.rows <= settings.MAX_ROWS + 50
            and self.columns <= settings.MAX_COLUMNS
            and self.rows * self.columns <= settings.MAX_CELLS
            and self.cells <= settings.MAX_CELLS
        )


def column_number(letters: str) -> int:
    """Excel's column number of a column's letters.

    >>> column_number("A"), column_number("z"), column_number("XFD")
    (1, 26, 16384)
    """
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _check_declared(data: bytes) -> None:
    """Refuse a sheet or string table larger than the limits, from what the parts declare."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names, strings = _workbook_parts(archive)
        members = set(archive.namelist())
        parts = {n for n in names if n in members} | {
            n for n in members if re.fullmatch(r"xl/worksheets/[^/]+\.xml", n)
        }
        for part in sorted(parts):
            title = names.get(part, part)
            extent = _sheet_extent(archive, part, exact=False)
            if not extent.within_limits():
                extent = _sheet_extent(archive, part, exact=True)
            _check_rows(title, extent.rows, extent.columns)
            if extent.cells > settings.MAX_CELLS:
                raise UnreadableFile(
                    f"sheet {title} has {extent.cells:,} cells, over the limit of "
                    f"{settings.MAX_CELLS:,}"
                )
        for part in strings & members:
            _check_strings(archive, part, max(1, len(parts)))
    except UnreadableFile:
        raise
    except Exception as exc:  # a part too damaged to scan: one line, never a traceback
        raise UnreadableFile(f"the workbook is damaged ({_one_line(exc)})") from None


def _workbook_parts(archive: zipfile.ZipFile) -> tuple[dict[str, str], set[str]]:
    """Worksheet part -> sheet name, and the shared-string parts, as the workbook links them."""
    from defusedxml import ElementTree

    names: dict[str, str] = {}
    strings = {"xl/sharedStrings.xml"}
    try:
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    except (KeyError, ElementTree.ParseError):
        return names, strings
    targets = {}
    for rel in rels.iter(f"{_RELS_NS}Relationship"):
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        targets[rel.get("Id")] = posixpath.normpath(path)
        if rel.get("Type", "").endswith("/sharedStrings"):
            strings.add(targets[rel.get("Id")])
    for sheet in book.iter():
        if sheet.tag.endswith("}sheet") and sheet.get(_DOC_REL) in targets:
            names[targets[sheet.get(_DOC_REL)]] = sheet.get("name", "")
    return names, strings


def _sheet_extent(archive: zipfile.ZipFile, part: str, exact: bool) -> _Extent:
    """The declared dimension and every cell and row reference of a worksheet, streamed."""
    extent = _Extent()
    carry = b""
    first = True
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            buffer = carry + chunk
            if first and (dimension := _DIMENSION.search(buffer[:_TAG_CARRY])):
                extent.reach(*dimension.groups())
            first = False
            end = buffer.rfind(b"<")
            end = len(buffer) if end == -1 or end < len(buffer) - _TAG_CARRY else end
            _scan_refs(buffer[:end], extent, exact)
            carry = buffer[end:]
    _scan_refs(carry, extent, exact)
    return extent


def _scan_refs(text: bytes, extent: _Extent, exact: bool) -> None:
    if exact:
        text = _EMPTY_ROW.sub(b"", text)
        extent.cells += len(_ANY_CELL.findall(text))
        extent.reach_all([(c, r) for _, c, r, empty in _CELL_OR_ROW.findall(text) if not empty])
    else:  # each spelling of a cell start tag counted once, or more: an upper bound
        extent.cells += text.count(b"<c") + text.count(b":c")
        extent.reach_all(_ANY_REF.findall(text))


def _check_strings(archive: zipfile.ZipFile, part: str, sheets: int) -> None:
    """The string table's declared counts: calamine reserves room for uniqueCount up front."""
    with archive.open(part) as stream:
        head = stream.read(_XML_HEAD)
    start = head.find(b"<", head.find(b"sst"))
    counts = {key.decode(): int(value) for key, value in _COUNT.findall(head[:start])}
    limit = settings.MAX_CELLS * sheets
    for key, value in counts.items():
        if value > limit:
            raise UnreadableFile(
                f"the shared strings declare {key} {value:,}, over the limit of {limit:,}"
            )


def _read_xlsx(data: bytes, engine: str) -> list[RawSheet]:
    try:
        sheets = _read_xlsx_openpyxl(data) if engine == "openpyxl" else _read_xlsx_calamine(data)
        _fill_formulas(data, sheets)
        return sheets
    except UnreadableFile:
        raise
    except Exception as exc:  # a parser meeting a damaged part: one line, never a traceback
        raise UnreadableFile(f"the workbook could not be read ({_one_line(exc)})") from None


def _fill_formulas(data: bytes, sheets: list[RawSheet]) -> None:
    """Give formula cells saved without a value (openpyxl and other generators write none;
    Excel and LibreOffice do) the value of their arithmetic, such as ``=2/3``; others stay
    empty."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    names, _ = _workbook_parts(archive)
    by_title = {sheet.title: sheet for sheet in sheets}
    for part, title in names.items():
        sheet = by_title.get(title)
        if sheet is None or part not in archive.namelist():
            continue
        content = archive.read(part)
        if b"<f" not in content:
            continue
        for (row, col), formula in _uncached(content).items():
            value = arithmetic(formula)
            inside = row < len(sheet.rows) and col < len(sheet.rows[row])
            if value is not None and inside and sheet.rows[row][col] in ("", None):
                sheet.rows[row][col] = value


def _uncached(content: bytes) -> dict[tuple[int, int], str]:
    """Zero-based (row, column) -> formula text of the cells with a formula and no value."""
    from defusedxml import ElementTree

    found = {}
    for _, cell in ElementTree.iterparse(io.BytesIO(content)):
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


def _read_xlsx_calamine(data: bytes) -> list[RawSheet]:
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        raise UnreadableFile("the workbook is encrypted: save it without a password") from None
    sheets = []
    for meta in book.sheets_metadata:
        if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
            continue
        sheet = book.get_sheet_by_name(meta.name)
        # rows come from A1 to the last used cell; calamine's total_height is that cell's index
        last_row, last_column = sheet.end or (-1, -1)
        _check_rows(meta.name, last_row + 1, last_column + 1)
        sheets.append(RawSheet(meta.name, sheet.to_python(skip_empty_area=False)))
    return sheets


def _read_xlsx_openpyxl(data: bytes) -> list[RawSheet]:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheets = []
    for ws in book.worksheets:
        _check_rows(ws.title, ws.max_row or 0, ws.max_column or 0)
        rows = [[("" if v is None else v) for v in row] for row in ws.iter_rows(values_only=True)]
        sheets.append(RawSheet(ws.title, rows))
    book.close()
    return sheets


def _filled(cell: object) -> bool:
    return cell is not None and bool(str(cell).strip())


def _one_line(exc: Exception) -> str:
    """An exception's message on one line, cut to a readable length."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:199] + "…"


def _check_rows(title: str, height: int, width: int) -> None:
    if height > settings.MAX_ROWS + 50:
        raise UnreadableFile(
            f"sheet {title} has {height:,} rows, over the limit of {settings.MAX_ROWS:,}"
        )
    if width > settings.MAX_COLUMNS:
        raise UnreadableFile(
            f"sheet {title} has {width:,} columns, over the limit of {settings.MAX_COLUMNS:,}"
        )
    if height * width > settings.MAX_CELLS:
        raise UnreadableFile(
            f"sheet {title} has {height * width:,} cells, over the limit of {settings.MAX_CELLS:,}"
        )


def _read_csv(data: bytes, filename: str) -> RawSheet:
    if b"\x00" in data[:8192]:
        raise UnreadableFile("the file is neither an .xlsx workbook nor a CSV text file")
    text, encoding = _decode(data)
    sample = _sample(text)
    delimiter = _sniff_delimiter(sample)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise UnreadableFile(f"the CSV file could not be read ({_one_line(exc)})") from None
    _check_rows(filename or "CSV", len(rows), max((len(r) for r in rows), default=0))
    label = {",": "comma", ";": "semicolon", "\t": "tab"}[delimiter]
    return RawSheet("Stakeholders", rows, f"CSV read as {encoding}, {label}-separated")


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "UTF-8 with BOM"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "Windows-1252"


def _sample(text: str) -> str:
    """The first lines (at most 20 and _SNIFF_CHARS characters) for the delimiter sniffer,
    which slows quadratically on a long line full of quotes."""
    sample: list[str] = []
    size = 0
    for line in text[: 2 * _SNIFF_CHARS].splitlines()[:20]:
        if sample and size + len(line) > _SNIFF_CHARS:
            break
        sample.append(line[:_SNIFF_CHARS])
        size += len(line) + 1
    return "\n".join(sample)


def _sniff_delimiter(sample: str) -> str:
    """The delimiter that reads ``sample`` as the most regular table: the pattern score of
    van den Burg, Nazabal and Sutton (2019, "Wrangling messy CSV files by detecting row and
    type patterns"), with a row's width as its pattern. Rows are parsed with quotes, so a ";"
    inside a quoted field counts for nothing (the standard library's sniffer took one for the
    delimiter); on a tie the earlier of comma, semicolon, tab.

    >>> _sniff_delimiter('Name,Group\\nAna,";"\\nBen,";;"'), _sniff_delimiter("a;b\\n1,5;2")
    (',', ';')
    """
    scores = {d: _pattern_score(sample, d) for d in (",", ";", "\t")}
    return max(scores, key=scores.get)


def _pattern_score(sample: str, delimiter: str) -> float:
    """Sum over row widths L met N times of N (L - 1) / L, over the number of widths."""
    try:
        widths = Counter(len(r) for r in csv.reader(io.StringIO(sample), delimiter=delimiter))
    except csv.Error:
        return -1.0
    widths.pop(0, None)  # blank lines
    if not widths:
        return 0.0
    return sum(n * (w - 1) / w for w, n in widths.items()) / len(widths)
