"""Export page in Chromium: the workbook downloads and imports back to the map shown; a picture
and the slides download too."""

from __future__ import annotations

from dataclasses import replace

from PIL import Image
from pptx import Presentation

from stakemap.files.importing import import_workbook
from stakemap.samples.cases import new_programme
from tests.browser.helpers import open_page, projector_screenshot, screenshot


def test_download_workbook(page, app_server, tmp_path):
    page.set_viewport_size({"width": 1280, "height": 800})
    open_page(page, app_server, "export")
    screenshot(page, "export-1280x800")
    projector_screenshot(page, "export")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download .xlsx").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name.endswith("_v1.xlsx")
    got = import_workbook(path.read_bytes(), path.name).map
    # the sample as loaded, with the network layout laid out at the first start kept
    assert replace(got, positions={}) == new_programme()
    assert set(got.positions) == set(got.names)


def test_download_a_picture_and_the_slides(page, app_server, tmp_path):
    """In Chromium the deferred buttons hand over a 1600x900 PNG and a deck that opens."""
    page.set_viewport_size({"width": 1280, "height": 800})
    open_page(page, app_server, "export")
    files = {}
    for label in ("Picture (PNG)", "Slides (.pptx)"):
        with page.expect_download(timeout=120_000) as download:
            page.get_by_role("button", name=label).click()
        files[label] = tmp_path / download.value.suggested_filename
        download.value.save_as(files[label])
    assert Image.open(files["Picture (PNG)"]).size == (1600, 900)
    assert files["Slides (.pptx)"].name.endswith("_v1.pptx")
    slides = Presentation(str(files["Slides (.pptx)"])).slides
    assert slides[0].shapes[0].text_frame.text.startswith(new_programme().proposal.title)
