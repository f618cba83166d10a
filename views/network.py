"""Network: who influences whom, drawn from stored positions, and who matters in the network."""

import streamlit as st

from stakemap.ui.netpage import network_page
from stakemap.ui.session import current

cur = current()
if cur is None:
    st.info("Create or pick a map in the sidebar.")
    st.stop()
network_page(cur)
