"""The synonym review: the search log it reads, the nearest terms, and adding a synonym safely."""

from datetime import UTC, datetime, timedelta

import pytest

from handbook.retention import purge
from handbook.search.config import load_synonyms
from handbook.search.review import SynonymError, add_synonym, nearest_terms, review_items
from handbook.settings import PortalConfig
from handbook.store.database import Store


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "handbook.db")


def test_searches_whose_first_hit_is_never_opened_are_listed_and_an_opening_removes_them(store):
    store.record_search_answer("Indsatsplan ", "forebyggende-indsatser")
    store.record_search_answer("indsatsplan", "forebyggende-indsatser")
    store.record_search_answer("bfu frist", "boernefaglig-undersoegelse")
    store.record_first_hit_opened("BFU  frist", "boernefaglig-undersoegelse")
    store.record_first_hit_opened("indsatsplan", "barnets-plan")  # another hit than the first
    rows = store.unopened_searches()
    assert [(r["query"], r["searches"], r["first_hit"]) for r in rows] == [("indsatsplan", 2, "forebyggende-indsatser")]


def test_a_search_with_a_cpr_number_is_never_logged(store):
    store.record_search_answer("010203-1234 underretning", "underretninger")
    assert store.unopened_searches() == []


def test_logged_searches_are_deleted_after_the_retention_period(store):
    store.record_search_answer("indsatsplan", "barnets-plan")
    report = purge(store, PortalConfig(retention_days=30), now=datetime.now(UTC) + timedelta(days=31))
    assert store.unopened_searches() == [] and report.search_answers == 1


def test_nearest_terms_are_close_spellings_and_shared_word_parts():
    terms = ["handleplan", "plan", "bisidder", "underretning", "underretningspligt", "støtte"]
    assert nearest_terms("underretningspligten", terms)[0] == "underretningspligt"
    assert "handleplan" in nearest_terms("indsatsplan", terms) or "plan" in nearest_terms("indsatsplan", terms)
    assert nearest_terms("hvornår", terms) == ()


def test_review_items_show_misses_and_unopened_searches_with_their_nearest_terms(store):
    store.record_search_miss("handlingsplan")
    store.record_search_answer("bisidderen", "boernesamtale")
    items = review_items(store, ["handleplan", "bisidder"])
    assert [(i.query, i.reason, i.nearest[:1]) for i in items] == [
        ("handlingsplan", "uden svar", ("handleplan",)),
        ("bisidderen", "første hit ikke åbnet", ("bisidder",)),
    ]


SYNONYMS = """# Synonymer.
groups:
  # Handleplanen hedder barnets plan.
  - [handleplan, barnets plan]
"""


def test_a_synonym_joins_the_group_of_its_term_and_keeps_every_comment(tmp_path):
    (tmp_path / "synonyms.yaml").write_text(SYNONYMS, encoding="utf-8")
    assert "tilføjet til gruppen" in add_synonym(tmp_path, "Indsatsplan", "barnets plan")
    text = (tmp_path / "synonyms.yaml").read_text(encoding="utf-8")
    assert "# Handleplanen hedder barnets plan." in text and "# Synonymer." in text
    assert load_synonyms(tmp_path / "synonyms.yaml", []) == (("handleplan", "barnets plan", "indsatsplan"),)


def test_a_synonym_of_a_term_in_no_group_makes_a_new_dated_group(tmp_path):
    (tmp_path / "synonyms.yaml").write_text(SYNONYMS, encoding="utf-8")
    add_synonym(tmp_path, "bisidderen: en voksen", "bisidder", today=datetime(2026, 12, 6).date())
    problems: list = []
    groups = load_synonyms(tmp_path / "synonyms.yaml", problems)
    assert problems == [] and groups[-1] == ("bisidder", "bisidderen: en voksen")
    assert "synonymgennemgangen 2026-12-06" in (tmp_path / "synonyms.yaml").read_text(encoding="utf-8")


def test_a_cpr_number_or_a_broken_file_is_refused_and_the_file_is_unchanged(tmp_path):
    path = tmp_path / "synonyms.yaml"
    path.write_text(SYNONYMS, encoding="utf-8")
    with pytest.raises(SynonymError, match="CPR"):
        add_synonym(tmp_path, "010203-1234", "handleplan")
    path.write_text("groups:\n  - [alene]\n", encoding="utf-8")
    with pytest.raises(SynonymError, match="synonyms.yaml:2"):
        add_synonym(tmp_path, "x", "alene")
    assert path.read_text(encoding="utf-8") == "groups:\n  - [alene]\n"
