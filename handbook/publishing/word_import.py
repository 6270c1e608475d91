"""Word import: a .docx becomes the text of a draft guideline.

Conversion is done by pandoc (through pypandoc-binary, whose wheel carries the binary) to
GitHub-flavoured Markdown without raw HTML (footnotes as numbered notes at the end, since the renderer has no footnote syntax): headings, numbered and bulleted lists (nested),
tables (as pipe tables; merged cells are split and multi-paragraph cells joined by
docx_tables.lua, since pandoc would otherwise write "[TABLE]"), bold, italic and links survive. Mammoth was compared and not chosen:
its Markdown writer drops tables (and is deprecated), so it would need a second HTML-to-Markdown
converter; see docs/architecture.md. Images are left out with a note in the draft. The front
matter is filled where the document allows it (title from the first heading, `legal_refs` from
"§ N" mentions) and the result is checked by the same validator as every draft, with the CPR
guard first.
"""

from __future__ import annotations

import html
import math
import re
import resource
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path

import yaml

from handbook.privacy.cpr import PersonalDataError, contains_cpr
from handbook.problems import ContentProblem
from handbook.publishing.drafts import check_text, compose_text
from handbook.settings import PortalConfig

TABLE_FILTER = Path(__file__).with_name("docx_tables.lua")
IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)(\{[^}]*\})?")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
LAW_NAMES = {"barnets": "Barnets lov", "servicelov": "Serviceloven", "forvaltningslov": "Forvaltningsloven", "persondatalov": "Persondataloven", "databeskyttelseslov": "Databeskyttelsesloven"}
# "§ 20", "§§ 20-23", "barnets lov § 136", "servicelovens § 155 a", "§ 5, stk. 3"
_LAW = r"barnets\s+lovs?|servicelov(?:en|ens)?|forvaltningslov(?:en|ens)?|persondatalov(?:en|ens)?|databeskyttelseslov(?:en|ens)?"
PARAGRAPH = re.compile(
    rf"(?:(?P<law>{_LAW})\s+)?§§?\s*(?P<number>\d+)(?:\s?(?P<letter>[a-g])\b)?(?:[^§.\n]{{0,20}}?\s(?:i|efter)\s+(?P<after>{_LAW}))?",
    re.IGNORECASE,
)
IMAGE_NOTE = "*[Billede udeladt ved import fra Word. Indsæt det som tekst eller en tabel, eller henvis til, hvor det findes.]*"
DEFAULT_TEMA = "Importeret"


class WordImportError(ValueError):
    """The file cannot be imported, with a Danish message naming the file and what is wrong."""


@dataclass(frozen=True)
class ImportedGuideline:
    """A converted document: the draft text, what was filled in, and the validator's problems."""

    text: str
    guideline_id: str
    title: str
    legal_refs: tuple[str, ...]
    images_left_out: int
    problems: list[ContentProblem]


def docx_to_markdown(data: bytes, filename: str) -> str:
    """The document as GitHub-flavoured Markdown (no raw HTML), images still in it, with
    pandoc's YAML metadata block first (a paragraph in Word's Title style becomes `title`).
    The archive is checked first (check_archive), and pandoc runs with a time and a memory limit."""
    check_archive(data, filename)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "import.docx"
        source.write_bytes(data)
        return run_pandoc([str(source), "--from=docx", "--to=gfm-raw_html-footnotes", "--wrap=none", "--standalone", "--sandbox", f"--lua-filter={TABLE_FILTER}"], filename)


# What a .docx may hold before pandoc is started (a long handbook chapter with pictures is a few
# megabytes; a zip bomb unpacks a few kilobytes into gigabytes).
MAX_ENTRIES = 1000
MAX_ENTRY_BYTES = 10 * 1024 * 1024  # one part unpacked, e.g. word/document.xml
MAX_TOTAL_BYTES = 60 * 1024 * 1024  # all parts unpacked, pictures included
MAX_RATIO = 100  # unpacked / packed for a part above RATIO_FROM_BYTES (Word's XML: about 5-15)
RATIO_FROM_BYTES = 1024 * 1024
PANDOC_SECONDS = 30
PANDOC_MEMORY_BYTES = 1024 * 1024 * 1024  # address space; pandoc's heap is held to PANDOC_HEAP
PANDOC_HEAP = "400m"


def check_archive(data: bytes, filename: str) -> None:
    """Refuse a file that is not a .docx, or whose unpacked parts are too many, too large or
    packed suspiciously tightly (a zip bomb), before anything is unpacked or converted. The
    sizes are counted while reading (the archive's own size fields could lie), and reading stops
    at the limit."""
    _require_docx(data, filename)
    refusal = f"»{filename}« kan ikke importeres: "
    advice = " Gem dokumentet igen i Word som .docx (uden indlejrede filer), eller del det op, og prøv igen."
    with zipfile.ZipFile(BytesIO(data)) as archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise WordImportError(refusal + f"filen består af {len(entries)} dele (højst {MAX_ENTRIES})." + advice)
        total = 0
        for entry in entries:
            size = _unpacked_size(archive, entry, min(MAX_ENTRY_BYTES, MAX_TOTAL_BYTES - total), refusal + f"delen »{entry.filename[:80]}« fylder udpakket mere end {_mb(MAX_ENTRY_BYTES)} (højst {_mb(MAX_ENTRY_BYTES)} pr. del, {_mb(MAX_TOTAL_BYTES)} i alt)." + advice)
            if size > RATIO_FROM_BYTES and size > MAX_RATIO * max(entry.compress_size, 1):
                raise WordImportError(refusal + f"delen »{entry.filename[:80]}« er pakket usædvanligt tæt ({size // max(entry.compress_size, 1)} gange); sådan ser et Word-dokument ikke ud." + advice)
            total += size


def _unpacked_size(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, limit: int, message: str) -> int:
    if entry.file_size > limit:
        raise WordImportError(message)
    size = 0
    try:
        with archive.open(entry) as part:
            while chunk := part.read(256 * 1024):
                size += len(chunk)
                if size > limit:
                    raise WordImportError(message)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError, RuntimeError) as exc:
        raise WordImportError(message.split(":")[0] + f": delen »{entry.filename[:80]}« er beskadiget eller krypteret. Gem dokumentet igen i Word som .docx, og prøv igen.") from exc
    return size


def _mb(size: int) -> str:
    return f"{size // (1024 * 1024)} MB"


def run_pandoc(arguments: list[str], filename: str) -> str:
    """Run the pandoc binary that pypandoc-binary ships with a wall-clock limit (PANDOC_SECONDS),
    a CPU limit, a heap limit for its runtime (+RTS -M) and an address-space limit (setrlimit),
    so a document that slipped past check_archive cannot exhaust the server."""
    import pypandoc  # imported here: only the import needs the pandoc binary

    command = [pypandoc.get_pandoc_path(), "+RTS", f"-M{PANDOC_HEAP}", "-RTS", *arguments]
    try:
        done = subprocess.run(command, capture_output=True, timeout=PANDOC_SECONDS, preexec_fn=_limit_resources, check=False)  # noqa: PLW1509 - no threads start in the child before exec
    except subprocess.TimeoutExpired:
        raise WordImportError(f"»{filename}« tog for lang tid at omsætte (over {PANDOC_SECONDS} sekunder) og er ikke importeret. Del dokumentet op, og prøv igen.") from None
    except OSError as exc:
        raise WordImportError(f"»{filename}« kunne ikke omsættes: Word-importen er ikke installeret korrekt på serveren ({exc.strerror}). Kontakt IT.") from exc
    if done.returncode != 0:
        error = done.stderr.decode("utf-8", "replace")
        if "heap overflow" in error or done.returncode < 0 or done.returncode == 251:
            raise WordImportError(f"»{filename}« kræver for meget hukommelse at omsætte og er ikke importeret. Del dokumentet op, og prøv igen.")
        raise WordImportError(f"»{filename}« kunne ikke læses som et Word-dokument. Gem det igen i Word som .docx, og prøv igen. ({error.strip()[:200]})")
    return done.stdout.decode("utf-8", "replace").replace("\r\n", "\n")


def _limit_resources() -> None:
    seconds = math.ceil(PANDOC_SECONDS)
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))
    resource.setrlimit(resource.RLIMIT_AS, (PANDOC_MEMORY_BYTES, PANDOC_MEMORY_BYTES))


def _require_docx(data: bytes, filename: str) -> None:
    if not data:
        raise WordImportError(f"»{filename}« er tom (0 byte).")
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise WordImportError(f"»{filename}« er ikke et Word-dokument (.docx): filen mangler selve dokumentdelen. Gem dokumentet i Word som .docx, og prøv igen.")
    except zipfile.BadZipFile:
        named = ", selv om navnet slutter på .docx" if filename.lower().endswith(".docx") else ""
        raise WordImportError(
            f"»{filename}« er ikke et Word-dokument (.docx){named}. "
            "Åbn filen i Word, og gem den som »Word-dokument (.docx)«; gamle .doc-filer og PDF kan ikke importeres."
        ) from None
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError, ValueError, OSError, EOFError) as exc:
        if isinstance(exc, WordImportError):
            raise
        raise WordImportError(f"»{filename}« er beskadiget og kan ikke læses som et Word-dokument. Gem det igen i Word som .docx, og prøv igen.") from None


def convert(data: bytes, filename: str, config: PortalConfig, known_ids: set[str], today: date, owner: str, guideline_id: str | None = None, tema: str | None = None) -> ImportedGuideline:
    """A .docx as the text of a new draft guideline; WordImportError or PersonalDataError
    (with the place in the document) when it cannot be one."""
    metadata, markdown = _split_metadata(docx_to_markdown(data, filename))
    markdown, images = IMAGE.subn(IMAGE_NOTE, markdown)
    lines = [line.rstrip() for line in markdown.replace("\u00a0", " ").splitlines()]
    if not any(line.strip() and line.strip() not in ("&nbsp;", IMAGE_NOTE) for line in lines):
        raise WordImportError(f"»{filename}« er tomt: der er ingen tekst at importere." + (" Dokumentet indeholder kun billeder." if images else ""))
    _refuse_cpr(lines + [str(v) for v in metadata.values()], filename)
    meta_title = _plain(str(metadata.get("title") or ""))
    title, body_lines = (meta_title, lines) if meta_title else _split_title(lines, filename)
    body = "\n".join(_shift_headings(body_lines)).strip()
    body = re.sub(r"\n(?:&nbsp;\n)+", "\n", body)
    refs = legal_refs(markdown)
    summary = _plain(str(metadata.get("subtitle") or ""))
    if not summary:
        summary, body = _lead(body)
    new_id = (guideline_id or slugify(title)).strip()
    fields = {
        "id": new_id,
        "title": title,
        "type": "retningslinje",
        "tema": (tema or DEFAULT_TEMA).strip(),
        "legal_refs": list(refs),
        "version": "1.0",
        "effective": today,
        "owner": owner,
        "summary": summary,
        "keywords": _keywords(metadata.get("keywords") or _core_keywords(data)),
        "change_note": "Importeret fra Word.",
    }
    text = compose_text(fields, body)
    _, problems = check_text(text, config, known_ids)
    return ImportedGuideline(text, new_id, title, refs, images, problems)


def _split_metadata(markdown: str) -> tuple[dict, str]:
    """pandoc's YAML metadata block (title, subtitle, keywords from the document) and the rest."""
    match = re.match(r"^---\n(.*?)\n---\n", markdown, re.DOTALL)
    if not match:
        return {}, markdown
    try:
        metadata = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        metadata = None
    return (metadata if isinstance(metadata, dict) else {}), markdown[match.end():]


def _core_keywords(data: bytes) -> str:
    """The keywords of Word's document properties (Filer → Oplysninger → Egenskaber)."""
    with zipfile.ZipFile(BytesIO(data)) as archive:
        try:
            core = archive.read("docProps/core.xml").decode("utf-8", "replace")
        except KeyError:
            return ""
    match = re.search(r"<cp:keywords>(.*?)</cp:keywords>", core, re.DOTALL)
    return html.unescape(match.group(1)) if match else ""


def _keywords(value) -> list[str]:
    items = value if isinstance(value, list) else re.split(r"[,;]", str(value or ""))
    return [word for item in items if (word := _plain(str(item)))]


def _refuse_cpr(lines: list[str], filename: str) -> None:
    heading = ""
    for line in lines:
        match = HEADING.match(line)
        if match:
            heading = match.group(2)
        if contains_cpr(line):
            where = f" i afsnittet »{heading}«" if heading and not contains_cpr(heading) else ""
            raise PersonalDataError(
                f"»{filename}« ser ud til at indeholde et CPR-nummer{where}. Fjern det i Word, og importér igen; "
                "CPR-numre og navne på borgere hører ikke hjemme i Håndbogen."
            )


def _split_title(lines: list[str], filename: str) -> tuple[str, list[str]]:
    for index, line in enumerate(lines):
        match = HEADING.match(line)
        if match and _plain(match.group(2)):
            return _plain(match.group(2)), lines[:index] + lines[index + 1:]
    return Path(filename).stem.replace("_", " ").strip() or "Importeret retningslinje", lines


def _shift_headings(lines: list[str]) -> list[str]:
    """The body's top headings become level 2 (the title is level 1), keeping their nesting."""
    levels = [len(m.group(1)) for line in lines if (m := HEADING.match(line))]
    if not levels:
        return lines
    shift = 2 - min(levels)
    return [f"{'#' * min(6, len(m.group(1)) + shift)} {m.group(2)}" if (m := HEADING.match(line)) else line for line in lines]


def _plain(text: str) -> str:
    """Heading text without Markdown emphasis, escapes or links."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\\(.)", r"\1", text)
    return re.sub(r"[*_`]+", "", text).strip()


def _lead(body: str) -> tuple[str, str]:
    """The summary and the body. A short first paragraph before any heading is an introduction:
    it moves to the summary and leaves the body, so it is not shown twice. One with a link stays
    in the body (a summary is plain text and would lose the link), and the summary is left for
    the editor to write, as it is when the document starts with a heading or a list."""
    blocks = re.split(r"\n\s*\n", body)
    first = blocks[0].strip()
    if not first or first.startswith(("#", "|", "-", "*[", ">")) or re.match(r"^\d+\.", first) or re.search(r"\]\([^)]*\)", first):
        return "", body
    text = " ".join(_plain(first).split())
    return (text, "\n\n".join(blocks[1:]).strip()) if len(text) <= 300 else ("", body)


def legal_refs(text: str) -> tuple[str, ...]:
    """Every "§ N" mentioned, as "Barnets lov § N" unless another law is named before it."""
    refs: list[str] = []
    for match in PARAGRAPH.finditer(text):
        law_text = (match.group("law") or match.group("after") or "barnets").casefold()
        law = next((name for stem, name in LAW_NAMES.items() if law_text.startswith(stem)), "Barnets lov")
        number = match.group("number") + (f" {match.group('letter').lower()}" if match.group("letter") else "")
        ref = f"{law} § {number}"
        if ref not in refs:
            refs.append(ref)
    return tuple(refs)


def slugify(title: str) -> str:
    """A guideline id from a title: lower case, æ/ø/å spelled out, words joined by hyphens."""
    text = title.casefold().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    words = re.findall(r"[a-z0-9]+", text)
    return "-".join(words)[:60].strip("-") or "importeret"
