"""Files as other programs write them, read back: LibreOffice's .ods and .xls, pandas' and
openpyxl's workbooks and CSV, Kumu's workbooks, our own zip of CSV files; and formats that are
not read, refused in one line that says which are.

The LibreOffice tests convert with ``soffice --headless``: skipped where it is not installed,
failed under CI=true (``make test`` installs it).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from stakemap import settings
from stakemap.files.csvfiles import to_csv_zip
from stakemap.files.exporting import ROOM, to_xlsx
from stakemap.files.importing import import_workbook
from stakemap.files.reading import READ_FORMATS, read_workbook
from stakemap.files.sheets import UnreadableFile
from stakemap.model import Engagement
from stakemap.samples.cases import new_programme

from .conftest import build_xlsx

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def _refusal(data: bytes, filename: str) -> str:
    with pytest.raises(UnreadableFile) as info:
        read_workbook(data, filename)
    message = str(info.value)
    assert "\n" not in message
    return message


# -- LibreOffice, by hand and by LibreOffice itself -----------------------------------------------


def ods(tables: str, *, manifest: str = "<manifest:manifest/>") -> bytes:
    """An .ods as LibreOffice lays one out: mimetype first, content.xml with the tables."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="{_OFFICE}" '
        f'xmlns:table="{_TABLE}" xmlns:text="{_TEXT}" office:version="1.3"><office:body>'
        f"<office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    return out.getvalue()


def ods_table(name: str, rows: list[list[object]], tail: str = "") -> str:
    """A table of text and number cells, then ``tail`` (LibreOffice's empty rows)."""
    out = []
    for row in rows:
        cells = "".join(
            f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p>'
            "</table:table-cell>"
            if isinstance(v, int | float)
            else f'<table:table-cell office:value-type="string"><text:p>{v}</text:p>'
            "</table:table-cell>"
            for v in row
        )
        out.append(f"<table:table-row>{cells}</table:table-row>")
    return f'<table:table table:name="{name}">{"".join(out)}{tail}</table:table>'


#: How LibreOffice ends every sheet it saves: the rest of the sheet as one repeated empty row.
_EMPTY_TAIL = (
    '<table:table-row table:number-rows-repeated="1048573"><table:table-cell '
    'table:number-columns-repeated="1024"/></table:table-row>'
)


def test_an_ods_is_read_like_a_workbook() -> None:
    data = ods(
        ods_table("Stakeholders", [["Name", "Power"], ["Ana", 4], ["Ben", 2]], _EMPTY_TAIL)
        + ods_table("Relationships", [["From", "To", "Strength"], ["Ana", "Ben", 3]], _EMPTY_TAIL)
    )
    result = import_workbook(data, "team.ods", sandboxed=True)
    assert result.ok, [str(p) for p in result.problems]
    assert [(s.name, s.power) for s in result.map.stakeholders] == [("Ana", 4.0), ("Ben", 2.0)]
    assert result.map.relationships[0].strength == 3.0


@pytest.mark.parametrize(
    ("tables", "message"),
    [
        (
            '<table:table table:name="Wide"><table:table-row><table:table-cell office:value-type='
            '"float" office:value="1" table:number-columns-repeated="16384"/></table:table-row>'
            "</table:table>",
            "sheet Wide has 16,384 columns, over the limit of 1,000",
        ),
        (
            '<table:table table:name="Tall"><table:table-row table:number-rows-repeated="1048576">'
            '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'
            "</table:table-row></table:table>",
            "sheet Tall has 1,048,576 rows, over the limit of 100,000",
        ),
        (
            '<table:table table:name="Gap"><table:table-row table:number-rows-repeated="1048570">'
            "<table:table-cell/></table:table-row><table:table-row><table:table-cell office:"
            'value-type="float" office:value="1"/></table:table-row></table:table>',
            "sheet Gap has 1,048,571 rows, over the limit of 100,000",
        ),
    ],
    ids=["wide", "tall", "far"],
)
def test_an_ods_declaring_too_much_is_refused_before_reading(tables: str, message: str) -> None:
    assert _refusal(ods(tables), "big.ods") == message


def test_an_encrypted_or_foreign_opendocument_file_is_refused() -> None:
    manifest = (
        '<manifest:manifest><manifest:encryption-data manifest:checksum="x"/></manifest:manifest>'
    )
    locked = ods(ods_table("S", [["Name"], ["Ana"]]), manifest=manifest)
    assert _refusal(locked, "locked.ods") == "the workbook is encrypted: save it without a password"
    text = io.BytesIO()
    with zipfile.ZipFile(text, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    assert "an OpenDocument file but not a spreadsheet" in _refusal(text.getvalue(), "a.odt")


@pytest.fixture(scope="module")
def soffice() -> str:
    """LibreOffice's command; under CI its absence fails the test (make test installs it)."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("soffice is not installed: run make libreoffice (as root)")
        pytest.skip("soffice is not installed (make libreoffice)")
    return found


def convert(soffice: str, source: Path, to: str) -> bytes:
    """``source`` as LibreOffice saves it in format ``to`` (ods, xls, xlsx)."""
    out = source.parent / to
    profile = source.parent / "profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", to,
         "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return (out / f"{source.stem}.{to}").read_bytes()


def _logged():
    m = new_programme()
    return m.__class__(
        m.stakeholders, m.relationships, m.proposal, m.custom_columns,
        engagements=(Engagement(m.names[0], "2026-12-02", "won", 0, 2, 1, "kept"),),
    )  # fmt: skip


@pytest.mark.parametrize("to", ["ods", "xls"])
def test_libreoffice_ods_and_xls_read_back_as_the_map(soffice: str, tmp_path: Path, to: str):
    m = _logged()
    source = tmp_path / "map.xlsx"
    source.write_bytes(to_xlsx(m, extras=False))
    data = convert(soffice, source, to)
    result = import_workbook(data, f"map.{to}", sandboxed=True)
    assert result.problems == []
    assert result.map == m


# -- formats not read -----------------------------------------------------------------------------

_GRAPHS = {
    "JSON": b'{"nodes": [{"id": "Ana"}], "links": []}',
    "Graphviz DOT": b'digraph map {\n  "Ana" -> "Ben";\n}\n',
    "GML": b'Creator "igraph"\ngraph\n[\n  directed 1\n  node [ id 0 label "Ana" ]\n]\n',
    "Pajek": b'*Vertices 2\n1 "Ana"\n2 "Ben"\n*Arcs\n1 2 1\n',
}


@pytest.mark.parametrize("kind", list(_GRAPHS))
@pytest.mark.parametrize("name", ["map", "named"])
def test_other_network_formats_are_refused_naming_what_is_read(kind: str, name: str) -> None:
    ending = {"JSON": ".json", "Graphviz DOT": ".dot", "GML": ".gml", "Pajek": ".net"}[kind]
    filename = f"map{ending}" if name == "named" else "upload"
    message = _refusal(_GRAPHS[kind], filename)
    assert message == f"the file is {kind}, not a format Stakemap reads: it reads {READ_FORMATS}"


def test_any_other_ending_is_refused_naming_it() -> None:
    assert _refusal(b"Name\nAna\n", "notes.pdf").startswith("the file is a .pdf file, not a")


def test_old_excel_files_are_told_apart_from_locked_and_foreign_ones(hostile_files) -> None:
    assert "encrypted" in _refusal(*reversed(hostile_files["encrypted"]))
    assert "an Office file but not a workbook" in _refusal(
        *reversed(hostile_files["ole not a workbook"])
    )


# -- CSV both ways --------------------------------------------------------------------------------


def test_our_zip_of_csv_files_imports_whole() -> None:
    m = _logged()
    result = import_workbook(to_csv_zip(m), "map.zip", sandboxed=True)
    assert result.problems == []
    assert result.map == m


def test_a_zip_of_csv_files_written_by_pandas_is_read(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        people = pd.DataFrame({"Name": ["Ana", "Ben"], "Power": [4, 2], "Stance": ["for", "-1"]})
        ties = pd.DataFrame({"From": ["Ana"], "To": ["Ben"], "Strength": [-2]})
        archive.writestr("export/people.csv", people.to_csv(index=False, sep=";"))
        archive.writestr("export/ties.csv", ties.to_csv(index=False))
        archive.writestr("__MACOSX/export/._people.csv", b"\x00\x05\x16\x07")
    result = import_workbook(out.getvalue(), "export.zip")
    assert result.ok, [str(p) for p in result.problems]
    assert [s.stance for s in result.map.stakeholders] == [1, -1]
    assert result.map.relationships[0].strength == -2.0


def test_a_zip_of_csv_files_is_checked_like_a_workbook(zip_bomb: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("Stakeholders.csv", "Name\nAna\n")
        archive.writestr("logo.png", b"\x89PNG")
    assert _refusal(out.getvalue(), "m.zip").startswith("the file is a zip archive but not")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("Stakeholders.csv", "Name\nAna\n")
        archive.writestr("Big.csv", "a,b\n" * (settings.MAX_ROWS + 60))
    assert _refusal(out.getvalue(), "m.zip") == (
        f"sheet Big.csv has {settings.MAX_ROWS + 60:,} rows, over the limit of "
        f"{settings.MAX_ROWS:,}"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("Stakeholders.csv", b"Name\x00\nAna\n")
    assert _refusal(out.getvalue(), "m.zip") == (
        "the file Stakeholders.csv is not CSV text (it holds binary data)"
    )
    assert (
        _refusal(out.getvalue(), "m.xlsx") == "the file ends in .xlsx but is not an Excel workbook"
    )


def test_the_formula_guard_is_taken_away_and_only_ours() -> None:
    texts = ["-3", "=1+1", "'=x", "'tis", "@home", "+44 20", "'", "''"]
    m = _logged()
    people = tuple(
        s.__class__(**{**s.__dict__, "notes": texts[i % len(texts)]})
        for i, s in enumerate(m.stakeholders)
    )
    m = m.__class__(people, m.relationships, m.proposal, m.custom_columns)
    with zipfile.ZipFile(io.BytesIO(to_csv_zip(m))) as archive:
        written = archive.read("Stakeholders.csv").decode("utf-8-sig")
    assert "'-3" in written and "''=x" in written  # guarded on the way out
    result = import_workbook(to_csv_zip(m), "m.zip")
    assert [s.notes for s in result.map.stakeholders] == [s.notes for s in m.stakeholders]
    assert any("the apostrophe guarding formula-like text taken from" in n for n in result.report)


# -- editing the workbook offline -----------------------------------------------------------------


def test_the_tie_dropdowns_take_people_added_offline() -> None:
    import openpyxl

    m = new_programme()
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(m, extras=False)))
    rules = {str(v.sqref): v for v in book["Relationships"].data_validations.dataValidation}
    ends = rules[f"A2:B{len(m.relationships) + 1 + ROOM}"]
    assert ends.formula1 == f"Stakeholders!$A$2:$A${len(m.stakeholders) + 1 + ROOM}"
    assert ends.errorStyle == "warning"  # a name typed before it is on the list is kept
    # a person and a tie added in the workbook, as Excel would save them
    book["Stakeholders"].append(["Newcomer", "Analyst"])
    book["Relationships"].append(["Newcomer", m.names[0], 2, "ally"])
    out = io.BytesIO()
    book.save(out)
    result = import_workbook(out.getvalue(), "edited.xlsx")
    assert result.problems == []
    assert result.map.relationships[-1].source == "Newcomer"


def test_libreoffice_keeps_the_grown_dropdowns(soffice: str, tmp_path: Path) -> None:
    m = new_programme()
    source = tmp_path / "map.xlsx"
    source.write_bytes(to_xlsx(m, extras=False))
    content = zipfile.ZipFile(io.BytesIO(convert(soffice, source, "ods"))).read("content.xml")
    names = f"cell-content-is-in-list([$Stakeholders.$A$2:.$A${len(m.stakeholders) + 1 + ROOM}])"
    rule = content[content.index(names.encode()) :]
    rule = rule[: rule.index(b"</table:content-validation>")]
    assert b'table:message-type="warning"' in rule


def test_a_date_that_lost_its_format_is_read_from_its_serial_number() -> None:
    people = [["Name"], ["Ana"]]
    log = [
        ["Name", "Date", "Outcome", "Stance before", "Stance after"],
        ["Ana", 46358, "Won", "Neutral", "Champion"],
        ["Ana", 46359.5, "Won", "Champion", "Champion"],
    ]
    result = import_workbook(build_xlsx({"Stakeholders": people, "Engagements": log}), "m.xlsx")
    assert result.problems == []
    assert [e.date for e in result.map.engagements] == ["2026-12-02", "2026-12-03"]
    assert (
        "Engagements: column Date read from 2 date serial number(s) (such as 46358, 2026-12-02)"
        in result.report
    )
    log[1][1] = -4
    result = import_workbook(build_xlsx({"Stakeholders": people, "Engagements": log}), "m.xlsx")
    assert [str(p) for p in result.problems] == [
        'Engagements row 2, column Date: "-4" is not a date (accepted: a date such as '
        "2026-12-02 (or its serial number, such as 46358))"
    ]


# -- Kumu as Kumu writes it -----------------------------------------------------------------------


def _kumu(elements: list[list[object]], connections: list[list[object]], **more) -> bytes:
    return build_xlsx({"Elements": elements, "Connections": connections, **more})


def test_kumu_connections_by_id_and_to_several_people() -> None:
    elements = [["ID", "Label", "Type"], ["e1", "Ana", "Person"], ["e2", "Ben", "Person"],
                ["e3", "Cem", "Person"]]  # fmt: skip
    connections = [["From", "To", "Type"], ["e1", "e2", "advises"], ["Ana", "Ben|e3", "ally"]]
    result = import_workbook(_kumu(elements, connections), "kumu.xlsx")
    assert result.problems == []
    assert [(r.source, r.target, r.kind) for r in result.map.relationships] == [
        ("Ana", "Ben", "influences"), ("Ana", "Ben", "ally"), ("Ana", "Cem", "ally")]  # fmt: skip
    assert "Relationships: 3 From or To cell(s) matched a person by the ID column" in result.report
    assert (
        "Relationships: 1 To cell(s) name several people separated by | (as in Kumu): one tie "
        "to each" in result.report
    )
    bad = import_workbook(_kumu(elements, [["From", "To"], ["e1", "Ben|Zed"]]), "kumu.xlsx")
    assert [str(p) for p in bad.problems] == [
        'Connections row 2, column To: "Zed" is not a name on the Stakeholders sheet '
        "(accepted: a name from the Stakeholders sheet)"
    ]


def test_kumus_own_sample_connections_read_with_words_for_strength() -> None:
    """Kumu's guide's sample: Strength "Strong" and "It's complicated", free Types."""
    elements = [["Label", "Type"], ["Barack", "Person"], ["Michelle", "Person"],
                ["Ed Snowden", "Person"], ["NSA", "Organization"]]  # fmt: skip
    connections = [
        ["From", "To", "Type", "Strength"],
        ["Barack", "Michelle", "Personal", "Strong"],
        ["Ed Snowden", "NSA", "Contractor", "It's complicated"],
        ["NSA", "Barack", "ally", "weak"],
    ]
    result = import_workbook(_kumu(elements, connections), "kumu.xlsx")
    assert result.problems == []
    ties = [(r.strength, r.kind, r.notes) for r in result.map.relationships]
    assert ties == [
        (5.0, "influences", "Type: Personal"),
        (3.0, "influences", "Type: Contractor; Strength: It's complicated"),
        (1.0, "ally", ""),
    ]
    assert "Relationships: Strength words read on the -5..5 scale: Strong as 5 (1 tie), weak as " \
        "1 (1 tie)" in result.report  # fmt: skip
    assert (
        "Relationships: column Type: 2 value(s) not relationship kinds kept in the notes (such "
        "as Personal)" in result.report
    )
    assert (
        "Relationships: column Strength: 1 value(s) not on the -5..5 scale kept in the notes "
        "(such as It's complicated); those ties have the default strength" in result.report
    )


def test_one_label_with_two_types_is_two_people() -> None:
    elements = [["Label", "Type"], ["Pipeline", "Head high"], ["Pipeline", "Double overhead"],
                ["Sunset", "Beach"]]  # fmt: skip
    connections = [["From", "To"], ["Sunset", "Pipeline (Head high)"], ["Sunset", "Pipeline"]]
    result = import_workbook(_kumu(elements, connections), "kumu.xlsx")
    assert result.map is None  # the second tie names both
    assert result.partial.names == ["Pipeline (Head high)", "Pipeline (Double overhead)", "Sunset"]
    assert [str(p) for p in result.problems] == [
        'Connections row 3, column To: "Pipeline" names 2 people: "Pipeline (Head high)" or '
        '"Pipeline (Double overhead)" (accepted: one of those names, or an ID)'
    ]
    assert (
        "Stakeholders: Pipeline is 2 people told apart by their Type: Pipeline (Head high), "
        "Pipeline (Double overhead)" in result.report
    )


def test_our_kumu_export_marks_its_own_sheets_for_kumu_to_skip() -> None:
    import openpyxl

    from stakemap.files.kumu import to_kumu_xlsx

    m = _logged()
    m = m.__class__(m.stakeholders, m.relationships, m.proposal, m.custom_columns,
                    {m.names[0]: (1.0, 2.0)}, engagements=m.engagements)  # fmt: skip
    data = to_kumu_xlsx(m)
    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames == [
        "Elements", "Connections", "Proposal (ignore)", "Layout (ignore)",
        "Engagements (ignore)"]  # fmt: skip
    assert import_workbook(data, "map.kumu.xlsx").map == m  # Stakemap reads them back
    notes = [["Name", "Power"], ["Not a person", 5]]
    result = import_workbook(
        _kumu([["Label"], ["Ana"]], [["From", "To"]], **{"Notes (ignore)": notes}), "k.xlsx"
    )
    assert result.map.names == ["Ana"]
    assert "Sheet Notes (ignore) skipped: its name says (ignore)" in result.report


# -- a lone sheet of ties -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "text"),
    [
        ("Relationships.csv", "From,To,Strength,Kind\nAna,Ben,-3,rival\nBen,Cem,2,\n"),
        ("gephi export.csv", "Source;Target;Weight\nAna;Ben;-3\nBen;Cem;2\n"),
    ],
    ids=["by its name", "by its header"],
)
def test_a_lone_sheet_of_ties_is_read_as_ties(filename: str, text: str) -> None:
    result = import_workbook(text.encode(), filename)
    assert result.problems == []
    assert result.map.names == ["Ana", "Ben", "Cem"]
    assert [(r.source, r.target, r.strength) for r in result.map.relationships] == [
        ("Ana", "Ben", -3.0), ("Ben", "Cem", 2.0)]  # fmt: skip
    sheet = result.mappings[0].sheet
    assert (
        f"Stakeholders: 3 made from the names in sheet {sheet} (there is no Stakeholders sheet); "
        "Power, Interest and Stance are left at their defaults" in result.report
    )


def test_our_relationships_csv_alone_keeps_every_tie() -> None:
    m = new_programme()
    with zipfile.ZipFile(io.BytesIO(to_csv_zip(m))) as archive:
        ties = archive.read("Relationships.csv")
    result = import_workbook(ties, "Relationships.csv")
    assert result.problems == []
    assert result.map.relationships == m.relationships
