"""Read an untrusted upload in a child process with a memory and a time limit.

The declared-size checks in :mod:`stakemap.files.reading` refuse the hostile workbooks we know of;
this is the second wall, for the ones we do not. python-calamine is native code: when an
allocation fails, Rust aborts the whole process, and in a Streamlit server that process is every
user's app. So uploads are parsed by ``python -m stakemap.files.sandbox``, a fresh interpreter that
lowers its own ``RLIMIT_AS`` (address space) and ``RLIMIT_CPU`` before it reads a byte of the
file (POSIX ``setrlimit``; on Windows only the wall-clock limit applies). A crash, a kill, a
runaway allocation or a parser that never ends costs only that child, and the caller gets one
:class:`~stakemap.files.sheets.UnreadableFile` line that says the file was refused.

A subprocess rather than multiprocessing: "spawn" and "forkserver" re-import the parent's
``__main__`` (Streamlit's script runner), and fork copies a threaded server. A child reads a
small file in ~80-100 ms (a python start and its imports), once per file: the readings of the
last few files are kept for Streamlit's re-runs. Its reply, the sheets as plain
lists, comes back pickled and is unpickled with only the datetime classes allowed, so even a
child that a hostile file took over cannot make the parent run code.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import pickle
import signal
import sys
import threading
from collections import OrderedDict
from pathlib import Path

from stakemap import settings
from stakemap.files.reading import read_workbook
from stakemap.files.sheets import RawSheet, UnreadableFile
from stakemap.language import gettext as _
from stakemap.language import language, speaking

__all__ = ["read_untrusted"]

#: Settings the child must see as the parent has them (tests and users change them at run time).
_FORWARDED = (
    "MAX_UPLOAD_BYTES",
    "MAX_UNPACKED_BYTES",
    "MAX_ROWS",
    "MAX_CELLS",
    "MAX_COLUMNS",
    "PARSE_MEMORY_BYTES",
    "PARSE_SECONDS",
)
_ALLOWED = {("datetime", n) for n in ("date", "datetime", "time", "timedelta", "timezone")}
_SOURCE = str(Path(__file__).resolve().parents[1])  # the folder holding this stakemap package
#: Streamlit re-runs the import panel on every click while a file sits in the uploader: the
#: last few small readings are kept, so only the first read of a file starts a child.
_RECENT: OrderedDict[bytes, list[tuple[str, list, str]]] = OrderedDict()
_RECENT_FILES, _RECENT_CELLS = 4, 200_000
_LOCK = threading.Lock()


def read_untrusted(data: bytes, filename: str = "", engine: str = "calamine") -> list[RawSheet]:
    """:func:`~stakemap.files.reading.read_workbook` in a child process under resource limits.

    >>> [s.rows for s in read_untrusted(b"Name\\nAna\\n", "a.csv")]
    [[['Name'], ['Ana']]]
    """
    import hashlib  # here and below, not at the top: the child needs neither

    # the language too: a sheet's note (a graph file's) is text in it
    key = hashlib.sha256(repr((filename, engine, _limits(), language())).encode() + data).digest()
    with _LOCK:
        if key in _RECENT:
            _RECENT.move_to_end(key)
            return _sheets(_RECENT[key])
    payload = _read_in_child(data, filename, engine)
    if sum(len(row) for _, rows, _ in payload for row in rows) <= _RECENT_CELLS:
        with _LOCK:
            _RECENT[key] = payload
            while len(_RECENT) > _RECENT_FILES:
                _RECENT.popitem(last=False)
    return _sheets(payload)


def _sheets(payload: list[tuple[str, list, str]]) -> list[RawSheet]:
    """Fresh sheets (rows copied) each time: the importer cleans cells in place."""
    return [RawSheet(title, [list(row) for row in rows], note) for title, rows, note in payload]


def _limits() -> tuple[int, ...]:
    return tuple(getattr(settings, name) for name in _FORWARDED)


def _read_in_child(data: bytes, filename: str, engine: str) -> list[tuple[str, list, str]]:
    import subprocess

    seconds = settings.PARSE_SECONDS
    try:
        done = subprocess.run(
            _child_command(),
            input=pickle.dumps((data, filename, engine, language())),
            capture_output=True,
            timeout=seconds,
            env=_child_env(),
        )
    except subprocess.TimeoutExpired:
        raise UnreadableFile(
            _("the file was refused: reading it took over {n} s").format(n=seconds)
        ) from None
    except OSError as exc:
        raise UnreadableFile(
            _("the file was refused: its reader could not start ({reason})").format(
                reason=exc.strerror or exc
            )
        ) from None
    kind, payload = _reply(done)
    if kind == "refused":
        raise UnreadableFile(payload)
    return payload


def _child_command() -> list[str]:
    return [sys.executable, "-m", "stakemap.files.sandbox"]


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({f"STAKEMAP_{name}": str(getattr(settings, name)) for name in _FORWARDED})
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [_SOURCE, env.get("PYTHONPATH")]))
    return env


def _reply(done) -> tuple[str, object]:
    """The child's ("sheets", [...]) or ("refused", message), or a refusal saying why it died."""
    if done.returncode == 0:
        try:
            kind, payload = _Unpickler(io.BytesIO(done.stdout)).load()
            if kind == "refused" and isinstance(payload, str) and payload:
                return kind, " ".join(payload.split())[:300]
            if kind == "sheets" and _well_formed(payload):
                return kind, payload
        except Exception:  # a truncated or foreign reply is a refusal like any other
            pass
        return "refused", _("the file was refused: its reader gave no readable answer")
    return "refused", _death(done.returncode, done.stderr)


def _well_formed(payload: object) -> bool:
    """A list of (title, rows, note): two strings and a list of lists."""
    return isinstance(payload, list) and all(
        isinstance(sheet, tuple)
        and len(sheet) == 3
        and isinstance(sheet[0], str)
        and isinstance(sheet[2], str)
        and isinstance(sheet[1], list)
        and all(isinstance(row, list) for row in sheet[1])
        for sheet in payload
    )


def _death(code: int, stderr: bytes) -> str:
    """One line for a child that ended without answering."""
    if b"memory allocation of" in stderr or b"MemoryError" in stderr:
        return _over_memory()
    if code in (-getattr(signal, "SIGXCPU", 0), -getattr(signal, "SIGKILL", 0)) and code:
        return _(
            "the file was refused: reading it was stopped after {n} s of work (or by the system)"
        ).format(n=settings.PARSE_SECONDS)
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return _(
            "the file was refused: its reader crashed ({signal}); the workbook may be damaged"
        ).format(signal=name)
    return _("the file was refused: its reader stopped (exit status {code})").format(code=code)


def _over_memory() -> str:
    mib = settings.PARSE_MEMORY_BYTES // 1024**2
    return _("the file was refused: reading it needed more than the {n} MiB allowed").format(
        n=f"{mib:,}"
    )


class _Unpickler(pickle.Unpickler):
    """Plain data only: builtin containers and scalars, and the datetime classes."""

    def find_class(self, module: str, name: str) -> type:
        if (module, name) in _ALLOWED:
            return getattr(dt, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed")


# ---------------------------------------------------------------- the child


def _limit_self() -> None:
    """Lower this process's own limits: address space, CPU seconds, no core file."""
    try:
        import resource
    except ImportError:  # Windows: the parent's wall-clock limit still applies
        return
    memory, seconds = settings.PARSE_MEMORY_BYTES, settings.PARSE_SECONDS
    for limit, value in (
        (resource.RLIMIT_CORE, (0, 0)),
        (resource.RLIMIT_AS, (memory, memory)),
        (resource.RLIMIT_CPU, (seconds, seconds + 1)),
    ):
        # macOS refuses some address-space limits: the others still hold
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(limit, value)


def _child() -> int:
    """Read the request on stdin, answer on stdout; anything a library prints goes to stderr."""
    answer = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    _limit_self()
    data, filename, engine, code = pickle.load(sys.stdin.buffer)  # the parent's own request
    with speaking(code):  # refusals and notes in the parent's language
        reply = _answer(data, filename, engine)
    answer.write(reply)
    answer.close()
    return 0


def _answer(data: bytes, filename: str, engine: str) -> bytes:
    """The pickled reply: ("sheets", [(title, rows, note), ...]) or ("refused", one line)."""
    try:
        sheets = read_workbook(data, filename, engine)
        reply = pickle.dumps(("sheets", [(s.title, s.rows, s.note) for s in sheets]), protocol=5)
    except UnreadableFile as exc:
        reply = pickle.dumps(("refused", str(exc)))
    except MemoryError:
        reply = pickle.dumps(("refused", _over_memory()))
    except Exception as exc:  # any parser failure is one line for the user
        reason = type(exc).__name__
        reply = pickle.dumps(
            ("refused", _("the workbook could not be read ({reason})").format(reason=reason))
        )
    return reply


if __name__ == "__main__":
    sys.exit(_child())
