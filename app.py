"""Stakemap: the entry point. Page config, navigation over views/, the map picker in the sidebar.

The pages live in views/, not pages/: Streamlit treats a pages/ folder as a legacy multipage app
until app.py has run once, so a deep link right after a server start showed legacy navigation.
"""

from pathlib import Path

import streamlit as st

from stakemap.ui.maps import map_sidebar
from stakemap.ui.session import stale_banner

# A local icon: a material-icon favicon would be fetched from Google's servers.
ICON = Path(__file__).parent / "src" / "stakemap" / "assets" / "icon.png"
st.set_page_config(page_title="Stakemap", page_icon=str(ICON), layout="wide")

PAGES = Path(__file__).parent / "views"
_ALL = [
    ("map.py", "Map", ":material/grid_view:", "map"),
    ("network.py", "Network", ":material/hub:", "network"),
    ("plan.py", "Plan", ":material/route:", "plan"),
    ("data.py", "Data", ":material/table_edit:", "data"),
    ("export.py", "Export", ":material/download:", "export"),
]
pages = [
    st.Page(str(PAGES / file), title=title, icon=icon, url_path=path, default=i == 0)
    for i, (file, title, icon, path) in enumerate(_ALL)
]
navigation = st.navigation(pages)
map_sidebar()
stale_banner()
navigation.run()
