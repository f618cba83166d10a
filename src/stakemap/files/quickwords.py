"""The words of a quick-add line (docs/quick-add.md): its pieces and tokens, the people a name
means, what a person's piece or the words after a tie say.

Every word is read with the importer's own parsers (:mod:`stakemap.values`,
:func:`stakemap.files.cells.set_field`), so a word means here what it means in a workbook;
:mod:`stakemap.files.quick` reads whole lines and texts with these.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache

from stakemap.files.cells import set_field
from stakemap.language import N_
from stakemap.language import gettext as _
from stakemap.model import stance_label
from stakemap.schema import STAKEHOLDER_COLUMNS, Column, normalise_header
from stakemap.values import (
    BadValue,
    number_text,
    parse_choice,
    parse_number,
    parse_stance,
    parse_strength,
    value_kind,
)

__all__ = [
    "ARROWS",
    "LINKING_WORDS",
    "SHOWN",
    "Cut",
    "Match",
    "Names",
    "Token",
    "attribute",
    "cuts",
    "field_like",
    "joined",
    "match_name",
    "read_extra",
    "read_field",
    "read_tail",
    "shown",
    "split_line",
]

#: Most candidates a problem names.
SHOWN = 10
#: Arrow -> whether it points back (``A <- B``: B influences A).
ARROWS = {"->": False, "→": False, "<-": True, "←": True}
_BE, _ARTICLES = frozenset({"is", "are"}), frozenset({"a", "an"})
_LINKS = frozenset({"to", "with", "of"})
_ARROW = re.compile("|".join(map(re.escape, ARROWS)))
#: What separates a line's pieces: a comma or a semicolon, half- or full-width (Chinese text).
SEPARATORS = ",;，；"
#: A line's lexemes, each matched in one pass: a quote opens quoted text only at a word's start.
_LEXEME = re.compile(
    r'(?P<sep>[,;，；])|(?P<space>\s+)|(?P<arrow>->|<-|[→←])|(?P<quoted>"(?:[^"]|"")*")'
    r'|(?P<open>")|(?P<word>(?:[^\s,;，；→←<"-]|-(?!>)|<(?!-))(?:[^\s,;，；→←<-]|-(?!>)|<(?!-))*)'
)
#: Words that join two names with a relationship word (``is an ally of``).
LINKING_WORDS = _BE | _ARTICLES | _LINKS
#: Attribute words of a person line: the Stakeholders columns' names and synonyms but Name.
_ATTRIBUTES: dict[str, Column] = {
    key: col
    for col in STAKEHOLDER_COLUMNS
    if col.field != "name"
    for key in (normalise_header(col.name), *col.synonyms)
}
_PERSON_ACCEPTED = N_(
    "an attribute and its value (power 5, interest high, role Head of IT, group Board), "
    "a stance word (Champion .. Blocker, for, against), a decision role (decider, veto, "
    "informal veto, influencer, third party) or a job title"
)


@lru_cache(maxsize=4096)
def _kind(words: str) -> str:
    """The relationship kind ``words`` name, "" for none (asked for every word of a tie line)."""
    return str(_reads(parse_choice, words, "Kind") or "")


def _reads(fn: Callable, *args: object) -> object | None:
    """``fn(*args)``, or None where it raises BadValue."""
    with suppress(BadValue):
        return fn(*args)
    return None


# -- names ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """A name as found among people: the person (None: none or several), how it matched
    (exact, any case, first name, prefix; "" for none) and, when several, the candidates."""

    query: str
    name: str | None
    how: str = ""
    candidates: tuple[str, ...] = ()


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


class Names:
    """People's names, indexed for :func:`match_name`'s four steps (a lookup takes the time
    of a dictionary's and a binary search's, whatever the number of people)."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = list(dict.fromkeys(names))
        self.exact = set(self.names)
        self.folded: dict[str, list[str]] = {}
        self.first: dict[str, list[str]] = {}
        for name in self.names:
            key = _fold(name)
            self.folded.setdefault(key, []).append(name)
            if key:
                self.first.setdefault(key.split()[0], []).append(name)
        self.ordered = sorted((_fold(n), n) for n in self.names)

    def _prefixed(self, key: str) -> list[str]:
        found, i = [], bisect_left(self.ordered, (key,))
        while i < len(self.ordered) and self.ordered[i][0].startswith(key) and len(found) <= SHOWN:
            found.append(self.ordered[i][1])
            i += 1
        return found

    def match(self, query: str) -> Match:
        """See :func:`match_name`.

        >>> Names(["Ana Lima", "ana lima"]).match("ANA LIMA").candidates
        ('Ana Lima', 'ana lima')
        """
        if query in self.exact:
            return Match(query, query, "exact")
        key = _fold(query)
        if not key:
            return Match(query, None)
        steps = (
            ("any case", self.folded.get(key, [])),
            ("first name", [] if " " in key else self.first.get(key, [])),
            ("prefix", self._prefixed(key)),
        )
        for how, found in steps:
            if len(found) == 1:
                return Match(query, found[0], how)
            if found:
                return Match(query, None, how, tuple(found))
        return Match(query, None)


def match_name(query: str, names: Sequence[str]) -> Match:
    """The person ``query`` names: the exact name, else the one name equal to it in any case
    (spaces folded), else the one whose first name it is, else the one it begins; several at
    a step are ambiguous (the candidates are given), none at every step is unknown.

    >>> names = ["Marcus Lee", "Maria Diaz", "Henrik Olsen"]
    >>> match_name("henrik olsen", names).name, match_name("Marcus", names).how
    ('Henrik Olsen', 'first name')
    >>> match_name("Mar", names).candidates, match_name("Zoe", names).name
    (('Marcus Lee', 'Maria Diaz'), None)
    """
    return Names(names).match(query)


# -- pieces and tokens ---------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    """A word of a line, an arrow, or quoted text (``literal``: never a word of the grammar)."""

    text: str
    literal: bool = False

    @property
    def arrow(self) -> bool:
        return not self.literal and self.text in ARROWS

    @property
    def word(self) -> str:
        return "" if self.literal else self.text.casefold()


def joined(tokens: Sequence[Token]) -> str:
    """Tokens' text, a space between.

    >>> joined([Token("Dana"), Token("Whitfield")])
    'Dana Whitfield'
    """
    return " ".join(t.text for t in tokens)


def split_line(text: str) -> list[tuple[str, list[Token]]]:
    """A line's comma- or semicolon-separated pieces (half- or full-width: ``李娜，CFO``), as
    written and as tokens. A quote at the start of a word runs to the next lone quote (``""``
    is a quote) and is taken as written; arrows are tokens of their own. An unclosed quote
    raises BadValue.

    >>> [(text, joined(tokens)) for text, tokens in split_line('"Lee, M" ->Ana;  x')]
    [('"Lee, M" ->Ana', 'Lee, M -> Ana'), ('x', 'x')]
    """
    pieces: list[tuple[str, list[Token]]] = []
    tokens: list[Token] = []
    start = 0
    for m in _LEXEME.finditer(text):
        kind, value = m.lastgroup, m[0]
        if kind == "word" or kind == "arrow":
            tokens.append(Token(value))
        elif kind == "quoted":
            tokens.append(Token(value[1:-1].replace('""', '"'), literal=True))
            after = text[m.end() : m.end() + 2]
            if after and not (after[0].isspace() or after[0] in SEPARATORS or _ARROW.match(after)):
                raise BadValue(_("has text right after a closing quote"), _("a comma or a space"))
        elif kind == "open":
            raise BadValue(_("has a quote that is not closed"), _('a closing quote: "name"'))
        elif kind == "sep":
            if tokens:
                pieces.append((text[start : m.start()].strip(), tokens))
            tokens, start = [], m.end()
    if tokens:
        pieces.append((text[start:].strip(), tokens))
    return pieces


def _tokens(text: str) -> list[Token]:
    return [t for _text, tokens in split_line(text) for t in tokens]


# -- a person's pieces ---------------------------------------------------------------------


def attribute(tokens: list[Token]) -> tuple[Column, str] | None:
    """(column, value) of ``power 5``, ``power: 5``, ``decision role veto``, ``role "X"``:
    a Stakeholders column's name or synonym (up to four words), then its value.

    >>> [(col.name, value) for col, value in [attribute(_tokens("target stance: for"))]]
    [('Target stance', 'for')]
    """
    toks = list(tokens)
    glued = re.fullmatch(r"([^:=]+)[:=](.*)", toks[0].text) if not toks[0].literal else None
    if glued:
        toks = [Token(glued[1]), *([Token(glued[2])] if glued[2] else []), *toks[1:]]
    for k in range(min(4, len(toks) - 1), 0, -1):
        col = _ATTRIBUTES.get(normalise_header(joined(toks[:k]).rstrip(":=")))
        rest = toks[k:]
        if rest and rest[0].word in (":", "="):
            rest = rest[1:]
        if col is None or not rest or any(t.literal for t in toks[:k]):
            continue
        return col, rest[0].text if len(rest) == 1 else joined(rest)
    return None


def read_field(tokens: list[Token]) -> tuple[str, dict[str, object]]:
    """(label, model fields) of one piece of a person line, tried in this order: a decision
    role word, a stance word, an attribute and its value, a job title. BadValue if none.

    >>> read_field(_tokens("decides")), read_field(_tokens("Passive ally"))
    (('decision role', {'decision_role': 'decider'}), ('stance', {'stance': 1, 'unaware': False}))
    >>> read_field(_tokens("power 80%")), read_field(_tokens("Head of IT"))
    (('power', {'power': 4.2}), ('role', {'role': 'Head of IT'}))
    """
    if any(t.arrow for t in tokens):
        raise BadValue(_("holds an arrow: a tie goes on a line of its own"), "A -> B")
    words = joined(tokens)
    plain = not any(t.literal for t in tokens)
    if plain and (role := _reads(parse_choice, words, "Decision role")):
        return "decision role", {"decision_role": role}
    if plain and parse_number(words) is None and (got := _reads(parse_stance, words)):
        return "stance", {"stance": got[0], "unaware": got[1]}
    found = attribute(tokens)
    if found:
        col, value = found
        scale = "0-100%" if col.kind == "scale" and value.endswith("%") else "1-5"
        fields: dict[str, object] = {}
        set_field(fields, col, value, {col.name: scale} if col.kind == "scale" else {})
        return col.name.lower(), fields
    if plain and parse_number(words) is not None:
        raise BadValue(_("is a number without its attribute"), _("power 5, interest 2, stance -1"))
    if plain and value_kind([words])[0] == "role":
        return "role", {"role": words}
    raise BadValue(_("is not an attribute, a stance or decision role word or a job title"),
                   _(_PERSON_ACCEPTED))  # fmt: skip


def field_like(tokens: list[Token]) -> bool:
    """Whether unquoted words read as a field, a job title alone aside (people are mapped by
    title: a person may be called CFO).

    >>> field_like(_tokens("Critic")), field_like(_tokens("CFO")), field_like(_tokens("Ana"))
    (True, False, False)
    """
    if any(t.literal for t in tokens):
        return False
    got = _reads(read_field, tokens)
    return got is not None and (got[0] != "role" or attribute(tokens) is not None)


def shown(label: str, fields: dict[str, object]) -> str:
    """A read value as the page shows it.

    >>> shown("stance", {"stance": -1, "unaware": False}), shown("power", {"power": 4.2})
    ('Critic', '4.2')
    """
    if label == "stance":
        return "Unaware" if fields.get("unaware") else stance_label(int(fields["stance"]))
    value = next(v for k, v in fields.items() if k != "unaware")
    if label == "target stance":
        return stance_label(int(value))
    if isinstance(value, float):
        return number_text(value)
    return ", ".join(value) if isinstance(value, tuple) else str(value)


# -- a tie's words -------------------------------------------------------------------------

#: One way to cut a tie's first piece: (start, end) of the arrow or relationship words, the
#: kind ("" for an arrow) and whether it points back.
Cut = tuple[int, int, str, bool]


def cuts(tokens: list[Token]) -> list[Cut]:
    """Every way to cut a line's first piece into two names and what joins them: an arrow, or
    a relationship kind's words (``influences``, ``listens to``, ``is an ally of``); a name
    must stand on each side. None: a person line.

    >>> cuts(_tokens("Jonas -> Sofia")), cuts(_tokens("Henrik listens to Marcus Lee"))
    ([(1, 2, '', False)], [(1, 3, 'defers to', False)])
    >>> cuts(_tokens("Works council")), cuts(_tokens('"A -> B"'))
    ([], [])
    """
    found: dict[tuple[int, int], tuple[str, bool]] = {}
    for i in range(1, len(tokens) - 1):
        if tokens[i].arrow:
            found[i, i + 1] = ("", ARROWS[tokens[i].text])
            continue
        j = i + (tokens[i].word in _BE)
        j += tokens[j].word in _ARTICLES if j < len(tokens) else 0
        for size in (2, 1):
            words = tokens[j : j + size]
            if len(words) < size or any(t.literal or t.arrow for t in words):
                continue
            kind = _kind(joined(words))
            end = j + size
            stop = end + (end < len(tokens) and tokens[end].word in _LINKS)
            if kind and stop < len(tokens):
                found.setdefault((i, stop), (str(kind), False))
    return [(a, b, kind, back) for (a, b), (kind, back) in found.items()]


def read_extra(tokens: list[Token], arrow: bool) -> tuple[str, object] | None:
    """("strength", number) or ("kind", kind: only after an arrow) for words after a tie's
    names (``strong``, ``strength 4``, ``-2``, ``ally``), else None.

    >>> read_extra(_tokens("strong"), False), read_extra(_tokens("strength: -2"), False)
    (('strength', 5.0), ('strength', -2.0))
    >>> read_extra(_tokens("rival"), True), read_extra(_tokens("rival"), False)
    (('kind', 'rival'), None)
    """
    words = joined(tokens)
    if not tokens or any(t.literal or t.arrow for t in tokens):
        return None
    head, _sep, rest = words.partition(" ")
    if head.casefold().rstrip(":=") == "strength" and rest:
        strength = _reads(parse_strength, rest.lstrip(":= "))
        return None if strength is None else ("strength", strength)
    if head.casefold().rstrip(":=") == "kind" and rest:
        words = rest.lstrip(":= ")
    if (strength := _reads(parse_strength, words)) is not None:
        return "strength", strength
    kind = _kind(words) if arrow else None
    return ("kind", kind) if kind else None


def read_tail(tokens: list[Token], arrow: bool) -> list[tuple[str, object, str]] | None:
    """(label, value, text) of each extra written after the second name without a comma
    (``Sofia strong``), or None if a word is not one.

    >>> read_tail(_tokens("very strong"), False), read_tail(_tokens("Lee"), False)
    ([('strength', 5.0, 'very strong')], None)
    """
    out, i = [], 0
    while i < len(tokens):
        fits = (s for s in (2, 1) if i + s <= len(tokens) and read_extra(tokens[i : i + s], arrow))
        size = next(fits, 0)
        if not size:
            return None
        got = read_extra(tokens[i : i + size], arrow)
        out.append((*got, joined(tokens[i : i + size])))
        i += size
    return out
