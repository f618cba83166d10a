"""The people on a lens: how many in each class, whom the filters keep, whom a click picked,
how names are hidden in a room or a shared picture, and one person's edit.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from stakemap.lenses.catalogue import LENSES
from stakemap.lenses.kinds import stance_step
from stakemap.model import StakeholderMap, stance_label
from stakemap.values import measure_key

__all__ = [
    "ANONYMISE_MODES",
    "ClassSummary",
    "anonymise",
    "class_summary",
    "edit_person",
    "filter_names",
    "role_labels",
    "selected_person",
    "shown_map",
]


@dataclass(frozen=True)
class ClassSummary:
    """One class of a lens with its strategy, members (map order) and their total power."""

    name: str
    strategy: str
    people: tuple[str, ...]
    power: float


def class_summary(
    m: StakeholderMap, lens_name: str, names: Iterable[str] | None = None
) -> list[ClassSummary]:
    """The lens's classes in order, each with its people: the list beside the chart.

    Classes are computed on the whole map; with ``names`` only those people are listed and
    counted (the ones the filters show).

    >>> from stakemap.model import Stakeholder, StakeholderMap
    >>> m = StakeholderMap((Stakeholder("Ana", stance=2), Stakeholder("Ben", stance=2)))
    >>> rows = class_summary(m, "Spectrum of allies")
    >>> rows[0].name, rows[0].people, rows[0].power
    ('Active allies', ('Ana', 'Ben'), 6.0)
    >>> class_summary(m, "Spectrum of allies", names=["Ben"])[0].people
    ('Ben',)
    """
    lens = LENSES[lens_name]
    classes = lens.classify(m)
    shown = set(m.names if names is None else names)
    people = [s for s in m.stakeholders if s.name in shown]
    return [
        ClassSummary(
            c.name,
            c.strategy,
            tuple(s.name for s in people if classes[s.name] == c.name),
            sum(s.power for s in people if classes[s.name] == c.name),
        )
        for c in lens.classes
    ]


def filter_names(
    m: StakeholderMap,
    groups: Iterable[str] = (),
    stances: Iterable[int] = (),
    roles: Iterable[str] = (),
) -> list[str]:
    """Names of the people matching every non-empty filter (map order).

    An empty filter keeps everyone; ``roles`` may contain ``""`` for "no decision role".

    >>> from stakemap.model import Stakeholder, StakeholderMap
    >>> m = StakeholderMap((Stakeholder("Ana", group="Ops", stance=1),
    ...                     Stakeholder("Ben", group="Ops", decision_role="veto")))
    >>> filter_names(m, groups=["Ops"], roles=[""])
    ['Ana']
    """
    groups, stances, roles = set(groups), set(stances), set(roles)
    return [
        s.name
        for s in m.stakeholders
        if (not groups or s.group in groups)
        and (not stances or stance_step(s) in stances)
        and (not roles or s.decision_role in roles)
    ]


def selected_person(
    selection: Mapping[str, object] | None, keys: Mapping[str, str], param: str = "pick"
) -> str | None:
    """The person a chart point selection names, or None.

    ``selection`` is the ``selection`` part of Streamlit's chart event: ``{param: [{"key":
    k}, ...]}`` for a point selection on the field ``key``, or ``{param: {}}`` when nothing
    is selected. ``keys`` maps the chart's keys to names (the name itself, or an anonymised
    label); the last selected point that maps to a person wins, and stale keys (a person
    renamed or filtered out since) are ignored.

    >>> selected_person({"pick": [{"key": "Ana"}]}, {"Ana": "Ana", "Ben": "Ben"})
    'Ana'
    >>> selected_person({"pick": {}}, {"Ana": "Ana"}) is None
    True
    """
    points = (selection or {}).get(param)
    if not isinstance(points, Sequence) or isinstance(points, str):
        return None
    for point in reversed(points):
        key = point.get("key") if isinstance(point, Mapping) else None
        if isinstance(key, str) and key in keys:
            return keys[key]
    return None


ANONYMISE_MODES: tuple[str, ...] = ("names", "initials", "letters")


def _letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (spreadsheet column style)."""
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        text = chr(ord("A") + rest) + text
    return text


def anonymise(names: Sequence[str], mode: str = "names") -> dict[str, str]:
    """Labels for the projector: the names, their initials, or "Stakeholder A, B, ...".

    Initials take the first letter of up to three words; a repeated set of initials gets a
    number (``AB``, ``AB2``). Letters follow the order of ``names``.

    >>> anonymise(["Ana Bell", "Abe Bo", "Cy"], "initials")
    {'Ana Bell': 'AB', 'Abe Bo': 'AB2', 'Cy': 'C'}
    >>> anonymise(["Ana", "Ben"], "letters")
    {'Ana': 'Stakeholder A', 'Ben': 'Stakeholder B'}
    """
    if mode == "letters":
        return {name: f"Stakeholder {_letters(i)}" for i, name in enumerate(names)}
    if mode != "initials":
        return {name: name for name in names}
    seen: dict[str, int] = defaultdict(int)
    labels = {}
    for name in names:
        words = re.findall(r"\w+", name)
        base = "".join(w[0] for w in words[:3]).upper() or "?"
        seen[base] += 1
        labels[name] = base if seen[base] == 1 else f"{base}{seen[base]}"
    return labels


def role_labels(m: StakeholderMap) -> dict[str, str]:
    """Labels that say what each person does, not who they are: their job role, numbered
    where several share it ("Nurse 1", "Nurse 2"), or "Person 1", "Person 2", ... in map
    order for those without one. Every label is different.

    >>> from stakemap.model import Stakeholder
    >>> m = StakeholderMap((Stakeholder("Ana", role="CFO"), Stakeholder("Ben", role="Nurse"),
    ...                     Stakeholder("Cy"), Stakeholder("Di", role="Nurse")))
    >>> role_labels(m)
    {'Ana': 'CFO', 'Ben': 'Nurse 1', 'Cy': 'Person 1', 'Di': 'Nurse 2'}
    """
    roles = [" ".join(s.role.split()) or "Person" for s in m.stakeholders]
    shared = {role for role, count in Counter(roles).items() if count > 1} | {"Person"}
    numbers: dict[str, int] = defaultdict(int)
    labels: dict[str, str] = {}
    taken: set[str] = set()
    for name, role in zip(m.names, roles, strict=True):
        label = role
        while label in taken or (label == role and role in shared):
            numbers[role] += 1
            label = f"{role} {numbers[role]}"
        taken.add(label)
        labels[name] = label
    return labels


def shown_map(m: StakeholderMap, mode: str = "names") -> StakeholderMap:
    """The map as a room or a shared picture may show it. Notes, custom columns (but those the
    decision rule counts, such as Population), tie notes, the engagement log and the proposal's
    extra rows are left out; with ``mode`` "initials" or "letters" (:func:`anonymise`) or
    "roles" (:func:`role_labels`) every name is also replaced by its label in people, ties,
    positions and the champion, and role and group are dropped.

    >>> from stakemap.model import Stakeholder
    >>> ana = Stakeholder("Ana Bell", role="CFO", notes="private")
    >>> room = shown_map(StakeholderMap((ana,)), "initials")
    >>> room.names, room.stakeholders[0].role
    (['AB'], '')
    >>> shown_map(StakeholderMap((ana,)), "roles").names
    ['CFO']
    >>> shown_map(StakeholderMap((ana,))).stakeholders[0].notes
    ''
    """
    named = mode == "names"
    labels = role_labels(m) if mode == "roles" else anonymise(m.names, mode)
    p = m.proposal
    lines = (*p.thresholds, p.quorum, p.blocking_minority)
    counted = {measure_key(t.counts).casefold() for t in lines if t is not None}
    counted |= {column.casefold() for column in p.rough}
    kept = tuple(c for c in m.custom_columns if c.casefold() in counted)
    people = tuple(
        replace(
            s,
            name=labels[s.name],
            role=s.role if named else "",
            group=s.group if named else "",
            notes="",
            custom={c: v for c, v in s.custom.items() if c in kept},
        )
        for s in m.stakeholders
    )

    def label(name: str) -> str:
        return labels.get(name, "?")

    ties = tuple(
        replace(r, source=label(r.source), target=label(r.target), notes="")
        for r in m.relationships
    )
    champion = labels.get(p.champion, "") if p.champion else ""
    return StakeholderMap(
        stakeholders=people,
        relationships=ties,
        proposal=replace(p, champion=champion, extra={}),
        custom_columns=kept,
        positions={labels[k]: v for k, v in m.positions.items() if k in labels},
    )


def edit_person(
    m: StakeholderMap, name: str, **changes: object
) -> tuple[StakeholderMap, str] | None:
    """Apply a quick edit from the map; returns the new map and its history line, or None.

    ``stance`` is clamped to -2..+2 and ``power``/``interest`` to 1-5; an edit that changes
    nothing (or names nobody) returns None.

    >>> from stakemap.model import Stakeholder, StakeholderMap
    >>> m = StakeholderMap((Stakeholder("Ana"),))
    >>> edit_person(m, "Ana", stance=1)[1]
    'Stance of Ana: Neutral -> Supporter'
    >>> edit_person(m, "Ana", stance=0) is None
    True
    """
    person = m.get(name)
    if person is None:
        return None
    clean: dict[str, object] = {}
    for field, value in changes.items():
        if field == "stance":
            value = max(-2, min(2, round(float(value))))  # type: ignore[arg-type]
        elif field in ("power", "interest"):
            value = max(1.0, min(5.0, float(value)))  # type: ignore[arg-type]
        if getattr(person, field) != value:
            clean[field] = value
    if not clean:
        return None
    parts = []
    for field, value in clean.items():
        old = getattr(person, field)
        if field == "stance":
            parts.append(f"Stance of {name}: {stance_label(old)} -> {stance_label(value)}")
        elif isinstance(value, float):
            parts.append(f"{field.capitalize()} of {name}: {old:g} -> {value:g}")
        else:
            parts.append(f"{field.replace('_', ' ').capitalize()} of {name} edited")
    return m.with_stakeholder(name, **clean), "; ".join(parts)
