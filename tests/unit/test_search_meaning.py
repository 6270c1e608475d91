"""Search finds what caseworkers mean (issue 26): one result per topic, the law map's answers
to § questions, derivational word forms and meaning over common words."""

import re

import pytest

from handbook.checklists.schema import load_checklists
from handbook.content.library import load_library
from handbook.search.config import load_search_config
from handbook.search.documents import documents_for
from handbook.search.index import SearchIndex
from handbook.settings import paths_from_env


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    """The bundled handbook with its checklists, indexed as the portal indexes it."""
    paths = paths_from_env({})
    config, _ = load_search_config(paths.config_dir)
    library = load_library(paths)
    index = SearchIndex(tmp_path_factory.mktemp("meaning") / "index", config)
    index.sync(documents_for(library.all(), config, load_checklists(paths.checklists_dir, library.config).all()))
    return index


def test_a_checklist_is_shown_as_the_guideline_it_implements_which_carries_it(bundled):
    hits = bundled.search("tjekliste vold og overgreb").hits
    assert (hits[0].kind, hits[0].id, hits[0].checklist) == ("guideline", "vold-og-overgreb-mod-boern", "vold-og-overgreb")
    assert [h.id for h in hits].count("vold-og-overgreb-mod-boern") == 1
    assert all(h.kind == "guideline" or not h.topic for h in hits)


def test_a_checklist_stands_alone_when_the_filters_leave_out_its_guideline(bundled):
    hits = bundled.search("underretning", types=("tjekliste",)).hits
    assert [(h.kind, h.id) for h in hits][:1] == [("checklist", "underretning")]


def test_a_paragraph_query_says_what_the_provision_is_and_what_it_replaced(bundled):
    results = bundled.search("barnets lov § 133")
    assert results.law_lines == ("§ 133 (tidl. SEL § 153): skærpet underretningspligt for offentligt ansatte",)
    assert results.hits[0].id == "underretninger"


def test_guidelines_citing_the_paragraph_rank_above_those_that_mention_it_in_passing(bundled):
    # § 21 (BFU of siblings) is in the legal references of these three; others only match its subject
    citing = {
        g.id for g in load_library(paths_from_env({})).all()
        if any(re.fullmatch(r"barnets lov § 21(,.*)?", ref.strip(), re.IGNORECASE) for ref in g.legal_refs)
    }
    assert citing == {"boernefaglig-undersoegelse", "anbringelse", "vold-og-overgreb-mod-boern"}
    ids = [h.id for h in bundled.search("barnets lov § 21").hits]
    assert set(ids[: len(citing)]) == citing and len(ids) > len(citing)


def test_a_query_without_a_paragraph_has_no_law_line(bundled):
    assert bundled.search("underretningspligt").law_lines == ()


def test_word_forms_come_from_hunspell_das_affix_rules_not_from_a_list():
    from handbook.search.decompound import HUNSPELL_DA, hunspell_words
    from handbook.search.wordforms import generate, hunspell_verbs

    verbs = hunspell_verbs(HUNSPELL_DA, HUNSPELL_DA.with_suffix(".aff"))
    assert {"underretter", "underrettede", "underrettet"} <= verbs["underrette"]
    rows = generate({"underretning", "afslutte", "skalering"}, hunspell_words(), verbs)
    stems = {(noun_stem, form_stem) for noun_stem, form_stem, _, _ in rows}
    assert {("underretning", "underret"), ("underretning", "underretted"), ("afslutning", "afslut")} <= stems
    assert ("skalering", "skal") not in stems  # "skalere" stems to "skal", another word


def _guideline(tmp_path, words):
    from handbook.search.documents import SearchDocument

    return [SearchDocument(key=f"guideline:{i}", kind="guideline", doc_id=i, title=t, body=b, content_hash=i) for i, t, b in words]


def test_a_verb_form_finds_the_guideline_that_only_uses_the_noun(tmp_path):
    from handbook.search.config import SearchConfig

    docs = _guideline(tmp_path, [("a", "Om sager", "Underretningen skal vurderes."), ("b", "Om andet", "Barnet skal vurderes.")])
    plain = SearchIndex(tmp_path / "plain", SearchConfig())
    plain.sync(docs)
    assert [h.id for h in plain.search("underrettet").hits] == []
    forms = SearchIndex(tmp_path / "forms", SearchConfig(forms={"underret": ("underretning",), "underretning": ("underret",)}))
    forms.sync(docs)
    hits = forms.search("underrettet").hits
    assert [h.id for h in hits] == ["a"] and "<mark>Underretningen</mark>" in hits[0].snippet_html


def test_in_a_long_question_the_word_few_pages_use_decides_the_order(tmp_path, monkeypatch):
    from handbook.search import plan
    from handbook.search.config import SearchConfig

    common = "Barnet og forældrene holder mødet med kommunen. " * 3
    docs = _guideline(tmp_path, [("a", "Om deltagere", "En bisidder kan deltage. Barnet."), *((str(n), "Om barnet", common) for n in range(9))])
    question = "hvad gør barnet og forældrene på mødet i kommunen med en bisidder"
    index = SearchIndex(tmp_path / "index", SearchConfig(), result_cache=0)
    index.sync(docs)
    assert index.search(question).hits[0].id == "a"
    monkeypatch.setattr(plan, "COMMON_WEIGHT", 1.0)  # without the rule the common words win
    assert index.search(question).hits[0].id != "a"
