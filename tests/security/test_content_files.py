"""Content files: a CPR-like number or an oversized file keeps the file out of the portal and
out of the store, the search index and the history; validate names file and line."""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from handbook.checklists.schema import load_checklists
from handbook.privacy.cpr import contains_cpr
from handbook.publishing.revisions import load_current
from handbook.search.config import SearchConfig
from handbook.search.documents import documents_for
from tests.conftest import guideline_text, write

ROOT = Path(__file__).parents[2]
TODAY = date(2026, 11, 23)
CHECKLIST = """\
id: test
title: Test
version: "1.0"
guideline: underretninger
start: {label: Underretning modtaget}
steps:
  - id: a
    title: Første trin
    help: "Skriv aldrig {number} i noten."
"""


def run_validate(*args, cwd):
    return subprocess.run([sys.executable, "-m", "handbook", "validate", *args], cwd=cwd, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True)


def all_text(store) -> str:
    rows = store.db.execute("SELECT text, body, front_matter, change_note FROM revisions").fetchall()
    return "\n".join(str(value) for row in rows for value in row)


def test_validate_refuses_guideline_and_checklist_files_with_a_cpr_number_at_their_line(tmp_path):
    text = guideline_text("ny-a", "A", body="\n## Formål\n\nBarnet (CPR\u2011150588\u200b4321) høres.\n")
    write(tmp_path / "ny" / "a.md", text)
    line = next(i for i, ln in enumerate(text.splitlines(), start=1) if ln.startswith("Barnet"))
    write(tmp_path / "ny" / "checklists" / "b.yaml", CHECKLIST.replace("{number}", "15 05 88 – 4321"))
    result = run_validate("ny", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert f"ny/a.md:{line}: Linjen ser ud til at indeholde et CPR-nummer. Fjern det: CPR-numre må ikke stå i Håndbogen, og filen bruges ikke, før det er væk." in lines
    assert any(line.startswith("ny/checklists/b.yaml:9: Linjen ser ud til at indeholde et CPR-nummer") for line in lines)
    assert "4321" not in result.stdout  # the number itself is not repeated


def test_a_cpr_number_in_a_file_never_becomes_a_revision_an_index_entry_or_history(paths, store):
    guideline = paths.guidelines_dir / "u.md"
    write(guideline, guideline_text())
    first = load_current(store, paths, TODAY)
    assert "underretninger" in first.library.guidelines
    write(guideline, guideline_text(version='version: "2.1"', body="\n## Formål\n\nMor til 150588-4321 ringede.\n"))
    write(paths.checklists_dir / "c.yaml", CHECKLIST.replace("{number}", "1505884321"))
    loaded = load_current(store, paths, TODAY)
    # the last good version stays in force, the new text is nowhere
    assert loaded.library.get("underretninger").version == "2.0"
    assert [r.version for r in loaded.revisions["underretninger"]] == ["2.0"]
    assert not contains_cpr(all_text(store))
    assert any("CPR-nummer" in p.message and p.path == guideline for p in loaded.library.problems)
    checklists = load_checklists(paths.checklists_dir, loaded.library.config)
    assert checklists.all() == [] and "CPR-nummer" in checklists.problems[0].message
    documents = documents_for(loaded.library.all(), SearchConfig(), checklists.all())
    assert not any(contains_cpr(str(vars(d))) for d in documents)
    guideline.unlink()
    assert not contains_cpr(all_text(store))


def test_an_oversized_file_is_left_out_with_a_message_and_the_limit_is_configurable(paths, store, tmp_path):
    big = guideline_text("stor", "Stor", body="\n## Formål\n\n" + ("Lang tekst om underretninger. " * 40_000) + "\n")
    write(paths.guidelines_dir / "stor.md", big)
    write(paths.guidelines_dir / "u.md", guideline_text())
    loaded = load_current(store, paths, TODAY)
    assert "stor" not in loaded.library.guidelines and "underretninger" in loaded.library.guidelines
    problem = next(p for p in loaded.library.problems if p.path.name == "stor.md")
    assert (problem.line, problem.message.split(";")[0]) == (1, "Filen fylder 1,2 MB")
    assert "max_file_bytes" in problem.message
    assert store.revisions("stor") == []
    result = run_validate(str(paths.guidelines_dir / "stor.md"), cwd=tmp_path)
    assert result.returncode == 1 and "stor.md:1: Filen fylder 1,2 MB; højst 1,0 MB er tilladt" in result.stdout
    config = paths.config_dir / "portal.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("max_file_bytes: 1000000", "max_file_bytes: 2000000"), encoding="utf-8")
    assert "stor" in load_current(store, paths, TODAY).library.guidelines


def test_a_bad_limit_in_the_configuration_is_reported_at_its_line(paths):
    from handbook.content.library import load_config

    config = paths.config_dir / "portal.yaml"
    text = config.read_text(encoding="utf-8").replace("max_file_bytes: 1000000", "max_file_bytes: en megabyte")
    config.write_text(text, encoding="utf-8")
    _, problems = load_config(paths)
    line = next(i for i, ln in enumerate(text.splitlines(), start=1) if ln.startswith("max_file_bytes"))
    assert [(p.line, p.message.split(" skal")[0]) for p in problems] == [(line, "'max_file_bytes'")]


def test_a_file_named_with_a_cpr_number_is_left_out_without_repeating_the_name(paths, store):
    write(paths.guidelines_dir / "u.md", guideline_text())
    write(paths.guidelines_dir / "150588-4321.md", guideline_text("andet-id", "Andet"))
    loaded = load_current(store, paths, TODAY)
    assert list(loaded.library.guidelines) == ["underretninger"]
    assert not any(contains_cpr(str(p)) for p in loaded.library.problems)
    assert any("Filnavnet ser ud til at indeholde et CPR-nummer" in p.message for p in loaded.library.problems)
    assert not contains_cpr(" ".join(row["path"] for row in store.revisions()))


def test_configuration_files_shown_to_readers_are_guarded_too(paths):
    from handbook.search.config import load_search_config
    from handbook.trivsel.scale import load_scale_from

    for name in ("synonyms.yaml", "trivselslinealen.yaml"):
        path = paths.config_dir / name
        path.write_text(path.read_text(encoding="utf-8") + "\n# Barnet 150588-4321\n", encoding="utf-8")
    _, search_problems = load_search_config(paths.config_dir)
    scale, scale_problems = load_scale_from(paths.config_dir)
    assert scale is None
    assert {p.path.name for p in search_problems + scale_problems if "CPR-nummer" in p.message} == {"synonyms.yaml", "trivselslinealen.yaml"}
