"""Danish throughout: Streamlit's English interface texts, Danish time for stored moments and in
CSV files, text alternatives for the figures and the Trivselslinealen, the printable guideline."""

from datetime import UTC, datetime

from handbook.content.library import load_library
from handbook.content.printing import guideline_print_html
from handbook.dates.danish_time import csv_column, csv_moment, date_text, moment_text
from handbook.methods.figures import funnel_svg, funnel_text, ics_triangle_svg, ics_triangle_text
from handbook.settings import PROJECT_ROOT, paths_from_env
from handbook.trivsel.charts import progression_text, ruler_text
from handbook.trivsel.scale import load_scale_from
from portal.interface_script import browser_script
from portal.interface_text import EXACT, FORBIDDEN, FORBIDDEN_CASED, FORBIDDEN_WHOLE, MONTH_DANISH, translate


def test_streamlit_english_texts_become_danish():
    assert translate("Choose an option") == "Vælg"
    assert translate("Skip to main content") == "Gå til hovedindholdet"
    assert translate("Press Enter to apply") == "Tryk Enter for at bruge"
    assert translate("View 4 more") == "Vis 4 mere"
    assert translate("Help for Placering") == "Hjælp til Placering"
    assert translate("Fullscreen: ICS-trekanten") == "Fuld skærm: ICS-trekanten"
    assert translate("  day ") == "  dag "
    assert translate("November 2026") == "november 2026"
    assert translate("Choose Monday, November 30th, 2026. It's available.") == "Vælg mandag den 30. november 2026. It's available."
    assert translate("Page not found") == "Siden findes ikke"
    assert translate("Link to heading") == "Link til overskriften"  # the anchor beside each heading
    assert translate("200MB per file • DOCX") == "Højst 200 MB pr. fil • DOCX"
    assert translate("Upload") == translate("file upload") == "Vælg fil"
    assert translate("add icon") == "ikon"
    assert translate("dd.mm.yyyy") == "dd.mm.åååå" and translate("yyyy") == "åååå"
    assert translate("month, Gælder fra") == "måned, Gælder fra" and translate("12 – December") == "12 – december"
    assert translate("Selected Date: December 06, 2026") == "Valgt dato: 6. december 2026"
    assert translate("Today, Sunday, December 6, 2026 selected") == "I dag, søndag den 6. december 2026, valgt"


def test_the_script_never_translates_inside_material_icons():
    script = browser_script()
    assert "[data-testid='stIconMaterial']" in script and "[translate='no']" in script


def test_portal_text_is_left_alone():
    for text in ("Søg i håndbogen", "Modtagelse af underretninger", "Help", "Dayton", "Press the button", ""):
        assert translate(text) is None


def test_every_english_text_the_browser_tests_look_for_is_translated():
    whole_texts = {
        "Help for": "Help for Placering", "Drag and drop": "Drag and drop file here", "Scroll tabs": "Scroll tabs left",
        "Use arrow keys": "Use arrow keys to navigate dates. Enter to select. Escape to close.",
        "does not seem to exist": "The page that you have requested does not seem to exist",
        "Is Streamlit still running": "Is Streamlit still running? If you accidentally stopped Streamlit, just restart it in your terminal:",
        "per file": "200MB per file • DOCX", " icon": "add icon", "Selected Date": "Selected Date: December 06, 2026",
        "day, ": "day, Gælder fra", "month, ": "month, Gælder fra", "year, ": "year, Gælder fra", "hour, ": "hour, Klokkeslæt",
        "minute, ": "minute, Klokkeslæt", "Selected Time": "Selected Time: 08:58", "Today, ": "Today, Sunday, December 6, 2026 selected", **{f" – {m}": f"12 – {m}" for m in MONTH_DANISH},
    }
    for phrase in FORBIDDEN + FORBIDDEN_WHOLE + FORBIDDEN_CASED:
        danish = translate(whole_texts.get(phrase, phrase))
        assert danish is not None and phrase not in danish, phrase


def test_the_browser_script_sets_lang_and_carries_the_translations():
    script = browser_script()
    assert script.startswith("<script>") and script.endswith("</script>")
    assert 'documentElement.lang = "da"' in script
    assert '"Choose an option": "Vælg"' in script
    assert "__EXACT__" not in script and "__PATTERNS__" not in script and "__NAMES__" not in script
    assert len(EXACT) > 50


def test_stored_utc_moments_are_shown_in_danish_time():
    summer = "2026-06-30T22:15:00.123456+00:00"
    assert moment_text(summer) == "ons. 1. juli 2026 kl. 00.15"
    assert date_text(summer) == "1. juli 2026"
    assert moment_text("2026-11-30T02:49:00+00:00") == "man. 30. november 2026 kl. 03.49"
    assert moment_text(None) == "–" and date_text("") == "–"


def test_csv_moments_carry_their_offset_and_the_column_says_the_zone():
    assert csv_moment("2026-06-30T22:15:00.123456+00:00") == "2026-07-01 00:15:00+02:00"
    assert csv_moment(datetime(2026, 1, 5, 8, 0, tzinfo=UTC)) == "2026-01-05 09:00:00+01:00"
    assert csv_moment(None) == ""
    assert csv_column("tidspunkt") == "tidspunkt (dansk tid)"


def test_figures_have_text_alternatives_naming_their_parts():
    triangle = ics_triangle_text()
    for part in ("Barnets udvikling", "Forældrekompetencer", "Familie og netværk", "Sundhedsforhold", "Netværk"):
        assert part in triangle
    assert f'aria-label="{triangle}"' in ics_triangle_svg()
    funnel = funnel_text()
    assert funnel.startswith("Tragtmodellen i 3 trin") and "2. Hypotesedannelse" in funnel
    assert 'role="img"' in funnel_svg() and "Tragtning" in funnel_svg()


def test_the_ruler_and_the_progression_are_told_in_words_with_zones_and_values():
    scale, problems = load_scale_from(PROJECT_ROOT / "config")
    assert scale is not None and not problems
    text = ruler_text(scale, [("AB", 2), ("CD", 6)], median=4.0)
    assert text.startswith("Trivselslinealen 1–10 i 4 zoner: Rød 1–2, Orange 3–4, Gul 5–7, Grøn 8–10.")
    assert "AB på 2 (rød zone); CD på 6 (gul zone)" in text and text.endswith("Median 4 (orange zone).")
    assert ruler_text(scale, [], median=4.5).endswith("Median 4,5 (orange zone).")
    rows = [{"created_at": "2026-03-02T09:00:00+00:00", "value": 3, "zone": "Orange"}, {"created_at": "2026-05-04T12:30:00+00:00", "value": 8, "zone": "Grøn"}]
    progression = progression_text(scale, rows)
    assert "(2 vurderinger)" in progression
    assert "man. 2. marts 2026 kl. 10.00: 3 (orange zone)" in progression and "man. 4. maj 2026 kl. 14.30: 8 (grøn zone)" in progression


def test_a_guideline_prints_with_title_facts_text_and_footer():
    library = load_library(paths_from_env())
    guideline = library.get("underretninger")
    page = guideline_print_html(guideline, datetime(2026, 11, 30, 4, 10, tzinfo=UTC), set(library.guidelines))
    assert page.startswith("<!doctype html><html lang='da'>")
    assert f"<h1>{guideline.title}</h1>" in page
    for label in ("Version", "Gyldig fra", "Ansvarlig", "Lovgrundlag"):
        assert f"<dt>{label}</dt>" in page
    assert guideline.legal_refs[0] in page and guideline.owner in page
    assert "<footer>Udskrevet den man. 30. november 2026 kl. 05.10 – tjek altid den gældende version i Håndbogen</footer>" in page
    assert "position: fixed" in page  # the footer repeats on every printed page
