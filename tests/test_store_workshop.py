"""Workshop persistence: sessions, codes dead on close, participants bound to a session,
answers changeable until the round closes, revisions, the Ratings rows; many at once."""

from __future__ import annotations

import threading

import pytest

from stakemap.room.rounds import Item, items_for
from stakemap.room.sessions import WorkshopStore, clean_name
from stakemap.store.maps import Store
from tests.conftest import small_map


@pytest.fixture
def ws(database_url: str) -> WorkshopStore:
    """On SQLite and PostgreSQL in turn."""
    return WorkshopStore(Store(database_url))


@pytest.fixture
def map_id(ws) -> int:
    return ws.store.create("Demo", small_map())


def test_code_dies_at_once_on_close(ws, map_id):
    s = ws.start(map_id)
    assert ws.find_open(s.code.lower()).id == s.id
    ws.close(s.id)
    assert ws.find_open(s.code) is None
    assert ws.get(s.id).closed and ws.get(s.id).code is None
    with pytest.raises(ValueError, match="ended"):
        ws.join(s.id, "Ana")
    assert ws.open_for_map(map_id) is None


def test_participant_token_works_only_while_open(ws, map_id):
    s = ws.start(map_id)
    p = ws.join(s.id, "  Zoé\x00 ")
    assert p.name == "Zoé"
    assert ws.participant(p.token) == p
    assert ws.participant("guess") is None and ws.participant("") is None
    ws.close(s.id)
    assert ws.participant(p.token) is None


def test_anonymous_only_when_allowed(ws, map_id):
    s = ws.start(map_id)
    with pytest.raises(ValueError, match="display name"):
        ws.join(s.id, "   ")
    ws.set_view(s.id, allow_anonymous=True)
    p = ws.join(s.id, "")
    assert p.label == "Anonymous 1"


def test_anonymous_participants_are_numbered_from_one_everywhere(ws, map_id):
    """Named people joining first do not shift the numbers: the first anonymous is
    "Anonymous 1" on their phone, in the results and in the Ratings sheet."""
    s = ws.start(map_id, allow_anonymous=True)
    named = [ws.join(s.id, n) for n in ("Li Na", "Sam")]
    first, second = ws.join(s.id, ""), ws.join(s.id, " ")
    assert (first.label, second.label) == ("Anonymous 1", "Anonymous 2")
    assert ws.participant(first.token).label == "Anonymous 1"
    everyone = ["Li Na", "Sam", "Anonymous 1", "Anonymous 2"]
    assert [p.label for p in ws.participants(s.id)] == everyone
    rnd = ws.open_round(s.id, items_for(["Ana"], ["power"]))
    for value, p in enumerate([*named, first, second], start=1):
        ws.answer(p, rnd.id, Item("power", "Ana"), value)
    (result,) = ws.results(rnd)
    assert result.answers == {"Li Na": 1, "Sam": 2, "Anonymous 1": 3, "Anonymous 2": 4}
    later = ws.start(map_id, allow_anonymous=True)  # a second session numbers its own
    again = ws.join(later.id, "")
    assert again.label == "Anonymous 1"
    assert [r[4] for r in ws.ratings_rows(map_id)[1:]] == everyone


def test_answers_change_until_the_round_closes(ws, map_id):
    s = ws.start(map_id)
    a, b = ws.join(s.id, "A"), ws.join(s.id, "B")
    rnd = ws.open_round(s.id, items_for(["Ana", "Ben"], ["power", "stance"]))
    assert rnd.number == 1
    item = Item("power", "Ana")
    ws.answer(a, rnd.id, item, 2)
    ws.answer(a, rnd.id, item, 4)  # changed
    ws.answer(b, rnd.id, item, 5)
    (result,) = ws.results(rnd)
    assert result.answers == {"A": 4, "B": 5} and result.median == 4.5
    with pytest.raises(ValueError, match="whole number"):
        ws.answer(a, rnd.id, item, 6)
    with pytest.raises(ValueError, match="not in the round"):
        ws.answer(a, rnd.id, Item("interest", "Ana"), 3)
    ws.set_round(rnd.id, open=False)
    with pytest.raises(ValueError, match="closed"):
        ws.answer(a, rnd.id, item, 1)
    assert ws.results(ws.latest_round(s.id))[0].answers == {"A": 4, "B": 5}


def test_participant_cannot_answer_another_sessions_round(ws, map_id):
    s1, s2 = ws.start(map_id), ws.start(map_id)
    intruder = ws.join(s2.id, "X")
    rnd = ws.open_round(s1.id, items_for(["Ana"], ["power"]))
    with pytest.raises(ValueError, match="not in your session"):
        ws.answer(intruder, rnd.id, Item("power", "Ana"), 3)


def test_revision_moves_on_what_the_room_sees_activity_on_answers(ws, map_id):
    s = ws.start(map_id)
    r0, a0, v0 = ws.follow_token(s.id)
    p = ws.join(s.id, "A")
    r1, a1, _ = ws.follow_token(s.id)
    assert (r1, a1) == (r0, a0 + 1)  # a join is not shown to the room
    ws.set_view(s.id, view="network")
    ws.set_view(s.id, view="network")  # no change, no bump
    r2, _, _ = ws.follow_token(s.id)
    assert r2 == r1 + 1
    rnd = ws.open_round(s.id, items_for(["Ana"], ["power"]))
    r3, a3, _ = ws.follow_token(s.id)
    ws.answer(p, rnd.id, Item("power", "Ana"), 3)
    assert ws.follow_token(s.id)[:2] == (r3, a3 + 1)
    latest = ws.store.latest_number(map_id)
    ws.store.save(map_id, small_map(), latest, "moved someone")
    assert ws.follow_token(s.id)[2] == v0 + 1
    with pytest.raises(ValueError):
        ws.set_view(s.id, view="data")
    with pytest.raises(ValueError):
        ws.set_view(s.id, lens="<script>")
    assert ws.follow_token(10**6) == (0, 0, 0)


def test_round_numbers_run_per_map_and_a_new_round_closes_the_old(ws, map_id):
    s = ws.start(map_id)
    first = ws.open_round(s.id, items_for(["Ana"], ["power"]))
    ws.close(s.id)
    s2 = ws.start(map_id)
    second = ws.open_round(s2.id, items_for(["Ben"], ["interest"]))
    third = ws.open_round(s2.id, items_for(["Ben"], ["stance"]))
    assert [r.number for r in ws.rounds_of_map(map_id)] == [1, 2, 3]
    assert [r.open for r in ws.rounds_of_map(map_id)] == [False, False, True]
    assert first.id != second.id != third.id


def test_ratings_rows_keep_answers_after_close(ws, map_id):
    s = ws.start(map_id)
    ws.set_view(s.id, allow_anonymous=True)
    a, anon = ws.join(s.id, "Ana's phone"), ws.join(s.id, "")
    rnd = ws.open_round(s.id, items_for(["Ana", "Ben"], ["influence"]))
    ws.answer(a, rnd.id, Item("influence", "Ana", "Ben"), 4)
    ws.answer(anon, rnd.id, Item("influence", "Ben", "Ana"), 1)
    ws.close(s.id)
    rows = ws.ratings_rows(map_id)
    assert rows[0][:6] == ["Round", "Attribute", "Person", "Listens to", "Participant", "Answer"]
    assert [r[:6] for r in rows[1:]] == [
        [1, "influence", "Ana", "Ben", "Ana's phone", 4],
        [1, "influence", "Ben", "Ana", "Anonymous 1", 1],
    ]


def test_thirty_participants_at_once_lose_no_answer(ws, map_id):
    s = ws.start(map_id)
    people = [ws.join(s.id, f"P{i}") for i in range(30)]
    items = items_for(["Ana", "Ben", "Chloé"], ["power", "interest"])
    rnd = ws.open_round(s.id, items)
    errors = []

    def rate(p, offset):
        try:
            for k, item in enumerate(items):
                ws.answer(p, rnd.id, item, 1 + (offset + k) % 5)
        except Exception as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=rate, args=(p, i)) for i, p in enumerate(people)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(ws.answers(rnd.id)) == 30 * len(items)
    assert all(r.count == 30 for r in ws.results(rnd))
    _, activity, _ = ws.follow_token(s.id)
    assert activity == 1 + 30 + 1 + 30 * len(items)  # no lost increment


def test_clean_name_limits():
    assert clean_name("x" * 500) == "x" * 40
    assert clean_name("\u202eevil\n") == "evil"


def test_ratings_sheet_in_the_workbook(ws, map_id):
    import io

    import openpyxl

    from stakemap.files.exporting import to_xlsx

    s = ws.start(map_id)
    p = ws.join(s.id, "=HYPERLINK(1)")
    rnd = ws.open_round(s.id, items_for(["Ana"], ["power"]))
    ws.answer(p, rnd.id, Item("power", "Ana"), 4)
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(small_map(), ratings=ws.ratings_rows(map_id))))
    sheet = book["Ratings"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:6] == (1, "power", "Ana", None, "=HYPERLINK(1)", 4)
    assert sheet.cell(2, 5).data_type == "s"  # text, never a live formula
    plain = openpyxl.load_workbook(io.BytesIO(to_xlsx(small_map())))
    assert "Ratings" not in plain.sheetnames
