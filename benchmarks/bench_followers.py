"""The room under its phones: the facilitator's Workshop page rerun, idle and while 50 phones
follow the room, each polling every second as its browser does.

A real server (``python -m stakemap serve`` with a facilitator passcode, SQLite, on
127.0.0.1: :class:`tests.browser.conftest.AppServer`) and clients that speak Streamlit's
WebSocket protocol (:class:`tests.room_client.RoomClient`), each phone from a loopback address
of its own (127.0.20.k: the join limits count per address). The facilitator signs in with the
passcode; a session on a generated 60-person map (:func:`stakemap.samples.synthetic.organisation`)
has a round open on ten people's power, interest and stance, so every phone shows its ballot.

A phone joins, follows the redirect that sets its seat cookie and reconnects with it, as its
browser reloads. Its follow view is an ``st.fragment(run_every=1)``: the server announces it in
an ``auto_rerun`` ForwardMsg (interval, fragment id), and the browser then sends, every
interval, whatever it is doing, a ``rerun_script`` BackMsg carrying the page's script hash, its
widget states, the fragment id and ``is_auto_rerun`` (Streamlit's frontend, App.tsx
``handleAutoRerun`` -> ``WidgetStateManager.sendUpdateWidgetsMessage(fragmentId, true)``).
Each phone here does exactly that, from a thread of its own.

- *Workshop page rerun, idle*: the facilitator's ``rerun_script`` BackMsg for the Workshop page
  until its ``script_finished``, the median of many, no phone polling (the phones have joined).
- *... with 50 phones following*: the same while every phone polls; ``baseline`` is the idle
  row, so ``run.py --json`` gives the ratio (target: at most 1.5). A rerun not finished after
  60 s counts as 60 s.
- *phone poll*: a poll's BackMsg until its run's ``script_finished`` (p50, p95).
- *full-script runs* and *fragment runs* the polls caused, told apart by the runs'
  ``script_finished`` (a fragment's carries its ids, ``metadata.run.fragment_ids``, and status
  ``FINISHED_FRAGMENT_RUN_SUCCESSFULLY``). Target: no full run while nothing changes.

The bench process and the server share the machine's cores: compare the ratio, not the
milliseconds, across machines.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.browser.conftest and tests.room_client: the suite's own

PHONES = 50
PASSCODE = "bench passcode"
BENCH = "followers"
_TIMEOUT = 60.0  # seconds a facilitator's rerun is waited for
#: The test requirements it runs on (the suite's server and protocol client): run.py skips
#: this bench, saying so, where they are not installed.
NEEDS = ("pytest", "websockets")


def run(quick: bool = False) -> list[dict]:
    """The rows (see benchmarks/run.py)."""
    return _measure(reruns=8 if quick else 30, phones=PHONES)


def _row(measure: str, value: object, unit: str, note: str, **extra: object) -> dict:
    row = {"benchmark": BENCH, "measure": measure, "value": value, "unit": unit, "note": note}
    return row | extra


@dataclass
class _Counts:
    """What one phone saw while polling: its runs by kind and each poll's time to done."""

    full: int = 0
    fragment: int = 0
    interrupted: int = 0
    polls: int = 0
    latencies: list[float] = field(default_factory=list)
    lost: str = ""  # why the connection ended early, if it did


class _Phone:
    """A joined phone: its WebSocket (with the seat cookie), the page's script hash and the
    fragment id its browser would poll."""

    def __init__(self, client, page_hash: str, fragment_id: str) -> None:
        self.client = client
        self.page_hash = page_hash
        self.fragment_id = fragment_id
        self.counts = _Counts()

    def poll_until(self, stop: threading.Event, every: float = 1.0) -> None:
        """Send the browser's auto-rerun BackMsg every ``every`` seconds until ``stop``,
        reading every ForwardMsg in between."""
        from streamlit.proto.BackMsg_pb2 import BackMsg

        sent: list[float] = []
        tick = time.monotonic()
        while not stop.is_set() and not self.counts.lost:
            msg = BackMsg()
            msg.rerun_script.page_script_hash = self.page_hash
            msg.rerun_script.fragment_id = self.fragment_id
            msg.rerun_script.is_auto_rerun = True
            msg.rerun_script.widget_states.SetInParent()
            self.client.send(msg)
            sent.append(time.monotonic())
            self.counts.polls += 1
            tick += every
            while (left := tick - time.monotonic()) > 0:
                self._read(left, sent)
        self._read(2.0, sent)  # the last poll's answer

    def _read(self, timeout: float, sent: list[float]) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        from websockets.exceptions import ConnectionClosed

        if self.counts.lost:
            return
        try:
            raw = self.client._ws.recv(timeout=timeout)
        except TimeoutError:
            return
        except ConnectionClosed as exc:
            self.counts.lost = str(exc)
            return
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        if msg.WhichOneof("type") != "script_finished":
            return
        status = ForwardMsg.ScriptFinishedStatus
        if msg.script_finished == status.FINISHED_EARLY_FOR_RERUN:
            self.counts.interrupted += 1
            return
        is_fragment = msg.script_finished == status.FINISHED_FRAGMENT_RUN_SUCCESSFULLY or bool(
            msg.metadata.run.fragment_ids
        )
        if is_fragment:
            self.counts.fragment += 1
        else:
            self.counts.full += 1
        if sent:  # polls coalesce: a run answers every poll sent before it finished
            self.counts.latencies.append(time.monotonic() - sent[0])
            sent.clear()


def _first_run(client, page: str, query: str = "") -> tuple[str, list[str]]:
    """Run ``page`` once by name, as a browser opening its URL does; the page's script hash
    and the fragment ids the run asked to be polled."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = BackMsg()
    msg.rerun_script.page_name = page
    msg.rerun_script.query_string = query
    client.send(msg)
    page_hash, fragments = "", []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        raw = client._ws.recv(timeout=60)
        client.received += raw
        reply = ForwardMsg()
        reply.ParseFromString(raw)
        kind = reply.WhichOneof("type")
        if kind == "new_session":
            page_hash = reply.new_session.page_script_hash
        elif kind == "auto_rerun":
            fragments.append(reply.auto_rerun.fragment_id)
        elif kind == "script_finished" and reply.script_finished in (
            ForwardMsg.FINISHED_SUCCESSFULLY,
            ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
        ):
            return page_hash, fragments
    raise TimeoutError(f"{page} did not finish within 60 s")


def _join(port: int, source: str, code: str, name: str) -> _Phone:
    """Join from ``source``, take the seat cookie through the server's gate and reopen the
    Join page with it, as the phone's browser does."""
    from tests.room_client import RoomClient

    joining = RoomClient(port, source).open()
    joining.run("join")
    joining.submit("Join", {"Code on the screen": code, "Your display name": name}, "join")
    url = joining.redirect()
    if url is None or joining.follow(url) != 303:
        raise RuntimeError(f"{name} did not join: {joining.texts()[:300]}")
    joining.close()
    phone = RoomClient(port, source, cookies=joining.cookies).open()
    page_hash, fragments = _first_run(phone, "join")
    if len(fragments) != 1:
        raise RuntimeError(f"{name}'s Join page asked for {len(fragments)} polls, not one")
    return _Phone(phone, page_hash, fragments[0])


def _facilitator(port: int, map_id: int):
    """The laptop's browser (127.0.0.1) signed in and on the Workshop page of ``map_id``;
    a function that reruns that page once and returns the seconds it took."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    from tests.room_client import RoomClient

    signing = RoomClient(port, "127.0.0.1").open()
    signing.run("facilitator")
    signing.submit("Sign in", {"Passcode": PASSCODE}, "facilitator")
    url = signing.redirect()
    if url is None or signing.follow(url) != 303:
        raise RuntimeError(f"the facilitator did not sign in: {signing.texts()[:300]}")
    signing.close()
    laptop = RoomClient(port, "127.0.0.1", cookies=signing.cookies).open()
    query = f"map={map_id}"
    page_hash, _polls = _first_run(laptop, "workshop", query)
    if b"Round 1 \xc2\xb7 open" not in laptop.received:
        raise RuntimeError("the Workshop page shows no open round")

    def rerun() -> float:
        msg = BackMsg()
        msg.rerun_script.page_script_hash = page_hash
        msg.rerun_script.query_string = query
        msg.rerun_script.widget_states.SetInParent()
        t0 = time.perf_counter()
        laptop.send(msg)
        try:
            laptop._read_until("script_finished", timeout=_TIMEOUT)
        except TimeoutError:
            return _TIMEOUT  # counted as the time waited: the figure says "at least"
        return time.perf_counter() - t0

    return rerun


def _reruns(rerun, count: int) -> list[float]:
    rerun()  # warm: the first run after a pause pays for what the others cache
    return [rerun() for _ in range(count)]


def _measure(reruns: int, phones: int) -> list[dict]:
    from stakemap.room import access
    from stakemap.room.rounds import items_for
    from stakemap.room.sessions import WorkshopStore
    from stakemap.samples.synthetic import organisation
    from stakemap.store.maps import Store
    from tests.browser.conftest import AppServer

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        store = Store(url)
        store.claim_first_start()  # no sample maps: the bench's map alone
        m = organisation()
        map_id = store.create("Bench room", m)
        ws = WorkshopStore(store)
        session = ws.start(map_id)
        ws.open_round(session.id, items_for(m.names[:10], ["power", "interest", "stance"]))
        env = {
            access.PASSCODE_ENV: access.hash_passcode(PASSCODE, n=2**8),
            "STREAMLIT_LOGGER_LEVEL": "warning",  # its stderr is a pipe nobody reads
        }
        server = AppServer(url, env=env)
        server.start()
        try:
            rerun = _facilitator(server.port, map_id)
            room = [
                _join(server.port, f"127.0.20.{k}", session.code, f"Phone {k}")
                for k in range(1, phones + 1)
            ]
            idle = _reruns(rerun, reruns)
            stop = threading.Event()
            threads = [threading.Thread(target=p.poll_until, args=(stop,)) for p in room]
            for t in threads:
                t.start()
            time.sleep(2.0)  # every phone's timer running
            loaded = _reruns(rerun, reruns)
            stop.set()
            for t in threads:
                t.join(timeout=30)
            idle_after = _reruns(rerun, reruns)
            for p in room:
                p.client.close()
        finally:
            server.stop()
            store.engine.dispose()
    return _rows(idle + idle_after, loaded, room, len(m.stakeholders))


def _rows(idle: list[float], loaded: list[float], room: list[_Phone], people: int) -> list[dict]:
    counts = [p.counts for p in room]
    latencies = sorted(x for c in counts for x in c.latencies)
    full = sum(c.full for c in counts)
    fragment = sum(c.fragment for c in counts)
    polls = sum(c.polls for c in counts)
    idle_s, loaded_s = statistics.median(idle), statistics.median(loaded)
    setting = f"{people}-person map, a round of 30 questions open"
    return [
        _row(
            "Workshop page rerun, idle",
            round(idle_s, 4),
            "s",
            f"median of {len(idle)} (before and after the polling); {setting}",
        ),
        _row(
            f"Workshop page rerun, {len(room)} phones following",
            round(loaded_s, 4),
            "s",
            f"median of {len(loaded)}, each phone polling every 1 s; "
            f"{loaded_s / idle_s:.2f}x idle (target <= 1.5x)",
            baseline="Workshop page rerun, idle",
        ),
        _row(
            "phone poll p50",
            f"{1000 * statistics.median(latencies):.0f}" if latencies else "-",
            "ms",
            "a poll's BackMsg until its run's script_finished",
        ),
        _row(
            "phone poll p95",
            f"{1000 * latencies[int(0.95 * (len(latencies) - 1))]:.0f}" if latencies else "-",
            "ms",
            f"{polls} polls sent",
        ),
        _row(
            "full-script runs caused by polls",
            full,
            "runs",
            f"target 0 while nothing changes; {fragment} fragment runs, "
            f"{sum(c.interrupted for c in counts)} interrupted, "
            f"{sum(bool(c.lost) for c in counts)} connections lost",
        ),
        _row("fragment runs caused by polls", fragment, "runs", f"{polls} polls sent"),
    ]


if __name__ == "__main__":
    for r in run(quick="--quick" in sys.argv):
        print(r)
