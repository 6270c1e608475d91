"""The loaded content set: bad files are left out, the rest is served, grouped and filtered."""

from datetime import date

from handbook.content.library import danish_sort_key, load_library
from tests.conftest import guideline_text, write


def test_a_broken_file_is_left_out_and_the_rest_is_served(paths):
    write(paths.guidelines_dir / "underretninger" / "underretninger.md", guideline_text())
    broken = write(paths.guidelines_dir / "undersoegelse" / "bfu.md", guideline_text("boernefaglig-undersoegelse", "BFU", effective="effective: i morgen"))
    library = load_library(paths)
    assert list(library.guidelines) == ["underretninger"]
    assert broken in library.left_out
    assert "Ugyldig dato 'i morgen'" in library.left_out[broken][0].message


def test_broken_configuration_falls_back_to_defaults_and_is_reported(paths):
    write(paths.config_dir / "portal.yaml", "audiences: [rådgiver\n")
    write(paths.guidelines_dir / "a.md", guideline_text())
    library = load_library(paths)
    assert library.problems[0].path.name == "portal.yaml"
    assert "YAML-syntaksfejl" in library.problems[0].message
    assert "underretninger" in library.guidelines


def make_library(paths):
    write(paths.guidelines_dir / "u.md", guideline_text())
    write(paths.guidelines_dir / "b.md", guideline_text("boernesamtale", "Børnesamtalen", sagsskridt="sagsskridt: 3", audience="audience: [rådgiver]", tema="tema: Undersøgelse og børnesamtale"))
    write(paths.guidelines_dir / "i.md", guideline_text("ics", "ICS som fælles faglig metode", sagsskridt="", type="type: metode", audience="audience: [nyansat]", tema="tema: Metoder", effective="effective: 2099-01-01", review_by="review_by: 2100-01-01"))
    return load_library(paths)


def test_filter_by_role_and_type(paths):
    library = make_library(paths)
    assert [g.id for g in library.filtered(audience="modtageteam")] == ["underretninger"]
    assert [g.id for g in library.filtered(audience="rådgiver")] == ["boernesamtale", "underretninger"]
    assert [g.id for g in library.filtered(types=["metode"])] == ["ics"]
    assert len(library.filtered()) == 3


def test_grouping_by_tema_and_by_case_step(paths):
    library = make_library(paths)
    assert list(library.by_tema()) == ["Metoder", "Underretninger", "Undersøgelse og børnesamtale"]
    assert {step: [g.id for g in gs] for step, gs in library.by_case_step().items()} == {1: ["underretninger"], 3: ["boernesamtale"]}
    flow = library.case_flow()
    assert [(s.number, s.label) for s in flow][:3] == [(1, "Underretning"), (2, "Børnefaglig undersøgelse"), (3, "Børnesamtale")]
    assert flow[1].guidelines == []


def test_recently_changed_leaves_out_versions_not_yet_in_force(paths):
    library = make_library(paths)
    assert "ics" not in [g.id for g in library.recently_changed(date(2026, 1, 1))]


def test_danish_sorting_puts_aeoeaa_last():
    assert sorted(["Åben", "Børn", "Zebra", "Ørn", "Æble", "Afslutning"], key=danish_sort_key) == ["Afslutning", "Børn", "Zebra", "Æble", "Ørn", "Åben"]
