"""The load benchmark speaks Streamlit's protocol correctly: against a real portal it checks the
pages of its mix (anonymous and logged in) and then measures runs without errors."""

import json
import subprocess
import sys

from handbook.settings import PROJECT_ROOT


def test_load_bench_checks_the_pages_and_measures_without_errors(tmp_path):
    out = tmp_path / "result.json"
    done = subprocess.run(
        [sys.executable, "bench/load_bench.py", "--users", "3", "--duration", "4", "--warmup", "1", "--ramp", "0.5",
         "--reload-share", "0.3", "--json", str(out)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["errors"] == 0, report["error_kinds"]
    assert report["runs"] > 0 and report["p95_ms"] > 0
    assert report["first_run"]["count"] > 0
    assert report["server"][0]["rss_mb_end"] > 0
    assert "sidekørsler/s" in done.stdout
