"""Plan: whom to approach first, in what order, through whom, with what ask, and what if."""

import streamlit as st

from stakemap.ui.plan import plan_page
from stakemap.ui.session import current

cur = current()
if cur is None:
    st.info("Create or pick a map in the sidebar.")
    st.stop()
plan_page(cur)
