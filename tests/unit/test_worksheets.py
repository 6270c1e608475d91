"""Method worksheets: the exported text of the Signs of Safety (sos), ICS and De tre huse
worksheets, CPR refusal, and saving only on request under a reference."""

from datetime import date

import pytest

from handbook.content.library import load_library
from handbook.identity import auth
from handbook.identity.auth import PermissionDenied
from handbook.methods.sheets import new_sheet, overview, sheet_page
from handbook.methods.worksheets import (
    ICS_COVERAGE,
    ICS_DIMENSIONS,
    IcsWorksheet,
    SosWorksheet,
    ThreeHouses,
    WorksheetError,
    ics_markdown,
    load_worksheet,
    printable_html,
    save_worksheet,
    sos_markdown,
    three_houses_markdown,
)
from handbook.privacy.cpr import PersonalDataError
from handbook.settings import paths_from_env
from handbook.store.database import Store

DAY = date(2026, 11, 23)


def filled_sos() -> SosWorksheet:
    sheet = SosWorksheet()
    sheet.add_item("Hvad bekymrer os?", "Far råber ad børnene om aftenen")
    sheet.add_item("Hvad bekymrer os?", "Mor er meget træt")
    sheet.add_item("Hvad fungerer godt?", "Farmor henter i skolen")
    sheet.add_item("Hvad fungerer godt?", "Barnet kommer i skole hver dag")
    sheet.add_item("Hvad skal der ske?", "Netværksmøde om 14 dage")
    sheet.add_item("Hvad skal der ske?", "Plan for aftenerne")
    sheet.set_statements("Vi er bekymrede for, at børnene bliver bange om aftenen.", "Om tre måneder er aftenerne rolige.")
    for initials, value in (("mor", 4), ("FAR", 6), ("RÅD", 3)):
        sheet.add_scaling(initials, value)
    return sheet


def test_sos_markdown_lists_the_columns_statements_and_scalings():
    text = sos_markdown(filled_sos(), DAY)
    assert text.startswith("# Signs of Safety – kortlægning\n\nDato: 23. november 2026\n")
    assert "## Hvad bekymrer os?\n\n- Far råber ad børnene om aftenen\n- Mor er meget træt\n" in text
    assert "## Hvad fungerer godt?\n\n- Farmor henter i skolen\n- Barnet kommer i skole hver dag\n" in text
    assert "## Hvad skal der ske?\n\n- Netværksmøde om 14 dage\n- Plan for aftenerne\n" in text
    assert "## Farebeskrivelse\n\nVi er bekymrede for, at børnene bliver bange om aftenen.\n" in text
    assert "## Sikkerhedsmål\n\nOm tre måneder er aftenerne rolige.\n" in text
    assert "- MOR: 4\n- FAR: 6\n- RÅD: 3\n\nMedian 4; spredning 3–6\n" in text


def test_sos_items_scalings_and_statements_are_checked():
    sheet = SosWorksheet()
    with pytest.raises(PersonalDataError, match="Punktet i »Hvad bekymrer os\\?« ser ud til at indeholde et CPR-nummer"):
        sheet.add_item("Hvad bekymrer os?", "Barnet 010203-1234")
    with pytest.raises(PersonalDataError, match="Farebeskrivelsen"):
        sheet.set_statements("Se 0102031234", "")
    with pytest.raises(WorksheetError, match="initialer"):
        sheet.add_scaling("Anne Hansen", 5)
    with pytest.raises(WorksheetError, match="fra 0 til 10"):
        sheet.add_scaling("AB", 11)
    assert sheet.columns["Hvad bekymrer os?"] == [] and sheet.scalings == []


def test_sos_items_can_be_removed():
    sheet = filled_sos()
    sheet.remove_item("Hvad bekymrer os?", 0)
    assert sheet.columns["Hvad bekymrer os?"] == ["Mor er meget træt"]


def test_ics_markdown_has_every_dimension_and_the_coverage_check():
    sheet = IcsWorksheet()
    sheet.set_note("Barnets udvikling – Sundhedsforhold", "Sundhedsplejen ser normal vækst.")
    sheet.coverage = {"barn": True, "familie": True}
    text = ics_markdown(sheet, DAY)
    assert len(ICS_DIMENSIONS) == 10
    assert "## Barnets udvikling\n\n### Sundhedsforhold\n\nSundhedsplejen ser normal vækst.\n" in text
    assert text.count("(ikke belyst)") == 9
    assert f"- [x] {ICS_COVERAGE[0][1]}" in text and f"- [ ] {ICS_COVERAGE[2][1]}" in text
    assert text.rstrip().endswith("Mangler: 3 af 5 områder.")
    with pytest.raises(PersonalDataError):
        sheet.set_note("Familie og netværk – Netværk", "Morfar 1212121212")


def test_three_houses_markdown_keeps_the_childs_words_per_house():
    sheet = ThreeHouses()
    sheet.add_item("Bekymringernes hus", "Når far råber")
    sheet.add_item("Det godes hus", "Fodbold med farmor")
    sheet.add_item("Drømmenes hus", "At alle er glade om aftenen")
    sheet.shared_with_parents = True
    text = three_houses_markdown(sheet, DAY)
    assert "## Bekymringernes hus (det, der er svært)\n\n- Når far råber\n" in text
    assert "## Drømmenes hus (hvordan det ville være, hvis problemerne var løst)\n\n- At alle er glade om aftenen\n" in text
    assert text.rstrip().endswith("Aftalt med barnet, hvad forældrene må se: ja")


def test_the_printable_page_is_escaped_html():
    sheet = SosWorksheet()
    sheet.add_item("Hvad skal der ske?", "<script>alert(1)</script> møde")
    page = printable_html(sos_markdown(sheet, DAY), "Signs of Safety")
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert page.startswith("<!doctype html>") and "<h1" in page


def test_sos_worksheet_is_stored_only_when_saved_under_a_reference(tmp_path):
    store = Store(tmp_path / "h.db")
    user = auth.add_user(store, "mads", "en-lang-adgangskode", "medarbejder")
    assert store.db["worksheets"].count == 0
    with pytest.raises(WorksheetError, match="reference"):
        save_worksheet(store, user, "sos", filled_sos(), "  ")
    with pytest.raises(PersonalDataError):
        save_worksheet(store, user, "sos", filled_sos(), "010203-1234")
    with pytest.raises(PermissionDenied):
        save_worksheet(store, None, "sos", filled_sos(), "Sag 17")
    save_worksheet(store, user, "sos", filled_sos(), "Sag 17")
    loaded = load_worksheet(store, user, "sos", "Sag 17")
    assert loaded.scalings == [("MOR", 4), ("FAR", 6), ("RÅD", 3)] and loaded.reference == "Sag 17"
    assert sos_markdown(loaded, DAY).count("Reference: Sag 17") == 1
    other = auth.add_user(store, "sofie", "en-lang-adgangskode", "medarbejder")
    assert load_worksheet(store, other, "sos", "Sag 17") is None


LIBRARY = load_library(paths_from_env({}))


def test_the_overview_lists_the_method_guides_and_the_figures_with_their_text_alternatives():
    shown = overview(LIBRARY)
    assert shown.methods and all(g.type == "metode" for g in shown.methods)
    assert {g.id for g in shown.methods} == {g.id for g in LIBRARY.all() if g.type == "metode"}
    assert shown.triangle.svg.startswith("<svg") and "Barnets udvikling" in shown.triangle.text and shown.triangle.caption.startswith("ICS-trekanten:")
    assert shown.funnel.caption.startswith("Tragtmodellen:") and shown.combination.startswith("**ICS er rammen, SOS er samtalen.**")
    assert len(shown.dimensions) == 3 and shown.dimensions[0].startswith("**Barnets udvikling**\n\n- **Sundhedsforhold** – ")


def test_each_worksheet_links_its_guideline_and_the_method_guides_it_builds_on():
    ics = sheet_page("ics", LIBRARY)
    assert ics.heading == "ICS-ark til den børnefaglige undersøgelse" and ics.guideline.id == "boernefaglig-undersoegelse"
    assert [(label, g.id) for label, g in ics.methods] == [(f"Metoden: {LIBRARY.get('ics').title}", "ics")]
    houses = sheet_page("tre-huse", LIBRARY)
    assert houses.guideline.id == "signs-of-safety" and [(label, g.id) for label, g in houses.methods] == [(LIBRARY.get("boernesamtale").title, "boernesamtale")]
    assert sheet_page("sos", LIBRARY).methods == []


def test_a_filled_worksheet_gives_its_status_and_dated_exports_for_the_journal():
    sos = sheet_page("sos", LIBRARY).filled(filled_sos(), DAY)
    assert sos.markdown == sos_markdown(filled_sos(), DAY) and (sos.markdown_file, sos.printable_file) == ("sos-2026-11-23.md", "sos-2026-11-23.html")
    assert sos.printable.startswith("<!doctype html>") and "<title>Signs of Safety – kortlægning</title>" in sos.printable
    assert sos.scaling is not None and sos.scaling.caption == "Median 4; spredning 3–6 · MOR: 4, FAR: 6, RÅD: 3" and sos.coverage is None
    assert sheet_page("sos", LIBRARY).filled(new_sheet("sos"), DAY).scaling is None
    ics = new_sheet("ics")
    assert sheet_page("ics", LIBRARY).filled(ics, DAY).coverage == (False, "Mangler 5 af 5: " + "; ".join(label for _, label in ICS_COVERAGE))
    ics.coverage = {key: True for key, _ in ICS_COVERAGE}
    assert sheet_page("ics", LIBRARY).filled(ics, DAY).coverage == (True, "Alle områder er belyst.")
    houses = sheet_page("tre-huse", LIBRARY).filled(new_sheet("tre-huse"), DAY)
    assert houses.markdown_file == "tre-huse-2026-11-23.md" and houses.scaling is None and houses.coverage is None
