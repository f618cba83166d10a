"""Map: the current map through the lenses users know; click a person to edit; presenter mode."""

import streamlit as st

from stakemap.language import gettext as _
from stakemap.ui.mapview import (
    focus_person,
    map_controls,
    person_details,
    presenter_style,
    show_lens_chart,
    show_lists,
)
from stakemap.ui.quickadd import quick_add_panel
from stakemap.ui.session import require_map, save
from stakemap.ui.text import inert

cur = require_map()
st.title(_("Map · {name}").format(name=inert(cur.name)), anchor=False)  # no link of user text
if not cur.data.stakeholders:
    st.info(_("This map has no people yet: type them below, or import a spreadsheet on Data."))
    quick_add_panel(cur, "map-quick")

controls = map_controls(cur.data)
focus = focus_person(cur.data)
if controls.presenter:
    presenter_style()
    show_lens_chart(cur, controls, focus)
    st.stop()
chart, details = st.columns([5, 2]) if focus else (st.container(), None)
with chart:
    show_lens_chart(cur, controls, focus)
if details is not None:
    with details, st.container(border=True):
        person_details(cur.data, focus, cur.version, save, controls.lens)
show_lists(cur.data, controls.lens, controls.shown)
if cur.data.stakeholders:
    with st.expander(_("Quick add: one person or tie a line")):
        quick_add_panel(cur, "map-quick")
