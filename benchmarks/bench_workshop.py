"""Workshop load: 30 participants rate at once against the store while each also polls the
follow view's token and reads the map as a follow view does.

Measures: lost ratings (must be 0: every answer of every participant is in the store), the
time of a follow-view read (the poll: revision and map version; and a poll that found a
change: the map's latest version loaded) at p50/p95 while all rate, and the answers per
second the SQLite store took. A file database (WAL), as the app uses, not an in-memory one.
"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
from pathlib import Path

from stakemap.room.rounds import items_for
from stakemap.room.sessions import WorkshopStore
from stakemap.samples.synthetic import organisation
from stakemap.store.maps import Store

PARTICIPANTS = 30


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(quick: bool = False) -> list[dict]:
    people = 4 if quick else 10
    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{Path(folder) / 'bench.sqlite'}")
        ws = WorkshopStore(store)
        map_id = store.create("Bench", organisation())
        session = ws.start(map_id)
        room = [ws.join(session.id, f"P{i}") for i in range(PARTICIPANTS)]
        items = items_for(organisation().names[:people], ["power", "interest", "stance"])
        rnd = ws.open_round(session.id, items)
        polls: list[float] = []
        loads: list[float] = []
        errors: list[Exception] = []
        lock = threading.Lock()
        start = threading.Barrier(PARTICIPANTS)

        def participant(index: int) -> None:
            p = room[index]
            start.wait()
            try:
                for k, item in enumerate(items):
                    value = item.scale.low + (index + k) % (item.scale.width + 1)
                    ws.answer(p, rnd.id, item, value)
                    t0 = time.perf_counter()
                    ws.follow_token(session.id)
                    t1 = time.perf_counter()
                    if k % 5 == 0:
                        store.latest(map_id)
                    t2 = time.perf_counter()
                    with lock:
                        polls.append(t1 - t0)
                        if k % 5 == 0:
                            loads.append(t2 - t0)
            except Exception as exc:  # reported as lost ratings below
                with lock:
                    errors.append(exc)

        t0 = time.perf_counter()
        threads = [threading.Thread(target=participant, args=(i,)) for i in range(PARTICIPANTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - t0
        expected = PARTICIPANTS * len(items)
        stored = len(ws.answers(rnd.id))
        store.engine.dispose()
    row = {"benchmark": "workshop"}
    note = f"{PARTICIPANTS} participants x {len(items)} questions at once"
    return [
        {**row, "measure": "lost ratings", "value": expected - stored, "unit": "answers",
         "note": f"{note}; {stored} of {expected} stored; {len(errors)} errors"
         + (f" (first: {str(errors[0])[:120]})" if errors else "")},
        {**row, "measure": "answers stored per second", "value": f"{expected / elapsed:.0f}",
         "unit": "1/s", "note": f"SQLite file (WAL), {elapsed:.2f} s in all"},
        {**row, "measure": "follow poll p50", "value": f"{1000 * statistics.median(polls):.1f}",
         "unit": "ms", "note": "revision + map version, read while everyone rates"},
        {**row, "measure": "follow poll p95", "value": f"{1000 * _percentile(polls, 0.95):.1f}",
         "unit": "ms", "note": "target: well under the 1 s poll interval"},
        {**row, "measure": "follow read with map load p95",
         "value": f"{1000 * _percentile(loads, 0.95):.1f}", "unit": "ms",
         "note": "a poll that found a change and loaded the 60-person map; target < 2 s"},
    ]  # fmt: skip


if __name__ == "__main__":
    for r in run(quick=True):
        print(r)
