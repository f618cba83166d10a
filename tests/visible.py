"""What a page shows, read from AppTest's element tree, and which of it is not translated.

Every string a person sees (labels, help, options, text, alerts, headings, tab and expander
labels, table headers, chart titles, axes and legends) is collected from the elements' protocol
messages; what the user typed (the map's names and notes, values in inputs) is not the app's
to translate, so it is taken out before a check (docs/languages.md).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow as pa
from streamlit.testing.v1 import AppTest

from stakemap.model import StakeholderMap

APP = str(Path(__file__).resolve().parents[1] / "app.py")

#: Protocol fields that hold words a person reads.
SHOWN_FIELDS = frozenset(
    {"label", "body", "help", "placeholder", "options", "caption", "text", "title", "content"}
)
#: Messages whose strings are not words shown (raw HTML and CSS of the app's own, JSON args).
_SKIPPED_MESSAGES = frozenset({"Html", "ComponentInstance", "BidiComponent", "IFrame"})
#: Words in any language: formats, products and the names of methods and their authors.
ALLOWED = (
    "Stakemap", "PNG", "SVG", "PDF", "CSV", "Excel", "LibreOffice", "Kumu", "GraphML", "GEXF",
    "Gephi", "yEd", "igraph", "networkx", "QR", "URL", "ID", "XLSX", "xlsx", "pptx", "PowerPoint",
    "Mendelow", "Mitchell", "Agle", "Wood", "PMBOK", "Okabe", "Ito", "Streamlit", "PostgreSQL",
    "SQLite", "UTF", "Wi-Fi", "WiFi", "LAN", "IP", "http", "https", "localhost", "zip", "ods",
    "xls", "csv", "json", "DOT", "GML", "Pajek", "English", "MB", "KB", "px", "Ctrl", "Cmd",
    "Enter", "Tab", "Esc", "Shift", "Delete", "HTML", "BOM", "CEO", "CFO", "Louvain", "Banzhaf",
    "Cytoscape", "kumu.io", "Elements", "Connections", "Type", "Tags", "Direction", "mutual",
    "viz:position", "Population", "UTC", "PgUp", "PgDn",
)  # fmt: skip
#: An English word glossed in Chinese right after it ("Stakeholders（利益相关者）") or the
#: other way round ("“从”（From）"): a name the app reads in English (a sheet's, a Kumu
#: column's), said in both on purpose.
_GLOSSED = re.compile(r"[A-Za-z][\w .:/-]*（[^）]*[\u4e00-\u9fff][^）]*）|（[A-Za-z][^）]*）")
#: Shown in both languages on purpose: the language picker's own (hidden) label.
BILINGUAL = ("Language · 语言",)
_ALLOWED = re.compile(r"\b(" + "|".join(map(re.escape, ALLOWED)) + r")\b")
_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
#: Not words: commands to type (make room), names of settings and codes in capitals
#: (STAKEMAP_PASSCODE_HASH, a join code), file endings (.xlsx), icons, links, code spans.
_NOT_WORDS = re.compile(
    r":material/\w+:|https?://\S+|`[^`]*`|(?<![\w])\.[a-z][\w.]*|\bmake [a-z]+\b"
    r"|\b[A-Z0-9][A-Z0-9_]{3,}\b"
)


def shown_texts(at: AppTest) -> list[str]:
    """Every string the page (main area and sidebar) shows a person."""
    found: list[str] = []
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is not None:
            found.extend(_proto_texts(proto))
    return [t for t in found if t and t.strip()]


def table_texts(columns: str) -> Iterator[str]:
    """A table's headers as shown (a column's configured label, else its name), their help,
    and the words of its dropdown columns, from the element's column configuration (JSON)."""
    try:
        config = json.loads(columns)
    except ValueError:
        return
    for name, column in config.items():
        if not isinstance(column, dict) or column.get("hidden"):
            continue
        yield column.get("label") or name
        yield column.get("help") or ""
        options = (column.get("type_config") or {}).get("options") or []
        yield from (o for o in options if isinstance(o, str))


def _nodes(node) -> Iterator:
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _nodes(child)


#: What the browser shows in an empty multiselect given no placeholder (Streamlit's own).
DEFAULT_PLACEHOLDER = "Choose options"


def _proto_texts(message) -> Iterator[str]:
    name = message.DESCRIPTOR.name
    if name in _SKIPPED_MESSAGES:
        return
    if name == "MultiSelect" and not message.placeholder:
        yield DEFAULT_PLACEHOLDER
    for field, value in message.ListFields():
        if field.name == "spec" and isinstance(value, str):
            yield from chart_texts(value)
        elif field.name == "columns" and isinstance(value, str):
            yield from table_texts(value)
        elif field.type == field.TYPE_MESSAGE:
            values = [value] if hasattr(value, "ListFields") else list(value)
            for item in values:
                yield from _proto_texts(item)
        elif field.type == field.TYPE_STRING and field.name in SHOWN_FIELDS:
            yield from [value] if isinstance(value, str) else list(value)


def chart_texts(spec: str) -> Iterator[str]:
    """Titles, subtitles, text marks' constant text, legend and axis words of a Vega-Lite spec
    (the data's own values are the map's)."""
    try:
        tree = json.loads(spec)
    except ValueError:
        return
    yield from _spec_texts(tree)


#: One ``"Title": ...datum["field"]...`` pair of a tooltip expression
#: (:func:`stakemap.lenses.markers.tooltip_expr`).
_TOOLTIP_PAIR = re.compile(r'("(?:[^"\\]|\\.)*"): \(?(?:isValid\()?datum\["(\w+)"\]')


def tooltip_fields(expr: str) -> dict[str, str]:
    """The titles of a tooltip expression and the fields they show, in order."""
    return {json.loads(title): field for title, field in _TOOLTIP_PAIR.findall(expr)}


def chart_data(chart) -> list[dict]:
    """The rows a page's chart (its protocol message) sends: its datasets' (Arrow) and the
    inline values of its layers, each set of values once (layers share the people's)."""
    rows = [
        row
        for dataset in chart.datasets
        for row in pa.ipc.open_stream(dataset.data.data).read_all().to_pylist()
    ]
    inline = {
        json.dumps(layer["data"]["values"], sort_keys=True): layer["data"]["values"]
        for layer in json.loads(chart.spec).get("layer", [])
        if "values" in layer.get("data", {})
    }
    return rows + [row for values in inline.values() for row in values]


def marker_tooltip(spec: dict) -> dict[str, str]:
    """The titles and fields of the tooltip of a lens chart's markers."""
    (expr,) = [
        layer["mark"]["tooltip"]["expr"]
        for layer in spec["layer"]
        if isinstance(layer.get("mark"), dict) and "tooltip" in layer["mark"]
    ]
    return tooltip_fields(expr)


def _spec_texts(node) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("datasets", "data"):
                continue
            if key in ("title", "subtitle", "text") and isinstance(value, str | list):
                # a title wrapped into lines is one text
                yield value if isinstance(value, str) else " ".join(map(str, value))
            elif key == "labelExpr" and isinstance(value, str):
                yield from (json.loads(q) for q in re.findall(r'"(?:[^"\\]|\\.)*"', value))
            elif key == "tooltip" and isinstance(value, dict) and "expr" in value:
                yield from tooltip_fields(value["expr"])
            elif key == "domain" and isinstance(value, list):
                yield from (v for v in value if isinstance(v, str))
            else:
                yield from _spec_texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _spec_texts(item)


def user_words(m: StakeholderMap, *more: str) -> list[str]:
    """What the user typed into ``m`` (names, roles, groups, notes, goals, the proposal), and
    ``more`` (the map's name, what the test typed), longest first."""
    words = set(more)
    for s in m.stakeholders:
        words |= {s.name, s.role, s.group, s.notes, *s.goals}
    for r in m.relationships:
        words.add(r.notes)
    p = m.proposal
    words |= {p.title, *p.extra.values(), *(part.name for part in p.parts)}
    words |= {tag for part in p.parts for tag in part.tags}
    return sorted((w for w in words if w and w.strip()), key=len, reverse=True)


def untranslated(texts: Iterable[str], user: list[str]) -> list[str]:
    """The texts that keep a Latin word once user text, allowed words, icons, links and
    markdown are taken out: English left in a page that speaks Chinese."""
    left = []
    for text in (t for t in texts if t not in BILINGUAL):
        rest = text.replace("\\", "")
        for word in user:
            rest = rest.replace(word, " ")
        rest = _ALLOWED.sub(" ", _GLOSSED.sub(" ", _NOT_WORDS.sub(" ", rest)))
        if _LATIN_WORD.search(rest):
            left.append(text)
    return left


#: Marks around every message in the marking mode (:func:`unmarked`).
OPEN, CLOSE = "⟦", "⟧"


def unmarked(texts: Iterable[str], user: list[str]) -> list[str]:
    """The texts with a Latin word outside every marked message (and outside user text):
    English that did not come from the catalogue. Marked spans nest (a message formatted
    into another), and are taken out innermost first."""
    left = []
    span = re.compile(re.escape(OPEN) + r"[^" + OPEN + CLOSE + r"]*" + re.escape(CLOSE))
    for text in (t for t in texts if t not in BILINGUAL):
        rest = text.replace("\\", "")
        for word in user:
            rest = rest.replace(word, " ")
        while span.search(rest):
            rest = span.sub(" ", rest)
        if _LATIN_WORD.search(_ALLOWED.sub(" ", _NOT_WORDS.sub(" ", rest))):
            left.append(text)
    return left


def page_in(page: str, lang: str, timeout: float = 120) -> AppTest:
    """The app's page ``page`` (a path under views/) as a session speaking ``lang`` sees it."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.session_state["language"] = lang
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at
