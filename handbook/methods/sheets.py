"""What the Metoder page shows: the overview of the method guides with the ICS triangle and the
tragtmodel, and for each worksheet its heading, the guidelines it belongs to, and (once filled
in) its status and its exports for the journal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import altair as alt

from handbook.content.guideline import Guideline
from handbook.content.library import Library
from handbook.methods.figures import funnel_svg, funnel_text, ics_triangle_svg, ics_triangle_text
from handbook.methods.worksheets import (
    COMBINATION,
    ICS_SIDES,
    KINDS,
    SOS_SCALE,
    IcsWorksheet,
    SosWorksheet,
    Worksheet,
    ics_markdown,
    printable_html,
    sos_markdown,
    three_houses_markdown,
)
from handbook.trivsel.charts import scaling_chart

SHEETS = {"oversigt": "Metoderne", "sos": "Signs of Safety-ark", "ics": "ICS-ark (BFU)", "tre-huse": "De tre huse"}
OVERVIEW = "oversigt"

@dataclass(frozen=True)
class Figure:
    svg: str
    text: str  # the figure in words (its text alternative)
    caption: str


@dataclass(frozen=True)
class Overview:
    methods: list[Guideline]
    triangle: Figure
    dimensions: list[str]  # a Markdown block per side of the triangle, each dimension with its prompt
    funnel: Figure
    combination: str  # Markdown: how ICS and Signs of Safety are combined


def overview(library: Library) -> Overview:
    """The method guides in the library and the figures of the methods."""
    return Overview(
        methods=[g for g in library.all() if g.type == "metode"],
        triangle=Figure(ics_triangle_svg(), ics_triangle_text(), "ICS-trekanten: barnets behov i midten, trekantens tre sider og deres dimensioner."),
        dimensions=[f"**{side}**\n\n" + "\n".join(f"- **{name}** – {prompt}" for name, prompt in dimensions) for side, dimensions in ICS_SIDES],
        funnel=Figure(funnel_svg(), funnel_text(), "Tragtmodellen: fra bekymring over hypoteser til de dimensioner, der skal undersøges."),
        combination=COMBINATION,
    )


@dataclass(frozen=True)
class _Kind:
    heading: str
    title: str  # of the exports
    guideline: str  # the guideline the worksheet belongs to
    methods: tuple[tuple[str, str | None], ...] = ()  # more method guides: (id, label with {title}, or None for the title)


_KINDS = {
    "sos": _Kind("Signs of Safety – kortlægning", "Signs of Safety – kortlægning", "signs-of-safety"),
    "ics": _Kind("ICS-ark til den børnefaglige undersøgelse", "ICS – børnefaglig undersøgelse", "boernefaglig-undersoegelse", (("ics", "Metoden: {title}"),)),
    "tre-huse": _Kind("De tre huse – børnesamtale", "De tre huse – børnesamtale", "signs-of-safety", (("boernesamtale", None),)),
}


def new_sheet(kind: str) -> Worksheet:
    """An empty worksheet of kind (sos, ics or tre-huse)."""
    return KINDS[kind]()


@dataclass(frozen=True)
class Scaling:
    chart: alt.TopLevelMixin
    caption: str


@dataclass(frozen=True)
class Filled:
    """A worksheet as filled in so far: its status and its exports."""

    markdown: str
    printable: str  # a stand-alone HTML page to print
    markdown_file: str
    printable_file: str
    scaling: Scaling | None = None  # Signs of Safety: the participants' scalings
    coverage: tuple[bool, str] | None = None  # ICS: whether the law's areas are covered, and the message


@dataclass(frozen=True)
class SheetPage:
    kind: str
    heading: str
    title: str
    guideline: Guideline | None
    methods: list[tuple[str, Guideline]]  # (label, guideline) of the method guides to link

    def filled(self, sheet: Worksheet, day: date) -> Filled:
        """The sheet's status and exports as it stands now (call it after the user's input)."""
        markdown = _markdown(sheet, day)
        scaling = None
        if isinstance(sheet, SosWorksheet) and sheet.scalings:
            scaling = Scaling(scaling_chart(sheet.scalings, *SOS_SCALE), sheet.scaling_summary() + " · " + ", ".join(f"{i}: {v}" for i, v in sheet.scalings))
        coverage = sheet.coverage_status() if isinstance(sheet, IcsWorksheet) else None
        name = f"{self.kind}-{day.isoformat()}"
        return Filled(markdown, printable_html(markdown, self.title), f"{name}.md", f"{name}.html", scaling, coverage)


def sheet_page(kind: str, library: Library) -> SheetPage:
    """The heading and guideline links of the worksheet of kind (sos, ics or tre-huse)."""
    spec = _KINDS[kind]
    methods = [(label.format(title=g.title) if label else g.title, g) for guideline_id, label in spec.methods if (g := library.get(guideline_id)) is not None]
    return SheetPage(kind, spec.heading, spec.title, library.get(spec.guideline), methods)


def _markdown(sheet: Worksheet, day: date) -> str:
    if isinstance(sheet, SosWorksheet):
        return sos_markdown(sheet, day)
    if isinstance(sheet, IcsWorksheet):
        return ics_markdown(sheet, day)
    return three_houses_markdown(sheet, day)
