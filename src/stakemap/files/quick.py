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
:func:`person_line` and :func:`tie_line` (:mod:`stakemap.files.quicklines`) write lines that
read back as what they were given.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from stakemap.files.outcome import column_name
from stakemap.files.quicklines import BREAKS, LIST_MARK, person_line, tie_line
from stakemap.files.quickwords import (
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
from stakemap.files.table import same_tie, shown_word, tie_sentence
from stakemap.language import N_, ngettext, pgettext
from stakemap.language import gettext as _
from stakemap.model import Relationship, Stakeholder, StakeholderMap
from stakemap.settings import MAX_ROWS
from stakemap.values import BadValue, clean_text, number_text

__all__ = [
    "MAX_LINE",
    "MAX_WAYS",
    "Piece",
    "Problem",
    "QuickAdd",
    "Reading",
    "person_line",
    "piece_label",
    "read_text",
    "tie_line",
]

#: Longest line read, in characters; a longer one is refused whole, never cut.
MAX_LINE = 1000
#: Most ways a tie line may be cut into two names (a real one has one or two).
MAX_WAYS = 12
_TIE_ACCEPTED = N_("a strength (-5..5, High/Medium/Low, Strong/Weak) or, after an arrow, a kind")
#: How a name was found (identifiers of :class:`~stakemap.files.quickwords.Match`), as shown.
_HOW = {
    "any case": N_("any case"),
    "first name": N_("first name"),
    "prefix": N_("prefix"),
    "several": N_("several"),
    "not found": N_("not found"),
}
#: What a line was read as (identifiers), as shown.
_KINDS = {"person": N_("person"), "tie": N_("tie"), "refused": N_("refused")}
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
        people = ", ".join(self.candidates[:SHOWN])
        people += " …" if len(self.candidates) > SHOWN else ""
        parts = {"line": self.line, "text": self.text, "problem": self.message}
        if self.candidates and self.accepted:
            text = _('Line {line}, "{text}": {problem}: {people} (accepted: {accepted})')
        elif self.candidates:
            text = _('Line {line}, "{text}": {problem}: {people}')
        elif self.accepted:
            text = _('Line {line}, "{text}": {problem} (accepted: {accepted})')
        else:
            text = _('Line {line}, "{text}": {problem}')
        return text.format(**parts, people=people, accepted=self.accepted)


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
        return " · ".join(f"{piece_label(p.label)} {p.shown}" for p in self.pieces)

    def kind_shown(self) -> str:
        """What the line was read as, in the language in force."""
        return _(_KINDS[self.kind])


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
    def changes(self) -> str:
        """What the text changes, counted ("" for nothing).

        >>> read_text("Ana\\nBen\\nAna -> Ben").changes
        '2 people added, 1 tie'
        """
        added, updated, ties = len(self.added), len(self.updated), len(self.ties)
        parts = []
        if added:
            parts.append(ngettext("{n} person added", "{n} people added", added).format(n=added))
        if updated:
            parts.append(
                ngettext("{n} person updated", "{n} people updated", updated).format(n=updated)
            )
        if ties:
            parts.append(ngettext("{n} tie", "{n} ties", ties).format(n=ties))
        return pgettext("list", ", ").join(parts)

    @property
    def description(self) -> str:
        """What the text changes, for the version saved.

        >>> read_text("Ana\\nBen\\nAna -> Ben").description
        'Quick add: 2 people added, 1 tie'
        """
        if not self.changes:
            return _("Quick add: no change")
        return _("Quick add: {changes}").format(changes=self.changes)


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


def piece_label(label: str) -> str:
    """A piece's label (a column's name in lower case, or from, to, kind, strength) in the
    language in force.

    >>> piece_label("target stance"), piece_label("from")
    ('target stance', 'from')
    """
    column = label[:1].upper() + label[1:]
    shown = column_name(column)
    return label if shown == column else shown


def _not_found() -> str:
    return _("is not a person on the map or in this text")


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


# -- person lines --------------------------------------------------------------------------


def _person(line: _Line) -> None:
    """Read a person line's name and fields into ``line``."""
    text, tokens = line.pieces[0]
    if any(t.arrow for t in tokens):
        line.problem(text, _("has an arrow without a name on each side"), "A -> B")
        return
    line.name = clean_text(tokens[0].text if len(tokens) == 1 else joined(tokens)).strip()
    if not line.name:
        line.problem(text, _("is an empty name"), _("a name"))
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
            line.problem(
                text,
                _("gives the {label} again (first: {first})").format(
                    label=piece_label(label), first=given[label]
                ),
            )
            continue
        given[label] = text
        fields.update(got)
        line.read.append(Piece(label, text, shown_word(shown(label, got))))
    line.fields = fields


def _name_notes(line: _Line, on_map: Names) -> None:
    """Notes and problems on a new person's name: a field's words in it, a person on the map
    it may have meant, a formula's first sign."""
    tokens = line.pieces[0][1]
    if field_like(tokens):
        line.problem(line.name, _("reads as a field, not a name: a person line starts with "
                                  "the name"),
                     _('a name first, or the name in quotes: "Critic", power 3'))  # fmt: skip
    elif held := next((t.text for t in tokens[1:] if field_like([t])), ""):
        line.notes.append(_('the name holds "{words}": put a comma before it if it was meant as '
                            "a field").format(words=held))  # fmt: skip
    found = on_map.match(line.name)
    if found.how in ("first name", "prefix"):
        line.notes.append(_("{name} is on the map: this adds a new person; write the full name "
                            "to change {name}").format(name=found.name))  # fmt: skip
    if line.name[0] in "=+-@":
        line.notes.append(_('starts with "{sign}": kept as text, never a formula')
                          .format(sign=line.name[0]))  # fmt: skip


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
        found = side.name or "?"
        if how != "exact":
            found = _("{name} ({how})").format(name=found, how=_(_HOW.get(how, how)))
        read.append(Piece(label, side.query, found))
        if side.name is None:
            message = _("matches more than one person") if side.candidates else _not_found()
            accepted = _("a name, or the start of one")
            problems.append(Problem(line.number, side.query, message, accepted, side.candidates))
    given: dict[str, object] = {}
    for label, value, text in extras:
        if not label:
            problems.append(
                Problem(line.number, text, _("is not a strength or kind"), _(_TIE_ACCEPTED))
            )
        elif label in given:
            message = _("gives the {label} again").format(label=piece_label(label))
            problems.append(Problem(line.number, text, message))
        elif label == "kind" and value in _REVERSED:
            message = _("turns the arrow round: write it as words")
            problems.append(Problem(line.number, text, message, f"A {value} B"))
        else:
            given[label] = value
    if problems:
        return None, read, problems
    if ends[0].name == ends[1].name:
        message = _("is {name} again (a self-loop)").format(name=right.name)
        problems.append(Problem(line.number, right.query, message))
        return None, read, problems
    kind = kind or str(given.get("kind", "influences"))
    strength = float(given.get("strength", -3.0 if kind == "rival" else 3.0))  # as the importer
    tie = Relationship(str(ends[0].name), str(ends[1].name), strength, kind)
    read.append(Piece("kind", joined(tokens[start:end]), shown_word(kind)))
    written = next((t for label, _value, t in extras if label == "strength"), "")
    value = number_text(strength)
    default = _("{n} (default)").format(n=value)
    read.append(Piece("strength", written, value if written else default))
    return tie, read, problems


def _read_tie(line: _Line, names: Names, ways: list[Cut]) -> tuple[Relationship | None, bool]:
    """The tie of a tie line and whether it gives a strength: the one way of cutting the
    line whose names are both found; a line cut more ways than one is ambiguous; one cut no
    way reports its closest reading's problems."""
    if len(ways) > MAX_WAYS:
        line.problem(line.pieces[0][0],
                     _("can be cut into two names {n} ways").format(n=len(ways)),
                     _("one tie a line; names holding relationship words in quotes"))  # fmt: skip
        return None, False
    tried = [(*_tie(line, names, cut), cut) for cut in ways]
    good = {tie: read for tie, read, _problems, _cut in tried if tie is not None}
    if len(good) == 1:
        tie, read = next(iter(good.items()))
        line.read.extend(read)
        line.notes.append(_("means: {sentence}").format(sentence=tie_sentence(tie)))
        return tie, bool(read[-1].text)
    if good:
        readings = [tie_sentence(t) for t in good]
        line.problem(line.pieces[0][0], _("reads more than one way: put the names in quotes"),
                     '"A" influences "B"', readings)  # fmt: skip
        return None, False
    _none, read, problems, cut = min(tried, key=lambda t: (len(t[2]), bool(t[3][2]), t[3][0]))
    line.read.extend(read)
    line.problems.extend(problems)
    unknown = [p for p in problems if p.message == _not_found()]
    if all(kind for _start, _end, kind, _back in ways) and len(unknown) == 2:
        words = joined(line.pieces[0][1][cut[0] : cut[1]])
        line.notes.append(_('read as a tie for "{words}"; a new person whose name holds it goes '
                            'in quotes: "{line}", ...')
                          .format(words=words, line=joined(line.pieces[0][1])))  # fmt: skip
    return None, False


# -- the whole text ------------------------------------------------------------------------


def _lines(text: str) -> list[_Line]:
    """Every non-blank line, cleaned like a cell, list marks left out, cut into pieces."""
    found: list[_Line] = []
    for number, raw in enumerate(BREAKS.split(text), start=1):
        line = _Line(number, raw.strip(), [], [], [], [])
        if not line.text:
            continue
        found.append(line)
        if len(found) > MAX_ROWS:
            line.text = clean_text(raw[:80])
            line.problem(
                line.text,
                _("is past the limit of {n} lines; nothing was read").format(n=f"{MAX_ROWS:,}"),
            )
            return [line]
        if len(raw) > MAX_LINE:
            line.text = clean_text(raw[:80]) + "…"
            line.problem(line.text, _("is {n} characters long, over the limit of {limit}; "
                                      "nothing of it was read")
                         .format(n=f"{len(raw):,}", limit=f"{MAX_LINE:,}"))  # fmt: skip
            continue
        cleaned = clean_text(raw).strip()
        if (gone := len(raw.strip()) - len(cleaned)) > 0:
            line.notes.append(
                ngettext(
                    "{n} control character left out", "{n} control characters left out", gone
                ).format(n=gone)
            )
        mark = LIST_MARK.match(cleaned)
        if mark and len(cleaned) > mark.end():
            line.notes.append(_('list mark "{mark}" left out').format(mark=mark[0].strip()))
            cleaned = cleaned[mark.end() :]
        line.text = cleaned
        try:
            line.pieces = split_line(cleaned)
        except BadValue as bad:
            line.problem(cleaned, bad.problem, bad.accepted)
        if not line.pieces and not line.problems:
            line.problem(cleaned, _("holds nothing to read"), _("a name"))
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
        line.problem(line.name, _("matches more than one person on the map"), "", found.candidates)
    elif found.how in ("exact", "any case"):
        line.name = str(found.name)
        line.notes.append(
            _("updates {name}").format(name=line.name) if line.fields else _("on the map already")
        )
    elif earlier is not None:
        line.name = earlier[0]
        line.notes.append(_("the same person as line {n}").format(n=earlier[1]))
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
                ln.problem(
                    end,
                    _("is added on line {n}, which has problems").format(n=failed.get(end)),
                )
        if ln.problems:
            continue
        same = next((i for i, t in enumerate(ties) if same_tie(t, tie)), None)
        if same is None:
            ties.append(tie)
        elif not given or ties[same].strength == tie.strength:
            ln.notes.append(_("this tie is on the map already"))
            continue
        else:
            ln.notes.append(
                _("changes the tie's strength from {n}").format(n=number_text(ties[same].strength))
            )
            new_ties.pop(ties[same], None)
            tie = ties[same] = replace(ties[same], strength=tie.strength)
        new_ties[tie] = None
    result = replace(m, stakeholders=tuple(people), relationships=tuple(ties))
    readings = tuple(ln.reading(kinds[ln.number] if ln.pieces else "refused") for ln in lines)
    return QuickAdd(readings, result, tuple(added), tuple(changed), tuple(new_ties))
