"""Printed pages laid out offline: the fonts and the A4 page every PDF of Stakemap uses.

fpdf2 (pure Python) lays out the text in DejaVu Sans with Droid Sans Fallback for CJK
(Debian's fonts-dejavu-core and fonts-droid-fallback, the Makefile's fonts target); without
them it falls back to Helvetica and replaces what Latin-1 lacks. Every name is written as
plain text: fpdf2 interprets no markup unless asked (``markdown=False`` throughout).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from fpdf import FPDF, FontFace

from stakemap.language import gettext as _

__all__ = ["FONT_DIRS", "Handout", "font_files", "long_date"]

#: Font directories searched, Debian's first.
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/droid")
_FONTS = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
_FALLBACK = "DroidSansFallbackFull.ttf"
_FAMILY = "DejaVu"


def long_date(when: date) -> str:
    """``when`` written out, as a title page or a printed page dates itself.

    >>> long_date(date(2026, 1, 2))
    '2 January 2026'
    """
    # Translators: the date on a title slide or a printed page; {when.year}, {when.month} and
    # {when.day} are the year's, month's and day's numbers.
    return _("{when:%d %B %Y}").format(when=when).lstrip("0")


def font_files(dirs: Sequence[str] = FONT_DIRS) -> tuple[dict[str, Path], Path | None]:
    """DejaVu Sans regular and bold ({} when either is missing) and the CJK fallback font.

    >>> font_files(["/nowhere"])
    ({}, None)
    """
    found: dict[str, Path] = {}
    for name in (*_FONTS.values(), _FALLBACK):
        paths = (Path(d) / name for d in dirs)
        path = next((p for p in paths if p.is_file()), None)
        if path is not None:
            found[name] = path
    main = {style: found[name] for style, name in _FONTS.items() if name in found}
    return (main if len(main) == len(_FONTS) else {}), found.get(_FALLBACK)


class Handout(FPDF):
    """A4 pages with ``footer_text`` and the page number in the footer, text in DejaVu Sans
    (CJK from the fallback font) found in ``dirs``, or Helvetica.

    >>> pdf = Handout("Demo", ["/nowhere"])
    >>> pdf.add_page()
    >>> pdf.para("Zoë 李娜")
    >>> bytes(pdf.output())[:5]
    b'%PDF-'
    """

    def __init__(self, footer_text: str, dirs: Sequence[str] = FONT_DIRS) -> None:
        super().__init__(format="A4", unit="mm")
        self.set_auto_page_break(True, margin=15)
        self.set_margins(15, 15, 15)
        self.footer_text = footer_text
        main, fallback = font_files(dirs)
        self._unicode = bool(main)
        if self._unicode:
            for style, path in main.items():
                self.add_font(_FAMILY, style, str(path))
            if fallback is not None:
                self.add_font("Fallback", "", str(fallback))
                self.set_fallback_fonts(["Fallback"], exact_match=False)
            self._family = _FAMILY
        else:
            self._family = "helvetica"

    def clean(self, text: object) -> str:
        """``text`` as the font can draw it (Helvetica: Latin-1 only)."""
        s = str(text)
        return s if self._unicode else s.encode("latin-1", "replace").decode("latin-1")

    def use(self, size: float, bold: bool = False) -> None:
        """Write in the page's font at ``size`` points."""
        self.set_font(self._family, "B" if bold else "", size)

    def para(self, text: str, size: float = 11, bold: bool = False, gap: float = 2) -> None:
        """A paragraph of plain text across the page, then ``gap`` mm."""
        self.use(size, bold)
        self.multi_cell(0, size * 0.5, self.clean(text), markdown=False, align="L", new_x="LMARGIN")
        self.ln(gap)

    def footer(self) -> None:
        self.set_y(-11)
        self.use(8)
        self.set_text_color(110)
        footer = _("{footer} · page {page}").format(footer=self.footer_text, page=self.page_no())
        self.cell(0, 5, self.clean(footer), align="C")
        self.set_text_color(0)

    def grid(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: tuple,
        size: float = 9,
    ) -> None:
        """A table whose cells wrap, in ``size`` points; the header repeats on every page it
        spans."""
        self.use(size)
        head = FontFace(emphasis="BOLD", fill_color=(230, 236, 245))
        with self.table(
            col_widths=widths,
            headings_style=head,
            line_height=size * 4.6 / 9,
            markdown=False,
            text_align="LEFT",
            v_align="TOP",
            first_row_as_headings=True,
            repeat_headings=1,
        ) as table:
            for row in (header, *rows):
                line = table.row()
                for value in row:
                    line.cell(self.clean(value))
        self.ln(4)
