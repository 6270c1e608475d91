"""Search benchmark: Håndbogen's Whoosh index against an SQLite FTS5 baseline on the same corpus.

    .venv/bin/python bench/search_bench.py [--docs 20000] [--queries 300]
    .venv/bin/python bench/search_bench.py --bounds [--docs 2000]

Builds a synthetic corpus of Danish-like documents (~400 words each, drawn with a Zipf
distribution from the bundled handbook's own vocabulary, with Danish inflections), then reports
in one run: full build time and index size, start-up with an up-to-date index, re-indexing one
changed document, query latency p50/p95 with and without highlighted snippets, and for FTS5 the
same latencies plus how many of the documents Whoosh matches FTS5 finds (recall). Index growth
from compound splitting is the size of the parts field's files compared with the rest.

--bounds measures the query limits of issue #12: a normal query alone, a 100,000-character
query of unknown words (both in CPU time of one thread), and normal queries while two threads
run long queries without pause. The machine's load average is printed with every run.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from handbook.content.library import load_library  # noqa: E402
from handbook.search.config import load_search_config  # noqa: E402
from handbook.search.documents import SearchDocument  # noqa: E402
from handbook.search.index import SearchIndex  # noqa: E402
from handbook.search.plan import plan_query  # noqa: E402
from handbook.search.query import parse_query  # noqa: E402
from handbook.search.schema import stems_of  # noqa: E402
from handbook.settings import paths_from_env  # noqa: E402

SUFFIXES = ["", "", "", "en", "er", "erne", "et", "e", "ens", "ernes"]
TYPES = ["retningslinje", "arbejdsgang", "metode", "vejledning", "politik"]


def vocabulary(rng: random.Random, size: int = 60_000) -> list[str]:
    """The handbook's own words by frequency, then Danish-style compounds of them
    (børne + samtale), so the corpus has the long tail of a real 20,000-document collection."""
    library = load_library(paths_from_env({}))
    words: dict[str, int] = {}
    for g in library.all():
        for word in re.findall(r"[a-zæøå]{4,}", g.body.casefold()):
            words[word] = words.get(word, 0) + 1
    base = [w for w, _ in sorted(words.items(), key=lambda kv: -kv[1])]
    compounds = dict.fromkeys(rng.choice(base) + rng.choice(base) for _ in range(size))
    return base + [c for c in compounds if c not in words]


def make_corpus(count: int, vocab: list[str], rng: random.Random) -> list[SearchDocument]:
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(vocab))))

    def words(n: int) -> list[str]:
        return [w + rng.choice(SUFFIXES) for w in rng.choices(vocab, cum_weights=cumulative, k=n)]

    docs = []
    for i in range(count):
        body = []
        for _ in range(8):
            body.append(" ".join(words(50)).capitalize() + ".")
        docs.append(
            SearchDocument(
                key=f"guideline:doc-{i}",
                kind="guideline",
                doc_id=f"doc-{i}",
                title=" ".join(words(5)).capitalize(),
                body="\n".join(body),
                content_hash=f"h{i}",
                summary=" ".join(words(25)),
                keywords=tuple(words(6)),
                headings=tuple(" ".join(words(3)) for _ in range(4)),
                paragraphs=(f"bl{rng.randint(1, 200)}",),
                type=rng.choice(TYPES),
                tema=f"Tema {i % 12}",
                audience=("rådgiver",),
                version="1.0",
            )
        )
    return docs


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def folder_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6


def parts_share(index: SearchIndex) -> float:
    """How much of the index the compound parts take: their postings against all postings."""
    with index._searcher() as searcher:
        reader = searcher.reader()
        total = parts = 0
        for fieldname in reader.indexed_field_names():
            postings = sum(reader.doc_frequency(fieldname, term) for term in reader.lexicon(fieldname))
            total += postings
            parts += postings if fieldname == "parts" else 0
    return parts / max(1, total - parts)


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def bounds(args) -> None:
    """The cost of a 100,000-character query against a normal one, and normal queries while
    two long ones run."""
    from handbook.search.documents import documents_for

    paths = paths_from_env({})
    config, _ = load_search_config(paths.config_dir)
    rng = random.Random(7)
    index = SearchIndex(Path(tempfile.mkdtemp(prefix="handbook-bounds-")) / "whoosh", config, result_cache=0)
    if args.docs:
        vocab = vocabulary(rng)
        index.rebuild(make_corpus(args.docs, vocab, rng))
        normal = [" ".join(rng.sample(vocab[100:2000], 2)) for _ in range(50)]
    else:
        index.rebuild(documents_for(load_library(paths).all(), config))
        normal = ["underretning 24 timer", "BFU frist", "hvornår skal barnets plan være klar", "§ 140", "børnesamtale før afgørelse"] * 10
    long_query = " ".join(f"qzx{n:05d}vbnmkjh" for n in range(6_500))
    index.search(normal[0])

    def cpu_ms(query: str, repeat: int = 5) -> float:
        samples = []
        for _ in range(repeat):
            start = time.thread_time()
            index.search(query)
            samples.append((time.thread_time() - start) * 1000)
        return statistics.median(samples)

    normal_ms = statistics.median(cpu_ms(q, 1) for q in normal)
    long_ms = cpu_ms(long_query)
    alone = [timed(lambda q=q: index.search(q))[0] * 1000 for q in normal]
    stop = threading.Event()

    def attack():
        while not stop.is_set():
            index.search(long_query)

    attackers = [threading.Thread(target=attack) for _ in range(2)]
    for thread in attackers:
        thread.start()
    try:
        beside = [timed(lambda q=q: index.search(q))[0] * 1000 for q in normal]
    finally:
        stop.set()
        for thread in attackers:
            thread.join()
    print(f"Begrænset søgning ({args.docs or 'håndbogens'} dokumenter; {load()})")
    print("| Måling | Værdi |\n|---|---|")
    print(f"| Normal forespørgsel, CPU (median) | {normal_ms:.1f} ms |")
    print(f"| 100.000 tegn ukendte ord, CPU (median) | {long_ms:.1f} ms ({long_ms / normal_ms:.1f} × normal) |")
    print(f"| Normal søgning alene, p50 / p95 | {statistics.median(alone):.1f} / {percentile(alone, 95):.1f} ms |")
    print(f"| Normal søgning mens to lange kører, p50 / p95 | {statistics.median(beside):.1f} / {percentile(beside, 95):.1f} ms |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--bounds", action="store_true", help="measure the query limits (issue #12)")
    args = parser.parse_args()
    if args.bounds:
        bounds(args)
        return
    rng = random.Random(7)
    config, _ = load_search_config(paths_from_env({}).config_dir)
    vocab = vocabulary(rng)
    docs = make_corpus(args.docs, vocab, rng)
    mid = vocab[100:20_000]
    queries = [" ".join(w + rng.choice(SUFFIXES) for w in rng.sample(mid, rng.choice([1, 2, 2, 3]))) for _ in range(args.queries)]
    work = Path(tempfile.mkdtemp(prefix="handbook-bench-"))
    words = sum(len(d.body.split()) for d in docs) // len(docs)
    progress(f"Korpus: {len(docs)} dokumenter, ca. {words} ord hver; {len(queries)} forespørgsler")
    whoosh: dict[str, str] = {}
    fts: dict[str, str] = {}

    index = SearchIndex(work / "whoosh", config)
    build_s, _ = timed(lambda: index.rebuild(docs))
    whoosh["build"] = f"{build_s:.1f} s"
    whoosh["size"] = f"{folder_mb(work / 'whoosh'):.0f} MB ({parts_share(index):.0%} delord)".replace("%", " %")
    progress(f"Whoosh bygget på {build_s:.1f} s")

    fresh = SearchIndex(work / "whoosh", config, result_cache=0)  # every search measured, none remembered
    startup_s, report = timed(lambda: fresh.sync(docs))
    whoosh["startup"] = f"{startup_s * 1000:.0f} ms ({report.changed} genindekseret)"
    first_s, _ = timed(lambda: fresh.search(queries[0]))
    whoosh["first"] = f"{first_s * 1000:.0f} ms"

    changed = docs[:]
    changed[123] = replace(changed[123], body=changed[123].body + " zebrafinkehus", content_hash="changed")
    one_s, report = timed(lambda: fresh.sync(changed))
    whoosh["one"] = f"{one_s * 1000:.0f} ms ({report.updated} opdateret)"
    assert [h.id for h in fresh.search("zebrafinkehus").hits][:1] == ["doc-123"]

    with_hl = [timed(lambda q=q: fresh.search(q))[0] * 1000 for q in queries]
    searcher = fresh._current_searcher()
    # the same query plan as a search (compound parts, common terms), without snippets
    def plain(q: str):
        plan = plan_query(parse_query(q, config), searcher.reader())
        return searcher.search(plan.query, limit=10, optimize=plan.complete is None)  # as SearchIndex._search

    without = [timed(lambda q=q: plain(q))[0] * 1000 for q in queries]
    whoosh["hl"] = f"{statistics.median(with_hl):.1f} / {percentile(with_hl, 95):.1f} ms"
    whoosh["plain"] = f"{statistics.median(without):.1f} / {percentile(without, 95):.1f} ms"
    progress("Whoosh målt")

    db = sqlite3.connect(work / "fts.db")
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='unicode61')")
    fts_build, _ = timed(lambda: (db.executemany("INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)", [(i, d.title, d.body) for i, d in enumerate(docs)]), db.commit()))
    fts["build"] = f"{fts_build:.1f} s"
    fts["size"] = f"{(work / 'fts.db').stat().st_size / 1e6:.0f} MB"
    fts["startup"] = fts["first"] = "–"
    fts_one, _ = timed(lambda: (db.execute("UPDATE docs SET body = ? WHERE rowid = 123", [changed[123].body]), db.commit()))
    fts["one"] = f"{fts_one * 1000:.0f} ms"

    def fts_query(q: str) -> str:
        return " OR ".join(f'"{w}"' for w in re.findall(r"\w+", q))

    fts_hl = [timed(lambda q=q: db.execute("SELECT rowid, snippet(docs, 1, '<mark>', '</mark>', '…', 12) FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10", [fts_query(q)]).fetchall())[0] * 1000 for q in queries]
    fts_plain = [timed(lambda q=q: db.execute("SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10", [fts_query(q)]).fetchall())[0] * 1000 for q in queries]
    fts["hl"] = f"{statistics.median(fts_hl):.1f} / {percentile(fts_hl, 95):.1f} ms"
    fts["plain"] = f"{statistics.median(fts_plain):.1f} / {percentile(fts_plain, 95):.1f} ms"

    whoosh_total = fts_total = 0
    reader = searcher.reader()
    for q in queries[:100]:
        for word in re.findall(r"\w+", q):
            stems = stems_of(word)
            if not stems:
                continue
            whoosh_total += reader.doc_frequency("body", stems[0])
            fts_total += db.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", [f'body:"{word}"']).fetchone()[0]
    whoosh["recall"] = "100 % (reference)"
    fts["recall"] = f"{fts_total / whoosh_total:.0%}".replace("%", " %")

    rows = [
        ("build", "Fuld opbygning"),
        ("size", "Indeksstørrelse"),
        ("startup", "Opstart, ajourført indeks"),
        ("first", "Første søgning (åbner indeks)"),
        ("one", "Ét ændret dokument"),
        ("hl", "Søgning p50 / p95, med uddrag"),
        ("plain", "Søgning p50 / p95, uden uddrag"),
        ("recall", "Genfundne dokumenter (ord)"),
    ]
    title = f"Søgebenchmark: {len(docs)} dokumenter à ca. {words} ord, {len(queries)} forespørgsler; {load()}"
    width = max(len(label) for _, label in rows)
    col = max(len(v) for v in [*whoosh.values(), *fts.values(), "Whoosh (Håndbogen)"])
    print(title)
    print(f"| {'Måling':<{width}} | {'Whoosh (Håndbogen)':<{col}} | {'SQLite FTS5':<{col}} |")
    print(f"|{'-' * (width + 2)}|{'-' * (col + 2)}|{'-' * (col + 2)}|")
    for key, label in rows:
        print(f"| {label:<{width}} | {whoosh[key]:<{col}} | {fts[key]:<{col}} |")


if __name__ == "__main__":
    main()
