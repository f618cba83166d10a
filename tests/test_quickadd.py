"""Quick add (docs/quick-add.md): people and ties typed one a line.

The brief's examples; pieces in any order; unknown words and ambiguous names reported by line
with the text and the candidates; updates to people on the map; ties to people of the same
text; a tie line never adds a person; hostile text refused or kept as plain text the way the
importer keeps a cell; and, on generated maps, text written by ``person_line`` and
``tie_line`` reading back as the people and ties it was written from.
"""

from __future__ import annotations

import itertools
import string
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stakemap.files.quick import MAX_LINE, MAX_WAYS, person_line, read_text, tie_line
from stakemap.files.quickwords import match_name, split_line
from stakemap.model import DECISION_ROLES, Relationship, Stakeholder, StakeholderMap
from stakemap.values import cell_text

QUICK = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=150,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

BRIEF = """Dana Whitfield, CEO, decides, power 5, neutral
Marcus Lee, CFO, against, power 4, interest 5
Henrik
Jonas
Sofia
Works council, blocks, veto
Henrik listens to Marcus
Jonas -> Sofia strong
"""


def _map(*people: Stakeholder, ties: tuple[Relationship, ...] = ()) -> StakeholderMap:
    return StakeholderMap(stakeholders=people, relationships=ties)


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


# -- the brief's examples ------------------------------------------------------------------


def test_the_briefs_people_are_read_field_by_field() -> None:
    done = read_text(BRIEF)
    assert not done.problems
    dana, marcus = done.map.get("Dana Whitfield"), done.map.get("Marcus Lee")
    assert dana == Stakeholder("Dana Whitfield", "CEO", power=5.0, decision_role="decider")
    assert marcus == Stakeholder("Marcus Lee", "CFO", power=4.0, interest=5.0, stance=-1)
    council = done.map.get("Works council")
    assert (council.stance, council.decision_role) == (-2, "veto")
    assert done.lines[0].read_as() == (
        "name Dana Whitfield · role CEO · decision role decider · power 5 · stance Neutral"
    )
    assert done.added == (
        "Dana Whitfield",
        "Marcus Lee",
        "Henrik",
        "Jonas",
        "Sofia",
        "Works council",
    )


def test_the_briefs_ties_resolve_first_names_and_read_strength_words() -> None:
    done = read_text(BRIEF)
    assert done.map.relationships == (
        Relationship("Henrik", "Marcus Lee", 3.0, "defers to"),
        Relationship("Jonas", "Sofia", 5.0, "influences"),
    )
    # "A listens to B": B influences A, as the importer reads "listens to"
    assert list(done.map.relationships[0].influence_edges()) == [("Marcus Lee", "Henrik", 3.0)]
    henrik = done.lines[6]
    assert henrik.kind == "tie"
    assert "to Marcus Lee (first name)" in henrik.read_as()
    assert "strength 3 (default)" in henrik.read_as()
    assert henrik.notes == ("means: Henrik defers to Marcus Lee: Marcus Lee sways Henrik",)
    assert done.description == "Quick add: 6 people added, 2 ties"


@pytest.mark.parametrize(
    ("line", "tie"),
    [
        ("Ana -> Ben", Relationship("Ana", "Ben")),
        ("Ana → Ben 2", Relationship("Ana", "Ben", 2.0)),
        ("Ana <- Ben, weak", Relationship("Ben", "Ana", 1.0)),
        ("Ana←Ben", Relationship("Ben", "Ana")),
        ("Ana->Ben, strength: -2", Relationship("Ana", "Ben", -2.0)),
        ("Ana influences Ben, high", Relationship("Ana", "Ben", 5.0)),
        ("Ana reports to Ben", Relationship("Ana", "Ben", 3.0, "reports to")),
        ("Ana defers to Ben very weak", Relationship("Ana", "Ben", 1.0, "defers to")),
        ("Ana is an ally of Ben", Relationship("Ana", "Ben", 3.0, "ally")),
        ("Ana is allied with Ben", Relationship("Ana", "Ben", 3.0, "ally")),
        ("Ana is a rival of Ben", Relationship("Ana", "Ben", -3.0, "rival")),
        ("Ana opposes Ben, -4", Relationship("Ana", "Ben", -4.0, "rival")),
        ("Ana -> Ben rival", Relationship("Ana", "Ben", -3.0, "rival")),
        ("Ana -> Ben, kind ally, strong", Relationship("Ana", "Ben", 5.0, "ally")),
    ],
)
def test_tie_forms(line: str, tie: Relationship) -> None:
    done = read_text(line, _map(Stakeholder("Ana"), Stakeholder("Ben")))
    assert not done.problems, done.problems
    assert done.map.relationships == (tie,)
    assert done.ties == (tie,)


# -- words in any order --------------------------------------------------------------------


@pytest.mark.parametrize(
    "pieces",
    list(itertools.permutations(["CEO", "decides", "power 5", "neutral", "interest: low"])),
)
def test_pieces_read_the_same_in_any_order(pieces: tuple[str, ...]) -> None:
    done = read_text("Dana, " + ", ".join(pieces))
    assert not done.problems
    assert done.map.stakeholders == (
        Stakeholder("Dana", "CEO", power=5.0, interest=1.0, decision_role="decider"),
    )


@pytest.mark.parametrize(
    ("piece", "field", "value"),
    [
        ("role Programme lead", "role", "Programme lead"),
        ('role "Head of Finance, EMEA"', "role", "Head of Finance, EMEA"),
        ("Head of Finance", "role", "Head of Finance"),
        ("group Board", "group", "Board"),
        ("team Ops", "group", "Ops"),
        ("influence 4", "power", 4.0),
        ("power 80%", "power", 4.2),
        ("power H", "power", 5.0),
        ("interest=2", "interest", 2.0),
        ("stance -1", "stance", -1),
        ("support +2", "stance", 2),
        ("passive opposition", "stance", -1),
        ("target stance supporter", "target_stance", 1),
        ("target: champion", "target_stance", 2),
        ("legitimacy 4", "legitimacy", 4.0),
        ("urgency 2", "urgency", 2.0),
        ("effort 1", "effort", 1.0),
        ('goals "cost, speed"', "goals", ("cost", "speed")),
        ("votes 3", "votes", 3.0),
        ("informal veto", "decision_role", "informal veto"),
        ("third party", "decision_role", "third party"),
        ("decision role influencer", "decision_role", "influencer"),
        ('notes "met in May"', "notes", "met in May"),
    ],
)
def test_each_field_of_a_person(piece: str, field: str, value: object) -> None:
    done = read_text(f"Ana, {piece}")
    assert not done.problems, done.problems
    assert getattr(done.map.get("Ana"), field) == value


def test_unaware_is_stance_zero_and_kept() -> None:
    ana = read_text("Ana, unaware").map.get("Ana")
    assert (ana.stance, ana.unaware, ana.engagement) == (0, True, "Unaware")


# -- what is not read ----------------------------------------------------------------------


def test_unknown_words_are_reported_with_line_and_text() -> None:
    done = read_text("Ana\nBen, CFO, banana, power 9, 5\n\nCara, for, against")
    problems = [(p.line, p.text, p.message) for p in done.problems]
    assert problems == [
        (2, "banana", "is not an attribute, a stance or decision role word or a job title"),
        (2, "power 9", "is outside 1-5"),
        (2, "5", "is a number without its attribute"),
        (4, "against", "gives the stance again (first: for)"),
    ]
    assert str(done.problems[0]).startswith('Line 2, "banana": is not an attribute')
    # a line with a problem adds nothing; the others still do
    assert done.map.names == ["Ana"]
    assert done.lines[1].read_as() == "name Ben · role CFO"


def test_a_line_starting_with_a_field_is_not_a_name() -> None:
    done = read_text('Critic, power 3\nveto\n"Critic", power 2\nCFO, power 4')
    assert [(p.line, p.text) for p in done.problems] == [(1, "Critic"), (2, "veto")]
    assert done.map.names == ["Critic", "CFO"]  # quoted, or a title: people are mapped by title


def test_ambiguous_first_names_are_reported_with_the_candidates() -> None:
    on_map = _map(Stakeholder("Marcus Lee"), Stakeholder("Marcus Chen"), Stakeholder("Ana"))
    done = read_text("Ana -> Marcus\nAna -> Mar strong\nAna -> Marcus L", on_map)
    first, second = done.problems
    assert (first.line, first.text, first.message) == (1, "Marcus", "matches more than one person")
    assert set(first.candidates) == {"Marcus Lee", "Marcus Chen"}
    assert (second.line, second.text) == (2, "Mar")
    assert set(second.candidates) == {"Marcus Lee", "Marcus Chen"}
    assert "Marcus Chen" in str(first) and "Marcus Lee" in str(first)
    assert done.map.relationships == (Relationship("Ana", "Marcus Lee"),)  # the unique prefix
    assert "to Marcus Lee (prefix)" in done.lines[2].read_as()


def test_a_tie_line_never_adds_a_person() -> None:
    on_map = _map(Stakeholder("Ana"))
    done = read_text("Ana -> Zoe\nZoe influences Ana strong\nAna -> Ana\n-> Ana\nAna ->", on_map)
    assert done.map == on_map
    assert [(p.line, p.text) for p in done.problems] == [
        (1, "Zoe"), (2, "Zoe"), (3, "Ana"), (4, "-> Ana"), (5, "Ana ->"),
    ]  # fmt: skip
    assert done.problems[0].message == "is not a person on the map or in this text"
    assert done.problems[2].message == "is Ana again (a self-loop)"


def test_a_tie_to_a_person_whose_line_failed_says_so() -> None:
    done = read_text("Zoe, banana\nAna\nAna -> Zoe")
    assert [(p.line, p.message) for p in done.problems][-1] == (
        3,
        "is added on line 1, which has problems",
    )
    assert done.map.names == ["Ana"] and not done.map.relationships


def test_a_line_read_two_ways_is_a_problem() -> None:
    people = [Stakeholder(n) for n in ("Kim", "Lee ally Max", "Kim ally Lee", "Max")]
    done = read_text("Kim ally Lee ally Max", _map(*people))
    (problem,) = done.problems
    assert problem.message == "reads more than one way: put the names in quotes"
    assert len(problem.candidates) == 2
    done = read_text('"Kim ally Lee" ally Max', _map(*people))
    assert done.map.relationships == (Relationship("Kim ally Lee", "Max", 3.0, "ally"),)


def test_a_tie_line_that_is_someones_whole_name_updates_them() -> None:
    on_map = _map(Stakeholder("Ally Friend Smith"), Stakeholder("Ally"), Stakeholder("Ben"))
    done = read_text("Ally Friend Smith, power 4\nAlly friend Ben", on_map)
    assert not done.problems
    assert done.map.get("Ally Friend Smith").power == 4.0
    assert done.map.relationships == (Relationship("Ally", "Ben", 3.0, "ally"),)
    unknown = read_text("Ally Friend Smith, CEO")  # a new name holding "friend": quote it
    assert unknown.map.names == [] and unknown.problems
    assert 'in quotes: "Ally Friend Smith"' in unknown.lines[0].notes[-1]


def test_an_arrow_cannot_turn_round_its_kind() -> None:
    done = read_text("Ana -> Ben reports to", _map(Stakeholder("Ana"), Stakeholder("Ben")))
    assert done.problems and not done.map.relationships


# -- updating and adding in one step ---------------------------------------------------------


def test_a_line_naming_someone_on_the_map_updates_only_the_fields_given() -> None:
    marcus = Stakeholder("Marcus Lee", "CFO", "Finance", 4.0, 5.0, -1, goals=("cost",))
    tie = Relationship("Marcus Lee", "Ana", 2.0)
    on_map = replace(_map(marcus, Stakeholder("Ana"), ties=(tie,)), positions={"Ana": (1.0, 2.0)})
    done = read_text("marcus lee, supporter, power 2\nAna", on_map)
    assert not done.problems
    assert done.map.get("Marcus Lee") == replace(marcus, stance=1, power=2.0)
    assert done.updated == ("Marcus Lee",) and done.added == ()
    assert done.lines[0].notes == ("updates Marcus Lee",)
    assert done.lines[1].notes == ("on the map already",)
    assert done.map.relationships == (tie,) and done.map.positions == on_map.positions
    assert done.description == "Quick add: 1 person updated"


def test_a_first_name_on_a_person_line_adds_a_new_person_and_says_so() -> None:
    done = read_text("Marcus, power 5", _map(Stakeholder("Marcus Lee")))
    assert done.map.names == ["Marcus Lee", "Marcus"]
    assert "Marcus Lee is on the map" in done.lines[0].notes[0]


def test_ties_reach_people_added_in_the_same_text_before_or_after() -> None:
    done = read_text("Jonas -> sofia b\nSofia Berg, for\nJonas\nJonas listens to Sofia")
    assert not done.problems
    assert done.map.relationships == (
        Relationship("Jonas", "Sofia Berg"),
        Relationship("Jonas", "Sofia Berg", 3.0, "defers to"),
    )


def test_a_tie_on_the_map_takes_a_new_strength_or_is_left() -> None:
    tie = Relationship("Ana", "Ben", 2.0, "ally")
    on_map = _map(Stakeholder("Ana"), Stakeholder("Ben"), ties=(tie,))
    done = read_text("Ben is an ally of Ana\nBen is an ally of Ana, 4", on_map)
    assert done.map.relationships == (replace(tie, strength=4.0),)
    assert done.lines[0].notes[-1] == "this tie is on the map already"
    assert done.ties == (replace(tie, strength=4.0),)


def test_a_name_written_twice_updates_the_person_added_above() -> None:
    done = read_text("Ana, CFO\nana, power 4")
    assert done.map.stakeholders == (Stakeholder("Ana", "CFO", power=4.0),)
    assert done.added == ("Ana",) and done.updated == ()


# -- hostile text --------------------------------------------------------------------------


def test_formula_looking_names_are_refused_or_kept_as_text() -> None:
    done = read_text('=HYPERLINK("http://x","y"), CEO\n=1+1, CFO\n"=SUM(A1, ""x"")"\n@cmd')
    assert done.lines[0].kind == "refused"
    assert done.lines[0].problems[0].message == "has text right after a closing quote"
    assert done.map.names == ["=1+1", '=SUM(A1, "x")', "@cmd"]
    assert 'starts with "=": kept as text, never a formula' in done.lines[1].notes


def test_markdown_is_kept_as_written() -> None:
    text = "**Boss** <b>x</b> [link](http://x), role `code`"
    done = read_text(text)
    assert done.map.stakeholders == (Stakeholder("**Boss** <b>x</b> [link](http://x)", "`code`"),)


def test_control_characters_are_left_out_as_the_importer_does() -> None:
    raw = "Ana\x1b[31m\x00 Lima\x7f\u202e, CFO"
    done = read_text(raw)
    assert done.map.names == [cell_text(raw.split(",")[0])]
    assert done.lines[0].notes[0] == "3 control characters left out"


def test_a_very_long_line_is_refused_whole() -> None:
    done = read_text("Ana, " + "x" * MAX_LINE + "\nBen")
    assert done.lines[0].kind == "refused"
    assert "over the limit of 1,000" in done.lines[0].problems[0].message
    assert done.map.names == ["Ben"]


def test_unclosed_quotes_and_list_marks() -> None:
    done = read_text('"Ana, CFO\n- Ben, CFO\n* Cara\n1. Dan')
    assert done.lines[0].problems[0].message == "has a quote that is not closed"
    assert done.map.names == ["Ben", "Cara", "Dan"]
    assert done.lines[1].notes == ('list mark "-" left out',)


def _words(*words: str, least: int = 0, most: int) -> st.SearchStrategy[str]:
    """Text made of ``words`` (single characters or whole words)."""
    return st.lists(st.sampled_from(words), min_size=least, max_size=most).map("".join)


_HOSTILE = _words(
    *string.ascii_letters[:6], " ", ",", ";", '"', "-", ">", "<", "→", "=", ":", "\n", "\x00",
    "\x1b", "\u2028", "\ud800", "李", "*", "5", "to", "ally", "power", "veto", "Ab", most=40,
)  # fmt: skip


@QUICK
@given(_HOSTILE, st.lists(st.sampled_from(["Ab", "ab c", "Ba", "C, d", "ally"]), unique=True))
def test_any_text_reads_without_raising_and_adds_only_what_it_shows(text, names) -> None:
    on_map = _map(*(Stakeholder(n) for n in names))
    done = read_text(text, on_map)
    shown = {ln.number for ln in done.lines}
    assert all(p.line in shown for p in done.problems)
    assert done.map.names[: len(names)] == list(names)
    for name in done.map.names[len(names) :]:
        assert name == cell_text(name) and name
        assert any(
            ln.kind == "person" and not ln.problems and _fold(ln.pieces[0].shown) == _fold(name)
            for ln in done.lines
        )
    for ln in done.lines:  # every piece of a line without problems was read
        if ln.kind == "person" and not ln.problems:
            assert len(ln.pieces) == len(split_line(ln.text))
    assert {e for t in done.map.relationships for e in (t.source, t.target)} <= set(done.map.names)


@QUICK
@given(_HOSTILE.map(lambda t: t.replace('"', "")))
def test_the_lexer_keeps_every_character_but_spaces_and_separators(text) -> None:
    tokens = [t.text for _, piece in split_line(text) for t in piece]
    assert "".join(tokens) == "".join(c for c in text if not c.isspace() and c not in ",;")


def test_a_line_cut_too_many_ways_is_refused() -> None:
    line = " ".join(["Ana influences"] * (MAX_WAYS + 2))
    done = read_text(line, _map(Stakeholder("Ana")))
    assert done.problems[0].message == f"can be cut into two names {MAX_WAYS + 1} ways"
    assert not done.map.relationships


# -- round trip on generated maps ----------------------------------------------------------

_SPACED = st.lists(
    st.sampled_from(["Ana", "Lee", "to", "ally", "is", "an", "of", "listens", "reports", "power",
                     "5", "-2", "strong", "veto", "->", "<-", "Critic", "CEO", '"x"', "Lee,", "-",
                     "1.", "for", "kind", "strength", "Marcus"]),
    min_size=1,
    max_size=4,
).map(" ".join)  # fmt: skip
_NAME = _SPACED | _words(
    *"AbCdé李 ,;\"'-><=:*.\t", "to", "ally", "is", "an", "of", "->", "power", "5", "veto",
    "Critic", "CEO", "strong", "→", "=1+1", " - ", "1. ", least=1, most=8,
).filter(lambda n: n == cell_text(n) and n != "")  # fmt: skip
_TEXT = _words(*"AbC ,:\"'-5%", "veto", "for", "power", most=8).filter(lambda t: t == cell_text(t))
_SCALE = st.integers(100, 500).map(lambda x: x / 100)


@st.composite
def _people(draw) -> list[Stakeholder]:
    names = draw(st.lists(_NAME, min_size=1, max_size=6, unique_by=_fold))  # fmt: skip
    people = []
    for name in names:
        stance = draw(st.integers(-2, 2))
        people.append(
            Stakeholder(
                name,
                role=draw(_TEXT),
                group=draw(_TEXT),
                power=draw(_SCALE),
                interest=draw(_SCALE),
                stance=stance,
                unaware=stance == 0 and draw(st.booleans()),
                target_stance=draw(st.none() | st.integers(-2, 2)),
                legitimacy=draw(st.none() | _SCALE),
                urgency=draw(st.none() | _SCALE),
                effort=draw(_SCALE),
                goals=tuple(draw(st.lists(st.sampled_from(["cost", "Speed", "a b"]), unique=True))),
                decision_role=draw(st.sampled_from(["", *DECISION_ROLES])),
                notes=draw(_TEXT),
                votes=draw(st.none() | st.integers(0, 40).map(lambda v: v / 2)),
            )
        )
    return people


@st.composite
def _ties(draw, names: list[str]) -> list[Relationship]:
    ties, seen = [], set()
    for _ in range(draw(st.integers(0, 8)) if len(names) > 1 else 0):
        source, target = draw(st.permutations(names))[:2]
        kind = draw(st.sampled_from(["influences", "defers to", "reports to", "ally", "rival"]))
        keys = {(source, target, kind)}
        keys |= {(target, source, kind)} if kind in ("ally", "rival") else set()
        if keys & seen:
            continue
        seen |= keys
        ties.append(Relationship(source, target, draw(st.integers(-50, 50)).__truediv__(10), kind))
    return ties


@QUICK
@given(st.data())
def test_text_written_from_people_and_ties_reads_back_as_them(data) -> None:
    people = data.draw(_people())
    ties = data.draw(_ties([p.name for p in people]))
    lines = [*map(tie_line, ties[:2]), *map(person_line, people), *map(tie_line, ties[2:])]
    text = "\n".join(lines)  # ties before and after the people they name
    done = read_text(text)
    assert not done.problems, (text, [str(p) for p in done.problems])
    assert done.map.stakeholders == tuple(people), text
    assert set(done.map.relationships) == set(ties) and len(done.map.relationships) == len(ties)
    again = read_text(text, done.map)  # read onto the map it made: nothing changes
    assert again.map == done.map and not again.added and not again.updated and not again.ties


@QUICK
@given(st.data())
def test_people_on_the_map_are_updated_in_place_by_their_lines(data) -> None:
    people = data.draw(_people())
    blank = [Stakeholder(p.name) for p in people]
    done = read_text("\n".join(map(person_line, people)), _map(*blank))
    assert not done.problems
    assert done.map.stakeholders == tuple(people)
    assert not done.added


# -- names ---------------------------------------------------------------------------------


def test_match_name_steps() -> None:
    names = ["Ana", "ana lima", "Anabel Ruiz", "Bo Ek", "Bob", "Ben Ek"]
    assert match_name("Ana", names).how == "exact"
    assert (match_name("ANA LIMA", names).name, match_name("ANA LIMA", names).how) == (
        "ana lima",
        "any case",
    )
    assert match_name("bo", names).name == "Bo Ek"  # first name before prefix (Bob)
    assert match_name("Anab", names).how == "prefix"
    assert match_name("Ben  ek", names).name == "Ben Ek"  # spaces folded
    assert set(match_name("B", names).candidates) == {"Bo Ek", "Bob", "Ben Ek"}
    assert match_name("", names).name is None and match_name("Zed", names).how == ""


def test_match_name_is_quick_on_many_people() -> None:
    names = [f"Person {i:05d}" for i in range(20_000)]
    lines = "\n".join(f"Person {i:05d} -> Person {i + 1:05d}" for i in range(0, 2000, 2))
    done = read_text(lines, _map(*(Stakeholder(n) for n in names)))
    assert len(done.map.relationships) == 1000 and not done.problems
