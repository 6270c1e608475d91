"""The index schema: its fields, how each is analysed and scored, and the schema version.

Danish words (title, headings, queries) go through Whoosh's Danish analyzer chain; the body and
the compound parts through the fused loop of handbook.search.analysis. The schema is pickled
into the index together with the stems left out of the parts field (`estimate_common_words`),
so an index keeps the analysis it was built with; its classes live in handbook.search.analysis.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Sequence
from typing import Protocol

from whoosh import scoring
from whoosh.analysis import LowercaseFilter, RegexTokenizer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, FieldType, Schema

from handbook.search.analysis import danish_analyzer, fused, parts_analyzer

# Bump when the schema or the analysis changes: every index built before is then rebuilt.
SCHEMA_VERSION = "12"

# Danish words (title, headings, queries) and compound parts; body and parts are analysed by a
# fused loop (handbook.search.analysis).
DANISH = danish_analyzer()
WORDS = RegexTokenizer() | LowercaseFilter()
TEXT_FIELDS = ("title", "summary", "keywords", "headings", "body")
# Parts of the compounds in a document ("underretningspligt" -> underretning, pligt), stemmed.
PARTS_FIELD = "parts"
# The body keeps no word positions (a much smaller, faster index); a phrase there is all its words.
PHRASE_FIELDS = ("title", "summary", "keywords", "headings")
# Phrase boosts for word pairs of the query look in titles and headings.
BOOSTED_PHRASE_FIELDS = ("title", "headings")
# No length normalisation on the paragraph fields: citing many provisions is not a weakness.
WEIGHTING = scoring.BM25F(paragraphs_B=0.0, mentions_B=0.0)


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
        # one result per topic: a checklist's guideline, a guideline's checklist (results.one_per_topic)
        topic=STORED,
        checklist=STORED,
    )


def unscored(field: FieldType) -> FieldType:
    """A field searched for its words only, never scored: no length per document is kept."""
    field.scorable = False
    return field


SCHEMA = make_schema()

# A word used whole by at least this many documents, and this share of the index, is not also
# searched as a compound part (bench/search_bench.py: p95 with snippets 43 -> 23 ms at 20,000
# documents; the bundled handbook is far below it).
COMMON_WORD_DOCS = 100
COMMON_WORD_SHARE = 0.01
# How many documents estimate_common_words reads at most.
COMMON_SAMPLE = 2000


def common_word_threshold(total: int) -> float:
    """How many of total documents must use a word whole for it to be a common word."""
    return max(COMMON_WORD_DOCS, COMMON_WORD_SHARE * total)


class _HasBody(Protocol):
    @property
    def body(self) -> str: ...


def estimate_common_words(documents: Sequence[_HasBody]) -> frozenset[str]:
    """The stems that at least COMMON_WORD_DOCS documents and COMMON_WORD_SHARE of them use
    in their body, estimated from an even sample of at most COMMON_SAMPLE documents. Searches
    do not look for such a word as a compound part (its whole-word matches fill the results),
    so it is not indexed as one either: on a large collection those are most of the parts."""
    total = len(documents)
    threshold = common_word_threshold(total)
    if total < threshold:
        return frozenset()
    step = max(1, total // COMMON_SAMPLE)
    sample = documents[::step]
    counts: Counter[str] = Counter()
    for doc in sample:
        counts.update(set(DANISH.terms(doc.body)))
    scale = total / len(sample)
    return frozenset(stem for stem, count in counts.items() if count * scale >= threshold)


def stems_of(text: str) -> list[str]:
    """The Danish stems of text's words, stop words left out (as titles and queries are analysed)."""
    return [token.text for token in DANISH(text)]


@functools.lru_cache(maxsize=100_000)
def stem_of(word: str) -> str:
    """The stem of one word ("" for a stop word)."""
    found = stems_of(word)
    return found[0] if found else ""
