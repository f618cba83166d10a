"""Two app processes on one PostgreSQL database, as behind a reverse proxy: an edit on one shows
on the other, a stale save from either is refused with a way to reload, and a workshop run on
one is followed and rated from the other (the follow view reads the store, not process memory)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from stakemap.room.access import PASSCODE_ENV, hash_passcode
from stakemap.room.sessions import WorkshopStore
from stakemap.samples.cases import SAMPLES
from stakemap.store.maps import Store
from tests.browser.conftest import AppServer
from tests.browser.helpers import open_page, screenshot, wait_for_app
from tests.browser.test_data_browser import _edit_first_name, _map_named
from tests.browser.test_workshop_browser import CHART, PASSCODE, _nav, _pick, _sign_in

PROGRAMME = "New programme (coalition from a junior position)"


@pytest.fixture
def replicas(pg_cluster, browser_type_launch_args) -> Iterator[tuple[AppServer, AppServer]]:
    """Two servers on one fresh database, both serving a room (the same passcode hash)."""
    url = pg_cluster.new_database()
    env = {PASSCODE_ENV: hash_passcode(PASSCODE, n=2**10)}
    first, second = AppServer(url, env=env), AppServer(url, env=env)
    first.start()  # the first start loads the samples; the second finds them
    second.start()
    yield first, second
    first.stop()
    second.stop()
    pg_cluster.drop_database(url)


def test_two_replicas_share_edits_and_refuse_stale_saves(page, replicas) -> None:
    one, two = replicas
    assert one.port != two.port
    _sign_in(page, one, PASSCODE)
    _nav(page, "Data")
    # another browser, as behind the proxy, which keeps each browser on one replica: one
    # browser on two replicas shares its cookies between two servers on one host (the XSRF
    # cookie of each overwrites the other's), and its page on one of them lost its connection
    # now and then, two runs in five
    other = page.context.browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    _sign_in(other, two, PASSCODE)
    _nav(other, "Data")
    other.get_by_text("Version 1 ·").first.wait_for()

    _edit_first_name(page, "Maya (replica one)")
    page.get_by_text("Version 2 ·").first.wait_for()
    _edit_first_name(other, "Maya (replica two)")  # based on version 1: refused
    wait_for_app(other)
    other.get_by_text("Not saved: this map was changed in another tab").wait_for()
    screenshot(other, "replica-two-stale-save")
    other.get_by_role("button", name="Reload the latest version").click()
    wait_for_app(other)
    other.get_by_text("Version 2 ·").first.wait_for()
    other.get_by_text("Maya (replica one)").first.wait_for(state="attached")  # grid cell

    _edit_first_name(other, "Maya (from two)")
    other.get_by_text("Version 3 ·").first.wait_for()
    _edit_first_name(page, "Maya (stale on one)")
    wait_for_app(page)
    page.get_by_text("Not saved: this map was changed in another tab").wait_for()

    store = Store(one.database_url)
    latest = store.latest(_map_named(store, PROGRAMME))
    assert (latest.number, latest.data.names[0]) == (3, "Maya (from two)")
    assert len(store.list_maps()) == len(SAMPLES)  # the two first starts seeded once
    store.engine.dispose()


def test_a_workshop_on_one_replica_is_followed_and_rated_from_the_other(browser, replicas):
    one, two = replicas
    fac = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    _sign_in(fac, one, PASSCODE)
    _nav(fac, "Workshop")
    fac.get_by_role("button", name="Start a session").click()
    wait_for_app(fac)
    code = fac.locator(".st-key-join-code").inner_text().strip()
    store = Store(one.database_url)
    session = next(s for m in store.list_maps() if (s := WorkshopStore(store).open_for_map(m.id)))

    open_page(phone, two, f"join?code={code}")  # the code was made by the other process
    phone.get_by_label("Your display name").fill("Ada")
    phone.get_by_role("button", name="Join").click()
    wait_for_app(phone)
    phone.get_by_text("Joined as Ada").wait_for()

    person = next(s for s in store.latest(session.map_id).data.stakeholders if s.stance == 0)
    _nav(fac, "Map")
    fac.locator(f'{CHART} [role=graphics-symbol][aria-label*="Name: {person.name};"]').first.click()
    wait_for_app(fac)
    fac.get_by_role("button", name="stance +1").click()
    fac.get_by_text("Stance: Supporter").wait_for()
    moved = f'{CHART} [role=graphics-symbol][aria-label*="Stance: Supporter;"]'
    # The follow view polls each second; the long timeouts are for a loaded CI machine.
    phone.locator(f'{moved}[aria-label*="Name: {person.name};"]').first.wait_for(timeout=15_000)

    _nav(fac, "Workshop")
    fac.get_by_role("tab", name="Rating round").click()
    _pick(fac, "People", store.latest(session.map_id).data.names[0])
    fac.get_by_role("button", name="Open the round").click()
    wait_for_app(fac)
    answer = phone.locator(".st-key-ballot").get_by_role("radio", name="3 (medium)")
    answer.first.wait_for(timeout=15_000)
    answer.first.click()
    wait_for_app(phone)
    fac.get_by_text("1 answer from 1 person").wait_for(timeout=15_000)
    screenshot(phone, "replica-two-participant")
    store.engine.dispose()
