"""The load benchmark speaks Streamlit's protocol correctly: against a real portal it checks every
page of its mix (anonymous and logged in) and then measures runs without errors."""

import json

from bench import load_bench


def test_load_bench_checks_the_pages_and_measures_without_errors(tmp_path, capsys):
    out = tmp_path / "result.json"
    report = load_bench.main(["--users", "3", "--duration", "4", "--warmup", "1", "--ramp", "0.5",
                              "--reload-share", "0.3", "--json", str(out)])
    assert report["errors"] == 0, report["error_kinds"]
    assert report["runs"] > 0 and report["p95_ms"] > 0
    assert report["first_run"]["count"] > 0
    assert report["server"][0]["rss_mb_end"] > 0
    assert json.loads(out.read_text(encoding="utf-8"))["runs"] == report["runs"]
    assert "sidekørsler/s" in capsys.readouterr().out
