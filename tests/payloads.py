"""Markdown and HTML payloads, a map and a workbook full of them, and the check that they stay
inert wherever Streamlit reads markdown (tests/test_markup.py and its browser twin).

Every address points at 127.0.0.1:9 (the discard port): a page that renders one as an image or
follows it as a link makes a request that the browser test sees, and nothing leaves the machine.
"""

from __future__ import annotations

import re
from dataclasses import replace

from stakemap.model import Proposal, ProposalPart, Relationship, Stakeholder, StakeholderMap

#: Where every payload address points; no server listens there.
TRAP = "127.0.0.1:9"

IMAGE = f"![x](http://{TRAP}/img.png)"
LINK = f"[click](http://{TRAP}/)"
IMG_TAG = f"<img src=http://{TRAP}/tag.png onerror=alert(1)>"
SCRIPT = "<script>alert(2)</script>"
BOLD = "**bold**"
HEADING = "# heading"
COLOUR = ":red[x]"
MATH = "$x^2$"
BARE = "www.example.com"
JS = "javascript:alert(3)"
AUTOLINK = f"<http://{TRAP}/auto>"

PAYLOADS: tuple[str, ...] = (IMAGE, LINK, IMG_TAG, SCRIPT, BOLD, HEADING, COLOUR, MATH, BARE, JS)

#: Unescaped markup that must never reach a markdown-bearing field: a link or image target, an
#: HTML tag, emphasis, a colour directive, math, a bare or scheme address.
_RAW = re.compile(
    r"(?<!\\)\]\("  # [text](target) and ![alt](src)
    r"|(?<!\\)<(?:img|script|http)"  # HTML tags and autolinks
    r"|(?<!\\)\*(?<!\\)\*bold"  # **bold**
    r"|(?<!\\):red(?<!\\)\["  # :red[x]
    r"|(?<!\\)\$x\^2(?<!\\)\$"  # $x^2$
    r"|(?<![\\\u2060])www\."  # www.example.com autolinked
    r"|javascript:|https?://"  # a scheme that markdown turns into a link
    r"|^\s*(?:[-*+]\s+|\d+\.\s+)?#\s+heading",  # a heading at a line start, or in a list
    re.MULTILINE,
)


def raw_markup(text: str) -> list[str]:
    """The payload markup left unescaped in ``text`` (empty when ``text`` is inert).

    >>> raw_markup("see ![x](http://127.0.0.1:9/img.png)")
    ['](', 'http://']
    >>> from stakemap.ui.text import inert
    >>> raw_markup(inert(" ".join(PAYLOADS)))
    []
    """
    return [m.group(0) for m in _RAW.finditer(text)]


def _person(i: int, payload: str, **fields: object) -> Stakeholder:
    return Stakeholder(
        name=f"{payload} {i}",
        role=f"Role {payload}",
        group=f"Group {payload}",
        power=1 + i % 5,
        interest=1 + (i * 2) % 5,
        stance=(i % 5) - 2,
        target_stance=2,
        legitimacy=3,
        urgency=3,
        goals=(f"goal {payload}", "shared"),
        notes=f"Notes {payload}",
        custom={CUSTOM_HEADER: f"value {payload}"},
        **fields,
    )


#: The custom column's header: the import panel and editors show it as a label.
CUSTOM_HEADER = IMAGE


def payload_map() -> StakeholderMap:
    """Ten people named after the payloads, tied in a ring and to the champion, with every
    free-text field (role, group, goals, notes, custom attribute, tie kind and notes, proposal
    title, parts and tags) carrying a payload."""
    people = [_person(i, p) for i, p in enumerate(PAYLOADS)]
    people[0] = replace(people[0], stance=2, power=5, decision_role="decider")
    people[3] = replace(people[3], stance=0, decision_role="veto")  # so the plan has steps
    names = [s.name for s in people]
    ties = [
        Relationship(names[i], names[(i + 1) % len(names)], 3, "influences", f"Tie {p}")
        for i, p in enumerate(PAYLOADS)
    ]
    ties += [Relationship(names[0], n, 2, "ally", f"Ally {LINK}") for n in names[2::2]]
    proposal = Proposal(
        f"Proposal {IMAGE} {SCRIPT}",
        names[0],
        0.9,
        tuple(ProposalPart(f"Part {p}", (f"goal {p}", "shared")) for p in PAYLOADS),
        {"Budget": f"extra {LINK}"},
    )
    return StakeholderMap(tuple(people), tuple(ties), proposal, (CUSTOM_HEADER,))


#: A sheet name Excel accepts ([]:*?/\ are refused there) that still carries markup.
SHEET_NAME = "<img src=x onerror=alert(4)>"


def payload_rows() -> list[list[object]]:
    """The payload map's people as one Stakeholders sheet, custom column included."""
    header = ["Name", "Role", "Group", "Power", "Interest", "Stance", "Goals", "Notes"]
    rows: list[list[object]] = [[*header, CUSTOM_HEADER]]
    for s in payload_map().stakeholders:
        rows.append(
            [
                s.name,
                s.role,
                s.group,
                s.power,
                s.interest,
                s.stance,
                ", ".join(s.goals),
                s.notes,
                s.custom[CUSTOM_HEADER],
            ]
        )
    return rows


#: A file name for uploads (no slash: browsers keep only the last part); a new map is named
#: after its stem.
FILE_NAME = f"{BOLD} {COLOUR} <img src=x onerror=alert(5)>.xlsx"
