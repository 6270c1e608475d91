"""Privacy guards: citizens' CPR numbers never enter the portal's store.

Text is normalised before it is matched, so a number cannot slip through in disguise: Unicode
NFKC (full-width and other compatibility digits become 0-9), every decimal digit of any script
becomes 0-9, invisible format characters (zero-width space and joiners, soft hyphen, word joiner,
BOM, direction marks) are removed, every kind of dash becomes '-' and every kind of space
becomes ' ', HTML character references are decoded and Markdown emphasis and escapes
dropped (as a reader sees the text). Then a CPR number is ten digits whose first six are a real date (DDMMYY), written
together or with separators: '150588-4321', '1505884321', '15 05 88 4321', '15.05.88 - 4321',
'CPR-150588-4321', '15/05/88-4321'. Not modulus 11: since 2007 not every CPR number passes it,
so the date part and the shape decide.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from datetime import date

# Dashes that NFKC leaves alone: the Unicode category Pd, plus minus signs and similar.
_EXTRA_DASHES = "\u2212\u2796\u02d7\u2043\u1680\uff0d\ufe63\u2e3a\u2e3b"
# JSON escapes (a stored JSON document could hide a character as \\u200b).
_JSON_ESCAPE = re.compile(r'\\(u[0-9a-fA-F]{4}|[tnrbf"\\/])')
_JSON_SIMPLE = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "\\": "\\", "/": "/"}
_SEP = r"[ .\-/]"
_CPR = re.compile(
    rf"(?<!\d)(\d{{2}}){_SEP}{{0,2}}(\d{{2}}){_SEP}{{0,2}}(\d{{2}}){_SEP}{{0,3}}(\d{{4}})(?!\d)"
)


class PersonalDataError(ValueError):
    """Raised when free text contains what looks like a CPR number."""


@functools.lru_cache(maxsize=4096)
def _map_char(ch: str) -> str:
    category = unicodedata.category(ch)
    if category == "Cf":  # zero-width space/joiners, soft hyphen, word joiner, BOM, bidi marks
        return ""
    if category == "Nd":
        return str(unicodedata.decimal(ch))
    if category == "Pd" or ch in _EXTRA_DASHES:
        return "-"
    if category in ("Zs", "Zl", "Zp", "Cc"):
        return " "
    return ch


def normalise(text: str) -> str:
    """The text as the CPR check sees it (see the module docstring)."""
    if not text:
        return ""
    if "&" in text:  # HTML character references, which Markdown renders: &#56; &ndash;
        text = html.unescape(text)
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = _NON_ASCII.sub(lambda m: _map_char(m.group(0)), text)
    return _MARKUP.sub("", _CONTROL.sub(" ", text))


# Characters that may need mapping: not ASCII and not a Latin letter (æ, ø, å, é stay as they are).
_NON_ASCII = re.compile(r"[^\x00-\x7f\u00c0-\u024f]")
# ASCII control characters become spaces; Markdown emphasis, code marks and backslash escapes
# are dropped ('1505**88**\\-4321' is shown as 150588-4321).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_MARKUP = re.compile(r"[*_~`\\]")
# Stretches of digits and separators long enough to hold a CPR number: only these are matched.
_DIGIT_RUN = re.compile(r"[0-9][0-9 ./\-]{8,}[0-9]")


def _is_date(day: int, month: int, year2: int) -> bool:
    for century in (1900, 2000):
        try:
            date(century + year2, month, day)
            return True
        except ValueError:
            continue
    return False


def find_cpr_numbers(text: str) -> list[str]:
    """Every CPR-like number in text (as found in the normalised text)."""
    if not text:
        return []
    found = _find(normalise(text))
    if "\\" in text:  # perhaps a JSON document: also look at the text with its escapes decoded
        decoded = _JSON_ESCAPE.sub(_json_unescape, text).encode("utf-16", "surrogatepass").decode("utf-16", "replace")  # pairs \\ud835\\udfcf
        found += _find(normalise(decoded))
    return found


def _json_unescape(match: re.Match) -> str:
    code = match.group(1)
    return chr(int(code[1:], 16)) if code[0] == "u" else _JSON_SIMPLE[code]


def _find(normalised: str) -> list[str]:
    return [
        m.group(0)
        for run in _DIGIT_RUN.finditer(normalised)
        for m in _CPR.finditer(run.group(0))
        if _is_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    ]


def contains_cpr(text: str) -> bool:
    return bool(find_cpr_numbers(text))


def cpr_lines(text: str) -> list[int]:
    """The numbers (from 1) of the lines of text that contain a CPR-like number. A number split
    over two lines counts on the line where it starts."""
    lines = text.splitlines()
    found = [number for number, line in enumerate(lines, start=1) if contains_cpr(line)]
    for number in range(1, len(lines)):
        if number not in found and number + 1 not in found and contains_cpr(lines[number - 1] + " " + lines[number]):
            found.append(number)
    return sorted(found)


def ensure_no_cpr(text: str, field_label: str) -> str:
    """Return text unchanged, or raise PersonalDataError naming the field in Danish."""
    if contains_cpr(text):
        raise PersonalDataError(
            f"{field_label} ser ud til at indeholde et CPR-nummer. Skriv ikke CPR-numre eller navne på borgere i Håndbogen; "
            "brug fx sagsnummeret fra fagsystemet."
        )
    return text


def check_initials(initials: str) -> str:
    """Meeting participants are named by initials only (1-5 letters), never by full name;
    ValueError with a Danish message otherwise."""
    cleaned = initials.strip().upper()
    if not (1 <= len(cleaned) <= 5) or not cleaned.replace(".", "").isalpha():
        raise ValueError("Skriv deltagerens initialer (1-5 bogstaver), ikke et navn.")
    return cleaned
