"""A round's results drawn in Altair, each question on the scale it was asked in.

The facilitator sees one chart an attribute (power and interest 1-5, stance in its words,
influence 0-5), every answer a dot, the room's hinges as a bar and its median as a tick
(Tukey, "Exploratory Data Analysis", 1977: the box of a box plot, for the handful of answers
a room gives). A phone sees one strip a question: the same bar and median, and its own answer
marked. Words come from :class:`stakemap.room.rounds.Scale`; no text is ever markup: Vega
draws labels and titles as canvas text. The data's field names are identifiers; titles,
tooltips' titles and the scales' words are in the language in force.
"""

from __future__ import annotations

import json
import re
import textwrap
import unicodedata
from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from stakemap.language import N_
from stakemap.language import gettext as _
from stakemap.room.rounds import ItemResult, Scale

__all__ = [
    "FONT_PX",
    "PHONE_WIDTH",
    "answers_chart",
    "attribute_groups",
    "result_strip",
    "strip_height",
]

#: Smallest text drawn (px): readable on a phone held at arm's length.
FONT_PX = 13
#: Width (px) a phone strip is drawn for: a 390 px screen less the page's margins.
PHONE_WIDTH = 340
_DOT = "#0072B2"  # Okabe-Ito blue: the answers
_MEDIAN = "#D55E00"  # Okabe-Ito vermilion: the room's median
_YOURS = "#000000"
#: The x axis's title of each attribute's chart.
_AXIS_TITLES = {
    "power": N_("Power (1-5)"),
    "interest": N_("Interest (1-5)"),
    "stance": N_("Stance"),
    "influence": N_("Listens (0-5)"),
}


def attribute_groups(results: Sequence[ItemResult]) -> dict[str, list[ItemResult]]:
    """``results`` by attribute, in the order the attributes first appear.

    >>> from stakemap.room.rounds import Item, aggregate
    >>> rs = [aggregate(Item(a, "Ana"), {"x": 1}) for a in ("stance", "power", "stance")]
    >>> {k: len(v) for k, v in attribute_groups(rs).items()}
    {'stance': 2, 'power': 1}
    """
    groups: dict[str, list[ItemResult]] = {}
    for r in results:
        groups.setdefault(r.item.attribute, []).append(r)
    return groups


def _axis_words(scale: Scale, title: str | None, width: float) -> alt.Axis:
    """An x axis with a tick at each whole step, labelled with the scale's words (numbered
    scales keep their number first), never wider than a step."""
    words = {str(v): _step_label(scale, v) for v in scale.steps}
    return alt.Axis(
        values=list(scale.steps),
        labelExpr=f"{json.dumps(words)}[toString(datum.value)]",
        labelFontSize=FONT_PX,
        labelLimit=max(40, width / len(scale.steps) - 4),
        labelOverlap=False,
        title=title,
        titleFontSize=FONT_PX,
        grid=True,
    )


def _step_label(scale: Scale, step: int) -> str:
    return f"{step} {scale.word(step)}" if scale.numbered else scale.word(step)


def _x(scale: Scale, title: str | None, width: float, field: str) -> alt.X:
    return alt.X(
        f"{field}:Q",
        scale=alt.Scale(domain=[scale.low - 0.4, scale.high + 0.4], nice=False, zero=False),
        axis=_axis_words(scale, title, width),
    )


def answers_chart(
    results: Sequence[ItemResult], labels: Mapping[str, str], who: bool, width: float = 640
) -> alt.LayerChart:
    """One attribute's questions (``results``, all of one attribute): each answer a dot, the
    hinges a bar, the median a tick, on the attribute's own scale in its words. ``who``
    False leaves participants out of the chart's data (what a shared screen may show).

    >>> from stakemap.room.rounds import Item, aggregate
    >>> r = aggregate(Item("stance", "Ana"), {"x": -1, "y": 2})
    >>> spec = answers_chart([r], {}, who=False).to_dict()
    >>> '"-1": "Critic"' in spec["layer"][0]["encoding"]["x"]["axis"]["labelExpr"]
    True
    """
    scale = results[0].item.scale
    order = [r.item.question(labels) for r in results]
    dots, boxes = [], []
    for r, question in zip(results, order, strict=True):
        for name, value in r.answers.items():
            dot = {"Question": question, "Answer": value}
            dots.append(dot | {"Participant": name} if who else dot)  # the spec reaches the page
        boxes.append(
            {
                "Question": question,
                "Lower": r.lower,
                "Upper": r.upper,
                "Median": r.median,
                "Room": scale.describe(r.median),
            }
        )
    y = alt.Y(
        "Question:N",
        sort=order,
        title=None,
        axis=alt.Axis(labelLimit=int(width * 0.45), labelFontSize=FONT_PX),
    )
    x_title = _(_AXIS_TITLES[results[0].item.attribute])
    box_frame = pd.DataFrame(boxes)
    bar = (
        alt.Chart(box_frame)
        .mark_bar(height=14, color=_MEDIAN, opacity=0.25)
        .encode(x=_x(scale, x_title, width * 0.55, "Lower"), x2="Upper:Q", y=y)
    )
    dot = (
        alt.Chart(pd.DataFrame(dots))
        .mark_circle(size=120, opacity=0.6, color=_DOT)
        .encode(
            x=_x(scale, x_title, width * 0.55, "Answer"),
            y=y,
            yOffset=alt.YOffset("jitter:Q"),
            tooltip=[
                *([alt.Tooltip("Participant:N", title=_("Participant"))] if who else []),
                alt.Tooltip("Answer:Q", title=_("Answer")),
            ],
        )
        .transform_calculate(jitter="(random() - 0.5) * 14")
    )
    tick = (
        alt.Chart(box_frame)
        .mark_tick(thickness=4, size=26, color=_MEDIAN)
        .encode(x="Median:Q", y=y, tooltip=[alt.Tooltip("Room:N", title=_("Median"))])
    )
    return alt.layer(bar, dot, tick).properties(width="container", height=44 * len(results) + 50)


def result_strip(result: ItemResult, labels: Mapping[str, str], mine: int | None) -> alt.LayerChart:
    """One question's result sized for a phone: its title the question, the room's hinges as
    a bar and the median as a tick on the scale's words, and ``mine`` (this participant's
    answer, if any) as a black diamond.

    >>> from stakemap.room.rounds import Item, aggregate
    >>> r = aggregate(Item("power", "Ana"), {"x": 2, "y": 4, "z": 4})
    >>> spec = result_strip(r, {}, 2).to_dict()
    >>> spec["title"]["fontSize"] >= FONT_PX, len(spec["layer"])
    (True, 3)
    """
    scale = result.item.scale
    room = {"Lower": result.lower, "Upper": result.upper, "Median": result.median}
    frame = pd.DataFrame([room | {"Room": scale.describe(result.median)}])
    x = _x(scale, None, PHONE_WIDTH, "Lower")
    layers = [
        alt.Chart(frame).mark_bar(height=18, color=_MEDIAN, opacity=0.3).encode(x=x, x2="Upper:Q"),
        alt.Chart(frame).mark_tick(thickness=5, size=30, color=_MEDIAN).encode(x="Median:Q"),
    ]
    if mine is not None:
        yours = pd.DataFrame([{"Yours": mine}])
        layers.append(
            alt.Chart(yours)
            .mark_point(shape="diamond", size=160, filled=True, color=_YOURS)
            .encode(x="Yours:Q")
        )
    return alt.layer(*layers).properties(
        width=PHONE_WIDTH,
        height=_STRIP_PLOT,
        title=alt.Title(
            _strip_title(result, labels), fontSize=FONT_PX + 1, anchor="start", fontWeight="normal"
        ),
    )


_STRIP_PLOT = 34  # px: the bar's band


def _cells(text: str) -> int:
    """Columns ``text`` takes: a wide character (Chinese) two, any other one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns (:func:`_cells`): text without a wide
    character as :func:`textwrap.wrap` breaks it; else broken between words or between two
    wide characters (Chinese has no spaces), a word longer than a line cut.

    >>> _wrap("How much does Ana listen to Ben on this?", 20)
    ['How much does Ana', 'listen to Ben on', 'this?']
    >>> _wrap("在这件事上，Ana 有多听取 Ben 的意见？", 16)
    ['在这件事上，Ana', '有多听取 Ben 的', '意见？']
    """
    if _cells(text) == len(text):
        return textwrap.wrap(text, width)
    lines: list[str] = []
    line = ""
    for token in re.findall(r"\s+|[^\s\u2e80-\uffef]+|.", text.strip()):
        if token.isspace():
            line += " " if line else ""
            continue
        while _cells(token) > width:  # a word too long for any line: cut it
            cut = next(i for i in range(len(token), 0, -1) if _cells(token[:i]) <= width)
            lines += [line.rstrip()] if line.strip() else []
            lines.append(token[:cut])
            line, token = "", token[cut:]
        if _cells(line + token) > width and line.strip():
            lines.append(line.rstrip())
            line = ""
        line += token
    return [*lines, line.rstrip()] if line.strip() else lines


def _strip_title(result: ItemResult, labels: Mapping[str, str]) -> list[str]:
    return _wrap(result.item.question(labels), 40) or [""]


def strip_height(result: ItemResult, labels: Mapping[str, str]) -> int:
    """The whole height (px) of :func:`result_strip`: its title's lines, the band and the
    axis words, for a page that sizes the chart's frame before Vega draws it.

    >>> from stakemap.room.rounds import Item, aggregate
    >>> strip_height(aggregate(Item("power", "Ana"), {"x": 2}), {})
    104
    """
    return len(_strip_title(result, labels)) * (FONT_PX + 5) + _STRIP_PLOT + 2 * FONT_PX + 8
