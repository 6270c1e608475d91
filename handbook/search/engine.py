"""Full-text search over the handbook with Whoosh.

Danish stemming (Snowball) and case folding, compound splitting (handbook.search.decompound) at index
and query time, synonym groups and abbreviations from config/synonyms.yaml, paragraph queries
under both Serviceloven and Barnets lov with a law map that answers a paragraph no guideline
cites through its subject (config/paragraphs.yaml), question words dropped for matching but kept
for phrase boosts, typo tolerance with a "Mente du ...?" suggestion, and hits that point at the
best-matching section, with highlighted, HTML-escaped snippets.

Every search is bounded (MAX_QUERY_CHARS, MAX_QUERY_WORDS, MAX_CORRECTIONS), and no lock is held
while one runs: searchers come from a small pool, and the lock only guards taking one, giving it
back and swapping in a new generation after the index changed.

The index keeps itself current: `sync` re-indexes only documents whose content hash changed,
and rebuilds a missing, corrupt or outdated index without anyone asking. One process writes at
a time (a lock file); readers keep using their searcher until the new one is committed.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import html
import json
import logging
import os
import re
import shutil
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as Q
from whoosh import scoring
from whoosh.analysis import LowercaseFilter, RegexTokenizer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.support.levenshtein import distance as levenshtein

from handbook.checklists.model import Checklist
from handbook.content.guideline import Guideline
from handbook.search.decompound import Decompounder, danish_words
from handbook.search.analysis import CompoundPartsFilter, LONG_WORD, danish_analyzer, fused, index_decompounder, parts_analyzer  # noqa: F401 (indexes built before 10 pickled the filter here)
from handbook.content.render import plain_text, plain_text_sections
from handbook.problems import ContentProblem
from handbook.search.config import SearchConfig, load_search_config

log = logging.getLogger(__name__)

# Bump when the schema or the analysis changes: every index built before is then rebuilt.
SCHEMA_VERSION = "11"
MANIFEST = "handbook-manifest.json"

# Danish words (title, headings, queries) and compound parts; body and parts are analysed by a
# fused loop (handbook.search.analysis).
DANISH = danish_analyzer()
WORDS = RegexTokenizer() | LowercaseFilter()
TEXT_FIELDS = ("title", "summary", "keywords", "headings", "body")
# Parts of the compounds in a document ("underretningspligt" -> underretning, pligt), stemmed.
PARTS_FIELD = "parts"
# A whole-word match outranks a match on a compound's part.
PART_WEIGHT = 0.45
PARTS_QUERY_WEIGHT = 0.9
KNOWN_PARTS_WEIGHT = 0.3
# A word at most this many documents use is also searched as its parts.
RARE_WORD = 2
CORRECTION_WEIGHT = 0.8
PHRASE_WEIGHT = 0.6
SUBJECT_WEIGHT = 0.5
UNCITED_SUBJECT_WEIGHT = 1.2

# Bounds on the work one search may cause (documented in docs/security.md ("Bounded search")): a longer
# query is cut, and the user is told so in Danish.
MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 12
MAX_CORRECTIONS = 3
MAX_SEARCHERS = 4
RESULT_CACHE_SIZE = 512

# Question and filler words: dropped for matching ("hvornår skal jeg ..." matches on the rest),
# kept in the phrase boosts so "hvornår skal der være en plan" still favours that heading.
QUESTION_WORDS = frozenset(
    """hvordan hvornår hvem hvilke hvilken hvilket hvorfor hvorledes hvad hvor hvis hvorvidt
    kan skal må bør vil gør gøre får få have har er være bliver blive
    jeg man vi du i de den det der en et at og eller om på til af med for som
    mig min mit os vores sig sin sit noget nogen nogle ofte tit lave laver""".split()
)
# The body keeps no word positions (a much smaller, faster index); a phrase there is all its words.
PHRASE_FIELDS = ("title", "summary", "keywords", "headings")
# Phrase boosts for word pairs of the query look in titles and headings.
BOOSTED_PHRASE_FIELDS = ("title", "headings")

def make_schema(common_parts: frozenset[str] = frozenset()) -> Schema:
    """The index schema. common_parts are word stems so many documents use whole that they
    are not indexed as compound parts (see `estimate_common_words`); the set is pickled with
    the schema into the index, so later updates of that index and its searches use the same."""
    return Schema(
        key=ID(unique=True, stored=True),
        kind=ID(stored=True),
        doc_id=STORED,  # read from the hit, never searched
        title=fused(TEXT(analyzer=DANISH, stored=True, field_boost=6.0)),
        summary=fused(TEXT(analyzer=DANISH, stored=True, field_boost=2.0)),
        keywords=fused(TEXT(analyzer=DANISH, field_boost=4.0)),
        headings=fused(TEXT(analyzer=DANISH, field_boost=2.0)),
        body=fused(TEXT(analyzer=DANISH, stored=True, phrase=False)),
        parts=fused(TEXT(analyzer=parts_analyzer(common_parts), phrase=False)),
        paragraphs=KEYWORD(lowercase=True, scorable=True, field_boost=4.0),
        mentions=KEYWORD(lowercase=True, scorable=True, field_boost=1.0),
        spell=unscored(TEXT(analyzer=WORDS, phrase=False)),
        type=ID(stored=True),
        tema=ID(stored=True),
        audience=KEYWORD(stored=True, commas=True),
        version=STORED,
        sections=STORED,
    )


def unscored(field):
    """A field searched for its words only, never scored: no length per document is kept."""
    field.scorable = False
    return field


SCHEMA = make_schema()
# How many documents estimate_common_words reads at most.
COMMON_SAMPLE = 2000


def estimate_common_words(documents: list[SearchDocument]) -> frozenset[str]:
    """The stems that at least COMMON_WORD_DOCS documents and COMMON_WORD_SHARE of them use
    in their body, estimated from an even sample of at most COMMON_SAMPLE documents. Searches
    do not look for such a word as a compound part (its whole-word matches fill the results),
    so it is not indexed as one either: on a large collection those are most of the parts."""
    total = len(documents)
    threshold = max(COMMON_WORD_DOCS, COMMON_WORD_SHARE * total)
    if total < threshold:
        return frozenset()
    step = max(1, total // COMMON_SAMPLE)
    sample = documents[::step]
    counts: Counter[str] = Counter()
    for doc in sample:
        counts.update(set(DANISH.terms(doc.body)))
    scale = total / len(sample)
    return frozenset(stem for stem, count in counts.items() if count * scale >= threshold)


LAW_CODES = {
    "barnets lov": "bl",
    "barnets lovs": "bl",
    "bl": "bl",
    "serviceloven": "sel",
    "servicelovens": "sel",
    "sel": "sel",
    "forvaltningsloven": "fvl",
    "forvaltningslovens": "fvl",
    "retssikkerhedsloven": "rsl",
    "retssikkerhedslovens": "rsl",
    "offentlighedsloven": "ofl",
    "offentlighedslovens": "ofl",
}
_LAW = "|".join(sorted((re.escape(name).replace(r"\ ", r"\s+") for name in LAW_CODES), key=len, reverse=True))
PARAGRAPH_REF = re.compile(
    rf"(?:\b(?P<law>{_LAW})\s*)?(?:§§?|\bparagraf(?:ferne|fen|fer)?\b)\s*(?P<first>\d+)(?:\s?(?P<letter>[a-z])\b)?"
    rf"(?:\s*(?:-|–|til)\s*(?P<last>\d+))?(?:,?\s*stk\.?\s*\d+)?",
    re.IGNORECASE,
)
MAX_RANGE = 30
PARALLEL_FROM = 2000
# The first legal reference counts three times, the second twice, the rest once.
PRIMARY_REFS = 3
# No length normalisation on the paragraph fields: citing many provisions is not a weakness.
WEIGHTING = scoring.BM25F(paragraphs_B=0.0, mentions_B=0.0)


@dataclass(frozen=True)
class ParagraphRef:
    """A reference such as 'servicelovens § 50' (law 'sel') or '§ 50' (law None)."""

    law: str | None
    numbers: tuple[str, ...]


def find_paragraph_refs(text: str) -> list[tuple[ParagraphRef, tuple[int, int]]]:
    """Every paragraph reference in text, with its span; ranges (§§ 20-23) are expanded."""
    refs = []
    for match in PARAGRAPH_REF.finditer(text):
        law = match.group("law")
        code = LAW_CODES.get(re.sub(r"\s+", " ", law.lower())) if law else None
        first = int(match.group("first"))
        last = int(match.group("last")) if match.group("last") else first
        if match.group("letter"):
            numbers: tuple[str, ...] = (f"{first}{match.group('letter').lower()}",)
        elif first <= last <= first + MAX_RANGE:
            numbers = tuple(str(n) for n in range(first, last + 1))
        else:
            numbers = (str(first),)
        refs.append((ParagraphRef(code, numbers), match.span()))
    return refs


def paragraph_tokens(refs: list[ParagraphRef], config: SearchConfig) -> set[str]:
    """Index tokens for cited provisions, including the other law's equivalent numbers."""
    new_to_old = config.new_to_old()
    tokens: set[str] = set()
    for ref in refs:
        for number in ref.numbers:
            tokens.add(f"{ref.law}{number}")
            if ref.law == "bl":
                tokens.update(f"sel{old}" for old in new_to_old.get(number, ()))
            elif ref.law == "sel":
                tokens.update(f"bl{new}" for new in config.old_to_new.get(number, ()))
    return tokens


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

    def to_json(self) -> list[dict[str, object]]:
        return [
            {
                "id": h.id, "kind": h.kind, "title": h.title, "type": h.type, "tema": h.tema, "version": h.version,
                "score": round(h.score, 4), "section": h.section, "anchor": h.anchor,
            }
            for h in self.hits
        ]


@dataclass
class SyncReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    rebuilt: bool = False
    seconds: float = 0.0
    reasons: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.added + self.updated + self.removed


@dataclass(frozen=True)
class ParagraphSubject:
    """A provision in the query and what it is about, from the law map."""

    label: str          # "§ 133" or "servicelovens § 68 (nu barnets lov § 100)"
    subject: str        # "underretningspligt for offentligt ansatte"
    tokens: tuple[str, ...]  # the index tokens of the provision (bl133, sel153, ...)


@dataclass(frozen=True)
class ParsedQuery:
    """A user's query split into plain words, synonym alternatives and paragraph tokens."""

    words: tuple[str, ...]
    alternatives: tuple[str, ...]
    paragraph_alternatives: tuple[tuple[str, ...], ...]
    subjects: tuple[ParagraphSubject, ...] = ()

    @property
    def content_words(self) -> tuple[str, ...]:
        """The words to match: without question and filler words (unless that is all there is)."""
        content = tuple(w for w in self.words if w not in QUESTION_WORDS)
        return content or self.words


def limit_query(text: str) -> tuple[str, str | None]:
    """The query cut to MAX_QUERY_CHARS characters and MAX_QUERY_WORDS words, and a Danish
    notice when it was cut. Cheap on any input: only the first characters are looked at."""
    head = text[: MAX_QUERY_CHARS + 1]
    cut = head[:MAX_QUERY_CHARS]
    words = list(re.finditer(r"\S+", cut))
    if len(words) > MAX_QUERY_WORDS:
        cut = cut[: words[MAX_QUERY_WORDS - 1].end()]
    cut = cut.strip()
    if len(text) > MAX_QUERY_CHARS or len(words) > MAX_QUERY_WORDS:
        return cut, f"Søgningen er for lang og er forkortet: der søges på højst {MAX_QUERY_WORDS} ord og {MAX_QUERY_CHARS} tegn."
    return cut, None


def parse_query(text: str, config: SearchConfig) -> ParsedQuery:
    """Pull paragraph references out of the query, then find synonym groups in what is left."""
    paragraph_alternatives = []
    subjects: dict[str, ParagraphSubject] = {}
    rest = text
    for ref, (start, end) in reversed(find_paragraph_refs(text)):
        laws = (ref.law,) if ref.law else ("sel", "bl")
        tokens = tuple(f"{law}{n}" for law in laws for n in ref.numbers)
        paragraph_alternatives.append(tokens)
        for subject in _subjects(ref, config, tokens):
            subjects.setdefault(subject.subject, subject)
        rest = rest[:start] + " " + rest[end:]
    words = tuple(_words(rest))
    joined = _padded(words)
    alternatives: list[str] = []
    for group in config.synonym_groups:
        if any(_padded(_words(phrase)) in joined for phrase in group):
            alternatives.extend(p for p in group if _padded(_words(p)) not in joined)
    return ParsedQuery(words, tuple(dict.fromkeys(alternatives)), tuple(reversed(paragraph_alternatives)), tuple(reversed(subjects.values())))


def _subjects(ref: ParagraphRef, config: SearchConfig, tokens: tuple[str, ...]) -> list[ParagraphSubject]:
    """What the referenced provisions are about: Barnets lov numbers directly (a bare '§ N' is
    tried as both laws), Serviceloven numbers through the new provisions that replaced them."""
    found = []
    if ref.law in (None, "bl"):
        for n in ref.numbers:
            if n in config.subjects:
                found.append(ParagraphSubject(f"§ {_shown(n)}", config.subjects[n], tokens))
    if ref.law in (None, "sel"):
        for n in ref.numbers:
            for new in config.old_to_new.get(n, ()):
                if new in config.subjects and not (ref.law is None and n in config.subjects):
                    found.append(ParagraphSubject(f"Servicelovens § {_shown(n)} (nu barnets lov § {_shown(new)})", config.subjects[new], tokens))
    return found


def _shown(number: str) -> str:
    """'155a' -> '155 a', as the law writes it."""
    return re.sub(r"(\d)([a-z])$", r"\1 \2", number)


def _words(text: str) -> list[str]:
    return [w.casefold() for w in re.findall(r"\w+", text)]


def _padded(words: list[str] | tuple[str, ...]) -> str:
    """Words joined with spaces and padded, so 'in' matches whole words only."""
    return f" {' '.join(words)} "


def _stems(text: str) -> list[str]:
    return [token.text for token in DANISH(text)]


def _word_query(stem: str, reader=None) -> Q.Query:
    """A stem in any text field, or (weighing less) as part of a compound in the document.
    With a reader, a word that many documents use as a whole word is not searched as a part:
    its whole-word matches fill the results (they rank above part matches), and the part's
    long posting list would make the search scan most of the index."""
    clauses = [Q.Term(name, stem) for name in TEXT_FIELDS]
    if reader is None or not (stem in _common_parts(reader) or _common_word(reader, stem)):
        clauses.append(Q.Term(PARTS_FIELD, stem, boost=PART_WEIGHT))
    return Q.Or(clauses)


# A word used whole by at least this many documents, and this share of the index, is not also
# searched as a compound part (bench/search_bench.py: p95 with snippets 43 -> 23 ms at 20,000
# documents; the bundled handbook is far below it).
COMMON_WORD_DOCS = 100
COMMON_WORD_SHARE = 0.01


# A word at least this many documents use is a common term (plan_query): it only adds to the
# score of documents that have the query's other words (p95 23 -> 13 ms at 20,000 documents).
COMMON_TERMS_DOCS = 1000


def _common_parts(reader) -> frozenset[str]:
    """The stems the index does not hold as compound parts (make_schema)."""
    return getattr(reader.schema[PARTS_FIELD].analyzer, "common", frozenset())


def _common_word(reader, stem: str) -> bool:
    return reader.doc_frequency("body", stem) >= max(COMMON_WORD_DOCS, COMMON_WORD_SHARE * reader.doc_count())


def _phrase_query(phrase: str, boost: float) -> Q.Query | None:
    stems = _stems(phrase)
    if not stems:
        return None
    if len(stems) == 1:
        return Q.Or([Q.Term(name, stems[0]) for name in TEXT_FIELDS], boost=boost)
    return Q.Or([*(Q.Phrase(name, stems) for name in PHRASE_FIELDS), Q.And([Q.Term("body", stem) for stem in stems])], boost=boost)


@dataclass
class QueryPlan:
    """The Whoosh query for a parsed user query, the stems to highlight, and the provisions
    that were answered through their subject because no document cites them."""

    query: Q.Query | None
    stems: set[str]
    uncited: list[ParagraphSubject] = field(default_factory=list)
    # compounds matched on some of their parts, for a search that found few documents
    loose: list[Q.Query] = field(default_factory=list)
    # every word of the query on an equal footing, when query requires its less common words
    complete: Q.Query | None = None


# A part the word list lacks must be this long to be taken from the index's own words.
MIN_VOCABULARY_PART = 4


class _Vocabulary:
    """Whether the index knows a word (stemmed, in a text field): the handbook's own
    vocabulary as a dictionary for splitting query words. Answers are kept per query."""

    def __init__(self, reader):
        self.reader = reader
        self.cache: dict[str, bool] = {}

    def frequency(self, word: str) -> int:
        """How many documents use the word (stemmed) in their text."""
        stem = _stem_word(word)
        return self.reader.doc_frequency("body", stem) if stem else 0

    def __call__(self, word: str) -> bool:
        known = self.cache.get(word)
        if known is None and len(word) < MIN_VOCABULARY_PART:
            known = False
        if known is None:
            stem = _stem_word(word)
            known = bool(stem) and any(self.reader.doc_frequency(name, stem) > 0 for name in ("body", "keywords", PARTS_FIELD))
            self.cache[word] = known
        return known


def query_parts(word: str, vocabulary=None) -> tuple[str, ...]:
    """The parts of a query word. A part the index does not know is split again, so
    "kompetenceudviklingsplan" becomes kompetence, udvikling, plan when the handbook has
    "kompetenceudvikling" nowhere but all three words somewhere."""
    if len(word) > MAX_SPLIT_WORD:
        return ()
    parts = query_decompounder().split(word, known=vocabulary)
    if vocabulary is None or not parts:
        return parts
    parts = _merge_known(word, parts, vocabulary)
    finer: list[str] = []
    for part in parts:
        smaller = () if vocabulary(part) else query_decompounder().split(part, known=vocabulary)
        if smaller and all(len(p) >= MIN_VOCABULARY_PART and vocabulary(p) for p in smaller):
            finer.extend(smaller)
        else:
            finer.append(part)
    return tuple(finer)


def _merge_known(word: str, parts: tuple[str, ...], vocabulary) -> tuple[str, ...]:
    """Joins neighbouring parts back into the compound the handbook itself uses, so
    "familiebehandlingsindsats" is familiebehandling + indsats when the handbook says
    "familiebehandling", rather than three common words."""
    merged = list(parts)
    position = 0
    while len(merged) > 2 and position < len(merged) - 1:
        start = word.find(merged[position])
        end = word.find(merged[position + 1], start + len(merged[position])) + len(merged[position + 1])
        joined = word[start:end] if start >= 0 and end > start else ""
        if joined and vocabulary(joined):
            merged[position:position + 2] = [joined]
        else:
            position += 1
    return tuple(merged)


def _word_plan(word: str, vocabulary: _Vocabulary | None, split: bool = True) -> tuple[Q.Query | None, set[str]]:
    """The query for one word. A word the handbook uses is matched as a whole, and (weighing
    less) where all its parts occur. A compound it never uses is matched by its parts: all of
    them together count most, some of them less."""
    stems = _stems(word)
    reader = vocabulary.reader if vocabulary is not None else None
    whole = _word_query(stems[0], reader) if stems else None
    parts = query_parts(word, vocabulary) if split else ()
    part_stems = list(dict.fromkeys(s for s in (_stem_word(p) for p in parts) if s))
    marked = set(stems) | set(part_stems)
    if len(part_stems) < 2:
        return whole, marked
    if whole is not None and vocabulary is not None and vocabulary(word):
        # A word the handbook uses: the whole word first; documents that have all its parts
        # (and documents where it is itself a part, through the parts field) weigh less.
        known = list(dict.fromkeys(_stem_word(p) for p in parts if vocabulary(p)))
        if len(known) < 2 or vocabulary.frequency(word) > RARE_WORD:
            # a word many documents use needs no help from its parts (and they would cost)
            return whole, marked
        return Q.Or([whole, Q.And([_word_query(s, reader) for s in known], boost=KNOWN_PARTS_WEIGHT)]), marked
    # A compound the handbook never uses: all of its parts that the handbook knows (a part it
    # never uses would match nothing). An intersection keeps the search fast when the parts
    # are common words.
    known = [_stem_word(p) for p in parts if vocabulary is None or vocabulary(p)]
    known = list(dict.fromkeys(s for s in known if s))
    if not known:
        return whole, marked
    every = Q.And([_word_query(s, reader) for s in known]) if len(known) > 1 else _word_query(known[0], reader)
    query = Q.Or([every] + ([whole] if whole is not None else []), boost=PARTS_QUERY_WEIGHT)
    if len(known) > 1:
        # used only when the search finds few documents: some of the parts
        query.loose = Q.Or([_word_query(s, reader) for s in known], boost=PARTS_QUERY_WEIGHT / 2)
    return query, marked


def plan_query(parsed: ParsedQuery, reader=None, typos: set[str] = frozenset()) -> QueryPlan:
    """The exact (non-fuzzy) query. With a reader, compound words are also split with the
    index's own vocabulary, and provisions are checked for whether any document cites them.

    On a large index, a word thousands of documents use (COMMON_TERMS_DOCS) only adds to the
    score of documents that match the query's other words, the way Elasticsearch's common
    terms query works: otherwise every search with such a word would score most of the index.
    Those documents are scored by the whole query, as without the rule; the plan keeps that
    query (complete) for a search that finds too few documents with the other words."""
    vocabulary = _Vocabulary(reader) if reader is not None else None
    parts: list[Q.Query] = []
    common: list[Q.Query] = []
    marked: set[str] = set()
    loose: list[Q.Query] = []
    for word in parsed.content_words:
        checked = None if word in typos else vocabulary
        query, stems = _word_plan(word, checked, split=word not in typos)
        marked |= stems
        if query is not None:
            frequent = checked is not None and checked.frequency(word) >= COMMON_TERMS_DOCS
            (common if frequent else parts).append(query)
            if getattr(query, "loose", None) is not None:
                loose.append(query.loose)
    # Phrase boosts over the whole query, question words included: consecutive words that
    # stand together in a title or heading ("hvornår skal der være en plan") count extra.
    boosts: list[Q.Query] = []
    tokens = _stems(" ".join(parsed.words))
    for start in range(len(tokens) - 1):
        phrase = tokens[start:start + 2]
        if phrase[0] != phrase[1]:
            boosts.append(Q.Or([Q.Phrase(name, phrase) for name in BOOSTED_PHRASE_FIELDS], boost=PHRASE_WEIGHT))
    for alternative in parsed.alternatives:
        query = _phrase_query(alternative, boost=0.7)
        if query is not None:
            parts.append(query)
            marked |= set(_stems(alternative))
    parts += [
        Q.Or([Q.Term(name, token) for name in ("paragraphs", "mentions") for token in tokens], boost=2.0)
        for tokens in parsed.paragraph_alternatives
    ]
    uncited = []
    for subject in parsed.subjects:
        cited = reader is None or any(reader.doc_frequency(name, t) > 0 for name in ("paragraphs", "mentions") for t in subject.tokens)
        if not cited:
            uncited.append(subject)
        words = [w for w in _words(subject.subject) if w not in QUESTION_WORDS]
        subject_parts = []
        for word in words:
            query, stems = _word_plan(word, vocabulary)
            marked |= stems
            if query is not None:
                subject_parts.append(query)
        if subject_parts:
            parts.append(Q.Or(subject_parts, boost=SUBJECT_WEIGHT if cited else UNCITED_SUBJECT_WEIGHT, scale=0.9))
    everything = parts + common + boosts
    complete = Q.Or(everything, scale=0.9) if everything else None
    if not (parts and common):
        return QueryPlan(complete, marked, uncited, loose)
    # Documents must match a less common word; they are scored by the whole query.
    query = Q.Require(complete, Q.Or(parts))
    return QueryPlan(query, marked, uncited, loose, complete=complete)


def build_query(parsed: ParsedQuery, reader=None) -> Q.Query | None:
    """The exact (non-fuzzy) Whoosh query for a parsed user query."""
    return plan_query(parsed, reader).query


# Longer words are not split (no Danish compound is this long; it bounds the work per word).
MAX_SPLIT_WORD = 32


@functools.lru_cache(maxsize=1)
def query_decompounder() -> Decompounder:
    """The decompounder used on queries: the same word list, up to three parts."""
    return Decompounder(danish_words())



def _max_distance(word: str) -> int:
    return 2 if len(word) >= 8 else 1 if len(word) >= 5 else 0


def _filters(types: tuple[str, ...], temas: tuple[str, ...], audience: str | None, kinds: tuple[str, ...]) -> Q.Query | None:
    clauses = []
    for name, values in (("type", types), ("tema", temas), ("kind", kinds)):
        if values:
            clauses.append(Q.Or([Q.Term(name, v) for v in values]))
    if audience:
        clauses.append(Q.Term("audience", audience))
    return Q.And(clauses) if clauses else None


def _with_corrections(query: Q.Query, corrected: set[str], reader=None) -> Q.Query:
    """query, or the corrected spellings of its unknown words (weighing a little less)."""
    return Q.Or([query, *(_word_query(stem, reader).with_boost(CORRECTION_WEIGHT) for stem in corrected)], scale=0.9)


class SearchIndex:
    """The Whoosh index in one folder, kept in step with the content and shared by sessions."""

    def __init__(self, index_dir: Path, config: SearchConfig, result_cache: int = RESULT_CACHE_SIZE):
        self.index_dir = index_dir
        self.result_cache = result_cache
        self.config = config
        # guards only the searcher pool, never a search
        self._lock = threading.Lock()
        self._idle: list = []
        self._generation = 0
        self._manifest_stamp: int | None = None
        self._documents: list[SearchDocument] = []
        # recent results by query, filters and index generation (the search page runs again
        # on every click on it, and many caseworkers search for the same words)
        self._results: dict[tuple, SearchResults] = {}

    # -- keeping the index current -------------------------------------------------------

    def sync(self, documents: list[SearchDocument]) -> SyncReport:
        """Bring the index in line with documents: re-index changed ones, rebuild if broken."""
        start = time.perf_counter()
        self._documents = list(documents)
        with self._process_lock():
            manifest = self._read_manifest()
            problem = self._health_problem(manifest)
            if problem:
                report = self._rebuild_locked(documents)
                report.reasons.append(problem)
            else:
                report = self._update_locked(documents, manifest["documents"])
        query_decompounder()  # load the word list now rather than at the first search
        report.seconds = time.perf_counter() - start
        return report

    def rebuild(self, documents: list[SearchDocument]) -> SyncReport:
        """Build the index from scratch in a side folder and swap it in."""
        start = time.perf_counter()
        self._documents = list(documents)
        with self._process_lock():
            report = self._rebuild_locked(documents)
        report.seconds = time.perf_counter() - start
        return report

    def _health_problem(self, manifest: dict | None) -> str | None:
        if manifest is None:
            return "indekset mangler"
        if manifest.get("schema") != SCHEMA_VERSION:
            return "indekset er bygget med en ældre version"
        try:
            ix = whoosh_index.open_dir(str(self.index_dir))
            with ix.searcher() as searcher:
                if searcher.doc_count() != len(manifest["documents"]):
                    return "indekset passer ikke med sin fortegnelse"
        except Exception as exc:  # any failure to open means the files are damaged
            return f"indekset kunne ikke åbnes ({type(exc).__name__})"
        return None

    def _update_locked(self, documents: list[SearchDocument], indexed: dict[str, str]) -> SyncReport:
        report = SyncReport()
        wanted = {d.key: d for d in documents}
        changed = [d for d in documents if indexed.get(d.key) != d.content_hash]
        removed = [key for key in indexed if key not in wanted]
        if not changed and not removed:
            return report
        ix = whoosh_index.open_dir(str(self.index_dir))
        writer = ix.writer(timeout=30)
        try:
            for doc in changed:
                writer.update_document(**doc.fields())
            for key in removed:
                writer.delete_by_term("key", key)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        report.added = sum(1 for d in changed if d.key not in indexed)
        report.updated = len(changed) - report.added
        report.removed = len(removed)
        self._write_manifest({d.key: d.content_hash for d in documents})
        return report

    def _rebuild_locked(self, documents: list[SearchDocument]) -> SyncReport:
        building = self.index_dir.with_name(f"{self.index_dir.name}.building-{os.getpid()}")
        old = self.index_dir.with_name(f"{self.index_dir.name}.old-{os.getpid()}")
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir(parents=True)
        ix = whoosh_index.create_in(str(building), make_schema(estimate_common_words(documents)))
        # Large rebuilds analyse documents in one process per core and keep one segment each.
        procs = min(os.cpu_count() or 1, 4) if len(documents) >= PARALLEL_FROM else 1
        writer = ix.writer(limitmb=1024, procs=procs, multisegment=procs > 1)
        for doc in documents:
            writer.add_document(**doc.fields())
        writer.commit()
        self._write_manifest({d.key: d.content_hash for d in documents}, folder=building)
        if self.index_dir.exists():
            os.replace(self.index_dir, old)
        os.replace(building, self.index_dir)
        shutil.rmtree(old, ignore_errors=True)
        return SyncReport(added=len(documents), rebuilt=True)

    @contextmanager
    def _process_lock(self) -> Iterator[None]:
        self.index_dir.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.index_dir.with_name(f".{self.index_dir.name}.lock")
        with open(lock_path, "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _read_manifest(self) -> dict | None:
        try:
            return json.loads((self.index_dir / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def _write_manifest(self, documents: dict[str, str], folder: Path | None = None) -> None:
        target = (folder or self.index_dir) / MANIFEST
        temporary = target.with_suffix(".tmp")
        temporary.write_text(json.dumps({"schema": SCHEMA_VERSION, "documents": documents}), encoding="utf-8")
        os.replace(temporary, target)

    # -- searching -------------------------------------------------------------------------

    @contextmanager
    def _searcher(self) -> Iterator:
        """A searcher of the current index generation for one search. Searchers are pooled (a
        Whoosh searcher is not meant to be used by two threads at once); the lock is held only
        to take one, give it back, or retire the pool after the index changed - never while a
        search runs, so one slow search cannot hold up the others."""
        try:
            stamp = (self.index_dir / MANIFEST).stat().st_mtime_ns
        except OSError:
            stamp = None
        with self._lock:
            if stamp != self._manifest_stamp:
                for old in self._idle:
                    old.close()
                self._idle = []
                self._manifest_stamp = stamp
                self._generation += 1
            generation = self._generation
            searcher = self._idle.pop() if self._idle else None
        if searcher is None:
            searcher = whoosh_index.open_dir(str(self.index_dir)).searcher(weighting=WEIGHTING)
        try:
            yield searcher
        except BaseException:
            searcher.close()
            raise
        with self._lock:
            if generation == self._generation and len(self._idle) < MAX_SEARCHERS:
                self._idle.append(searcher)
                searcher = None
        if searcher is not None:
            searcher.close()

    def _current_searcher(self):
        """A searcher of the current index, for tools that query Whoosh directly (the benchmark)."""
        with self._searcher() as searcher:
            return searcher

    def _reset_searchers(self) -> None:
        self._results = {}
        with self._lock:
            for old in self._idle:
                old.close()
            self._idle = []
            self._generation += 1

    def search(
        self,
        text: str,
        *,
        types: tuple[str, ...] = (),
        temas: tuple[str, ...] = (),
        audience: str | None = None,
        kinds: tuple[str, ...] = (),
        limit: int = 10,
    ) -> SearchResults:
        """Best matches first, with highlighted snippets; fuzzy matching when few are found.
        The query is cut to MAX_QUERY_CHARS characters and MAX_QUERY_WORDS words first."""
        text, notice = limit_query(text)
        key = (text, tuple(types), tuple(temas), audience, tuple(kinds), limit, self._manifest_mtime(), id(self.config))
        cached = self._results.get(key) if self.result_cache else None
        if cached is not None:
            return replace(cached, hits=list(cached.hits), notice=notice)
        try:
            results = self._search(text, types, temas, audience, kinds, limit)
        except Exception:
            if not self._documents:
                raise
            log.exception("Søgeindekset fejlede; det bygges igen")
            self._reset_searchers()
            self.rebuild(self._documents)
            results = self._search(text, types, temas, audience, kinds, limit)
        results.notice = notice
        if self.result_cache:
            if len(self._results) >= self.result_cache:
                self._results.clear()
            self._results[key] = replace(results, hits=list(results.hits))
        return results

    def _manifest_mtime(self) -> int | None:
        try:
            return (self.index_dir / MANIFEST).stat().st_mtime_ns
        except OSError:
            return None

    def _search(self, text, types, temas, audience, kinds, limit) -> SearchResults:
        parsed = parse_query(text, self.config)
        results = SearchResults(query=text, hits=[])
        if not parsed.words and not parsed.paragraph_alternatives:
            return results
        with self._searcher() as searcher:
            # A word the handbook does not know (and that is no compound of words it knows)
            # contributes nothing as typed, so its close spellings are searched along with it.
            corrections = self._corrections(searcher, parsed)
            plan = plan_query(parsed, searcher.reader(), typos=set(corrections))
            if plan.query is None:
                return results
            filter_query = _filters(tuple(types), tuple(temas), audience, tuple(kinds))
            query, stems = plan.query, plan.stems
            if corrections:
                # the closest spelling of each word only: it bounds the query's size
                corrected = {stem for words in corrections.values() for stem in _stems(words[0])}
                query = _with_corrections(query, corrected, searcher.reader())
                stems = stems | corrected
            # (Whoosh's block-quality skipping fails an assertion on Require; it skipped
            # nothing on these queries anyway)
            found = searcher.search(query, limit=limit, filter=filter_query, optimize=plan.complete is None)
            if plan.complete is not None and found.scored_length() < limit:
                # too few documents have the less common words: every word counts alike
                query = _with_corrections(plan.complete, corrected, searcher.reader()) if corrections else plan.complete
                found = searcher.search(query, limit=limit, filter=filter_query)
            hits = self._hits(found, stems)
            results.fuzzy = bool(corrections) and bool(hits)
            if len(hits) < 3 and plan.loose:
                more = searcher.search(Q.Or([query, *plan.loose], scale=0.9), limit=limit, filter=filter_query)
                seen = {h.id for h in hits}
                hits += [h for h in self._hits(more, stems) if h.id not in seen]
        results.hits = hits[:limit]
        if plan.uncited and results.hits:
            results.paragraph_note = "; ".join(f"{s.label} handler om {s.subject}" for s in plan.uncited) + " – retningslinjer om emnet:"
        if corrections:
            suggestion = text
            for word, candidates in corrections.items():
                suggestion = re.sub(rf"(?i)\b{re.escape(word)}\b", candidates[0], suggestion, count=1)
            results.suggestion = suggestion
        return results

    def _hits(self, found, stems: set[str]) -> list[SearchHit]:
        hits = []
        for hit in found:
            body = hit["body"]
            sections = hit.get("sections") or []
            matches = _matches(body, stems)
            section = _best_section(body, sections, matches, stems)
            if section is None:
                snippet = make_snippet(body, stems, matches=matches)
            else:
                start, end = section[2], _section_end(body, sections, section)
                snippet = make_snippet(body[start:end], stems)
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

    def _corrections(self, searcher, parsed: ParsedQuery) -> dict[str, list[str]]:
        """Close words (edit distance 1 from 5 letters, 2 from 8) for query words the handbook
        never uses and that are no compound of words it uses. Candidates come from the titles,
        summaries, keywords and headings, a small vocabulary, so the look-up stays fast on a
        large index; at most MAX_CORRECTIONS words are looked up per search."""
        reader = searcher.reader()
        corrector = None
        corrections: dict[str, list[str]] = {}
        looked_up = 0
        for word in parsed.content_words:
            distance = _max_distance(word)
            if not distance or word.isdigit() or len(word) > MAX_SPLIT_WORD or _known(reader, word):
                continue
            if looked_up == MAX_CORRECTIONS:
                break
            looked_up += 1
            corrector = corrector or searcher.corrector("spell")
            # One letter off a word the handbook uses is a typo, even when the letters happen
            # to form a compound ("underetning" is not "unde" + "retning"); further off, a
            # compound of known words is taken as meant.
            candidates = corrector.suggest(word, limit=3, maxdist=distance, prefix=1)
            typo = any(levenshtein(word, candidate) <= 1 for candidate in candidates)
            if candidates and (typo or not query_decompounder().split(word)):
                corrections[word] = candidates
        return corrections


# A section's own words weigh once, words in its heading three times.
HEADING_MATCH_WEIGHT = 3


def _best_section(body: str, sections: list, matches: list, stems: set[str]):
    """The (anchor, heading, start) of the section with most distinct searched words (its
    heading counting most), or None when no section has any."""
    if not sections:
        return None
    best, best_score = None, 0
    starts = [s[2] for s in sections]
    for number, section in enumerate(sections):
        start = section[2]
        end = starts[number + 1] if number + 1 < len(starts) else len(body)
        found = {_stem_word(m.group().casefold()) for m in matches if start <= m.start() < end}
        heading = {_stem_word(w.casefold()) for w in _WORD.findall(section[1])} & stems
        score = len(found) + HEADING_MATCH_WEIGHT * len(heading)
        if score > best_score:
            best, best_score = section, score
    return best


def _section_end(body: str, sections: list, section) -> int:
    later = [s[2] for s in sections if s[2] > section[2]]
    return min(later) if later else len(body)


def _matches(text: str, stems: set[str]) -> list:
    """The words of text whose stem was searched for. Snowball stems are prefixes of their
    words, so only words starting with a searched stem are stemmed to confirm the match."""
    if not stems:
        return []
    prefixes = tuple(stems)
    return [
        m for m in _WORD.finditer(text)
        if m.group().casefold().startswith(prefixes) and _stem_word(m.group().casefold()) in stems
    ]



def make_snippet(text: str, stems: set[str], fragments: int = 2, before: int = 70, after: int = 150, matches: list | None = None) -> str:
    """Up to two passages of text around words whose stem was searched for, HTML-escaped, with
    the words in <mark>."""
    if not stems:
        return ""
    if matches is None:
        matches = _matches(text, stems)
    passages: list[tuple[int, int]] = []
    for match in matches:
        if len(passages) == fragments:
            break
        if passages and match.start() < passages[-1][1]:
            continue
        start = max(0, match.start() - before)
        end = min(len(text), match.end() + after)
        start = text.rfind(" ", 0, start) + 1 if start else 0
        end = text.find(" ", end) if text.find(" ", end) != -1 else len(text)
        passages.append((start, end))
    pieces = []
    for start, end in passages:
        out, position = [], start
        for match in matches:
            if start <= match.start() and match.end() <= end:
                out.append(html.escape(text[position:match.start()], quote=False))
                out.append(f"<mark>{html.escape(match.group(), quote=False)}</mark>")
                position = match.end()
        out.append(html.escape(text[position:end], quote=False))
        pieces.append(" ".join("".join(out).split()))
    return " … ".join(pieces)


_WORD = re.compile(r"\w+")


@functools.lru_cache(maxsize=100_000)
def _stem_word(word: str) -> str:
    stems = _stems(word)
    return stems[0] if stems else ""


def _known(reader, word: str) -> bool:
    """Whether the index has the word itself or, stemmed, in a title or a body."""
    if reader.doc_frequency("spell", word) > 0:
        return True
    stems = _stems(word)
    return not stems or any(reader.doc_frequency(name, stems[0]) > 0 for name in ("title", "body"))


def checklist_document(checklist: Checklist, config: SearchConfig, tema: str = "") -> SearchDocument:
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
    )


def documents_for(guidelines: list[Guideline], config: SearchConfig, checklists: list[Checklist] = ()) -> list[SearchDocument]:
    """The search documents for every loaded guideline and checklist (a checklist takes the
    tema of the guideline it implements)."""
    temas = {g.id: g.tema for g in guidelines}
    return [guideline_document(g, config) for g in guidelines] + [checklist_document(c, config, temas.get(c.guideline, "")) for c in checklists]


def open_index(index_dir: Path, config_dir: Path, guidelines: list[Guideline], checklists: list[Checklist] = ()) -> tuple[SearchIndex, SyncReport, list[ContentProblem]]:
    """Load the search configuration, open the index in index_dir and bring it up to date."""
    config, problems = load_search_config(config_dir)
    index = SearchIndex(index_dir, config)
    report = index.sync(documents_for(guidelines, config, checklists))
    return index, report, problems
