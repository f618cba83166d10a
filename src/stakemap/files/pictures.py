"""Pictures of a map outside a workshop: any lens or the influence network as PNG or SVG.

A lens is the Map page's own chart as the projector draws it
(:func:`stakemap.lenses.picture.lens_spec`), the network the Network page's drawing redrawn from
the kept layout (:func:`stakemap.network.picture.network_spec`); both are Vega-Lite specs
rendered by vl-convert, whose Vega engines ship inside the wheel and which draws text with the
machine's fonts (DejaVu Sans, Droid Sans Fallback for CJK): no browser, nothing fetched. An
SVG keeps every name as text. Anonymised, every picture, slide and page shows people by role
or as Person 1, 2, ... (:func:`stakemap.lenses.people.role_labels`), the same label for the same
person everywhere.
"""

from __future__ import annotations

import vl_convert as vlc

from stakemap.language import DEFAULT, N_, language, ngettext
from stakemap.language import gettext as _
from stakemap.lenses.catalogue import LENS_NAMES
from stakemap.lenses.people import shown_map
from stakemap.lenses.picture import lens_spec, names_fit
from stakemap.model import StakeholderMap
from stakemap.network.picture import network_spec

__all__ = [
    "FORMATS",
    "NETWORK",
    "NETWORK_TITLE",
    "PICTURE_SIZE",
    "PICTURE_SIZES",
    "SIZE_LIMITS",
    "VIEWS",
    "picture",
    "picture_spec",
    "shown",
    "view_named",
    "view_title",
]

#: The view that is the influence network rather than a lens, and its title.
NETWORK = "network"
NETWORK_TITLE = N_("Influence network")
#: Every view a picture or a slide can show: the six lenses, then the network.
VIEWS: tuple[str, ...] = (*LENS_NAMES, NETWORK)
#: Picture formats, by file ending.
FORMATS = ("png", "svg")
#: A picture's size in pixels unless asked otherwise (16:9, a 1080p screen at scale 1.5).
PICTURE_SIZE = (1600, 900)
#: Sizes offered for a picture, px: slides first; larger ones for crowded maps and print.
PICTURE_SIZES: tuple[tuple[int, int], ...] = (
    PICTURE_SIZE,
    (1920, 1080),
    (2400, 1350),
    (3200, 1800),
    (4800, 2700),
    (1754, 1240),
)
#: Smallest and largest side (px) a picture may be asked for.
SIZE_LIMITS = (400, 8000)


def view_title(view: str) -> str:
    """A view's name as shown, in the language in force.

    >>> view_title("network"), view_title("Power map")
    ('Influence network', 'Power map')
    """
    return _(NETWORK_TITLE) if view == NETWORK else _(view)


def view_named(text: str) -> str | None:
    """The view ``text`` names: "network", a lens's name (in English or, in another language,
    as shown), or a word or two that only one lens's name holds (any case); None for none or
    several.

    >>> view_named("Power map"), view_named("mendelow"), view_named("NETWORK")
    ('Power map', 'Power/interest grid (Mendelow)', 'network')
    >>> view_named("power") is None  # the power/interest grid or the power map?
    True
    """
    wanted = " ".join(text.split()).casefold()
    translated = language() != DEFAULT  # in English, "network" alone names the network
    names = {v: {v.casefold(), *[view_title(v).casefold()] * translated} for v in VIEWS}
    exact = [v for v in VIEWS if wanted in names[v]]
    if exact or not wanted:
        return exact[0] if exact else None
    found = [v for v in VIEWS if any(wanted in n for n in names[v])]
    return found[0] if len(found) == 1 else None


def shown(m: StakeholderMap, anonymise: bool) -> StakeholderMap:
    """``m`` as a shared file shows it: itself, or anonymised by role with everything that
    names a person left out (:func:`stakemap.lenses.people.shown_map`).

    >>> from stakemap.model import Stakeholder
    >>> shown(StakeholderMap((Stakeholder("Ana", role="CFO"),)), True).names
    ['CFO']
    """
    return shown_map(m, "roles") if anonymise else m


def picture_spec(
    m: StakeholderMap, view: str, size: tuple[int, int] = PICTURE_SIZE, titled: bool = True
) -> dict:
    """The Vega-Lite spec of ``view`` (one of :data:`VIEWS`) of ``m``, ``size`` pixels, with
    the view's name on top when ``titled`` (a slide has its own title)."""
    if view == NETWORK:
        return network_spec(m, size, title=view_title(view) if titled else "")
    title = view_title(view) if titled else ""
    return lens_spec(m, view, size, details=False, title=title, subtitle=_left_off(m, view, size))


#: How much larger than asked a picture is tried for its names to be drawn.
_LARGER = (1.5, 2.0, 3.0, 4.0, 5.0)


def _left_off(m: StakeholderMap, lens_name: str, size: tuple[int, int]) -> str:
    """A line saying the names are left off and what size shows them, when the lens is too
    crowded for readable names at ``size`` (:func:`stakemap.lenses.picture.names_fit`); "".

    >>> from stakemap.samples.synthetic import organisation
    >>> _left_off(organisation(300), "Power map", (1600, 900))
    '300 names left off: too small to read at 1600 x 900; a picture of 2400 x 1350 shows them'
    """
    if names_fit(m, lens_name, size):
        return ""
    count = len(m.stakeholders)
    for k in _LARGER:
        larger = (round(size[0] * k), round(size[1] * k))
        if max(larger) > SIZE_LIMITS[1]:
            break
        if names_fit(m, lens_name, larger):
            return ngettext(
                "{n} name left off: too small to read at {width} x {height}; a picture of "
                "{larger_width} x {larger_height} shows them",
                "{n} names left off: too small to read at {width} x {height}; a picture of "
                "{larger_width} x {larger_height} shows them",
                count,
            ).format(
                n=count, width=size[0], height=size[1], larger_width=larger[0],
                larger_height=larger[1],
            )  # fmt: skip
    return ngettext(
        "{n} name left off: too small to read at {width} x {height} or at any size up to "
        "{limit} px",
        "{n} names left off: too small to read at {width} x {height} or at any size up to "
        "{limit} px",
        count,
    ).format(n=count, width=size[0], height=size[1], limit=SIZE_LIMITS[1])


def picture(
    m: StakeholderMap,
    view: str,
    fmt: str = "png",
    size: tuple[int, int] = PICTURE_SIZE,
    anonymise: bool = False,
    titled: bool = True,
) -> bytes:
    """``view`` of ``m`` as PNG bytes of exactly ``size`` pixels or as an SVG document, named
    on top when ``titled``.

    >>> from stakemap.samples.cases import new_programme
    >>> picture(new_programme(), "network", "svg", (800, 450))[:4]
    b'<svg'
    """
    if fmt not in FORMATS:
        raise ValueError(f"a picture is {' or '.join(FORMATS)}, not {fmt}")
    if not all(SIZE_LIMITS[0] <= side <= SIZE_LIMITS[1] for side in size):
        raise ValueError(f"each side must be {SIZE_LIMITS[0]} to {SIZE_LIMITS[1]} pixels")
    spec = picture_spec(shown(m, anonymise), view, size, titled)
    if fmt == "svg":
        return vlc.vegalite_to_svg(spec).encode("utf-8")
    return vlc.vegalite_to_png(spec)
