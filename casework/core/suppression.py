"""Small counts are never shown to aggregate-only readers, nor worked out by subtraction
(statistical disclosure control: the rule for every published figure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

SMALL_COUNT = 5


def suppressed(value: int) -> str:
    """Counts of 1 to 4 are shown as "<5" to bureau viewers, so nobody can be singled out."""
    return "<5" if 0 < value < SMALL_COUNT else str(value)


def is_small(value: int) -> bool:
    return 0 < value < SMALL_COUNT


def hidden_cells(lines: Sequence[tuple[Sequence[Any], Any]], values: Mapping[Any, int]) -> set[Any]:
    """Which cells to hide from aggregate-only viewers, so no count of 1 to 4 can be read.

    ``values`` maps every cell, totals included, to its count; ``lines`` are the breakdowns
    a page shows, each as its cells and the cell holding their total. Counts of 1 to 4 are
    hidden ("<5"). Where a line's total is shown and it hides a single cell, the total minus
    the other cells would give that cell away, so further cells are hidden (complementary
    suppression), smallest first, until the line hides at least two cells holding at least
    5 between them. Where a line's total had to be hidden but all its cells are shown, their
    sum would give the total away, so its smallest cell is hidden too. A cell hidden for one
    line counts for every line it is in; the lines are checked again until nothing changes.
    A 0 is never hidden: it protects nothing.
    """
    hidden = {cell for cell, value in values.items() if is_small(value)}

    def hide_smallest(cells: Sequence[Any]) -> bool:
        candidates = [cell for cell in cells if cell not in hidden and values[cell] > 0]
        if not candidates:
            return False
        hidden.add(min(candidates, key=lambda cell: values[cell]))
        return True

    changed = True
    while changed:
        changed = False
        for cells, total in lines:
            in_line = [cell for cell in cells if cell in hidden]
            if total in hidden:
                if not in_line and values[total] > 0:
                    changed |= hide_smallest(cells)
                continue
            while in_line and (
                len(in_line) < 2 or sum(values[cell] for cell in in_line) < SMALL_COUNT
            ):
                if not hide_smallest(cells):
                    break
                changed = True
                in_line = [cell for cell in cells if cell in hidden]
    return hidden
