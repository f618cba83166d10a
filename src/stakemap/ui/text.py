"""User text made safe for Streamlit's markdown.

The rule: every string that came from a user or a file goes through :func:`inert` wherever
Streamlit 1.67 reads markdown, or is shown in a plain-text element. Markdown is read in titles,
headers, captions, ``st.markdown``, alerts and toasts, every widget label and ``help=`` tooltip,
expander, tab and popover labels, metric labels, page links, the options of ``st.radio`` and
``st.select_slider``, column ``help`` in a dataframe's config, and every cell and header of
``st.table``. Plain text (never inert there, or the escapes show): the options of
``st.selectbox`` and ``st.multiselect`` (``format_func`` output included), widget values,
``st.text``, ``st.code`` and the cells and column labels of ``st.dataframe``/``st.data_editor``.
A heading of user text takes ``anchor=False``: its anchor would be a link made of the text.
tests/test_markup.py and tests/browser/test_markup_browser.py enforce this on every page.
"""

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
