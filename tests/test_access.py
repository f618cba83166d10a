"""The facilitator passcode (salted scrypt, constant-time compare) and the guess throttle."""

from __future__ import annotations

import threading

import pytest

from stakemap.room import access
from stakemap.room.access import Throttle, hash_passcode, verify_passcode

FAST = 2**8  # a low scrypt cost keeps the tests quick; the default is checked once


def test_default_cost_round_trip():
    stored = hash_passcode("a long passcode")
    assert stored.split("$")[1] == str(2**14)
    assert verify_passcode("a long passcode", stored)
    assert not verify_passcode("a long passcodE", stored)


def test_salted_two_hashes_of_one_passcode_differ_and_both_verify():
    a, b = hash_passcode("same", n=FAST), hash_passcode("same", n=FAST)
    assert a != b
    assert verify_passcode("same", a) and verify_passcode("same", b)


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "junk",
        "scrypt$x$8$1$aa$bb",
        "md5$256$8$1$aa$bb",
        "scrypt$1073741824$8$1$aa$bb",  # an absurd cost is refused, not computed
        "scrypt$256$8$1$!!$bb",
    ],
)
def test_malformed_hash_never_matches_or_raises(stored):
    assert verify_passcode("anything", stored) is False


def test_wrong_passcodes_and_unicode():
    stored = hash_passcode("pässwörd 李", n=FAST)
    assert verify_passcode("pässwörd 李", stored)
    for wrong in ("", "pässwörd", "pässwörd 李 ", "passwort 李"):
        assert not verify_passcode(wrong, stored)


def test_compare_is_constant_time(monkeypatch):
    calls = []
    real = access.hmac.compare_digest
    monkeypatch.setattr(access.hmac, "compare_digest", lambda a, b: calls.append(1) or real(a, b))
    verify_passcode("x", hash_passcode("y", n=FAST))
    assert calls == [1]


def test_configured_hash_from_environment():
    good = hash_passcode("z", n=FAST)
    assert access.passcode_hash({}) is None
    assert access.passcode_hash({access.PASSCODE_ENV: f" {good} "}) == good
    with pytest.raises(ValueError, match="python -m stakemap passcode"):
        access.passcode_hash({access.PASSCODE_ENV: "letmein"})


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _fail(t: Throttle, key: str) -> None:
    """One checked attempt that failed (counted when taken, never refunded)."""
    assert t.attempt(key) is not None


def test_backoff_doubles_after_each_failure_and_caps():
    clock = _Clock()
    t = Throttle(per_key=100, overall=1000, base_delay=0.5, max_delay=4, clock=clock)
    assert t.wait("ip") == 0
    waits = []
    for _ in range(6):
        _fail(t, "ip")
        waits.append(t.wait("ip"))
        clock.now += waits[-1]
    assert waits == [0.5, 1, 2, 4, 4, 4]
    assert t.wait("other") == 0


def test_per_client_limit_then_window_expires():
    clock = _Clock()
    t = Throttle(per_key=3, overall=1000, window=60, base_delay=0, clock=clock)
    for _ in range(3):
        _fail(t, "a")
    assert t.wait("a") == pytest.approx(60) and t.attempt("a") is None
    assert t.wait("b") == 0
    clock.now += 61
    assert t.wait("a") == 0


def test_global_limit_stops_a_client_that_changes_keys_but_not_the_laptop():
    clock = _Clock()
    t = Throttle(per_key=3, overall=10, window=60, base_delay=0, clock=clock,
                 exempt=frozenset({"local"}))  # fmt: skip
    for i in range(10):
        _fail(t, f"new-session-{i}")
    assert t.wait("fresh") > 0
    assert t.wait("local") == 0  # the laptop is limited by its own failures only
    clock.now += 60.5
    assert t.wait("fresh") == 0


def test_a_gentle_global_limit_holds_back_only_clients_that_failed():
    clock = _Clock()
    t = Throttle(per_key=3, overall=5, window=60, base_delay=0, clock=clock,
                 overall_strict=False)  # fmt: skip
    for i in range(5):
        _fail(t, f"attacker-{i}")
    assert t.wait("attacker-0") > 0  # server-wide limit reached: failed clients wait
    assert t.wait("phone") == 0  # a newcomer still joins


def test_success_refunds_the_client_but_not_the_global_count():
    clock = _Clock()
    t = Throttle(per_key=2, overall=3, window=60, base_delay=1, clock=clock)
    _fail(t, "a")
    clock.now += 2
    ticket = t.attempt("a")
    t.refund(ticket)
    assert t.wait("a") == 0
    clock.now += 2
    _fail(t, "b")
    _fail(t, "c")
    assert t.wait("d") > 0  # three failures server-wide: the refunded try does not count


def test_a_burst_gets_one_check_at_a_time():
    t = Throttle(per_key=5, overall=50, window=600, base_delay=1)
    tickets = [t.attempt("k") for _ in range(30)]
    assert sum(x is not None for x in tickets) == 1


def test_thread_safe_counts():
    t = Throttle(per_key=10**6, overall=10**6, window=600, base_delay=0)
    taken = []

    def hammer() -> None:
        for _ in range(500):
            taken.append(t.attempt("k") is not None)

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sum(taken) == 4000 and len(t._all) == 4000 and len(t._keys["k"]) == 4000


def test_concurrent_attempts_never_exceed_the_per_client_limit():
    t = Throttle(per_key=5, overall=50, window=600, base_delay=0)
    granted = []
    barrier = threading.Barrier(30)

    def guess() -> None:
        barrier.wait()
        granted.append(t.attempt("phone") is not None)

    threads = [threading.Thread(target=guess) for _ in range(30)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sum(granted) == 5


def test_signed_tokens_refuse_forgery_and_expiry():
    key = b"k" * 32
    token = access.sign({"kind": "seat", "t": "abc"}, key, 60)
    assert access.unsign(token, key)["t"] == "abc"
    data, mac = token.split(".")
    assert access.unsign(f"{data}.{mac[:-2]}AA", key) is None
    assert access.unsign(token, b"x" * 32) is None
    assert access.unsign(access.sign({"t": 1}, key, -1), key) is None
    assert access.unsign("junk", key) is None and access.unsign("a.b.c", key) is None


def test_cli_passcode_prints_a_hash_that_verifies(monkeypatch, capsys):
    import io

    from stakemap.cli import main

    monkeypatch.setattr("sys.stdin", io.StringIO("a good passcode\n"))
    assert main(["passcode"]) == 0
    stored = capsys.readouterr().out.strip()
    assert access.passcode_hash({access.PASSCODE_ENV: stored}) == stored
    assert verify_passcode("a good passcode", stored)
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["passcode"]) == 1
    assert "at least 8" in capsys.readouterr().err


def test_make_room_refuses_without_a_passcode(tmp_path):
    import os
    import shutil
    import subprocess
    from pathlib import Path

    if not shutil.which("make"):
        pytest.skip("make not installed")
    root = Path(__file__).resolve().parents[1]
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text("")  # never run: the recipe stops first
    (venv / ".installed").write_text("")  # the install step is not what is tested here
    os.utime(venv / ".installed", (4102444800, 4102444800))
    env = {k: v for k, v in os.environ.items() if k != access.PASSCODE_ENV}
    done = subprocess.run(
        ["make", "-s", "-C", str(root), "room", f"VENV={venv}", f"PY={venv / 'bin' / 'python'}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "STAKEMAP_PASSCODE_HASH" in done.stderr
