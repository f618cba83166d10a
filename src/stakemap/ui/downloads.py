"""Export files of a map version, built when first downloaded and kept per version.

Every file draws the network where the pages do (:func:`stakemap.ui.session.placed`), so a
workbook re-imported keeps the picture, and the workbook's metrics sheet is the Network page's
table (:func:`stakemap.ui.session.measures`) and its plan the Plan page's at the proposal's pass
share (:func:`stakemap.ui.session.planned`): each is computed once per version.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from stakemap.files.csvfiles import to_csv_zip
from stakemap.files.exporting import to_xlsx
from stakemap.files.graphfiles import to_gexf, to_graphml
from stakemap.files.kumu import to_kumu_xlsx
from stakemap.network.drawing import network_html
from stakemap.ui.session import Current, measures, per_version, placed, planned

__all__ = ["EXPORTS", "download_button", "export_bytes"]

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
    "kumu": ("Kumu workbook", ".kumu.xlsx",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "Sheets Elements and Connections for Kumu (kumu.io): Type is the group, Tags the "
             "goals, Direction mutual for allies and rivals; re-importable here, layout "
             "included."),
    "graphml": ("GraphML", ".graphml", "application/graphml+xml",
                "For Gephi, Cytoscape, yEd and networkx: people with every column as an "
                "attribute, ties with strength, sign and kind, positions as x/y; "
                "re-importable."),
    "gexf": ("GEXF", ".gexf", "application/gexf+xml",
             "Gephi's own format: the same attributes, positions as viz:position; "
             "re-importable."),
}  # fmt: skip


_BUILDERS: dict[str, Callable[[Current], bytes]] = {
    "xlsx": lambda cur: to_xlsx(
        placed(cur),
        name=cur.name,
        version=cur.version,
        measures=measures(cur),
        planned=planned(cur),
    ),
    "zip": lambda cur: to_csv_zip(cur.data),
    "html": lambda cur: network_html(placed(cur), None).encode("utf-8"),
    "kumu": lambda cur: to_kumu_xlsx(placed(cur)),
    "graphml": lambda cur: to_graphml(placed(cur)),
    "gexf": lambda cur: to_gexf(placed(cur)),
}


def export_bytes(kind: str, cur: Current) -> bytes:
    """The ``kind`` file of this version, built once per version."""
    return per_version(f"export-{kind}", cur, _BUILDERS[kind])


def download_button(kind: str, cur: Current, stem: str) -> None:
    """A button that builds the ``kind`` file, ``stem`` plus its ending, when clicked
    (Streamlit's deferred download), so the Export page opens at once whatever the map's size."""
    _, ending, mime, _ = EXPORTS[kind]
    st.download_button(
        f"Download {ending}",
        lambda: export_bytes(kind, cur),
        file_name=f"{stem}{ending}",
        mime=mime,
        key=f"download-{kind}",
        icon=":material/download:",
        on_click="ignore",
        width="stretch",
    )
