"""Data: import a spreadsheet, edit stakeholders, relationships and the proposal, see history."""

import streamlit as st

from stakemap.ui.editors import history_panel, people_editor, proposal_editor, ties_editor
from stakemap.ui.importer import import_panel
from stakemap.ui.session import current
from stakemap.ui.text import inert

cur = current()
st.title(f"Data · {inert(cur.name)}" if cur else "Data", anchor=False)  # no link of user text
with st.expander("Import a spreadsheet", expanded=cur is None or not cur.data.stakeholders):
    import_panel(cur)
if cur is None:
    st.info("Create or pick a map in the sidebar, or import a file above.")
    st.stop()

people, ties, proposal, history = st.tabs(
    [
        f"Stakeholders ({len(cur.data.stakeholders)})",
        f"Relationships ({len(cur.data.relationships)})",
        "Proposal",
        "History",
    ]
)
with people:
    st.caption(
        "Edits save at once. Add a row at the bottom; select rows and press Delete to "
        "remove them. Renaming a person updates their relationships."
    )
    people_editor(cur)
with ties:
    st.caption("From influences To. Negative strength: From's visible support pushes To away.")
    ties_editor(cur)
with proposal:
    proposal_editor(cur)
with history:
    history_panel(cur)
