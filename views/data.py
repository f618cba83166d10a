"""Data: import a spreadsheet, edit stakeholders, relationships and the proposal, see history."""

import streamlit as st

from stakemap.ui.decision import decision_panel
from stakemap.ui.editors import history_panel, people_editor, proposal_editor, ties_editor
from stakemap.ui.importer import import_panel
from stakemap.ui.quickadd import quick_add_panel
from stakemap.ui.session import current
from stakemap.ui.text import inert
from stakemap.ui.undo import undo_bar

cur = current()
st.title(f"Data · {inert(cur.name)}" if cur else "Data", anchor=False)  # no link of user text
with st.expander("Import a spreadsheet", expanded=cur is None or not cur.data.stakeholders):
    import_panel(cur)
if cur is None:
    st.info("Create or pick a map in the sidebar, or import a file above.")
    st.stop()

undo_bar(cur)
with st.expander("Quick add: one person or tie a line", expanded=not cur.data.stakeholders):
    quick_add_panel(cur, "data-quick")
# Fixed labels and a key: a label carrying the count was a new tab set after every added or
# deleted row, and the page jumped back to the first tab.
people, ties, proposal, history = st.tabs(
    ["Stakeholders", "Relationships", "Proposal", "History"], key="data-tab", on_change="rerun"
)
with people:
    st.caption(
        f"{len(cur.data.stakeholders)} people. Edits are kept in the table until you press "
        "Save changes or click outside the table; then they save together as one version. "
        "Add a row at the bottom; select rows and press Delete to remove them. Renaming a "
        "person updates their relationships."
    )
    people_editor(cur)
with ties:
    st.caption(
        f"{len(cur.data.relationships)} ties. Add one with the form; edits in the table are "
        "kept until you press Save changes or click outside it. The Reads as column says who "
        'sways whom: "A defers to B" and "A reports to B" mean B sways A. Negative strength: '
        "the first one's visible support pushes the other away."
    )
    ties_editor(cur)
with proposal:
    st.subheader("How it is decided", anchor=False)
    decision_panel(cur, "data-decision")
    st.subheader("The proposal", anchor=False)
    proposal_editor(cur)
with history:
    history_panel(cur)
