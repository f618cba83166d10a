"""Kumu's workbook both ways: the Elements and Connections sheets Kumu imports, written with
Stakemap's own sheets marked for Kumu to skip, and what Kumu's own workbooks hold read back
(docs/workbook.md, "Kumu").

Kumu reads a sheet Elements (Label, Type, Description, Tags split by "|", any other field) and a
sheet Connections (From, To, Type, Direction, Strength, ...); it skips every sheet whose name
holds "(ignore)".
"""

from __future__ import annotations

import io

from stakemap.files.exporting import (
    Book,
    canonical_rows,
    data_sheet,
    engagement_sheet,
    layout_sheet,
    proposal_sheet,
)
from stakemap.model import StakeholderMap

__all__ = ["kumu_rows", "to_kumu_xlsx"]


def to_kumu_xlsx(m: StakeholderMap) -> bytes:
    """A workbook Kumu imports (sheets Elements and Connections, Kumu's column names), plus
    the Proposal sheet and the hidden Layout sheet, so that Stakemap reads it back whole.

    Element Type is the Group, Description the Notes, Tags the goals joined by "|" (so a goal
    holding "|" comes back as two); Connection Type is the kind, Direction "mutual" for allies
    and rivals (their influence runs both ways) and "directed" for the others.
    """
    out = io.BytesIO()
    book = Book(out)
    rows = kumu_rows(m)
    data_sheet(book, "Elements", rows["Elements"], filtered=False)
    data_sheet(book, "Connections", rows["Connections"], filtered=False)
    proposal_sheet(book, m)
    layout_sheet(book, m)
    engagement_sheet(book, m)
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
