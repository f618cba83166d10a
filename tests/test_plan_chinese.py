"""The plan and the network in Chinese (docs/languages.md): the planner's sentences, the rule
in words, the network's sentences and drawing, and the Plan and Network pages with the session
speaking Chinese. Stance labels are translated by the model's catalogue entries, so they are
left out of the checks for English words here, as are people's names and what users typed."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from stakemap.language import language, speaking, use_resolver
from stakemap.model import STANCE_LABELS, Proposal, Relationship, Stakeholder, StakeholderMap
from stakemap.network import drawing, messengers, picture
from stakemap.planning.planner import plan
from stakemap.planning.report import plan_to_text
from stakemap.planning.rule import rule_of
from stakemap.planning.setting import DecisionSetting, RuleText, read_setting
from stakemap.samples.cases import new_programme
from stakemap.ui.progress import changes_lines
from tests.planforms import open_outcome_forms

ROOT = Path(__file__).resolve().parents[1]
#: Latin words a Chinese page may keep: names of methods, file kinds and the product.
ALLOWED = {"PageRank", "Louvain", "Banzhaf", "HTML", "Stakemap", "Champion", "Relationships"}


def _latin_left(text: str, data: StakeholderMap) -> list[str]:
    """Latin words of three letters or more in ``text`` that are neither user data, a stance
    label nor an allowed token."""
    typed = [s.name for s in data.stakeholders]
    typed += [p.name for p in data.proposal.parts] + [data.proposal.title]
    typed += [t for p in data.proposal.parts for t in p.tags]
    typed += [g for s in data.stakeholders for g in s.goals]
    typed += list(STANCE_LABELS.values())
    for item in sorted(typed, key=len, reverse=True):
        text = text.replace(item, " ")
    return [w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in ALLOWED]


def _trio() -> StakeholderMap:
    return StakeholderMap(
        (
            Stakeholder("Quinn"),
            Stakeholder("Rosa", stance=2, decision_role="decider"),
            Stakeholder("Omar", stance=1, decision_role="veto"),
        ),
        (Relationship("Rosa", "Quinn", 4), Relationship("Omar", "Rosa", 3)),
    )


def test_the_plan_speaks_chinese_and_english_is_unchanged() -> None:
    m = new_programme()
    english = plan(m, samples=0)
    with speaking("zh"):
        p = plan(m, samples=0)
        text = plan_to_text(p)
    assert [s.name for s in p.steps] == [s.name for s in english.steps]
    assert p.method_text == "投入最少，已证实。"
    assert english.method_text == "Least effort, proven."
    assert p.verdict == "需要 12/23 权力点；目前 7；第 4 步后为 13，收尾时为 16"
    assert p.close.reason.startswith("已就绪：16/23 权力点 支持（需要 12，余 4）；")
    assert p.steps[0].reason.startswith("Omar Haddad已经同意，但在一对一会面之前不会向他人传达；")
    assert "[盟友] Omar Haddad" in text and "目前支持：权力的 30%" in text
    assert not _latin_left(text, m), _latin_left(text, m)
    assert not _latin_left(" ".join(s.details for s in p.steps), m)


def test_the_rule_and_its_problems_in_chinese() -> None:
    with speaking("zh"):
        described = rule_of(_trio()).describe()
        _, problems = read_setting(
            DecisionSetting(formal=("A",), informal=("A",)), RuleText("two thirds")
        )
    assert described == "2 位决策者，共 2 票；提案以超过半数的票（2 中的 2）通过。Omar拥有否决权。"
    assert problems == ["A不能同时拥有正式否决权和非正式否决权。"]
    assert rule_of(_trio()).describe() == (
        "2 decision makers with 2 votes; the proposal passes with more than half of the votes "
        "(2 of 2). Omar holds a veto."
    )


def test_a_plan_that_cannot_be_ready_says_why_in_chinese() -> None:
    m = StakeholderMap(
        (
            Stakeholder("Ana", stance=2, decision_role="decider"),
            Stakeholder("Ben", stance=-2, decision_role="veto", power=5),
        ),
        proposal=Proposal(champion="Ana"),
    )
    with speaking("zh"):
        p = plan(m, samples=0, unlock=False)
    assert p.close.reason.startswith("尚未就绪：")
    assert "Ben拥有否决权，预计反对" in p.close.reason
    assert not _latin_left(p.close.reason + p.method_text, m)


def test_the_network_in_words_speaks_chinese() -> None:
    m = _trio()
    with speaking("zh"):
        best = messengers.best_messenger_sentence(m, "Quinn")
        route = messengers.route_sentence(messengers.Route(("Rosa", "Omar", "Quinn"), 2))
        communities = drawing.community_sentence(m)
        subtitle = picture.network_spec(m, (800, 450))["layer"][-1]["data"]["values"][0]["text"]
    assert best == "接触Quinn的最佳中间人是Rosa：Rosa直接影响Quinn，且Omar会影响Rosa。"
    assert route == "Rosa经由Omar影响到Quinn：Rosa影响Omar、Omar影响Quinn。"
    assert communities == (
        "颜色显示了 1 个由有关系的人组成的社群（Louvain）：最大的是社群 1，有 3 人。"
    )
    assert subtitle == "3 人，2 条关系；箭头从施加影响的人指向受影响的人"
    assert messengers.best_messenger_sentence(m, "Quinn") == (
        "Your best messenger to Quinn is Rosa: Rosa sways Quinn directly, and Omar sways Rosa."
    )


def test_the_drawing_carries_its_words_in_the_language() -> None:
    m = _trio()
    with speaking("zh"):
        page = drawing.network_html(m, {})
    english = drawing.network_html(m, {})
    assert '<html lang="zh">' in page and "<title>Stakemap 影响网络</title>" in page
    assert "<strong>颜色：态度</strong>" in page and "点击某人，查看与其有关系的人" in page
    block = re.search(r'id="stakemap-data">(.*?)</script>', page).group(1)
    words = json.loads(block)["words"]
    assert words["moved"] == ["移动了 {n} 人。", "移动了 {n} 人。"]
    assert words["influences"] == "{source}影响{target}（强度 {strength}）"
    assert '<html lang="en">' in english and "<strong>Colour: stance</strong>" in english
    english_words = json.loads(re.search(r'id="stakemap-data">(.*?)</script>', english).group(1))
    assert english_words["words"]["moved"] == ["{n} person moved.", "{n} people moved."]


def test_progress_lines_in_chinese() -> None:
    from stakemap.planning.following import Progress

    got = Progress((), (), ("Cy",), ("Ben",), ())
    with speaking("zh"):
        assert changes_lines(got) == ["计划现在新增：Cy。", "计划现在去掉（不再需要）：Ben。"]


# -- the pages ---------------------------------------------------------------------------------


@pytest.fixture
def session_language() -> Iterator[None]:
    """The session's language as the app reads it (app.py installs the same resolver)."""

    def chosen() -> str | None:
        try:
            return st.session_state.get("language")
        except Exception:  # no script running: English
            return None

    use_resolver(chosen)
    yield
    assert language() == "en"


def _run(view: str, map_id: int, **state: object) -> AppTest:
    at = AppTest.from_file(str(ROOT / "views" / view), default_timeout=90)
    at.query_params["map"] = str(map_id)
    at.session_state["language"] = "zh"
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def test_the_plan_page_in_chinese(store, session_language) -> None:
    m = new_programme()
    map_id = store.create("Programme", m)
    at = _run("plan.py", map_id)
    assert not at.exception
    assert at.title[0].value == "计划"
    assert [metric.label for metric in at.metric][:3] == ["目前支持", "收尾时", "全体会议"]
    text = " ".join(e.value for e in (*at.markdown, *at.caption, *at.success))
    assert "投入最少，已证实。" in text and "**经由：**" in text
    open_outcome_forms(at, 1)
    assert "保存结果" in [b.label for b in at.button]
    at = _run("plan.py", map_id, **{f"plan-tab-{map_id}": "假设"})
    assert not at.exception
    assert any(info.value.endswith("以外的态度，查看会有什么变化。") for info in at.info)
    assert "人员" in [box.label for box in at.selectbox]
    assert "态度" in [slider.label for slider in at.select_slider]


def test_the_network_page_in_chinese(store, session_language) -> None:
    map_id = store.create("Trio", _trio())
    at = _run("network.py", map_id, **{"net-numbers": True, f"net-person-{map_id}": "Quinn"})
    assert not at.exception
    assert at.title[0].value == "网络"
    assert "网络中的关键人物：数据" in [e.label for e in at.expander]
    assert at.info[0].value.startswith("接触Quinn的最佳中间人是Rosa")
    (frame,) = at.get("iframe")
    assert '<html lang="zh">' in frame.proto.srcdoc
    assert "- **影响范围（PageRank）**：" in " ".join(md.value for md in at.markdown)
