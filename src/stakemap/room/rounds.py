"""Workshop sessions: join codes, rating rounds, their aggregation and adoption into the map.

Pure Python (no streamlit, no database): :mod:`stakemap.room.sessions` keeps sessions,
participants, rounds and answers; the pages draw them. The aggregation follows the usual
Delphi practice of reporting the group's median and interquartile range to the room
(Dalkey & Helmer, "An experimental application of the Delphi method", 1963; von der Gracht,
"Consensus measurement in Delphi studies", 2012): the median resists one extreme answer,
the IQR says how far the room is from agreeing.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from statistics import median as _median

from stakemap.model import Relationship, StakeholderMap, stance_label

__all__ = [
    "ATTRIBUTES",
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "SCALES",
    "VIEWS",
    "Item",
    "ItemResult",
    "Scale",
    "adopt",
    "aggregate",
    "hinge_iqr",
    "items_for",
    "new_code",
    "normalise_code",
    "outliers",
    "rank_disagreement",
    "round_stance",
]

#: Unambiguous letters and digits: no 0/O, 1/I/L, so a code read off a projector is typed right.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
#: 31**6: about 887 million codes; with guesses throttled (stakemap.room.access) guessing is
#: hopeless.
CODE_LENGTH = 6
#: What the projector (and every follow view) shows.
VIEWS = ("lens", "network", "plan")


@dataclass(frozen=True)
class Scale:
    """The answers a participant can give for an attribute, and the question asked."""

    low: int
    high: int
    question: str

    @property
    def width(self) -> int:
        return self.high - self.low


SCALES: dict[str, Scale] = {
    "power": Scale(1, 5, "How much power does {person} have over this decision?"),
    "interest": Scale(1, 5, "How interested is {person} in this?"),
    "stance": Scale(-2, 2, "Where does {person} stand on this?"),
    "influence": Scale(0, 5, "How much does {person} listen to {other} on this?"),
}
ATTRIBUTES = tuple(SCALES)
#: Most people a tie round asks about: every ordered pair of them is a question (5 -> 20).
MAX_TIE_PEOPLE = 5


@dataclass(frozen=True, order=True)
class Item:
    """One question of a round: ``attribute`` of ``person``; for ``influence``, how much
    ``person`` listens to ``other`` (an answer above 0 is a tie ``other`` -> ``person``)."""

    attribute: str
    person: str
    other: str = ""

    @property
    def key(self) -> str:
        """A stable text key (stored with each answer)."""
        return "\x1f".join((self.attribute, self.person, self.other))

    @classmethod
    def from_key(cls, key: str) -> Item:
        attribute, person, other = key.split("\x1f")
        return cls(attribute, person, other)

    @property
    def scale(self) -> Scale:
        return SCALES[self.attribute]

    def question(self, labels: Mapping[str, str] | None = None) -> str:
        """The question in plain words, with ``labels`` for the names (anonymised rooms).

        >>> Item("influence", "Ana", "Ben").question()
        'How much does Ana listen to Ben on this?'
        """
        label = (labels or {}).get
        return self.scale.question.format(
            person=label(self.person, self.person), other=label(self.other, self.other)
        )


def items_for(people: Sequence[str], attributes: Iterable[str]) -> tuple[Item, ...]:
    """The questions of a round on ``people`` and ``attributes``: one a person and attribute;
    for ``influence``, one an ordered pair of the first :data:`MAX_TIE_PEOPLE` people.

    >>> [i.key.replace("\\x1f", "/") for i in items_for(["Ana", "Ben"], ["power", "influence"])]
    ['power/Ana/', 'power/Ben/', 'influence/Ana/Ben', 'influence/Ben/Ana']
    """
    items: list[Item] = []
    for attribute in attributes:
        if attribute not in SCALES:
            raise ValueError(f"Unknown attribute {attribute!r}: one of {', '.join(ATTRIBUTES)}")
        if attribute == "influence":
            few = list(people)[:MAX_TIE_PEOPLE]
            items += [Item(attribute, a, b) for a in few for b in few if a != b]
        else:
            items += [Item(attribute, p) for p in people]
    return tuple(items)


# ---------------------------------------------------------------- join codes


def new_code(taken: Iterable[str] = ()) -> str:
    """A random join code from :data:`CODE_ALPHABET` (``secrets``), not one in ``taken``.

    >>> code = new_code()
    >>> len(code), set(code) <= set(CODE_ALPHABET)
    (6, True)
    """
    used = set(taken)
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in used:
            return code


def normalise_code(text: str) -> str | None:
    """A typed code in canonical form (upper case, no spaces or dashes), or None if it
    cannot be a code, so that nonsense never reaches the store.

    >>> normalise_code(" abc-def "), normalise_code("ABC10O")
    ('ABCDEF', None)
    """
    code = "".join(str(text).split()).replace("-", "").upper()
    if len(code) != CODE_LENGTH or not set(code) <= set(CODE_ALPHABET):
        return None
    return code


# ---------------------------------------------------------------- aggregation


def hinge_iqr(values: Sequence[float]) -> float:
    """Interquartile range by Tukey's hinges: the median of the upper half minus that of the
    lower half, the middle value (odd count) left out of both. For the handful of answers a
    room gives, hinges stay on the answer scale and need no interpolation rule.

    >>> hinge_iqr([1, 1, 1, 5]), hinge_iqr([2, 3, 4]), hinge_iqr([3])
    (2.0, 2.0, 0.0)
    """
    ordered = sorted(values)
    n = len(ordered)
    if n < 2:
        return 0.0
    half = n // 2
    return float(_median(ordered[n - half :]) - _median(ordered[:half]))


@dataclass(frozen=True)
class ItemResult:
    """The room's answers to one question.

    ``median`` is the statistical median (an even count: the mean of the two middle values,
    so 2 and 3 give 2.5); ``spread`` is :func:`hinge_iqr`; ``disagreement`` is the mean
    absolute deviation from the median over the scale's width (0: everyone agrees, 0.5:
    the room is split between the two ends), the key of the discussion agenda; ``outliers``
    are the participants furthest from the median.
    """

    item: Item
    answers: dict[str, int]
    median: float
    spread: float
    low: int
    high: int
    disagreement: float
    outliers: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.answers)


def outliers(answers: Mapping[str, float], centre: float) -> tuple[str, ...]:
    """Who is furthest from ``centre`` (all of them on a tie, by name); nobody if all agree.

    >>> outliers({"p1": 2, "p2": 2, "p3": 5, "p4": -1}, 2)
    ('p3', 'p4')
    """
    far = max((abs(v - centre) for v in answers.values()), default=0)
    if far == 0:
        return ()
    return tuple(sorted(p for p, v in answers.items() if abs(v - centre) == far))


def aggregate(item: Item, answers: Mapping[str, int]) -> ItemResult | None:
    """Median, spread, range, disagreement and outliers of one question (None: no answers).

    >>> r = aggregate(Item("power", "Ana"), {"a": 2, "b": 3, "c": 5, "d": 2})
    >>> r.median, r.spread, r.disagreement, r.outliers
    (2.5, 2.0, 0.25, ('c',))
    """
    if not answers:
        return None
    values = list(answers.values())
    centre = float(_median(values))
    deviation = sum(abs(v - centre) for v in values) / len(values)
    return ItemResult(
        item=item,
        answers=dict(answers),
        median=centre,
        spread=hinge_iqr(values),
        low=min(values),
        high=max(values),
        disagreement=round(deviation / item.scale.width, 6),
        outliers=outliers(answers, centre),
    )


def rank_disagreement(results: Iterable[ItemResult], order: Sequence[str] = ()) -> list[ItemResult]:
    """The discussion agenda: most disagreement first; ties by larger spread, then wider range,
    then more answers, then the map's order of people (``order``), then the question's key.

    >>> a = aggregate(Item("power", "Ana"), {"x": 1, "y": 5})
    >>> b = aggregate(Item("power", "Ben"), {"x": 3, "y": 3})
    >>> [r.item.person for r in rank_disagreement([b, a])]
    ['Ana', 'Ben']
    """
    position = {name: i for i, name in enumerate(order)}

    def key(r: ItemResult) -> tuple:
        return (
            -r.disagreement,
            -r.spread,
            -(r.high - r.low),
            -r.count,
            position.get(r.item.person, len(position)),
            r.item.key,
        )

    return sorted(results, key=key)


def round_stance(value: float, current: int) -> int:
    """A stance median on the -2..+2 scale as a whole stance. A half-way median (an even room
    split between two neighbours, e.g. 0.5 between Neutral and Supporter) goes to the
    neighbour on the side of the person's current stance: a split room has not moved them.

    >>> round_stance(0.5, 1), round_stance(0.5, -2), round_stance(1.5, 2), round_stance(-1, 0)
    (1, 0, 2, -1)
    """
    low = math.floor(value)
    if value == low:
        return int(value)
    return low + 1 if current >= low + 1 else low


# ---------------------------------------------------------------- adoption


def _value_for(m: StakeholderMap, result: ItemResult, chosen: float | None) -> float:
    value = result.median if chosen is None else chosen
    scale = result.item.scale
    value = max(scale.low, min(scale.high, value))
    if result.item.attribute == "stance":
        person = m.get(result.item.person)
        return round_stance(value, person.stance if person else 0)
    return value


def _with_tie(m: StakeholderMap, listener: str, speaker: str, strength: float) -> StakeholderMap:
    """The map with the influence tie speaker -> listener set to ``strength`` (0 removes it);
    other kinds of tie between them (allies, rivals, reporting lines) are left alone."""
    kept = tuple(
        r
        for r in m.relationships
        if not (r.kind == "influences" and (r.source, r.target) == (speaker, listener))
    )
    if strength > 0:
        kept += (Relationship(speaker, listener, float(strength), "influences"),)
    return replace(m, relationships=kept)


def _current(m: StakeholderMap, item: Item) -> float | None:
    if item.attribute == "influence":
        ties = [
            r.strength
            for r in m.relationships
            if r.kind == "influences" and (r.source, r.target) == (item.other, item.person)
        ]
        return ties[0] if ties else 0.0
    person = m.get(item.person)
    return None if person is None else float(getattr(person, item.attribute))


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def adopt(
    m: StakeholderMap,
    round_number: int,
    results: Iterable[ItemResult],
    chosen: Mapping[str, float] | None = None,
) -> tuple[StakeholderMap, str] | None:
    """The map with the room's answers written in: each result's median, or the value in
    ``chosen`` (by :attr:`Item.key`); medians rounded as :func:`round_stance` says for stance.
    Returns the new map and its history line, or None when nothing would change (people
    no longer on the map are skipped).

    >>> from stakemap.model import Stakeholder
    >>> m = StakeholderMap((Stakeholder("Ana", power=2), Stakeholder("Ben", power=2)))
    >>> rs = [aggregate(Item("power", n), {"x": 4, "y": 5}) for n in ("Ana", "Ben")]
    >>> new, text = adopt(m, 2, rs)
    >>> [s.power for s in new.stakeholders], text
    ([4.5, 4.5], 'Adopted round 2: power of 2 people')
    """
    chosen = chosen or {}
    changed: dict[str, set[str]] = {}
    for result in results:
        item = result.item
        if m.get(item.person) is None or (item.other and m.get(item.other) is None):
            continue
        value = _value_for(m, result, chosen.get(item.key))
        if _current(m, item) == value:
            continue
        if item.attribute == "influence":
            m = _with_tie(m, item.person, item.other, value)
            changed.setdefault("influence", set()).add(f"{item.other}->{item.person}")
        else:
            field_value = int(value) if item.attribute == "stance" else float(value)
            m = m.with_stakeholder(item.person, **{item.attribute: field_value})
            changed.setdefault(item.attribute, set()).add(item.person)
    if not changed:
        return None
    parts = [
        f"{attribute} of "
        + (
            _count(len(who), "tie", "ties")
            if attribute == "influence"
            else _count(len(who), "person", "people")
        )
        for attribute, who in sorted(changed.items(), key=lambda kv: ATTRIBUTES.index(kv[0]))
    ]
    return m, f"Adopted round {round_number}: {', '.join(parts)}"


def describe_value(item: Item, value: float) -> str:
    """An answer in words: stance words for stance, the number otherwise.

    >>> describe_value(Item("stance", "Ana"), 1), describe_value(Item("power", "Ana"), 2.5)
    ('Supporter', '2.5')
    """
    if item.attribute == "stance" and value == int(value):
        return stance_label(value)
    return f"{value:g}"


# ---------------------------------------------------------------- what the room sees
