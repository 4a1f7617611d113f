"""统一社会信用代码: the check character of GB 32100-2015."""

from __future__ import annotations

import pytest

from casework.projects import credit_code


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000802100433B"])
def test_published_codes_are_valid(code: str) -> None:
    assert credit_code.is_valid(code)


def test_a_wrong_check_character_is_refused() -> None:
    assert not credit_code.is_valid("91350100M000100Y44")


@pytest.mark.parametrize("code", ["91350100M000100Y4", "91350100M000100Y433", ""])
def test_a_code_of_another_length_is_refused(code: str) -> None:
    assert not credit_code.is_valid(code)


@pytest.mark.parametrize(("position", "letter"), [(1, "I"), (9, "O")])
def test_letters_outside_the_charset_are_refused(position: int, letter: str) -> None:
    # I, O, S, V and Z are never used: they read like digits. The code is a valid one with
    # a 1 read as I or a 0 as O, its check character unchanged.
    valid = "91350100M000100Y43"
    assert credit_code.is_valid(valid)
    assert valid[position] == {"I": "1", "O": "0"}[letter]
    assert not credit_code.is_valid(valid[:position] + letter + valid[position + 1 :])


def test_lower_case_and_spaces_are_normalised() -> None:
    assert credit_code.normalise(" 91350100m000100y43 ") == "91350100M000100Y43"
