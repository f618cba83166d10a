"""Two app processes on one PostgreSQL database, as behind a reverse proxy: an edit on one shows
on the other, and a stale save from either is refused with a way to reload."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from stakemap.samples import SAMPLES
from stakemap.store import Store
from tests.browser.conftest import AppServer
from tests.browser.helpers import open_page, screenshot, wait_for_app
from tests.browser.test_data_browser import _edit_first_name, _map_named

PROGRAMME = "New programme (coalition from a junior position)"


@pytest.fixture
def replicas(pg_cluster, browser_type_launch_args) -> Iterator[tuple[AppServer, AppServer]]:
    url = pg_cluster.new_database()
    first, second = AppServer(url), AppServer(url)
    first.start()  # the first start loads the samples; the second finds them
    second.start()
    yield first, second
    first.stop()
    second.stop()
    pg_cluster.drop_database(url)


def test_two_replicas_share_edits_and_refuse_stale_saves(page, replicas) -> None:
    one, two = replicas
    assert one.port != two.port
    open_page(page, one, "data")
    other = page.context.new_page()
    open_page(other, two, "data")
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
