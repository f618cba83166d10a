"""Save a grid's edits when the user leaves it: a click or the focus landing outside the grid.

A tiny ``st.components.v2`` component with no markup of its own watches the page. Once the
user has been in the grid's form (the grid, its toolbar, its Save button), a mouse press or a
focus change anywhere else clicks the form's Save button, so the pending edits are sent as
when pressing it. It never fires while the user is still in the grid: the cell editors and
their dropdowns open in the page's ``#portal`` and the column menus in pop-overs, outside the
grid, and neither counts as leaving. Switching to another window does not count either (no
press, no focus change in the page). The click waits 50 ms, so the grid has committed the
cell a click outside closes (on the same mouse press) before the form is sent.
"""

from __future__ import annotations

import streamlit as st

__all__ = ["save_when_left"]

_JS = """
export default function (component) {
  const { data } = component;
  const byKey = (key) => document.querySelector(`.st-key-${CSS.escape(key)}`);
  const form = () => {
    const grid = byKey(data.grid);
    return grid && (grid.closest("[data-testid=stForm]") || grid);
  };
  const aside = (el) => el instanceof Element &&
    !!el.closest("#portal, [data-baseweb=popover], [data-baseweb=tooltip], [role=tooltip]");
  const save = () => {
    const button = byKey(data.button)?.querySelector("button");
    if (button && !button.disabled) { button.click(); }
  };
  const onEvent = (event) => {
    const area = form();
    if (!area || !(event.target instanceof Node)) { return; }
    if (area.contains(event.target)) { area.dataset.entered = "1"; return; }
    if (area.dataset.entered !== "1" || aside(event.target)) { return; }
    delete area.dataset.entered;
    window.setTimeout(save, 50);
  };
  document.addEventListener("pointerdown", onEvent, true);
  document.addEventListener("focusin", onEvent, true);
  return () => {
    document.removeEventListener("pointerdown", onEvent, true);
    document.removeEventListener("focusin", onEvent, true);
  };
}
"""
_leaving = st.components.v2.component("stakemap.save_when_left", html="", js=_JS)


def save_when_left(grid: str, button: str) -> None:
    """Click the button keyed ``button`` when the user leaves the form of the editor keyed
    ``grid`` (both keys are the widgets' own, which Streamlit puts in a CSS class)."""
    _leaving(key=f"{grid}-leaving", data={"grid": grid, "button": button}, height=0)
