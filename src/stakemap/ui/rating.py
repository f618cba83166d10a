"""The Map page's offer to rate: the people the shown lens cannot place because a field it
reads is blank (:func:`stakemap.lenses.people.not_rated`), named in words, and a small form
that rates them, saved as one version.

A blank is not a rating: the lens shows these people in its own "not rated" class, and the
page says so rather than letting a made-up default decide their class.
"""

from __future__ import annotations

import streamlit as st

from stakemap.language import gettext as _
from stakemap.lenses import people
from stakemap.lenses.catalogue import LENSES
from stakemap.model import STANCE_LABELS, StakeholderMap, stance_label
from stakemap.ui.session import revision, save
from stakemap.ui.text import inert

__all__ = ["BATCH", "not_rated_panel"]

#: People rated in one form: more wait for the next (the form stays short on a long map).
BATCH = 8
_SCORES = (1, 2, 3, 4, 5)


def not_rated_panel(m: StakeholderMap, lens_name: str, names: list[str] | None = None) -> None:
    """Under the chart: who among ``names`` (default everyone) the lens cannot place, and a
    form to rate the first :data:`BATCH` of them on the blank fields.

    Nothing shows when everyone is rated. The form's choices are constants (scores, stance
    words); names are plain text or made inert, and no widget key holds a name.
    """
    blanks = people.not_rated(m, lens_name, names)
    if not blanks:
        return
    lens = LENSES[lens_name]
    st.info(
        _('{sentence} The lens shows them as "{unrated}" until they are rated.').format(
            sentence=inert(people.not_rated_sentence(blanks, lens_name)),
            unrated=inert(_(lens.unrated)),
        ),
        icon=":material/rate_review:",
    )
    batch = list(blanks)[:BATCH]
    with st.expander(_("Rate them here"), icon=":material/edit:"):
        if len(blanks) > len(batch):
            st.caption(
                _("The first {n} of {total}: the next come once saved.").format(
                    n=len(batch), total=len(blanks)
                )
            )
        widths = [2] + [3] * len(lens.needs)
        header = st.columns(widths)
        for column, field in zip(header[1:], lens.needs, strict=True):
            column.caption(people.field_word(field).capitalize())
        keys: dict[str, dict[str, str]] = {}
        with st.form(f"map-rate-{revision()}", border=False):
            for name in batch:
                keys[name] = _person_row(m, name, lens.needs, widths)
            st.form_submit_button(
                _("Save ratings"), type="primary", on_click=_save_ratings, args=(m, lens_name, keys)
            )


def _person_row(
    m: StakeholderMap, name: str, fields: tuple[str, ...], widths: list[int]
) -> dict[str, str]:
    """One person's row of the form: their name, a choice for each blank field and the value
    of each rated one. Returns the keys of the choices by field."""
    person = m.get(name)
    index = m.names.index(name)  # a widget key travels to the browser: never the name
    row = st.columns(widths, vertical_alignment="center")
    row[0].text(name)  # plain text: the name is never markdown
    keys = {}
    for column, field in zip(row[1:], fields, strict=True):
        value = getattr(person, field)
        label = _("{field} of {name}").format(
            field=people.field_word(field).capitalize(), name=inert(name)
        )
        if value is not None:
            shown = _(stance_label(value)) if field == "target_stance" else f"{value:g}"
            column.caption(_("Rated: {value}").format(value=shown))
            continue
        keys[field] = key = f"map-rate-{revision()}-{index}-{field}"
        if field == "target_stance":
            options, words = list(STANCE_LABELS), lambda v: _(STANCE_LABELS[v])
        else:
            options, words = list(_SCORES), str
        column.segmented_control(
            label, options, format_func=words, key=key, label_visibility="collapsed"
        )
    return keys


def _save_ratings(m: StakeholderMap, lens_name: str, keys: dict[str, dict[str, str]]) -> None:
    """The form's choices saved as one version (a callback: the page then draws the new one);
    a person with a field still unchosen keeps it blank."""
    chosen = {
        name: {f: v for f, key in fields.items() if (v := st.session_state.get(key)) is not None}
        for name, fields in keys.items()
    }
    edit = people.rate(m, chosen)
    if edit is None:
        st.toast(_("Nothing to save: choose a rating first."))
        return
    new, line = edit
    save(new, _("Rated on the {lens_name}: {changes}").format(lens_name=_(lens_name), changes=line))
