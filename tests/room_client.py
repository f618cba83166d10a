"""A client that speaks Streamlit's WebSocket protocol as a phone (or an attacker) would.

It connects to ``/_stcore/stream`` from a chosen loopback address (127.0.0.2, ...: a distinct
client to the server, never a forwarded header), sends ``BackMsg`` protobufs (a script run
with widget values, ``clear_cache``, a request for upload URLs) and reads every
``ForwardMsg`` back, keeping each byte received so a test can search them.
"""

from __future__ import annotations

import json
import re
import socket
import time
import urllib.parse
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.sync.client import connect

__all__ = ["Element", "RoomClient", "http"]


@dataclass
class Element:
    """One element a script run drew: its type, label, widget id and the text it shows."""

    kind: str
    label: str
    id: str
    text: str
    form: str = ""


@dataclass
class RoomClient:
    """One browser tab as the server sees it: a WebSocket from ``source`` (a loopback address)
    to the app on ``port``, with the cookies it holds."""

    port: int
    source: str = "127.0.0.2"
    host: str | None = None
    origin: str | None = None
    cookies: dict[str, str] = field(default_factory=dict)
    received: bytearray = field(default_factory=bytearray)
    elements: list[Element] = field(default_factory=list)
    _ws: object | None = None

    def open(self) -> RoomClient:
        sock = socket.create_connection(("127.0.0.1", self.port), source_address=(self.source, 0))
        host = self.host or f"127.0.0.1:{self.port}"
        headers = {"Origin": self.origin or f"http://127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self._ws = connect(  # the URI names the Host header; the socket is already connected
            f"ws://{host}/_stcore/stream",
            sock=sock,
            subprotocols=["streamlit"],
            additional_headers=headers,
            max_size=None,
            open_timeout=10,
        ).__enter__()
        return self

    def close(self) -> None:
        if self._ws is not None:
            self._ws.__exit__(None, None, None)
            self._ws = None

    def send(self, msg: BackMsg) -> None:
        self._ws.send(msg.SerializeToString())

    def run(
        self, page: str = "join", widgets: list[WidgetState] = (), query: str = ""
    ) -> list[Element]:
        """Run ``page`` with ``widgets`` set and return what it drew (waits for the end)."""
        msg = BackMsg()
        msg.rerun_script.page_name = page
        msg.rerun_script.query_string = query
        msg.rerun_script.widget_states.widgets.extend(widgets)
        self.send(msg)
        self.elements = []
        self._read_until("script_finished")
        return self.elements

    def clear_cache(self) -> None:
        msg = BackMsg()
        msg.clear_cache = True
        self.send(msg)

    def upload_urls(self, count: int = 1) -> list[str]:
        """Ask for upload URLs, as an uploader on the page would."""
        msg = BackMsg()
        msg.file_urls_request.request_id = "r1"
        msg.file_urls_request.file_names.extend([f"f{k}.csv" for k in range(count)])
        msg.file_urls_request.session_id = ""
        self.send(msg)
        reply = self._read_until("file_urls_response")
        return [u.upload_url for u in reply.file_urls_response.file_urls]

    def _read_until(self, kind: str, timeout: float = 30.0) -> ForwardMsg:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            raw = self._ws.recv(timeout=max(0.1, deadline - time.monotonic()))
            self.received += raw if isinstance(raw, bytes) else raw.encode()
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            which = msg.WhichOneof("type")
            if which == "delta":
                self._element(msg)
            if which == kind:
                done = ForwardMsg.ScriptFinishedStatus
                if (
                    kind == "script_finished"
                    and msg.script_finished == done.FINISHED_EARLY_FOR_RERUN
                ):
                    self.elements = []  # st.rerun(): the next run draws the page
                    continue
                if kind == "script_finished" and msg.script_finished not in (
                    done.FINISHED_SUCCESSFULLY,
                    done.FINISHED_WITH_COMPILE_ERROR,
                ):
                    continue  # a fragment's own run
                return msg
        raise TimeoutError(f"no {kind} within {timeout} s")

    def _element(self, msg: ForwardMsg) -> None:
        if msg.delta.WhichOneof("type") != "new_element":
            return
        el = msg.delta.new_element
        kind = el.WhichOneof("type")
        if kind is None:
            return
        body = getattr(el, kind)
        label = getattr(body, "label", "") or ""
        text = getattr(body, "body", "") or ""
        if kind == "html":
            text = body.body
        self.elements.append(
            Element(kind, label, getattr(body, "id", ""), text, getattr(body, "form_id", ""))
        )

    # -- helpers for the pages --------------------------------------------------------------

    def widget(self, label: str) -> Element:
        return next(e for e in self.elements if e.label == label and e.id)

    def texts(self) -> str:
        return "\n".join(f"{e.label} {e.text}" for e in self.elements)

    def submit(self, button: str, values: dict[str, str], page: str) -> list[Element]:
        """Fill the text inputs named in ``values`` and press the form's ``button``."""
        states = []
        for label, value in values.items():
            states.append(WidgetState(id=self.widget(label).id, string_value=value))
        states.append(WidgetState(id=self.widget(button).id, trigger_value=True))
        return self.run(page, states)

    def redirect(self) -> str | None:
        """The URL a drawn redirect script would send the browser to, if any."""
        for e in self.elements:
            found = re.search(r"location\.replace\((\".*?\")\)", e.text)
            if e.kind == "html" and found:
                return json.loads(found.group(1))
        return None

    def follow(self, url: str) -> int:
        """GET ``url`` from this client's address as the browser would, keeping any cookie
        it sets; returns the status."""
        status, headers, _ = http(self.port, "GET", url, source=self.source)
        for name, value in headers:
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, val = pair.partition("=")
                val = val.strip().strip('"')
                if val and "max-age=0" not in value.lower().replace(" ", ""):
                    self.cookies[key.strip()] = val
                else:
                    self.cookies.pop(key.strip(), None)
        return status


def http(
    port: int,
    method: str,
    path: str,
    *,
    source: str = "127.0.0.2",
    headers: dict[str, str] | None = None,
    body: bytes = b"",
) -> tuple[int, list[tuple[str, str]], bytes]:
    """One raw HTTP request from ``source`` (no redirects followed)."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    try:
        conn.request(method, urllib.parse.quote(path, safe="/?=&.%-_~"), body, headers or {})
        resp = conn.getresponse()
        return resp.status, resp.getheaders(), resp.read()
    finally:
        conn.close()
