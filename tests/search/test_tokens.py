"""Tokens: bigrams for Chinese, 4-grams for digits, pinyin for names; queries to phrases."""

from __future__ import annotations

import subprocess
import sys

from casework import PROJECT_ROOT
from casework.search.tokens import (
    name_pinyin,
    name_tokens,
    parse_query,
    stored_pinyin,
    text_tokens,
    token_string,
)


def test_chinese_text_becomes_overlapping_bigrams() -> None:
    assert text_tokens("独居老人") == ["独居", "居老", "老人"]


def test_punctuation_breaks_a_run_of_chinese() -> None:
    assert text_tokens("独居，老人") == ["独居", "老人"]


def test_digit_runs_become_four_grams() -> None:
    assert text_tokens("电话13912") == ["电话", "1391", "3912"]


def test_latin_words_are_lower_case() -> None:
    assert text_tokens("Call OK") == ["call", "ok"]


def test_names_add_full_pinyin_and_initials() -> None:
    assert name_tokens("张伟") == ["张伟", "zhangwei", "zw"]


def test_a_surname_with_two_readings_gets_both() -> None:
    full, initials = name_pinyin("曾伟")
    assert "zengwei" in full
    assert "zw" in initials


def test_a_two_character_query_is_one_bigram() -> None:
    assert parse_query(" 独居 ").phrases == (("独居",),)


def test_a_letters_only_query_is_a_pinyin_prefix() -> None:
    assert parse_query("ZW").prefix == "zw"


def test_a_single_character_is_too_short() -> None:
    assert parse_query("张").problem == "short"


def test_fewer_than_four_digits_are_refused() -> None:
    assert parse_query("123").problem == "digits"


def test_latin_in_a_mixed_query_is_left_to_the_recheck() -> None:
    assert parse_query("abc低保户").phrases == (("低保", "保户"),)


def test_the_bulk_token_string_equals_the_joined_tokens() -> None:
    for text in ("独居老人，电话13912345", "Call OK 12 ab独cd", "x1y2z3456", "KELVIN\u212a İb", ""):
        assert token_string(text) == " ".join(text_tokens(text))


def test_stored_pinyin_is_read_back_from_a_persons_tokens() -> None:
    tokens = " ".join(["k1", "u7", *name_tokens("曾伟"), *text_tokens("22010219900101123X")])
    spellings = stored_pinyin(tokens, name="曾伟", id_number="22010219900101123X", phone=None)
    full, initials = name_pinyin("曾伟")
    assert spellings == {*full, *initials}


def test_the_application_and_searching_do_not_load_pypinyin() -> None:
    script = (
        "import sys\n"
        "from casework import create_app\n"
        "create_app({'TESTING': True, 'SECRET_KEY': 'x', 'DATABASE_URL': 'sqlite://'})\n"
        "import casework.search.queries, casework.search.views\n"
        "print('pypinyin' in sys.modules)\n"
    )
    result = subprocess.run(  # noqa: S603  (our own interpreter and script)
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
