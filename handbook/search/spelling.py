"""Typo tolerance: close spellings for query words the handbook never uses, and the
"Mente du ...?" suggestion built from them."""

from __future__ import annotations

import re

from whoosh.support.levenshtein import distance as levenshtein

from handbook.search.plan import MAX_SPLIT_WORD, query_decompounder
from handbook.search.query import ParsedQuery
from handbook.search.schema import stems_of

# At most this many words of one query are looked up (a bound on the work one search may cause).
MAX_CORRECTIONS = 3


def find_corrections(searcher, parsed: ParsedQuery) -> dict[str, list[str]]:
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


def _max_distance(word: str) -> int:
    return 2 if len(word) >= 8 else 1 if len(word) >= 5 else 0


def _known(reader, word: str) -> bool:
    """Whether the index has the word itself or, stemmed, in a title or a body."""
    if reader.doc_frequency("spell", word) > 0:
        return True
    stems = stems_of(word)
    return not stems or any(reader.doc_frequency(name, stems[0]) > 0 for name in ("title", "body"))


def suggestion(text: str, corrections: dict[str, list[str]]) -> str:
    """The query with each corrected word replaced by its closest spelling ("Mente du ...?")."""
    for word, candidates in corrections.items():
        text = re.sub(rf"(?i)\b{re.escape(word)}\b", candidates[0], text, count=1)
    return text
