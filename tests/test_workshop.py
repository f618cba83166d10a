"""Rating rounds: aggregation (median, spread, disagreement ranking, ties), adoption into the
map, join codes, the room's anonymised map; on generated maps, not only the samples."""

from __future__ import annotations

import random
import statistics

import pytest

from stakemap.lenses.people import shown_map
from stakemap.model import Relationship, Stakeholder, StakeholderMap
from stakemap.room import rounds
from stakemap.room.rounds import Item, adopt, aggregate, hinges, rank_disagreement


def _generated_map(seed: int, n: int = 12) -> StakeholderMap:
    rng = random.Random(seed)
    people = tuple(
        Stakeholder(
            f"P{i} {rng.choice('ABCDEFG')}",
            power=rng.randint(1, 5),
            interest=rng.randint(1, 5),
            stance=rng.randint(-2, 2),
            role=f"role {i}",
            notes="secret",
        )
        for i in range(n)
    )
    names = [p.name for p in people]
    ties = tuple(
        Relationship(*rng.sample(names, 2), rng.randint(1, 5), "influences") for _ in range(n)
    )
    return StakeholderMap(people, ties)


@pytest.mark.parametrize(
    ("values", "median", "iqr"),
    [
        ([3], 3, 0),
        ([1, 5], 3, 4),
        ([2, 3], 2.5, 1),
        ([1, 2, 3, 4, 5], 3, 3),  # hinges 1.5 and 4.5
        ([1, 1, 1, 5], 1, 2),
        ([4, 4, 4, 4, 4, 4], 4, 0),
    ],
)
def test_median_and_spread(values, median, iqr):
    r = aggregate(Item("power", "Ana"), {f"p{i}": v for i, v in enumerate(values)})
    assert r.median == median
    assert r.spread == iqr
    assert (r.low, r.high, r.count) == (min(values), max(values), len(values))


def test_even_count_median_is_mean_of_middle_two_matching_statistics():
    rng = random.Random(7)
    for _ in range(200):
        values = [rng.randint(1, 5) for _ in range(rng.randint(1, 30))]
        r = aggregate(Item("interest", "X"), {str(i): v for i, v in enumerate(values)})
        assert r.median == statistics.median(values)
        assert 0 <= r.spread <= r.high - r.low
        assert 0 <= r.disagreement <= 0.5 + 1e-9


def hinge_iqr(values):
    lower, upper = hinges(values)
    return upper - lower


def test_hinges_ignore_the_middle_value_of_an_odd_count():
    assert hinge_iqr([1, 3, 5]) == 4
    assert hinge_iqr([1, 2, 3, 4]) == 2


def test_outliers_are_who_is_furthest_from_the_median():
    r = aggregate(Item("stance", "Ana"), {"Zoe": 2, "Ben": 0, "Cy": 0, "Di": -2, "Ed": 0})
    assert r.median == 0
    assert r.outliers == ("Di", "Zoe")  # a tie: both, by name
    assert aggregate(Item("stance", "Ana"), {"a": 1, "b": 1}).outliers == ()


def test_no_answers_no_result():
    assert aggregate(Item("power", "Ana"), {}) is None


def test_disagreement_ranking_and_its_tie_breaks():
    agree = aggregate(Item("power", "Ann"), {"a": 3, "b": 3, "c": 3})
    split = aggregate(Item("power", "Bob"), {"a": 1, "b": 5})
    mild = aggregate(Item("power", "Cat"), {"a": 2, "b": 3, "c": 3})
    # same disagreement and spread as mild, one answer fewer... and equal: map order decides
    twin_a = aggregate(Item("interest", "Dan"), {"a": 1, "b": 3})
    twin_b = aggregate(Item("interest", "Eve"), {"a": 1, "b": 3})
    ranked = rank_disagreement([agree, twin_b, mild, split, twin_a], ["Eve", "Dan"])
    assert [r.item.person for r in ranked][:1] == ["Bob"]
    assert [r.item.person for r in ranked][-1] == "Ann"
    names = [r.item.person for r in ranked]
    assert names.index("Eve") < names.index("Dan")  # equal on every measure: map order
    # the stance scale (-2..2) and power scale (1..5) are compared on the same footing
    stance = aggregate(Item("stance", "Fay"), {"a": -2, "b": 2})
    assert stance.disagreement == split.disagreement == 0.5


def test_snap_half_way_goes_towards_the_current_value():
    stance = rounds.SCALES["stance"]
    assert stance.snap(0.5, 0) == 0
    assert stance.snap(0.5, 2) == 1
    assert stance.snap(-1.5, -2) == -2
    assert stance.snap(-1.5, 1) == -1
    assert stance.snap(2.0, 0) == 2
    assert rounds.SCALES["power"].snap(3.5, None) == 3  # nothing held: the lower step


@pytest.mark.parametrize("attribute", ["power", "interest", "stance", "influence"])
def test_adopting_a_split_never_leaves_the_scale_steps(attribute):
    """Any room's answers, any current value, any facilitator choice: the adopted value is a
    whole step of the attribute's scale."""
    rng = random.Random(attribute)
    scale = rounds.SCALES[attribute]
    for _ in range(300):
        m = _generated_map(rng.randint(0, 10_000), n=6)
        a, b = rng.sample(m.names, 2)
        item = Item(attribute, a, b if attribute == "influence" else "")
        answers = {f"p{i}": rng.choice(scale.steps) for i in range(rng.randint(1, 9))}
        result = aggregate(item, answers)
        chosen = rng.choice([None, rng.uniform(-9, 9), result.median])
        plan = rounds.adoption(m, result, chosen)
        assert plan.value in scale.steps
        adopted = adopt(m, 1, [result], {item.key: chosen} if chosen is not None else None)
        if adopted is None:
            continue
        new = adopted[0]
        if attribute == "influence":
            ties = [r.strength for r in new.relationships if (r.source, r.target) == (b, a)]
            assert all(t in scale.steps for t in ties if t)
        else:
            assert getattr(new.get(a), attribute) in scale.steps


def test_adoption_note_shows_the_rounding_before_adopting():
    m = StakeholderMap((Stakeholder("Ana", power=4), Stakeholder("Ben", power=2)))
    split = {"x": 3, "y": 4}
    ana = rounds.adoption(m, aggregate(Item("power", "Ana"), split))
    ben = rounds.adoption(m, aggregate(Item("power", "Ben"), split))
    assert (ana.value, ben.value) == (4, 3)
    assert "3.5" in ana.note and "the side of the current 4" in ana.note
    assert "the side of the current 2" in ben.note
    agreed = rounds.adoption(m, aggregate(Item("power", "Ana"), {"x": 5}))
    assert agreed.note == ""


def test_scale_words_describe_medians_on_their_own_scale():
    assert rounds.SCALES["stance"].describe(-0.5) == "between Opponent and Neutral".replace(
        "Opponent", rounds.SCALES["stance"].word(-1)
    )
    assert rounds.SCALES["stance"].describe(0) == rounds.SCALES["stance"].word(0)
    assert rounds.SCALES["power"].describe(3) == "3 (medium)"


def test_adopt_medians_for_all_on_a_generated_map():
    m = _generated_map(3)
    people = [s.name for s in m.stakeholders if s.power != 5][:4]
    assert len(people) == 4
    people.append(next(s.name for s in m.stakeholders if s.power == 5))  # already there
    results = [aggregate(Item("power", p), {"x": 5, "y": 5, "z": 4}) for p in people]
    new, text = adopt(m, 2, results)
    for p in people:
        assert new.get(p).power == 5
    untouched = [p for p in m.names if p not in people]
    assert all(new.get(p) == m.get(p) for p in untouched)
    assert text == "Adopted round 2: power of 4 people"


def test_adopt_chosen_value_overrides_the_median_and_is_clamped():
    m = StakeholderMap((Stakeholder("Ana", stance=0), Stakeholder("Ben", stance=0)))
    res = [aggregate(Item("stance", n), {"x": 2, "y": 2}) for n in ("Ana", "Ben")]
    new, text = adopt(m, 1, res, chosen={res[1].item.key: -7})
    assert new.get("Ana").stance == 2
    assert new.get("Ben").stance == -2
    assert text == "Adopted round 1: stance of 2 people"


def test_adopt_even_split_stance_keeps_the_person():
    m = StakeholderMap((Stakeholder("Ana", stance=1),))
    res = [aggregate(Item("stance", "Ana"), {"x": 0, "y": 1, "z": 0, "w": 1})]
    assert adopt(m, 1, res) is None  # median 0.5, current Supporter: nothing changes


def test_adopt_influence_ties_adds_changes_and_removes():
    m = StakeholderMap(
        (Stakeholder("Ana"), Stakeholder("Ben"), Stakeholder("Cy")),
        (Relationship("Ben", "Ana", 2, "influences"), Relationship("Cy", "Ana", 1, "ally")),
    )
    results = [
        aggregate(Item("influence", "Ana", "Ben"), {"x": 4, "y": 4}),  # Ana listens to Ben: 4
        aggregate(Item("influence", "Ben", "Cy"), {"x": 3, "y": 2}),  # 2.5 snaps to 2 (no tie yet)
        aggregate(Item("influence", "Ana", "Cy"), {"x": 0}),  # no influences tie; ally kept
    ]
    new, text = adopt(m, 3, results)
    ties = {(r.source, r.target, r.kind): r.strength for r in new.relationships}
    assert ties[("Ben", "Ana", "influences")] == 4
    assert ties[("Cy", "Ben", "influences")] == 2
    assert ties[("Cy", "Ana", "ally")] == 1
    assert text == "Adopted round 3: influence of 2 ties"


def test_adopt_skips_people_removed_since_and_mixes_attributes():
    m = StakeholderMap((Stakeholder("Ana", power=1, interest=1),))
    res = [
        aggregate(Item("power", "Ana"), {"x": 3}),
        aggregate(Item("interest", "Ana"), {"x": 4}),
        aggregate(Item("power", "Gone"), {"x": 5}),
    ]
    new, text = adopt(m, 4, res)
    assert (new.get("Ana").power, new.get("Ana").interest) == (3, 4)
    assert text == "Adopted round 4: power of 1 person, interest of 1 person"


def test_items_for_caps_tie_questions_and_refuses_unknown_attributes():
    items = rounds.items_for([f"P{i}" for i in range(9)], ["influence"])
    assert len(items) == rounds.MAX_TIE_PEOPLE * (rounds.MAX_TIE_PEOPLE - 1)
    assert all(i.person != i.other for i in items)
    with pytest.raises(ValueError, match="Unknown attribute"):
        rounds.items_for(["A"], ["salary"])
    item = Item("influence", "A\u00e9", "B")
    assert Item.from_key(item.key) == item


def test_join_codes_are_random_unambiguous_and_normalised():
    drawn = [rounds.new_code() for _ in range(2000)]
    codes = set(drawn)
    # 31**6 codes: two of 2,000 draws coincide one run in ~450 (birthday bound), so
    # demanding all distinct would flake; three or more repeats has odds below 1e-8.
    assert len(codes) >= len(drawn) - 2
    # Every letter turns up at every place (each ~65 times; one missing: odds < 1e-25).
    for place in range(rounds.CODE_LENGTH):
        assert {c[place] for c in codes} == set(rounds.CODE_ALPHABET)
    assert all(len(c) == 6 and not set(c) & set("01OIL") for c in codes)
    code = next(iter(codes))
    assert rounds.normalise_code(f" {code.lower()[:3]}-{code[3:]} ") == code
    for bad in ("", "ABC", "ABCDEFG", "ABCDE0", "' OR 1", "\x00" * 6):
        assert rounds.normalise_code(bad) is None
    assert rounds.new_code(taken=codes) not in codes


@pytest.mark.parametrize("mode", ["initials", "letters"])
def test_room_map_hides_every_name_and_description(mode):
    m = _generated_map(11)
    m = StakeholderMap(
        m.stakeholders,
        m.relationships,
        positions={n: (1.0, 2.0) for n in m.names},
    )
    room = shown_map(m, mode)
    text = repr(room.to_dict())
    assert not any(name in text for name in m.names)
    assert "secret" not in text and "role 1" not in text
    assert len(room.relationships) == len(m.relationships)
    assert set(room.positions) == set(room.names)
    named = shown_map(m, "names")
    assert named.names == m.names and "secret" not in repr(named.to_dict())  # notes never
