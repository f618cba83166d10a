"""C code that holds Python's lock, run in a worker process in the server (stakemap.apart)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import types

import pytest

from stakemap import apart
from stakemap.network.layout import layout
from stakemap.pacing import BACKGROUND
from stakemap.samples import synthetic


@pytest.fixture()
def worker():
    """:func:`apart.work_apart` on for the test, off after it (as outside the server)."""
    apart.work_apart()
    yield
    apart.work_apart(False)


def _longest_stall(work) -> float:
    """The longest this thread waited for Python's lock, in seconds, while ``work`` ran in
    another thread."""
    thread = threading.Thread(target=work)
    thread.start()
    longest, last = 0.0, time.perf_counter()
    while thread.is_alive():
        time.sleep(0.001)
        now = time.perf_counter()
        longest, last = max(longest, now - last), now
    thread.join()
    return longest


def test_outside_the_server_a_call_runs_here():
    assert not apart.working_apart()
    assert apart.apart(os.getpid) == os.getpid()


def test_in_the_server_a_call_runs_in_the_worker_and_gives_the_same_layout(worker):
    m = synthetic.large(1200, 4800, seed=3)
    here = _layout_here(m)
    assert apart.apart(os.getpid) != os.getpid()
    assert layout(m) == here


def test_the_worker_never_runs_the_page_script_streamlit_made_main(tmp_path, monkeypatch):
    """Streamlit makes each page script the ``__main__`` module while it runs, and a spawned
    interpreter runs its parent's main module first: the worker, started with the server,
    runs no page (it ran app.py and all of Streamlit before its first layout)."""
    ran = tmp_path / "ran"
    script = tmp_path / "page.py"
    script.write_text(f"open({str(ran)!r}, 'w').close()\n")
    apart.work_apart()
    try:
        page = types.ModuleType("__main__")
        page.__file__ = str(script)
        monkeypatch.setitem(sys.modules, "__main__", page)
        assert apart.apart(os.getpid) != os.getpid()
    finally:
        apart.work_apart(False)
    assert not ran.exists()


def _layout_here(m):
    apart.work_apart(False)
    try:
        return layout(m)
    finally:
        apart.work_apart()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a nice value per thread")
def test_the_worker_runs_below_the_pages(worker):
    """Its layouts are mostly worked out ahead: it runs as work done ahead does, whichever
    thread started it (stakemap.pacing.in_background)."""
    main = os.getpriority(os.PRIO_PROCESS, os.getpid())
    process = apart.apart(os.getpid)
    assert os.getpriority(os.PRIO_PROCESS, process) == min(main + BACKGROUND, 19)


def test_a_large_layout_apart_stalls_no_other_thread(worker):
    """igraph's layout holds the lock for its whole length (0.27 s at 2,000 people); apart, a
    page's thread waits no longer than for the layout's own Python parts."""
    m = synthetic.large(2000, 8000, seed=5)
    layout(m)  # the worker started
    apart_stall = _longest_stall(lambda: layout(m))
    here_stall = _longest_stall(lambda: _layout_here(m))
    assert apart_stall < here_stall / 2, (apart_stall, here_stall)


def test_a_worker_that_died_leaves_the_calls_here(worker):
    os.kill(apart.apart(os.getpid), signal.SIGKILL)
    assert apart.apart(divmod, 7, 2) == (3, 1)
    assert not apart.working_apart()
    assert apart.apart(os.getpid) == os.getpid()


def test_the_worker_ends_with_a_server_that_was_killed():
    """A killed server runs no shutdown code: its worker must not live on as an orphan."""
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import os, time; from stakemap import apart; apart.work_apart(); "
            "print(apart.apart(os.getpid), flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    worker = int(server.stdout.readline())
    assert _alive(worker)
    server.kill()
    server.wait()
    deadline = time.monotonic() + 10
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(worker)


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (an ended process not yet reaped by its new parent does not)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_server_stopped_by_a_signal_ends_its_worker_cleanly(tmp_path):
    """serve.py's lifespan shuts the worker's pool down: stopped by SIGTERM, the server had
    left its queues' semaphores to Python's resource tracker, which warned of 5 leaked."""
    from tests.test_room_attacks import _children, _start

    room = _start(tmp_path)
    workers = _children(room.process.pid)
    assert workers  # the layout worker (and the resource tracker) run beside the server
    room.process.terminate()
    room.process.wait(timeout=30)  # uvicorn raises the signal again once shut down: -15
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    log = room.log.read_text()
    assert "leaked" not in log and "Traceback" not in log, log
