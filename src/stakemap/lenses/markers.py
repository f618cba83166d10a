"""What the lens chart's markers carry and say: the people's values, inline in the spec
(docs/speed.md, rule 23), and a marker's tooltip and what a screen reader reads of it, each one
Vega expression over the person's row (rule 17)."""

from __future__ import annotations

import json

import pandas as pd

__all__ = ["description_expr", "people_columns", "people_values", "tooltip_expr"]


def people_columns(lens_name: str, details: bool, labelled: bool, focused: bool) -> list[str]:
    """The people's fields the chart's layers and tooltip read: group, role and decision
    role only with ``details`` (an anonymised chart never sends them), the one-wedge move on
    the spectrum, the label's size where names are drawn, the focus where someone has it.

    >>> people_columns("Power map", False, False, False)
    ['label', 'x', 'y', 'stance', 'size', 'class', 'power', 'interest']
    """
    columns = ["label", "x", "y", "stance", "size", "class", "power", "interest"]
    columns += ["group", "role", "decision"] if details else []
    columns += ["move"] if lens_name == "Spectrum of allies" else []
    columns += ["font"] if labelled else []
    return columns + (["focus"] if focused else [])


def people_values(rows: pd.DataFrame, columns: list[str]) -> dict:
    """The people's rows as inline data, ``columns`` only, at 4 decimals, missing as null.

    Inline, not a dataset: Streamlit sends a dataset as Arrow and the browser turns it into
    rows cell by cell on the page's thread, 0.25-0.3 s of a 2,000-person Map page (Chromium
    traces, docs/speed.md); the spec's JSON is parsed natively. Layers given equal values
    share one data source (Vega-Lite merges identical inline data).

    >>> rows = pd.DataFrame([{"label": "Ana", "x": 0.123456, "power": None}])
    >>> people_values(rows, ["label", "x", "power"])
    {'values': [{'label': 'Ana', 'x': 0.1235, 'power': None}]}
    """
    text = rows[columns].to_json(orient="records", double_precision=4, force_ascii=False)
    return {"values": json.loads(text)}


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
