"""The server's gate: what a request must be before Streamlit sees it, and the room's cookies.

Streamlit's server answers any Host, looks up the machine's outside address when a WebSocket
comes from a foreign Origin, trusts X-Forwarded-For from loopback (uvicorn's default) and takes
uploads from any browser session that asked for upload URLs. Serving a room on a network, each
of these is a way in (docs/room-security.md), so :class:`Gate`, an ASGI middleware mounted by
``serve.py`` through ``st.App``, refuses:

- a Host that is not one the server serves: loopback, the machine's own addresses, and the
  names an operator lists in STAKEMAP_ALLOWED_HOSTS (DNS rebinding);
- a WebSocket whose Origin is not such a host (so Streamlit never looks anything up);
- forwarded headers (X-Forwarded-For, X-Real-IP, Forwarded) unless the operator names a
  trusted proxy (STAKEMAP_TRUSTED_PROXIES), so a client cannot pick the address its guess
  limits are counted on;
- in room mode, an upload from a browser session that has not signed in as facilitator, and
  any upload that would take the server's held upload memory past UPLOAD_MEMORY_BYTES.

A refusal says why in the browser's language: the one its language cookie names, else its
Accept-Language's first.

Its two routes turn a short-lived signed ticket into a signed, expiring, HttpOnly cookie and back
(:func:`enter`, :func:`leave`): the facilitator stays signed in across a reload, and a phone that
reloads, sleeps or opens a new tab gets its own seat back.
"""

from __future__ import annotations

import ipaddress
import re
import secrets
import socket
from functools import lru_cache
from http.cookies import CookieError, SimpleCookie
from urllib.parse import urlparse

from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from stakemap import settings
from stakemap.language import LANGUAGE_COOKIE, language_of, speaking
from stakemap.language import gettext as _
from stakemap.room.access import (
    FACILITATORS,
    SIGNED_OUT,
    Grants,
    passcode_hash,
    room_secret,
    sign,
    unsign,
)

__all__ = [
    "COOKIES",
    "ENTER",
    "LEAVE",
    "TICKET_SECONDS",
    "Gate",
    "cookie_payload",
    "host_allowed",
    "middleware",
    "routes",
    "ticket",
]

#: Cookie of each kind of ticket, and how long the cookie holds (seconds).
COOKIES = {"seat": ("stakemap_seat", 12 * 3600), "facilitator": ("stakemap_facilitator", 12 * 3600)}
#: How long a ticket may wait before its cookie is set.
TICKET_SECONDS = 120
ENTER, LEAVE = "/stakemap/enter", "/stakemap/leave"
#: Pages a ticket may lead back to.
_PAGES = {"join": "/join", "workshop": "/workshop", "facilitator": "/facilitator", "map": "/map"}
_FORWARDED = (b"x-forwarded-for", b"x-real-ip", b"forwarded", b"x-forwarded-host")
_UPLOAD = re.compile(r"^/_stcore/upload_file/([^/]+)/")
_USED = Grants()  # tickets already turned into cookies (one use each)


@lru_cache(maxsize=1)
def _own_addresses() -> frozenset[str]:
    """The machine's names and addresses, worked out once."""
    names = {"localhost", socket.gethostname().lower()}
    try:
        names.add(socket.getfqdn().lower())
        for info in socket.getaddrinfo(socket.gethostname(), None):
            names.add(str(info[4][0]).lower())
    except OSError:
        pass
    try:  # the address of the interface a packet out would leave by (nothing is sent)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            names.add(probe.getsockname()[0])
    except OSError:
        pass
    return frozenset(names)


def _bound_address() -> str | None:
    from streamlit import config

    address = config.get_option("server.address")
    return address if address and address not in ("0.0.0.0", "::") else None


def host_allowed(host: str | None, extra: tuple[str, ...] = ()) -> bool:
    """Whether a Host header names this server: a loopback address or name, one of the
    machine's own addresses, the bound address, or a name in ``extra`` (the operator's).

    >>> host_allowed("127.0.0.1:8501"), host_allowed("[::1]:8501"), host_allowed("127.0.0.9")
    (True, True, True)
    >>> host_allowed("evil.example:8501"), host_allowed("room.lan", ("room.lan",))
    (False, True)
    """
    if not host:
        return False
    try:
        parsed = urlparse(f"//{host}")
        name = (parsed.hostname or "").lower().rstrip(".")
        _ = parsed.port  # validates the port
    except ValueError:
        return False
    if not name or parsed.username or parsed.password:
        return False
    try:
        if ipaddress.ip_address(name).is_loopback:
            return True
    except ValueError:
        pass
    known = {n.lower() for n in extra} | _own_addresses()
    bound = _bound_address()
    if bound:
        known.add(bound.lower())
    return name in known


class Gate:
    """The ASGI middleware described in the module docstring."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        with speaking(_browser_language(scope)):
            refusal = _refusal(scope)
        if refusal is None:
            await self.app(scope, receive, send)
            return
        status, text = refusal
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008, "reason": text})
            return
        await PlainTextResponse(text, status_code=status)(scope, receive, send)


def _browser_language(scope) -> str:
    """The language a request's browser speaks: its language cookie's, else the first of its
    Accept-Language, else English.

    >>> _browser_language({"headers": [(b"accept-language", b"zh-CN,zh;q=0.9,en;q=0.8")]})
    'zh'
    """
    headers = dict(scope.get("headers") or [])
    chosen = None
    try:
        cookie = SimpleCookie(headers.get(b"cookie", b"").decode("latin-1")).get(LANGUAGE_COOKIE)
        chosen = cookie.value if cookie is not None else None
    except CookieError:
        pass
    accepted = headers.get(b"accept-language", b"").decode("latin-1")
    first = accepted.split(",")[0].split(";")[0]
    return language_of(chosen, first) or "en"


def _refusal(scope) -> tuple[int, str] | None:
    """(status, reason) when the request must be refused, else None."""
    headers = dict(scope.get("headers") or [])
    extra = settings.allowed_hosts()
    if not host_allowed(headers.get(b"host", b"").decode("latin-1"), extra):
        return 421, _("This server does not answer to that host name.")
    if not settings.trusted_proxies() and any(h in headers for h in _FORWARDED):
        return 400, _("Forwarded headers are refused: no proxy is trusted.")
    origin = headers.get(b"origin")
    if scope["type"] == "websocket" and origin is not None:
        netloc = urlparse(origin.decode("latin-1")).netloc
        if not host_allowed(netloc, extra):
            return 403, _("This server does not answer to that origin.")
    match = _UPLOAD.match(scope.get("path", ""))
    if match and scope["type"] == "http":
        return _upload_refusal(match.group(1), headers)
    return None


def _upload_refusal(session_id: str, headers: dict) -> tuple[int, str] | None:
    """Uploads in room mode come from the facilitator's browser alone, with a declared size
    that keeps the server's held upload memory under its cap."""
    if passcode_hash() is None:
        return None  # one user on this computer (make run): Streamlit's own limits
    if not FACILITATORS.holds(session_id):
        return 403, _("Only the facilitator can upload files.")
    length = headers.get(b"content-length", b"").decode("latin-1")
    if not length.isdigit():
        return 411, _("An upload must declare its size.")
    if _held_upload_bytes() + int(length) > settings.UPLOAD_MEMORY_BYTES:
        return 413, _("The server holds too many uploads just now: try again in a moment.")
    return None


def _held_upload_bytes() -> int:
    """Bytes Streamlit holds for uploads now, all sessions together."""
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return 0
    manager = Runtime.instance().uploaded_file_mgr
    storage = getattr(manager, "file_storage", {})
    return sum(len(f.data) for files in list(storage.values()) for f in list(files.values()))


def ticket(kind: str, **payload: str) -> str:
    """A signed ticket, good for :data:`TICKET_SECONDS`, that :func:`enter` turns into the
    ``kind`` cookie (``seat``: a participant's token; ``facilitator``: a sign-in id)."""
    nonce = secrets.token_urlsafe(12)
    return sign({"kind": kind, "nonce": nonce, **payload}, room_secret(), TICKET_SECONDS)


async def enter(request: Request) -> Response:
    """``/stakemap/enter?t=TICKET&to=PAGE``: set the ticket's cookie and go to the page."""
    data = unsign(request.query_params.get("t", ""), room_secret())
    to = _PAGES.get(request.query_params.get("to", ""), "/")
    nonce = str((data or {}).get("nonce", ""))
    if data is None or data.get("kind") not in COOKIES or not nonce or _USED.holds(nonce):
        return RedirectResponse(to, status_code=303)
    _USED.grant(nonce, TICKET_SECONDS)
    name, seconds = COOKIES[data["kind"]]
    value = sign(
        {k: v for k, v in data.items() if k not in ("exp", "nonce")}, room_secret(), seconds
    )
    response = RedirectResponse(to, status_code=303)
    response.set_cookie(
        name,
        value,
        max_age=seconds,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


async def leave(request: Request) -> Response:
    """``/stakemap/leave?to=PAGE``: clear the room's cookies (sign out) and go to the page."""
    response = RedirectResponse(_PAGES.get(request.query_params.get("to", ""), "/"), 303)
    which = request.query_params.get("what", "")
    for kind, (name, _seconds) in COOKIES.items():
        if which in ("", kind):
            response.delete_cookie(name, path="/")
    return response


def cookie_payload(kind: str, value: str | None) -> dict | None:
    """The payload of a ``kind`` cookie's value, or None (forged, expired, signed out)."""
    data = unsign(value or "", room_secret())
    if data is None or data.get("kind") != kind:
        return None
    if kind == "facilitator" and SIGNED_OUT.holds(str(data.get("id", ""))):
        return None
    return data


def middleware() -> list[Middleware]:
    return [Middleware(Gate)]


def routes() -> list[Route]:
    return [Route(ENTER, enter), Route(LEAVE, leave)]
