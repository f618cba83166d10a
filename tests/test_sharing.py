"""Versions decoded in one process share the people and ties they have in common."""

from __future__ import annotations

from dataclasses import replace

from stakemap.samples import synthetic
from stakemap.store.maps import Store
from stakemap.store.sharing import sharing


def test_an_edited_version_shares_all_but_what_changed(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'sharing.sqlite'}")
    m = synthetic.large(200, 600)
    map_id = store.create("Big", m)
    people = list(m.stakeholders)
    people[3] = replace(people[3], notes="changed")
    edited = replace(m, stakeholders=tuple(people), relationships=m.relationships[1:])
    store.save(map_id, edited, 1, "edit")
    first = store.load(map_id, 1).data
    second = sharing(store.load(map_id, 2).data, first)
    assert second == store.load(map_id, 2).data
    assert [s is f for s, f in zip(second.stakeholders, first.stakeholders, strict=True)].count(
        False
    ) == 1
    assert second.stakeholders[3].notes == "changed"
    assert all(r is f for r, f in zip(second.relationships, first.relationships[1:], strict=True))
    assert second.proposal == first.proposal


def test_the_same_map_shares_its_tuples_and_none_shares_nothing():
    m = synthetic.large(30, 60)
    copy = replace(m, stakeholders=tuple(replace(s) for s in m.stakeholders))
    shared = sharing(copy, m)
    assert shared.stakeholders is m.stakeholders and shared.relationships is m.relationships
    assert sharing(copy, None) is copy
