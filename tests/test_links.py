"""The join link names an address the server listens on, for every way a server can be
started and a facilitator's page opened (stakemap.room.links)."""

from __future__ import annotations

import itertools
from urllib.parse import urlsplit

import pytest

from stakemap.room.links import SERVE_COMMAND, is_loopback, join_link

LAN = "192.168.4.17"
PAGES = [
    "http://localhost:8501/workshop",
    "http://127.0.0.1:8501/",
    "http://[::1]:8501/workshop",
    "",  # no URL known (an old client)
]
LISTENS = ["", "0.0.0.0", "::", "127.0.0.1", "::1", "localhost", LAN]


def _serves(listen: str, host: str) -> bool:
    """Whether a server listening on ``listen`` answers a phone opening ``host``."""
    if listen in ("", "0.0.0.0", "::"):
        return not is_loopback(host)
    return host == listen.strip("[]") and not is_loopback(host)


@pytest.mark.parametrize(
    ("page", "listen", "lan"), list(itertools.product(PAGES, LISTENS, [LAN, None]))
)
def test_the_link_is_on_an_address_the_server_answers_or_says_why_not(page, listen, lan):
    link = join_link("ABC234", page, listen, 8599, lan)
    parts = urlsplit(link.url)
    assert parts.path == "/join" and parts.query == "code=ABC234"
    if link.reachable:
        assert _serves(listen, parts.hostname) and parts.port == 8599
        assert not link.warning
    else:
        assert link.warning  # the page never shows an unreachable link without a word
        if is_loopback(listen):
            assert SERVE_COMMAND in link.warning and listen in link.warning
            assert is_loopback(parts.hostname)


def test_a_page_opened_through_a_shared_name_keeps_it():
    """Behind a proxy or through the laptop's name the facilitator's own address is one the
    phones share: it is kept, port and scheme included."""
    link = join_link("ABC234", "https://room.example.org/workshop", "127.0.0.1", 8501, None)
    assert link.url == "https://room.example.org/join?code=ABC234" and link.reachable


def test_everywhere_without_a_network_asks_for_the_wifi():
    link = join_link("ABC234", "http://localhost:8501/", "0.0.0.0", 8501, None)
    assert not link.reachable and "Wi-Fi" in link.warning


def test_ipv6_addresses_are_bracketed():
    link = join_link("ABC234", "http://localhost:8501/", "::", 8501, "fd00::17")
    assert link.url == "http://[fd00::17]:8501/join?code=ABC234"


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "127.8.9.1", "::1", "[::1]", "localhost", "LOCALHOST"]
)
def test_loopback_names(host):
    assert is_loopback(host)


@pytest.mark.parametrize("host", ["192.168.1.2", "10.0.0.1", "fd00::1", "laptop.local", ""])
def test_not_loopback(host):
    assert not is_loopback(host)
