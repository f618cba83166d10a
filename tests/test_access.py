"""The facilitator passcode (salted scrypt, constant-time compare) and the guess throttle."""

from __future__ import annotations

import threading

import pytest

from stakemap import access
from stakemap.access import Throttle, hash_passcode, verify_passcode

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


def test_backoff_doubles_after_each_failure_and_caps():
    clock = _Clock()
    t = Throttle(per_key=100, overall=1000, base_delay=0.5, max_delay=4, clock=clock)
    assert t.wait("ip") == 0
    waits = []
    for _ in range(6):
        t.failed("ip")
        waits.append(t.wait("ip"))
        clock.now += waits[-1]
    assert waits == [0.5, 1, 2, 4, 4, 4]
    assert t.wait("other") == 0


def test_per_client_limit_then_window_expires():
    clock = _Clock()
    t = Throttle(per_key=3, overall=1000, window=60, base_delay=0, clock=clock)
    for _ in range(3):
        t.failed("a")
    assert t.wait("a") == pytest.approx(60)
    assert t.wait("b") == 0
    clock.now += 61
    assert t.wait("a") == 0


def test_global_limit_stops_a_client_that_changes_keys():
    clock = _Clock()
    t = Throttle(per_key=3, overall=10, window=60, base_delay=0, clock=clock)
    for i in range(10):
        t.failed(f"new-session-{i}")
    assert t.wait("fresh") > 0
    clock.now += 60.5
    assert t.wait("fresh") == 0


def test_success_clears_the_client_but_not_the_global_count():
    clock = _Clock()
    t = Throttle(per_key=2, overall=3, window=60, base_delay=1, clock=clock)
    t.failed("a")
    t.failed("a")
    t.succeeded("a")
    assert t.wait("a") == 0
    t.failed("b")
    assert t.wait("c") > 0  # three failures server-wide


def test_thread_safe_counts():
    t = Throttle(per_key=10**6, overall=10**6, window=600, base_delay=0)

    def hammer() -> None:
        for _ in range(500):
            t.failed("k")

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(t._all) == 4000 and len(t._keys["k"]) == 4000


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
