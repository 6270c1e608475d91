"""How search text becomes index terms: Danish words (lower case, stop words removed, Snowball
stems) and the stemmed parts of compound words (handbook.search.decompound).

Whoosh analyses text through a chain of generators (tokenizer, then one filter after another,
one Token object per word). That chain is most of the cost of building the index, so the two
fields that hold most of the text, the body and the compound parts, are analysed by a fused
loop instead (`terms`), through the formats `FusedFrequency`. The fused loop gives exactly the
terms of the chain (tests/unit/test_search_analysis.py compares them); the chain is still what
titles, headings and queries go through.
"""

from __future__ import annotations

import functools
from collections import Counter

from whoosh.analysis import CompositeAnalyzer, LanguageAnalyzer, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.analysis.filters import Filter
from whoosh.formats import Frequency, Positions
from whoosh.lang import stemmer_for_language
from whoosh.system import pack_uint

from handbook.search.decompound import Decompounder, danish_words

# A compound is split into at most two parts when indexing (a longer compound's parts are
# then compounds themselves, still findable).
INDEX_MAX_PARTS = 2
# Words of at least this many letters are looked at as possible compounds.
LONG_WORD = r"[^\W\d_]{7,}"


@functools.lru_cache(maxsize=1)
def index_decompounder() -> Decompounder:
    """The decompounder used when indexing: the Danish word list (hunspell-da), two parts at most."""
    return Decompounder(danish_words(), max_parts=INDEX_MAX_PARTS)


class _Fused(CompositeAnalyzer):
    """A Whoosh analyzer chain that can also give its terms in one fused loop (`terms`)."""

    _LOCAL = ("_stem_cache", "_settings")

    def __init__(self, *items):
        super().__init__(*items)
        self._stem_cache: dict[str, str] = {}
        self._settings = None

    def __getstate__(self):
        # the schema is pickled into the index; the cache is not part of it
        return {key: value for key, value in self.__dict__.items() if key not in self._LOCAL}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._stem_cache = {}
        self._settings = None

    def _parts(self):
        """The chain's own settings: tokenizer expression, stop words, shortest word, stemmer."""
        if self._settings is None:
            tokenizer = self.items[0]
            stop = next(item for item in self.items if isinstance(item, StopFilter))
            stem = next(item for item in self.items if isinstance(item, StemFilter))
            if stem.ignore or stop.max is not None or not stop.renumber:
                raise ValueError("the fused analysis supports only the chain it was written for")
            stemfn = stemmer_for_language(stem.lang) if stem.lang else stem.stemfn
            self._settings = (tokenizer.expression, stop.stops, stop.min, stemfn)
        return self._settings


class DanishAnalyzer(_Fused):
    """Lower case, Danish stop words out, Snowball stems: Whoosh's LanguageAnalyzer("da")."""

    def terms_with_positions(self, text: str) -> list[tuple[str, int]]:
        """(stem, position) for each word kept, numbered as the chain numbers them: the first
        kept word keeps its place among all words, the ones after it follow on (StopFilter's
        renumbering)."""
        expression, stops, minsize, stemfn = self._parts()
        cache = self._stem_cache
        out = []
        position = None
        for number, match in enumerate(expression.finditer(text)):
            word = match.group(0).lower()
            if len(word) < minsize or word in stops:
                continue
            position = number if position is None else position + 1
            stem = cache.get(word)
            if stem is None:
                stem = cache[word] = stemfn(word)
            out.append((stem, position))
        return out

    def terms(self, text: str) -> list[str]:
        expression, stops, minsize, stemfn = self._parts()
        cache = self._stem_cache
        out = []
        for match in expression.finditer(text):
            word = match.group(0).lower()
            if len(word) < minsize or word in stops:
                continue
            stem = cache.get(word)
            if stem is None:
                stem = cache[word] = stemfn(word)
            out.append(stem)
        return out


class CompoundPartsFilter(Filter):
    """Replaces each word by the parts of the compound it is (nothing if it is none). Runs in
    the index writer's worker processes, so splitting a large collection uses every core; the
    dictionary is loaded once per process (handbook.search.decompound)."""

    def __eq__(self, other):
        return isinstance(other, CompoundPartsFilter)

    def __call__(self, tokens):
        decompounder = index_decompounder()
        for token in tokens:
            for part in decompounder.split(token.text):
                token.text = part
                yield token


class PartsAnalyzer(_Fused):
    """The stemmed parts of the compounds among the words given, except the stems in common
    (words so many documents use whole that searches do not look for them as parts)."""

    def __init__(self, *items, common: frozenset[str] = frozenset()):
        super().__init__(*items)
        self.common = frozenset(common)

    def __setstate__(self, state):
        state.setdefault("common", frozenset())
        super().__setstate__(state)

    def terms(self, text: str) -> list[str]:
        expression, stops, minsize, stemfn = self._parts()
        cache = self._stem_cache
        common = self.common
        # the expression gives words of letters only, long enough to split: straight to the
        # decompounder's cache, past split()'s checks
        split = index_decompounder().split_word
        out = []
        for match in expression.finditer(text):
            for part in split(match.group(0).lower()):
                if len(part) < minsize or part in stops:
                    continue
                stem = cache.get(part)
                if stem is None:
                    stem = cache[part] = stemfn(part)
                if stem not in common:
                    out.append(stem)
        return out


def danish_analyzer() -> DanishAnalyzer:
    # An unbounded stem cache: Snowball stemming in Python dominates indexing time otherwise.
    return DanishAnalyzer(*LanguageAnalyzer("da", cachesize=-1).items)


def parts_analyzer(common: frozenset[str] = frozenset()) -> PartsAnalyzer:
    return PartsAnalyzer(
        RegexTokenizer(LONG_WORD), LowercaseFilter(), CompoundPartsFilter(), StopFilter(lang="da"), StemFilter(lang="da", cachesize=-1),
        common=common,
    )


def fused(field):
    """A TEXT field indexed through the fused loop (with or without word positions)."""
    kind = FusedPositions if isinstance(field.format, Positions) else FusedFrequency
    field.format = kind(field_boost=field.format.field_boost)
    return field


class FusedFrequency(Frequency):
    """Whoosh's Frequency format, fed by the analyzer's fused `terms` loop."""

    def word_values(self, value, analyzer, **kwargs):
        terms = getattr(analyzer, "terms", None)
        if terms is None or not isinstance(value, str):
            return super().word_values(value, analyzer, **kwargs)
        boost = self.field_boost
        return ((term, count, count * boost, pack_uint(count)) for term, count in Counter(terms(value)).items())


class FusedPositions(Positions):
    """Whoosh's Positions format, fed by the analyzer's fused `terms_with_positions` loop."""

    def word_values(self, value, analyzer, **kwargs):
        terms = getattr(analyzer, "terms_with_positions", None)
        if terms is None or not isinstance(value, str):
            return super().word_values(value, analyzer, **kwargs)
        positions: dict[str, list[int]] = {}
        for term, position in terms(value):
            positions.setdefault(term, []).append(position)
        boost = self.field_boost
        return ((term, len(found), len(found) * boost, self.encode(found)) for term, found in positions.items())
