"""The plan written out: the ``plan --json`` shape of docs/cli.md and the terminal text.

JSON keeps every field of the first planner and adds, never removes: ``decision_body``,
``advice``, each step's ``wins`` and ``details``, ``close.confidence``; the method fields
(``method``, ``optimal``, ``gap``, ``effort``, ``proven_none``, ``unlock``); the rule checked
at the close (``rule``: every threshold with its exact ``share`` or ``count``, what it
``counts``, ``needed``, ``for_before``, ``for_after`` and ``holds``; the ``quorum``; how
``abstentions`` count; the ``blocking`` minority), ``close.margin`` (weight to spare on the
tightest threshold), ``close.tightest``, ``close.sinks`` and ``close.vetoes``; other ``routes``
and ``cheaper`` plans with why they were not chosen, and ``method_text``.
"""

from __future__ import annotations

from fractions import Fraction

from stakemap.language import gettext as _
from stakemap.planning.record import Plan, Route, ThresholdCheck
from stakemap.planning.words import counted_text, list_text, percent, phase_word

__all__ = ["plan_to_json", "plan_to_text"]


def _number(x: Fraction | None) -> int | float | None:
    """An exact count as JSON: whole numbers as integers, others to six decimals."""
    if x is None:
        return None
    return int(x) if x.denominator == 1 else round(float(x), 6)


def _fraction(x: Fraction | None) -> str | None:
    return None if x is None else f"{x.numerator}/{x.denominator}"


def _threshold(t: ThresholdCheck | None) -> dict | None:
    if t is None:
        return None
    return {
        "counts": t.counts,
        "share": _fraction(t.share),
        "count": _number(t.count),
        "more_than": t.strict,
        "needed": _number(t.needed),
        "total": _number(t.total),
        "for_before": _number(t.for_before),
        "for_after": _number(t.for_after),
        "holds": t.holds,
    }


def _route(r: Route) -> dict:
    confidence = None if r.confidence is None else round(r.confidence, 4)
    return {
        "names": list(r.names),
        "effort": r.effort,
        "confidence": confidence,
        "why_not": r.why_not,
    }


def plan_to_json(p: Plan) -> dict:
    """The plan as the CLI prints it (shares rounded to 4 places).

    >>> from stakemap.planning.planner import plan
    >>> from stakemap.samples.cases import new_programme
    >>> data = plan_to_json(plan(new_programme(), samples=0))
    >>> data["rule"]["thresholds"][0]["needed"], data["close"]["margin"]
    (12, 4)
    >>> data["close"]["vetoes"][0]["kind"], data["close"]["vetoes"][0]["blocks"]
    ('informal', False)
    """
    rule = p.rule
    return {
        "title": p.title,
        "champion": p.champion,
        "pass_share": round(p.pass_share, 4),
        "support_share_before": round(p.support_share_before, 4),
        "decision_body": p.body,
        "advice": list(p.advice),
        "steps": [
            {
                "order": s.order,
                "name": s.name,
                "phase": s.phase,
                "messengers": list(s.messengers),
                "ask": s.ask,
                "reason": s.reason,
                "support_share_after": round(s.support_share_after, 4),
                "wins": list(s.wins),
                "details": s.details,
            }
            for s in p.steps
        ],
        "close": {
            "ready": p.close.ready,
            "support_share": round(p.close.support_share, 4),
            "isolated": list(p.close.isolated),
            "reason": p.close.reason,
            "confidence": None if p.close.confidence is None else round(p.close.confidence, 4),
            "margin": _number(p.close.margin),
            "tightest": p.close.tightest,
            "sinks": list(p.close.sinks),
            "vetoes": [
                {
                    "name": v.name,
                    "kind": v.kind,
                    "stance_after": round(v.stance_after, 4),
                    "isolated": v.isolated,
                    "blocks": v.blocks,
                }
                for v in p.close.vetoes
            ],
        },
        "not_approached": list(p.not_approached),
        "method": p.method,
        "optimal": p.optimal,
        "gap": None if p.gap is None else round(p.gap, 4),
        "effort": round(p.effort, 4),
        "proven_none": p.proven_none,
        "unlock": [
            {"kind": u.kind, "text": u.text, "change": list(u.change), "effort": u.effort}
            for u in p.unlock
        ],
        "rule": {
            "thresholds": [_threshold(t) for t in rule.thresholds] if rule else [],
            "quorum": _threshold(rule.quorum) if rule else None,
            "abstentions": rule.abstentions if rule else "count against",
            "blocking": _threshold(rule.blocking) if rule else None,
        },
        "routes": [_route(r) for r in p.routes],
        "cheaper": [_route(r) for r in p.cheaper],
        "method_text": p.method_text,
    }


def plan_to_text(p: Plan) -> str:
    """The plan for a terminal: who decides, numbered steps, then the close."""
    lines = [
        _("Plan: {title} (champion: {champion})").format(
            title=p.title or _("proposal"), champion=p.champion or _("none")
        ),
        p.body,
        _("Support now: {share} of {counted}").format(
            share=percent(p.support_share_before, p.digits), counted=counted_text(p.counted)
        ),
        "",
    ]
    for s in p.steps:
        phase = phase_word(s.phase)
        if s.messengers:
            lines.append(
                _("{order}. [{phase}] {name} via {people}").format(
                    order=s.order, phase=phase, name=s.name, people=list_text(s.messengers)
                )
            )
        else:
            lines.append(f"{s.order}. [{phase}] {s.name}")
        if s.ask:
            lines.append("   " + _("Ask: {ask}").format(ask=s.ask))
        lines.append(f"   {s.reason}")
    lines += ["", _("Close: {reason}").format(reason=p.close.reason)]
    if p.close.confidence is not None:
        lines.append(
            _("Holds in {share} of nearby maps.").format(share=percent(p.close.confidence))
        )
    lines.append(p.method_text)
    for r in p.routes:
        text = _("Or: {names} (effort {effort:g})").format(
            names=then_text(r.names), effort=r.effort
        )
        lines.append(_("{text} ({why})").format(text=text, why=r.why_not) if r.why_not else text)
    for u in p.unlock:
        lines.append(
            "   "
            + _("What it would take: {change} (then effort {effort:g})").format(
                change=u.text, effort=u.effort
            )
        )
    if p.not_approached:
        lines.append(_("Not approached: {names}").format(names=list_text(p.not_approached)))
    return "\n".join(lines)


def then_text(names: tuple[str, ...] | list[str]) -> str:
    """People met one after another: 'Ben, then Ed'."""
    return _(", then ").join(names)
