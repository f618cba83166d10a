"""The floor: a bare Streamlit app with what every Stakemap page draws around its own content.

Two pages in a sidebar navigation, a sidebar picker, an Altair scatter of 20 points with
tooltips and a 20-row table; a picker on the page changes the chart's colour field. Nothing
else: ``bench_browser`` times its clicks in the same run as Stakemap's and reports each
Stakemap figure as a multiple of this app's (issue 31).
"""

import altair as alt
import pandas as pd
import streamlit as st

st.set_page_config(page_title="Bare", layout="wide")
ROWS = pd.DataFrame(
    {
        "name": [f"Person {i}" for i in range(20)],
        "power": [(i * 7) % 5 + 1 for i in range(20)],
        "interest": [(i * 3) % 5 + 1 for i in range(20)],
        "stance": ["for", "against", "neutral", "unknown"] * 5,
        "group": ["A", "B"] * 10,
    }
)


def _page(title: str) -> None:
    st.title(title)
    colour = st.selectbox("Colour by", ["stance", "group"])
    chart = (
        alt.Chart(ROWS)
        .mark_circle(size=120)
        .encode(x="interest:Q", y="power:Q", color=f"{colour}:N", tooltip=["name", "stance"])
    )
    st.altair_chart(chart, width="stretch")
    st.dataframe(ROWS, hide_index=True)


def chart() -> None:
    _page("Chart")


def table() -> None:
    _page("Table")


with st.sidebar:
    st.selectbox("Map", ["First map", "Second map"])
pages = [
    st.Page(chart, title="Chart", url_path="chart"),
    st.Page(table, title="Table", url_path="table"),
]


def home() -> None:
    """As Stakemap's root: the first page at its own path (a default page has none)."""
    st.switch_page(pages[0])


navigation = st.navigation(
    [st.Page(home, title="Chart", url_path="home", default=True, visibility="hidden"), *pages]
)
navigation.run()
