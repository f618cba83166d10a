"""Limits and locations, each overridable by an environment variable of the same name."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "ALLOWED_HOSTS_ENV",
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "MAX_UPLOAD_BYTES",
    "PARSE_MEMORY_BYTES",
    "PARSE_SECONDS",
    "SEATS_PER_ADDRESS",
    "TRUSTED_PROXIES_ENV",
    "UPLOAD_MEMORY_BYTES",
    "allowed_hosts",
    "database_url",
    "trusted_proxies",
]


def _int_env(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value.isdigit() else default


#: Largest file accepted for import (bytes).
MAX_UPLOAD_BYTES = _int_env("STAKEMAP_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
#: Largest total a workbook's zip directory may declare once unpacked (bytes).
MAX_UNPACKED_BYTES = _int_env("STAKEMAP_MAX_UNPACKED_BYTES", 200 * 1024 * 1024)
#: Most data rows read from one sheet.
MAX_ROWS = _int_env("STAKEMAP_MAX_ROWS", 100_000)
#: Most cells read from one sheet (rows x columns).
MAX_CELLS = _int_env("STAKEMAP_MAX_CELLS", 5_000_000)
#: Most columns read from one sheet (Excel allows 16,384; a stakeholder sheet needs a few dozen).
MAX_COLUMNS = _int_env("STAKEMAP_MAX_COLUMNS", 1_000)
#: Address space a child process reading an upload may use (bytes); see stakemap.files.sandbox.
PARSE_MEMORY_BYTES = _int_env("STAKEMAP_PARSE_MEMORY_BYTES", 2 * 1024**3)
#: Seconds (wall clock, and CPU) a child process reading an upload may take.
PARSE_SECONDS = _int_env("STAKEMAP_PARSE_SECONDS", 60)


def database_url() -> str:
    """STAKEMAP_DATABASE_URL, else a SQLite file in the user's data folder."""
    url = os.environ.get("STAKEMAP_DATABASE_URL")
    if url:
        return url
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    if os.name == "nt":
        base = Path(os.environ.get("APPDATA") or Path.home())
    folder = base / "stakemap"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'stakemap.sqlite'}"


# -- serving a room ----------------------------------------------------------------------------

#: Participants one client address may hold in one workshop session; a room whose phones all
#: reach the server through one address (a NAT) needs more.
SEATS_PER_ADDRESS = _int_env("STAKEMAP_SEATS_PER_ADDRESS", 1)
#: Bytes the server holds for uploads at once, all browser sessions together.
UPLOAD_MEMORY_BYTES = _int_env("STAKEMAP_UPLOAD_MEMORY_BYTES", 100 * 1024 * 1024)
ALLOWED_HOSTS_ENV = "STAKEMAP_ALLOWED_HOSTS"
TRUSTED_PROXIES_ENV = "STAKEMAP_TRUSTED_PROXIES"


def _list_env(name: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in os.environ.get(name, "").split(",") if p.strip())


def allowed_hosts() -> tuple[str, ...]:
    """Host names the server answers to besides its loopback names and its own addresses
    (STAKEMAP_ALLOWED_HOSTS, comma-separated: the name a proxy or a DNS entry gives it)."""
    return _list_env(ALLOWED_HOSTS_ENV)


def trusted_proxies() -> tuple[str, ...]:
    """Addresses of proxies trusted to say who the client is (X-Forwarded-For); none by
    default, so a client can never choose the address its guess limits are counted on
    (STAKEMAP_TRUSTED_PROXIES, comma-separated)."""
    return _list_env(TRUSTED_PROXIES_ENV)
