"""Workshop handouts drawn offline: the projector's lens as PNG, the session's outcome as PDF.

Pure Python (no streamlit). Charts are the Map page's own Altair charts
(:mod:`stakemap.lenses.chart`) rendered by vl-convert, Altair's
offline saver: the Vega-Lite and Vega engines and their schemas ship inside the wheel and text
is drawn with the machine's fonts, so nothing is fetched. The PDF's lens page is the same spec
as the PNG, drawn by vl-convert as a vector PDF page (every layer, its text searchable) and
placed on the handout's page by pypdf. The text pages are laid out by fpdf2 on the pages and
fonts of :mod:`stakemap.files.printing`; every name, question and reason is written as plain
text. Every word is in the language in force (:func:`stakemap.language.speaking` around a call
made outside the session's script run).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import vl_convert as vlc
from pypdf import PdfReader, PdfWriter, Transformation

from stakemap.files.printing import FONT_DIRS, Handout
from stakemap.language import N_
from stakemap.language import gettext as _
from stakemap.lenses.people import anonymise, shown_map
from stakemap.lenses.picture import lens_spec
from stakemap.model import StakeholderMap
from stakemap.planning import planner as coalition
from stakemap.planning.words import PHASES, percent
from stakemap.room.rounds import ItemResult, rank_disagreement
from stakemap.room.sessions import Participant, Round, WorkshopSession

__all__ = [
    "PNG_SIZE",
    "RoundOutcome",
    "outcome_pdf",
    "projector_pdf",
    "projector_png",
]

#: The projector PNG's size in pixels (16:9, a 1080p projector at scale 1.5).
PNG_SIZE = (1600, 900)
#: How the title page says the people are shown, by anonymise mode.
_MODES = {"names": N_("names"), "initials": N_("initials"), "letters": N_("letters (A, B, ...)")}
#: The ratings table's columns and the plan's.
_RATINGS_HEADER = (
    N_("Question"),
    N_("Answers"),
    N_("Median"),
    N_("Spread (IQR)"),
    N_("Disagreement"),
    N_("Furthest"),
)
_PLAN_HEADER = ("#", N_("Phase"), N_("Person"), N_("Messengers"), N_("Ask"), N_("Reason"))


@dataclass(frozen=True)
class RoundOutcome:
    """One rating round of the session and its aggregated answers (any order)."""

    round: Round
    results: list[ItemResult]


def _spec(m: StakeholderMap, session: WorkshopSession) -> dict:
    """The projector's lens chart, anonymised as the session says, :data:`PNG_SIZE` exactly."""
    mode = session.anonymise
    return lens_spec(shown_map(m, mode), session.lens, PNG_SIZE, details=mode == "names")


def projector_png(m: StakeholderMap, session: WorkshopSession, scale: float = 1.0) -> bytes:
    """The session's lens as the projector shows it, anonymised as the session says, as PNG
    bytes of :data:`PNG_SIZE` times ``scale``. The network and plan views are not charts: the
    handout always draws the session's chosen lens."""
    return vlc.vegalite_to_png(_spec(m, session), scale=scale)


def projector_pdf(m: StakeholderMap, session: WorkshopSession) -> bytes:
    """The chart of :func:`projector_png` as a one-page vector PDF (:data:`PNG_SIZE` in
    points): the same spec, so the same regions, titles, people and legend."""
    return vlc.vegalite_to_pdf(_spec(m, session))


def _participant_labels(participants: Sequence[Participant], mode: str) -> dict[str, str]:
    """Display names as printed: themselves, or "Participant N" when the room is anonymised."""
    if mode == "names":
        return {p.label: p.label for p in participants}
    return {p.label: _("Participant {n}").format(n=i) for i, p in enumerate(participants, 1)}


def _in_order(who: dict[str, str], names: Sequence[str]) -> list[str]:
    """``names`` as printed, in the order the participants joined."""
    wanted = set(names)
    return [label for name, label in who.items() if name in wanted] + [
        "?" for name in names if name not in who
    ]


def _title_page(
    pdf: Handout,
    name: str,
    version: int,
    session: WorkshopSession,
    participants: Sequence[Participant],
    when: datetime,
) -> None:
    pdf.add_page()
    pdf.ln(30)
    pdf.para(_("Workshop outcome"), 13, gap=4)
    pdf.para(name, 24, bold=True, gap=8)
    if session.closed:
        status = _("Session: closed (the code has ended)")
    else:
        status = _("Session: open, code {code}").format(code=session.code)
    mode = session.anonymise
    lines = [
        _("Date: {date} UTC").format(date=f"{when:%Y-%m-%d %H:%M}"),
        _("Map version: {version}").format(version=version),
        status,
        _("Participants: {n}").format(n=len(participants)),
        _("People shown as: {mode}").format(mode=_(_MODES[mode]) if mode in _MODES else mode),
        _("Lens: {lens}").format(lens=_(session.lens)),
    ]
    for line in lines:
        pdf.para(line, 12, gap=1.5)
    if session.anonymise == "names" and participants:
        pdf.ln(6)
        pdf.para(_("Participants"), 12, bold=True)
        pdf.para(_(", ").join(p.label for p in participants), 10)


@dataclass(frozen=True)
class _ChartBox:
    """Where the lens chart goes on the handout: page index and a box in PDF points (origin
    bottom left), filled after fpdf2 has laid out the text pages."""

    page: int
    x: float
    y: float
    width: float


def _chart_page(pdf: Handout, session: WorkshopSession) -> _ChartBox:
    """A landscape page with the lens's name; the chart is placed by :func:`_place_chart`."""
    pdf.add_page(orientation="L")
    pdf.para(_(session.lens), 14, bold=True)
    room = pdf.w - pdf.l_margin - pdf.r_margin, pdf.h - pdf.get_y() - 18
    width = min(room[0], room[1] * PNG_SIZE[0] / PNG_SIZE[1])
    height = width * PNG_SIZE[1] / PNG_SIZE[0]
    to_pt = 72 / 25.4
    bottom = pdf.h - pdf.get_y() - height
    return _ChartBox(pdf.page_no() - 1, (pdf.w - width) / 2 * to_pt, bottom * to_pt, width * to_pt)


def _place_chart(document: bytes, chart: bytes, box: _ChartBox) -> bytes:
    """``document`` with the one-page vector ``chart`` scaled into ``box``."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(document)))
    drawing = PdfReader(io.BytesIO(chart)).pages[0]
    scale = box.width / float(drawing.mediabox.width)
    at = Transformation().scale(scale, scale).translate(box.x, box.y)
    writer.pages[box.page].merge_transformed_page(drawing, at)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _ratings(
    pdf: Handout,
    m: StakeholderMap,
    session: WorkshopSession,
    rounds: Sequence[RoundOutcome],
    participants: Sequence[Participant],
) -> None:
    pdf.add_page()
    pdf.para(_("Ratings"), 16, bold=True, gap=3)
    if not rounds:
        pdf.para(_("No rating round was held in this session."))
        return
    labels = anonymise(m.names, session.anonymise)
    who = _participant_labels(participants, session.anonymise)
    header = [_(column) for column in _RATINGS_HEADER]
    for outcome in sorted(rounds, key=lambda o: o.round.number):
        rnd = outcome.round
        adopted = (
            _("adopted into map version {version}").format(version=rnd.adopted_version)
            if rnd.adopted_version is not None
            else _("not adopted")
        )
        heading = (
            _("Round {number} · open · {adopted}")
            if rnd.open
            else _("Round {number} · closed · {adopted}")
        )
        pdf.para(heading.format(number=rnd.number, adopted=adopted), 12, bold=True)
        ranked = rank_disagreement(outcome.results, m.names)
        if not ranked:
            pdf.para(_("No answers."), gap=4)
            continue
        rows = [
            [
                r.item.question(labels),
                str(r.count),
                r.item.scale.describe(r.median),
                f"{r.spread:g}",
                f"{r.disagreement:.2f}",
                _(", ").join(_in_order(who, r.outliers)),
            ]
            for r in ranked
        ]
        pdf.grid(header, rows, (58, 17, 18, 18, 29, 40))
    pdf.para(
        _(
            "Median: the middle answer. Spread: interquartile range (Tukey's hinges). "
            "Disagreement: mean distance from the median over the scale's width, 0 to 0.5. "
            "Rows run from most to least disagreement."
        ),
        8,
    )


def _plan(pdf: Handout, m: StakeholderMap, mode: str) -> None:
    room = shown_map(m, mode)
    pdf.add_page()
    pdf.para(_("Coalition plan"), 16, bold=True, gap=3)
    if not room.stakeholders:
        pdf.para(_("The map has no people."))
        return
    p = coalition.plan(room)
    title = room.proposal.title or _("The proposal")
    pdf.para(_("{title}: {verdict}.").format(title=title, verdict=p.verdict), 11)
    if p.body:
        pdf.para(p.body, 9)
    rows = [
        [
            str(s.order),
            _(PHASES[s.phase][0]) if s.phase in PHASES else s.phase.capitalize(),
            s.name,
            _(", ").join(s.messengers) or "-",
            s.ask or "-",
            s.reason,
        ]
        for s in p.steps
    ]
    header = [column if column == "#" else _(column) for column in _PLAN_HEADER]
    pdf.grid(header, rows, (7, 17, 26, 27, 28, 75))
    close = p.close
    pdf.para(_("The close"), 12, bold=True)
    pdf.para(_("Group meeting: ready.") if close.ready else _("Group meeting: not ready yet."))
    pdf.para(close.reason)
    confidence = (
        _("Confidence: not measured (large map).")
        if close.confidence is None
        else _("Confidence: holds in {share} of nearby maps.").format(
            share=percent(close.confidence)
        )
    )
    pdf.para(_("{confidence} {method}").format(confidence=confidence, method=p.method_text))


def outcome_pdf(
    m: StakeholderMap,
    *,
    name: str,
    version: int,
    session: WorkshopSession,
    participants: Sequence[Participant],
    rounds: Sequence[RoundOutcome],
    when: datetime,
    font_dirs: Sequence[str] = FONT_DIRS,
) -> bytes:
    """The session's outcome: a title page, the lens chart, the ratings of every round and
    the coalition plan (:func:`stakemap.planning.planner.plan`), as PDF bytes. People on the map and
    participants are shown as the session's anonymise setting says
    (:func:`stakemap.lenses.people.shown_map`).

    >>> from stakemap.samples.cases import new_programme
    >>> s = WorkshopSession(1, 1, "ABC234", False, "lens", "Power map", "letters", 0, 1, 1, False)
    >>> pdf = outcome_pdf(new_programme(), name="Demo", version=1, session=s,
    ...                   participants=[], rounds=[], when=datetime(2026, 1, 2))
    >>> pdf[:5]
    b'%PDF-'
    """
    pdf = Handout(_("{name} · version {version}").format(name=name, version=version), font_dirs)
    pdf.set_title(pdf.clean(_("Workshop outcome: {name}").format(name=name)))
    pdf.set_creator("Stakemap")
    _title_page(pdf, name, version, session, participants, when)
    box = _chart_page(pdf, session) if shown_map(m, session.anonymise).stakeholders else None
    _ratings(pdf, m, session, rounds, participants)
    _plan(pdf, m, session.anonymise)
    document = bytes(pdf.output())
    if box is None:
        return document
    return _place_chart(document, projector_pdf(m, session), box)
