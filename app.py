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
    st.Page(str(PAGES / file), title=title, icon=icon, url_path=path)
    for file, title, icon, path in _ALL
]


def _home() -> None:
    """The root URL opens the first page at its own path, keeping the query (``?map=ID``).

    A default page is served only at ``/``: given ``default=True`` the Map page had no
    ``/map``, so a shared ``/map?map=1`` link fell back with "Page not found".
    """
    st.switch_page(pages[0], query_params=st.query_params.to_dict())


home = st.Page(_home, title=_ALL[0][1], url_path="home", default=True, visibility="hidden")
navigation = st.navigation([home, *pages])
map_sidebar()
stale_banner()
navigation.run()
