"""The message catalogue is whole and consistent (docs/languages.md): every message the code
marks is in each language's .po, translated and not fuzzy, with the same placeholders as its
source, and each translation uses the glossary's term for each strict term its source uses."""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from stakemap.language import LANGUAGES, catalogue_path, language_of, speaking
from stakemap.language import gettext as _

ROOT = Path(__file__).parent.parent
SOURCES = (ROOT / "src" / "stakemap", ROOT / "views")
GLOSSARY = ROOT / "src" / "stakemap" / "locale" / "zh" / "glossary.csv"
TRANSLATED = [code for code in LANGUAGES if code != "en"]
_PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def _message_key(message: str | tuple[str, ...], context: str | None) -> tuple:
    return (context, message if isinstance(message, str) else message[0])


@cache
def marked() -> dict[tuple, tuple[str, ...]]:
    """Every message the code marks: (context, msgid) -> its forms, with where it is."""
    found: dict[tuple, tuple[str, ...]] = {}
    entries = [extract_from_dir(str(d), keywords=DEFAULT_KEYWORDS) for d in SOURCES]
    app = ROOT / "app.py"
    with app.open("rb") as file:
        from babel.messages.extract import extract

        app_entries = [
            (str(app), line, message, comments, context)
            for line, message, comments, context in extract("python", file, DEFAULT_KEYWORDS)
        ]
    for batch in [*entries, app_entries]:
        for _file, _line, message, _comments, context in batch:
            forms = (message,) if isinstance(message, str) else tuple(message)
            found[_message_key(message, context)] = forms
    return found


@cache
def catalogue(code: str):
    with catalogue_path(code).open("rb") as po:
        return read_po(po, locale=code)


def _done(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings)


def _placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_marked_message_is_translated(code: str) -> None:
    entries = {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m for m in catalogue(code)}
    missing = [key for key in marked() if key not in entries]
    assert not missing, f"{len(missing)} marked messages not in the .po (make catalogue)"
    untranslated = [key for key in marked() if not _done(entries[key])]
    assert not untranslated, f"{len(untranslated)} untranslated, first: {untranslated[:5]}"
    fuzzy = [key for key in marked() if entries[key].fuzzy]
    assert not fuzzy, f"{len(fuzzy)} fuzzy, first: {fuzzy[:5]}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_keep_their_placeholders(code: str) -> None:
    wrong = []
    for message in catalogue(code):
        if not message.id or not message.string:
            continue
        sources = (message.id,) if isinstance(message.id, str) else message.id
        strings = (message.string,) if isinstance(message.string, str) else message.string
        wanted = set().union(*(_placeholders(s) for s in sources))
        for string in strings:
            if string and _placeholders(string) != wanted:
                wrong.append((sources[0], string))
    assert not wrong, wrong[:5]


def glossary() -> list[dict[str, str]]:
    with GLOSSARY.open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def test_translations_follow_the_glossary() -> None:
    strict = [row for row in glossary() if row["strict"] == "yes"]
    wrong = []
    for message in catalogue("zh"):
        if not message.id or not message.string:
            continue
        skipped = {
            c.split(":", 1)[1].strip().casefold()
            for c in message.user_comments
            if c.startswith("glossary-skip:")
        }
        source = message.id if isinstance(message.id, str) else message.id[0]
        string = message.string if isinstance(message.string, str) else message.string[0]
        for row in strict:
            term = rf"\b{re.escape(row['english'])}(s|es)?\b"
            if row["english"].casefold() in skipped:
                continue
            if re.search(term, source, re.IGNORECASE) and row["chinese"] not in string:
                wrong.append((row["english"], source, string))
    assert not wrong, f"{len(wrong)} translations leave a glossary term, first: {wrong[:5]}"


def test_the_glossary_gives_each_term_one_chinese_word() -> None:
    rows = glossary()
    terms = [row["english"].casefold() for row in rows]
    assert len(terms) == len(set(terms))
    assert all(row["chinese"] and row["strict"] in ("yes", "no") for row in rows)


def test_a_translated_message_is_shown_in_its_language_and_english_is_the_source() -> None:
    with speaking("zh"):
        assert _("Sign out") == "退出登录"
    assert _("Sign out") == "Sign out"


def test_browser_tags_pick_a_language() -> None:
    assert language_of("zh-CN") == "zh" and language_of("zh_Hant_HK") == "zh"
    assert language_of("en-GB") == "en" and language_of("fr-FR", "de") is None
