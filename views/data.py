"""Data: import a spreadsheet, edit stakeholders, relationships and the proposal, see history."""

import streamlit as st

from stakemap.language import gettext as _
from stakemap.language import ngettext
from stakemap.ui.decision import decision_panel
from stakemap.ui.editors import history_panel, people_editor, proposal_editor, ties_editor
from stakemap.ui.grid import has_pending
from stakemap.ui.importer import import_panel
from stakemap.ui.quickadd import quick_add_panel
from stakemap.ui.session import current
from stakemap.ui.text import inert
from stakemap.ui.undo import undo_bar

cur = current()
title = _("Data · {map}").format(map=inert(cur.name)) if cur else _("Data")
st.title(title, anchor=False)  # no link of user text
with st.expander(_("Import a spreadsheet"), expanded=cur is None or not cur.data.stakeholders):
    import_panel(cur)
if cur is None:
    st.info(_("Create or pick a map in the sidebar, or import a file above."))
    st.stop()

undo_bar(cur)
with st.expander(_("Quick add: one person or tie a line"), expanded=not cur.data.stakeholders):
    quick_add_panel(cur, "data-quick")


def people_tab() -> None:
    """The Stakeholders tab: how the table saves, and the table."""
    n = len(cur.data.stakeholders)
    st.caption(
        ngettext(
            "{n} people. Edits are kept in the table until you press Save changes or click "
            "outside the table; then they save together as one version. Add a row at the bottom; "
            "select rows and press Delete to remove them. Renaming a person updates their "
            "relationships.",
            "{n} people. Edits are kept in the table until you press Save changes or click "
            "outside the table; then they save together as one version. Add a row at the bottom; "
            "select rows and press Delete to remove them. Renaming a person updates their "
            "relationships.",
            n,
        ).format(n=n)
    )
    people_editor(cur)


def ties_tab() -> None:
    """The Relationships tab: how ties read and save, the Add a tie form and the table."""
    n = len(cur.data.relationships)
    st.caption(
        ngettext(
            "{n} ties. Add one with the form; edits in the table are kept until you press Save "
            'changes or click outside it. The Reads as column says who sways whom: "A defers to '
            'B" and "A reports to B" mean B sways A. Negative strength: the first one\'s visible '
            "support pushes the other away.",
            "{n} ties. Add one with the form; edits in the table are kept until you press Save "
            'changes or click outside it. The Reads as column says who sways whom: "A defers to '
            'B" and "A reports to B" mean B sways A. Negative strength: the first one\'s visible '
            "support pushes the other away.",
            n,
        ).format(n=n)
    )
    ties_editor(cur)


def proposal_tab() -> None:
    """The Proposal tab: how it is decided, and the proposal."""
    st.subheader(_("How it is decided"), anchor=False)
    decision_panel(cur, "data-decision")
    st.subheader(_("The proposal"), anchor=False)
    proposal_editor(cur)


# Fixed labels and a key: a label carrying the count was a new tab set after every added or
# deleted row, and the page jumped back to the first tab. The people's tab is always drawn (the
# one a visit opens); the others only when open (at 2,000 people the ties' grid held 8,000
# rows), or, for the ties, while their grid holds edits not saved, lest they be lost.
people, ties, proposal, history = st.tabs(
    [_("Stakeholders"), _("Relationships"), _("Proposal"), _("History")],
    key="data-tab",
    on_change="rerun",
)
with people:
    people_tab()
if ties.open or has_pending("ties"):
    with ties:
        ties_tab()
if proposal.open:
    with proposal:
        proposal_tab()
if history.open:
    with history:
        history_panel(cur)
