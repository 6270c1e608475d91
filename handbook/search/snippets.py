"""Snippets: the section of a hit that matches best, and passages of it around the searched
words, HTML-escaped, with the words in <mark>."""

from __future__ import annotations

import html
import re

from handbook.search.schema import stem_of

_WORD = re.compile(r"\w+")

# A section's own words weigh once, words in its heading three times.
HEADING_MATCH_WEIGHT = 3


def _best_section(body: str, sections: list, matches: list, stems: set[str]):
    """The (anchor, heading, start) of the section with most distinct searched words (its
    heading counting most), or None when no section has any."""
    if not sections:
        return None
    best, best_score = None, 0
    starts = [s[2] for s in sections]
    for number, section in enumerate(sections):
        start = section[2]
        end = starts[number + 1] if number + 1 < len(starts) else len(body)
        found = {stem_of(m.group().casefold()) for m in matches if start <= m.start() < end}
        heading = {stem_of(w.casefold()) for w in _WORD.findall(section[1])} & stems
        score = len(found) + HEADING_MATCH_WEIGHT * len(heading)
        if score > best_score:
            best, best_score = section, score
    return best


def _section_end(body: str, sections: list, section) -> int:
    later = [s[2] for s in sections if s[2] > section[2]]
    return min(later) if later else len(body)


def _matches(text: str, stems: set[str]) -> list:
    """The words of text whose stem was searched for. Snowball stems are prefixes of their
    words, so only words starting with a searched stem are stemmed to confirm the match."""
    if not stems:
        return []
    prefixes = tuple(stems)
    return [
        m for m in _WORD.finditer(text)
        if m.group().casefold().startswith(prefixes) and stem_of(m.group().casefold()) in stems
    ]


def make_snippet(text: str, stems: set[str], fragments: int = 2, before: int = 70, after: int = 150, matches: list | None = None) -> str:
    """Up to two passages of text around words whose stem was searched for, HTML-escaped, with
    the words in <mark>."""
    if not stems:
        return ""
    if matches is None:
        matches = _matches(text, stems)
    passages: list[tuple[int, int]] = []
    for match in matches:
        if len(passages) == fragments:
            break
        if passages and match.start() < passages[-1][1]:
            continue
        start = max(0, match.start() - before)
        end = min(len(text), match.end() + after)
        start = text.rfind(" ", 0, start) + 1 if start else 0
        end = text.find(" ", end) if text.find(" ", end) != -1 else len(text)
        passages.append((start, end))
    pieces = []
    for start, end in passages:
        out, position = [], start
        for match in matches:
            if start <= match.start() and match.end() <= end:
                out.append(html.escape(text[position:match.start()], quote=False))
                out.append(f"<mark>{html.escape(match.group(), quote=False)}</mark>")
                position = match.end()
        out.append(html.escape(text[position:end], quote=False))
        pieces.append(" ".join("".join(out).split()))
    return " … ".join(pieces)



def section_and_snippet(body: str, sections: list, stems: set[str]) -> tuple[tuple | None, str]:
    """The section of a hit's body that matches best, as (anchor, heading, start), or None when
    none does, and the snippet: from that section, else from the whole body."""
    matches = _matches(body, stems)
    section = _best_section(body, sections, matches, stems)
    if section is None:
        return None, make_snippet(body, stems, matches=matches)
    start, end = section[2], _section_end(body, sections, section)
    return section, make_snippet(body[start:end], stems)
