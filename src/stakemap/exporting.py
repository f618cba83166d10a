"""StakeholderMap to the canonical workbook (.xlsx), CSV files (.zip) or the network (.html).

No user text becomes a formula: in xlsx, text is always written as a string cell; in CSV, text
starting with = + - @ tab or CR is prefixed with an apostrophe (OWASP "CSV Injection").
"""

from __future__ import annotations

import csv
import io
import zipfile

from openpyxl import Workbook

from stakemap.model import StakeholderMap, stance_label
from stakemap.schema import SHEETS

__all__ = ["canonical_rows", "to_csv_zip", "to_xlsx"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def canonical_rows(m: StakeholderMap) -> dict[str, list[list[object]]]:
    """Each canonical sheet as a header row followed by data rows (custom columns last).

    >>> from stakemap.samples import template
    >>> canonical_rows(template())["Stakeholders"][0][:3]
    ['Name', 'Role', 'Group']
    """
    people = [[c.name for c in SHEETS[0].columns] + list(m.custom_columns)]
    for s in m.stakeholders:
        stance = "Unaware" if s.unaware else stance_label(s.stance)
        target = "" if s.target_stance is None else stance_label(s.target_stance)
        people.append(
            [
                s.name,
                s.role,
                s.group,
                s.power,
                s.interest,
                stance,
                target,
                _blank(s.legitimacy),
                _blank(s.urgency),
                s.effort,
                ", ".join(s.goals),
                s.decision_role,
                s.notes,
                *(s.custom.get(c, "") for c in m.custom_columns),
            ]
        )
    ties = [[c.name for c in SHEETS[1].columns]]
    ties += [[r.source, r.target, r.strength, r.kind, r.notes] for r in m.relationships]
    p = m.proposal
    proposal = [
        [c.name for c in SHEETS[2].columns],
        ["Title", p.title, ""],
        ["Champion", p.champion, ""],
        ["Pass share", f"{p.pass_share:.0%}", ""],
    ]
    proposal += [["Part", part.name, ", ".join(part.tags)] for part in p.parts]
    proposal += [[key, value, ""] for key, value in p.extra.items()]
    return {"Stakeholders": people, "Relationships": ties, "Proposal": proposal}


def to_xlsx(m: StakeholderMap) -> bytes:
    """The canonical workbook: Stakeholders, Relationships and Proposal sheets."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in canonical_rows(m).items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append([_number(v) for v in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # openpyxl would otherwise write a live formula
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_csv_zip(m: StakeholderMap) -> bytes:
    """One UTF-8 (with BOM, for Excel) CSV file per canonical sheet, zipped."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for title, rows in canonical_rows(m).items():
            text = io.StringIO()
            writer = csv.writer(text)
            writer.writerows([[_csv_safe(v) for v in row] for row in rows])
            archive.writestr(f"{title}.csv", "\ufeff" + text.getvalue())
    return out.getvalue()


def _blank(value: float | None) -> object:
    return "" if value is None else value


def _number(value: object) -> object:
    """Whole floats as ints so that Excel shows 3, not 3.0."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None if value == "" else value


def _csv_safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
