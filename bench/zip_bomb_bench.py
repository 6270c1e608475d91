"""Time and peak memory of refusing the third review's Word zip bomb (a ~25 KB .docx whose
document.xml unpacks to 20 MB), and of importing a normal document for comparison.

    python bench/zip_bomb_bench.py

Each case runs in a child process, as the portal's upload and the CLI do:
- portal: a Python process that calls handbook.publishing.word_import.convert (what the editor
  page calls with the uploaded bytes);
- cli: `python -m handbook import FILE.docx` against a fresh data folder.
Peak memory is the largest resident set of the child and its children (pandoc), from
resource.getrusage(RUSAGE_CHILDREN) before and after (ru_maxrss is a maximum, so each case runs
in a fresh bench process of its own). Goal: the bomb refused in < 2 s with < 300 MB.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PORTAL = """
import sys
from datetime import date
from handbook.publishing.word_import import WordImportError, convert
from handbook.settings import PortalConfig
import time
data = open(sys.argv[1], "rb").read()
started = time.perf_counter()
try:
    result = convert(data, "bomb.docx" if "bomb" in sys.argv[1] else "normal.docx", PortalConfig(), set(), date.today(), "Leder")
    print("importeret:", result.title)
except WordImportError as exc:
    print("afvist:", exc)
print(f"convert: {time.perf_counter() - started:.3f} s", file=sys.stderr)
"""


def measure(case: str, document: Path, data_dir: Path) -> dict:
    command = [sys.executable, "-c", PORTAL, str(document)] if case == "portal" else [sys.executable, "-m", "handbook", "import", str(document)]
    env = {"PATH": "/usr/bin:/bin", "HANDBOOK_DATA_DIR": str(data_dir), "HANDBOOK_INDEX_DIR": str(data_dir / "index")}
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, timeout=600, check=False)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    answer = [line for line in (done.stdout + done.stderr).strip().splitlines() if not line.startswith("convert:")]
    inner = next((line.split()[1] for line in done.stderr.splitlines() if line.startswith("convert:")), "")
    return {"convert_seconds": inner, "case": case, "document": document.name, "size_kb": round(document.stat().st_size / 1024, 1), "seconds": round(seconds, 2), "peak_rss_mb": round(peak_mb, 1), "exit": done.returncode, "answer": (answer[0] if answer else "")[:160]}


def main() -> int:
    if len(sys.argv) == 4:  # one measurement, in a fresh process (ru_maxrss is a running maximum)
        print(json.dumps(measure(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))))
        return 0
    from tests.docx_builder import realistic_guideline, zip_bomb

    results = []
    with tempfile.TemporaryDirectory() as folder:
        bomb = Path(folder) / "bomb.docx"
        bomb.write_bytes(zip_bomb(20 * 1024 * 1024))
        normal = realistic_guideline().save(Path(folder) / "normal.docx")
        for case in ("portal", "cli"):
            for document in (bomb, normal):
                data_dir = Path(tempfile.mkdtemp(dir=folder))
                line = subprocess.run([sys.executable, __file__, case, str(document), str(data_dir)], capture_output=True, text=True, check=True).stdout
                results.append(json.loads(line))
    print(f"{'vej':<7}{'dokument':<13}{'KB':>7}{'proces s':>10}{'convert s':>11}{'maks. RSS MB':>14}  svar")
    for r in results:
        print(f"{r['case']:<7}{r['document']:<13}{r['size_kb']:>7}{r['seconds']:>10}{r['convert_seconds']:>11}{r['peak_rss_mb']:>14}  {r['answer'][:90]}")
    print("proces s: hele processen med Pythons opstart og import; convert s: fra filens bytes til svaret (portalens upload).")
    refused = [r for r in results if r["document"] == "bomb.docx"]
    ok = all(r["seconds"] < 2 and r["peak_rss_mb"] < 300 and "kan ikke importeres" in r["answer"] for r in refused)
    print("Mål (afvist på < 2 s med < 300 MB):", "nået" if ok else "IKKE nået")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
