"""The synonym review for editors: the searches that found nothing and the searches whose first
hit was never opened, each with the handbook terms nearest to it, and adding a synonym in one
step.

Adding writes config/synonyms.yaml itself rather than recording a proposal: the file is the
editors' own (it is validated by `python -m handbook validate` and reviewed in git like the
guidelines), the search reads it again within seconds, and an editor who reviews the log is
the person who would accept the proposal anyway. The write is safe: the text is checked for
CPR-like numbers, the new file is validated with the loader the search uses before it replaces
the old one (atomically), and every other line, comments included, is kept as it was. A term
that is already in a group joins that group; otherwise a new group with a dated comment is
appended.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from handbook.privacy.cpr import contains_cpr
from handbook.problems import ContentProblem
from handbook.search.config import load_synonyms
from handbook.search.plan import query_decompounder
from handbook.search.query import QUESTION_WORDS, words_of
from handbook.search.schema import stem_of

SYNONYMS_FILE = "synonyms.yaml"
NEAREST = 5


@dataclass(frozen=True)
class ReviewItem:
    """One logged search to review: why, how often, its first hit and the nearest terms."""

    query: str
    reason: str  # "uden svar" or "første hit ikke åbnet"
    count: int
    first_hit: str
    nearest: tuple[str, ...]


def nearest_terms(query: str, terms: list[str], groups: tuple[tuple[str, ...], ...] = (), limit: int = NEAREST) -> tuple[str, ...]:
    """The handbook terms closest to the query's words: close spellings first (difflib's ratio),
    then terms that share a long beginning or end with a query word (a word form or a part of a
    compound: "støtteperson" -> "person"), and the synonym groups such a term is already in."""
    found: dict[str, float] = {}
    for word in (w for w in words_of(query) if w not in QUESTION_WORDS and len(w) > 2):
        for term in difflib.get_close_matches(word, terms, n=limit, cutoff=0.7):
            found[term] = max(found.get(term, 0.0), difflib.SequenceMatcher(None, word, term).ratio())
        for term in terms:
            shared = max(_common_prefix(word, term), _common_prefix(word[::-1], term[::-1]))
            if shared >= 5 and term != word:
                found[term] = max(found.get(term, 0.0), shared / max(len(word), len(term)))
        # a compound's parts: "indsatsplan" is a plan, so "plan" and "handleplan" are near
        # (the last part, which names the thing, counts most)
        parts = query_decompounder().split(word)
        for position, part in enumerate(parts):
            weight = 0.7 if position == len(parts) - 1 else 0.4
            for term in terms:
                if len(part) >= 4 and term.endswith(part):
                    found[term] = max(found.get(term, 0.0), weight + 0.3 * len(part) / len(term))
    # one form per word: "indsats", not also "indsatsen" and "indsatsens"
    best: dict[str, str] = {}
    for term in sorted(found, key=lambda t: (-found[t], len(t), t)):
        best.setdefault(stem_of(term) or term, term)
    return tuple(list(best.values())[:limit])


def _common_prefix(a: str, b: str) -> int:
    return len(os.path.commonprefix([a, b]))


def review_items(store, terms: list[str], limit: int = 50) -> list[ReviewItem]:
    """The zero-result searches and the searches whose first hit was never opened, with the
    nearest of terms (SearchIndex.handbook_terms) beside each."""
    items = [ReviewItem(m["query"], "uden svar", m["count"], "", nearest_terms(m["query"], terms)) for m in store.search_misses(limit=limit)]
    items += [
        ReviewItem(row["query"], "første hit ikke åbnet", row["searches"], row["first_hit"], nearest_terms(row["query"], terms))
        for row in store.unopened_searches(limit=limit)
    ]
    return items


class SynonymError(ValueError):
    """A synonym that cannot be added, with a Danish message naming what is wrong."""


def add_synonym(config_dir: Path, variant: str, term: str, today: date | None = None) -> str:
    """Add variant as a synonym of term in config_dir/synonyms.yaml; return a Danish message."""
    variant, term = " ".join(variant.split()).casefold(), " ".join(term.split())
    if not variant or not term:
        raise SynonymError("Skriv både søgningen og det ord i håndbogen, den skal finde.")
    if contains_cpr(variant) or contains_cpr(term):
        raise SynonymError("Teksten ligner et CPR-nummer og gemmes ikke.")
    if len(variant) > 80 or len(term) > 80 or "\n" in variant + term:
        raise SynonymError("Et synonym skal være et ord eller et kort udtryk på højst 80 tegn.")
    path = config_dir / SYNONYMS_FILE
    text = path.read_text(encoding="utf-8") if path.exists() else "groups:\n"
    problems: list[ContentProblem] = []
    groups = load_synonyms(path, problems) if path.exists() else ()
    if problems:
        raise SynonymError(f"{path.name} har fejl og skal rettes først: {problems[0].path.name}:{problems[0].line}: {problems[0].message}")
    if any(variant in group and term.casefold() in group for group in groups):
        return f"»{variant}« og »{term}« er allerede synonymer."
    lines = text.splitlines()
    index = next((i for i, group in enumerate(groups) if term.casefold() in group), None)
    if index is not None:
        line = _group_line(lines, index)
        lines[line] = re.sub(r"\]\s*$", f", {_scalar(variant)}]", lines[line].rstrip())
        message = f"»{variant}« er tilføjet til gruppen med »{term}«."
    else:
        stamp = (today or date.today()).isoformat()
        lines += [f"  # Tilføjet i synonymgennemgangen {stamp}: søgningen »{variant}« skal finde »{term}«.", f"  - [{_scalar(term)}, {_scalar(variant)}]"]
        message = f"Ny synonymgruppe: »{term}« og »{variant}«."
    new_text = "\n".join(lines) + "\n"
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(new_text, encoding="utf-8")
    checked: list[ContentProblem] = []
    new_groups = load_synonyms(temporary, checked)
    if checked or not any(variant in g and term.casefold() in g for g in new_groups):
        temporary.unlink(missing_ok=True)
        raise SynonymError(f"Synonymet kunne ikke skrives sikkert i {path.name}; filen er ikke ændret.")
    os.replace(temporary, path)
    return message


def _group_line(lines: list[str], index: int) -> int:
    """The line of the index-th group (a one-line flow list "  - [a, b]") in the file."""
    seen = -1
    for number, line in enumerate(lines):
        if re.match(r"^\s*-\s*\[.*\]\s*$", line):
            seen += 1
            if seen == index:
                return number
    raise SynonymError("Gruppen står ikke på én linje som - [a, b]; tilføj synonymet i filen selv.")


def _scalar(text: str) -> str:
    """text as a YAML flow scalar: plain when safe, else double-quoted (JSON is valid YAML)."""
    return text if re.fullmatch(r"[^\W\d][\w .\-]*", text) and text.strip() == text else json.dumps(text, ensure_ascii=False)
