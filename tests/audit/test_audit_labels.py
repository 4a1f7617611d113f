"""Every audit action the code writes has a label on the audit page."""

from __future__ import annotations

import ast
from pathlib import Path

import casework
from casework.audit.views import ACTION_LABELS

PACKAGE = Path(casework.__file__).parent


def _recorded_actions() -> set[str]:
    """The literal action names passed to ``audit.record(...)`` anywhere in the package."""
    actions: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            function = node.func
            name = function.attr if isinstance(function, ast.Attribute) else None
            first = node.args[0]
            if (
                name == "record"
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                actions.add(first.value)
    return actions


def test_every_recorded_action_has_a_label() -> None:
    actions = _recorded_actions()

    assert actions, "the scan found no audit calls at all"
    assert sorted(actions - ACTION_LABELS.keys()) == []
