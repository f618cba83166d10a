"""The influence graph, its metrics against hand-computed values, and its layout."""

from __future__ import annotations

import math
import random

import networkx as nx
import pandas as pd
import pytest

from stakemap.model import Relationship, Stakeholder, StakeholderMap
from stakemap.network import graph, layout, measures
from stakemap.samples import synthetic

REACH = "Influence reach (PageRank)"
BROKER = "Broker score (betweenness)"


def _map(people, ties=(), positions=None) -> StakeholderMap:
    """People as names or (name, stance); ties as (source, target[, strength[, kind]])."""
    stakeholders = tuple(
        Stakeholder(p) if isinstance(p, str) else Stakeholder(p[0], stance=p[1]) for p in people
    )
    rels = tuple(Relationship(*t) for t in ties)
    return StakeholderMap(stakeholders, rels, positions=positions or {})


def _column(m: StakeholderMap, column: str) -> dict:
    table = measures.metrics(m)
    return dict(zip(table["Name"], table[column], strict=True))


# --- build_graph -------------------------------------------------------------------------------


def test_graph_has_a_node_per_person_with_their_attributes():
    m = StakeholderMap(
        (
            Stakeholder("Ana", role="CFO", power=4, stance=-1, decision_role="veto"),
            Stakeholder("Ben"),
        )
    )
    G = graph.build_graph(m)
    assert list(G.nodes) == ["Ana", "Ben"]
    assert G.nodes["Ana"]["role"] == "CFO"
    assert G.nodes["Ana"]["power"] == 4
    assert G.nodes["Ana"]["stance"] == -1
    assert G.nodes["Ana"]["decision_role"] == "veto"
    assert G.number_of_edges() == 0


def test_edges_run_from_influencer_to_influenced_by_kind():
    m = _map(
        "ABCDE",
        [
            ("A", "B", 3, "influences"),
            ("C", "B", 2, "defers to"),  # B influences C
            ("D", "B", 1, "reports to"),  # B influences D
            ("D", "E", 4, "ally"),  # both ways
            ("A", "E", -2, "rival"),  # both ways, repelling
        ],
    )
    G = graph.build_graph(m)
    assert {(u, v): w for u, v, w in G.edges(data="weight")} == {
        ("A", "B"): 3,
        ("B", "C"): 2,
        ("B", "D"): 1,
        ("D", "E"): 4,
        ("E", "D"): 4,
        ("A", "E"): -2,
        ("E", "A"): -2,
    }
    assert G.edges["B", "C"]["kinds"] == ("defers to",)


def test_negative_ties_are_kept_with_their_sign():
    G = graph.build_graph(_map("AB", [("A", "B", -4)]))
    assert G.edges["A", "B"]["weight"] == -4


def test_ties_between_the_same_pair_add_up_within_the_scale():
    m = _map("AB", [("A", "B", 3, "influences"), ("A", "B", 4, "ally"), ("B", "A", 1)])
    G = graph.build_graph(m)
    assert G.edges["A", "B"]["weight"] == 5  # 3 + 4, capped at 5
    assert G.edges["A", "B"]["kinds"] == ("influences", "ally")
    assert G.edges["B", "A"]["weight"] == 5  # ally 4 + influences 1


def test_self_loops_and_unknown_people_are_left_out_and_reported():
    m = _map("AB", [("A", "A", 3), ("A", "Zed", 2), ("Yan", "B", 1), ("A", "B", 2)])
    G = graph.build_graph(m)
    assert list(G.edges) == [("A", "B")]
    assert list(G.nodes) == ["A", "B"]
    assert not any(u == v for u, v in G.edges)
    assert G.graph["ignored"] == [
        ("A", "A", "a person cannot influence themself"),
        ("A", "Zed", "Zed is not in the map"),
        ("Yan", "B", "Yan is not in the map"),
    ]


def test_a_self_loop_never_reaches_the_metrics():
    table = measures.metrics(_map("AB", [("A", "A", 5)]))
    assert table["Out-strength"].tolist() == [0.0, 0.0]
    assert table["No ties"].tolist() == [True, True]


# --- metrics -----------------------------------------------------------------------------------


def test_metrics_has_one_row_per_person_in_plain_words():
    m = _map("CAB", [("A", "B")])
    table = measures.metrics(m)
    assert table.columns.tolist() == ["Name", *measures.METRIC_COLUMNS]
    assert measures.METRIC_COLUMNS == (
        "Influence reach (PageRank)",
        "In-strength",
        "Out-strength",
        "Broker score (betweenness)",
        "Camp broker",
        "Community",
        "No ties",
    )
    assert table["Name"].tolist() == ["C", "A", "B"]
    assert set(measures.METRIC_EXPLANATIONS) == set(measures.METRIC_COLUMNS)
    assert all(text.endswith(".") for text in measures.METRIC_EXPLANATIONS.values())


def test_metrics_of_an_empty_map():
    table = measures.metrics(StakeholderMap())
    assert table.empty
    assert table.columns.tolist() == ["Name", *measures.METRIC_COLUMNS]


def test_reach_of_a_star_matches_the_hand_computed_pagerank():
    # X influences A, B and C. Reversed, A, B, C each point at X; X is dangling.
    # With d = 0.85 and n = 4: a = (1-d)/4 + d*b/4 and b = (1-d)/4 + d*(3a + b/4),
    # so with 3a + b = 1: b = 0.8875 / 1.6375 and a = 0.0375 + 0.2125 b.
    reach = _column(_map("XABC", [("X", "A"), ("X", "B"), ("X", "C")]), REACH)
    b = 0.8875 / 1.6375
    assert reach["X"] == pytest.approx(b, abs=1e-5)
    for leaf in "ABC":
        assert reach[leaf] == pytest.approx(0.0375 + 0.2125 * b, abs=1e-5)
    assert sum(reach.values()) == pytest.approx(1.0)


def test_reach_flows_to_whoever_sways_the_influential():
    # B sways C, D and E; A sways only B, yet A's reach holds B's: A > B > any of B's three.
    reach = _column(_map("ABCDE", [("A", "B"), ("B", "C"), ("B", "D"), ("B", "E")]), REACH)
    assert reach["A"] > reach["B"] > reach["C"] == reach["D"] == reach["E"]


def test_strengths_add_absolute_tie_strengths():
    m = _map("ABC", [("A", "B", 3), ("C", "B", -2), ("B", "A", 1)])
    table = measures.metrics(m).set_index("Name")
    assert table.loc["B", "In-strength"] == 5.0
    assert table.loc["A", "Out-strength"] == 3.0
    assert table.loc["C", "Out-strength"] == 2.0
    assert table.loc["A", "In-strength"] == 1.0


def test_betweenness_on_a_path():
    # A -> B -> C: B lies on the only route A..C, one of (n-1)(n-2) = 2 ordered pairs.
    broker = _column(_map("ABC", [("A", "B"), ("B", "C")]), BROKER)
    assert broker == {"A": 0.0, "B": 0.5, "C": 0.0}


def test_strong_ties_are_short_steps():
    # A -> C directly with strength 1 (length 1) or via B with strength 5 twice (0.2 + 0.2).
    weak_direct = _column(_map("ABC", [("A", "B", 5), ("B", "C", 5), ("A", "C", 1)]), BROKER)
    assert weak_direct["B"] == 0.5
    strong_direct = _column(_map("ABC", [("A", "B", 5), ("B", "C", 5), ("A", "C", 5)]), BROKER)
    assert strong_direct["B"] == 0.0


def test_equal_routes_share_the_credit():
    # A reaches D through B or through C, equally short: each broker gets half of one pair.
    broker = _column(_map("ABCD", [("A", "B"), ("A", "C"), ("B", "D"), ("C", "D")]), BROKER)
    assert broker["B"] == broker["C"] == pytest.approx(0.5 / 6)


def test_repelling_ties_carry_no_influence_route():
    m = _map("ABC", [("A", "B", -5), ("B", "C", 3)])
    assert _column(m, BROKER)["B"] == 0.0
    reach = _column(m, REACH)
    alone = _column(_map("ABC", [("B", "C", 3)]), REACH)
    assert reach == pytest.approx(alone)


def test_camp_broker_on_the_only_route_between_camps():
    m = _map([("S", 2), ("M", 0), ("O", -2)], [("S", "M"), ("M", "O")])
    assert _column(m, "Camp broker") == {"S": 0.0, "M": 1.0, "O": 0.0}


def test_camp_broker_splits_routes_both_ways():
    # S -> M -> O and O -> N -> S: two ordered cross-camp pairs with a route, one through each.
    m = _map(
        [("S", 1), ("M", 0), ("O", -1), ("N", 0)],
        [("S", "M"), ("M", "O"), ("O", "N"), ("N", "S")],
    )
    camp = _column(m, "Camp broker")
    assert camp == {"S": 0.0, "M": 0.5, "O": 0.0, "N": 0.5}


def test_camp_broker_ignores_routes_within_a_camp():
    # S1 -> M -> S2 stays within the supporters: M brokers nothing between camps.
    m = _map([("S1", 2), ("M", 0), ("S2", 1), ("O", -1)], [("S1", "M"), ("M", "S2")])
    assert set(_column(m, "Camp broker").values()) == {0.0}
    assert _column(m, BROKER)["M"] > 0


def test_camp_broker_needs_two_camps():
    m = _map([("A", 2), ("B", 0), ("C", 1)], [("A", "B"), ("B", "C")])
    assert set(_column(m, "Camp broker").values()) == {0.0}


def test_brokerage_matches_networkx_on_a_random_weighted_graph():
    rng = random.Random(3)
    people = [(f"P{i}", rng.choice([-2, -1, 0, 1, 2])) for i in range(40)]
    ties = {(rng.randrange(40), rng.randrange(40)) for _ in range(160)}
    m = _map(
        people,
        [(f"P{a}", f"P{b}", rng.choice([-2, 1, 2, 3, 4, 5])) for a, b in ties if a != b],
    )
    G = graph.build_graph(m)
    P = nx.DiGraph()
    P.add_nodes_from(G)
    P.add_edges_from((u, v, {"d": 60 / w}) for u, v, w in G.edges(data="weight") if w > 0)
    expected = nx.betweenness_centrality(P, weight="d")
    support = [n for n, s in people if s > 0]
    oppose = [n for n, s in people if s < 0]
    there = nx.betweenness_centrality_subset(P, support, oppose, weight="d")
    back = nx.betweenness_centrality_subset(P, oppose, support, weight="d")
    pairs = sum(len(nx.descendants(P, s) & set(oppose)) for s in support) + sum(
        len(nx.descendants(P, o) & set(support)) for o in oppose
    )
    assert _column(m, BROKER) == pytest.approx(expected)
    assert _column(m, "Camp broker") == pytest.approx({n: (there[n] + back[n]) / pairs for n in P})


def _random_map(seed: int, people: int, ties: int, strengths) -> StakeholderMap:
    rng = random.Random(seed)
    stances = [(f"P{i}", rng.choice([-2, -1, 0, 1, 2])) for i in range(people)]
    pairs = {(rng.randrange(people), rng.randrange(people)) for _ in range(ties)}
    return _map(
        stances,
        [(f"P{a}", f"P{b}", rng.choice(strengths)) for a, b in sorted(pairs) if a != b],
    )


def test_brokerage_with_fractional_strengths_matches_networkx():
    # Steps of 60 / w: 120, 40, 24, 20, 15 and 12, so unequal step sizes meet on equal routes.
    m = _random_map(7, 60, 240, [-1, 0.5, 1.5, 2.5, 3, 4, 5])
    G = graph.build_graph(m)
    P = nx.DiGraph()
    P.add_nodes_from(G)
    P.add_edges_from((u, v, {"d": 60 / w}) for u, v, w in G.edges(data="weight") if w > 0)
    assert _column(m, BROKER) == pytest.approx(nx.betweenness_centrality(P, weight="d"))


def test_brokerage_is_the_same_one_source_at_a_time(monkeypatch):
    # Sinks and people with no ties give batches with no route at all.
    m = _random_map(4, 50, 70, [-2, 1, 2, 5])
    whole = measures.metrics(m)
    monkeypatch.setattr(measures, "_BATCH_CELLS", 1)
    one_by_one = measures.metrics(m)
    for column in (BROKER, "Camp broker"):
        assert one_by_one[column].tolist() == pytest.approx(whole[column].tolist())


def test_reach_matches_networkx_pagerank():
    m = _random_map(5, 80, 300, [-3, 1, 2, 4, 5])
    G = graph.build_graph(m)
    P = nx.DiGraph()
    P.add_nodes_from(G)
    P.add_weighted_edges_from((v, u, w) for u, v, w in G.edges(data="weight") if w > 0)
    assert _column(m, REACH) == pytest.approx(nx.pagerank(P), rel=1e-9)


@pytest.mark.parametrize("size", [(120, 400), (700, 3000)])
def test_communities_are_networkx_louvain_with_seed_0(size):
    m = _random_map(6, *size, [-2, 1, 2, 3, 5])
    G = graph.build_graph(m)
    U = nx.Graph()
    U.add_nodes_from(G)
    for u, v, w in G.edges(data="weight"):
        if w > 0:
            U.add_edge(u, v, weight=w + (U.edges[u, v]["weight"] if U.has_edge(u, v) else 0))
    expected = nx.community.louvain_communities(U, weight="weight", seed=0)
    table = measures.metrics(m)
    ours = table.dropna(subset=["Community"]).groupby("Community")["Name"].agg(frozenset)
    lonely = set(table.loc[table["No ties"], "Name"])
    assert set(ours) == {frozenset(c) for c in expected if not c <= lonely}
    assert len(set(ours)) > 3


def _two_camps_and_a_bridge(side: int = 300) -> StakeholderMap:
    """Two camps of ``side`` people, each tied within, joined only through a neutral Bridge."""
    rng = random.Random(2)
    camps = {"S": 1, "O": -1}
    people = [(f"{c}{i}", stance) for c, stance in camps.items() for i in range(side)]
    ties = [
        (f"{c}{i}", f"{c}{rng.randrange(side)}", rng.choice([1, 3, 5]), "ally")
        for c in camps
        for i in range(side)
        for _ in range(3)
    ]
    ties = [t for t in ties if t[0] != t[1]]
    ties += [("S0", "Bridge", 2, "ally"), ("Bridge", "O0", 2, "ally")]
    return _map([*people, "Bridge"], ties)


def test_above_500_people_brokerage_is_estimated_from_sampled_sources():
    m = _two_camps_and_a_bridge()
    n = len(m.stakeholders)
    assert n > measures._EXACT_MAX
    table = measures.metrics(m).set_index("Name")
    # Every route between the camps, 2 x 300 x 300 ordered pairs, crosses the Bridge: the
    # estimate scaled by n / k lands on the exact score, and all cross-camp routes are its.
    assert table.loc["Bridge", BROKER] == pytest.approx(
        2 * 300 * 300 / ((n - 1) * (n - 2)), rel=0.01
    )
    assert table.loc["Bridge", "Camp broker"] == pytest.approx(1.0)
    # The gateways carry the same routes and their camp's own: they rank above the Bridge.
    assert set(table[BROKER].nlargest(3).index) == {"S0", "O0", "Bridge"}


@pytest.fixture(scope="module")
def sampled_and_exact():
    m = synthetic.large(1500, 7500)
    sampled = measures.metrics(m)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(measures, "_EXACT_MAX", len(m.stakeholders))
        exact = measures.metrics(m)
    return m, sampled, exact


def test_sampled_brokers_are_the_exact_brokers_on_a_large_map(sampled_and_exact):
    _, sampled, exact = sampled_and_exact
    estimate, truth = sampled[BROKER], exact[BROKER]
    assert not estimate.equals(truth)  # the estimate was used
    top = set(truth.nlargest(10).index)
    assert len(top & set(estimate.nlargest(10).index)) >= 7
    assert set(estimate.nlargest(10).index) <= set(truth.nlargest(30).index)
    assert estimate.sum() == pytest.approx(truth.sum(), rel=0.02)  # Brandes & Pich: unbiased
    assert estimate.corr(truth, method="spearman") > 0.9
    camp_estimate, camp_truth = sampled["Camp broker"], exact["Camp broker"]
    assert camp_estimate.corr(camp_truth, method="spearman") > 0.9
    assert set(camp_estimate.nlargest(10).index) <= set(camp_truth.nlargest(40).index)


def test_sampled_metrics_are_the_same_every_run(sampled_and_exact):
    m, sampled, _ = sampled_and_exact
    assert measures.metrics(m).equals(sampled)


def test_sampling_touches_only_the_route_measures(sampled_and_exact):
    _, sampled, exact = sampled_and_exact
    routes = [BROKER, "Camp broker"]
    assert sampled.drop(columns=routes).equals(exact.drop(columns=routes))


def _florentine() -> StakeholderMap:
    """Padgett's Florentine families (marriage ties), as mutual ties of strength 1."""
    F = nx.florentine_families_graph()
    return _map(sorted(F), [(u, v, 1, "ally") for u, v in F.edges])


def test_florentine_families_the_medici_are_the_brokers():
    broker = _column(_florentine(), BROKER)
    assert max(broker, key=broker.get) == "Medici"
    # Padgett & Ansell's network: the Medici lie on 47.5 of the 91 pairs' geodesics.
    assert broker["Medici"] == pytest.approx(47.5 / 91)
    assert broker == pytest.approx(nx.betweenness_centrality(nx.florentine_families_graph()))


def test_florentine_families_everyone_tied_in_communities():
    table = measures.metrics(_florentine())
    assert not table["No ties"].any()
    assert table["Community"].notna().all()
    assert table["Community"].min() == 1
    assert table["Community"].nunique() > 1


def test_communities_of_two_clusters_and_a_loner():
    # Two triangles joined by one tie; Zoe has no ties; Rex only repels.
    m = _map(
        ["A", "B", "C", "D", "E", "F", "Zoe", "Rex"],
        [
            ("A", "B", 3, "ally"), ("B", "C", 3, "ally"), ("A", "C", 3, "ally"),
            ("D", "E", 3, "ally"), ("E", "F", 3, "ally"), ("D", "F", 3, "ally"),
            ("C", "D", 1),
            ("Rex", "A", -2),
        ],
    )  # fmt: skip
    table = measures.metrics(m).set_index("Name")
    community = table["Community"]
    assert community["A"] == community["B"] == community["C"]
    assert community["D"] == community["E"] == community["F"]
    assert community["A"] != community["D"]
    assert pd.isna(community["Zoe"])
    assert table["No ties"].to_dict() == {n: n == "Zoe" for n in table.index}
    assert str(community.dtype) == "Int64"
    # Numbered from 1, largest (then first in the map) first.
    assert community["A"] == 1 and community["D"] == 2


# --- layout ------------------------------------------------------------------------------------


def _components_map(n_people: int = 0) -> StakeholderMap:
    ties = [("A", "B"), ("B", "C"), ("C", "A"), ("D", "E")]
    return _map(list("ABCDEFG") + [f"X{i}" for i in range(n_people)], ties)


def test_layout_places_everyone_once_deterministically():
    m = _components_map()
    pos = layout.layout(m)
    assert list(pos) == m.names
    assert pos == layout.layout(m)
    assert all(math.isfinite(c) for p in pos.values() for c in p)


def test_layout_keeps_people_apart_and_groups_separate():
    m = _components_map()
    pos = layout.layout(m)
    closest = min(math.dist(pos[a], pos[b]) for a in pos for b in pos if a < b)
    assert closest > 60
    triangle = [pos[n] for n in "ABC"]
    pair = [pos[n] for n in "DE"]
    gap = min(math.dist(p, q) for p in triangle for q in pair)
    assert gap > 100
    nearest = sorted(min(math.dist(pos[a], pos[b]) for b in "ABC" if b != a) for a in "ABC")
    assert nearest[1] == pytest.approx(160, abs=0.5)  # the median distance to the nearest person
    # Widened for landscape screens.
    xs, ys = zip(*triangle, strict=True)
    assert max(xs) - min(xs) > 1.3 * (max(ys) - min(ys))


def test_layout_of_a_large_map_uses_the_seeded_spring_layout():
    n = 200
    m = _map([f"P{i}" for i in range(n)], [(f"P{i}", f"P{(i + 1) % n}") for i in range(n)])
    first = layout.layout(m, seed=1)
    assert first == layout.layout(m, seed=1)
    assert first != layout.layout(m, seed=2)
    assert len(first) == n


def test_complete_positions_keeps_stored_and_places_newcomers_near_their_ties():
    stored = {"A": (0.0, 0.0), "B": (400.0, 0.0), "Gone": (5.0, 5.0)}
    m = _map("ABCDE", [("A", "C"), ("C", "D")], positions=stored)
    pos = layout.complete_positions(m)
    assert list(pos) == m.names
    assert pos["A"] == (0.0, 0.0) and pos["B"] == (400.0, 0.0)
    assert "Gone" not in pos
    assert math.dist(pos["A"], pos["C"]) == pytest.approx(160, abs=0.2)
    # D is tied only to C, also new: it lands beside C.
    assert math.dist(pos["C"], pos["D"]) == pytest.approx(160, abs=0.2)
    # E has no ties: free space under the drawing, on nobody's vertical or horizontal line.
    assert pos["E"][1] > max(p[1] for n, p in pos.items() if n != "E")
    assert all(abs(pos["E"][i] - p[i]) > 10 for n, p in pos.items() if n != "E" for i in (0, 1))


def test_complete_positions_with_nothing_stored_is_the_layout():
    m = _components_map()
    assert layout.complete_positions(m) == layout.layout(m)
    assert layout.complete_positions(m, {"Gone": (1.0, 1.0)}) == layout.layout(m)


def test_complete_positions_takes_explicit_positions():
    m = _map("AB", positions={"A": (1.0, 2.0), "B": (3.0, 4.0)})
    assert layout.complete_positions(m, {"A": (7.0, 7.0), "B": (8.0, 8.0)}) == {
        "A": (7.0, 7.0),
        "B": (8.0, 8.0),
    }


def test_neighbourhood_one_and_two_steps_either_direction():
    m = _map("ABCDE", [("A", "B"), ("C", "B", -3), ("C", "D"), ("E", "E")])
    assert graph.neighbourhood(m, "B") == {"B": 0, "A": 1, "C": 1}
    assert graph.neighbourhood(m, "B", 2) == {"B": 0, "A": 1, "C": 1, "D": 2}
    assert graph.neighbourhood(m, "E", 2) == {"E": 0}
    assert graph.neighbourhood(m, "Nobody") == {}
