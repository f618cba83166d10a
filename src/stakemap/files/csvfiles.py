"""CSV both ways: the map as a zip of CSV files, one a canonical sheet (docs/workbook.md), and
CSV text (a file, or each file of such a zip) read into a raw sheet.

No user text becomes a formula: text starting with = + - @ tab or CR (after any apostrophes)
is written with an apostrophe before it (OWASP "CSV Injection"), and reading takes exactly that
one apostrophe away again, so a text's own leading apostrophe ("'tis") comes back as written.
"""

from __future__ import annotations

import csv
import io
import posixpath
import re
import zipfile
from collections import Counter

from stakemap.files.cells import match_role
from stakemap.files.declared import csv_members
from stakemap.files.sheets import RawSheet, UnreadableFile, check_rows, one_line
from stakemap.language import N_, ngettext
from stakemap.language import gettext as _
from stakemap.model import StakeholderMap
from stakemap.values import clean_text

__all__ = ["csv_title", "read_csv", "read_csv_zip", "to_csv_zip", "unguarded"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Text the exporter guarded: apostrophes, then a formula start.
_GUARDED = re.compile(r"'+[=+\-@\t\r]")
_SNIFF_CHARS = 4096
#: More CSV files than a map has sheets, with room: a zip of thousands is refused.
_MAX_FILES = 50


def to_csv_zip(m: StakeholderMap) -> bytes:
    """One UTF-8 (with BOM, for Excel) CSV file per canonical sheet (and the engagement log
    and the network's layout when the map has them), zipped."""
    # imported here, not at the top: the sandbox's reader imports this module, not the writer
    from stakemap.files.exporting import canonical_rows, engagement_rows, layout_rows

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        sheets = canonical_rows(m)
        if m.engagements:
            sheets["Engagements"] = engagement_rows(m)
        if m.positions:
            sheets["Layout"] = layout_rows(m)
        for title, rows in sheets.items():
            text = io.StringIO()
            csv.writer(text).writerows([[_guarded(v) for v in row] for row in rows])
            archive.writestr(f"{title}.csv", "\ufeff" + text.getvalue())
    return out.getvalue()


def _guarded(value: object) -> object:
    """Text as the workbook holds it, an apostrophe before a formula start (and before one
    that apostrophes already precede, so that reading takes away only ours).

    >>> _guarded("=1+1"), _guarded("'=x"), _guarded("'tis"), _guarded(-3)
    ("'=1+1", "''=x", "'tis", -3)
    """
    if isinstance(value, str):
        value = clean_text(value)
        return "'" + value if value.lstrip("'").startswith(_FORMULA_START) else value
    return value


def unguarded(rows: list[list[object]]) -> int:
    """Take away, in place, the apostrophe the exporter put before formula-like text; the
    number of cells changed.

    >>> rows = [["'-3", "''=x", "'tis", "'"]]
    >>> unguarded(rows), rows
    (2, [['-3', "'=x", "'tis", "'"]])
    """
    count = 0
    for row in rows:
        for i, cell in enumerate(row):
            if isinstance(cell, str) and _GUARDED.match(cell):
                row[i] = cell[1:]
                count += 1
    return count


def csv_title(filename: str) -> str:
    """The sheet a lone CSV file is: the one its name says (Relationships.csv, ties.csv), else
    Stakeholders.

    >>> csv_title("exports/Relationships.csv"), csv_title("ties.CSV"), csv_title("team.csv")
    ('Relationships', 'Relationships', 'Stakeholders')
    """
    spec = match_role(_stem(filename))
    return spec.name if spec else "Stakeholders"


def _stem(filename: str) -> str:
    return posixpath.splitext(posixpath.basename(filename.replace("\\", "/")))[0]


def read_csv_zip(data: bytes) -> list[RawSheet]:
    """Each CSV file of a zip (one whose directory :func:`stakemap.files.declared.zip_kind`
    checked) as a sheet named for its file, read as a lone CSV file is."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = csv_members(archive)
    if len(names) > _MAX_FILES:
        raise UnreadableFile(
            _("the zip holds {n} CSV files, over the limit of {limit}").format(
                n=f"{len(names):,}", limit=_MAX_FILES
            )
        )
    try:
        return [read_csv(archive.read(name), _stem(name), name, member=True) for name in names]
    except UnreadableFile:
        raise
    except Exception as exc:  # a damaged member: one line, never a traceback
        raise UnreadableFile(_("the zip is damaged ({why})").format(why=one_line(exc))) from None


def read_csv(data: bytes, title: str, filename: str = "", member: bool = False) -> RawSheet:
    """CSV text (comma-, semicolon- or tab-separated; UTF-8, GB18030 or Windows-1252, see
    :func:`_decode`) as one sheet;
    ``member``: a file of a zip, named in the messages.

    >>> read_csv("Name;Notes\\n'=1+1;Ana\\n".encode(), "Stakeholders").rows
    [['Name', 'Notes'], ['=1+1', 'Ana']]
    """
    if b"\x00" in data[:8192]:
        raise UnreadableFile(
            _("the file {file} is not CSV text (it holds binary data)").format(file=filename)
            if member
            else _("the file is not CSV text (it holds binary data)")
        )
    text, encoding = _decode(data)
    delimiter = _sniff_delimiter(_sample(text))
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        why = one_line(exc)
        raise UnreadableFile(
            _("the CSV file {file} could not be read ({why})").format(file=filename, why=why)
            if member
            else _("the CSV file could not be read ({why})").format(why=why)
        ) from None
    check_rows(filename or title, len(rows), max((len(r) for r in rows), default=0))
    note = _csv_note(filename if member else "", encoding, delimiter)
    if guarded := unguarded(rows):
        note = ngettext(
            "{note}; the apostrophe guarding formula-like text taken from {n} cell",
            "{note}; the apostrophe guarding formula-like text taken from {n} cells",
            guarded,
        ).format(note=note, n=guarded)
    return RawSheet(title, rows, note)


def _csv_note(member: str, encoding: str, delimiter: str) -> str:
    """The report's line on how a CSV file (a zip's ``member``, or "") was read.

    >>> _csv_note("", "UTF-8", ";")
    'CSV read as UTF-8, semicolon-separated'
    """
    separated = {
        ",": _("comma-separated"),
        ";": _("semicolon-separated"),
        "\t": _("tab-separated"),
    }[delimiter]
    if member:
        return _("CSV {file} read as {encoding}, {separated}").format(
            file=member, encoding=_(encoding), separated=separated
        )
    return _("CSV read as {encoding}, {separated}").format(
        encoding=_(encoding), separated=separated
    )


def _decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and its encoding: UTF-8 (with or without a BOM); else GB18030
    when it reads as Chinese (:func:`_chinese`), as Chinese Excel and WPS save "CSV"; else
    Windows-1252.

    >>> _decode("姓名,态度".encode("gb18030")), _decode("Hélène".encode("cp1252"))
    (('姓名,态度', 'GB18030'), ('Hélène', 'Windows-1252'))
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), N_("UTF-8 with BOM")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    text = _chinese(data)
    if text is not None:
        return text, "GB18030"
    return data.decode("cp1252", errors="replace"), "Windows-1252"


#: Non-ASCII characters looked at, and the share of them GB2312 must hold, to read as Chinese.
_CHINESE_SAMPLE = 2000
_CHINESE_SHARE = 0.5
#: Two ideographs in a row: a Chinese word; Windows-1252 text would need four accented letters.
_CHINESE_WORD = re.compile("[\u4e00-\u9fff]{2}")


def _chinese(data: bytes) -> str | None:
    """``data`` as GB18030, if that reads as Chinese: it decodes, holds a word of two
    ideographs, and most of its first non-ASCII characters are in GB2312, the common
    Simplified set (rare characters of names are beyond it). Windows-1252 text read as GB18030
    pairs an accented letter with the ASCII letter after it (é and l of Hélène), which GB2312
    never holds.

    >>> _chinese("李娜".encode("gb18030")), _chinese("Müller".encode("cp1252"))
    ('李娜', None)
    """
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    wide = [c for c in text if not c.isascii()][:_CHINESE_SAMPLE]
    common = sum(1 for c in wide if _in_gb2312(c))
    if not _CHINESE_WORD.search(text) or common < _CHINESE_SHARE * len(wide):
        return None
    return text


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


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
