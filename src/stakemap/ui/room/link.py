"""The join card's link and QR code, for the address this server really listens on
(:func:`stakemap.room.links.join_link`)."""

from __future__ import annotations

import io
import socket

import segno
import streamlit as st

from stakemap.language import language
from stakemap.room.links import JoinLink, join_link

__all__ = ["lan_address", "qr_png", "room_link"]


def room_link(code: str) -> JoinLink:
    """The join link for ``code`` from this page's address and the server's own options, in
    the facilitator's language (a phone can switch for itself)."""
    return join_link(
        code,
        st.context.url or "",
        str(st.get_option("server.address") or ""),
        int(st.get_option("server.port") or 8501),
        lan_address(),
        lang=language(),
    )


@st.cache_data(ttl=30, show_spinner=False)
def lan_address() -> str | None:
    """This machine's address on the local network (a UDP socket is pointed at a private
    address to pick the interface; nothing is sent). Looked up once in 30 s, not on every
    rerun of the Workshop page: a laptop that changes networks shows the new address soon."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.connect(("10.255.255.255", 1))
            address = sock.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


@st.cache_data(max_entries=8, show_spinner=False)
def qr_png(text: str, scale: int = 12) -> bytes:
    """A QR code of ``text`` as PNG bytes, drawn offline by segno (pure Python)."""
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=scale, border=2)
    return out.getvalue()
