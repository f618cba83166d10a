"""GraphML and GEXF as other tools write and read them: networkx and igraph writing files that
are imported, and reading Stakemap's exports; yEd's and Gephi's files (hand-written in their
shape, tests/fixtures/graphs); exports valid against the GraphML and GEXF schemas
(tests/fixtures/graphs/schemas, with where they come from)."""

from __future__ import annotations

import io
import math
import statistics
import tempfile
from dataclasses import replace
from functools import cache
from pathlib import Path

import igraph
import networkx as nx
import pytest
from lxml import etree

from stakemap.files.graphfiles import to_gexf, to_graphml
from stakemap.files.importing import import_workbook
from stakemap.files.sheets import UnreadableFile
from stakemap.model import Engagement, Relationship, StakeholderMap, Threshold
from stakemap.network import layout
from stakemap.samples.cases import SAMPLES, new_programme

FIXTURES = Path(__file__).parent / "fixtures" / "graphs"


SCHEMAS = {
    "graphml": "graphml.xsd",  # GraphML 1.0
    "gexf": "gexf-1.3/gexf.rng",  # GEXF 1.3, RELAX NG
    "gexf xsd": "gexf-1.3/gexf.xsd",  # GEXF 1.3, XML Schema (viz elements misplaced: README)
}


@cache
def schema(name: str) -> etree.XMLSchema | etree.RelaxNG:
    """A vendored schema by its key in :data:`SCHEMAS`."""
    path = FIXTURES / "schemas" / SCHEMAS[name]
    kind = etree.RelaxNG if path.suffix == ".rng" else etree.XMLSchema
    return kind(etree.parse(str(path)))


def schema_errors(name: str, data: bytes) -> list[str]:
    """What the schema finds wrong with ``data``: "line: message" each, none for valid."""
    checker = schema(name)
    checker.validate(etree.fromstring(data))
    return [f"{e.line}: {e.message}" for e in checker.error_log]


def _fixture(name: str):
    return import_workbook((FIXTURES / name).read_bytes(), name)


def _networkx(G: nx.Graph, ending: str) -> bytes:
    out = io.BytesIO()
    (nx.write_gexf if ending == ".gexf" else nx.write_graphml)(G, out)
    return out.getvalue()


def _typical_nearest(positions: dict[str, tuple[float, float]]) -> float:
    points = list(positions.values())
    return statistics.median(min(math.dist(p, q) for q in points if q is not p) for p in points)


def decided() -> StakeholderMap:
    """The new-programme sample with votes, a decision rule of thresholds, quorum, abstentions
    and a blocking minority, and an engagement log."""
    m = new_programme()
    first, second = m.stakeholders[:2]
    people = (replace(first, votes=3.0), replace(second, votes=0.5), *m.stakeholders[2:])
    rule = replace(
        m.proposal,
        decision_rule="unanimity",
        thresholds=(Threshold("2/3"), Threshold("5", "members")),
        quorum=Threshold("1/2", "members"),
        abstentions="not counted",
        blocking_minority=Threshold("3"),
        rough=("votes",),
    )
    log = (
        Engagement(first.name, "2026-12-02", "won", 0, 2, 1, "agreed to chair the pilot"),
        Engagement(second.name, "2026-12-05", "not convinced", -1, -1, None, ""),
    )
    return replace(m, stakeholders=people, proposal=rule, engagements=log)


# -- positions ---------------------------------------------------------------------------------


def _unit_layout_graph() -> nx.Graph:
    """20 people laid out by networkx's spring layout (a unit square), positions as x and y."""
    names = {i: f"Person {i}" for i in range(20)}
    G = nx.relabel_nodes(nx.connected_watts_strogatz_graph(20, 4, 0.3, seed=1), names)
    for name, (x, y) in nx.spring_layout(G, seed=1).items():
        G.nodes[name].update(x=float(x), y=float(y))
    return G


@pytest.mark.parametrize("ending", [".graphml", ".gexf"])
def test_a_unit_scale_layout_is_scaled_to_the_drawing(ending: str) -> None:
    """Measured on main: the people 0.24 apart, 19 of 20 names left off in the drawing."""
    G = _unit_layout_graph()
    if ending == ".gexf":
        for attrs in G.nodes.values():
            attrs["viz"] = {"position": {"x": attrs.pop("x"), "y": attrs.pop("y"), "z": 0.0}}
    result = import_workbook(_networkx(G, ending), f"unit{ending}")
    assert result.ok
    spacing = layout._spacing(20)
    assert _typical_nearest(result.map.positions) == pytest.approx(spacing, rel=0.01)
    raw = {n: (G.nodes[n].get("x", 0), G.nodes[n].get("y", 0)) for n in G}
    if ending == ".graphml":  # the shape is kept: one factor, y turned down
        factor = result.map.positions["Person 1"][0] / raw["Person 1"][0]
        for name, (x, y) in raw.items():
            assert result.map.positions[name] == pytest.approx((x * factor, -y * factor), abs=0.1)
    assert any("scaled by" in line and "drawing's spacing" in line for line in result.report)


def test_an_igraph_layout_is_scaled_too() -> None:
    g = igraph.Graph.Famous("Zachary")
    g.vs["name"] = [f"Member {i}" for i in range(g.vcount())]
    coords = g.layout_fruchterman_reingold(seed=[(0.0, 0.0)] * g.vcount()).coords
    g.vs["x"], g.vs["y"] = [c[0] for c in coords], [c[1] for c in coords]
    result = import_workbook(_igraph_graphml(g), "zachary.graphml")
    assert _typical_nearest(result.map.positions) == pytest.approx(layout._spacing(34), rel=0.01)


def test_a_layout_drawn_at_screen_scale_is_kept() -> None:
    result = _fixture("gephi-0.10-mixed.gexf")
    assert result.map.positions == {
        "Ana": (-150.0, -120.5),  # Gephi's y points up, the drawing's down
        "Ben": (90.25, 60.0),
        "Chen": (200.0, -40.0),
    }
    assert not any("scaled by" in line for line in result.report)


# -- names -------------------------------------------------------------------------------------


def _igraph_graphml(g: igraph.Graph) -> bytes:
    with tempfile.TemporaryDirectory() as folder:  # igraph writes to a file it opens itself
        path = Path(folder) / "g.graphml"
        g.write_graphml(str(path))
        return path.read_bytes()


def test_igraph_names_are_the_people_s_names() -> None:
    """igraph writes nodes n0, n1... and the name as the attribute ``name``: on main the 34
    members of Zachary's karate club came in as n0..n33."""
    g = igraph.Graph.Famous("Zachary")
    g.vs["name"] = [f"Member {i}" for i in range(g.vcount())]
    result = import_workbook(_igraph_graphml(g), "zachary.graphml")
    assert result.ok
    assert result.map.names == g.vs["name"]
    assert len(result.map.relationships) == 2 * g.ecount()  # undirected: both ways
    assert not result.map.custom_columns


def test_a_label_wins_over_a_name_which_is_then_kept() -> None:
    g = igraph.Graph([(0, 1)], directed=True)
    g.vs["name"], g.vs["label"] = ["a", "b"], ["Ana", "Ben"]
    result = import_workbook(_igraph_graphml(g), "g.graphml")
    assert result.map.names == ["Ana", "Ben"]
    assert result.map.relationships == (Relationship("Ana", "Ben"),)
    assert [s.custom for s in result.map.stakeholders] == [{"name (2)": "a"}, {"name (2)": "b"}]
    assert "Stakeholders: a second column name read as name (2)" in result.report


# -- yEd ---------------------------------------------------------------------------------------


def test_a_yed_drawing_keeps_its_way_up_and_its_arrowheads() -> None:
    """yEd's y points down like the screen: on main Ana, drawn above Ben, came in below him;
    the two-headed arrow came in one way (4 ties where yEd draws 6)."""
    result = _fixture("yed-board.graphml")
    assert result.ok, result.problems
    m = result.map
    assert m.names == ["Ana Costa", "Ben Ito", "Chen Wu", "Dana Roy"]  # yEd's node labels
    assert m.positions == {  # the boxes' centres, as drawn
        "Ana Costa": (200.0, 55.0),
        "Ben Ito": (80.0, 215.0),
        "Chen Wu": (325.0, 220.0),
        "Dana Roy": (190.0, 375.0),
    }
    assert [(r.source, r.target) for r in m.relationships] == [
        ("Ana Costa", "Ben Ito"),  # an arrowhead at the target
        ("Ben Ito", "Chen Wu"),  # at both ends: both ways
        ("Chen Wu", "Ben Ito"),
        ("Chen Wu", "Dana Roy"),  # at the source: the other way round
        ("Dana Roy", "Ben Ito"),  # none: undirected
        ("Ben Ito", "Dana Roy"),
    ]
    assert m.relationships[1].notes == "label: peers"
    assert m.get("Ana Costa").notes == "Chief executive"


# -- weights -----------------------------------------------------------------------------------


@pytest.mark.parametrize("ending", [".graphml", ".gexf"])
def test_zachary_s_karate_club_from_networkx_imports_with_weights_rescaled(ending: str) -> None:
    """networkx's karate club has weights up to 7: on main two rows were outside -5..5 and the
    whole file was refused."""
    G = nx.karate_club_graph()
    result = import_workbook(_networkx(G, ending), f"karate{ending}")
    assert result.ok, result.problems
    assert len(result.map.stakeholders) == 34
    strengths = {(r.source, r.target): r.strength for r in result.map.relationships}
    assert max(strengths.values()) == 5.0
    for u, v, w in G.edges(data="weight"):
        assert strengths[str(u), str(v)] == round(w * 5 / 7, 2)
    assert "Edges: weights go up to 7, beyond the -5..5 of Strength: each was scaled by 5/7" in (
        result.report
    )
    assert {s.custom["club"] for s in result.map.stakeholders} == {"Mr. Hi", "Officer"}


def test_stakemap_s_own_strengths_are_never_rescaled() -> None:
    m = new_programme()
    assert import_workbook(to_graphml(m), "m.graphml").map == m


# -- GEXF versions and directions --------------------------------------------------------------


def test_a_gephi_0_10_gexf_1_3_mixed_graph_is_read() -> None:
    """On main: "the GEXF file could not be read (Directed edge found in undirected graph.)"."""
    result = _fixture("gephi-0.10-mixed.gexf")
    assert result.ok, result.problems
    m = result.map
    assert [(s.name, s.power, s.group, s.goals) for s in m.stakeholders] == [
        ("Ana", 5.0, "Board", ("cost", "morale")),  # a liststring, written [cost, morale]
        ("Ben", 3.0, "Works council", ()),
        ("Chen", 2.0, "Works council", ()),  # coloured by hex: main refused the file for it
    ]
    assert m.relationships == (
        Relationship("Ana", "Ben", 4.0, notes="Relation: line manager"),  # type="directed"
        Relationship("Ben", "Chen", 2.0, notes="Relation: colleagues"),  # "undirected": both ways
        Relationship("Chen", "Ben", 2.0, notes="Relation: colleagues"),
    )


@pytest.mark.parametrize("namespace", ["http://www.gexf.net/1.2draft", "http://gexf.net/1.3"])
def test_a_mixed_graph_takes_each_edge_s_type(namespace: str) -> None:
    """On main: "Directed edge found in undirected graph."; a mutual edge runs both ways."""
    data = (
        f'<gexf xmlns="{namespace}"><graph defaultedgetype="mixed"><nodes><node id="a"/>'
        '<node id="b"/><node id="c"/></nodes><edges><edge source="a" target="b" type="directed"/>'
        '<edge source="b" target="c" type="mutual"/><edge source="c" target="a"/></edges>'
        "</graph></gexf>"
    )
    result = import_workbook(data.encode(), "mixed.gexf")
    assert [(r.source, r.target) for r in result.map.relationships] == [
        ("a", "b"),
        ("b", "c"),
        ("c", "b"),
        ("c", "a"),  # no type in a mixed graph: as written
    ]


def test_networkx_gexf_1_3_is_read() -> None:
    G = nx.DiGraph([("Ana", "Ben")])
    out = io.BytesIO()
    nx.write_gexf(G, out, version="1.3")
    assert b'xmlns="http://gexf.net/1.3"' in out.getvalue()
    result = import_workbook(out.getvalue(), "g.gexf")
    assert result.map.relationships == (Relationship("Ana", "Ben"),)


def test_gephi_s_dynamic_attributes_are_read_at_their_last_value() -> None:
    """On main the file was refused ("float() argument must be ... not 'NoneType'", an
    attribute with a start and no end); values with both came in as Python lists."""
    result = _fixture("gephi-dynamic.gexf")
    assert result.ok, result.problems
    m = result.map
    assert [(s.name, s.stance, s.power, s.group) for s in m.stakeholders] == [
        ("Ana", 2, 4.0, "Board"),  # the values that start latest: 2023 and 2021
        ("Ben", -2, 3.0, "Staff"),  # timestamps: 2023.5
    ]
    assert m.relationships == (Relationship("Ana", "Ben", 3.0),)  # the dynamic weight, 2022-24
    assert result.report[0] == (
        "GEXF read: 2 nodes, 1 edges; attributes that change over time read at their last "
        "value: Stance, Power, weight; the times when people and ties are present (spells) "
        "are not kept"
    )


# -- Stakemap's exports read by the others -------------------------------------------------------


@pytest.mark.parametrize("write", [to_graphml, to_gexf], ids=["graphml", "gexf"])
def test_the_decision_travels_with_the_map(write) -> None:
    """Votes, the rule (thresholds, quorum, abstentions, blocking minority, rough counts) and
    the engagement log: on main all three were dropped without a word."""
    m = decided()
    result = import_workbook(write(m), "m" + (".gexf" if write is to_gexf else ".graphml"))
    assert result.problems == []
    assert result.map == m


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_exports_are_valid_against_the_schemas(sample: str) -> None:
    """On main the new programme's GraphML held 89 schema errors (attribute names with spaces
    such as "Target stance"), its GEXF 1.2 one (networkx's ``name`` on ``<graph>``)."""
    m = SAMPLES[sample]()
    m = replace(decided() if m == new_programme() else m, positions=layout.layout(m))
    assert schema_errors("graphml", to_graphml(m)) == []
    assert schema_errors("gexf", to_gexf(m)) == []
    # GEXF's XSD: only the positions, which it wants in the core namespace (schemas/README.md)
    misplaced = "Element '{http://gexf.net/1.3/viz}position': This element is not expected."
    assert {e.split(": ", 1)[1] for e in schema_errors("gexf xsd", to_gexf(m))} == {misplaced}
    assert schema_errors("gexf xsd", to_gexf(replace(m, positions={}))) == []


def test_every_character_an_attribute_name_keeps_is_one_the_schema_allows() -> None:
    """The GraphML schema's NMTOKEN is XML 1.0's second edition's (libxml2 checks it so): each
    character :func:`stakemap.files.graphml.attribute_tokens` keeps, one key each."""
    from stakemap.files.graphml import _NOT_NAME

    kept = [chr(c) for c in range(0x21, 0xFFFE) if not 0xD800 <= c < 0xE000]
    kept = [c for c in kept if not _NOT_NAME.match(c)]
    assert len(kept) > 30_000
    keys = "".join(
        f'<key id="k{i}" for="node" attr.name="{c}" attr.type="string"/>'
        for i, c in enumerate(kept)
    )
    document = f'<graphml xmlns="http://graphml.graphdrawing.org/xmlns">{keys}</graphml>'
    assert schema_errors("graphml", document.encode()) == []


def test_the_schemas_catch_what_main_wrote() -> None:
    main = (FIXTURES / "stakemap-former.graphml").read_bytes()
    assert any("'Decision role' is not a valid value" in e for e in schema_errors("graphml", main))
    assert schema_errors("gexf", to_gexf(new_programme()).replace(b'"1.3"', b'"1.2"'))


def test_networkx_reads_the_exports() -> None:
    m = decided()
    people = nx.read_graphml(io.BytesIO(to_graphml(m)))
    assert [people.nodes[n]["label"] for n in people] == m.names
    role = m.stakeholders[0].decision_role
    assert people.nodes["n0"]["Votes"] == 3.0 and people.nodes["n0"]["Decision_role"] == role
    assert people.graph["Proposal"].startswith('[["Key", "Value", "Tags"]')
    gexf = nx.read_gexf(io.BytesIO(to_gexf(m)))
    assert [gexf.nodes[n]["label"] for n in gexf] == m.names
    assert gexf.nodes["n0"]["Decision role"] == role
    assert gexf.number_of_edges() == len(m.relationships)


def test_igraph_reads_the_graphml_export(tmp_path: Path) -> None:
    m = decided()
    path = tmp_path / "m.graphml"
    path.write_bytes(to_graphml(m))
    g = igraph.Graph.Read_GraphML(str(path))
    assert g.vs["label"] == m.names
    assert g.ecount() == len(m.relationships) and g.is_directed()
    assert g.vs[0]["Votes"] == 3.0


def test_files_stakemap_wrote_before_read_as_they_did() -> None:
    """Graph attributes Title, Champion, Pass share, Parts and Proposal extra, as main wrote."""
    for name in ("stakemap-former.graphml", "stakemap-former.gexf"):
        result = _fixture(name)
        assert result.problems == []
        m = result.map
        assert (m.proposal.title, m.proposal.champion, m.proposal.pass_share) == (
            "Four-day week",
            "Ana Lee",
            0.6,
        )
        assert m.proposal.extra == {"Sponsor": "HR"}
        assert m.custom_columns == ("Budget (EUR)",)
        assert m.relationships == (
            Relationship("Ana Lee", "Ben Ito", 4.0, notes="weekly one-to-one"),
        )
        assert m.positions == {"Ana Lee": (120.0, -40.0), "Ben Ito": (-80.0, 60.0)}


# -- untrusted input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'<gexf xmlns="http://gexf.net/1.3"><graph><nodes><node id="a"><attvalues>'
            b'<attvalue for="9" value="1"/></attvalues></node></nodes></graph></gexf>',
            "names the attribute 9, which the file does not declare",
        ),
        (b'<gexf xmlns="http://gexf.net/1.3" version="1.3"/>', "the GEXF file holds no graph"),
        (b'<graphml xmlns="http://graphml.graphdrawing.org/xmlns"/>', "holds no graph"),
    ],
)
def test_broken_graph_files_say_what_is_wrong(data: bytes, message: str) -> None:
    with pytest.raises(UnreadableFile, match=message):
        import_workbook(data, "g.gexf")


def test_hostile_json_in_the_graph_attributes_is_no_proposal() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    data = (
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
        '<key id="p" for="graph" attr.name="Proposal" attr.type="string"/>'
        '<key id="c" for="graph" attr.name="Custom_columns" attr.type="string"/>'
        f'<graph edgedefault="directed"><data key="p">{deep}</data><data key="c">{{"a":1}}</data>'
        '<node id="n0"/></graph></graphml>'
    )
    result = import_workbook(data.encode(), "g.graphml")
    assert result.ok and result.map.names == ["n0"]


def test_weights_that_are_no_finite_number_leave_the_others_alone() -> None:
    """An infinite weight scales nothing (it would make every other weight 0); the importer
    says what it does with it, as with any Strength off the scale."""
    data = (
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
        '<key id="w" for="edge" attr.name="weight" attr.type="double"/>'
        '<graph edgedefault="directed"><node id="a"/><node id="b"/><node id="c"/>'
        '<edge source="a" target="b"><data key="w">INF</data></edge>'
        '<edge source="b" target="c"><data key="w">2</data></edge></graph></graphml>'
    )
    result = import_workbook(data.encode(), "g.graphml")
    ties = (result.map or result.partial).relationships
    assert Relationship("b", "c", 2.0) in ties
    assert not any("scaled by" in line for line in result.report)
