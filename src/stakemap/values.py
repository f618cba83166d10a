"""Cell values as people write them, normalised to the workbook's scales.

Scales (docs/workbook.md, "Words the importer understands"): High/Medium/Low and H/M/L, 1-5,
1-10 and 0-100% all become 1-5; stance words of the common attitude scale, the spectrum of allies
(Training for Change) and PMBOK engagement levels become -2..+2. Each word table also reads
the Chinese words of :mod:`stakemap.vocabulary_zh`, full-width and Traditional forms too.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from fractions import Fraction

import stakemap.vocabulary_zh as zh
from stakemap.language import N_, pgettext
from stakemap.language import gettext as _
from stakemap.model import ABSTENTIONS, DECISION_ROLES, RELATIONSHIP_KINDS

__all__ = [
    "RULES",
    "SCALES",
    "STANCE_ACCEPTED",
    "BadValue",
    "amount_text",
    "cell_text",
    "clean_text",
    "exact_number",
    "exact_share",
    "infer_scale",
    "measure_key",
    "number_text",
    "parse_abstentions",
    "parse_choice",
    "parse_number",
    "parse_rule",
    "parse_scale",
    "parse_share",
    "parse_stance",
    "parse_strength",
    "parse_tags",
    "parse_threshold",
    "parse_votes",
    "value_kind",
]

SCALES = ("1-5", "1-10", "0-100%", "0-1")

_LEVEL_WORDS = {
    "very low": 1, "low": 1, "l": 1, "lo": 1,
    "medium": 3, "med": 3, "m": 3, "moderate": 3, "mid": 3,
    "high": 5, "h": 5, "hi": 5, "very high": 5,
    **zh.LEVELS,
}  # fmt: skip

STANCE_WORDS: dict[str, int] = {
    # common attitude scale
    "champion": 2, "supporter": 1, "neutral": 0, "critic": -1, "blocker": -2,
    # spectrum of allies
    "active ally": 2, "active allies": 2, "passive ally": 1, "passive allies": 1,
    "neutrals": 0, "passive opposition": -1, "passive opponent": -1,
    "active opposition": -2, "active opponent": -2,
    # PMBOK engagement assessment matrix
    "leading": 2, "supportive": 1, "resistant": -1, "unaware": 0,
    # words seen in the wild
    "strong supporter": 2, "advocate": 2, "strongly support": 2, "strongly supports": 2,
    "support": 1, "supports": 1, "for": 1, "positive": 1, "favourable": 1, "favorable": 1,
    "undecided": 0, "unknown": 0, "indifferent": 0, "mixed": 0,
    "against": -1, "negative": -1, "sceptic": -1, "skeptic": -1, "opposed": -1,
    "opponent": -1, "critical": -1, "hostile": -2, "strongly against": -2, "strongly opposed": -2,
    "blocking": -2, "block": -2, "blocks": -2,
    **zh.STANCES,
}  # fmt: skip
_UNAWARE_WORDS = frozenset({"unaware", *zh.UNAWARE})

_ROLE_WORDS = {
    "decider": "decider", "decision maker": "decider", "decision-maker": "decider",
    "decides": "decider", "approver": "decider", "primary target": "decider",
    "veto": "veto", "veto holder": "veto", "veto player": "veto", "formal veto": "veto",
    "informal veto": "informal veto", "soft veto": "informal veto",
    "informal veto holder": "informal veto",
    "influencer": "influencer", "secondary target": "influencer", "influence": "influencer",
    "third party": "third party", "3rd party": "third party", "third-party": "third party",
    "external": "third party",
    **zh.ROLES,
}  # fmt: skip

_KIND_WORDS = {
    "influences": "influences", "influence": "influences", "influencer": "influences",
    "defers to": "defers to", "defers": "defers to", "defer to": "defers to",
    "listens to": "defers to",
    "reports to": "reports to", "reports": "reports to", "report to": "reports to",
    "ally": "ally", "allies": "ally", "allied": "ally", "friend": "ally",
    "rival": "rival", "rivals": "rival", "rivalry": "rival", "opposes": "rival",
    **zh.KINDS,
}  # fmt: skip


#: What a stance cell accepts, as problem messages say it.
STANCE_ACCEPTED = N_(
    "Blocker, Critic, Neutral, Supporter, Champion; Active opposition .. Active ally; "
    "Resistant, Supportive, Leading, Unaware; or a number from -2 to +2"
)


class BadValue(ValueError):
    """A value that fits no accepted form; ``accepted`` says what would have."""

    def __init__(self, problem: str, accepted: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.accepted = accepted


#: What neither XML (so no .xlsx) nor a careful reader should hold: C0 controls but tab, line
#: feed and carriage return; DEL and C1; lone surrogates; the noncharacters of every plane.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(p << 16 | 0xFFFE)}{chr(p << 16 | 0xFFFF)}" for p in range(17))
    + "]"
)


def clean_text(text: str) -> str:
    """``text`` without the characters a workbook cannot carry (see ``_UNSAFE``).

    >>> clean_text("Ana\\x1b[31m"), clean_text("tab\\tkept"), clean_text("\\ud800x\\ufffe")
    ('Ana[31m', 'tab\\tkept', 'x')
    """
    return text if text.isprintable() else _UNSAFE.sub("", text)


def _key(value: object) -> str:
    """Lower-case text with spaces folded, full-width and Traditional Chinese read as plain and
    Simplified (:func:`stakemap.vocabulary_zh.fold`); an empty cell (None) is ""."""
    return re.sub(r"\s+", " ", zh.fold(cell_text(value))).lower()


def cell_text(value: object) -> str:
    """A cell as text, stripped and without what a workbook cannot carry (:func:`clean_text`:
    text typed into the app's editors comes through here too); whole floats lose their ``.0``;
    dates in ISO form.

    >>> cell_text(42.0), cell_text("  Ana  "), cell_text(None), cell_text(True)
    ('42', 'Ana', '', 'TRUE')
    """
    if isinstance(value, str):  # most cells: checked first, the importer calls this per cell
        return (value if value.isprintable() else _UNSAFE.sub("", value)).strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value):
            return str(int(value))
        return repr(value)
    if isinstance(value, Fraction):  # a formula's exact value (reading.arithmetic)
        return str(value.numerator) if value.denominator == 1 else str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def parse_number(value: object) -> tuple[float, bool] | None:
    """(number, had a percent sign) for a numeric cell, or None if it is not a number.

    Accepts a decimal comma ("3,5") as written in many European spreadsheets, and full-width
    digits ("４．５").

    >>> parse_number("80 %"), parse_number(4), parse_number("3,5"), parse_number("４．５")
    ((80.0, True), (4.0, False), (3.5, False), (4.5, False))
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Fraction):
        return (float(value), False) if math.isfinite(value) else None
    text = _key(value).replace(" ", "")
    percent = text.endswith("%")
    text = text.rstrip("%")
    if re.fullmatch(r"[+-]?\d+,\d+", text):
        text = text.replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    return (number, percent) if math.isfinite(number) else None


def infer_scale(values: list[object]) -> str:
    """The scale a numeric column is written in, from all its values.

    All within 1-5: "1-5"; some above 5 and all within 10: "1-10"; percent signs or values
    above 10: "0-100%"; fractions only within 0-1 (Excel percent cells): "0-1".

    >>> infer_scale([1, 5, "3"]), infer_scale([2, 7]), infer_scale(["80%"]), infer_scale([0.25, 1])
    ('1-5', '1-10', '0-100%', '0-1')
    """
    numbers = [n for n in map(parse_number, values) if n is not None]
    if any(percent for _, percent in numbers) or any(x > 10 for x, _ in numbers):
        return "0-100%"
    if any(x > 5 for x, _ in numbers):
        return "1-10"
    if numbers and all(0 <= x <= 1 for x, _ in numbers) and any(0 < x < 1 for x, _ in numbers):
        return "0-1"
    return "1-5"


def parse_scale(value: object, scale: str) -> float:
    """A 1-5 value from a level word or a number on ``scale``, rounded to 2 decimals.

    >>> parse_scale("High", "1-5"), parse_scale(10, "1-10"), parse_scale("50%", "0-100%")
    (5.0, 5.0, 3.0)
    """
    word = _LEVEL_WORDS.get(_key(value))
    if word is not None:
        return float(word)
    parsed = parse_number(value)
    accepted = _("a number on the {scale} scale, or High/Medium/Low").format(scale=scale)
    if parsed is None:
        raise BadValue(_("is not a number or a level word"), accepted)
    x = parsed[0]
    low, high = {"1-5": (1, 5), "1-10": (1, 10), "0-100%": (0, 100), "0-1": (0, 1)}[scale]
    if not low <= x <= high:
        raise BadValue(_("is outside {range}").format(range=scale), accepted)
    return round(1 + (x - low) * 4 / (high - low), 2)


def infer_stance_scale(values: list[object]) -> str:
    """ "-2..+2", or "1-5" when a stance column's numbers are all 1-5 and some are above 2."""
    numbers = [n for n, _ in filter(None, map(parse_number, values))]
    if numbers and all(1 <= x <= 5 for x in numbers) and any(x > 2 for x in numbers):
        return "1-5"
    return "-2..+2"


def parse_stance(value: object, scale: str = "-2..+2") -> tuple[int, bool]:
    """(stance -2..+2, unaware) from a stance word or a number on ``scale``.

    >>> parse_stance("Passive ally"), parse_stance("  UNAWARE "), parse_stance("－1")
    ((1, False), (0, True), (-1, False))
    """
    key = _key(value)
    if key in STANCE_WORDS:
        return STANCE_WORDS[key], key in _UNAWARE_WORDS
    parsed = parse_number(value)
    accepted = _(STANCE_ACCEPTED)
    if parsed is None:
        raise BadValue(_("is not a stance word"), accepted)
    x = parsed[0] - 3 if scale == "1-5" else parsed[0]
    if not -2 <= x <= 2 or x != int(x):
        raise BadValue(
            _("is outside {range}").format(range=scale if scale == "1-5" else "-2..+2"), accepted
        )
    return int(x), False


#: Words for a tie's strength besides the level words: how people describe a tie.
_STRENGTH_WORDS = {"strong": 5, "very strong": 5, "weak": 1, "very weak": 1, **zh.STRENGTHS}


def parse_strength(value: object) -> float:
    """A tie strength in -5..5 (a level word gives 1, 3 or 5; Strong 5, Weak 1).

    >>> parse_strength("-2"), parse_strength("High"), parse_strength("weak")
    (-2.0, 5.0, 1.0)
    """
    word = _LEVEL_WORDS.get(_key(value), _STRENGTH_WORDS.get(_key(value)))
    if word is not None:
        return float(word)
    parsed = parse_number(value)
    accepted = _("a number from -5 to 5 (negative: pushes away)")
    if parsed is None:
        raise BadValue(_("is not a number"), accepted)
    if not -5 <= parsed[0] <= 5:
        raise BadValue(_("is outside {range}").format(range="-5..5"), accepted)
    return parsed[0]


#: Decision rule key -> how the page names it (a single threshold on votes; docs/decision-rules.md).
RULES: dict[str, str] = {
    "share": "share of votes",
    "majority": "simple majority",
    "unanimity": "unanimity",
    "single": "single decider",
}
_RULE_WORDS = {
    "": "share", "share": "share", "share of votes": "share", "pass share": "share",
    "majority": "majority", "simple majority": "majority",
    "unanimity": "unanimity", "unanimous": "unanimity", "consensus": "unanimity",
    "single": "single", "single decider": "single", "one decider": "single",
    **zh.RULES,
}  # fmt: skip


def parse_rule(text: object) -> str | None:
    """The rule key for a cell's words, or None if they name no rule.

    >>> parse_rule("Simple majority"), parse_rule(""), parse_rule("dice")
    ('majority', 'share', None)
    """
    return _RULE_WORDS.get(_key(str(text).replace("-", " ")))


def parse_votes(value: object) -> float:
    """A ``Votes`` cell: a number of votes, 0 or more, kept as written.

    >>> parse_votes("3"), parse_votes(2.5)
    (3.0, 2.5)
    """
    parsed = parse_number(value)
    if parsed is None or parsed[1]:
        raise BadValue(_("is not a number"), _("a number of votes, 0 or more"))
    if parsed[0] < 0:
        raise BadValue(_("is not 0 or more"), _("a number of votes, 0 or more"))
    return parsed[0]


#: Shares a cell means when it is within :data:`SNAP` of one (66.67% is 2/3): denominators up
#: to 12 cover the thirds, quarters, sixths, ninths and twelfths real rules are written in.
SNAP_DENOMINATOR = 12
SNAP = Fraction(1, 1000)
_SHARE_WORDS = {
    "majority": "1/2", "simple majority": "1/2", "half": "1/2", "more than half": "1/2",
    "unanimity": "1/1", "unanimous": "1/1", "all": "1/1", "everyone": "1/1", "consensus": "1/1",
    "two thirds": "2/3", "two-thirds": "2/3", "2 thirds": "2/3",
    "three quarters": "3/4", "three-quarters": "3/4", "three fifths": "3/5",
    "three-fifths": "3/5",
    **zh.SHARES,
}  # fmt: skip
_SHARE_ACCEPTED = N_("a share such as 50%, 2/3, 66 2/3% or 0.6")
_AMOUNT_ACCEPTED = N_("a share such as 55%, 2/3 or majority, or a count such as 15")


def exact_share(x: Fraction | float | int, within: Fraction = SNAP) -> tuple[Fraction, bool]:
    """``x`` as an exact fraction, moved to the nearest fraction with a denominator up to
    :data:`SNAP_DENOMINATOR` when within ``within`` of it, unless it is a whole percentage;
    and whether it was moved.

    >>> exact_share(0.6667), exact_share(0.55), exact_share(2 / 3, Fraction(1, 10**9))
    ((Fraction(2, 3), True), (Fraction(11, 20), False), (Fraction(2, 3), True))
    """
    value = x if isinstance(x, Fraction) else Fraction(repr(float(x)))
    if (value * 100).denominator == 1:  # a whole percentage is what it says (91% is not 10/11)
        return value, False
    near = min(
        (Fraction(round(value * q), q) for q in range(1, SNAP_DENOMINATOR + 1)),
        key=lambda f: (abs(f - value), f.denominator),
    )
    if near != value and abs(near - value) <= within:
        return near, True
    return value, False


def _fraction_text(text: str) -> tuple[Fraction, bool] | None:
    """(number, had a percent sign) for "2/3", "=2/3", "66 2/3%", "66⅔%" or a plain number."""
    text = text.strip().lstrip("=").replace("\u2044", "/").replace(" %", "%")
    percent = text.endswith("%")
    text = text.rstrip("%").strip()
    vulgar = next((c for c in text if unicodedata.numeric(c, None) and not c.isascii()), "")
    if vulgar and unicodedata.numeric(vulgar) < 1:
        whole = text.replace(vulgar, "").strip() or "0"
        text = f"{whole} {Fraction(unicodedata.numeric(vulgar)).limit_denominator(16)}"
    mixed = re.fullmatch(r"(\d+)\s+(\d+)\s*/\s*(\d+)", text)
    try:
        if mixed:
            whole, num, den = map(int, mixed.groups())
            return Fraction(whole) + Fraction(num, den), percent
        if re.fullmatch(r"\d+(\.\d+)?\s*/\s*\d+(\.\d+)?", text):
            num, den = (Fraction(p.strip()) for p in text.split("/"))
            return num / den, percent
        if re.fullmatch(r"[+-]?\d+,\d+", text):
            text = text.replace(",", ".")
        return Fraction(text), percent
    except (ValueError, ZeroDivisionError):
        return None


def exact_number(value: object) -> tuple[Fraction, bool] | None:
    """(exact number, had a percent sign) for a numeric or fraction-like cell, else None.

    >>> exact_number("2/3"), exact_number(0.1), exact_number("83,5")
    ((Fraction(2, 3), False), (Fraction(1, 10), False), (Fraction(167, 2), False))
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, Fraction):
        return value, False
    if isinstance(value, int | float):
        return (Fraction(repr(float(value))), False) if math.isfinite(value) else None
    return _fraction_text(_key(value))


def parse_share(value: object) -> tuple[Fraction, str]:
    """A pass share in (0, 1], exact, from "60%", "60", 0.6, "2/3", "=2/3", "66 2/3%" or a
    cell within 0.001 of a simple fraction (0.6667 is 2/3); with a note saying how a rounded
    cell was read ("" when it was exact). A number above 1 without a sign is a percentage.

    >>> parse_share("60%"), parse_share("=2/3"), parse_share("75")
    ((Fraction(3, 5), ''), (Fraction(2, 3), ''), (Fraction(3, 4), ''))
    >>> parse_share(0.6667)
    (Fraction(2, 3), 'read 0.6667 as 2/3')
    """
    word = _SHARE_WORDS.get(_key(value))
    if word is not None:
        return Fraction(word), ""
    parsed = exact_number(value)
    if parsed is None:
        raise BadValue(_("is not a share"), _(_SHARE_ACCEPTED))
    x, percent = parsed
    share = x / 100 if percent or x > 1 else x
    if not 0 < share <= 1:
        raise BadValue(_("is outside {range}").format(range="0-100%"), _(_SHARE_ACCEPTED))
    exact, moved = exact_share(share)
    shown = cell_text(value)
    if re.fullmatch(r"\d*\.\d{7,}", shown):  # a computed cell: 0.6666666666666666
        shown = format(float(shown), ".6g")
    return exact, _("read {value} as {share}").format(value=shown, share=exact) if moved else ""


def parse_threshold(value: object) -> tuple[str, str]:
    """A threshold's amount as exact text, a share ("2/3") or a count ("15"), with a note on
    how a rounded share was read. Shares carry a percent sign, a slash, a word (majority,
    unanimity, two thirds) or are below 1; other numbers are counts.

    >>> parse_threshold("55%"), parse_threshold("15"), parse_threshold("Majority")
    (('11/20', ''), ('15', ''), ('1/2', ''))
    >>> parse_threshold("66.67%")
    ('2/3', 'read 66.67% as 2/3')
    """
    word = _SHARE_WORDS.get(_key(value))
    if word is not None:
        return word, ""
    parsed = exact_number(value)
    if parsed is None:
        raise BadValue(_("is not a share or a count"), _(_AMOUNT_ACCEPTED))
    x, percent = parsed
    if percent or "/" in _key(value) or 0 < x < 1:
        share, note = parse_share(value)
        return f"{share.numerator}/{share.denominator}", note
    if x <= 0:
        raise BadValue(_("is not above 0"), _(_AMOUNT_ACCEPTED))
    return str(x) if x.denominator == 1 else _decimal(x), ""


def _decimal(x: Fraction) -> str:
    """A finite decimal's shortest text (a count read from a cell is always one)."""
    return format(float(x), "g") if Fraction(repr(float(x))) == x else str(x)


def measure_key(counts: str) -> str:
    """The measure a threshold's Tags name: votes, members, or a column (case kept).

    >>> measure_key("Votes"), measure_key(" member "), measure_key("Population")
    ('votes', 'members', 'Population')
    >>> measure_key("票數"), measure_key("人数")
    ('votes', 'members')
    """
    key = " ".join(counts.split())
    lowered = zh.MEASURES.get(zh.fold(key), key.casefold())
    if lowered in ("", "vote", "votes", "weighted votes", "seats"):
        return "votes"
    if lowered in ("member", "members", "head count", "headcount", "people", "states"):
        return "members"
    return key


def number_text(x: Fraction | float | int) -> str:
    """A count as people write it: whole numbers plain, others to two decimals at most.

    >>> number_text(Fraction(6)), number_text(Fraction(23, 2)), number_text(Fraction(2, 3))
    ('6', '11.5', '0.67')
    """
    x = Fraction(x)
    if x.denominator == 1:
        return str(x.numerator)
    return f"{float(x):.2f}".rstrip("0").rstrip(".")


def amount_text(share: Fraction) -> str:
    """A share as people write it: a whole or half percentage when it is one, else a fraction.

    >>> amount_text(Fraction(11, 20)), amount_text(Fraction(2, 3)), amount_text(Fraction(1, 8))
    ('55%', '2/3', '12.5%')
    """
    percent = share * 100
    if (percent * 2).denominator == 1:
        return f"{number_text(percent)}%"
    return f"{share.numerator}/{share.denominator}"


_ABSTENTION_WORDS = {
    "count against": "count against", "counted against": "count against",
    "against": "count against", "count as against": "count against", "no": "count against",
    "share of all votes": "count against", "all votes": "count against",
    "not counted": "not counted", "not count": "not counted", "ignored": "not counted",
    "excluded": "not counted", "do not count": "not counted", "don't count": "not counted",
    "votes cast": "not counted", "of votes cast": "not counted",
    "majority of votes cast": "not counted", "share of votes cast": "not counted",
    **zh.ABSTENTIONS,
}  # fmt: skip


def parse_abstentions(value: object) -> str:
    """How abstentions count: "count against" (blank too) or "not counted".

    >>> parse_abstentions("Not counted"), parse_abstentions("votes cast"), parse_abstentions("")
    ('not counted', 'not counted', 'count against')
    """
    key = _key(value)
    if not key:
        return ABSTENTIONS[0]
    if key in _ABSTENTION_WORDS:
        return _ABSTENTION_WORDS[key]
    raise BadValue(_("is not a way to count abstentions"), _(" or ").join(map(_, ABSTENTIONS)))


def parse_choice(value: object, column: str) -> str:
    """A decision role or relationship kind in canonical spelling ("" for blank)."""
    key = _key(value)
    if not key:
        return ""
    words, choices = (
        (_ROLE_WORDS, DECISION_ROLES)
        if column == "Decision role"
        else (_KIND_WORDS, RELATIONSHIP_KINDS)
    )
    if key in words:
        return words[key]
    problem = (
        _("is not a known decision role") if column == "Decision role" else _("is not a known kind")
    )
    raise BadValue(problem, pgettext("list", ", ").join(map(_, choices)))


def parse_tags(value: object) -> tuple[str, ...]:
    """Comma-, semicolon- or line-separated tags (full-width commas and semicolons and the
    enumeration comma 、 too), stripped, first spelling kept, no repeats.

    >>> parse_tags("finance, Operations; finance\\nclients"), parse_tags("预算，人员、客户；预算")
    (('finance', 'Operations', 'clients'), ('预算', '人员', '客户'))
    """
    seen: dict[str, str] = {}
    for tag in re.split(r"[,;\n，；、]", cell_text(value)):
        tag = re.sub(r"\s+", " ", tag).strip()
        if tag and tag.casefold() not in seen:
            seen[tag.casefold()] = tag
    return tuple(seen.values())


#: Words of job titles ("CFO", "Head of Finance", "Board member"): a column mostly made of
#: them is a Role whatever its header says.
_TITLE_WORDS = frozenset(
    re.findall(
        r"\w+",
        "ceo cfo coo cto cio ciso cmo chro cdo cpo vp svp evp md gm pm "
        "chief head director directors manager managers officer lead leader president chair "
        "chairman chairwoman chairperson secretary treasurer minister mayor councillor councilor "
        "governor senator representative rep engineer analyst architect developer designer "
        "consultant advisor adviser specialist coordinator administrator supervisor executive "
        "partner founder owner principal professor dean clerk accountant auditor controller "
        "counsel lawyer attorney sponsor steward assistant associate intern technician nurse "
        "doctor teacher superintendent commissioner inspector planner strategist scientist "
        "researcher editor agent trustee deputy vice registrar bursar provost rector chancellor "
        "member ambassador delegate liaison",
    )
)


def value_kind(values: list[object]) -> tuple[str | None, str]:
    """What a column's values are, whatever its header: "role" (job titles), "stance" (stance
    words), or None; with an example value.

    A kind needs most of the filled cells (60% for titles, 80% for stance words, numbers not
    counted as stance words) and at least two of them, or one for titles.

    >>> value_kind(["CFO", "Head of IT", "Board member"]), value_kind(["Resistant", "Leading"])
    (('role', 'CFO'), ('stance', 'Resistant'))
    >>> value_kind(["4", "2"]), value_kind(["Lyon", "Leeds"]), value_kind(["財務總監", "副總裁"])
    ((None, ''), (None, ''), ('role', '財務總監'))
    """
    texts = [t for t in map(cell_text, values) if t]
    if not texts:
        return None, ""
    titles = [
        t
        for t in texts
        if _TITLE_WORDS & set(re.findall(r"[^\W\d_]+", t.lower())) or zh.TITLES.search(_key(t))
    ]
    if len(titles) >= 0.6 * len(texts):
        return "role", titles[0]
    stances = [t for t in texts if _key(t) in STANCE_WORDS]
    if len(texts) >= 2 and len(stances) >= 0.8 * len(texts):
        return "stance", stances[0]
    return None, ""
