"""The Plan page's lazy parts opened in an AppTest, as a click would: the outcome forms of
steps (each in a popover sent when opened) and the decision panel (in an expander)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from stakemap.ui.plan import HOW_DECIDED_KEY


def open_outcome_forms(at: AppTest, *orders: int) -> AppTest:
    """Open the outcome popovers of the steps ``orders`` of the version shown, and run."""
    shown = f"{at.session_state['map_id']}-{at.session_state['shown_version']}"
    for order in orders:
        at.session_state[f"plan-outcome-{shown}-{order}-open"] = True
    return at.run()


def open_decision_panel(at: AppTest) -> AppTest:
    """Open the "How it is decided" expander, and run."""
    at.session_state[HOW_DECIDED_KEY] = True
    return at.run()
