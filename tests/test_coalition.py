"""The coalition planner's JSON and text contracts and its printed shares (the story, the
decision body and the model are in test_planner.py)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stakemap.model import Stakeholder, StakeholderMap
from stakemap.planning.planner import (
    percent,
    plan,
    plan_to_json,
    plan_to_text,
    point_change,
    share_digits,
)
from stakemap.samples import new_programme

EPS = 1e-9

OMAR, PRIYA, ROSA, TOM, LENA = (
    "Omar Haddad",
    "Priya Nair",
    "Rosa Mendes",
    "Tom Becker",
    "Lena Fischer",
)
VICTOR, GRACE, MAYA = "Dr Victor Hale", "Grace Kim", "Maya Lin"
FINANCE = "Financial modelling module and its pilot training"


@pytest.fixture(scope="module")
def story():
    return plan(new_programme())


# --- contracts --------------------------------------------------------------------------


def test_json_shape_matches_the_cli_contract(story):
    data = plan_to_json(story)
    json.dumps(data)
    assert list(data) == [
        "title",
        "champion",
        "pass_share",
        "support_share_before",
        "decision_body",
        "advice",
        "steps",
        "close",
        "not_approached",
        "method",
        "optimal",
        "gap",
        "effort",
        "proven_none",
        "unlock",
    ]  # the optimiser's fields come after the first planner's: old readers are unaffected
    assert list(data["steps"][0]) == [
        "order",
        "name",
        "phase",
        "messengers",
        "ask",
        "reason",
        "support_share_after",
        "wins",
        "details",
    ]
    assert list(data["close"]) == ["ready", "support_share", "isolated", "reason", "confidence"]
    assert [s["order"] for s in data["steps"]] == list(range(1, len(data["steps"]) + 1))
    assert {s["phase"] for s in data["steps"]} <= {"allies", "persuade", "align", "close"}
    assert data["champion"] == MAYA and data["close"]["isolated"] == [VICTOR]


def test_text_plan_is_numbered(story):
    text = plan_to_text(story)
    assert "1. [allies] Omar Haddad" in text
    assert "6. [close] Dr Victor Hale via Rosa Mendes, Tom Becker and Lena Fischer" in text
    assert text.rstrip().splitlines()[-1] == "Not approached: Grace Kim, Dr Victor Hale"


@pytest.mark.parametrize(
    ("shares", "digits", "printed"),
    [
        ((0.3043, 0.6957), 0, ("30%", "70%")),
        ((0.6957, 0.7), 1, ("69.6%", "70%")),
        ((0.69957, 0.7), 2, ("69.96%", "70%")),
        ((0.7, 0.7 + EPS / 2, 0.5), 0, ("70%", "70%", "50%")),
        ((0.705, 0.7, 0.71), 1, ("70.5%", "70%", "71%")),
    ],
)
def test_shares_print_with_just_enough_decimals(shares, digits, printed):
    assert share_digits(*shares) == digits
    assert tuple(percent(s, digits) for s in shares) == printed


@given(st.lists(st.floats(0, 1), min_size=2, max_size=6))
def test_different_shares_never_print_alike_and_keep_their_order(shares):
    digits = share_digits(*shares)
    for a in shares:
        for b in shares:
            if b - a > EPS and digits < 6:
                assert float(percent(a, digits)[:-1]) < float(percent(b, digits)[:-1])


def test_point_change_adds_up_the_printed_numbers():
    assert point_change("30%", "70%") == "+40"
    assert point_change("30.4%", "69.6%") == "+39.2"
    assert point_change("70%", "69.6%") == "-0.4"
    assert point_change("70.5%", "71.5%") == "+1"


def test_empty_and_champion_less_maps():
    empty = plan(StakeholderMap())
    assert empty.steps == () and not empty.close.ready
    lone = StakeholderMap((Stakeholder("Ana", stance=1), Stakeholder("Ben", stance=1, power=2)))
    p = plan(lone)
    assert p.close.ready and p.steps == ()  # both already support; no step adds anything
    assert p.support_share_before == 1.0


def test_a_share_just_below_the_line_never_prints_as_the_line():
    p = plan(new_programme(), pass_share=0.7)
    assert not p.close.ready and p.digits == 1
    assert p.close.reason.startswith(
        "Not ready: supporters hold 69.6% of power against a 70% pass line, short by 0.4 points;"
    )
    assert "Support after: 69.6%" in plan_to_text(p)
