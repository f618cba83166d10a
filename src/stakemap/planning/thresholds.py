"""The thresholds a proposal passes with, as the decision rule reads them: its legacy single
rule (majority, unanimity, a share, one member) written as a threshold, and the one share of the
votes a what-if moves (docs/decision-rules.md)."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from stakemap.model import Proposal, Threshold
from stakemap.values import exact_share, measure_key

__all__ = ["pass_share_of", "thresholds", "thresholds_of", "with_pass_share"]

HALF = Fraction(1, 2)


def thresholds(proposal: Proposal, pass_share: float | Fraction | None) -> tuple[Threshold, ...]:
    """The proposal's thresholds, or its legacy single rule on votes; ``pass_share`` replaces
    the first share on votes.

    >>> thresholds(Proposal(decision_rule="majority"), Fraction(2, 3))
    (Threshold(amount='2/3', counts='votes'),)
    """
    lines = list(proposal.thresholds)
    if not lines:
        rule = proposal.decision_rule or "share"
        share = _exact_share(proposal.pass_share)
        amount = {"majority": HALF, "unanimity": Fraction(1), "share": share}.get(rule, share)
        lines = [Threshold(f"{amount.numerator}/{amount.denominator}")]
        if rule == "single":
            lines = [Threshold("1", "members")]
    if pass_share is not None:
        share = _exact_share(pass_share)
        at = next(
            (k for k, t in enumerate(lines) if t.is_share and measure_key(t.counts) == "votes"),
            None,
        )
        new = Threshold(f"{share.numerator}/{share.denominator}")
        if at is None:
            lines.insert(0, new)
        else:
            lines[at] = new
    return tuple(lines)


def thresholds_of(proposal: Proposal) -> tuple[Threshold, ...]:
    """The thresholds the proposal passes with, its legacy single rule written as one.

    >>> thresholds_of(Proposal(decision_rule="unanimity"))
    (Threshold(amount='1/1', counts='votes'),)
    """
    return thresholds(proposal, None)


def _exact_share(x: float | Fraction) -> Fraction:
    """A stored share as the fraction it stands for (float noise only: 0.6666666666666666)."""
    return exact_share(x, Fraction(1, 10**9))[0]


def pass_share_of(proposal: Proposal) -> Fraction | None:
    """The proposal's one share of the votes, when its rule is exactly that (None otherwise:
    several thresholds, a count, or another measure).

    >>> pass_share_of(Proposal(pass_share=2 / 3)), pass_share_of(Proposal(decision_rule="single"))
    (Fraction(2, 3), None)
    """
    lines = thresholds_of(proposal)
    if len(lines) != 1 or not lines[0].is_share or measure_key(lines[0].counts) != "votes":
        return None
    return lines[0].share


def with_pass_share(proposal: Proposal, share: Fraction) -> Proposal:
    """``proposal`` with its one share of the votes set to ``share`` (a legacy rule becomes a
    share rule; a Threshold on votes takes the new share).

    >>> with_pass_share(Proposal(decision_rule="majority"), Fraction(3, 5)).pass_share
    0.6
    """
    if not proposal.thresholds:
        return replace(proposal, pass_share=float(share), decision_rule="share")
    text = f"{share.numerator}/{share.denominator}"
    lines = tuple(
        Threshold(text, t.counts) if t.is_share and measure_key(t.counts) == "votes" else t
        for t in proposal.thresholds
    )
    return replace(proposal, thresholds=lines)
