"""What the room may see of a map: the map with what must not reach a phone or the
projector taken out (docs/room-security.md)."""

from __future__ import annotations

from dataclasses import replace

from stakemap.lenses.people import anonymise
from stakemap.model import StakeholderMap

__all__ = ["room_map"]


def room_map(m: StakeholderMap, mode: str = "names") -> StakeholderMap:
    """The map as the room may see it. Notes, custom columns, tie notes, the engagement log
    and the proposal's extra rows never reach the room; with ``mode`` "initials" or "letters"
    every name is also replaced by its label (:func:`stakemap.lenses.people.anonymise`) in people,
    ties, positions and the champion, and role and group are dropped.

    >>> from stakemap.model import Stakeholder
    >>> ana = Stakeholder("Ana Bell", role="CFO", notes="private")
    >>> room = room_map(StakeholderMap((ana,)), "initials")
    >>> room.names, room.stakeholders[0].role
    (['AB'], '')
    >>> room_map(StakeholderMap((ana,))).stakeholders[0].notes
    ''
    """
    named = mode == "names"
    labels = anonymise(m.names, mode)
    people = tuple(
        replace(
            s,
            name=labels[s.name],
            role=s.role if named else "",
            group=s.group if named else "",
            notes="",
            custom={},
        )
        for s in m.stakeholders
    )

    def label(name: str) -> str:
        return labels.get(name, "?")

    ties = tuple(
        replace(r, source=label(r.source), target=label(r.target), notes="")
        for r in m.relationships
    )
    champion = labels.get(m.proposal.champion, "") if m.proposal.champion else ""
    return StakeholderMap(
        stakeholders=people,
        relationships=ties,
        proposal=replace(m.proposal, champion=champion, extra={}),
        custom_columns=(),
        positions={labels[k]: v for k, v in m.positions.items() if k in labels},
    )
