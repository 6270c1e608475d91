"""Search as a caseworker uses it: word forms, abbreviations, paragraphs, typos, filters, healing."""

import os
import shutil

import pytest

from handbook.content.library import load_library
from handbook.search.config import load_search_config
from handbook.search.documents import documents_for, guideline_document
from handbook.search.index import SearchIndex
from handbook.search.paragraphs import find_paragraph_refs
from handbook.search.query import parse_query
from handbook.settings import paths_from_env
from tests.conftest import guideline_text, write

PATHS = paths_from_env({})
LIBRARY = load_library(PATHS)
CONFIG, CONFIG_PROBLEMS = load_search_config(PATHS.config_dir)


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    idx = SearchIndex(tmp_path_factory.mktemp("idx") / "search_index", CONFIG)
    idx.sync(documents_for(LIBRARY.all(), CONFIG))
    return idx


def top(index, query, n=3, **filters):
    return [hit.id for hit in index.search(query, **filters).hits[:n]]


def test_bundled_search_configuration_is_valid():
    assert CONFIG_PROBLEMS == []
    assert ("bfu", "børnefaglig undersøgelse", "børnefaglige undersøgelse") in CONFIG.synonym_groups
    assert CONFIG.old_to_new["50"] == ("20", "21", "22", "23")


@pytest.mark.parametrize("query", ["underretning", "underretninger", "underretningerne", "Underretningen"])
def test_inflected_forms_of_underretning_find_the_guideline_first(index, query):
    assert top(index, query, 1) == ["underretninger"]


@pytest.mark.parametrize("query", ["undersøgelse", "undersøgelsen", "undersøgelser"])
def test_inflected_forms_of_undersoegelse_meet(index, query):
    assert "boernefaglig-undersoegelse" in top(index, query)


@pytest.mark.parametrize(
    ("query", "expected"),
    [("BFU", "boernefaglig-undersoegelse"), ("UTM", "distriktssamarbejde-utm"), ("SOS", "signs-of-safety"), ("ICS", "ics"), ("handleplan", "barnets-plan"), ("efterværn", "ungestoette")],
)
def test_abbreviations_and_old_names_find_their_guideline(index, query, expected):
    assert top(index, query, 1) == [expected]


def test_synonym_expansion_finds_text_that_uses_only_the_other_word(tmp_path, paths):
    write(paths.guidelines_dir / "a.md", guideline_text("a", "Om møder", body="\n## Møder\n\nEt undersøgende teammøde holdes med familien.\n"))
    write(paths.guidelines_dir / "b.md", guideline_text("b", "Om andet", body="\n## Andet\n\nIntet om møder her.\n"))
    idx = SearchIndex(tmp_path / "i", CONFIG)
    idx.sync(documents_for(load_library(paths).all(), CONFIG))
    assert [h.id for h in idx.search("UTM").hits] == ["a"]


@pytest.mark.parametrize("query", ["§ 50", "§50", "paragraf 50", "servicelovens § 50", "SEL § 50", "barnets lov § 20", "§ 50, stk. 7"])
def test_old_and_new_paragraph_numbers_find_the_bfu_guideline(index, query):
    assert top(index, query, 1) == ["boernefaglig-undersoegelse"]


@pytest.mark.parametrize(("query", "expected"), [("§ 155", "underretninger"), ("barnets lov § 136", "underretninger"), ("§ 140", "barnets-plan"), ("§ 48", "boernesamtale"), ("SEL § 76", "ungestoette")])
def test_other_paragraph_queries(index, query, expected):
    assert top(index, query, 1) == [expected]


def test_paragraph_references_are_parsed_with_law_ranges_and_letters():
    refs = [ref for ref, _ in find_paragraph_refs("barnets lov §§ 20–23 (tidl. servicelovens § 155 a) og § 11, stk. 3")]
    assert [(r.law, r.numbers) for r in refs] == [("bl", ("20", "21", "22", "23")), ("sel", ("155a",)), (None, ("11",))]
    parsed = parse_query("servicelovens § 50 undersøgelse", CONFIG)
    assert parsed.words == ("undersøgelse",)
    assert parsed.paragraph_alternatives == (("sel50",),)


def test_documents_carry_both_laws_numbers():
    doc = guideline_document(LIBRARY.get("boernefaglig-undersoegelse"), CONFIG)
    assert {"bl20", "sel50"} <= set(doc.paragraphs)


@pytest.mark.parametrize(("query", "expected", "suggestion"), [("underetning", "underretninger", "underretning"), ("børnesamtlae", "boernesamtale", "børnesamtale")])
def test_typos_still_find_the_guideline_and_suggest_the_word(index, query, expected, suggestion):
    results = index.search(query)
    assert expected in [h.id for h in results.hits[:3]]
    assert results.suggestion == suggestion


def test_no_suggestion_when_every_word_is_known(index):
    assert index.search("underretning").suggestion is None


def test_snippets_highlight_matched_words(index):
    hit = index.search("kvittering").hits[0]
    assert hit.id == "underretninger"
    assert "<mark>kvittering</mark>" in hit.snippet_html.lower()


def test_snippet_marks_inflected_forms_but_not_other_words_with_the_same_start():
    from handbook.search.snippets import make_snippet

    text = "Planen skal skrives. Barnets plan følges op. Planlægning er noget andet."
    snippet = make_snippet(text, {"plan"})
    assert "<mark>Planen</mark>" in snippet and "<mark>plan</mark>" in snippet
    assert "<mark>Planlægning</mark>" not in snippet


def test_snippets_escape_html_from_content(tmp_path, paths):
    write(paths.guidelines_dir / "a.md", guideline_text("a", "Titel", body="\n## Afsnit\n\nSkriv `<script>alert(1)</script>` aldrig i journalen.\n"))
    idx = SearchIndex(tmp_path / "i", CONFIG)
    idx.sync(documents_for(load_library(paths).all(), CONFIG))
    snippet = idx.search("journalen").hits[0].snippet_html
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet


def test_filters_by_type_tema_and_audience(index):
    assert {h.type for h in index.search("sparring", types=("metode",)).hits} == {"metode"}
    assert {h.tema for h in index.search("underretning", temas=("Metoder",)).hits} == {"Metoder"}
    familiehus = index.search("indsats", audience="familiehus").hits
    assert familiehus and all("familiehus" in LIBRARY.get(h.id).audience for h in familiehus)


def test_nonsense_finds_nothing(index):
    assert index.search("xyzzyqwerty").hits == []


def test_only_changed_documents_are_reindexed(tmp_path, paths):
    file = write(paths.guidelines_dir / "a.md", guideline_text("a", "Første titel"))
    write(paths.guidelines_dir / "b.md", guideline_text("b", "Anden titel"))
    idx = SearchIndex(tmp_path / "i", CONFIG)
    assert idx.sync(documents_for(load_library(paths).all(), CONFIG)).rebuilt
    assert idx.sync(documents_for(load_library(paths).all(), CONFIG)).changed == 0
    write(file, guideline_text("a", "Første titel om kvitteringsbrev"))
    report = idx.sync(documents_for(load_library(paths).all(), CONFIG))
    assert (report.added, report.updated, report.removed, report.rebuilt) == (0, 1, 0, False)
    assert [h.id for h in idx.search("kvitteringsbrev").hits] == ["a"]
    os.remove(file)
    report = idx.sync(documents_for(load_library(paths).all(), CONFIG))
    assert report.removed == 1
    assert idx.search("kvitteringsbrev").hits == []


def test_a_deleted_index_is_rebuilt_without_user_action(tmp_path, index):
    idx = SearchIndex(tmp_path / "i", CONFIG)
    docs = documents_for(LIBRARY.all(), CONFIG)
    idx.sync(docs)
    shutil.rmtree(tmp_path / "i")
    report = idx.sync(docs)
    assert report.rebuilt and report.reasons == ["indekset mangler"]
    assert top(idx, "BFU", 1) == ["boernefaglig-undersoegelse"]


def test_a_corrupt_index_is_rebuilt_at_sync(tmp_path):
    idx = SearchIndex(tmp_path / "i", CONFIG)
    docs = documents_for(LIBRARY.all(), CONFIG)
    idx.sync(docs)
    for file in (tmp_path / "i").glob("*.toc"):
        file.write_bytes(b"garbage")
    report = idx.sync(docs)
    assert report.rebuilt and "kunne ikke åbnes" in report.reasons[0]
    assert top(idx, "UTM", 1) == ["distriktssamarbejde-utm"]


def test_index_damaged_while_serving_heals_on_the_next_search(tmp_path):
    idx = SearchIndex(tmp_path / "i", CONFIG)
    idx.sync(documents_for(LIBRARY.all(), CONFIG))
    assert top(idx, "UTM", 1) == ["distriktssamarbejde-utm"]
    damaged = {f.name for f in (tmp_path / "i").glob("*.seg")}
    for name in damaged:
        (tmp_path / "i" / name).write_bytes(b"\0" * 64)
    idx._reset_searchers()  # the pooled searcher had the old files open
    assert top(idx, "UTM", 1) == ["distriktssamarbejde-utm"]
    assert damaged.isdisjoint(f.name for f in (tmp_path / "i").glob("*.seg"))


def test_an_up_to_date_index_is_opened_once_and_shared(index):
    index.search("BFU")
    first = index._current_searcher()
    index.search("UTM")
    assert index._current_searcher() is first


def test_the_count_is_the_number_of_matching_documents_not_the_page_size(index):
    broad = index.search("barnet")  # in nearly every guideline
    matching = sum(1 for g in LIBRARY.all() if "barn" in (g.body + g.title + g.summary).lower())
    assert len(broad.hits) == 10 and broad.total > 10 and broad.total <= matching + 5
    assert broad.count_text == f"{broad.total} resultater – de 10 bedste vises"
    narrow = index.search("barnet", types=("metode",))
    assert narrow.total == len(narrow.hits) < broad.total and narrow.count_text == f"{narrow.total} resultat{'er' if narrow.total != 1 else ''}"
    assert index.search("xyzzyqwerty").total == 0


def test_a_large_index_says_at_least_how_many_matched_instead_of_counting_them_all(index, monkeypatch):
    import handbook.search.index as search_index

    exact = index.search("barnet familien")
    monkeypatch.setattr(search_index, "EXACT_COUNT_DOCS", 0)  # as if the index were larger than that
    monkeypatch.setattr(index, "_results", {})
    estimated = index.search("barnet familien", limit=5)
    assert exact.total_exact and exact.count_text.startswith(f"{exact.total} resultater")
    assert [h.id for h in estimated.hits] == [h.id for h in exact.hits[:5]]
    assert not estimated.total_exact and 5 <= estimated.total <= exact.total
    assert estimated.count_text == f"mindst {estimated.total} resultater – de 5 bedste vises"
