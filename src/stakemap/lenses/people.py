"""The people on a lens: how many in each class, whom the filters keep, whom a click picked,
how names are hidden in a room or a shared picture, whom the lens cannot place for a blank,
and their edits.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import reduce

from stakemap.language import N_, ngettext, pgettext
from stakemap.language import gettext as _
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
    "field_word",
    "filter_names",
    "not_rated",
    "not_rated_sentence",
    "rate",
    "role_labels",
    "selected_person",
    "shown_map",
]

#: Fields on the 1-5 scale that a quick edit clamps; legitimacy and urgency may be blank.
_SCALES = ("power", "interest", "legitimacy", "urgency")
#: Fields on the stance scale (-2..+2), shown as their words; a target stance may be blank.
_STANCES = ("stance", "target_stance")
#: Fields as a person says them (translated where shown); another field says its own name.
_FIELD_WORDS = {
    "stance": N_("stance"),
    "target_stance": N_("target stance"),
    "power": N_("power"),
    "interest": N_("interest"),
    "legitimacy": N_("legitimacy"),
    "urgency": N_("urgency"),
    "effort": N_("effort"),
    "notes": N_("notes"),
}


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

    ``selection`` is the ``selection`` part of Streamlit's chart event: ``{param: [{"label":
    k}, ...]}`` for a point selection on the field ``label``, or ``{param: {}}`` when nothing
    is selected. ``keys`` maps the chart's labels to names (the name itself, or an anonymised
    label); the last selected point that maps to a person wins, and stale keys (a person
    renamed or filtered out since) are ignored.

    >>> selected_person({"pick": [{"label": "Ana"}]}, {"Ana": "Ana", "Ben": "Ben"})
    'Ana'
    >>> selected_person({"pick": {}}, {"Ana": "Ana"}) is None
    True
    """
    points = (selection or {}).get(param)
    if not isinstance(points, Sequence) or isinstance(points, str):
        return None
    for point in reversed(points):
        key = point.get("label") if isinstance(point, Mapping) else None
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
    """Labels for the projector: the names, their initials, or "Stakeholder A, B, ..." (in the
    language in force).

    Initials take the first letter of up to three words; a repeated set of initials gets a
    number (``AB``, ``AB2``). Letters follow the order of ``names``.

    >>> anonymise(["Ana Bell", "Abe Bo", "Cy"], "initials")
    {'Ana Bell': 'AB', 'Abe Bo': 'AB2', 'Cy': 'C'}
    >>> anonymise(["Ana", "Ben"], "letters")
    {'Ana': 'Stakeholder A', 'Ben': 'Stakeholder B'}
    """
    if mode == "letters":
        return {
            name: _("Stakeholder {letters}").format(letters=_letters(i))
            for i, name in enumerate(names)
        }
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


def field_word(field: str) -> str:
    """A field as a person says it, in the language in force.

    >>> field_word("target_stance")
    'target stance'
    """
    return _(_FIELD_WORDS[field]) if field in _FIELD_WORDS else field.replace("_", " ")


def _value_word(field: str, value: object) -> str:
    """A value of ``field`` as the history line says it: a stance word, a score, or blank."""
    if value is None:
        return _("blank")
    if field in _STANCES:
        return _(stance_label(float(value)))  # type: ignore[arg-type]
    return f"{value:g}"


def _clean(field: str, value: object) -> object:
    """A quick edit's value on its scale: stances rounded to -2..+2, scores clamped to 1-5;
    a blank (None) stays blank where the field may be."""
    if value is None and field not in ("stance", "power", "interest"):
        return None
    if field in _STANCES:
        return max(-2, min(2, round(float(value))))  # type: ignore[arg-type]
    if field in _SCALES:
        return max(1.0, min(5.0, float(value)))  # type: ignore[arg-type]
    return value


def role_labels(m: StakeholderMap) -> dict[str, str]:
    """Labels that say what each person does, not who they are: their job role, numbered
    where several share it ("Nurse 1", "Nurse 2"), or "Person 1", "Person 2", ... (in the
    language in force) in map order for those without one. Every label is different.

    >>> from stakemap.model import Stakeholder
    >>> m = StakeholderMap((Stakeholder("Ana", role="CFO"), Stakeholder("Ben", role="Nurse"),
    ...                     Stakeholder("Cy"), Stakeholder("Di", role="Nurse")))
    >>> role_labels(m)
    {'Ana': 'CFO', 'Ben': 'Nurse 1', 'Cy': 'Person 1', 'Di': 'Nurse 2'}
    """
    person = _("Person")
    roles = [" ".join(s.role.split()) or person for s in m.stakeholders]
    shared = {role for role, count in Counter(roles).items() if count > 1} | {person}
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
    """Apply a quick edit from the map; returns the new map and its history line (in the
    language in force), or None.

    ``stance`` and ``target_stance`` are rounded to -2..+2 and the 1-5 scores (power,
    interest, legitimacy, urgency) clamped; a target stance, legitimacy or urgency may be set
    blank (None). An edit that changes nothing (or names nobody) returns None.

    >>> from stakemap.model import Stakeholder, StakeholderMap
    >>> m = StakeholderMap((Stakeholder("Ana"),))
    >>> edit_person(m, "Ana", stance=1)[1]
    'Stance of Ana: Neutral -> Supporter'
    >>> edit_person(m, "Ana", legitimacy=4, target_stance=2)[1]
    'Legitimacy of Ana: blank -> 4; Target stance of Ana: blank -> Champion'
    >>> edit_person(m, "Ana", stance=0) is None
    True
    """
    person = m.get(name)
    if person is None:
        return None
    clean: dict[str, object] = {}
    for field, value in changes.items():
        value = _clean(field, value)
        if getattr(person, field) != value:
            clean[field] = value
    if not clean:
        return None
    parts = []
    for field, value in clean.items():
        label = field_word(field).capitalize()
        if field in _STANCES or field in _SCALES:
            old, new = _value_word(field, getattr(person, field)), _value_word(field, value)
            parts.append(
                _("{field} of {name}: {old} -> {new}").format(
                    field=label, name=name, old=old, new=new
                )
            )
        else:
            parts.append(_("{field} of {name} edited").format(field=label, name=name))
    return m.with_stakeholder(name, **clean), _separator().join(parts)


def _separator() -> str:
    """Between the edits of one history line: "; " or the language's own."""
    return pgettext("between clauses", "; ")


def not_rated(
    m: StakeholderMap, lens_name: str, names: Iterable[str] | None = None
) -> dict[str, tuple[str, ...]]:
    """The people the lens cannot place because a field it reads is blank, with those fields
    (map order; with ``names``, only those people): its "not rated" class
    (:meth:`stakemap.lenses.kinds.Lens.blanks`).

    >>> from stakemap.model import Stakeholder, StakeholderMap
    >>> m = StakeholderMap((Stakeholder("Ana", legitimacy=4), Stakeholder("Ben"),
    ...                     Stakeholder("Cy", legitimacy=2, urgency=5)))
    >>> not_rated(m, "Salience model")
    {'Ana': ('urgency',), 'Ben': ('legitimacy', 'urgency')}
    >>> not_rated(m, "Spectrum of allies")
    {}
    """
    lens = LENSES[lens_name]
    shown = set(m.names if names is None else names)
    return {
        s.name: blanks for s in m.stakeholders if s.name in shown and (blanks := lens.blanks(s))
    }


def not_rated_sentence(blanks: Mapping[str, Sequence[str]], lens_name: str, most: int = 12) -> str:
    """What the page says of the people :func:`not_rated` found: how many, on which of the
    fields the lens reads they left blank, and who (the first ``most``, then how many more),
    in the language in force.

    >>> not_rated_sentence({"Ana": ("urgency",), "Ben": ("legitimacy", "urgency")},
    ...                    "Salience model")
    '2 people are not rated on legitimacy or urgency: Ana, Ben.'
    >>> not_rated_sentence({"Ana": ("urgency",), "Ben": ("urgency",), "Cy": ("urgency",)},
    ...                    "Salience model", most=1)
    '3 people are not rated on urgency: Ana and 2 more.'
    """
    names = list(blanks)
    who = pgettext("between names", ", ").join(names[:most])
    if len(names) > most:
        more = len(names) - most
        who = ngettext("{names} and {n} more", "{names} and {n} more", more).format(
            names=who, n=more
        )
    blank = {field for fields in blanks.values() for field in fields}
    fields = reduce(
        lambda first, second: _("{first} or {second}").format(first=first, second=second),
        [field_word(f) for f in LENSES[lens_name].needs if f in blank],
    )
    return ngettext(
        "{n} person is not rated on {fields}: {who}.",
        "{n} people are not rated on {fields}: {who}.",
        len(names),
    ).format(n=len(names), fields=fields, who=who)


def rate(
    m: StakeholderMap, ratings: Mapping[str, Mapping[str, object]]
) -> tuple[StakeholderMap, str] | None:
    """Every person's ratings (name -> field -> value) applied as one edit
    (:func:`edit_person`): the new map and one history line, or None when nothing changes.

    >>> from stakemap.model import Stakeholder, StakeholderMap
    >>> m = StakeholderMap((Stakeholder("Ana"), Stakeholder("Ben", urgency=2)))
    >>> new, line = rate(m, {"Ana": {"legitimacy": 4}, "Ben": {"legitimacy": 1}})
    >>> line
    'Legitimacy of Ana: blank -> 4; Legitimacy of Ben: blank -> 1'
    >>> new.get("Ben").legitimacy, rate(m, {"Ana": {}}) is None
    (1.0, True)
    """
    lines = []
    for name, changes in ratings.items():
        edit = edit_person(m, name, **changes)
        if edit is not None:
            m, line = edit
            lines.append(line)
    return (m, _separator().join(lines)) if lines else None
