"""Parsing and validating guideline files: every error class is reported at its file:line."""

import shutil
from pathlib import Path

from handbook.content.guideline import parse_guideline_text
from handbook.content.library import build_library
from handbook.settings import PROJECT_ROOT, load_portal_config
from tests.conftest import guideline_text, write

CONFIG = load_portal_config(PROJECT_ROOT / "config" / "portal.yaml")
PATH = Path("guidelines/underretninger/underretninger.md")


def problems_of(text: str) -> list[str]:
    return [str(p) for p in parse_guideline_text(text, PATH, CONFIG).problems]


def line_of(text: str, start: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if line.startswith(start))


def test_valid_file_becomes_a_guideline_with_typed_fields():
    result = parse_guideline_text(guideline_text(), PATH, CONFIG)
    assert result.problems == []
    g = result.guideline
    assert g.id == "underretninger"
    assert g.version == "2.0"
    assert g.effective.isoformat() == "2025-01-01"
    assert g.audience == ("modtageteam", "rådgiver")
    assert g.sagsskridt == 1
    assert "## Formål" in g.body


def test_yaml_syntax_error_is_reported_at_its_line_in_the_file():
    text = guideline_text(tema="tema: Underretninger: akut [")
    assert line_of(text, "tema:") == 5
    problems = problems_of(text)
    assert len(problems) == 1
    assert problems[0].startswith(f"{PATH}:5: YAML-syntaksfejl")


def test_missing_required_field_is_named():
    text = guideline_text(owner="ejer_mangler: true").replace("ejer_mangler: true\n", "")
    assert any("Det obligatoriske felt 'owner' mangler" in p for p in problems_of(text))


def test_mistyped_list_field_is_reported_at_its_line():
    text = guideline_text(audience="audience: rådgiver")
    assert f"{PATH}:{line_of(text, 'audience:')}: Feltet 'audience' skal være en liste" in "\n".join(problems_of(text))


def test_unknown_type_lists_the_valid_types():
    text = guideline_text(type="type: retningslinie")
    problem = next(p for p in problems_of(text) if "Ukendt type" in p)
    assert problem.startswith(f"{PATH}:{line_of(text, 'type:')}:")
    assert "retningslinje, arbejdsgang, metode, vejledning, politik" in problem


def test_impossible_date_is_reported_not_crashed_on():
    text = guideline_text(effective="effective: 2026-13-01")
    assert problems_of(text) == [f"{PATH}:{line_of(text, 'effective:')}: Ugyldig dato '2026-13-01' i feltet 'effective'. Skriv datoen som ÅÅÅÅ-MM-DD, fx 2026-01-31."]


def test_danish_written_date_is_malformed():
    text = guideline_text(review_by="review_by: 1. januar 2027")
    assert any("Ugyldig dato '1. januar 2027' i feltet 'review_by'" in p for p in problems_of(text))


def test_unquoted_version_number_is_refused_because_it_loses_digits():
    text = guideline_text(version="version: 2.10")
    assert any("'version' skal stå i anførselstegn" in p for p in problems_of(text))


def test_unknown_field_suggests_the_intended_one():
    text = guideline_text(keywords="keyword: [akut]")
    assert any("Ukendt felt 'keyword'. Mente du 'keywords'?" in p for p in problems_of(text))


def test_field_written_twice_is_reported_at_the_second_line():
    text = guideline_text(summary="summary: Første\nsummary: Anden")
    assert any(p.startswith(f"{PATH}:{line_of(text, 'summary:') + 1}: Feltet 'summary' står to gange") for p in problems_of(text))


def test_unknown_audience_is_reported_at_its_list_item():
    text = guideline_text(audience="audience:\n  - rådgiver\n  - pædagog")
    line = next(i for i, ln in enumerate(text.splitlines(), start=1) if "pædagog" in ln)
    assert any(p.startswith(f"{PATH}:{line}: Ukendt målgruppe 'pædagog'") for p in problems_of(text))


def test_file_without_front_matter_is_explained():
    assert problems_of("## Formål\n\nTekst") == [f"{PATH}:1: Filen skal begynde med en linje med '---' efterfulgt af felterne (front matter)."]


def test_unclosed_front_matter_is_explained():
    assert "Front matter afsluttes ikke" in problems_of("---\nid: x\ntitle: y\n")[0]


def test_invalid_id_is_explained():
    text = guideline_text(guideline_id="Børnesamtale")
    assert any("Ugyldigt id 'Børnesamtale'" in p for p in problems_of(text))


def parsed(text: str, path: str):
    return parse_guideline_text(text, Path(path), CONFIG)


def test_duplicate_id_leaves_out_the_second_file_and_names_the_first():
    first = parsed(guideline_text(), "a/underretninger.md")
    second = parsed(guideline_text(title="Kopi"), "b/kopi.md")
    library = build_library([first, second], CONFIG)
    assert library.get("underretninger").title == "Modtagelse af underretninger"
    assert [str(p) for p in library.problems] == ["b/kopi.md:2: Id'et 'underretninger' bruges allerede i a/underretninger.md; hvert id skal være unikt."]
    assert Path("b/kopi.md") in library.left_out


def test_related_link_to_unknown_id_is_reported_at_the_item_line():
    text = guideline_text(related="related:\n  - boernesamtale\n  - findes-ikke")
    library = build_library([parsed(text, "a.md"), parsed(guideline_text("boernesamtale", "Børnesamtalen"), "b.md")], CONFIG)
    line = next(i for i, ln in enumerate(text.splitlines(), start=1) if "findes-ikke" in ln)
    assert [str(p) for p in library.problems] == [f"a.md:{line}: 'related' henviser til 'findes-ikke', som ikke findes."]
    assert [g.id for g in library.related(library.get("underretninger"))] == ["boernesamtale"]


def test_body_link_to_unknown_id_is_reported_at_its_line():
    text = guideline_text(body="\n## Se også\n\nLæs [Børnesamtalen](boernesamtal).\n")
    library = build_library([parsed(text, "a.md")], CONFIG)
    line = next(i for i, ln in enumerate(text.splitlines(), start=1) if "boernesamtal)" in ln)
    assert [str(p) for p in library.problems] == [f"a.md:{line}: Linket til 'boernesamtal' peger ikke på nogen retningslinje."]


def test_related_ids_from_elsewhere_count_as_known():
    text = guideline_text(related="related: [boernesamtale]")
    library = build_library([parsed(text, "a.md")], CONFIG, known_ids={"boernesamtale"})
    assert library.problems == []


def test_file_that_is_not_utf8_is_reported(tmp_path):
    from handbook.content.guideline import parse_guideline_file

    path = tmp_path / "latin1.md"
    path.write_bytes(guideline_text().encode("utf-8") + "\nSøg hjælp\n".encode("latin-1"))
    result = parse_guideline_file(path, CONFIG)
    assert result.guideline is None
    assert "UTF-8" in result.problems[0].message
    assert result.problems[0].line == guideline_text().count("\n") + 2


def test_validate_names_a_link_to_a_checklist_that_does_not_exist_at_its_line(paths, content_root):
    from handbook.validate import validate_bundled

    shutil.copy(PROJECT_ROOT / "checklists" / "underretning.yaml", content_root / "checklists")
    body = "\n## Se også\n\n- [Tjekliste: Modtagelse](/tjekliste?id=underretning)\n- [Tjekliste: Anbringelse](/tjekliste?id=anbringelsen)\n"
    guideline = write(content_root / "guidelines" / "underretninger.md", guideline_text(body=body))
    report = validate_bundled(paths)
    line = next(n for n, ln in enumerate(guideline.read_text(encoding="utf-8").splitlines(), start=1) if "anbringelsen" in ln)
    assert [str(p) for p in report.problems if p.message.startswith("Linket til tjeklisten")] == [f"{guideline}:{line}: Linket til tjeklisten 'anbringelsen' peger ikke på nogen tjekliste."]
