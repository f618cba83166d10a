"""Export files of a map version, built when first downloaded and kept per version.

Every file draws the network where the pages do (:func:`stakemap.ui.session.placed`), so a
workbook re-imported keeps the picture, and the workbook's metrics sheet is the Network page's
table (:func:`stakemap.ui.session.measures`) and its plan the Plan page's at the proposal's pass
share (:func:`stakemap.ui.session.planned`): each is computed once per version. Pictures,
slides and the plan on a page are built the same way, once per version and choice of view and
anonymising (:func:`shown_section`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import streamlit as st

from stakemap.files.csvfiles import to_csv_zip
from stakemap.files.exporting import to_xlsx
from stakemap.files.graphfiles import to_gexf, to_graphml
from stakemap.files.kumu import to_kumu_xlsx
from stakemap.files.pictures import PICTURE_SIZES, VIEWS, picture, view_title
from stakemap.language import N_
from stakemap.language import gettext as _
from stakemap.network.drawing import network_html
from stakemap.ui.session import Current, measures, per_version, placed, planned

__all__ = [
    "EXPORTS",
    "SHOWN",
    "Choice",
    "download_button",
    "export_bytes",
    "file_stem",
    "shown_bytes",
    "shown_section",
]

#: kind -> (button label, file ending, MIME type, what the file holds); the label and what
#: it holds are translated where shown
EXPORTS: dict[str, tuple[str, str, str, str]] = {
    "xlsx": (N_("Excel workbook"), ".xlsx",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             N_("Stakeholders, Relationships and Proposal (re-importable, with dropdowns), one "
                "sheet per lens, a labelled power/interest chart, network metrics, the "
                "coalition plan and an About sheet.")),
    "zip": (N_("CSV files (zip)"), ".zip", "application/zip",
            N_("One CSV per canonical sheet, UTF-8 with BOM; formula-like text is prefixed "
               "with '.")),
    "html": (N_("Network (HTML)"), ".html", "text/html",
             N_("The influence network as one self-contained page that opens offline.")),
    "kumu": (N_("Kumu workbook"), ".kumu.xlsx",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             N_("Sheets Elements and Connections for Kumu (kumu.io): Type is the group, Tags "
                "the goals, Direction mutual for allies and rivals; re-importable here, layout "
                "included.")),
    "graphml": ("GraphML", ".graphml", "application/graphml+xml",
                N_("For Gephi, Cytoscape, yEd and networkx: people with every column as an "
                   "attribute, ties with strength, sign and kind, positions as x/y; "
                   "re-importable.")),
    "gexf": ("GEXF", ".gexf", "application/gexf+xml",
             N_("Gephi's own format: the same attributes, positions as viz:position; "
                "re-importable.")),
}  # fmt: skip


_BUILDERS: dict[str, Callable[[Current], bytes]] = {
    "xlsx": lambda cur: to_xlsx(
        placed(cur),
        name=cur.name,
        version=cur.version,
        measures=measures(cur),
        planned=planned(cur),
    ),
    "zip": lambda cur: to_csv_zip(cur.data),
    "html": lambda cur: network_html(placed(cur), None).encode("utf-8"),
    "kumu": lambda cur: to_kumu_xlsx(placed(cur)),
    "graphml": lambda cur: to_graphml(placed(cur)),
    "gexf": lambda cur: to_gexf(placed(cur)),
}


def export_bytes(kind: str, cur: Current) -> bytes:
    """The ``kind`` file of this version, built once per version."""
    return per_version(f"export-{kind}", cur, _BUILDERS[kind])


def download_button(kind: str, cur: Current, stem: str) -> None:
    """A button that builds the ``kind`` file, ``stem`` plus its ending, when clicked
    (Streamlit's deferred download), so the Export page opens at once whatever the map's size."""
    _label, ending, mime, _about = EXPORTS[kind]
    st.download_button(
        _("Download {ending}").format(ending=ending),
        lambda: export_bytes(kind, cur),
        file_name=f"{stem}{ending}",
        mime=mime,
        key=f"download-{kind}",
        icon=":material/download:",
        on_click="ignore",
        width="stretch",
    )


#: kind -> (button label, file ending, MIME type): what :func:`shown_section` offers.
SHOWN: dict[str, tuple[str, str, str]] = {
    "png": (N_("Picture (PNG)"), ".png", "image/png"),
    "svg": (N_("Picture (SVG)"), ".svg", "image/svg+xml"),
    "pptx": (N_("Slides (.pptx)"), ".pptx",
             "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "pdf": (N_("Plan on a page (PDF)"), ".pdf", "application/pdf"),
}  # fmt: skip


@dataclass(frozen=True)
class Choice:
    """What the pictures and slides show: the picture's ``view`` and ``size`` (px), the
    slides' ``views`` in order, and whether people are shown by role
    (:func:`stakemap.lenses.people.role_labels`)."""

    view: str
    views: tuple[str, ...]
    anonymise: bool
    size: tuple[int, int] = PICTURE_SIZES[0]

    def file_name(self, kind: str, stem: str) -> str:
        """``stem`` with what the file shows and its ending.

        >>> Choice("Power map", (), True).file_name("png", "Map_v2")
        'Map_v2_Power_map_anonymised.png'
        """
        shows = {"png": self.view, "svg": self.view, "pdf": "plan"}.get(kind, "")
        words = file_stem(shows)
        tail = "".join(f"_{w}" for w in (words, "anonymised" * self.anonymise) if w)
        return f"{stem}{tail}{SHOWN[kind][1]}"


def file_stem(text: str) -> str:
    """``text`` as part of a file name: word characters, hyphens, spaces as underscores.

    >>> file_stem("Board vote: 2/3 (draft)")
    'Board_vote_23_draft'
    """
    return re.sub(r"[^\w\- ]+", "", text).strip().replace(" ", "_")


def _size_words(size: tuple[int, int]) -> str:
    """A picture size as the menu shows it.

    >>> _size_words((1600, 900)), _size_words((1754, 1240))
    ('1600 x 900 (slides)', '1754 x 1240 (A4 landscape)')
    """
    use = {
        PICTURE_SIZES[0]: _("{width} x {height} (slides)"),
        (1920, 1080): _("{width} x {height} (projector)"),
        (1754, 1240): _("{width} x {height} (A4 landscape)"),
    }
    return use.get(size, "{width} x {height}").format(width=size[0], height=size[1])


def _shown(kind: str, cur: Current, choice: Choice, today: date) -> bytes:
    m = placed(cur)
    if kind in ("png", "svg"):
        return picture(m, choice.view, kind, choice.size, anonymise=choice.anonymise)
    made = None if choice.anonymise else planned(cur)
    # imported when first built: python-pptx and fpdf2 took 0.9 s, the Export page's whole
    # first visit, for files most visits never download (docs/speed.md)
    from stakemap.files.deck import deck
    from stakemap.files.plansheet import plan_pdf

    if kind == "pptx":
        return deck(
            m,
            name=cur.name,
            when=today,
            views=choice.views,
            anonymise=choice.anonymise,
            planned=made,
        )
    return plan_pdf(m, name=cur.name, when=today, anonymise=choice.anonymise, planned=made)


def shown_bytes(kind: str, cur: Current, choice: Choice) -> bytes:
    """The ``kind`` file of :data:`SHOWN` of this version as ``choice`` says, dated today,
    built once per version and choice."""
    today = date.today()
    wanted = [choice.view, list(choice.views), choice.anonymise, choice.size, today.isoformat()]
    key = f"shown-{kind}-{json.dumps(wanted)}"
    return per_version(key, cur, lambda c: _shown(kind, c, choice, today))


def shown_section(cur: Current, stem: str) -> None:
    """Pictures of any lens or the network, the slides and the plan on one page: the choices
    and a deferred download for each, so nothing is drawn until its button is clicked."""
    st.markdown(
        _(
            "**Pictures, slides and the plan on a page**  \nA lens or the influence network as "
            "a PNG or SVG picture (as the Map and Network pages draw them); slides with a "
            "title, a slide for each chosen view and one for each step of the plan, speaker "
            "notes with the reasons; the plan on one printable page."
        )
    )
    left, middle, right = st.columns([2, 1, 2])
    # the words of this run, not a function of the language (a test's harness calls it later)
    titles = {view: view_title(view) for view in VIEWS}
    view = left.selectbox(_("Picture of"), VIEWS, format_func=titles.get, key="export-view")
    size = middle.selectbox(
        _("Picture size (px)"),
        PICTURE_SIZES,
        format_func={size: _size_words(size) for size in PICTURE_SIZES}.get,
        key="export-size",
        help=_("A crowded map names its people at a larger size; the picture says which."),
    )
    views = right.multiselect(
        _("Slides show"),
        VIEWS,
        default=list(VIEWS),
        format_func=titles.get,
        key="export-views",
        placeholder=_("Only the title and the plan"),
    )
    anonymise = st.toggle(
        _("Anonymise: show each person's role (or Person 1, 2, ...) instead of their name"),
        key="export-anonymise",
    )
    choice = Choice(view, tuple(views), anonymise, size)
    for column, (kind, (label, _ending, mime)) in zip(
        st.columns(len(SHOWN)), SHOWN.items(), strict=True
    ):
        column.download_button(
            _(label),
            lambda kind=kind: shown_bytes(kind, cur, choice),
            file_name=choice.file_name(kind, stem),
            mime=mime,
            key=f"download-{kind}",
            icon=":material/download:",
            on_click="ignore",
            width="stretch",
        )
