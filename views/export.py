"""Export: the map as an Excel workbook, CSV files, a standalone network page, a Kumu workbook,
GraphML or GEXF; pictures of a lens or the network, slides and the plan on a page."""

import streamlit as st

from stakemap.language import gettext as _
from stakemap.ui.downloads import EXPORTS, download_button, file_stem, shown_section
from stakemap.ui.session import require_map
from stakemap.ui.text import inert

cur = require_map()

st.title(_("Export · {name}").format(name=inert(cur.name)), anchor=False)  # no link of user text
people, ties = len(cur.data.stakeholders), len(cur.data.relationships)
st.caption(
    _("Version {version}: {people} people, {ties} relationships.").format(
        version=cur.version, people=people, ties=ties
    )
)
stem = file_stem(cur.name) or "stakemap"
for kind, (label, _ending, _mime, about) in EXPORTS.items():
    with st.container(border=True):
        left, right = st.columns([3, 1], vertical_alignment="center")
        left.markdown(f"**{_(label)}**  \n{_(about)}")
        with right:
            download_button(kind, cur, f"{stem}_v{cur.version}")
with st.container(border=True):
    shown_section(cur, f"{stem}_v{cur.version}")
st.caption(
    _(
        "To bring an edited workbook back, upload it on the Data page: the Stakeholders, "
        "Relationships, Proposal and (hidden) Layout sheets are read; the other sheets are for "
        "the room. Kumu workbooks, GraphML and GEXF files are read back too."
    )
)
