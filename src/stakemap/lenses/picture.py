"""A lens as a picture: the projector's chart at an exact size, on white, for vl-convert.

A picture has no screen to scale to: :func:`lens_spec` fixes the chart's size and lets labels
give up size for markers, and :func:`names_fit` tells whether the names
still show at a size, so a picture can say which size would show them.
"""

from __future__ import annotations

import json
from dataclasses import replace

from stakemap.lenses.chart import PADDING, chart_rows, lens_chart
from stakemap.lenses.sizing import (
    MIN_LABEL_DESKTOP_PX,
    MIN_LABEL_PHONE_PX,
    MIN_MARKER_PRESENTER_PX,
    ChartStyle,
    view_for,
)
from stakemap.model import StakeholderMap

__all__ = ["lens_spec", "names_fit"]


def _picture_style(size: tuple[int, int]) -> ChartStyle:
    """The projector's style at exactly ``size`` pixels, labels down to the desktop's 10 px."""
    return replace(
        ChartStyle.for_mode(True),
        width=size[0],
        height=size[1],
        min_label=MIN_LABEL_DESKTOP_PX,
        min_marker=MIN_MARKER_PRESENTER_PX,
    )


def names_fit(m: StakeholderMap, lens_name: str, size: tuple[int, int]) -> bool:
    """Whether a picture of ``size`` pixels of the lens labels its people: the chart drops
    every label when the smallest would be under the phone's minimum (:func:`lens_chart`),
    and a picture's chart scale is about 1.

    >>> from stakemap.samples.synthetic import organisation
    >>> names_fit(organisation(20), "Power map", (1600, 900))
    True
    >>> names_fit(organisation(300), "Power map", (1600, 900))
    False
    """
    style = _picture_style(size)
    labels = {n: n for n in m.names}
    view, style = view_for(m, lens_name, m.names, style, labels)
    rows, geo = chart_rows(view, m, labels, "power", None, style)
    return rows.empty or (bool(geo["font"]) and float(rows["font"].min()) >= MIN_LABEL_PHONE_PX)


def lens_spec(
    m: StakeholderMap,
    lens_name: str,
    size: tuple[int, int],
    details: bool = True,
    title: str = "",
    subtitle: str = "",
) -> dict:
    """The lens as the projector shows it (presenter style, every person labelled as
    ``m`` names them), as a Vega-Lite spec of ``size`` pixels exactly (autosize "fit": axes,
    legend, ``title`` and ``subtitle`` included) on white, for vl-convert to draw offline. On
    a crowded lens labels give up size, down to the desktop's 10 px, for markers to reach the
    projector's 12 px, so stance still reads from the shapes. ``m`` is the map as it may be
    shown (:func:`stakemap.lenses.people.shown_map`); ``details`` as in :func:`lens_chart`.

    >>> from stakemap.samples.cases import new_programme
    >>> spec = lens_spec(new_programme(), "Power map", (800, 450), title="Power map")
    >>> spec["width"], spec["height"], spec["title"]["text"]
    (800, 450, 'Power map')
    """
    labels = {n: n for n in m.names}
    view, style = view_for(m, lens_name, m.names, _picture_style(size), labels)
    spec, _rows = lens_chart(view, m, labels, "power", None, style, details=details)
    if title or subtitle:
        spec["title"] = {
            "text": title or " ",
            "fontSize": style.font + 4,
            "color": "#000",
            "anchor": "start",
        } | ({"subtitle": subtitle, "subtitleFontSize": style.font, "subtitleColor": "#000"}
             if subtitle else {})  # fmt: skip
        spec["padding"] = {"top": 10} | PADDING
    records = {name: json.loads(frame.to_json(orient="records", force_ascii=False))
               for name, frame in spec["datasets"].items()}  # fmt: skip
    return spec | {
        "datasets": records,
        "width": size[0],
        "height": size[1],
        "autosize": {"type": "fit", "contains": "padding"},
        "background": "white",
    }
