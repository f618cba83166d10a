"""The plan's printed numbers: shares with just enough decimals, points that add up."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stakemap.planning.words import percent, point_change, share_digits

EPS = 1e-9


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
