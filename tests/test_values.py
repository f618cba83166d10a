"""Cell values as people write them: every scale, stance word, decision role and kind."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from stakemap.model import DECISION_ROLES, RELATIONSHIP_KINDS
from stakemap.values import (
    STANCE_ACCEPTED,
    BadValue,
    cell_text,
    infer_scale,
    infer_stance_scale,
    parse_choice,
    parse_number,
    parse_scale,
    parse_share,
    parse_stance,
    parse_strength,
    parse_tags,
)

# -- numbers and scales -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "level"),
    [
        ("High", 5), ("H", 5), ("h", 5), ("hi", 5), ("  HIGH ", 5), ("Very  high", 5),
        ("Medium", 3), ("M", 3), ("med", 3), ("moderate", 3), ("mid", 3),
        ("Low", 1), ("L", 1), ("lo", 1), ("very low", 1),
    ],
)  # fmt: skip
def test_level_words_give_1_3_5_on_every_scale(word: str, level: int) -> None:
    for scale in ("1-5", "1-10", "0-100%", "0-1"):
        assert parse_scale(word, scale) == level


@pytest.mark.parametrize(
    ("value", "scale", "expected"),
    [
        (1, "1-5", 1.0), (5, "1-5", 5.0), ("3", "1-5", 3.0), (4.5, "1-5", 4.5),
        (1, "1-10", 1.0), (10, "1-10", 5.0), (5.5, "1-10", 3.0), ("7", "1-10", 3.67),
        (0, "0-100%", 1.0), (100, "0-100%", 5.0), ("50%", "0-100%", 3.0), ("75 %", "0-100%", 4.0),
        (0.8, "0-1", 4.2), (0.25, "0-1", 2.0), (1, "0-1", 5.0), (0, "0-1", 1.0),
    ],
)  # fmt: skip
def test_each_scale_is_rescaled_to_1_5(value: object, scale: str, expected: float) -> None:
    assert parse_scale(value, scale) == expected


@pytest.mark.parametrize(
    ("text", "scale", "expected"),
    [("3,5", "1-5", 3.5), ("7,5", "1-10", 3.89), ("62,5%", "0-100%", 3.5), ("0,5", "0-1", 3.0)],
)
def test_decimal_commas_are_read(text: str, scale: str, expected: float) -> None:
    assert parse_scale(text, scale) == expected


def test_parse_number_forms() -> None:
    assert parse_number(" 80 % ") == (80.0, True)
    assert parse_number("-2,5") == (-2.5, False)
    assert parse_number("+3") == (3.0, False)
    assert parse_number(4) == (4.0, False)
    assert parse_number(True) is None
    assert parse_number(float("nan")) is None
    assert parse_number("inf") is None
    assert parse_number("1.000,5") is None  # thousands separators are not guessed
    assert parse_number("") is None


@pytest.mark.parametrize(
    ("value", "scale", "problem"),
    [
        (-1, "1-5", "is outside 1-5"),
        ("0", "1-5", "is outside 1-5"),
        (11, "1-10", "is outside 1-10"),
        (150, "0-100%", "is outside 0-100%"),
        ("-5%", "0-100%", "is outside 0-100%"),
        ("lots", "1-5", "is not a number or a level word"),
        (dt.date(2024, 1, 1), "1-5", "is not a number or a level word"),
    ],
)
def test_out_of_range_and_non_numbers_are_refused(value: object, scale: str, problem: str) -> None:
    with pytest.raises(BadValue) as info:
        parse_scale(value, scale)
    assert info.value.problem == problem
    assert info.value.accepted == f"a number on the {scale} scale, or High/Medium/Low"


@pytest.mark.parametrize(
    ("values", "scale"),
    [
        ([1, 5, "3"], "1-5"),
        (["High", 4, "L"], "1-5"),
        ([], "1-5"),
        ([1.0, 1.0], "1-5"),
        ([2, 7], "1-10"),
        (["7,5", 2], "1-10"),
        ([10, 1], "1-10"),
        (["80%"], "0-100%"),
        (["80%", 3], "0-100%"),
        ([50, 3], "0-100%"),
        ([0.25, 1], "0-1"),
        ([0.8, 0.6, 0], "0-1"),
        ([-1, 3], "1-5"),
    ],
)
def test_infer_scale(values: list[object], scale: str) -> None:
    assert infer_scale(values) == scale


# -- stances ----------------------------------------------------------------------------------

COMMON = {"Blocker": -2, "Critic": -1, "Neutral": 0, "Supporter": 1, "Champion": 2}
SPECTRUM_OF_ALLIES = {
    "Active ally": 2,
    "Passive ally": 1,
    "Neutral": 0,
    "Passive opposition": -1,
    "Active opposition": -2,
}
PMBOK = {"Leading": 2, "Supportive": 1, "Neutral": 0, "Resistant": -1}


@pytest.mark.parametrize(
    ("word", "stance"), [*COMMON.items(), *SPECTRUM_OF_ALLIES.items(), *PMBOK.items()]
)
def test_stance_words_of_the_three_scales(word: str, stance: int) -> None:
    assert parse_stance(word) == (stance, False)
    assert parse_stance(f"  {word.upper()}  ") == (stance, False)
    assert parse_stance(word.replace(" ", "   ")) == (stance, False)


@pytest.mark.parametrize(("word", "stance"), [("Supports", 1), ("against", -1), ("Blocks", -2)])
def test_stance_words_seen_in_the_wild(word: str, stance: int) -> None:
    assert parse_stance(word) == (stance, False)


def test_unaware_is_stance_zero_and_keeps_the_engagement_level() -> None:
    assert parse_stance("Unaware") == (0, True)
    assert parse_stance(" unaware ") == (0, True)


@pytest.mark.parametrize(
    ("value", "stance"), [("+2", 2), ("-2", -2), (0, 0), ("1", 1), (-1.0, -1), ("-1,0", -1)]
)
def test_stance_numbers(value: object, stance: int) -> None:
    assert parse_stance(value) == (stance, False)


@pytest.mark.parametrize(("value", "stance"), [(1, -2), (2, -1), (3, 0), (4, 1), (5, 2)])
def test_stance_on_a_1_to_5_scale(value: int, stance: int) -> None:
    assert parse_stance(value, "1-5") == (stance, False)


def test_infer_stance_scale() -> None:
    assert infer_stance_scale([1, 3, 5]) == "1-5"
    assert infer_stance_scale(["Champion", 4, 2]) == "1-5"
    assert infer_stance_scale([-2, 0, 2]) == "-2..+2"
    assert infer_stance_scale([1, 2]) == "-2..+2"
    assert infer_stance_scale([0, 3]) == "-2..+2"
    assert infer_stance_scale([]) == "-2..+2"


@pytest.mark.parametrize(
    ("value", "scale", "problem"),
    [
        ("Maybe", "-2..+2", "is not a stance word"),
        ("3", "-2..+2", "is outside -2..+2"),
        (-3, "-2..+2", "is outside -2..+2"),
        (1.5, "-2..+2", "is outside -2..+2"),
        (6, "1-5", "is outside 1-5"),
        (0, "1-5", "is outside 1-5"),
    ],
)
def test_unknown_stances_are_refused(value: object, scale: str, problem: str) -> None:
    with pytest.raises(BadValue) as info:
        parse_stance(value, scale)
    assert info.value.problem == problem
    assert info.value.accepted == (STANCE_ACCEPTED)


# -- decision roles, relationship kinds, strengths, shares, tags --------------------------------


@pytest.mark.parametrize(
    ("word", "role"),
    [
        ("decider", "decider"), ("Decision maker", "decider"), ("decision-maker", "decider"),
        ("Approver", "decider"), ("primary target", "decider"),
        ("VETO", "veto"), ("veto holder", "veto"), ("veto player", "veto"),
        ("influencer", "influencer"), ("secondary target", "influencer"),
        ("third party", "third party"), ("3rd party", "third party"),
        ("Third-party", "third party"), ("external", "third party"), ("  ", ""),
    ],
)  # fmt: skip
def test_decision_roles(word: str, role: str) -> None:
    assert parse_choice(word, "Decision role") == role
    assert role in (*DECISION_ROLES, "")


def test_unknown_decision_role_says_what_is_accepted() -> None:
    with pytest.raises(BadValue) as info:
        parse_choice("boss", "Decision role")
    assert info.value.problem == "is not a known decision role"
    assert info.value.accepted == "decider, veto, informal veto, influencer, third party"


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("influences", "influences"), ("Influence", "influences"), ("influencer", "influences"),
        ("defers to", "defers to"), ("Defers", "defers to"), ("listens to", "defers to"),
        ("reports to", "reports to"), ("REPORTS", "reports to"), ("report to", "reports to"),
        ("ally", "ally"), ("Allies", "ally"), ("friend", "ally"),
        ("rival", "rival"), ("rivalry", "rival"), ("opposes", "rival"),
    ],
)  # fmt: skip
def test_relationship_kinds(word: str, kind: str) -> None:
    assert parse_choice(word, "Kind") == kind
    assert kind in RELATIONSHIP_KINDS


def test_empty_choice_cells_are_blank() -> None:
    assert parse_choice(None, "Kind") == ""
    assert parse_choice(None, "Decision role") == ""


def test_unknown_relationship_kind_says_what_is_accepted() -> None:
    with pytest.raises(BadValue) as info:
        parse_choice("enemy", "Kind")
    assert info.value.problem == "is not a known kind"
    assert info.value.accepted == "influences, defers to, reports to, ally, rival"


@pytest.mark.parametrize(
    ("value", "strength"),
    [
        ("-2", -2.0),
        (5, 5.0),
        (-5, -5.0),
        ("2,5", 2.5),
        ("High", 5.0),
        ("Strong", 5.0),
        (" weak ", 1.0),
    ],
)
def test_strengths(value: object, strength: float) -> None:
    assert parse_strength(value) == strength


@pytest.mark.parametrize(
    ("value", "problem"),
    [(6, "is outside -5..5"), ("-7", "is outside -5..5"), ("x", "is not a number")],
)
def test_bad_strengths(value: object, problem: str) -> None:
    with pytest.raises(BadValue, match=problem):
        parse_strength(value)


@pytest.mark.parametrize(
    ("value", "share"),
    [("60%", 0.6), (0.6, 0.6), ("60", 0.6), ("0,75", 0.75), ("100%", 1.0), (1, 1.0), ("5 %", 0.05)],
)
def test_pass_shares(value: object, share: float) -> None:
    assert parse_share(value) == (Fraction(repr(share)), "")


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("150%", "is outside 0-100%"),
        ("0", "is outside 0-100%"),
        ("-10", "is outside 0-100%"),
        ("101", "is outside 0-100%"),
        ("lots", "is not a share"),
    ],
)
def test_pass_share_out_of_range(value: object, problem: str) -> None:
    with pytest.raises(BadValue) as info:
        parse_share(value)
    accepted = "a share such as 50%, 2/3, 66 2/3% or 0.6"
    assert (info.value.problem, info.value.accepted) == (problem, accepted)


def test_tags() -> None:
    tags = parse_tags("finance, Operations; FINANCE\nclients")
    assert tags == ("finance", "Operations", "clients")
    assert parse_tags("  client   needs ,, ") == ("client needs",)
    assert parse_tags(None) == ()
    assert parse_tags("李娜, 田中") == ("李娜", "田中")


def test_cell_text() -> None:
    assert cell_text(3.0) == "3"
    assert cell_text(3.25) == "3.25"
    assert cell_text("  Zoë  ") == "Zoë"
    assert cell_text(None) == ""
    assert cell_text(False) == "FALSE"
    assert cell_text(dt.datetime(2024, 5, 1)) == "2024-05-01"
    assert cell_text(dt.datetime(2024, 5, 1, 9, 30)) == "2024-05-01 09:30:00"
    assert cell_text(dt.date(2024, 5, 1)) == "2024-05-01"
    assert cell_text(float("inf")) == "inf"
