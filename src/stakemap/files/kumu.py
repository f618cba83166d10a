"""Kumu's workbook both ways: the Elements and Connections sheets Kumu imports, written with
Stakemap's own sheets marked for Kumu to skip, and the ways of Kumu's own workbooks read back
(docs/workbook.md, "Kumu").

Kumu (docs.kumu.io, "Structure your data for Kumu") reads a sheet Elements (Label, Type,
Description, Tags split by "|", any other field; an ID column first, if any, names an element
for the connections) and a sheet Connections (From and To by label or ID, a To of "A|B" one
connection to each; Type, Direction, Strength and any other field free text); two rows of one
Label and different Types are two elements; it skips every sheet whose name holds "(ignore)".
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable

from stakemap.files.cells import IGNORED
from stakemap.language import ngettext, speaking
from stakemap.model import StakeholderMap
from stakemap.schema import normalise_header
from stakemap.values import BadValue, cell_text

__all__ = [
    "fits",
    "free_values",
    "id_column",
    "kumu_rows",
    "kumu_tags",
    "strength_words",
    "to_kumu_xlsx",
    "told_apart",
]

Rows = list[tuple[int, list]]


def to_kumu_xlsx(m: StakeholderMap) -> bytes:
    """A workbook Kumu imports (sheets Elements and Connections, Kumu's column names), plus
    the Proposal, hidden Layout and Engagements sheets named "... (ignore)", which Kumu skips
    and Stakemap reads back, so that the map comes back whole.

    Element Type is the Group, Description the Notes, Tags the goals joined by "|" (so a goal
    holding "|" comes back as two); Connection Type is the kind, Direction "mutual" for allies
    and rivals (their influence runs both ways) and "directed" for the others.

    It is written in English whatever the language in force: its field names are Kumu's, and
    its sheets' words the ones Kumu's users share.
    """
    # the writer here, not at the top: the importer reads Kumu's ways without XlsxWriter
    from stakemap.files.exporting import (
        Book,
        data_sheet,
        engagement_sheet,
        layout_sheet,
        proposal_sheet,
    )

    out = io.BytesIO()
    book = Book(out)
    with speaking("en"):
        rows = kumu_rows(m)
        data_sheet(book, "Elements", rows["Elements"], filtered=False)
        data_sheet(book, "Connections", rows["Connections"], filtered=False)
        proposal_sheet(book, m, f"Proposal {IGNORED}")
        layout_sheet(book, m, f"Layout {IGNORED}")
        engagement_sheet(book, m, f"Engagements {IGNORED}")
    book.close()
    return out.getvalue()


def kumu_rows(m: StakeholderMap) -> dict[str, list[list[object]]]:
    """The Elements and Connections sheets as rows, headers first.

    >>> from stakemap.model import Relationship, Stakeholder
    >>> m = StakeholderMap((Stakeholder("A", group="Board", goals=("cost", "risk")),
    ...                     Stakeholder("B")), (Relationship("A", "B", 2, "ally"),))
    >>> rows = kumu_rows(m)
    >>> rows["Elements"][1][:4], rows["Connections"][1]
    (['A', 'Board', '', 'cost|risk'], ['A', 'B', 'ally', 'mutual', 2, ''])
    """
    from stakemap.files.exporting import canonical_rows

    people = canonical_rows(m)["Stakeholders"]
    index = {h: i for i, h in enumerate(people[0])}
    moved = ("Name", "Group", "Notes", "Goals")
    rest = [h for h in people[0] if h not in moved]
    elements = [["Label", "Type", "Description", "Tags", *rest]]
    for s, row in zip(m.stakeholders, people[1:], strict=True):
        elements.append(
            [s.name, s.group, s.notes, "|".join(s.goals), *(row[index[h]] for h in rest)]
        )
    connections = [["From", "To", "Type", "Direction", "Strength", "Description"]]
    connections += [
        [r.source, r.target, r.kind, "mutual" if r.kind in ("ally", "rival") else "directed",
         r.strength, r.notes]
        for r in m.relationships
    ]  # fmt: skip
    return {"Elements": elements, "Connections": connections}


# ---------------------------------------------------------------- reading Kumu's ways


def kumu_tags(rows: list[tuple[int, list]], mapping) -> list[tuple[int, list]]:
    """Kumu separates tags with "|": the Goals cells of an Elements sheet, comma-separated."""
    goals = [i for i, (_, col) in mapping.items() if col is not None and col.name == "Goals"]
    if not goals:
        return rows
    out = []
    for number, row in rows:
        row = list(row)
        for i in goals:
            if i < len(row) and isinstance(row[i], str):
                row[i] = ", ".join(row[i].split("|"))
        out.append((number, row))
    return out


def id_column(mapping: dict) -> int | None:
    """The custom column headed ID, if any: Kumu's element IDs (a PMBOK register's too)."""
    return next(
        (i for i, (h, col) in mapping.items() if col is None and normalise_header(h) == "id"),
        None,
    )


def told_apart(rows: Rows, mapping: dict) -> tuple[Rows, dict[str, list[str]], list[str]]:
    """Rows of one name that Kumu keeps as several elements, renamed "Name (Type)" (each row
    a different Group, Kumu's Type) or "Name (ID)" (each a different ID); with the names
    shared (casefolded) -> the names given, and a report line each. Rows that repeat a name
    with nothing to tell them apart are left: the importer says the name appears again.

    >>> from stakemap.schema import SHEETS
    >>> mapping = {0: ("Label", SHEETS[0].column("Name")), 1: ("Type", SHEETS[0].column("Group"))}
    >>> rows, shared, notes = told_apart([(2, ["Pipe", "Left"]), (3, ["Pipe", "Right"])], mapping)
    >>> shared
    {'pipe': ['Pipe (Left)', 'Pipe (Right)']}
    """
    column = {col.name: i for i, (_, col) in mapping.items() if col is not None}
    name, group, ident = column.get("Name"), column.get("Group"), id_column(mapping)
    if name is None:
        return rows, {}, []
    by_name: dict[str, list[int]] = {}
    for at, (_, row) in enumerate(rows):
        if key := _cell(row, name).casefold():
            by_name.setdefault(key, []).append(at)
    taken = set(by_name)
    out, shared, notes = list(rows), {}, []
    for key, places in by_name.items():
        if len(places) < 2:
            continue
        for index in (group, ident):
            marks = [_cell(rows[at][1], index) for at in places]
            new = [
                f"{_cell(rows[at][1], name)} ({mark})"
                for at, mark in zip(places, marks, strict=True)
            ]
            if (
                all(marks)
                and len({m.casefold() for m in marks}) == len(marks)
                and not ({n.casefold() for n in new} & taken)
            ):
                break
        else:
            continue
        for at, renamed in zip(places, new, strict=True):
            number, row = out[at]
            out[at] = (number, [renamed if i == name else v for i, v in enumerate(row)])
        taken.update(n.casefold() for n in new)
        shared[key] = new
        header = mapping[index][0]
        notes.append(
            ngettext(
                "Stakeholders: {name} is {n} person told apart by their {header}: {names}",
                "Stakeholders: {name} is {n} people told apart by their {header}: {names}",
                len(new),
            ).format(
                name=_cell(rows[places[0]][1], name),
                n=len(new),
                header=header,
                names=", ".join(new),
            )
        )
    return out, shared, notes


def _cell(row: list, index: int | None) -> str:
    return cell_text(row[index]) if index is not None and index < len(row) else ""


def free_values(
    rows: Rows, mapping: dict, name: str, fits: Callable[[object], bool]
) -> tuple[Rows, dict, list[str]]:
    """Column ``name``'s values that ``fits`` refuses, moved to a custom column of the same
    header (so into a tie's notes, "Type: funding"): Kumu's connection Type and Strength are
    free text. Rows are copied; the values moved come back in row order.

    >>> from stakemap.schema import SHEETS
    >>> mapping = {0: ("Type", SHEETS[1].column("Kind"))}
    >>> rows, mapping, moved = free_values([(2, ["ally"]), (3, ["funding"])], mapping, "Kind",
    ...                                    lambda v: v == "ally")
    >>> rows, mapping[1][0], moved
    ([(2, ['ally']), (3, ['', 'funding'])], 'Type', ['funding'])
    """
    index = next((i for i, (_, c) in mapping.items() if c is not None and c.name == name), None)
    if index is None:
        return rows, mapping, []
    spare = max([*mapping, *(len(r) - 1 for _, r in rows)]) + 1
    out, moved = [], []
    fitting: dict[tuple[type, object], bool] = {}  # each value tried once (True is not 1)
    for number, row in rows:
        value = row[index] if index < len(row) else None
        if (key := (type(value), value)) not in fitting:
            fitting[key] = not cell_text(value) or fits(value)
        if not fitting[key]:
            row = [*row, *[""] * (spare + 1 - len(row))]
            row[spare], row[index] = row[index], ""
            moved.append(cell_text(row[spare]))
        out.append((number, row))
    if not moved:
        return rows, mapping, []
    return out, {**mapping, spare: (mapping[index][0], None)}, moved


def fits(parse: Callable[[object], object]) -> Callable[[object], bool]:
    """Whether ``parse`` reads a value without a problem."""

    def reads(value: object) -> bool:
        try:
            parse(value)
        except BadValue:
            return False
        return True

    return reads


def strength_words(rows: Rows, index: int, parse: Callable[[object], float]) -> str:
    """The words of a Strength column read as numbers, for the report, or "".

    >>> from stakemap.values import parse_strength
    >>> strength_words([(2, ["Strong"]), (3, [2]), (4, ["strong"])], 0, parse_strength)
    'Strong as 5 (2 ties)'
    """
    words: Counter[str] = Counter()
    first: dict[str, str] = {}
    for _, row in rows:
        text = _cell(row, index)
        if text and not any(ch.isdigit() for ch in text) and fits(parse)(text):
            words[text.casefold()] += 1
            first.setdefault(text.casefold(), text)
    return ", ".join(
        ngettext("{word} as {number} ({n} tie)", "{word} as {number} ({n} ties)", n).format(
            word=first[w], number=f"{parse(w):g}", n=n
        )
        for w, n in words.items()
    )
