"""The tab's map: kept in the URL, shown as plain text, and restored after a reload."""

from __future__ import annotations

import uuid
from pathlib import Path

from streamlit.testing.v1 import AppTest

from stakemap.model import Stakeholder, StakeholderMap

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def test_the_map_stays_in_the_url_after_a_page_link(store) -> None:
    first = store.create("First", StakeholderMap((Stakeholder("Ana"),)))
    second = store.create("Second", StakeholderMap((Stakeholder("Ben"),)))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["map"] = str(second)
    at.switch_page("views/data.py")
    at.run()
    assert at.title[0].value == "Data · Second"
    at.query_params.clear()  # st.Page links drop the query string
    at.switch_page("views/export.py")
    at.run()
    assert at.query_params["map"] == str(second)
    assert first != second


def test_a_map_name_is_shown_as_text_not_markdown(store) -> None:
    store.create("**bold** [link](http://example.com) www.example.org", StakeholderMap())
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("views/data.py")
    at.run()
    title = at.title[0].value
    assert "\\*\\*bold\\*\\*" in title and "\\[link\\]" in title
    assert "://" not in title and "www." not in title  # no bare address to autolink


def test_a_sample_map_is_named_after_the_sample(store) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("views/data.py")
    at.run()
    at.sidebar.radio(key="new-source").set_value("Sample").run()
    at.sidebar.selectbox(key="new-sample").set_value("Gas pipeline (third parties)").run()
    at.sidebar.button(key="new-create").click().run()
    assert [m.name for m in store.list_maps()] == ["Gas pipeline (third parties)"]


def test_a_plan_is_kept_for_a_version_that_changed_only_notes_or_positions(monkeypatch) -> None:
    """Plans are keyed by what the planner reads (stakemap.model.basis), not by version."""
    from dataclasses import replace

    from stakemap.samples.cases import new_programme
    from stakemap.ui import session

    planned = []
    real = session._plan
    monkeypatch.setattr(session, "_plan", lambda *args: planned.append(args[0]) or real(*args))
    m = new_programme()
    first = m.stakeholders[0]
    m = replace(m, stakeholders=(replace(first, role=f"Lead {uuid.uuid4()}"), *m.stakeholders[1:]))
    noted = m.with_stakeholder(first.name, notes="Call after the board")
    moved = replace(noted, positions={first.name: (10.0, 20.0)})
    swayed = moved.with_stakeholder(first.name, stance=-first.stance or 1)
    versions = [
        session.Current(1, "Kept", k, data) for k, data in enumerate((m, noted, moved, swayed), 1)
    ]
    plans = [session.planned(cur) for cur in versions]
    ours = [p for p in planned if p in (m, noted, moved, swayed)]  # not other tests' work ahead
    assert ours == [m, swayed]  # worked out for the first version and the stance change
    assert plans[0] is plans[1] is plans[2] and plans[3] is not plans[0]


def test_measures_are_kept_for_a_version_that_changed_only_notes() -> None:
    """The network's measures are keyed by the people basis (stakemap.model.people_basis)."""
    from dataclasses import replace

    from stakemap.samples.cases import new_programme
    from stakemap.ui import session

    m = new_programme()
    first = m.stakeholders[0]
    m = replace(m, stakeholders=(replace(first, role=f"Lead {uuid.uuid4()}"), *m.stakeholders[1:]))
    noted = m.with_stakeholder(first.name, notes="Call after the board")
    proposed = replace(noted, proposal=replace(noted.proposal, title="Another ask"))
    tied = replace(proposed, relationships=proposed.relationships[1:])
    versions = [
        session.Current(1, "Kept", k, data) for k, data in enumerate((m, noted, proposed, tied), 1)
    ]
    tables = [session.measures(cur) for cur in versions]
    assert tables[0] is tables[1] is tables[2]
    assert tables[3] is not tables[0]
