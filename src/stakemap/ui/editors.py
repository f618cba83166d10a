"""Editors of the Data page: stakeholders, relationships, proposal, history.

The Stakeholders and Relationships tables are edited in a form (:mod:`stakemap.ui.grid`):
edits stay in the grid until saved, and each save applies the editor's change set from
``st.session_state`` to the stored map as one version (streamlit issues 7354 and 7749: feeding
an editor's return value back as its input loses every second edit). Ties are added with
:mod:`stakemap.ui.tieform`, never from a blank row of the table.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from stakemap.files.table import (
    STANCE_OPTIONS,
    apply_people_edits,
    apply_tie_edits,
    people_rows,
    tie_rows,
    tie_sentence,
)
from stakemap.model import DECISION_ROLES, RELATIONSHIP_KINDS, ProposalPart
from stakemap.schema import STAKEHOLDER_COLUMNS, Column
from stakemap.store.maps import StaleVersion
from stakemap.ui.grid import edit_grid
from stakemap.ui.session import Current, get_store, revision, save, select_map
from stakemap.ui.text import inert
from stakemap.ui.tieform import add_tie_form
from stakemap.values import cell_text, parse_tags

__all__ = ["history_panel", "people_editor", "proposal_editor", "ties_editor"]


def _column_config(col: Column) -> object:
    cc = st.column_config
    if col.kind == "scale":
        return cc.NumberColumn(
            col.name, help=col.help, min_value=1, max_value=5, step=0.01, format="%g"
        )
    if col.kind == "votes":
        return cc.NumberColumn(col.name, help=col.help, min_value=0, format="%g")
    if col.field == "stance":
        return cc.SelectboxColumn(col.name, help=col.help, options=STANCE_OPTIONS)
    if col.field == "target_stance":
        return cc.SelectboxColumn(col.name, help=col.help, options=STANCE_OPTIONS[:-1])
    if col.field == "decision_role":
        return cc.SelectboxColumn(col.name, help=col.help, options=list(DECISION_ROLES))
    return cc.TextColumn(col.name, help=col.help or None, required=col.required)


def people_editor(cur: Current) -> None:
    """The Stakeholders table: rows can be added and deleted."""
    columns = [c.name for c in STAKEHOLDER_COLUMNS] + list(cur.data.custom_columns)
    frame = pd.DataFrame(people_rows(cur.data), columns=columns)
    config = {c.name: _column_config(c) for c in STAKEHOLDER_COLUMNS}
    config.update(
        {
            c: st.column_config.TextColumn(c, help="Custom attribute")
            for c in cur.data.custom_columns
        }
    )
    edit_grid("people", frame, config, apply_people_edits, cur, "dynamic")


def ties_editor(cur: Current) -> None:
    """The Add a tie form over the Relationships table, whose rows can be changed and deleted
    but not added: a blank row made a tie from the first person nobody chose."""
    add_tie_form(cur)
    names = cur.data.names
    columns = ["From", "To", "Strength", "Kind", "Notes", "Reads as"]
    rows = [
        {**row, "Reads as": tie_sentence(t)}
        for row, t in zip(tie_rows(cur.data), cur.data.relationships, strict=True)
    ]
    frame = pd.DataFrame(rows, columns=columns)
    cc = st.column_config
    config = {
        "Reads as": cc.TextColumn(
            "Reads as", disabled=True, width="large", help="The tie in words: who sways whom"
        ),
        "From": cc.SelectboxColumn(
            "From", options=names, required=True, help="The person whose view or support moves To"
        ),
        "To": cc.SelectboxColumn("To", options=names, required=True),
        "Strength": cc.NumberColumn(
            "Strength",
            min_value=-5,
            max_value=5,
            step=1,
            format="%g",
            help="-5..5; negative: From's visible support pushes To away",
        ),
        "Kind": cc.SelectboxColumn(
            "Kind", options=list(RELATIONSHIP_KINDS), help='"A defers to B" means B influences A'
        ),
        "Notes": cc.TextColumn("Notes"),
    }
    edit_grid("ties", frame, config, apply_tie_edits, cur, "delete")


def proposal_editor(cur: Current) -> None:
    """The proposal's title and parts (how it is decided is :mod:`stakemap.ui.decision`)."""
    p = cur.data.proposal
    with st.form(f"proposal-{revision()}", border=False):
        title = st.text_input("Title", value=p.title, max_chars=300)
        parts = st.data_editor(
            pd.DataFrame(
                [{"Part": x.name, "Goal tags": ", ".join(x.tags)} for x in p.parts],
                columns=["Part", "Goal tags"],
            ),
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            placeholder="",
            column_config={
                "Goal tags": st.column_config.TextColumn(
                    help="Comma-separated; matched against people's goals"
                )
            },
        )
        if st.form_submit_button("Save proposal", type="primary"):
            new = replace(
                p,
                title=cell_text(title),
                parts=tuple(
                    ProposalPart(cell_text(r["Part"]), parse_tags(r["Goal tags"] or ""))
                    for r in parts.to_dict("records")
                    if cell_text(r["Part"])
                ),
            )
            if new != p and save(replace(cur.data, proposal=new), "Edited the proposal"):
                st.rerun()


def history_panel(cur: Current) -> None:
    store = get_store()
    versions = store.history(cur.map_id)
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Version": v.number,
                    "Saved (UTC)": f"{v.created_at:%Y-%m-%d %H:%M:%S}",
                    "Change": v.description,
                }
                for v in versions
            ]
        ),
        hide_index=True,
        width="stretch",
        height=min(400, 38 + 35 * len(versions)),
    )
    older = [v.number for v in versions if v.number != cur.version]
    if not older:
        return
    about = {
        v.number: f"Version {v.number} · {v.created_at:%Y-%m-%d %H:%M} UTC · {v.description}"
        for v in versions
    }
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    number = left.selectbox(
        "Restore version", older, format_func=about.__getitem__, key=f"restore-pick-{revision()}"
    )
    if right.button("Restore", icon=":material/undo:", key="restore"):
        try:
            store.restore(cur.map_id, number, cur.version)
        except StaleVersion as stale:
            st.error(f"{inert(stale)} Reload to see it before restoring.")
            return
        select_map(cur.map_id)
        st.rerun()
