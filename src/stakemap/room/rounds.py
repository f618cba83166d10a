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

from stakemap.language import N_, ngettext
from stakemap.language import gettext as _
from stakemap.model import Relationship, StakeholderMap

__all__ = [
    "ATTRIBUTES",
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "SCALES",
    "VIEWS",
    "Adoption",
    "Item",
    "ItemResult",
    "Scale",
    "adopt",
    "adoption",
    "aggregate",
    "hinges",
    "items_for",
    "new_code",
    "normalise_code",
    "outliers",
    "rank_disagreement",
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
    """The answers a participant can give for an attribute, the question asked, and a word
    for each whole step, so an answer and a median read on the scale they were asked in.
    ``question`` and ``words`` are English messages, translated where they are shown (the
    room's phones and facilitator may each speak their own language)."""

    low: int
    high: int
    question: str
    words: tuple[str, ...]
    numbered: bool = True  # "4 (high)"; False: the word alone, as for stance

    @property
    def width(self) -> int:
        return self.high - self.low

    @property
    def steps(self) -> tuple[int, ...]:
        return tuple(range(self.low, self.high + 1))

    def word(self, step: int) -> str:
        """The word of a whole step of the scale, in the language in force.

        >>> SCALES["stance"].word(1), SCALES["power"].word(4)
        ('Supporter', 'high')
        """
        return _(self.words[step - self.low])

    def describe(self, value: float) -> str:
        """A value in the scale's words: a whole step, or where a median between two lies.

        >>> SCALES["power"].describe(4), SCALES["power"].describe(3.5)
        ('4 (high)', '3.5 (between medium and high)')
        >>> SCALES["stance"].describe(-1), SCALES["stance"].describe(0.5)
        ('Critic', 'between Neutral and Supporter')
        """
        value = max(self.low, min(self.high, value))
        below, above = math.floor(value), math.ceil(value)
        if below == above:
            words = self.word(below)
            return _("{value} ({word})").format(value=below, word=words) if self.numbered else words
        words = _("between {low} and {high}").format(low=self.word(below), high=self.word(above))
        return (
            _("{value} ({word})").format(value=f"{value:g}", word=words) if self.numbered else words
        )

    def snap(self, value: float, current: float | None = None) -> int:
        """``value`` on a whole step of the scale: the nearest one, and a value half-way
        between two (an even room split between neighbours) on the side of ``current``, the
        value the map holds now, since a split room has not moved the person (the lower
        step when nothing is held or it lies between the two).

        >>> s = SCALES["power"]
        >>> s.snap(3.5, 4), s.snap(3.5, 2), s.snap(3.4, 5), s.snap(9), s.snap(2.5)
        (4, 3, 3, 5, 2)
        """
        value = max(self.low, min(self.high, value))
        below, above = math.floor(value), math.ceil(value)
        if value - below != 0.5:
            return round(value)
        return above if current is not None and current >= above else below


_LEVELS = (N_("very low"), N_("low"), N_("medium"), N_("high"), N_("very high"))
#: The stance words, -2 to 2: the model's (stakemap.model.STANCE_LABELS), marked here too.
_STANCES = (N_("Blocker"), N_("Critic"), N_("Neutral"), N_("Supporter"), N_("Champion"))
SCALES: dict[str, Scale] = {
    "power": Scale(1, 5, N_("How much power does {person} have over this decision?"), _LEVELS),
    "interest": Scale(1, 5, N_("How interested is {person} in this?"), _LEVELS),
    "stance": Scale(-2, 2, N_("Where does {person} stand on this?"), _STANCES, numbered=False),
    "influence": Scale(
        0,
        5,
        N_("How much does {person} listen to {other} on this?"),
        (
            N_("not at all"),
            N_("barely"),
            N_("a little"),
            N_("somewhat"),
            N_("a lot"),
            N_("completely"),
        ),
    ),
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
        """The question in plain words, in the language in force, with ``labels`` for the
        names (anonymised rooms).

        >>> Item("influence", "Ana", "Ben").question()
        'How much does Ana listen to Ben on this?'
        """
        label = (labels or {}).get
        return _(self.scale.question).format(
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


def hinges(values: Sequence[float]) -> tuple[float, float]:
    """Tukey's hinges: the medians of the lower and the upper half, the middle value (odd
    count) left out of both. For the handful of answers a room gives, hinges stay on the
    answer scale and need no interpolation rule.

    >>> hinges([1, 1, 1, 5]), hinges([2, 3, 4]), hinges([3])
    ((1.0, 3.0), (2.0, 4.0), (3.0, 3.0))
    """
    ordered = sorted(values)
    n = len(ordered)
    if n < 2:
        return float(ordered[0]), float(ordered[0])
    half = n // 2
    return float(_median(ordered[:half])), float(_median(ordered[n - half :]))


@dataclass(frozen=True)
class ItemResult:
    """The room's answers to one question.

    ``median`` is the statistical median (an even count: the mean of the two middle values,
    so 2 and 3 give 2.5); ``lower`` and ``upper`` are the hinges (:func:`hinges`) and
    ``spread`` the distance between them; ``disagreement`` is the mean
    absolute deviation from the median over the scale's width (0: everyone agrees, 0.5:
    the room is split between the two ends), the key of the discussion agenda; ``outliers``
    are the participants furthest from the median.
    """

    item: Item
    answers: dict[str, int]
    median: float
    lower: float
    upper: float
    low: int
    high: int
    disagreement: float
    outliers: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.answers)

    @property
    def spread(self) -> float:
        return self.upper - self.lower


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
    lower, upper = hinges(values)
    return ItemResult(
        item=item,
        answers=dict(answers),
        median=centre,
        lower=lower,
        upper=upper,
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


@dataclass(frozen=True)
class Adoption:
    """What adopting one result writes: ``value``, a whole step of the question's scale, for
    the room's ``median`` (or the facilitator's choice), against ``current`` in the map."""

    result: ItemResult
    value: int
    current: float | None

    @property
    def note(self) -> str:
        """Why the value is not the median as it stands, or "" when it is.

        >>> r = aggregate(Item("power", "Ana"), {"x": 3, "y": 4})
        >>> Adoption(r, 4, 4.0).note
        'median 3.5 (between medium and high): 4, the side of the current 4'
        """
        scale, median = self.result.item.scale, self.result.median
        if median == self.value:
            return ""
        shown = scale.describe(median)
        shown = (
            shown
            if scale.numbered
            else _("{value} ({word})").format(value=f"{median:g}", word=shown)
        )
        if median - math.floor(median) == 0.5 and scale.snap(median, self.current) == self.value:
            if self.current is None:
                return _("median {median}: {value}, the lower step").format(
                    median=shown, value=self.value
                )
            now = (
                f"{max(scale.low, min(scale.high, self.current)):g}"
                if scale.numbered
                else scale.describe(self.current)
            )
            return _("median {median}: {value}, the side of the current {current}").format(
                median=shown, value=self.value, current=now
            )
        return _("median {median}: {value} chosen").format(median=shown, value=self.value)


def adoption(m: StakeholderMap, result: ItemResult, chosen: float | None = None) -> Adoption:
    """The whole step adopting ``result`` writes: the median (or ``chosen``) snapped onto
    the scale (:meth:`Scale.snap`), a half-way median going to the side of the value the map
    holds now.

    >>> from stakemap.model import Stakeholder
    >>> m = StakeholderMap((Stakeholder("Ana", stance=1),))
    >>> adoption(m, aggregate(Item("stance", "Ana"), {"x": 0, "y": 1})).value
    1
    """
    current = _current(m, result.item)
    value = result.median if chosen is None else chosen
    return Adoption(result, result.item.scale.snap(value, current), current)


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


#: The attributes as a history line names them (lower case, mid-sentence).
_ATTRIBUTE_WORDS = {
    "power": N_("power"),
    "interest": N_("interest"),
    "stance": N_("stance"),
}


def adopt(
    m: StakeholderMap,
    round_number: int,
    results: Iterable[ItemResult],
    chosen: Mapping[str, float] | None = None,
) -> tuple[StakeholderMap, str] | None:
    """The map with the room's answers written in: each result's median, or the value in
    ``chosen`` (by :attr:`Item.key`), on a whole step of the scale (:func:`adoption`).
    Returns the new map and its history line, or None when nothing would change (people
    no longer on the map are skipped).

    >>> from stakemap.model import Stakeholder
    >>> m = StakeholderMap((Stakeholder("Ana", power=2), Stakeholder("Ben", power=2)))
    >>> rs = [aggregate(Item("power", n), {"x": 4, "y": 5}) for n in ("Ana", "Ben")]
    >>> new, text = adopt(m, 2, rs)
    >>> [s.power for s in new.stakeholders], text
    ([4.0, 4.0], 'Adopted round 2: power of 2 people')
    """
    chosen = chosen or {}
    changed: dict[str, set[str]] = {}
    for result in results:
        item = result.item
        if m.get(item.person) is None or (item.other and m.get(item.other) is None):
            continue
        value = adoption(m, result, chosen.get(item.key)).value
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
        ngettext("influence of {n} tie", "influence of {n} ties", len(who)).format(n=len(who))
        if attribute == "influence"
        else ngettext("{attribute} of {n} person", "{attribute} of {n} people", len(who)).format(
            attribute=_(_ATTRIBUTE_WORDS[attribute]), n=len(who)
        )
        for attribute, who in sorted(changed.items(), key=lambda kv: ATTRIBUTES.index(kv[0]))
    ]
    return m, _("Adopted round {number}: {changes}").format(
        number=round_number, changes=_(", ").join(parts)
    )
