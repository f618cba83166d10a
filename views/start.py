"""Start from questions: a new map from a few answers, ending on its Plan page."""

import streamlit as st

from stakemap.language import gettext as _
from stakemap.ui.guided import guided_start

st.title(_("New map from questions"), anchor=False)
guided_start()
