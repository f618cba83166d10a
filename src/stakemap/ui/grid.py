"""The Data page's tables, edited in a form: every keystroke stays in the grid until it is saved.

Outside a form, ``st.data_editor`` reruns the page on each committed cell, and an editor whose
key carries the saved version (docs/pitfalls.md) is rebuilt after each save, which takes the
focus: type a Role, Tab, a Group, Tab, a Power, and only the Role was saved. Inside
``st.form`` the browser keeps every edit until the form is sent, by "Save changes" or by the
focus leaving the grid (:mod:`stakemap.ui.leaving`); the pending edits then save as one
version. A save with a refused cell saves nothing: the message names each row, column and
value, and the grid keeps everything typed, to correct and save again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Literal

import pandas as pd
import streamlit as st

from stakemap.files.table import Edit
from stakemap.language import N_
from stakemap.language import gettext as _
from stakemap.model import StakeholderMap
from stakemap.ui.leaving import save_when_left
from stakemap.ui.session import Current, revision, save
from stakemap.ui.text import inert

__all__ = ["edit_grid", "has_pending"]

_SAVE = N_("Save changes")  # the label of each grid's submit button
_MOVED = N_(
    "Not saved: the map changed on this page (another table was saved, or another map picked) "
    "while these edits were sent; nothing was overwritten. Please type them again."
)
#: Applies a change set (edited rows, added rows, deleted rows) to a map.
_Apply = Callable[
    [StakeholderMap, Mapping[int, Mapping[str, object]], Sequence[Mapping[str, object]],
     Sequence[int]],
    Edit,
]  # fmt: skip


def edit_grid(
    name: str,
    frame: pd.DataFrame,
    config: dict[str, object],
    apply: _Apply,
    cur: Current,
    rows: Literal["dynamic", "delete"],
) -> None:
    """``frame`` in an editor inside a form; "Save changes" applies every pending edit.

    The editor's key carries the version shown: a save rebuilds the grid from the store, and a
    refused save, which saves nothing, leaves the typed values in it. In a form the editor's
    ``on_change="ignore"`` reruns nothing (the form holds the edits either way), but makes the
    browser record a committed cell at once instead of 150 ms later, so a click on Save right
    after typing sends the cell typed last too.
    """
    _show_refusal(name)
    key = _key(name)
    with st.form(f"{key}-form", border=False, enter_to_submit=False):
        st.data_editor(
            frame,
            key=key,
            column_config=config,
            num_rows=rows,
            hide_index=True,
            width="stretch",
            placeholder="",  # empty cells stay empty: the default showed "None"
            on_change="ignore",
        )
        st.form_submit_button(
            _(_SAVE),
            type="primary",
            icon=":material/save:",
            key=f"{name}-save",
            on_click=_commit,
            args=(name, key, apply, cur),
        )
    save_when_left(key, f"{name}-save")


def has_pending(name: str) -> bool:
    """Whether the ``name`` grid of the version shown holds edits not saved (a refused save
    keeps them in the grid): a page draws such a grid even in a tab not shown, or they would
    be lost with it."""
    changes = st.session_state.get(_key(name)) or {}
    return any(changes.get(part) for part in ("edited_rows", "added_rows", "deleted_rows"))


def _commit(name: str, key: str, apply: _Apply, cur: Current) -> None:
    """Submit callback: apply the editor's change set to the version it shows and save it as
    one version, unless a cell is refused or the map moved on before the callback ran."""
    if key != _key(name):  # another callback of this run saved or picked a map
        st.session_state[_message_key(name)] = _(_MOVED)
        return
    changes = st.session_state.get(key) or {}
    edit = apply(
        cur.data,
        changes.get("edited_rows", {}),
        changes.get("added_rows", []),
        changes.get("deleted_rows", []),
    )
    if edit.problems:
        st.session_state[_message_key(name)] = (
            _("Not saved:")
            + "\n"
            + "\n".join(f"- {inert(p)}" for p in edit.problems)
            + "\n\n"
            + _(
                "Nothing was saved. Your edits are still in the table: correct the cells below "
                "and press {button}."
            ).format(button=_(_SAVE))
        )
    elif edit.changes:
        save(edit.map, edit.description)


def _key(name: str) -> str:
    """The ``name`` grid's widget key: it carries the version shown (docs/pitfalls.md)."""
    return f"{name}-{revision()}"


def _message_key(name: str) -> str:
    return f"{name}-refused"


def _show_refusal(name: str) -> None:
    """Say why the last save of grid ``name`` saved nothing, once."""
    message = st.session_state.pop(_message_key(name), None)
    if message:
        st.error(message)
