"""The Chinese words the importer reads (docs/workbook.md, "Registers in Chinese"), each table
beside the English one of :mod:`stakemap.values` it joins and meaning what that one means;
and :func:`fold`, the match key of text typed with a Chinese input method.

Words are written in Simplified characters. Traditional ones are read as Simplified character
by character (:data:`TRADITIONAL`): a table of the characters this vocabulary and the Chinese
headers of :mod:`stakemap.schema` use, not a converter. Full-width digits, letters and
punctuation are read as their ASCII forms (:data:`WIDTH`). Names and notes are never folded:
only match keys are.
"""

from __future__ import annotations

import re

__all__ = [
    "ABSTENTIONS",
    "FILLER",
    "KINDS",
    "LEVELS",
    "MEASURES",
    "OUTCOMES",
    "PROPOSAL_KEYS",
    "ROLES",
    "RULES",
    "SHARES",
    "STANCES",
    "STRENGTHS",
    "TITLES",
    "TRADITIONAL",
    "UNAWARE",
    "WIDTH",
    "fold",
]

#: Full-width ASCII forms (U+FF01-FF5E: ３, ％, （, ，) as ASCII, the ideographic space as a
#: space, the minus sign U+2212 as a hyphen. Not NFKC, which would also read "66⅔%" as
#: "662⁄3%" and "10²" as "102".
WIDTH: dict[int, int] = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 32, 0x2212: 45}

#: Traditional -> Simplified for the characters this vocabulary and the Chinese headers and
#: sheet names of :mod:`stakemap.schema` use: every Traditional form that OpenCC's
#: STCharacters.txt gives them (幹, 乾 and 榦 all read 干). A word added with a new character
#: adds that character's forms here.
_PAIRS = (
    "乾干 佈布 來来 侷局 係系 備备 像象 內内 冊册 別别 則则 劃划 動动 務务 匯汇 協协 參参 員员 "
    "問问 單单 噹当 嚮向 團团 堅坚 報报 場场 審审 專专 對对 導导 屬属 崗岗 師师 幹干 廳厅 強强 "
    "彆别 彔录 彙汇 後后 從从 態态 懷怀 搖摇 撓挠 擁拥 擺摆 敵敌 數数 於于 曉晓 曏向 書书 會会 "
    "棄弃 極极 榦干 構构 標标 機机 檻槛 權权 決决 準准 溝沟 滙汇 營营 爭争 爲为 牴抵 牽牵 現现 "
    "當当 發发 監监 瞭了 確确 礙碍 祕秘 種种 稱称 積积 競竞 簡简 簽签 籤签 糰团 級级 組组 結结 "
    "絡络 給给 經经 網网 緊紧 編编 緻致 縣县 總总 織织 繫系 羣群 聯联 職职 聽听 與与 興兴 菓果 "
    "蓆席 蔘参 處处 衕同 製制 襬摆 規规 視视 觀观 觸触 計计 記记 設设 訴诉 註注 評评 說说 談谈 "
    "論论 識识 議议 護护 讚赞 負负 責责 質质 贊赞 贏赢 軟软 較较 過过 適适 釋释 銜衔 錄录 錶表 "
    "鍵键 鎮镇 長长 門门 閤合 閾阈 闆板 關关 陣阵 隊队 際际 隸隶 難难 響响 項项 順顺 領领 頭头 "
    "題题 類类 顧顾 驟骤 體体 髮发 麪面 點点 "
)
TRADITIONAL: dict[int, int] = {ord(t): ord(s) for t, s in _PAIRS.split()}

_TABLE = WIDTH | TRADITIONAL


def fold(text: str) -> str:
    """``text`` as a match key reads it: full-width forms as ASCII (:data:`WIDTH`), Traditional
    characters as Simplified (:data:`TRADITIONAL`).

    >>> fold("權力（１－５）"), fold("－１"), fold("態度"), fold("Ana")
    ('权力(1-5)', '-1', '态度', 'Ana')
    """
    return text if text.isascii() else text.translate(_TABLE)


# The word tables, each read as the English table it joins (stakemap.values) reads its words.

#: Level words (values._LEVEL_WORDS): the five-point scale of Chinese questionnaires, 很低 ..
#: 很高, gives 1 .. 5; 大/小 as people say of influence.
LEVELS: dict[str, int] = {
    "低": 1, "很低": 1, "非常低": 1, "极低": 1, "小": 1, "很小": 1,
    "较低": 2, "偏低": 2, "较小": 2,
    "中": 3, "中等": 3, "一般": 3, "适中": 3, "中度": 3,
    "较高": 4, "偏高": 4, "较大": 4,
    "高": 5, "很高": 5, "非常高": 5, "极高": 5, "大": 5, "很大": 5,
}  # fmt: skip

#: Stance words (values.STANCE_WORDS), -2 .. +2; the PMBOK engagement levels as the Chinese
#: PMBOK Guide names them (领导型 .. 不了解型).
STANCES: dict[str, int] = {
    "强烈支持": 2, "坚决支持": 2, "非常支持": 2, "积极支持": 2, "倡导者": 2, "拥护": 2,
    "领导": 2, "领导型": 2,
    "支持": 1, "支持者": 1, "支持型": 1, "赞成": 1, "赞同": 1, "积极": 1, "正面": 1,
    "中立": 0, "中立型": 0, "中性": 0, "观望": 0, "不明": 0, "未知": 0, "不确定": 0,
    "未表态": 0, "待定": 0, "摇摆": 0, "不了解": 0, "不了解型": 0, "不知晓": 0, "不知情": 0,
    "反对": -1, "反对者": -1, "批评": -1, "批评者": -1, "质疑": -1, "怀疑": -1,
    "消极": -1, "负面": -1, "抵触": -1, "抵制": -1, "抵制型": -1, "不支持": -1,
    "强烈反对": -2, "坚决反对": -2, "阻止": -2, "阻挠": -2, "阻碍": -2, "阻挠者": -2,
    "敌对": -2,
}  # fmt: skip
#: The stance words that also say the person does not know of the change (PMBOK "Unaware").
UNAWARE: frozenset[str] = frozenset({"不了解", "不了解型", "不知晓", "不知情"})

#: Tie strength words besides the levels (values._STRENGTH_WORDS).
STRENGTHS: dict[str, int] = {
    "强": 5, "很强": 5, "非常强": 5, "较强": 4, "较弱": 2, "弱": 1, "很弱": 1, "非常弱": 1,
}  # fmt: skip

#: Decision roles (values._ROLE_WORDS).
ROLES: dict[str, str] = {
    "决策者": "decider", "决策人": "decider", "决定者": "decider", "拍板人": "decider",
    "审批人": "decider", "批准人": "decider",
    "否决": "veto", "否决者": "veto", "否决权": "veto", "一票否决": "veto",
    "非正式否决": "informal veto", "非正式否决权": "informal veto", "软否决": "informal veto",
    "影响者": "influencer", "影响人": "influencer", "影响方": "influencer",
    "第三方": "third party", "外部": "third party", "外部方": "third party",
}  # fmt: skip

#: Relationship kinds (values._KIND_WORDS).
KINDS: dict[str, str] = {
    "影响": "influences",
    "服从": "defers to", "听从": "defers to", "顺从": "defers to", "遵从": "defers to",
    "汇报": "reports to", "汇报给": "reports to", "隶属": "reports to", "隶属于": "reports to",
    "盟友": "ally", "同盟": "ally", "联盟": "ally", "结盟": "ally", "朋友": "ally",
    "对手": "rival", "竞争": "rival", "竞争对手": "rival", "竞争者": "rival", "对立": "rival",
    "敌对": "rival",
}  # fmt: skip

#: Decision rules (values._RULE_WORDS).
RULES: dict[str, str] = {
    "得票比例": "share", "按比例": "share", "按票数比例": "share",
    "多数": "majority", "简单多数": "majority", "过半数": "majority",
    "一致": "unanimity", "全体一致": "unanimity", "一致同意": "unanimity",
    "协商一致": "unanimity", "共识": "unanimity",
    "单一决策者": "single", "一人决定": "single",
}  # fmt: skip

#: Shares (values._SHARE_WORDS).
SHARES: dict[str, str] = {
    "多数": "1/2", "简单多数": "1/2", "过半数": "1/2", "半数": "1/2",
    "一致": "1/1", "全体一致": "1/1", "一致同意": "1/1", "协商一致": "1/1", "共识": "1/1",
    "全体": "1/1", "全票": "1/1", "全部": "1/1",
    "三分之二": "2/3", "四分之三": "3/4", "五分之三": "3/5",
}  # fmt: skip

#: How abstentions count (values._ABSTENTION_WORDS).
ABSTENTIONS: dict[str, str] = {
    "计为反对": "count against", "视为反对": "count against", "算作反对": "count against",
    "反对": "count against", "全部票数": "count against",
    "不计": "not counted", "不计入": "not counted", "不计算": "not counted",
    "忽略": "not counted", "有效票": "not counted", "已投票数": "not counted",
}  # fmt: skip

#: What a threshold counts (values.measure_key): votes or members.
MEASURES: dict[str, str] = {
    "票": "votes", "票数": "votes", "投票": "votes", "加权票数": "votes", "席位": "votes",
    "成员": "members", "人数": "members", "人头": "members",
}  # fmt: skip

#: Keys of the Proposal sheet (schema.PROPOSAL_KEYS), as the importer's lower-case keys.
PROPOSAL_KEYS: dict[str, str] = {
    "标题": "title", "名称": "title", "议题": "title",
    "倡导者": "champion", "发起人": "champion", "牵头人": "champion", "推动者": "champion",
    "通过比例": "pass share", "决策规则": "decision rule", "表决规则": "decision rule",
    "门槛": "threshold", "阈值": "threshold", "表决门槛": "threshold",
    "法定人数": "quorum", "弃权": "abstentions", "弃权票": "abstentions",
    "阻止少数": "blocking minority", "否决少数": "blocking minority",
    "阻挠少数": "blocking minority",
    "估计": "rough", "估算": "rough",
    "部分": "part", "组成部分": "part", "子项": "part",
}  # fmt: skip

#: A meeting's outcomes (model.OUTCOMES keys).
OUTCOMES: dict[str, str] = {
    "成功": "won", "争取成功": "won", "赢得": "won", "已争取": "won",
    "同意但消极": "passive", "被动同意": "passive", "口头同意": "passive",
    "未被说服": "not convinced", "未说服": "not convinced",
}  # fmt: skip

#: Job titles (values.value_kind's title words): a cell holding one is a job title (财务总监,
#: 副总裁); 董事会 and 委员会 are groups.
TITLES = re.compile(
    "总监|经理|主任|总裁|董事(?!会)|委员(?!会)|主席|部长|局长|处长|科长|厅长|院长|校长|行长|"
    "主管|首席|工程师|顾问|专员|秘书|代表|负责人|组长|队长|会计|律师|教授|书记|市长|省长|县长|"
    "镇长|主编|分析师|设计师|助理"
)

#: Header filler (schema.header_words): words that do not change what a header names
#: (当前态度 is 态度, 利益相关者姓名 is 姓名, 影响力等级 is 影响力), longest first.
FILLER = re.compile(
    "利益相关者|利益相关方|利害关系人|对本项目的|对本项目|对项目的|对项目|干系人|"
    "当前|目前|现有|项目|程度|等级|级别|水平|评分|得分|评级|评估|整体|总体|的"
)
