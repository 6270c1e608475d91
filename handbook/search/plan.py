"""The query plan: the Whoosh query for a parsed user query.

Each word is searched as a whole word in every text field and (weighing less) as a part of the
compounds in a document; a compound the handbook never uses is searched by its parts, split
with the handbook's own vocabulary. Synonyms and phrase boosts are added, paragraph references
look in the cited provisions, and a provision no guideline cites is answered through its
subject. On a large index a word thousands of documents use is a common term: it only adds to
the score of documents that have the query's rarer words.
"""

from __future__ import annotations

import functools
from collections.abc import Set
from dataclasses import dataclass, field

from whoosh import query as Q

from handbook.search.decompound import Decompounder, danish_words
from handbook.search.paragraphs import ParagraphSubject
from handbook.search.query import QUESTION_WORDS, ParsedQuery, words_of
from handbook.search.schema import BOOSTED_PHRASE_FIELDS, PARTS_FIELD, PHRASE_FIELDS, TEXT_FIELDS, common_word_threshold, stem_of, stems_of

# A whole-word match outranks a match on a compound's part.
PART_WEIGHT = 0.45
PARTS_QUERY_WEIGHT = 0.9
KNOWN_PARTS_WEIGHT = 0.3
# A word at most this many documents use is also searched as its parts.
RARE_WORD = 2
CORRECTION_WEIGHT = 0.8
PHRASE_WEIGHT = 0.6
SUBJECT_WEIGHT = 0.5
FORM_WEIGHT = 0.7
UNCITED_SUBJECT_WEIGHT = 1.2


def _word_query(stem: str, reader=None) -> Q.Query:
    """A stem in any text field, or (weighing less) as part of a compound in the document.
    With a reader, a word that many documents use as a whole word is not searched as a part:
    its whole-word matches fill the results (they rank above part matches), and the part's
    long posting list would make the search scan most of the index."""
    clauses = [Q.Term(name, stem) for name in TEXT_FIELDS]
    if reader is None or not (stem in _common_parts(reader) or _common_word(reader, stem)):
        clauses.append(Q.Term(PARTS_FIELD, stem, boost=PART_WEIGHT))
    return Q.Or(clauses)


# A word at least this many documents use is a common term (plan_query): it only adds to the
# score of documents that have the query's other words (p95 23 -> 13 ms at 20,000 documents).
COMMON_TERMS_DOCS = 1000


# Meaning over common words: in a question of more than LONG_QUESTION meaningful words, a word
# at least COMMON_SHARE of the documents use weighs COMMON_WEIGHT (Whoosh's BM25 idf never goes
# below 1, so on a small handbook "barnet", "mødet" and "kommunen" weigh nearly as much as the
# word that carries the meaning). Tuned on the dev and caseworker sets: a share of 0.5, or
# counting question words, also down-weighted words that decide short questions ("forældre"
# in "samtale uden forældre ved overgreb"); see docs/architecture.md.
LONG_QUESTION = 4
COMMON_SHARE = 0.8
COMMON_WEIGHT = 0.3


def _share(reader, stems: list[str]) -> float:
    """The share of the documents whose text has the word (its first stem)."""
    if not stems:
        return 0.0
    return reader.doc_frequency("body", stems[0]) / max(1, reader.doc_count_all())


def _common_parts(reader) -> frozenset[str]:
    """The stems the index does not hold as compound parts (make_schema)."""
    return getattr(reader.schema[PARTS_FIELD].analyzer, "common", frozenset())


def _common_word(reader, stem: str) -> bool:
    return reader.doc_frequency("body", stem) >= common_word_threshold(reader.doc_count())


def _phrase_query(phrase: str, boost: float) -> Q.Query | None:
    stems = stems_of(phrase)
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
        stem = stem_of(word)
        return self.reader.doc_frequency("body", stem) if stem else 0

    def __call__(self, word: str) -> bool:
        known = self.cache.get(word)
        if known is None and len(word) < MIN_VOCABULARY_PART:
            known = False
        if known is None:
            stem = stem_of(word)
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
    stems = stems_of(word)
    reader = vocabulary.reader if vocabulary is not None else None
    whole = _word_query(stems[0], reader) if stems else None
    parts = query_parts(word, vocabulary) if split else ()
    part_stems = list(dict.fromkeys(s for s in (stem_of(p) for p in parts) if s))
    marked = set(stems) | set(part_stems)
    if len(part_stems) < 2:
        return whole, marked
    if whole is not None and vocabulary is not None and vocabulary(word):
        # A word the handbook uses: the whole word first; documents that have all its parts
        # (and documents where it is itself a part, through the parts field) weigh less.
        known = list(dict.fromkeys(stem_of(p) for p in parts if vocabulary(p)))
        if len(known) < 2 or vocabulary.frequency(word) > RARE_WORD:
            # a word many documents use needs no help from its parts (and they would cost)
            return whole, marked
        return Q.Or([whole, Q.And([_word_query(s, reader) for s in known], boost=KNOWN_PARTS_WEIGHT)]), marked
    # A compound the handbook never uses: all of its parts that the handbook knows (a part it
    # never uses would match nothing). An intersection keeps the search fast when the parts
    # are common words.
    known = [stem_of(p) for p in parts if vocabulary is None or vocabulary(p)]
    known = list(dict.fromkeys(s for s in known if s))
    if not known:
        return whole, marked
    every = Q.And([_word_query(s, reader) for s in known]) if len(known) > 1 else _word_query(known[0], reader)
    query = Q.Or([every] + ([whole] if whole is not None else []), boost=PARTS_QUERY_WEIGHT)
    if len(known) > 1:
        # used only when the search finds few documents: some of the parts
        query.loose = Q.Or([_word_query(s, reader) for s in known], boost=PARTS_QUERY_WEIGHT / 2)
    return query, marked


def plan_query(parsed: ParsedQuery, reader=None, typos: Set[str] = frozenset()) -> QueryPlan:
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
    # (counted as the words that carry any meaning: not question, filler or stop words)
    long_question = reader is not None and sum(1 for w in parsed.content_words if stems_of(w)) > LONG_QUESTION
    for word in parsed.content_words:
        checked = None if word in typos else vocabulary
        query, stems = _word_plan(word, checked, split=word not in typos)
        marked |= stems
        if query is not None and long_question and _share(reader, stems_of(word)) >= COMMON_SHARE:
            # a word most of the handbook uses says little about which page is meant
            query = query.with_boost(query.boost * COMMON_WEIGHT)
        if query is not None:
            frequent = checked is not None and checked.frequency(word) >= COMMON_TERMS_DOCS
            (common if frequent else parts).append(query)
            if getattr(query, "loose", None) is not None:
                loose.append(query.loose)
    # Phrase boosts over the whole query, question words included: consecutive words that
    # stand together in a title or heading ("hvornår skal der være en plan") count extra.
    boosts: list[Q.Query] = []
    tokens = stems_of(" ".join(parsed.words))
    for start in range(len(tokens) - 1):
        phrase = tokens[start:start + 2]
        if phrase[0] != phrase[1]:
            boosts.append(Q.Or([Q.Phrase(name, phrase) for name in BOOSTED_PHRASE_FIELDS], boost=PHRASE_WEIGHT))
    if parsed.form_stems:
        # the verb of a noun the query has, or the noun of its verb ("underrettet" - "underretning")
        parts.append(Q.Or([_word_query(stem, reader) for stem in parsed.form_stems], boost=FORM_WEIGHT))
        marked |= set(parsed.form_stems)
    for alternative in parsed.alternatives:
        query = _phrase_query(alternative, boost=0.7)
        if query is not None:
            parts.append(query)
            marked |= set(stems_of(alternative))
    parts += [
        Q.Or([Q.Term(name, token) for name in ("paragraphs", "mentions") for token in tokens], boost=2.0)
        for tokens in parsed.paragraph_alternatives
    ]
    uncited = []
    for subject in parsed.subjects:
        cited = reader is None or any(reader.doc_frequency(name, t) > 0 for name in ("paragraphs", "mentions") for t in subject.tokens)
        if not cited:
            uncited.append(subject)
        words = [w for w in words_of(subject.subject) if w not in QUESTION_WORDS]
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


def filter_query(types: tuple[str, ...], temas: tuple[str, ...], audience: str | None, kinds: tuple[str, ...]) -> Q.Query | None:
    """The filters of a search: any of the types, any of the temas, any of the kinds, and the audience."""
    clauses = []
    for name, values in (("type", types), ("tema", temas), ("kind", kinds)):
        if values:
            clauses.append(Q.Or([Q.Term(name, v) for v in values]))
    if audience:
        clauses.append(Q.Term("audience", audience))
    return Q.And(clauses) if clauses else None


def with_corrections(query: Q.Query, corrected: set[str], reader=None) -> Q.Query:
    """query, or the corrected spellings of its unknown words (weighing a little less)."""
    return Q.Or([query, *(_word_query(stem, reader).with_boost(CORRECTION_WEIGHT) for stem in corrected)], scale=0.9)

