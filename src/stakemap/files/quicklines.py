"""Quick-add lines written from the map: :func:`person_line` and :func:`tie_line` write lines
that read back (:func:`stakemap.files.quick.read_text`) as what they were given."""

from __future__ import annotations

import re
from contextlib import suppress

from stakemap.files.quickwords import (
    LINKING_WORDS,
    cuts,
    field_like,
    joined,
    read_field,
    split_line,
)
from stakemap.model import Relationship, Stakeholder, stance_label
from stakemap.schema import STAKEHOLDER_COLUMNS
from stakemap.values import BadValue, clean_text, parse_choice

__all__ = ["BREAKS", "LIST_MARK", "person_line", "tie_line"]

#: Line breaks, and the list mark a line may start with (left out when read).
BREAKS = re.compile(r"\r\n|[\r\n\u2028\u2029]")
LIST_MARK = re.compile(r"(?:[-*•]|\d{1,3}[.)])\s+")


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _name_text(name: str, tie: bool) -> str:
    """A name as a line writes it: bare when it reads back as itself, else in quotes."""
    if BREAKS.search(name) or not name or name != clean_text(name).strip():
        raise ValueError(f"{name!r} cannot be written on one line")
    with suppress(BadValue):
        pieces = split_line(name)
        tokens = pieces[0][1] if len(pieces) == 1 else []
        plain = tokens and all(not t.literal and not t.arrow for t in tokens)
        kind_word = any(t.word in LINKING_WORDS or _is_kind(t.text) for t in tokens)
        if (
            plain
            and joined(tokens) == name
            and not LIST_MARK.match(name + " ")  # the name starts a line: no list mark
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
            (_text, tokens), *more = split_line(bare)
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
