"""Backup and restore of a whole store: ``stakemap backup DIR`` and ``stakemap restore DIR``.

A backup folder holds ``manifest.json`` and, per map, its whole version history as JSON (what
restore reads: numbers, times, descriptions and data of every version) beside the latest
version as a workbook (for people, and for any tool that reads Excel). Restore fills an empty
database only, so it can never merge into or overwrite a team's maps.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from stakemap.language import gettext as _
from stakemap.model import StakeholderMap
from stakemap.store.maps import Store, Version

__all__ = ["FORMAT", "backup", "restore"]

#: The manifest's format name and version.
FORMAT, FORMAT_VERSION = "stakemap-backup", 1


def backup(store: Store, folder: Path) -> int:
    """Write every map of ``store`` into ``folder`` (created if needed); the number of maps.

    >>> import tempfile
    >>> store = Store("sqlite://")
    >>> _ = store.create("Board", StakeholderMap())
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     backup(store, Path(tmp)), restore(Store("sqlite:///" + tmp + "/new.db"), Path(tmp))
    (1, 1)
    """
    from stakemap.files.exporting import to_xlsx

    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    for k, info in enumerate(store.list_maps(), start=1):
        versions = store.versions(info.id)
        stem = f"map-{k:04d}"
        history = {
            "name": info.name,
            "created_at": store.created_at(info.id).isoformat(),
            "versions": [
                {
                    "number": v.number,
                    "created_at": v.created_at.isoformat(),
                    "description": v.description,
                    "map": v.data.to_dict(),
                }
                for v in versions
            ],
        }
        _write_json(folder / f"{stem}.json", history)
        latest = versions[-1]
        workbook = to_xlsx(latest.data, name=info.name, version=latest.number)
        (folder / f"{stem}.xlsx").write_bytes(workbook)
        entries.append({"name": info.name, "history": f"{stem}.json", "workbook": f"{stem}.xlsx",
                        "versions": len(versions)})  # fmt: skip
    _write_json(folder / "manifest.json", {"format": FORMAT, "version": FORMAT_VERSION,
                                           "maps": entries})  # fmt: skip
    return len(entries)


def restore(store: Store, folder: Path) -> int:
    """Bring every map of the backup in ``folder`` into the empty ``store``, each with its
    whole history; the number of maps. ValueError, in one line, for anything amiss."""
    if store.list_maps():
        raise ValueError(_("restore needs an empty database: this one already holds maps"))
    manifest = _read_json(folder / "manifest.json")
    if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
        raise ValueError(
            _("{path} is not a Stakemap backup (format 1)").format(path=folder / "manifest.json")
        )
    entries = manifest.get("maps")
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("history"), str) for e in entries
    ):
        raise ValueError(
            _("{path}: the list of maps is damaged").format(path=folder / "manifest.json")
        )
    # only file names, read inside the folder: a manifest cannot point elsewhere
    maps = [_read_map(folder / Path(entry["history"]).name) for entry in entries]
    store.claim_first_start()  # a restored team keeps its maps, without the samples on top
    for name, created_at, versions in maps:
        store.add_with_history(name, created_at, versions)
    return len(maps)


def _read_map(path: Path) -> tuple[str, datetime, list[Version]]:
    data = _read_json(path)
    try:
        versions = [
            Version(
                0,
                int(v["number"]),
                datetime.fromisoformat(v["created_at"]),
                str(v["description"]),
                StakeholderMap.from_dict(v["map"]),
            )
            for v in data["versions"]
        ]
        return str(data["name"]), datetime.fromisoformat(data["created_at"]), versions
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(
            _("{path}: not a map history ({error}: {reason})").format(
                path=path.name, error=type(exc).__name__, reason=exc
            )
        ) from None


def _write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(
            _("{path}: cannot be read ({error})").format(path=path, error=type(exc).__name__)
        ) from None
    if not isinstance(data, dict):
        raise ValueError(_("{path}: not a JSON object").format(path=path))
    return data
