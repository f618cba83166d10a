"""A throwaway PostgreSQL cluster for the suite: initdb in a temporary folder, one server on
127.0.0.1 and a socket in that folder, a fresh database per test, everything removed at the end.

Debian's server binaries live in /usr/lib/postgresql/<major>/bin (``make test`` installs them
when run as root). initdb refuses to run as root, so under root the cluster belongs to the
``postgres`` user the package creates (or ``nobody``).
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Cluster", "free_port", "server_binaries"]

# Speed over durability: the cluster is thrown away after the run.
_FAST = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"


def server_binaries() -> Path | None:
    """The newest installed PostgreSQL bin folder holding initdb and pg_ctl, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_major)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _major(path: str) -> int:
    part = Path(path).parts[-3]
    return int(part) if part.isdigit() else 0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Cluster:
    """One PostgreSQL server in a temporary folder; :meth:`new_database` gives each test its own
    database (a SQLAlchemy URL for psycopg 3)."""

    bin: Path
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="stakemap-pg-")))
    port: int = field(default_factory=free_port)
    _names: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://stakemap@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        data, log = self.folder / "data", self.folder / "server.log"
        user = self._user()
        if user is not None:
            os.chown(self.folder, user.pw_uid, user.pw_gid)
        self._run("initdb", "-D", str(data), "-U", "stakemap", "-A", "trust", "-E", "UTF8")
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} {_FAST}"
        self._run("pg_ctl", "-D", str(data), "-l", str(log), "-o", options, "-w", "start")

    def stop(self) -> None:
        data = self.folder / "data"
        if data.exists():
            self._run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)

    def new_database(self) -> str:
        """A new, empty database; its SQLAlchemy URL."""
        name = f"test_{os.getpid()}_{next(self._names)}"
        self._admin(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://stakemap@127.0.0.1:{self.port}/{name}"

    def drop_database(self, url: str) -> None:
        """Drop a database made by :meth:`new_database`, closing whatever still holds it open
        (an app's cached engine keeps pooled connections)."""
        self._admin(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="stakemap", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(sql)

    def _run(self, tool: str, *args: str, check: bool = True) -> None:
        command = [str(self.bin / tool), *args]
        user = self._user()
        if user is not None:
            command = ["runuser", "-u", user.pw_name, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if check and done.returncode != 0:
            log = self.folder / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{tool} failed: {done.stdout}{done.stderr}{tail}")

    @staticmethod
    def _user() -> pwd.struct_passwd | None:
        """The unprivileged owner of the cluster when we are root, else None (ourselves)."""
        if os.geteuid() != 0:
            return None
        for name in ("postgres", "nobody"):
            try:
                return pwd.getpwnam(name)
            except KeyError:
                continue
        raise RuntimeError("running as root with no unprivileged user for PostgreSQL")
