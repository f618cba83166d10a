"""Workshop sessions, participants, rating rounds and answers, kept beside the maps.

Self-contained on purpose: the tables share :class:`stakemap.store.maps.Store`'s engine and
declarative base (so they can point at ``maps``) but are created here, and nothing in
``store.py`` changed. Each session carries two cheap counters, read with the map's latest
version in one query by the pages' polling fragments (DESIGN.md "Live updates"):

* ``revision``: bumped by every change a follow view shows (what is projected, a round opened,
  closed or revealed, the session closed);
* ``activity``: bumped by joins and answers as well, for the facilitator's live count.

Answers outlive the session (closing only ends the join code) and are exported with the map.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    bindparam,
    func,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from stakemap.language import N_
from stakemap.language import gettext as _
from stakemap.lenses.catalogue import LENS_NAMES
from stakemap.lenses.people import ANONYMISE_MODES
from stakemap.room import rounds
from stakemap.room.rounds import Item
from stakemap.room.versions import LatestVersions
from stakemap.store.maps import Base, Store, now

__all__ = [
    "Answer",
    "Participant",
    "Round",
    "WorkshopSession",
    "WorkshopStore",
    "unique_labels",
]

MAX_NAME = 40
#: The Ratings sheet's columns (translated where written).
RATINGS_HEADER = (
    N_("Round"),
    N_("Attribute"),
    N_("Person"),
    N_("Listens to"),
    N_("Participant"),
    N_("Answer"),
    N_("At"),
)
_TOKEN_BYTES = 24


class _Session(Base):
    __tablename__ = "workshop_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    map_id: Mapped[int] = mapped_column(ForeignKey("maps.id", ondelete="CASCADE"), index=True)
    # the code is cleared on close, so a closed code cannot match anything, ever
    code: Mapped[str | None] = mapped_column(String(12), unique=True)
    allow_anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    view: Mapped[str] = mapped_column(String(20), default="lens")
    lens: Mapped[str] = mapped_column(String(80), default=LENS_NAMES[0])
    anonymise: Mapped[str] = mapped_column(String(20), default="names")
    plan_step: Mapped[int] = mapped_column(Integer, default=0)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    activity: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class _Participant(Base):
    __tablename__ = "workshop_participants"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("workshop_sessions.id", ondelete="CASCADE"), index=True
    )
    token: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME), default="")
    # the client address, keyed and hashed (stakemap.room.access.device_key): one seat a device
    device: Mapped[str | None] = mapped_column(String(64), default=None)
    joined_at: Mapped[datetime]


class _Round(Base):
    __tablename__ = "workshop_rounds"
    __table_args__ = (UniqueConstraint("map_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("workshop_sessions.id", ondelete="CASCADE"), index=True
    )
    map_id: Mapped[int] = mapped_column(ForeignKey("maps.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    items: Mapped[str] = mapped_column(Text)
    open: Mapped[bool] = mapped_column(Boolean, default=True)
    revealed: Mapped[bool] = mapped_column(Boolean, default=False)
    adopted_version: Mapped[int | None]
    created_at: Mapped[datetime]


class _Answer(Base):
    __tablename__ = "workshop_answers"
    __table_args__ = (UniqueConstraint("round_id", "participant_id", "item_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("workshop_rounds.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("workshop_participants.id", ondelete="CASCADE")
    )
    item_key: Mapped[str] = mapped_column(String(500))
    value: Mapped[int]
    updated_at: Mapped[datetime]


@dataclass(frozen=True)
class WorkshopSession:
    id: int
    map_id: int
    code: str | None
    allow_anonymous: bool
    view: str
    lens: str
    anonymise: str
    plan_step: int
    revision: int
    activity: int
    closed: bool


@dataclass(frozen=True)
class Participant:
    """A seat in a session; ``anonymous`` numbers those who gave no name, in join order."""

    id: int
    session_id: int
    token: str
    name: str
    anonymous: int = 0

    @property
    def label(self) -> str:
        """The display name, or "Anonymous N" (in the language in force) for someone who gave
        none: never stored, made when shown."""
        return self.name or _("Anonymous {n}").format(n=self.anonymous)


@dataclass(frozen=True)
class Round:
    id: int
    session_id: int
    map_id: int
    number: int
    items: tuple[Item, ...]
    open: bool
    revealed: bool
    adopted_version: int | None


@dataclass(frozen=True)
class Answer:
    participant_id: int
    item: Item
    value: int


_VERSIONS = Base.metadata.tables["versions"]
#: A session's counters and its map's latest version: what the polls read, in one query.
_TOKEN = select(
    _Session.revision,
    _Session.activity,
    select(func.max(_VERSIONS.c.number))
    .where(_VERSIONS.c.map_id == _Session.map_id)
    .scalar_subquery(),
)
_FOLLOW_TOKEN = _TOKEN.where(_Session.id == bindparam("id"))
_SEAT_TOKEN = _TOKEN.join(_Participant, _Participant.session_id == _Session.id).where(
    _Participant.token == bindparam("token"), _Session.closed_at.is_(None)
)


def _session(row: _Session) -> WorkshopSession:
    return WorkshopSession(
        row.id,
        row.map_id,
        row.code,
        row.allow_anonymous,
        row.view,
        row.lens,
        row.anonymise,
        row.plan_step,
        row.revision,
        row.activity,
        row.closed_at is not None,
    )


def _round(row: _Round) -> Round:
    items = tuple(Item.from_key(k) for k in json.loads(row.items))
    return Round(
        row.id,
        row.session_id,
        row.map_id,
        row.number,
        items,
        row.open,
        row.revealed,
        row.adopted_version,
    )


def clean_name(name: str) -> str:
    """A display name as stored: control characters dropped, spaces collapsed, cut to
    :data:`MAX_NAME` (both engines then behave alike; PostgreSQL refuses NUL).

    >>> clean_name("  Ana\\x00  Bell\\n")
    'Ana Bell'
    """
    printable = "".join(ch for ch in str(name) if ch.isprintable() or ch == " ")
    return " ".join(printable.split())[:MAX_NAME]


def _unique(name: str, taken: set[str]) -> str:
    """``name``, or ``name 2``, ``name 3``... when a casefolded copy is taken.

    >>> _unique("Ana", {"ana", "ana 2"}), _unique("Ben", {"ana"})
    ('Ana 3', 'Ben')
    """
    if name.casefold() not in taken:
        return name
    n = 2
    while f"{name} {n}"[:MAX_NAME].casefold() in taken:
        n += 1
    return f"{name[: MAX_NAME - len(str(n)) - 1]} {n}"


def unique_labels(participants: list[Participant]) -> dict[int, str]:
    """Participant id -> a label no one else in the list has (a clash from before names were
    made unique at join gets the id).

    >>> ps = [Participant(1, 1, "a", "Ana"), Participant(2, 1, "b", "Ana")]
    >>> unique_labels(ps)
    {1: 'Ana', 2: 'Ana (#2)'}
    """
    seen: set[str] = set()
    out = {}
    for p in participants:
        label = p.label if p.label.casefold() not in seen else f"{p.label} (#{p.id})"
        seen.add(label.casefold())
        out[p.id] = label
    return out


class WorkshopStore:
    """Sessions and rounds of the maps in ``store``.

    >>> from stakemap.model import Stakeholder, StakeholderMap
    >>> store = Store("sqlite://")
    >>> ws = WorkshopStore(store)
    >>> map_id = store.create("Demo", StakeholderMap((Stakeholder("Ana"),)))
    >>> s = ws.start(map_id)
    >>> ws.find_open(s.code).id == s.id, ws.close(s.id), ws.find_open(s.code)
    (True, None, None)
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine = store.engine  # its tables come with the store's migrations (0002)
        self.versions = LatestVersions(store)  # the map the room follows, once per version

    # sessions ---------------------------------------------------------------------------

    def start(self, map_id: int, allow_anonymous: bool = False) -> WorkshopSession:
        """A new open session on ``map_id`` with a fresh join code."""
        for _attempt in range(20):  # a clash with a live code is about 1 in 10**8: retry
            try:
                with Session(self.engine) as s, s.begin():
                    row = _Session(
                        map_id=map_id,
                        code=rounds.new_code(),
                        allow_anonymous=allow_anonymous,
                        created_at=now(),
                    )
                    s.add(row)
                    s.flush()
                    return _session(row)
            except IntegrityError:
                continue
        raise RuntimeError("Could not find a free join code")

    def get(self, session_id: int) -> WorkshopSession | None:
        with Session(self.engine) as s:
            row = s.get(_Session, session_id)
            return None if row is None else _session(row)

    def open_for_map(self, map_id: int) -> WorkshopSession | None:
        """The newest open session on ``map_id``."""
        with Session(self.engine) as s:
            row = s.scalars(
                select(_Session)
                .filter_by(map_id=map_id, closed_at=None)
                .order_by(_Session.id.desc())
            ).first()
            return None if row is None else _session(row)

    def find_open(self, code: str) -> WorkshopSession | None:
        """The open session with this join code (None: wrong, or closed)."""
        normal = rounds.normalise_code(code)
        if normal is None:
            return None
        with Session(self.engine) as s:
            row = s.scalars(select(_Session).filter_by(code=normal, closed_at=None)).first()
            return None if row is None else _session(row)

    def close(self, session_id: int) -> None:
        """End the session: its code stops matching at once; open rounds close."""
        with Session(self.engine) as s, s.begin():
            row = s.get_one(_Session, session_id)
            row.code, row.closed_at = None, now()
            s.execute(update(_Round).filter_by(session_id=session_id).values(open=False))
            self._bump(s, session_id)

    def set_view(self, session_id: int, **changes: object) -> None:
        """Change what the room sees: ``view``, ``lens``, ``anonymise``, ``plan_step``,
        ``allow_anonymous``; unknown values are refused with ValueError."""
        allowed = {
            "view": lambda v: v in rounds.VIEWS,
            "lens": lambda v: v in LENS_NAMES,
            "anonymise": lambda v: v in ANONYMISE_MODES,
            "plan_step": lambda v: isinstance(v, int) and 0 <= v <= 10_000,
            "allow_anonymous": lambda v: isinstance(v, bool),
        }
        for field, value in changes.items():
            if field not in allowed or not allowed[field](value):
                raise ValueError(f"Cannot set {field} to {value!r}")
        with Session(self.engine) as s, s.begin():
            row = s.get_one(_Session, session_id)
            if all(getattr(row, f) == v for f, v in changes.items()):
                return
            for field, value in changes.items():
                setattr(row, field, value)
            self._bump(s, session_id)

    def follow_token(self, session_id: int) -> tuple[int, int, int]:
        """(revision, activity, latest map version), (0, 0, 0) for a session gone: what the
        facilitator's poll compares. One query on a bare connection (a tenth of an ORM's)."""
        with self.engine.connect() as c:
            row = c.execute(_FOLLOW_TOKEN, {"id": session_id}).first()
        return (0, 0, 0) if row is None else (row[0], row[1], row[2] or 0)

    def seat_token(self, token: str) -> tuple[int, int] | None:
        """(revision, latest map version) of the open session holding the seat ``token``, None
        once it holds none (closed, gone): what a phone's poll compares, every second."""
        with self.engine.connect() as c:
            row = c.execute(_SEAT_TOKEN, {"token": token}).first()
        return None if row is None else (row[0], row[2] or 0)

    # participants -------------------------------------------------------------------------

    def join(
        self, session_id: int, name: str, device: str | None = None, seats: int = 1
    ) -> Participant:
        """A new participant of an open session. ValueError if it is closed, the name is blank
        and the session does not allow anonymous participants, or ``device`` (a keyed hash of
        the client's address) already holds ``seats`` participants here. A display name
        already taken in the session gets a number ("Ana 2"): two people, two voices."""
        name = clean_name(name)
        with Session(self.engine) as s, s.begin():
            session = s.get(_Session, session_id, with_for_update=True)
            if session is None or session.closed_at is not None:
                raise ValueError(_("This session has ended."))
            if not name and not session.allow_anonymous:
                raise ValueError(_("Please give a display name."))
            rows = s.execute(
                select(_Participant.name, _Participant.device).filter_by(session_id=session_id)
            ).all()
            if device is not None and sum(d == device for _, d in rows) >= max(1, seats):
                raise ValueError(
                    _(
                        "This device has already joined this workshop: go back to the tab where "
                        "you joined (it keeps your seat), or ask the facilitator."
                    )
                )
            if name:
                name = _unique(name, {n.casefold() for n, _ in rows if n})
            row = _Participant(
                session_id=session_id,
                token=secrets.token_urlsafe(_TOKEN_BYTES),
                name=name,
                device=device,
                joined_at=now(),
            )
            s.add(row)
            s.flush()
            self._bump(s, session_id, shown=False)
            anonymous = 0 if name else sum(not n for n, _ in rows) + 1
            return Participant(row.id, session_id, row.token, row.name, anonymous)

    def participant(self, token: str) -> Participant | None:
        """The participant holding ``token`` while their session is open."""
        if not token or len(token) > 64:
            return None
        with Session(self.engine) as s:
            row = s.execute(
                select(_Participant)
                .join(_Session, _Session.id == _Participant.session_id)
                .filter(_Participant.token == token, _Session.closed_at.is_(None))
            ).scalar_one_or_none()
            if row is None:
                return None
            anonymous = 0
            if not row.name:
                anonymous = s.scalar(
                    select(func.count(_Participant.id)).filter(
                        _Participant.session_id == row.session_id,
                        _Participant.name == "",
                        _Participant.id <= row.id,
                    )
                )
            return Participant(row.id, row.session_id, row.token, row.name, anonymous or 0)

    def participants(self, session_id: int) -> list[Participant]:
        with Session(self.engine) as s:
            rows = s.scalars(
                select(_Participant).filter_by(session_id=session_id).order_by(_Participant.id)
            )
            out, anonymous = [], 0
            for r in rows:
                anonymous += not r.name
                number = 0 if r.name else anonymous
                out.append(Participant(r.id, r.session_id, r.token, r.name, number))
            return out

    def count_participants(self, session_id: int) -> int:
        with Session(self.engine) as s:
            return (
                s.scalar(select(func.count(_Participant.id)).filter_by(session_id=session_id)) or 0
            )

    # rounds -----------------------------------------------------------------------------

    def open_round(self, session_id: int, items: tuple[Item, ...]) -> Round:
        """A new round on ``items``; any round still open in the session closes first."""
        if not items:
            raise ValueError(_("A round needs at least one person and one attribute."))
        with Session(self.engine) as s, s.begin():
            session = s.get_one(_Session, session_id)
            if session.closed_at is not None:
                raise ValueError(_("This session has ended."))
            s.execute(update(_Round).filter_by(session_id=session_id).values(open=False))
            number = (
                s.scalar(select(func.max(_Round.number)).filter_by(map_id=session.map_id)) or 0
            ) + 1
            row = _Round(
                session_id=session_id,
                map_id=session.map_id,
                number=number,
                items=json.dumps([i.key for i in items], ensure_ascii=False),
                created_at=now(),
            )
            s.add(row)
            s.flush()
            self._bump(s, session_id)
            return _round(row)

    def latest_round(self, session_id: int) -> Round | None:
        with Session(self.engine) as s:
            row = s.scalars(
                select(_Round).filter_by(session_id=session_id).order_by(_Round.id.desc())
            ).first()
            return None if row is None else _round(row)

    def rounds_of_map(self, map_id: int) -> list[Round]:
        with Session(self.engine) as s:
            rows = s.scalars(select(_Round).filter_by(map_id=map_id).order_by(_Round.number))
            return [_round(r) for r in rows]

    def set_round(self, round_id: int, **changes: object) -> None:
        """``open`` / ``revealed`` (bool) or ``adopted_version`` (int) of a round."""
        with Session(self.engine) as s, s.begin():
            row = s.get_one(_Round, round_id)
            for field, value in changes.items():
                if field not in ("open", "revealed", "adopted_version"):
                    raise ValueError(f"Cannot set {field}")
                setattr(row, field, value)
            self._bump(s, row.session_id)

    # answers ----------------------------------------------------------------------------

    def answer(self, participant: Participant, round_id: int, item: Item, value: int) -> None:
        """Record (or change) one answer; ValueError when the round is closed, the question
        is not in the round, the value is off the scale, or the participant belongs to another
        session. One row per participant and question: a changed answer replaces the old."""
        with Session(self.engine) as s, s.begin():
            row = s.get(_Round, round_id)
            if row is None or row.session_id != participant.session_id:
                raise ValueError(_("This round is not in your session."))
            if not row.open:
                raise ValueError(_("This round has closed."))
            if item.key not in json.loads(row.items):
                raise ValueError(_("This question is not in the round."))
            scale = item.scale
            if not (isinstance(value, int) and scale.low <= value <= scale.high):
                raise ValueError(
                    _("An answer is a whole number from {low} to {high}.").format(
                        low=scale.low, high=scale.high
                    )
                )
            existing = s.scalars(
                select(_Answer).filter_by(
                    round_id=round_id, participant_id=participant.id, item_key=item.key
                )
            ).first()
            if existing is None:
                s.add(
                    _Answer(
                        round_id=round_id,
                        participant_id=participant.id,
                        item_key=item.key,
                        value=value,
                        updated_at=now(),
                    )
                )
            else:
                existing.value, existing.updated_at = value, now()
            self._bump(s, row.session_id, shown=False)

    def answers(self, round_id: int) -> list[Answer]:
        with Session(self.engine) as s:
            rows = s.execute(
                select(_Answer.participant_id, _Answer.item_key, _Answer.value)
                .filter_by(round_id=round_id)
                .order_by(_Answer.id)
            )
            return [Answer(p, Item.from_key(k), v) for p, k, v in rows]

    def results(self, rnd: Round) -> list[rounds.ItemResult]:
        """Each question's aggregate (:func:`stakemap.room.rounds.aggregate`), answered ones only:
        one voice a participant (never grouped by label), shown by a label unique in the
        session."""
        labels = unique_labels(self.participants(rnd.session_id))
        by_item: dict[Item, dict[str, int]] = {}
        for a in self.answers(rnd.id):
            who = labels.get(a.participant_id) or _("Participant {n}").format(n=a.participant_id)
            by_item.setdefault(a.item, {})[who] = a.value
        out = (rounds.aggregate(item, by_item.get(item, {})) for item in rnd.items)
        return [r for r in out if r is not None]

    def ratings_rows(self, map_id: int) -> list[list[object]]:
        """Every answer ever given on ``map_id``: the Ratings sheet of the workbook, each
        participant by the label the room knew them by (:func:`unique_labels`); its header in
        the language in force (the sheet is not read back), the attributes as identifiers."""
        rows: list[list[object]] = [[_(column) for column in RATINGS_HEADER]]
        with Session(self.engine) as s:
            found = s.execute(
                select(
                    _Round.number,
                    _Answer.item_key,
                    _Participant.session_id,
                    _Participant.id,
                    _Answer.value,
                    _Answer.updated_at,
                )
                .join(_Answer, _Answer.round_id == _Round.id)
                .join(_Participant, _Participant.id == _Answer.participant_id)
                .filter(_Round.map_id == map_id)
                .order_by(_Round.number, _Answer.id)
            )
            found = found.all()
        labels: dict[int, str] = {}
        for session_id in dict.fromkeys(row[2] for row in found):
            labels |= unique_labels(self.participants(session_id))
        for number, key, _session_id, pid, value, at in found:
            item = Item.from_key(key)
            rows.append([number, item.attribute, item.person, item.other, labels[pid], value, at])
        return rows

    # helpers ----------------------------------------------------------------------------

    @staticmethod
    def _bump(s: Session, session_id: int, shown: bool = True) -> None:
        """Move the counters in the caller's transaction (atomic: no lost increments)."""
        values = {"activity": _Session.activity + 1}
        if shown:
            values["revision"] = _Session.revision + 1
        s.execute(update(_Session).filter_by(id=session_id).values(**values))
