"""Search finds what caseworkers mean (issue 26): one result per topic, the law map's answers
to § questions, derivational word forms and meaning over common words."""

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
