"""The words a workbook is written in: sheet titles, column headers, the Proposal sheet's keys
and the words of its cells (stances, decision roles, kinds of tie, outcomes, decision rules), in
the language in force (docs/languages.md).

The map's own words (stance labels, decision roles, ...) are identifiers; here each is given its
shown form, ``pgettext("header", ...)`` for a title, header or key and ``pgettext("cell", ...)``
for a cell's word, so that a workbook word never takes the translation of a page's message of
another meaning. In English every word is itself, so the English workbook is as it was; a
Chinese workbook's words are the ones the importer reads back (利益相关者, 姓名, 阻挠者, ...).
"""

from __future__ import annotations

from stakemap.language import pgettext
from stakemap.schema import PROPOSAL_KEYS

__all__ = ["cell_word", "cell_words", "header", "header_words", "localised_rows"]


def header_words() -> dict[str, str]:
    """Every sheet title, column header and Proposal key, English -> the language in force.

    >>> header_words()["Target stance"]
    'Target stance'
    """
    return {
        # sheets
        "Stakeholders": pgettext("header", "Stakeholders"),
        "Relationships": pgettext("header", "Relationships"),
        "Proposal": pgettext("header", "Proposal"),
        "Layout": pgettext("header", "Layout"),
        "Engagements": pgettext("header", "Engagements"),
        "Ratings": pgettext("header", "Ratings"),
        # Stakeholders
        "Name": pgettext("header", "Name"),
        "Role": pgettext("header", "Role"),
        "Group": pgettext("header", "Group"),
        "Power": pgettext("header", "Power"),
        "Interest": pgettext("header", "Interest"),
        "Stance": pgettext("header", "Stance"),
        "Target stance": pgettext("header", "Target stance"),
        "Legitimacy": pgettext("header", "Legitimacy"),
        "Urgency": pgettext("header", "Urgency"),
        "Effort": pgettext("header", "Effort"),
        "Goals": pgettext("header", "Goals"),
        "Decision role": pgettext("header", "Decision role"),
        "Notes": pgettext("header", "Notes"),
        "Votes": pgettext("header", "Votes"),
        # Relationships
        "From": pgettext("header", "From"),
        "To": pgettext("header", "To"),
        "Strength": pgettext("header", "Strength"),
        "Kind": pgettext("header", "Kind"),
        # Proposal
        "Key": pgettext("header", "Key"),
        "Value": pgettext("header", "Value"),
        "Tags": pgettext("header", "Tags"),
        "Title": pgettext("header", "Title"),
        "Champion": pgettext("header", "Champion"),
        "Pass share": pgettext("header", "Pass share"),
        "Decision rule": pgettext("header", "Decision rule"),
        "Threshold": pgettext("header", "Threshold"),
        "Quorum": pgettext("header", "Quorum"),
        "Abstentions": pgettext("header", "Abstentions"),
        "Blocking minority": pgettext("header", "Blocking minority"),
        "Rough": pgettext("header", "Rough"),
        "Part": pgettext("header", "Part"),
        # Layout and Engagements
        "X": "X",
        "Y": "Y",
        "Date": pgettext("header", "Date"),
        "Outcome": pgettext("header", "Outcome"),
        "Stance before": pgettext("header", "Stance before"),
        "Stance after": pgettext("header", "Stance after"),
        "Step": pgettext("header", "Step"),
        "Note": pgettext("header", "Note"),
    }


def cell_words() -> dict[str, str]:
    """Every word a canonical cell holds that is not the user's, English -> the language in
    force: stances, decision roles, kinds of tie, meeting outcomes, decision rules, how
    abstentions count and what a threshold counts.

    >>> cell_words()["defers to"]
    'defers to'
    """
    return {
        "Blocker": pgettext("cell", "Blocker"),
        "Critic": pgettext("cell", "Critic"),
        "Neutral": pgettext("cell", "Neutral"),
        "Supporter": pgettext("cell", "Supporter"),
        "Champion": pgettext("cell", "Champion"),
        "Unaware": pgettext("cell", "Unaware"),
        "decider": pgettext("cell", "decider"),
        "veto": pgettext("cell", "veto"),
        "informal veto": pgettext("cell", "informal veto"),
        "influencer": pgettext("cell", "influencer"),
        "third party": pgettext("cell", "third party"),
        "influences": pgettext("cell", "influences"),
        "defers to": pgettext("cell", "defers to"),
        "reports to": pgettext("cell", "reports to"),
        "ally": pgettext("cell", "ally"),
        "rival": pgettext("cell", "rival"),
        "Won": pgettext("cell", "Won"),
        "Agreed but passive": pgettext("cell", "Agreed but passive"),
        "Not convinced": pgettext("cell", "Not convinced"),
        "share of votes": pgettext("cell", "share of votes"),
        "simple majority": pgettext("cell", "simple majority"),
        "unanimity": pgettext("cell", "unanimity"),
        "single decider": pgettext("cell", "single decider"),
        "count against": pgettext("cell", "count against"),
        "not counted": pgettext("cell", "not counted"),
        "votes": pgettext("cell", "votes"),
        "members": pgettext("cell", "members"),
    }


def header(word: str) -> str:
    """A title, header or key in the language in force; any other text as it is."""
    return header_words().get(word, word)


def cell_word(word: object) -> object:
    """A cell's word in the language in force; any other value (the user's) as it is."""
    return cell_words().get(word, word) if isinstance(word, str) else word


#: The columns, by sheet, whose cells hold words of :func:`cell_words`.
_WORD_COLUMNS = {
    "Stakeholders": ("Stance", "Target stance", "Decision role"),
    "Relationships": ("Kind",),
    "Engagements": ("Outcome", "Stance before", "Stance after"),
}
_PROPOSAL_WORDS = ("Decision rule", "Abstentions")  # keys whose value is a word
_COUNTED = ("Threshold", "Quorum", "Blocking minority")  # keys whose tag says what is counted


def localised_rows(sheet: str, rows: list[list[object]], headers: int = -1) -> list[list[object]]:
    """``rows`` of the canonical ``sheet`` (header first) in the language in force: the first
    ``headers`` headers (-1: all; custom columns after them are the user's) and the words of
    its cells; the user's text as it is.

    >>> localised_rows("Relationships", [["From", "To", "Kind"], ["A", "B", "ally"]])
    [['From', 'To', 'Kind'], ['A', 'B', 'ally']]
    """
    head, titles, words = rows[0], header_words(), cell_words()
    known = len(head) if headers < 0 else headers
    out = [[titles.get(h, h) if i < known else h for i, h in enumerate(head)]]
    if sheet == "Proposal":
        for key, value, tags in rows[1:]:
            if key in _PROPOSAL_WORDS:
                value = words.get(value, value)
            elif key == "Rough":
                value = ", ".join(titles.get(w, w) for w in str(value).split(", "))
            if key in _COUNTED:
                tags = words.get(tags, tags)
            out.append([titles[key] if key in PROPOSAL_KEYS else key, value, tags])
        return out
    worded = {i for i, h in enumerate(head[:known]) if h in _WORD_COLUMNS.get(sheet, ())}
    out += [
        [words.get(v, v) if i in worded and isinstance(v, str) else v for i, v in enumerate(row)]
        for row in rows[1:]
    ]
    return out
