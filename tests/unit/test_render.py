"""Rendering guideline bodies: safe HTML, tables, anchors, contents and internal links."""

from datetime import date
from pathlib import Path

from handbook.content.guideline import parse_guideline_text
from handbook.content.render import format_date, metadata_html, render_body, slugify, toc_html
from handbook.settings import PROJECT_ROOT, load_portal_config
from tests.conftest import guideline_text


def test_tables_are_rendered():
    html = render_body("| Frist | Hvad |\n|---|---|\n| 24 timer | Vurdering |\n").html
    assert "<table>" in html and "<td>24 timer</td>" in html


def test_raw_html_is_shown_as_text_not_executed():
    html = render_body('Før <script>alert("x")</script> <img src=x onerror=alert(1)> efter').html
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_javascript_links_are_neutralised():
    html = render_body("[Klik](javascript:alert(1)) og [også](JaVaScRiPt:alert(2))").html
    assert "href=\"javascript" not in html.lower()
    assert "<a" not in html


def test_link_to_known_guideline_id_points_to_its_page():
    html = render_body("Se [Børnesamtalen](boernesamtale#forberedelse).", known_ids={"boernesamtale"}).html
    assert '<a href="retningslinje?id=boernesamtale#forberedelse" target="_self">Børnesamtalen</a>' in html


def test_link_to_a_section_with_danish_letters_is_encoded_once():
    html = render_body("Se [fristerne](underretninger#første-vurdering).", known_ids={"underretninger"}).html
    assert 'href="retningslinje?id=underretninger#f%C3%B8rste-vurdering"' in html


def test_link_to_unknown_id_is_not_clickable():
    html = render_body("Se [den](findes-ikke).", known_ids={"boernesamtale"}).html
    assert "href" not in html and 'class="doed-link"' in html


def test_external_links_open_in_a_new_tab_without_opener():
    html = render_body("[Retsinformation](https://www.retsinformation.dk)").html
    assert 'target="_blank"' in html and 'rel="noopener noreferrer"' in html


def test_headings_get_danish_anchors_and_a_table_of_contents():
    body = render_body("## Formål\n\ntekst\n\n### Første møde med forældrene\n\n## Frister og lovgrundlag\n")
    assert [(h.level, h.text, h.anchor) for h in body.headings] == [
        (2, "Formål", "formål"),
        (3, "Første møde med forældrene", "første-møde-med-forældrene"),
        (2, "Frister og lovgrundlag", "frister-og-lovgrundlag"),
    ]
    assert 'id="formål"' in body.html
    toc = toc_html(body.headings)
    assert toc.count("<li") == 3 and 'href="#f%C3%B8rste-m%C3%B8de-med-for%C3%A6ldrene"' in toc


def test_slug_of_punctuation_only_heading_is_not_empty():
    assert slugify("?!") == "afsnit"


def test_dates_are_written_the_danish_way():
    assert format_date(date(2026, 1, 1)) == "1. januar 2026"
    assert format_date(None) == "–"


def test_metadata_box_shows_every_fact_and_escapes_text():
    config = load_portal_config(PROJECT_ROOT / "config" / "portal.yaml")
    text = guideline_text(owner="owner: Leder <b>A&B</b>")
    g = parse_guideline_text(text, Path("x.md"), config).guideline
    html = metadata_html(g, config.audience_label)
    for label in ("Version", "Gyldig fra", "Revisionsdato", "Ansvarlig", "Godkendt af", "Lovgrundlag", "Målgruppe"):
        assert f"<dt>{label}</dt>" in html
    assert "Leder &lt;b&gt;A&amp;B&lt;/b&gt;" in html
    assert "<dd>1. januar 2025</dd>" in html
    assert "Modtageteam, Rådgiver" in html


def test_links_to_the_portals_worksheets_and_tools_stay_relative_and_work():
    html = render_body("[SOS-arket](/metoder?ark=sos) og [Trivselslinealen](/trivsel) men ikke [x](/admin)").html
    assert '<a href="metoder?ark=sos" target="_self">SOS-arket</a>' in html
    assert '<a href="trivsel" target="_self">Trivselslinealen</a>' in html


def test_method_guidelines_point_to_their_worksheets():
    from handbook.content.library import load_library
    from handbook.settings import paths_from_env

    library = load_library(paths_from_env({}))
    assert "metoder?ark=sos" in render_body(library.get("signs-of-safety").body).html
    assert "metoder?ark=ics" in render_body(library.get("ics").body).html
    assert "metoder?ark=tre-huse" in render_body(library.get("boernesamtale").body).html
