"""The lenses and the Map page in Chinese (docs/languages.md): the lenses' words, the chart's
titles, axes, legend and tooltips, the sentences of the pure code, and the page itself; the
identifiers (stance labels, class and lens names) stay English underneath."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from stakemap.language import gettext as _
from stakemap.language import speaking
from stakemap.lenses import people
from stakemap.lenses.catalogue import LENS_NAMES, spectrum_moves
from stakemap.lenses.chart import chart_rows, chart_table
from stakemap.lenses.picture import lens_spec
from stakemap.lenses.placement import lens_view
from stakemap.lenses.sizing import PHONE, ChartStyle, title_lines, view_for, wrap
from stakemap.model import Stakeholder, StakeholderMap
from stakemap.samples.cases import new_programme
from tests.visible import chart_data, marker_tooltip, tooltip_fields

APP = Path(__file__).resolve().parents[1] / "app.py"
#: Latin words a Chinese page may keep: names of things, formats and the sources' authors.
ALLOWED = {"Mendelow", "PMBOK", "Stakemap", "PNG", "SVG", "PDF", "CSV", "URL"}
_LATIN = re.compile(r"[A-Za-z]{3,}")


def _latin(texts, user: set[str]) -> set[str]:
    """The Latin words of 3+ letters in ``texts`` that are neither allowed nor user data."""
    words = {w for text in texts for w in _LATIN.findall(text)}
    data = {w for name in user for w in _LATIN.findall(name)}
    return words - ALLOWED - data


def _map() -> StakeholderMap:
    return StakeholderMap(
        (
            Stakeholder("Ana", power=5, interest=5, stance=1, decision_role="decider"),
            Stakeholder("Ben", power=2, interest=4, stance=-2, legitimacy=4, urgency=4),
            Stakeholder("王小明", power=4, interest=2, stance=0, target_stance=2),
        )
    )


def test_the_lenses_say_their_regions_and_axes_in_chinese() -> None:
    m = _map()
    with speaking("zh"):
        mendelow = lens_view(m, "Power/interest grid (Mendelow)")
        assert mendelow.regions[0].title == "重点管理（关键参与者）"
        assert mendelow.regions[0].kind == "Manage closely (Key players)"  # the identifier
        salience = lens_view(m, "Salience model")
        titles = {r.kind: r.title for r in salience.regions}
        assert titles["Definitive"] == "确定型（权力+合法性+紧迫性）"
        assert titles["Not rated"] == "未评分"
        spectrum = lens_view(m, "Spectrum of allies")
        subtitles = {r.kind: r.subtitle for r in spectrum.regions}
        assert subtitles["Passive allies"] == "1 人，权力 5"
        assert subtitles["Active allies"] == "0 人，权力 0"
        for name in LENS_NAMES:
            view = lens_view(m, name)
            texts = [t for r in view.regions for t in (r.title, r.subtitle)]
            assert not _latin(texts, set(m.names)), name
    assert lens_view(m, "Salience model").regions[0].title == "Definitive (P+L+U)"


def test_pure_sentences_in_chinese() -> None:
    m = _map()
    with speaking("zh"):
        blanks = people.not_rated(m, "Salience model")
        assert people.not_rated_sentence(blanks, "Salience model") == (
            "2 人的合法性或紧迫性未评分：Ana、王小明。"
        )
        assert people.not_rated_sentence(blanks, "Salience model", most=1) == (
            "2 人的合法性或紧迫性未评分：Ana 及另外 1 人。"
        )
        assert spectrum_moves(m)["Ana"] == (
            "被动盟友 → 积极盟友：一对一会面，让想法成为他们自己的，由他们推动"
        )
        assert spectrum_moves(m)["Ben"].startswith("积极反对者 → 被动反对者：")
        _new, line = people.edit_person(m, "Ana", stance=2, legitimacy=4)
        assert line == "Ana 的态度：支持者 → 倡导者；Ana 的合法性：未填 → 4"
        assert people.anonymise(["Ana", "Ben"], "letters") == {
            "Ana": "利益相关者 A",
            "Ben": "利益相关者 B",
        }
        assert people.role_labels(m)["Ana"] == "人员 1"
    # English, the source, is unchanged
    assert spectrum_moves(m)["Ana"].startswith("Passive allies -> Active allies: meet")


def test_the_chart_shows_chinese_words_over_english_identifiers() -> None:
    m = _map()
    style = ChartStyle.for_mode(False)
    with speaking("zh"):
        view, style = view_for(m, "Power map", m.names, style)
        rows, _geo = chart_rows(view, m, {n: n for n in m.names}, "power", None, style)
        assert set(rows["stance"]) == {"支持者", "阻挠者", "中立"}
        assert dict(zip(rows["label"], rows["class"], strict=True))["Ana"] == "主要目标"
        assert dict(zip(rows["label"], rows["decision"], strict=True))["Ana"] == "决策者"
        table = chart_table(rows, "Power map")
        assert list(table.columns) == [
            "姓名",
            "态度",
            "权力地图",
            "权力",
            "利益",
            "组",
            "职位",
            "决策角色",
        ]
    assert view.classes["Ana"] == "Primary target"  # the class itself stays the identifier


def _shown(spec: object) -> list[str]:
    """The words a Vega-Lite spec shows: titles, legends' domains, axes' words (in their label
    expressions) and the text of its data (regions' titles, stance, class, move)."""
    out: list[str] = []
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "title":
                out += [value] if isinstance(value, str) else _shown(value)
            elif key in ("text", "subtitle") and isinstance(value, str):
                out.append(value)
            elif key == "domain" and isinstance(value, list):
                out += [v for v in value if isinstance(v, str)]
            elif key == "labelExpr":
                out += re.findall(r'"([^"]*)"', value)
            elif key == "tooltip" and isinstance(value, dict):
                out += list(tooltip_fields(value["expr"]))
            elif key == "datasets":
                out += [
                    str(row.get(field, ""))
                    for rows in value.values()
                    for row in rows
                    for field in ("line", "stance", "class", "move", "decision")
                ]
            else:
                out += _shown(value)
    elif isinstance(spec, list):
        for value in spec:
            out += _shown(value)
    return out


@pytest.mark.parametrize("lens", LENS_NAMES)
def test_a_picture_of_a_lens_speaks_chinese(lens: str) -> None:
    m = new_programme()
    with speaking("zh"):
        spec = lens_spec(m, lens, (1600, 900), title=_(lens))  # as the Export page titles it
    assert (
        spec["title"]["text"]
        == {
            "Power/interest grid (Mendelow)": "权力/利益方格（Mendelow）",
            "Power map": "权力地图",
            "Salience model": "显著性模型",
            "Engagement assessment matrix": "参与度评估矩阵",
            "Spectrum of allies": "盟友光谱",
            "Influence/attitude grid": "影响力/态度方格",
        }[lens]
    )
    encodings = [layer.get("encoding", {}) for layer in spec["layer"]]
    (colour,) = [e["color"] for e in encodings if e.get("color", {}).get("field") == "stance"]
    assert colour["title"] == "态度"
    assert colour["scale"]["domain"] == ["倡导者", "支持者", "中立", "批评者", "阻挠者"]
    assert colour["scale"]["range"][0] == "#0072B2"  # the Champion's blue, first
    tooltips = set(marker_tooltip(spec))
    assert {"姓名", "态度", "权力", "利益"} <= tooltips
    shown = _shown(spec)
    assert len(shown) > 10
    assert not _latin(shown, set(m.names)), lens


def test_chinese_titles_wrap_between_characters() -> None:
    assert wrap("有影响力的阻挠者或未决者", 12) == ["有影响力的阻", "挠者或未决者"]
    assert wrap("Active opposition", 8, break_long_words=False) == ["Active", "opposition"]
    m = StakeholderMap()
    with speaking("zh"):
        view = lens_view(m, "Spectrum of allies", None, plot=(300, 300))
        lines = title_lines(view, view.regions[0], PHONE)
    assert "".join(lines) == "积极反对者" and all(len(line) < 6 for line in lines)


@pytest.fixture
def db(app_database: str) -> str:
    return app_database


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_map_page_in_chinese(db: str) -> None:
    """The page in Chinese; AppTest formats the options in the test too, so it speaks it."""
    with speaking("zh"):
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.session_state["language"] = "zh"
        at.run()
        assert not at.exception
        lens = at.selectbox(key="map_lens")
        assert lens.label == "视图"
        assert lens.options == [
            "权力/利益方格（Mendelow）",
            "权力地图",
            "显著性模型",
            "参与度评估矩阵",
            "盟友光谱",
            "影响力/态度方格",
        ]
        assert at.title[0].value.startswith("地图 · ")
        assert "大小相同" in at.selectbox(key="map_size").options
        classes = at.table[0].value
        assert list(classes.columns) == ["类别", "策略", "人数", "权力", "姓名"]
        assert classes.iloc[0, 0] == "重点管理（关键参与者）"  # the first lens's first class
        lens.set_value("Salience model").run()
        assert not at.exception
        assert any("视图将其显示为“未评分”" in info.value for info in at.info) or not at.info
        at.selectbox(key="map_lens").set_value("Power map").run()
        captions = [c.value for c in at.caption]
        assert "实线圈：主要目标（做决定）。虚线圈：次要目标（影响主要目标）。" in captions
        chart = at.get("vega_lite_chart")[0].proto
        spec = json.loads(chart.spec)
        rows = chart_data(chart)
        assert spec["title"]["text"] == "权力地图"
        shown = _shown(spec)
        assert "倡导者" in shown and "主要目标" in shown
        shown += [str(row.get(f, "")) for row in rows for f in ("stance", "class", "line")]
        assert "支持者" in shown
        user = {str(row.get(f, "")) for row in rows for f in ("label", "group", "role")}
        assert not _latin(shown, user), shown
