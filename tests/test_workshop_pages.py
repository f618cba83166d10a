"""The Workshop and Join pages in AppTest, and the access rules of app.py's navigation:
with a passcode configured, a browser session that has not signed in runs only Join and the
sign-in, whatever page or ?map= it asks for."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from stakemap.room import access
from stakemap.room.rounds import Item, items_for
from stakemap.room.sessions import WorkshopStore
from stakemap.samples import synthetic
from stakemap.store.maps import Store
from stakemap.ui.room.screen import _lens_chart
from tests.conftest import small_map

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PASSCODE = "room passcode 42"


@pytest.fixture(autouse=True)
def fresh_process_caches(monkeypatch):
    """The throttles and the room's charts (kept per map id and version) live for the
    server process: each test, on a database of its own, starts with none."""
    for kind, throttle in access.new_throttles().items():
        monkeypatch.setitem(access.THROTTLES, kind, throttle)
    _lens_chart.clear()
    yield
    _lens_chart.clear()


def throttled(kind: str):
    return access.THROTTLES[kind]


@pytest.fixture
def db(app_database: str, monkeypatch) -> str:
    monkeypatch.delenv(access.PASSCODE_ENV, raising=False)
    return app_database


@pytest.fixture
def room(db, monkeypatch) -> str:
    monkeypatch.setenv(access.PASSCODE_ENV, access.hash_passcode(PASSCODE, n=2**8))
    return db


def _app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    return at


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [t.value for t in [*at.title, *at.subheader]]
    parts += (
        [c.value for c in at.caption] + [e.value for e in at.error] + [i.value for i in at.info]
    )
    return "\n".join(str(p) for p in parts)


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def _map(db: str, name: str = "Demo") -> int:
    store = Store(db)
    store.claim_first_start()
    return store.create(name, small_map())


def test_without_passcode_every_page_is_open_and_join_is_hidden(db):
    _map(db)
    at = _app()
    at.switch_page("views/workshop.py").run()
    assert not at.exception
    assert "Start a session" in [b.label for b in at.button]
    at.switch_page("views/join.py").run()
    assert "Join the workshop" in _texts(at)


def test_facilitator_starts_a_session_and_sees_the_code(db):
    map_id = _map(db)
    at = _app()
    at.session_state["map_id"] = map_id
    at.switch_page("views/workshop.py").run()
    _button(at, "Start a session").click().run()
    assert not at.exception
    session = WorkshopStore(Store(db)).open_for_map(map_id)
    assert session is not None and session.code in _texts(at)
    assert [t.label for t in at.tabs] == ["Join", "Projector", "Rating round", "Close"]


@pytest.mark.parametrize(("listen", "reachable"), [("127.0.0.1", False), ("0.0.0.0", None)])
def test_the_join_card_links_where_the_server_listens(db, monkeypatch, listen, reachable):
    """On a server bound to loopback the card shows no QR code but a warning with the command
    that serves the room; bound everywhere, the link is on the laptop's network address
    (or, with no network, a warning asking for the Wi-Fi)."""
    import streamlit

    real = streamlit.get_option
    monkeypatch.setattr(
        streamlit, "get_option", lambda k: listen if k == "server.address" else real(k)
    )
    map_id = _map(db)
    WorkshopStore(Store(db)).start(map_id)
    at = _app()
    at.session_state["map_id"] = map_id
    at.switch_page("views/workshop.py").run()
    assert not at.exception
    link = at.get("code")[0].value
    warnings = [w.value for w in at.warning]
    images = at.get("image")
    if reachable is False:
        assert link.startswith(f"http://{listen}:") and not images
        assert any("make room" in w and listen in w for w in warnings)
    else:
        assert not link.startswith("http://127.") or warnings
        assert bool(images) != bool(warnings)


@pytest.mark.parametrize(
    "page", ["views/map.py", "views/data.py", "views/network.py", "views/workshop.py"]
)
def test_locked_browser_has_only_join_and_sign_in(room, page):
    map_id = _map(room)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["map"] = str(map_id)
    at.run()
    text = _texts(at)
    assert "Join the workshop" in text
    assert "Demo" not in text  # no map name, no picker
    assert not at.selectbox  # the sidebar's map picker is not drawn
    with pytest.raises(ValueError, match="Known pages") as refused:
        at.switch_page(page)
    known = str(refused.value).split("Known pages:")[1]
    assert "views/join.py" in known and "facilitator" in known
    assert not any(f"views/{p}" in known for p in ("map", "data", "network", "workshop"))


def _sign_in_page(at: AppTest, passcode: str) -> AppTest:
    at.switch_page("views/facilitator.py").run()
    at.text_input[0].input(passcode)
    at.button[0].click().run()
    return at


def test_wrong_passcode_refused_right_one_unlocks(room, monkeypatch):
    slept = []
    monkeypatch.setattr("stakemap.ui.room.access._pause", slept.append)
    _map(room)
    at = _app()
    _sign_in_page(at, "guess")
    assert "Wrong passcode." in _texts(at) and slept == [pytest.approx(1.0, abs=0.1)]
    throttle = throttled("passcode")
    frozen = throttle.clock()
    throttle.clock = lambda: frozen  # still inside the 1 s backoff
    _sign_in_page(at, PASSCODE)
    assert "Too many wrong passcodes" in _texts(at)  # even the right one waits
    throttle.clock = lambda: frozen + 2  # the backoff is over
    _sign_in_page(at, PASSCODE)
    assert not at.exception
    at.switch_page("views/data.py").run()
    assert not at.exception and "Join the workshop" not in _texts(at)


def test_participant_joins_follows_and_rates(db):
    map_id = _map(db)
    ws = WorkshopStore(Store(db))
    session = ws.start(map_id)
    at = _app()
    at.switch_page("views/join.py").run()
    at.text_input[0].input(session.code.lower())
    at.text_input[1].input("Sam")
    at.button[0].click().run()
    assert not at.exception
    assert "Joined as Sam" in _texts(at)
    assert [p.name for p in ws.participants(session.id)] == ["Sam"]
    rnd = ws.open_round(session.id, items_for(["Ana", "Ben"], ["power"]))
    at.run()
    questions = at.pills
    assert len(questions) == 2
    # the questions alone: no chart, table or list shows the rated people's current values
    assert not at.dataframe and not at.get("vega_lite_chart") and not at.get("iframe")
    assert [q.label for q in questions] == [
        "How much power does Ana have over this decision?",
        "How much power does Ben have over this decision?",
    ]
    assert questions[0].options[0] == "1 (very low)"
    assert all(q.value is None for q in questions)  # nothing chosen for the participant
    questions[0].set_value(5).run()
    assert {(a.item, a.value) for a in ws.answers(rnd.id)} == {(Item("power", "Ana"), 5)}
    assert at.pills[0].value == 5
    ws.set_round(rnd.id, open=False, revealed=True)
    at.run()
    text = _texts(at).replace("\\", "")
    assert "what the room said" in text
    assert "The room: 5 (very high) · 1 answer · you: 5 (very high)" in text
    assert at.get("vega_lite_chart")  # the result strip, then the follow view


@pytest.mark.parametrize(("address", "offered"), [(None, True), ("192.168.1.23", False)])
def test_the_sign_in_link_is_offered_only_on_the_laptop(room, monkeypatch, address, offered):
    monkeypatch.setattr("streamlit.runtime.context.ContextProxy.ip_address", address)
    at = _app()
    links = [link.label for link in at.get("page_link")]
    assert ("Facilitator sign-in" in links) == offered


def test_participant_is_bound_to_their_session_map(room):
    first, second = _map(room, "First"), _map(room, "Second secret")
    ws = WorkshopStore(Store(room))
    session = ws.start(first)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["map"] = str(second)
    at.run()
    at.text_input[0].input(session.code)
    at.text_input[1].input("Sam")
    at.button[0].click().run()
    with pytest.raises(ValueError, match="Known pages"):
        at.switch_page("views/data.py")  # not registered for a participant
    at.run()
    text = _texts(at)
    assert "Joined as Sam" in text and "Second secret" not in text


def test_closed_code_refused_and_joined_participant_signed_out(db):
    map_id = _map(db)
    ws = WorkshopStore(Store(db))
    session = ws.start(map_id)
    at = _app()
    at.switch_page("views/join.py").run()
    at.text_input[0].input(session.code)
    at.text_input[1].input("Sam")
    at.button[0].click().run()
    ws.close(session.id)
    at.run()
    assert "Join the workshop" in _texts(at)  # signed out at the next run
    assert "The workshop you were in has ended" in _texts(at)
    at.text_input[0].input(session.code)
    at.text_input[1].input("Sam again")
    at.button[0].click().run()
    assert "No open workshop has this code" in _texts(at)


def test_wrong_codes_are_throttled(db):
    _map(db)
    at = _app()
    at.switch_page("views/join.py").run()
    throttle = throttled("join")
    frozen = throttle.clock()
    throttle.clock = lambda: frozen  # a slow run must not outlast the 0.5 s backoff
    messages = []
    for _ in range(3):
        at.text_input[0].input("ABCDEF")
        at.text_input[1].input("Guesser")
        at.button[0].click().run()
        messages.append(_texts(at))
    assert "No open workshop" in messages[0]
    assert "Too many wrong codes" in messages[1]  # the backoff after a wrong code
    throttle.clock = lambda: frozen + 1  # the backoff is over
    at.text_input[0].input("ABCDEF")
    at.button[0].click().run()
    assert "No open workshop" in _texts(at)


def test_malformed_passcode_hash_refuses_to_serve(db, monkeypatch):
    monkeypatch.setenv(access.PASSCODE_ENV, "letmein")
    at = _app()
    assert "not a passcode hash" in _texts(at)
    assert "Join the workshop" not in _texts(at)


def test_facilitator_adopts_the_round_as_one_version(db):
    map_id = _map(db)
    store = Store(db)
    ws = WorkshopStore(store)
    session = ws.start(map_id)
    voters = [ws.join(session.id, f"P{i}") for i in range(3)]
    rnd = ws.open_round(session.id, items_for(["Ana", "Ben"], ["power"]))
    for p, values in zip(voters, [(1, 5), (2, 5), (2, 4)], strict=True):
        ws.answer(p, rnd.id, Item("power", "Ana"), values[0])
        ws.answer(p, rnd.id, Item("power", "Ben"), values[1])
    at = _app()
    at.session_state["map_id"] = map_id
    at.switch_page("views/workshop.py").run()
    before = store.latest_number(map_id)
    _button(at, "Adopt for the ticked").click().run()
    assert not at.exception
    assert store.latest_number(map_id) == before + 1
    latest = store.latest(map_id)
    assert latest.description == "Adopted round 1: power of 2 people"
    assert (latest.data.get("Ana").power, latest.data.get("Ben").power) == (2, 5)
    assert ws.latest_round(session.id).adopted_version == before + 1
    # undo from History restores the old values as a new version
    store.restore(map_id, before, before + 1)
    assert store.latest(map_id).data.get("Ana").power == small_map().get("Ana").power


def test_who_answered_furthest_stays_hidden_until_the_facilitator_asks(db):
    """The facilitator's screen may be mirrored on the projector: participants' names are in
    no chart, table or caption of the round until the facilitator-only toggle is on."""
    map_id = _map(db)
    ws = WorkshopStore(Store(db))
    session = ws.start(map_id)
    voters = [ws.join(session.id, name) for name in ("李娜", "Sam", "Zoë")]
    rnd = ws.open_round(session.id, items_for(["Ana", "Ben"], ["power", "stance"]))
    for p, value in zip(voters, (1, 3, 2), strict=True):
        ws.answer(p, rnd.id, Item("power", "Ana"), value)
        ws.answer(p, rnd.id, Item("stance", "Ben"), value - 2)
    at = _app()
    at.session_state["map_id"] = map_id
    at.switch_page("views/workshop.py").run()

    def shown() -> str:
        charts = [str(c.proto.spec) + str(c.proto.datasets) for c in at.get("vega_lite_chart")]
        tables = [d.value.to_csv() for d in at.dataframe]
        return "\n".join([_texts(at), *charts, *tables])

    assert "3 answers" not in shown()  # six answers, two per person
    text = shown()
    assert not [n for n in ("李娜", "Sam", "Zoë") if n in text]
    assert at.toggle(key="ws-show-who").value is False
    at.toggle(key="ws-show-who").set_value(True).run()
    assert "李娜" in shown() and "Furthest from median" in at.dataframe[0].value.columns


def test_facilitator_close_ends_the_code(db):
    map_id = _map(db)
    ws = WorkshopStore(Store(db))
    session = ws.start(map_id)
    at = _app()
    at.session_state["map_id"] = map_id
    at.switch_page("views/workshop.py").run()
    next(c for c in at.checkbox if c.label.startswith("Yes, end")).check().run()
    _button(at, "Close the session").click().run()
    assert ws.find_open(session.code) is None
    assert "Start a session" in [b.label for b in at.button]


@pytest.mark.parametrize("page", ["views/network.py", "views/plan.py"])
def test_anonymise_holds_on_network_and_plan_pages(db, page):
    map_id = _map(db)
    ws = WorkshopStore(Store(db))
    session = ws.start(map_id)
    ws.set_view(session.id, anonymise="letters")
    at = _app()
    at.session_state["map_id"] = map_id
    at.switch_page(page).run()
    assert not at.exception
    text = _texts(at)
    assert "Anonymised for the workshop" in text
    shown = text.split("Anonymised for the workshop")[1]
    assert not any(name in shown for name in small_map().names)
    ws.set_view(session.id, anonymise="names")
    at.run()
    assert "Anonymised for the workshop" not in _texts(at)


def test_map_presenter_follows_the_room_anonymise(db):
    map_id = _map(db)
    ws = WorkshopStore(Store(db))
    session = ws.start(map_id)
    ws.set_view(session.id, anonymise="initials")
    at = _app()
    at.session_state["map_id"] = map_id
    at.switch_page("views/workshop.py").run()
    at.switch_page("views/map.py").run()
    at.toggle(key="map_presenter").set_value(True).run()
    assert at.selectbox(key="map_anonymise").value == "initials"


def test_facilitator_adopts_one_person_with_a_chosen_value(db):
    map_id = _map(db)
    store = Store(db)
    ws = WorkshopStore(store)
    session = ws.start(map_id)
    p = ws.join(session.id, "P")
    rnd = ws.open_round(session.id, items_for(["Ana", "Ben"], ["interest"]))
    ws.answer(p, rnd.id, Item("interest", "Ana"), 1)
    ws.answer(p, rnd.id, Item("interest", "Ben"), 1)
    at = _app()
    at.session_state["map_id"] = map_id
    at.switch_page("views/workshop.py").run()
    before = store.latest_number(map_id)
    ben = f"ws-adopt-{rnd.id}-{rnd.items.index(Item('interest', 'Ben'))}"
    slider = next(s for s in at.select_slider if s.key.startswith(f"{ben}-value"))
    assert slider.options == ["1 (very low)", "2 (low)", "3 (medium)", "4 (high)", "5 (very high)"]
    slider.set_value(3).run()
    next(b for b in at.button if b.key == f"{ben}-one").click().run()
    assert not at.exception
    latest = store.latest(map_id)
    assert latest.number == before + 1
    assert latest.description == "Adopted round 1: interest of 1 person"
    assert latest.data.get("Ben").interest == 3
    assert latest.data.get("Ana").interest == small_map().get("Ana").interest


def _crowd(db: str, n: int) -> tuple[int, WorkshopStore, object]:
    store = Store(db)
    store.claim_first_start()
    map_id = store.create("Crowd", synthetic.organisation(n))
    ws = WorkshopStore(store)
    return map_id, ws, ws.start(map_id)


def _listed(at: AppTest, columns: list[str]) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if list(d.value.columns)[: len(columns)] == columns)


def _projector(db: str, n: int) -> AppTest:
    map_id, _, _ = _crowd(db, n)
    at = _app()
    at.session_state["map_id"] = map_id
    at.session_state["ws-projector"] = True
    at.switch_page("views/workshop.py").run()
    assert not at.exception
    return at


def _side_list(at: AppTest) -> list[str]:
    return [line for t in at.text for line in str(t.value).splitlines()]


def test_the_projector_keys_initials_when_names_do_not_fit(db):
    """The room's chart sizes labels and markers as the Map page does on the same screen:
    8 names do not fit, their initials do, and a side list beside the chart keys them."""
    at = _projector(db, 8)
    lines = _side_list(at)
    names = synthetic.organisation(8).names
    assert len(lines) == 8
    assert sorted(line.split("  ", 1)[1] for line in lines) == sorted(names)
    assert not at.dataframe  # the list fits the screen: no table to scroll


@pytest.mark.parametrize("n", [60, 90])
def test_a_crowded_projector_shows_markers_and_lists_everyone_beside_it(db, n):
    at = _projector(db, n)
    listed = {line.strip() for line in _side_list(at)}
    assert set(synthetic.organisation(n).names) <= listed
    assert not at.exception


def test_a_crowded_phone_keys_its_initials_and_an_anonymised_one_names_nobody(db):
    _, ws, session = _crowd(db, 12)
    at = _app()
    at.switch_page("views/join.py").run()
    at.text_input[0].input(session.code)
    at.text_input[1].input("Sam")
    at.button[0].click().run()
    assert "Too many people for readable names on this chart" in _texts(at)
    assert len(_listed(at, ["Initials", "Name"])) == 12
    ws.set_view(session.id, anonymise="letters")
    at.run()
    assert not at.exception
    names = set(synthetic.organisation(12).names)
    shown = {str(v) for d in at.dataframe for col in d.value.columns for v in d.value[col]}
    assert not names & shown
