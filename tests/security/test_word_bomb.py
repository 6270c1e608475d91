"""Defect 1 of the third review: a 24 KB .docx that unpacks to a 20 MB document.xml ran pandoc
for two minutes at 6 GB. Now the archive is checked before anything is converted (per-part and
total unpacked size counted while reading, number of parts, compression ratio) and pandoc runs
with a time, CPU, heap and address-space limit. Also: `import` with an invalid id creates no
draft. (Time and peak memory of the refusal: bench/zip_bomb_bench.py.)"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from datetime import date

import pytest

from handbook.publishing import word_import
from handbook.publishing.word_import import WordImportError, convert
from handbook.settings import PROJECT_ROOT, PortalConfig
from handbook.store.database import Store
from tests.docx_builder import realistic_guideline, zip_bomb

TODAY = date(2026, 5, 4)


@pytest.fixture
def no_process(monkeypatch):
    """Fail the test if anything starts a process (pandoc) during the check."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"a process was started: {args[:1]}")

    monkeypatch.setattr(subprocess, "Popen", refuse)


def test_the_reviews_zip_bomb_is_refused_before_pandoc_starts(no_process):
    bomb = zip_bomb(20 * 1024 * 1024)
    assert len(bomb) < 30_000
    with pytest.raises(WordImportError, match=r"»bomb.docx« kan ikke importeres: delen »word/document.xml« fylder udpakket mere end 10 MB"):
        convert(bomb, "bomb.docx", PortalConfig(), set(), TODAY, "Leder")


def test_a_part_under_the_size_limit_but_packed_a_hundred_times_tighter_is_refused(no_process):
    with pytest.raises(WordImportError, match=r"delen »word/document.xml« er pakket usædvanligt tæt \(\d+ gange\)"):
        word_import.check_archive(zip_bomb(8 * 1024 * 1024), "tæt.docx")


def test_too_many_parts_are_refused(no_process):
    with pytest.raises(WordImportError, match=r"»mange.docx« kan ikke importeres: filen består af 1002 dele \(højst 1000\)"):
        word_import.check_archive(zip_bomb(10_000, entries=1000), "mange.docx")


def test_the_total_is_counted_over_all_parts(no_process, monkeypatch):
    monkeypatch.setattr(word_import, "MAX_TOTAL_BYTES", 3 * 1024 * 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        for number in range(4):
            archive.writestr(f"word/media/image{number}.png", bytes(range(256)) * 4096)  # 1 MB each, stored
    with pytest.raises(WordImportError, match=r"delen »word/media/image2.png« fylder udpakket mere end"):
        word_import.check_archive(buffer.getvalue(), "billeder.docx")


def test_a_part_that_lies_about_its_size_is_counted_while_reading(no_process):
    bomb = bytearray(zip_bomb(20 * 1024 * 1024))
    # Rewrite the declared unpacked size of document.xml (local header and central directory) to 1 KB.
    with zipfile.ZipFile(io.BytesIO(bytes(bomb))) as archive:
        info = archive.getinfo("word/document.xml")
        declared = info.file_size.to_bytes(4, "little")
    bomb = bytearray(bytes(bomb).replace(declared, (1024).to_bytes(4, "little")))
    with pytest.raises(WordImportError, match="kan ikke importeres|beskadiget"):
        word_import.check_archive(bytes(bomb), "løgn.docx")


def test_a_normal_document_still_passes_the_check_and_converts():
    data = realistic_guideline().bytes()
    word_import.check_archive(data, "underretninger.docx")
    assert convert(data, "underretninger.docx", PortalConfig(), set(), TODAY, "Leder").title


def test_pandoc_runs_with_a_heap_limit_and_its_refusal_is_danish(monkeypatch):
    monkeypatch.setattr(word_import, "PANDOC_HEAP", "8m")
    monkeypatch.setattr(word_import, "check_archive", lambda data, filename: None)  # pandoc's own limit alone
    with pytest.raises(WordImportError, match="»stor.docx« kræver for meget hukommelse at omsætte og er ikke importeret"):
        word_import.docx_to_markdown(zip_bomb(4 * 1024 * 1024), "stor.docx")


def test_pandoc_runs_with_a_time_limit(monkeypatch):
    monkeypatch.setattr(word_import, "PANDOC_SECONDS", 0.05)
    monkeypatch.setattr(word_import, "check_archive", lambda data, filename: None)
    with pytest.raises(WordImportError, match=r"»langsom.docx« tog for lang tid at omsætte \(over 0.05 sekunder\)"):
        word_import.docx_to_markdown(zip_bomb(4 * 1024 * 1024), "langsom.docx")


def run_cli(tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HANDBOOK_DATA_DIR": str(tmp_path / "data"), "HANDBOOK_INDEX_DIR": str(tmp_path / "index")}
    return subprocess.run([sys.executable, "-m", "handbook", *args], capture_output=True, text=True, cwd=PROJECT_ROOT, env=env, timeout=120, check=False)


def drafts(tmp_path) -> int:
    return Store(tmp_path / "data" / "handbook.db").db.execute("SELECT count(*) FROM drafts").fetchone()[0]


def test_the_cli_refuses_the_bomb_and_creates_no_draft(tmp_path):
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(zip_bomb(20 * 1024 * 1024))
    done = run_cli(tmp_path, "import", str(bomb))
    assert done.returncode == 1
    assert "»bomb.docx« kan ikke importeres: delen »word/document.xml« fylder udpakket mere end 10 MB" in done.stderr
    assert "Traceback" not in done.stderr
    assert drafts(tmp_path) == 0


def test_the_cli_import_with_an_invalid_id_creates_no_draft(tmp_path):
    document = realistic_guideline().save(tmp_path / "underretninger.docx")
    done = run_cli(tmp_path, "import", str(document), "--id", "Ugyldigt Id!")
    assert done.returncode == 1
    assert "Id'et kan ikke bruges: brug kun små bogstaver a-z, tal og bindestreger" in done.stderr
    assert drafts(tmp_path) == 0
    done = run_cli(tmp_path, "import", str(document), "--id", "Store Bogstaver")
    assert "Id'et 'Store Bogstaver' kan ikke bruges" in done.stderr and drafts(tmp_path) == 0
    assert run_cli(tmp_path, "import", str(document), "--id", "underretninger-2026").returncode == 0
    assert drafts(tmp_path) == 1
