"""What a search answers: the hits, best first, each pointing at its best-matching section with
a highlighted snippet, and the notes for the user (a suggestion, a cut query, a paragraph
answered through its subject)."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, replace

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
    # a guideline's checklist ("Start tjeklisten" beside it); a checklist's guideline
    checklist: str = ""
    topic: str = ""


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
    # what the law map says about each provision in the query, shown above the results
    # ("§ 133 (tidl. SEL § 153): skærpet underretningspligt for offentligt ansatte")
    law_lines: tuple[str, ...] = ()
    total: int = 0  # how many documents matched; `hits` holds the best of them (up to the limit)
    total_exact: bool = True  # False: at least `total` (a large index is not counted through)

    @property
    def count_text(self) -> str:
        """"3 resultater", or "37 resultater – de 10 bedste vises" when there are more than shown."""
        found = f"{'mindst ' if not self.total_exact else ''}{self.total} resultat{'er' if self.total != 1 else ''}"
        return found if self.total_exact and self.total <= len(self.hits) else f"{found} – de {len(self.hits)} bedste vises"

    def to_json(self) -> list[dict[str, object]]:
        return [
            {
                "id": h.id, "kind": h.kind, "title": h.title, "type": h.type, "tema": h.tema, "version": h.version,
                "score": round(h.score, 4), "section": h.section, "anchor": h.anchor,
                **({"checklist": h.checklist} if h.checklist else {}),
            }
            for h in self.hits
        ]



def hits_of(found, stems: set[str], stored: dict[str, dict] | None = None) -> list[SearchHit]:
    """The hits of Whoosh results, with snippets around the stems searched for; or, given
    stored, without snippets yet, their stored fields kept there for with_snippets (folding
    and cutting the list first spares the snippets of hits that are not shown)."""
    if stored is None:
        return [hit_of(hit, float(hit.score), stems) for hit in found]
    hits = []
    for hit in found:
        fields = hit.fields()
        stored[fields["key"]] = fields
        hits.append(hit_of(fields, float(hit.score), stems, snippet=False))
    return hits


def with_snippets(hits: list[SearchHit], stored: dict[str, dict], stems: set[str]) -> list[SearchHit]:
    """The hits with their sections and snippets, from the fields hits_of kept."""
    return [hit_of(stored[f"{hit.kind}:{hit.id}"], hit.score, stems, checklist=hit.checklist) for hit in hits]


def hit_of(fields, score: float, stems: set[str], snippet: bool = True, checklist: str = "") -> SearchHit:
    """One hit from a document's stored fields (a Whoosh hit or searcher.stored_fields())."""
    section, snippet_html = section_and_snippet(fields["body"], fields.get("sections") or [], stems) if snippet else (None, "")
    return SearchHit(
        kind=fields["kind"],
        id=fields["doc_id"],
        title=fields["title"],
        type=fields.get("type", ""),
        tema=fields.get("tema", ""),
        version=fields.get("version", ""),
        score=score,
        snippet_html=snippet_html or html.escape(fields.get("summary", ""), quote=False),
        section=section[1] if section else None,
        anchor=section[0] if section else None,
        checklist=checklist or fields.get("checklist") or "",
        topic=fields.get("topic") or "",
    )


def one_per_topic(hits: list[SearchHit], guideline_of: Callable[[str], SearchHit | None]) -> list[SearchHit]:
    """One result per topic: a checklist is shown as the guideline it implements (which carries
    it as "Start tjeklisten"), in the better of the two places; the guideline's own later hit is
    dropped. guideline_of(id) gives a guideline that is not among the hits (None: none by that
    id is indexed, or the filters leave it out), and only then does a checklist stand alone."""
    result: list[SearchHit] = []
    placed: set[str] = set()
    later = {hit.id: hit for hit in hits if hit.kind == "guideline"}
    for hit in hits:
        if hit.kind == "checklist" and hit.topic:
            if hit.topic in placed:
                continue
            guideline = later.get(hit.topic) or guideline_of(hit.topic)
            if guideline is not None:
                result.append(replace(guideline, score=max(hit.score, guideline.score), checklist=guideline.checklist or hit.id))
                placed.add(hit.topic)
                continue
        elif hit.kind == "guideline":
            if hit.id in placed:
                continue
            placed.add(hit.id)
        result.append(hit)
    return result
