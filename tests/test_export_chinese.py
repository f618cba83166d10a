"""Exports, the CLI, the sidebar, the Export page, the decision panel and the store in Chinese
(docs/languages.md): the workbook's sheets, headers and cell words, the deck, the plan on a page
and the messages, while the English ones stay as they were."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from pptx import Presentation
from pptx.oxml.ns import qn
from streamlit.testing.v1 import AppTest

from stakemap.cli import _language, main
from stakemap.files.deck import EA_TYPEFACE, deck
from stakemap.files.exporting import to_xlsx
from stakemap.files.importing import import_workbook
from stakemap.files.pictures import _left_off, picture, view_named
from stakemap.files.plansheet import plan_pdf
from stakemap.files.printing import long_date
from stakemap.language import speaking
from stakemap.model import Engagement, Stakeholder, StakeholderMap
from stakemap.samples.cases import new_programme
from stakemap.samples.synthetic import organisation
from stakemap.store.maps import StaleVersion, Store
from stakemap.ui.guard import _browser_language
from tests.planforms import open_decision_panel
from tests.test_round_trips import decided_maps
from tests.visible import page_in

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "new_programme.xlsx"
#: Latin words allowed in Chinese text: formats, names of tools and models, placeholders' kin.
ALLOWED = {
    "PNG", "SVG", "PDF", "CSV", "Excel", "Kumu", "GraphML", "GEXF", "QR", "URL", "ID",
    "Stakemap", "Mendelow", "PMBOK", "UTF", "BOM", "HTML", "JSON", "XML", "NUL", "pptx", "xlsx",
    "zip", "html", "graphml", "gexf", "png", "svg", "pdf", "kumu", "python", "stakemap",
    "validate", "FILE", "UTC",
}  # fmt: skip


def _latin_words(text: str, *user: str) -> set[str]:
    """Latin words of 3+ letters in ``text`` other than the allowed ones and the user's."""
    for data in user:
        text = text.replace(data, " ")
    return {w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in ALLOWED}


def _zh_workbook(m: StakeholderMap, **options) -> openpyxl.Workbook:
    with speaking("zh"):
        data = to_xlsx(m, **options)
    return openpyxl.load_workbook(io.BytesIO(data))


def _row(sheet, number: int) -> list[object]:
    return [c.value for c in next(sheet.iter_rows(min_row=number, max_row=number))]


def test_the_chinese_workbook_has_the_agreed_sheet_titles_and_headers() -> None:
    m = new_programme()
    m = StakeholderMap(
        m.stakeholders,
        m.relationships,
        m.proposal,
        positions={s.name: (1.0, 2.0) for s in m.stakeholders},
        engagements=(Engagement(m.stakeholders[0].name, "2026-12-02", "won", 0, 2, 1, "好"),),
    )
    book = _zh_workbook(m, name="演示", version=3)
    assert book.sheetnames[:5] == ["利益相关者", "关系", "提案", "布局", "接触记录"]
    people = book["利益相关者"]
    assert _row(people, 1) == [
        "姓名", "职位", "组", "权力", "利益", "态度", "目标态度", "合法性", "紧迫性", "投入",
        "诉求", "决策角色", "备注", "票数",
    ]  # fmt: skip
    assert _row(book["关系"], 1) == ["来自", "指向", "强度", "类型", "备注"]
    assert _row(book["提案"], 1) == ["项目", "内容", "标签"]
    assert _row(book["布局"], 1) == ["姓名", "X", "Y"]
    assert _row(book["接触记录"], 1) == [
        "姓名", "日期", "结果", "接触前态度", "接触后态度", "步骤", "记录",
    ]  # fmt: skip
    assert _row(book["接触记录"], 2)[2:5] == ["已争取", "中立", "倡导者"]


def test_the_chinese_workbook_writes_stances_roles_kinds_and_keys_in_chinese() -> None:
    m = new_programme()
    m = replace(m, proposal=replace(m.proposal, decision_rule="majority"))
    book = _zh_workbook(m)
    people = list(book["利益相关者"].iter_rows(min_row=2, values_only=True))
    stances = {row[5] for row in people} | {row[6] for row in people if row[6]}
    assert stances <= {"阻挠者", "批评者", "中立", "支持者", "倡导者", "不知情"}
    assert {row[11] for row in people if row[11]} <= {
        "决策者",
        "否决",
        "非正式否决",
        "影响者",
        "第三方",
    }
    assert all(isinstance(row[3], int | float) for row in people)  # levels stay numbers
    kinds = {row[3] for row in book["关系"].iter_rows(min_row=2, values_only=True)}
    assert kinds <= {"影响", "服从", "汇报", "盟友", "对手"} and kinds
    keys = [row[0] for row in book["提案"].iter_rows(min_row=2, values_only=True)]
    assert keys[:4] == ["标题", "倡导者", "通过比例", "决策规则"]
    rule = next(
        row[1]
        for row in book["提案"].iter_rows(min_row=2, values_only=True)
        if row[0] == "决策规则"
    )
    assert rule == "简单多数"


def test_the_chinese_workbook_dropdowns_and_their_messages_are_chinese() -> None:
    book = _zh_workbook(new_programme())
    rules = book["利益相关者"].data_validations.dataValidation
    stance = next(r for r in rules if r.formula1 and "阻挠者" in r.formula1)
    assert stance.formula1 == '"阻挠者,批评者,中立,支持者,倡导者,不知情"'
    assert stance.prompt == "阻挠者、批评者、中立、支持者、倡导者或不知情"
    assert stance.errorTitle == "不在列表中" and stance.promptTitle == "请选择"
    role = next(r for r in rules if r.formula1 and "决策者" in r.formula1)
    assert role.formula1 == '"决策者,否决,非正式否决,影响者,第三方"'
    scale = next(r for r in rules if r.type == "decimal")
    assert scale.error == "1 到 5 之间的数字" and scale.errorTitle == "超出范围"
    ties = book["关系"].data_validations.dataValidation
    assert any(r.formula1 == "利益相关者!$A$2:$A$1009" for r in ties)
    assert any(r.formula1 == '"影响,服从,汇报,盟友,对手"' for r in ties)


def test_the_chinese_workbook_room_sheets_speak_chinese() -> None:
    m = new_programme()
    book = _zh_workbook(m, name="演示", version=3)
    for title in ("权力-利益图", "网络指标", "联盟计划", "关于"):
        assert title in book.sheetnames
    about = {row[0]: row[1] for row in book["关于"].iter_rows(values_only=True)}
    assert about["地图"] == "演示" and about["版本"] == 3 and about["人数"] == len(m.stakeholders)
    assert about["重新导入"].startswith("在 Stakemap 的“数据”页面上传此文件")
    assert not _latin_words(about["重新导入"])
    plan_sheet = book["联盟计划"]
    assert _row(plan_sheet, 1) == [
        "步骤",
        "姓名",
        "阶段",
        "中间人",
        "请求",
        "理由",
        "之后支持率",
        "完成",
    ]
    assert _row(plan_sheet, 2)[2] in {"盟友", "说服", "协同", "收尾"}
    chart = book["权力-利益图"]
    assert _row(chart, 1) == ["姓名", "利益", "权力", "态度", "绘制 x", "绘制 y"]
    assert _row(book["网络指标"], 1)[0] == "姓名"
    for title in book.sheetnames[:3]:
        head = " ".join(str(v) for v in _row(book[title], 1) if v)
        assert not _latin_words(head), title


def test_the_english_workbook_keeps_its_english_words() -> None:
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(new_programme())))
    assert book.sheetnames[:3] == ["Stakeholders", "Relationships", "Proposal"]
    assert _row(book["Stakeholders"], 1)[:3] == ["Name", "Role", "Group"]
    assert "About" in book.sheetnames and "Coalition plan" in book.sheetnames


def test_the_kumu_workbook_stays_in_kumus_words() -> None:
    from stakemap.files.kumu import to_kumu_xlsx

    with speaking("zh"):
        data = to_kumu_xlsx(new_programme())
    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames[:3] == [
        "Elements",
        "Connections",
        "Proposal (ignore)",
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(decided_maps())
def test_a_chinese_workbook_comes_back_whole(m) -> None:
    """The workbook written in Chinese (sheets, headers, stance, role, kind, rule and outcome
    words) reads back as the same map: people, ties, the decision rule, layout and log."""
    with speaking("zh"):
        data = to_xlsx(m, extras=False)
    result = import_workbook(data, "map.xlsx")
    assert result.problems == []
    assert result.map == m


def _texts(data: bytes) -> tuple[list[str], list[str]]:
    """Every slide's text and every slide's notes."""
    prs = Presentation(io.BytesIO(data))
    shown = [
        shape.text_frame.text
        for slide in prs.slides
        for shape in slide.shapes
        if shape.has_text_frame
    ]
    notes = [slide.notes_slide.notes_text_frame.text for slide in prs.slides]
    return shown, notes


def test_the_deck_speaks_chinese_with_an_east_asian_font() -> None:
    m = new_programme()
    with speaking("zh"):
        data = deck(m, name="演示", when=date(2026, 1, 2), views=["network"])
    shown, notes = _texts(data)
    assert "2026 年 1 月 2 日" in shown[0] and "倡导者：Maya Lin" in shown[0]
    assert "影响网络" in shown
    assert any(text.startswith("第 1 步（共 ") for text in shown)
    assert "经由谁" in shown and "之前" in shown and "之后" in shown
    assert notes[1].startswith("箭头从施加影响的人指向受影响的人")
    prs = Presentation(io.BytesIO(data))
    runs = [
        run
        for slide in prs.slides
        for shape in slide.shapes
        if shape.has_text_frame
        for paragraph in shape.text_frame.paragraphs
        for run in paragraph.runs
    ]
    assert runs and all(
        run.font._rPr.find(qn("a:ea")).get("typeface") == EA_TYPEFACE for run in runs
    )
    assert all(run.font._rPr.get("lang") == "zh-CN" for run in runs)


def test_the_deck_in_english_is_as_before() -> None:
    shown, _notes = _texts(deck(new_programme(), name="Demo", when=date(2026, 1, 2), views=[]))
    assert "2 January 2026" in shown[0] and "Champion: Maya Lin" in shown[0]
    assert any(text.startswith("Step 1 of ") for text in shown)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler's pdftotext")
def test_the_plan_on_a_page_prints_chinese_glyphs(tmp_path: Path) -> None:
    with speaking("zh"):
        pdf = plan_pdf(new_programme(), name="演示", when=date(2026, 1, 2))
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for words in (
        "联盟计划",
        "决策方式",
        "当前形势",
        "步骤（按顺序）",
        "经由谁",
        "收尾",
        "第 1 页",
    ):
        assert words in text, words
    assert "2026 年 1 月 2 日" in text


def test_dates_and_pictures_speak_the_language() -> None:
    with speaking("zh"):
        assert long_date(date(2026, 12, 6)) == "2026 年 12 月 6 日"
        assert _left_off(organisation(300), "Power map", (1600, 900)) == (
            "略去了 300 个姓名：在 1600 x 900 下太小，无法辨认；2400 x 1350 的图片可以显示"
        )
        assert view_named("影响网络") == "network"
        svg = picture(new_programme(), "network", "svg", (800, 450)).decode("utf-8")
    assert "影响网络" in svg
    assert long_date(date(2026, 12, 6)) == "6 December 2026"


def test_the_store_says_why_in_chinese(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'maps.sqlite'}")
    with speaking("zh"):
        map_id = store.create("董事会", StakeholderMap())
        with pytest.raises(ValueError, match=r"^名为“董事会”的地图已存在。$"):
            store.create("董事会", StakeholderMap())
        with pytest.raises(ValueError, match=r"^地图需要一个名称。$"):
            store.create("  ", StakeholderMap())
        with pytest.raises(StaleVersion) as stale:
            store.save(map_id, StakeholderMap(), 0, "改")
        assert str(stale.value) == "在你载入版本 0 之后，这张地图已在别处被修改（现为版本 1）。"
        assert store.unique_name("") == "未命名地图"
    assert store.latest(map_id).description == "已创建"


def _run(args: list[str]) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "stakemap", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "src"), "LANG": "C.UTF-8"},
        timeout=120,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def test_the_cli_takes_its_language_from_lang_or_the_environment(monkeypatch) -> None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    assert _language(["plan", "m.xlsx"]) == "en"
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert _language(["plan", "m.xlsx"]) == "zh"
    assert _language(["plan", "m.xlsx", "--lang", "en"]) == "en"
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
    assert _language(["plan", "m.xlsx"]) == "en"


def test_the_cli_exports_a_chinese_workbook_and_says_so(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out.xlsx"
    assert main(["export", str(SAMPLE), str(out), "--lang", "zh"]) == 0
    said = capsys.readouterr().out
    assert said.startswith(f"已写出 {out}（") and said.rstrip().endswith("字节）")
    assert openpyxl.load_workbook(out).sheetnames[:3] == ["利益相关者", "关系", "提案"]
    assert main(["export", str(SAMPLE), str(tmp_path / "x.doc"), "--lang", "zh"]) == 1
    assert capsys.readouterr().err.startswith(f"{tmp_path / 'x.doc'}：扩展名必须是 .xlsx")


def test_the_cli_help_is_chinese() -> None:
    code, out, _err = _run(["export", "--help", "--lang", "zh"])
    assert code == 0
    assert "消息和写出文件所用的语言" in out and "图片尺寸，单位为像素（默认 1600x900）" in out
    code, out, _err = _run(["--lang", "zh", "--help"])
    assert code == 0 and "将所有地图及其历史写入文件夹" in out


def test_a_refusal_is_in_the_browsers_language() -> None:
    assert _browser_language({"headers": [(b"accept-language", b"zh-CN,zh;q=0.9")]}) == "zh"
    assert _browser_language({"headers": [(b"cookie", b"stakemap_language=zh")]}) == "zh"
    mixed = [(b"cookie", b"stakemap_language=en"), (b"accept-language", b"zh-CN")]
    assert _browser_language({"headers": mixed}) == "en"
    assert _browser_language({"headers": [(b"cookie", b'bad"cookie')]}) == "en"


# ---------------------------------------------------------------- pages


@pytest.fixture
def chinese_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A SQLite store holding one map, served to an AppTest that speaks Chinese."""
    url = f"sqlite:///{tmp_path / 'stakemap.sqlite'}"
    monkeypatch.setenv("STAKEMAP_DATABASE_URL", url)
    store = Store(url)
    store.claim_first_start()
    store.create(
        "董事会",
        StakeholderMap((Stakeholder("Dana", power=5), Stakeholder("Ines", stance=1))),
    )
    return store


def _page_text(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "caption", "markdown", "info") for e in at.get(kind)]
    widgets = ("button", "selectbox", "multiselect", "text_input", "radio", "toggle", "checkbox")
    parts += [w.label for kind in (*widgets, "expander") for w in at.get(kind)]
    return "\n".join(str(p) for p in parts)


def test_the_export_page_and_the_sidebar_speak_chinese(chinese_app: Store) -> None:
    at = page_in("views/export.py", "zh")
    assert at.title[0].value == "导出 · 董事会"
    text = _page_text(at)
    for words in (
        "版本 1：2 人，0 条关系。",
        "Excel 工作簿",
        "图片内容",
        "幻灯片内容",
        "版本 1 · 2 人 · 0 条关系 · 已自动保存",
    ):
        assert words in text, words
    assert [e.label for e in at.expander][:2] == ["新建地图", "重命名、复制、删除"]
    labels = [b.label for b in at.get("download_button")]
    assert "下载 .xlsx" in labels and "单页计划（PDF）" in labels
    assert at.radio(key="new-source").options == ["问答", "空白", "示例"]
    leftover = _latin_words(text, "董事会", "Dana", "Ines", "Stakemap")
    assert not leftover - {"Mendelow", "Gephi", "Cytoscape", "yEd", "networkx", "Elements",
                           "Connections", "Type", "Tags", "Direction", "mutual", "kumu", "viz",
                           "position", "Person"}, leftover  # fmt: skip


def test_the_decision_panel_speaks_chinese(chinese_app: Store) -> None:
    at = open_decision_panel(page_in("views/plan.py", "zh"))
    labels = {w.label for kind in ("multiselect", "text_input", "radio", "selectbox")
              for w in at.get(kind)}  # fmt: skip
    assert {
        "投票人",
        "正式否决权",
        "非正式否决权",
        "通过条件",
        "法定人数（可选）",
        "阻挠少数（可选）",
        "弃权",
    } <= labels
    abstain = next(r for r in at.radio if (r.key or "").endswith("-abstain"))
    assert abstain.options == ["计为反对", "不计入"]
    assert any(b.label == "保存决策方式" for b in at.button)


def test_argparse_says_its_own_words_in_chinese_too() -> None:
    code, _out, err = _run(["plan", "--lang", "zh"])
    assert code == 2
    assert "用法：stakemap plan" in err and "错误：缺少以下必需参数：file" in err
    code, out, _err = _run(["--help", "--lang", "zh"])
    assert code == 0 and "选项" in out and "显示此帮助信息并退出" in out
    code, _out, err = _run(["plan"])
    assert "usage: stakemap plan" in err and "the following arguments are required" in err
