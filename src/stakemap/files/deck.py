"""The map and its plan as a slide deck: PowerPoint (.pptx) written by python-pptx.

A title slide (the proposal, the map's name, the date), one slide a chosen view (the picture
of :mod:`stakemap.files.pictures`), then one slide a step of the plan
(:func:`stakemap.planning.planner.plan`): whom, through whom, the ask and the share for it
before and after, drawn as two bars against the pass line. Speaker notes carry the reasons:
the rule and the verdict on the title slide, what each class of a lens calls for, the
communities of the network, each step's reason and numbers, and the close. The slides are
16:9 and use the default theme; every name is a text run, never a field or markup. Every run
names an East Asian typeface (``a:ea``) beside the theme's Latin one, so Chinese words and
names are drawn in a CJK font rather than whatever the viewer falls back to.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.oxml.xmlchemy import OxmlElement
from pptx.slide import Slide
from pptx.text.text import _Run
from pptx.util import Emu, Inches, Pt

from stakemap.files.pictures import NETWORK, PICTURE_SIZE, VIEWS, picture, shown, view_title
from stakemap.files.printing import long_date
from stakemap.language import gettext as _
from stakemap.language import language, pgettext
from stakemap.lenses.people import class_summary
from stakemap.model import StakeholderMap
from stakemap.network.drawing import community_sentence
from stakemap.planning.planner import plan
from stakemap.planning.record import Plan, Step
from stakemap.planning.rule import rule_of
from stakemap.planning.words import PHASES, percent, share_before, step_facts

__all__ = ["HEIGHT", "WIDTH", "deck"]

#: Slide size: 16:9 at PowerPoint's default width.
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
_MARGIN = Inches(0.5)
_DARK, _GREY = RGBColor(0x22, 0x22, 0x22), RGBColor(0x59, 0x59, 0x59)
_BEFORE, _AFTER, _LINE = RGBColor(0xB8, 0xD8, 0xEE), RGBColor(0x00, 0x72, 0xB2), RGBColor(0, 0, 0)
#: The East Asian typeface of every run (Windows' and Office's Chinese UI font; others map it).
EA_TYPEFACE = "Microsoft YaHei"
#: The language tag of a run in a language other than English (spelling, line breaking).
_RUN_LANGUAGE = {"zh": "zh-CN"}


def deck(
    m: StakeholderMap,
    *,
    name: str,
    when: date,
    views: Sequence[str] = VIEWS,
    anonymise: bool = False,
    planned: Plan | None = None,
) -> bytes:
    """The deck of ``m`` as .pptx bytes: a title slide, a slide for each of ``views`` (in the
    order given) and one for each step of the plan (or one saying why there is none).
    ``planned`` is the plan of ``m`` when it is already made (the Plan page's); anonymised,
    the plan is made again on the map as shown, so no reason names anyone.

    >>> from pptx import Presentation
    >>> from stakemap.samples.cases import new_programme
    >>> data = deck(new_programme(), name="Demo", when=date(2026, 1, 2), views=["Power map"])
    >>> len(Presentation(io.BytesIO(data)).slides)  # title, the power map, six steps
    8
    """
    m = shown(m, anonymise)
    p = plan(m) if anonymise or planned is None else planned
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    blank = prs.slide_layouts[6]
    _title_slide(prs.slides.add_slide(blank), m, p, name, when)
    for view in views:
        _picture_slide(prs.slides.add_slide(blank), m, view)
    for step in p.steps:
        _step_slide(prs.slides.add_slide(blank), p, step)
    if not p.steps:
        _no_plan_slide(prs.slides.add_slide(blank), p)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _text(
    slide: Slide,
    box: tuple[int, int, int, int],
    lines: Sequence[tuple[str, int, bool, RGBColor]],
    fit: bool = False,
) -> None:
    """A text box holding ``lines`` of (text, points, bold, colour), as plain runs; ``fit``
    shrinks the text on overflow (PowerPoint and LibreOffice both honour it)."""
    frame = slide.shapes.add_textbox(*map(Emu, box)).text_frame
    frame.word_wrap = True
    if fit:
        frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    for i, (text, size, bold, colour) in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.space_after = Pt(size * 0.4)
        run = paragraph.add_run()
        run.text = text
        run.font.size, run.font.bold = Pt(size), bold
        run.font.color.rgb = colour
        _east_asian(run)


def _east_asian(run: _Run) -> None:
    """Give ``run`` the East Asian typeface, and the language in force unless English."""
    properties = run.font._rPr
    if language() in _RUN_LANGUAGE:
        properties.set("lang", _RUN_LANGUAGE[language()])
    ea = OxmlElement("a:ea")
    ea.set("typeface", EA_TYPEFACE)
    properties.insert_element_before(ea, "a:cs", "a:sym", "a:hlinkClick", "a:hlinkMouseOver",
                                     "a:rtl", "a:extLst")  # fmt: skip


def _title(slide: Slide, text: str, note: str = "") -> None:
    """The slide's title across the top, and ``note`` beneath it in grey."""
    lines = [(text, 30, True, _DARK)] + ([(note, 16, False, _GREY)] if note else [])
    _text(slide, (_MARGIN, Inches(0.3), WIDTH - 2 * _MARGIN, Inches(1.2)), lines, fit=True)


def _notes(slide: Slide, paragraphs: Sequence[str]) -> None:
    slide.notes_slide.notes_text_frame.text = "\n\n".join(p for p in paragraphs if p)


def _title_slide(slide: Slide, m: StakeholderMap, p: Plan, name: str, when: date) -> None:
    lines = [
        (m.proposal.title or _("The proposal"), 40, True, _DARK),
        (name, 24, False, _GREY),
        (long_date(when), 20, False, _GREY),
    ]
    if m.proposal.champion:
        champion = _("Champion: {name}").format(name=m.proposal.champion)
        lines.append((champion, 20, False, _GREY))
    box = (Inches(0.9), Inches(2.2), WIDTH - Inches(1.8), Inches(3.4))
    _text(slide, box, lines, fit=True)
    rule = rule_of(m).describe() if m.stakeholders else ""
    stands = _("Where it stands: {verdict}.").format(verdict=p.verdict) if p.verdict else ""
    _notes(slide, [rule, stands, p.method_text])


def _picture_slide(slide: Slide, m: StakeholderMap, view: str) -> None:
    _title(slide, view_title(view))
    top = Inches(1.15)
    room = WIDTH - 2 * _MARGIN, HEIGHT - top - Inches(0.25)
    scale = min(room[0] / PICTURE_SIZE[0], room[1] / PICTURE_SIZE[1])
    size = round(PICTURE_SIZE[0] * scale), round(PICTURE_SIZE[1] * scale)
    image = io.BytesIO(picture(m, view, titled=False))
    slide.shapes.add_picture(image, (WIDTH - size[0]) // 2, top, *size)
    if view == NETWORK:
        notes = [
            _(
                "An arrow runs from the one who influences to the one influenced; red dashed "
                "ties repel. Colour and shape show stance, size power; a heavy outline marks "
                "deciders and veto holders, a dashed one third parties."
            ),
            community_sentence(m),
        ]
    else:
        notes = [_class_note(c.name, c.strategy, c.people) for c in class_summary(m, view)]
    _notes(slide, notes)


def _class_note(name: str, strategy: str, people: Sequence[str]) -> str:
    """A lens class in the speaker notes: its name, count, what it calls for and its people."""
    if not people:
        return _("{lens_class} ({count}): {strategy}").format(
            lens_class=_(name), count=0, strategy=_(strategy)
        )
    return _("{lens_class} ({count}): {strategy} {names}.").format(
        lens_class=_(name), count=len(people), strategy=_(strategy), names=", ".join(people)
    )


def _step_slide(slide: Slide, p: Plan, step: Step) -> None:
    phase, what = PHASES.get(step.phase, (step.phase.capitalize(), ""))
    title = _("Step {order} of {total}: {name}").format(
        order=step.order, total=len(p.steps), name=step.name
    )
    note = _("{phase}. {what}").format(phase=_(phase), what=_(what) if what else "")
    _title(slide, title, note)
    facts = step_facts(p, step)[1:]
    top, left = Inches(1.7), _MARGIN
    for heading, words in facts:
        _text(slide, (left, top, Inches(2.6), Inches(0.6)), [(_(heading), 20, True, _GREY)])
        box = (left + Inches(2.7), top, WIDTH - 2 * _MARGIN - Inches(2.7), Inches(1.1))
        _text(slide, box, [(words, 22, False, _DARK)], fit=True)
        top += Inches(1.2)
    _bars(slide, p, step, top)
    close = [p.close.reason] if step.phase == "close" else []
    _notes(slide, [step.reason, step.details, *close])


def _bars(slide: Slide, p: Plan, step: Step, top: int) -> None:
    """The share for it before and after the step as two bars, with the pass line."""
    left, full = _MARGIN + Inches(2.7), WIDTH - 2 * _MARGIN - Inches(2.7)
    height = Inches(0.3)
    before = share_before(p, step)
    shares = (
        (pgettext("share", "before"), before, _BEFORE),
        (pgettext("share", "after"), step.support_share_after, _AFTER),
    )
    for i, (word, share, colour) in enumerate(shares):
        y = top + i * (height + Inches(0.08))
        _text(slide, (_MARGIN, y - Inches(0.06), Inches(2.6), height), [(word, 14, False, _GREY)])
        width = max(Emu(1), round(full * min(1.0, max(0.0, share))))
        bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, left, y, width, height)
        bar.fill.solid()
        bar.fill.fore_color.rgb = colour
        bar.line.fill.background()
    at = left + round(full * min(1.0, p.pass_share))
    line = slide.shapes.add_connector(1, at, top - Inches(0.1), at, top + 2 * height + Inches(0.2))
    line.line.color.rgb = _LINE
    line.line.width = Pt(2)
    label = _("passes from {share}").format(share=percent(p.pass_share, p.digits))
    _text(slide, (at - Inches(1.5), top + 2 * height + Inches(0.2), Inches(3), Inches(0.4)),
          [(label, 12, False, _GREY)])  # fmt: skip


def _no_plan_slide(slide: Slide, p: Plan) -> None:
    _title(slide, _("No plan on this map yet"))
    lines = [(p.verdict or _("Nobody is on the map yet."), 22, False, _DARK)]
    lines += [(u.text, 18, False, _GREY) for u in p.unlock]
    box = (_MARGIN, Inches(1.7), WIDTH - 2 * _MARGIN, HEIGHT - Inches(2.2))
    _text(slide, box, lines, fit=True)
    _notes(slide, [p.body, p.method_text])
