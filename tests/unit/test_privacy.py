"""CPR numbers are recognised by date part and shape, not by modulus 11."""

import pytest

from handbook.privacy.cpr import PersonalDataError, ensure_no_cpr, find_cpr_numbers


@pytest.mark.parametrize("text", ["010203-1234", "0102031234", "Barn 311299 4321 i sagen", "ref 290200-1111"])
def test_cpr_numbers_are_found(text):
    assert find_cpr_numbers(text)


@pytest.mark.parametrize("text", ["sag 2024-123456", "320199-1234", "011399-1234", "12345678901", "tlf 56 78 90 12", "§ 50, stk. 7", "290201-1111"])
def test_other_numbers_are_not_cpr(text):
    assert find_cpr_numbers(text) == []


def test_ensure_no_cpr_names_the_field_in_danish():
    with pytest.raises(PersonalDataError, match="Referencen ser ud til at indeholde et CPR-nummer"):
        ensure_no_cpr("Sag om 010203-1234", "Referencen")
    assert ensure_no_cpr("Sag 27.15.00-G01", "Referencen") == "Sag 27.15.00-G01"
