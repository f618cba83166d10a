"""The decision panel: who votes, who can veto, the thresholds, quorum, abstentions, blocking
minority and champion, saved with the map as one version. The Data page's Proposal tab and the
Plan page draw this same panel, and the guided start asks the same fields
(:mod:`stakemap.planning.setting`, docs/decision-rules.md).
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from stakemap.language import N_
from stakemap.language import gettext as _
from stakemap.model import ABSTENTIONS
from stakemap.planning.rule import rule_of
from stakemap.planning.setting import (
    DecisionSetting,
    RuleText,
    lines_text,
    read_setting,
    setting_of,
    with_setting,
)
from stakemap.ui.session import Current, revision, save
from stakemap.ui.text import inert

__all__ = ["decision_fields", "decision_panel", "rule_fields", "veto_fields", "voter_field"]

_PICK = N_("Type a name")
_RULE_HELP = N_(
    "Shares or counts, each with what it counts, joined by 'and': more than half, two thirds, "
    "unanimity, 55% of members and 65% of Population, 9 members. Exactly half means more than "
    "half."
)
_ABSTAIN_HELP = N_(
    "Count against: a share is of the whole body, so abstaining works like a no. Not counted: "
    "a share is of the votes cast."
)
#: How abstentions count (identifiers of :data:`stakemap.model.ABSTENTIONS`), as shown.
_ABSTENTION_WORDS = {"count against": N_("count against"), "not counted": N_("not counted")}


def decision_panel(cur: Current, key: str, described: bool = False) -> None:
    """The saved decision setting of this map, as a form; Save writes one version.
    ``described``: the page already says the rule in words (the Plan page's plan does)."""
    m = cur.data
    if not described:
        st.caption(inert(rule_of(m).describe()))
    with st.form(f"{key}-{revision()}", border=False):
        chosen, typed = decision_fields(setting_of(m), m.names, f"{key}-{revision()}")
        saved = st.form_submit_button(_("Save how it is decided"), type="primary")
    if not saved:
        return
    new, problems = read_setting(chosen, typed, m.custom_columns)
    if problems:
        listed = "\n".join(f"- {inert(p)}" for p in problems)
        st.error(_("Not saved:\n{problems}").format(problems=listed))
        return
    changed = with_setting(m, new)
    if changed != m and save(changed, _("Set how it is decided")):
        st.rerun()


def decision_fields(
    s: DecisionSetting, names: list[str], key: str
) -> tuple[DecisionSetting, RuleText]:
    """The panel's fields (inside the caller's form): people picked with type-ahead, the
    rule typed in words; returns the picks and the typed rule, read by the caller."""
    voters = voter_field(s, names, key)
    vetoes = veto_fields(s, names, key)
    typed, abstentions = rule_fields(s, key)
    champion = st.selectbox(
        _("Champion (who plans this)"),
        names,
        index=names.index(s.champion) if s.champion in names else None,
        key=f"{key}-champion",
        placeholder=_(_PICK),
    )
    chosen = replace(vetoes, voters=voters, abstentions=abstentions, champion=champion or "")
    return chosen, typed


def voter_field(s: DecisionSetting, names: list[str], key: str) -> tuple[str, ...]:
    """Who votes, picked with type-ahead."""
    voters = st.multiselect(
        _("Who votes"),
        names,
        default=[n for n in s.voters if n in names],
        key=f"{key}-voters",
        placeholder=_(_PICK),
        help=_(
            "The decision makers; one person for a single decider. Veto holders vote too. "
            "With nobody here, everyone not marked a third party decides together, weighted by "
            "power."
        ),
    )
    return tuple(voters)


def veto_fields(s: DecisionSetting, names: list[str], key: str) -> DecisionSetting:
    """Who holds a formal veto and who an informal one, picked with type-ahead."""
    left, right = st.columns(2)
    formal = left.multiselect(
        _("Formal veto"),
        names,
        default=[n for n in s.formal if n in names],
        key=f"{key}-formal",
        placeholder=_(_PICK),
        help=_("Blocks while against, however isolated (a reserved matter, a permanent member)."),
    )
    informal = right.multiselect(
        _("Informal veto"),
        names,
        default=[n for n in s.informal if n in names],
        key=f"{key}-informal",
        placeholder=_(_PICK),
        help=_(
            "Blocks until isolated: the rule holds and everyone in the body they listen to "
            "is for it."
        ),
    )
    return replace(s, formal=tuple(formal), informal=tuple(informal))


def rule_fields(s: DecisionSetting, key: str) -> tuple[RuleText, str]:
    """The rule's own fields: thresholds, quorum and blocking minority in words, abstentions."""
    typed = st.text_input(
        _("It passes with"), lines_text(s.thresholds), key=f"{key}-rule", help=_(_RULE_HELP)
    )
    left, right = st.columns(2)
    quorum = left.text_input(
        _("Quorum (optional)"),
        lines_text(s.quorum),
        key=f"{key}-quorum",
        placeholder=_("such as half of the members"),
        help=_("How much of the body must take part."),
    )
    blocking = right.text_input(
        _("Blocking minority (optional)"),
        lines_text(s.blocking),
        key=f"{key}-blocking",
        placeholder=_("such as 4 members"),
        help=_("The thresholds count as met unless those not in favour reach this."),
    )
    abstentions = st.radio(
        _("Abstentions"),
        ABSTENTIONS,
        index=ABSTENTIONS.index(s.abstentions),
        format_func={way: _(_ABSTENTION_WORDS.get(way, way)) for way in ABSTENTIONS}.get,
        key=f"{key}-abstain",
        horizontal=True,
        help=_(_ABSTAIN_HELP),
    )
    return RuleText(typed, quorum, blocking), abstentions
