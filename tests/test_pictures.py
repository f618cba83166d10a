"""Pictures of a lens or the network (PNG, SVG), drawn offline: every person placed and named,
the size asked for, the kept layout kept, anonymised by role, hostile names drawn as text."""

from __future__ import annotations

import io
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

import pytest
from PIL import Image

from stakemap.files.pictures import NETWORK, VIEWS, picture, picture_spec, shown, view_named
from stakemap.lenses.catalogue import LENSES
from stakemap.lenses.people import role_labels, shown_map
from stakemap.model import Proposal, Stakeholder, StakeholderMap, Threshold
from stakemap.network.layout import complete_positions
from stakemap.network.picture import label_width, network_spec
from stakemap.samples.cases import new_programme
from stakemap.samples.synthetic import generated, organisation
from tests.payloads import payload_map

SVG = "{http://www.w3.org/2000/svg}"
#: Names that must be drawn as they are: CJK, markup and spreadsheet formulas.
HOSTILE = ("李娜", "王小明 Wang", '=HYPERLINK("http://127.0.0.1:9","x")', "@SUM(A1:A9)", "+1-2")


def hostile_map() -> StakeholderMap:
    """The payload map (markdown and HTML in every name) with CJK and formula-like names."""
    m = payload_map()
    for old, new in zip(m.names, HOSTILE, strict=False):
        m = m.with_stakeholder(old, name=new)
    return m


def drawn_texts(svg: bytes | str) -> list[str]:
    """The text an SVG draws (parsed as XML, so it must be well formed), leaving out text made
    invisible."""
    root = ET.fromstring(svg)
    return [
        "".join(t.itertext())
        for t in root.iter(f"{SVG}text")
        if t.get("opacity") != "0" and t.get("fill-opacity") != "0" and t.get("fill") != "white"
    ]


def png_size(png: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(png)).size


def inked(png: bytes) -> float:
    """The share of pixels that are not white."""
    image = Image.open(io.BytesIO(png)).convert("L")
    return sum(image.histogram()[:250]) / (image.width * image.height)


def markers(svg: bytes | str) -> dict[str, tuple[float, float]]:
    """Where the network's people are drawn: each marker's aria-label and translation."""
    found = {}
    for group in ET.fromstring(svg).iter(f"{SVG}g"):
        if "people_" not in (group.get("class") or ""):
            continue
        for path in group.iter(f"{SVG}path"):
            x, y = re.fullmatch(
                r"translate\(([-\d.e]+),([-\d.e]+)\)", path.get("transform")
            ).groups()
            found[path.get("aria-label")] = (float(x), float(y))
    return found


@pytest.mark.parametrize("lens", list(LENSES))
def test_a_lens_svg_names_everyone_and_its_png_has_the_size_asked(lens):
    m = organisation()
    svg = picture(m, lens, "svg")
    texts = drawn_texts(svg)
    assert not [n for n in m.names if n not in texts]
    assert lens in texts  # the title
    png = picture(m, lens, "png", (1200, 700))
    assert png_size(png) == (1200, 700)
    assert inked(png) > 0.03


@pytest.mark.parametrize("lens", ["Power map", "Engagement assessment matrix"])
def test_a_lens_too_crowded_for_names_says_so_and_the_size_it_names_draws_them(lens):
    """Names too small to read are left off (as the page does), the picture says how many
    and the smallest larger size that draws them; a picture of that size names everyone but
    those whose label is cut to fit its slot."""
    m = organisation(300)
    texts = drawn_texts(picture(m, lens, "svg"))
    assert not [n for n in m.names if n in texts]
    line = next(t for t in texts if "names left off" in t)
    w, h = map(int, re.search(r"a picture of (\d+) x (\d+) shows them", line).groups())
    assert line.startswith("300 names left off: too small to read at 1600 x 900")
    named = set(drawn_texts(picture(m, lens, "svg", (w, h))))
    assert len(named & set(m.names)) >= 0.9 * len(m.names)
    assert not [t for t in named if "left off" in t]


@pytest.mark.parametrize("lens", list(LENSES))
def test_an_anonymised_lens_shows_roles_and_no_name(lens):
    m = new_programme()
    svg = picture(m, lens, "svg", anonymise=True).decode()
    labels = role_labels(m)
    assert sorted(labels.values()) == sorted(n for n in labels.values() if n in drawn_texts(svg))
    assert not [n for n in m.names if n in svg]


def test_the_network_keeps_the_kept_layout_and_names_everyone():
    m = organisation()
    kept = complete_positions(m)
    svg = picture(m, NETWORK, "svg")
    at = markers(svg)
    assert set(at) == set(m.names)
    # one scale for both axes and a shift: the kept layout, only zoomed and moved
    a, b = m.names[0], max(m.names, key=lambda n: math.dist(kept[n], kept[m.names[0]]))
    zoom = math.dist(at[a], at[b]) / math.dist(kept[a], kept[b])
    for n in m.names:
        for axis in (0, 1):
            expected = at[a][axis] + (kept[n][axis] - kept[a][axis]) * zoom
            assert abs(at[n][axis] - expected) < 0.01, n
    assert sorted(m.names, key=lambda n: at[n]) == sorted(m.names, key=lambda n: kept[n])
    assert not [n for n in m.names if n not in drawn_texts(svg)]
    png = picture(m, NETWORK, "png")
    assert png_size(png) == (1600, 900) and inked(png) > 0.03


def test_the_network_draws_stored_positions_as_stored():
    m = new_programme()
    stored = {
        n: (float(i % 3) * 100, float(i // 3) * 70 + (i % 3) * 9) for i, n in enumerate(m.names)
    }
    at = markers(
        picture(StakeholderMap(m.stakeholders, m.relationships, positions=stored), NETWORK, "svg")
    )
    assert sorted(m.names, key=lambda n: at[n]) == sorted(m.names, key=lambda n: stored[n])
    assert sorted(m.names, key=lambda n: at[n][1]) == sorted(m.names, key=lambda n: stored[n][1])


def _boxes(spec: dict) -> list[tuple[float, float, float, float]]:
    rows = next(layer for layer in spec["layer"] if layer.get("name") == "names")["data"]["values"]
    return [
        (r["x"] - label_width(r["text"], r["size"]) / 2, r["y"] - r["size"] * 0.6,
         r["x"] + label_width(r["text"], r["size"]) / 2, r["y"] + r["size"] * 0.6)
        for r in rows
    ]  # fmt: skip


def _overlaps(boxes: Iterable[tuple[float, float, float, float]]) -> list[tuple[int, int]]:
    boxes = list(boxes)
    return [
        (i, j)
        for i, a in enumerate(boxes)
        for j, b in enumerate(boxes[:i])
        if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    ]


def test_network_names_never_overlap_and_the_crowded_ones_are_counted():
    spec = network_spec(organisation(), (1600, 900))
    assert len(_boxes(spec)) == 60 and not _overlaps(_boxes(spec))
    crowded = network_spec(generated(5, 300), (1600, 900))
    shown_count = len(_boxes(crowded))
    assert 50 < shown_count < 300 and not _overlaps(_boxes(crowded))
    subtitle = [
        row["text"]
        for layer in crowded["layer"]
        for row in layer["data"]["values"]
        if "ties;" in str(row.get("text"))
    ]
    assert subtitle and subtitle[0].endswith(
        f"; {300 - shown_count} names left off where they would overlap"
    )


def test_names_stay_inside_the_picture():
    for size in ((1600, 900), (800, 450)):
        spec = network_spec(organisation(), size)
        assert all(
            b[0] >= 0 and b[1] >= 0 and b[2] <= size[0] and b[3] <= size[1] for b in _boxes(spec)
        )


@pytest.mark.parametrize("view", [VIEWS[0], "Spectrum of allies", NETWORK])
def test_hostile_names_are_drawn_as_text(view):
    m = hostile_map()
    svg = picture(m, view, "svg")
    texts = drawn_texts(svg)
    assert not [n for n in m.names if n not in texts]
    root = ET.fromstring(svg)
    assert not [e for e in root.iter() if e.tag.endswith(("script", "foreignObject", "a", "image"))]
    assert "href" not in svg.decode()
    assert inked(picture(m, view, "png")) > 0.01


def test_an_anonymised_network_shows_person_numbers_and_no_name():
    m = new_programme()
    nameless = StakeholderMap(tuple(Stakeholder(n, power=3) for n in m.names), m.relationships)
    svg = picture(nameless, NETWORK, "svg", anonymise=True).decode()
    assert sorted(markers(svg)) == sorted(f"Person {i}" for i in range(1, 9))
    assert not [n for n in m.names if n in svg]


def test_shown_keeps_the_columns_the_rule_counts():
    people = (
        Stakeholder("Ana", role="CFO", custom={"Population": "80", "Secret": "x"}),
        Stakeholder("Ben", role="CFO", custom={"Population": "20", "Secret": "y"}),
    )
    proposal = Proposal("P", thresholds=(Threshold("65/100", "population"),))
    m = StakeholderMap(people, proposal=proposal, custom_columns=("Population", "Secret"))
    anonymous = shown(m, True)
    assert anonymous.names == ["CFO 1", "CFO 2"]
    assert anonymous.custom_columns == ("Population",)
    assert [s.custom for s in anonymous.stakeholders] == [
        {"Population": "80"},
        {"Population": "20"},
    ]
    assert shown(m, False) is m
    assert shown_map(m, "letters").names == ["Stakeholder A", "Stakeholder B"]


def test_role_labels_are_unique_even_when_a_role_looks_like_a_number():
    m = StakeholderMap(
        (
            Stakeholder("A"),
            Stakeholder("B", role="Person 1"),
            Stakeholder("C"),
            Stakeholder("D", role=" "),
        ),
    )
    labels = role_labels(m)
    assert len(set(labels.values())) == 4
    assert labels["A"] == "Person 1" and labels["C"] == "Person 2"


def test_views_are_named_loosely_but_not_ambiguously():
    assert view_named("  spectrum ") == "Spectrum of allies"
    assert view_named("Influence network") is None  # the network is "network"
    assert view_named("grid") is None  # two grids
    assert view_named("") is None
    assert [view_named(v) for v in VIEWS] == list(VIEWS)


def test_a_picture_refuses_a_size_or_format_it_cannot_draw():
    with pytest.raises(ValueError, match="pixels"):
        picture(new_programme(), NETWORK, "png", (100, 9000))
    with pytest.raises(ValueError, match="png or svg"):
        picture(new_programme(), NETWORK, "gif")


def test_an_empty_map_is_a_picture_too():
    for view in VIEWS:
        spec = picture_spec(StakeholderMap(), view, (800, 450))
        assert spec["width"] == 800
    assert "Nobody is on the map yet." in drawn_texts(picture(StakeholderMap(), NETWORK, "svg"))
