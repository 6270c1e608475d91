"""Search that understands Danish as caseworkers type it: compound words, paragraphs nobody
cites, questions, section-level hits, corrected synonyms (issue #14)."""

import json
import re

import pytest

from handbook.content.library import load_library
from handbook.content.render import render_body
from handbook.search.config import load_search_config
from handbook.search.decompound import Decompounder, danish_words
from handbook.search.documents import documents_for
from handbook.search.index import SearchIndex
from handbook.search.query import parse_query
from handbook.settings import paths_from_env
from tests.conftest import guideline_text, write
from tests.unit.test_cli import run_cli

PATHS = paths_from_env({})
LIBRARY = load_library(PATHS)
CONFIG, _ = load_search_config(PATHS.config_dir)
HANDBOOK_TEXT = " ".join(f"{g.title} {g.summary} {' '.join(g.keywords)} {g.body}" for g in LIBRARY.all()).casefold()


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    idx = SearchIndex(tmp_path_factory.mktemp("idx") / "search_index", CONFIG)
    idx.sync(documents_for(LIBRARY.all(), CONFIG))
    return idx


def ids(results, n=3):
    return [hit.id for hit in results.hits[:n]]


# -- compound words ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("underretningsfrist", "underretninger"),
        ("opfølgningsfrist", "opfoelgning"),
        ("efterværnsafgørelse", "ungestoette"),
        ("hjemgivelsesforløb", "afslutning-af-sager"),
        ("familiehusindsats", "samarbejde-myndighed-familiehus"),
        ("undersøgelsesfristen", "boernefaglig-undersoegelse"),
        ("sparringsmødet", "faglig-sparring"),
    ],
)
def test_a_compound_the_handbook_never_uses_finds_the_guideline_about_its_parts(index, query, expected):
    assert query not in HANDBOOK_TEXT, "the test needs a compound that appears nowhere in the handbook"
    assert expected in ids(index.search(query))


def test_the_splitter_knows_linking_letters_inflection_and_function_words():
    splitter = Decompounder(["sag", "behandling", "frist", "børn", "samtale", "under", "søgelse", "plan"])
    assert splitter.split("sagsbehandlingsfrist") in (("sag", "behandling", "frist"),)
    assert splitter.split("sagsbehandling") == ("sag", "behandling")        # linking -s-
    assert splitter.split("børnesamtalerne") == ("børn", "samtale")         # linking -e-, inflected
    assert splitter.split("undersøgelse") == ()                              # "under" is no part
    assert splitter.split("planlægning") == ()                               # "lægning" is unknown


def test_the_danish_word_list_is_installed_and_splits_the_handbooks_compounds():
    words = danish_words()
    assert len(words) > 100_000, "hunspell-da is missing (make installs it)"
    splitter = Decompounder(words)
    assert splitter.split("underretningspligt") == ("underretning", "pligt")
    assert splitter.split("tilsynsbesøget") == ("tilsyn", "besøg")


def _pair(paths, first_body, second_body):
    write(paths.guidelines_dir / "a.md", guideline_text("a", "Om det ene", body=f"\n## Afsnit\n\n{first_body}\n"))
    write(paths.guidelines_dir / "b.md", guideline_text("b", "Om det andet", body=f"\n## Afsnit\n\n{second_body}\n"))
    return documents_for(load_library(paths).all(), CONFIG)


def test_a_part_finds_a_compound_but_the_whole_word_ranks_first(tmp_path, paths):
    idx = SearchIndex(tmp_path / "i", CONFIG)
    idx.sync(_pair(paths, "Rådgiveren har tavshedspligt over for familien.", "Der gælder en pligt til at handle straks."))
    assert [h.id for h in idx.search("pligt").hits] == ["b", "a"]


def test_a_query_compound_ranks_the_document_using_it_above_one_with_only_its_parts(tmp_path, paths):
    idx = SearchIndex(tmp_path / "i", CONFIG)
    idx.sync(_pair(paths, "Lederen holder øje med hver tilsynsfrist i sagerne.", "Ved tilsyn gælder en frist på to uger."))
    assert [h.id for h in idx.search("tilsynsfrist").hits] == ["a", "b"]


def test_a_typo_one_letter_off_is_corrected_rather_than_split(index):
    results = index.search("underetning")
    assert ids(results, 1) == ["underretninger"]
    assert results.suggestion == "underretning"


# -- the law map ---------------------------------------------------------------------------


def _cited(number: str) -> bool:
    return any(re.search(rf"§§?\s*{number}\b", " ".join(g.legal_refs)) for g in LIBRARY.all())


def test_a_paragraph_no_guideline_cites_is_answered_through_its_subject(index):
    assert not _cited("134")  # § 133 was the example until the Underretninger guideline cited it (issue 28)
    results = index.search("barnets lov § 134")
    assert "distriktssamarbejde-utm" in ids(results)  # its section "Underretningspligten gælder stadig"
    assert results.paragraph_note == "§ 134 handler om underretningspligt – retningslinjer om emnet:"


def test_an_old_serviceloven_number_is_answered_through_the_new_rule(index):
    results = index.search("servicelovens § 48 a")
    assert ids(results, 1) == ["boernesamtale"]
    assert results.paragraph_note.startswith("Servicelovens § 48 a (nu barnets lov § 6) handler om bisidder")


def test_a_cited_paragraph_needs_no_note(index):
    results = index.search("barnets lov § 136")
    assert ids(results, 1) == ["underretninger"]
    assert results.paragraph_note is None


def test_the_law_map_covers_the_chapters_the_handbook_deals_with():
    chapters = [*range(5, 7), *range(18, 24), *range(28, 33), 46, 47, *range(91, 101), *range(108, 117), 120, *range(133, 142), *range(144, 151), 156]
    assert [n for n in chapters if str(n) not in CONFIG.subjects] == []
    assert CONFIG.old_to_new["68"] == ("100", "111")      # hjemgivelse; stk. 11: ungestøtte
    assert CONFIG.old_to_new["48a"] == ("6",)             # bisidder
    assert CONFIG.old_to_new["153"] == ("133",)           # skærpet underretningspligt
    assert {"154", "155b", "76a"}.isdisjoint(CONFIG.old_to_new), "not confirmed in the law text"


def test_a_law_map_row_without_a_subject_is_reported_at_its_line(tmp_path):
    (tmp_path / "paragraphs.yaml").write_text('paragraphs:\n  - {barnets_lov: "20", emne: undersøgelse}\n  - {barnets_lov: "21"}\n', encoding="utf-8")
    config, problems = load_search_config(tmp_path)
    assert [(p.line, p.message) for p in problems] == [(3, "Barnets lov § 21 mangler 'emne': skriv kort, hvad paragraffen handler om, fx underretningspligt.")]
    assert config.subjects == {"20": "undersøgelse"}


# -- questions and headings ----------------------------------------------------------------


def test_question_words_are_dropped_for_matching():
    parsed = parse_query("hvornår skal jeg lave en børnesamtale", CONFIG)
    assert parsed.content_words == ("børnesamtale",)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("hvornår skal barnets plan være klar", "barnets-plan"),
        ("hvordan vurderer jeg en underretning", "underretninger"),
        ("skal jeg tale med barnet før afgørelsen", "boernesamtale"),
        ("hvem kan få ungestøtte", "ungestoette"),
    ],
)
def test_questions_put_the_right_guideline_first(index, query, expected):
    assert ids(index.search(query), 1) == [expected]


def test_a_heading_match_weighs_more_than_the_same_word_in_the_body(tmp_path, paths):
    write(paths.guidelines_dir / "a.md", guideline_text("a", "Om det ene", body="\n## Andet\n\nHer nævnes netværksmøder, netværksmøder og netværksmøder.\n"))
    write(paths.guidelines_dir / "b.md", guideline_text("b", "Om det andet", body="\n## Netværksmøder\n\nHer står noget andet.\n"))
    idx = SearchIndex(tmp_path / "i", CONFIG)
    idx.sync(documents_for(load_library(paths).all(), CONFIG))
    assert [h.id for h in idx.search("netværksmøde").hits] == ["b", "a"]


# -- section-level hits ----------------------------------------------------------------------


def test_a_hit_points_at_the_best_matching_section_with_the_rendered_anchor(index):
    hit = index.search("ny underretning i en åben sag").hits[0]
    assert hit.id == "underretninger"
    headings = {h.anchor: h.text for h in render_body(LIBRARY.get("underretninger").body).headings}
    assert hit.anchor in headings and headings[hit.anchor] == hit.section
    assert hit.section == "Ny underretning i en åben sag"


def test_the_cli_json_has_section_and_anchor(tmp_path):
    result = run_cli("search", "kvittering til underretteren", "--json", "--limit", "3", env={"HANDBOOK_INDEX_DIR": str(tmp_path / "idx")})
    hit = next(h for h in json.loads(result.stdout) if h["kind"] == "guideline")
    assert hit["id"] == "underretninger"
    anchors = {h.anchor for h in render_body(LIBRARY.get("underretninger").body).headings}
    assert hit["anchor"] in anchors and hit["section"]


# -- synonyms ----------------------------------------------------------------------------------


def test_the_legal_review_corrections_are_in_the_synonym_groups():
    group_of = {term: group for group in CONFIG.synonym_groups for term in group}
    assert "indberetning" not in group_of
    assert "anmelder" not in group_of and "supervision" not in group_of
    assert "forældreevneundersøgelse" not in group_of.get("forældrekompetence", ())


def test_every_synonym_group_has_a_comment_saying_why():
    lines = (PATHS.config_dir / "synonyms.yaml").read_text(encoding="utf-8").splitlines()
    groups = [n for n, line in enumerate(lines) if line.lstrip().startswith("- [")]
    assert groups and all(lines[n - 1].lstrip().startswith("#") for n in groups)
