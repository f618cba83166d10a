"""From a cell's text to a field of the map: dates, outcomes, the proposal's rows, the role a
sheet's name gives it, and the words accepted for each (docs/workbook.md).
"""

from __future__ import annotations

import datetime as dt

import stakemap.vocabulary_zh as zh
from stakemap.language import N_
from stakemap.language import gettext as _
from stakemap.model import OUTCOMES, ProposalPart, Threshold
from stakemap.schema import NAMED_SHEETS, SHEETS, Column, SheetSpec, match_sheet, normalise_header
from stakemap.values import (
    BadValue,
    cell_text,
    measure_key,
    parse_abstentions,
    parse_choice,
    parse_number,
    parse_rule,
    parse_scale,
    parse_share,
    parse_stance,
    parse_strength,
    parse_tags,
    parse_threshold,
    parse_votes,
)

__all__ = [
    "ACCEPTED",
    "IGNORED",
    "match_role",
    "parse_date",
    "parse_outcome",
    "proposal_field",
    "quoted",
    "set_field",
]

#: What a threshold's Tags may name, as problem messages say it.
_COUNTS_ACCEPTED = N_("votes, members, or the name of a numeric Stakeholders column")


def proposal_field(
    values: dict,
    key: str,
    raw_key: str,
    value: object,
    tags: tuple[str, ...],
    names: dict[str, str],
    custom: list[str],
) -> str:
    """One Proposal row into ``values``; returns a report note ("" for none) and raises
    :class:`BadValue` (with ``column`` "Tags" when the tags are at fault)."""
    if key == "title":
        values["title"] = value
    elif key == "champion":
        if value and str(value).casefold() not in names:
            raise BadValue(_("is not a name on the Stakeholders sheet"), _(ACCEPTED["text"]))
        values["champion"] = names.get(str(value).casefold(), "")
    elif key == "pass share":
        if value != "":
            share, note = parse_share(value)
            values["pass_share"] = float(share)
            return note
    elif key == "decision rule":
        if value == "":
            return ""
        if parse_rule(str(value)) is None:
            raise BadValue(
                _("is not a decision rule"),
                _("share of votes, majority, unanimity or single decider"),
            )
        values["decision_rule"] = parse_rule(str(value))
    elif key in ("threshold", "quorum", "blocking minority"):
        amount, note = parse_threshold(value)
        counts = _counts(tags, custom, "members" if key == "blocking minority" else "votes")
        line = Threshold(amount, counts)
        if key == "threshold":
            values["thresholds"].append(line)
        else:
            values[key.replace(" ", "_")] = line
        return note
    elif key == "abstentions":
        values["abstentions"] = parse_abstentions(value)
    elif key == "rough":
        for item in (*parse_tags(value), *tags):
            values["rough"].append(_counts((item,), custom, "votes", column="Value"))
    elif key == "part":
        values["parts"].append(ProposalPart(str(value), tuple(tags)))
    elif key:
        values["extra"][raw_key] = str(value)
    return ""


def _counts(tags: tuple[str, ...], custom: list[str], default: str, column: str = "Tags") -> str:
    """What a threshold counts, from its Tags: votes, members or a Stakeholders column (its
    spelling as the sheet has it)."""
    if len(tags) > 1:
        bad = BadValue(_("names more than one thing to count"), _(_COUNTS_ACCEPTED))
        bad.column = column
        raise bad
    if not tags:
        return default
    key = measure_key(tags[0])
    if key in ("votes", "members"):
        return key
    found = next((c for c in custom if c.casefold() == key.casefold()), None)
    if found is None:
        bad = BadValue(_("is not votes, members or a Stakeholders column"), _(_COUNTS_ACCEPTED))
        bad.column = column
        raise bad
    return found


def set_field(fields: dict, col: Column, value: object, scales: dict[str, str]) -> None:
    if col.kind == "text":
        fields[col.field] = cell_text(value)
    elif col.kind == "scale":
        fields[col.field] = parse_scale(value, scales.get(col.name, "1-5"))
    elif col.kind == "stance":
        stance, unaware = parse_stance(value, scales.get(col.name, "-2..+2"))
        fields[col.field] = stance
        if col.field == "stance":
            fields["unaware"] = unaware
    elif col.kind == "tags":
        fields[col.field] = parse_tags(value)
    elif col.kind == "choice":
        fields[col.field] = parse_choice(value, col.name)
    elif col.kind == "strength":
        fields[col.field] = parse_strength(value)
    elif col.kind == "votes":
        fields[col.field] = parse_votes(value)
    elif col.kind == "date":
        fields[col.field] = parse_date(value)
    elif col.kind == "outcome":
        fields[col.field] = parse_outcome(value)
    elif col.kind == "step":
        parsed = parse_number(value)
        if parsed is None or parsed[1] or parsed[0] < 1 or parsed[0] != int(parsed[0]):
            raise BadValue(_("is not a step number"), _(ACCEPTED["step"]))
        fields[col.field] = int(parsed[0])
    elif col.kind == "number":
        parsed = parse_number(value)
        if parsed is None or parsed[1]:
            raise BadValue(_("is not a number"), _("a number"))
        fields[col.field] = parsed[0]


#: What an Engagements cell accepts, by column kind (for problems).
ACCEPTED = {
    "text": N_("a name from the Stakeholders sheet"),
    "date": N_("a date such as 2026-12-02 (or its serial number, such as 46358)"),
    "outcome": N_("Won, Agreed but passive or Not convinced"),
    "stance": N_("Blocker, Critic, Neutral, Supporter or Champion"),
    "step": N_("a whole number from 1"),
}  # shown with gettext


#: Excel's (and LibreOffice's) day 0 of date serials, with 1900 taken for a leap year, so right
#: from 1 March 1900 (serial 61) on; the last day a spreadsheet holds is serial 2958465.
_SERIAL_ZERO = dt.date(1899, 12, 30)
_SERIALS = (61, 2958465)


def parse_date(value: object) -> str:
    """A meeting's date as ISO text, from a date cell, text such as 2026-12-02, or a date
    serial: the number a date cell holds when its date format is lost (46358 is 2026-12-02;
    a time of day after the point is dropped).

    >>> import datetime as dt
    >>> parse_date(dt.datetime(2026, 12, 2)), parse_date(" 2026-12-02 "), parse_date(46358.75)
    ('2026-12-02', '2026-12-02', '2026-12-02')
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        if _SERIALS[0] <= value <= _SERIALS[1]:
            return (_SERIAL_ZERO + dt.timedelta(days=int(value))).isoformat()
        raise BadValue(_("is not a date"), _(ACCEPTED["date"]))
    text = cell_text(value)
    day = text[:10] if len(text) == 10 or text[10:] == " 00:00:00" else ""
    try:
        return dt.date.fromisoformat(day).isoformat()
    except ValueError:
        raise BadValue(_("is not a date"), _(ACCEPTED["date"])) from None


def parse_outcome(value: object) -> str:
    """A meeting's outcome (a key of :data:`stakemap.model.OUTCOMES`) from its words or key.

    >>> parse_outcome("Agreed but passive"), parse_outcome(" WON "), parse_outcome("未被說服")
    ('passive', 'won', 'not convinced')
    """
    key = " ".join(cell_text(value).split()).casefold()
    if zh.fold(key) in zh.OUTCOMES:
        return zh.OUTCOMES[zh.fold(key)]
    for outcome, words in OUTCOMES.items():
        if key in (outcome, words.casefold()):
            return outcome
    raise BadValue(_("is not an outcome"), _(ACCEPTED["outcome"]))


def quoted(headers: list[str]) -> str:
    """ "A", "B" or "C" """
    shown = [f'"{h}"' for h in headers]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


#: Kumu skips a sheet whose name holds this; so does Stakemap, but for its own sheets that a
#: Kumu workbook carries (docs/workbook.md, "Kumu").
IGNORED = "(ignore)"


def match_role(title: str) -> SheetSpec | None:
    """The role a sheet's name gives it: a canonical sheet, the Layout or Engagements sheet;
    marked "(ignore)", only Proposal, Layout or Engagements (as the Kumu export writes them).

    >>> [getattr(match_role(t), "name", None) for t in ("Ties", "Layout (ignore)", "Ties (Ignore)")]
    ['Relationships', 'Layout', None]
    """
    key = normalise_header(title)
    if IGNORED in key:
        key = normalise_header(key.replace(IGNORED, ""))
        own = (SHEETS[2], *NAMED_SHEETS)
        return next((spec for spec in own if key == normalise_header(spec.name)), None)
    spec = match_sheet(title)
    for named in NAMED_SHEETS if spec is None else ():
        if key == normalise_header(named.name) or key in named.synonyms:
            return named
    return spec
