"""How large a lens chart is drawn and how its people are labelled, for the screen it is on: a
desk beside the sidebar, a projector in presenter mode, a phone (docs/domain.md).

Every size is in pixels as drawn; the label falls back from names to initials with a key,
to letters, to a list under the chart, whichever is the largest that stays legible.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace

import pandas as pd

from stakemap.language import gettext as _
from stakemap.lenses import catalogue, kinds, people, placement
from stakemap.lenses.placement import LensView
from stakemap.model import StakeholderMap

__all__ = [
    "LABEL_MODES",
    "MIN_LABEL_DESKTOP_PX",
    "MIN_LABEL_PHONE_PX",
    "MIN_LABEL_PRESENTER_PX",
    "MIN_MARKER_DESKTOP_PX",
    "MIN_MARKER_PRESENTER_PX",
    "MIN_TITLE_PX",
    "PHONE",
    "PRESENTER_K",
    "RING_PX",
    "ChartStyle",
    "LabelPlan",
    "initials_key",
    "label_fit",
    "label_mode",
    "marker_geometry",
    "names_left_off_on_a_phone",
    "plot_size",
    "shorter_labels",
    "slot_layout",
    "strip_lines",
    "subtitle_lines",
    "text_width",
    "title_font",
    "title_limit",
    "title_lines",
    "view_for",
    "wrap",
]

#: Smallest label as drawn (px) on each screen the Map is made for: a desktop beside the
#: sidebar, a 1280x800 projector (presenter mode; a larger one only scales it up) and a 390 px
#: phone, where the chart shrinks (a smaller label is left off there, and the page says the
#: list under the chart holds it). Where names cannot be this large, :func:`label_mode` falls
#: back to initials with a key, then to no labels and the list.
MIN_LABEL_DESKTOP_PX = 10.0
MIN_LABEL_PRESENTER_PX = 16.0
MIN_LABEL_PHONE_PX = 7.0
#: Smallest diameter (px as drawn) of the largest marker, a power-5 person's (a power-1 one
#: is 60% of it): size by power stays readable.
MIN_MARKER_DESKTOP_PX = 10.0
MIN_MARKER_PRESENTER_PX = 12.0
#: How the chart labels its people: names (as chosen), initials with a key, the letters of
#: "Stakeholder A, B, ..." alone, or none (the list).
LABEL_MODES = ("names", "initials", "letters", "list")
#: The chart scale :data:`K` of the presenter chart on a 1280x800 screen (Chromium draws its
#: 840x500 nominal plot at 776x433): the smallest projector, so labels are sized for it.
PRESENTER_K = 0.86
#: Target and focus rings: diameter beyond the largest marker (px) and the widest ring stroke.
RING_PX = 8
_RING_STROKE = 3
#: Gap (px) between the outside of a ring and the top of its label.
_LABEL_GAP = 1.5
#: Average glyph width of the chart font, in em (used to fit a label in its slot).
_CHAR_EM = 0.58
#: Average glyph width of running text (a region's strategy), in em: wraps its lines.
_TEXT_EM = 0.5
_WIDE = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
#: The units text may wrap between: runs of spaces, single wide (Chinese) characters and
#: runs of other characters (words).
_TOKEN = re.compile(rf"\s+|[{_WIDE}]|[^\s{_WIDE}]+")
#: Punctuation that never ends a line (opening) or starts one (closing).
_OPENING = frozenset("（“‘「《【")
_CLOSING = frozenset("，。：；！？）、」”’》】")


def text_width(text: str) -> int:
    """The width of ``text`` in average Latin characters: a wide (Chinese) character takes
    two.

    >>> text_width("Ana"), text_width("王小明"), text_width("权力 map")
    (3, 6, 8)
    """
    if text.isascii():  # most names: a character each, without a lookup a character
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _tokens(text: str) -> list[str]:
    """The units ``text`` may wrap between, spaces kept: words, and each Chinese character
    with the opening punctuation before it and the closing after it."""
    tokens: list[str] = []
    for token in _TOKEN.findall(text):
        if (
            tokens
            and not tokens[-1].isspace()
            and (token in _CLOSING or tokens[-1][-1] in _OPENING)
        ):
            tokens[-1] += token
        else:
            tokens.append(token)
    return tokens


def wrap(text: str, width: int, break_long_words: bool = True) -> list[str]:
    """``text`` wrapped to lines of at most ``width`` (:func:`text_width`) where it can:
    at spaces, and between Chinese characters (never before a closing punctuation mark nor
    after an opening one). Text of no wide character wraps as :func:`textwrap.wrap` does.

    >>> wrap("Active opposition", 8, break_long_words=False)
    ['Active', 'opposition']
    >>> wrap("积极反对者：降低其热情。", 10)
    ['积极反对', '者：降低其', '热情。']
    >>> wrap("确定型（P+L+U）", 8)
    ['确定型', '（P+L+U）']
    """
    if text_width(text) == len(text):
        return textwrap.wrap(text, width, break_long_words=break_long_words, break_on_hyphens=False)
    lines: list[str] = []
    line = ""
    for token in _tokens(text.strip()):
        if token.isspace():
            line += " " if line else ""
            continue
        if line.strip() and text_width(line.rstrip() + token) > width:
            lines.append(line.rstrip())
            line = ""
        line += token
    return [*lines, line.rstrip()] if line.strip() else lines


def _longest_word(text: str) -> int:
    """The width of the longest unit of ``text`` that a line cannot break."""
    return max((text_width(t) for t in _tokens(text) if not t.isspace()), default=0)


@dataclass(frozen=True)
class ChartStyle:
    """Sizes for one screen: the nominal chart size (a lower bound of the real one) and fonts.

    Markers and labels are sized in pixels from the nominal size; a larger real chart only
    adds room between them.
    """

    width: int = 820
    height: int = 700
    font: int = 12
    presenter: bool = False
    #: Smallest label drawn (px, nominal) and smallest marker (px, nominal) for the layout to
    #: count as legible; 0: the old rule (labels of 9 px or more, any marker).
    min_label: float = 0.0
    min_marker: float = 0.0
    #: False: no labels at all (the list under the chart carries the names).
    labels: bool = True

    def title_px(self, lines: int = 1) -> int:
        """Room above a region for its title and ``lines`` lines of strategy."""
        return 2 * self.font + 14 + (lines - 1) * self.line_px

    @property
    def line_px(self) -> int:
        """Height of a line of a region's strategy (drawn one point below the font)."""
        return self.font + 1

    @staticmethod
    def for_mode(presenter: bool, narrow: bool = False) -> ChartStyle:
        """Presenter: a 1280x800 projector at least; normal: the page beside a sidebar."""
        if presenter:
            return ChartStyle(width=1200, height=600, font=20, presenter=True)
        return ChartStyle(width=600 if narrow else 760)


#: A 390x844 phone's chart (the room's follow view): the page's 360 px column.
PHONE = ChartStyle(width=360, height=420, font=10)


def plot_size(lens: kinds.Lens, style: ChartStyle) -> tuple[float, float]:
    """Approximate plot area (px) once title, axes and legend have taken their room.

    Presenting, the legend sits on the right and the chart has no title (the lens picker
    names it), so the plot keeps the screen's height.
    """
    left = 8 * style.font if lens.y_axis else 10
    bottom = (5 if lens.x_axis else 2) * style.font
    if style.presenter:
        left += 10 * style.font
    else:
        bottom += 8 * style.font
    return max(100.0, style.width - left), max(100.0, style.height - bottom)


def view_for(
    m: StakeholderMap,
    lens_name: str,
    names: list[str] | None,
    style: ChartStyle,
    labels: Mapping[str, str] | None = None,
    sorted_in: placement.Sorted | None = None,
) -> tuple[LensView, ChartStyle]:
    """:func:`stakemap.lenses.placement.lens_view` laid out for this style's plot and these labels.

    Slots are as wide as the longer labels need (a label sits under its marker). Outside
    presenter mode the chart grows (up to twice its height) until the labels are legible
    (:func:`_legible`: 9 px or more, or the style's minimum label and marker sizes); the
    presenter chart keeps the screen's height. The strip above the regions is as
    tall as their longest strategy once wrapped (:func:`subtitle_lines`). The people are
    sorted into cells once (``sorted_in``, else :func:`stakemap.lenses.placement.sort`).
    """
    lens = catalogue.LENSES[lens_name]
    sorted_in = sorted_in or placement.sort(m, lens_name, names)
    lengths = sorted(text_width(label) for label in (labels or {n: n for n in m.names}).values())
    long = lengths[int(0.9 * (len(lengths) - 1))] if lengths else 10
    slot_aspect = min(5.0, max(1.2, _CHAR_EM * long / 2.2))
    heights = [style.height] if style.presenter else [style.height * k for k in (1, 1.3, 1.6, 2)]
    lines = 1
    for height in heights:
        tried = replace(style, height=round(height))
        plot = plot_size(lens, tried)
        for _retry in range(2):  # regions do not depend on the strip: one retry sizes it
            title_px = tried.title_px(lines)
            view = placement.lens_view(
                m, lens_name, names, plot, title_px, slot_aspect, sorted_in, positions=False
            )
            needed = max((strip_lines(view, r, tried) for r in view.regions), default=1)
            if needed == lines:
                break
            lines = needed
        if _legible(view, tried):
            break
    # the size found; now everyone placed in it
    view = placement.lens_view(m, lens_name, names, plot, title_px, slot_aspect, sorted_in)
    return view, tried


def _legible(view: LensView, style: ChartStyle) -> bool:
    """Whether labels are at least ``style.min_label`` (9 px without one) and the largest
    marker at least ``style.min_marker``. A label longer than its slot shrinks down to the
    minimum, then is cut (its tooltip and the list hold it whole): the slots are as wide as
    nine labels in ten need (:func:`view_for`)."""
    if not style.labels:
        return True
    geo = marker_geometry(view, style)
    return geo["font"] >= max(9.0, style.min_label) and geo["dmax"] >= style.min_marker


def label_fit(label: str, slot_w: float) -> float:
    """The font size (px) at which a label just fits its slot's width."""
    return (slot_w - 4) / (_CHAR_EM * max(1, text_width(label)))


def _screen(style: ChartStyle) -> tuple[float, float, float]:
    """The target screen's smallest label and marker (px as drawn) and its chart scale."""
    if style.presenter:
        return MIN_LABEL_PRESENTER_PX, MIN_MARKER_PRESENTER_PX, PRESENTER_K
    return MIN_LABEL_DESKTOP_PX, MIN_MARKER_DESKTOP_PX, 1.0


@dataclass(frozen=True)
class LabelPlan:
    """How the chart labels its people (:func:`label_mode`): ``mode`` one of
    :data:`LABEL_MODES`, the laid-out ``view`` and ``style``, and the ``labels`` drawn (the
    chosen ones, or initials whose key :func:`initials_key` lists)."""

    mode: str
    view: LensView
    style: ChartStyle
    labels: dict[str, str]


def label_mode(
    m: StakeholderMap,
    lens_name: str,
    names: list[str] | None,
    style: ChartStyle,
    labels: Mapping[str, str] | None = None,
    short: tuple[str, Mapping[str, str]] | None = None,
) -> LabelPlan:
    """The largest labels this screen can hold at its minimum size, and the layout for them.

    "names": the chosen labels fit at :data:`MIN_LABEL_DESKTOP_PX` on a desktop or
    :data:`MIN_LABEL_PRESENTER_PX` on a 1280x800 projector, with markers of at least
    :data:`MIN_MARKER_DESKTOP_PX` / :data:`MIN_MARKER_PRESENTER_PX` (the desktop chart may
    grow to twice its height first); else ``short``, a mode and shorter labels, if those fit:
    by default "initials" when the labels are the names (the page shows their key; an
    anonymised chart never gets a key to the names); else "list": no labels, markers as
    large as the slots allow, the table under the chart carries the names.
    """
    labels = dict(labels or {n: n for n in m.names})
    least_label, least_marker, k = _screen(style)
    sized = replace(style, min_label=least_label / k, min_marker=least_marker / k, labels=True)
    if short is None and all(label == name for name, label in labels.items()):
        short = ("initials", people.anonymise(m.names, "initials"))
    tries = [("names", labels)] + ([(short[0], dict(short[1]))] if short else [])
    done = placement.sort(m, lens_name, names)
    for mode, shown in tries:
        view, tried = view_for(m, lens_name, names, sized, shown, done)
        if _legible(view, tried):
            return LabelPlan(mode, view, tried, shown)
    view, tried = view_for(m, lens_name, names, replace(sized, labels=False), labels, done)
    return LabelPlan("list", view, tried, labels)


def shorter_labels(labels: Mapping[str, str], anonymise: str) -> tuple[str, dict[str, str]] | None:
    """The shorter labels :func:`label_mode` tries when ``labels`` do not fit: with
    "Stakeholder A, B, ..." the letters alone ("AB" is Stakeholder AB, no key needed); else
    None, its default (initials and a key when the labels are the names).

    >>> shorter_labels({"Ana": "Stakeholder AB"}, "letters")
    ('letters', {'Ana': 'AB'})
    >>> shorter_labels({"Ana": "Ana"}, "names") is None
    True
    """
    if anonymise != "letters":
        return None
    # the letters are the label's last word, "Stakeholder AB" or as the language says it
    return ("letters", {n: label.rsplit(" ", 1)[-1] for n, label in labels.items()})


def initials_key(plan: LabelPlan, m: StakeholderMap) -> pd.DataFrame:
    """The key to an "initials" chart: each shown person's initials and name, by initials
    (headed in the language in force)."""
    shown = [n for n in m.names if n in plan.view.placement.xy]
    initials = _("Initials")
    key = pd.DataFrame({initials: [plan.labels[n] for n in shown], _("Name"): shown})
    return key.sort_values(initials, kind="stable", ignore_index=True)


def title_limit(view: LensView, region: kinds.Region, style: ChartStyle) -> int:
    """Width (px, nominal plot) a region's title and strategy may take."""
    lens = view.lens
    x0, x1 = view.box(region)[:2]
    px_x = plot_size(lens, style)[0] / (lens.cols[1] - lens.cols[0] + 1)
    return round((x1 - x0) * px_x - 12)


#: Smallest font (px, nominal plot) a region title shrinks to so that its longest word fits.
MIN_TITLE_PX = 8.0
_BOLD_EM = _TEXT_EM * 1.12


def title_font(view: LensView, style: ChartStyle) -> float:
    """The region titles' font (px): one point above the chart's, smaller on a narrow chart
    (a phone's Spectrum) until the longest word of every title fits its region, but not
    under :data:`MIN_TITLE_PX`; the titles then wrap at word boundaries (:func:`title_lines`).

    >>> from stakemap.lenses.placement import lens_view
    >>> from stakemap.model import StakeholderMap
    >>> view = lens_view(StakeholderMap(), "Spectrum of allies", None, plot=(300, 300))
    >>> title_font(view, ChartStyle(width=1200, height=600)), title_font(view, PHONE)
    (13, 10.4)
    """
    font = float(style.font + 1)
    for region in view.regions:
        longest = _longest_word(region.title)
        if longest:
            font = min(font, title_limit(view, region, style) / (_BOLD_EM * longest))
    return style.font + 1 if font >= style.font + 1 else round(max(MIN_TITLE_PX, font), 1)


def title_lines(view: LensView, region: kinds.Region, style: ChartStyle) -> list[str]:
    """A region's title wrapped at word boundaries to its width in :func:`title_font`: one
    line where it fits, so a narrow chart shows a long title whole instead of cut.

    >>> from stakemap.lenses.placement import lens_view
    >>> from stakemap.model import StakeholderMap
    >>> view = lens_view(StakeholderMap(), "Spectrum of allies", None, plot=(300, 300))
    >>> title_lines(view, view.regions[0], PHONE)
    ['Active', 'opposition']
    """
    chars = int(title_limit(view, region, style) / (_BOLD_EM * title_font(view, style)) + 1e-6)
    return wrap(region.title, max(1, chars), break_long_words=False) or [""]


def strip_lines(view: LensView, region: kinds.Region, style: ChartStyle) -> int:
    """Lines of text above a region's cells beyond the first: its title's and strategy's."""
    strategy = len(subtitle_lines(view, region, style)) if region.subtitle else 0
    return len(title_lines(view, region, style)) + max(strategy, 1) - 1


def subtitle_lines(view: LensView, region: kinds.Region, style: ChartStyle) -> list[str]:
    """A region's strategy wrapped at word boundaries to its width (at least one line)."""
    chars = max(8, int(title_limit(view, region, style) / (_TEXT_EM * (style.font - 1))))
    return wrap(region.subtitle, chars) or [""]


def marker_geometry(view: LensView, style: ChartStyle) -> dict[str, float]:
    """Pixel sizes in a slot: label ``font`` (0: too crowded for labels, or none wanted),
    largest marker diameter ``dmax``, the ``lift`` of a marker above the slot centre (room
    for its label) and the slot width ``slot_w``.

    Top to bottom a labelled slot holds a ring's room, the marker, a ring's room, a gap and
    the label (:func:`slot_layout`), so a target or focus ring never crosses its label. With a
    ``style.min_label``, a label gives up size down to it for the marker to reach
    ``style.min_marker``.
    """
    lens = view.lens
    plot_w, plot_h = plot_size(lens, style)
    slot_w = view.placement.w * plot_w / (lens.cols[1] - lens.cols[0] + 1)
    slot_h = view.placement.h * plot_h / view.height
    font = min(float(style.font), (slot_h - 4) * 0.5)
    font = font if font >= 8 and slot_w >= 28 and style.labels else 0.0
    rings = RING_PX + _RING_STROKE + _LABEL_GAP + 1
    if font > style.min_label and style.min_label:
        # labels at their minimum before markers go below theirs
        font = max(style.min_label, min(font, slot_h - rings - style.min_marker))
    room = font + rings if font else 3
    dmax = max(4.0, min(slot_w - 3, slot_h - room, 4 * style.font))
    lift = (font + _LABEL_GAP) / 2 if font else 0.0
    return {"font": font, "dmax": dmax, "lift": lift, "slot_w": slot_w}


def slot_layout(geo: Mapping[str, float]) -> dict[str, float]:
    """Vertical extents (px from the slot centre, down positive) of the largest marker, its
    ring (target or focus, outer edge of the widest stroke) and its label's top and bottom.

    >>> box = slot_layout({"font": 12.0, "dmax": 20.0, "lift": 6.75, "slot_w": 60.0})
    >>> box["label_top"] > box["ring_bottom"]
    True
    """
    centre = -geo["lift"]
    ring = (geo["dmax"] + RING_PX + _RING_STROKE) / 2
    label_top = centre + ring + _LABEL_GAP
    return {
        "marker_top": centre - geo["dmax"] / 2,
        "marker_bottom": centre + geo["dmax"] / 2,
        "ring_top": centre - ring,
        "ring_bottom": centre + ring,
        "label_top": label_top,
        "label_bottom": label_top + geo["font"],
    }


def names_left_off_on_a_phone(rows: pd.DataFrame, lens: kinds.Lens, style: ChartStyle) -> bool:
    """Whether some names fall below :data:`MIN_LABEL_PHONE_PX` on a 390 px phone (a 358 px
    plot): the chart leaves those off, so the page should say the list below holds them."""
    if not style.labels:
        return False
    plot_w = plot_size(lens, style)[0]
    scale = min(1.0, 358 / plot_w)
    return bool(len(rows)) and float(rows["font"].min()) * scale < MIN_LABEL_PHONE_PX
