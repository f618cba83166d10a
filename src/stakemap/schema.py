"""The workbook's column spec: one source of truth for import, editing, export and validation.

Canonical form as in docs/workbook.md. Header matching is case- and
space-insensitive (see :func:`normalise_header`), and reads full-width and Traditional Chinese
as their plain forms: the Chinese synonyms are written in Simplified characters
(docs/workbook.md, "Registers in Chinese").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import stakemap.vocabulary_zh as zh
from stakemap.language import N_
from stakemap.model import DECISION_ROLES, RELATIONSHIP_KINDS

__all__ = [
    "ENGAGEMENTS",
    "LAYOUT",
    "PROPOSAL_KEYS",
    "RELATIONSHIP_COLUMNS",
    "SHEETS",
    "STAKEHOLDER_COLUMNS",
    "Column",
    "SheetSpec",
    "header_words",
    "match_header",
    "normalise_header",
    "proposal_key",
]


@dataclass(frozen=True)
class Column:
    """One canonical column.

    ``kind`` is one of: text, scale (1-5, any accepted scale rescaled), stance (-2..+2 or a word),
    tags (comma-separated), choice (one of ``choices``), strength (-5..5), share (0-100%),
    votes (0 or more, kept as written), number (any number: a layout coordinate), date (an ISO
    date or a date cell), outcome (a meeting's outcome), step (a step number, 1 or more).
    ``field`` is the attribute of the model object the column fills.
    """

    name: str
    field: str
    kind: str
    synonyms: tuple[str, ...] = ()
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class SheetSpec:
    name: str
    synonyms: tuple[str, ...]
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


STAKEHOLDER_COLUMNS: tuple[Column, ...] = (
    Column(
        "Name",
        "name",
        "text",
        (
            "stakeholder",
            "person",
            "nom",
            "full name",
            "party",
            "who",
            "stakeholder name",
            "label",
            *("姓名", "名称", "名字", "利益相关者", "利益相关方", "干系人", "利害关系人", "持份者"),
            *("人员", "人物"),
        ),
        required=True,
        help=N_("Unique name of the person or party"),
    ),
    Column(
        "Role",
        "role",
        "text",
        (
            *("title", "job", "job title", "position title", "function"),
            *("职位", "角色", "职务", "岗位", "职称", "头衔", "职能"),
        ),
    ),
    Column(
        "Group",
        "group",
        "text",
        (
            "organisation",
            "organization",
            "team",
            "camp",
            "dept",
            "department",
            "org",
            "unit",
            "type",
            "role in project",
            "role in the project",
            *("部门", "组", "组别", "群体", "单位", "组织", "机构", "团队", "阵营", "类别", "分类"),
            *("类型", "项目角色", "项目中的角色"),
        ),
    ),
    Column(
        "Power",
        "power",
        "scale",
        (
            *("influence", "authority", "clout", "power level", "impact"),
            *("权力", "影响力", "权力值", "影响", "权威"),
        ),
        help=N_("1-5: how much they can affect the decision"),
    ),
    Column(
        "Interest",
        "interest",
        "scale",
        ("concern", "interest level", "stake", "利益", "关注度", "兴趣", "利益程度", "关注"),
        help=N_("1-5: how much the decision affects or concerns them"),
    ),
    Column(
        "Stance",
        "stance",
        "stance",
        (
            "attitude",
            "position",
            "support",
            "current stance",
            "current engagement",
            "current",
            "engagement",
            *("态度", "立场", "参与程度", "参与度", "当前参与程度"),
        ),
        help=N_("Blocker, Critic, Neutral, Supporter, Champion (-2..+2)"),
    ),
    Column(
        "Target stance",
        "target_stance",
        "stance",
        (
            *("desired stance", "desired engagement", "desired", "target", "goal stance"),
            *("目标态度", "目标立场", "期望态度", "期望立场", "期望参与程度"),
        ),
        help=N_("Where we want them (engagement matrix: desired)"),
    ),
    Column(
        "Legitimacy",
        "legitimacy",
        "scale",
        ("legitimate", "合法性", "正当性"),
        help=N_("1-5: salience model (Mitchell, Agle & Wood)"),
    ),
    Column(
        "Urgency",
        "urgency",
        "scale",
        ("urgent", "紧迫性", "紧急性", "紧急程度"),
        help=N_("1-5: salience model"),
    ),
    Column(
        "Effort",
        "effort",
        "scale",
        ("cost", "access", "difficulty", "投入", "工作量", "难度", "接触难度", "成本", "精力"),
        help=N_("1-5: how hard it is to get their time and attention (default 3)"),
    ),
    Column(
        "Goals",
        "goals",
        "tags",
        (
            *("goal", "interests", "priorities", "cares about", "tags"),
            *("目标", "诉求", "主要诉求", "需求", "主要需求", "关注点", "标签"),
        ),
        help=N_("Comma-separated tags, matched against proposal parts"),
    ),
    Column(
        "Decision role",
        "decision_role",
        "choice",
        (
            *("decision", "role in decision", "decision making role"),
            *("决策角色", "决策", "决策中的角色"),
        ),
        choices=DECISION_ROLES,
        help=N_(
            "decider, veto (binds however isolated), informal veto (gives way once isolated), "
            "influencer, third party, or empty"
        ),
    ),
    Column(
        "Notes",
        "notes",
        "text",
        (
            *("note", "comments", "comment", "remarks", "description"),
            *("备注", "说明", "注释", "评论", "描述"),
        ),
    ),
    Column(
        "Votes",
        "votes",
        "votes",
        (
            *("vote", "seats", "voting weight", "shares"),
            *("票数", "票", "投票权", "表决权", "席位", "投票权重"),
        ),
        help=N_("Votes in the decision (default 1 for each decider and veto holder)"),
    ),
)

RELATIONSHIP_COLUMNS: tuple[Column, ...] = (
    Column(
        "From",
        "source",
        "text",
        (
            *("source", "influencer", "from person", "who"),
            *("从", "来自", "发起方", "影响方", "影响者", "来源"),
        ),
        required=True,
    ),
    Column(
        "To",
        "target",
        "text",
        (
            *("target", "influenced", "to person", "whom"),
            *("到", "对象", "指向", "受影响方", "被影响方", "被影响者"),
        ),
        required=True,
    ),
    Column(
        "Strength",
        "strength",
        "strength",
        ("weight", "tie strength", "influence strength", "强度", "关系强度", "影响强度", "权重"),
        help=N_("-5..5; negative: From's visible support pushes To away"),
    ),
    Column(
        "Kind",
        "kind",
        "choice",
        ("type", "relationship", "relation", "tie", "类型", "关系类型", "关系", "种类"),
        choices=RELATIONSHIP_KINDS,
    ),
    Column(
        "Notes",
        "notes",
        "text",
        ("note", "comments", "comment", "description", "备注", "说明", "描述"),
    ),
)

PROPOSAL_COLUMNS: tuple[Column, ...] = (
    Column("Key", "key", "text", ("field", "item", "项目", "字段", "键"), required=True),
    Column("Value", "value", "text", ("text", "content", "内容", "值", "数值")),
    Column("Tags", "tags", "tags", ("goals", "goal tags", "标签", "目标")),
)
#: Keys the Proposal sheet understands (docs/workbook.md); any other key is kept as written.
PROPOSAL_KEYS: tuple[str, ...] = (
    "Title",
    "Champion",
    "Pass share",
    "Decision rule",
    "Threshold",
    "Quorum",
    "Abstentions",
    "Blocking minority",
    "Rough",
    "Part",
)

SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec(
        "Stakeholders",
        (
            "stakeholder",
            "people",
            "persons",
            "map",
            "register",
            "stakeholder register",
            "parties",
            "elements",
            *("利益相关者", "利益相关方", "干系人", "利害关系人", "持份者", "人员", "名单"),
            *("干系人登记册", "利益相关者登记册", "登记册"),
        ),
        STAKEHOLDER_COLUMNS,
    ),
    SheetSpec(
        "Relationships",
        (
            "relationship",
            "relations",
            "ties",
            "links",
            "edges",
            "influences",
            "network",
            "connections",
            *("关系", "影响关系", "关系网", "人际关系", "关系网络"),
        ),
        RELATIONSHIP_COLUMNS,
    ),
    SheetSpec(
        "Proposal",
        ("proposals", "decision", "plan", "idea", "提案", "议案", "方案"),
        PROPOSAL_COLUMNS,
    ),
)

#: Network positions (vis-network drawing units), one row a person; a hidden sheet in exports.
LAYOUT = SheetSpec(
    "Layout",
    ("positions", "network layout", "布局", "网络布局"),
    (
        Column("Name", "name", "text", ("label", "id", "node", "姓名", "名称"), required=True),
        Column("X", "x", "number", ("x position",), required=True),
        Column("Y", "y", "number", ("y position",), required=True),
    ),
)


#: The engagement log, one row a meeting (:class:`stakemap.model.Engagement`); found by name.
ENGAGEMENTS = SheetSpec(
    "Engagements",
    ("engagement log", "engagements log", "接触记录", "会谈记录", "沟通记录", "会面记录"),
    (
        Column(
            "Name", "name", "text", ("person", "stakeholder", "姓名", "利益相关者"), required=True
        ),
        Column(
            "Date", "date", "date", ("meeting date", "met on", "日期", "会面日期"), required=True
        ),
        Column("Outcome", "outcome", "outcome", ("result", "结果"), required=True),
        Column(
            "Stance before", "stance_before", "stance", ("之前态度", "接触前态度"), required=True
        ),
        Column("Stance after", "stance_after", "stance", ("之后态度", "接触后态度"), required=True),
        Column("Step", "step", "step", ("plan step", "步骤", "计划步骤")),
        Column("Note", "note", "text", ("notes", "comment", "备注", "说明", "记录")),
    ),
)

#: Sheets found by their name only (network positions, the engagement log).
NAMED_SHEETS: tuple[SheetSpec, ...] = (LAYOUT, ENGAGEMENTS)


def normalise_header(text: object) -> str:
    """Lower-case, trimmed, inner whitespace/underscores/dashes folded to one space; full-width
    and Traditional Chinese as plain and Simplified (:func:`stakemap.vocabulary_zh.fold`).

    >>> normalise_header("  Target_Stance "), normalise_header("權力　（１－５）")
    ('target stance', '权力 (1 5)')
    """
    return re.sub(r"[\s_\-]+", " ", zh.fold(str(text or ""))).strip().lower()


#: A unit or scale hint at the end of a header: "Interest %", "Power (1-5)", "Support (H/M/L)",
#: "权力（1-5分）", "影响力(高/中/低)".
_UNIT_HINT = re.compile(
    r"\s*(?:\((?:[\d\s.,%/\-–]+分?|h\s*/\s*m\s*/\s*l|高\s*/\s*中\s*/\s*低)\)|%)$"
)


def match_header(text: object, columns: tuple[Column, ...]) -> Column | None:
    """The canonical column a header names: by canonical name or synonym, else by its words.

    A unit or scale hint at its end is ignored. Failing an exact match, the header's words
    less filler ("level of", "towards the project", "current", ...) are matched: they must all
    belong to one column's names and synonyms and include one of its one-word names
    ("Level of interest" is Interest, "Power/Influence" is Power). A header whose words fit
    no column, or several, matches none (the column's values may still decide, see
    :mod:`stakemap.files.importing`).

    >>> [c.name for c in map(lambda h: match_header(h, SHEETS[0].columns),
    ...                      ["Interest %", "Power (1-5)", "attitude (h/m/l)",
    ...                       "Level of interest", "Attitude towards the project"])]
    ['Interest', 'Power', 'Stance', 'Interest', 'Stance']
    """
    key = _UNIT_HINT.sub("", normalise_header(text))
    if not key:
        return None
    for col in columns:
        if key == _name_key(col.name) or key in col.synonyms:
            return col
    words = header_words(key)
    if not words:
        return None
    found = [c for c in columns if words <= _vocabulary(c)[1] and words & _vocabulary(c)[0]]
    return found[0] if len(found) == 1 else None


#: Words that do not change what a header names ("Level of interest", "Current support").
_FILLER = frozenset(
    re.findall(
        r"\w+",
        "level levels of the a an to towards toward on in for with about regarding their its "
        "project programme program change initiative stakeholder stakeholders current overall "
        "degree score rating assessment and or",
    )
)


def header_words(text: object) -> frozenset[str]:
    """A header's words, lower-case, without filler; Chinese filler
    (:data:`stakemap.vocabulary_zh.FILLER`) parts the words of a Chinese header, which has
    no spaces.

    >>> sorted(header_words("Level of Influence (H/M/L)")), sorted(header_words("Power/Impact"))
    (['h', 'influence', 'l', 'm'], ['impact', 'power'])
    >>> sorted(header_words("当前态度")), sorted(header_words("利益相关者的影响力等级"))
    (['态度'], ['影响力'])
    """
    key = zh.FILLER.sub(" ", normalise_header(text))
    return frozenset(re.findall(r"[^\W_]+", key)) - _FILLER


@cache
def _vocabulary(col: Column) -> tuple[frozenset[str], frozenset[str]]:
    """(one-word names, every word of every name) of a column, filler left out."""
    keys = (col.name, *col.synonyms)
    single = frozenset(w for k in keys if len(words := header_words(k)) == 1 for w in words)
    return single, frozenset(w for k in keys for w in header_words(k))


@cache
def _name_key(name: str) -> str:
    """A canonical name, normalised once (headers are matched against it cell by cell)."""
    return normalise_header(name)


def sheet_spec(name: str) -> SheetSpec:
    return next(s for s in SHEETS if s.name == name)


def proposal_key(text: object) -> str:
    """A Proposal row's key as the importer's lower-case English key (:data:`PROPOSAL_KEYS`);
    a Chinese key (:data:`stakemap.vocabulary_zh.PROPOSAL_KEYS`) as its English one.

    >>> proposal_key("Pass_Share"), proposal_key("法定人數"), proposal_key("Budget")
    ('pass share', 'quorum', 'budget')
    """
    key = normalise_header(text)
    return zh.PROPOSAL_KEYS.get(key, key)


def match_sheet(title: str) -> SheetSpec | None:
    key = normalise_header(title)
    for spec in SHEETS:
        if key == normalise_header(spec.name) or key in spec.synonyms:
            return spec
    return None
