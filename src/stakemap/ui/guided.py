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
from stakemap.language import N_
from stakemap.language import gettext as _
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
_PICK = N_("Type a name")
_STANCES = (
    (N_("Champions: drive it"), 2),
    (N_("Supporters"), 1),
    (N_("Critics"), -1),
    (N_("Blockers"), -2),
)
#: The screens, in order: a heading and the question it asks (shown with ``_``).
STEPS = (
    (
        N_("What is being decided?"),
        N_("A line that names the decision, such as a new remote-work policy."),
    ),
    (
        N_("Who is around it?"),
        N_("One person a line: a name, then anything you know in any order."),
    ),
    (
        N_("Who decides, and how?"),
        N_("The people with a vote and the rule a proposal passes by."),
    ),
    (
        N_("Who can block it?"),
        N_("A formal veto binds however isolated; an informal one gives way."),
    ),
    (N_("Who is for it, and who against?"), N_("Anyone in no list is neutral.")),
    (N_("Whom does each decider listen to?"), N_("The people whose view moves theirs.")),
    (
        N_("What are the proposal's parts?"),
        N_("One part a line, then whose goals it serves."),
    ),
    (N_("Ready to plan"), N_("Check what the answers make, then create the map.")),
)


def guided_start() -> None:
    """The guided start's current screen."""
    a: Answers = st.session_state.setdefault(_ANSWERS, Answers())
    step = st.session_state.setdefault(_STEP, 0)
    title, question = STEPS[step]
    st.progress(
        (step + 1) / len(STEPS),
        text=_("Question {n} of {total}").format(n=step + 1, total=len(STEPS)),
    )
    st.subheader(_(title), anchor=False)
    st.caption(_(question))
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
        st.error(_("Please fix:") + "\n" + "\n".join(f"- {inert(p)}" for p in problems))
    else:
        _go(step + 1)


def _buttons(step: int) -> tuple[bool, bool]:
    """Next first: Enter in a field submits the form as its first button."""
    left, right, _rest = st.columns([1, 1, 4])
    forward = left.form_submit_button(_("Next"), type="primary", width="stretch")
    back = right.form_submit_button(_("Back"), disabled=step == 0, width="stretch")
    return forward, back


def _go(step: int) -> None:
    st.session_state[_STEP] = step
    st.rerun()


Screen = tuple[Answers, list[str]]


def _title(a: Answers, _people: StakeholderMap, key: str) -> Screen:
    title = st.text_input(
        _("The decision"), a.title, key=f"{key}-title", max_chars=NAME_LENGTH,
        placeholder=_("Remote-work policy"),
    )  # fmt: skip
    return replace(a, title=title), [] if title.strip() else [_("Name the decision.")]


def _people(a: Answers, _people: StakeholderMap, key: str) -> Screen:
    text = st.text_area(
        _("People, one a line"),
        a.people,
        key=f"{key}-people",
        height=220,
        max_chars=MAX_TEXT,
        placeholder=_("Dana Whitfield, CEO, power 5\nMarcus Lee, CFO, against\nWorks council"),
        help=_(
            "Words for stance (for, against, neutral) and job title in any order; numbers with "
            "their attribute (power 5). Ties may be typed here too: Marcus listens to Dana."
        ),
    )
    read = read_text(text)
    problems = [str(p) for p in read.problems]
    return replace(a, people=text), problems or ([] if read.map.names else [_("Type a name.")])


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
    refusal = _("{name} cannot hold a formal and an informal veto.")
    return replace(a, setting=s), [refusal.format(name=n) for n in both]


def _stances(a: Answers, people: StakeholderMap, key: str) -> Screen:
    names = people.names
    now = {s.name: s.stance for s in people.stakeholders} | dict(a.stances)
    picked: dict[str, int] = {}
    columns = st.columns(2)
    for k, (label, value) in enumerate(_STANCES):
        for name in columns[k % 2].multiselect(
            _(label),
            names,
            default=[n for n in names if now.get(n) == value],
            key=f"{key}-stance{value}",
            placeholder=_(_PICK),
        ):
            picked.setdefault(name, value)
    champion = st.selectbox(
        _("Who plans this (the champion)"),
        names,
        index=names.index(a.setting.champion) if a.setting.champion in names else None,
        key=f"{key}-champion",
        placeholder=_("Type a name (you, if you are on the map)"),
    )
    stances = {n: picked.get(n, 0) for n in names}  # anyone in no list is neutral
    return replace(a, stances=stances, setting=replace(a.setting, champion=champion or "")), []


def _listening(a: Answers, people: StakeholderMap, key: str) -> Screen:
    names = people.names
    s = a.setting
    body = [n for n in names if n in s.voters + s.formal + s.informal]
    if not body:
        st.caption(_("Nobody votes: everyone decides together. Type who listens to whom below."))
    listens = {
        member: tuple(
            st.multiselect(
                _("{name} listens to").format(name=member),
                [n for n in names if n != member],
                default=[n for n in a.listens.get(member, ()) if n in names],
                key=f"{key}-listens-{k}",
                placeholder=_(_PICK),
            )
        )
        for k, member in enumerate(body)
    }
    ties = st.text_area(
        _("Other ties, one a line (optional)"),
        a.ties,
        key=f"{key}-ties",
        max_chars=MAX_TEXT,
        placeholder=_("Henrik listens to Marcus\nJonas -> Sofia strong"),
    )
    new = replace(a, listens=listens, ties=ties)
    return new, guided_map(new).of("ties")


def _parts(a: Answers, _people: StakeholderMap, key: str) -> Screen:
    text = st.text_area(
        _("Parts, one a line: the part, a colon, whose goals it serves"),
        a.parts,
        key=f"{key}-parts",
        max_chars=MAX_TEXT,
        placeholder=_("Core hours: Henrik, Ines\nHome-office budget: Works council"),
    )
    new = replace(a, parts=text)
    return new, guided_map(new).of("parts")


_SCREENS = (_title, _people, _deciders, _blockers, _stances, _listening, _parts)


def _review(a: Answers) -> None:
    """What the answers make, and the button that creates the map and opens its plan."""
    made = guided_map(a)
    m = made.map
    st.write(
        _("{people} people, {ties} ties, {parts} parts.").format(
            people=len(m.stakeholders), ties=len(m.relationships), parts=len(m.proposal.parts)
        )
    )
    st.caption(inert(rule_of(m).describe()))
    st.dataframe(readings(read_text(a.people)), hide_index=True, width="stretch")
    left, right, _rest = st.columns([2, 1, 3])
    if right.button(_("Back"), key="guided-back", width="stretch"):
        _go(len(STEPS) - 2)
    if left.button(_("Create the map and plan"), type="primary", key="guided-create"):
        store = get_store()
        name = store.unique_name(a.title.strip() or _("Untitled map"))
        map_id = store.create(name, m, _("Started from questions"))
        select_map(map_id)
        st.session_state.pop(_ANSWERS, None)
        st.session_state[_STEP] = 0
        st.session_state[_ROUND] = st.session_state.get(_ROUND, 0) + 1
        st.switch_page("views/plan.py", query_params={"map": str(map_id)})
