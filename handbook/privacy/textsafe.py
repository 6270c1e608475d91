"""User-supplied text shown as text: a query typed into the search field must never become a
link, an image or formatting when Streamlit renders Markdown around it."""

from __future__ import annotations

import html
import re

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping all that
# Markdown, Streamlit's directives (:red[...], :material/...:) or LaTeX ($) use leaves none active.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&=\"'])")


# GitHub-flavoured Markdown turns bare addresses into links even when escaped: http://, www.
# and e-mail addresses. A zero-width space after the trigger keeps them text.
_AUTOLINK = re.compile(r"(?i)(https?|ftp|www)(?=[:.])|(?<=\w)(?=@\w)")


def markdown_literal(text: str) -> str:
    """text for a Markdown context (st.warning, st.caption, a button label), shown literally on
    one line: line breaks and runs of spaces become one space, Markdown characters are escaped,
    and bare addresses are kept from becoming links."""
    flat = _AUTOLINK.sub(lambda m: (m.group(1) or "") + "\u200b", " ".join(str(text).split()))
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat)


def html_text(text: str) -> str:
    """text for an HTML context (st.html), shown literally."""
    return html.escape(str(text), quote=True)
