"""No user text renders as markup: every page, pane, expander, tab and tooltip of a map full of
markdown and HTML payloads, in AppTest, with every field that Streamlit reads as markdown checked.

AppTest runs the whole script, so the content of closed expanders, hidden tabs and tooltips is in
the element tree without a click. Which fields Streamlit 1.67 renders as markdown (from its
docstrings, confirmed in the browser by tests/browser/test_markup_browser.py): bodies of markdown,
headings, captions, alerts and toasts; every widget label and ``help`` tooltip; the options of
radio and select_slider (not those of selectbox and multiselect, which show plain text); expander,
tab and popover labels; metric labels; page links; column ``help`` in a dataframe's config; and
every cell and header of ``st.table``.

Finding 5 of issue 9 (the address the server binds) is tested at the end.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pytest
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

from stakemap.lenses.catalogue import LENS_NAMES
from stakemap.store.maps import Store
from stakemap.ui.progress import CARDS
from tests.conftest import build_xlsx
from tests.payloads import (
    CUSTOM_HEADER,
    FILE_NAME,
    PAYLOADS,
    SHEET_NAME,
    payload_map,
    payload_rows,
    raw_markup,
)
from tests.planforms import open_decision_panel, open_outcome_forms

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
MAP_NAME = f"Map {PAYLOADS[0]} {PAYLOADS[2]}"

#: String fields that Streamlit renders as markdown, in any element or block.
_MARKDOWN_FIELDS = {"body", "label", "help", "title", "captions", "content"}
#: Elements whose ``options`` are rendered as markdown (selectbox and multiselect: plain text).
_MARKDOWN_OPTIONS = {"Radio", "Slider"}
#: Elements that show their text as it is (or that the browser test covers: the iframe).
_PLAIN = {"Text", "Code", "Json", "Exception", "IFrame", "Html"}


def _strings(message: Message, where: str) -> Iterator[tuple[str, str]]:
    """(where, text) of every markdown-bearing string in ``message`` and its sub-messages."""
    kind = message.DESCRIPTOR.name
    if kind in _PLAIN:
        return
    for field, value in message.ListFields():
        place = f"{where}.{kind}.{field.name}"
        if kind == "Table" and field.name == "arrow_data":
            yield from _table_cells(value.data, place)
        elif field.message_type is not None:
            values = value if _repeated(field) else [value]
            for item in values:
                yield from _strings(item, place)
        elif field.type == field.TYPE_STRING:
            markdown = field.name in _MARKDOWN_FIELDS or (
                field.name == "options" and kind in _MARKDOWN_OPTIONS
            )
            texts = value if _repeated(field) else [value]
            if markdown:
                yield from ((place, text) for text in texts)
            elif field.name == "columns" and kind == "Dataframe":
                yield from _column_help(json.loads(value or "{}"), place)


def _repeated(field) -> bool:
    return field.is_repeated


def _column_help(config: dict, where: str) -> Iterator[tuple[str, str]]:
    for column, settings in config.items():
        if isinstance(settings, dict) and settings.get("help"):
            yield f"{where}[{column}].help", settings["help"]


def _table_cells(data: bytes, where: str) -> Iterator[tuple[str, str]]:
    """Headers and cells of an ``st.table``: all of them are markdown."""
    table = pa.ipc.open_stream(data).read_all()
    for name in table.column_names:
        yield f"{where}.header", str(name)
        for cell in table.column(name).to_pylist():
            yield f"{where}[{name}]", str(cell)


def markup_texts(at: AppTest) -> list[tuple[str, str]]:
    """Every markdown-bearing text on the page AppTest last ran, with where it sits."""
    texts = []
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if isinstance(proto, Message):
            texts += _strings(proto, getattr(node, "type", "?"))
    return texts


def assert_inert(at: AppTest, context: str) -> None:
    """No markdown-bearing text of the page carries payload markup unescaped."""
    assert not at.exception, [e.value for e in at.exception]
    leaks = [(where, text, raw) for where, text in markup_texts(at) if (raw := raw_markup(text))]
    assert not leaks, f"{context}: user text rendered as markup:\n" + "\n".join(
        f"  {where}: {text!r} (raw {raw})" for where, text, raw in leaks
    )


def _shown(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text).replace("\u2060", "")


@pytest.fixture
def payload_app(app_database: str) -> tuple[AppTest, Store, int]:
    """The app on a database (each engine in turn) whose only map is the payload map (named
    with payloads too)."""
    store = Store(app_database)
    store.claim_first_start()
    map_id = store.create(MAP_NAME, payload_map(), f"Created {PAYLOADS[1]}")
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["map"] = str(map_id)
    at.run()
    return at, store, map_id


def test_the_payload_check_catches_every_payload_unescaped():
    """The check itself: each payload is caught raw, and passes once made inert."""
    from stakemap.ui.text import inert

    for payload in PAYLOADS:
        assert raw_markup(payload), payload
        assert raw_markup(f"- {payload} and after\n\ntext before {payload}"), payload
        assert not raw_markup(inert(payload)), payload


def test_map_page_every_lens_and_person_pane(payload_app):
    at, _, _ = payload_app
    assert_inert(at, "Map page")
    names = payload_map().names
    for i, lens in enumerate(LENS_NAMES):
        at.selectbox(key="map_lens").set_value(lens).run()
        at.selectbox(key="map_search").set_value(names[i % len(names)]).run()
        assert _shown(at.subheader[0].value) == names[i % len(names)]
        assert_inert(at, f"Map page, {lens}, details of {names[i % len(names)]}")
    at.toggle(key="map_presenter").set_value(True).run()
    assert_inert(at, "Map page, presenter mode")


def test_network_page_highlight_and_neighbourhood(payload_app):
    at, _, map_id = payload_app
    at.switch_page("views/network.py").run()
    assert_inert(at, "Network page")
    for name in payload_map().names:
        at.selectbox(key=f"net-person-{map_id}").set_value(name).run()
        assert_inert(at, f"Network page, highlight {name}")
        assert any(_shown(e.label).startswith(name) for e in at.expander)


def test_plan_page_outcomes_log_and_what_if(payload_app):
    at, store, map_id = payload_app
    at.switch_page("views/plan.py").run()
    open_outcome_forms(open_decision_panel(at), *range(1, CARDS + 1))
    assert_inert(at, "Plan page")
    saves = [b for b in at.button if b.label == "Save outcome"]
    assert saves, "the payload map's plan has steps to record"
    next(t for t in at.text_area if t.key.endswith("-note")).input(PAYLOADS[0])
    saves[0].click().run()
    assert store.latest(map_id).data.engagements[0].note == PAYLOADS[0]
    assert_inert(at, "Plan page after an outcome is recorded")
    assert any(PAYLOADS[0] in set(d.value.get("Note", [])) for d in at.dataframe)
    at.session_state[f"plan-tab-{map_id}"] = "Alternatives"
    at.run()
    assert_inert(at, "Plan page, Alternatives tab")
    at.session_state[f"plan-tab-{map_id}"] = "What if"
    at.run()
    for name in payload_map().names[:4]:
        at.selectbox(key=f"whatif-person-{map_id}").set_value(name).run()
        stance = next(s for s in at.select_slider if s.label == "Stance")
        stance.set_value("Blocker" if "Blocker" not in name else "Champion").run()
        assert_inert(at, f"Plan page, what if {name} changes")


def test_data_page_tabs_history_and_sidebar(payload_app):
    at, store, map_id = payload_app
    at.switch_page("views/data.py").run()
    assert_inert(at, "Data page")
    for tab in ("Relationships", "Proposal", "History"):  # each drawn when opened
        at.session_state["data-tab"] = tab
        assert_inert(at.run(), f"Data page, {tab} tab")
    # the sidebar's rename form and the picker show the map's new name
    store.rename(map_id, f"{MAP_NAME} renamed")
    at.run()
    assert_inert(at, "Data page after a rename")


def test_sidebar_refusals_quote_the_name_inertly(payload_app):
    """Renaming or creating a map under a name already taken is refused with the name quoted."""
    at, store, map_id = payload_app
    taken = f"Other {PAYLOADS[1]} {PAYLOADS[3]}"
    store.create(taken, payload_map())
    at.run()
    at.text_input(key=f"rename-{map_id}").set_value(taken).run()
    at.button(key="rename").click().run()
    assert any(taken in _shown(e.value) for e in at.error)
    assert_inert(at, "Sidebar, rename refused")
    at.radio(key="new-source").set_value("Blank").run()
    at.text_input(key="new-name-None-0").set_value(taken).run()  # the blank map's name
    at.button(key="new-create").click().run()
    assert any(taken in _shown(e.value) for e in at.error)
    assert_inert(at, "Sidebar, new map refused")


def test_export_page(payload_app):
    at, _, _ = payload_app
    at.switch_page("views/export.py").run()
    assert_inert(at, "Export page")


def _upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader[0].set_value((name, data, "application/octet-stream")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_import_panel_mapping_report_and_new_map(payload_app):
    at, store, _ = payload_app
    at.switch_page("views/data.py").run()
    workbook = build_xlsx({SHEET_NAME: payload_rows()})
    _upload(at, FILE_NAME, workbook)
    assert_inert(at, "Import panel, mapping of a payload workbook")
    labels = [_shown(s.label) for s in at.selectbox]
    assert CUSTOM_HEADER in labels  # the header is still shown, as text
    assert any(SHEET_NAME in _shown(m.value) for m in at.markdown)
    next(b for b in at.button if b.label == "Create a new map from this file").click().run()
    assert_inert(at, "Data page of the imported map")
    imported = next(m for m in store.list_maps() if m.name != MAP_NAME)
    assert store.latest(imported.id).data.custom_columns == (CUSTOM_HEADER,)


def test_import_panel_problems_and_refusals(payload_app):
    at, _, _ = payload_app
    at.switch_page("views/data.py").run()
    rows = payload_rows()
    rows[1][3] = PAYLOADS[2]  # Power: a tag, not a number
    rows[2][0] = rows[3][0]  # a name twice
    _upload(at, FILE_NAME, build_xlsx({SHEET_NAME: rows}))
    assert at.error, "the problems are listed"
    assert_inert(at, "Import panel, problems of a payload workbook")
    csv = "\n".join(",".join(str(c) for c in row) for row in payload_rows()).encode()
    _upload(at, FILE_NAME.replace(".xlsx", ".csv"), csv)
    assert_inert(at, "Import panel, a payload CSV")
    _upload(at, FILE_NAME, b"PK\x03\x04 not really a workbook " + PAYLOADS[0].encode())
    assert at.error
    assert_inert(at, "Import panel, an unreadable file")


# ---------------------------------------------------------------- finding 5: the bound address


def test_plain_streamlit_run_binds_only_this_machine():
    """`streamlit run app.py` (the plain command the README gives for Windows) reads
    .streamlit/config.toml: it must listen on 127.0.0.1, not on every interface."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"


def test_make_run_binds_only_this_machine():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    run = re.search(r"^run:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert run is not None, "the Makefile has a run target"
    assert "stakemap serve" in run.group(1)  # the app behind its gate (serve.py)
    assert re.findall(r"--server\.address[ =](\S+)", run.group(1)) == ["127.0.0.1"]


def test_streamlit_reads_the_address_from_the_config(monkeypatch: pytest.MonkeyPatch):
    """Streamlit itself resolves server.address to 127.0.0.1 from the project's config."""
    from streamlit import config

    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("STREAMLIT_SERVER_ADDRESS", raising=False)
    config._config_options = None  # re-read the config files from the project folder
    try:
        config.get_config_options(force_reparse=True)
        assert config.get_option("server.address") == "127.0.0.1"
    finally:
        config.get_config_options(force_reparse=True)
