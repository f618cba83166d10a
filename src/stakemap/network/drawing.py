"""The network drawing: a standalone vis-network page that works offline and runs no user text.

pyvis 0.3.2 links Bootstrap from a CDN in every mode, inserts its heading unescaped and
switches to an innerHTML popup when a title holds "href" (docs/pitfalls.md), so this module
owns its template instead:

- vis-network 9.1.2 is inlined from the file pyvis ships (:func:`vis_file`);
- people and ties travel as JSON in a ``<script type="application/json">`` block with ``<``,
  ``>``, ``&`` and ``/`` escaped, and become canvas labels and plain-text tooltips
  (vis-network sets a person's string title with ``innerText``, the page a tie's with
  ``textContent``); no user text enters the markup;
- the page draws the ties itself on vis-network's canvas (``drawing.js``, docs/speed.md):
  10,000 vis-network edges were most of a large drawing's start;
- a Content-Security-Policy allows only the page's own two scripts (by hash) and no request:
  even an escaping mistake could neither run an injected script nor load anything;
- physics is off and positions come from :mod:`stakemap.network.layout`, so the picture is
  drawn once, fast, and does not move.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import importlib.util
import json
import math
from collections import Counter
from collections.abc import Collection
from pathlib import Path

from stakemap.language import gettext as _
from stakemap.language import language, ngettext
from stakemap.legend import COMMUNITY_COLOURS, COMMUNITY_OTHER, ROLE_OUTLINES, STANCE_SHAPES
from stakemap.model import STANCE_COLOURS, Stakeholder, StakeholderMap, stance_label
from stakemap.network import communities, graph, layout
from stakemap.network.wording import legend, list_text, page_words, sentences
from stakemap.pacing import checkpoint

__all__ = [
    "REPEL_COLOUR",
    "ROLE_SHAPES",
    "STANCE_COLOURS",
    "community_sentence",
    "moved_positions",
    "network_html",
    "people",
    "shown_names",
    "tie_width",
    "vis_data",
]

#: Decision roles the drawing tells apart, by outline (:data:`stakemap.legend.ROLE_OUTLINES`);
#: the node's shape and colour are its stance's, as on the Map and in the export.
ROLE_SHAPES: dict[str, tuple[int, bool]] = ROLE_OUTLINES
#: Colour of repelling (negative) ties, which are also dashed.
REPEL_COLOUR = "#d7301f"

#: vis-network 9.1.2 as pyvis 0.3.2 ships it (its standalone minified UMD build, which needs
#: nothing else and opens offline). Found without importing pyvis, whose package pulls in jinja2.
_VIS_FILE = Path("lib", "vis-9.1.2", "vis-network.min.js")
_NOTE_LIMIT = 280  # characters of notes shown in a tooltip
_LARGE = 1500  # ties above which they hide while the map is dragged or zoomed
_COORD_LIMIT = 1e6  # a dragged position further out than this is refused


def vis_data(
    m: StakeholderMap,
    positions: dict[str, tuple[float, float]] | None,
    *,
    groups: Collection[str] | None = None,
    stances: Collection[int] | None = None,
) -> dict[str, list[dict]]:
    """vis-network ``nodes`` and ``edges`` for the map: style, position and tooltip text.

    Colour and shape by stance (:mod:`stakemap.legend`, the Map's and the export's), size by
    power, outline by decision role (:data:`ROLE_SHAPES`: deciders and vetoes heavy, third
    parties dashed), arrow width by strength, repelling ties
    dashed in :data:`REPEL_COLOUR`. People outside ``groups`` or ``stances`` (when given) are
    hidden, with their ties. Node ids are positions in the map, never names.

    Parameters
    ----------
    m : StakeholderMap
    positions : dict or None
        ``name -> (x, y)``, None for the map's stored positions; anyone missing is placed by
        :func:`layout.complete_positions`.
    groups, stances : collections, optional
        Show only people in these groups / with these stances.

    Examples
    --------
    >>> from stakemap.model import Relationship, Stakeholder
    >>> m = StakeholderMap(
    ...     (Stakeholder("Ana", stance=2, decision_role="decider"), Stakeholder("Ben")),
    ...     (Relationship("Ana", "Ben", -2),),
    ... )
    >>> data = vis_data(m, {"Ana": (0, 0), "Ben": (130, 0)})
    >>> [(n["label"], n["shape"], n["borderWidth"]) for n in data["nodes"]]
    [('Ana', 'star', 3), ('Ben', 'dot', 1)]
    >>> edge = data["edges"][0]
    >>> edge["from"], edge["to"], edge["dashes"], edge["color"]["color"]
    (0, 1, True, '#d7301f')
    """
    G = graph.build_graph(m)
    pos = layout.complete_positions(m, positions)
    ids = {name: i for i, name in enumerate(m.names)}
    shown = set(shown_names(m, groups=groups, stances=stances))
    community = communities.communities(m)
    nodes = []
    for person, group in zip(m.stakeholders, community, strict=True):
        checkpoint()  # worked out ahead: a page run goes first (stakemap.pacing)
        role = person.decision_role if person.decision_role in ROLE_SHAPES else ""
        stance = stance_label(person.stance)
        fill = STANCE_COLOURS[stance]
        width, dashed = ROLE_OUTLINES[role]
        node = {
            "id": ids[person.name],
            "label": person.name,
            "x": pos[person.name][0],
            "y": pos[person.name][1],
            "title": _person_tooltip(person)
            + ("\n" + _("Community {n}").format(n=group) if group else ""),
            "shape": STANCE_SHAPES[stance].vis,
            "size": round(8 + 5 * person.power, 1),
            "color": {
                "background": fill,
                "border": "#1a1a1a" if width > 1 else "#4d4d4d",
                "highlight": {"background": fill, "border": "#000000"},
                "hover": {"background": fill, "border": "#000000"},
            },
            "borderWidth": width,
            "g": person.group,
            "s": person.stance,
        }
        if group is not None:
            node["c"] = group
        if dashed:
            node["shapeProperties"] = {"borderDashes": [5, 4]}
        if person.name not in shown:
            node["hidden"] = True
        nodes.append(node)
    edges = []
    for u, v, attrs in G.edges(data=True):
        checkpoint()
        weight = attrs["weight"]
        edge = {
            "id": len(edges),
            "from": ids[u],
            "to": ids[v],
            "width": tie_width(weight),
            "weight": round(weight, 4),
            "title": _tie_tooltip(u, v, attrs),
        }
        if weight < 0:
            edge["dashes"] = True
            edge["color"] = dict.fromkeys(("color", "highlight", "hover"), REPEL_COLOUR)
        if G.has_edge(v, u):  # a tie both ways: bend both so neither hides the other
            edge["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.15}
        edges.append(edge)
    return {"nodes": nodes, "edges": edges}


def shown_names(
    m: StakeholderMap,
    *,
    groups: Collection[str] | None = None,
    stances: Collection[int] | None = None,
) -> list[str]:
    """The people the filters leave in the drawing, in map order (None: no filter).

    >>> from stakemap.model import Stakeholder
    >>> m = StakeholderMap((Stakeholder("Ana", group="Ops", stance=2), Stakeholder("Ben")))
    >>> shown_names(m, groups=["Ops"]), shown_names(m, stances=[-1])
    (['Ana'], [])
    """
    return [
        s.name
        for s in m.stakeholders
        if (groups is None or s.group in groups) and (stances is None or s.stance in stances)
    ]


def community_sentence(m: StakeholderMap) -> str:
    """What the community colours show, in words: how many, the largest and its size.

    >>> from stakemap.model import Relationship, Stakeholder
    >>> m = StakeholderMap(tuple(Stakeholder(n) for n in "AB"), (Relationship("A", "B", 2),))
    >>> community_sentence(m)
    'Colours show 1 community of tied people (Louvain): the largest, community 1, has 2 people.'
    """
    numbers = communities.communities(m)
    sizes = Counter(c for c in numbers if c is not None)
    alone = numbers.count(None)
    if not sizes:
        return _("Nobody has a tie yet, so there are no communities to colour.")
    count = len(sizes)
    said = [
        ngettext(
            "Colours show {n} community of tied people (Louvain): the largest, community 1, "
            "has {people}.",
            "Colours show {n} communities of tied people (Louvain): the largest, community 1, "
            "has {people}.",
            count,
        ).format(n=count, people=people(sizes[1]))
    ]
    if count > len(COMMUNITY_COLOURS):
        said.append(
            _("Communities {first} to {last} are grey.").format(
                first=len(COMMUNITY_COLOURS) + 1, last=count
            )
        )
    if alone:
        said.append(
            ngettext(
                "{n} person has no tie and is grey.", "{n} people have no tie and are grey.", alone
            ).format(n=alone)
        )
    return sentences(*said)


def people(count: int) -> str:
    """``count`` people in words.

    >>> people(1), people(3)
    ('1 person', '3 people')
    """
    return ngettext("{n} person", "{n} people", count).format(n=count)


def tie_width(weight: float) -> float:
    """An arrow's width by the tie's strength (the page computes the same: ``tieWidth``)."""
    return round(1 + 0.8 * abs(weight), 1)


def _number(value: float) -> str:
    return f"{value:g}"


def _person_tooltip(person: Stakeholder) -> str:
    """Plain text: vis-network shows a string title with innerText, so nothing here is markup."""
    lines = [person.name]
    known = [
        text.format(value=value)
        for text, value in ((_("Role: {value}"), person.role), (_("Group: {value}"), person.group))
        if value
    ]
    lines.append(" | ".join(known) or _("Role: not given"))
    sign = f"{person.stance:+d}" if person.stance else "0"
    lines.append(
        _("Stance: {label} ({sign}) | Power {power} | Interest {interest}").format(
            label=_(stance_label(person.stance)),
            sign=sign,
            power=_number(person.power),
            interest=_number(person.interest),
        )
    )
    if person.decision_role:
        lines.append(_("Decision role: {role}").format(role=_(person.decision_role)))
    if person.goals:
        lines.append(_("Goals: {goals}").format(goals=list_text(person.goals)))
    if person.notes:
        notes = person.notes.strip()
        cut = notes[:_NOTE_LIMIT].rstrip() + "…" if len(notes) > _NOTE_LIMIT else notes
        lines.append(_("Notes: {notes}").format(notes=cut))
    return "\n".join(lines)


def _tie_tooltip(source: str, target: str, attrs: dict) -> str:
    weight = attrs["weight"]
    said = (
        _("{source} repels {target} (strength {strength})")
        if weight < 0
        else _("{source} influences {target} (strength {strength})")
    )
    lines = [said.format(source=source, target=target, strength=f"{weight:+g}")]
    kinds = list(dict.fromkeys(attrs["kinds"]))
    if kinds != ["influences"]:
        lines.append(_("Recorded as: {kinds}").format(kinds=list_text([_(k) for k in kinds])))
    if attrs["notes"]:
        notes = attrs["notes"]
        cut = notes[:_NOTE_LIMIT] + "…" if len(notes) > _NOTE_LIMIT else notes
        lines.append(_("Notes: {notes}").format(notes=cut))
    return "\n".join(lines)


def _json_for_script(data: object) -> str:
    r"""JSON safe inside an HTML ``<script>`` element: no ``<``, ``>``, ``&`` or ``/`` left.

    Escaping ``/`` too keeps any URL in user text from appearing as ``https://`` in the page.

    >>> text = _json_for_script({"note": "</script> & https://x"})
    >>> print(text)
    {"note":"\u003c\/script\u003e \u0026 https:\/\/x"}
    >>> json.loads(text)["note"]
    '</script> & https://x'
    """
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("/", "\\/")):
        text = text.replace(char, escape)
    return text


@functools.cache
def _vis_script() -> str:
    """vis-network, with ``://`` written ``:\\/\\/``.

    The library holds a few URLs that it never fetches: licence links in its header, links in
    error messages, and the SVG namespace name. In JavaScript strings, comments and regular
    expressions ``\\/`` means ``/``, so behaviour is unchanged, while the page then holds no
    ``http(s)://`` text at all: a test can insist on that, and any URL that ever creeps into
    the page (a CDN link, say) fails it.
    """
    return vis_file().read_text(encoding="utf-8").replace("://", ":\\/\\/")


def vis_file() -> Path:
    """The vis-network file pyvis ships (``pyvis/lib/vis-9.1.2/vis-network.min.js``)."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("pyvis is not installed: pip install -r requirements.txt")
    return Path(next(iter(spec.submodule_search_locations))) / _VIS_FILE


def _hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@functools.cache
def _policy() -> str:
    """The Content-Security-Policy: the two scripts below by hash, inline styles, no requests."""
    scripts = " ".join(_hash(s) for s in (_vis_script(), _APP_SCRIPT))
    return (
        f"default-src 'none'; script-src {scripts}; style-src 'unsafe-inline'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def network_html(
    m: StakeholderMap,
    positions: dict[str, tuple[float, float]] | None,
    *,
    highlight: str | None = None,
    depth: int = 1,
    groups: Collection[str] | None = None,
    stances: Collection[int] | None = None,
    storage_key: str | None = None,
) -> str:
    """A complete standalone HTML page drawing the influence network; it opens offline.

    Click a person to bring out their neighbourhood (``depth`` steps, ties either way); click
    empty space to clear. People can be dragged; with ``storage_key`` the moves are kept in
    the browser's session storage under that key, as ``[[name, x, y], ...]``, so that they
    survive a redraw and the app can read them (see :func:`moved_positions`).

    Parameters
    ----------
    m : StakeholderMap
    positions : dict or None
        ``name -> (x, y)``, None for the map's stored positions; anyone missing is placed as
        :func:`layout.complete_positions` does.
    highlight : str, optional
        A person whose neighbourhood stands out when the page opens.
    depth : int
        1 or 2 steps of neighbourhood.
    groups, stances : collections, optional
        Show only these groups / stances (see :func:`vis_data`).
    storage_key : str, optional
        Session-storage key for dragged positions; None keeps moves in the page only.

    Returns
    -------
    str
        The HTML document; vis-network is inlined and the page makes no request.

    Examples
    --------
    >>> import re
    >>> from stakemap.model import Stakeholder
    >>> page = network_html(StakeholderMap((Stakeholder("<b>Ana</b>"),)), {})
    >>> page.startswith("<!DOCTYPE html>"), "<b>Ana" in page, re.search("https?://", page)
    (True, False, None)
    """
    data = vis_data(m, positions, groups=groups, stances=stances)
    ids = {name: i for i, name in enumerate(m.names)}
    shown = [n for n in data["nodes"] if not n.get("hidden")]
    visible = {n["id"] for n in shown}
    settings = {
        "selected": ids[highlight] if ids.get(highlight) in visible else None,
        "depth": 2 if depth >= 2 else 1,
        "storageKey": storage_key,
        "large": len(data["edges"]) > _LARGE,
        "words": page_words(),
    }
    payload = _json_for_script({**wire(data), **settings})
    ties = sum(e["from"] in visible and e["to"] in visible for e in data["edges"])
    summary = _("Influence network: {people} people, {ties} ties").format(
        people=len(shown), ties=ties
    )
    return _PAGE.format(
        lang=html.escape(language()),
        title=html.escape(_("Stakemap influence network")),
        status=html.escape(
            _(
                "Click a person to see who they are tied to; click empty space to clear. Drag "
                "people to move them."
            )
        ),
        policy=_policy(),
        summary=html.escape(summary),
        legend=legend(),
        payload=payload,
        vis=_vis_script(),
        app=_APP_SCRIPT,
    )


def wire(data: dict[str, list[dict]]) -> dict[str, list]:
    """:func:`vis_data` as the page carries it, each repeated part left for the page to
    rebuild (``_APP_SCRIPT``), so the payload is a third of the size (1.6 MB at 5,000 people
    and 25,000 ties, from 7 MB).

    A node is its place in ``nodes`` (its id), label, position, size, group ``g``, stance
    ``s``, style ``k`` (a ``[shape, fill]`` of ``styles``: outline and highlight follow from
    the fill), outline width ``w`` only when heavy, ``d`` when dashed, and its tooltip ``t``
    without the first line (the label). A tie is ``[from, to, strength]`` plus, when its
    tooltip has a second part, that part's index in ``texts``; its width, dashes, colour and
    bend follow from the strength and the tie back.

    >>> from stakemap.model import Relationship, Stakeholder
    >>> m = StakeholderMap((Stakeholder("Ana", stance=2), Stakeholder("Ben")),
    ...                    (Relationship("Ana", "Ben", -2, notes="feud"),))
    >>> w = wire(vis_data(m, {"Ana": (0, 0), "Ben": (130, 0)}))
    >>> w["styles"][w["nodes"][0]["k"]], w["nodes"][0]["t"].splitlines()[0]
    (['star', '#0072B2'], 'Role: not given')
    >>> w["edges"], w["texts"]
    ([[0, 1, -2, 0]], ['Notes: feud'])
    """
    styles: dict[tuple[str, str], int] = {}
    texts: dict[str, int] = {}
    nodes = []
    for n in data["nodes"]:
        node = {k: n[k] for k in ("label", "x", "y", "size", "g", "s")}
        node["k"] = styles.setdefault((n["shape"], n["color"]["background"]), len(styles))
        node["t"] = n["title"].partition("\n")[2]
        if n["borderWidth"] != 1:
            node["w"] = n["borderWidth"]
        if "shapeProperties" in n:
            node["d"] = 1
        if "c" in n:
            node["c"] = n["c"]
        if n.get("hidden"):
            node["hidden"] = True
        nodes.append(node)
    edges = []
    for e in data["edges"]:
        tie = [e["from"], e["to"], e["weight"]]
        extra = e["title"].partition("\n")[2]
        if extra:
            tie.append(texts.setdefault(extra, len(texts)))
        edges.append(tie)
    return {
        "nodes": nodes,
        "edges": edges,
        "styles": [list(style) for style in styles],
        "texts": list(texts),
    }


def moved_positions(payload: object, m: StakeholderMap) -> dict[str, tuple[float, float]]:
    """The dragged positions the page reported, checked: known names and finite coordinates.

    ``payload`` comes from the browser, so anything malformed is dropped rather than trusted.

    >>> from stakemap.model import Stakeholder
    >>> m = StakeholderMap((Stakeholder("Ana"), Stakeholder("Ben")))
    >>> moved_positions([["Ana", 10, -2.5], ["Zed", 1, 1], ["Ben", "x", 0], "junk"], m)
    {'Ana': (10.0, -2.5)}
    """
    if not isinstance(payload, list):
        return {}
    known = set(m.names)
    moved: dict[str, tuple[float, float]] = {}
    for item in payload[: len(known)]:
        if not (isinstance(item, list | tuple) and len(item) == 3):
            continue
        name, x, y = item
        if name not in known or not all(
            isinstance(c, int | float)
            and not isinstance(c, bool)
            and math.isfinite(c)
            and abs(c) < _COORD_LIMIT
            for c in (x, y)
        ):
            continue
        moved[name] = (round(float(x), 1), round(float(y), 1))
    return moved


_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{policy}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
/* rem, not px: the legend and tooltips follow the reader's default font size */
html, body {{ height: 100%; margin: 0; }}
body {{ display: flex; flex-direction: column; font: 0.875rem system-ui, sans-serif; color: #222; }}
header {{ padding: 6px 8px; border-bottom: 1px solid #ddd; line-height: 1.6; }}
.swatch {{ display: inline-block; width: 0.8em; height: 0.8em; border-radius: 50%;
  border: 1px solid #4d4d4d; margin: 0 3px 0 6px; vertical-align: -1px; }}
.sep {{ display: inline-block; width: 1em; }}
.shape {{ display: inline-block; min-width: 1.1em; text-align: center; margin-left: 4px; }}
.repel {{ color: {repel}; font-weight: bold; }}
#status, #quiet {{ color: #555; }}
#network {{ flex: 1; min-height: 300px; position: relative; }}
div.vis-tooltip, div.tie-tooltip {{ position: absolute; visibility: hidden; padding: 6px 8px;
  white-space: pre-wrap; max-width: 26rem; overflow-wrap: anywhere; font: 0.8125rem system-ui,
  sans-serif; color: #111; background: #fffff4; border: 1px solid #888; border-radius: 3px;
  box-shadow: 2px 2px 8px rgba(0, 0, 0, 0.2); pointer-events: none; z-index: 5; }}
</style>
</head>
<body>
<header>{legend}<br><span id="status" aria-live="polite">{status}</span><span id="quiet"
aria-live="polite"></span></header>
<div id="network" role="img" aria-label="{summary}"></div>
<script type="application/json" id="stakemap-data">{payload}</script>
<script>{vis}</script>
<script>{app}</script>
</body>
</html>
""".replace("{repel}", REPEL_COLOUR)

# The page's behaviour, kept in its own file. Constant (it is hashed into the policy); all data
# comes from the JSON.
_APP_SCRIPT = (
    Path(__file__)
    .with_name("drawing.js")
    .read_text(encoding="utf-8")
    .replace("__REPEL__", REPEL_COLOUR)
    .replace("__COMMUNITY__", json.dumps(list(COMMUNITY_COLOURS)))
    .replace("__OTHER__", COMMUNITY_OTHER)
)
