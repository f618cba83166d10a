"""The Network page: the influence drawing, its controls, and who matters in the network.

Viewing saves no version: a map without stored positions is laid out when first drawn and the
layout kept in the store, newcomers then placed next to their ties; stored positions that
have collapsed onto one line are drawn laid out afresh (:func:`stakemap.ui.session.positions`).
Positions are saved only by an explicit action: "Re-arrange", "Keep dragged positions" or
"Pin this layout".

The drawing is :func:`stakemap.network.drawing.network_html` in ``st.iframe``. An iframe cannot call
Python, so dragged positions travel through the browser's session storage (the iframe and the
app share an origin): the drawing writes them there under a key tied to the map and its stored
layout, and the "Keep dragged positions" button, a tiny local ``st.components.v2`` component,
reads them and hands them to Python, which checks them and saves a new version.

The same component is the drawing's bridge to the app, both ways (same-origin ``postMessage``):
a click on a person in the drawing selects them in the app (the "Highlight a person" box, the
messenger sentences, the neighbourhood table), and the app's highlight, depth and filters are
sent down and applied in the drawing in place. The drawing's HTML therefore never depends on
them: it stays byte for byte the same, so Streamlit keeps the iframe instead of reloading it.
A clicked name comes from the browser and is used only if it is a name in the map.
"""

from __future__ import annotations

import functools
from dataclasses import replace

import pandas as pd
import streamlit as st

from stakemap.language import gettext as _
from stakemap.language import ngettext, pgettext
from stakemap.model import STANCE_LABELS, StakeholderMap
from stakemap.network import drawing, messengers
from stakemap.network.graph import build_graph, neighbourhood
from stakemap.network.layout import layout
from stakemap.network.measures import METRIC_EXPLANATIONS
from stakemap.ui.language import shown_as
from stakemap.ui.session import Current, measures, network_drawing, positions, save, storage_key
from stakemap.ui.text import inert

__all__ = ["NUMBERS_KEY", "network_page"]

_HEIGHT = 700
#: The "Who matters in the network: the numbers" expander's state: True while it is open.
NUMBERS_KEY = "net-numbers"

_KEEP_JS = """
export default function (component) {
  const { parentElement, data, setTriggerValue } = component;
  const button = parentElement.querySelector("button");
  button.textContent = data.label;
  button.onclick = () => {
    let moved = [];
    try {
      moved = JSON.parse(window.sessionStorage.getItem(data.key) || "[]");
      window.sessionStorage.removeItem(data.key);
    } catch (e) {
      moved = [];
    }
    setTriggerValue("kept", Array.isArray(moved) ? moved : []);
  };
  const origin = window.location.origin;
  const message = { stakemap: "network-state", key: data.key, state: data.state };
  const send = (target) => {
    try { target.postMessage(message, origin); } catch (e) { /* frame gone */ }
  };
  document.querySelectorAll("iframe").forEach((frame) => {
    if (frame.contentWindow) { send(frame.contentWindow); }
  });
  const listen = (event) => {
    const said = event.data;
    if (event.origin !== origin || !said || said.key !== data.key) { return; }
    if (said.stakemap === "network-ready") {
      send(event.source);
    } else if (said.stakemap === "network-click") {
      setTriggerValue("clicked", { name: typeof said.name === "string" ? said.name : null });
    }
  };
  window.addEventListener("message", listen);
  return () => window.removeEventListener("message", listen);
}
"""
_KEEP_CSS = """
button {
  font: inherit; font-size: 0.875rem; min-height: 2.5rem; padding: 0.25rem 0.75rem; cursor: pointer;
  color: var(--st-text-color); background: var(--st-background-color);
  border: 1px solid var(--st-border-color, rgba(49, 51, 63, 0.2)); border-radius: 0.5rem;
}
button:hover { border-color: var(--st-primary-color); color: var(--st-primary-color); }
"""
_keep_button = st.components.v2.component(
    "stakemap.keep_positions",
    html='<button type="button">Keep dragged positions</button>',
    css=_KEEP_CSS,
    js=_KEEP_JS,
)


def network_page(cur: Current) -> None:
    """Draw the Network page for this tab's map."""
    m = cur.data
    st.title(_("Network"))
    if not m.stakeholders:
        st.info(_("This map has no stakeholders yet: add them on the Data page."))
        return
    positions = _positions(cur)
    _ignored_ties(m)

    person, depth, groups, stances, colour = _controls(m, cur.map_id)
    key = storage_key(cur.map_id, positions)
    shown = drawing.shown_names(m, groups=groups, stances=stances)
    # One container above the drawing whatever it holds, so the iframe keeps its place.
    with st.container():
        if person:  # the sentence first: the drawing is the detail
            _messengers(m, person)
        else:
            st.caption(
                _(
                    "Pick a person under Highlight, or click one in the drawing, to see who can "
                    "reach them, and through whom."
                )
            )
        if person and person not in shown:
            st.caption(
                _("{name} is hidden by the filters, so nobody is highlighted.").format(
                    name=inert(person)
                )
            )
        if not shown:
            st.info(
                _("No one matches these filters: choose other groups or stances to see people.")
            )
        if colour == "community":
            st.caption(drawing.community_sentence(m))
    st.iframe(network_drawing(cur), height=_HEIGHT)
    state = {
        "selected": person,
        "depth": depth,
        "groups": groups,
        "stances": stances,
        "colour": colour,
    }
    _layout_buttons(m, positions, key, state, f"net-person-{cur.map_id}")
    if person:
        _neighbourhood_table(m, person, depth)

    # Computed when opened: the measures take a few tenths of a second at 2,000 people.
    with st.expander(
        _("Who matters in the network: the numbers"), key=NUMBERS_KEY, on_change="rerun"
    ) as numbers:
        if numbers.open:
            _metrics_table(cur)


def take_click(value: object, m: StakeholderMap) -> tuple[bool, str | None]:
    """What a click in the drawing selects: ``(valid, name or None)``; only names in the map.

    >>> from stakemap.model import Stakeholder
    >>> m = StakeholderMap((Stakeholder("Ana"),))
    >>> take_click({"name": "Ana"}, m), take_click({"name": None}, m)
    ((True, 'Ana'), (True, None))
    >>> take_click({"name": "Zed"}, m), take_click("Ana", m), take_click({"name": 3}, m)
    ((False, None), (False, None), (False, None))
    """
    if not isinstance(value, dict) or "name" not in value:
        return False, None
    name = value["name"]
    if name is None:
        return True, None
    if isinstance(name, str) and name in set(m.names):
        return True, name
    return False, None


def _clicked(component_key: str, person_key: str, m: StakeholderMap) -> None:
    """Callback: select the clicked person in the app before the page runs again."""
    result = st.session_state.get(component_key)
    value = getattr(result, "clicked", None) if result is not None else None
    valid, name = take_click(value, m)
    if valid:
        st.session_state[person_key] = name


def _positions(cur: Current) -> dict[str, tuple[float, float]]:
    """Where everyone is drawn: stored positions, anyone unplaced placed in memory (not saved)."""
    with st.spinner(_("Placing people in the network...")):
        return positions(cur)


def _ignored_ties(m: StakeholderMap) -> None:
    ignored = build_graph(m).graph["ignored"]
    if ignored:
        st.warning(
            ngettext(
                "{n} tie is left out of the network (a person tied to themself, or someone not "
                "in the map). Fix them on the Data page.",
                "{n} ties are left out of the network (a person tied to themself, or someone not "
                "in the map). Fix them on the Data page.",
                len(ignored),
            ).format(n=len(ignored))
        )
        names = set(m.names)
        rows = [(a, b, _why_left_out(a, b, names)) for a, b, _why in ignored]
        st.dataframe(pd.DataFrame(rows, columns=[_("From"), _("To"), _("Why")]), hide_index=True)


def _why_left_out(source: str, target: str, names: set[str]) -> str:
    """Why a tie is not in the network (as :func:`stakemap.network.graph.build_graph` says),
    in the language in force."""
    if source == target:
        return _("a person cannot influence themself")
    missing = source if source not in names else target
    return _("{name} is not in the map").format(name=missing)


def _controls(
    m: StakeholderMap, map_id: int
) -> tuple[str | None, int, list | None, list | None, str]:
    left, steps, group_col, stance_col, colour_col = st.columns([3, 2, 3, 3, 2])
    person = left.selectbox(
        _("Highlight a person"),
        options := [None, *sorted(m.names, key=str.casefold)],
        format_func=shown_as(options, lambda n: _("Nobody") if n is None else n),
        key=f"net-person-{map_id}",
        help=_("Their neighbourhood stands out; you can also click a person in the drawing."),
    )
    depth = steps.radio(
        _("Neighbourhood"),
        [1, 2],
        format_func=shown_as([1, 2], lambda d: ngettext("{n} step", "{n} steps", d).format(n=d)),
        horizontal=True,
        key=f"net-depth-{map_id}",
    )
    all_groups = sorted({s.group for s in m.stakeholders}, key=str.casefold)
    groups = group_col.multiselect(
        _("Show groups"),
        all_groups,
        format_func=shown_as(all_groups, lambda g: g or _("(no group)")),
        placeholder=_("All groups"),
        key=f"net-groups-{map_id}",
    )
    stances = stance_col.multiselect(
        _("Show stances"),
        sorted(STANCE_LABELS, reverse=True),
        format_func=shown_as(STANCE_LABELS, lambda s: _(STANCE_LABELS[s])),
        placeholder=_("All stances"),
        key=f"net-stances-{map_id}",
    )
    colours = {"stance": _("Stance"), "community": _("Community")}
    colour = colour_col.radio(
        _("Colour by"),
        list(colours),
        format_func=colours.get,
        horizontal=True,
        key=f"net-colour-{map_id}",
        help=_(
            "Community: people more tied to each other than to the rest of the map "
            "(Louvain), so you can see the camps and who bridges them."
        ),
    )
    return person, depth, groups or None, stances or None, colour


def _layout_buttons(
    m: StakeholderMap, positions: dict, key: str, state: dict, person_key: str
) -> None:
    unpinned = [n for n in m.names if n not in m.positions]
    relaid = any(positions[n] != xy for n, xy in m.positions.items() if n in positions)
    keep, rearrange, pin, download = st.columns(4)
    with keep:
        component_key = f"keep-{key}"
        result = _keep_button(
            key=component_key,
            data={"key": key, "state": state, "label": _("Keep dragged positions")},
            on_kept_change=lambda: None,
            on_clicked_change=functools.partial(_clicked, component_key, person_key, m),
        )
    kept = result.get("kept")
    moved = None if kept is None else drawing.moved_positions(kept, m)
    if moved is not None:
        if moved:
            said = _("Moved {people} in the network").format(people=drawing.people(len(moved)))
            if save(replace(m, positions={**positions, **moved}), said):
                st.rerun()
        else:
            st.toast(_("Nobody was moved: drag people in the drawing first."))
    if rearrange.button(
        _("Re-arrange"),
        key="net-rearrange",
        help=_("Lay everyone out afresh (drops dragged positions)."),
    ):
        fresh = layout(m)
        if fresh == m.positions:
            st.toast(_("The network is already in its computed arrangement."))
        elif save(replace(m, positions=fresh), _("Re-arranged network")):
            st.rerun()
    pinned = (unpinned or relaid) and pin.button(
        _("Pin this layout"),
        key="net-pin",
        help=_("Save where everyone is drawn now with the map."),
    )
    if pinned and save(replace(m, positions=positions), _("Pinned the network layout")):
        st.rerun()
    download.download_button(
        _("Download network (HTML)"),
        data=lambda: drawing.network_html(m, positions),
        file_name="stakemap-network.html",
        mime="text/html",
        on_click="ignore",
        help=_("A standalone page that opens offline in any browser."),
    )
    words = _placing_words(len(unpinned), len(m.names), relaid)
    if words:
        st.caption(words)


def _placing_words(unpinned: int, people: int, relaid: bool) -> str:
    """What the page says about where people are drawn from: ``unpinned`` of ``people`` have
    no saved place; ``relaid``: the saved places had collapsed onto one line.

    >>> _placing_words(0, 4, False)
    ''
    >>> _placing_words(1, 4, False).split(", so ")[0]
    '1 person has no saved place'
    >>> _placing_words(4, 4, False).split(": ")[0], _placing_words(0, 4, True).split(",")[0]
    ('4 people have no saved place', 'The saved places put everyone on one line')
    """
    if relaid:
        return _(
            "The saved places put everyone on one line, so the network is drawn laid out "
            "afresh. Pin this layout to keep it as drawn."
        )
    if not unpinned:
        return ""
    count = ngettext("{n} person has no saved place", "{n} people have no saved place", unpinned)
    count = count.format(n=unpinned)
    if unpinned < people:
        return _(
            "{count}, so they are drawn next to their ties (with no tie, in free space), and "
            "no one else moves. Pin this layout to keep it as drawn."
        ).format(count=count)
    return _(
        "{count}: the network was laid out when first drawn, and since then each newcomer "
        "goes next to their ties (someone with no tie waits in free space for their first), "
        "and no one else moves. Re-arrange lays everyone out afresh; Pin this layout keeps it "
        "as drawn."
    ).format(count=count)


def _messengers(m: StakeholderMap, person: str) -> None:
    """The best messenger to ``person`` in a sentence, then everyone who can reach them."""
    st.info(inert(messengers.best_messenger_sentence(m, person)))
    routes = messengers.routes_to(m, person)
    if routes:
        title = _("Who can reach {name}, and through whom ({n})").format(
            name=inert(person), n=len(routes)
        )
        with st.expander(title):
            route = _("Route")
            st.dataframe(
                pd.DataFrame(
                    {
                        _("Person"): [r.messenger for r in routes],
                        _("Steps"): [len(r.people) - 1 for r in routes],
                        route: [messengers.route_sentence(r) for r in routes],
                    }
                ),
                hide_index=True,
                width="stretch",
                column_config={route: st.column_config.TextColumn(width="large")},
            )


def _neighbourhood_table(m: StakeholderMap, person: str, depth: int) -> None:
    """The highlighted neighbourhood in words too (the drawing is a canvas screen readers skip)."""
    G = build_graph(m)
    near = neighbourhood(m, person, depth)
    rows = []
    for name, steps in sorted(near.items(), key=lambda kv: (kv[1], kv[0].casefold())):
        if steps == 0:
            continue
        ties = []
        if G.has_edge(name, person):
            weight = G.edges[name, person]["weight"]
            ties.append(_("influences {name} ({weight:+g})").format(name=person, weight=weight))
        if G.has_edge(person, name):
            weight = G.edges[person, name]["weight"]
            ties.append(_("influenced by {name} ({weight:+g})").format(name=person, weight=weight))
        tie = pgettext("clauses", "; ").join(ties) or _("through others")
        rows.append((name, steps, tie))
    title = _("{name}'s neighbourhood: {people}").format(
        name=inert(person), people=drawing.people(len(rows))
    )
    with st.expander(title):
        columns = [_("Person"), _("Steps"), _("Tie")]
        st.dataframe(pd.DataFrame(rows, columns=columns), hide_index=True)


def _metrics_table(cur: Current) -> None:
    with st.spinner(_("Computing network measures...")):
        table = measures(cur)
    table = table.sort_values("Influence reach (PageRank)", ascending=False, kind="stable")
    explain = METRIC_EXPLANATIONS
    # Short headings so all eight columns fit beside the sidebar at 1280 px; the full names
    # and what they mean are in each heading's help and in the list below.
    short = {
        "Influence reach (PageRank)": (_("Reach"), "percent"),
        "In-strength": (_("In"), "%g"),
        "Out-strength": (_("Out"), "%g"),
        "Broker score (betweenness)": (_("Broker"), "%.3f"),
        "Camp broker": (_("Camp broker"), "percent"),
        "Community": (_("Community"), None),
    }
    config = {
        column: st.column_config.NumberColumn(
            label, format=fmt, help=_meaning(column, explain[column]), width="small"
        )
        for column, (label, fmt) in short.items()
    }
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "Name": st.column_config.TextColumn(_("Name"), pinned=True),
            **config,
            "No ties": st.column_config.CheckboxColumn(
                _("No ties"), help=_meaning("No ties", explain["No ties"]), width="small"
            ),
        },
    )
    st.markdown(
        "\n".join(
            _("- **{measure}**: {meaning}").format(measure=_(column), meaning=_(text))
            for column, text in explain.items()
        )
    )


def _meaning(column: str, text: str) -> str:
    """A measure's full name and what it means, as its heading's help."""
    return _("{measure}: {meaning}").format(measure=_(column), meaning=_(text))
