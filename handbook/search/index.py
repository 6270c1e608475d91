"""Full-text search over the handbook with Whoosh: the index one portal process shares.

The search package: Danish stemming (Snowball) and case folding, compound splitting
(handbook.search.decompound) at index and query time (handbook.search.analysis, .schema),
synonym groups and abbreviations from config/synonyms.yaml, paragraph queries under both
Serviceloven and Barnets lov with a law map that answers a paragraph no guideline cites
through its subject (config/paragraphs.yaml; .paragraphs, .query, .plan), question words
dropped for matching but kept for phrase boosts, typo tolerance with a "Mente du ...?"
suggestion (.spelling), and hits that point at the best-matching section, with highlighted,
HTML-escaped snippets (.results, .snippets).

Every search is bounded (MAX_QUERY_CHARS, MAX_QUERY_WORDS, MAX_CORRECTIONS), and no lock is held
while one runs: searchers come from a small pool, and the lock only guards taking one, giving it
back and swapping in a new generation after the index changed.

The index keeps itself current (handbook.search.folder): `sync` re-indexes only documents whose
content hash changed, and rebuilds a missing, corrupt or outdated index without anyone asking.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh import index as whoosh_index
from whoosh import query as Q

from handbook.search.config import SearchConfig, load_search_config
from handbook.search.folder import IndexFolder, SyncReport
from handbook.search.plan import filter_query, plan_query, query_decompounder, with_corrections
from handbook.search.query import limit_query, parse_query
from handbook.search.results import SearchHit, SearchResults, hit_of, hits_of, one_per_topic, with_snippets
from handbook.search.schema import WEIGHTING, stems_of
from handbook.search.spelling import find_corrections, suggestion

if TYPE_CHECKING:  # the command line's search opens an index without loading the content model
    from handbook.checklists.model import Checklist
    from handbook.content.guideline import Guideline
    from handbook.problems import ContentProblem
    from handbook.search.documents import SearchDocument

log = logging.getLogger(__name__)

MAX_SEARCHERS = 4
RESULT_CACHE_SIZE = 512
# A few more hits than asked for, so that folding checklists into their guidelines
# (one_per_topic) still fills the page.
FOLDED = 3
# Up to this many documents the count of matches is exact. Whoosh skips blocks that cannot reach
# the top of the list, so an exact count means a second pass over every match: at 20,000
# documents that added about 3 ms to p95; above it the page says "mindst N".
EXACT_COUNT_DOCS = 5_000


class SearcherPool:
    """Searchers of the current index generation. A Whoosh searcher is not meant to be used by
    two threads at once, so each search takes one; the lock is held only to take one, give it
    back, or retire the pool after the index changed - never while a search runs, so one slow
    search cannot hold up the others."""

    def __init__(self, folder: IndexFolder):
        self.folder = folder
        self._lock = threading.Lock()
        self._idle: list = []
        self._generation = 0
        self._stamp: int | None = None

    @contextmanager
    def searcher(self) -> Iterator:
        """A searcher of the current index generation for one search."""
        stamp = self.folder.stamp()
        with self._lock:
            if stamp != self._stamp:
                self._retire()
                self._stamp = stamp
            generation = self._generation
            searcher = self._idle.pop() if self._idle else None
        if searcher is None:
            searcher = whoosh_index.open_dir(str(self.folder.index_dir)).searcher(weighting=WEIGHTING)
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

    def reset(self) -> None:
        """Close the idle searchers; the ones in use are closed when given back."""
        with self._lock:
            self._retire()

    def _retire(self) -> None:
        for old in self._idle:
            old.close()
        self._idle = []
        self._generation += 1


class SearchIndex:
    """The Whoosh index in one folder, kept in step with the content and shared by sessions."""

    def __init__(self, index_dir: Path, config: SearchConfig, result_cache: int = RESULT_CACHE_SIZE):
        self.index_dir = index_dir
        self.result_cache = result_cache
        self.config = config
        self.folder = IndexFolder(index_dir)
        self._pool = SearcherPool(self.folder)
        self._documents: list[SearchDocument] = []
        # recent results by query, filters and index generation (the search page runs again
        # on every click on it, and many caseworkers search for the same words)
        self._results: dict[tuple, SearchResults] = {}

    # -- keeping the index current -------------------------------------------------------

    def sync(self, documents: Sequence[SearchDocument]) -> SyncReport:
        """Bring the index in line with documents: re-index changed ones, rebuild if broken."""
        start = time.perf_counter()
        self._documents = list(documents)
        report = self.folder.sync(documents)
        query_decompounder()  # load the word list now rather than at the first search
        report.seconds = time.perf_counter() - start
        return report

    def rebuild(self, documents: Sequence[SearchDocument]) -> SyncReport:
        """Build the index from scratch in a side folder and swap it in."""
        start = time.perf_counter()
        self._documents = list(documents)
        report = self.folder.rebuild(documents)
        report.seconds = time.perf_counter() - start
        return report

    # -- searching -------------------------------------------------------------------------

    def _searcher(self):
        """A searcher of the current index generation for one search (a context manager)."""
        return self._pool.searcher()

    def _current_searcher(self):
        """A searcher of the current index, for tools that query Whoosh directly (the benchmark)."""
        with self._searcher() as searcher:
            return searcher

    def _reset_searchers(self) -> None:
        self._results = {}
        self._pool.reset()

    def handbook_terms(self) -> list[str]:
        """The words of titles, summaries, keywords and headings (the spelling field), for the
        synonym review."""
        with self._searcher() as searcher:
            return [t.decode("utf-8") if isinstance(t, bytes) else t for t in searcher.reader().lexicon("spell")]

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
        key = (text, tuple(types), tuple(temas), audience, tuple(kinds), limit, self.folder.stamp(), id(self.config))
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

    def _search(self, text, types, temas, audience, kinds, limit) -> SearchResults:
        parsed = parse_query(text, self.config)
        results = SearchResults(query=text, hits=[])
        if not parsed.words and not parsed.paragraph_alternatives:
            return results
        with self._searcher() as searcher:
            # A word the handbook does not know (and that is no compound of words it knows)
            # contributes nothing as typed, so its close spellings are searched along with it.
            corrections = find_corrections(searcher, parsed)
            plan = plan_query(parsed, searcher.reader(), typos=set(corrections))
            if plan.query is None:
                return results
            filters = filter_query(tuple(types), tuple(temas), audience, tuple(kinds))
            query, stems = plan.query, plan.stems
            if corrections:
                # the closest spelling of each word only: it bounds the query's size
                corrected = {stem for words in corrections.values() for stem in stems_of(words[0])}
                query = with_corrections(query, corrected, searcher.reader())
                stems = stems | corrected
            # (Whoosh's block-quality skipping fails an assertion on Require; it skipped
            # nothing on these queries anyway)
            # room for folding checklists into their guidelines, when the index has checklists
            wanted = limit + FOLDED if searcher.doc_frequency("kind", "checklist") else limit
            found = searcher.search(query, limit=wanted, filter=filters, optimize=plan.complete is None)
            if plan.complete is not None and found.scored_length() < limit:
                # too few documents have the less common words: every word counts alike
                query = with_corrections(plan.complete, corrected, searcher.reader()) if corrections else plan.complete
                found = searcher.search(query, limit=wanted, filter=filters)
            stored: dict[str, dict] = {}
            hits = hits_of(_citing_first(searcher, found, parsed.paragraph_alternatives), stems, stored)
            total, results.total_exact = _match_count(found, searcher)  # not only the shown ones (the filters apply)
            results.fuzzy = bool(corrections) and bool(hits)
            if len(hits) < 3 and plan.loose:
                more = searcher.search(Q.Or([query, *plan.loose], scale=0.9), limit=limit, filter=filters)
                seen = {h.id for h in hits}
                hits += [h for h in hits_of(more, stems, stored) if h.id not in seen]
                total = max(total, _match_count(more, searcher)[0])
            before = len(hits)
            hits = one_per_topic(hits, lambda topic: self._guideline_hit(searcher, topic, stems, filters, stored))
            total -= max(0, before - len(hits))  # a guideline and its checklist count as one result
            results.hits = with_snippets(hits[:limit], stored, stems)
        results.total = max(total, len(results.hits))
        results.law_lines = tuple(s.line for s in parsed.subjects)
        if plan.uncited and results.hits:
            results.paragraph_note = "; ".join(f"{s.label} handler om {s.subject}" for s in plan.uncited) + " – retningslinjer om emnet:"
        if corrections:
            results.suggestion = suggestion(text, corrections)
        return results


    @staticmethod
    def _guideline_hit(searcher, guideline_id: str, stems: set[str], filters, stored: dict[str, dict]) -> SearchHit | None:
        """The guideline a checklist hit implements, when the search did not find it itself and
        the filters allow it (scored 0: it takes the checklist's place)."""
        number = searcher.document_number(key=f"guideline:{guideline_id}")
        if number is None:
            return None
        if filters is not None and not searcher.search(Q.And([Q.Term("key", f"guideline:{guideline_id}"), filters]), limit=1).scored_length():
            return None
        fields = stored[f"guideline:{guideline_id}"] = searcher.stored_fields(number)
        return hit_of(fields, 0.0, stems, snippet=False)


def _citing_first(searcher, found, paragraphs: tuple[tuple[str, ...], ...]) -> list:
    """The hits, those that cite a provision of the query in their legal references first (the
    paragraphs field, from legal_refs), each group in score order. A guideline that only
    mentions the number in passing never outranks one written on the provision."""
    hits = list(iter(found))  # list(found) would ask len(found), a count of every match
    if not paragraphs:
        return hits
    cited = set(searcher.docs_for_query(Q.Or([Q.Term("paragraphs", t) for tokens in paragraphs for t in tokens])))
    return sorted(hits, key=lambda hit: hit.docnum not in cited)


def open_index(
    index_dir: Path, config_dir: Path, guidelines: Sequence[Guideline], checklists: Sequence[Checklist] = ()
) -> tuple[SearchIndex, SyncReport, list[ContentProblem]]:
    """Load the search configuration, open the index in index_dir and bring it up to date."""
    from handbook.search.documents import documents_for

    config, problems = load_search_config(config_dir)
    index = SearchIndex(index_dir, config)
    report = index.sync(documents_for(guidelines, config, checklists))
    return index, report, problems


def _match_count(found, searcher) -> tuple[int, bool]:
    """How many documents matched, and whether that is exact (see EXACT_COUNT_DOCS)."""
    if found.has_exact_length() or searcher.doc_count() <= EXACT_COUNT_DOCS:
        return len(found), True
    return max(found.estimated_min_length(), found.scored_length()), False
