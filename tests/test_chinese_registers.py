"""Registers typed in Chinese (docs/workbook.md, "Registers in Chinese"): headers, values and
sheet names in Simplified and Traditional characters, full-width digits and punctuation, CSV
saved as GB18030; names and notes kept exactly as typed; English registers read as before."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stakemap.vocabulary_zh as zh
from stakemap.files.cells import match_role
from stakemap.files.exporting import Book, canonical_rows, data_sheet
from stakemap.files.importing import import_workbook
from stakemap.files.outcome import CUSTOM
from stakemap.model import (
    Proposal,
    ProposalPart,
    Relationship,
    Stakeholder,
    StakeholderMap,
    Threshold,
)
from stakemap.schema import (
    ENGAGEMENTS,
    LAYOUT,
    PROPOSAL_COLUMNS,
    RELATIONSHIP_COLUMNS,
    SHEETS,
    STAKEHOLDER_COLUMNS,
    match_header,
    match_sheet,
)
from stakemap.values import RULES, parse_choice, parse_scale, parse_stance, value_kind
from tests.conftest import build_xlsx
from tests.test_exporting import maps

PEOPLE_HEADERS = ["姓名", "职位", "部门", "权力", "利益", "态度", "目标态度", "合法性", "紧迫性"]
PEOPLE_HEADERS += ["投入", "目标", "决策角色", "备注", "票数"]
PEOPLE = [
    ["李娜", "财务总监", "财务部", "高", "中", "强烈支持", "强烈支持", "很高", "一般", "低",
     "预算，人员、客户", "决策者", "支持加快进度", 3],
    ["王伟", "副总裁", "董事会", "很高", "较高", "反对", "中立", "高", "很高", "较高",
     "预算；风险", "否决", "", 1],
    ["张敏", "运营经理", "运营部", "中", "高", "不了解", "支持", "", "", "中等",
     "", "影响者", "需要先沟通", ""],
]  # fmt: skip
TIES_HEADERS = ["从", "到", "强度", "类型", "备注"]
TIES = [
    ["李娜", "王伟", "强", "影响", "每周例会"],
    ["张敏", "李娜", "较弱", "汇报", ""],
    ["王伟", "张敏", "-2", "对手", ""],
]
PROPOSAL = [
    ["项目", "内容", "标签"],
    ["标题", "新财务系统", ""],
    ["倡导者", "李娜", ""],
    ["门槛", "三分之二", "票数"],
    ["弃权", "不计", ""],
    ["部分", "数据迁移", "预算，风险"],
]

EXPECTED = StakeholderMap(
    (
        Stakeholder(
            "李娜", "财务总监", "财务部", 5.0, 3.0, 2, target_stance=2, legitimacy=5.0,
            urgency=3.0, effort=1.0, goals=("预算", "人员", "客户"), decision_role="decider",
            notes="支持加快进度", votes=3.0,
        ),
        Stakeholder(
            "王伟", "副总裁", "董事会", 5.0, 4.0, -1, target_stance=0, legitimacy=5.0,
            urgency=5.0, effort=4.0, goals=("预算", "风险"), decision_role="veto", votes=1.0,
        ),
        Stakeholder(
            "张敏", "运营经理", "运营部", 3.0, 5.0, 0, target_stance=1, effort=3.0,
            decision_role="influencer", notes="需要先沟通", unaware=True,
        ),
    ),
    (
        Relationship("李娜", "王伟", 5.0, "influences", "每周例会"),
        Relationship("张敏", "李娜", 2.0, "reports to"),
        Relationship("王伟", "张敏", -2.0, "rival"),
    ),
    Proposal(
        "新财务系统", "李娜", parts=(ProposalPart("数据迁移", ("预算", "风险")),),
        thresholds=(Threshold("2/3", "votes"),), abstentions="not counted",
    ),
)  # fmt: skip

#: The same register as people in Taiwan or Hong Kong type it: Traditional headers, words and
#: sheet names (the names, notes and tags stay as they are: they are the register's own text).
TRADITIONAL_HEADERS = ["姓名", "職位", "部門", "權力", "利益", "態度", "目標態度", "合法性"]
TRADITIONAL_HEADERS += ["緊迫性", "投入", "目標", "決策角色", "備註", "票數"]
TRADITIONAL_WORDS = {
    "强烈支持": "強烈支持", "较高": "較高", "反对": "反對", "不了解": "不瞭解",
    "决策者": "決策者", "否决": "否決", "影响者": "影響者",
    "强": "強", "较弱": "較弱", "影响": "影響", "汇报": "彙報", "对手": "對手",
    "项目": "項目", "内容": "內容", "标签": "標籤", "标题": "標題", "倡导者": "倡導者",
    "门槛": "門檻", "票数": "票數", "弃权": "棄權", "不计": "不計",
}  # fmt: skip


def _register(people_headers: list[str], cell=lambda v: v, titles=("利益相关者", "关系", "提案")):
    """The test register as an .xlsx, ``cell`` applied to every word and number cell."""
    people = [people_headers] + [
        [row[0], row[1], row[2], *map(cell, row[3:10]), row[10], cell(row[11]), *row[12:]]
        for row in PEOPLE
    ]
    ties = [TIES_HEADERS] + [[a, b, cell(s), cell(k), n] for a, b, s, k, n in TIES]
    proposal = [[cell(c) for c in PROPOSAL[0]]] + [
        [cell(k), v if k in ("标题", "倡导者", "部分") else cell(v), cell(t) if t == "票数" else t]
        for k, v, t in PROPOSAL[1:]
    ]
    return build_xlsx(dict(zip(titles, [people, ties, proposal], strict=True)))


def _read(data: bytes, filename: str = "register.xlsx") -> StakeholderMap:
    result = import_workbook(data, filename)
    assert result.problems == [], [str(p) for p in result.problems]
    for mapping in result.mappings:  # every column read as a canonical one
        assert CUSTOM not in mapping.columns.values(), mapping
    return result.map


def test_a_simplified_register_is_read_whole():
    result = import_workbook(_register(PEOPLE_HEADERS), "register.xlsx")
    assert result.problems == []
    assert [m.role for m in result.mappings] == ["Stakeholders", "Relationships", "Proposal"]
    assert list(result.mappings[0].columns.values()) == [c.name for c in STAKEHOLDER_COLUMNS]
    assert list(result.mappings[1].columns.values()) == [c.name for c in RELATIONSHIP_COLUMNS]
    assert "Stakeholders: column 权力 read as Power" in result.report
    assert result.map == EXPECTED


def test_a_traditional_register_reads_as_the_simplified_one():
    def traditional(value: object) -> object:
        return TRADITIONAL_WORDS.get(value, value) if isinstance(value, str) else value

    data = _register(TRADITIONAL_HEADERS, traditional, ("利害關係人", "關係", "提案"))
    assert _read(data) == EXPECTED
    assert all(zh.fold(t) == s != t for s, t in TRADITIONAL_WORDS.items())


_FULL_WIDTH = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}


def test_full_width_digits_signs_and_percent_are_numbers():
    people = [
        ["姓名", "权力（1-5分）", "利益％", "态度", "票数", "备注"],
        ["李娜", "４．５", "８０％", "＋２", "３", "ＣＦＯ，２０２６"],
        ["王伟", "２", "２０％", "－１", "０．５", "　"],
    ]
    ties = [["来自", "指向", "关系强度"], ["李娜", "王伟", "－２．５"]]
    m = _read(build_xlsx({"名单": people, "影响关系": ties}))
    assert [(s.name, s.power, s.interest, s.stance, s.votes) for s in m.stakeholders] == [
        ("李娜", 4.5, 4.2, 2, 3.0),
        ("王伟", 2.0, 1.8, -1, 0.5),
    ]
    assert m.stakeholders[0].notes == "ＣＦＯ，２０２６"  # notes as typed, not folded
    assert m.relationships[0].strength == -2.5


def test_names_stay_exactly_as_typed():
    people = [["姓名", "态度"], ["李娜", "支持"], ["陳大文", "中立"], ["ＡＮＡ", "反对"]]
    ties = [["从", "到"], ["陳大文", "ＡＮＡ"]]
    m = _read(build_xlsx({"干系人": people, "关系": ties}))
    assert [s.name for s in m.stakeholders] == ["李娜", "陳大文", "ＡＮＡ"]
    assert m.relationships[0].source == "陳大文"


def test_a_gb18030_csv_is_read_and_the_report_says_so():
    text = "姓名,职位,權力,态度\n李娜,财务总监,高,支持\n王喆,副总裁,3,反对\n"
    result = import_workbook(text.encode("gb18030"), "register.csv")
    assert result.problems == []
    assert [(s.name, s.role, s.power, s.stance) for s in result.map.stakeholders] == [
        ("李娜", "财务总监", 5.0, 1),
        ("王喆", "副总裁", 3.0, -1),
    ]
    assert "CSV read as GB18030, comma-separated" in result.report


@pytest.mark.parametrize(
    "text", ["Nom,Rôle\nHélène,Directrice générale\n", "Name,Notes\nJürgen Größe,Müller\n"]
)
def test_a_windows_1252_csv_is_not_taken_for_chinese(text: str):
    result = import_workbook(text.encode("cp1252"), "people.csv")
    assert "CSV read as Windows-1252, comma-separated" in result.report
    assert result.map.stakeholders[0].name == text.splitlines()[1].split(",")[0]


def test_an_engagement_log_in_chinese():
    people = [["姓名", "态度"], ["李娜", "支持"]]
    log = [["姓名", "日期", "结果", "之前态度", "之后态度", "步骤", "备注"]]
    log.append(["李娜", "2026-12-02", "未被說服", "中立", "支持", "１", "谈了预算"])
    m = _read(build_xlsx({"利益相关者": people, "接触记录": log}))
    entry = m.engagements[0]
    assert (entry.outcome, entry.stance_before, entry.stance_after, entry.step) == (
        "not convinced", 0, 1, 1,
    )  # fmt: skip


# -- no new ambiguity -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("利益相关者", "Name"),  # 利益 is Interest: the whole word is Name
        ("利益相关者姓名", "Name"),
        ("利益", "Interest"),
        ("利益程度", "Interest"),
        ("影响力", "Power"),
        ("影響力等級", "Power"),
        ("当前态度", "Stance"),
        ("对项目的态度", "Stance"),
        ("目标态度", "Target stance"),
        ("目标", "Goals"),
        ("项目角色", "Group"),  # PMBOK's "Role in project"
        ("决策角色", "Decision role"),
        ("权力/影响力", "Power"),
        ("权力(高/中/低)", "Power"),
    ],
)
def test_chinese_headers_name_one_column(header: str, column: str):
    assert match_header(header, STAKEHOLDER_COLUMNS).name == column


@pytest.mark.parametrize("header", ["影响者", "影响", "关系强度", "项目", "主要利益相关者"])
def test_words_of_other_tables_are_no_stakeholder_header_but_their_own(header: str):
    found = match_header(header, STAKEHOLDER_COLUMNS)
    assert found is None or (header == "影响" and found.name == "Power")


def test_value_words_and_headers_stay_apart():
    assert parse_choice("影响", "Kind") == "influences"
    assert parse_choice("影响者", "Decision role") == "influencer"
    assert match_header("影响者", RELATIONSHIP_COLUMNS).name == "From"
    assert match_header("项目", PROPOSAL_COLUMNS).name == "Key"
    assert match_sheet("利益相关者").name == "Stakeholders"
    assert match_sheet("關係").name == "Relationships"
    assert [match_role(t).name for t in ("布局", "接觸記錄", "議案")] == [
        "Layout",
        "Engagements",
        "Proposal",
    ]


def test_every_chinese_word_is_written_plain_and_simplified():
    """Keys are matched folded (stakemap.vocabulary_zh.fold): a word written in Traditional or
    full-width characters could never match."""
    tables = (zh.LEVELS, zh.STANCES, zh.STRENGTHS, zh.ROLES, zh.KINDS, zh.RULES, zh.SHARES)
    tables += (zh.ABSTENTIONS, zh.MEASURES, zh.PROPOSAL_KEYS, zh.OUTCOMES, zh.UNAWARE)
    words = [k for table in tables for k in table]
    specs = (*SHEETS, LAYOUT, ENGAGEMENTS)
    words += [s for spec in specs for s in spec.synonyms]
    words += [s for spec in specs for c in spec.columns for s in c.synonyms]
    assert [w for w in words if zh.fold(w) != w] == []


def test_a_column_of_chinese_stance_words_or_titles_is_told_by_its_values():
    assert value_kind(["支持", "反對", "中立"]) == ("stance", "支持")
    assert value_kind(["财务总监", "副總裁", "董事会秘书"]) == ("role", "财务总监")
    assert value_kind(["董事会", "委员会"]) == (None, "")
    assert parse_scale("較高", "1-5") == 4.0
    assert parse_stance("不瞭解") == (0, True)
    people = [["姓名", "看法", "头衔？"], ["李娜", "支持", "财务总监"], ["王伟", "反对", "副总裁"]]
    result = import_workbook(build_xlsx({"Sheet1": people}), "register.xlsx")
    assert [(s.stance, s.role) for s in result.map.stakeholders] == [
        (1, "财务总监"),
        (-1, "副总裁"),
    ]


# -- the property: any map, written as a Chinese register, comes back -------------------------

_TO_TRADITIONAL: dict[str, list[str]] = {}
for _t, _s in zh.TRADITIONAL.items():
    _TO_TRADITIONAL.setdefault(chr(_s), []).append(chr(_t))


def _words_for(table: dict[str, object], value: object) -> list[str]:
    return [w for w, v in table.items() if v == value]


@st.composite
def _chinese(draw, text: str) -> str:
    """A Chinese word in Simplified or (at random) Traditional characters."""
    if not draw(st.booleans()):
        return text
    return "".join(draw(st.sampled_from([c, *_TO_TRADITIONAL.get(c, [])])) for c in text)


@st.composite
def _number(draw, x: float) -> str | float:
    """A number as a cell: a number, or text in ASCII or full-width digits."""
    text = f"{x:g}"
    return draw(st.sampled_from([x, text, text.translate(_FULL_WIDTH)]))


_COLUMNS = {spec.name: spec for spec in SHEETS}


def _header(draw, sheet: str, name: str) -> str:
    column = _COLUMNS[sheet].column(name)
    return draw(_chinese(draw(st.sampled_from([s for s in column.synonyms if not s.isascii()]))))


def _level(draw, x: float) -> str | float:
    words = _words_for(zh.LEVELS, x) if x == int(x) else []
    return (
        draw(_chinese(draw(st.sampled_from(words))))
        if words and draw(st.booleans())
        else (draw(_number(x)))
    )


def _stance(draw, label: str) -> str:
    if not label:
        return ""
    if label == "Unaware":
        return draw(_chinese(draw(st.sampled_from(sorted(zh.UNAWARE)))))
    value = parse_stance(label)[0]
    words = [w for w in _words_for(zh.STANCES, value) if w not in zh.UNAWARE]
    return (
        draw(_chinese(draw(st.sampled_from(words))))
        if draw(st.booleans())
        else (f"{value:+d}".translate(_FULL_WIDTH) if draw(st.booleans()) else f"{value:+d}")
    )


def _choice(draw, table: dict[str, str], value: str) -> str:
    return draw(_chinese(draw(st.sampled_from(_words_for(table, value))))) if value else ""


def _strength(draw, x: float) -> str | float:
    words = _words_for({**zh.LEVELS, **zh.STRENGTHS}, x)
    if words and draw(st.booleans()):
        return draw(_chinese(draw(st.sampled_from(words))))
    return draw(_number(x))


_SEPARATORS = (", ", "，", "、", "；")


def _people(draw, rows: list[list[object]]) -> list[list[object]]:
    head, *body = rows
    kinds = {c.name: c.kind for c in STAKEHOLDER_COLUMNS}
    out = [[_header(draw, "Stakeholders", h) if h in kinds else h for h in head]]
    for row in body:
        cells = []
        for header, value in zip(head, row, strict=True):
            kind = kinds.get(header, "custom")
            if value in ("", None) or kind in ("text", "custom"):
                cells.append(value)
            elif kind == "scale":
                cells.append(_level(draw, value))
            elif kind == "stance":
                cells.append(_stance(draw, value))
            elif kind == "choice":
                cells.append(_choice(draw, zh.ROLES, value))
            elif kind == "tags":
                cells.append(draw(st.sampled_from(_SEPARATORS)).join(value.split(", ")))
            else:
                cells.append(draw(_number(value)))
        out.append(cells)
    return out


def _ties(draw, rows: list[list[object]]) -> list[list[object]]:
    head, *body = rows
    out = [[_header(draw, "Relationships", h) for h in head]]
    for source, target, strength, kind, notes in body:
        out.append(
            [source, target, _strength(draw, strength), _choice(draw, zh.KINDS, kind), notes]
        )
    return out


def _proposal(draw, rows: list[list[object]]) -> list[list[object]]:
    head, *body = rows
    out = [[_header(draw, "Proposal", h) for h in head]]
    rules = {words: key for key, words in RULES.items()}
    for key, value, tags in body:
        word = draw(_chinese(draw(st.sampled_from(_words_for(zh.PROPOSAL_KEYS, key.lower())))))
        if key == "Decision rule":
            value = _choice(draw, zh.RULES, rules.get(value, ""))
        elif key == "Pass share":
            value = str(value).translate(_FULL_WIDTH) if draw(st.booleans()) else value
        out.append([word, value, tags])
    return out


def _titles(draw) -> list[str]:
    return [
        draw(_chinese(draw(st.sampled_from([s for s in spec.synonyms if not s.isascii()]))))
        for spec in SHEETS
    ]


def _written(sheets: dict[str, list[list[object]]]) -> bytes:
    """An .xlsx of ``sheets`` as the exporter writes its sheets (text that looks like a formula
    stays text, which openpyxl's writer in build_xlsx would not keep)."""
    out = io.BytesIO()
    book = Book(out)
    for title, rows in sheets.items():
        data_sheet(book, title, rows)
    book.close()
    return out.getvalue()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(maps(), st.data())
def test_any_map_written_as_a_chinese_register_comes_back(m: StakeholderMap, data) -> None:
    rows = canonical_rows(m)
    draw = data.draw
    register = {
        title: sheet
        for title, sheet in zip(
            _titles(draw),
            [
                _people(draw, rows["Stakeholders"]),
                _ties(draw, rows["Relationships"]),
                _proposal(draw, rows["Proposal"]),
            ],
            strict=True,
        )
    }
    result = import_workbook(_written(register), "register.xlsx")
    assert result.problems == [], [str(p) for p in result.problems]
    assert result.map == m


def test_a_chinese_register_read_in_chinese_is_reported_in_chinese():
    """The import report of a Chinese register, read by a session speaking Chinese, says every
    line in Chinese: no English word but the register's own text."""
    from stakemap.language import speaking
    from tests.visible import untranslated, user_words

    with speaking("zh"):
        result = import_workbook(_register(PEOPLE_HEADERS), "register.xlsx")
    assert result.problems == [] and result.map == EXPECTED
    assert "利益相关者：列 权力 读作 权力" not in result.report  # a header read as itself
    assert (
        "利益相关者：列 部门 读作 组" in result.report and "关系：列 从 读作 来自" in result.report
    )
    typed = user_words(EXPECTED, *PEOPLE_HEADERS, *TIES_HEADERS, "register.xlsx")
    assert untranslated(result.report, typed) == []
