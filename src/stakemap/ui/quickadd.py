"""Quick add on the Data and Map pages: people and ties typed one a line, read back before
anything is saved (:func:`stakemap.files.quick.read_text`, docs/quick-add.md).

The text is typed in a form, so no keystroke reruns the page; "Read" shows how each line was
read and names what could not be; "Add to the map" saves every line read without a problem as
one version and leaves the lines with problems in the box to fix, so nothing typed is lost.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from stakemap.files.quick import QuickAdd, read_text
from stakemap.language import N_
from stakemap.language import gettext as _
from stakemap.ui.session import Current, save
from stakemap.ui.text import inert

__all__ = ["MAX_TEXT", "quick_add_panel", "readings"]

_EXAMPLE = N_(
    "Dana Whitfield, CEO, decides, power 5, neutral\n"
    "Marcus Lee, CFO, against, power 4, interest 5\n"
    "Marcus listens to Dana\n"
    "Jonas -> Sofia strong"
)
#: Longest text read at once (characters): a few hundred lines.
MAX_TEXT = 20_000


def quick_add_panel(cur: Current, key: str) -> None:
    """The quick-add box and, once read, each line's reading and the Add button. ``key``
    keeps two pages' panels apart."""
    box, read = f"{key}-text", f"{key}-read"
    with st.form(f"{key}-form", border=False):
        st.text_area(
            _("One person or one tie a line"),
            key=box,
            height=140,
            max_chars=MAX_TEXT,
            placeholder=_(_EXAMPLE),
            help=_(
                "Words for stance, decision role and job title in any order; numbers with their "
                "attribute (power 5). Ties: A -> B, A listens to B, A reports to B."
            ),
        )
        if st.form_submit_button(_("Read"), icon=":material/spellcheck:"):
            st.session_state[read] = st.session_state.get(box, "")
    text = st.session_state.get(read)
    if not text or text != st.session_state.get(box):
        return
    done = read_text(text, cur.data)
    st.dataframe(readings(done), hide_index=True, width="stretch")
    for problem in done.problems:
        st.error(inert(str(problem)))
    kept = [line.text for line in done.lines if line.problems or line.kind == "refused"]
    if not done.changes:
        st.caption(_("Nothing to add yet."))
        return
    st.button(
        _("Add to the map ({changes})").format(changes=done.changes),
        type="primary",
        key=f"{key}-add",
        on_click=_add,
        args=(done, "\n".join(kept), box, read),
    )


def _add(done: QuickAdd, kept: str, box: str, read: str) -> None:
    """Save what was read as one version; the lines still to fix stay in the box (a
    callback: the box's text may change only before the page draws it)."""
    if save(done.map, done.description):
        st.session_state[box] = kept
        st.session_state.pop(read, None)


def readings(done: QuickAdd) -> pd.DataFrame:
    """One row a line: its number, how it was read, and its notes or problems."""
    rows = [
        {
            "Line": line.number,
            "Read as": line.read_as() or line.text,
            "Kind": line.kind_shown(),
            "Notes": "; ".join([*(p.message for p in line.problems), *line.notes]),
        }
        for line in done.lines
    ]
    frame = pd.DataFrame(rows, columns=["Line", "Read as", "Kind", "Notes"])
    return frame.rename(
        columns={"Line": _("Line"), "Read as": _("Read as"), "Kind": _("Kind"), "Notes": _("Notes")}
    )
