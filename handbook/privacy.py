"""Privacy guards: citizens' CPR numbers never enter the portal's store."""

from __future__ import annotations

import re
from datetime import date

# DDMMYY-SSSS, the hyphen optional (or a space). Not modulus 11: since 2007 not every CPR
# number passes it, so the date part and the shape decide.
_CPR = re.compile(r"(?<![\d-])(\d{2})(\d{2})(\d{2})[-\s]?(\d{4})(?![\d-])")


class PersonalDataError(ValueError):
    """Raised when free text contains what looks like a CPR number."""


def _is_date(day: int, month: int, year2: int) -> bool:
    for century in (1900, 2000):
        try:
            date(century + year2, month, day)
            return True
        except ValueError:
            continue
    return False


def find_cpr_numbers(text: str) -> list[str]:
    """Every substring of text that looks like a CPR number (valid date part, 10 digits)."""
    return [m.group(0) for m in _CPR.finditer(text or "") if _is_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))]


def contains_cpr(text: str) -> bool:
    return bool(find_cpr_numbers(text))


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
