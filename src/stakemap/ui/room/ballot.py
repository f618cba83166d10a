"""A phone's round: the questions first, one tap an answer, and the room's result per question
once the facilitator reveals it.

During a round the phone shows nothing of the map: the people being rated would be on it
with the values the room is asked to judge, and a private answer given next to them is
anchored on them (Tversky & Kahneman, "Judgment under uncertainty: heuristics and biases",
1974). No answer is selected until the participant taps one, for the same reason.
"""

from __future__ import annotations

import streamlit as st

from stakemap.language import gettext as _
from stakemap.language import ngettext
from stakemap.lenses.people import anonymise
from stakemap.model import StakeholderMap
from stakemap.room.charts import result_strip, strip_height
from stakemap.room.rounds import Item, ItemResult, rank_disagreement
from stakemap.room.sessions import Participant, Round, WorkshopStore
from stakemap.ui.text import inert

__all__ = ["BALLOT_CSS", "ballot", "phone_results"]

#: Large tap targets for the answers (a constant, never user text).
BALLOT_CSS = """
<style>
.st-key-ballot [data-testid="stButtonGroup"] button { min-height: 2.75rem; min-width: 2.75rem;
  font-size: 1rem; padding: 0.35rem 0.8rem; }
.st-key-ballot [data-testid="stWidgetLabel"] p { font-size: 1.05rem; font-weight: 600; }
</style>
"""
#: Session key for a problem met while saving an answer (shown on the next run).
PROBLEM = "rate-problem"


def ballot(ws: WorkshopStore, p: Participant, rnd: Round, m: StakeholderMap, mode: str) -> None:
    """One row of answers a question, each saved the moment it is tapped (changeable until
    the round closes); an answer saved earlier is shown selected."""
    st.html(BALLOT_CSS)
    labels = anonymise(m.names, mode)
    mine = {a.item: a.value for a in ws.answers(rnd.id) if a.participant_id == p.id}
    st.subheader(_("Round {number}: your private answers").format(number=rnd.number))
    problem = st.session_state.pop(PROBLEM, None)
    if problem:
        st.error(problem)
    asked = [
        (position, item)
        for position, item in enumerate(rnd.items)
        if m.get(item.person) is not None and (not item.other or m.get(item.other) is not None)
    ]
    with st.container(key="ballot"):
        for position, item in asked:
            key = f"rate-{rnd.id}-{position}"  # a key reaches the browser: never a name in it
            if key not in st.session_state and item in mine:
                st.session_state[key] = mine[item]
            scale = item.scale
            st.pills(
                inert(item.question(labels)),
                scale.steps,
                format_func=lambda v, s=scale: s.describe(v),
                key=key,
                on_change=_save,
                args=(ws, p, rnd.id, item, key, mine.get(item)),
            )
    done = sum(item in mine for _, item in asked)
    st.caption(
        _(
            "{done} of {n} answered. Only the facilitator sees who answered what; you can "
            "change an answer until the round closes. The map comes back when it closes."
        ).format(done=done, n=len(asked))
    )


def _save(
    ws: WorkshopStore, p: Participant, round_id: int, item: Item, key: str, saved: int | None
) -> None:
    value = st.session_state[key]
    if value is None:  # a second tap on the chosen answer: it stays given
        st.session_state[key] = saved
        return
    try:
        ws.answer(p, round_id, item, int(value))
    except ValueError as exc:
        st.session_state[PROBLEM] = str(exc)


def phone_results(results: list[ItemResult], m: StakeholderMap, mode: str, mine: dict) -> None:
    """Per question, most disagreement first: the room's median in the scale's words, the
    middle half of the answers as a bar, and this participant's own answer (``mine``, by
    item) as a diamond."""
    ranked = rank_disagreement(results, m.names)
    if not ranked:
        st.caption(_("Nobody answered this round."))
        return
    labels = anonymise(m.names, mode)
    st.caption(_("Bar: the middle half of the room's answers. Tick: the median. Diamond: yours."))
    for r in ranked:
        yours = mine.get(r.item)
        chart = result_strip(r, labels, yours)
        st.altair_chart(chart, width="content", height=strip_height(r, labels))
        st.caption(inert(_result_line(r, yours)))


def _result_line(r: ItemResult, yours: int | None) -> str:
    """Under a phone's strip: the room's median, where most answers lie, how many answered
    and this participant's answer, each part a whole sentence of its own.

    >>> from stakemap.room.rounds import aggregate
    >>> _result_line(aggregate(Item("power", "Ana"), {"x": 2, "y": 4}), 2)
    'The room: 3 (medium), most between 2 (low) and 4 (high) · 2 answers · you: 2 (low)'
    """
    scale = r.item.scale
    if r.count > 1 and r.spread:
        room = _("The room: {median}, most between {lower} and {upper}").format(
            median=scale.describe(r.median),
            lower=scale.describe(r.lower),
            upper=scale.describe(r.upper),
        )
    else:
        room = _("The room: {median}").format(median=scale.describe(r.median))
    parts = [room, ngettext("{n} answer", "{n} answers", r.count).format(n=r.count)]
    if yours is not None:
        parts.append(_("you: {answer}").format(answer=scale.describe(yours)))
    return " · ".join(parts)
