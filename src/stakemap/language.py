"""The language Stakemap speaks: English, the source, or Simplified Chinese (docs/languages.md).

Every word shown is a message marked in the code with :func:`gettext` (imported as ``_``),
:func:`ngettext` (a count's plural forms), :func:`pgettext` (a word whose meaning its context
decides) or :func:`N_` (a constant, marked where it is defined and translated where it is
shown). Babel extracts the marked messages into ``locale/stakemap.pot`` (``make catalogue``);
each language's ``locale/<code>/LC_MESSAGES/stakemap.po`` holds their translations and is
compiled in memory at its first use (GNU gettext's .mo format, by Babel), so no build step can
be forgotten. A sentence with parts is one message with named placeholders
(``_("{name} defers to {other}").format(...)``), never fragments put together.

The language in force is a context variable: the CLI and tests set it (:func:`speaking`); in the
app a resolver reads the browser session's choice (:func:`use_resolver`), so a fragment's rerun
and a background thread speak as the session does.
"""

from __future__ import annotations

import gettext as _gettext
import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

__all__ = [
    "DEFAULT",
    "LANGUAGES",
    "LANGUAGE_COOKIE",
    "LOCALE_DIR",
    "N_",
    "catalogue_path",
    "gettext",
    "language",
    "language_of",
    "ngettext",
    "pgettext",
    "speaking",
    "use_resolver",
]

#: Language codes offered, each with its own name for the picker.
LANGUAGES: dict[str, str] = {"en": "English", "zh": "中文"}
#: The cookie that remembers a browser's language: written by the app's picker, read by the
#: app on a session's first run and by the server's gate for its refusals.
LANGUAGE_COOKIE = "stakemap_language"
#: The source language: its text is the messages themselves.
DEFAULT = "en"
#: Where the catalogues live (inside the package, so an installed copy has them).
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "stakemap"

_chosen: ContextVar[str | None] = ContextVar("stakemap_language", default=None)
_resolver: list[Callable[[], str | None]] = []


def language() -> str:
    """The language in force: the one set by :func:`speaking`, else the resolver's (the
    browser session's), else English.

    >>> language()
    'en'
    """
    chosen = _chosen.get()
    if chosen is None and _resolver:
        chosen = _resolver[0]()
    return chosen if chosen in LANGUAGES else DEFAULT


@contextmanager
def speaking(code: str) -> Iterator[None]:
    """Speak ``code`` (one of :data:`LANGUAGES`) within the block.

    >>> with speaking("zh"):
    ...     language()
    'zh'
    """
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; one of {', '.join(LANGUAGES)}")
    token = _chosen.set(code)
    try:
        yield
    finally:
        _chosen.reset(token)


def use_resolver(resolver: Callable[[], str | None]) -> None:
    """Ask ``resolver`` for the language whenever none is set by :func:`speaking` (the app's
    session choice); one resolver, the last installed."""
    _resolver[:] = [resolver]


def language_of(*tags: object) -> str | None:
    """The first of ``tags`` (BCP 47 or POSIX: "zh-CN", "zh_Hant_TW", "en-GB", "zh") that
    names a language offered, as its code; None when none does.

    >>> language_of(None, "fr-FR", "zh-Hant-TW", "en"), language_of("de")
    ('zh', None)
    """
    for tag in tags:
        if not isinstance(tag, str):  # a test harness's stand-in for a browser's locale
            continue
        code = re.split(r"[-_]", tag.strip().lower())[0]
        if code in LANGUAGES:
            return code
    return None


def catalogue_path(code: str) -> Path:
    """The .po file of language ``code``.

    >>> catalogue_path("zh").name
    'stakemap.po'
    """
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def _translations(code: str) -> _gettext.NullTranslations:
    """The catalogue of ``code`` compiled in memory; fuzzy and empty entries left out, so
    they show in English (and the catalogue test names them)."""
    path = catalogue_path(code)
    if code == DEFAULT or not path.exists():
        return _gettext.NullTranslations()
    from babel.messages.mofile import write_mo  # only where a catalogue is read
    from babel.messages.pofile import read_po

    with path.open("rb") as po:
        catalog = read_po(po, locale=code)
    mo = io.BytesIO()
    write_mo(mo, catalog, use_fuzzy=False)
    mo.seek(0)
    return _gettext.GNUTranslations(mo)


def gettext(message: str) -> str:
    """``message`` in the language in force.

    >>> gettext("Stance")
    'Stance'
    """
    return _translations(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a counted message for ``n`` in the language in force (Chinese has one).

    >>> ngettext("{n} person", "{n} people", 2).format(n=2)
    '2 people'
    """
    return _translations(language()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the language in force, as it reads in ``context`` (one English word,
    two meanings).

    >>> pgettext("stance", "For")
    'For'
    """
    return _translations(language()).pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it here: a constant, translated
    with :func:`gettext` where it is shown.

    >>> N_("Power map")
    'Power map'
    """
    return message
