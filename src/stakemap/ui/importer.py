"""The import panel: upload, check and correct the column mapping, then confirm."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from stakemap.importing import CUSTOM, IGNORE, ImportResult, UnreadableFile, import_workbook
from stakemap.schema import sheet_spec
from stakemap.ui.session import Current, get_store, save, select_map
from stakemap.values import SCALES

__all__ = ["import_panel"]

_OVERRIDES = "import-overrides"


def import_panel(cur: Current | None) -> None:
    upload = st.file_uploader(
        "Import a spreadsheet (.xlsx or .csv)",
        type=["xlsx", "csv"],
        key="upload",
        help="Sheets Stakeholders, Relationships and Proposal; a single sheet is read as "
        "Stakeholders. Headers may sit below title rows; any extra column is kept.",
    )
    if upload is None:
        return
    columns, scales = st.session_state.setdefault(_OVERRIDES, {}).setdefault(
        upload.file_id, ({}, {})
    )
    try:
        result = import_workbook(
            upload.getvalue(), upload.name, column_overrides=columns, scale_overrides=scales
        )
    except UnreadableFile as exc:
        st.error(f"{upload.name} cannot be imported: {exc}")
        return
    _mapping_editor(result, upload.file_id, columns, scales)
    with st.expander(f"Import report ({len(result.report)} notes)", expanded=False):
        st.markdown("\n".join(f"- {line}" for line in result.report) or "Nothing to report.")
    if result.problems:
        st.error(
            f"{len(result.problems)} problem(s) in {upload.name}; fix them in the file (or the "
            "column mapping above) and upload again. Nothing has been imported yet.\n\n"
            + "\n".join(f"- {p}" for p in result.problems[:200])
        )
        return
    st.success(f"Ready: {result.summary()}.")
    _confirm(result, upload.name, cur)


def _mapping_editor(result: ImportResult, file_id: str, columns: dict, scales: dict) -> None:
    with st.expander("Column mapping: check how each column was read", expanded=False):
        for mapping in result.mappings:
            spec = sheet_spec(mapping.role)
            targets = [c.name for c in spec.columns] + [CUSTOM, IGNORE]
            st.markdown(
                f"**{mapping.role}** (sheet {mapping.sheet}, header on row {mapping.header_row})"
            )
            grid = st.columns(4)
            for i, (header, target) in enumerate(mapping.columns.items()):
                choice = grid[i % 4].selectbox(
                    header,
                    targets,
                    index=targets.index(target),
                    key=f"map-{file_id}-{mapping.role}-{header}",
                )
                if choice != target:
                    columns.setdefault(mapping.role, {})[header] = choice
                    st.rerun()
            for column, scale in mapping.scales.items():
                stance = spec.column(column).kind == "stance"
                options = ["-2..+2", "1-5"] if stance else list(SCALES)
                choice = st.selectbox(
                    f"Scale of {column}",
                    options,
                    index=options.index(scale),
                    key=f"scale-{file_id}-{mapping.role}-{column}",
                )
                if choice != scale:
                    scales.setdefault(mapping.role, {})[column] = choice
                    st.rerun()


def _confirm(result: ImportResult, filename: str, cur: Current | None) -> None:
    left, right = st.columns(2)
    replace = cur is not None and left.button(
        f"Replace the data of {cur.name}", icon=":material/sync:"
    )
    if replace and save(result.map, f"Imported {filename}"):
        st.rerun()
    if right.button("Create a new map from this file", type="primary", icon=":material/add:"):
        store = get_store()
        select_map(
            store.create(store.unique_name(Path(filename).stem), result.map, f"Imported {filename}")
        )
        st.rerun()
