"""Versions of a map decoded in one process share the people and ties they have in common.

A saved version is decoded whole (:meth:`stakemap.store.maps.Store.load`): at 5,000 people and
20,000 ties, 9 MB of Python objects, and an edit to one person's notes made a second 9 MB
that said the same thing in all but one place. The server keeps the versions it shows
(``ui.session``), so a map being edited held one full copy per version. :func:`sharing`
gives a newly decoded version the objects of one decoded before wherever they are equal:
people and ties are frozen, so sharing them changes nothing a reader can see.
"""

from __future__ import annotations

from dataclasses import replace

from stakemap.model import Stakeholder, StakeholderMap

__all__ = ["sharing"]


def sharing(new: StakeholderMap, old: StakeholderMap | None) -> StakeholderMap:
    """``new``, its people and ties equal to ``old``'s being ``old``'s own objects (and its
    tuples of them ``old``'s, when all are); ``new`` itself when ``old`` is None.

    >>> from stakemap.model import Relationship, Stakeholder
    >>> old = StakeholderMap((Stakeholder("A"), Stakeholder("B")), (Relationship("A", "B"),))
    >>> new = StakeholderMap((Stakeholder("A"), Stakeholder("B", notes="new")),
    ...                      (Relationship("A", "B"),))
    >>> shared = sharing(new, old)
    >>> shared == new, shared.stakeholders[0] is old.stakeholders[0]
    (True, True)
    >>> shared.stakeholders[1] is new.stakeholders[1], shared.relationships is old.relationships
    (True, True)
    """
    if old is None:
        return new
    people = {s.name: s for s in old.stakeholders}
    stakeholders = tuple(_same(people.get(s.name), s) for s in new.stakeholders)
    ties = {r: r for r in old.relationships}
    relationships = tuple(ties.get(r, r) for r in new.relationships)
    return replace(
        new,
        stakeholders=_whole(stakeholders, old.stakeholders),
        relationships=_whole(relationships, old.relationships),
    )


def _same(known: Stakeholder | None, found: Stakeholder) -> Stakeholder:
    """``known`` if it equals ``found``, else ``found``."""
    return known if known is not None and known == found else found


def _whole(parts: tuple, old: tuple) -> tuple:
    """``old`` if ``parts`` are its very objects in its order, else ``parts``."""
    if len(parts) == len(old) and all(a is b for a, b in zip(parts, old, strict=True)):
        return old
    return parts
