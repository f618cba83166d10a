"""User text made safe for Streamlit's markdown."""

from __future__ import annotations

import re

__all__ = ["inert"]


def inert(text: object) -> str:
    """User text made inert for st.markdown: every markdown and HTML sign escaped.

    >>> inert("<b>*Ana*</b>")
    '\\\\<b\\\\>\\\\*Ana\\\\*\\\\</b\\\\>'
    """
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", str(text))
