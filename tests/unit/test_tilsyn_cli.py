"""python -m handbook tilsyn …: the command line mirrors the portal (validate, templates, round
new, sample, import, report, trend)."""

from __future__ import annotations

import json

import pytest

from handbook.cli.main import main
from tests.conftest import write

CASES = "caseworker,case_ref,case_type\n" + "".join(f"{'mette' if n <= 5 else 'jonas'},2026-{n:04d},\n" for n in range(1, 11))


@pytest.fixture
def cli(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("HANDBOOK_DATA_DIR", str(tmp_path / "data"))

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def test_templates_lists_each_criterion_with_its_area(cli):
    code, out, _ = cli("tilsyn", "templates", "--json")
    templates = {t["id"]: t for t in json.loads(out)}
    assert code == 0 and set(templates) == {"generelt", "underretninger"}
    assert {"id": "boernesamtale", "area": "Undersøgelse", "question": "Er barnet hørt i en børnesamtale før afgørelsen, om den påtænkte foranstaltning – og er samtalen journaliseret før afgørelsen?"} in templates["generelt"]["criteria"]


def test_a_round_is_drawn_answered_by_import_and_reported(cli, tmp_path):
    code, out, _ = cli("tilsyn", "round", "new", "--template", "underretninger", "--period", "2026-05", "--team", "Modtageteam", "--reviewer", "Lene")
    assert code == 0 and out.strip() == "1"
    cases = write(tmp_path / "cases.csv", CASES)
    code, out, _ = cli("tilsyn", "sample", "--round", "1", "--cases", str(cases), "--per-caseworker", "3", "--seed", "99", "--json")
    drawn = json.loads(out)
    assert code == 0 and drawn["seed"] == 99 and len(drawn["drawn"]) == 6
    assert {c["caseworker"] for c in drawn["drawn"]} == {"mette", "jonas"}
    refs = [c["case_ref"] for c in drawn["drawn"]]
    rows = "".join(f"{ref},{c['caseworker']},underretning-24-timer,{'ja' if i < 4 else 'nej'},,,\n" for i, (ref, c) in enumerate(zip(refs, drawn["drawn"])))
    rows += f"{refs[0]},{drawn['drawn'][0]['caseworker']},genvurdering,ikke relevant,Ingen åben sag,,\n"
    imported = write(tmp_path / "answers.csv", "case_ref,caseworker,criterion,answer,reason,note,fix_by\n" + rows)
    code, out, _ = cli("tilsyn", "import", "--round", "1", str(imported))
    assert code == 0 and out.strip() == "7 svar importeret til runde 1."
    code, out, _ = cli("tilsyn", "report", "--round", "1", "--json")
    report = {r["criterion"]: r for r in json.loads(out)["criteria"]}
    assert (report["underretning-24-timer"]["ja"], report["underretning-24-timer"]["nej"], report["underretning-24-timer"]["percent"]) == (4, 2, 67)
    assert (report["genvurdering"]["ikke_relevant"], report["genvurdering"]["percent"]) == (1, None)
    code, out, _ = cli("tilsyn", "report", "--round", "1", "--csv")
    assert "underretning-24-timer;Modtagelse;" in out and out.splitlines()[1].endswith(";4;2;0;67")
    code, out, _ = cli("tilsyn", "trend", "--team", "Modtageteam", "--json")
    [point] = [p for p in json.loads(out)["points"] if p["criterion"] == "underretning-24-timer"]
    assert (point["percent"], point["baseline"], point["target"]) == (67, 67, 95)


def test_a_case_list_with_a_cpr_number_is_refused_with_its_line(cli, tmp_path):
    cli("tilsyn", "round", "new", "--template", "underretninger", "--period", "2026-05", "--team", "Modtageteam")
    cases = write(tmp_path / "cases.csv", CASES + "jonas,120304-5678,\n")
    code, out, err = cli("tilsyn", "sample", "--round", "1", "--cases", str(cases), "--per-caseworker", "3")
    assert code == 1 and "Linje 12: ser ud til at indeholde et CPR-nummer" in err and "Intet er gemt." in err


def test_an_import_with_a_bad_row_is_refused_with_its_line_and_stores_nothing(cli, tmp_path):
    cli("tilsyn", "round", "new", "--template", "underretninger", "--period", "2026-05", "--team", "Modtageteam")
    bad = write(tmp_path / "a.csv", "case_ref,caseworker,criterion,answer,reason,note,fix_by\nP-1,mette,kvittering,ja,,,\nP-2,mette,kvittering,maaske,,,\n")
    code, _, err = cli("tilsyn", "import", "--round", "1", str(bad))
    assert code == 1 and "Linje 3: Ukendt svar 'maaske'" in err and "Intet fra filen er gemt." in err
    code, out, _ = cli("tilsyn", "report", "--round", "1", "--json")
    assert all(r["ja"] == r["nej"] == 0 for r in json.loads(out)["criteria"])


def test_validate_names_file_and_line(cli, tmp_path):
    broken = write(tmp_path / "tilsyn" / "x.yaml", "id: x\ntitle: X\nversion: \"1\"\nkind: generelt\nareas:\n  - area: A\n    criteria:\n      - id: c\n        question: Q?\n        legal_ref: L\n        guideline: boernesamtale#findes-ikke\n")
    code, out, err = cli("tilsyn", "validate", str(broken))
    assert code == 1 and "x.yaml:8: Afsnittet '#findes-ikke' findes ikke i 'boernesamtale'" in out
    code, out, _ = cli("tilsyn", "validate")
    assert code == 0 and out.strip() == "2 tilsynsskemaer: ingen fejl"
