"""`python -m stakemap validate`: exit codes 0/1/2, one line each, fast start, any input."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stakemap.cli import main
from stakemap.values import STANCE_ACCEPTED

from .conftest import build_xlsx

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "new_programme.xlsx"


def _validate(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stakemap", "validate", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env={**os.environ, **env},
        timeout=60,
        check=False,
    )


def _run(args: list[str]) -> tuple[int, str, str]:
    """main() in this process, with its output captured."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return code, out.getvalue(), err.getvalue()


def test_a_sample_validates(tmp_path: Path) -> None:
    done = _validate(str(SAMPLE))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "8 stakeholders, 15 relationships"
    assert "  Stakeholders: 8 read from sheet Stakeholders" in lines
    assert done.stderr == ""


def test_a_messy_csv_validates_with_its_conversions(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes("Stakeholder;Influence;Attitude\nZoë;7;Leading\n\n李娜;10;Unaware\n".encode())
    done = _validate(str(path))
    assert done.returncode == 0
    assert done.stdout.splitlines() == [
        "2 stakeholders, 0 relationships",
        "  CSV read as UTF-8, semicolon-separated",
        "  Stakeholders: column Stakeholder read as Name",
        "  Stakeholders: column Influence read as Power",
        "  Stakeholders: column Attitude read as Stance",
        "  Stakeholders: 1 blank row skipped",
        "  Stakeholders: column Influence read as 1-10, rescaled to 1-5",
        "  Stakeholders: 2 read from sheet Stakeholders",
        "  Interest was left at its default (3) for everyone: no column was read as Interest.",
    ]


def test_problems_exit_1_with_one_line_each(tmp_path: Path) -> None:
    path = tmp_path / "problems.xlsx"
    path.write_bytes(
        build_xlsx(
            {
                "Stakeholders": [["Name", "Power", "Stance"], ["Ana", 4, "Maybe"], ["ana", -1]],
                "Relationships": [["From", "To"], ["Ana", "Zed"]],
            }
        )
    )
    done = _validate(str(path))
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        'Stakeholders row 2, column Stance: "Maybe" is not a stance word (accepted: '
        f"{STANCE_ACCEPTED})",
        'Stakeholders row 3, column Power: "-1" is outside 1-5 '
        "(accepted: a number on the 1-5 scale, or High/Medium/Low)",
        'Stakeholders row 3, column Name: "ana" appears again (first at row 2) '
        "(accepted: each name once)",
        'Relationships row 2, column To: "Zed" is not a name on the Stakeholders sheet '
        "(accepted: a name from the Stakeholders sheet)",
    ]


def test_hostile_files_exit_2_in_a_subprocess(tmp_path: Path, hostile_files, zip_bomb) -> None:
    cases = {"bomb": zip_bomb}
    for case in ("png", "encrypted", "entity bomb in sheet", "empty"):
        filename, data = hostile_files[case]
        cases[case] = tmp_path / filename
        cases[case].write_bytes(data)
    cases["missing"] = tmp_path / "nowhere.xlsx"
    cases["folder"] = tmp_path
    for case, path in cases.items():
        done = _validate(str(path))
        assert done.returncode == 2, case
        assert done.stdout == ""
        assert len(done.stderr.splitlines()) == 1, (case, done.stderr)
        assert done.stderr.startswith(f"{path}: "), case
    assert _validate(str(cases["missing"])).stderr == (
        f"{cases['missing']}: cannot be read (No such file or directory)\n"
    )


@pytest.mark.parametrize(
    "case",
    [
        "png",
        "png named xlsx",
        "random bytes",
        "random bytes csv",
        "empty",
        "blank csv",
        "encrypted",
        "encrypted member",
        "entity bomb in sheet",
        "entity bomb in shared strings",
        "zip not xlsx",
        "truncated xlsx",
    ],
)
def test_each_hostile_file_exits_2(tmp_path: Path, hostile_files, case: str) -> None:
    filename, data = hostile_files[case]
    path = tmp_path / filename
    path.write_bytes(data)
    code, out, err = _run(["validate", str(path)])
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith(f"{path}: ")


def test_over_the_row_limit_exits_2(tmp_path: Path, monkeypatch) -> None:
    from stakemap import settings as limits

    path = tmp_path / "long.csv"
    path.write_text("Name\n" + "\n".join(f"P{i}" for i in range(200)))
    monkeypatch.setattr(limits, "MAX_ROWS", 100)
    assert _run(["validate", str(path)]) == (
        2,
        "",
        f"{path}: sheet long.csv has 201 rows, over the limit of 100\n",
    )


def test_a_console_that_cannot_show_the_names_gets_escapes(tmp_path: Path) -> None:
    path = tmp_path / "cjk.csv"
    path.write_text("Name\tPower\n李娜\t4\n李娜\t3\n", encoding="utf-8")
    done = _validate(str(path), PYTHONIOENCODING="cp1252")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stdout == (
        'Stakeholders row 3, column Name: "\\u674e\\u5a1c" appears again (first at row 2) '
        "(accepted: each name once)\n"
    )


def test_validate_loads_neither_streamlit_nor_pandas() -> None:
    code = (
        "import sys\n"
        "from stakemap.cli import main\n"
        f"assert main(['validate', {str(SAMPLE)!r}]) == 0\n"
        "heavy = ('streamlit', 'pandas', 'numpy', 'openpyxl', 'sqlalchemy', 'networkx')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.splitlines()[-1] == "[]"


def test_the_command_exits_with_its_code_and_its_objects_frozen() -> None:
    """``python -m stakemap`` ends with the command's code; the exit's garbage collection
    skips what the command made (frozen), and the output is all written."""
    code = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0))\n"
        f"sys.argv = ['stakemap', 'validate', {str(SAMPLE)!r}]\n"
        "from stakemap.cli import run\n"
        "run()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "frozen True"
    assert done.stdout.startswith("8 stakeholders, 15 relationships")
    missing = subprocess.run(
        [sys.executable, "-m", "stakemap", "validate", "/nonexistent/map.xlsx"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert missing.returncode != 0 and "cannot be read" in missing.stderr


_XLSX = build_xlsx(
    {
        "Stakeholders": [["Name", "Power", "Stance"], ["Ana", 4, "Champion"], ["Ben", "L", -1]],
        "Relationships": [["From", "To", "Kind"], ["Ana", "Ben", "ally"]],
        "Proposal": [["Key", "Value"], ["Pass share", "60%"]],
    }
)


_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf")  # zip, OLE, BOM


@st.composite
def _files(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(["upload.xlsx", "upload.csv", "upload"]))
    kind = draw(st.sampled_from(["bytes", "magic", "text", "xlsx"]))
    if kind == "bytes":
        return name, draw(st.binary(max_size=3000))
    if kind == "magic":
        magic = draw(
            st.sampled_from([b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf"])
        )
        return name, magic + draw(st.binary(max_size=2000))
    if kind == "text":
        cells = st.text(st.characters(codec="utf-8"), max_size=12)
        rows = draw(st.lists(st.lists(cells, max_size=6), max_size=12))
        sep = draw(st.sampled_from([",", ";", "\t"]))
        header = draw(st.sampled_from(["Name,Power,Stance\n", "From;To\n", ""]))
        text = header + "\n".join(sep.join(r) for r in rows)
        return name, text.encode(draw(st.sampled_from(["utf-8", "utf-16", "cp1252"])), "replace")
    data = bytearray(_XLSX)  # a real workbook with a few bytes changed
    for _ in range(draw(st.integers(1, 6))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return name, bytes(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_files())
def test_any_bytes_end_in_0_1_or_2_never_a_traceback(tmp_path_factory, file) -> None:
    name, data = file
    path = tmp_path_factory.mktemp("fuzz", numbered=True) / name
    path.write_bytes(data)
    code, out, err = _run(["validate", str(path)])
    assert code in (0, 1, 2)
    if code == 2:
        assert (out, err.count("\n")) == ("", 1)
    else:
        assert err == ""
        assert all(line.strip() for line in out.splitlines())


@pytest.mark.parametrize("ending", [".kumu.xlsx", ".graphml", ".gexf"])
def test_export_to_kumu_graphml_and_gexf_reads_back(tmp_path: Path, ending: str) -> None:
    from stakemap.files.importing import import_workbook

    out = tmp_path / f"map{ending}"
    code, stdout, _ = _run(["export", str(SAMPLE), str(out)])
    assert code == 0 and stdout.startswith(f"wrote {out} (")
    original = import_workbook(SAMPLE.read_bytes(), SAMPLE.name).map
    assert import_workbook(out.read_bytes(), out.name).map == original
    code, stdout, _ = _run(["validate", str(out)])
    assert code == 0 and stdout.splitlines()[0] == "8 stakeholders, 15 relationships"


def test_export_names_the_endings_it_knows(tmp_path: Path) -> None:
    code, _, err = _run(["export", str(SAMPLE), str(tmp_path / "map.docx")])
    assert code == 1
    assert err.strip().endswith(
        "the ending must be .xlsx, .kumu.xlsx, .zip, .html, .graphml, .gexf, .png, .svg, .pptx "
        "or .pdf"
    )


def test_export_draws_a_lens_or_the_network_at_the_size_asked(tmp_path: Path) -> None:
    from PIL import Image

    from stakemap.files.importing import import_workbook
    from tests.test_pictures import drawn_texts, markers

    names = import_workbook(SAMPLE.read_bytes(), SAMPLE.name).map.names
    png = tmp_path / "map.png"
    code, stdout, _ = _run(["export", str(SAMPLE), str(png), "--size", "1000x600"])
    assert code == 0 and stdout.startswith(f"wrote {png} (")
    assert Image.open(png).size == (1000, 600)
    for lens in ("mendelow", "Power map", "spectrum"):
        svg = tmp_path / "lens.svg"
        assert _run(["export", str(SAMPLE), str(svg), "--lens", lens])[0] == 0
        assert not [n for n in names if n not in drawn_texts(svg.read_bytes())]
    network = tmp_path / "network.svg"
    assert _run(["export", str(SAMPLE), str(network), "--lens", "network", "--anonymise"])[0] == 0
    text = network.read_text(encoding="utf-8")
    assert len(markers(text)) == len(names) and not [n for n in names if n in text]


def test_export_writes_slides_and_the_plan_on_a_page(tmp_path: Path) -> None:
    from pptx import Presentation
    from pypdf import PdfReader

    from stakemap.files.importing import import_workbook
    from stakemap.planning.planner import plan

    steps = plan(import_workbook(SAMPLE.read_bytes(), SAMPLE.name).map).steps
    deck = tmp_path / "map.pptx"
    code, _, _ = _run(["export", str(SAMPLE), str(deck), "--lens", "network", "--lens", "salience"])
    assert code == 0
    slides = Presentation(str(deck)).slides
    assert len(slides) == 3 + len(steps)
    assert slides[2].shapes[0].text_frame.text == "Salience model"
    assert "new_programme" in slides[0].shapes[0].text_frame.text  # the file's name
    page = tmp_path / "plan.pdf"
    assert _run(["export", str(SAMPLE), str(page), "--anonymise"])[0] == 0
    text = PdfReader(str(page)).pages[0].extract_text()
    assert len(PdfReader(str(page)).pages) == 1 and "Maya Lin" not in text


@pytest.mark.parametrize(
    ("out", "options", "message"),
    [
        ("map.png", ["--lens", "power"], '--lens power: name one of "Power/interest grid'),
        ("map.png", ["--lens", "network", "--lens", "Power map"], "a picture shows one view"),
        ("map.svg", ["--size", "90x9000"], "--size 90x9000: give WIDTHxHEIGHT in pixels"),
        ("map.png", ["--size", "wide"], "--size wide: give WIDTHxHEIGHT"),
        ("map.pdf", ["--lens", "network"], "a .pdf is the plan on one page"),
        ("map.xlsx", ["--anonymise"], "--lens and --anonymise are for .png, .svg, .pptx, .pdf"),
    ],
)
def test_export_refuses_options_it_cannot_follow(tmp_path, out, options, message) -> None:
    code, stdout, err = _run(["export", str(SAMPLE), str(tmp_path / out), *options])
    assert (code, stdout) == (1, "") and message in err and err.count("\n") == 1
    assert not (tmp_path / out).exists()
