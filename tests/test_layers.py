"""The declared layers hold (.importlinter): core imports no domain, nothing imports upwards."""

from __future__ import annotations

from pathlib import Path

from importlinter.cli import EXIT_STATUS_SUCCESS, lint_imports

from casework import PROJECT_ROOT


def test_every_import_contract_is_kept() -> None:
    config = Path(PROJECT_ROOT) / ".importlinter"
    assert lint_imports(config_filename=str(config), no_cache=True) == EXIT_STATUS_SUCCESS
