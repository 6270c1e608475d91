"""Word import: .docx files built here with python-docx become valid draft guidelines."""

import subprocess
import sys
from datetime import date

import pytest

from handbook.content.guideline import parse_guideline_text
from handbook.identity.auth import User
from handbook.privacy.cpr import PersonalDataError
from handbook.publishing import drafts as pub
from handbook.publishing.word_import import WordImportError, convert, legal_refs, slugify
from handbook.settings import PROJECT_ROOT, load_portal_config
from handbook.store.database import Store
from tests.docx_builder import WordDocument, realistic_guideline

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def config():
    return load_portal_config(PROJECT_ROOT / "config" / "portal.yaml")


@pytest.fixture(scope="module")
def imported(config):
    return convert(realistic_guideline().bytes(), "underretninger.docx", config, set(), TODAY, "Afdelingsleder")


def body_of(text: str) -> str:
    return pub.split_text(text)[1]


def test_a_realistic_guideline_becomes_a_valid_draft_with_title_and_legal_refs(imported, config):
    assert imported.problems == []
    result = parse_guideline_text(imported.text, PROJECT_ROOT / "kladde.md", config)
    assert result.problems == []
    guideline = result.guideline
    assert guideline.title == "Modtagelse og vurdering af underretninger"
    assert guideline.id == "modtagelse-og-vurdering-af-underretninger"
    assert guideline.legal_refs == ("Barnets lov § 136", "Serviceloven § 155", "Barnets lov § 133", "Barnets lov § 20")
    assert guideline.version == "1.0" and guideline.effective == TODAY and guideline.owner == "Afdelingsleder"


def test_headings_lists_tables_and_formatting_are_kept(imported):
    body = body_of(imported.text)
    assert "## Frister" in body and "## Ansvar" in body and "### Tjekpunkter" in body
    assert "# Modtagelse" not in body  # the first heading became the title
    assert "**barnets lov § 136**" in body and "*servicelovens § 155*" in body
    assert "[retsinformation](https://www.retsinformation.dk)" in body
    assert "| Trin" in body and "| Screening  | Modtageteamet | 24 timer   |" in body
    lines = body.splitlines()
    numbered = [line for line in lines if line[:2] in ("1.", "2.", "3.")]
    assert len(numbered) == 3
    nested = next(line for line in lines if "Gælder kun fagpersoner" in line)
    top = next(line for line in lines if "Er barnet i akut fare?" in line)
    child = next(line for line in lines if "Kontakt politiet" in line)
    assert nested.startswith("    - ") and top.startswith("- ") and child.startswith("  - ")


def test_images_are_left_out_with_a_note(imported):
    assert imported.images_left_out == 1
    body = body_of(imported.text)
    assert "Billede udeladt ved import fra Word" in body and "media/" not in body and "![" not in body


def test_id_and_tema_can_be_given(config):
    doc = WordDocument().heading("Samvær og kontakt").paragraph("Tekst om samvær efter § 83.")
    result = convert(doc.bytes(), "s.docx", config, set(), TODAY, "Leder", guideline_id="samvaer", tema="Anbringelse")
    fields, _ = pub.split_text(result.text)
    assert (fields["id"], fields["tema"], fields["legal_refs"]) == ("samvaer", "Anbringelse", ["Barnets lov § 83"])


def test_a_cpr_number_in_the_document_is_refused_with_the_section(config):
    doc = WordDocument().heading("Eksempel").heading("Sagen", 2).paragraph("Barnet med CPR 010203-1234 blev underrettet.")
    with pytest.raises(PersonalDataError, match="»eksempel.docx« ser ud til at indeholde et CPR-nummer i afsnittet »Sagen«"):
        convert(doc.bytes(), "eksempel.docx", config, set(), TODAY, "Leder")


def test_a_cpr_number_in_a_table_is_refused_too(config):
    doc = WordDocument().heading("Eksempel").table([("Navn", "CPR"), ("X", "0102031234")])
    with pytest.raises(PersonalDataError, match="CPR-nummer"):
        convert(doc.bytes(), "tabel.docx", config, set(), TODAY, "Leder")


def test_an_empty_document_gets_a_clear_message(config):
    with pytest.raises(WordImportError, match="»tom.docx« er tomt: der er ingen tekst at importere."):
        convert(WordDocument().bytes(), "tom.docx", config, set(), TODAY, "Leder")


def test_a_file_that_is_not_a_docx_gets_a_clear_message(config):
    with pytest.raises(WordImportError, match="»notat.docx« er ikke et Word-dokument \\(.docx\\), selv om navnet slutter på .docx"):
        convert(b"%PDF-1.4 this is a pdf renamed", "notat.docx", config, set(), TODAY, "Leder")
    with pytest.raises(WordImportError, match="er tom"):
        convert(b"", "nul.docx", config, set(), TODAY, "Leder")


def test_an_existing_id_is_refused_when_the_draft_is_made(config, tmp_path):
    doc = WordDocument().heading("Underretninger").paragraph("Tekst.")
    result = convert(doc.bytes(), "u.docx", config, {"underretninger"}, TODAY, "Leder")
    assert result.guideline_id == "underretninger"
    with pytest.raises(pub.WorkflowError, match="bruges allerede"):
        pub.start_new_guideline(Store(tmp_path / "db"), User("r", "R", "redaktør"), result.text, {"underretninger"})


def test_paragraph_mentions_and_slugs():
    assert legal_refs("jf. barnets lov § 5, stk. 3, §§ 20-23, servicelovens § 155 a og § 50 i serviceloven") == (
        "Barnets lov § 5", "Barnets lov § 20", "Serviceloven § 155 a", "Serviceloven § 50")
    assert slugify("Børnesamtale før afgørelse (§ 5)") == "boernesamtale-foer-afgoerelse-5"


def test_the_command_line_imports_a_docx_as_a_draft(tmp_path, content_root):
    source = realistic_guideline().save(tmp_path / "vejledning.docx")
    env = {"HANDBOOK_CONTENT_DIR": str(content_root), "HANDBOOK_DATA_DIR": str(tmp_path / "data"), "HANDBOOK_INDEX_DIR": str(tmp_path / "index"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "handbook", "import", str(source), "--id", "ny-underretning", "--tema", "Underretninger"], capture_output=True, text=True, cwd=PROJECT_ROOT, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert "»Modtagelse og vurdering af underretninger« er importeret som kladde nr. 1 (id 'ny-underretning')" in done.stdout
    assert "1 billede(r) er udeladt" in done.stdout
    renamed = tmp_path / "falsk.docx"
    renamed.write_text("ikke word")
    refused = subprocess.run([sys.executable, "-m", "handbook", "import", str(renamed)], capture_output=True, text=True, cwd=PROJECT_ROOT, env=env, check=False)
    assert refused.returncode == 1 and "»falsk.docx« er ikke et Word-dokument" in refused.stderr


def test_a_paragraph_in_words_title_style_is_the_title_and_properties_fill_keywords(config):
    doc = WordDocument()
    doc.doc.add_heading("Børnesamtalen", 0)  # Word's Title style, not Heading 1
    doc.doc.add_paragraph("Hvordan og hvornår vi taler med barnet", style="Subtitle")
    doc.doc.core_properties.keywords = "børnesamtale, barnets perspektiv"
    doc.paragraph("Samtalen holdes før afgørelsen, jf. § 5.").heading("Forberedelse", 1).paragraph("Aftal tid og sted.")
    result = convert(doc.bytes(), "samtale.docx", config, set(), TODAY, "Leder")
    fields, body = pub.split_text(result.text)
    assert (fields["title"], fields["summary"]) == ("Børnesamtalen", "Hvordan og hvornår vi taler med barnet")
    assert fields["keywords"] == ["børnesamtale", "barnets perspektiv"]
    assert "## Forberedelse" in body and result.problems == []


def test_tables_with_merged_cells_and_several_paragraphs_in_a_cell_are_kept(config):
    doc = WordDocument().heading("Ansvar").table([("Trin", "Hvem", "Frist"), ("Screening", "Modtageteamet", "24 timer"), ("Kvittering", "Sagsbehandler", "6 hverdage"), ("Opfølgning", "Rådgiver", "3 måneder")])
    table = doc.doc.tables[0]
    table.cell(1, 1).merge(table.cell(2, 1))  # one team for two steps (vertical merge)
    table.cell(3, 0).merge(table.cell(3, 1))  # horizontal merge
    table.cell(3, 2).add_paragraph("derefter efter behov")
    body = pub.split_text(convert(doc.bytes(), "ansvar.docx", config, set(), TODAY, "Leder").text)[1]
    assert "[TABLE]" not in body
    rows = [line for line in body.splitlines() if line.startswith("|")]
    assert len(rows) == 5 and all(row.count("|") == 4 for row in rows)  # header, rule, three rows: 3 columns each
    assert "Modtageteamet" in rows[2] and "Sagsbehandler" in rows[2]  # merged text stays in the first cell
    assert "3 måneder; derefter efter behov" in rows[4] and "Opfølgning" in rows[4]


def test_a_short_first_paragraph_becomes_the_summary_and_is_not_repeated_in_the_body(config):
    doc = WordDocument().heading("Samvær og kontakt").paragraph("Sådan aftaler vi samvær for anbragte børn.")
    doc.heading("Aftalen", 2).paragraph("Samværet aftales med forældrene efter § 83.")
    fields, body = pub.split_text(convert(doc.bytes(), "samvaer.docx", config, set(), TODAY, "Leder").text)
    assert fields["summary"] == "Sådan aftaler vi samvær for anbragte børn."
    assert "Sådan aftaler vi samvær" not in body and body.startswith("## Aftalen")
