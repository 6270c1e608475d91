"""Full-text search over the handbook with Whoosh.

Danish stemming (Snowball) and case folding, synonym groups and abbreviations from
config/synonyms.yaml, paragraph queries under both Serviceloven and Barnets lov
(config/paragraphs.yaml), typo tolerance with a "Mente du ...?" suggestion, and highlighted,
HTML-escaped snippets.

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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as Q
from whoosh import scoring
from whoosh.analysis import LanguageAnalyzer, LowercaseFilter, RegexTokenizer
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from handbook.checklists import Checklist
from handbook.content import Guideline
from handbook.render import plain_text, render_body
from handbook.problems import ContentProblem
from handbook.search_config import SearchConfig, load_search_config

log = logging.getLogger(__name__)

# Bump when the schema or the analysis changes: every index built before is then rebuilt.
SCHEMA_VERSION = "8"
MANIFEST = "handbook-manifest.json"

# An unbounded stem cache (a plain dict; Whoosh's bounded cache is slow once full): Snowball
# stemming in Python dominates indexing time otherwise. It holds one entry per distinct word.
DANISH = LanguageAnalyzer("da", cachesize=-1)
WORDS = RegexTokenizer() | LowercaseFilter()
TEXT_FIELDS = ("title", "summary", "keywords", "headings", "body")
# The body keeps no word positions (a much smaller, faster index); a phrase there is all its words.
PHRASE_FIELDS = ("title", "summary", "keywords", "headings")

SCHEMA = Schema(
    key=ID(unique=True, stored=True),
    kind=ID(stored=True),
    doc_id=ID(stored=True),
    title=TEXT(analyzer=DANISH, stored=True, field_boost=6.0),
    summary=TEXT(analyzer=DANISH, stored=True, field_boost=2.0),
    keywords=TEXT(analyzer=DANISH, field_boost=4.0),
    headings=TEXT(analyzer=DANISH, field_boost=2.0),
    body=TEXT(analyzer=DANISH, stored=True, phrase=False),
    paragraphs=KEYWORD(lowercase=True, scorable=True, field_boost=4.0),
    mentions=KEYWORD(lowercase=True, scorable=True, field_boost=1.0),
    spell=TEXT(analyzer=WORDS, phrase=False),
    type=ID(stored=True),
    tema=ID(stored=True),
    audience=KEYWORD(stored=True, commas=True),
    version=STORED,
)

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

    def fields(self) -> dict[str, object]:
        return {
            "key": self.key,
            "kind": self.kind,
            "doc_id": self.doc_id,
            "title": self.title,
            "summary": self.summary,
            "keywords": " ".join(self.keywords),
            "headings": "\n".join(self.headings),
            "body": self.body,
            "paragraphs": " ".join(self.paragraphs),
            "mentions": " ".join(self.mentions),
            "spell": "\n".join([self.title, self.summary, " ".join(self.keywords), *self.headings]),
            "type": self.type,
            "tema": self.tema,
            "audience": ",".join(self.audience),
            "version": self.version,
        }


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
    digest = hashlib.sha256(f"{guideline.content_hash}|{SCHEMA_VERSION}|{config.fingerprint()}".encode()).hexdigest()
    return SearchDocument(
        key=f"guideline:{guideline.id}",
        kind="guideline",
        doc_id=guideline.id,
        title=guideline.title,
        body=plain_text(guideline.body),
        content_hash=digest,
        summary=guideline.summary,
        keywords=(*guideline.keywords, guideline.tema),
        headings=tuple(h.text for h in render_body(guideline.body).headings),
        paragraphs=tuple(cited),
        mentions=tuple(mentioned),
        type=guideline.type,
        tema=guideline.tema,
        audience=guideline.audience,
        version=guideline.version,
    )


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


@dataclass
class SearchResults:
    query: str
    hits: list[SearchHit]
    suggestion: str | None = None
    fuzzy: bool = False

    def to_json(self) -> list[dict[str, object]]:
        return [
            {"id": h.id, "kind": h.kind, "title": h.title, "type": h.type, "tema": h.tema, "version": h.version, "score": round(h.score, 4)}
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
class ParsedQuery:
    """A user's query split into plain words, synonym alternatives and paragraph tokens."""

    words: tuple[str, ...]
    alternatives: tuple[str, ...]
    paragraph_alternatives: tuple[tuple[str, ...], ...]


def parse_query(text: str, config: SearchConfig) -> ParsedQuery:
    """Pull paragraph references out of the query, then find synonym groups in what is left."""
    paragraph_alternatives = []
    rest = text
    for ref, (start, end) in reversed(find_paragraph_refs(text)):
        laws = (ref.law,) if ref.law else ("sel", "bl")
        paragraph_alternatives.append(tuple(f"{law}{n}" for law in laws for n in ref.numbers))
        rest = rest[:start] + " " + rest[end:]
    words = tuple(_words(rest))
    joined = _padded(words)
    alternatives: list[str] = []
    for group in config.synonym_groups:
        if any(_padded(_words(phrase)) in joined for phrase in group):
            alternatives.extend(p for p in group if _padded(_words(p)) not in joined)
    return ParsedQuery(words, tuple(dict.fromkeys(alternatives)), tuple(reversed(paragraph_alternatives)))


def _words(text: str) -> list[str]:
    return [w.casefold() for w in re.findall(r"\w+", text)]


def _padded(words: list[str] | tuple[str, ...]) -> str:
    """Words joined with spaces and padded, so 'in' matches whole words only."""
    return f" {' '.join(words)} "


def _stems(text: str) -> list[str]:
    return [token.text for token in DANISH(text)]


def _word_query(stem: str) -> Q.Query:
    return Q.Or([Q.Term(name, stem) for name in TEXT_FIELDS])


def _phrase_query(phrase: str, boost: float) -> Q.Query | None:
    stems = _stems(phrase)
    if not stems:
        return None
    if len(stems) == 1:
        return Q.Or([Q.Term(name, stems[0]) for name in TEXT_FIELDS], boost=boost)
    return Q.Or([*(Q.Phrase(name, stems) for name in PHRASE_FIELDS), Q.And([Q.Term("body", stem) for stem in stems])], boost=boost)


def build_query(parsed: ParsedQuery) -> Q.Query | None:
    """The exact (non-fuzzy) Whoosh query for a parsed user query."""
    parts: list[Q.Query] = [_word_query(stem) for stem in _stems(" ".join(parsed.words))]
    parts += [q for q in (_phrase_query(alt, boost=0.7) for alt in parsed.alternatives) if q is not None]
    parts += [
        Q.Or([Q.Term(name, token) for name in ("paragraphs", "mentions") for token in tokens], boost=2.0)
        for tokens in parsed.paragraph_alternatives
    ]
    if not parts:
        return None
    return Q.Or(parts, scale=0.9)


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


class SearchIndex:
    """The Whoosh index in one folder, kept in step with the content and shared by sessions."""

    def __init__(self, index_dir: Path, config: SearchConfig):
        self.index_dir = index_dir
        self.config = config
        self._lock = threading.RLock()
        self._searcher = None
        self._manifest_stamp: int | None = None
        self._documents: list[SearchDocument] = []

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
        ix = whoosh_index.create_in(str(building), SCHEMA)
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

    def _current_searcher(self):
        """One searcher shared by all sessions, reopened only when the index was committed."""
        try:
            stamp = (self.index_dir / MANIFEST).stat().st_mtime_ns
        except OSError:
            stamp = None
        if self._searcher is None or stamp != self._manifest_stamp:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = whoosh_index.open_dir(str(self.index_dir)).searcher(weighting=WEIGHTING)
            self._manifest_stamp = stamp
        return self._searcher

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
        """Best matches first, with highlighted snippets; fuzzy matching when few are found."""
        with self._lock:
            try:
                return self._search(text, types, temas, audience, kinds, limit)
            except Exception:
                if not self._documents:
                    raise
                log.exception("Søgeindekset fejlede; det bygges igen")
                self._searcher = None
                self.rebuild(self._documents)
                return self._search(text, types, temas, audience, kinds, limit)

    def _search(self, text, types, temas, audience, kinds, limit) -> SearchResults:
        parsed = parse_query(text, self.config)
        exact = build_query(parsed)
        results = SearchResults(query=text, hits=[])
        if exact is None:
            return results
        searcher = self._current_searcher()
        filter_query = _filters(tuple(types), tuple(temas), audience, tuple(kinds))
        marked = set(_stems(" ".join((*parsed.words, *parsed.alternatives))))
        found = searcher.search(exact, limit=limit, filter=filter_query)
        hits = self._hits(found, marked)
        corrections = self._corrections(searcher, parsed)
        if len(hits) < 3 and corrections:
            corrected = {stem for words in corrections.values() for w in words for stem in _stems(w)}
            fuzzy = Q.Or([exact, *(_word_query(stem) for stem in corrected)], scale=0.9)
            more = searcher.search(fuzzy, limit=limit, filter=filter_query)
            seen = {h.id for h in hits}
            extra = [h for h in self._hits(more, marked | corrected) if h.id not in seen]
            results.fuzzy = bool(extra)
            hits += extra
        results.hits = hits[:limit]
        if corrections:
            suggestion = text
            for word, candidates in corrections.items():
                suggestion = re.sub(rf"(?i)\b{re.escape(word)}\b", candidates[0], suggestion, count=1)
            results.suggestion = suggestion
        return results

    def _hits(self, found, stems: set[str]) -> list[SearchHit]:
        hits = []
        for hit in found:
            snippet = make_snippet(hit["body"], stems)
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
                )
            )
        return hits

    def _corrections(self, searcher, parsed: ParsedQuery) -> dict[str, list[str]]:
        """Close words (edit distance 1 from 5 letters, 2 from 8) for query words the handbook
        never uses. Candidates come from the titles, summaries, keywords and headings, a small
        vocabulary, so the look-up stays fast on a large index."""
        reader = searcher.reader()
        corrector = None
        corrections: dict[str, list[str]] = {}
        for word in parsed.words:
            distance = _max_distance(word)
            if not distance or word.isdigit() or _known(reader, word):
                continue
            corrector = corrector or searcher.corrector("spell")
            candidates = corrector.suggest(word, limit=3, maxdist=distance, prefix=1)
            if candidates:
                corrections[word] = candidates
        return corrections


def make_snippet(text: str, stems: set[str], fragments: int = 2, before: int = 70, after: int = 150) -> str:
    """Up to two passages of text around words whose stem was searched for, HTML-escaped, with
    the words in <mark>. Snowball stems are prefixes of their words, so only words starting with
    a searched stem are stemmed to confirm the match."""
    if not stems:
        return ""
    prefixes = tuple(stems)
    matches = [
        m for m in _WORD.finditer(text)
        if m.group().casefold().startswith(prefixes) and _stem_word(m.group().casefold()) in stems
    ]
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
