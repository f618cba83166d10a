"""Export files of a map version, built once per version and cached."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from stakemap.exporting import to_csv_zip, to_xlsx
from stakemap.netview import network_html
from stakemap.ui.session import Current, per_version

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


_BUILDERS: dict[str, Callable[[Current], bytes]] = {
    "xlsx": lambda cur: to_xlsx(cur.data, name=cur.name, version=cur.version),
    "zip": lambda cur: to_csv_zip(cur.data),
    "html": lambda cur: network_html(cur.data, None).encode("utf-8"),
}


def export_bytes(kind: str, cur: Current) -> bytes:
    """The ``kind`` file of this version, built once per version."""
    with st.spinner("Building the file…"):
        return per_version(f"export-{kind}", cur, _BUILDERS[kind])
