"""Routes and messenger sentences on generated maps: every link is a positive tie, routes are
shortest, and the sentence names a supporter when one can reach the person."""

from __future__ import annotations

import networkx as nx

from stakemap.network.graph import build_graph
from stakemap.network.messengers import best_messenger_sentence, routes_to
from stakemap.samples.synthetic import organisation


def test_routes_on_the_generated_organisation_are_shortest_positive_chains() -> None:
    m = organisation()
    G = build_graph(m)
    positive = nx.DiGraph([(u, v) for u, v, w in G.edges(data="weight") if w > 0])
    for target in m.names[:15]:
        routes = routes_to(m, target)
        assert len({r.messenger for r in routes}) == len(routes)
        for r in routes:
            assert r.people[-1] == target and len(r.people) <= 4
            links = zip(r.people, r.people[1:], strict=False)
            assert all(positive.has_edge(a, b) for a, b in links)
            assert len(r.people) - 1 == nx.shortest_path_length(positive, r.messenger, target)
        sentence = best_messenger_sentence(m, target)
        supporters = [r for r in routes if m.get(r.messenger).stance > 0]
        if supporters:
            assert sentence.startswith(
                f"Your best messenger to {target} is {supporters[0].messenger}"
            )
        assert "{" not in sentence and "None" not in sentence
