"""The guided start ("New map -> Start from questions"): one screen a question, people picked
with type-ahead over the names already given, nothing saved until the last screen, which
creates the map as one version and opens its Plan page (:mod:`stakemap.files.guided`).

Each screen is a form, so typing never reruns the page; Next keeps the screen's answers in
the session and Back returns with them filled in.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from stakemap.files.guided import Answers, guided_map
from stakemap.files.quick import read_text
from stakemap.model import StakeholderMap
from stakemap.planning.rule import rule_of
from stakemap.planning.setting import read_setting
from stakemap.store.maps import NAME_LENGTH
from stakemap.ui.decision import rule_fields, veto_fields, voter_field
from stakemap.ui.quickadd import MAX_TEXT, readings
from stakemap.ui.session import get_store, select_map
from stakemap.ui.text import inert

__all__ = ["STEPS", "guided_start"]

_ANSWERS, _STEP, _ROUND = "guided-answers", "guided-step", "guided-round"
_PICK = "Type a name"
_STANCES = (("Champions: drive it", 2), ("Supporters", 1), ("Critics", -1), ("Blockers", -2))
#: The screens, in order: a heading and the question it asks.
STEPS = (
    ("What is being decided?", "A line that names the decision, such as a new remote-work policy."),
    ("Who is around it?", "One person a line: a name, then anything you know in any order."),
    ("Who decides, and how?", "The people with a vote and the rule a proposal passes by."),
    ("Who can block it?", "A formal veto binds however isolated; an informal one gives way."),
    ("Who is for it, and who against?", "Anyone in no list is neutral."),
    ("Whom does each decider listen to?", "The people whose view moves theirs."),
    ("What are the proposal's parts?", "One part a line, then whose goals it serves."),
    ("Ready to plan", "Check what the answers make, then create the map."),
)


def guided_start() -> None:
    """The guided start's current screen."""
    a: Answers = st.session_state.setdefault(_ANSWERS, Answers())
    step = st.session_state.setdefault(_STEP, 0)
    title, question = STEPS[step]
    st.progress((step + 1) / len(STEPS), text=f"Question {step + 1} of {len(STEPS)}")
    st.subheader(title, anchor=False)
    st.caption(question)
    if step == len(STEPS) - 1:
        _review(a)
        return
    people = read_text(a.people).map  # the names the pickers offer, read once a run
    key = f"guided-{st.session_state.get(_ROUND, 0)}-{step}"
    with st.form(key, border=False):
        new, problems = _SCREENS[step](a, people, key)
        forward, back = _buttons(step)
    if not (forward or back):
        return
    st.session_state[_ANSWERS] = new  # kept either way: nothing typed is lost
    if back:
        _go(step - 1)
    elif problems:
        st.error("Please fix:\n" + "\n".join(f"- {inert(p)}" for p in problems))
    else:
        _go(step + 1)


def _buttons(step: int) -> tuple[bool, bool]:
    """Next first: Enter in a field submits the form as its first button."""
    left, right, _ = st.columns([1, 1, 4])
    forward = left.form_submit_button("Next", type="primary", width="stretch")
    back = right.form_submit_button("Back", disabled=step == 0, width="stretch")
    return forward, back


def _go(step: int) -> None:
    st.session_state[_STEP] = step
    st.rerun()


Screen = tuple[Answers, list[str]]


def _title(a: Answers, _people: StakeholderMap, key: str) -> Screen:
    title = st.text_input(
        "The decision", a.title, key=f"{key}-title", max_chars=NAME_LENGTH,
        placeholder="Remote-work policy",
    )  # fmt: skip
    return replace(a, title=title), [] if title.strip() else ["Name the decision."]


def _people(a: Answers, _people: StakeholderMap, key: str) -> Screen:
    text = st.text_area(
        "People, one a line",
        a.people,
        key=f"{key}-people",
        height=220,
        max_chars=MAX_TEXT,
        placeholder="Dana Whitfield, CEO, power 5\nMarcus Lee, CFO, against\nWorks council",
        help="Words for stance (for, against, neutral) and job title in any order; numbers "
        "with their attribute (power 5). Ties may be typed here too: Marcus listens to Dana.",
    )
    read = read_text(text)
    problems = [str(p) for p in read.problems]
    return replace(a, people=text), problems or ([] if read.map.names else ["Type a name."])


def _deciders(a: Answers, people: StakeholderMap, key: str) -> Screen:
    names = people.names
    voters = voter_field(a.setting, names, key)
    typed, abstentions = rule_fields(a.setting, key)
    chosen = replace(a.setting, voters=voters, abstentions=abstentions)
    setting, problems = read_setting(chosen, typed)
    return replace(a, setting=setting if not problems else chosen), problems


def _blockers(a: Answers, people: StakeholderMap, key: str) -> Screen:
    names = people.names
    s = veto_fields(a.setting, names, key)
    both = [n for n in s.formal if n in s.informal]
    return replace(a, setting=s), [f"{n} cannot hold a formal and an informal veto." for n in both]


def _stances(a: Answers, people: StakeholderMap, key: str) -> Screen:
    names = people.names
    now = {s.name: s.stance for s in people.stakeholders} | dict(a.stances)
    picked: dict[str, int] = {}
    columns = st.columns(2)
    for k, (label, value) in enumerate(_STANCES):
        for name in columns[k % 2].multiselect(
            label,
            names,
            default=[n for n in names if now.get(n) == value],
            key=f"{key}-stance{value}",
            placeholder=_PICK,
        ):
            picked.setdefault(name, value)
    champion = st.selectbox(
        "Who plans this (the champion)",
        names,
        index=names.index(a.setting.champion) if a.setting.champion in names else None,
        key=f"{key}-champion",
        placeholder="Type a name (you, if you are on the map)",
    )
    stances = {n: picked.get(n, 0) for n in names}  # anyone in no list is neutral
    return replace(a, stances=stances, setting=replace(a.setting, champion=champion or "")), []


def _listening(a: Answers, people: StakeholderMap, key: str) -> Screen:
    names = people.names
    s = a.setting
    body = [n for n in names if n in s.voters + s.formal + s.informal]
    if not body:
        st.caption("Nobody votes: everyone decides together. Type who listens to whom below.")
    listens = {
        member: tuple(
            st.multiselect(
                f"{member} listens to",
                [n for n in names if n != member],
                default=[n for n in a.listens.get(member, ()) if n in names],
                key=f"{key}-listens-{k}",
                placeholder=_PICK,
            )
        )
        for k, member in enumerate(body)
    }
    ties = st.text_area(
        "Other ties, one a line (optional)",
        a.ties,
        key=f"{key}-ties",
        max_chars=MAX_TEXT,
        placeholder="Henrik listens to Marcus\nJonas -> Sofia strong",
    )
    new = replace(a, listens=listens, ties=ties)
    return new, [p for p in guided_map(new).problems if p.startswith("Ties:")]


def _parts(a: Answers, _people: StakeholderMap, key: str) -> Screen:
    text = st.text_area(
        "Parts, one a line: the part, a colon, whose goals it serves",
        a.parts,
        key=f"{key}-parts",
        max_chars=MAX_TEXT,
        placeholder="Core hours: Henrik, Ines\nHome-office budget: Works council",
    )
    new = replace(a, parts=text)
    return new, [p for p in guided_map(new).problems if p.startswith("Parts:")]


_SCREENS = (_title, _people, _deciders, _blockers, _stances, _listening, _parts)


def _review(a: Answers) -> None:
    """What the answers make, and the button that creates the map and opens its plan."""
    made = guided_map(a)
    m = made.map
    st.write(
        f"{len(m.stakeholders)} people, {len(m.relationships)} ties, {len(m.proposal.parts)} parts."
    )
    st.caption(inert(rule_of(m).describe()))
    st.dataframe(readings(read_text(a.people)), hide_index=True, width="stretch")
    left, right, _ = st.columns([2, 1, 3])
    if right.button("Back", key="guided-back", width="stretch"):
        _go(len(STEPS) - 2)
    if left.button("Create the map and plan", type="primary", key="guided-create"):
        store = get_store()
        name = store.unique_name(a.title.strip() or "Untitled map")
        map_id = store.create(name, m, "Started from questions")
        select_map(map_id)
        st.session_state.pop(_ANSWERS, None)
        st.session_state[_STEP] = 0
        st.session_state[_ROUND] = st.session_state.get(_ROUND, 0) + 1
        st.switch_page("views/plan.py", query_params={"map": str(map_id)})
