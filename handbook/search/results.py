"""What a search answers: the hits, best first, each pointing at its best-matching section with
a highlighted snippet, and the notes for the user (a suggestion, a cut query, a paragraph
answered through its subject)."""

from __future__ import annotations

import html
from dataclasses import dataclass

from handbook.search.snippets import section_and_snippet


@dataclass(frozen=True)
class SearchHit:
    kind: str
    id: str
    title: str
    type: str
    tema: str
    version: str
    score: float
    snippet_html: str
    # the best-matching section: its heading and the anchor render_body gives it (None: the top)
    section: str | None = None
    anchor: str | None = None


@dataclass
class SearchResults:
    query: str
    hits: list[SearchHit]
    suggestion: str | None = None
    fuzzy: bool = False
    # Danish notes for the user: the query was cut to the limits; a paragraph was answered
    # through its subject ("§ 133 handler om underretningspligt – retningslinjer om emnet:")
    notice: str | None = None
    paragraph_note: str | None = None
    total: int = 0  # how many documents matched; `hits` holds the best of them (up to the limit)

    @property
    def count_text(self) -> str:
        """"3 resultater", or "37 resultater – de 10 bedste vises" when there are more than shown."""
        found = f"{self.total} resultat{'er' if self.total != 1 else ''}"
        return found if self.total <= len(self.hits) else f"{found} – de {len(self.hits)} bedste vises"

    def to_json(self) -> list[dict[str, object]]:
        return [
            {
                "id": h.id, "kind": h.kind, "title": h.title, "type": h.type, "tema": h.tema, "version": h.version,
                "score": round(h.score, 4), "section": h.section, "anchor": h.anchor,
            }
            for h in self.hits
        ]



def hits_of(found, stems: set[str]) -> list[SearchHit]:
    """The hits of Whoosh results, with snippets around the stems searched for."""
    hits = []
    for hit in found:
        section, snippet = section_and_snippet(hit["body"], hit.get("sections") or [], stems)
        hits.append(
            SearchHit(
                kind=hit["kind"],
                id=hit["doc_id"],
                title=hit["title"],
                type=hit.get("type", ""),
                tema=hit.get("tema", ""),
                version=hit.get("version", ""),
                score=float(hit.score),
                snippet_html=snippet or html.escape(hit.get("summary", ""), quote=False),
                section=section[1] if section else None,
                anchor=section[0] if section else None,
            )
        )
    return hits
