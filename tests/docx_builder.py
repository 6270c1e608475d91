"""Build realistic Word documents in tests with python-docx: headings, formatted runs, links,
real multi-level (nested) numbered and bulleted lists, tables and an image."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.oxml.shared import OxmlElement, qn
from docx.shared import Inches

BULLETS, NUMBERS = 901, 902


def _levels(kind: str) -> str:
    levels = []
    for ilvl in range(3):
        fmt, text = ("bullet", "•") if kind == "bullet" else ("decimal", f"%{ilvl + 1}.")
        indent = 720 * (ilvl + 1)
        levels.append(
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
            f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{indent}" w:hanging="360"/></w:pPr></w:lvl>'
        )
    return "".join(levels)


class WordDocument:
    """A python-docx document with helpers for what a municipal guideline contains."""

    def __init__(self) -> None:
        self.doc = Document()
        numbering = self.doc.part.numbering_part.element
        for num_id, kind in ((BULLETS, "bullet"), (NUMBERS, "number")):
            abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{num_id}"><w:multiLevelType w:val="multilevel"/>{_levels(kind)}</w:abstractNum>')
            numbering.insert(0, abstract)
            numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/></w:num>'))

    def heading(self, text: str, level: int = 1) -> WordDocument:
        self.doc.add_heading(text, level)
        return self

    def paragraph(self, *parts: str | tuple[str, str]) -> WordDocument:
        """Plain strings, ("bold", text), ("italic", text) or ("link:URL", text)."""
        par = self.doc.add_paragraph()
        for part in parts:
            style, text = ("", part) if isinstance(part, str) else part
            if style.startswith("link:"):
                self._link(par, style[5:], text)
                continue
            run = par.add_run(text)
            run.bold = style == "bold"
            run.italic = style == "italic"
        return self

    def item(self, text: str, numbered: bool = False, level: int = 0) -> WordDocument:
        par = self.doc.add_paragraph(text, style="List Paragraph")
        num_pr = OxmlElement("w:numPr")
        ilvl, num_id = OxmlElement("w:ilvl"), OxmlElement("w:numId")
        ilvl.set(qn("w:val"), str(level))
        num_id.set(qn("w:val"), str(NUMBERS if numbered else BULLETS))
        num_pr.append(ilvl)
        num_pr.append(num_id)
        par._p.get_or_add_pPr().append(num_pr)
        return self

    def table(self, rows: list[tuple[str, ...]]) -> WordDocument:
        table = self.doc.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = "Table Grid"
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                table.cell(i, j).text = value
        return self

    def image(self) -> WordDocument:
        self.doc.add_picture(io.BytesIO(_tiny_png()), width=Inches(1))
        return self

    def save(self, path: Path) -> Path:
        self.doc.save(str(path))
        return path

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()

    @staticmethod
    def _link(par, url: str, text: str) -> None:
        r_id = par.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), r_id)
        run, t = OxmlElement("w:r"), OxmlElement("w:t")
        t.text = text
        run.append(t)
        link.append(run)
        par._p.append(link)


def _tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b"")


def realistic_guideline() -> WordDocument:
    """A Danish guideline as a department keeps it in Word."""
    return (
        WordDocument()
        .heading("Modtagelse og vurdering af underretninger", 1)
        .paragraph("Retningslinjen beskriver, hvordan modtageteamet behandler en underretning efter ", ("bold", "barnets lov § 136"), " og ", ("italic", "servicelovens § 155"), ". Se ", ("link:https://www.retsinformation.dk", "retsinformation"), ".")
        .heading("Frister", 2)
        .item("Vurdér inden for 24 timer, om barnet har brug for akut hjælp.", numbered=True)
        .item("Send kvittering til underretteren inden for 6 hverdage.", numbered=True)
        .item("Gælder kun fagpersoner, jf. § 133.", level=1)
        .item("Afgør, om der skal laves en børnefaglig undersøgelse efter §§ 20-23.", numbered=True)
        .heading("Ansvar", 2)
        .table([("Trin", "Hvem", "Frist"), ("Screening", "Modtageteamet", "24 timer"), ("Kvittering", "Sagsbehandler", "6 hverdage")])
        .heading("Tjekpunkter", 3)
        .item("Er barnet i akut fare?")
        .item("Kontakt politiet ved mistanke om overgreb.", level=1)
        .item("Er der tidligere underretninger?")
        .image()
        .paragraph("Figuren viser arbejdsgangen.")
    )


def zip_bomb(unpacked_bytes: int = 20 * 1024 * 1024, entries: int = 1) -> bytes:
    """A .docx whose word/document.xml unpacks to about unpacked_bytes of one paragraph repeated
    (about 24 KB packed for 20 MB), as in the third security review; entries > 1 adds that many
    tiny parts."""
    paragraph = b"<w:p><w:r><w:t>" + b"a" * 65536 + b"</w:t></w:r></w:p>"
    head = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    tail = b"</w:body></w:document>"
    body = head + paragraph * max(1, (unpacked_bytes - len(head) - len(tail)) // len(paragraph)) + tail
    types = (
        b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    rels = (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("word/document.xml", body)
        for number in range(entries - 1):
            archive.writestr(f"customXml/item{number}.xml", b"<a/>")
    return buffer.getvalue()
