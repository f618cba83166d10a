"""Workbooks that declare more than they hold: refused from the declaration, before python-calamine
allocates; and the child process that reads uploads, whose crash never reaches the caller.

The workbooks are written by hand (zipfile and a few lines of XML), as a hostile tool would.
Anything that could abort the interpreter runs in a subprocess, so the suite itself survives.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from stakemap import settings
from stakemap.files import sandbox
from stakemap.files.importing import import_workbook
from stakemap.files.reading import read_workbook
from stakemap.files.sheets import UnreadableFile

from .conftest import build_xlsx

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def inline(ref: str, text: str) -> str:
    """A text cell as Excel writes an inline string (``text`` is put in raw, not escaped)."""
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def raw_xlsx(
    body: str, *, sheet: str = "People", head: str = "", strings: str | None = None
) -> bytes:
    """A minimal valid .xlsx: one worksheet named ``sheet`` whose ``<sheetData>`` is ``body``
    (``head`` goes before it, e.g. a dimension), and optionally a shared-strings part."""
    return raw_book({sheet: body}, head=head, strings=strings)


def raw_book(sheets: dict[str, str], *, head: str = "", strings: str | None = None) -> bytes:
    """A minimal valid .xlsx with a worksheet per entry: name -> its ``<sheetData>`` XML, put
    in as given (names too: a hostile tool escapes nothing)."""
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    if strings is not None:
        rels += f'<Relationship Id="rId0" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
    listed = "".join(
        f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>'
        for i, name in enumerate(sheets, start=1)
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats'
            '-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0"?><workbook xmlns="{NS}" xmlns:r="{_REL}"><sheets>{listed}'
            "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{_PKG}">{rels}</Relationships>'
        ),
    }
    for i, body in enumerate(sheets.values(), start=1):
        parts[f"xl/worksheets/sheet{i}.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">{head}'
            f"<sheetData>{body}</sheetData></worksheet>"
        )
    if strings is not None:
        parts["xl/sharedStrings.xml"] = strings
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode("utf-8", "surrogatepass"))
    return out.getvalue()


def far_cell(ref: str) -> bytes:
    """Two real cells: Name in A1 and a name at ``ref`` (the issue's 1.5 KB workbook)."""
    row = ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return raw_xlsx(
        f'<row r="1">{inline("A1", "Name")}</row><row r="{row}">{inline(ref, "Ana")}</row>'
    )


def _refused(data: bytes, filename: str = "f.xlsx") -> str:
    with pytest.raises(UnreadableFile) as info:
        read_workbook(data, filename)
    message = str(info.value)
    assert message and "\n" not in message and len(message) < 300
    return message


def _in_child(code: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Python ``code`` in a fresh interpreter: a native abort there cannot end this test run."""
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
        check=False,
    )


@pytest.fixture(autouse=True)
def _no_cached_readings():
    sandbox._RECENT.clear()
    yield
    sandbox._RECENT.clear()


# -- what the file declares --------------------------------------------------------------------


def test_a_cell_at_xfd1000000_is_refused_in_process_without_allocating(tmp_path: Path) -> None:
    """The issue's file: calamine would ask for ~500 GB and abort (rc 134); it is now refused
    from its cell references, in a child run so that the old abort cannot end this test."""
    path = tmp_path / "far.xlsx"
    path.write_bytes(far_cell("XFD1000000"))
    assert len(path.read_bytes()) < 2000
    done = _in_child(
        "import sys; from stakemap.files.reading import read_workbook, UnreadableFile\n"
        "try: read_workbook(open(sys.argv[1], 'rb').read(), 'far.xlsx')\n"
        "except UnreadableFile as e: print(e)",
        str(path),
    )
    assert done.returncode == 0, done.stderr[-300:]
    assert done.stdout == "sheet People has 1,000,000 rows, over the limit of 100,000\n"


def test_a_cell_at_xfd300_is_refused_at_once() -> None:
    """Read in full this took 3-6 s and ~200 MB before the importer gave up."""
    start = time.perf_counter()
    assert _refused(far_cell("XFD300")) == (
        "sheet People has 16,384 columns, over the limit of 1,000"
    )
    assert time.perf_counter() - start < 0.5


@pytest.mark.parametrize(
    ("body", "head"),
    [
        # the row number from the row element, the cell carrying no reference
        ('<row r="1">' + inline("A1", "Name") + '</row><row r="900000"><c t="inlineStr">'
         "<is><t>Ana</t></is></c></row>", ""),
        # a namespace prefix, single quotes, spaces around "=", lower-case letters, dollar signs
        (f'<row r="1">{inline("A1", "Name")}<x:c xmlns:x="{NS}" r = \'$xfd$2\' t="inlineStr">'
         "<x:is><x:t>Ana</x:t></x:is></x:c></row>", ""),
        # the reference after other attributes
        ('<row r="1"><c t="inlineStr" s="0" r="A1"><is><t>Name</t></is></c>'
         '<c t="n" r="BBB9"><v>1</v></c></row>', ""),
        # only the dimension declares it
        (f'<row r="1">{inline("A1", "Name")}</row>', '<dimension ref="A1:XFD1048576"/>'),
    ],
    ids=["row only", "prefixed", "attribute order", "dimension"],
)  # fmt: skip
def test_every_spelling_of_a_far_reference_is_refused(body: str, head: str) -> None:
    message = _refused(raw_xlsx(body, head=head))
    assert message.startswith("sheet People has ") and "over the limit" in message


def test_cells_without_references_are_counted(monkeypatch) -> None:
    monkeypatch.setattr(settings, "MAX_CELLS", 50)
    cells = "".join('<c t="inlineStr"><is><t>x</t></is></c>' for _ in range(60))
    assert _refused(raw_xlsx(f"<row>{cells}</row>")) == (
        "sheet People has 60 cells, over the limit of 50"
    )


def test_a_string_table_declaring_four_billion_strings_is_refused(tmp_path: Path) -> None:
    """Found while building these files: calamine reserves room for uniqueCount up front,
    96 GB for 4e9, and aborts; the count is checked first."""
    table = (
        f'<sst xmlns="{NS}" count="4000000000" uniqueCount="4000000000"><si><t>Ana</t></si></sst>'
    )
    path = tmp_path / "strings.xlsx"
    path.write_bytes(raw_xlsx('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', strings=table))
    done = _in_child(
        "import sys; from stakemap.files.reading import read_workbook, UnreadableFile\n"
        "try: read_workbook(open(sys.argv[1], 'rb').read(), 'f.xlsx')\n"
        "except UnreadableFile as e: print(e)",
        str(path),
    )
    assert done.returncode == 0, done.stderr[-300:]
    assert done.stdout == (
        "the shared strings declare count 4,000,000,000, over the limit of 5,000,000\n"
    )


def test_styled_empty_cells_far_down_are_not_refused() -> None:
    """Excel writes formatted blank cells; calamine ignores them, and so does the check."""
    body = (
        f'<row r="1">{inline("A1", "Name")}</row><row r="2">{inline("A2", "Ana")}</row>'
        '<row r="500000"><c r="XFD500000" s="1"/></row>'
    )
    [sheet] = read_workbook(raw_xlsx(body), "f.xlsx")
    assert sheet.rows == [["Name"], ["Ana"]]


def test_real_workbooks_pass_the_check_quickly() -> None:
    rows = [["Name", "Power", "Notes"]] + [[f"P{i}", i % 5 + 1, "x" * 20] for i in range(5000)]
    data = build_xlsx({"Stakeholders": rows})
    start = time.perf_counter()
    [sheet] = read_workbook(data, "big.xlsx")
    assert len(sheet.rows) == 5001
    assert time.perf_counter() - start < 2


# -- the child process ---------------------------------------------------------------------------


def _no_first_wall(monkeypatch) -> None:
    """Limits so high that only the child's memory limit stands between calamine and 500 GB."""
    monkeypatch.setattr(settings, "MAX_ROWS", 10**12)
    monkeypatch.setattr(settings, "MAX_COLUMNS", 10**12)
    monkeypatch.setattr(settings, "MAX_CELLS", 10**15)
    monkeypatch.setattr(settings, "PARSE_MEMORY_BYTES", 1024**3)


@pytest.mark.skipif(sys.platform == "win32", reason="setrlimit is POSIX")
def test_a_runaway_allocation_ends_the_child_not_the_caller(monkeypatch) -> None:
    _no_first_wall(monkeypatch)
    with pytest.raises(UnreadableFile) as info:
        import_workbook(far_cell("XFD1000000"), "far.xlsx", sandboxed=True)
    assert (
        str(info.value) == "the file was refused: reading it needed more than the 1,024 MiB allowed"
    )
    assert import_workbook(b"Name\nAna\n", "a.csv", sandboxed=True).summary() == (
        "1 stakeholders, 0 relationships"
    )


_CRASHED = "its reader crashed ({}); the workbook may be damaged"
_NO_ANSWER = "its reader gave no readable answer"
_ABORT = "import os; os.abort()"
_REPLY = "import pickle, sys; sys.stdout.buffer.write(pickle.dumps({}))"
_PICKLE_ATTACK = (
    "import os, pickle, sys; sys.stdout.buffer.write(pickle.dumps(('sheets', os.system)))"
)


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (_ABORT, _CRASHED.format("SIGABRT")),
        ("import os, signal; os.kill(os.getpid(), signal.SIGSEGV)", _CRASHED.format("SIGSEGV")),
        ("import sys; sys.exit(3)", "its reader stopped (exit status 3)"),
        ("print('not a pickle')", _NO_ANSWER),
        (_PICKLE_ATTACK, _NO_ANSWER),  # a reply that would run a command if unpickled freely
        (_REPLY.format("('sheets', 'not sheets')"), _NO_ANSWER),
        (_REPLY.format("('sheets', [('t', [1], '')])"), _NO_ANSWER),
        ("import time; time.sleep(30)", "reading it took over 1 s"),
    ],
    ids=["abort", "segfault", "exit", "garbage", "pickle attack", "bad shape", "bad rows", "hang"],
)
def test_a_child_that_dies_gives_one_line(monkeypatch, code: str, reason: str) -> None:
    monkeypatch.setattr(settings, "PARSE_SECONDS", 1)
    monkeypatch.setattr(sandbox, "_child_command", lambda: [sys.executable, "-c", code])
    start = time.perf_counter()
    with pytest.raises(UnreadableFile) as info:
        sandbox.read_untrusted(b"Name\nAna\n", "a.csv")
    assert str(info.value) == f"the file was refused: {reason}"
    assert time.perf_counter() - start < 10


def test_the_child_reads_what_the_process_reads(make_xlsx) -> None:
    import datetime as dt

    data = make_xlsx(
        {
            "Stakeholders": [
                ["Name", "Power", "Since", "Ok"],
                ["Ana", 4, dt.date(2024, 5, 1), True],
            ],
            "Relationships": [["From", "To"], ["Ana", "Ana"]],
        }
    )
    inside = read_workbook(data, "f.xlsx")
    outside = sandbox.read_untrusted(data, "f.xlsx")
    assert [(s.title, s.rows, s.note) for s in outside] == [
        (s.title, s.rows, s.note) for s in inside
    ]
    again = sandbox.read_untrusted(data, "f.xlsx")  # from the kept readings, as a fresh copy
    again[0].rows[1][0] = "changed"
    assert sandbox.read_untrusted(data, "f.xlsx")[0].rows[1][0] == "Ana"


def test_the_child_applies_the_callers_limits(monkeypatch) -> None:
    monkeypatch.setattr(settings, "MAX_ROWS", 5)
    data = ("Name\n" + "\n".join(f"P{i}" for i in range(80))).encode()
    with pytest.raises(UnreadableFile, match=r"sheet a\.csv has 81 rows, over the limit of 5$"):
        sandbox.read_untrusted(data, "a.csv")


def test_memory_and_time_limits_read_the_environment(monkeypatch) -> None:
    import importlib

    monkeypatch.setenv("STAKEMAP_PARSE_MEMORY_BYTES", "123456789")
    monkeypatch.setenv("STAKEMAP_PARSE_SECONDS", "7")
    monkeypatch.setenv("STAKEMAP_MAX_COLUMNS", "12")
    try:
        fresh = importlib.reload(settings)
        assert (fresh.PARSE_MEMORY_BYTES, fresh.PARSE_SECONDS, fresh.MAX_COLUMNS) == (
            123456789,
            7,
            12,
        )
    finally:
        monkeypatch.undo()
        importlib.reload(settings)


def test_validate_refuses_the_far_cell_files_with_one_line(tmp_path: Path) -> None:
    for ref, reason in [
        ("XFD1000000", "sheet People has 1,000,000 rows, over the limit of 100,000"),
        ("XFD300", "sheet People has 16,384 columns, over the limit of 1,000"),
    ]:
        path = tmp_path / f"{ref}.xlsx"
        path.write_bytes(far_cell(ref))
        done = subprocess.run(
            [sys.executable, "-m", "stakemap", "validate", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert (done.returncode, done.stdout, done.stderr) == (2, "", f"{path}: {reason}\n")


@pytest.mark.skipif(sys.platform == "win32", reason="setrlimit is POSIX")
def test_validate_survives_a_crash_past_the_first_wall(tmp_path: Path) -> None:
    path = tmp_path / "far.xlsx"
    path.write_bytes(far_cell("XFD1000000"))
    done = subprocess.run(
        [sys.executable, "-m", "stakemap", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={
            **os.environ,
            "STAKEMAP_MAX_ROWS": str(10**12),
            "STAKEMAP_MAX_COLUMNS": str(10**12),
            "STAKEMAP_MAX_CELLS": str(10**15),
            "STAKEMAP_PARSE_MEMORY_BYTES": str(1024**3),
        },
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"{path}: the file was refused: reading it needed more than the 1,024 MiB allowed\n"
    )


@pytest.mark.parametrize("command", ["validate", "plan", "simulate", "export"])
def test_the_command_line_reads_files_through_the_child(
    tmp_path: Path, monkeypatch, capsys, command: str
) -> None:
    """A child that crashes shows that every command reading a FILE goes through it."""
    from stakemap.cli import main

    path = tmp_path / "people.csv"
    path.write_bytes(b"Name\nAna\n")
    monkeypatch.setattr(sandbox, "_child_command", lambda: [sys.executable, "-c", _ABORT])
    extra = [str(tmp_path / "out.xlsx")] if command == "export" else []
    assert main([command, str(path), *extra]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", f"{path}: the file was refused: {_CRASHED.format('SIGABRT')}\n")


def test_the_upload_panel_reads_through_the_child(tmp_path: Path, monkeypatch) -> None:
    """The Data page's upload goes through the child: its crash is a refusal on the page."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("STAKEMAP_DATABASE_URL", f"sqlite:///{tmp_path / 'app.sqlite'}")
    monkeypatch.setattr(sandbox, "_child_command", lambda: [sys.executable, "-c", _ABORT])
    at = AppTest.from_file(str(Path(__file__).parents[1] / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("views/data.py").run()
    at.file_uploader[0].set_value(("far.xlsx", far_cell("B2"), "application/octet-stream")).run()
    assert not at.exception
    [error] = [re.sub(r"\\(.)", r"\1", e.value) for e in at.error]  # inert()'s escapes gone
    assert error.startswith("far.xlsx cannot be imported: the file was refused: its reader")
    assert "SIGABRT" in error
