"""A guideline as a stand-alone page for printing: title, the facts a meeting needs (version,
gyldig fra, ansvarlig, lovgrundlag …), the text, and on every printed page a footer that says
when it was printed and that the portal holds the version in force."""

from __future__ import annotations

import html
from datetime import datetime

from handbook.content.guideline import Guideline
from handbook.content.render import metadata_html, render_body
from handbook.dates.danish_time import moment_text

FOOTER = "Udskrevet den {moment} – tjek altid den gældende version i Håndbogen"

_STYLE = """
body { font-family: "Source Sans Pro", system-ui, Helvetica, Arial, sans-serif; color: #1f2328; max-width: 48rem;
       margin: 2rem auto; padding: 0 1rem 4rem; line-height: 1.55; }
h1 { font-size: 1.7rem; margin: .2rem 0 .8rem; }
h2 { font-size: 1.25rem; border-bottom: 1px solid #c9d1d9; padding-bottom: .15rem; margin-top: 1.5rem; }
h3 { font-size: 1.05rem; }
.type { color: #44546a; font-size: .9rem; margin: 0; }
.summary { font-style: italic; }
.hb-meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; border: 1px solid #c9d1d9;
           border-radius: 4px; padding: .6rem .8rem; margin: 1rem 0; }
.hb-meta dt { font-weight: 700; }
.hb-meta dd { margin: 0; white-space: pre-line; }
table { border-collapse: collapse; margin: .8rem 0; }
th, td { border: 1px solid #8c959f; padding: .3rem .5rem; text-align: left; vertical-align: top; }
a { color: #1a5580; }
footer { margin-top: 2rem; border-top: 1px solid #8c959f; padding-top: .4rem; font-size: .85rem; color: #333; }
.print-button { font: inherit; padding: .4rem .9rem; margin-bottom: 1rem; }
.print-button:focus-visible { outline: 3px solid #1f5f8b; outline-offset: 2px; }
@media print {
  body { margin: 0; max-width: none; padding: 0 0 2.2rem; font-size: 11pt; }
  .print-button { display: none; }
  footer { position: fixed; bottom: 0; left: 0; right: 0; margin: 0; background: white; }
  a { color: inherit; text-decoration: none; }
  h2, h3 { break-after: avoid; }
  table, .hb-meta { break-inside: avoid; }
}
"""


def footer_text(printed_at: datetime) -> str:
    """'Udskrevet den man. 30. november 2026 kl. 05.10 – tjek altid den gældende version i Håndbogen'."""
    return FOOTER.format(moment=moment_text(printed_at))


def guideline_print_html(guideline: Guideline, printed_at: datetime, known_ids: set[str] | frozenset[str] = frozenset(), audience_label=lambda key: key) -> str:
    """The printable page of a guideline (lang="da", escaped by the handbook's safe renderer)."""
    body = render_body(guideline.body, known_ids=known_ids).html
    summary = f'<p class="summary">{html.escape(guideline.summary)}</p>' if guideline.summary else ""
    return (
        "<!doctype html><html lang='da'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(guideline.title)} – version {html.escape(guideline.version)}</title>"
        f"<style>{_STYLE}</style></head><body>"
        "<button class='print-button' type='button' onclick='window.print()'>Udskriv</button>"
        f"<main><p class='type'>{html.escape(guideline.type_label)} · {html.escape(guideline.tema)}</p>"
        f"<h1>{html.escape(guideline.title)}</h1>{summary}"
        f"{metadata_html(guideline, audience_label)}"
        f"<div class='hb-body'>{body}</div></main>"
        f"<footer>{html.escape(footer_text(printed_at))}</footer>"
        "</body></html>"
    )
