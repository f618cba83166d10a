"""Limits and locations, each overridable by an environment variable of the same name."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "MAX_UPLOAD_BYTES",
    "PARSE_MEMORY_BYTES",
    "PARSE_SECONDS",
    "database_url",
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
#: Address space a child process reading an upload may use (bytes); see stakemap.sandbox.
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
