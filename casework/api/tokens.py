"""Personal API tokens: made by a user for a system of theirs, shown once, stored as a
hash, scoped (read / write), expiring, revoked by the user; a password change or a
disabled account voids them all (the session version, as for sessions)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework.accounts.models import User
from casework.accounts.services import token_digest
from casework.api.models import ApiToken, TokenScope
from casework.core import audit
from casework.core.models import as_utc, utcnow
from casework.core.rules import RuleError
from casework.extensions import db

PREFIX = "cw_"
# The lifetimes a user may choose, in days.
LIFETIMES = (30, 90, 365)
MAX_ACTIVE = 10


class TokenError(RuleError):
    MESSAGES: ClassVar[dict[str, Any]] = {
        "name": _l("请为令牌命名，例如用它的系统名称"),
        "lifetime": _l("请选择有效期"),
        "too_many": _l("有效的令牌已达 10 个，请先撤销不用的令牌"),
    }

    def __init__(self, code: str) -> None:
        super().__init__(self.MESSAGES[code], code=code)


def can_use_api(user: User) -> bool:
    """Every confirmed account: what each may read or change is the pages' rule."""
    return user.is_active and not user.is_pending_confirmation


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    # The secret itself: shown to the user once, never stored.
    secret: str


def create_token(*, actor: User, name: str, scope: TokenScope, days: int) -> NewToken:
    if not name.strip():
        raise TokenError("name")
    if days not in LIFETIMES:
        raise TokenError("lifetime")
    if len(active_tokens(actor)) >= MAX_ACTIVE:
        raise TokenError("too_many")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=actor.id,
        name=name.strip()[:64],
        scope=scope,
        token_hash=token_digest(secret),
        prefix=secret[:10],
        session_version=actor.session_version,
        expires_at=utcnow() + timedelta(days=days),
    )
    db.session.add(token)
    db.session.flush()
    audit.record(
        "api_token.create",
        token,
        actor_id=actor.id,
        unit_id=actor.unit_id,
        details={"scope": scope.value, "days": days},
    )
    return NewToken(token, secret)


def revoke_token(*, actor: User, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record("api_token.revoke", token, actor_id=actor.id, unit_id=actor.unit_id)


def tokens_of(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        )
    )


def is_usable(token: ApiToken) -> bool:
    user = token.user
    return (
        token.revoked_at is None
        and as_utc(token.expires_at) > utcnow()
        and user.is_active
        and token.session_version == user.session_version
    )


def active_tokens(user: User) -> list[ApiToken]:
    return [token for token in tokens_of(user) if is_usable(token)]


def token_for(secret: str) -> ApiToken | None:
    """The usable token with this secret, or None (unknown, revoked, expired, or its owner
    disabled or with a changed password)."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_digest(secret)))
    if token is None or not is_usable(token):
        return None
    return token


def note_use(token: ApiToken) -> None:
    """When the token was last used (at most one write a minute per token)."""
    now = utcnow()
    if token.last_used_at is None or now - as_utc(token.last_used_at) > timedelta(minutes=1):
        token.last_used_at = now
