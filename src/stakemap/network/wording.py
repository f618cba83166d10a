"""The network drawing's words, in the language in force: its legend, what its script says
(:func:`page_words`, carried in the page's JSON, since the script itself is constant and
hashed into the page's policy), and lists and sentences as each language writes them."""

from __future__ import annotations

import html
from collections.abc import Collection

from stakemap.language import gettext as _
from stakemap.language import ngettext, pgettext
from stakemap.legend import COMMUNITY_COLOURS, COMMUNITY_OTHER, STANCE_SHAPES
from stakemap.model import STANCE_COLOURS, STANCE_LABELS

__all__ = ["legend", "list_text", "page_words", "sentences"]


def list_text(items: Collection[str]) -> str:
    """Items one after another, as a list reads in the language in force ('A, B, C')."""
    return pgettext("list", ", ").join(items)


def sentences(*parts: str) -> str:
    """Sentences one after another: a space after each, none after a Chinese full stop.

    >>> sentences("One.", "Two."), sentences("一。", "二。")
    ('One. Two.', '一。二。')
    """
    out = ""
    for part in parts:
        if out and not out.endswith(("。", "！", "？")):
            out += " "
        out += part
    return out


def page_words() -> dict[str, object]:
    """The words the page's script shows, in the language in force (``{name}`` parts filled in
    by the script; a pair is a count's forms for one and for many)."""

    return {
        "influences": _("{source} influences {target} (strength {strength})"),
        "repels": _("{source} repels {target} (strength {strength})"),
        "quiet": [
            ngettext(
                "{n} name is left off where labels would overlap: zoom in, or hover over a "
                "person, to read them.",
                "{n} names are left off where labels would overlap: zoom in, or hover over a "
                "person, to read them.",
                n,
            )
            for n in (1, 2)
        ],
        "arrows": _("Arrowheads show when you zoom in."),
        "people": [ngettext("{n} person", "{n} people", n) for n in (1, 2)],
        "steps": [ngettext("{n} step", "{n} steps", n) for n in (1, 2)],
        "shown": _("{name}: {people} shown within {steps}"),
        "hidden": _("{text} ({n} more hidden by the filters)."),
        "end": _("{text}."),
        "clear": _("Click empty space to clear."),
        "idle": _("Click a person to see who they are tied to. Drag people to move them."),
        "moved": [ngettext("{n} person moved.", "{n} people moved.", n) for n in (1, 2)],
        "keep": _("Use \u201cKeep dragged positions\u201d to save them with the map."),
        "unsaved": _("Moves are not saved in this file."),
    }


def legend() -> str:
    """The page's legend (HTML), in the language in force."""
    stances = "".join(
        f'<span class="swatch" style="background:{STANCE_COLOURS[STANCE_LABELS[s]]}"></span>'
        f"{html.escape(_(STANCE_LABELS[s]))} "
        for s in (2, 1, 0, -1, -2)
    )
    numbers = "".join(
        f'<span class="swatch" style="background:{colour}"></span>{i} '
        for i, colour in enumerate(COMMUNITY_COLOURS, start=1)
    )
    shapes = "".join(
        f'<span class="shape">&#{ord(STANCE_SHAPES[s].glyph)};</span>{html.escape(_(s))} '
        for s in STANCE_SHAPES
    )
    words = {
        key: html.escape(text)
        for key, text in (
            ("stance", _("Colour: stance")),
            ("community", _("Colour: community")),
            ("rest", _("{n}+ or no ties").format(n=len(COMMUNITY_COLOURS) + 1)),
            ("shape", _("Shape: stance")),
            ("outline", _("Outline:")),
            ("outlines", _("heavy: decider or veto; dashed: third party")),
            ("size", _("Size:")),
            ("power", _("power")),
            ("arrows", _("Arrows:")),
            ("influences", _("influences (width: strength)")),
            ("repels", _("repels")),
        )
    }
    return (
        f'<span id="colour-stance"><strong>{words["stance"]}</strong>{stances}</span>'
        f'<span id="colour-community" hidden><strong>{words["community"]}</strong>{numbers}'
        f'<span class="swatch" style="background:{COMMUNITY_OTHER}"></span>{words["rest"]}</span>'
        f'<span class="sep"></span><strong>{words["shape"]}</strong> {shapes}'
        f'<span class="sep"></span><strong>{words["outline"]}</strong> {words["outlines"]}'
        f'<span class="sep"></span><strong>{words["size"]}</strong> {words["power"]}'
        f'<span class="sep"></span><strong>{words["arrows"]}</strong> &rarr; '
        f'{words["influences"]} <span class="repel">- - &rarr;</span> {words["repels"]}'
    )
