"""The guided start: answers to a few questions make a map in one version and open its plan;
each screen keeps what was typed, refuses what it cannot read and says why."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from stakemap.files.guided import Answers, guided_map, read_parts
from stakemap.planning.planner import plan
from stakemap.planning.rule import rule_of
from stakemap.planning.setting import DecisionSetting
from stakemap.store.maps import Store

APP = str(Path(__file__).resolve().parents[1] / "app.py")
FIRST = ["Dana", "Marcus", "Henrik", "Ines", "Jonas", "Sofia", "Priya", "Tom", "Ida", "Omar"]
LAST = ["Whitfield", "Lee", "Olsen", "Duarte", "Berg", "Ruiz", "Nair", "Becker", "Holm", "Haddad"]


def _people(rng: random.Random, n: int) -> list[str]:
    names = [f"{f} {last}" for f in FIRST for last in LAST]
    return rng.sample(names, n)


@pytest.mark.parametrize("seed", range(40))
def test_answers_make_the_map_they_describe(seed: int) -> None:
    """Generated organisations: everyone typed is on the map with the role, stance, ties and
    goals the answers gave, and the planner runs on it."""
    rng = random.Random(seed)
    names = _people(rng, rng.randint(3, 14))
    body = rng.sample(names, rng.randint(1, min(4, len(names))))
    formal = tuple(rng.sample(body, rng.randint(0, len(body) - 1)))
    voters = tuple(n for n in body if n not in formal)
    stances = {n: rng.choice([-2, -1, 0, 1, 2]) for n in names}
    listens = {m: tuple(rng.sample([n for n in names if n != m], min(2, len(names) - 1)))
               for m in body}  # fmt: skip
    parts = [f"Part {k}" for k in range(rng.randint(0, 3))]
    served = {p: rng.sample(names, rng.randint(1, 2)) for p in parts}
    a = Answers(
        title=f"Decision {seed}",
        people="\n".join(f"{n}, {rng.choice(['CEO', 'CFO', 'Head of HR', 'Lead'])}" for n in names),
        setting=DecisionSetting(voters=voters, formal=formal, champion=names[-1]),
        stances=stances,
        listens=listens,
        parts="\n".join(f"{p}: {', '.join(served[p])}" for p in parts),
    )
    made = guided_map(a)
    assert made.problems == ()
    m = made.map
    assert m.names == names and m.proposal.title == f"Decision {seed}"
    roles = {s.name: s.decision_role for s in m.stakeholders}
    assert {n for n, r in roles.items() if r == "veto"} == set(formal)
    assert {n for n, r in roles.items() if r == "decider"} == set(voters)
    assert {s.name: s.stance for s in m.stakeholders} == stances
    ties = {(t.source, t.target) for t in m.relationships}
    assert ties == {(src, dst) for dst, srcs in listens.items() for src in srcs}
    for p in parts:
        assert all(p in s.goals for s in m.stakeholders if s.name in served[p])
    assert [x.name for x in m.proposal.parts] == parts
    plan(m)  # the plan is made without error on every generated answer


def test_lines_it_cannot_read_are_named_and_add_nothing() -> None:
    a = Answers(
        "Budget",
        "Ana Lima\nAna Long\nBen, banana",
        ties="Ana -> Ben\nBen listens to Zed",
        parts="Pilot: Ana\nPilot: Ben",
    )
    problems = guided_map(a).problems
    assert any(p.startswith("People: Line 3") for p in problems)
    assert any(p.startswith("Ties: Line 1") and "Ana Lima" in p for p in problems)
    assert any(p.startswith("Ties: Line 2") for p in problems)
    assert 'Parts: Line 2, "Pilot": is already a part' in problems


def test_parts_match_first_names_and_refuse_the_ambiguous() -> None:
    _, goals, problems = read_parts(
        "Core hours: marcus; Ines and Jo", ["Marcus Lee", "Ines", "Jo A", "Jo B"]
    )
    assert goals == {"Marcus Lee": ("Core hours",), "Ines": ("Core hours",)}
    assert problems == ['Parts: Line 1, "Jo": could be Jo A or Jo B']


PEOPLE = """Dana Whitfield, CEO, power 5
Marcus Lee, CFO, power 4
Henrik Olsen, Head of HR, for
Works council, power 4
Ines Duarte, CTO, power 4
Jonas Berg, Sales lead
Sofia Ruiz, Engineering manager, for
Priya Nair, Legal counsel
Tom Becker, Product manager, champion"""


def _submit(at: AppTest, label: str = "Next") -> AppTest:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception
    return at


def _widget(at: AppTest, kind: str, suffix: str):
    return next(w for w in getattr(at, kind) if (w.key or "").endswith(suffix))


def test_the_guided_start_creates_one_version_and_opens_the_plan(store: Store) -> None:
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.switch_page("views/start.py").run()
    assert not at.exception
    before = {m.id for m in store.list_maps()}
    _submit(at)  # no title yet: refused, and said why
    assert "Name the decision" in at.error[0].value
    _widget(at, "text_input", "-title").input("Remote-work policy")
    _submit(at)
    _widget(at, "text_area", "-people").input(PEOPLE + "\nMarcus, banana")
    _submit(at)
    assert "banana" in at.error[0].value  # the line it cannot read is named
    assert _widget(at, "text_area", "-people").value.endswith("banana")  # and nothing is lost
    _widget(at, "text_area", "-people").input(PEOPLE)
    _submit(at)
    _widget(at, "multiselect", "-voters").set_value(["Dana Whitfield"])
    _submit(at)
    _widget(at, "multiselect", "-formal").set_value(["Marcus Lee", "Works council"])
    _submit(at)
    _widget(at, "multiselect", "-stance-1").set_value(["Jonas Berg"])
    _widget(at, "multiselect", "-stance-2").set_value(["Works council"])
    _widget(at, "selectbox", "-champion").set_value("Tom Becker")
    _submit(at, "Back")  # back and forth keeps the answers
    _submit(at)
    assert _widget(at, "multiselect", "-stance-2").value == ["Works council"]
    _submit(at)
    _widget(at, "multiselect", "-listens-0").set_value(["Henrik Olsen", "Ines Duarte"])
    _widget(at, "text_area", "-ties").input("Henrik listens to Sofia\nTom -> Henrik strong")
    _submit(at)
    _widget(at, "text_area", "-parts").input(
        "Core hours: Marcus\nHome-office budget: Works council"
    )
    _submit(at)
    assert not [m for m in store.list_maps() if m.id not in before]  # nothing saved yet
    next(b for b in at.button if b.label == "Create the map and plan").click().run()
    assert not at.exception
    made = [m for m in store.list_maps() if m.id not in before]
    assert len(made) == 1 and made[0].name == "Remote-work policy"
    history = store.history(made[0].id)
    assert [v.description for v in history] == ["Started from questions"]
    m = store.latest(made[0].id).data
    assert len(m.stakeholders) == 9 and len(m.relationships) == 4 and len(m.proposal.parts) == 2
    assert "Marcus Lee and Works council hold a veto" in rule_of(m).describe()
    assert at.title[0].value == "Plan"  # it ends on the Plan page
