"""Who may do what when the app serves a room: the facilitator passcode and guess limits.

The passcode is kept only as a salted scrypt hash (Percival, "Stronger key derivation via
sequential memory-hard functions", 2009; RFC 7914), produced by ``python -m stakemap passcode``
and given to the server as ``STAKEMAP_PASSCODE_HASH``; the check compares in constant time
(``hmac.compare_digest``). Wrong passcodes and wrong join codes are throttled per client and
globally by :class:`Throttle`, counted before they are checked, in process state no client can
reset. Cookies that keep a facilitator signed in and give a phone its seat back are signed and
expiring (:func:`sign`), keyed by :func:`room_secret`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from stakemap.language import gettext as _

__all__ = [
    "FACILITATORS",
    "LOCAL",
    "PASSCODE_ENV",
    "SIGNED_OUT",
    "THROTTLES",
    "Grants",
    "Throttle",
    "device_key",
    "hash_passcode",
    "new_throttles",
    "passcode_hash",
    "room_secret",
    "sign",
    "unsign",
    "verify_passcode",
]

PASSCODE_ENV = "STAKEMAP_PASSCODE_HASH"
#: scrypt cost: n=2**14, r=8, p=1 is RFC 7914's interactive-login setting (~16 MiB, ~50 ms).
_N, _R, _P = 2**14, 8, 1
_SCHEME = "scrypt"
MIN_PASSCODE = 8


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _derive(passcode: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        passcode.encode(), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=32
    )


def hash_passcode(passcode: str, *, salt: bytes | None = None, n: int = _N) -> str:
    """``scrypt$n$r$p$salt$hash`` (base64) for ``passcode`` with a fresh 16-byte salt.

    >>> stored = hash_passcode("correct horse", n=2**8)
    >>> stored.startswith("scrypt$256$8$1$"), verify_passcode("correct horse", stored)
    (True, True)
    """
    salt = secrets.token_bytes(16) if salt is None else salt
    digest = _derive(passcode, salt, n, _R, _P)
    return f"{_SCHEME}${n}${_R}${_P}${_b64(salt)}${_b64(digest)}"


def verify_passcode(passcode: str, stored: str) -> bool:
    """True when ``passcode`` matches ``stored`` (:func:`hash_passcode`); False for a wrong
    passcode or a malformed hash, never an exception. Compared with ``hmac.compare_digest``.

    >>> verify_passcode("wrong", hash_passcode("right", n=2**8)), verify_passcode("x", "junk")
    (False, False)
    """
    try:
        scheme, n, r, p, salt, digest = stored.strip().split("$")
        if scheme != _SCHEME or not (2 <= int(n) <= 2**20 and int(r) <= 32 and int(p) <= 4):
            return False
        expected = _unb64(digest)
        actual = _derive(passcode, _unb64(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def passcode_hash(environ: dict[str, str] | None = None) -> str | None:
    """The configured facilitator hash (``STAKEMAP_PASSCODE_HASH``), None when unset.

    A value that is not a well-formed hash raises ValueError: a typo must not open the room.
    """
    value = (os.environ if environ is None else environ).get(PASSCODE_ENV, "").strip()
    if not value:
        return None
    parts = value.split("$")
    if len(parts) != 6 or parts[0] != _SCHEME or not all(parts):
        raise ValueError(
            _("{name} is not a passcode hash: make one with `{command}`.").format(
                name=PASSCODE_ENV, command="python -m stakemap passcode"
            )
        )
    return value


@dataclass
class Throttle:
    """Attempts in a sliding window, per client key and over all clients.

    An attempt is counted *before* it is checked (:meth:`attempt` takes a slot under the lock,
    so a burst sent at once gets one check, not many) and refunded when it succeeds. A key may
    try when it has fewer than ``per_key`` counted attempts and waited ``base_delay *
    2**(n - 1)`` seconds (at most ``max_delay``) since its last; and, server-wide, fewer than
    ``overall`` in the window. Keys in ``exempt`` (the laptop the server runs on) are limited
    by their own attempts only; with ``overall_strict`` False the server-wide limit holds back
    only keys that already failed, so a flood never locks out a newcomer. The state is this
    object's alone: nothing a client sends can reset it. Thread-safe.

    >>> clock = [0.0]
    >>> t = Throttle(per_key=2, overall=3, window=60, base_delay=1, clock=lambda: clock[0])
    >>> first = t.attempt("a"); t.attempt("a"), t.wait("a")   # a burst: one check at a time
    (None, 1.0)
    >>> clock[0] = 5; second = t.attempt("a"); t.wait("a")   # two failures: a waits
    55.0
    >>> t.refund(second); t.wait("a")   # a success clears a's own count
    0.0
    """

    per_key: int = 10
    overall: int = 100
    window: float = 600.0
    base_delay: float = 1.0
    max_delay: float = 30.0
    exempt: frozenset[str] = frozenset()
    overall_strict: bool = True
    clock: Callable[[], float] = time.monotonic
    _keys: dict[str, deque] = field(default_factory=dict, repr=False)
    _all: deque = field(default_factory=deque, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _serial: int = field(default=0, repr=False)

    def _expire(self, now: float) -> None:
        cutoff = now - self.window
        while self._all and self._all[0][0] <= cutoff:
            self._all.popleft()
        for key in list(self._keys):
            times = self._keys[key]
            while times and times[0][0] <= cutoff:
                times.popleft()
            if not times:
                del self._keys[key]

    def _wait(self, key: str, now: float) -> float:
        self._expire(now)
        waits = [0.0]
        times = self._keys.get(key)
        overall = len(self._all) >= self.overall and key not in self.exempt
        if overall and (self.overall_strict or times):
            waits.append(self._all[0][0] + self.window - now)
        if times:
            if len(times) >= self.per_key:
                waits.append(times[0][0] + self.window - now)
            delay = min(self.max_delay, self.base_delay * 2 ** (len(times) - 1))
            waits.append(times[-1][0] + delay - now)
        return max(waits)

    def wait(self, key: str) -> float:
        """Seconds before ``key`` may try again (0: now)."""
        with self._lock:
            return self._wait(key, self.clock())

    def attempt(self, key: str) -> tuple[str, int] | None:
        """A ticket for one check by ``key``, counted as a failure until :meth:`refund`; None
        when ``key`` must wait (:meth:`wait` says how long)."""
        with self._lock:
            now = self.clock()
            if self._wait(key, now) > 0:
                return None
            self._serial += 1
            entry = (now, self._serial)
            self._keys.setdefault(key, deque()).append(entry)
            self._all.append(entry)
            return key, self._serial

    def refund(self, ticket: tuple[str, int]) -> None:
        """The check of ``ticket`` succeeded: it and its key's earlier failures no longer
        count against the key (they still count server-wide)."""
        key, serial = ticket
        with self._lock:
            self._keys.pop(key, None)
            kept = [e for e in self._all if e[1] != serial]
            self._all.clear()
            self._all.extend(kept)


#: The laptop's own browser: Streamlit gives no address for a loopback peer (127.0.0.1 or ::1).
LOCAL = "local"


def new_throttles() -> dict[str, Throttle]:
    """The room's guess limits: 5 passcodes a client and 50 for the server per 10 minutes
    (the laptop counted on its own failures only); 10 join codes a client per 10 minutes, the
    server-wide 200 holding back only clients that failed."""
    return {
        "passcode": Throttle(
            per_key=5, overall=50, window=600, base_delay=1, max_delay=30, exempt=frozenset({LOCAL})
        ),
        "join": Throttle(
            per_key=10, overall=200, window=600, base_delay=0.5, max_delay=10, overall_strict=False
        ),
    }


#: The limits for the life of the process (st.cache_resource would not do: any client may send
#: Streamlit's clear_cache message, which empties it).
THROTTLES: dict[str, Throttle] = new_throttles()


# -- signed tokens --------------------------------------------------------------------------


def room_secret(environ: dict[str, str] | None = None) -> bytes:
    """The key that signs the room's cookies: derived from the passcode hash, so every server
    process (and replica) of one room shares it and a new passcode voids every cookie; a
    random key for the process when no passcode is set.

    >>> len(room_secret({PASSCODE_ENV: hash_passcode("x" * 8, n=2**8)}))
    32
    """
    stored = passcode_hash(environ)
    if stored is None:
        return _PROCESS_SECRET
    return hashlib.sha256(b"stakemap room cookies\0" + stored.encode()).digest()


_PROCESS_SECRET = secrets.token_bytes(32)


def sign(payload: dict, key: bytes, lifetime: float, now: float | None = None) -> str:
    """``payload`` with an expiry, as ``data.signature`` (HMAC-SHA256, base64url).

    >>> token = sign({"kind": "seat", "t": "abc"}, b"k" * 32, 60, now=1000.0)
    >>> unsign(token, b"k" * 32, now=1059.0)["t"], unsign(token, b"k" * 32, now=1061.0)
    ('abc', None)
    """
    body = dict(payload, exp=(time.time() if now is None else now) + lifetime)
    data = _b64(json.dumps(body, separators=(",", ":"), sort_keys=True).encode())
    mac = hmac.new(key, data.encode(), hashlib.sha256).digest()
    return f"{data}.{_b64(mac)}"


def unsign(token: str, key: bytes, now: float | None = None) -> dict | None:
    """The payload of a :func:`sign` token, or None if forged, damaged or expired."""
    if not isinstance(token, str) or len(token) > 2000 or token.count(".") != 1:
        return None
    data, mac = token.split(".")
    expected = hmac.new(key, data.encode(), hashlib.sha256).digest()
    try:
        if not hmac.compare_digest(_unb64(mac), expected):
            return None
        payload = json.loads(_unb64(data))
    except (ValueError, TypeError):
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("exp"), int | float):
        return None
    if payload["exp"] < (time.time() if now is None else now):
        return None
    return payload


def device_key(address: str, key: bytes) -> str:
    """A participant's client address as stored: keyed and hashed, never the address itself.

    >>> device_key("10.0.0.7", b"k" * 32) == device_key("10.0.0.7", b"k" * 32)
    True
    """
    return _b64(hmac.new(key, b"device\0" + address.encode(), hashlib.sha256).digest()[:18])


class Grants:
    """Keys that hold a right until a time: browser sessions signed in as facilitator (read
    by the upload guard, outside any script run), and cookie ids signed out before they
    expire. Thread-safe, for the life of the process.

    >>> clock = [0.0]
    >>> g = Grants(clock=lambda: clock[0])
    >>> g.grant("s1", 60); g.holds("s1"), g.holds("s2")
    (True, False)
    >>> clock[0] = 61; g.holds("s1")
    False
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._until: dict[str, float] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def grant(self, key: str, seconds: float) -> None:
        with self._lock:
            now = self._clock()
            self._until = {k: t for k, t in self._until.items() if t > now}
            self._until[key] = now + seconds

    def revoke(self, key: str) -> None:
        with self._lock:
            self._until.pop(key, None)

    def holds(self, key: str) -> bool:
        with self._lock:
            return self._until.get(key, 0.0) > self._clock()


#: Browser sessions signed in as facilitator, and facilitator cookies signed out early.
FACILITATORS = Grants()
SIGNED_OUT = Grants()
