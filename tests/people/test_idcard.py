"""Resident ID-card numbers (GB 11643-1999)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask

from casework.core.clock import local_today
from casework.people import idcard
from tests.factories import make_id_number

# The standard's own worked example, checked by hand:
# digits 1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2, weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2,
# sum 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167, 167 mod 11 = 2, "10X98765432"[2] = "X".
KNOWN_NUMBER = "11010519491231002X"


def with_check_character(first_17: str) -> str:
    return first_17 + idcard.check_character(first_17)


def test_known_example_is_valid(app: Flask) -> None:
    assert idcard.is_valid(KNOWN_NUMBER)


def test_known_example_check_character_is_x() -> None:
    assert idcard.check_character(KNOWN_NUMBER[:17]) == "X"


def test_known_example_encodes_its_birth_date() -> None:
    assert idcard.birth_date_of(KNOWN_NUMBER) == date(1949, 12, 31)


@pytest.mark.parametrize(
    ("born", "serial"),
    [(date(1956, 3, 14), 2), (date(1990, 1, 1), 123), (date(2000, 2, 29), 998)],
)
def test_computed_number_is_valid(app: Flask, born: date, serial: int) -> None:
    number = make_id_number(born, serial=serial)
    assert len(number) == 18
    assert idcard.is_valid(number)
    assert idcard.birth_date_of(number) == born


def test_wrong_check_digit_is_invalid(app: Flask) -> None:
    number = make_id_number(date(1990, 1, 1))
    wrong = "0" if number[-1] != "0" else "1"
    assert not idcard.is_valid(number[:17] + wrong)


def test_x_where_a_digit_belongs_is_invalid(app: Flask) -> None:
    number = make_id_number(date(1990, 1, 1))
    assert number[-1] != "X"
    assert not idcard.is_valid(number[:17] + "X")


def test_lower_case_x_is_invalid_until_normalised(app: Flask) -> None:
    lower = KNOWN_NUMBER.lower()
    assert not idcard.is_valid(lower)
    assert idcard.is_valid(idcard.normalise(lower))


@pytest.mark.parametrize(
    "raw", ["11010519491231002x", " 110105 19491231 002x ", "11010519491231002X"]
)
def test_normalise_gives_upper_case_without_spaces(raw: str) -> None:
    assert idcard.normalise(raw) == KNOWN_NUMBER


def test_impossible_birth_date_is_invalid(app: Flask) -> None:
    number = with_check_character("22010219990230123")
    assert idcard.birth_date_of(number) is None
    assert not idcard.is_valid(number)


def test_birth_date_with_month_thirteen_is_invalid(app: Flask) -> None:
    assert not idcard.is_valid(with_check_character("22010219991301123"))


def test_future_birth_date_is_invalid(app: Flask) -> None:
    tomorrow = local_today() + timedelta(days=1)
    assert not idcard.is_valid(make_id_number(tomorrow))


def test_birth_date_today_is_valid(app: Flask) -> None:
    assert idcard.is_valid(make_id_number(local_today()))


def test_birth_year_before_1890_is_invalid(app: Flask) -> None:
    assert not idcard.is_valid(make_id_number(date(1889, 12, 31)))


@pytest.mark.parametrize(
    "number",
    [
        KNOWN_NUMBER[:17],  # 17 characters
        KNOWN_NUMBER + "1",  # 19 characters
        "110105491231002",  # the old 15-digit format
        "",
    ],
)
def test_wrong_length_is_invalid(app: Flask, number: str) -> None:
    assert not idcard.is_valid(number)


def test_trailing_newline_is_invalid(app: Flask) -> None:
    assert not idcard.is_valid(KNOWN_NUMBER + "\n")


@pytest.mark.parametrize(
    "number",
    [
        "1101051949123A002X",  # a letter among the digits
        "A1010519491231002X",  # a letter in front
        "11010519491231002Y",  # a letter other than X as the check character
    ],
)
def test_letters_are_invalid(app: Flask, number: str) -> None:
    assert not idcard.is_valid(number)


def test_leading_zero_is_invalid(app: Flask) -> None:
    assert not idcard.is_valid(with_check_character("01010519491231002"))


def test_full_width_digits_are_invalid(app: Flask) -> None:
    """Chinese input methods type ０-９; such a number must not pass as a valid one."""
    full_width = (
        KNOWN_NUMBER[0]
        + KNOWN_NUMBER[1:17].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        + "X"
    )
    assert not idcard.is_valid(full_width)


def test_odd_seventeenth_digit_is_male() -> None:
    assert idcard.is_male(make_id_number(date(1990, 1, 1), serial=123))


def test_even_seventeenth_digit_is_female() -> None:
    assert not idcard.is_male(make_id_number(date(1990, 1, 1), serial=124))


def test_known_example_is_female() -> None:
    assert not idcard.is_male(KNOWN_NUMBER)
