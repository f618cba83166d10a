"""Named maps and their versions, kept with SQLAlchemy (SQLite by default).

Every committed change is a new version (autosave), so history and undo come for free. A save
names the version it was based on; if another tab or user saved since, the save is refused with
:class:`StaleVersion` instead of silently overwriting (optimistic concurrency).
"""

from __future__ import annotations

import json
import os
import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import (
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from stakemap.language import gettext as _
from stakemap.model import StakeholderMap
from stakemap.store.migrate import upgrade

__all__ = [
    "DESCRIPTION_LENGTH",
    "NAME_LENGTH",
    "Base",
    "MapInfo",
    "StaleVersion",
    "Store",
    "Version",
    "now",
]

#: Longest map name the schema holds; longer names are refused (typed) or cut (derived).
NAME_LENGTH = 200
#: Longest version description kept; longer ones are cut.
DESCRIPTION_LENGTH = 500
# PostgreSQL refuses NUL in text and SQLite keeps it; no control character belongs in a name.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class StaleVersion(Exception):
    """The map changed since the version a save was based on."""

    def __init__(self, map_id: int, base: int, latest: int) -> None:
        super().__init__(
            _(
                "This map was changed elsewhere (version {latest}) after you loaded version {base}."
            ).format(latest=latest, base=base)
        )
        self.map_id, self.base, self.latest = map_id, base, latest


class Base(DeclarativeBase):
    """The tables of the store (maps, versions, layouts; the workshop tables join it)."""


class _Map(Base):
    __tablename__ = "maps"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH), unique=True)
    created_at: Mapped[datetime]


class _Version(Base):
    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("map_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    map_id: Mapped[int] = mapped_column(ForeignKey("maps.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    created_at: Mapped[datetime]
    description: Mapped[str] = mapped_column(String(DESCRIPTION_LENGTH))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class _Layout(Base):
    """The network layout last drawn for a map whose versions store no positions: derived
    data, kept so that every page, export and replica draws the same picture and an edit only
    places the newcomers (see :func:`stakemap.network.layout.complete_positions`)."""

    __tablename__ = "layouts"
    map_id: Mapped[int] = mapped_column(ForeignKey("maps.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)


class _Meta(Base):
    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


@dataclass(frozen=True)
class MapInfo:
    id: int
    name: str
    version: int
    updated_at: datetime


@dataclass(frozen=True)
class Version:
    map_id: int
    number: int
    created_at: datetime
    description: str
    data: StakeholderMap | None = None


def _pack(m: StakeholderMap) -> bytes:
    return zlib.compress(json.dumps(m.to_dict(), ensure_ascii=False).encode(), 6)


def _unpack(blob: bytes) -> StakeholderMap:
    return StakeholderMap.from_dict(json.loads(zlib.decompress(blob)))


def now() -> datetime:
    """The time stored with a row: UTC, without a zone (both engines keep it alike)."""
    return datetime.now(UTC).replace(tzinfo=None)


def _private_file(path: str | None) -> None:
    """A SQLite file readable by its owner alone (0600), in a folder only the owner may list
    (0700) when the folder is Stakemap's own: the maps hold people's names and notes."""
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    file = Path(path)
    folder = file.parent
    if folder.name == "stakemap":
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.chmod(0o700)
    if not file.exists():
        os.close(os.open(file, os.O_CREAT | os.O_WRONLY, 0o600))
    file.chmod(0o600)


class Store:
    """All maps in one database.

    >>> store = Store("sqlite://")
    >>> map_id = store.create("Demo", StakeholderMap())
    >>> store.save(map_id, StakeholderMap(), base=1, description="Nothing really")
    2
    >>> [v.description for v in store.history(map_id)]
    ['Nothing really', 'Created']
    """

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url)
        if self.engine.dialect.name == "sqlite":
            _private_file(self.engine.url.database)
            event.listen(self.engine, "connect", _sqlite_pragmas)
        upgrade(self.engine)

    # maps ------------------------------------------------------------------------------

    def list_maps(self) -> list[MapInfo]:
        latest = (
            select(_Version.map_id, func.max(_Version.number).label("n"))
            .group_by(_Version.map_id)
            .subquery()
        )
        query = (
            select(_Map.id, _Map.name, latest.c.n, _Version.created_at)
            .join(latest, latest.c.map_id == _Map.id)
            .join(_Version, (_Version.map_id == _Map.id) & (_Version.number == latest.c.n))
            .order_by(_Map.name)
        )
        with Session(self.engine) as s:
            return [MapInfo(*row) for row in s.execute(query)]

    def create(self, name: str, data: StakeholderMap, description: str | None = None) -> int:
        """A new map with ``data`` as version 1 (``description``: "Created"); ValueError if
        the name is taken or blank."""
        name = self._check_name(name)
        if description is None:
            description = _("Created")
        with Session(self.engine) as s, s.begin():
            row = _Map(name=name, created_at=now())
            s.add(row)
            s.flush()
            s.add(
                _Version(
                    map_id=row.id,
                    number=1,
                    created_at=now(),
                    description=_description(description),
                    data=_pack(data),
                )
            )
            return row.id

    def rename(self, map_id: int, name: str) -> None:
        name = self._check_name(name, map_id)
        with Session(self.engine) as s, s.begin():
            s.get_one(_Map, map_id).name = name

    def duplicate(self, map_id: int, name: str) -> int:
        source = self.latest(map_id)
        described = _("Duplicated from {name}").format(name=self.name(map_id))
        return self.create(name, source.data, described)

    def delete(self, map_id: int) -> None:
        with Session(self.engine) as s, s.begin():
            s.query(_Version).filter_by(map_id=map_id).delete()
            s.query(_Layout).filter_by(map_id=map_id).delete()
            s.delete(s.get_one(_Map, map_id))

    def name(self, map_id: int) -> str:
        with Session(self.engine) as s:
            return s.get_one(_Map, map_id).name

    def unique_name(self, wanted: str, suffix: str = "") -> str:
        """A valid free name made from ``wanted`` (a file's stem, a map's name) and ``suffix``
        (" (copy)"): control characters dropped, ``wanted`` cut so the whole fits in
        :data:`NAME_LENGTH`, then ``(2)``, ``(3)``... until free."""
        taken = {m.name.casefold() for m in self.list_maps()}
        name = " ".join(_CONTROL.sub(" ", wanted).split()) or _("Untitled map")

        def fit(tail: str) -> str:
            return f"{name[: NAME_LENGTH - len(tail)].rstrip()}{tail}"

        candidate, n = fit(suffix), 2
        while candidate.casefold() in taken:
            candidate, n = fit(f"{suffix} ({n})"), n + 1
        return candidate

    # versions --------------------------------------------------------------------------

    def latest(self, map_id: int) -> Version:
        with Session(self.engine) as s:
            row = s.scalars(
                select(_Version).filter_by(map_id=map_id).order_by(_Version.number.desc())
            ).first()
            if row is None:
                raise KeyError(map_id)
            return self._version(row)

    def latest_number(self, map_id: int) -> int:
        """The newest version's number (0 if the map is gone): cheap, no data loaded."""
        with Session(self.engine) as s:
            return s.scalar(select(func.max(_Version.number)).filter_by(map_id=map_id)) or 0

    def load(self, map_id: int, number: int) -> Version:
        with Session(self.engine) as s:
            row = s.scalars(select(_Version).filter_by(map_id=map_id, number=number)).one()
            return self._version(row)

    def history(self, map_id: int, limit: int = 200) -> list[Version]:
        """Newest first, without the map data."""
        with Session(self.engine) as s:
            rows = s.execute(
                select(_Version.number, _Version.created_at, _Version.description)
                .filter_by(map_id=map_id)
                .order_by(_Version.number.desc())
                .limit(limit)
            )
            return [Version(map_id, n, at, d) for n, at, d in rows]

    def save(self, map_id: int, data: StakeholderMap, base: int, description: str) -> int:
        """Store ``data`` as the version after ``base``; :class:`StaleVersion` if ``base`` is
        no longer the latest. Returns the new version number."""
        try:
            with Session(self.engine) as s, s.begin():
                latest = s.scalar(select(func.max(_Version.number)).filter_by(map_id=map_id))
                if latest != base:
                    raise StaleVersion(map_id, base, latest or 0)
                s.add(
                    _Version(
                        map_id=map_id,
                        number=base + 1,
                        created_at=now(),
                        description=_description(description),
                        data=_pack(data),
                    )
                )
        except IntegrityError:
            raise StaleVersion(map_id, base, base + 1) from None
        return base + 1

    def versions(self, map_id: int) -> list[Version]:
        """Every version with its data, oldest first (for backups)."""
        with Session(self.engine) as s:
            rows = s.scalars(select(_Version).filter_by(map_id=map_id).order_by(_Version.number))
            return [self._version(row) for row in rows]

    def created_at(self, map_id: int) -> datetime:
        with Session(self.engine) as s:
            return s.get_one(_Map, map_id).created_at

    def add_with_history(self, name: str, created_at: datetime, versions: list[Version]) -> int:
        """A map with its whole history as kept elsewhere (a backup): numbers, times and
        descriptions as given, in one transaction. ValueError if the name is taken or invalid,
        or the numbers are not 1, 2, 3..."""
        name = self._check_name(name)
        if [v.number for v in versions] != list(range(1, len(versions) + 1)):
            raise ValueError(f'The history of "{name}" is not numbered 1, 2, 3...')
        with Session(self.engine) as s, s.begin():
            row = _Map(name=name, created_at=created_at)
            s.add(row)
            s.flush()
            s.add_all(
                _Version(
                    map_id=row.id,
                    number=v.number,
                    created_at=v.created_at,
                    description=_description(v.description),
                    data=_pack(v.data),
                )
                for v in versions
            )
            return row.id

    def restore(self, map_id: int, number: int, base: int) -> int:
        """Undo to ``number`` by saving its data as a new version (history is never lost)."""
        old = self.load(map_id, number)
        return self.save(map_id, old.data, base, _("Restored version {n}").format(n=number))

    # seeding ---------------------------------------------------------------------------

    # derived data ----------------------------------------------------------------------

    def kept_layout(self, map_id: int) -> tuple[int, dict[str, tuple[float, float]]] | None:
        """The layout kept for a map, and the version it was computed for; None if none.

        >>> store = Store("sqlite://")
        >>> map_id = store.create("Demo", StakeholderMap())
        >>> store.keep_layout(map_id, 1, {"A": (1.0, 2.0)})
        >>> store.keep_layout(map_id, 1, {"A": (9.0, 9.0)})  # not newer: the first one stays
        >>> store.kept_layout(map_id)
        (1, {'A': (1.0, 2.0)})
        """
        with Session(self.engine) as s:
            row = s.get(_Layout, map_id)
            if row is None:
                return None
            positions = json.loads(zlib.decompress(row.data))
            return row.version, {k: (float(v[0]), float(v[1])) for k, v in positions.items()}

    def keep_layout(
        self, map_id: int, version: int, positions: dict[str, tuple[float, float]]
    ) -> None:
        """Keep ``positions`` as the map's layout unless one for this or a newer version is
        kept already (an old version opened from the history does not move the picture)."""
        blob = zlib.compress(json.dumps({k: list(v) for k, v in positions.items()}).encode(), 6)
        try:
            with Session(self.engine) as s, s.begin():
                row = s.get(_Layout, map_id, with_for_update=True)
                if row is None:
                    s.add(_Layout(map_id=map_id, version=version, data=blob))
                elif row.version < version:
                    row.version, row.data = version, blob
        except IntegrityError:
            pass  # another replica kept one for this map at the same moment: theirs stands

    def claim_first_start(self) -> bool:
        """True exactly once per database: the caller should load the sample maps."""
        try:
            with Session(self.engine) as s, s.begin():
                if s.get(_Meta, "seeded") is not None:
                    return False
                s.add(_Meta(key="seeded", value=now().isoformat()))
            return True
        except IntegrityError:
            return False

    # helpers ---------------------------------------------------------------------------

    def _check_name(self, name: str, map_id: int | None = None) -> str:
        """The name with its spaces tidied, or ValueError with a message for the user; the
        same on every engine."""
        if _CONTROL.search(name.replace("\t", " ").replace("\n", " ")):
            raise ValueError(_("A map name cannot hold control characters (such as NUL)."))
        name = " ".join(name.split())
        if not name:
            raise ValueError(_("A map needs a name."))
        if len(name) > NAME_LENGTH:
            raise ValueError(
                _("A map name can have at most {limit} characters; this one has {count}.").format(
                    limit=NAME_LENGTH, count=len(name)
                )
            )
        clash = [m for m in self.list_maps() if m.name.casefold() == name.casefold()]
        if any(m.id != map_id for m in clash):
            raise ValueError(_('A map called "{name}" already exists.').format(name=name))
        return name

    @staticmethod
    def _version(row: _Version) -> Version:
        return Version(row.map_id, row.number, row.created_at, row.description, _unpack(row.data))


def _description(text: str) -> str:
    """A version description as every engine keeps it: no NUL, at most DESCRIPTION_LENGTH.

    >>> _description("Renamed A\\x00B"), len(_description("x" * 900))
    ('Renamed AB', 500)
    """
    return text.replace("\x00", "")[:DESCRIPTION_LENGTH]


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")  # a burst of 30 raters queues; none is lost
    cursor.close()
