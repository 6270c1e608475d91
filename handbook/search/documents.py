"""What the index holds per guideline and checklist: a SearchDocument with its text, headings,
keywords and cited provisions, and a content hash that says when it must be indexed again."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from handbook.checklists.model import Checklist
from handbook.content.guideline import Guideline
from handbook.content.render import plain_text, plain_text_sections
from handbook.search.analysis import LONG_WORD, index_decompounder
from handbook.search.config import SearchConfig
from handbook.search.paragraphs import find_paragraph_refs, paragraph_tokens
from handbook.search.schema import SCHEMA_VERSION

# The first legal reference counts three times, the second twice, the rest once.
PRIMARY_REFS = 3


@dataclass(frozen=True)
class SearchDocument:
    """What the index knows about one guideline or checklist.

    paragraphs are the provisions the document cites (legal_refs), the first ones repeated so
    that a guideline's primary provision weighs most; mentions are the references in its text,
    once per occurrence. Both carry the other law's equivalent numbers as well.
    """

    key: str
    kind: str
    doc_id: str
    title: str
    body: str
    content_hash: str
    summary: str = ""
    keywords: tuple[str, ...] = ()
    headings: tuple[str, ...] = ()
    paragraphs: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    type: str = ""
    tema: str = ""
    audience: tuple[str, ...] = ()
    version: str = ""
    # (anchor, heading, start offset in body) per section, for section-level hits
    sections: tuple[tuple[str, str, int], ...] = ()
    # a checklist: the guideline it implements; a guideline: the checklist that implements it
    topic: str = ""
    checklist: str = ""

    def fields(self) -> dict[str, object]:
        texts = (self.title, self.summary, " ".join(self.keywords), *self.headings, self.body)
        return {
            "key": self.key,
            "kind": self.kind,
            "doc_id": self.doc_id,
            "title": self.title,
            "summary": self.summary,
            "keywords": " ".join(self.keywords),
            "headings": "\n".join(self.headings),
            "body": self.body,
            "parts": " ".join(set(_LONG_WORD.findall(" ".join(texts).casefold()))),
            "paragraphs": " ".join(self.paragraphs),
            "mentions": " ".join(self.mentions),
            "spell": "\n".join([self.title, self.summary, " ".join(self.keywords), *self.headings]),
            "type": self.type,
            "tema": self.tema,
            "audience": ",".join(self.audience),
            "version": self.version,
            "sections": [list(section) for section in self.sections],
            "topic": self.topic,
            "checklist": self.checklist,
        }


_LONG_WORD = re.compile(LONG_WORD)


def decompound_fingerprint() -> str:
    """Changes when the word list changes, so documents are re-split with the new one."""
    return str(len(index_decompounder().words))


def guideline_document(guideline: Guideline, config: SearchConfig) -> SearchDocument:
    """The search document of a guideline: its text, headings, keywords and cited provisions."""
    cited: list[str] = []
    for position, text in enumerate(guideline.legal_refs):
        tokens = sorted(paragraph_tokens([ref for ref, _ in find_paragraph_refs(text)], config))
        cited += tokens * max(1, PRIMARY_REFS - position)
    mentioned = [
        token
        for ref, _ in find_paragraph_refs(guideline.body)
        if ref.law is not None
        for token in sorted(paragraph_tokens([ref], config))
    ]
    digest = hashlib.sha256(f"{guideline.content_hash}|{SCHEMA_VERSION}|{config.fingerprint()}|{decompound_fingerprint()}".encode()).hexdigest()
    body, sections = _body_and_sections(guideline.body)
    return SearchDocument(
        key=f"guideline:{guideline.id}",
        kind="guideline",
        doc_id=guideline.id,
        title=guideline.title,
        body=body,
        content_hash=digest,
        summary=guideline.summary,
        keywords=(*guideline.keywords, guideline.tema),
        headings=tuple(heading for _, heading, _ in sections if heading),
        sections=sections,
        paragraphs=tuple(cited),
        mentions=tuple(mentioned),
        type=guideline.type,
        tema=guideline.tema,
        audience=guideline.audience,
        version=guideline.version,
    )


def _body_and_sections(markdown_text: str) -> tuple[str, tuple[tuple[str, str, int], ...]]:
    """The plain body text and, per section with a heading, (anchor, heading, start offset)."""
    pieces, sections, offset = [], [], 0
    for section in plain_text_sections(markdown_text):
        if section.anchor:
            sections.append((section.anchor, section.heading, offset))
        if section.text:
            pieces.append(section.text)
            offset += len(section.text) + 1
    return "\n".join(pieces), tuple(sections)


def checklist_document(checklist: Checklist, config: SearchConfig, tema: str = "", topic: str = "") -> SearchDocument:
    """The search document of a checklist: its title, summary and step titles (as headings),
    with the help texts as body and the steps' legal references as cited provisions."""
    refs = [ref for step in checklist.steps for text in step.legal_refs for ref, _ in find_paragraph_refs(text)]
    body = "\n".join(filter(None, [checklist.summary, *(f"{s.title}. {s.help}" for s in checklist.steps)]))
    digest = hashlib.sha256(f"{checklist.content_hash}|{tema}|{SCHEMA_VERSION}|{config.fingerprint()}".encode()).hexdigest()
    return SearchDocument(
        key=f"checklist:{checklist.id}",
        kind="checklist",
        doc_id=checklist.id,
        title=checklist.title,
        body=plain_text(body),
        content_hash=digest,
        summary=checklist.summary,
        keywords=("tjekliste", tema) if tema else ("tjekliste",),
        headings=tuple(s.title for s in checklist.steps),
        paragraphs=tuple(sorted(paragraph_tokens(refs, config))),
        type="tjekliste",
        tema=tema,
        audience=checklist.audience,
        version=checklist.version,
        topic=topic,
    )


def documents_for(guidelines: Sequence[Guideline], config: SearchConfig, checklists: Sequence[Checklist] = ()) -> list[SearchDocument]:
    """The search documents for every loaded guideline and checklist (a checklist takes the
    tema of the guideline it implements, and each knows the other: one_per_topic)."""
    temas = {g.id: g.tema for g in guidelines}
    implemented = {c.guideline: c.id for c in reversed(checklists) if c.guideline in temas}
    return [replace(guideline_document(g, config), checklist=implemented.get(g.id, "")) for g in guidelines] + [
        checklist_document(c, config, temas.get(c.guideline, ""), c.guideline if c.guideline in temas else "") for c in checklists
    ]

