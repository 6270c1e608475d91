"""Search quality on the evaluation sets: top-3 hit rate and MRR, overall and per kind of query.

    .venv/bin/python bench/search_quality.py [--misses] [FILE.tsv ...]

Default sets: the shared development set (tests/data/search_dev.tsv, or ../shared/eval when
present) and the caseworker set tests/data/search_caseworker.tsv (columns query, expected_id
and an optional kind: sammensat, spørgsmål, paragraf, stavefejl, almindelig).
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from handbook.checklists.schema import load_checklists  # noqa: E402
from handbook.content.library import load_library  # noqa: E402
from handbook.search.config import load_search_config  # noqa: E402
from handbook.search.documents import documents_for  # noqa: E402
from handbook.search.index import SearchIndex  # noqa: E402
from handbook.settings import PROJECT_ROOT, paths_from_env  # noqa: E402

SHARED_DEV = PROJECT_ROOT.parent / "shared" / "eval" / "search_dev.tsv"
DEFAULT_SETS = [SHARED_DEV if SHARED_DEV.exists() else PROJECT_ROOT / "tests" / "data" / "search_dev.tsv", PROJECT_ROOT / "tests" / "data" / "search_caseworker.tsv"]


def read_set(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def rank_of(index: SearchIndex, query: str, expected: str) -> tuple[int | None, list[str]]:
    ids = [hit.id for hit in index.search(query, limit=10).hits]
    return (ids.index(expected) + 1 if expected in ids else None), ids


def score(ranks: list[int | None]) -> tuple[float, float]:
    top3 = sum(1 for r in ranks if r and r <= 3) / len(ranks)
    mrr = sum(1 / r for r in ranks if r) / len(ranks)
    return top3, mrr


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sets", nargs="*", type=Path)
    parser.add_argument("--misses", action="store_true", help="list the queries outside the top 3")
    parser.add_argument("--checklists", action="store_true", help="index the checklists too, as the portal does")
    args = parser.parse_args()
    paths = paths_from_env({})
    config, _ = load_search_config(paths.config_dir)
    library = load_library(paths)
    checklists = load_checklists(paths.checklists_dir, library.config).all() if args.checklists else ()
    index = SearchIndex(Path(tempfile.mkdtemp(prefix="handbook-quality-")) / "index", config)
    index.sync(documents_for(library.all(), config, checklists))
    for path in args.sets or DEFAULT_SETS:
        rows = read_set(path)
        ranks, by_kind = [], defaultdict(list)
        for row in rows:
            rank, ids = rank_of(index, row["query"], row["expected_id"])
            ranks.append(rank)
            by_kind[row.get("kind") or "-"].append(rank)
            if args.misses and (not rank or rank > 3):
                print(f"  MISS {row['query']!r}: {ids[:3]} (forventet {row['expected_id']}, rang {rank})")
        top3, mrr = score(ranks)
        print(f"{path.name}: {len(rows)} forespørgsler, top-3 = {top3:.3f}, MRR = {mrr:.3f}")
        if len(by_kind) > 1:
            for kind, kind_ranks in sorted(by_kind.items()):
                t, m = score(kind_ranks)
                print(f"  {kind:<12} {len(kind_ranks):>3}: top-3 = {t:.3f}, MRR = {m:.3f}")


if __name__ == "__main__":
    main()
