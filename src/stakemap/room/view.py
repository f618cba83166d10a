"""What the projector lists beside a lens. What the room may see of a map at all is
:func:`stakemap.lenses.people.shown_map` (docs/room-security.md)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from stakemap.language import gettext as _

__all__ = ["SIDE_FONTS", "side_font", "side_lines"]


#: Font sizes (px) the projector's side list may use, largest first: 12 px is still read
#: from the front rows of a room on a 1080p projector.
SIDE_FONTS = (20, 18, 16, 14, 13, 12)
_LINE = 1.3  # line height over font size
_COLUMN_EM = 11.0  # a column of names, in em, gap included


def side_lines(
    mode: str,
    names: Sequence[str],
    labels: Mapping[str, str],
    classes: Mapping[str, str],
    class_order: Sequence[str],
) -> list[str]:
    """What the projector lists beside a lens whose labels cannot all be names: the key to
    the initials (``mode`` "initials"), or everyone by the lens's class when the chart shows
    markers only ("list"); nothing when the chart names everyone. A class is an identifier
    (the lens's), listed in the language in force.

    >>> side_lines("initials", ["Ana Bell"], {"Ana Bell": "AB"}, {}, [])
    ['AB  Ana Bell']
    >>> side_lines("list", ["Ana", "Ben", "Cy"], {}, {"Ana": "Fans", "Ben": "Naysayers",
    ...            "Cy": "Fans"}, ["Naysayers", "Fans"])
    ['Naysayers', '  Ben', 'Fans', '  Ana', '  Cy']
    """
    if mode == "initials":
        return [f"{labels[n]}  {n}" for n in names if n in labels]
    if mode != "list":
        return []
    lines: list[str] = []
    for cls in class_order:
        members = [n for n in names if classes.get(n) == cls]
        if members:
            lines += [_(cls), *(f"  {n}" for n in members)]
    return lines


def side_font(lines: Sequence[str], width_px: float, height_px: float) -> tuple[int, int] | None:
    """The largest font of :data:`SIDE_FONTS` at which ``lines`` fit a ``width_px`` by
    ``height_px`` panel in columns, and the number of columns; None when even the smallest
    does not (the page then lists them in a table that scrolls).

    >>> side_font(["Ana"] * 60, 460, 820)
    (20, 2)
    >>> side_font(["Ana"] * 2000, 460, 820) is None
    True
    """
    for px in SIDE_FONTS:
        rows = int(height_px // (px * _LINE))
        columns = max(1, int(width_px // (px * _COLUMN_EM)))
        wrapped = sum(max(1, math.ceil(len(line) / _COLUMN_EM / 1.8)) for line in lines)
        if rows * columns >= wrapped:
            return px, min(columns, math.ceil(wrapped / max(1, rows)))
    return None
