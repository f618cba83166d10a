"""What a marker of the lens chart says: its tooltip and what a screen reader reads of it, each
one Vega expression over the person's row (docs/speed.md, rule 17)."""

from __future__ import annotations

import json

__all__ = ["description_expr", "tooltip_expr"]


def tooltip_expr(fields: list[tuple[str, str]]) -> dict:
    """A marker's tooltip, ``(title, field)`` pairs, as one Vega expression that builds the
    object the tooltip lists (a blank number shows empty). Not Vega-Lite's tooltip channel: it
    evaluates a guarded expression a field a person, a third of the chart's work in the browser
    at 2,000 people (docs/speed.md). Titles are the catalogue's words, written as JSON strings.

    >>> tooltip_expr([("Name", "label"), ("Power", "power")])["expr"]
    '{"Name": datum["label"], "Power": (isValid(datum["power"]) ? datum["power"] : "")}'
    """
    parts = [f"{json.dumps(title, ensure_ascii=False)}: {_value(f)}" for title, f in fields]
    return {"expr": "{" + ", ".join(parts) + "}"}


def description_expr(fields: list[tuple[str, str]]) -> dict:
    """What a screen reader says of a marker, ``(title, field)`` pairs, as one Vega expression
    (not Vega-Lite's own, which lists every encoded field a person: sizes and positions).

    >>> description_expr([("Name", "label"), ("Stance", "stance")])["expr"]
    '"Name: " + datum["label"] + "; Stance: " + datum["stance"]'
    """
    parts = [
        f"{json.dumps(('; ' if k else '') + f'{title}: ', ensure_ascii=False)} + {_value(f)}"
        for k, (title, f) in enumerate(fields)
    ]
    return {"expr": " + ".join(parts)}


def _value(field: str) -> str:
    """A row's ``field`` in a Vega expression; a blank number is empty, not "null"."""
    if field in ("power", "interest"):
        return f'(isValid(datum["{field}"]) ? datum["{field}"] : "")'
    return f'datum["{field}"]'
