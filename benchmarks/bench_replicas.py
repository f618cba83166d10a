"""Team server under a workshop's load: two app replicas on one PostgreSQL database.

Two processes stand for two replicas (each its own engine and connection pool, as two
Streamlit servers behind a sticky proxy would have). Each holds one facilitator, who saves a
burst of map versions (a stale save is refused and retried on the latest, as the page's
"Reload the latest version" does), and 15 participants, who answer every question of one
rating round while polling the follow view's token once a second, as the Join page's fragment
does. Afterwards the parent checks that every acknowledged save and every answer is in the
store, and reports how long a participant took to see a save made on either replica (the
poll interval included) and how long one poll read took. The database is a throwaway cluster
(tests/pg.py), as the suite's.
"""

from __future__ import annotations

import multiprocessing
import statistics
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.pg: the suite's throwaway cluster

PARTICIPANTS, REPLICAS, POLL_S = 30, 2, 1.0


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def _replica(url: str, index: int, plan: dict, out) -> None:
    """One replica: a facilitator thread and its participants' threads, results to ``out``."""
    from stakemap.room.sessions import WorkshopStore
    from stakemap.store.maps import StaleVersion, Store

    store = Store(url)
    ws = WorkshopStore(store)
    map_id, session_id, round_id = plan["map_id"], plan["session_id"], plan["round_id"]
    rnd = next(r for r in ws.rounds_of_map(map_id) if r.id == round_id)
    items = rnd.items
    mine = [p for k, p in enumerate(plan["participants"]) if k % REPLICAS == index]
    saves: list[tuple[int, str, float]] = []
    answers: list[tuple[str, str, int]] = []
    seen: list[list[float]] = []  # per participant: when a poll saw a newer version
    polls: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    done = threading.Event()
    finished = [float("inf")]  # when the facilitator's burst ended (monotonic clock)
    go = threading.Barrier(len(mine) + 1)

    def facilitator() -> None:
        go.wait()
        for k in range(plan["saves"]):
            marker = f"replica {index} save {k}"
            while True:
                latest = store.latest(map_id)
                people = list(latest.data.stakeholders)
                people[0] = replace(people[0], notes=marker)
                try:
                    number = store.save(
                        map_id, replace(latest.data, stakeholders=tuple(people)), latest.number,
                        marker,
                    )  # fmt: skip
                    break
                except StaleVersion:
                    continue  # the other replica saved first: reload and save again
            with lock:
                saves.append((number, marker, time.time()))
            time.sleep(0.4)
        finished[0] = time.monotonic()
        done.set()

    def participant(p) -> None:
        go.wait()
        last = ws.follow_token(session_id)[2]
        next_poll, saw = time.monotonic(), []
        with lock:
            seen.append(saw)
        pending = list(enumerate(items))
        # the view keeps polling after the burst, so that the last saves are seen too
        while pending or not done.wait(0) or time.monotonic() < finished[0] + 2 * POLL_S:
            if pending:
                k, item = pending.pop(0)
                value = item.scale.low + (k + len(p.token)) % (item.scale.width + 1)
                try:
                    ws.answer(p, round_id, item, value)
                    with lock:
                        answers.append((p.token, item.key, value))
                except Exception as exc:  # counted as lost below
                    with lock:
                        errors.append(repr(exc))
            if time.monotonic() >= next_poll:
                t0 = time.perf_counter()
                version = ws.follow_token(session_id)[2]
                now = time.time()
                with lock:
                    polls.append(time.perf_counter() - t0)
                    if version != last:
                        saw.append(now)  # matched to the saves' times by the parent
                last, next_poll = version, next_poll + POLL_S
            time.sleep(0.05 if pending else 0.02)

    threads = [threading.Thread(target=facilitator)]
    threads += [threading.Thread(target=participant, args=(p,)) for p in mine]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    store.engine.dispose()
    out.put({"saves": saves, "answers": answers, "polls": polls, "errors": errors, "seen": seen})


def _follow_latencies(saves: list[tuple[int, str, float]], seen_by: list[list[float]]) -> list:
    """For each save and each participant, seconds until that participant's next poll that
    saw a newer version than before it."""
    latencies = []
    for _, _, at in saves:
        for seen in seen_by:
            later = [t for t in seen if t >= at]
            if later:
                latencies.append(min(later) - at)
    return latencies


def run(quick: bool = False) -> list[dict]:
    from tests.pg import Cluster, server_binaries

    binaries = server_binaries()
    if binaries is None:
        missing = "no PostgreSQL server binaries (apt-get install postgresql)"
        return [dict(benchmark="replicas", measure="skipped", value=0, unit="", note=missing)]
    from stakemap.room.rounds import items_for
    from stakemap.room.sessions import WorkshopStore
    from stakemap.samples.synthetic import organisation
    from stakemap.store.maps import Store

    cluster = Cluster(binaries)
    cluster.start()
    try:
        url = cluster.new_database()
        store = Store(url)
        ws = WorkshopStore(store)
        m = organisation()
        map_id = store.create("Bench", m)
        session = ws.start(map_id)
        room = [ws.join(session.id, f"P{i}") for i in range(PARTICIPANTS)]
        people = 3 if quick else 8
        rnd = ws.open_round(session.id, items_for(m.names[:people], ["power", "stance"]))
        plan = {"map_id": map_id, "session_id": session.id, "round_id": rnd.id,
                "participants": room, "saves": 5 if quick else 20}  # fmt: skip
        context = multiprocessing.get_context("spawn")
        out = context.Queue()
        workers = [
            context.Process(target=_replica, args=(url, i, plan, out)) for i in range(REPLICAS)
        ]
        t0 = time.perf_counter()
        for w in workers:
            w.start()
        results = [out.get(timeout=600) for _ in workers]
        for w in workers:
            w.join()
        elapsed = time.perf_counter() - t0
        saves = [s for r in results for s in r["saves"]]
        kept = sum(store.load(map_id, n).data.stakeholders[0].notes == mark for n, mark, _ in saves)
        final = {(a.participant_id, a.item.key): a.value for a in ws.answers(rnd.id)}
        given: dict[tuple[str, str], int] = {}
        for r in results:
            for token, key, value in r["answers"]:
                given[token, key] = value
        by_token = {p.token: p.id for p in room}
        lost = sum(final.get((by_token[t], k)) != v for (t, k), v in given.items())
        expected = PARTICIPANTS * len(rnd.items)
        store.engine.dispose()
    finally:
        cluster.stop()
    polls = [p for r in results for p in r["polls"]]
    errors = [e for r in results for e in r["errors"]]
    latencies = _follow_latencies(saves, [saw for r in results for saw in r["seen"]])
    row = {"benchmark": "replicas"}
    setup = f"{PARTICIPANTS} participants and {REPLICAS} facilitators on {REPLICAS} replicas"
    return [
        {**row, "measure": "lost saves", "value": len(saves) - kept, "unit": "versions",
         "note": f"{setup}; {kept} of {len(saves)} acknowledged saves found with their data"},
        {**row, "measure": "lost ratings", "value": lost + (expected - len(final)),
         "unit": "answers", "note": f"{len(final)} of {expected} stored; {len(errors)} errors"},
        {**row, "measure": "follow latency p50", "value": round(statistics.median(latencies), 3)
         if latencies else None, "unit": "s",
         "note": f"a save on either replica to a participant's view, {POLL_S:g} s poll included"},
        {**row, "measure": "follow latency p95", "value": round(_percentile(latencies, 0.95), 3),
         "unit": "s", "note": "target < 2 s"},
        {**row, "measure": "follow poll read p95", "value": round(_percentile(polls, 0.95), 4),
         "unit": "s", "note": f"{len(polls)} polls while everyone rates and saves"},
        {**row, "measure": "whole burst", "value": round(elapsed, 2), "unit": "s",
         "note": "two replica processes started, all saves and answers done"},
    ]  # fmt: skip
