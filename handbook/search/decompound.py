"""Danish compound splitting for search, the way Lucene's DictionaryCompoundWordTokenFilter works:
a long word is split into parts that a dictionary knows, so "underretningsfrist" meets text about
"underretning" and "frist", and "pligt" meets text that only says "underretningspligt".

Danish joins the parts directly or with a linking letter (fuge-s or fuge-e: "sag-s-behandling",
"børn-e-samtale"), and the last part carries the inflection ("...fristen", "...planerne"). A split
is accepted only when it covers the whole word; among the accepted splits the one with the
fewest parts wins, then the one whose parts are longest (so "under-retning" loses to a
dictionary word that explains more of the word).

The dictionary is a set of lower-case words: a Danish word list from a maintained package (see
`danish_words`) plus the words of the handbook itself. Short function words (stop words such as
"under", "over", "for") are never parts: "undersøgelse" is not "under" + "søgelse".
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable, Iterable
from pathlib import Path

log = logging.getLogger(__name__)

# Where Debian's hunspell-da puts the Danish dictionary (Stavekontrolden.dk word list).
HUNSPELL_DA = Path("/usr/share/hunspell/da_DK.dic")
MIN_WORD = 7          # shorter words are not split
MIN_PART = 3          # "mål", "sag", "tid" are parts; two-letter pieces are not
MAX_PARTS = 3
LINKING = ("s", "e")
# Inflection endings a last part may carry (nouns and adjectives; the stemmer removes the rest).
ENDINGS = ("", "e", "en", "er", "et", "ens", "ets", "erne", "ene", "ernes", "s", "n", "r", "ne", "es", "rne", "rnes", "ns")
_ENDING_SET = frozenset(ENDINGS)
_ENDING_LENGTHS = tuple(sorted({len(e) for e in ENDINGS}))
# Function words that must never be a part, even though they are Danish words.
NOT_PARTS = frozenset(
    "under over efter for til med mod fra ind ud op ned om af ved hos bag mellem uden igen ikke "
    "alle hver selv samt sin sit sine min mit din dit hans hun han den det der som end men "
    "ende ens lse else nde ning ing ere sen sens gen ter ler sam ring skab hed lig isk len lige".split()
)


class Decompounder:
    """Splits Danish compounds into dictionary parts; results are cached per word."""

    def __init__(self, words: Iterable[str] = (), max_parts: int = MAX_PARTS):
        # danish_words() is filtered already (checking its 130,000 words again took 0.3 s)
        self.words = words if words is _DANISH_WORDS[0] else _dictionary(words)
        self.max_parts = max_parts
        self._split = functools.lru_cache(maxsize=500_000)(self._split_uncached)

    def split(self, word: str, known: Callable[[str], bool] | None = None) -> tuple[str, ...]:
        """The parts of word (without linking letters), or () when it is not a compound the
        dictionary explains. known, if given, is asked about parts the dictionary lacks (the
        words of the index, at query time); such splits are not cached."""
        word = word.casefold()
        if len(word) < MIN_WORD or not word.isalpha():
            return ()
        parts = self._split(word)
        if parts or known is None:
            return parts
        return _best_split(word, lambda part: part in self.words or (part not in NOT_PARTS and known(part)), self.max_parts)

    def split_word(self, word: str) -> tuple[str, ...]:
        """split() for a lower-case word of at least MIN_WORD letters (the caller has checked)."""
        return self._split(word)

    def _split_uncached(self, word: str) -> tuple[str, ...]:
        return _best_split(word, self.words.__contains__, self.max_parts)


def _best_split(word: str, is_word: Callable[[str], bool], max_parts: int = MAX_PARTS) -> tuple[str, ...]:
    """The split with the fewest parts (two before three); among those, the longest shortest
    part, then the longest last part (Danish compounds are right-headed)."""
    found = _two_parts(word, is_word)
    if found:
        return found
    for budget in range(3, max_parts + 1):
        found = _splits(word, 0, budget, is_word, {})
        if found:
            return found
    return ()


# The inflection endings by their last letter, shortest first (the order _final tries them in).
_ENDINGS_BY_LAST = {
    last: sorted((e for e in ENDINGS if e and e[-1] == last), key=len) for last in {e[-1] for e in ENDINGS if e}
}


def _last_part(rest: str, is_word: Callable[[str], bool]) -> str | None:
    """_final for a whole rest of the word: the rest itself, or the rest without an ending."""
    if rest not in NOT_PARTS and is_word(rest):
        return rest
    for ending in _ENDINGS_BY_LAST.get(rest[-1], ()):
        if rest.endswith(ending):
            stem = rest[: -len(ending)]
            if len(stem) < MIN_PART:
                return None
            if stem not in NOT_PARTS and is_word(stem):
                return stem
    return None


def _two_parts(word: str, is_word: Callable[[str], bool]) -> tuple[str, ...]:
    """The best split into two parts, as _splits(word, 0, 2, ...) finds it, in one loop: most
    words are only ever tried for two parts, and this is most of the index build's splitting."""
    best: tuple[str, str] | None = None
    size = len(word)
    for cut in range(MIN_PART, size - MIN_PART + 1):
        head = word[:cut]
        if head in NOT_PARTS or not is_word(head):
            continue
        for rest_start in (cut, cut + 1) if word[cut] in LINKING else (cut,):
            if size - rest_start < MIN_PART:
                continue
            final = _last_part(word[rest_start:], is_word)
            if final and _better((head, final), best):
                best = (head, final)
    return best or ()


def _final(word: str, start: int, is_word: Callable[[str], bool]) -> str | None:
    """The last part starting at start, without its inflection ending, if it is a word."""
    rest = word[start:]
    size = len(rest)
    for length in _ENDING_LENGTHS:
        if size - length < MIN_PART:
            return None
        if length and rest[size - length:] not in _ENDING_SET:
            continue
        stem = rest[: size - length]
        if stem not in NOT_PARTS and is_word(stem):
            return stem
    return None


def _better(a: tuple[str, ...], b: tuple[str, ...] | None) -> bool:
    return b is None or (min(map(len, a)), len(a[-1])) > (min(map(len, b)), len(b[-1]))


def _splits(word: str, start: int, parts: int, is_word: Callable[[str], bool], memo: dict) -> tuple[str, ...]:
    """The best way to cover word[start:] with exactly `parts` parts, or ()."""
    key = (start, parts)
    if key in memo:
        return memo[key]
    best: tuple[str, ...] | None = None
    if parts == 1:
        final = _final(word, start, is_word)
        best = (final,) if final else None
    else:
        for cut in range(start + MIN_PART, len(word) - MIN_PART * (parts - 1) + 1):
            head = word[start:cut]
            if head in NOT_PARTS or not is_word(head):
                continue
            for rest_start in (cut, cut + 1) if word[cut] in LINKING else (cut,):
                rest = _splits(word, rest_start, parts - 1, is_word, memo)
                if rest and _better((head, *rest), best):
                    best = (head, *rest)
    memo[key] = best or ()
    return memo[key]


def hunspell_words(path: Path = HUNSPELL_DA) -> set[str]:
    """The stems of a hunspell dictionary (the part before '/'), lower-case, letters only."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").casefold().splitlines()[1:]
    except OSError:
        return set()
    # one pass over the distinct stems (0.43 -> 0.17 s for the 158,000 lines of hunspell-da)
    return {word for word in {line.partition("/")[0].strip() for line in lines} if word.isalpha()}


def _dictionary(words: Iterable[str]) -> frozenset[str]:
    """The words that may be parts of a compound."""
    return frozenset(w for w in words if len(w) >= MIN_PART and w not in NOT_PARTS)


# the list danish_words() returned (a Decompounder given it skips the filtering)
_DANISH_WORDS: list[frozenset[str] | None] = [None]


def danish_words() -> frozenset[str]:
    """The Danish word list the decompounder uses: Debian's hunspell-da when installed, without
    the words that may not be compound parts. The filtered list is kept as a plain text file in
    the user's cache folder (HANDBOOK_CACHE_DIR or ~/.cache/handbook), named after the word
    list's size and time: reading it takes 0.05 s, parsing and filtering hunspell-da 0.5 s."""
    words = _DANISH_WORDS[0]
    if words is None:
        words = _DANISH_WORDS[0] = _cached_words()
    return words


def _cached_words(path: Path = HUNSPELL_DA) -> frozenset[str]:
    try:
        stat = path.stat()
    except OSError:
        log.warning("Den danske ordliste (hunspell-da) mangler; sammensatte ord deles kun efter håndbogens egne ord")
        return frozenset()
    folder = Path(os.environ.get("HANDBOOK_CACHE_DIR") or Path.home() / ".cache" / "handbook")
    cache = folder / f"danish-words-{CACHE_VERSION}-{stat.st_size}-{stat.st_mtime_ns}.txt"
    try:
        return frozenset(cache.read_text(encoding="utf-8").split("\n"))
    except (OSError, UnicodeDecodeError):
        pass
    words = _dictionary(hunspell_words(path))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary = cache.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text("\n".join(sorted(words)), encoding="utf-8")
        os.replace(temporary, cache)
    except OSError:
        pass  # no cache: the next process parses the list again
    return words


# Bump when _dictionary's rules change, so cached lists are made again.
CACHE_VERSION = "1"
