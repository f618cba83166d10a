"""The map as GraphML or GEXF for Gephi, yEd, igraph, networkx and other network tools, and
such files read back: the formats are written and read in :mod:`stakemap.files.graphml` and
:mod:`stakemap.files.gexf`, what they carry in :mod:`stakemap.files.graphdata`
(docs/workbook.md, "Graph files"); :func:`to_graphml` and :func:`to_gexf` are named here for
their callers.

Graph files are untrusted XML: the bytes are parsed once, by defusedxml, refusing a document
type declaration (no entities, no external references); the upload's size and the number of
nodes and edges are capped like a workbook's bytes and rows, the cells their attributes make
like a sheet's, before the readers walk the parsed tree.
"""

from __future__ import annotations

from stakemap import settings
from stakemap.files.gexf import read_gexf, to_gexf
from stakemap.files.graphdata import local_name, sheets
from stakemap.files.graphml import read_graphml, to_graphml
from stakemap.files.sheets import RawSheet, UnreadableFile
from stakemap.language import gettext as _
from stakemap.language import ngettext

__all__ = ["read_graph", "to_gexf", "to_graphml"]


def read_graph(data: bytes) -> list[RawSheet]:
    """GraphML or GEXF bytes as raw sheets Nodes, Edges, Proposal, Layout and Engagements.

    Raises :class:`UnreadableFile` for a document type declaration, broken XML, a file that
    is neither format, or more nodes or edges than the row limit.

    >>> found = read_graph(b'<gexf><graph><nodes><node id="Ana"/></nodes></graph></gexf>')
    >>> [(s.title, s.rows[-1]) for s in found]
    [('Nodes', ['Ana']), ('Edges', ['From', 'To', 'Strength', 'Kind', 'Notes', 'Direction'])]
    """
    root = _parsed(data)
    kind = local_name(root).lower()
    try:
        return sheets(read_graphml(root) if kind == "graphml" else read_gexf(root))
    except UnreadableFile:
        raise
    except Exception as exc:  # a malformed document the readers did not foresee: one line
        text = " ".join(str(exc).split())[:200] or type(exc).__name__
        name = "GraphML" if kind == "graphml" else "GEXF"
        raise UnreadableFile(
            _("the {format} file could not be read ({reason})").format(format=name, reason=text)
        ) from None


def _parsed(data: bytes):
    """The document's root after a safe parse; refuses DTDs, other XML and big graphs."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    if not data:
        raise UnreadableFile(_("the file is empty"))
    if len(data) > settings.MAX_UPLOAD_BYTES:
        raise UnreadableFile(
            _("the file is {size} bytes, over the limit of {limit}").format(
                size=f"{len(data):,}", limit=f"{settings.MAX_UPLOAD_BYTES:,}"
            )
        )
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise UnreadableFile(
            _("the file declares a document type (XML entities are refused)")
        ) from None
    except (ParseError, ValueError, LookupError) as exc:  # LookupError: an unknown encoding
        text = " ".join(str(exc).split())[:200]
        raise UnreadableFile(
            _("the file is not well-formed XML ({reason})").format(reason=text)
        ) from None
    if local_name(root).lower() not in ("graphml", "gexf"):
        raise UnreadableFile(_("the file is XML but neither GraphML nor GEXF"))
    counts = {"node": 0, "edge": 0}
    for element in root.iter():
        name = local_name(element)
        if name in counts:
            counts[name] += 1
    for what, count in counts.items():
        if count > settings.MAX_ROWS:
            too_many = (
                ngettext(
                    "the graph has {count} node, over the limit of {limit}",
                    "the graph has {count} nodes, over the limit of {limit}",
                    count,
                )
                if what == "node"
                else ngettext(
                    "the graph has {count} edge, over the limit of {limit}",
                    "the graph has {count} edges, over the limit of {limit}",
                    count,
                )
            )
            raise UnreadableFile(
                too_many.format(count=f"{count:,}", limit=f"{settings.MAX_ROWS:,}")
            )
    return root
