"""Text → index tokens, and a query → the tokens every matching text must contain.

Tokens are plain words separated by spaces, so both databases' stock tokenizers (SQLite
FTS5 ``unicode61``, PostgreSQL's ``simple`` configuration) keep them intact:

- every run of Chinese characters becomes its overlapping bigrams (``独居老人`` →
  ``独居 居老 老人``), so a phrase of two or more characters is a phrase of adjacent bigrams;
- every run of four or more digits becomes its overlapping 4-grams, for ID, phone and
  case-number fragments;
- Latin letters become lower-case words; names add their pinyin (full and initials).

Scope tokens mix letters and digits (``u12``, ``k3``), which the text never produces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import product

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_RUNS = re.compile(f"([{_CJK}]+)|([0-9]+)|([A-Za-z]+)")
_CJK_CHARACTER = re.compile(f"[{_CJK}]")
DIGIT_GRAM = 4
MIN_QUERY_LENGTH = 2
# Every token in one pass of the regex engine: a lookahead matches (empty) at each position
# where a bigram or a digit 4-gram starts, or where a Latin word starts (not after a letter),
# and captures it. The same tokens, in the same order, as splitting into runs first.
_TOKENS = re.compile(f"(?=([{_CJK}]{{2}}|[0-9]{{{DIGIT_GRAM}}}|(?<![A-Za-z])[A-Za-z]+))")
_UPPER = re.compile("[A-Z]")
find_tokens = _TOKENS.findall


def text_tokens(text: str | None) -> list[str]:
    """The tokens of free text, in order (adjacent bigrams stay adjacent)."""
    if not text:
        return []
    tokens: list[str] = find_tokens(text)
    if _UPPER.search(text):
        tokens = [token.lower() for token in tokens]
    return tokens


def token_string(text: str | None) -> str:
    """``" ".join(text_tokens(text))``, faster (the bulk rebuild's inner loop)."""
    if not text:
        return ""
    joined = " ".join(find_tokens(text))
    # Only Latin letters have a lower case among the characters tokens are made of.
    return joined.lower() if _UPPER.search(joined) else joined


def name_pinyin(name: str) -> tuple[list[str], list[str]]:
    """Full pinyin spellings and initials of a name; a surname's other readings count too.

    pypinyin (about 56 MB of dictionaries) is imported here, on first use: only indexing
    needs it, so a process that merely searches never loads it.
    """
    if not _CJK_CHARACTER.search(name):
        return [], []
    from pypinyin import Style, lazy_pinyin, pinyin

    syllables = lazy_pinyin(name, style=Style.NORMAL, errors="ignore")
    if not syllables:
        return [], []
    first = name[0]
    surname_readings = [syllables[0]]
    if _CJK_CHARACTER.match(first):
        surname_readings = list(
            dict.fromkeys([syllables[0], *pinyin(first, style=Style.NORMAL, heteronym=True)[0]])
        )
    full, initials = [], []
    for surname, rest in product(surname_readings, [syllables[1:]]):
        parts = [part.lower() for part in (surname, *rest) if part.isascii() and part.isalpha()]
        full.append("".join(parts))
        initials.append("".join(part[0] for part in parts))
    return list(dict.fromkeys(full)), list(dict.fromkeys(initials))


def stored_pinyin(tokens: str, *, name: str, id_number: str | None, phone: str | None) -> set[str]:
    """The pinyin spellings (full and initials) held in a person's index tokens.

    A person's tokens are the two scope tokens, the name's text tokens, its pinyin, then the
    ID number's and the phone's tokens (``index.document_tokens``): what lies between is the
    pinyin. Searching reads it back instead of spelling names again, so a process that only
    searches never loads pypinyin.
    """
    words = tokens.split()
    start = 2 + len(text_tokens(name))
    end = len(words) - len(text_tokens(id_number)) - len(text_tokens(phone))
    return set(words[start:end])


def name_tokens(name: str) -> list[str]:
    full, initials = name_pinyin(name)
    return [*text_tokens(name), *full, *initials]


@dataclass(frozen=True)
class ParsedQuery:
    """What the index is asked for: phrases of adjacent tokens, or a Latin prefix."""

    text: str
    phrases: tuple[tuple[str, ...], ...] = ()
    prefix: str | None = None
    problem: str | None = None  # why the query cannot be searched: "short", "digits"

    @property
    def is_searchable(self) -> bool:
        return self.problem is None

    @property
    def is_digits(self) -> bool:
        return self.text.isdigit()


def parse_query(raw: str) -> ParsedQuery:
    """Turn the user's input into index phrases; every matching text holds all of them.

    Latin words are used only for a query of letters alone (pinyin, initials), because a
    fragment of a word is not a token; in mixed queries the substring recheck covers them.
    """
    text = " ".join(raw.split())[:50]
    if len(text.replace(" ", "")) < MIN_QUERY_LENGTH:
        return ParsedQuery(text, problem="short")
    compact = text.replace(" ", "")
    if compact.isascii() and compact.isalpha():
        return ParsedQuery(text, prefix=compact.lower())
    if compact.isdigit() and len(compact) < DIGIT_GRAM:
        return ParsedQuery(text, problem="digits")
    phrases: list[tuple[str, ...]] = []
    for match in _RUNS.finditer(text):
        cjk, digits, _latin = match.groups()
        if cjk and len(cjk) > 1:
            phrases.append(tuple(map(str.__add__, cjk, cjk[1:])))
        elif digits and len(digits) >= DIGIT_GRAM:
            phrases.append(tuple(text_tokens(digits)))
    if not phrases:
        return ParsedQuery(text, problem="short")
    return ParsedQuery(text, phrases=tuple(phrases))
