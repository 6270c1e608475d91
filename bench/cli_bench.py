"""Wall time of `python -m handbook search QUERY` in a fresh process, warm (after one run that
syncs the index and fills the word-list cache).

    .venv/bin/python bench/cli_bench.py [--runs 10] [QUERY ...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ["underretningspligt", "hvornår skal barnet have en plan efter afgørelsen", "§ 133", "undersøgt"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("queries", nargs="*", default=QUERIES)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="handbook-cli-bench-"))
    env = {**os.environ, "HANDBOOK_DATA_DIR": str(folder), "HANDBOOK_INDEX_DIR": str(folder / "index")}
    command = [sys.executable, "-m", "handbook", "search"]
    subprocess.run([*command, "opvarmning"], cwd=ROOT, env=env, check=True, capture_output=True)
    times = []
    for run in range(args.runs):
        query = args.queries[run % len(args.queries)]
        start = time.perf_counter()
        subprocess.run([*command, query], cwd=ROOT, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    times.sort()
    p90 = times[min(len(times) - 1, int(0.9 * len(times)))]
    print(f"python -m handbook search, {args.runs} kørsler (varm): median {statistics.median(times):.3f} s, p90 {p90:.3f} s, max {times[-1]:.3f} s")


if __name__ == "__main__":
    main()
