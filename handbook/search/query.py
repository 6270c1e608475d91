"""A user's query as the search reads it: cut to the bounds, paragraph references taken out,
synonym groups found, and question and filler words set apart."""

from __future__ import annotations

import re
from dataclasses import dataclass

from handbook.search.config import SearchConfig
from handbook.search.paragraphs import ParagraphSubject, find_paragraph_refs, paragraph_subjects
from handbook.search.schema import stem_of

# Bounds on the work one search may cause (documented in docs/security.md ("Bounded search")): a longer
# query is cut, and the user is told so in Danish.
MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 12

# Question and filler words: dropped for matching ("hvornår skal jeg ..." matches on the rest),
# kept in the phrase boosts so "hvornår skal der være en plan" still favours that heading.
QUESTION_WORDS = frozenset(
    """hvordan hvornår hvem hvilke hvilken hvilket hvorfor hvorledes hvad hvor hvis hvorvidt
    kan skal må bør vil gør gøre får få have har er være bliver blive
    jeg man vi du i de den det der en et at og eller om på til af med for som
    mig min mit os vores sig sin sit noget nogen nogle ofte tit lave laver""".split()
)


@dataclass(frozen=True)
class ParsedQuery:
    """A user's query split into plain words, synonym alternatives and paragraph tokens."""

    words: tuple[str, ...]
    alternatives: tuple[str, ...]
    paragraph_alternatives: tuple[tuple[str, ...], ...]
    subjects: tuple[ParagraphSubject, ...] = ()
    # the stems of the other derivational forms of the query's words (config/wordforms.tsv)
    form_stems: tuple[str, ...] = ()

    @property
    def content_words(self) -> tuple[str, ...]:
        """The words to match: without question and filler words (unless that is all there is)."""
        content = tuple(w for w in self.words if w not in QUESTION_WORDS)
        return content or self.words


def limit_query(text: str) -> tuple[str, str | None]:
    """The query cut to MAX_QUERY_CHARS characters and MAX_QUERY_WORDS words, and a Danish
    notice when it was cut. Cheap on any input: only the first characters are looked at."""
    head = text[: MAX_QUERY_CHARS + 1]
    cut = head[:MAX_QUERY_CHARS]
    words = list(re.finditer(r"\S+", cut))
    if len(words) > MAX_QUERY_WORDS:
        cut = cut[: words[MAX_QUERY_WORDS - 1].end()]
    cut = cut.strip()
    if len(text) > MAX_QUERY_CHARS or len(words) > MAX_QUERY_WORDS:
        return cut, f"Søgningen er for lang og er forkortet: der søges på højst {MAX_QUERY_WORDS} ord og {MAX_QUERY_CHARS} tegn."
    return cut, None


def parse_query(text: str, config: SearchConfig) -> ParsedQuery:
    """Pull paragraph references out of the query, then find synonym groups in what is left."""
    paragraph_alternatives = []
    subjects: dict[str, ParagraphSubject] = {}
    rest = text
    for ref, (start, end) in reversed(find_paragraph_refs(text)):
        laws = (ref.law,) if ref.law else ("sel", "bl")
        tokens = tuple(f"{law}{n}" for law in laws for n in ref.numbers)
        paragraph_alternatives.append(tokens)
        for subject in paragraph_subjects(ref, config, tokens):
            subjects.setdefault(subject.subject, subject)
        rest = rest[:start] + " " + rest[end:]
    words = tuple(words_of(rest))
    joined = _padded(words)
    alternatives: list[str] = []
    for group in config.synonym_groups:
        if any(_padded(words_of(phrase)) in joined for phrase in group):
            alternatives.extend(p for p in group if _padded(words_of(p)) not in joined)
    forms: list[str] = []
    if config.forms:
        for word in words:
            if word not in QUESTION_WORDS:
                forms.extend(config.forms.get(stem_of(word), ()))
    return ParsedQuery(
        words, tuple(dict.fromkeys(alternatives)), tuple(reversed(paragraph_alternatives)), tuple(reversed(subjects.values())), tuple(dict.fromkeys(forms))
    )


def words_of(text: str) -> list[str]:
    """The words of text, case-folded."""
    return [w.casefold() for w in re.findall(r"\w+", text)]


def _padded(words: list[str] | tuple[str, ...]) -> str:
    """Words joined with spaces and padded, so 'in' matches whole words only."""
    return f" {' '.join(words)} "

