"""The handbook that ships with the portal: complete, linked together, substantial."""

import re

import pytest

from handbook.content.library import load_library
from handbook.settings import paths_from_env

EXPECTED = {
    "sagsbehandling-a-til-z": "retningslinje",
    "underretninger": "retningslinje",
    "akut-beredskab": "arbejdsgang",
    "vold-og-overgreb-mod-boern": "retningslinje",
    "boernesamtale": "retningslinje",
    "boernefaglig-undersoegelse": "retningslinje",
    "barnets-plan": "retningslinje",
    "anbringelse": "retningslinje",
    "opfoelgning": "retningslinje",
    "forebyggende-indsatser": "retningslinje",
    "ungestoette": "retningslinje",
    "afslutning-af-sager": "retningslinje",
    "samarbejde-myndighed-familiehus": "arbejdsgang",
    "ics": "metode",
    "signs-of-safety": "metode",
    "trivselslinealen": "metode",
    "faglig-sparring": "arbejdsgang",
    "ledelsestilsyn": "arbejdsgang",
    "distriktssamarbejde-utm": "arbejdsgang",
    "aaben-anonym-raadgivning": "vejledning",
    "dubu-registrering": "vejledning",
    "introduktion-nye-medarbejdere": "vejledning",
    "faglig-ledelse": "politik",
}

LIBRARY = load_library(paths_from_env({}))


def test_bundled_handbook_loads_without_problems():
    assert [str(p) for p in LIBRARY.problems] == []


def test_every_expected_guideline_exists_with_its_type():
    assert {g.id: g.type for g in LIBRARY.guidelines.values()} == EXPECTED


@pytest.mark.parametrize("guideline_id", sorted(EXPECTED))
def test_guideline_is_complete_and_substantial(guideline_id):
    g = LIBRARY.get(guideline_id)
    words = len(re.findall(r"\w+", g.body))
    assert 400 <= words <= 1500, f"{guideline_id}: {words} ord"
    for name in ("approved_by", "summary", "change_note"):
        assert getattr(g, name), f"{guideline_id} mangler {name}"
    assert g.review_by and g.audience and g.keywords and g.related and g.legal_refs
    assert any(ref.startswith("Barnets lov") for ref in g.legal_refs) or g.type in ("politik", "vejledning", "arbejdsgang")
    assert len(re.findall(r"^## ", g.body, re.M)) >= 3


def test_case_flow_covers_every_step_from_underretning_to_afslutning():
    assert {s.number: [g.id for g in s.guidelines] for s in LIBRARY.case_flow()} == {
        1: ["underretninger"],
        2: ["boernefaglig-undersoegelse"],
        3: ["boernesamtale"],
        4: ["barnets-plan"],
        5: ["anbringelse"],
        6: ["opfoelgning"],
        7: ["ungestoette"],
        8: ["afslutning-af-sager"],
    }


def test_no_cpr_number_appears_in_the_handbook():
    cpr = re.compile(r"\b[0-3]\d[01]\d\d\d-?\d{4}\b")
    assert [g.id for g in LIBRARY.guidelines.values() if cpr.search(g.body)] == []
