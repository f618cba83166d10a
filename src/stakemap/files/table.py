"""The map as editable table rows, and edits from a table applied back to the map.

The Data page's editors show these rows; their change sets (Streamlit's ``edited_rows``,
``added_rows``, ``deleted_rows``: positional rows, column -> new value) come back through
:func:`apply_people_edits` and :func:`apply_tie_edits`, and a tie from the Add a tie form
through :func:`add_tie`; all validate with the importer's own value parsers so an edit obeys
the same rules as a file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace

from stakemap.language import N_, ngettext
from stakemap.language import gettext as _
from stakemap.model import Relationship, Stakeholder, StakeholderMap, stance_label
from stakemap.schema import STAKEHOLDER_COLUMNS, Column
from stakemap.values import (
    BadValue,
    cell_text,
    parse_choice,
    parse_scale,
    parse_stance,
    parse_strength,
    parse_tags,
    parse_votes,
)

__all__ = [
    "STANCE_OPTIONS",
    "Edit",
    "add_tie",
    "apply_people_edits",
    "apply_tie_edits",
    "people_rows",
    "same_tie",
    "shown_word",
    "tie_rows",
    "tie_sentence",
]

#: Stance choices offered by the editor, Blocker to Champion, plus PMBOK's "Unaware".
STANCE_OPTIONS = [stance_label(v) for v in range(-2, 3)] + ["Unaware"]
#: The words the tables offer (stances, relationship kinds, decision roles): identifiers, each
#: shown in the language in force by :func:`shown_word`.
_WORDS = frozenset(
    {
        N_("Blocker"), N_("Critic"), N_("Neutral"), N_("Supporter"), N_("Champion"),
        N_("Unaware"), N_("influences"), N_("defers to"), N_("reports to"), N_("ally"),
        N_("rival"), N_("decider"), N_("veto"), N_("informal veto"), N_("influencer"),
        N_("third party"),
    }
)  # fmt: skip


def shown_word(value: object) -> str:
    """A stance, relationship kind or decision role as a table's option shows it; any other
    value as it is.

    >>> shown_word("Champion"), shown_word("defers to"), shown_word("Ana")
    ('Champion', 'defers to', 'Ana')
    """
    text = "" if value is None else str(value)
    return _(text) if text in _WORDS else text


@dataclass(frozen=True)
class Edit:
    """The outcome of applying a change set: the new map, what changed, what was refused."""

    map: StakeholderMap
    changes: list[str]
    problems: list[str]

    @property
    def description(self) -> str:
        shown = "; ".join(self.changes[:3])
        if len(self.changes) <= 3:
            return shown
        more = len(self.changes) - 3
        return ngettext("{changes} (+{n} more)", "{changes} (+{n} more)", more).format(
            changes=shown, n=more
        )


def people_rows(m: StakeholderMap) -> list[dict[str, object]]:
    """One dict per person, keyed by canonical column name (custom columns after).

    >>> from stakemap.samples.cases import template
    >>> people_rows(template())[0]["Stance"]
    'Neutral'
    """
    rows = []
    for s in m.stakeholders:
        row = {c.name: _display(s, c) for c in STAKEHOLDER_COLUMNS}
        row.update({c: s.custom.get(c, "") for c in m.custom_columns})
        rows.append(row)
    return rows


def tie_rows(m: StakeholderMap) -> list[dict[str, object]]:
    return [
        {"From": r.source, "To": r.target, "Strength": r.strength, "Kind": r.kind, "Notes": r.notes}
        for r in m.relationships
    ]


def tie_sentence(r: Relationship) -> str:
    """One tie in words, saying who moves whom, so "defers to" does not read backwards.

    >>> tie_sentence(Relationship("Ana", "Ben", 2, "defers to"))
    'Ana defers to Ben: Ben sways Ana'
    >>> tie_sentence(Relationship("Ana", "Ben", -3, "rival"))
    "Ana and Ben are rivals: each one's support pushes the other away"
    """
    a, b = r.source, r.target
    push = r.strength < 0
    if r.kind in ("ally", "rival"):
        text = {
            ("ally", False): _("{a} and {b} are allies: they sway each other"),
            ("ally", True): _("{a} and {b} are allies: each one's support pushes the other away"),
            ("rival", False): _("{a} and {b} are rivals: they sway each other"),
            ("rival", True): _("{a} and {b} are rivals: each one's support pushes the other away"),
        }[r.kind, push]
        return text.format(a=a, b=b)
    mover, moved = next(iter(r.influence_edges()))[:2]
    if r.kind == "influences":
        text = _("{a} influences {b}: {mover}'s support pushes {moved} away") if push else (
            _("{a} influences {b}"))  # fmt: skip
    elif r.kind == "defers to":
        text = _("{a} defers to {b}: {mover}'s support pushes {moved} away") if push else (
            _("{a} defers to {b}: {mover} sways {moved}"))  # fmt: skip
    elif r.kind == "reports to":
        text = _("{a} reports to {b}: {mover}'s support pushes {moved} away") if push else (
            _("{a} reports to {b}: {mover} sways {moved}"))  # fmt: skip
    else:  # a kind not known here: its word as stored
        text = _("{a} {kind} {b}: {mover}'s support pushes {moved} away") if push else (
            _("{a} {kind} {b}: {mover} sways {moved}"))  # fmt: skip
    return text.format(a=a, b=b, kind=r.kind, mover=mover, moved=moved)


def _display(s: Stakeholder, col: Column) -> object:
    value = getattr(s, col.field)
    if col.field == "stance":
        return "Unaware" if s.unaware else stance_label(value)
    if col.field == "target_stance":
        return None if value is None else stance_label(value)
    if col.kind == "tags":
        return ", ".join(value)
    return value


def apply_people_edits(
    m: StakeholderMap,
    edited: Mapping[int, Mapping[str, object]],
    added: Sequence[Mapping[str, object]] = (),
    deleted: Sequence[int] = (),
) -> Edit:
    """Apply a table change set to the Stakeholders; renames carry into relationships.

    >>> from stakemap.samples.cases import template
    >>> e = apply_people_edits(template(), {0: {"Stance": "Champion", "Name": "Dee"}})
    >>> e.map.stakeholders[0].stance, e.map.relationships[0].target, e.changes
    (2, 'Dee', ['Renamed Example Decider to Dee', 'Dee: Stance Neutral -> Champion'])
    """
    people = list(m.stakeholders)
    result, changes, problems = m, [], []
    for index, patch in sorted(edited.items()):
        index = int(index)
        if index >= len(people):
            continue
        person = people[index]
        where = _("Row {n}").format(n=index + 1)
        updates = _parse_row(patch, where, problems, m.custom_columns, person)
        new_name = updates.get("name", person.name)
        if new_name != person.name and _name_taken(new_name, people, index):
            problems.append(_taken(where, new_name))
            updates.pop("name")
        if "name" in updates and updates["name"] != person.name:
            changes.append(_("Renamed {old} to {new}").format(old=person.name, new=updates["name"]))
        changes += _describe(person, updates)
        result = result.with_stakeholder(person.name, **updates)
        people[index] = replace(person, **updates)
    for offset, row in enumerate(added):
        if not any(cell_text(v) for v in row.values()):
            continue  # a row added and left empty
        where, name = _("New row {n}").format(n=offset + 1), cell_text(row.get("Name"))
        if not name:
            problems.append(
                _("{where}, column {column}: every row needs a name").format(
                    where=where, column=_("Name")
                )
            )
            continue
        if _name_taken(name, people, None):
            problems.append(_taken(where, name))
            continue
        person = Stakeholder(**_parse_row(row, where, problems, m.custom_columns, None))
        people.append(person)
        result = replace(result, stakeholders=(*result.stakeholders, person))
        changes.append(_("Added {name}").format(name=name))
    gone = {people[i].name for i in deleted if int(i) < len(people)}
    if gone:
        result = _without(result, gone)
        changes.append(_("Deleted {names}").format(names=", ".join(sorted(gone))))
    return Edit(result, changes, problems)


def _taken(where: str, name: str) -> str:
    return _('{where}, column {column}: "{name}" is already on the map').format(
        where=where, column=_("Name"), name=name
    )


def _name_taken(name: str, people: list[Stakeholder], index: int | None) -> bool:
    return any(p.name.casefold() == name.casefold() for i, p in enumerate(people) if i != index)


def _without(m: StakeholderMap, names: set[str]) -> StakeholderMap:
    """The map without ``names`` and the ties that name them."""
    proposal = m.proposal
    if proposal.champion in names:
        proposal = replace(proposal, champion="")
    return replace(
        m,
        stakeholders=tuple(s for s in m.stakeholders if s.name not in names),
        relationships=tuple(
            r for r in m.relationships if r.source not in names and r.target not in names
        ),
        positions={k: v for k, v in m.positions.items() if k not in names},
        proposal=proposal,
        engagements=tuple(e for e in m.engagements if e.name not in names),
    )


def _parse_row(
    patch: Mapping[str, object],
    where: str,
    problems: list[str],
    custom_columns: Sequence[str],
    person: Stakeholder | None,
) -> dict[str, object]:
    """Field updates from a row's changed cells; bad cells become problems and are skipped."""
    updates: dict[str, object] = {}
    custom = dict(person.custom) if person else {}
    by_name = {c.name: c for c in STAKEHOLDER_COLUMNS}
    for column, value in patch.items():
        if column in custom_columns:
            custom[column] = cell_text(value)
            continue
        col = by_name.get(column)
        if col is None:
            continue
        try:
            updates.update(_parse_cell(col, value))
        except BadValue as bad:
            problems.append(_refusal(where, column, value, bad))
    if custom != (person.custom if person else {}):
        updates["custom"] = {k: v for k, v in custom.items() if v}
    return updates


def _refusal(where: str, column: str, value: object, bad: BadValue) -> str:
    return _('{where}, column {column}: "{value}" {problem} (accepted: {accepted})').format(
        where=where,
        column=_(column),
        value=cell_text(value),
        problem=bad.problem,
        accepted=bad.accepted,
    )


_DEFAULTS = {f.name: f.default for f in fields(Stakeholder) if f.name != "custom"}


def _parse_cell(col: Column, value: object) -> dict[str, object]:
    text = cell_text(value)
    if not text:
        if col.field == "name":
            raise BadValue(_("is empty; every row needs a name"), _("any text"))
        default = _DEFAULTS[col.field]
        return (
            {col.field: default, "unaware": False}
            if col.field == "stance"
            else {col.field: default}
        )
    if col.kind == "text":
        return {col.field: text}
    if col.kind == "scale":
        return {col.field: parse_scale(value, "1-5")}
    if col.kind == "stance":
        stance, unaware = parse_stance(value)
        return (
            {"stance": stance, "unaware": unaware} if col.field == "stance" else {col.field: stance}
        )
    if col.kind == "tags":
        return {col.field: parse_tags(value)}
    if col.kind == "votes":
        return {col.field: parse_votes(value)}
    return {col.field: parse_choice(value, col.name)}


def _describe(person: Stakeholder, updates: Mapping[str, object]) -> list[str]:
    name = updates.get("name", person.name)
    out = []
    for col in STAKEHOLDER_COLUMNS:
        if col.field == "name" or col.field not in updates:
            continue
        old, new = _display(person, col), _display(replace(person, **updates), col)
        if old != new:
            out.append(
                _("{name}: {column} {old} -> {new}").format(
                    name=name, column=_(col.name), old=_short(old), new=_short(new)
                )
            )
    if "custom" in updates and updates["custom"] != person.custom:
        out.append(_("{name}: custom attributes changed").format(name=name))
    return out


def _short(value: object) -> str:
    text = _("blank") if value in (None, "") else shown_word(cell_text(value))
    return text if len(text) <= 30 else text[:29] + "…"


def apply_tie_edits(
    m: StakeholderMap,
    edited: Mapping[int, Mapping[str, object]],
    added: Sequence[Mapping[str, object]] = (),
    deleted: Sequence[int] = (),
) -> Edit:
    """Apply a table change set to the Relationships; From/To must name people on the map.

    >>> from stakemap.samples.cases import template
    >>> e = apply_tie_edits(template(), {}, [{"From": "Example Decider", "To": "Example Ally",
    ...                                      "Strength": -2, "Kind": "rival"}])
    >>> e.map.relationships[-1].strength, e.changes
    (-2.0, ['Added tie Example Decider -> Example Ally'])
    """
    ties = list(m.relationships)
    names = set(m.names)
    changes, problems = [], []
    for index, patch in sorted(edited.items()):
        index = int(index)
        if index < len(ties):
            where = _("Row {n}").format(n=index + 1)
            tie = _parse_tie({**tie_rows(m)[index], **patch}, where, names, problems)
            if tie is not None and tie != ties[index]:
                changes.append(_("Changed tie {a} -> {b}").format(a=tie.source, b=tie.target))
                ties[index] = tie
    for offset, row in enumerate(added):
        if not any(cell_text(v) for v in row.values()):
            continue
        tie = _parse_tie(row, _("New row {n}").format(n=offset + 1), names, problems)
        if tie is not None:
            ties.append(tie)
            changes.append(_added_tie(tie))
    drop = {int(i) for i in deleted if 0 <= int(i) < len(ties)}
    changes += [
        _("Deleted tie {a} -> {b}").format(a=ties[i].source, b=ties[i].target) for i in sorted(drop)
    ]
    kept = tuple(t for i, t in enumerate(ties) if i not in drop)
    return Edit(replace(m, relationships=kept), changes, problems)


def _parse_tie(
    row: Mapping[str, object], where: str, names: set[str], problems: list[str]
) -> Relationship | None:
    source, target = cell_text(row.get("From")), cell_text(row.get("To"))
    for column, name in (("From", source), ("To", target)):
        if not name:
            problems.append(
                _("{where}, column {column}: is blank; choose a person on the map").format(
                    where=where, column=_(column)
                )
            )
            return None
        if name not in names:
            problems.append(
                _('{where}, column {column}: "{name}" is not on the map').format(
                    where=where, column=_(column), name=name
                )
            )
            return None
    if source == target:
        problems.append(
            _('{where}, column {column}: "{name}" is the same person as {other}').format(
                where=where, column=_("To"), name=target, other=_("From")
            )
        )
        return None
    try:
        kind = parse_choice(row.get("Kind"), "Kind") or "influences"
    except BadValue as bad:
        problems.append(_refusal(where, "Kind", row.get("Kind"), bad))
        return None
    strength_cell = row.get("Strength")
    try:
        default = -3.0 if kind == "rival" else 3.0
        strength = parse_strength(strength_cell) if cell_text(strength_cell) else default
    except BadValue as bad:
        problems.append(_refusal(where, "Strength", strength_cell, bad))
        return None
    return Relationship(source, target, strength, kind, cell_text(row.get("Notes")))


def add_tie(m: StakeholderMap, row: Mapping[str, object]) -> Edit:
    """One new tie from the Data page's Add a tie form (From, To, Strength, Kind, Notes).

    Nothing is added, and the problem says why, when From or To is not chosen, both are one
    person, or the same tie is on the map already.

    >>> from stakemap.samples.cases import template
    >>> add_tie(template(), {"From": "Example Ally", "To": None}).problems
    ['New tie, column To: is blank; choose a person on the map']
    >>> add_tie(template(), {"From": "Example Veto", "To": "Example Decider"}).changes
    ['Added tie Example Veto -> Example Decider']
    """
    problems: list[str] = []
    tie = _parse_tie(row, _("New tie"), set(m.names), problems)
    if tie is None:
        return Edit(m, [], problems)
    same = next((i for i, t in enumerate(m.relationships) if same_tie(t, tie)), None)
    if same is not None:
        there = tie_sentence(m.relationships[same])
        refusal = _("New tie: {tie} is on the map already (row {n} below)")
        return Edit(m, [], [refusal.format(tie=there, n=same + 1)])
    added = replace(m, relationships=(*m.relationships, tie))
    return Edit(added, [_added_tie(tie)], [])


def _added_tie(tie: Relationship) -> str:
    return _("Added tie {a} -> {b}").format(a=tie.source, b=tie.target)


def same_tie(a: Relationship, b: Relationship) -> bool:
    """Whether ``a`` is ``b`` again: the same kind between the same two people (either way
    round for allies and rivals), whatever its strength and notes."""
    mutual = b.kind in ("ally", "rival")
    ends = {(b.source, b.target)} | ({(b.target, b.source)} if mutual else set())
    return a.kind == b.kind and (a.source, a.target) in ends
