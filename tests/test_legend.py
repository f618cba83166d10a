"""One visual language: a stance has the same colour and shape on the Map, the Network and in
the Excel export, and the Map's tooltip tells the job role from the decision role."""

from __future__ import annotations

import io

import openpyxl

from stakemap.files.exporting import to_xlsx
from stakemap.legend import STANCE_SHAPES
from stakemap.lenses import catalogue
from stakemap.lenses.chart import chart_rows, lens_chart
from stakemap.lenses.sizing import ChartStyle, view_for
from stakemap.model import STANCE_COLOURS, Stakeholder, StakeholderMap
from stakemap.network import drawing
from stakemap.samples.synthetic import organisation
from tests.visible import marker_tooltip

DECISION_ROLES = ("decider", "veto", "influencer", "third party", "")


def _every_stance_and_role() -> StakeholderMap:
    """Each stance with each decision role: a shape that follows the role would show here."""
    people = [
        Stakeholder(f"P{s}{i}", role=f"Job {i}", stance=s, decision_role=r, power=1 + i)
        for s in range(-2, 3)
        for i, r in enumerate(DECISION_ROLES)
    ]
    return StakeholderMap(tuple(people))


def _map_shapes(m: StakeholderMap) -> dict[str, str]:
    labels = {n: n for n in m.names}
    view, style = view_for(m, catalogue.LENS_NAMES[0], m.names, ChartStyle(), labels)
    spec, _rows = lens_chart(view, m, labels, "power", None, style)
    marks = [layer for layer in spec["layer"] if "shape" in layer.get("encoding", {})]
    scale = marks[0]["encoding"]["shape"]["scale"]
    return dict(zip(scale["domain"], scale["range"], strict=True))


def test_a_stance_has_one_shape_and_colour_on_map_network_and_export() -> None:
    m = _every_stance_and_role()
    vis = {shape.vis: stance for stance, shape in STANCE_SHAPES.items()}
    for node in drawing.vis_data(m, None)["nodes"]:
        person = m.get(node["label"])
        stance = person.stance_label
        assert vis[node["shape"]] == stance, (person.name, person.decision_role)
        assert node["color"]["background"] == STANCE_COLOURS[stance]
    assert _map_shapes(m) == {s: shape.vega for s, shape in STANCE_SHAPES.items()}
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(m)))
    chart = book["Power-interest chart"]._charts[0]
    sheet = book["Power-interest chart"]
    for series in chart.series:
        name = sheet[series.tx.strRef.f.split("!")[1].replace("$", "")].value
        stance = m.get(name).stance_label
        assert series.marker.symbol == STANCE_SHAPES[stance].excel, name
        fill = series.marker.graphicalProperties.solidFill
        assert str(getattr(fill.srgbClr, "val", fill.srgbClr)) == STANCE_COLOURS[stance].lstrip("#")


def test_the_five_shapes_are_distinct_on_every_surface() -> None:
    for surface in ("vega", "vis", "excel", "glyph", "word"):
        assert len({getattr(s, surface) for s in STANCE_SHAPES.values()}) == 5


def test_the_map_tooltip_shows_the_job_role_and_the_decision_role_apart() -> None:
    m = organisation()
    labels = {n: n for n in m.names}
    view, style = view_for(m, catalogue.LENS_NAMES[0], m.names, ChartStyle(), labels)
    rows, _ = chart_rows(view, m, labels, "power", None, style)
    person = m.stakeholders[0]
    row = rows[rows["label"] == person.name].iloc[0]
    assert (row["role"], row["decision"]) == (person.role, person.decision_role)
    spec, _rows = lens_chart(view, m, labels, "power", None, style)
    titles = marker_tooltip(spec)
    assert titles["Role"] == "role" and titles["Decision role"] == "decision"


def test_the_power_map_axes_speak_words_only() -> None:
    power_map = catalogue.LENSES["Power map"]
    for axis in (power_map.x_axis, power_map.y_axis):
        labels = [label for _, label in axis.ticks]
        assert not [t for t in labels if any(ch.isdigit() for ch in t)], labels
    assert [label for _, label in power_map.x_axis.ticks] == list(STANCE_SHAPES)[::-1]
