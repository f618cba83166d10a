"""The facilitator's view of a round: the answers on each attribute's own scale, the
discussion agenda, and the adoption of medians into the map on whole steps of the scale.

The facilitator's screen is often mirrored on the projector, so nothing here names a
participant unless the facilitator asks for it (a toggle that is off at every start).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from stakemap.lenses.people import anonymise
from stakemap.model import StakeholderMap
from stakemap.room import rounds
from stakemap.room.charts import answers_chart, attribute_groups
from stakemap.room.rounds import ItemResult

__all__ = ["WHO_KEY", "agenda_frame", "results_panel"]

#: The toggle that shows who answered furthest from the median (facilitator's eyes only).
WHO_KEY = "ws-show-who"
_COLUMNS = ["Question", "Answers", "Median", "Middle half", "Disagreement"]


def agenda_frame(
    results: list[ItemResult], labels: dict[str, str], who: bool = False
) -> pd.DataFrame:
    """The discussion agenda as a table, most disagreement first, every value in the words
    of its question's scale; ``who`` adds the participants furthest from the median.

    >>> r = rounds.aggregate(rounds.Item("stance", "Ana"), {"x": 0, "y": 1})
    >>> agenda_frame([r], {}).loc[0, "Median"]
    'between Neutral and Supporter'
    """
    rows = []
    for r in results:
        scale = r.item.scale
        row = {
            "Question": r.item.question(labels),
            "Answers": r.count,
            "Median": scale.describe(r.median),
            "Middle half": scale.describe(r.lower)
            if r.lower == r.upper
            else f"{scale.describe(r.lower)} to {scale.describe(r.upper)}",
            "Disagreement": round(r.disagreement, 2),
        }
        if who:
            row["Furthest from median"] = ", ".join(r.outliers)
        rows.append(row)
    return pd.DataFrame(rows, columns=[*_COLUMNS, *(["Furthest from median"] if who else [])])


def results_panel(results: list[ItemResult], m: StakeholderMap, mode: str) -> list[ItemResult]:
    """The answers, one chart an attribute, and the agenda; returns the ranking."""
    ranked = rounds.rank_disagreement(results, m.names)
    if not ranked:
        st.caption("No answers yet.")
        return ranked
    who = st.toggle(
        "Show who answered furthest from the median",
        key=WHO_KEY,
        help="For your eyes only: off when the page opens, so a mirrored screen never shows it.",
    )
    labels = anonymise(m.names, mode)
    for attribute, group in attribute_groups(ranked).items():
        st.markdown(f"**{_TITLES[attribute]}**")
        st.altair_chart(answers_chart(group, labels, who), width="stretch")
    st.dataframe(agenda_frame(ranked, labels, who), hide_index=True, width="stretch")
    st.caption(
        "Bar: the middle half of the answers (Tukey's hinges); tick: the median (an even "
        "count: halfway between the middle two). Disagreement: mean distance from the median "
        "over the scale's width, 0 to 0.5; the list is the discussion agenda."
    )
    return ranked


_TITLES = {
    "power": "Power (1-5)",
    "interest": "Interest (1-5)",
    "stance": "Stance",
    "influence": "Who listens to whom (0-5)",
}
