"""Every export that can be read back comes back as the same map: people, ties, attributes,
the proposal and the network positions (property tests over generated maps)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from stakemap.exporting import to_kumu_xlsx, to_xlsx
from stakemap.graphfiles import _NOT_XML, to_gexf, to_graphml
from stakemap.importing import import_workbook
from stakemap.model import StakeholderMap

from .test_exporting import maps

#: Drawing units to the hundredth: the app stores positions rounded to 0.1; Excel (and so the
#: workbook) keeps 15 significant digits, not every bit of a float.
_XY = st.integers(-(10**8), 10**8).map(lambda v: v / 100)


@st.composite
def laid_out_maps(draw) -> StakeholderMap:
    """A generated map (tests/test_exporting.py) with some of its people placed."""
    m = draw(maps())
    placed = draw(st.lists(st.sampled_from(m.names), unique=True))
    return replace(m, positions={n: (draw(_XY), draw(_XY)) for n in placed})


_SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(laid_out_maps())
def test_workbook_round_trip_keeps_the_layout(m: StakeholderMap) -> None:
    result = import_workbook(to_xlsx(m, extras=False), "map.xlsx")
    assert result.problems == []
    assert result.map == m


@_SETTINGS
@given(laid_out_maps())
def test_kumu_workbook_round_trip(m: StakeholderMap) -> None:
    assume(not any("|" in goal for s in m.stakeholders for goal in s.goals))  # Kumu's separator
    result = import_workbook(to_kumu_xlsx(m), "map.kumu.xlsx")
    assert result.problems == []
    assert result.map == m


@_SETTINGS
@pytest.mark.parametrize(
    ("write", "ending"), [(to_graphml, ".graphml"), (to_gexf, ".gexf")], ids=["graphml", "gexf"]
)
@given(m=laid_out_maps())
def test_graph_file_round_trip(write, ending: str, m: StakeholderMap) -> None:
    assume(not _NOT_XML.search(json.dumps(m.to_dict(), ensure_ascii=False)))  # XML cannot hold
    result = import_workbook(write(m), f"map{ending}")
    assert result.problems == []
    assert result.map == m


def test_the_layout_sheet_is_hidden_and_left_out_without_positions() -> None:
    import io

    import openpyxl

    from stakemap.samples import new_programme

    m = new_programme()
    placed = replace(m, positions={m.names[0]: (1.5, -2.0)})
    for write in (to_xlsx, to_kumu_xlsx):
        book = openpyxl.load_workbook(io.BytesIO(write(placed)))
        assert book["Layout"].sheet_state == "hidden"
        assert list(book["Layout"].values) == [("Name", "X", "Y"), (m.names[0], 1.5, -2)]
        assert "Layout" not in openpyxl.load_workbook(io.BytesIO(write(m))).sheetnames
