"""The import panel: upload, check and correct the column mapping, then confirm.

A file with bad rows is not refused whole: the good rows can be imported (the bad ones listed
and kept with the map), or the bad cells corrected right here, so that nothing is retyped.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st

from stakemap.files.importing import import_workbook
from stakemap.files.outcome import (
    CUSTOM,
    IGNORE,
    SKIPPED_KEY,
    BadRow,
    ImportResult,
    column_name,
    role_name,
)
from stakemap.files.sheets import UnreadableFile
from stakemap.language import gettext as _
from stakemap.language import ngettext
from stakemap.model import StakeholderMap
from stakemap.schema import LAYOUT, sheet_spec
from stakemap.ui.session import Current, get_store, save, select_map
from stakemap.ui.text import inert
from stakemap.values import SCALES

__all__ = ["import_panel"]

_OVERRIDES = "import-overrides"
_FIXES = "import-fixes"  # file id -> {(sheet, row, column index): corrected text}
_DONE = "imports-done"  # part of the uploader's key: a finished import clears the uploader
_PROBLEMS = "Problems"


def import_panel(cur: Current | None) -> None:
    upload = st.file_uploader(
        _("Import a spreadsheet or network file (.xlsx, .xls, .ods, .csv, .zip, .graphml, .gexf)"),
        type=["xlsx", "xlsm", "xls", "ods", "csv", "tsv", "txt", "zip", "graphml", "gexf"],
        key=f"upload-{st.session_state.get(_DONE, 0)}",
        help=_(
            "Sheets Stakeholders, Relationships and Proposal (or a Kumu workbook's Elements "
            "and Connections), from Excel or LibreOffice, or Stakemap's zip of CSV files; a "
            "single sheet is read as Stakeholders, or as Relationships when its header has From "
            "and To. Headers may sit below title rows; any extra column is kept. GraphML and "
            "GEXF from Gephi and other tools."
        ),
    )
    if upload is None:
        return
    columns, scales = st.session_state.setdefault(_OVERRIDES, {}).setdefault(
        upload.file_id, ({}, {})
    )
    fixes = st.session_state.setdefault(_FIXES, {}).setdefault(upload.file_id, {})
    try:
        result = import_workbook(
            upload.getvalue(),
            upload.name,
            column_overrides=columns,
            scale_overrides=scales,
            sandboxed=True,
            cell_fixes=fixes,
        )
    except UnreadableFile as exc:
        st.error(
            _("{file} cannot be imported: {reason}").format(
                file=inert(upload.name), reason=inert(exc)
            )
        )
        return
    _mapping_editor(result, upload.file_id, columns, scales)
    notes = len(result.report)
    title = ngettext("Import report ({n} notes)", "Import report ({n} notes)", notes)
    with st.expander(title.format(n=notes), expanded=False):
        st.markdown("\n".join(f"- {inert(line)}" for line in result.report) or _("No notes."))
    if result.problems:
        _problems(result, upload.name, upload.file_id, fixes, cur)
        return
    if not result.map.stakeholders:
        st.warning(
            _("{file} has no stakeholder rows: nothing to import.").format(file=inert(upload.name))
        )
        return
    st.success(result.banner())  # counts only, no user text
    for line in result.defaults:
        st.warning(inert(line), icon=":material/warning:")
    _confirm(result.map, upload.name, cur, _("Imported {file}").format(file=upload.name))


def _problems(
    result: ImportResult, filename: str, file_id: str, fixes: dict, cur: Current | None
) -> None:
    """The problems; for a file with some bad rows, the two ways to go on without retyping."""
    n = len(result.problems)
    if result.partial is None:
        head = ngettext(
            "{n} problem(s) in {file}; fix them in the file (or the column mapping above) and "
            "upload again. Nothing has been imported yet.",
            "{n} problem(s) in {file}; fix them in the file (or the column mapping above) and "
            "upload again. Nothing has been imported yet.",
            n,
        )
    else:
        head = ngettext(
            "{n} problem(s) in {file}; import the good rows below, or correct the cells in the "
            "table.",
            "{n} problem(s) in {file}; import the good rows below, or correct the cells in the "
            "table.",
            n,
        )
    st.error(
        head.format(n=n, file=inert(filename))
        + "\n\n"
        + "\n".join(f"- {inert(p)}" for p in result.problems[:200])
    )
    if result.partial is None:
        return
    st.warning(result.banner())  # counts only, no user text
    for line in result.defaults:
        st.warning(inert(line), icon=":material/warning:")
    fix, keep = st.tabs([_("Correct the cells"), _("Import the good rows")])
    with fix:
        st.caption(
            _(
                "Type the corrections into the table: each row is checked again at once, and a "
                "row that passes leaves the table. The file itself is not changed."
            )
        )
        _fix_editor(result.bad_rows, file_id, fixes)
    with keep:
        good = result.good_rows()
        left_out = len(result.bad_rows) + len(result.left_out)
        st.caption(
            ngettext(
                '{n} row(s) are left out and kept with the map: in the proposal under "{key}" '
                "(the Proposal sheet of an exported workbook), and in the file below.",
                '{n} row(s) are left out and kept with the map: in the proposal under "{key}" '
                "(the Proposal sheet of an exported workbook), and in the file below.",
                left_out,
            ).format(n=left_out, key=SKIPPED_KEY)
        )
        st.download_button(
            _("Download the rows left out (.txt)"),
            result.skipped_text().encode("utf-8"),
            file_name=f"{Path(filename).stem}_rows_left_out.txt",
            mime="text/plain",
            on_click="ignore",
            icon=":material/download:",
        )
        _confirm(
            good,
            filename,
            cur,
            _(
                "Imported {file}: the good rows ({n} left out, listed in the proposal under "
                '"{key}")'
            ).format(file=filename, n=left_out, key=SKIPPED_KEY),
            good_rows=True,
        )


def _fix_editor(bad_rows: list[BadRow], file_id: str, fixes: dict) -> None:
    """One editor per sheet over its bad rows; an edit becomes a cell fix and a re-check."""
    revision = st.session_state.get(f"fix-rev-{file_id}", 0)
    for sheet in dict.fromkeys(b.sheet for b in bad_rows):
        rows = [b for b in bad_rows if b.sheet == sheet]
        headers = list(dict.fromkeys(h for b in rows for _, h, _ in b.cells))
        frame = pd.DataFrame(
            [
                {_PROBLEMS: "; ".join(f"{column_name(p.column)}: {p.message}" for p in b.problems)}
                | {h: t for _, h, t in b.cells}
                for b in rows
            ],
            index=[_("row {row}").format(row=b.row) for b in rows],
            columns=[_PROBLEMS, *headers],
        ).astype(str)
        key = f"fix-{file_id}-{sheet}-{revision}"
        st.caption(_("Sheet {sheet}").format(sheet=inert(sheet)))
        st.data_editor(
            frame,
            key=key,
            column_config={_PROBLEMS: st.column_config.TextColumn(_("Problems"))},
            disabled=[_PROBLEMS],
            num_rows="fixed",
            width="stretch",
            on_change=_fixed(key, rows, file_id, fixes),
        )


def _fixed(key: str, rows: list[BadRow], file_id: str, fixes: dict) -> Callable[[], None]:
    """The editor's on_change: its edited cells as fixes (sheet, row, column index) -> text."""

    def store() -> None:
        for position, cells in st.session_state[key].get("edited_rows", {}).items():
            bad = rows[int(position)]
            index = {h: i for i, h, _ in bad.cells}
            for header, value in cells.items():
                if header in index:
                    text = "" if value is None else str(value)
                    fixes[(bad.sheet, bad.row, index[header])] = text
        name = f"fix-rev-{file_id}"
        st.session_state[name] = st.session_state.get(name, 0) + 1

    return store


def _mapping_editor(result: ImportResult, file_id: str, columns: dict, scales: dict) -> None:
    with st.expander(
        _("Column mapping: check how each column was read"), expanded=bool(result.defaults)
    ):
        for mapping in result.mappings:
            spec = LAYOUT if mapping.role == LAYOUT.name else sheet_spec(mapping.role)
            targets = [c.name for c in spec.columns] + [CUSTOM, IGNORE]
            # each target as shown, said now: a format_func runs again outside this run
            shown = {t: column_name(t) for t in targets} | {c: _(c) for c in (CUSTOM, IGNORE)}
            sheet, row = inert(mapping.sheet), mapping.header_row
            st.markdown(
                _("**{role}** (sheet {sheet}, header on row {row})").format(
                    role=role_name(mapping.role), sheet=sheet, row=row
                )
            )
            grid = st.columns(4)
            for i, (header, target) in enumerate(mapping.columns.items()):
                choice = grid[i % 4].selectbox(
                    inert(header),
                    targets,
                    index=targets.index(target),
                    format_func=shown.__getitem__,
                    key=f"map-{file_id}-{mapping.role}-{header}",
                )
                if choice != target:
                    columns.setdefault(mapping.role, {})[header] = choice
                    st.rerun()
            for column, scale in mapping.scales.items():
                stance = spec.column(column).kind == "stance"
                options = ["-2..+2", "1-5"] if stance else list(SCALES)
                choice = st.selectbox(
                    _("Scale of {column}").format(column=column_name(column)),
                    options,
                    index=options.index(scale),
                    key=f"scale-{file_id}-{mapping.role}-{column}",
                )
                if choice != scale:
                    scales.setdefault(mapping.role, {})[column] = choice
                    st.rerun()


def _confirm(
    m: StakeholderMap, filename: str, cur: Current | None, message: str, good_rows: bool = False
) -> None:
    left, right = st.columns(2)
    if cur is None:
        replace = False
    elif good_rows:
        label = _("Replace the data of {map} with the good rows").format(map=inert(cur.name))
        replace = left.button(label, icon=":material/sync:")
    else:
        label = _("Replace the data of {map}").format(map=inert(cur.name))
        replace = left.button(label, icon=":material/sync:")
    if replace and save(m, message[:500]):
        _finished()
    create = (
        _("Create a new map from the good rows")
        if good_rows
        else _("Create a new map from this file")
    )
    if right.button(create, type="primary", icon=":material/add:"):
        store = get_store()
        name = store.unique_name(Path(filename).stem)
        select_map(store.create(name, m, message[:500]))
        st.toast(_("Created the map {name}").format(name=inert(name)))
        _finished()


def _finished() -> None:
    st.session_state[_DONE] = st.session_state.get(_DONE, 0) + 1
    st.rerun()
