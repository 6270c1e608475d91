"""Privacy guards: citizens' CPR numbers never enter the portal's store.

Text is normalised before it is matched, so a number cannot slip through in disguise: Unicode
NFKC (full-width and other compatibility digits become 0-9), every decimal digit of any script
becomes 0-9, invisible format characters (zero-width space and joiners, soft hyphen, word joiner,
BOM, direction marks) are removed, every kind of dash becomes '-' and every kind of space
becomes ' ', HTML character references are decoded and Markdown emphasis and escapes
dropped (as a reader sees the text).

Then a CPR number is ten digits whose first six are a real date (DDMMYY), written together
('1505884321') or split by runs of separators anywhere: any characters that are neither letters
nor digits, up to twelve in a row (after NFKC, which makes … three dots) ('150588-4321', '15 05 88 4321', '15+05+88+4321', '150588:4321',
'15 05 88 – 4321', '1 5 0 5 8 8 4 3 2 1', '1505-88 43/21'). Not modulus 11: since 2007 not every
CPR number passes it, so the date part and the shape decide. Three shapes are read as what they
are, not as a CPR number:
- digits that are dates and times only, one after the other: '01.01.26-31.12.26',
  '15.05.88 14:30', '2008-05-12 10.30';
- the date part ends inside a group of digits, and the serial does not end with that group:
  '15.05.2026 10:30' (1505202610 would split the year 2026 between date and serial; but
  '15 05 884321', the serial written right after the year, is a CPR number);
- the four last digits are a time written HH:MM or HH.MM after the date: '15.05.88 14:30';
- the four last digits start a second date: '01.01.26-31.12.26';
- the digits start with a date written YYYY-MM-DD: '2008-05-12 14 30'.
A date with a two-digit year followed by a time written otherwise ('15.05.26 1430') is refused
as a CPR number; write 'kl.' before the time.
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
# Digits joined by runs of up to twelve characters that are neither letters nor digits: a stretch
# that may hide a CPR number. \d and \W are disjoint, so matching is linear.
_CHAIN = re.compile(r"\d+(?:\W{1,12}\d+)+|\d{10}")
_GROUP = re.compile(r"\d+")
_TIME_SEPARATORS = (":", ".")
_DATE_SEPARATORS = (".", "-", "/")


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
    found = []
    for chain in _CHAIN.finditer(normalised):
        text = chain.group(0)
        groups = [(m.start(), m.end()) for m in _GROUP.finditer(text)]
        if sum(end - start for start, end in groups) < 10 or _dates_and_times(text, groups):
            continue
        for first in range(len(groups)):
            window = _window(text, groups, first)
            if window is not None:
                found.append(window)
    return found


def _window(text: str, groups: list[tuple[int, int]], first: int) -> str | None:
    """The CPR number made of the digit groups from `first` on, if they are one (see the module
    docstring), else None."""
    digits, date_end = "", None
    for last in range(first, len(groups)):
        digits += text[groups[last][0]:groups[last][1]]
        if len(digits) == 6:
            date_end = last
        if len(digits) >= 10:
            break
    if len(digits) != 10:
        return None  # the ten digits do not end at a separator
    if date_end is None and len(digits) - (groups[last][1] - groups[last][0]) >= 6:
        return None  # the date part ends inside a group that goes on into a separated serial
    if not _is_date(int(digits[0:2]), int(digits[2:4]), int(digits[4:6])) or _iso_date(text, groups, first):
        return None
    if date_end is not None and last == date_end + 2 and _reads_as_time_or_date(text, groups, date_end + 1):
        return None
    return text[groups[first][0]:groups[last][1]]


def _dates_and_times(text: str, groups: list[tuple[int, int]]) -> bool:
    """Whether the digit groups are dates (15.05.88, 1/5-2026, 2026-05-15) and times (14:30,
    8.00) only, one after the other: '01.01.26-31.12.26', '15.05.2026 10:30'."""
    index = 0
    while index < len(groups):
        if _date_at(text, groups, index) or _iso_date(text, groups, index):
            index += 3
        elif _time_at(text, groups, index):
            index += 2
        else:
            return False
    return True


def _date_at(text: str, groups: list[tuple[int, int]], first: int) -> bool:
    if first + 2 >= len(groups):
        return False
    (d0, d1), (m0, m1), (y0, y1) = groups[first:first + 3]
    if d1 - d0 > 2 or m1 - m0 > 2 or y1 - y0 not in (2, 4) or text[d1:m0] not in _DATE_SEPARATORS or text[m1:y0] not in _DATE_SEPARATORS:
        return False
    year = int(text[y0:y1])
    try:
        date(year if year > 99 else 2000 + year, int(text[m0:m1]), int(text[d0:d1]))
    except ValueError:
        return False
    return True


def _time_at(text: str, groups: list[tuple[int, int]], first: int) -> bool:
    if first + 1 >= len(groups):
        return False
    (h0, h1), (m0, m1) = groups[first:first + 2]
    return h1 - h0 <= 2 and m1 - m0 == 2 and text[h1:m0] in _TIME_SEPARATORS and int(text[h0:h1]) < 24 and int(text[m0:m1]) < 60


def _iso_date(text: str, groups: list[tuple[int, int]], first: int) -> bool:
    """Whether the groups from `first` on start a date written YYYY-MM-DD (2008-05-12)."""
    if first + 2 >= len(groups) or [end - start for start, end in groups[first:first + 3]] != [4, 2, 2]:
        return False
    (y0, y1), (m0, m1), (d0, d1) = groups[first:first + 3]
    if text[y1:m0] != text[m1:d0] or text[y1:m0] not in _DATE_SEPARATORS:
        return False
    try:
        date(int(text[y0:y1]), int(text[m0:m1]), int(text[d0:d1]))
    except ValueError:
        return False
    return True


def _reads_as_time_or_date(text: str, groups: list[tuple[int, int]], serial: int) -> bool:
    """Whether the serial, written as two groups of two digits, is a time (14:30) or the start
    of a second date (31.12.26)."""
    (a_start, a_end), (b_start, b_end) = groups[serial], groups[serial + 1]
    if a_end - a_start != 2 or b_end - b_start != 2:
        return False
    separator = text[a_end:b_start]
    high, low = int(text[a_start:a_end]), int(text[b_start:b_end])
    if separator in _TIME_SEPARATORS and high < 24 and low < 60:
        return True
    if separator in _DATE_SEPARATORS and serial + 2 < len(groups):
        after = groups[serial + 2]
        if text[b_end:after[0]] == separator and after[1] - after[0] in (2, 4):
            return _is_date(high, low, int(text[after[1] - 2:after[1]]))
    return False


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
