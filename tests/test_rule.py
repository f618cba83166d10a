"""Issue 24: verdicts that hold in real decision bodies, counted exactly.

Every "ready" the planner gives is checked here by an independent counter written in this file
(not the product's rule module) on the stances the model predicts after the plan's steps, over
generated bodies of 1-60 members with random thresholds, quorum, abstention modes and vetoes.
"""

from __future__ import annotations

import io
import random
from dataclasses import replace
from fractions import Fraction

import numpy as np
import openpyxl
import pytest

from stakemap.files.exporting import to_xlsx
from stakemap.files.importing import import_workbook
from stakemap.model import (
    Proposal,
    ProposalPart,
    Relationship,
    Stakeholder,
    StakeholderMap,
    Threshold,
)
from stakemap.planning.planner import plan
from stakemap.planning.report import plan_to_json
from stakemap.planning.rule import rule_of
from stakemap.planning.unlock import apply
from stakemap.planning.whatif import simulate

FOR, AGAINST = 0.5 - 1e-6, -0.5 + 1e-6


# --- the independent counter -------------------------------------------------------------------


def _weights(m: StakeholderMap, counts: str, members: list[bool]) -> list[Fraction]:
    key = counts.strip().casefold()
    if key in ("votes", ""):
        return _votes(m)
    if key == "members":
        return [Fraction(int(b)) for b in members]
    column = next(c for c in m.custom_columns if c.casefold() == key)
    out = []
    for s, inside in zip(m.stakeholders, members, strict=True):
        text = s.custom.get(column, "")
        out.append(Fraction(text) if inside and text else Fraction(0))
    return out


def _votes(m: StakeholderMap) -> list[Fraction]:
    voting = ("decider", "veto", "informal veto")
    deciders = any(
        s.decision_role == "decider" or ((s.votes or 0) > 0 and s.decision_role not in voting[1:])
        for s in m.stakeholders
    )
    if deciders:
        return [
            Fraction(repr(s.votes)) if s.votes is not None else Fraction(s.decision_role in voting)
            for s in m.stakeholders
        ]
    return [
        Fraction(0) if s.decision_role == "third party" else Fraction(repr(float(s.power)))
        for s in m.stakeholders
    ]  # power on 1-5: the generated maps here never carry another power scale


def _holds(value: Fraction, share: Fraction | None, count: Fraction | None, base: Fraction):
    if count is not None:
        return value >= count
    if value <= 0:
        return False
    return value > base / 2 if share == Fraction(1, 2) else value >= share * base


def counter_ready(m: StakeholderMap, x: dict[str, float]) -> bool:
    """Whether the proposal passes on predicted stances ``x``, by the rules of the issue."""
    p = m.proposal
    votes = _votes(m)
    members = [v > 0 for v in votes]
    yes = [members[i] and x[s.name] >= FOR for i, s in enumerate(m.stakeholders)]
    no = [members[i] and x[s.name] <= AGAINST for i, s in enumerate(m.stakeholders)]
    counted = p.abstentions != "not counted"
    lines = list(p.thresholds)
    if not lines:
        share = {"majority": Fraction(1, 2), "unanimity": Fraction(1)}.get(
            p.decision_rule, Fraction(repr(p.pass_share)).limit_denominator(10**6)
        )
        lines = [Threshold(f"{share.numerator}/{share.denominator}")]

    def check(t: Threshold, chosen: list[bool], base_mask: list[bool]) -> bool:
        w = _weights(m, t.counts, members)
        value = sum((wi for wi, c in zip(w, chosen, strict=True) if c), Fraction(0))
        base = sum((wi for wi, c in zip(w, base_mask, strict=True) if c), Fraction(0))
        return _holds(value, t.share, t.count, base)

    cast = members if counted else [a or b for a, b in zip(yes, no, strict=True)]
    lines_ok = all(check(t, yes, cast) for t in lines)
    if p.blocking_minority is not None:
        against = [mb and not y for mb, y in zip(members, yes, strict=True)] if counted else no
        if not check(p.blocking_minority, against, members):
            lines_ok = True
    quorum_ok = p.quorum is None or check(p.quorum, cast, members)
    rule_ok = lines_ok and quorum_ok
    if not rule_ok:
        return False
    index = {s.name: i for i, s in enumerate(m.stakeholders)}
    ties: dict[tuple[str, str], float] = {}
    for a, b, w in m.influence_edges():
        if a != b:
            ties[a, b] = ties.get((a, b), 0.0) + w
    for s in m.stakeholders:
        if s.decision_role not in ("veto", "informal veto"):
            continue
        clear = yes_of(x, s.name) if counted else x[s.name] > AGAINST
        if clear:
            continue
        if s.decision_role == "veto":
            return False
        heard = [a for (a, b), w in ties.items() if b == s.name and w > 0 and members[index[a]]]
        if not heard or not all(yes[index[a]] for a in heard):
            return False
    return True


def yes_of(x: dict[str, float], name: str) -> bool:
    return x[name] >= FOR


# --- exact arithmetic --------------------------------------------------------------------------


def board(n: int, yes: int, share: Fraction | str, rule: str = "") -> StakeholderMap:
    people = [Stakeholder(f"D{k}", stance=1 if k < yes else -1, decision_role="decider")
              for k in range(n)]  # fmt: skip
    people.append(Stakeholder("Champion", stance=2))
    amount = share if isinstance(share, str) else f"{share.numerator}/{share.denominator}"
    proposal = Proposal("P", "Champion", thresholds=(Threshold(amount),), decision_rule=rule)
    return StakeholderMap(tuple(people), proposal=proposal)


@pytest.mark.parametrize(
    ("n", "yes", "share", "ready"),
    [
        (10, 5, Fraction(1, 2), False),  # exactly half is not a majority
        (10, 6, Fraction(1, 2), True),
        (9, 5, Fraction(1, 2), True),
        (9, 6, Fraction(2, 3), True),  # 2/3 of 9 is 6
        (9, 5, Fraction(2, 3), False),
        (10, 6, Fraction(2, 3), False),  # of 10 needs 7
        (10, 7, Fraction(2, 3), True),
        (12, 7, Fraction(2, 3), False),  # of 12 needs 8
        (12, 8, Fraction(2, 3), True),
    ],
)
def test_shares_are_counted_exactly(n, yes, share, ready):
    m = board(n, yes, share)
    x = np.array([s.stance for s in m.stakeholders], dtype=float)
    tally = rule_of(m).tally(x)
    assert tally.ready == ready
    need = {(10, Fraction(1, 2)): 6, (9, Fraction(1, 2)): 5, (9, Fraction(2, 3)): 6}
    need |= {(10, Fraction(2, 3)): 7, (12, Fraction(2, 3)): 8}
    assert tally.counts[0].needed == need[n, share]
    assert plan(m, samples=0).close.ready == ready


def test_the_legacy_rule_and_a_50_percent_pass_share_mean_more_than_half():
    people = tuple(Stakeholder(f"S{k}", stance=1 if k < 5 else -2, decision_role="decider")
                   for k in range(10))  # fmt: skip
    for proposal in (Proposal(pass_share=0.5), Proposal(decision_rule="majority")):
        p = plan(StakeholderMap(people, proposal=proposal), samples=0)
        assert not p.close.ready
        assert "5 of 10 votes back it, 6 needed (one short)" in p.close.reason
        assert p.verdict.startswith("needs 6 of 10 votes; 5 now")


@pytest.mark.parametrize("cell", ["2/3", "=2/3", "66 2/3%", "66⅔%", "0.6667", "66.67%"])
def test_two_thirds_typed_any_way_means_two_thirds(cell):
    text = "Key,Value\nPass share," + cell + "\n"
    people = "Name,Decision role,Stance\n" + "".join(
        f"D{k},decider,{'Supporter' if k < 6 else 'Critic'}\n" for k in range(9)
    )
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Stakeholders"
    for row in people.strip().split("\n"):
        sheet.append(row.split(","))
    prop = book.create_sheet("Proposal")
    for row in text.strip().split("\n"):
        prop.append(row.split(","))
    data = io.BytesIO()
    book.save(data)
    result = import_workbook(data.getvalue(), "board.xlsx")
    assert not result.problems
    m = result.map
    rule = rule_of(m)
    assert rule.lines[0].amount == Fraction(2, 3)
    assert plan(m, samples=0).close.ready  # 6 of 9
    rounded = cell in ("0.6667", "66.67%")
    assert any("as 2/3" in line for line in result.report) == rounded


def test_a_rule_written_as_thresholds_round_trips_through_the_workbook():
    m = council_of_ministers()
    back = import_workbook(to_xlsx(m, extras=False), "eu.xlsx").map
    assert back.proposal.thresholds == m.proposal.thresholds
    assert back.proposal.blocking_minority == m.proposal.blocking_minority
    assert back.proposal.abstentions == m.proposal.abstentions
    assert [s.custom for s in back.stakeholders] == [s.custom for s in m.stakeholders]


def test_bad_threshold_cells_name_row_column_and_value():
    data = b"Name,Decision role,Population\nA,decider,3\nB,decider,4\n"
    base = import_workbook(data, "p.csv").map
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(base, extras=False)))
    sheet = book["Proposal"]
    sheet.append(["Threshold", "lots", "votes"])
    sheet.append(["Threshold", "55%", "Populaton"])
    sheet.append(["Abstentions", "maybe", ""])
    out = io.BytesIO()
    book.save(out)
    problems = [str(p) for p in import_workbook(out.getvalue(), "p.xlsx").problems]
    assert any('column Value: "lots" is not a share or a count' in p for p in problems)
    assert any('column Tags: "Populaton" is not votes, members' in p for p in problems)
    assert any('column Value: "maybe" is not a way to count abstentions' in p for p in problems)


# --- real bodies -------------------------------------------------------------------------------


def council_of_ministers() -> StakeholderMap:
    """27 members by double majority: 55% of members and 65% of the population, unless those
    not in favour are fewer than 4 members (a blocking minority)."""
    rng = random.Random(27)
    population = [84, 68, 59, 48, 38, 19, 18, 11, 11, 11, 10, 10, 10, 9, 7, 6, 6, 5, 5, 5, 4,
                  3, 2, 2, 1, 1, 0.5]  # fmt: skip
    people = []
    for k, pop in enumerate(population):
        stance = 1 if k >= 3 else -2  # the three largest against
        people.append(
            Stakeholder(f"State {k:02d}", stance=stance, power=3, decision_role="decider",
                        effort=rng.randint(1, 5), custom={"Population": f"{pop:g}"})
        )  # fmt: skip
    people.append(Stakeholder("Presidency", stance=2, decision_role="influencer"))
    proposal = Proposal(
        "Regulation",
        "Presidency",
        thresholds=(Threshold("11/20", "members"), Threshold("13/20", "Population")),
        blocking_minority=Threshold("4", "members"),
    )
    return StakeholderMap(tuple(people), (), proposal, ("Population",))


def test_double_majority_with_a_blocking_minority_of_four_members():
    m = council_of_ministers()
    p = plan(m, samples=0)
    # the three largest states hold more than 35% of the population, but three members are
    # not a blocking minority: the regulation is deemed adopted
    assert p.close.ready and p.steps[-1].phase != "allies"
    x = simulate(m, meetings=[s.name for s in p.steps if s.phase != "close"])
    assert counter_ready(m, x)
    js = plan_to_json(p)
    lines = js["rule"]["thresholds"]
    assert [t["counts"] for t in lines] == ["members", "Population"]
    assert lines[0]["share"] == "11/20" and lines[0]["needed"] == 15
    assert lines[1]["share"] == "13/20" and not lines[1]["holds"]
    assert js["rule"]["blocking"]["count"] == 4
    # a fourth state against: now a real blocking minority, and no meeting changes that
    people = tuple(
        replace(s, stance=-2, target_stance=-2) if s.name == "State 03" else s
        for s in m.stakeholders
    )
    blocked = plan(replace(m, stakeholders=people), samples=0)
    assert not blocked.close.ready
    assert "enough to block it" in blocked.close.reason


def test_half_of_a_double_majority_is_never_dropped():
    m = council_of_ministers()
    only_states = replace(
        m,
        proposal=replace(m.proposal, thresholds=m.proposal.thresholds, blocking_minority=None),
    )
    p = plan(only_states, samples=0)
    x = simulate(only_states, meetings=[s.name for s in p.steps if s.phase != "close"])
    assert p.close.ready == counter_ready(only_states, x)
    before = plan_to_json(p)["rule"]["thresholds"][1]
    assert before["for_before"] < before["needed"]  # population short before any step


def security_council(abstentions: str) -> StakeholderMap:
    """15 members, 9 votes needed, five permanent members with a formal veto."""
    people = [Stakeholder(f"P{k}", decision_role="veto", stance=1) for k in range(5)]
    people += [Stakeholder(f"E{k}", decision_role="decider", stance=1) for k in range(10)]
    people.append(Stakeholder("Sponsor", stance=2))
    people[0] = replace(people[0], stance=0)  # abstains
    people[1] = replace(people[1], stance=-1, target_stance=-1)  # against, not to be met
    ties = tuple(Relationship(f"E{k}", "P1", 5) for k in range(10))  # everyone it listens to
    proposal = Proposal(
        "Draft", "Sponsor", thresholds=(Threshold("9", "members"),), abstentions=abstentions
    )
    return StakeholderMap(tuple(people), ties, proposal)


def test_a_formal_veto_is_never_lifted_by_isolation():
    p = plan(security_council("not counted"), samples=0)
    assert not p.close.ready  # 14 for, 1 against: vetoed, however isolated
    veto = next(v for v in plan_to_json(p)["close"]["vetoes"] if v["name"] == "P1")
    assert veto["kind"] == "formal" and veto["blocks"] and veto["stance_after"] < -0.5
    assert "isolation does not lift a formal veto" in p.close.reason
    assert "go along" not in p.close.reason


def test_an_abstaining_permanent_member_does_not_veto_when_abstentions_are_not_counted():
    m = security_council("not counted")
    people = tuple(replace(s, stance=1) if s.name == "P1" else s for s in m.stakeholders)
    p = plan(replace(m, stakeholders=people), samples=0)
    assert p.close.ready  # P0 abstains (Neutral): not a veto
    counted = plan(replace(security_council("count against"), stakeholders=people), samples=0)
    p0 = next(v for v in plan_to_json(counted)["close"]["vetoes"] if v["name"] == "P0")
    assert p0["blocks"] or p0["stance_after"] >= 0.5  # counted against, it blocks until won


def test_an_informal_veto_with_no_listeners_in_the_body_is_never_isolated():
    people = (
        Stakeholder("Lead", stance=-2, power=5, decision_role="informal veto", target_stance=-2),
        Stakeholder("A", stance=1, decision_role="decider"),
        Stakeholder("B", stance=1, decision_role="decider"),
        Stakeholder("Outsider", stance=1, decision_role="third party"),
        Stakeholder("Me", stance=2),
    )
    ties = (Relationship("Outsider", "Lead", 5),)  # he listens to someone outside the body
    m = StakeholderMap(people, ties, Proposal("P", "Me"))
    p = plan(m, samples=0)
    assert not p.close.ready and p.close.isolated == ()
    assert "listens to no one in the decision body" in p.close.reason
    heard = replace(m, relationships=(*ties, Relationship("A", "Lead", 3)))
    q = plan(heard, samples=0)
    assert q.close.ready and q.close.isolated == ("Lead",)


def test_votes_cast_leave_abstainers_out_and_a_quorum_counts_who_takes_part():
    people = [Stakeholder(f"S{k}", decision_role="decider", stance=0, target_stance=0)
              for k in range(10)]  # fmt: skip
    people[0] = replace(people[0], stance=1)
    people[1] = replace(people[1], stance=1)
    people[2] = replace(people[2], stance=-1)
    people.append(Stakeholder("Me", stance=2))
    cast = Proposal("P", "Me", thresholds=(Threshold("1/2"),), abstentions="not counted")
    m = StakeholderMap(tuple(people), proposal=cast)
    p = plan(m, samples=0)
    assert p.close.ready  # 2 for, 1 against, 7 abstain: a majority of the votes cast
    assert "2 of 3 votes cast back it" in p.close.reason
    quorate = replace(m, proposal=replace(cast, quorum=Threshold("1/2", "members")))
    q = plan(quorate, samples=0)
    assert not q.close.ready and "take part" in q.close.reason  # 3 of 10 take part


# --- the property: every ready verdict holds under the independent counter --------------------


def generated_body(seed: int) -> StakeholderMap:
    rng = random.Random(seed)
    n = rng.choice((1, 2, 3, 5, 7, 9, 10, 12, 15, 20, 27, 40, 60))
    people = []
    for k in range(n):
        people.append(
            Stakeholder(
                f"M{k:02d}",
                power=rng.randint(1, 5),
                stance=rng.choice((-2, -1, -1, 0, 0, 1, 1, 2)),
                effort=rng.randint(1, 5),
                decision_role="decider",
                votes=float(rng.randint(1, 3)) if rng.random() < 0.2 else None,
                goals=tuple(rng.sample(("cost", "growth", "safety"), rng.randint(0, 1))),
                custom={"Population": f"{rng.randint(1, 90) / 10:g}"},
            )
        )
    for k in rng.sample(range(n), min(n, rng.choice((0, 0, 1, 2)))):
        role = rng.choice(("veto", "informal veto"))
        people[k] = replace(people[k], decision_role=role)
    outside = rng.randint(1, 4)
    for k in range(outside):
        role = rng.choice(("influencer", "third party"))
        people.append(
            Stakeholder(f"O{k}", power=rng.randint(1, 5), stance=rng.choice((-1, 0, 1, 2)),
                        decision_role=role, effort=rng.randint(1, 5))
        )  # fmt: skip
    people.append(Stakeholder("Champion", stance=2, power=2))
    names = [s.name for s in people]
    ties = []
    for _ in range(rng.randint(len(names), 3 * len(names))):
        a, b = rng.sample(names, 2)
        ties.append(Relationship(a, b, rng.choice((-2, 1, 2, 3, 4, 5)),
                                 rng.choice(("influences", "defers to", "ally"))))  # fmt: skip
    measures = ["votes", "members", "Population"]
    shares = ["1/2", "2/3", "3/5", "3/4", "11/20", "1/1", "13/20"]
    lines = []
    for _ in range(rng.choice((1, 1, 2))):
        if rng.random() < 0.2:
            lines.append(Threshold(str(rng.randint(1, max(1, n))), "members"))
        else:
            lines.append(Threshold(rng.choice(shares), rng.choice(measures)))
    quorum = Threshold(rng.choice(("1/2", "2/3")), "members") if rng.random() < 0.3 else None
    blocking = Threshold(str(rng.randint(1, 4)), "members") if rng.random() < 0.15 else None
    proposal = Proposal(
        f"Body {seed}",
        "Champion",
        parts=(ProposalPart("Cost part", ("cost",)), ProposalPart("Growth part", ("growth",))),
        thresholds=tuple(lines),
        quorum=quorum,
        abstentions=rng.choice(("", "not counted")),
        blocking_minority=blocking,
    )
    return StakeholderMap(tuple(people), tuple(ties), proposal, ("Population",))


def _checked(m: StakeholderMap, p) -> None:
    met = [s.name for s in p.steps if s.phase != "close"]
    x = simulate(m, meetings=met)
    assert p.close.ready == counter_ready(m, x), (m.proposal.title, p.close.reason)
    for v in p.close.vetoes:
        if v.kind == "formal" and v.stance_after <= AGAINST:
            assert not p.close.ready
        if v.isolated:
            assert v.kind == "informal"


def test_every_verdict_on_generated_bodies_agrees_with_the_independent_counter():
    ready = none = 0
    for seed in range(150):
        m = generated_body(seed)
        p = plan(m, samples=0)
        _checked(m, p)
        ready += p.close.ready
        none += p.proven_none
        for u in p.unlock:
            changed = apply(m, u.change)
            q = plan(changed, samples=0)
            assert q.close.ready, u.text
            _checked(changed, q)
    assert ready >= 40 and none >= 5  # both verdicts are exercised
