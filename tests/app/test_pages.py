"""Each page of the portal, run through Streamlit's AppTest against real and broken content."""

import shutil

from handbook.settings import PROJECT_ROOT
from tests.app.conftest import texts
from tests.conftest import guideline_text, write

GUIDELINE = "views/retningslinje.py"
HANDBOOK = "views/haandbog.py"


def page_link_labels(app):
    return [link.proto.label for link in app.main.get("page_link")]


def test_forside_shows_the_case_flow_and_recent_changes(make_app):
    app = make_app()
    assert not app.exception
    assert app.title[0].value == "Håndbogen"
    headings = [h.value for h in app.header]
    assert headings[:2] == ["Sagsforløbet fra A til Z", "Senest ændret"]
    labels = page_link_labels(app)
    for title in ("Modtagelse og behandling af underretninger", "Den børnefaglige undersøgelse", "Børnesamtalen", "Afslutning af sager"):
        assert title in labels
    assert "11 retningslinjer" in texts(app)


def test_handbook_groups_by_tema_and_filters_by_role(make_app):
    app = make_app(page=HANDBOOK)
    assert not app.exception
    assert "Metoder" in [h.value for h in app.header]
    all_links = page_link_labels(app)
    assert len(all_links) == 23
    app.selectbox[0].select("modtageteam").run()
    modtage = page_link_labels(app)
    assert "Modtagelse og behandling af underretninger" in modtage
    assert "Ungestøtte og efterværn" not in modtage
    assert 0 < len(modtage) < 20
    assert app.query_params["rolle"] == "modtageteam"


def test_handbook_filters_by_type_and_groups_by_case_step(make_app):
    app = make_app(page=HANDBOOK)
    app.multiselect[0].select("metode").run()
    assert sorted(page_link_labels(app)) == ["ICS som fælles faglig metode", "Signs of Safety i sagsbehandlingen", "Trivselslinealen — fælles koncept"]
    app.multiselect[0].unselect("metode").run()
    app.radio[0].set_value("Sagsskridt").run()
    headings = [h.value for h in app.header]
    assert headings[:3] == ["1. Underretning", "2. Børnefaglig undersøgelse", "3. Børnesamtale"]
    assert headings[-1] == "På tværs af sagsforløbet"


def test_guideline_page_shows_title_metadata_contents_and_related(make_app):
    app = make_app(page=GUIDELINE, id="underretninger")
    assert not app.exception
    assert app.title[0].value == "Modtagelse og behandling af underretninger"
    page = texts(app)
    for label in ("Version", "Gyldig fra", "Revisionsdato", "Ansvarlig", "Godkendt af", "Lovgrundlag", "Barnets lov § 136"):
        assert label in page
    assert 'class="hb-toc"' in page
    assert "<table>" in page
    assert "Den børnefaglige undersøgelse" in page_link_labels(app)


def test_unknown_guideline_id_gets_a_clear_message_and_a_way_on(make_app):
    app = make_app(page=GUIDELINE, id="findes-ikke")
    assert not app.exception
    assert "findes-ikke" in app.error[0].value and "findes ikke" in app.error[0].value
    app.selectbox[0].set_value("afslutning-af-sager").run()
    assert app.query_params["id"] == "afslutning-af-sager"
    assert app.title[0].value == "Afslutning af sager"


def test_broken_file_is_left_out_and_editors_see_why(make_app, content_root):
    write(content_root / "guidelines" / "a.md", guideline_text())
    write(content_root / "guidelines" / "b.md", guideline_text("boernesamtale", "Børnesamtalen", type="type: [metode"))
    app = make_app(content_root=content_root)
    assert not app.exception
    assert "Modtagelse af underretninger" in page_link_labels(app)
    assert "Børnesamtalen" not in page_link_labels(app)
    expander = app.expander[0]
    assert "1 fil er udeladt på grund af fejl" in expander.label
    assert "b.md" in "\n".join(m.value for m in expander.markdown)
    assert "YAML-syntaksfejl" in "\n".join(m.value for m in expander.markdown)


def test_guideline_with_review_date_passed_shows_a_notice(make_app, content_root):
    write(content_root / "guidelines" / "a.md", guideline_text(review_by="review_by: 2025-06-01"))
    app = make_app(content_root=content_root, page=GUIDELINE, id="underretninger")
    assert "Revisionsdatoen (1. juni 2025) er overskredet" in app.warning[0].value


SEARCH = "views/soeg.py"


def test_search_page_reads_the_query_from_the_url_and_shows_highlighted_hits(make_app):
    app = make_app(page=SEARCH, q="BFU frist")
    assert not app.exception
    assert page_link_labels(app)[0] == "Den børnefaglige undersøgelse"
    assert "<mark" in texts(app)
    assert app.text_input[0].value == "BFU frist"


def test_a_guideline_and_its_checklist_are_one_result_with_start_tjeklisten_beside_it(make_app):
    app = make_app(page=SEARCH, q="modtagelse af underretning")
    assert not app.exception
    labels = page_link_labels(app)
    # the guideline first, its checklist beside it, and neither a second time
    assert labels[:2] == ["Modtagelse og behandling af underretninger", "Start tjeklisten"]
    assert labels.count("Modtagelse af underretning") == 0
    start = [link for link in app.get("page_link") if link.proto.label == "Start tjeklisten"][0]
    assert "id=underretning" in start.proto.page or start.proto.query_string == "id=underretning"


def test_search_page_filters_by_type(make_app):
    app = make_app(page=SEARCH, q="sparring")
    app.multiselect[0].select("metode").run()
    labels = page_link_labels(app)
    assert labels and set(labels) <= {"ICS som fælles faglig metode", "Signs of Safety i sagsbehandlingen", "Trivselslinealen — fælles koncept", "Søg"}


def test_search_with_a_typo_offers_mente_du(make_app):
    app = make_app(page=SEARCH, q="underetning")
    button = next(b for b in app.button if b.label == "Mente du: underretning?")
    button.click().run()
    assert app.query_params["q"] == "underretning"
    assert page_link_labels(app)[0] == "Modtagelse og behandling af underretninger"


def test_search_without_results_is_counted_for_leaders_without_identity(make_app):
    app = make_app(page=SEARCH, user="leder:redaktør", q="xyzzyqwerty")
    assert "Ingen retningslinjer matcher" in app.warning[0].value
    app.switch_page("views/soegninger.py").run()
    table = app.dataframe[0].value
    assert list(table["Søgning"]) == ["xyzzyqwerty"]
    assert list(table["Antal"]) == [1]
    assert set(table.columns) == {"Søgning", "Antal", "Første gang", "Seneste"}


def test_an_editor_turns_an_unopened_search_into_a_synonym_in_one_click(make_app, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "guidelines", content / "guidelines")
    shutil.copytree(PROJECT_ROOT / "config", content / "config")
    (content / "checklists").mkdir()
    app = make_app(content, page=SEARCH, user="red:redaktør", q="indsatsplan")
    first = page_link_labels(app)[0]
    app.switch_page("views/soegninger.py").run()
    assert "»indsatsplan«" in texts(app) and "første hit ikke åbnet" in texts(app) and first
    button = next(b for b in app.button if b.label == "= handleplan")
    button.click().run()
    assert not app.exception
    assert "»indsatsplan« er tilføjet til gruppen med »handleplan«." in app.success[0].value
    assert "indsatsplan]" in (content / "config" / "synonyms.yaml").read_text(encoding="utf-8")


def test_opening_the_first_hit_takes_the_search_off_the_review(make_app):
    app = make_app(page=SEARCH, user="red:redaktør", q="BFU frist")
    app.switch_page("views/retningslinje.py")
    app.query_params["id"] = "boernefaglig-undersoegelse"
    app.run()
    app.switch_page("views/soegninger.py").run()
    assert "»bfu frist«" not in texts(app)


def test_search_for_a_cpr_number_is_refused_and_not_stored(make_app):
    app = make_app(page=SEARCH, user="leder:redaktør", q="010203-1234")
    assert "CPR-nummer" in app.error[0].value
    app.switch_page("views/soegninger.py").run()
    assert "Ingen søgninger uden svar" in app.info[0].value
