"""Defect 2 of the third review: CPR numbers with any separators. The guard missed '+', ',', ':',
an en dash with spaces, digits spaced out one by one and separators inside the groups (11 of 16
disguised forms were stored as feedback comments). Now any run of characters that are neither
letters nor digits may stand between and inside the groups; dates, times, phone numbers, case
numbers, § references, version numbers and amounts stay legal."""

from datetime import date

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from handbook.privacy.cpr import PersonalDataError, contains_cpr
from handbook.publishing.feedback import give_feedback

MANY = settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
SEPARATOR_CHARACTERS = list(" \t\n\u00a0.,:;+-–—/|#()[]{}<>'\"!?=%$€£§^°·•…") + ["\u2212", "\u3000"]
# (Markdown emphasis marks * _ ~ ` are dropped before matching, as a reader does not see them.)
separator_runs = st.text(alphabet=st.sampled_from(SEPARATOR_CHARACTERS), min_size=1, max_size=4)

DISGUISED = [
    "150588+4321", "15+05+88+4321", "150588,4321", "15,05,88,4321", "150588:4321", "15:05:88:4321",
    "150588 – 4321", "15 05 88 – 4321", "1 5 0 5 8 8 4 3 2 1", "1-5-0-5-8-8-4-3-2-1",
    "15 0 5 88-43 21", "1505-88-43-21", "15.05.88/43.21", "15|05|88|4321", "(150588) 4321", "150588 #4321",
]
MUST_STAY_LEGAL = [
    "33 66 33 66", "tlf. 33 66 33 66 / 20 30 40 50", "+45 33 66 33 66", "+45 70 10 18 81",
    "27.24.00-A00-1234-26", "Sag 27.24.00-G01-1-24 og 27.15.00-A00-1234-26",
    "§ 50, stk. 3, nr. 7", "§§ 20-23, 45-48 og § 136", "barnets lov § 19, stk. 1-3",
    "kl. 10:30-12:00", "kl. 8.00-15.30", "08:00 - 16:00, 12:30-13:00",
    "version 1.2.3", "v. 2.10.1 (2026)", "1.250.000 kr.", "kr. 12.500,00", "1.500.000.000 kr", "3.450,50 kr./md.",
    "15.05.2026 10:30", "2026-01-31 10:30", "01.01.2026-31.12.2026", "01.01.26-31.12.26", "15.05.88 14:30",
    "1.-3. januar 2026", "15/5-2026", "uge 12, 2026: 14 sager", "ISBN 978-87-7712-345-6",
]


@pytest.mark.parametrize("text", DISGUISED)
def test_the_reviews_disguised_forms_are_recognised(text):
    assert contains_cpr(f"Barnet {text} skal høres")


@pytest.mark.parametrize("text", DISGUISED)
def test_no_disguised_form_is_stored_as_a_feedback_comment(store, text):
    with pytest.raises(PersonalDataError):
        give_feedback(store, "underretning", "2.0", False, f"Det gjaldt {text}")
    assert store.db.execute("SELECT count(*) FROM feedback").fetchone()[0] == 0


@pytest.mark.parametrize("text", MUST_STAY_LEGAL)
def test_dates_phones_case_numbers_paragraphs_times_versions_and_amounts_stay_legal(text):
    assert not contains_cpr(text)


@st.composite
def separated_cpr(draw) -> str:
    """A CPR number with a run of separators (or none) at any of the nine places between its
    digits; if none stands between date and serial, the serial is written in one piece (else
    '15.05.2026 10' would be a date and a time)."""
    day = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
    digits = f"{day:%d%m%y}{draw(st.integers(0, 9999)):04}"
    separators = [draw(separator_runs) if draw(st.booleans()) else "" for _ in range(9)]
    if not separators[5]:
        separators[6:] = ["", "", ""]
    serial_split = [bool(s) for s in separators[6:]]
    if serial_split == [False, True, False]:  # 14:30 after a date reads as a time (documented)
        hours, minutes = int(digits[6:8]), int(digits[8:10])
        assume(not (separators[7] in (":", ".") and hours < 24 and minutes < 60))
    return digits[0] + "".join(sep + digit for sep, digit in zip(separators, digits[1:]))


words = st.text(alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyzæøå ")), max_size=20)


@MANY
@given(words, separated_cpr(), words)
def test_any_separators_between_and_inside_the_groups_are_recognised(before, number, after):
    assert contains_cpr(f"{before} {number} {after}"), number


@MANY
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)), st.integers(0, 23), st.integers(0, 59), st.sampled_from([" ", " kl. ", ", ", " - "]))
def test_a_date_with_a_four_digit_year_and_a_time_is_legal(day, hours, minutes, between):
    assert not contains_cpr(f"{day:%d.%m.%Y}{between}{hours:02}:{minutes:02}")
    assert not contains_cpr(f"{day:%Y-%m-%d}{between}{hours:02}.{minutes:02}")


@MANY
@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2049, 12, 31)), st.dates(min_value=date(1950, 1, 1), max_value=date(2049, 12, 31)), st.sampled_from([".", "-", "/"]), st.sampled_from(["-", " - ", " til "]))
def test_a_range_of_two_dates_is_legal(first, second, separator, between):
    assert not contains_cpr(f"{first:%d}{separator}{first:%m}{separator}{first:%y}{between}{second:%d}{separator}{second:%m}{separator}{second:%y}")
    assert not contains_cpr(f"{first:%d.%m.%Y}{between}{second:%d.%m.%Y}")


@MANY
@given(st.lists(st.integers(10, 99), min_size=4, max_size=4), st.sampled_from(["", "+45 ", "tlf. "]))
def test_phone_numbers_in_pairs_are_legal(pairs, prefix):
    assert not contains_cpr(prefix + " ".join(f"{p:02}" for p in pairs))
