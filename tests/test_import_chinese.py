"""The import, the Data page's tables, quick add and the guided start speak Chinese
(docs/languages.md): every line they build for a person is in the session's language, names and
typed values stay as typed, and English stays the source, byte for byte."""

from __future__ import annotations

import re

import pytest

from stakemap.files.guided import Answers, guided_map
from stakemap.files.importing import import_workbook
from stakemap.files.quick import person_line, read_text
from stakemap.files.sheets import UnreadableFile
from stakemap.files.table import add_tie, apply_people_edits, tie_sentence
from stakemap.language import gettext, speaking
from stakemap.model import Relationship, Stakeholder
from stakemap.samples.cases import template
from stakemap.store.maps import Store
from tests.visible import page_in

#: Latin words a Chinese line may hold besides user data: formats, products, units.
_ALLOWED = {
    "PNG", "SVG", "PDF", "CSV", "Excel", "Kumu", "GraphML", "GEXF", "Stakemap", "LibreOffice",
    "xlsx", "xlsm", "xls", "ods", "csv", "tsv", "txt", "zip", "graphml", "gexf", "json", "JSON",
    "Office", "Word", "Outlook", "MiB", "UTC",
}  # fmt: skip


def _latin(text: str, *data: str) -> list[str]:
    """The Latin words of 3+ letters in ``text`` that are neither allowed nor in ``data``."""
    for value in data:
        text = text.replace(value, " ")
    return [w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in _ALLOWED]


def test_an_import_with_problems_reports_in_chinese() -> None:
    with speaking("zh"):
        result = import_workbook(b"Name,Power\nAna,4\n,3\nAna,2\n", "people.csv")
        problems = [str(p) for p in result.problems]
        banner, report, defaults = result.banner(), result.report, result.defaults
        skipped = result.skipped_text()
    assert problems == [
        "Stakeholders 第 3 行，姓名列：为空；每一行都需要姓名（可接受：任意文字）",
        "Stakeholders 第 4 行，姓名列：“Ana”重复出现（首次出现在第 2 行）"
        "（可接受：每个姓名只出现一次）",
    ]
    assert banner.startswith("2 行有问题；其余各行无误（1 位利益相关者，0 条关系）。")
    assert "利益相关者：从工作表 Stakeholders 读取了 1 人" in report
    assert defaults == [
        "所有人的利益均为默认值（3）：没有列被读作利益。",
        "所有人的态度均为默认值（中立）：没有列被读作态度。",
    ]
    assert skipped.splitlines()[0] == "Stakeholders 第 3 行：Power = 3"  # the file's own header
    for line in [*problems, banner, *defaults]:
        assert not _latin(line, "Stakeholders", "Ana"), line
    # the same file in English: the source, unchanged
    english = import_workbook(b"Name,Power\nAna,4\n,3\nAna,2\n", "people.csv")
    assert str(english.problems[0]) == (
        "Stakeholders row 3, column Name: is empty; every row needs a name (accepted: any text)"
    )


def test_a_file_of_ties_alone_is_reported_in_chinese() -> None:
    with speaking("zh"):
        result = import_workbook(b"From,To\nAna,Ben\n", "ties.csv")
        ready = result.banner()
    assert ready == "就绪：2 位利益相关者，1 条关系。"
    assert "关系：从工作表 Relationships 读取了 1 条" in result.report
    assert (
        "利益相关者：根据工作表 Relationships 中的名字创建了 2 人（没有利益相关者工作表）；"
        "权力、利益和态度均为默认值"
    ) in result.report


@pytest.mark.parametrize(
    ("data", "name", "said"),
    [
        (b"", "a.csv", "文件为空"),
        (b"PK\x03\x04xx", "a.xlsx", "工作簿已损坏（"),
        (b'{"nodes": []}', "map.json", "该文件是 JSON，不是 Stakemap 能读取的格式。"),
    ],
)
def test_a_refused_file_is_refused_in_chinese_even_by_the_sandboxed_reader(
    data: bytes, name: str, said: str
) -> None:
    """The child process that reads an upload speaks the parent's language."""
    with speaking("zh"), pytest.raises(UnreadableFile) as refused:
        import_workbook(data, name, sandboxed=True)
    assert str(refused.value).startswith(said)
    assert not _latin(str(refused.value), "File is not a zip file")


def test_a_graph_file_note_follows_the_language_of_each_reading() -> None:
    """The sandbox keeps recent readings: a reading's notes are text, kept per language."""
    graph = (
        b'<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed">'
        b'<node id="Ana"/><node id="Ben"/><edge source="Ana" target="Ben"/></graph></graphml>'
    )
    english = import_workbook(graph, "g.graphml", sandboxed=True)
    with speaking("zh"):
        chinese = import_workbook(graph, "g.graphml", sandboxed=True)
    assert any(line.startswith("GraphML read: 2 nodes, 1 edges") for line in english.report)
    assert any(line.startswith("已读取 GraphML：2 个节点，1 条边") for line in chinese.report)


def test_table_edits_and_tie_sentences_in_chinese() -> None:
    with speaking("zh"):
        edit = apply_people_edits(template(), {0: {"Stance": "Champion", "Name": "李娜"}})
        refused = add_tie(template(), {"From": "Example Ally", "To": None}).problems
        defers = tie_sentence(Relationship("Ana", "Ben", 2, "defers to"))
        rivals = tie_sentence(Relationship("Ana", "Ben", -3, "rival"))
    assert edit.changes == ["将 Example Decider 改名为 李娜", "李娜：态度 中立 -> 倡导者"]
    assert refused == ["新关系，指向列：为空；请选择地图上的一个人"]
    assert defers == "Ana 听从 Ben：Ben 影响 Ana"
    assert rivals == "Ana 与 Ben 是对手：一方的支持会把另一方推开"
    assert tie_sentence(Relationship("Ana", "Ben", 2, "defers to")) == (
        "Ana defers to Ben: Ben sways Ana"
    )


def test_quick_add_reads_back_in_chinese() -> None:
    text = "Ana, CFO, against, power 4\nBen\nAna -> Zoe\nBen listens to Ana"
    with speaking("zh"):
        done = read_text(text)
        read_as = [line.read_as() for line in done.lines]
        problems = [str(p) for p in done.problems]
        kinds = [line.kind_shown() for line in done.lines]
        description = done.description
    assert read_as == [
        "姓名 Ana · 职位 CFO · 态度 批评者 · 权力 4",
        "姓名 Ben",
        "来自 Ana · 指向 ?（未找到）",
        "来自 Ben · 指向 Ana · 类型 听从 · 强度 3（默认）",
    ]
    assert problems == [
        "第 3 行，“Zoe”：不是地图上或本段文字中的人（可接受：姓名，或姓名的开头部分）"
    ]
    assert done.lines[3].notes == ("含义：Ben 听从 Ana：Ana 影响 Ben",)
    assert kinds == ["人员", "人员", "关系", "关系"]
    assert description == "快速添加：新增 2 人、1 条关系"
    assert read_text(text).description == "Quick add: 2 people added, 1 tie"
    for line in [*read_as, *problems, description]:
        assert not _latin(line, "Ana", "Ben", "Zoe", "CFO"), line


def test_the_guided_start_names_its_problems_in_chinese_by_answer() -> None:
    answers = Answers("X", "Ana\nBen", ties="Ana -> Zoe", parts="Pilot: Zoe")
    with speaking("zh"):
        made = guided_map(answers)
    assert made.of("ties") == [
        "关系：第 1 行，“Zoe”：不是地图上或本段文字中的人（可接受：姓名，或姓名的开头部分）"
    ]
    assert made.of("parts") == ["组成部分：第 1 行，“Zoe”：地图上没有人叫这个名字"]
    assert made.of("people") == []
    assert guided_map(answers).of("parts") == [
        'Parts: Line 1, "Zoe": no one on the map has this name'
    ]


def test_the_data_page_imports_in_chinese(store: Store) -> None:
    at = page_in("views/data.py", "zh")
    assert at.title[0].value == "数据"
    assert [e.label for e in at.expander][:1] == ["导入电子表格"]
    at.file_uploader[0].set_value(("people.csv", b"Name,Power\nAna,4\n,3\n", "text/csv")).run()
    assert not at.exception
    error = at.error[0].value
    assert error.startswith(
        "people\\.csv 中有 1 个问题；可以在下方导入无误的行，或在表格中改正单元格。"
    )
    assert "Stakeholders 第 3 行，姓名列：为空；每一行都需要姓名（可接受：任意文字）" in error
    labels = {b.label for b in at.button}
    assert "用无误的行新建地图" in labels
    next(b for b in at.button if b.label == "用无误的行新建地图").click().run()
    assert not at.exception
    assert at.title[0].value == "数据 · people"
    assert [t.label for t in at.tabs][-4:] == ["利益相关者", "关系", "提案", "历史"]
    versions = store.history(store.list_maps()[0].id)
    assert versions[-1].description.startswith("导入了 people.csv 中无误的行（1 行未导入")


def test_the_guided_start_asks_in_chinese(store: Store) -> None:
    at = page_in("views/start.py", "zh")
    assert at.title[0].value == "通过问答新建地图"
    assert at.subheader[0].value == "要决定的是什么？"
    next(b for b in at.button if b.label == "下一步").click().run()
    assert at.error[0].value == "请改正：\n- 请写出这项决定。"


def test_quick_add_lines_may_be_cut_by_chinese_commas_and_semicolons() -> None:
    done = read_text("李娜，CFO，against；power 4\n王芳\n李娜 -> 王芳 strong")
    assert not done.problems
    assert [(s.name, s.role, s.stance, s.power) for s in done.map.stakeholders] == [
        ("李娜", "CFO", -1, 4.0),
        ("王芳", "", 0, 3.0),
    ]
    assert [(t.source, t.target, t.strength) for t in done.map.relationships] == [
        ("李娜", "王芳", 5.0)
    ]
    assert person_line(Stakeholder("Lee，Marcus")) == '"Lee，Marcus"'  # read back as one name


def test_the_quick_add_examples_in_chinese_read_as_they_say() -> None:
    """The Chinese examples are Chinese lines the reader reads: people with their words, a
    tie by a Chinese verb (the names of the arrow's tie are on the map, not in the example)."""
    from stakemap.files.quick import read_text
    from stakemap.ui.quickadd import _EXAMPLE

    guided = "Dana Whitfield, CEO, power 5\nMarcus Lee, CFO, against\nWorks council"
    with speaking("zh"):
        example, people = gettext(_EXAMPLE), gettext(guided)
    read = read_text(example.rsplit("\n", 1)[0])
    assert read.problems == ()
    assert [(s.name, s.stance, s.power, s.decision_role) for s in read.map.stakeholders] == [
        ("王芳", 0, 5.0, "decider"), ("李伟", -1, 4.0, "")]  # fmt: skip
    assert [(r.source, r.target, r.kind) for r in read.map.relationships] == [
        ("李伟", "王芳", "defers to")]  # fmt: skip
    assert read_text(people).problems == ()
