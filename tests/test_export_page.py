"""Export page (AppTest): each download button yields its file, built from the current version."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from stakemap.importing import import_workbook
from stakemap.model import StakeholderMap
from stakemap.samples import new_programme
from stakemap.store import Store

APP = Path(__file__).resolve().parents[1] / "app.py"


class _KeptStorage(MemoryMediaFileStorage):
    """AppTest's in-memory media storage, kept so that a test can read what was served."""

    last: MemoryMediaFileStorage | None = None

    def __init__(self, endpoint: str) -> None:
        super().__init__(endpoint)
        _KeptStorage.last = self


@pytest.fixture
def export_page(app_database: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setattr("streamlit.testing.v1.app_test.MemoryMediaFileStorage", _KeptStorage)
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.switch_page("views/export.py")
    at.run()
    assert not at.exception
    return at


def _served(at: AppTest, ending: str) -> bytes:
    """The first download whose file name ends with ``ending`` (.xlsx: the workbook)."""
    for button in at.get("download_button"):
        file_id = button.proto.url.rsplit("/", 1)[-1].split(".")[0]
        served = _KeptStorage.last.get_file(file_id)
        if served.filename.endswith(ending):
            return served.content
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
            "Proposal.csv", "Relationships.csv", "Stakeholders.csv"]  # fmt: skip
    html = _served(export_page, ".html").decode()
    assert "Maya Lin" in html and "http://" not in html and "https://" not in html


def test_file_names_carry_map_and_version(export_page) -> None:
    names = []
    for button in export_page.get("download_button"):
        file_id = button.proto.url.rsplit("/", 1)[-1].split(".")[0]
        names.append(_KeptStorage.last.get_file(file_id).filename)
    stem = "New_programme_coalition_from_a_junior_position_v1"
    assert names == [
        f"{stem}.xlsx", f"{stem}.zip", f"{stem}.html", f"{stem}.kumu.xlsx", f"{stem}.graphml",
        f"{stem}.gexf",
    ]  # fmt: skip


@pytest.mark.parametrize("ending", [".kumu.xlsx", ".graphml", ".gexf"])
def test_kumu_graphml_and_gexf_downloads_import_back(export_page, app_database, ending) -> None:
    data = _served(export_page, ending)
    assert import_workbook(data, f"x{ending}").map == _shown_map(app_database)
