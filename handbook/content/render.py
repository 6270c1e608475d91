"""Markdown to safe HTML: one renderer for every guideline body, with anchors and a contents list.

Raw HTML in Markdown is not rendered (it is shown as text), and markdown-it refuses links to
`javascript:`, `vbscript:`, `file:` and `data:` URLs, so a guideline cannot run code in a reader's
browser. Links whose target is a guideline id become links to that guideline's page.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote, unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin

from handbook.content.guideline import ID_PATTERN, Guideline

GUIDELINE_PAGE = "retningslinje"
_SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:", "#", "/")


@dataclass(frozen=True)
class Heading:
    """A heading in a guideline body, for the table of contents."""

    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class RenderedBody:
    html: str
    headings: tuple[Heading, ...]


def slugify(text: str) -> str:
    """A readable anchor for a heading that keeps æ, ø and å: 'Frister og lovgrundlag' -> 'frister-og-lovgrundlag'."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = re.sub(r"[^\w\s-]", "", text)
    return re.sub(r"[\s_-]+", "-", text).strip("-") or "afsnit"


def guideline_url(guideline_id: str, anchor: str = "") -> str:
    """The stable, shareable address of a guideline, relative to the portal root."""
    url = f"{GUIDELINE_PAGE}?id={quote(guideline_id)}"
    return f"{url}#{quote(anchor)}" if anchor else url


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable(["table", "strikethrough"])
    anchors_plugin(md, min_level=2, max_level=3, slug_func=slugify)
    return md


_MD = _markdown()


# Links to the portal's own tool pages, e.g. [Signs of Safety-arket](/metoder?ark=sos).
PORTAL_PAGE_LINK = re.compile(r"^/(metoder|tjeklister|tjekliste|trivsel)(\?[\w=&%.-]*)?$")


def render_body(markdown_text: str, known_ids: set[str] | frozenset[str] = frozenset()) -> RenderedBody:
    """Render a guideline body to HTML and collect its headings (## and ###).

    Cached per process by the text and the ids that links may point to: a page run shows the
    same bodies again and again, and the result depends on nothing else. Callers must not
    change the returned object."""
    return _render_cached(markdown_text, frozenset(known_ids))


@functools.lru_cache(maxsize=1024)
def _render_cached(markdown_text: str, known_ids: frozenset[str]) -> RenderedBody:
    tokens = _MD.parse(markdown_text)
    headings: list[Heading] = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.attrGet("id"):
            inline = tokens[index + 1]
            headings.append(Heading(int(token.tag[1]), inline.content, str(token.attrGet("id"))))
        if token.type == "inline" and token.children:
            _rewrite_links(token.children, known_ids)
    return RenderedBody(_MD.renderer.render(tokens, _MD.options, {}), tuple(headings))


def _rewrite_links(children: list[Token], known_ids: set[str] | frozenset[str]) -> None:
    """Point id links at the guideline page; open external links in a new tab; drop the rest."""
    for token in children:
        if token.type != "link_open":
            continue
        href = str(token.attrGet("href") or "")
        target, _, anchor = href.partition("#")
        if ID_PATTERN.match(target) and target in known_ids:
            # markdown-it has already percent-encoded the link; decode so it is encoded once.
            token.attrSet("href", guideline_url(target, unquote(anchor)))
            token.attrSet("target", "_self")
        elif PORTAL_PAGE_LINK.match(href):
            # relative, so the link also works when the portal is served under a path prefix
            token.attrSet("href", href.lstrip("/"))
            token.attrSet("target", "_self")
        elif href.startswith(("http://", "https://")) or _protocol_relative(href):
            # '//host/...' leaves the portal just like 'https://host/...': it is external.
            token.attrSet("target", "_blank")
            token.attrSet("rel", "noopener noreferrer")
        elif not href.startswith(_SAFE_SCHEMES):
            token.attrs.pop("href", None)
            token.attrSet("class", "doed-link")
            token.attrSet("title", "Linket peger ikke på en kendt retningslinje")


def _protocol_relative(href: str) -> bool:
    """A link such as //host/x (or /\\host/x, which browsers read the same) that names
    another host while looking like a path on this one."""
    return href[:2].replace("\\", "/") == "//" or href[:4].lower() == "/%5c"


def format_date(value: date | None) -> str:
    """Danish date: 1. januar 2026."""
    if value is None:
        return "–"
    months = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"]
    return f"{value.day}. {months[value.month - 1]} {value.year}"


def format_number(value: float, decimals: int | None = None) -> str:
    """A number the Danish way: decimal comma, no needless zeros (4,5; 4; 12,25), or with a
    fixed number of decimals."""
    text = f"{value:.{decimals}f}" if decimals is not None else f"{value:g}"
    return text.replace(".", ",")


def metadata_rows(guideline: Guideline, audience_label=lambda key: key) -> list[tuple[str, str]]:
    """The facts shown in a guideline's metadata box, labelled in Danish."""
    return [
        ("Version", guideline.version),
        ("Gyldig fra", format_date(guideline.effective)),
        ("Revisionsdato", format_date(guideline.review_by)),
        ("Ansvarlig", guideline.owner),
        ("Godkendt af", guideline.approved_by or "–"),
        ("Lovgrundlag", "\n".join(guideline.legal_refs) or "–"),
        ("Målgruppe", ", ".join(audience_label(a) for a in guideline.audience) or "Alle"),
    ]


def metadata_html(guideline: Guideline, audience_label=lambda key: key) -> str:
    """The metadata box as escaped HTML (a definition list)."""
    items = "".join(
        f"<dt>{html.escape(label)}</dt><dd>{html.escape(value)}</dd>"
        for label, value in metadata_rows(guideline, audience_label)
    )
    return f'<dl class="hb-meta">{items}</dl>'


def toc_html(headings: tuple[Heading, ...] | list[Heading]) -> str:
    """The table of contents as escaped HTML links to the heading anchors."""
    items = "".join(
        f'<li class="hb-toc-{h.level}"><a href="#{quote(h.anchor)}" target="_self">{html.escape(h.text)}</a></li>'
        for h in headings
    )
    return f'<ul class="hb-toc">{items}</ul>' if items else ""


def plain_text(markdown_text: str) -> str:
    """The readable text of a Markdown body without markup, one block per line (for search)."""
    lines: list[str] = []
    for token in _MD.parse(markdown_text):
        if token.type == "inline" and token.children:
            parts = [
                " " if child.type in ("softbreak", "hardbreak") else child.content
                for child in token.children
                if child.type in ("text", "code_inline", "softbreak", "hardbreak")
            ]
            lines.append("".join(parts))
        elif token.type in ("code_block", "fence"):
            lines.append(token.content.strip())
    return "\n".join(line for line in lines if line.strip())


@dataclass(frozen=True)
class TextSection:
    """The plain text of one part of a body: what comes before the first heading (anchor ''),
    or one ## / ### heading and the text up to the next one. The anchor is the one render_body
    gives the heading, so a link to it lands on that heading."""

    anchor: str
    heading: str
    text: str


def plain_text_sections(markdown_text: str) -> list[TextSection]:
    """plain_text, cut at the headings that get an anchor (for section-level search hits)."""
    sections: list[tuple[str, str, list[str]]] = [("", "", [])]
    tokens = _MD.parse(markdown_text)
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.attrGet("id"):
            sections.append((str(token.attrGet("id")), tokens[index + 1].content, []))
        lines = sections[-1][2]
        if token.type == "inline" and token.children:
            lines.append("".join(
                " " if child.type in ("softbreak", "hardbreak") else child.content
                for child in token.children
                if child.type in ("text", "code_inline", "softbreak", "hardbreak")
            ))
        elif token.type in ("code_block", "fence"):
            lines.append(token.content.strip())
    return [
        TextSection(anchor, heading, "\n".join(line for line in lines if line.strip()))
        for anchor, heading, lines in sections
        if anchor or any(line.strip() for line in lines)
    ]


