"""Secret iCalendar feed addresses: created, revoked, resolved to their owner."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from casework.accounts.models import User
from casework.accounts.services import token_digest
from casework.calendar.models import CalendarFeed
from casework.core import audit
from casework.core.models import utcnow
from casework.extensions import db


def create_calendar_feed(*, actor: User) -> str:
    """A new secret feed address for ``actor``; any earlier one is revoked."""
    revoke_calendar_feeds(actor=actor)
    token = secrets.token_urlsafe(32)
    db.session.add(
        CalendarFeed(
            user_id=actor.id,
            token_hash=token_digest(token),
            session_version=actor.session_version,
        )
    )
    audit.record("calendar.feed_created", actor, actor_id=actor.id)
    return token


def revoke_calendar_feeds(*, actor: User) -> int:
    feeds = db.session.scalars(
        select(CalendarFeed).where(
            CalendarFeed.user_id == actor.id, CalendarFeed.revoked_at.is_(None)
        )
    ).all()
    for feed in feeds:
        feed.revoked_at = utcnow()
    if feeds:
        audit.record("calendar.feed_revoked", actor, actor_id=actor.id)
    return len(feeds)


def user_for_feed_token(token: str) -> User | None:
    """The active user whose unrevoked feed has this token, or None."""
    if not token or len(token) > 100:
        return None
    feed = db.session.scalar(
        select(CalendarFeed).where(
            CalendarFeed.token_hash == token_digest(token), CalendarFeed.revoked_at.is_(None)
        )
    )
    if feed is None or not feed.user.is_active or feed.session_version != feed.user.session_version:
        return None
    return feed.user


def has_calendar_feed(user: User) -> bool:
    return (
        db.session.scalar(
            select(CalendarFeed.id).where(
                CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None)
            )
        )
        is not None
    )
