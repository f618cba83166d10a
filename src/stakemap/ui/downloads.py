"""Export files of a map version, built once per version and cached."""

from __future__ import annotations

import streamlit as st

from stakemap.exporting import to_csv_zip, to_xlsx
from stakemap.netview import network_html
from stakemap.settings import database_url
from stakemap.ui.session import Current

__all__ = ["EXPORTS", "export_bytes"]

#: kind -> (button label, file ending, MIME type, what the file holds)
EXPORTS: dict[str, tuple[str, str, str, str]] = {
    "xlsx": ("Excel workbook", ".xlsx",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "Stakeholders, Relationships and Proposal (re-importable, with dropdowns), one "
             "sheet per lens, a labelled power/interest chart, network metrics, the coalition "
             "plan and an About sheet."),
    "zip": ("CSV files (zip)", ".zip", "application/zip",
            "One CSV per canonical sheet, UTF-8 with BOM; formula-like text is prefixed with '."),
    "html": ("Network (HTML)", ".html", "text/html",
             "The influence network as one self-contained page that opens offline."),
}  # fmt: skip


@st.cache_data(max_entries=12, show_spinner="Building the file…")
def _build(kind: str, database: str, map_id: int, version: int, _cur: Current) -> bytes:
    """Keyed on (kind, database, map, version): a version never changes, nor does its file."""
    if kind == "xlsx":
        return to_xlsx(_cur.data, name=_cur.name, version=version)
    if kind == "zip":
        return to_csv_zip(_cur.data)
    return network_html(_cur.data, None).encode("utf-8")


def export_bytes(kind: str, cur: Current) -> bytes:
    return _build(kind, database_url(), cur.map_id, cur.version, cur)
