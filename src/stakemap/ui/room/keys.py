"""The projector's keyboard: arrows or PgUp/PgDn step the plan, F enters and leaves full
screen, Esc leaves it; nothing to click, so the projected page shows no control.

A tiny ``st.components.v2`` component with no markup of its own listens for keys on the page
(never while the focus is in a text field) and sends the action back as a trigger value; the
server decides what it may do (:mod:`stakemap.ui.room.facilitator`). F also asks the browser
for full screen, and the browser's own Esc (which ends full screen before any page sees the
key) leaves the projector view too.
"""

from __future__ import annotations

import streamlit as st

__all__ = ["ACTIONS", "projector_keys"]

#: What a key may ask for.
ACTIONS = ("next", "previous", "full", "exit")

_JS = """
export default function (component) {
  const { data, setTriggerValue } = component;
  const typing = (el) => !!el && (el.isContentEditable ||
    ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
  const keys = { ArrowRight: "next", ArrowDown: "next", PageDown: "next",
                 ArrowLeft: "previous", ArrowUp: "previous", PageUp: "previous",
                 f: "full", F: "full", Escape: "exit" };
  const onKey = (event) => {
    const action = keys[event.key];
    if (!action || event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) {
      return;
    }
    event.preventDefault();
    if (action === "full") {
      try {
        if (!data.projector && !document.fullscreenElement) {
          document.documentElement.requestFullscreen().catch(() => {});
        } else if (data.projector && document.fullscreenElement) {
          document.exitFullscreen().catch(() => {});
        }
      } catch (e) { /* full screen refused: the projector view still changes */ }
    }
    setTriggerValue("action", action);
  };
  const onScreen = () => {
    if (data.projector && !document.fullscreenElement) { setTriggerValue("action", "exit"); }
  };
  window.addEventListener("keydown", onKey);
  document.addEventListener("fullscreenchange", onScreen);
  return () => {
    window.removeEventListener("keydown", onKey);
    document.removeEventListener("fullscreenchange", onScreen);
  };
}
"""
_keys = st.components.v2.component("stakemap.projector_keys", html="", js=_JS)


def projector_keys(projector: bool) -> str | None:
    """Listen for the projector's keys on this page; the action asked for in this run (one
    of :data:`ACTIONS`), or None. ``projector`` says whether the full-screen view is on."""
    result = _keys(
        key=f"room-keys-{int(projector)}",
        data={"projector": projector},
        on_action_change=lambda: None,
    )
    action = result.get("action")
    return action if action in ACTIONS else None
