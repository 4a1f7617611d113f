"""Weighted word and phrase banks: the ``Bank`` the generator draws names, places and text from.

Each bank is ordered from the most to the least frequent entry and drawn with Zipf-like
weights, so common words (独居, 低保, 入户走访) recur far more often than rare ones, as
they do in real records. The banks themselves are in ``names``, ``places`` and ``texts``.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from itertools import accumulate


class Bank:
    """Entries drawn with weights; by default Zipf-like by position (1/(rank+1)^s)."""

    __slots__ = ("_cumulative", "_items", "_total")

    def __init__(
        self,
        items: Sequence[str],
        weights: Sequence[float] | None = None,
        *,
        exponent: float = 0.8,
    ) -> None:
        if not items:
            raise ValueError("a bank needs at least one entry")
        if weights is None:
            weights = [1.0 / (rank + 1) ** exponent for rank in range(len(items))]
        self._items = tuple(items)
        self._cumulative = list(accumulate(weights))
        self._total = self._cumulative[-1]

    def pick(self, rng: random.Random) -> str:
        return self._items[bisect(self._cumulative, rng.random() * self._total)]

    def __len__(self) -> int:
        return len(self._items)
