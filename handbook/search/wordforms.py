"""Derivational word forms: the verb and its noun ("underrette" - "underretning", "afslutte" -
"afslutning", "screene" - "screening"), which the Snowball stemmer leaves as two stems because it
only strips inflection ("undersøge" and "undersøgelse" already meet: both stem to "undersøg").

The table config/wordforms.tsv is generated, never written by hand: `python -m handbook search
ordformer` reads every word of the handbook (guidelines and checklists) and Debian's Danish word
list (hunspell-da) with its affix rules, and pairs a word with its verb or noun by Danish's
productive nominal suffixes (-ning, -ing, -else, -sel) when the noun is a Danish word and the
verb is a verb of the list (its affix flags make a present tense), at least one of them is the
handbook's, and neither stem is itself another Danish word. The verb's forms (present, past,
participle) come from the affix rules too, so "underrettet" finds "underretning". Each row is the two Snowball stems and the two words; a search for
either stem also looks for the other, weighing a little less (handbook.search.plan).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from handbook.search.schema import stem_of

FORMS_FILE = "wordforms.tsv"
# Noun suffixes that make a noun of a verb's stem: underret-ning, screen-ing, anbring-else, hør-sel.
SUFFIXES = ("ning", "ing", "else", "sel")
MIN_STEM = 4
HEADER = "# Genereret af python -m handbook search ordformer: stamme\tstamme\tord\tord. Ret ikke i hånden.\n"


def verb_candidates(noun: str) -> list[tuple[str, str]]:
    """(suffix, verb) pairs the noun may come from: "underretning" -> underrette, underrete."""
    found = []
    for suffix in SUFFIXES:
        if noun.endswith(suffix) and len(noun) - len(suffix) >= MIN_STEM:
            base = noun[: -len(suffix)]
            found += [(suffix, base + "e"), (suffix, base + base[-1] + "e")]
            if base.endswith("e"):
                found.append((suffix, base))
    return found


def noun_candidates(verb: str) -> list[str]:
    """The nouns a verb in the infinitive may make: "afslutte" -> afslutning, afslutteise ..."""
    if not verb.endswith("e") or len(verb) - 1 < MIN_STEM:
        return []
    base = verb[:-1]
    bases = {base}
    if len(base) > 2 and base[-1] == base[-2]:
        bases.add(base[:-1])  # afslutt(e) -> afslut-ning
    return [b + suffix for b in bases for suffix in SUFFIXES]


# The morphological tags of hunspell-da's affix rules that make a verb's forms.
VERB_TAGS = ("+NUTID", "+DATID", "+PERF_PART", "+IMPERATIV")


def hunspell_verbs(dic: Path, aff: Path) -> dict[str, set[str]]:
    """Every verb of a hunspell dictionary (an entry with a flag whose rules make a present
    tense) with its present, past and participle forms, made by the affix rules themselves:
    "underrette" -> underretter, underrettede, underrettet, underret."""
    rules: dict[str, list[tuple[str, str, re.Pattern[str], str]]] = {}
    for line in aff.read_text(encoding="utf-8", errors="replace").splitlines():
        fields = line.split()
        if len(fields) >= 5 and fields[0] == "SFX":
            flag, strip, add, condition = fields[1], fields[2], fields[3].split("/")[0], fields[4]
            tag = fields[5] if len(fields) > 5 else ""
            rules.setdefault(flag, []).append(("" if strip == "0" else strip, "" if add == "0" else add, re.compile(f"(?:{condition})$"), tag))
    verb_flags = {flag for flag, flag_rules in rules.items() if any(tag == "+NUTID" for *_, tag in flag_rules)}
    verbs: dict[str, set[str]] = {}
    for line in dic.read_text(encoding="utf-8", errors="replace").splitlines()[1:]:
        word, _, flags = line.strip().partition("/")
        flag_list = flags.split(",") if flags else []
        if not word.isalpha() or not verb_flags.intersection(flag_list):
            continue
        forms = verbs.setdefault(word.casefold(), set())
        for flag in flag_list:
            for strip, add, pattern, tag in rules.get(flag, ()):
                if tag in VERB_TAGS and pattern.search(word) and (not strip or word.endswith(strip)):
                    forms.add((word[: len(word) - len(strip)] + add).casefold())
    return verbs


def generate(handbook_words: Iterable[str], dictionary: frozenset[str] | set[str], verbs: dict[str, set[str]]) -> list[tuple[str, str, str, str]]:
    """Rows (noun stem, verb stem, noun, verb form) for every noun made of a verb by a nominal
    suffix, one of which the handbook uses, whose stems differ: the noun against the stems of
    the verb and each of its forms."""
    words = {w.casefold() for w in handbook_words if w.isalpha() and len(w) > MIN_STEM}
    rows: dict[tuple[str, str], tuple[str, str, str, str]] = {}
    for word in sorted(words):
        pairs = [(word, verb) for _, verb in verb_candidates(word)] + [(noun, word) for noun in noun_candidates(word)]
        for noun, verb in pairs:
            if noun not in dictionary or verb not in verbs or noun == verb or noun in verbs:
                continue
            noun_stem = stem_of(noun)
            own = {verb, *verbs[verb]}
            for form in sorted(own):
                form_stem = stem_of(form)
                # a stem that is itself another Danish word ("skalere" -> "skal") would join
                # unrelated words; the verb's own imperative ("underret") is no other word
                ambiguous = (noun_stem != noun and noun_stem in dictionary) or (form_stem not in own and form_stem in dictionary)
                if noun_stem and form_stem and noun_stem != form_stem and not ambiguous:
                    rows.setdefault((noun_stem, form_stem), (noun_stem, form_stem, noun, form))
    return sorted(rows.values())


def handbook_words(folders: list[Path]) -> set[str]:
    """Every word of the guideline and checklist files under folders, lower-case."""
    words: set[str] = set()
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".md", ".yaml") and path.is_file():
                words |= set(re.findall(r"[^\W\d_]+", path.read_text(encoding="utf-8", errors="replace").casefold()))
    return words


def write_forms(path: Path, rows: list[tuple[str, str, str, str]]) -> None:
    path.write_text(HEADER + "".join("\t".join(row) + "\n" for row in rows), encoding="utf-8")


def load_forms(path: Path) -> dict[str, tuple[str, ...]]:
    """stem -> the stems of its other forms, both ways; a missing file gives none."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return {}
    related: dict[str, list[str]] = {}
    for line in text.splitlines():
        fields = line.split("\t")
        if line.startswith("#") or len(fields) < 2 or not all(re.fullmatch(r"[^\W\d_]+", f) for f in fields[:2]):
            continue
        related.setdefault(fields[0], []).append(fields[1])
        related.setdefault(fields[1], []).append(fields[0])
    return {stem: tuple(dict.fromkeys(others)) for stem, others in related.items()}


def coverage(handbook_words: Iterable[str], forms: dict[str, tuple[str, ...]]) -> tuple[int, int]:
    """(terms that gain a form, distinct terms): the handbook's stems with a related stem."""
    stems = {s for s in (stem_of(w.casefold()) for w in handbook_words if w.isalpha()) if s}
    return sum(1 for s in stems if s in forms), len(stems)
