"""Stakemap: the entry point. Page config, navigation over views/, the map picker in the sidebar.

The pages live in views/, not pages/: Streamlit treats a pages/ folder as a legacy multipage app
until app.py has run once, so a deep link right after a server start showed legacy navigation.

Access (serving a room): with a facilitator passcode configured (STAKEMAP_PASSCODE_HASH), a
browser session that has not signed in gets a navigation of two pages only, Join and the
facilitator's sign-in: the other pages are not registered for it, so no URL (/data, ?map=...)
can run them, and the map picker is not drawn. Without a passcode (``make run``, one user on
127.0.0.1) every page is open as before.
"""

from pathlib import Path

import streamlit as st

from stakemap.language import N_
from stakemap.language import gettext as _
from stakemap.store.placing import ACTIVITY
from stakemap.ui.language import choose_language, language_picker
from stakemap.ui.maps import map_sidebar
from stakemap.ui.room.access import (
    facilitator_needed,
    follow_redirect,
    is_facilitator,
    sign_out,
)
from stakemap.ui.session import network_soon, place_soon, plan_soon, stale_banner

# A local icon: a material-icon favicon would be fetched from Google's servers.
ICON = Path(__file__).parent / "src" / "stakemap" / "assets" / "icon.png"
st.set_page_config(page_title="Stakemap", page_icon=str(ICON), layout="wide")
choose_language()  # before any word is drawn (docs/languages.md)
# A phone's page title in Streamlit's 2.75rem took three lines of a 390 px screen. Constant CSS.
st.html(
    "<style>@media (max-width: 640px) { [data-testid='stMain'] h1 "
    "{ font-size: 1.6rem !important; padding: 0.5rem 0 0.75rem 0 !important; } }</style>"
)

PAGES = Path(__file__).parent / "views"
_ALL = [
    ("map.py", N_("Map"), ":material/grid_view:", "map"),
    ("network.py", N_("Network"), ":material/hub:", "network"),
    ("plan.py", N_("Plan"), ":material/route:", "plan"),
    ("data.py", N_("Data"), ":material/table_edit:", "data"),
    ("export.py", N_("Export"), ":material/download:", "export"),
    ("workshop.py", N_("Workshop"), ":material/groups:", "workshop"),
]
JOIN = ("join.py", N_("Join"), ":material/login:", "join")

try:
    locked = facilitator_needed() and not is_facilitator()
except ValueError as exc:  # a malformed passcode hash: refuse to serve rather than open up
    st.error(str(exc))
    st.stop()
if locked:
    file, title, icon, path = JOIN
    pages = [
        # the default page answers at "/", so the join link's /join needs a page of its own
        st.Page(str(PAGES / file), title=_(title), icon=icon, url_path="welcome", default=True),
        st.Page(str(PAGES / file), title=_(title), url_path=path, visibility="hidden"),
        st.Page(
            str(PAGES / "facilitator.py"),
            title=_("Facilitator"),
            icon=":material/key:",
            url_path="facilitator",
        ),
    ]
    # no menu: a participant's phone gets the Join page alone (the sign-in links from it)
    page = st.navigation(pages, position="hidden")
    follow_redirect()  # a join sets its seat cookie through the server's gate
    page.run()
    st.stop()
pages = [
    st.Page(str(PAGES / file), title=_(title), icon=icon, url_path=path)
    for file, title, icon, path in _ALL
]


def _home() -> None:
    """The root URL opens the first page at its own path, keeping the query (``?map=ID``).

    A default page is served only at ``/``: given ``default=True`` the Map page had no
    ``/map``, so a shared ``/map?map=1`` link fell back with "Page not found".
    """
    st.switch_page(pages[0], query_params=st.query_params.to_dict())


def _signed_in() -> None:
    """The sign-in link, opened by a facilitator already signed in: the Workshop page."""
    st.switch_page(pages[-1])


home = st.Page(_home, title=_(_ALL[0][1]), url_path="home", default=True, visibility="hidden")
file, title, icon, path = JOIN
join = st.Page(str(PAGES / file), title=_(title), icon=icon, url_path=path, visibility="hidden")
again = st.Page(_signed_in, title=_("Facilitator"), url_path="facilitator", visibility="hidden")
start = st.Page(str(PAGES / "start.py"), title=_("New map"), url_path="start", visibility="hidden")
navigation = st.navigation([home, *pages, join, again, start])
# the whole run is a page run: work done ahead waits for a quiet moment after all of it
# (stakemap.store.placing), its own queuing below included
with ACTIVITY.run():
    follow_redirect()  # a sign-in sets its cookie through the server's gate
    if navigation.url_path != "join":
        with st.sidebar:
            language_picker()
        map_sidebar()
        stale_banner()
        if facilitator_needed() and st.sidebar.button(_("Sign out"), icon=":material/logout:"):
            sign_out()
            st.rerun()
    navigation.run()
    place_soon()
    plan_soon()
    network_soon()
