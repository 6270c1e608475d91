"""python -m handbook validate: problems as path:line: message, exit code 1 on any problem."""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import guideline_text, write

ROOT = Path(__file__).parents[2]


def run_cli(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "handbook", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        capture_output=True,
        text=True,
    )


def test_bundled_content_validates_with_a_one_line_summary():
    result = run_cli("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    *warnings, summary = result.stdout.strip().splitlines()
    assert summary == "23 retningslinjer, 9 tjeklister og 2 tilsynsskemaer: ingen fejl"
    # the bundled after-hours numbers are placeholders: a warning for each until they are filled in
    assert warnings == [
        f"Advarsel: Telefonnummeret til »{name}« er ikke udfyldt (after_hours i config/portal.yaml)."
        for name in ("Den sociale vagt (socialvagten)", "Vagthavende leder i Børn og Unge", "Børnehuset (regionalt)")
    ]


def test_yaml_error_on_line_5_is_printed_as_file_colon_5_and_exits_1(tmp_path):
    write(tmp_path / "that" / "file.md", guideline_text(tema="tema: [Underretninger"))
    result = run_cli("validate", "that/file.md", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith("that/file.md:5: YAML-syntaksfejl")


def test_every_problem_in_a_folder_is_printed(tmp_path):
    write(tmp_path / "ny" / "a.md", guideline_text("ny-a", "A", type="type: notat"))
    write(tmp_path / "ny" / "b.md", guideline_text("ny-b", "B", effective="effective: 2026-02-30"))
    write(tmp_path / "ny" / "c.md", guideline_text("ny-c", "C", related="related: [boernesamtale, ukendt-id]"))
    result = run_cli("validate", "ny", cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert result.returncode == 1
    assert lines[0].startswith("ny/a.md:4: Ukendt type 'notat'")
    assert lines[1].startswith("ny/b.md:10: Ugyldig dato '2026-02-30'")
    assert lines[2] == "ny/c.md:16: 'related' henviser til 'ukendt-id', som ikke findes."
    assert len(lines) == 3
    assert "1 retningslinje gyldige, 3 fejl fundet" in result.stderr


def test_a_valid_new_file_may_link_to_the_bundled_handbook(tmp_path):
    write(tmp_path / "ny.md", guideline_text("ny-retningslinje", "Ny", related="related: [boernesamtale, barnets-plan]"))
    result = run_cli("validate", "ny.md", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip() == "1 retningslinje: ingen fejl"


def test_missing_path_is_reported(tmp_path):
    result = run_cli("validate", "findes/ikke.md", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("findes/ikke.md:1: Filen findes ikke.")


def test_content_dir_can_be_moved_with_an_environment_variable(tmp_path, content_root):
    write(content_root / "guidelines" / "x.md", guideline_text(audience="audience: [alle]"))
    result = run_cli("validate", env={"HANDBOOK_CONTENT_DIR": str(content_root)})
    assert result.returncode == 1
    assert "Ukendt målgruppe 'alle'" in result.stdout


def test_search_prints_json_best_first_with_id_kind_title_score(tmp_path):
    result = run_cli("search", "BFU frist", "--json", "--limit", "3", env={"HANDBOOK_INDEX_DIR": str(tmp_path / "idx")})
    assert result.returncode == 0, result.stderr
    items = __import__("json").loads(result.stdout)
    assert len(items) == 3
    assert items[0]["id"] == "boernefaglig-undersoegelse" and items[0]["kind"] == "guideline"
    assert items[0]["title"] == "Den børnefaglige undersøgelse"
    assert items[0]["score"] >= items[1]["score"] >= items[2]["score"]


def test_index_builds_then_reports_nothing_to_do(tmp_path):
    env = {"HANDBOOK_INDEX_DIR": str(tmp_path / "idx")}
    first = run_cli("index", env=env)
    # 23 guidelines and 9 checklists
    assert first.returncode == 0 and "bygget forfra (indekset mangler): 32 dokumenter" in first.stdout
    assert "ajour (32 dokumenter)" in run_cli("index", env=env).stdout
    assert "bygget forfra: 32 dokumenter" in run_cli("index", "--rebuild", env=env).stdout


def test_broken_synonym_file_fails_validation_with_its_line(content_root):
    write(content_root / "guidelines" / "x.md", guideline_text())
    write(content_root / "config" / "synonyms.yaml", "groups:\n  - [BFU, børnefaglig undersøgelse]\n  - [UTM]\n")
    result = run_cli("validate", env={"HANDBOOK_CONTENT_DIR": str(content_root)})
    assert result.returncode == 1
    assert result.stdout.strip().endswith("synonyms.yaml:3: Synonymgruppen [UTM] har kun ét udtryk; en gruppe skal have mindst to.")


def test_history_show_and_diff_follow_a_file_edited_in_git(tmp_path, content_root):
    env = {"HANDBOOK_CONTENT_DIR": str(content_root), "HANDBOOK_DATA_DIR": str(tmp_path / "data")}
    file = write(content_root / "guidelines" / "u.md", guideline_text(body="\nGammel regel.\n"))
    assert run_cli("history", "underretninger", "--json", env=env).returncode == 0
    write(file, guideline_text(version='version: "2.1"', effective="effective: 2026-03-01", change_note="change_note: Ny regel.", body="\nNy regel.\n"))

    history = run_cli("history", "underretninger", "--json", env=env)
    revisions = json.loads(history.stdout)
    assert [(r["version"], r["effective"], r["author"], r["change_note"]) for r in revisions] == [
        ("2.0", "2025-01-01", "fil i git", "Første version."),
        ("2.1", "2026-03-01", "fil i git", "Ny regel."),
    ]
    assert all(r["published_at"] for r in revisions)

    assert run_cli("show", "underretninger", "--as-of", "2026-02-28", env=env).stdout.strip() == "Gammel regel."
    assert run_cli("show", "underretninger", "--as-of", "2026-03-01", env=env).stdout.strip() == "Ny regel."
    before = run_cli("show", "underretninger", "--as-of", "2024-12-31", env=env)
    assert before.returncode == 1 and "Ingen version af 'underretninger' var gældende den 31. december 2024" in before.stderr

    diff = run_cli("diff", "underretninger", "2.0", "2.1", env=env)
    assert diff.stdout.startswith("--- underretninger version 2.0\n+++ underretninger version 2.1\n")
    assert "-Gammel regel.\n+Ny regel.\n" in diff.stdout
    missing = run_cli("diff", "underretninger", "2.0", "9.9", env=env)
    assert missing.returncode == 1 and "Kendte versioner: 2.0, 2.1" in missing.stderr


def test_user_add_reads_the_password_from_stdin_never_from_the_command_line(tmp_path):
    env = {"HANDBOOK_DATA_DIR": str(tmp_path / "data")}
    added = subprocess.run(
        [sys.executable, "-m", "handbook", "user", "add", "rikke", "--role", "redaktør"],
        input="en-lang-adgangskode\n", cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **env}, capture_output=True, text=True,
    )
    assert added.returncode == 0, added.stderr
    assert "oprettet med rollen Redaktør" in added.stdout
    assert "rikke" in run_cli("user", "list", env=env).stdout
    again = subprocess.run(
        [sys.executable, "-m", "handbook", "user", "add", "rikke", "--role", "admin"],
        input="en-lang-adgangskode\n", cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **env}, capture_output=True, text=True,
    )
    assert again.returncode == 1 and "findes allerede" in again.stderr
    assert run_cli("user", "add", "x", "--role", "redaktør", "--password", "hemmelig", env=env).returncode == 2
    assert run_cli("user", "role", "rikke", "admin", env=env).stdout.strip() == "'rikke' har nu rollen Administrator."


def test_checklist_due_prints_the_applicable_steps_with_iso_deadlines():
    result = run_cli("checklist", "due", "underretning", "--start", "2026-04-01T15:40", "--answers", "akut=false", "--json")
    assert result.returncode == 0, result.stderr
    steps = json.loads(result.stdout)
    ids = [s["id"] for s in steps]
    assert "akut-handling" not in ids and {"vurdering", "kvittering"} <= set(ids)
    due = {s["id"]: s["due"] for s in steps}
    assert due["vurdering"] == "2026-04-02T15:40:00+02:00"  # 24 timer
    assert due["kvittering"] == "2026-04-14T15:40:00+02:00"  # 6 hverdage over Easter
    assert all(set(s) >= {"id", "title", "due"} for s in steps)
    acute = json.loads(run_cli("checklist", "due", "underretning", "--start", "2026-04-01T15:40", "--answers", "akut=true", "--json").stdout)
    assert "akut-handling" in [s["id"] for s in acute]
    wrong = run_cli("checklist", "due", "underretning", "--start", "2026-04-01T15:40", "--answers", "akut=måske")
    assert wrong.returncode == 1 and "'akut' besvares med true/false" in wrong.stderr


def test_checklist_due_takes_date_answers_and_flags_weekends():
    args = ("checklist", "due", "barnets-plan", "--start", "2027-02-01T09:00", "--json", "--answers")
    without = json.loads(run_cli(*args, "anbringelse=true,samtykke=false,afgoerelse=2027-02-13").stdout)
    plan = next(s for s in without if s["id"] == "plan-klar")
    assert plan == {**plan, "due": "2027-02-13T23:59:00+01:00", "all_day": True, "flag": "weekend (lørdag)"}
    consent = json.loads(run_cli(*args, "anbringelse=true,samtykke=true,afgoerelse=2027-02-13").stdout)
    assert next(s for s in consent if s["id"] == "plan-klar")["due"] == "2027-05-13T23:59:00+02:00"
    unknown = json.loads(run_cli(*args, "anbringelse=true").stdout)
    assert next(s for s in unknown if s["id"] == "plan-klar")["due"] is None
    wrong = run_cli(*args, "afgoerelse=13/02/2027")
    assert wrong.returncode == 1 and "skriv datoen som ÅÅÅÅ-MM-DD" in wrong.stderr


def test_search_opens_an_unchanged_index_directly_and_sees_an_edited_guideline(tmp_path, content_root):
    env = {"HANDBOOK_CONTENT_DIR": str(content_root), "HANDBOOK_INDEX_DIR": str(tmp_path / "idx")}
    page = content_root / "guidelines" / "x.md"
    write(page, guideline_text(body="\n## Afsnit\n\nOm kvittering til underretteren.\n"))
    assert [h["id"] for h in json.loads(run_cli("search", "kvittering", "--json", env=env).stdout)] == ["underretninger"]
    assert (tmp_path / "idx" / "handbook-sources.json").exists()
    # unchanged: the index answers without the content being read again
    assert [h["id"] for h in json.loads(run_cli("search", "kvittering", "--json", env=env).stdout)] == ["underretninger"]
    write(page, guideline_text(body="\n## Afsnit\n\nOm genvurdering af en sag.\n"))
    os.utime(page, ns=(page.stat().st_mtime_ns + 10**9,) * 2)
    assert json.loads(run_cli("search", "kvittering", "--json", env=env).stdout) == []
    assert [h["id"] for h in json.loads(run_cli("search", "genvurdering", "--json", env=env).stdout)] == ["underretninger"]


def test_search_lovkort_lists_the_law_map_rows_no_guideline_cites(tmp_path):
    result = run_cli("search", "lovkort", env={"HANDBOOK_INDEX_DIR": str(tmp_path / "idx")})
    assert result.returncode == 0, result.stderr
    assert "§ 140: advokatbistand og aktindsigt -> søgningen svarer med" in result.stdout
    assert "§ 133:" not in result.stdout  # the Underretninger guideline cites it


def test_search_review_lists_unopened_searches_and_adds_a_synonym_in_one_step(tmp_path, content_root):
    from handbook.store.database import Store

    env = {"HANDBOOK_CONTENT_DIR": str(content_root), "HANDBOOK_INDEX_DIR": str(tmp_path / "idx"), "HANDBOOK_DATA_DIR": str(tmp_path / "data")}
    write(content_root / "guidelines" / "x.md", guideline_text(title="Om handleplanen", body="\n## Afsnit\n\nOm handleplanen og kvittering.\n"))
    Store(tmp_path / "data" / "handbook.db").record_search_miss("handlingsplan")
    listed = run_cli("search", "review", env=env)
    assert "»handlingsplan« (uden svar, 1 gange)" in listed.stdout and "handleplan" in listed.stdout
    added = run_cli("search", "review", "--add", "handlingsplan=handleplan", env=env)
    assert added.returncode == 0 and "handlingsplan" in (content_root / "config" / "synonyms.yaml").read_text(encoding="utf-8")
    assert [h["id"] for h in json.loads(run_cli("search", "handlingsplan", "--json", env=env).stdout)] == ["underretninger"]


def _all_parsers(parser):
    yield parser
    for action in parser._actions:
        for sub in getattr(action, "choices", None).values() if isinstance(getattr(action, "choices", None), dict) else ():
            yield from _all_parsers(sub)


def test_the_help_of_every_command_and_argparses_own_errors_are_danish():
    from handbook.cli.main import build_parser

    parsers = list(_all_parsers(build_parser()))
    assert len(parsers) > 15
    for parser in parsers:
        text = parser.format_help()
        assert text.startswith("brug: ") and "vis denne hjælp og afslut" in text, parser.prog
        for english in ("usage:", "options:", "positional arguments", "show this help message"):
            assert english not in text, (parser.prog, english)
    missing = run_cli("user", "add")
    assert missing.returncode == 2 and "fejl: disse argumenter mangler: name, --role" in missing.stderr and "usage" not in missing.stderr
    wrong = run_cli("search", "underretning", "--limit", "mange")
    assert "python -m handbook search: fejl: argument --limit: ugyldig værdi (int): 'mange'" in wrong.stderr
