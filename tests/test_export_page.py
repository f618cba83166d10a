"""Export page (AppTest): each download button yields its file, built from the current version."""

from __future__ import annotations

import io
import math
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from PIL import Image
from pptx import Presentation
from pypdf import PdfReader
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from stakemap.files.importing import import_workbook
from stakemap.files.pictures import NETWORK, VIEWS
from stakemap.lenses.people import role_labels
from stakemap.model import Relationship, Stakeholder, StakeholderMap
from stakemap.planning.planner import plan
from stakemap.samples.cases import new_programme
from stakemap.samples.synthetic import generated
from stakemap.store.maps import Store
from tests.test_pictures import drawn_texts, markers

APP = Path(__file__).resolve().parents[1] / "app.py"


class _KeptManager(MediaFileManager):
    """AppTest's media file manager, kept so that a test can click a deferred download and
    read what was served."""

    last: MediaFileManager | None = None

    def __init__(self, storage) -> None:
        super().__init__(storage)
        _KeptManager.last = self


@pytest.fixture
def export_page(app_database: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setattr("streamlit.testing.v1.app_test.MediaFileManager", _KeptManager)
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.switch_page("views/export.py")
    at.run()
    assert not at.exception
    return at


def _served(at: AppTest, ending: str) -> bytes:
    """The first download whose file name ends with ``ending`` (.xlsx: the workbook), built
    as a click on its button builds it (the page defers every file to the click)."""
    manager = _KeptManager.last
    for button in at.get("download_button"):
        deferred = button.proto.deferred_file_id
        assert deferred, "the page builds a file only when its button is clicked"
        if manager._deferred_callables[deferred]["filename"].endswith(ending):
            url = manager.execute_deferred(deferred)
            return manager._storage.get_file(url.rsplit("/", 1)[-1].split(".")[0]).content
    raise AssertionError(f"no download ends with {ending}")


def _shown_map(url: str) -> StakeholderMap:
    """The version the page exports: the sample as stored, with the layout laid out at start."""
    store = Store(url)
    shown = [store.latest(m.id).data for m in store.list_maps()]
    return next(m for m in shown if m.names == new_programme().names)


def test_workbook_download_is_the_map(export_page, app_database) -> None:
    data = _served(export_page, ".xlsx")
    stored = _shown_map(app_database)
    assert stored.positions  # so that the round trip shows they are kept
    assert import_workbook(data, "x.xlsx").map == stored
    about = openpyxl.load_workbook(io.BytesIO(data))["About"]
    assert about["B2"].value == 1  # the version shown


def test_csv_and_html_downloads(export_page) -> None:
    with zipfile.ZipFile(io.BytesIO(_served(export_page, ".zip"))) as archive:
        assert sorted(archive.namelist()) == [
            "Layout.csv", "Proposal.csv", "Relationships.csv", "Stakeholders.csv"]  # fmt: skip
    html = _served(export_page, ".html").decode()
    assert "Maya Lin" in html and "http://" not in html and "https://" not in html


def test_file_names_carry_map_and_version(export_page) -> None:
    pending = _KeptManager.last._deferred_callables
    names = [
        pending[b.proto.deferred_file_id]["filename"] for b in export_page.get("download_button")
    ]
    stem = "New_programme_coalition_from_a_junior_position_v1"
    lens = "Powerinterest_grid_Mendelow"
    assert names == [
        f"{stem}.xlsx", f"{stem}.zip", f"{stem}.html", f"{stem}.kumu.xlsx", f"{stem}.graphml",
        f"{stem}.gexf", f"{stem}_{lens}.png", f"{stem}_{lens}.svg", f"{stem}.pptx",
        f"{stem}_plan.pdf",
    ]  # fmt: skip


@pytest.mark.parametrize("ending", [".kumu.xlsx", ".graphml", ".gexf"])
def test_kumu_graphml_and_gexf_downloads_import_back(export_page, app_database, ending) -> None:
    data = _served(export_page, ending)
    assert import_workbook(data, f"x{ending}").map == _shown_map(app_database)


def _page(view: str, map_id: int) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.switch_page(view)
    at.query_params["map"] = str(map_id)
    at.run()
    assert not at.exception
    return at


def test_pages_and_exports_share_one_kept_layout(app_database, monkeypatch) -> None:
    """A map saved without positions is laid out once: the layout is kept in the store (no
    version saved), the workbook carries it, and after an edit only the newcomer moves."""
    monkeypatch.setattr("streamlit.testing.v1.app_test.MediaFileManager", _KeptManager)
    store = Store(app_database)
    m = generated(7, 40)
    assert not m.positions
    map_id = store.create("Unplaced", m)
    _page("views/network.py", map_id)
    version, kept = store.kept_layout(map_id)
    assert version == 1 and set(kept) == set(m.names)
    assert store.latest_number(map_id) == 1  # viewing saved no version

    exported = import_workbook(_served(_page("views/export.py", map_id), ".xlsx"), "x.xlsx")
    assert exported.map.positions == kept

    tie = m.names[5]
    newcomer = Stakeholder("Newcomer", stance=1)
    edited = replace(
        m,
        stakeholders=(*m.stakeholders, newcomer),
        relationships=(*m.relationships, Relationship("Newcomer", tie, 3)),
    )
    store.save(map_id, edited, 1, "Added Newcomer")
    _page("views/network.py", map_id)
    version, after = store.kept_layout(map_id)
    assert version == 2
    assert {n: after[n] for n in m.names} == kept  # nobody else moved
    assert math.dist(after["Newcomer"], kept[tie]) < math.dist(*_bbox(kept))


def _bbox(points: dict[str, tuple[float, float]]) -> tuple[tuple[float, float], ...]:
    xs, ys = zip(*points.values(), strict=True)
    return (min(xs), min(ys)), (max(xs), max(ys))


def test_pictures_slides_and_the_plan_page_download(export_page, app_database) -> None:
    """The defaults: the first lens as PNG and SVG, slides of every view and the plan's steps,
    the plan on one page; each built only when its button is clicked."""
    stored = _shown_map(app_database)
    png = Image.open(io.BytesIO(_served(export_page, ".png")))
    assert png.size == (1600, 900)
    svg = drawn_texts(_served(export_page, ".svg"))
    assert not [n for n in stored.names if n not in svg]
    steps = plan(stored).steps
    slides = Presentation(io.BytesIO(_served(export_page, ".pptx"))).slides
    assert len(slides) == 1 + len(VIEWS) + len(steps)
    assert all(slide.notes_slide.notes_text_frame.text for slide in slides)
    pdf = _served(export_page, ".pdf")
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


def test_the_chosen_view_and_anonymising_reach_the_files(export_page, app_database) -> None:
    stored = _shown_map(app_database)
    export_page.selectbox(key="export-view").set_value(NETWORK)
    export_page.multiselect(key="export-views").set_value(["Power map"])
    export_page.selectbox(key="export-size").set_value((2400, 1350))
    export_page.toggle(key="export-anonymise").set_value(True).run()
    assert not export_page.exception
    png = Image.open(io.BytesIO(_served(export_page, "_network_anonymised.png")))
    assert png.size == (2400, 1350)
    svg = _served(export_page, "_network_anonymised.svg").decode()
    assert sorted(markers(svg)) == sorted(role_labels(stored).values())
    assert not [n for n in stored.names if n in svg]
    slides = Presentation(io.BytesIO(_served(export_page, "_anonymised.pptx"))).slides
    assert len(slides) == 2 + len(plan(stored).steps)
    text = " ".join(
        shape.text_frame.text for slide in slides for shape in slide.shapes if shape.has_text_frame
    )
    assert not [n for n in stored.names if n in text]
