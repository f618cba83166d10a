"""The import panel: upload, check and correct the column mapping, then confirm."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from stakemap.importing import CUSTOM, IGNORE, ImportResult, UnreadableFile, import_workbook
from stakemap.schema import sheet_spec
from stakemap.ui.session import Current, get_store, save, select_map
from stakemap.ui.text import inert
from stakemap.values import SCALES

__all__ = ["import_panel"]

_OVERRIDES = "import-overrides"
_DONE = "imports-done"  # part of the uploader's key: a finished import clears the uploader


def import_panel(cur: Current | None) -> None:
    upload = st.file_uploader(
        "Import a spreadsheet (.xlsx or .csv)",
        type=["xlsx", "csv"],
        key=f"upload-{st.session_state.get(_DONE, 0)}",
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
            upload.getvalue(),
            upload.name,
            column_overrides=columns,
            scale_overrides=scales,
            sandboxed=True,
        )
    except UnreadableFile as exc:
        st.error(f"{inert(upload.name)} cannot be imported: {inert(exc)}")
        return
    _mapping_editor(result, upload.file_id, columns, scales)
    with st.expander(f"Import report ({len(result.report)} notes)", expanded=False):
        st.markdown("\n".join(f"- {inert(line)}" for line in result.report) or "No notes.")
    if result.problems:
        st.error(
            f"{len(result.problems)} problem(s) in {inert(upload.name)}; fix them in the file "
            "(or the column mapping above) and upload again. Nothing has been imported yet.\n\n"
            + "\n".join(f"- {inert(p)}" for p in result.problems[:200])
        )
        return
    if not result.map.stakeholders:
        st.warning(f"{inert(upload.name)} has no stakeholder rows: nothing to import.")
        return
    st.success(f"Ready: {result.summary()}.")
    _confirm(result, upload.name, cur)


def _mapping_editor(result: ImportResult, file_id: str, columns: dict, scales: dict) -> None:
    with st.expander("Column mapping: check how each column was read", expanded=False):
        for mapping in result.mappings:
            spec = sheet_spec(mapping.role)
            targets = [c.name for c in spec.columns] + [CUSTOM, IGNORE]
            sheet, row = inert(mapping.sheet), mapping.header_row
            st.markdown(f"**{mapping.role}** (sheet {sheet}, header on row {row})")
            grid = st.columns(4)
            for i, (header, target) in enumerate(mapping.columns.items()):
                choice = grid[i % 4].selectbox(
                    inert(header),
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
        f"Replace the data of {inert(cur.name)}", icon=":material/sync:"
    )
    if replace and save(result.map, f"Imported {filename}"):
        _finished()
    if right.button("Create a new map from this file", type="primary", icon=":material/add:"):
        store = get_store()
        name = store.unique_name(Path(filename).stem)
        select_map(store.create(name, result.map, f"Imported {filename}"))
        st.toast(f"Created the map {inert(name)}")
        _finished()


def _finished() -> None:
    st.session_state[_DONE] = st.session_state.get(_DONE, 0) + 1
    st.rerun()
