"""Search on a large collection stays fast without changing what a caseworker finds (issue #14):
the fused analysis gives the same terms as Whoosh's chain, a word most documents use is not
indexed or searched as a compound part, and a word thousands of documents use only adds to the
score of documents that have the query's other words. The thresholds are lowered here so a
small index shows the behaviour of a large one."""

import pytest
from whoosh.formats import Frequency, Positions

import handbook.search.plan as plan
import handbook.search.schema as schema
from handbook.content.library import load_library
from handbook.search.config import load_search_config
from handbook.search.documents import SearchDocument
from handbook.search.index import SearchIndex
from handbook.search.schema import estimate_common_words
from handbook.settings import paths_from_env

PATHS = paths_from_env({})
CONFIG, _ = load_search_config(PATHS.config_dir)
AWKWARD = "og Barnets Lov § 50, stk. 2 f.eks. 3*4 İstanbul straße ÆBLE-grød børne_unge x y. Forældremyndighedsindehaveren? Hvornår skal der være en plan for barnet"


def doc(number: int, body: str, title: str = "") -> SearchDocument:
    return SearchDocument(key=f"guideline:d{number}", kind="guideline", doc_id=f"d{number}", title=title or f"Notat {number}", body=body, content_hash=f"h{number}-{hash(body)}")


@pytest.mark.parametrize("field", ["body", "parts", "title", "headings"])
def test_the_fused_analysis_gives_the_terms_of_whooshs_analyzer_chain(field):
    analyzer = schema.make_schema()[field].analyzer
    fused = schema.SCHEMA[field].format
    plain = (Positions if isinstance(fused, Positions) else Frequency)(field_boost=fused.field_boost)
    texts = [g.body for g in load_library(PATHS).all()] + [AWKWARD]
    for text in texts:
        assert sorted(fused.word_values(text, analyzer)) == sorted(plain.word_values(text, analyzer))


@pytest.fixture
def small_thresholds(monkeypatch):
    monkeypatch.setattr(schema, "COMMON_WORD_DOCS", 5)
    monkeypatch.setattr(schema, "COMMON_WORD_SHARE", 0.2)
    monkeypatch.setattr(plan, "COMMON_TERMS_DOCS", 15)


def collection() -> list[SearchDocument]:
    """Twenty documents about 'familie' (whole word), two where 'familie' and 'pligt' only
    occur inside compounds, and one with a rarer word."""
    docs = [doc(n, f"Samtalen med familien om hverdagen nummer {n}.") for n in range(20)]
    docs.append(doc(20, "Rådgiveren har tavshedspligt og følger familiebehandlingen."))
    docs.append(doc(21, "Der er oplysningspligt i sager om familieplejen."))
    docs.append(doc(22, "Bisidderen deltager i mødet med familien."))
    return docs


def test_a_word_most_documents_use_whole_is_not_indexed_as_a_part_but_rarer_parts_are(tmp_path, small_thresholds):
    docs = collection()
    assert "famili" in estimate_common_words(docs)
    index = SearchIndex(tmp_path / "i", CONFIG)
    index.rebuild(docs)
    with index._searcher() as searcher:
        reader = searcher.reader()
        assert reader.doc_frequency("parts", "famili") == 0
        assert reader.doc_frequency("parts", "pligt") == 2
    # the part is still found inside its compounds
    assert {h.id for h in index.search("pligt").hits} == {"d20", "d21"}
    # and the common word finds the documents that use it whole
    hits = [h.id for h in index.search("familie").hits]
    assert len(hits) == 10 and not {"d20", "d21"} & set(hits)


def test_a_small_collection_indexes_every_part(tmp_path):
    docs = collection()
    assert estimate_common_words(docs) == frozenset()
    index = SearchIndex(tmp_path / "i", CONFIG)
    index.rebuild(docs)
    assert {"d20", "d21"} <= {h.id for h in index.search("familie", limit=30).hits}


def test_a_common_word_only_adds_to_documents_that_have_the_rarer_word(tmp_path, small_thresholds):
    docs = collection() + [doc(30 + n, f"Bisidderen og sagen nummer {n}.") for n in range(12)]
    index = SearchIndex(tmp_path / "i", CONFIG)
    index.rebuild(docs)
    hits = [h.id for h in index.search("bisidder familie", limit=10).hits]
    # ten hits, all with the rarer word; the one with both words first
    assert hits[0] == "d22"
    assert len(hits) == 10 and all(h == "d22" or int(h[1:]) >= 30 for h in hits)


def test_too_few_documents_with_the_rarer_word_fill_up_with_the_common_word(tmp_path, small_thresholds):
    index = SearchIndex(tmp_path / "i", CONFIG)
    index.rebuild(collection())
    hits = [h.id for h in index.search("bisidder familie", limit=10).hits]
    assert hits[0] == "d22"
    assert len(hits) == 10, "documents with only the common word fill the page"


def test_the_common_parts_travel_with_the_index_to_later_updates(tmp_path, small_thresholds):
    docs = collection()
    index = SearchIndex(tmp_path / "i", CONFIG)
    index.rebuild(docs)
    reopened = SearchIndex(tmp_path / "i", CONFIG)
    report = reopened.sync(docs + [doc(40, "Ny note om familieplejen og underretningspligt.")])
    assert report.added == 1 and not report.rebuilt
    with reopened._searcher() as searcher:
        assert searcher.reader().doc_frequency("parts", "famili") == 0
    assert "d40" in [h.id for h in reopened.search("pligt").hits]


def test_a_repeated_search_is_answered_from_memory_until_the_index_changes(tmp_path, monkeypatch):
    index = SearchIndex(tmp_path / "i", CONFIG)
    docs = collection()
    index.sync(docs)
    searched: list[str] = []
    real = index._search
    monkeypatch.setattr(index, "_search", lambda text, *args: searched.append(text) or real(text, *args))
    first = index.search("bisidder")
    again = index.search("bisidder")
    assert [h.id for h in again.hits] == [h.id for h in first.hits] == ["d22"]
    assert searched == ["bisidder"]
    index.search("bisidder", types=("metode",))  # other filters are another search
    assert searched == ["bisidder", "bisidder"]
    index.sync(docs + [doc(50, "En ny bisidder er med fra i dag.")])
    assert {h.id for h in index.search("bisidder").hits} == {"d22", "d50"}
    assert searched == ["bisidder", "bisidder", "bisidder"]
