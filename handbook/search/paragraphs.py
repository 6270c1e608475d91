"""Paragraph references: "servicelovens § 50", "§§ 20-23", "barnets lov § 155 a" in guidelines
and queries, the index tokens for them (with the other law's equivalent numbers, from the law
map in config/paragraphs.yaml), and what a referenced provision is about."""

from __future__ import annotations

import re
from dataclasses import dataclass

from handbook.search.config import SearchConfig

LAW_CODES = {
    "barnets lov": "bl",
    "barnets lovs": "bl",
    "bl": "bl",
    "serviceloven": "sel",
    "servicelovens": "sel",
    "sel": "sel",
    "forvaltningsloven": "fvl",
    "forvaltningslovens": "fvl",
    "retssikkerhedsloven": "rsl",
    "retssikkerhedslovens": "rsl",
    "offentlighedsloven": "ofl",
    "offentlighedslovens": "ofl",
}
_LAW = "|".join(sorted((re.escape(name).replace(r"\ ", r"\s+") for name in LAW_CODES), key=len, reverse=True))
PARAGRAPH_REF = re.compile(
    rf"(?:\b(?P<law>{_LAW})\s*)?(?:§§?|\bparagraf(?:ferne|fen|fer)?\b)\s*(?P<first>\d+)(?:\s?(?P<letter>[a-z])\b)?"
    rf"(?:\s*(?:-|–|til)\s*(?P<last>\d+))?(?:,?\s*stk\.?\s*\d+)?",
    re.IGNORECASE,
)
MAX_RANGE = 30


@dataclass(frozen=True)
class ParagraphRef:
    """A reference such as 'servicelovens § 50' (law 'sel') or '§ 50' (law None)."""

    law: str | None
    numbers: tuple[str, ...]


def find_paragraph_refs(text: str) -> list[tuple[ParagraphRef, tuple[int, int]]]:
    """Every paragraph reference in text, with its span; ranges (§§ 20-23) are expanded."""
    refs = []
    for match in PARAGRAPH_REF.finditer(text):
        law = match.group("law")
        code = LAW_CODES.get(re.sub(r"\s+", " ", law.lower())) if law else None
        first = int(match.group("first"))
        last = int(match.group("last")) if match.group("last") else first
        if match.group("letter"):
            numbers: tuple[str, ...] = (f"{first}{match.group('letter').lower()}",)
        elif first <= last <= first + MAX_RANGE:
            numbers = tuple(str(n) for n in range(first, last + 1))
        else:
            numbers = (str(first),)
        refs.append((ParagraphRef(code, numbers), match.span()))
    return refs


def paragraph_tokens(refs: list[ParagraphRef], config: SearchConfig) -> set[str]:
    """Index tokens for cited provisions, including the other law's equivalent numbers."""
    new_to_old = config.new_to_old()
    tokens: set[str] = set()
    for ref in refs:
        for number in ref.numbers:
            tokens.add(f"{ref.law}{number}")
            if ref.law == "bl":
                tokens.update(f"sel{old}" for old in new_to_old.get(number, ()))
            elif ref.law == "sel":
                tokens.update(f"bl{new}" for new in config.old_to_new.get(number, ()))
    return tokens


@dataclass(frozen=True)
class ParagraphSubject:
    """A provision in the query and what it is about, from the law map."""

    label: str          # "§ 133" or "servicelovens § 68 (nu barnets lov § 100)"
    subject: str        # "underretningspligt for offentligt ansatte"
    tokens: tuple[str, ...]  # the index tokens of the provision (bl133, sel153, ...)
    old: tuple[str, ...] = ()  # a Barnets lov provision: the Serviceloven numbers it replaced

    @property
    def line(self) -> str:
        """The line above the results: "§ 133 (tidl. SEL § 153): skærpet underretningspligt ..."."""
        before = f" (tidl. SEL {'§§' if len(self.old) > 1 else '§'} {', '.join(_shown(n) for n in self.old)})" if self.old else ""
        return f"{self.label}{before}: {self.subject}"


def paragraph_subjects(ref: ParagraphRef, config: SearchConfig, tokens: tuple[str, ...]) -> list[ParagraphSubject]:
    """What the referenced provisions are about: Barnets lov numbers directly (a bare '§ N' is
    tried as both laws), Serviceloven numbers through the new provisions that replaced them."""
    found = []
    if ref.law in (None, "bl"):
        new_to_old = config.new_to_old()
        for n in ref.numbers:
            if n in config.subjects:
                found.append(ParagraphSubject(f"§ {_shown(n)}", config.subjects[n], tokens, new_to_old.get(n, ())))
    if ref.law in (None, "sel"):
        for n in ref.numbers:
            for new in config.old_to_new.get(n, ()):
                if new in config.subjects and not (ref.law is None and n in config.subjects):
                    found.append(ParagraphSubject(f"Servicelovens § {_shown(n)} (nu barnets lov § {_shown(new)})", config.subjects[new], tokens))
    return found


def uncovered_rows(config: SearchConfig, guidelines) -> list[tuple[str, str]]:
    """The law map's rows (number, subject) that no guideline cites in its legal references."""
    cited: set[str] = set()
    for guideline in guidelines:
        for text in guideline.legal_refs:
            cited |= paragraph_tokens([ref for ref, _ in find_paragraph_refs(text)], config)
    return [(number, subject) for number, subject in config.subjects.items() if f"bl{number}" not in cited]


def _shown(number: str) -> str:
    """'155a' -> '155 a', as the law writes it."""
    return re.sub(r"(\d)([a-z])$", r"\1 \2", number)
