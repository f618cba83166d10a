"""Handouts: the projector PNG and the outcome PDF, drawn offline, anonymised as the room is;
and the Workshop page's two download buttons (AppTest)."""

from __future__ import annotations

import io
import os
import random
import re
import shutil
import socket
import struct
import subprocess
import sys
from dataclasses import replace
from datetime import datetime
from operator import sub
from pathlib import Path
from xml.etree import ElementTree

import pytest
import vl_convert as vlc
from PIL import Image, ImageChops
from pypdf import PdfReader
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from stakemap.lenses.catalogue import LENSES
from stakemap.lenses.people import shown_map
from stakemap.lenses.picture import lens_spec
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


def _rated(m):
    """``m`` with legitimacy, urgency and target stance rated for all but one person in six:
    a generated map leaves them blank, which puts everyone in the salience model's and the
    engagement matrix's one class of the not rated (a blank is no rating)."""
    rng = random.Random(len(m.stakeholders))
    return replace(
        m,
        stakeholders=tuple(
            p
            if k % 6 == 5
            else replace(
                p,
                legitimacy=rng.randint(1, 5),
                urgency=rng.randint(1, 5),
                target_stance=rng.randint(-1, 2),
            )
            for k, p in enumerate(m.stakeholders)
        ),
    )


def _map(seed: int = 3):
    """A generated 60-person map, rated on every lens but for one person in six, whose first
    people have non-Latin names."""
    m = _rated(synthetic.generated(seed, 60))
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
    assert "Power map" in pages[1] and m.names[5] in pages[1]  # the lens chart, as text
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


def _poppler(tool: str) -> str:
    """A poppler tool (Debian's poppler-utils, installed by ``make test``): missing, the test
    fails under CI and is skipped elsewhere."""
    path = shutil.which(tool)
    if path is None:
        message = f"{tool} is missing: apt-get install poppler-utils (make test does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def _lens_page(m, lens: str, mode: str, folder: Path) -> tuple[str, Image.Image]:
    """The outcome PDF's lens page as poppler reads it (its text) and draws it (an image)."""
    session = replace(_session(mode), lens=lens)
    pdf = handouts.outcome_pdf(
        m, name="Map", version=1, session=session, participants=[], rounds=[], when=WHEN
    )
    path = folder / "outcome.pdf"
    path.write_bytes(pdf)
    pages = ["-f", "2", "-l", "2"]
    text = subprocess.run(
        [_poppler("pdftotext"), *pages, str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    subprocess.run(
        [
            _poppler("pdftoppm"),
            *pages,
            "-r",
            "100",
            "-png",
            "-singlefile",
            str(path),
            str(folder / "p"),
        ],
        check=True,
    )
    return text, Image.open(folder / "p.png").convert("RGB")


def _trimmed(picture: Image.Image, top: float = 0, bottom: float = 1) -> Image.Image:
    """``picture`` between the fractions ``top`` and ``bottom`` of its height, cropped to
    what is not white."""
    band = picture.convert("RGB").crop(
        (0, int(picture.height * top), picture.width, int(picture.height * bottom))
    )
    box = ImageChops.invert(band.convert("L")).point(lambda v: 255 if v > 8 else 0).getbbox()
    assert box is not None, "blank"
    return band.crop(box)


def _titles(lens, room) -> list[str]:
    """What a lens writes on its chart besides people: region titles and axis words."""
    titles = [r.title for r in lens.regions(room, lens.classify(room)) if r.title]
    for axis in (lens.x_axis, lens.y_axis):
        if axis is not None:
            titles += [axis.title, *(word for _, word in axis.ticks)]
    assert titles, f"{lens.name} writes nothing to check"
    return titles


def _colour_tiles(picture: Image.Image, n: tuple[int, int] = (16, 9)) -> list[tuple]:
    """The mean colour of each of ``n`` tiles: the regions' backgrounds and the legend's
    blocks, with text (which two rasterisers draw a little differently) averaged away."""
    small = picture.convert("RGB").resize(n, Image.Resampling.BOX)
    return [small.getpixel((x, y)) for y in range(n[1]) for x in range(n[0])]


def _labels_at(pdf_page) -> dict[str, tuple[float, float]]:
    """Each text the page draws (glyphs sharing a matrix) and its anchor in points, from
    pypdf's text visitor."""
    glyphs: dict[tuple, list[tuple[float, str]]] = {}

    def visit(text, cm, tm, *_):
        if text.strip():
            glyphs.setdefault(tuple(round(v, 2) for v in cm), []).append((tm[4], text))

    pdf_page.extract_text(visitor_text=visit)
    return {
        _bare("".join(t for _, t in sorted(parts))): (cm[4], cm[5]) for cm, parts in glyphs.items()
    }


def _bare(text: str) -> str:
    """``text`` without its spaces (the PDF draws glyphs, not the spaces between words)."""
    return "".join(text.split())


_TRANSLATE = re.compile(r"translate\(([-\d.e]+),?\s*([-\d.e]+)?\)")


def _labels_in_svg(svg: str) -> dict[str, tuple[float, float]]:
    """Each text of a Vega SVG and its anchor (translations summed down the tree)."""
    found: dict[str, tuple[float, float]] = {}

    def walk(node, x: float, y: float) -> None:
        move = _TRANSLATE.match(node.get("transform", ""))
        if move:
            x, y = x + float(move[1]), y + float(move[2] or 0)
        if node.tag.endswith("text") and (node.text or "").strip():
            found[_bare(node.text)] = (x, y)
        for child in node:
            walk(child, x, y)

    walk(ElementTree.fromstring(svg), 0.0, 0.0)
    return found


def _misplaced(page_labels: dict, svg_labels: dict, names: list[str]) -> list[str]:
    """Names whose place on the PDF page is not their place in the SVG the PNG is drawn from,
    once the chart's scale and offset on the page are fitted (least squares, each axis)."""
    shared = [_bare(n) for n in names if _bare(n) in page_labels and _bare(n) in svg_labels]
    assert len(shared) == len(names), {_bare(n) for n in names} - set(shared)
    fits = []
    for axis in (0, 1):
        xs = [svg_labels[n][axis] for n in shared]
        ys = [page_labels[n][axis] for n in shared]
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        slope = sum((a - mx) * (b - my) for a, b in zip(xs, ys, strict=True)) / sum(
            (a - mx) ** 2 for a in xs
        )
        fits.append((slope, my - slope * mx))
    assert abs(abs(fits[0][0]) - abs(fits[1][0])) < 0.01 * abs(fits[0][0])  # one scale
    return [
        n
        for n in shared
        for axis, (slope, offset) in enumerate(fits)
        if abs(slope * svg_labels[n][axis] + offset - page_labels[n][axis]) > 2  # points
    ]


@pytest.mark.parametrize("lens", list(LENSES))
def test_the_pdf_lens_page_shows_every_person_and_region_like_the_png(lens, tmp_path):
    """Rendered with poppler, the PDF's lens page names every person of the map (or their
    initials) and writes every region title and axis word of the lens; each name sits where
    the projector's PNG draws it, and the backgrounds have the PNG's colours."""
    seed = list(LENSES).index(lens)
    for mode, m in (("names", _map(seed)), ("initials", synthetic.generated(seed + 40, 25))):
        text, page = _lens_page(m, lens, mode, tmp_path)
        flat = " ".join(text.split())
        room = shown_map(m, mode)
        missing = [n for n in room.names if " ".join(n.split()) not in flat]
        assert not missing, f"{lens} ({mode}): {missing[:5]}"
        assert not [t for t in _titles(LENSES[lens], room) if " ".join(t.split()) not in flat]
        spec = lens_spec(room, lens, handouts.PNG_SIZE, details=mode == "names")
        svg = vlc.vegalite_to_svg(spec)
        page_labels = _labels_at(PdfReader(tmp_path / "outcome.pdf").pages[1])
        assert not _misplaced(page_labels, _labels_in_svg(svg), room.names)
        # the chart on the page (below its title line, above the footer) against the PNG
        png = handouts.projector_png(m, replace(_session(mode), lens=lens))
        shown, drawn = _trimmed(page, 0.13, 0.93), _trimmed(Image.open(io.BytesIO(png)))
        assert abs(shown.width / shown.height - drawn.width / drawn.height) < 0.02
        tiles = zip(_colour_tiles(shown), _colour_tiles(drawn), strict=True)
        assert not [(a, b) for a, b in tiles if max(map(abs, map(sub, a, b))) > 12]


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
