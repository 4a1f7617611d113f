"""Display tokens: create (the secret shown once), list, revoke, and resolve a wall screen's
address to its unit. Services flush, never commit."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from casework.accounts.models import User
from casework.accounts.services import token_digest
from casework.core import audit
from casework.core.models import as_utc, utcnow
from casework.dashboards.models import DisplayToken
from casework.extensions import db
from casework.orgs.models import Unit

# Touch ``last_seen_at`` at most this often: a screen polls every minute.
SEEN_GRANULARITY = timedelta(minutes=10)
MAX_TOKEN_LENGTH = 100


def create_display_token(*, actor: User, unit: Unit, label: str) -> str:
    """A new wall screen address for ``unit``'s subtree; the token is returned only here."""
    token = secrets.token_urlsafe(32)
    row = DisplayToken(
        unit_id=unit.id,
        label=label,
        token_hash=token_digest(token),
        created_by_id=actor.id,
        expires_at=utcnow() + timedelta(days=int(current_app.config["WALL_TOKEN_DAYS"])),
    )
    db.session.add(row)
    db.session.flush()
    audit.record(
        "display_token.created", row, actor_id=actor.id, unit_id=unit.id, details={"label": label}
    )
    return token


def revoke_display_token(row: DisplayToken, *, actor: User) -> None:
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.record("display_token.revoked", row, actor_id=actor.id, unit_id=row.unit_id)


def display_tokens_of(unit: Unit) -> list[DisplayToken]:
    """Every token of ``unit``, newest first (revoked and expired ones included)."""
    return list(
        db.session.scalars(
            select(DisplayToken)
            .where(DisplayToken.unit_id == unit.id)
            .order_by(DisplayToken.created_at.desc(), DisplayToken.id.desc())
        )
    )


def is_usable(row: DisplayToken) -> bool:
    return row.revoked_at is None and as_utc(row.expires_at) > utcnow()


def unit_for_display_token(token: str) -> Unit | None:
    """The unit whose wall screen ``token`` opens, or None (unknown, revoked, expired)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    row = db.session.scalar(
        select(DisplayToken).where(DisplayToken.token_hash == token_digest(token))
    )
    if row is None or not is_usable(row):
        return None
    now = utcnow()
    if row.last_seen_at is None or now - as_utc(row.last_seen_at) > SEEN_GRANULARITY:
        row.last_seen_at = now
    return row.unit
