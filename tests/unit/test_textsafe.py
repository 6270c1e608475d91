"""A query typed by a user is shown as text: no link, image or formatting (issue #12, item 8)."""

import pytest
from markdown_it import MarkdownIt

from handbook.privacy.textsafe import html_text, markdown_literal

PAYLOADS = [
    "![x](https://angriber.example/x.png)",
    "[klik her](https://angriber.example/)",
    "[ref]: https://angriber.example/\n[ref]",
    "<img src=https://angriber.example/x.png>",
    "**fed** _kursiv_ `kode` ~~streg~~",
    "# Overskrift\n- punkt",
    ":red[farvet] :material/warning: $x^2$",
    "![x](//angriber.example/x.png)",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_literal_renders_as_the_same_plain_text(payload):
    rendered = MarkdownIt("commonmark").render(markdown_literal(payload)).replace("\u200b", "")
    assert "<a" not in rendered and "<img" not in rendered and "<strong" not in rendered and "<em" not in rendered
    assert "<h1" not in rendered and "<li" not in rendered and "<code" not in rendered
    assert rendered.strip() == f"<p>{html_text(' '.join(payload.split()))}</p>".replace("&#x27;", "'").replace("&quot;", '"')


def test_plain_words_are_unchanged():
    assert markdown_literal("BFU frist") == "BFU frist"


def test_bare_addresses_are_kept_from_becoming_links():
    text = markdown_literal("se https://angriber.example, www.angriber.example og navn@angriber.example")
    assert "https://" not in text.replace("\\", "") and "www." not in text.replace("\\", "")
    assert "navn@" not in text
