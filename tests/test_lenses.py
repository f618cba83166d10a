"""Unit tests of the lenses: classes at their boundaries, placement, selection, anonymising."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stakemap.lenses.catalogue import (
    ENGAGEMENT,
    INFLUENCE_ATTITUDE,
    LENS_NAMES,
    LENSES,
    MENDELOW,
    SALIENCE,
    SPECTRUM,
    engagement,
    engagement_matrix,
    influence_attitude,
    mendelow,
    power_map,
    salience,
    spectrum,
    spectrum_moves,
)
from stakemap.lenses.chart import CANVAS_FROM, lens_chart
from stakemap.lenses.kinds import scale_cell
from stakemap.lenses.people import (
    anonymise,
    class_summary,
    edit_person,
    filter_names,
    not_rated,
    not_rated_sentence,
    rate,
    selected_person,
)
from stakemap.lenses.placement import lens_view, place
from stakemap.model import Relationship, Stakeholder, StakeholderMap


def one(**fields) -> StakeholderMap:
    return StakeholderMap((Stakeholder("P", **fields),))


# ---------------------------------------------------------------- Mendelow


@pytest.mark.parametrize(
    ("power", "interest", "quadrant"),
    [
        (5, 5, "Manage closely (Key players)"),
        (3.01, 3.01, "Manage closely (Key players)"),
        (4, 3, "Keep satisfied"),
        (5, 1, "Keep satisfied"),
        (3, 4, "Keep informed"),
        (1, 5, "Keep informed"),
        (3, 3, "Monitor (minimal effort)"),
        (1, 1, "Monitor (minimal effort)"),
        (2.99, 3.0, "Monitor (minimal effort)"),
    ],
)
def test_mendelow_quadrants_and_three_is_low(power, interest, quadrant):
    assert mendelow(one(power=power, interest=interest)) == {"P": quadrant}


def test_mendelow_classes_are_the_four_named_quadrants_in_order():
    assert [c.name for c in MENDELOW] == [
        "Manage closely (Key players)",
        "Keep satisfied",
        "Keep informed",
        "Monitor (minimal effort)",
    ]
    assert all(c.strategy for c in MENDELOW)


@pytest.mark.parametrize(
    ("value", "cell"), [(0.5, 1), (1, 1), (1.01, 2), (3, 3), (3.0000001, 4), (3.2, 4), (5, 5)]
)
def test_scale_cell_rounds_up_so_cells_never_straddle_the_boundary(value, cell):
    assert scale_cell(value) == cell


# ---------------------------------------------------------------- Power map


def test_power_map_primary_secondary_and_not_targets():
    people = (
        Stakeholder("Dee", decision_role="decider"),
        Stakeholder("Vet", decision_role="veto"),
        Stakeholder("Inf", decision_role="influencer"),
        Stakeholder("Boss"),
        Stakeholder("Ally"),
        Stakeholder("Rep"),
        Stakeholder("Low"),
        Stakeholder("Down"),
        Stakeholder("Third", decision_role="third party"),
    )
    ties = (
        Relationship("Inf", "Dee", 2),  # influences a decider: secondary
        Relationship("Dee", "Boss", 2, "defers to"),  # Dee defers to Boss: Boss is secondary
        Relationship("Ally", "Vet", 1, "ally"),  # mutual: secondary
        Relationship("Rep", "Vet", -2),  # repels: no route to the decider
        Relationship("Low", "Dee", 0),  # zero weight: no route
        Relationship("Dee", "Down", 3),  # the decider influences Down, not the other way
        Relationship("Dee", "Vet", 3),  # a primary stays primary
    )
    assert power_map(StakeholderMap(people, ties)) == {
        "Dee": "Primary target",
        "Vet": "Primary target",
        "Inf": "Secondary target",
        "Boss": "Secondary target",
        "Ally": "Secondary target",
        "Rep": "Not a target",
        "Low": "Not a target",
        "Down": "Not a target",
        "Third": "Not a target",
    }


def test_power_map_without_decider_has_no_targets():
    m = StakeholderMap((Stakeholder("A"), Stakeholder("B")), (Relationship("A", "B", 5),))
    assert set(power_map(m).values()) == {"Not a target"}


# ---------------------------------------------------------------- Salience


@pytest.mark.parametrize(
    ("p", "leg", "urg", "cls"),
    [
        (4, 4, 4, "Definitive"),
        (4, 4, 3, "Dominant"),
        (5, 1, 5, "Dangerous"),
        (3, 4, 4, "Dependent"),
        (4, 1, 1, "Dormant"),
        (1, 4, 2, "Discretionary"),
        (3.99, 3.99, 4, "Demanding"),
        (3, 3, 3, "Non-stakeholder"),
        (1, 1, 1, "Non-stakeholder"),
    ],
)
def test_salience_classes_at_the_cutoff(p, leg, urg, cls):
    assert salience(one(power=p, legitimacy=leg, urgency=urg)) == {"P": cls}


@pytest.mark.parametrize(
    ("p", "leg", "urg"),
    [
        (4, None, None),  # was Dormant: power alone, the rest taken as absent
        (1, None, None),  # was Non-stakeholder
        (1, 4, None),  # was Discretionary
        (5, 5, None),  # was Dominant, might be Definitive
        (5, None, 5),  # was Dangerous, might be Definitive
        (1, None, 5),  # was Demanding, might be Dependent
    ],
)
def test_salience_a_blank_is_not_rated_never_absent(p, leg, urg):
    """The user's report: Legitimacy/Urgency left blank made a sympathetic HR head a
    Non-stakeholder. A blank is no score, so no class is made of it."""
    assert salience(one(power=p, legitimacy=leg, urgency=urg)) == {"P": "Not rated"}
    for cutoff in (1, 3, 5):
        assert salience(one(power=p, legitimacy=leg, urgency=urg), cutoff) == {"P": "Not rated"}


def test_salience_cutoff_is_a_parameter():
    m = one(power=3, legitimacy=3, urgency=1)
    assert salience(m, cutoff=3) == {"P": "Dominant"}
    assert salience(m, cutoff=3.01) == {"P": "Non-stakeholder"}
    assert salience(m, cutoff=1) == {"P": "Definitive"}


def test_salience_has_seven_classes_non_stakeholders_and_not_rated():
    assert len(SALIENCE) == 9
    assert [c.name for c in SALIENCE[-2:]] == ["Non-stakeholder", "Not rated"]
    lens = LENSES["Salience model"]
    assert (lens.needs, lens.unrated) == (("legitimacy", "urgency"), "Not rated")


def test_salience_not_rated_sits_in_the_free_cell_with_a_short_title():
    m = StakeholderMap((Stakeholder("HR head", power=2, stance=2), Stakeholder("Ben")))
    view = lens_view(m, "Salience model")
    lens = LENSES["Salience model"]
    assert [lens.cell(s, view.classes[s.name]) for s in m.stakeholders] == [(0, 0), (0, 0)]
    (region,) = [r for r in view.regions if r.kind == "Not rated"]
    assert (region.cols, region.rows, region.title) == ((0, 0), (0, 0), "Not rated")
    assert region.subtitle == "Legitimacy or urgency is blank: rate them to place them"
    cells = [(r.cols[0], r.rows[0]) for r in view.regions]
    assert sorted(cells) == [(c, r) for c in range(3) for r in range(3)]  # 3x3, each once


# ---------------------------------------------------------------- Engagement matrix


@pytest.mark.parametrize(
    ("stance", "target", "unaware", "current", "desired", "gap", "cls"),
    [
        (-2, 2, False, "Resistant", "Leading", 3, "Gap to close"),
        (-1, None, False, "Resistant", None, None, "No target set"),
        (0, 0, True, "Unaware", "Neutral", 2, "Gap to close"),
        (0, None, True, "Unaware", None, None, "No target set"),
        (1, 1, False, "Supportive", "Supportive", 0, "On target"),
        (2, 1, False, "Leading", "Supportive", -1, "Beyond target"),
        (2, 2, False, "Leading", "Leading", 0, "On target"),
    ],
)
def test_engagement_matrix_current_desired_and_gap(
    stance, target, unaware, current, desired, gap, cls
):
    m = one(stance=stance, target_stance=target, unaware=unaware)
    cell = engagement_matrix(m)["P"]
    assert (cell.current, cell.desired, cell.gap) == (current, desired, gap)
    assert engagement(m) == {"P": cls}


def test_engagement_classes():
    assert [c.name for c in ENGAGEMENT] == [
        "Gap to close",
        "On target",
        "Beyond target",
        "No target set",
    ]
    lens = LENSES["Engagement assessment matrix"]
    assert (lens.needs, lens.unrated) == (("target_stance",), "No target set")


def test_engagement_without_a_target_is_not_on_target():
    """A blank target stance is no desired level: not "On target" by a made-up D = C."""
    m = StakeholderMap(
        (Stakeholder("Ana", stance=1), Stakeholder("Ben", stance=1, target_stance=1))
    )
    assert engagement(m) == {"Ana": "No target set", "Ben": "On target"}
    lens = LENSES["Engagement assessment matrix"]
    view = lens_view(m, "Engagement assessment matrix")
    assert lens.cell(m.get("Ana"), "No target set") == (3, -1)  # Supportive, the row under
    (row,) = [r for r in view.regions if r.kind == "No target set"]
    assert (row.cols, row.rows) == ((0, 4), (-1, -1))
    assert dict(lens.y_axis.ticks)[-1] == "Not set"


# ---------------------------------------------------------------- Spectrum of allies


@pytest.mark.parametrize(
    ("stance", "wedge", "move_to"),
    [
        (2, "Active allies", None),
        (1, "Passive allies", "Active allies"),
        (0, "Neutrals", "Passive allies"),
        (-1, "Passive opposition", "Neutrals"),
        (-2, "Active opposition", "Passive opposition"),
        (5, "Active allies", None),
        (-7, "Active opposition", "Passive opposition"),
    ],
)
def test_spectrum_wedges_and_one_wedge_moves(stance, wedge, move_to):
    m = one(stance=stance)
    assert spectrum(m) == {"P": wedge}
    move = spectrum_moves(m)["P"]
    if move_to is None:
        assert move.startswith("Already Active allies")
    else:
        assert move.startswith(f"{wedge} -> {move_to}: ")


def test_spectrum_regions_count_heads_and_power_per_wedge():
    m = StakeholderMap(
        (
            Stakeholder("A", stance=1, power=2),
            Stakeholder("B", stance=1, power=4.5),
            Stakeholder("C", stance=-2, power=5),
        )
    )
    regions = {r.kind: r for r in lens_view(m, "Spectrum of allies").regions}
    assert [r.kind for r in lens_view(m, "Spectrum of allies").regions] == [
        c.name for c in reversed(SPECTRUM)
    ]
    assert regions["Passive allies"].subtitle == "2 people, power 6.5"
    assert regions["Active opposition"].subtitle == "1 person, power 5"
    assert regions["Neutrals"].subtitle == "0 people, power 0"


def test_spectrum_regions_count_only_the_people_shown():
    m = StakeholderMap(
        (
            Stakeholder("A", stance=1, power=2),
            Stakeholder("B", stance=1, power=4.5),
            Stakeholder("C", stance=-2, power=5),
        )
    )
    view = lens_view(m, "Spectrum of allies", names=["B"])
    regions = {r.kind: r.subtitle for r in view.regions}
    assert regions["Passive allies"] == "1 person, power 4.5"
    assert regions["Active opposition"] == "0 people, power 0"
    assert view.classes["C"] == "Active opposition"  # classes still cover the whole map


def test_class_summary_lists_only_the_names_given():
    m = StakeholderMap((Stakeholder("A", stance=2, power=2), Stakeholder("B", stance=2, power=4)))
    rows = class_summary(m, "Spectrum of allies", names=["B"])
    assert (rows[0].people, rows[0].power) == (("B",), 4)
    assert class_summary(m, "Spectrum of allies", names=[])[0].people == ()


def test_power_map_labels_all_five_power_rows():
    ticks = dict(LENSES["Power map"].y_axis.ticks)
    assert sorted(ticks) == [1, 2, 3, 4, 5]
    assert ticks[1] == "No influence" and ticks[5] == "Decision-maker"
    assert all(not label.isdigit() for label in ticks.values())
    assert len(set(ticks.values())) == 5


# ---------------------------------------------------------------- Influence/attitude


@pytest.mark.parametrize(
    ("power", "stance", "cls"),
    [
        (4, 1, "Influential champions"),
        (3.5, 2, "Influential champions"),
        (4, 0, "Influential blockers or undecided"),
        (5, -2, "Influential blockers or undecided"),
        (3, 1, "Fans"),
        (1, 2, "Fans"),
        (3, 0, "Naysayers or undecided"),
        (2, -1, "Naysayers or undecided"),
    ],
)
def test_influence_attitude_boundaries(power, stance, cls):
    assert influence_attitude(one(power=power, stance=stance)) == {"P": cls}
    assert cls in [c.name for c in INFLUENCE_ATTITUDE]


def test_influence_attitude_never_calls_a_neutral_a_plain_blocker():
    """A Neutral decider is not yet on our side, and its class says it may be undecided."""
    m = one(power=5, stance=0, decision_role="decider")
    cls = influence_attitude(m)["P"]
    assert cls == "Influential blockers or undecided"
    assert [c.name for c in INFLUENCE_ATTITUDE] == [
        "Influential champions",
        "Influential blockers or undecided",
        "Fans",
        "Naysayers or undecided",
    ]
    assert [r.name for r in class_summary(m, "Influence/attitude grid") if r.people] == [cls]


# ---------------------------------------------------------------- every lens, consistently


scores = st.floats(min_value=1, max_value=5, allow_nan=False)
optional_scores = st.none() | scores
people = st.builds(
    Stakeholder,
    name=st.just(""),
    power=scores,
    interest=scores,
    stance=st.integers(-2, 2),
    target_stance=st.none() | st.integers(-2, 2),
    legitimacy=optional_scores,
    urgency=optional_scores,
    decision_role=st.sampled_from(["", "decider", "veto", "influencer", "third party"]),
    unaware=st.booleans(),
)


def _named(persons: list[Stakeholder]) -> StakeholderMap:
    return StakeholderMap(
        tuple(Stakeholder(**{**p.__dict__, "name": f"P{i}"}) for i, p in enumerate(persons))
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(people, max_size=25), st.sampled_from(LENS_NAMES))
def test_every_person_sits_in_a_cell_of_their_own_class(persons, lens_name):
    """A person's cell lies inside the lens grid and in the region drawn for their class."""
    m = _named(persons)
    lens = LENSES[lens_name]
    view = lens_view(m, lens_name)
    assert set(view.classes.values()) <= {c.name for c in lens.classes}
    for s in m.stakeholders:
        col, row = lens.cell(s, view.classes[s.name])
        assert lens.cols[0] <= col <= lens.cols[1]
        assert lens.rows[0] <= row <= lens.rows[1]
        kinds = [
            r.kind
            for r in view.regions
            if r.cols[0] <= col <= r.cols[1] and r.rows[0] <= row <= r.rows[1]
        ]
        assert kinds in ([], [view.classes[s.name]])
        if lens_name != "Power map":
            assert kinds == [view.classes[s.name]]
        # on screen: the slot lies in its cell's display box, below any title strip
        x, y = view.placement.xy[s.name]
        w, h = view.placement.w, view.placement.h
        assert col - 0.5 - 1e-9 <= x - w / 2 and x + w / 2 <= col + 0.5 + 1e-9
        cy = view.row_y[row]
        assert cy - 0.5 - 1e-9 <= y - h / 2 and y + h / 2 <= cy + 0.5 + 1e-9
    assert _overlaps(view.placement) == []
    for region in view.regions:
        x0, x1, y0, y1 = view.box(region)
        assert lens.cols[0] - 0.5 <= x0 < x1 <= lens.cols[1] + 0.5
        assert 0 <= y0 < y1 <= view.height + 1e-9
        if region.title:
            assert y1 - (view.row_y[region.rows[1]] + 0.5) == pytest.approx(view.strip)


#: The fields a person may leave blank (None) and values they could be rated.
_BLANKABLE = {
    "legitimacy": st.floats(1, 5),
    "urgency": st.floats(1, 5),
    "target_stance": st.integers(-2, 2),
    "votes": st.floats(0, 100),
}


@settings(max_examples=80, deadline=None)
@given(st.lists(people, min_size=1, max_size=12), st.sampled_from(LENS_NAMES), st.data())
def test_no_lens_makes_a_class_of_a_blank(persons, lens_name, data):
    """Whoever has a blank the lens reads is in the lens's not-rated class, and only they are;
    everyone else's class is the same whatever their blanks would be once rated: no class
    ever comes from a default put in for a blank."""
    m = _named(persons)
    lens = LENSES[lens_name]
    classes = lens.classify(m)
    for s in m.stakeholders:
        if lens.blanks(s):
            assert classes[s.name] == lens.unrated != ""
        else:
            assert classes[s.name] != lens.unrated or not lens.unrated
    rated = StakeholderMap(
        tuple(
            Stakeholder(
                **{
                    **s.__dict__,
                    **{
                        f: data.draw(values)
                        for f, values in _BLANKABLE.items()
                        if getattr(s, f) is None
                    },
                }
            )
            for s in m.stakeholders
        )
    )
    again = lens.classify(rated)
    for s in m.stakeholders:
        if not lens.blanks(s):
            assert again[s.name] == classes[s.name], s
    assert set(lens.needs) <= set(_BLANKABLE)


def test_not_rated_names_the_blank_fields_of_the_people_shown():
    m = StakeholderMap(
        (
            Stakeholder("Ana", legitimacy=4),
            Stakeholder("Ben"),
            Stakeholder("Cleo", urgency=5),
            Stakeholder("Dan", legitimacy=2, urgency=2, target_stance=1),
        )
    )
    assert not_rated(m, "Salience model") == {
        "Ana": ("urgency",),
        "Ben": ("legitimacy", "urgency"),
        "Cleo": ("legitimacy",),
    }
    assert not_rated(m, "Salience model", names=["Ben", "Dan"]) == {
        "Ben": ("legitimacy", "urgency")
    }
    assert list(not_rated(m, "Engagement assessment matrix")) == ["Ana", "Ben", "Cleo"]
    for lens_name in ("Power/interest grid (Mendelow)", "Power map", "Spectrum of allies"):
        assert not_rated(m, lens_name) == {}
    assert not_rated_sentence(not_rated(m, "Salience model"), "Salience model") == (
        "3 people are not rated on legitimacy or urgency: Ana, Ben, Cleo."
    )
    assert not_rated_sentence({"Ben": ("target_stance",)}, "Engagement assessment matrix") == (
        "1 person is not rated on target stance: Ben."
    )
    assert not_rated_sentence({"Cleo": ("legitimacy",)}, "Salience model") == (
        "1 person is not rated on legitimacy: Cleo."
    )


def test_rate_saves_every_rating_in_one_edit_and_keeps_blanks_unchosen():
    m = StakeholderMap((Stakeholder("Ana"), Stakeholder("Ben", urgency=2)))
    new, line = rate(m, {"Ana": {"legitimacy": 4}, "Ben": {"legitimacy": 7.5}})
    assert (new.get("Ana").legitimacy, new.get("Ana").urgency) == (4.0, None)
    assert new.get("Ben").legitimacy == 5.0  # clamped to the scale
    assert line == "Legitimacy of Ana: blank -> 4; Legitimacy of Ben: blank -> 5"
    assert salience(new) == {"Ana": "Not rated", "Ben": "Discretionary"}
    assert rate(m, {}) is None
    new, line = rate(m, {"Ana": {"target_stance": 3}})
    assert new.get("Ana").target_stance == 2 and line.endswith("blank -> Champion")
    assert edit_person(new, "Ana", target_stance=None)[1] == (
        "Target stance of Ana: Champion -> blank"
    )


@pytest.mark.parametrize("lens_name", LENS_NAMES)
def test_every_lens_handles_an_empty_map(lens_name):
    view = lens_view(StakeholderMap(), lens_name)
    assert view.classes == {}
    assert view.placement.xy == {}
    assert [r.people for r in class_summary(StakeholderMap(), lens_name)] == [
        () for _ in LENSES[lens_name].classes
    ]


def test_class_summary_lists_members_in_class_order_with_power():
    m = StakeholderMap(
        (
            Stakeholder("A", power=5, interest=5),
            Stakeholder("B", power=1, interest=1),
            Stakeholder("C", power=4, interest=4.5),
        )
    )
    rows = class_summary(m, "Power/interest grid (Mendelow)")
    assert [r.name for r in rows] == [c.name for c in MENDELOW]
    assert rows[0].people == ("A", "C")
    assert rows[0].power == 9
    assert rows[3].people == ("B",)


# ---------------------------------------------------------------- placement


def _overlaps(placement) -> list[tuple[str, str]]:
    """Pairs of slots whose rectangles overlap (sharing an edge is fine)."""
    eps = 1e-9
    items = list(placement.xy.items())
    return [
        (a, b)
        for (a, (xa, ya)), (b, (xb, yb)) in itertools.combinations(items, 2)
        if abs(xa - xb) < placement.w - eps and abs(ya - yb) < placement.h - eps
    ]


def _inside_cells(placement, cells) -> bool:
    eps = 1e-9
    for name, (x, y) in placement.xy.items():
        c, r = cells[name]
        if x - placement.w / 2 < c - 0.5 - eps or x + placement.w / 2 > c + 0.5 + eps:
            return False
        if y - placement.h / 2 < r - 0.5 - eps or y + placement.h / 2 > r + 0.5 + eps:
            return False
    return True


def test_no_overlap_for_200_people_on_a_5x5_grid():
    rng = random.Random(7)
    m = StakeholderMap(
        tuple(
            Stakeholder(f"Person {i}", power=rng.randint(1, 5), interest=rng.randint(1, 5))
            for i in range(200)
        )
    )
    view = lens_view(m, "Power/interest grid (Mendelow)")
    cells = {s.name: (scale_cell(s.interest), scale_cell(s.power)) for s in m.stakeholders}
    assert len(view.placement.xy) == 200
    assert _overlaps(view.placement) == []
    assert _inside_cells(place(cells, order=lambda n: -m.get(n).power), cells)
    # the fullest cell fits: cols x rows slots at least as many as its people
    fullest = max(list(cells.values()).count(c) for c in set(cells.values()))
    assert view.placement.cols * view.placement.rows >= fullest


def test_no_overlap_when_all_200_share_one_cell():
    cells = {f"P{i:03}": (3, 3) for i in range(200)}
    placement = place(cells, cell_aspect=1.3)
    assert _overlaps(placement) == []
    assert _inside_cells(placement, cells)
    assert len({xy for xy in placement.xy.values()}) == 200


@settings(max_examples=80, deadline=None)
@given(
    st.dictionaries(
        st.text(min_size=1, max_size=4),
        st.tuples(st.integers(-2, 5), st.integers(-2, 5)),
        max_size=60,
    ),
    st.floats(0.2, 5),
    st.floats(0.5, 3),
)
def test_placement_never_overlaps_and_stays_in_its_cell(cells, cell_aspect, slot_aspect):
    placement = place(cells, cell_aspect=cell_aspect, slot_aspect=slot_aspect)
    assert set(placement.xy) == set(cells)
    assert _overlaps(placement) == []
    assert _inside_cells(placement, cells)


def test_placement_is_deterministic_whatever_the_input_order():
    rng = random.Random(3)
    cells = {f"N{i}": (rng.randint(1, 5), rng.randint(1, 5)) for i in range(120)}
    shuffled = list(cells.items())
    rng.shuffle(shuffled)
    first = place(
        cells,
        order=lambda n: -len(n),
        cell_aspect=1.2,
    )
    again = place(
        cells,
        order=lambda n: -len(n),
        cell_aspect=1.2,
    )
    reordered = place(
        dict(shuffled),
        order=lambda n: -len(n),
        cell_aspect=1.2,
    )
    assert first == again == reordered


def test_lens_view_is_deterministic_across_reruns():
    m = _named([Stakeholder("", power=3, interest=3) for _ in range(30)])
    assert lens_view(m, "Power/interest grid (Mendelow)") == lens_view(
        m, "Power/interest grid (Mendelow)"
    )


def test_the_more_powerful_sit_first_in_a_shared_cell():
    m = StakeholderMap(
        (
            Stakeholder("Zed", power=4.2, interest=5),
            Stakeholder("Amy", power=4.1, interest=5),
            Stakeholder("Bob", power=5, interest=5),
        )
    )
    view = lens_view(m, "Power/interest grid (Mendelow)", plot=(500, 500), slot_aspect=1.0)
    xy = view.placement.xy
    ordered = sorted(xy, key=lambda n: (-xy[n][1], xy[n][0]))  # top to bottom, left to right
    # Zed and Amy share cell (5, 5) with Bob; Bob (power 5) comes first, then Zed (4.2).
    assert ordered == ["Bob", "Zed", "Amy"]


def test_lens_view_places_only_the_shown_people():
    m = _named([Stakeholder("") for _ in range(5)])
    view = lens_view(m, "Influence/attitude grid", names=["P1", "P3", "nobody"])
    assert sorted(view.placement.xy) == ["P1", "P3"]
    assert len(view.classes) == 5


# ---------------------------------------------------------------- selection, filters, labels


KEYS = {"Ana": "Ana", "Ben": "Ben", "Stakeholder C": "Cy"}


@pytest.mark.parametrize(
    ("selection", "person"),
    [
        ({"pick": [{"label": "Ana"}]}, "Ana"),
        ({"pick": [{"label": "Ana"}, {"label": "Ben"}]}, "Ben"),
        ({"pick": [{"label": "Ben"}, {"label": "Gone"}]}, "Ben"),
        ({"pick": [{"label": "Stakeholder C"}]}, "Cy"),
        ({"pick": [{"label": "Gone"}]}, None),
        ({"pick": {}}, None),
        ({"pick": []}, None),
        ({}, None),
        (None, None),
        ({"pick": "Ana"}, None),
        ({"pick": [{"name": "Ana"}]}, None),
        ({"pick": [{"label": 3}]}, None),
        ({"other": [{"label": "Ana"}]}, None),
    ],
)
def test_selected_person_from_a_chart_selection(selection, person):
    assert selected_person(selection, KEYS) == person


def test_selected_person_uses_the_named_parameter():
    assert selected_person({"other": [{"label": "Ana"}]}, KEYS, param="other") == "Ana"


def test_filter_names_combines_filters_and_keeps_map_order():
    m = StakeholderMap(
        (
            Stakeholder("A", group="Ops", stance=1, decision_role="decider"),
            Stakeholder("B", group="Fin", stance=-1),
            Stakeholder("C", group="Ops", stance=-1),
            Stakeholder("D", group="Ops", stance=1),
        )
    )
    assert filter_names(m) == ["A", "B", "C", "D"]
    assert filter_names(m, groups=["Ops"]) == ["A", "C", "D"]
    assert filter_names(m, groups=["Ops"], stances=[1]) == ["A", "D"]
    assert filter_names(m, stances=[-1, 1], roles=[""]) == ["B", "C", "D"]
    assert filter_names(m, roles=["decider"]) == ["A"]
    assert filter_names(m, groups=["Nobody"]) == []


def test_anonymise_modes():
    names = ["Ana Bell", "abe bo", "Cy", "Jean-Luc Picard", "!!!"]
    assert anonymise(names) == {n: n for n in names}
    assert anonymise(names, "initials") == {
        "Ana Bell": "AB",
        "abe bo": "AB2",
        "Cy": "C",
        "Jean-Luc Picard": "JLP",
        "!!!": "?",
    }
    letters = anonymise([f"N{i}" for i in range(28)], "letters")
    assert letters["N0"] == "Stakeholder A"
    assert letters["N25"] == "Stakeholder Z"
    assert letters["N26"] == "Stakeholder AA"
    assert letters["N27"] == "Stakeholder AB"
    assert len(set(letters.values())) == 28


def test_anonymised_labels_are_unique_and_hide_the_names():
    names = [f"Person {i}" for i in range(60)]
    for mode in ("initials", "letters"):
        labels = anonymise(names, mode)
        assert len(set(labels.values())) == 60
        assert not any(name in labels.values() for name in names)


# ---------------------------------------------------------------- quick edits


def test_edit_person_steps_the_stance_and_clamps_it():
    m = StakeholderMap((Stakeholder("Ana", stance=1), Stakeholder("Ben", stance=-2)))
    new, note = edit_person(m, "Ana", stance=2)
    assert new.get("Ana").stance == 2
    assert new.get("Ben") == m.get("Ben")
    assert note == "Stance of Ana: Supporter -> Champion"
    assert edit_person(new, "Ana", stance=3) is None
    assert edit_person(m, "Ben", stance=-3) is None
    assert edit_person(m, "Nobody", stance=1) is None


def test_edit_person_power_interest_and_notes():
    m = one(power=3, interest=2)
    new, note = edit_person(m, "P", power=4.5)
    assert new.get("P").power == 4.5
    assert note == "Power of P: 3 -> 4.5"
    new, note = edit_person(m, "P", interest=9)
    assert new.get("P").interest == 5
    assert note == "Interest of P: 2 -> 5"
    new, note = edit_person(m, "P", notes="Call on Monday")
    assert new.get("P").notes == "Call on Monday"
    assert note == "Notes of P edited"
    assert edit_person(m, "P", power=3.0, notes="") is None


@pytest.mark.parametrize("lens", LENS_NAMES)
@pytest.mark.parametrize("screen", ["phone", "desktop", "projector"])
def test_region_titles_wrap_whole_instead_of_being_cut(lens, screen):
    """On every screen each region title is drawn whole: wrapped at word boundaries, in a
    font no smaller than MIN_TITLE_PX, each line within its region (the phone's Spectrum was
    cut to "Active op...")."""
    from stakemap.lenses.sizing import (
        MIN_TITLE_PX,
        PHONE,
        ChartStyle,
        title_font,
        title_limit,
        title_lines,
        view_for,
    )
    from stakemap.samples import synthetic

    style = {"phone": PHONE, "desktop": ChartStyle.for_mode(False)}.get(
        screen, ChartStyle.for_mode(True)
    )
    m = synthetic.organisation(15)
    labels = {n: n for n in m.names}
    view, style = view_for(m, lens, m.names, style, labels)
    font = title_font(view, style)
    assert font >= MIN_TITLE_PX
    spec, _rows = lens_chart(view, m, labels, "power", None, style)
    lines_drawn = {line for frame in spec["datasets"].values() for line in frame.get("line", [])}
    for region in view.regions:
        if not region.title:
            continue
        lines = title_lines(view, region, style)
        assert " ".join(lines) == " ".join(region.title.split())
        width = title_limit(view, region, style) + 1
        assert all(len(line) * 0.56 * font <= width for line in lines)
        assert set(lines) <= lines_drawn


@pytest.mark.parametrize("people", [CANVAS_FROM - 1, CANVAS_FROM])
def test_a_large_chart_is_drawn_on_a_canvas_and_keeps_the_room_version(people):
    """SVG elements for a small map (screen readers walk its markers), a canvas from
    CANVAS_FROM people (docs/speed.md); the room's chart keeps both its renderer and the
    version it carries."""
    from stakemap.lenses.sizing import ChartStyle, view_for
    from stakemap.samples import synthetic
    from stakemap.ui.room.screen import _draw_lens_chart

    m = synthetic.large(people, people, seed=2)
    labels = {n: n for n in m.names}
    view, style = view_for(m, "Power/interest grid (Mendelow)", m.names, ChartStyle(), labels)
    renderer = lens_chart(view, m, labels, "power", None, style)[0].get("usermeta", {})
    canvas = {"embedOptions": {"renderer": "canvas"}}
    assert renderer == (canvas if people >= CANVAS_FROM else {})
    room, *_ = _draw_lens_chart(m, 7, "Power/interest grid (Mendelow)", "names", False)
    assert room["usermeta"] == {"stakemap_version": 7} | renderer


@pytest.mark.parametrize("details", [True, False])
@pytest.mark.parametrize("lens", LENS_NAMES)
def test_the_people_go_inline_with_the_fields_the_layers_read_and_no_more(lens, details):
    """The people are the layers' inline values, not a dataset Streamlit sends as Arrow
    (docs/speed.md); every layer drawing them shares the same values (so Vega-Lite keeps one
    source); each field a layer or its tooltip reads is there, group, role and decision role
    only with details; strict JSON (no NaN)."""
    import json
    import re

    from stakemap.lenses.sizing import ChartStyle, view_for
    from stakemap.samples import synthetic

    m = synthetic.organisation(40, seed=3)
    labels = {n: n for n in m.names}
    view, style = view_for(m, lens, m.names, ChartStyle(), labels)
    for focus in (None, m.names[0]):
        spec, _rows = lens_chart(view, m, labels, "power", focus, style, details=details)
        assert "people" not in spec["datasets"]
        drawn = [layer for layer in spec["layer"] if "values" in layer["data"]]
        assert drawn and all(layer["data"] is drawn[0]["data"] for layer in drawn)
        rows = drawn[0]["data"]["values"]
        assert {row["label"] for row in rows} == set(m.names)
        json.dumps(rows, allow_nan=False)
        text = json.dumps([spec["encoding"], drawn])  # x and y are encoded once, on top
        made = {"size_k", "font_k", "value"}  # calculated in the layers; an axis tick's
        read = set(re.findall(r"datum(?:\.(\w+)|\[\\\"(\w+)\\\"\]|\['(\w+)'\])", text))
        read = {next(n for n in names if n) for names in read}
        read |= set(re.findall(r'"field": "(\w+)"', text))
        assert read - made == set(rows[0])
        assert ("group" in rows[0]) == details and ("role" in rows[0]) == details
        assert ("focus" in rows[0]) == (focus is not None)
