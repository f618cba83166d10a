"""Handouts: the projector PNG and the outcome PDF, drawn offline, anonymised as the room is;
and the Workshop page's two download buttons (AppTest)."""

from __future__ import annotations

import io
import random
import shutil
import socket
import struct
import subprocess
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from stakemap.room import handouts
from stakemap.room.rounds import aggregate, items_for
from stakemap.room.sessions import Participant, Round, WorkshopSession, WorkshopStore
from stakemap.samples import synthetic
from stakemap.store.maps import Store
from tests.conftest import small_map

APP = str(Path(__file__).resolve().parents[1] / "app.py")
WHEN = datetime(2026, 12, 2, 6, 0)
UNICODE = ("李娜", "Zoë Ångström", "Łódź Kowalska")
ROOM = ("Zoë", "李娜 Wang", "<b>Bold</b>", "**Eve**")


def _map(seed: int = 3):
    """A generated 60-person map whose first people have non-Latin names."""
    m = synthetic.generated(seed, 60)
    first = m.stakeholders[: len(UNICODE)]
    people = [replace(p, name=n) for p, n in zip(first, UNICODE, strict=True)]
    renamed = dict(zip((p.name for p in first), UNICODE, strict=True))
    ties = tuple(
        replace(r, source=renamed.get(r.source, r.source), target=renamed.get(r.target, r.target))
        for r in m.relationships
    )
    champion = renamed.get(m.proposal.champion, m.proposal.champion)
    return replace(
        m,
        stakeholders=(*people, *m.stakeholders[len(UNICODE) :]),
        relationships=ties,
        positions={},
        proposal=replace(m.proposal, champion=champion),
    )


def _session(mode: str, closed: bool = False) -> WorkshopSession:
    code = None if closed else "ABC234"
    return WorkshopSession(1, 1, code, False, "lens", "Power map", mode, 0, 3, 9, closed)


def _rounds(m, participants):
    rng = random.Random(5)
    items = items_for(m.names[:4], ["power", "stance"])
    results = [
        aggregate(i, {p.label: rng.randint(i.scale.low, i.scale.high) for p in participants})
        for i in items
    ]
    return [
        handouts.RoundOutcome(Round(1, 1, 1, 1, items, False, True, 4), results),
        handouts.RoundOutcome(Round(2, 1, 1, 2, items[:2], True, False, None), results[:2]),
    ]


def _pdf(mode: str, **kw) -> tuple[bytes, object]:
    m = _map()
    participants = [Participant(i, 1, f"t{i}", n) for i, n in enumerate(ROOM, 1)]
    args = dict(
        name="Reorg Łódź",
        version=4,
        session=_session(mode),
        participants=participants,
        rounds=_rounds(m, participants),
        when=WHEN,
    )
    return handouts.outcome_pdf(m, **(args | kw)), m


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


@pytest.mark.parametrize("mode", ["names", "letters"])
def test_projector_png_has_the_projector_size(mode):
    png = handouts.projector_png(_map(), _session(mode))
    assert _png_size(png) == handouts.PNG_SIZE
    assert _png_size(handouts.projector_png(_map(), _session(mode), scale=0.5)) == (800, 450)


def test_pdf_pages_hold_session_chart_ratings_and_plan():
    pdf, m = _pdf("names")
    pages = _text(pdf)
    assert len(pages) >= 4
    title = pages[0]
    for text in ("Reorg Łódź", "2026-12-02", "open, code ABC234", "Participants: 4", *ROOM):
        assert text in title
    assert PdfReader(io.BytesIO(pdf)).pages[1].images  # the lens chart
    ratings = "\n".join(p for p in pages if "Ratings" in p)
    assert "Round 1 · closed · adopted into map version 4" in ratings
    assert "Round 2 · open · not adopted" in ratings
    assert f"How much power does {m.names[0]} have" in ratings.replace("\n", " ")
    assert "Zoë Ångström" in ratings
    plan = "\n".join(p for p in pages if "Coalition plan" in p)
    assert "The close" in plan and "Confidence:" in plan


def test_anonymised_pdf_names_nobody():
    pdf, m = _pdf("letters")
    text = "\n".join(_text(pdf))
    for name in (*m.names, *ROOM):
        assert name not in text
    assert "Stakeholder A" in text and "Participant 1" in text


def test_closed_session_and_no_rounds():
    pdf, _ = _pdf("initials", session=_session("initials", closed=True), rounds=[])
    text = "\n".join(_text(pdf))
    assert "closed (the code has ended)" in text
    assert "No rating round was held" in text


def test_without_fonts_falls_back_to_latin1(tmp_path):
    pdf, _ = _pdf("names", font_dirs=[str(tmp_path)])
    title = _text(pdf)[0]
    assert "Zoë" in title and "?? Wang" in title  # Helvetica draws Latin-1, CJK as ?


def test_drawn_without_network(monkeypatch):
    """Python sockets refused; vl-convert (Rust) is checked in a process without a network."""

    def refuse(*args, **kwargs):
        raise OSError("network used")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert _pdf("names")[0][:5] == b"%PDF-"
    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "-n", "true"]).returncode != 0:
        pytest.skip("no network namespace to run vl-convert in")
    code = (
        "from tests.test_handouts import _map, _session; from stakemap.room import handouts; "
        "import sys; sys.stdout.buffer.write(handouts.projector_png(_map(), _session('names')))"
    )
    done = subprocess.run(
        [unshare, "-n", sys.executable, "-c", code],
        capture_output=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert _png_size(done.stdout) == handouts.PNG_SIZE


class _KeptManager(MediaFileManager):
    """AppTest's media file manager, kept so that a test can run a deferred download."""

    last: MediaFileManager | None = None

    def __init__(self, storage) -> None:
        super().__init__(storage)
        _KeptManager.last = self


def test_workshop_page_serves_both_handouts(app_database, monkeypatch):
    monkeypatch.setattr("streamlit.testing.v1.app_test.MediaFileManager", _KeptManager)
    store = Store(app_database)
    store.claim_first_start()
    map_id = store.create("Demo", small_map())
    WorkshopStore(store).start(map_id)
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["map_id"] = map_id
    at.switch_page("views/workshop.py").run()
    assert not at.exception
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert {"Projector view (PNG)", "Session outcome (PDF)"} <= set(buttons)
    mgr = _KeptManager.last
    served = {}
    for label in ("Projector view (PNG)", "Session outcome (PDF)"):
        url = mgr.execute_deferred(buttons[label].deferred_file_id)
        served[label] = mgr._storage.get_file(url.rsplit("/", 1)[-1].split(".")[0]).content
    assert _png_size(served["Projector view (PNG)"]) == handouts.PNG_SIZE
    pdf = served["Session outcome (PDF)"]
    assert pdf[:5] == b"%PDF-" and "Demo" in _text(pdf)[0]
