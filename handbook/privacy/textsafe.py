"""The one plain-text renderer: every text a user typed that another user sees (feedback
comments, run notes and references, correction reasons, worksheet items, review comments, names
from a login service or proxy, search queries; and the tilsyn notes to come) is shown through
markdown_literal (one line) or plain_lines (several lines) when Streamlit renders Markdown
around it, or html_text in an HTML context. It can never become a link, an image, formatting or
HTML: every character Markdown, Streamlit's directives (:red[...], :material/...:) or LaTeX use
is escaped, and bare addresses are kept from GitHub-flavoured Markdown's autolinks.
portal/widgets.user_text shows such a text on its own."""

from __future__ import annotations

import html
import re

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping all that
# Markdown, Streamlit's directives (:red[...], :material/...:) or LaTeX ($) use leaves none active.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&=^\"'])")


# GitHub-flavoured Markdown turns bare addresses into links even when escaped: http://, www.
# and e-mail addresses. A zero-width space after the trigger keeps them text.
_AUTOLINK = re.compile(r"(?i)(https?|ftp|www|mailto)(?=[:.])|(?<=\w)(?=@\w)|(?<=://)")


def markdown_literal(text: str) -> str:
    """text for a Markdown context (st.warning, st.caption, a button label), shown literally on
    one line: line breaks and runs of spaces become one space, Markdown characters are escaped,
    and bare addresses are kept from becoming links."""
    flat = _AUTOLINK.sub(lambda m: (m.group(1) or "") + "\u200b", " ".join(str(text).split()))
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat)


def plain_lines(text: str) -> str:
    """text of several lines for a Markdown context: each line as markdown_literal, the line
    breaks kept (as Markdown hard breaks), empty lines dropped."""
    return "  \n".join(markdown_literal(line) for line in str(text).splitlines() if line.strip())


def html_text(text: str) -> str:
    """text for an HTML context (st.html), shown literally."""
    return html.escape(str(text), quote=True)
