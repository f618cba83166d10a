"""Save a grid's edits when the user leaves it: a click or the focus landing outside the grid.

A tiny ``st.components.v2`` component with no markup of its own watches the page. Once the
user has been in the grid's form (the grid, its toolbar, its Save button), a mouse press or a
focus change anywhere else clicks the form's Save button, so the pending edits are sent as
when pressing it. It never fires while the user is still in the grid: the cell editors and
their dropdowns open in the page's ``#portal`` and the column menus in pop-overs, outside the
grid, and neither counts as leaving. Switching to another window does not count either (no
press, no focus change in the page). The click waits 50 ms, so the grid has committed the
cell a click outside closes (on the same mouse press) before the form is sent.

The press that left the grid is often a click on something else: a button, a tab, a page
link. Its click is held until the save's run has finished, then played again. Sent at once,
it raced the save: Streamlit stops a run when the next interaction arrives, and a button read
in that run's body reads False in the next, so the click did nothing (under load: a "Reload
the latest version" after a refused save, 5 runs in 10; a link or button right after typing,
3 in 3). A press on the form's own
Save button sends the form itself and is not leaving afterwards.
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
  const saveButton = () => byKey(data.button)?.querySelector("button");
  const aside = (el) => el instanceof Element &&
    !!el.closest("#portal, [data-baseweb=popover], [data-baseweb=tooltip], [role=tooltip]");
  // The press that left the grid: its click waits until the save's run is over, then is
  // played again, so that the save and what was clicked are two runs one after the other.
  let held = null;
  const release = (press) => {
    if (held === press) { held = null; }
    if (press.click && press.click.isConnected) { press.click.click(); }
  };
  const replayWhenSaved = (press) => {
    const app = document.querySelector("[data-testid=stApp]");
    let ran = false;
    const done = () => {
      watch.disconnect();
      window.clearTimeout(late);
      release(press);
    };
    const watch = new MutationObserver(() => {
      const state = app.getAttribute("data-test-script-state");
      ran = ran || state === "running";
      if (ran && state === "notRunning") { done(); }
    });
    watch.observe(app, { attributes: true, attributeFilter: ["data-test-script-state"] });
    const late = window.setTimeout(done, 10000);  // no run heard of: play it anyway
  };
  const save = (press) => {
    const button = saveButton();
    const sending = !!button && !button.disabled;
    if (sending) { button.click(); }
    if (press) { (sending ? replayWhenSaved : release)(press); }
  };
  const onEvent = (event) => {
    const area = form();
    if (!area || !(event.target instanceof Node)) { return; }
    if (area.contains(event.target)) {
      if (saveButton()?.contains(event.target)) {
        delete area.dataset.entered;  // the form is being sent by its own button
      } else {
        area.dataset.entered = "1";
      }
      return;
    }
    if (area.dataset.entered !== "1" || aside(event.target)) { return; }
    delete area.dataset.entered;
    const press = event.type === "pointerdown" ? { click: null } : null;
    held = press;
    window.setTimeout(() => save(press), 50);
  };
  const onClick = (event) => {
    if (!held || !event.isTrusted) { return; }
    event.preventDefault();
    event.stopImmediatePropagation();
    held.click = event.target;  // played again once the save's run is over
  };
  document.addEventListener("pointerdown", onEvent, true);
  document.addEventListener("focusin", onEvent, true);
  document.addEventListener("click", onClick, true);
  return () => {
    document.removeEventListener("pointerdown", onEvent, true);
    document.removeEventListener("focusin", onEvent, true);
    document.removeEventListener("click", onClick, true);
  };
}
"""
_leaving = st.components.v2.component("stakemap.save_when_left", html="", js=_JS)


def save_when_left(grid: str, button: str) -> None:
    """Click the button keyed ``button`` when the user leaves the form of the editor keyed
    ``grid`` (both keys are the widgets' own, which Streamlit puts in a CSS class)."""
    _leaving(key=f"{grid}-leaving", data={"grid": grid, "button": button}, height=0)
