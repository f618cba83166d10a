"""Quick add: people and ties typed one a line, read by a small explicit grammar.

The grammar is docs/quick-add.md. A person line is a name, then comma-separated pieces in any
order (``Dana Whitfield, CEO, decides, power 5, neutral``); a tie line is two names joined by
an arrow or a relationship word (``Henrik listens to Marcus``, ``Jonas -> Sofia strong``).
The words are read by :mod:`stakemap.files.quickwords` with the importer's own parsers.

:func:`read_text` reads a whole text against the map it adds to and gives, line by line, how
each piece was read and the problems (a piece it could not read, an unknown or ambiguous name),
and the map with every line that has no problem, in one step. Names in tie lines are found
among the people on the map and those added in the same text
(:func:`stakemap.files.quickwords.match_name`); a tie line never adds a person.
:func:`person_line` and :func:`tie_line` write lines that read back as what they were given.
"""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass, replace

from stakemap.files.quickwords import (
    LINKING_WORDS,
    SHOWN,
    Cut,
    Match,
    Names,
    Token,
    cuts,
    field_like,
    joined,
    read_extra,
    read_field,
    read_tail,
    shown,
    split_line,
)
from stakemap.files.table import same_tie, tie_sentence
from stakemap.model import Relationship, Stakeholder, StakeholderMap, stance_label
from stakemap.schema import STAKEHOLDER_COLUMNS
from stakemap.settings import MAX_ROWS
from stakemap.values import BadValue, clean_text, number_text, parse_choice

__all__ = [
    "MAX_LINE",
    "MAX_WAYS",
    "Piece",
    "Problem",
    "QuickAdd",
    "Reading",
    "person_line",
    "read_text",
    "tie_line",
]

#: Longest line read, in characters; a longer one is refused whole, never cut.
MAX_LINE = 1000
#: Most ways a tie line may be cut into two names (a real one has one or two).
MAX_WAYS = 12
_BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029]")
_LIST_MARK = re.compile(r"(?:[-*•]|\d{1,3}[.)])\s+")
_TIE_ACCEPTED = "a strength (-5..5, High/Medium/Low, Strong/Weak) or, after an arrow, a kind"
_REVERSED = ("defers to", "reports to")


@dataclass(frozen=True)
class Piece:
    """One piece of a line as read: ``label`` (name, role, power, from, to, kind, ...), the
    ``text`` as written and the value it gave, as the page shows it (``shown``)."""

    label: str
    text: str
    shown: str


@dataclass(frozen=True)
class Problem:
    """Why (part of) a line was not read: the line's number, the text at fault, what is wrong,
    what would be read there, and the people a name could mean."""

    line: int
    text: str
    message: str
    accepted: str = ""
    candidates: tuple[str, ...] = ()

    def __str__(self) -> str:
        """The problem as one sentence.

        >>> str(Problem(3, "Mar", "matches more than one person", "", ("Marcus", "Maria")))
        'Line 3, "Mar": matches more than one person: Marcus, Maria'
        """
        text = f'Line {self.line}, "{self.text}": {self.message}'
        if self.candidates:
            text += ": " + ", ".join(self.candidates[:SHOWN])
            text += " …" if len(self.candidates) > SHOWN else ""
        return text + (f" (accepted: {self.accepted})" if self.accepted else "")


@dataclass(frozen=True)
class Reading:
    """How one line was read: ``kind`` is "person", "tie" or "refused" (unreadable as a whole);
    its pieces in order, its problems (a line with any adds nothing) and notes."""

    number: int
    text: str
    kind: str
    pieces: tuple[Piece, ...] = ()
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()

    def read_as(self) -> str:
        """The pieces as the page shows them before saving.

        >>> read_text("Ana, CFO, against").lines[0].read_as()
        'name Ana · role CFO · stance Critic'
        """
        return " · ".join(f"{p.label} {p.shown}" for p in self.pieces)


@dataclass(frozen=True)
class QuickAdd:
    """What a text gave: every line's reading and the resulting map (the map read from,
    plus the people added and updated and the ties of every line without a problem)."""

    lines: tuple[Reading, ...]
    map: StakeholderMap
    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    ties: tuple[Relationship, ...] = ()

    @property
    def problems(self) -> tuple[Problem, ...]:
        return tuple(p for line in self.lines for p in line.problems)

    @property
    def description(self) -> str:
        """What the text changes, for the version saved.

        >>> read_text("Ana\\nBen\\nAna -> Ben").description
        'Quick add: 2 people added, 1 tie'
        """
        counts = [(len(self.added), "added"), (len(self.updated), "updated")]
        parts = [f"{n} {'person' if n == 1 else 'people'} {what}" for n, what in counts if n]
        if self.ties:
            parts.append(f"{len(self.ties)} tie{'s' * (len(self.ties) != 1)}")
        return "Quick add: " + (", ".join(parts) or "no change")


@dataclass
class _Line:
    number: int
    text: str
    pieces: list[tuple[str, list[Token]]]
    read: list[Piece]
    problems: list[Problem]
    notes: list[str]
    name: str = ""
    fields: dict | None = None

    def problem(self, text: str, message: str, accepted: str = "", candidates=()) -> None:
        self.problems.append(Problem(self.number, text, message, accepted, tuple(candidates)))

    def reading(self, kind: str) -> Reading:
        return Reading(self.number, self.text, kind, tuple(self.read), tuple(self.problems),
                       tuple(self.notes))  # fmt: skip


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


# -- person lines --------------------------------------------------------------------------


def _person(line: _Line) -> None:
    """Read a person line's name and fields into ``line``."""
    text, tokens = line.pieces[0]
    if any(t.arrow for t in tokens):
        line.problem(text, "has an arrow without a name on each side", "A -> B")
        return
    line.name = clean_text(tokens[0].text if len(tokens) == 1 else joined(tokens)).strip()
    if not line.name:
        line.problem(text, "is an empty name", "a name")
        return
    line.read.append(Piece("name", text, line.name))
    fields: dict[str, object] = {}
    given: dict[str, str] = {}
    for text, tokens in line.pieces[1:]:
        try:
            label, got = read_field(tokens)
        except BadValue as bad:
            line.problem(text, bad.problem, bad.accepted)
            continue
        if label in given:
            line.problem(text, f"gives the {label} again (first: {given[label]})")
            continue
        given[label] = text
        fields.update(got)
        line.read.append(Piece(label, text, shown(label, got)))
    line.fields = fields


def _name_notes(line: _Line, on_map: Names) -> None:
    """Notes and problems on a new person's name: a field's words in it, a person on the map
    it may have meant, a formula's first sign."""
    tokens = line.pieces[0][1]
    if field_like(tokens):
        line.problem(line.name, "reads as a field, not a name: a person line starts with the "
                     "name", 'a name first, or the name in quotes: "Critic", power 3')  # fmt: skip
    elif held := next((t.text for t in tokens[1:] if field_like([t])), ""):
        line.notes.append(f'the name holds "{held}": put a comma before it if it was meant as '
                          "a field")  # fmt: skip
    found = on_map.match(line.name)
    if found.how in ("first name", "prefix"):
        line.notes.append(f"{found.name} is on the map: this adds a new person; write the full "
                          f"name to change {found.name}")  # fmt: skip
    if line.name[0] in "=+-@":
        line.notes.append(f'starts with "{line.name[0]}": kept as text, never a formula')


# -- tie lines -----------------------------------------------------------------------------


def _right(tokens: list[Token], names: Names, arrow: bool) -> tuple[Match, list]:
    """(match, extras) of a tie's second side, which may end in extras (``Sofia strong``):
    the longest name that matches exactly or in any case wins, then the longest that matches
    at all, then the shortest (an unknown or ambiguous name, reported)."""
    options = []
    for cut in range(len(tokens), max(0, len(tokens) - 4), -1):
        extras = read_tail(tokens[cut:], arrow) if cut < len(tokens) else []
        if extras is not None:
            options.append((names.match(joined(tokens[:cut])), extras))

    def rank(i: int) -> tuple:
        found = options[i][0]
        strong = found.how in ("exact", "any case")
        return not strong, found.name is None, not found.candidates, -i if found.name is None else i

    return options[min(range(len(options)), key=rank)]


def _tie(line: _Line, names: Names, cut: Cut) -> tuple[Relationship | None, list, list]:
    """(relationship or None, pieces, problems) for one way of cutting a tie line."""
    start, end, kind, back = cut
    tokens, arrow = line.pieces[0][1], not kind
    left = names.match(joined(tokens[:start]))
    right, extras = _right(tokens[end:], names, arrow)
    for text, piece in line.pieces[1:]:
        got = read_extra(piece, arrow)
        extras.append((*got, text) if got else ("", None, text))
    read, problems = [], []
    ends = (right, left) if back else (left, right)
    for label, side in zip(("from", "to"), ends, strict=True):
        how = "several" if side.candidates else side.how or "not found"
        how = "" if how == "exact" else f" ({how})"
        read.append(Piece(label, side.query, f"{side.name or '?'}{how}"))
        if side.name is None:
            message = "matches more than one person" if side.candidates else (
                "is not a person on the map or in this text")  # fmt: skip
            accepted = "a name, or the start of one"
            problems.append(Problem(line.number, side.query, message, accepted, side.candidates))
    given: dict[str, object] = {}
    for label, value, text in extras:
        if not label:
            problems.append(Problem(line.number, text, "is not a strength or kind", _TIE_ACCEPTED))
        elif label in given:
            problems.append(Problem(line.number, text, f"gives the {label} again"))
        elif label == "kind" and value in _REVERSED:
            message = "turns the arrow round: write it as words"
            problems.append(Problem(line.number, text, message, f"A {value} B"))
        else:
            given[label] = value
    if problems:
        return None, read, problems
    if ends[0].name == ends[1].name:
        problems.append(Problem(line.number, right.query, f"is {right.name} again (a self-loop)"))
        return None, read, problems
    kind = kind or str(given.get("kind", "influences"))
    strength = float(given.get("strength", -3.0 if kind == "rival" else 3.0))  # as the importer
    tie = Relationship(str(ends[0].name), str(ends[1].name), strength, kind)
    read.append(Piece("kind", joined(tokens[start:end]), kind))
    written = next((t for label, _, t in extras if label == "strength"), "")
    read.append(Piece("strength", written, number_text(strength) + " (default)" * (not written)))
    return tie, read, problems


def _read_tie(line: _Line, names: Names, ways: list[Cut]) -> tuple[Relationship | None, bool]:
    """The tie of a tie line and whether it gives a strength: the one way of cutting the
    line whose names are both found; a line cut more ways than one is ambiguous; one cut no
    way reports its closest reading's problems."""
    if len(ways) > MAX_WAYS:
        line.problem(line.pieces[0][0], f"can be cut into two names {len(ways)} ways",
                     "one tie a line; names holding relationship words in quotes")  # fmt: skip
        return None, False
    tried = [(*_tie(line, names, cut), cut) for cut in ways]
    good = {tie: read for tie, read, _, _ in tried if tie is not None}
    if len(good) == 1:
        tie, read = next(iter(good.items()))
        line.read.extend(read)
        line.notes.append("means: " + tie_sentence(tie))
        return tie, bool(read[-1].text)
    if good:
        readings = [tie_sentence(t) for t in good]
        line.problem(line.pieces[0][0], "reads more than one way: put the names in quotes",
                     '"A" influences "B"', readings)  # fmt: skip
        return None, False
    _, read, problems, cut = min(tried, key=lambda t: (len(t[2]), bool(t[3][2]), t[3][0]))
    line.read.extend(read)
    line.problems.extend(problems)
    unknown = [p for p in problems if p.message.startswith("is not a person")]
    if all(kind for _, _, kind, _ in ways) and len(unknown) == 2:
        words = joined(line.pieces[0][1][cut[0] : cut[1]])
        line.notes.append(f'read as a tie for "{words}"; a new person whose name holds it goes '
                          f'in quotes: "{joined(line.pieces[0][1])}", ...')  # fmt: skip
    return None, False


# -- the whole text ------------------------------------------------------------------------


def _lines(text: str) -> list[_Line]:
    """Every non-blank line, cleaned like a cell, list marks left out, cut into pieces."""
    found: list[_Line] = []
    for number, raw in enumerate(_BREAKS.split(text), start=1):
        line = _Line(number, raw.strip(), [], [], [], [])
        if not line.text:
            continue
        found.append(line)
        if len(found) > MAX_ROWS:
            line.text = clean_text(raw[:80])
            line.problem(line.text, f"is past the limit of {MAX_ROWS:,} lines; nothing was read")
            return [line]
        if len(raw) > MAX_LINE:
            line.text = clean_text(raw[:80]) + "…"
            line.problem(line.text, f"is {len(raw):,} characters long, over the limit of "
                         f"{MAX_LINE:,}; nothing of it was read")  # fmt: skip
            continue
        cleaned = clean_text(raw).strip()
        if (gone := len(raw.strip()) - len(cleaned)) > 0:
            line.notes.append(f"{gone} control character{'s' * (gone > 1)} left out")
        mark = _LIST_MARK.match(cleaned)
        if mark and len(cleaned) > mark.end():
            line.notes.append(f'list mark "{mark[0].strip()}" left out')
            cleaned = cleaned[mark.end() :]
        line.text = cleaned
        try:
            line.pieces = split_line(cleaned)
        except BadValue as bad:
            line.problem(cleaned, bad.problem, bad.accepted)
        if not line.pieces and not line.problems:
            line.problem(cleaned, "holds nothing to read", "a name")
    return found


def _identify(line: _Line, on_map: Names, new: dict[str, tuple[str, int]]) -> None:
    """Read a person line and say whom it names: someone on the map (exactly or in any case),
    someone named on another line, or a new person (``new``: folded name -> (name, line))."""
    _person(line)
    if not line.name:
        return
    found = on_map.match(line.name)
    earlier = new.get(_fold(line.name))
    if found.how == "any case" and found.candidates:
        line.problem(line.name, "matches more than one person on the map", "", found.candidates)
    elif found.how in ("exact", "any case"):
        line.name = str(found.name)
        line.notes.append(f"updates {line.name}" if line.fields else "on the map already")
    elif earlier is not None:
        line.name = earlier[0]
        line.notes.append(f"the same person as line {earlier[1]}")
    else:
        _name_notes(line, on_map)
        new[_fold(line.name)] = line.name, line.number


def read_text(text: str, existing: StakeholderMap | None = None) -> QuickAdd:
    """Read quick-add ``text`` (one person or one tie a line, docs/quick-add.md) against
    ``existing``: each line's reading, and the map with every line that has no problem.

    >>> done = read_text("Dana Whitfield, CEO, decides, power 5\\nHenrik\\nHenrik listens to Dana")
    >>> done.added, done.map.relationships[0]
    (('Dana Whitfield', 'Henrik'), Relationship(source='Henrik', target='Dana Whitfield', \
strength=3.0, kind='defers to', notes=''))
    >>> read_text("Ana -> Zoe").problems[1].message
    'is not a person on the map or in this text'
    """
    m = existing or StakeholderMap()
    lines = _lines(text)
    on_map = Names(m.names)
    ways = {ln.number: cuts(ln.pieces[0][1]) for ln in lines if ln.pieces}
    kinds = {ln.number: "tie" if ways.get(ln.number) else "person" for ln in lines}
    new: dict[str, tuple[str, int]] = {}  # people not on the map
    for ln in lines:
        if ln.pieces and kinds[ln.number] == "person":
            _identify(ln, on_map, new)
    names = Names([*m.names, *(name for name, _ in new.values())])
    whole = set(names.folded)
    found: dict[int, tuple[Relationship, bool]] = {}
    for ln in (ln for ln in lines if kinds[ln.number] == "tie"):
        tie, given = _read_tie(ln, names, ways[ln.number])
        if tie is not None:
            found[ln.number] = tie, given
        elif _fold(joined(ln.pieces[0][1])) in whole:  # someone's whole name: their line
            kinds[ln.number] = "person"
            ln.read, ln.problems, ln.notes = [], [], []
            _identify(ln, on_map, new)
    people, ties = list(m.stakeholders), list(m.relationships)
    index = {s.name: i for i, s in enumerate(people)}
    added: dict[str, None] = {}
    changed: dict[str, None] = {}
    failed: dict[str, int] = {}  # a person whose line has problems -> that line
    for ln in (ln for ln in lines if ln.pieces and kinds[ln.number] == "person" and ln.name):
        if ln.problems:
            failed.setdefault(ln.name, ln.number)
        elif ln.name in index:
            before = people[index[ln.name]]
            people[index[ln.name]] = replace(before, **ln.fields)
            if ln.name not in added and people[index[ln.name]] != before:
                changed[ln.name] = None
        else:
            index[ln.name] = len(people)
            people.append(Stakeholder(ln.name, **ln.fields))
            added[ln.name] = None
    new_ties: dict[Relationship, None] = {}
    for ln in (ln for ln in lines if ln.number in found and kinds[ln.number] == "tie"):
        tie, given = found[ln.number]
        for end in (tie.source, tie.target):
            if end not in index:
                ln.problem(end, f"is added on line {failed.get(end)}, which has problems")
        if ln.problems:
            continue
        same = next((i for i, t in enumerate(ties) if same_tie(t, tie)), None)
        if same is None:
            ties.append(tie)
        elif not given or ties[same].strength == tie.strength:
            ln.notes.append("this tie is on the map already")
            continue
        else:
            ln.notes.append(f"changes the tie's strength from {number_text(ties[same].strength)}")
            new_ties.pop(ties[same], None)
            tie = ties[same] = replace(ties[same], strength=tie.strength)
        new_ties[tie] = None
    result = replace(m, stakeholders=tuple(people), relationships=tuple(ties))
    readings = tuple(ln.reading(kinds[ln.number] if ln.pieces else "refused") for ln in lines)
    return QuickAdd(readings, result, tuple(added), tuple(changed), tuple(new_ties))


# -- writing lines that read back ----------------------------------------------------------


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _name_text(name: str, tie: bool) -> str:
    """A name as a line writes it: bare when it reads back as itself, else in quotes."""
    if _BREAKS.search(name) or not name or name != clean_text(name).strip():
        raise ValueError(f"{name!r} cannot be written on one line")
    with suppress(BadValue):
        pieces = split_line(name)
        tokens = pieces[0][1] if len(pieces) == 1 else []
        plain = tokens and all(not t.literal and not t.arrow for t in tokens)
        kind_word = any(t.word in LINKING_WORDS or _is_kind(t.text) for t in tokens)
        if (
            plain
            and joined(tokens) == name
            and not _LIST_MARK.match(name + " ")  # the name starts a line: no list mark
            and not cuts(tokens)
            and not field_like(tokens)
            and not (tie and kind_word)
        ):
            return name
    return _quoted(name)


def _is_kind(word: str) -> bool:
    try:
        return bool(parse_choice(word, "Kind"))
    except BadValue:
        return False


def _number(x: float) -> str:
    return f"{x:g}" if float(f"{x:g}") == x else repr(float(x))


def person_line(person: Stakeholder) -> str:
    """A person line that reads back as ``person``; fields at their defaults and custom
    columns are left out, and Unaware is written only for stance 0.

    >>> person_line(Stakeholder("Dana Whitfield", "CEO", power=5, decision_role="decider"))
    'Dana Whitfield, role CEO, power 5, decision role decider'
    >>> person_line(Stakeholder("Lee, Marcus", stance=-1, goals=("cost", "speed")))
    '"Lee, Marcus", stance Critic, goals "cost, speed"'
    """
    default = Stakeholder(person.name)
    out = [_name_text(person.name, tie=False)]
    for col in STAKEHOLDER_COLUMNS:
        value = getattr(person, col.field)
        if col.field == "name" or (value == getattr(default, col.field) and col.field != "stance"):
            continue
        if col.field == "stance":
            if value == 0 and not person.unaware:
                continue
            value = "Unaware" if person.unaware and value == 0 else stance_label(value)
        elif col.field == "target_stance":
            value = stance_label(value)
        elif isinstance(value, float):
            value = _number(value)
        elif isinstance(value, tuple):
            value = ", ".join(value)
        label, want = col.name.lower(), getattr(person, col.field)
        bare = f"{label} {value}"
        with suppress(ValueError):  # BadValue, or no piece
            (_, tokens), *more = split_line(bare)
            read, fields = read_field(tokens)
            if not more and read == label and fields[col.field] == want:
                out.append(bare)
                continue
        out.append(f"{label} {_quoted(str(value))}")
    return ", ".join(out)


def tie_line(tie: Relationship) -> str:
    """A tie line that reads back as ``tie`` (its notes left out).

    >>> tie_line(Relationship("Jonas", "Sofia", 5))
    'Jonas influences Sofia, strength 5'
    >>> tie_line(Relationship("Ana", "Ben", -3, "rival"))
    'Ana is a rival of Ben, strength -3'
    """
    words = {"ally": "is an ally of", "rival": "is a rival of"}.get(tie.kind, tie.kind)
    source, target = (_name_text(n, tie=True) for n in (tie.source, tie.target))
    return f"{source} {words} {target}, strength {_number(tie.strength)}"
