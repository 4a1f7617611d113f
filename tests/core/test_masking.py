"""Masked ID and phone numbers for lists (the glossary's forms)."""

from __future__ import annotations

import pytest

from casework.core.masking import mask_id_number, mask_phone


def test_id_number_keeps_region_and_last_four() -> None:
    assert mask_id_number("220102199001011234") == "220102********1234"


def test_id_number_with_x_keeps_the_x() -> None:
    assert mask_id_number("11010519491231002X") == "110105********002X"


def test_phone_keeps_first_three_and_last_four() -> None:
    assert mask_phone("13912345678") == "139****5678"


@pytest.mark.parametrize("empty", ["", None])
def test_empty_id_number_masks_to_empty(empty: str | None) -> None:
    assert mask_id_number(empty) == ""


@pytest.mark.parametrize("empty", ["", None])
def test_empty_phone_masks_to_empty(empty: str | None) -> None:
    assert mask_phone(empty) == ""


def test_short_id_number_is_hidden_entirely() -> None:
    assert mask_id_number("1234567890") == "**********"


def test_short_phone_is_hidden_entirely() -> None:
    assert mask_phone("5551234") == "*******"
