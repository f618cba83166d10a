"""CSV both ways: the map as a zip of CSV files, one a canonical sheet (docs/workbook.md).

No user text becomes a formula: text starting with = + - @ tab or CR is written with an
apostrophe before it (OWASP "CSV Injection").
"""

from __future__ import annotations

import csv
import io
import zipfile

from stakemap.model import StakeholderMap
from stakemap.values import clean_text

__all__ = ["to_csv_zip"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def to_csv_zip(m: StakeholderMap) -> bytes:
    """One UTF-8 (with BOM, for Excel) CSV file per canonical sheet (and the engagement log),
    zipped."""
    # imported here, not at the top: the sandbox's reader imports this module, not the writer
    from stakemap.files.exporting import canonical_rows, engagement_rows

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        sheets = canonical_rows(m)
        if m.engagements:
            sheets["Engagements"] = engagement_rows(m)
        for title, rows in sheets.items():
            text = io.StringIO()
            csv.writer(text).writerows([[_csv_safe(v) for v in row] for row in rows])
            archive.writestr(f"{title}.csv", "\ufeff" + text.getvalue())
    return out.getvalue()


def _csv_safe(value: object) -> object:
    """Text as the workbook holds it, an apostrophe before a formula start."""
    if isinstance(value, str):
        value = clean_text(value)
        return "'" + value if value.startswith(_FORMULA_START) else value
    return value
