"""User text made safe for Streamlit's markdown."""

from __future__ import annotations

import re

__all__ = ["inert"]


_WORD_JOINER = "\u2060"


def inert(text: object) -> str:
    """User text made inert for st.markdown: every markdown and HTML sign escaped, and web
    addresses broken with an invisible word joiner so that they are not turned into links.

    >>> inert("<b>*Ana*</b>")
    '\\\\<b\\\\>\\\\*Ana\\\\*\\\\</b\\\\>'
    >>> "://" in inert("see http://example.com or www.example.com")
    False
    """
    escaped = re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", str(text))
    return re.sub(r"(?i)(:)(//)|(www)(\\\.)", rf"\1\3{_WORD_JOINER}\2\4", escaped)
