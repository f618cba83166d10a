"""What a workbook declares, checked before any parser sees it (docs/pitfalls.md,
"Spreadsheets"): the zip's own directory (sizes, ratios, encrypted members, XML document types),
an .xlsx's cell references and string table, an .ods's rows and cells with their repeats, an
.xls's container.

python-calamine sizes a sheet from what the file declares before reading a value, so a small
hostile file can ask for hundreds of gigabytes; these checks refuse it first, with one line.
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass

from stakemap import settings
from stakemap.files.sheets import UnreadableFile, check_rows, one_line, too_many_cells
from stakemap.language import gettext as _

__all__ = [
    "OLE_MAGIC",
    "check_ods",
    "check_xlsx",
    "column_number",
    "csv_members",
    "damaged",
    "encrypted",
    "ole_kind",
    "workbook_parts",
    "zip_kind",
]

_MAX_RATIO = 200  # deflate tops out near 1000:1; real workbooks sit well under 100:1
_XML_HEAD = 4096
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
#: What a zip of CSV files may hold besides them: folders and the Finder's shadow files.
_CSV_ENDINGS = (".csv", ".tsv")


def encrypted() -> str:
    """The refusal of a password-protected workbook."""
    return _("the workbook is encrypted: save it without a password")


def damaged(reason: str) -> str:
    """The refusal of a workbook too damaged to scan, with the reader's one-line reason."""
    return _("the workbook is damaged ({reason})").format(reason=reason)


def zip_kind(data: bytes) -> str:
    """ "xlsx", "ods" or "csv" (a zip of CSV files) for a zip whose directory is safe to unpack:
    declared sizes and ratios within the limits, no encrypted member, no XML document type;
    else :class:`UnreadableFile`."""
    try:
        return _zip_kind(zipfile.ZipFile(io.BytesIO(data)))
    except UnreadableFile:
        raise
    except Exception as exc:  # zipfile, zlib, bz2 and lzma each fail in their own way
        raise UnreadableFile(damaged(one_line(exc))) from None


def _zip_kind(archive: zipfile.ZipFile) -> str:
    members = archive.infolist()
    declared = sum(m.file_size for m in members)
    if declared > settings.MAX_UNPACKED_BYTES:
        raise UnreadableFile(
            _(
                "the workbook would unpack to {n} bytes, over the limit of {limit} (a zip bomb?)"
            ).format(n=f"{declared:,}", limit=f"{settings.MAX_UNPACKED_BYTES:,}")
        )
    for m in members:
        if m.flag_bits & 0x1:
            raise UnreadableFile(encrypted())
        if m.compress_size and m.file_size / m.compress_size > _MAX_RATIO and m.file_size > 1e6:
            raise UnreadableFile(
                _("the part {part} expands {ratio}:1 (a zip bomb?)").format(
                    part=m.filename, ratio=m.file_size // m.compress_size
                )
            )
    names = {m.filename for m in members}
    for m in members:
        if m.filename.endswith((".xml", ".rels")):
            with archive.open(m) as part:
                head = part.read(_XML_HEAD)
            if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
                raise UnreadableFile(
                    _("the part {part} declares a document type (XML entities are refused)").format(
                        part=m.filename
                    )
                )
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "content.xml" in names and "mimetype" in names:
        if archive.read("mimetype").strip() != _ODS_MIME:
            raise UnreadableFile(
                _("the file is an OpenDocument file but not a spreadsheet (a text document?)")
            )
        manifest = "META-INF/manifest.xml"
        if manifest not in names:  # calamine finds an .ods by its manifest
            raise UnreadableFile(
                _("the workbook is damaged (it has no {part})").format(part=manifest)
            )
        if b"encryption-data" in archive.read(manifest):
            raise UnreadableFile(encrypted())
        return "ods"
    files = csv_members(archive)
    if files and all(n.lower().endswith(_CSV_ENDINGS) for n in files):
        return "csv"
    raise UnreadableFile(
        _(
            "the file is a zip archive but not an Excel or LibreOffice workbook, nor a zip of "
            "CSV files"
        )
    )


def csv_members(archive: zipfile.ZipFile) -> list[str]:
    """The files of a zip, in its order, less folders and the shadow files macOS adds to the
    zips it makes (``__MACOSX/``, ``._Name.csv``)."""
    return [
        info.filename
        for info in archive.infolist()
        if not info.is_dir()
        and not info.filename.startswith("__MACOSX/")
        and not posixpath.basename(info.filename).startswith("._")
    ]


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
#: A formula element: ``<f>``, ``<f t="shared" .../>``, not a data validation's ``<formula1>``;
#: and ``<x:f>`` (any ``:f>`` counts: a false alarm only costs the formula pass a look). Two
#: patterns that start with their literal text: the engine scans for those quickly, ~20x faster
#: than one pattern with an optional prefix.
_FORMULA_TAGS = (re.compile(rb"<f[\s/>]"), re.compile(rb":f[\s/>]"))
_DIMENSION = re.compile(
    rb"""<(?:[A-Za-z_][\w.-]*:)?dimension\s[^>]*?\bref\s*=\s*["'](?:[^"':]*:)?""" + _REF
)
_COUNT = re.compile(rb"""\b(count|uniqueCount)\s*=\s*["']\s*([0-9]{1,20})""")
_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DOC_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass
class _Extent:
    """The furthest row and column a sheet part declares, how many cells it holds, and
    whether it holds a formula."""

    rows: int = 0
    columns: int = 0
    cells: int = 0
    formulas: bool = False

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


def check_xlsx(data: bytes) -> set[str]:
    """Refuse an .xlsx sheet or string table larger than the limits, from what its parts
    declare; else the sheet parts holding a formula (found on the way, so that no one reads
    the parts again to look for them)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names, strings = workbook_parts(archive)
        members = set(archive.namelist())
        parts = {n for n in names if n in members} | {
            n for n in members if re.fullmatch(r"xl/worksheets/[^/]+\.xml", n)
        }
        formulas = set()
        for part in sorted(parts):
            title = names.get(part, part)
            extent = _sheet_extent(archive, part, exact=False)
            if extent.formulas:
                formulas.add(part)
            if not extent.within_limits():
                extent = _sheet_extent(archive, part, exact=True)
            check_rows(title, extent.rows, extent.columns)
            if extent.cells > settings.MAX_CELLS:
                raise UnreadableFile(too_many_cells(title, extent.cells))
        for part in strings & members:
            _check_strings(archive, part, max(1, len(parts)))
        return formulas
    except UnreadableFile:
        raise
    except Exception as exc:  # a part too damaged to scan: one line, never a traceback
        raise UnreadableFile(damaged(one_line(exc))) from None


def workbook_parts(archive: zipfile.ZipFile) -> tuple[dict[str, str], set[str]]:
    """Worksheet part -> sheet name, and the shared-string parts, as an .xlsx links them."""
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
    for number, text in enumerate(_pieces(archive, part)):
        if number == 0 and (dimension := _DIMENSION.search(text[:_TAG_CARRY])):
            extent.reach(*dimension.groups())
        _scan_refs(text, extent, exact)
        extent.formulas = extent.formulas or any(tag.search(text) for tag in _FORMULA_TAGS)
    return extent


def _pieces(archive: zipfile.ZipFile, part: str):
    """A part's bytes in chunks of about a MiB, each cut before its last unfinished tag (the
    tag starts the next one), so that no tag is split between two."""
    carry = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            buffer = carry + chunk
            end = buffer.rfind(b"<")
            end = len(buffer) if end == -1 or end < len(buffer) - _TAG_CARRY else end
            yield buffer[:end]
            carry = buffer[end:]
    yield carry


def _scan_refs(text: bytes, extent: _Extent, exact: bool) -> None:
    if exact:
        text = _EMPTY_ROW.sub(b"", text)
        extent.cells += len(_ANY_CELL.findall(text))
        extent.reach_all([(c, r) for _tag, c, r, empty in _CELL_OR_ROW.findall(text) if not empty])
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
                _("the shared strings declare {key} {n}, over the limit of {limit}").format(
                    key=key, n=f"{value:,}", limit=f"{limit:,}"
                )
            )


# -- OpenDocument spreadsheets --------------------------------------------------------------
# calamine reads content.xml's rows and cells by their "table:" names and expands a repeated
# row or cell that holds a value as many times as it says (up to 1,048,576 rows by 16,384
# columns); LibreOffice writes a sheet's empty tail as one row repeated a million times.

_ODS_TAG = re.compile(
    rb"<(/?)table:(table-row|table-cell|covered-table-cell|table)"
    rb"""((?:\s(?:[^>"']|"[^"]*"|'[^']*')*)?)>"""
)
_ODS_REPEAT = re.compile(
    rb"""\stable:number-(?:rows|columns)-repeated\s*=\s*["']\s*([0-9]{1,20})"""
)
_ODS_VALUE = re.compile(rb"\soffice:value-type\s*=")
_ODS_NAME = re.compile(rb"""\stable:name\s*=\s*(?:"([^"]*)"|'([^']*)')""")


@dataclass
class _Table:
    """One sheet of an .ods as it is scanned: rows so far (repeats counted), the rows up to the
    last one holding a value, the widest such row, its cells; and the row being read."""

    title: str = ""
    rows: int = 0
    used: int = 0
    width: int = 0
    cells: int = 0
    repeat: int = 1
    column: int = 0
    filled_to: int = 0

    def end_row(self) -> None:
        self.rows += self.repeat
        if self.filled_to:
            self.used = self.rows
            self.width = max(self.width, self.filled_to)
            self.cells += self.filled_to * self.repeat
        self.repeat, self.column, self.filled_to = 1, 0, 0

    def check(self) -> None:
        check_rows(self.title, self.used, self.width)
        if self.cells > settings.MAX_CELLS:
            raise UnreadableFile(too_many_cells(self.title, self.cells))


def check_ods(data: bytes) -> None:
    """Refuse an .ods sheet larger than the limits, from the rows and cells its content.xml
    declares with their repeats: an empty row or cell repeated counts for nothing, one holding
    a value counts each time (calamine expands it).

    >>> out = io.BytesIO()
    >>> with zipfile.ZipFile(out, "w") as ods:
    ...     ods.writestr("content.xml", '<table:table table:name="S"><table:table-row table:'
    ...                  'number-rows-repeated="999999"><table:table-cell office:value-type='
    ...                  '"float"/></table:table-row></table:table>')
    >>> check_ods(out.getvalue())
    Traceback (most recent call last):
    stakemap.files.sheets.UnreadableFile: sheet S has 999,999 rows, over the limit of 100,000
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        table = _Table()
        for text in _pieces(archive, "content.xml"):
            for closing, tag, attributes in _ODS_TAG.findall(text):
                table = _ods_tag(table, closing == b"/", tag, attributes)
    except UnreadableFile:
        raise
    except Exception as exc:  # a part too damaged to scan: one line, never a traceback
        raise UnreadableFile(damaged(one_line(exc))) from None


def _ods_tag(table: _Table, closing: bool, tag: bytes, attributes: bytes) -> _Table:
    """The sheet after one of its tags (a new one at a sheet's start)."""
    alone = attributes.rstrip().endswith(b"/")  # <x/>: opens and closes
    if tag == b"table":
        if closing:
            table.check()
        elif not alone:
            name = _ODS_NAME.search(attributes)
            title = (name[1] or name[2] or b"").decode("utf-8", "replace") if name else ""
            return _Table(html.unescape(title))
    elif tag == b"table-row":
        if not closing:
            table.repeat = _repeat(attributes)
        if closing or alone:
            table.end_row()
    elif not closing:  # a cell: filled if it says its value's type or holds anything
        table.column += _repeat(attributes)
        if not alone or _ODS_VALUE.search(attributes):
            table.filled_to = table.column
    return table


def _repeat(attributes: bytes) -> int:
    found = _ODS_REPEAT.search(attributes)
    return max(1, int(found[1])) if found else 1


# -- Excel 97-2003 (.xls) ---------------------------------------------------------------------
# An .xls is a stream "Workbook" (or "Book" before Excel 97) in an OLE compound file; Office
# keeps a password-protected .xlsx in one too, as a stream "EncryptedPackage", and Word and
# Outlook their own documents. A directory entry is 128 bytes, on a 128-byte boundary after the
# 512-byte header: the name in UTF-16 (64 bytes), its length in bytes with the final zero, the
# entry's type (2: a stream).

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_STREAMS = {"Workbook": "xls", "Book": "xls", "EncryptedPackage": "encrypted"}


def ole_kind(data: bytes) -> str:
    """ "xls", "encrypted" (an .xlsx with a password) or "" (another kind of OLE file), from
    the streams an OLE compound file's directory names.

    >>> entry = "Workbook".encode("utf-16-le").ljust(64, b"\\0") + bytes([18, 0, 2])
    >>> ole_kind(OLE_MAGIC + bytes(504) + entry), ole_kind(OLE_MAGIC + bytes(504))
    ('xls', '')
    """
    for name, kind in _OLE_STREAMS.items():
        encoded = name.encode("utf-16-le") + b"\0\0"
        at = data.find(encoded, 512)
        while at != -1:
            length = int.from_bytes(data[at + 64 : at + 66], "little")
            if at % 128 == 0 and length == len(encoded) and data[at + 66 : at + 67] == b"\x02":
                return kind
            at = data.find(encoded, at + 1)
    return ""
