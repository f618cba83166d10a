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

from stakemap.files.outcome import column_name
from stakemap.files.table import (
    STANCE_OPTIONS,
    apply_people_edits,
    apply_tie_edits,
    people_rows,
    shown_word,
    tie_rows,
    tie_sentence,
)
from stakemap.language import gettext as _
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
    """The column's editor, its label and help in the language in force (the frame's column
    stays the canonical name: the edits come back under it)."""
    cc = st.column_config
    label, helped = column_name(col.name), _(col.help) if col.help else None
    if col.kind == "scale":
        return cc.NumberColumn(label, help=helped, min_value=1, max_value=5, step=0.01, format="%g")
    if col.kind == "votes":
        return cc.NumberColumn(label, help=helped, min_value=0, format="%g")
    if col.field in ("stance", "target_stance", "decision_role"):
        options = {
            "stance": STANCE_OPTIONS,
            "target_stance": STANCE_OPTIONS[:-1],
            "decision_role": list(DECISION_ROLES),
        }[col.field]
        return cc.SelectboxColumn(label, help=helped, options=options, format_func=shown_word)
    return cc.TextColumn(label, help=helped, required=col.required)


def people_editor(cur: Current) -> None:
    """The Stakeholders table: rows can be added and deleted."""
    columns = [c.name for c in STAKEHOLDER_COLUMNS] + list(cur.data.custom_columns)
    frame = pd.DataFrame(people_rows(cur.data), columns=columns)
    config = {c.name: _column_config(c) for c in STAKEHOLDER_COLUMNS}
    config.update(
        {
            c: st.column_config.TextColumn(c, help=_("Custom attribute"))
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
            _("Reads as"),
            disabled=True,
            width="large",
            help=_("The tie in words: who sways whom"),
        ),
        "From": cc.SelectboxColumn(
            _("From"),
            options=names,
            required=True,
            help=_("The person whose view or support moves To"),
        ),
        "To": cc.SelectboxColumn(_("To"), options=names, required=True),
        "Strength": cc.NumberColumn(
            _("Strength"),
            min_value=-5,
            max_value=5,
            step=1,
            format="%g",
            help=_("-5..5; negative: From's visible support pushes To away"),
        ),
        "Kind": cc.SelectboxColumn(
            _("Kind"),
            options=list(RELATIONSHIP_KINDS),
            format_func=shown_word,
            help=_('"A defers to B" means B influences A'),
        ),
        "Notes": cc.TextColumn(_("Notes")),
    }
    edit_grid("ties", frame, config, apply_tie_edits, cur, "delete")


def proposal_editor(cur: Current) -> None:
    """The proposal's title and parts (how it is decided is :mod:`stakemap.ui.decision`)."""
    p = cur.data.proposal
    with st.form(f"proposal-{revision()}", border=False):
        title = st.text_input(_("Title"), value=p.title, max_chars=300)
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
                "Part": st.column_config.TextColumn(_("Part")),
                "Goal tags": st.column_config.TextColumn(
                    _("Goal tags"), help=_("Comma-separated; matched against people's goals")
                ),
            },
        )
        if st.form_submit_button(_("Save proposal"), type="primary"):
            new = replace(
                p,
                title=cell_text(title),
                parts=tuple(
                    ProposalPart(cell_text(r["Part"]), parse_tags(r["Goal tags"] or ""))
                    for r in parts.to_dict("records")
                    if cell_text(r["Part"])
                ),
            )
            if new != p and save(replace(cur.data, proposal=new), _("Edited the proposal")):
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
        column_config={
            "Version": st.column_config.NumberColumn(_("Version")),
            "Saved (UTC)": st.column_config.TextColumn(_("Saved (UTC)")),
            "Change": st.column_config.TextColumn(_("Change")),
        },
        hide_index=True,
        width="stretch",
        height=min(400, 38 + 35 * len(versions)),
    )
    older = [v.number for v in versions if v.number != cur.version]
    if not older:
        return
    about = {
        v.number: _("Version {n} · {saved} UTC · {change}").format(
            n=v.number, saved=f"{v.created_at:%Y-%m-%d %H:%M}", change=v.description
        )
        for v in versions
    }
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    number = left.selectbox(
        _("Restore version"), older, format_func=about.__getitem__, key=f"restore-pick-{revision()}"
    )
    if right.button(_("Restore"), icon=":material/undo:", key="restore"):
        try:
            store.restore(cur.map_id, number, cur.version)
        except StaleVersion as stale:
            st.error(_("{reason} Reload to see it before restoring.").format(reason=inert(stale)))
            return
        select_map(cur.map_id)
        st.rerun()
