"""Slides (.pptx) and the plan on one page (PDF): what each holds, anonymised by role, hostile
names as text; the deck opens in python-pptx and in LibreOffice (headless)."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from stakemap.files import plansheet
from stakemap.files.deck import deck
from stakemap.files.pictures import NETWORK, VIEWS
from stakemap.files.plansheet import plan_pdf
from stakemap.lenses.people import role_labels
from stakemap.model import StakeholderMap
from stakemap.planning.planner import plan
from stakemap.planning.rule import rule_of
from stakemap.planning.words import PHASES
from stakemap.samples.cases import new_programme
from stakemap.samples.synthetic import generated, organisation
from tests.test_pictures import hostile_map

WHEN = date(2026, 12, 3)


def _slides(data: bytes) -> list[tuple[str, str, int]]:
    """Each slide's text, its speaker notes and how many pictures it holds."""
    out = []
    for slide in Presentation(io.BytesIO(data)).slides:
        text = "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        pictures = sum(s.shape_type == 13 for s in slide.shapes)  # MSO_SHAPE_TYPE.PICTURE
        out.append((text, notes, pictures))
    return out


def _pdf_text(data: bytes, folder: Path, column: int | None = None) -> str:
    """The PDF's text as poppler's pdftotext reads it (pypdf where poppler is missing); with
    ``column``, only that column of the plan's table (a cell's wrapped lines kept together)."""
    if shutil.which("pdftotext") is None:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    path = folder / "plan.pdf"
    path.write_bytes(data)
    crop = []
    if column is not None:
        left = 15 + sum(plansheet._WIDTHS[:column])  # mm from the page's edge
        crop = ["-x", str(round(left * 72 / 25.4) + 1), "-y", "0", "-H", "842"]
        crop += ["-W", str(round(plansheet._WIDTHS[column] * 72 / 25.4) - 2), "-r", "72"]
    done = subprocess.run(["pdftotext", *crop, str(path), "-"], capture_output=True, check=True)
    return done.stdout.decode()


def test_a_deck_has_a_title_a_slide_a_view_and_a_slide_a_step_each_with_notes():
    m = organisation()
    p = plan(m)
    data = deck(m, name="Org 60", when=WHEN, planned=p)
    slides = _slides(data)
    assert len(slides) == 1 + len(VIEWS) + len(p.steps)
    title, notes, _ = slides[0]
    assert m.proposal.title in title and "Org 60" in title and "3 December 2026" in title
    assert rule_of(m).describe() in notes and p.verdict in notes
    for (text, notes, pictures), view in zip(slides[1:], VIEWS, strict=False):
        assert pictures == 1 and notes
        assert (view if view != NETWORK else "Influence network") in text
    for (text, notes, pictures), step in zip(slides[1 + len(VIEWS) :], p.steps, strict=True):
        assert pictures == 0
        assert f"Step {step.order} of {len(p.steps)}: {step.name}" in text
        assert PHASES[step.phase][0] in text
        assert all(name in text for name in step.messengers)
        assert (step.ask or "none") in text
        assert "before" in text and "after" in text
        assert step.reason in notes


def test_the_views_chosen_are_the_slides_in_that_order():
    m = new_programme()
    data = deck(m, name="Demo", when=WHEN, views=[NETWORK, "Power map"])
    slides = _slides(data)
    assert slides[1][0].startswith("Influence network") and slides[2][0].startswith("Power map")
    assert len(slides) == 3 + len(plan(m).steps)


def test_an_anonymised_deck_names_nobody():
    m = new_programme()
    data = deck(m, name="Demo", when=WHEN, views=["Power map", NETWORK], anonymise=True)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = " ".join(
            archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml")
        )
    assert not [n for n in m.names if n in xml]
    labels = role_labels(m)
    assert labels[plan(m).steps[0].name] in xml  # the first step's person, by role


def test_hostile_names_are_text_on_the_slides():
    m = hostile_map()
    slides = _slides(deck(m, name="<b>x</b> =1+2", when=WHEN, views=[NETWORK]))
    text = "\n".join(t + "\n" + n for t, n, _ in slides)
    steps = plan(m).steps
    assert steps and not [s.name for s in steps if s.name not in text]
    assert "<b>x</b> =1+2" in slides[0][0]


def test_a_map_with_no_plan_says_so():
    slides = _slides(deck(StakeholderMap(), name="Empty", when=WHEN, views=[]))
    assert len(slides) == 2 and slides[1][0].startswith("No plan on this map yet")


def test_the_deck_converts_in_libreoffice(tmp_path):
    """LibreOffice Impress opens the deck and writes it as PDF, a page a slide. It fails
    under CI when LibreOffice is missing (`make libreoffice`) and is skipped elsewhere."""
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("soffice is not installed (make libreoffice)")
        pytest.skip("soffice is not installed")
    m = hostile_map()
    path = tmp_path / "deck.pptx"
    path.write_bytes(deck(m, name="Demo", when=WHEN, views=["Power map", NETWORK]))
    profile = tmp_path / "profile"  # a profile of its own: no clash with another soffice
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(path)],
        capture_output=True, timeout=180, check=True,
    )  # fmt: skip
    converted = PdfReader(tmp_path / "deck.pdf")
    assert len(converted.pages) == 3 + len(plan(m).steps)
    text = _pdf_text((tmp_path / "deck.pdf").read_bytes(), tmp_path)
    assert "李娜" in text and "Step 1 of" in text


@pytest.mark.parametrize("build", [new_programme, organisation, hostile_map])
def test_the_plan_is_one_page_holding_every_step(build, tmp_path):
    m = build()
    data = plan_pdf(m, name="Demo", when=WHEN)
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    whom = "".join(_pdf_text(data, tmp_path, column=1).split())  # a long name wraps in its cell
    steps = plan(m).steps
    assert steps and not [s.name for s in steps if "".join(s.name.split()) not in whom]
    text = _pdf_text(data, tmp_path)
    assert "How it is decided" in text and "The close" in text


def test_a_long_plan_still_fits_one_page_and_says_how_many_more(tmp_path):
    m = generated(3, 150)
    p = plan(m)
    assert len(p.steps) > 30
    data = plan_pdf(m, name="Big", when=WHEN, planned=p)
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    text = " ".join(_pdf_text(data, tmp_path).split())
    more = re.search(r"and (\d+) more steps?: see the Plan page", text)
    listed = len(p.steps) - (int(more.group(1)) if more else 0)
    assert listed > 10
    assert not [s.name for s in p.steps[:listed] if s.name not in text]


def test_an_anonymised_plan_names_nobody(tmp_path):
    m = new_programme()
    text = _pdf_text(plan_pdf(m, name="Demo", when=WHEN, anonymise=True), tmp_path)
    assert not [n for n in m.names if n in text]
    assert role_labels(m)[m.proposal.champion] in " ".join(text.split())
