"""Bytes to raw sheets: encodings and delimiters, Excel row numbers, and every hostile file."""

from __future__ import annotations

import io
import struct
import time
import zipfile
from pathlib import Path

import pytest

from stakemap import settings
from stakemap.files.reading import read_workbook
from stakemap.files.sheets import UnreadableFile


def _refusal(data: bytes, filename: str = "f.xlsx", engine: str = "calamine") -> str:
    with pytest.raises(UnreadableFile) as info:
        read_workbook(data, filename, engine)
    message = str(info.value)
    assert message and "\n" not in message and len(message) < 300
    return message


# -- text files --------------------------------------------------------------------------------


_CP1252 = "CSV read as Windows-1252, semicolon-separated"
_BOM = "CSV read as UTF-8 with BOM, tab-separated"


@pytest.mark.parametrize(
    ("data", "note"),
    [
        ("Name,Group\nZoë,Müller\n".encode(), "CSV read as UTF-8, comma-separated"),
        (
            "Name;Group\nZoë;Müller\n".encode("cp1252"),
            "CSV read as Windows-1252, semicolon-separated",
        ),
        (
            "\ufeffName\tGroup\r\nZoë\tMüller\r\n".encode(),
            "CSV read as UTF-8 with BOM, tab-separated",
        ),
    ],
)
def test_csv_encodings_and_delimiters(data: bytes, note: str) -> None:
    [sheet] = read_workbook(data, "people.csv")
    assert sheet.title == "Stakeholders"
    assert sheet.note == note
    assert sheet.rows == [["Name", "Group"], ["Zoë", "Müller"]]


def test_semicolon_csv_with_decimal_commas_is_not_split_on_the_commas() -> None:
    [sheet] = read_workbook(b"Name;Power;Interest\nAna;3,5;4,5\nBen;2,5;1\n", "a.csv")
    assert sheet.rows[1] == ["Ana", "3,5", "4,5"]
    assert "semicolon" in sheet.note


def test_a_comma_csv_with_semicolons_in_quoted_cells_is_read_on_its_commas() -> None:
    """Found by the export round trip: the standard library's sniffer took the semicolon in
    quoted cells (the text ;" written as a quoted cell) for the delimiter, and no column was
    read as Name."""
    data = (
        b'Name,Role,Group,Power,Stance,Notes\r\n0,",",";""",1,Unaware,\r\n00,,,1,Neutral,\r\n'
        b'000,,";;""",1,Neutral,\r\n0000,,,1,Neutral,";"""\r\n'
    )
    [sheet] = read_workbook(data, "a.csv")
    assert sheet.rows[1] == ["0", ",", ';"', "1", "Unaware", ""]
    assert "comma" in sheet.note


def test_cjk_names_survive_utf8() -> None:
    [sheet] = read_workbook("Name\tRole\n李娜\t工程师\n田中太郎\t部長\n".encode(), "a.txt")
    assert [r[0] for r in sheet.rows] == ["Name", "李娜", "田中太郎"]


def test_a_file_without_a_csv_or_xlsx_name_is_tried_as_text() -> None:
    [sheet] = read_workbook(b"Name\nAna\n")
    assert sheet.rows == [["Name"], ["Ana"]]


# -- workbooks ---------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_rows_are_indexed_as_excel_numbers(make_xlsx, engine: str) -> None:
    rows = [
        [None],
        [None, None, "Stakeholder map"],
        [None, None, "Name", "Power"],
        [],
        [None, None, "Ana", 4],
    ]
    [sheet] = read_workbook(make_xlsx({"People": rows}), "a.xlsx", engine)
    assert sheet.title == "People"
    assert sheet.rows[2][2:] == ["Name", "Power"]  # Excel row 3, column C
    assert sheet.rows[4][2:] == ["Ana", 4]
    assert all(cell in ("", None) for cell in sheet.rows[3])


def test_both_engines_read_the_same_cells(make_xlsx) -> None:
    data = make_xlsx(
        {
            "Stakeholders": [["Name", "Power", "Notes"], ["Zoë", 4.5, "=1+1 stays text"]],
            "Relationships": [["From", "To"], ["Zoë", "Zoë"]],
        }
    )
    calamine = read_workbook(data, "a.xlsx")
    openpyxl = read_workbook(data, "a.xlsx", "openpyxl")
    assert [s.title for s in calamine] == [s.title for s in openpyxl]
    for a, b in zip(calamine, openpyxl, strict=True):
        assert [[str(c) for c in r] for r in a.rows] == [[str(c) for c in r] for r in b.rows]


# -- hostile and broken files ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("png", "the file is a .png file, not a format Stakemap reads: it reads Excel"),
        ("png named xlsx", "the file ends in .xlsx but is not an Excel workbook"),
        ("random bytes", "the file ends in .xlsx but is not an Excel workbook"),
        ("random bytes csv", "the file is not CSV text (it holds binary data)"),
        ("empty", "the file is empty"),
        ("blank csv", "the file holds no data: every sheet is empty"),
        ("encrypted", "the workbook is encrypted: save it without a password"),
        ("ole not a workbook", "the file is an Office file but not a workbook"),
        ("encrypted member", "the workbook is encrypted: save it without a password"),
        ("entity bomb in sheet", "declares a document type (XML entities are refused)"),
        ("entity bomb in shared strings", "xl/sharedStrings.xml declares a document type"),
        ("zip not xlsx", "the file is a zip archive but not an Excel or LibreOffice workbook"),
        ("truncated xlsx", "the workbook is damaged"),
    ],
)
@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_hostile_files_are_refused_with_one_line(
    hostile_files, case: str, expected: str, engine: str
) -> None:
    filename, data = hostile_files[case]
    assert expected in _refusal(data, filename, engine)


def test_the_zip_bomb_is_refused_fast_without_unpacking(zip_bomb: Path) -> None:
    data = zip_bomb.read_bytes()
    assert len(data) < 3_000_000  # ~2 MB on disk, 2 GiB inside
    start = time.perf_counter()
    message = _refusal(data, zip_bomb.name)
    assert time.perf_counter() - start < 1.0
    declared = sum(m.file_size for m in zipfile.ZipFile(zip_bomb).infolist())
    assert declared > 2 * 1024**3
    assert message == (
        f"the workbook would unpack to {declared:,} bytes, over the limit of "
        f"{settings.MAX_UNPACKED_BYTES:,} (a zip bomb?)"
    )


def test_a_part_that_expands_too_far_is_refused_even_under_the_total_limit(
    make_xlsx, with_part
) -> None:
    data = with_part(make_xlsx({"S": [["Name"]]}), "xl/worksheets/sheet1.xml", b" " * 5_000_000)
    assert "expands" in _refusal(data)
    assert "(a zip bomb?)" in _refusal(data)


def _declare_size(data: bytes, member: str, size: int) -> bytes:
    """The archive with ``member``'s unpacked size understated in both headers (a lying bomb)."""
    out = bytearray(data)
    name = member.encode()
    for magic, size_at, name_len_at, name_at in (
        (b"PK\x03\x04", 22, 26, 30),
        (b"PK\x01\x02", 24, 28, 46),
    ):
        at = out.find(magic)
        while at != -1:
            length = struct.unpack_from("<H", out, at + name_len_at)[0]
            if out[at + name_at : at + name_at + length] == name:
                struct.pack_into("<I", out, at + size_at, size)
            at = out.find(magic, at + 4)
    return bytes(out)


def test_a_zip_that_understates_its_sizes_is_refused(make_xlsx, with_part) -> None:
    big = make_xlsx({"S": [["Name"], ["Ana"]]})
    sheet = zipfile.ZipFile(io.BytesIO(big)).read("xl/worksheets/sheet1.xml")
    padded = sheet.replace(b"<sheetData>", b"<sheetData>" + b" " * 20_000_000)
    lying = _declare_size(
        with_part(big, "xl/worksheets/sheet1.xml", padded), "xl/worksheets/sheet1.xml", len(sheet)
    )
    start = time.perf_counter()
    assert "damaged" in _refusal(lying)
    assert time.perf_counter() - start < 1.0


def test_limits_come_from_settings(monkeypatch, make_xlsx) -> None:
    rows = [["Name"]] + [[f"P{i}"] for i in range(80)]
    data = make_xlsx({"Stakeholders": rows})
    csv = "\n".join(str(r[0]) for r in rows).encode()
    monkeypatch.setattr(settings, "MAX_ROWS", 10)
    assert _refusal(data) == "sheet Stakeholders has 81 rows, over the limit of 10"
    assert _refusal(csv, "big.csv") == "sheet big.csv has 81 rows, over the limit of 10"
    monkeypatch.setattr(settings, "MAX_ROWS", 1000)
    monkeypatch.setattr(settings, "MAX_CELLS", 50)
    assert _refusal(data) == "sheet Stakeholders has 81 cells, over the limit of 50"
    monkeypatch.setattr(settings, "MAX_UPLOAD_BYTES", 100)
    assert _refusal(csv, "big.csv") == f"the file is {len(csv):,} bytes, over the limit of 100"
    monkeypatch.setattr(settings, "MAX_UPLOAD_BYTES", 10**9)
    monkeypatch.setattr(settings, "MAX_UNPACKED_BYTES", 1000)
    assert "over the limit of 1,000 (a zip bomb?)" in _refusal(data)


def test_settings_read_environment_overrides(monkeypatch) -> None:
    import importlib

    monkeypatch.setenv("STAKEMAP_MAX_ROWS", "123")
    monkeypatch.setenv("STAKEMAP_MAX_UPLOAD_BYTES", "not a number")
    try:
        fresh = importlib.reload(settings)
        assert fresh.MAX_ROWS == 123
        assert fresh.MAX_UPLOAD_BYTES == 20 * 1024 * 1024
    finally:
        monkeypatch.undo()
        importlib.reload(settings)


def test_a_csv_field_over_the_csv_module_limit_is_refused() -> None:
    data = b"Name,Notes\nAna," + b"x" * 200_000 + b"\n"
    assert _refusal(data, "a.csv").startswith("the CSV file could not be read (field larger")


def test_damaged_parts_are_refused_not_raised(make_xlsx) -> None:
    good = bytearray(make_xlsx({"Stakeholders": [["Name"], ["Ana"]] * 50}))
    at = good.find(b"xl/worksheets/sheet1.xml") + 60  # inside the sheet's deflate stream
    for offset in range(0, 40, 4):
        broken = bytearray(good)
        broken[at + offset : at + offset + 4] = b"\xff\x00\xff\x00"
        try:
            read_workbook(bytes(broken), "a.xlsx")
        except UnreadableFile as exc:
            assert "\n" not in str(exc)
