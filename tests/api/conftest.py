"""Personal API tokens for the API tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from casework.api import tokens
from casework.api.models import TokenScope
from casework.extensions import db

MakeToken = Callable[..., str]


@pytest.fixture
def make_token(app: Any) -> MakeToken:
    """A token's secret for ``user`` (read-only unless ``scope`` says otherwise)."""

    def make(user: Any, scope: TokenScope = TokenScope.READ, days: int = 30) -> str:
        made = tokens.create_token(actor=user, name="测试系统", scope=scope, days=days)
        db.session.commit()
        return made.secret

    return make


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}
