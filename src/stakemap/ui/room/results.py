"""The facilitator's view of a round: the answers on each attribute's own scale, the
discussion agenda, and the adoption of medians into the map on whole steps of the scale.

The facilitator's screen is often mirrored on the projector, so nothing here names a
participant unless the facilitator asks for it (a toggle that is off at every start).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from stakemap.language import N_
from stakemap.language import gettext as _
from stakemap.lenses.people import anonymise
from stakemap.model import StakeholderMap
from stakemap.room import rounds
from stakemap.room.charts import answers_chart, attribute_groups
from stakemap.room.rounds import ItemResult

__all__ = ["WHO_KEY", "agenda_frame", "results_panel"]

#: The toggle that shows who answered furthest from the median (facilitator's eyes only).
WHO_KEY = "ws-show-who"
_COLUMNS = [N_("Question"), N_("Answers"), N_("Median"), N_("Middle half"), N_("Disagreement")]
_FURTHEST = N_("Furthest from median")


def agenda_frame(
    results: list[ItemResult], labels: dict[str, str], who: bool = False
) -> pd.DataFrame:
    """The discussion agenda as a table, most disagreement first, every value in the words
    of its question's scale, its headers in the language in force; ``who`` adds the
    participants furthest from the median.

    >>> r = rounds.aggregate(rounds.Item("stance", "Ana"), {"x": 0, "y": 1})
    >>> agenda_frame([r], {}).loc[0, "Median"]
    'between Neutral and Supporter'
    """
    rows = []
    for r in results:
        scale = r.item.scale
        middle = (
            scale.describe(r.lower)
            if r.lower == r.upper
            else _("{lower} to {upper}").format(
                lower=scale.describe(r.lower), upper=scale.describe(r.upper)
            )
        )
        row = [
            r.item.question(labels),
            r.count,
            scale.describe(r.median),
            middle,
            round(r.disagreement, 2),
        ]
        rows.append([*row, ", ".join(r.outliers)] if who else row)
    columns = [*_COLUMNS, *([_FURTHEST] if who else [])]
    return pd.DataFrame(rows, columns=[_(c) for c in columns])


def results_panel(results: list[ItemResult], m: StakeholderMap, mode: str) -> list[ItemResult]:
    """The answers, one chart an attribute, and the agenda; returns the ranking."""
    ranked = rounds.rank_disagreement(results, m.names)
    if not ranked:
        st.caption(_("No answers yet."))
        return ranked
    who = st.toggle(
        _("Show who answered furthest from the median"),
        key=WHO_KEY,
        help=_("For your eyes only: off when the page opens, so a mirrored screen never shows it."),
    )
    labels = anonymise(m.names, mode)
    for attribute, group in attribute_groups(ranked).items():
        st.markdown(f"**{_(_TITLES[attribute])}**")
        st.altair_chart(answers_chart(group, labels, who), width="stretch")
    st.dataframe(agenda_frame(ranked, labels, who), hide_index=True, width="stretch")
    st.caption(
        _(
            "Bar: the middle half of the answers (Tukey's hinges); tick: the median (an even "
            "count: halfway between the middle two). Disagreement: mean distance from the "
            "median over the scale's width, 0 to 0.5; the list is the discussion agenda."
        )
    )
    return ranked


_TITLES = {
    "power": N_("Power (1-5)"),
    "interest": N_("Interest (1-5)"),
    "stance": N_("Stance"),
    "influence": N_("Who listens to whom (0-5)"),
}
