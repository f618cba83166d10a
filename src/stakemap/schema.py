"""The workbook's column spec: one source of truth for import, editing, export and validation.

Canonical form as in docs/workbook.md. Header matching is case- and
space-insensitive (see :func:`normalise_header`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from stakemap.model import DECISION_ROLES, RELATIONSHIP_KINDS

__all__ = [
    "ENGAGEMENTS",
    "LAYOUT",
    "PROPOSAL_KEYS",
    "RELATIONSHIP_COLUMNS",
    "SHEETS",
    "STAKEHOLDER_COLUMNS",
    "Column",
    "SheetSpec",
    "header_words",
    "match_header",
    "normalise_header",
]


@dataclass(frozen=True)
class Column:
    """One canonical column.

    ``kind`` is one of: text, scale (1-5, any accepted scale rescaled), stance (-2..+2 or a word),
    tags (comma-separated), choice (one of ``choices``), strength (-5..5), share (0-100%),
    votes (0 or more, kept as written), number (any number: a layout coordinate), date (an ISO
    date or a date cell), outcome (a meeting's outcome), step (a step number, 1 or more).
    ``field`` is the attribute of the model object the column fills.
    """

    name: str
    field: str
    kind: str
    synonyms: tuple[str, ...] = ()
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class SheetSpec:
    name: str
    synonyms: tuple[str, ...]
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


STAKEHOLDER_COLUMNS: tuple[Column, ...] = (
    Column(
        "Name",
        "name",
        "text",
        (
            "stakeholder",
            "person",
            "nom",
            "full name",
            "party",
            "who",
            "stakeholder name",
            "label",
        ),
        required=True,
        help="Unique name of the person or party",
    ),
    Column("Role", "role", "text", ("title", "job", "job title", "position title", "function")),
    Column(
        "Group",
        "group",
        "text",
        (
            "organisation",
            "organization",
            "team",
            "camp",
            "dept",
            "department",
            "org",
            "unit",
            "type",
            "role in project",
            "role in the project",
        ),
    ),
    Column(
        "Power",
        "power",
        "scale",
        ("influence", "authority", "clout", "power level", "impact"),
        help="1-5: how much they can affect the decision",
    ),
    Column(
        "Interest",
        "interest",
        "scale",
        ("concern", "interest level", "stake"),
        help="1-5: how much the decision affects or concerns them",
    ),
    Column(
        "Stance",
        "stance",
        "stance",
        (
            "attitude",
            "position",
            "support",
            "current stance",
            "current engagement",
            "current",
            "engagement",
        ),
        help="Blocker, Critic, Neutral, Supporter, Champion (-2..+2)",
    ),
    Column(
        "Target stance",
        "target_stance",
        "stance",
        ("desired stance", "desired engagement", "desired", "target", "goal stance"),
        help="Where we want them (engagement matrix: desired)",
    ),
    Column(
        "Legitimacy",
        "legitimacy",
        "scale",
        ("legitimate",),
        help="1-5: salience model (Mitchell, Agle & Wood)",
    ),
    Column("Urgency", "urgency", "scale", ("urgent",), help="1-5: salience model"),
    Column(
        "Effort",
        "effort",
        "scale",
        ("cost", "access", "difficulty"),
        help="1-5: how hard it is to get their time and attention (default 3)",
    ),
    Column(
        "Goals",
        "goals",
        "tags",
        ("goal", "interests", "priorities", "cares about", "tags"),
        help="Comma-separated tags, matched against proposal parts",
    ),
    Column(
        "Decision role",
        "decision_role",
        "choice",
        ("decision", "role in decision", "decision making role"),
        choices=DECISION_ROLES,
        help="decider, veto (binds however isolated), informal veto (gives way once isolated), "
        "influencer, third party, or empty",
    ),
    Column("Notes", "notes", "text", ("note", "comments", "comment", "remarks", "description")),
    Column(
        "Votes",
        "votes",
        "votes",
        ("vote", "seats", "voting weight", "shares"),
        help="Votes in the decision (default 1 for each decider and veto holder)",
    ),
)

RELATIONSHIP_COLUMNS: tuple[Column, ...] = (
    Column("From", "source", "text", ("source", "influencer", "from person", "who"), required=True),
    Column("To", "target", "text", ("target", "influenced", "to person", "whom"), required=True),
    Column(
        "Strength",
        "strength",
        "strength",
        ("weight", "tie strength", "influence strength"),
        help="-5..5; negative: From's visible support pushes To away",
    ),
    Column(
        "Kind",
        "kind",
        "choice",
        ("type", "relationship", "relation", "tie"),
        choices=RELATIONSHIP_KINDS,
    ),
    Column("Notes", "notes", "text", ("note", "comments", "comment", "description")),
)

PROPOSAL_COLUMNS: tuple[Column, ...] = (
    Column("Key", "key", "text", ("field", "item"), required=True),
    Column("Value", "value", "text", ("text", "content")),
    Column("Tags", "tags", "tags", ("goals", "goal tags")),
)
#: Keys the Proposal sheet understands (docs/workbook.md); any other key is kept as written.
PROPOSAL_KEYS: tuple[str, ...] = (
    "Title",
    "Champion",
    "Pass share",
    "Decision rule",
    "Threshold",
    "Quorum",
    "Abstentions",
    "Blocking minority",
    "Rough",
    "Part",
)

SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec(
        "Stakeholders",
        (
            "stakeholder",
            "people",
            "persons",
            "map",
            "register",
            "stakeholder register",
            "parties",
            "elements",
        ),
        STAKEHOLDER_COLUMNS,
    ),
    SheetSpec(
        "Relationships",
        (
            "relationship",
            "relations",
            "ties",
            "links",
            "edges",
            "influences",
            "network",
            "connections",
        ),
        RELATIONSHIP_COLUMNS,
    ),
    SheetSpec("Proposal", ("proposals", "decision", "plan", "idea"), PROPOSAL_COLUMNS),
)

#: Network positions (vis-network drawing units), one row a person; a hidden sheet in exports.
LAYOUT = SheetSpec(
    "Layout",
    ("positions", "network layout"),
    (
        Column("Name", "name", "text", ("label", "id", "node"), required=True),
        Column("X", "x", "number", ("x position",), required=True),
        Column("Y", "y", "number", ("y position",), required=True),
    ),
)


#: The engagement log, one row a meeting (:class:`stakemap.model.Engagement`); found by name.
ENGAGEMENTS = SheetSpec(
    "Engagements",
    ("engagement log", "engagements log"),
    (
        Column("Name", "name", "text", ("person", "stakeholder"), required=True),
        Column("Date", "date", "date", ("meeting date", "met on"), required=True),
        Column("Outcome", "outcome", "outcome", ("result",), required=True),
        Column("Stance before", "stance_before", "stance", required=True),
        Column("Stance after", "stance_after", "stance", required=True),
        Column("Step", "step", "step", ("plan step",)),
        Column("Note", "note", "text", ("notes", "comment")),
    ),
)

#: Sheets found by their name only (network positions, the engagement log).
NAMED_SHEETS: tuple[SheetSpec, ...] = (LAYOUT, ENGAGEMENTS)


def normalise_header(text: object) -> str:
    """Lower-case, trimmed, inner whitespace/underscores/dashes folded to one space.

    >>> normalise_header("  Target_Stance ")
    'target stance'
    """
    return re.sub(r"[\s_\-]+", " ", str(text or "")).strip().lower()


#: A unit or scale hint at the end of a header: "Interest %", "Power (1-5)", "Support (H/M/L)".
_UNIT_HINT = re.compile(r"\s*(?:\((?:[\d\s.,%/\-–]+|h\s*/\s*m\s*/\s*l)\)|%)$")


def match_header(text: object, columns: tuple[Column, ...]) -> Column | None:
    """The canonical column a header names: by canonical name or synonym, else by its words.

    A unit or scale hint at its end is ignored. Failing an exact match, the header's words
    less filler ("level of", "towards the project", "current", ...) are matched: they must all
    belong to one column's names and synonyms and include one of its one-word names
    ("Level of interest" is Interest, "Power/Influence" is Power). A header whose words fit
    no column, or several, matches none (the column's values may still decide, see
    :mod:`stakemap.files.importing`).

    >>> [c.name for c in map(lambda h: match_header(h, SHEETS[0].columns),
    ...                      ["Interest %", "Power (1-5)", "attitude (h/m/l)",
    ...                       "Level of interest", "Attitude towards the project"])]
    ['Interest', 'Power', 'Stance', 'Interest', 'Stance']
    """
    key = _UNIT_HINT.sub("", normalise_header(text))
    if not key:
        return None
    for col in columns:
        if key == _name_key(col.name) or key in col.synonyms:
            return col
    words = header_words(key)
    if not words:
        return None
    found = [c for c in columns if words <= _vocabulary(c)[1] and words & _vocabulary(c)[0]]
    return found[0] if len(found) == 1 else None


#: Words that do not change what a header names ("Level of interest", "Current support").
_FILLER = frozenset(
    re.findall(
        r"\w+",
        "level levels of the a an to towards toward on in for with about regarding their its "
        "project programme program change initiative stakeholder stakeholders current overall "
        "degree score rating assessment and or",
    )
)


def header_words(text: object) -> frozenset[str]:
    """A header's words, lower-case, without filler.

    >>> sorted(header_words("Level of Influence (H/M/L)")), sorted(header_words("Power/Impact"))
    (['h', 'influence', 'l', 'm'], ['impact', 'power'])
    """
    return frozenset(re.findall(r"[^\W_]+", normalise_header(text))) - _FILLER


@cache
def _vocabulary(col: Column) -> tuple[frozenset[str], frozenset[str]]:
    """(one-word names, every word of every name) of a column, filler left out."""
    keys = (col.name, *col.synonyms)
    single = frozenset(w for k in keys if len(words := header_words(k)) == 1 for w in words)
    return single, frozenset(w for k in keys for w in header_words(k))


@cache
def _name_key(name: str) -> str:
    """A canonical name, normalised once (headers are matched against it cell by cell)."""
    return normalise_header(name)


def sheet_spec(name: str) -> SheetSpec:
    return next(s for s in SHEETS if s.name == name)


def match_sheet(title: str) -> SheetSpec | None:
    key = normalise_header(title)
    for spec in SHEETS:
        if key == normalise_header(spec.name) or key in spec.synonyms:
            return spec
    return None
