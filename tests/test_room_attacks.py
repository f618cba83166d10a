"""Issue 25: the room attacked at the protocol level, as a participant's phone could.

A real server (``python -m stakemap serve`` with a facilitator passcode, on a database of its
own) and clients that speak Streamlit's WebSocket protocol (tests/room_client.py) from distinct
loopback addresses (127.0.x.y), never forwarded headers. Each test names the attack it repels.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from websockets.exceptions import InvalidStatus

from stakemap.model import Relationship, Stakeholder, StakeholderMap
from stakemap.room import access
from stakemap.room.rounds import Item
from stakemap.room.sessions import WorkshopStore
from stakemap.samples.cases import new_programme
from stakemap.store.maps import Store
from tests.pg import free_port
from tests.room_client import RoomClient, http

ROOT = Path(__file__).resolve().parents[1]
PASSCODE = "room passcode 42"
WRONG = "not the passcode"


@dataclass
class Room:
    port: int
    db: str
    process: subprocess.Popen
    log: Path

    @property
    def store(self) -> Store:
        return Store(self.db)

    @property
    def ws(self) -> WorkshopStore:
        return WorkshopStore(self.store)

    def session(self, name: str, anonymise: str = "names", anonymous: bool = False):
        """A new map (the new-programme sample) with an open session on it."""
        map_id = self.store.create(name, new_programme())
        ws = self.ws
        session = ws.start(map_id, allow_anonymous=anonymous)
        ws.set_view(session.id, anonymise=anonymise)
        return map_id, ws.get(session.id)

    def rss_kib(self) -> int:
        """Resident memory of the server process and its children."""
        total = 0
        for pid in [self.process.pid, *_children(self.process.pid)]:
            status = Path(f"/proc/{pid}/status")
            if status.exists():
                line = next(x for x in status.read_text().splitlines() if x.startswith("VmRSS"))
                total += int(line.split()[1])
        return total


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(c) for c in task.read_text().split()]
    return found


def _start(tmp: Path) -> Room:
    db = f"sqlite:///{tmp / 'stakemap.sqlite'}"
    store = Store(db)
    store.claim_first_start()
    port = free_port()
    env = {
        **os.environ,
        "STAKEMAP_DATABASE_URL": db,
        access.PASSCODE_ENV: access.hash_passcode(PASSCODE, n=2**8),
    }
    env.pop("STAKEMAP_TRUSTED_PROXIES", None)
    log = tmp / "server.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "stakemap", "serve", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log.open("w"),
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1):
                return Room(port, db, process, log)
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(log.read_text()) from None
            time.sleep(0.2)
    process.kill()
    raise TimeoutError("the room server did not start")


def _stop(room: Room) -> None:
    room.process.terminate()
    try:
        room.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        room.process.kill()


@pytest.fixture(scope="module")
def room(tmp_path_factory) -> Iterator[Room]:
    served = _start(tmp_path_factory.mktemp("room"))
    yield served
    _stop(served)


@pytest.fixture
def own_room(tmp_path) -> Iterator[Room]:
    """A server of its own, for attacks that spend the server-wide limits."""
    served = _start(tmp_path)
    yield served
    _stop(served)


def _sign_in(room: Room, source: str, passcode: str) -> RoomClient:
    client = RoomClient(room.port, source).open()
    client.run("facilitator")
    client.submit("Sign in", {"Passcode": passcode}, "facilitator")
    return client


def _join(room: Room, source: str, code: str, name: str, cookies=None) -> RoomClient:
    client = RoomClient(room.port, source, cookies=dict(cookies or {})).open()
    client.run("join")
    client.submit("Join", {"Code on the screen": code, "Your display name": name}, "join")
    return client


def _in_parallel(jobs) -> list:
    results: list = [None] * len(jobs)

    def run(k: int) -> None:
        results[k] = jobs[k]()

    threads = [threading.Thread(target=run, args=(k,)) for k in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


# --- guess limits -------------------------------------------------------------------------------


def test_a_burst_of_passcodes_gets_one_check_and_clear_cache_resets_nothing(room):
    def guess() -> str:
        client = _sign_in(room, "127.0.2.1", WRONG)
        text = client.texts()
        client.close()
        return text

    texts = _in_parallel([guess for _ in range(30)])
    checked = sum("Wrong passcode." in t for t in texts)
    assert checked == 1  # counted before checked: the others wait out the first's backoff
    assert sum("Too many wrong passcodes" in t for t in texts) == 29


def test_at_most_five_checked_passcodes_per_client_and_clear_cache_resets_nothing(room):
    checked = 0
    for _ in range(7):
        client = _sign_in(room, "127.0.2.2", WRONG)
        text = client.texts()
        client.close()
        if "Wrong passcode." in text:
            checked += 1
            continue
        wait = float(text.split("try again in ")[1].split(" s")[0])
        if wait > 20:  # the per-client limit, not a backoff: nothing more is checked
            break
        time.sleep(wait + 0.2)
    assert checked == 5
    attacker = RoomClient(room.port, "127.0.2.2").open()
    attacker.run("join")
    attacker.clear_cache()  # what any WebSocket client may send, signed in or not
    attacker.run("facilitator")
    attacker.submit("Sign in", {"Passcode": PASSCODE}, "facilitator")
    assert "Too many wrong passcodes" in attacker.texts()  # the limit is still there
    attacker.close()


def test_the_laptop_signs_in_during_a_flood_from_30_addresses(own_room):
    sources = [f"127.0.3.{k}" for k in range(1, 31)]

    def flood(source: str) -> None:
        _sign_in(own_room, source, WRONG).close()
        time.sleep(1.2)  # the first backoff
        _sign_in(own_room, source, WRONG).close()

    _in_parallel([lambda s=s: flood(s) for s in sources])
    stranger = _sign_in(own_room, "127.0.3.99", PASSCODE)
    assert "Too many wrong passcodes" in stranger.texts()  # 60 failures: the server-wide limit
    stranger.close()
    laptop = _sign_in(own_room, "127.0.0.1", PASSCODE)
    assert laptop.redirect() is not None and "Wrong" not in laptop.texts()
    laptop.close()


def test_a_room_of_30_joins_while_one_address_sends_wrong_codes(room):
    _, session = room.session("Flooded room")

    def guess() -> None:
        _join(room, "127.0.4.1", "ZZZZZZ", "Mallory").close()

    def phone(k: int) -> str:
        client = _join(room, f"127.0.5.{k}", session.code, f"Phone {k}")
        text = client.texts()
        client.close()
        return text

    jobs = [guess] * 20 + [lambda k=k: phone(k) for k in range(1, 31)]
    texts = [t for t in _in_parallel(jobs) if t is not None]
    assert sum("Joined as Phone" in t for t in texts) == 30
    assert room.ws.count_participants(session.id) == 30


# --- one person, one voice ---------------------------------------------------------------------


def test_two_anas_are_two_voices_and_a_reload_keeps_the_seat(room):
    _, session = room.session("Two Anas")
    first = _join(room, "127.0.6.1", session.code, "Ana")
    second = _join(room, "127.0.6.2", session.code, "ana")
    ws = room.ws
    assert sorted(p.label for p in ws.participants(session.id)) == ["Ana", "ana 2"]
    rnd = ws.open_round(session.id, (Item("power", "Rosa Mendes"),))
    people = ws.participants(session.id)
    ws.answer(people[0], rnd.id, rnd.items[0], 1)
    ws.answer(people[1], rnd.id, rnd.items[0], 5)
    assert ws.results(rnd)[0].count == 2  # two voices, never one label
    # a reload: the seat cookie set through the server's gate brings the same participant back
    url = first.redirect()
    assert url is not None and first.follow(url) == 303
    first.close()
    again = RoomClient(room.port, "127.0.6.1", cookies=first.cookies).open()
    again.run("join")
    assert "Joined as Ana" in again.texts()
    assert room.ws.count_participants(session.id) == 2
    again.close()
    # the same device without its cookie cannot take a second seat
    copy = _join(room, "127.0.6.1", session.code, "Ana again")
    assert "already joined this workshop" in copy.texts()
    assert room.ws.count_participants(session.id) == 2
    copy.close()
    second.close()


def test_a_forged_or_expired_seat_cookie_gives_nothing(room):
    _, session = room.session("Forged")
    phone = _join(room, "127.0.7.1", session.code, "Bo")
    phone.follow(phone.redirect())
    value = phone.cookies["stakemap_seat"]
    data, mac = value.split(".")
    forged = RoomClient(room.port, "127.0.7.2", cookies={"stakemap_seat": f"{data}.x{mac[1:]}"})
    forged.open().run("join")
    assert "Join the workshop" in forged.texts() and "Joined as" not in forged.texts()
    forged.close()
    phone.close()


def test_the_facilitator_stays_signed_in_across_a_reload_and_can_sign_out(room):
    laptop = _sign_in(room, "127.0.0.1", PASSCODE)
    assert laptop.follow(laptop.redirect()) == 303
    laptop.close()
    again = RoomClient(room.port, "127.0.0.1", cookies=laptop.cookies).open()
    again.run("workshop")
    assert "Facilitator" not in [e.text for e in again.elements if e.kind == "heading"]
    sign_out = again.widget("Sign out")
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    again.run("workshop", [WidgetState(id=sign_out.id, trigger_value=True)])
    url = again.redirect()
    assert url and again.follow(url) == 303 and "stakemap_facilitator" not in again.cookies
    again.close()
    stale = RoomClient(room.port, "127.0.0.1", cookies=laptop.cookies).open()  # the old cookie
    stale.run("workshop")
    labels = [e.label for e in stale.elements]
    assert "Code on the screen" in labels and "Sign out" not in labels  # signed out: Join only
    stale.close()


# --- nothing names a person the room may not see ----------------------------------------------


def _private_words(m: StakeholderMap) -> set[str]:
    words = set()
    for s in m.stakeholders:
        words.add(s.name)
        words |= {part for part in s.name.split() if len(part) >= 4}
        words |= {t for t in (s.role, s.notes) if t}
    words |= {r.notes for r in m.relationships if r.notes}
    return words


def test_no_name_note_or_role_reaches_an_anonymised_phone(room):
    map_id, session = room.session("Anonymised", anonymise="initials")
    m = room.store.latest(map_id).data
    phone = _join(room, "127.0.8.1", session.code, "Phone")
    phone.follow(phone.redirect())
    phone.close()
    phone = RoomClient(room.port, "127.0.8.1", cookies=phone.cookies).open()
    ws = room.ws
    for view in ("lens", "network", "plan"):
        ws.set_view(session.id, view=view, plan_step=10)
        phone.run("join")
    items = tuple(Item(a, n) for a in ("power", "stance") for n in m.names[:4])
    rnd = ws.open_round(session.id, items)
    phone.run("join")
    me = ws.participants(session.id)[0]
    for item in items:
        ws.answer(me, rnd.id, item, item.scale.low)
    ws.set_round(rnd.id, open=False, revealed=True)
    phone.run("join")
    assert "what the room said" in phone.texts()
    leaked = [w for w in _private_words(m) if w.encode() in phone.received]
    assert not leaked, leaked
    phone.close()


def test_notes_never_reach_a_phone_even_with_names_shown(room):
    people = (
        Stakeholder("Ana Bell", notes="private: wants the CFO job"),
        Stakeholder("Ben Cole", stance=2),
    )
    m = StakeholderMap(people, (Relationship("Ben Cole", "Ana Bell", 3, notes="owes him"),))
    map_id = room.store.create("Notes", m)
    ws = room.ws
    session = ws.start(map_id)
    phone = _join(room, "127.0.9.1", session.code, "Phone")
    for view in ("lens", "network"):
        ws.set_view(session.id, view=view)
        phone.run("join")
    assert b"Ana Bell" in phone.received  # names are shown in this session
    assert b"wants the CFO job" not in phone.received and b"owes him" not in phone.received
    phone.close()


# --- what the server refuses --------------------------------------------------------------------


def test_a_signed_out_session_cannot_upload_and_memory_stays_flat(room):
    phone = RoomClient(room.port, "127.0.10.1").open()
    phone.run("join")
    urls = phone.upload_urls(4)
    assert urls
    before = room.rss_kib()
    body = b"x" * (8 * 1024 * 1024)
    boundary = "stakemapboundary"
    payload = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n'
            f"Content-Type: text/csv\r\n\r\n"
        ).encode()
        + body
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    statuses = [
        http(room.port, "PUT", url, source="127.0.10.1", headers=headers, body=payload)[0]
        for url in urls
    ]
    assert statuses == [403] * len(urls)
    assert room.rss_kib() - before < 50 * 1024
    phone.close()


def test_a_foreign_host_origin_or_forwarded_address_is_refused(room):
    assert http(room.port, "GET", "/", headers={"Host": "evil.example"})[0] == 421
    assert http(room.port, "GET", "/join", headers={"Host": "evil.example:80"})[0] == 421
    assert http(room.port, "GET", "/", headers={"X-Forwarded-For": "10.9.8.7"})[0] == 400
    with pytest.raises(InvalidStatus):
        RoomClient(room.port, host="evil.example").open()  # DNS rebinding: a foreign Host
    with pytest.raises(InvalidStatus):
        RoomClient(room.port, origin="http://evil.example").open()
    assert http(room.port, "GET", "/", headers={"Host": f"localhost:{room.port}"})[0] == 200
    assert "external IP" not in room.log.read_text()  # nothing was looked up outside


def test_data_files_are_private(tmp_path):
    folder = tmp_path / "stakemap"
    Store(f"sqlite:///{folder / 'stakemap.sqlite'}")
    assert oct((folder / "stakemap.sqlite").stat().st_mode & 0o777) == "0o600"
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
