"""Add a tie on the Data page: From and To picked by typing part of a name, then one save.

A tie is made only when both ends are chosen: the pickers start empty (no first person is
chosen for the user) and filter the names as they are typed; Enter takes the first match. A
blank end, one person at both ends or a tie already on the map is refused with the reason,
and the choices stay in the form to correct.
"""

from __future__ import annotations

import streamlit as st

from stakemap.files.table import add_tie, shown_word
from stakemap.language import gettext as _
from stakemap.model import RELATIONSHIP_KINDS
from stakemap.ui.session import Current, revision, save
from stakemap.ui.text import inert

__all__ = ["add_tie_form"]

_FROM, _TO, _STRENGTH, _KIND = "tie-from", "tie-to", "tie-strength", "tie-kind"
_REFUSED = "tie-refused"


def add_tie_form(cur: Current) -> None:
    """The Add a tie form: From, To, Kind, Strength and its submit button."""
    names = cur.data.names
    kinds = {kind: shown_word(kind) for kind in RELATIONSHIP_KINDS}  # said in this run's language
    with st.form("add-tie", border=True, enter_to_submit=False):
        st.markdown(_("**Add a tie**"))
        source, target, kind, strength = st.columns([3, 3, 2, 2])
        source.selectbox(
            _("From"), names, index=None, key=_FROM, placeholder=_("Type a name"),
            help=_("The person whose view or support moves To"),
        )  # fmt: skip
        target.selectbox(_("To"), names, index=None, key=_TO, placeholder=_("Type a name"))
        kind.selectbox(
            _("Kind"), list(RELATIONSHIP_KINDS), key=_KIND, format_func=kinds.__getitem__,
            help=_('"A defers to B" means B influences A'),
        )  # fmt: skip
        strength.number_input(
            _("Strength"), min_value=-5, max_value=5, step=1, value=None, key=_STRENGTH,
            placeholder=_("3 (rival: -3)"),
            help=_("-5..5; negative: From's visible support pushes To away"),
        )  # fmt: skip
        st.form_submit_button(
            _("Add the tie"), icon=":material/add_link:", on_click=_add, args=(cur, revision())
        )
    refused = st.session_state.pop(_REFUSED, None)
    if refused:
        st.error(_("Not added: {reason}").format(reason=inert(refused)))


def _add(cur: Current, drawn: str) -> None:
    """Submit callback: save the tie as one version, then empty the pickers; or keep them and
    say why not. ``drawn`` is the revision the form was drawn from."""
    state = st.session_state
    if drawn != revision():  # another callback of this run saved or picked a map
        state[_REFUSED] = _("the map changed on this page while the tie was sent; add it again")
        return
    ends = {"From": state.get(_FROM), "To": state.get(_TO)}
    edit = add_tie(cur.data, {**ends, "Kind": state.get(_KIND), "Strength": state.get(_STRENGTH)})
    if edit.problems:
        state[_REFUSED] = "; ".join(edit.problems)
    elif save(edit.map, edit.description):
        state[_FROM] = state[_TO] = state[_STRENGTH] = None
