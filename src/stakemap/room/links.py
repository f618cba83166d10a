"""The join link: an address the phones can open, of a server that answers on it.

A phone can reach the server only on an address it listens on. Streamlit listens on
``server.address`` (empty or ``0.0.0.0``: every interface; ``127.0.0.1``: this laptop
alone) and ``server.port``. The facilitator's browser may have opened the page on
``localhost`` while the server listens everywhere: the link then takes the laptop's address on
the local network. A server that listens on loopback alone cannot be reached from a phone:
the link stays on loopback (it is the truth) and comes with the command that serves the room.
The link may carry the facilitator's language (``&lang=zh``): a phone opens in it, and can
switch for itself (docs/languages.md).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from stakemap.language import gettext as _

__all__ = ["LOOPBACK_NAMES", "SERVE_COMMAND", "JoinLink", "is_loopback", "join_link"]

#: Host names that mean this machine.
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
#: What starts a server the room's phones can reach, with a facilitator passcode (the
#: README's "Serving a room").
SERVE_COMMAND = "make room"
_EVERYWHERE = frozenset({"", "0.0.0.0", "::", "[::]"})


@dataclass(frozen=True)
class JoinLink:
    """The link to show and, when phones cannot open it, why and what to run instead."""

    url: str
    reachable: bool
    warning: str = ""


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only.

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("192.168.1.20")
    (True, True, False)
    """
    host = host.strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _host_text(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def join_link(
    code: str,
    page_url: str,
    listen_address: str,
    port: int,
    lan_address: str | None,
    lang: str = "",
) -> JoinLink:
    """The join link for ``code``.

    ``page_url`` is the address the facilitator's browser opened; ``listen_address`` and
    ``port`` are where the server listens; ``lan_address`` is this machine's address on the
    local network, if it has one; ``lang``, if given, the language the phones open in.

    >>> join_link("ABC234", "http://192.168.1.20:8501/workshop", "", 8501, "192.168.1.20").url
    'http://192.168.1.20:8501/join?code=ABC234'
    >>> join_link("ABC234", "http://localhost:8501/", "0.0.0.0", 8501, "10.0.0.5").url
    'http://10.0.0.5:8501/join?code=ABC234'
    >>> link = join_link("ABC234", "http://localhost:8501/", "127.0.0.1", 8501, "10.0.0.5")
    >>> link.url, link.reachable
    ('http://127.0.0.1:8501/join?code=ABC234', False)
    >>> join_link("ABC234", "https://room.example.org/", "", 8501, None, lang="zh").url
    'https://room.example.org/join?code=ABC234&lang=zh'
    """
    parts = urlsplit(page_url or "")
    scheme = parts.scheme or "http"
    host = parts.hostname or ""
    tail = f"/join?code={quote(code)}" + (f"&lang={quote(lang)}" if lang else "")
    if host and not is_loopback(host):
        # opened through a name or an address the phones share (or a proxy's): keep it
        shown_port = f":{parts.port}" if parts.port else ""
        return JoinLink(f"{scheme}://{_host_text(host)}{shown_port}{tail}", True)
    listen = listen_address.strip()
    if listen in _EVERYWHERE:
        if lan_address:
            return JoinLink(f"{scheme}://{_host_text(lan_address)}:{port}{tail}", True)
        return JoinLink(
            f"{scheme}://{_host_text(host or '127.0.0.1')}:{port}{tail}",
            False,
            _(
                "This computer has no address on a local network: connect it to the room's "
                "Wi-Fi, then reload this page."
            ),
        )
    if not is_loopback(listen):
        return JoinLink(f"{scheme}://{_host_text(listen)}:{port}{tail}", True)
    return JoinLink(
        f"{scheme}://{_host_text(listen)}:{port}{tail}",
        False,
        _(
            "The server listens on {address} only, so phones cannot open this link. Serve the "
            "room on the network instead: run make passcode, export the hash it prints as "
            "STAKEMAP_PASSCODE_HASH, then {command}."
        ).format(address=listen, command=SERVE_COMMAND),
    )
