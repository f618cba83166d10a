"""Start from questions: a new map from a few answers, ending on its Plan page."""

import streamlit as st

from stakemap.ui.guided import guided_start

st.title("New map from questions", anchor=False)
guided_start()
