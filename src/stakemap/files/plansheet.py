"""The plan on one printed page (PDF), for the person who carries it.

The proposal, the rule in words (:meth:`stakemap.planning.rule.Rule.describe`), where it stands,
the steps in order (whom, through whom, the ask, the share for it after) and the close, on an
A4 page laid out by fpdf2 in the fonts of :mod:`stakemap.files.printing` (CJK names drawn from
the fallback font). The text shrinks, a point at a time down to 6.5 pt, until it fits one page;
a plan too long even then lists its first steps and says how many more the Plan page holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from stakemap.files.pictures import shown
from stakemap.files.printing import FONT_DIRS, Handout, long_date
from stakemap.language import gettext as _
from stakemap.language import ngettext
from stakemap.model import StakeholderMap
from stakemap.planning.planner import plan
from stakemap.planning.record import Plan
from stakemap.planning.rule import rule_of
from stakemap.planning.words import percent, step_facts

__all__ = ["SIZES", "plan_pdf"]

#: Font sizes (pt) tried, largest first, for the page to hold the whole plan.
SIZES = (10.0, 9.0, 8.0, 7.0, 6.5)
_WIDTHS = (8, 36, 42, 58, 36)  # mm: #, whom, through whom, the ask, for it after


def plan_pdf(
    m: StakeholderMap,
    *,
    name: str,
    when: date,
    anonymise: bool = False,
    planned: Plan | None = None,
    font_dirs: Sequence[str] = FONT_DIRS,
) -> bytes:
    """The plan of ``m`` as a one-page PDF. ``planned`` is the plan when already made (the
    Plan page's); anonymised, it is made again on the map as shown, so nothing names anyone.

    >>> from pypdf import PdfReader
    >>> from stakemap.samples.cases import new_programme
    >>> import io
    >>> pdf = plan_pdf(new_programme(), name="Demo", when=date(2026, 1, 2))
    >>> len(PdfReader(io.BytesIO(pdf)).pages)
    1
    """
    m = shown(m, anonymise)
    p = plan(m) if anonymise or planned is None else planned
    rule = rule_of(m).describe() if m.stakeholders else ""
    for size in SIZES:
        document, pages = _page(m, p, rule, name, when, size, len(p.steps), font_dirs)
        if pages == 1:
            return document
    kept = len(p.steps)
    while kept > 1 and pages > 1:
        kept -= max(1, kept // 8)
        document, pages = _page(m, p, rule, name, when, SIZES[-1], kept, font_dirs)
    return document


def _page(
    m: StakeholderMap,
    p: Plan,
    rule: str,
    name: str,
    when: date,
    size: float,
    kept: int,
    font_dirs: Sequence[str],
) -> tuple[bytes, int]:
    """The page in ``size`` points with the first ``kept`` steps, and how many pages it took."""
    pdf = Handout(f"{name} · {when:%Y-%m-%d} · Stakemap", font_dirs)
    title = m.proposal.title or _("The proposal")
    pdf.set_title(pdf.clean(_("Plan: {title}").format(title=title)))
    pdf.set_creator("Stakemap")
    pdf.add_page()
    pdf.set_text_color(90)
    pdf.para(_("Coalition plan"), size, gap=0.5)
    pdf.set_text_color(0)
    pdf.para(title, size + 6, bold=True, gap=1)
    facts = [name, long_date(when)]
    if m.proposal.champion:
        facts.append(_("champion: {name}").format(name=m.proposal.champion))
    pdf.para(" · ".join(facts), size, gap=3)
    if rule:
        pdf.para(_("How it is decided"), size + 1, bold=True, gap=0.5)
        pdf.para(rule, size, gap=2.5)
    if p.verdict:
        pdf.para(_("Where it stands"), size + 1, bold=True, gap=0.5)
        now = _("{verdict}. For it now: {share} of {counted}.").format(
            verdict=f"{p.verdict[0].upper()}{p.verdict[1:]}",
            share=percent(p.support_share_before, p.digits),
            counted=p.counted,
        )
        pdf.para(now, size, gap=2.5)
    if p.steps:
        pdf.para(_("The steps, in order"), size + 1, bold=True, gap=1)
        rows = [_row(p, i) for i in range(kept)]
        if kept < len(p.steps):
            more = len(p.steps) - kept
            rest = ngettext(
                "and {n} more step: see the Plan page",
                "and {n} more steps: see the Plan page",
                more,
            ).format(n=more)
            rows.append(["", rest, "", "", ""])
        header = ["#", _("Whom"), _("Through whom"), _("The ask"), _("For it after")]
        pdf.grid(header, rows, _WIDTHS, size)
        close = p.close
        pdf.para(_("The close"), size + 1, bold=True, gap=0.5)
        pdf.para(close.reason, size, gap=1.5)
        if close.confidence is not None:
            holds = _("It holds in {share} of nearby maps.").format(share=percent(close.confidence))
            pdf.para(holds, size, gap=1)
        pdf.para(p.method_text, size, gap=1)
    else:
        pdf.para(_("No plan on this map yet"), size + 1, bold=True, gap=0.5)
        for line in [p.method_text, *(u.text for u in p.unlock)]:
            pdf.para(line, size, gap=1)
    return bytes(pdf.output()), pdf.pages_count


def _row(p: Plan, i: int) -> list[str]:
    """Step ``i`` as a row: its number, whom, through whom, the ask and the share after."""
    step = p.steps[i]
    whom, through, ask = (words for _heading, words in step_facts(p, step)[:3])
    after = percent(step.support_share_after, p.digits)
    return [
        str(step.order),
        whom,
        through,
        ask,
        f"{after}: {step.standing}" if step.standing else after,
    ]
