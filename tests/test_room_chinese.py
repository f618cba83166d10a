"""The workshop room in Chinese (docs/languages.md): the scales, questions and messages of the
pure code, the handouts (every glyph drawn, no tofu), the join link's language, and the pages
in AppTest: a facilitator in English and a phone in Chinese each read the same room in their
own language, the room storing identifiers only."""

from __future__ import annotations

import io
import json
import re
import subprocess
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from sqlalchemy import create_engine, text
from streamlit.testing.v1 import AppTest

from stakemap.files.printing import FONT_DIRS
from stakemap.language import language, speaking
from stakemap.model import STANCE_LABELS, Stakeholder, StakeholderMap
from stakemap.room import access, handouts
from stakemap.room.links import join_link
from stakemap.room.rounds import SCALES, Adoption, Item, adopt, aggregate, items_for
from stakemap.room.sessions import WorkshopStore
from stakemap.room.view import side_lines
from stakemap.store.maps import Store
from stakemap.ui.room import handouts as handout_buttons
from stakemap.ui.room.ballot import _result_line
from stakemap.ui.room.facilitator import _answers_so_far
from stakemap.ui.room.results import agenda_frame
from stakemap.ui.room.screen import _chart_key, _lens_chart
from tests.conftest import small_map
from tests.test_handouts import ROOM, _pdf, _session

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PASSCODE = "room passcode 42"
#: Latin words a Chinese page may keep: formats, units, names of methods and keys.
ALLOWED = {"PNG", "PDF", "UTC", "URL", "QR", "IQR", "Tukey", "Esc", "PgUp", "PgDn", "Wi-Fi"}
_LATIN = re.compile(r"[A-Za-z][A-Za-z-]{2,}")


def latin_words(text: str, *user: str) -> list[str]:
    """Latin words of 3+ letters in ``text`` but the user's own (names wrap across lines)."""
    theirs = {w for words in user for w in _LATIN.findall(words)}
    return [w for w in _LATIN.findall(text) if w not in ALLOWED | theirs]


# -------------------------------------------------------------------- the pure code


def test_questions_and_scales_speak_chinese_and_keep_the_names():
    with speaking("zh"):
        assert Item("power", "Ana").question() == "Ana 对这项决策有多大权力？"
        assert (
            Item("influence", "李娜", "Ben").question() == "在这件事上，李娜 有多听取 Ben 的意见？"
        )
        assert SCALES["power"].describe(4) == "4（高）"
        assert SCALES["power"].describe(3.5) == "3.5（介于中等与高之间）"
        assert SCALES["stance"].describe(0.5) == "介于中立与支持者之间"
        assert [SCALES["stance"].word(v) for v in range(-2, 3)] == [
            "阻挠者",
            "批评者",
            "中立",
            "支持者",
            "倡导者",
        ]
        for attribute, scale in SCALES.items():
            item = Item(attribute, "Ana", "Ben")
            words = [item.question(), *(scale.describe(v / 2) for v in range(-4, 11))]
            assert not latin_words(" ".join(words), "Ana", "Ben"), attribute
    # the English words are the model's stance labels, the identifiers
    assert SCALES["stance"].words == tuple(STANCE_LABELS[v] for v in range(-2, 3))


def test_adoption_notes_and_the_history_line_in_chinese():
    result = aggregate(Item("power", "Ana"), {"x": 3, "y": 4})
    stance = aggregate(Item("stance", "Ana"), {"x": 0, "y": 1})
    with speaking("zh"):
        assert (
            Adoption(result, 4, 4.0).note
            == "中位数 3.5（介于中等与高之间）：取 4，即当前值（4）一侧"
        )
        assert (
            Adoption(result, 3, None).note == "中位数 3.5（介于中等与高之间）：取 3，即较低的一档"
        )
        assert Adoption(stance, 1, 1.0).note == (
            "中位数 0.5（介于中立与支持者之间）：取 1，即当前值（支持者）一侧"
        )
        m = StakeholderMap((Stakeholder("Ana", power=2), Stakeholder("Ben", power=2)))
        ties = [aggregate(Item("influence", "Ana", "Ben"), {"x": 3})]
        rs = [aggregate(Item("power", n), {"x": 4, "y": 5}) for n in ("Ana", "Ben")]
        _, line = adopt(m, 2, [*rs, *ties])
        assert line == "采纳第 2 轮评分：2 人的权力、1 条影响关系"
    # English: as before, the line the map's history keeps
    assert (
        Adoption(stance, 1, 1.0).note
        == "median 0.5 (between Neutral and Supporter): 1, the side of the current Supporter"
    )


def test_phone_and_facilitator_lines_in_chinese():
    r = aggregate(Item("power", "Ana"), {"x": 2, "y": 4})
    with speaking("zh"):
        assert (
            _result_line(r, 2)
            == "全场：3（中等），多数回答：2（低）～4（高） · 2 个回答 · 你：2（低）"
        )
        assert _answers_so_far(5, 2) == "目前共 5 个回答，来自 2 人"
        frame = agenda_frame([r], {}, who=True)
        assert frame.columns.tolist() == [
            "问题",
            "回答数",
            "中位数",
            "中间一半",
            "分歧度",
            "离中位数最远",
        ]
        assert frame.loc[0, "中间一半"] == "2（低）～4（高）"
        assert side_lines("list", ["Ana"], {}, {"Ana": "Fans"}, ["Fans"]) == ["拥护者", "  Ana"]
    assert agenda_frame([r], {}).columns[0] == "Question"


def test_store_messages_and_anonymous_labels_in_the_readers_language():
    store = Store("sqlite://")
    ws = WorkshopStore(store)
    map_id = store.create("Demo", small_map())
    session = ws.start(map_id, allow_anonymous=True)
    nameless = ws.join(session.id, "")
    ws.join(session.id, "Sam", device="d")
    assert nameless.label == "Anonymous 1"
    with speaking("zh"):
        assert nameless.label == "匿名 1"
        with pytest.raises(ValueError, match="本设备已加入这场研讨会"):
            ws.join(session.id, "Al", device="d")
        rnd = ws.open_round(session.id, items_for(["Ana"], ["power"]))
        with pytest.raises(ValueError, match=r"^回答须为 1 到 5 之间的整数。$"):
            ws.answer(nameless, rnd.id, Item("power", "Ana"), 9)
        ws.answer(nameless, rnd.id, Item("power", "Ana"), 4)
        assert list(ws.results(rnd)[0].answers) == ["匿名 1"]
        assert ws.ratings_rows(map_id)[0][:3] == ["轮次", "属性", "人员"]
        ws.close(session.id)
        with pytest.raises(ValueError, match=r"^本场研讨会已结束。$"):
            ws.join(session.id, "Late")
    assert list(ws.results(rnd)[0].answers) == ["Anonymous 1"]  # never stored translated


def test_the_join_link_carries_the_language_and_its_warnings_speak_it():
    link = join_link("ABC234", "http://192.168.1.20:8501/workshop", "", 8501, None, lang="zh")
    assert link.url == "http://192.168.1.20:8501/join?code=ABC234&lang=zh"
    with speaking("zh"):
        alone = join_link("ABC234", "http://localhost:8501/", "127.0.0.1", 8501, None)
        nowhere = join_link("ABC234", "http://localhost:8501/", "0.0.0.0", 8501, None)
    assert alone.warning.startswith("服务器只在 127.0.0.1 上监听") and "make room" in alone.warning
    assert nowhere.warning == "这台电脑没有本地网络地址：请连接会场的 Wi-Fi，然后重新加载本页。"


def test_caches_of_words_are_kept_per_language():
    session = _session("names")
    with speaking("zh"):
        zh = _chart_key(session, 3, True)
    assert _chart_key(session, 3, True) != zh and zh[-1] == "zh"
    _lens_chart.clear()
    # a handout is drawn on Streamlit's download thread, in the language its key ends with
    drawn = handout_buttons._kept(("test", 1, "zh"), lambda: language().encode())
    assert drawn == b"zh" and language() == "en"


# -------------------------------------------------------------------- the handouts


def _fonts_of(pdf: bytes) -> set[str]:
    """The families of the fonts the PDF embeds (their subset prefix taken off)."""
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for obj in _walk_fonts(page):
            names.add(str(obj["/BaseFont"]).split("+")[-1])
    return names


def _walk_fonts(node, seen=None):
    seen = set() if seen is None else seen
    resources = node.get("/Resources")
    resources = resources.get_object() if resources is not None else {}
    for font in (resources.get("/Font") or {}).values():
        yield font.get_object()
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if id(xobject) not in seen:
            seen.add(id(xobject))
            yield from _walk_fonts(xobject, seen)


def _glyphs(families: set[str]) -> set[int]:
    """Every character the fonts of ``families`` draw (the machine's font files)."""
    dirs = [*FONT_DIRS, "/usr/share/fonts/truetype/liberation", "/usr/share/fonts/truetype"]
    covered: set[int] = set()
    wanted = {f.replace("Book", "").replace("-", "").casefold() for f in families}
    for path in {p for d in dirs for p in Path(d).rglob("*.ttf")}:
        if path.stem.replace("-", "").replace("Full", "").casefold() in wanted:
            covered |= set(TTFont(path, lazy=True).getBestCmap())
    return covered


def test_chinese_handout_draws_every_glyph_and_every_word():
    with speaking("zh"):
        pdf, m = _pdf("names")
    fonts = _fonts_of(pdf)
    assert {"DejaVuSans", "DroidSansFallback"} <= {f.replace("Book", "") for f in fonts}
    extracted = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    covered = _glyphs(fonts)
    missing = {ch for ch in extracted if not ch.isspace() and ord(ch) not in covered}
    assert not missing, f"drawn without a glyph (tofu): {sorted(missing)}"
    pages = extracted.split("\f")
    title = pages[0]
    for line in (
        "研讨会成果",
        "地图版本：4",
        "研讨会状态：进行中，加入代码 ABC234",
        "参与者：4 人",
    ):
        assert line in title
    assert "Zoë、李娜 Wang、<b>Bold</b>、**Eve**" in title  # typed names, as typed
    ratings = "\n".join(p for p in pages if "评分" in p)
    assert (
        "第 1 轮 · 已结束 · 已采纳到地图版本 4" in ratings
        and "第 2 轮 · 进行中 · 未采纳" in ratings
    )
    assert "对这项决策有多大权力？" in ratings and "中位数：居中的回答。" in ratings
    plan = "\n".join(p for p in pages if "联盟计划" in p)
    assert "收尾" in plan and "全体会议：" in plan and "置信度：" in plan
    # the room's own words leave no English: only names, the map's name and the lens's name
    # (the lens's own words are its engineer's), the footer's page word (files.printing's)
    mine = "\n".join([title, ratings])
    user = [*m.names, *ROOM, "Reorg Łódź", "ABC234", "Power map", "page"]
    assert not latin_words(mine, *user)


def test_chinese_handouts_for_an_anonymised_room_and_the_png():
    with speaking("zh"):
        pdf, m = _pdf("letters")
        png = handouts.projector_png(m, _session("letters"), scale=0.25)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    # the letters themselves ("Stakeholder A") are lenses.people's words
    assert "参与者 1" in text and "人员显示方式：字母（A、B……）" in text
    for name in (*m.names, *ROOM):
        assert name not in text
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


# -------------------------------------------------------------------- the pages


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'stakemap.sqlite'}"
    monkeypatch.setenv("STAKEMAP_DATABASE_URL", url)
    monkeypatch.delenv(access.PASSCODE_ENV, raising=False)
    for kind, throttle in access.new_throttles().items():
        monkeypatch.setitem(access.THROTTLES, kind, throttle)
    _lens_chart.clear()
    return url


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [t.value for t in [*at.title, *at.subheader]]
    parts += [c.value for c in at.caption] + [e.value for e in at.error]
    parts += [i.value for i in at.info]
    return "\n".join(str(p) for p in parts).replace("\\", "")


def _room(db: str) -> tuple[int, WorkshopStore]:
    store = Store(db)
    store.claim_first_start()
    return store.create("Demo", small_map()), WorkshopStore(store)


def test_the_join_page_speaks_the_links_language_and_offers_the_picker(db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "zh"
    at.query_params["code"] = "ABC234"
    at.run()
    at.switch_page("views/join.py").run()
    assert not at.exception
    assert "加入研讨会" in _texts(at)
    assert [t.label for t in at.text_input] == ["屏幕上的代码", "你的显示名称"]
    assert [b.label for b in at.button] == ["加入"]
    picker = at.segmented_control
    assert len(picker) == 1 and picker[0].value == "zh"  # the phone's own picker, on the page
    at.text_input[0].input("ABCDEF")
    at.text_input[1].input("小王")
    at.button[0].click().run()
    assert "没有使用此代码的进行中研讨会。请核对屏幕上的代码，或询问主持人。" in _texts(at)


def test_a_facilitator_in_english_and_a_phone_in_chinese_share_one_room(db):
    map_id, ws = _room(db)
    facilitator = AppTest.from_file(APP, default_timeout=60)
    facilitator.session_state["language"] = "en"
    facilitator.session_state["map_id"] = map_id
    facilitator.run()
    facilitator.switch_page("views/workshop.py").run()
    next(b for b in facilitator.button if b.label == "Start a session").click().run()
    session = ws.open_for_map(map_id)
    assert "&lang=en" in facilitator.get("code")[0].value  # the phones open in English

    phone = AppTest.from_file(APP, default_timeout=60)
    phone.session_state["language"] = "zh"  # this phone switched for itself
    phone.run()
    phone.switch_page("views/join.py").run()
    phone.text_input[0].input(session.code)
    phone.text_input[1].input("小王")
    phone.button[0].click().run()
    assert not phone.exception and "已以 小王 的身份加入" in _texts(phone)

    rnd = ws.open_round(session.id, items_for(["Ana", "李娜"], ["power", "stance"]))
    phone.run()
    assert [q.label for q in phone.pills][:2] == [
        "Ana 对这项决策有多大权力？",
        "李娜 对这项决策有多大权力？",
    ]
    assert phone.pills[0].options[0] == "1（很低）" and phone.pills[2].options[0] == "阻挠者"
    assert "第 1 轮：你的私密回答" in _texts(phone)
    with speaking("zh"):  # AppTest formats the options in the test's thread, not the page's
        phone.pills[0].set_value(5).run()
    assert not phone.exception

    facilitator.run()
    assert "Round 1 · open" in _texts(facilitator)
    assert "1 answer from 1 person so far" in _texts(facilitator)
    agenda = facilitator.dataframe[0].value
    assert agenda.columns[0] == "Question"
    assert agenda.loc[0, "Question"] == "How much power does Ana have over this decision?"

    # the room keeps identifiers and numbers: no word of either language is stored
    with create_engine(db).connect() as c:
        items = c.execute(text("select items from workshop_rounds")).scalar_one()
        answers = c.execute(text("select item_key, value from workshop_answers")).all()
    assert json.loads(items)[0] == "power\x1fAna\x1f"
    assert answers == [("power\x1fAna\x1f", 5)]

    ws.set_round(rnd.id, open=False, revealed=True)
    phone.run()
    said = _texts(phone)
    assert "第 1 轮：全场的回答" in said
    assert "全场：5（很高） · 1 个回答 · 你：5（很高）" in said
    assert not latin_words(said, "Ana", "李娜", "小王", "Demo", "Shared services")


def test_the_workshop_page_and_the_sign_in_in_chinese(db, monkeypatch):
    map_id, ws = _room(db)
    session = ws.start(map_id)
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["language"] = "zh"
    at.session_state["map_id"] = map_id
    at.run()
    at.switch_page("views/workshop.py").run()
    assert not at.exception
    assert [t.label for t in at.tabs] == ["加入", "投影", "评分轮", "结束"]
    assert at.get("code")[0].value.endswith(f"/join?code={session.code}&lang=zh")
    assert "研讨会 · Demo" in _texts(at)
    assert "**开始一轮评分**" in _texts(at)
    assert {b.label for b in at.button} >= {"全屏投影画面", "结束研讨会"}

    monkeypatch.setenv(access.PASSCODE_ENV, access.hash_passcode(PASSCODE, n=2**8))
    monkeypatch.setattr("stakemap.ui.room.access._pause", lambda seconds: None)
    locked = AppTest.from_file(APP, default_timeout=60)
    locked.session_state["language"] = "zh"
    locked.run()
    locked.switch_page("views/facilitator.py").run()
    assert "主持人" in _texts(locked) and locked.text_input[0].label == "口令"
    locked.text_input[0].input("guess")
    locked.button[0].click().run()
    assert "口令错误。" in _texts(locked)
