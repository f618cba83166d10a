"""Who may do what when the app serves a room: the facilitator passcode and guess limits.

The passcode is kept only as a salted scrypt hash (Percival, "Stronger key derivation via
sequential memory-hard functions", 2009; RFC 7914), produced by ``python -m stakemap passcode``
and given to the server as ``STAKEMAP_PASSCODE_HASH``; the check compares in constant time
(``hmac.compare_digest``). Wrong passcodes and wrong join codes are throttled per client and
globally by :class:`Throttle`: per client alone is not enough, since a client can change its
address or open new sessions at will.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = [
    "PASSCODE_ENV",
    "Throttle",
    "hash_passcode",
    "passcode_hash",
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
            f"{PASSCODE_ENV} is not a passcode hash: make one with `python -m stakemap passcode`."
        )
    return value


@dataclass
class Throttle:
    """Failed attempts in a sliding window, per client key and over all clients.

    A key may try again only when it has fewer than ``per_key`` failures and the whole server
    fewer than ``overall`` failures in the last ``window`` seconds; after each failure a key
    waits ``base_delay * 2**(failures - 1)`` seconds (at most ``max_delay``) before its next
    try. Thread-safe: Streamlit runs each browser session in its own thread.

    >>> clock = [0.0]
    >>> t = Throttle(per_key=2, overall=3, window=60, base_delay=1, clock=lambda: clock[0])
    >>> t.failed("a"); t.wait("a")
    1.0
    >>> clock[0] = 5; t.failed("a"); t.wait("a")   # two failures: a waits out the window
    55.0
    >>> t.failed("b"); t.wait("c")   # the server-wide limit reached: everyone waits
    55.0
    """

    per_key: int = 10
    overall: int = 100
    window: float = 600.0
    base_delay: float = 1.0
    max_delay: float = 30.0
    clock: Callable[[], float] = time.monotonic
    _keys: dict[str, deque] = field(default_factory=dict, repr=False)
    _all: deque = field(default_factory=deque, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _expire(self, now: float) -> None:
        cutoff = now - self.window
        while self._all and self._all[0] <= cutoff:
            self._all.popleft()
        for key in list(self._keys):
            times = self._keys[key]
            while times and times[0] <= cutoff:
                times.popleft()
            if not times:
                del self._keys[key]

    def wait(self, key: str) -> float:
        """Seconds before ``key`` may try again (0: now)."""
        with self._lock:
            now = self.clock()
            self._expire(now)
            waits = [0.0]
            if len(self._all) >= self.overall:
                waits.append(self._all[0] + self.window - now)
            times = self._keys.get(key)
            if times:
                if len(times) >= self.per_key:
                    waits.append(times[0] + self.window - now)
                delay = min(self.max_delay, self.base_delay * 2 ** (len(times) - 1))
                waits.append(times[-1] + delay - now)
            return max(waits)

    def failed(self, key: str) -> None:
        """Count a wrong attempt by ``key``."""
        with self._lock:
            now = self.clock()
            self._keys.setdefault(key, deque()).append(now)
            self._all.append(now)

    def succeeded(self, key: str) -> None:
        """A right attempt clears ``key``'s own failures (not the server-wide count)."""
        with self._lock:
            self._keys.pop(key, None)
