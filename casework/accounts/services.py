"""Account changes: creating, confirming, enabling and disabling users, passwords, login,
locks and server-side sessions."""

from __future__ import annotations

import functools
import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any, ClassVar

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, session
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from casework.accounts.models import PasswordLink, Role, User, UserSession
from casework.accounts.passwords import MIN_PASSWORD_LENGTH
from casework.accounts.passwords import problem as password_problem
from casework.core import audit
from casework.core.models import as_utc, utcnow
from casework.core.rules import RuleError
from casework.extensions import db
from casework.orgs.models import Unit


def _hasher() -> PasswordHasher:
    """The argon2 hasher of the configured profile (``PASSWORD_HASH_PROFILE``).

    Production uses RFC 9106's low-memory profile; the test suite a cheap one, because
    hashing is slow on purpose. Verifying reads the parameters from the stored hash, and a
    login rehashes a password stored with other parameters.
    """
    return _hasher_for(current_app.config["PASSWORD_HASH_PROFILE"])


@functools.cache
def _hasher_for(profile: str) -> PasswordHasher:
    return PasswordHasher.from_parameters(getattr(profiles, profile))


def _dummy_hash() -> str:
    """Verified against when the username is unknown, so both failures take the same time."""
    return _dummy_hash_for(current_app.config["PASSWORD_HASH_PROFILE"])


@functools.cache
def _dummy_hash_for(profile: str) -> str:
    return _hasher_for(profile).hash("casework-timing-equaliser")


class AccountError(RuleError):
    """A rule about accounts forbids the change; ``code`` names the rule."""

    MESSAGES: ClassVar[dict[str, Any]] = {
        "username_taken": _l("该用户名已被使用"),
        "password_too_short": _l("密码至少 %(min)d 个字符", min=MIN_PASSWORD_LENGTH),
        "password_common": _l("这是最常用的一万个密码之一，很容易被猜中，请换一个"),
        "password_has_username": _l("密码不能包含用户名"),
        "password_has_unit": _l("密码不能包含所属单位的名称或代码"),
        "cannot_disable_self": _l("不能停用自己的账号。"),
        "wrong_password": _l("当前密码不正确"),
    }

    def __init__(self, code: str) -> None:
        super().__init__(self.MESSAGES[code], code=code)


def check_password(password: str, *, username: str, unit: Unit | None) -> None:
    """Refuse a password the policy (accounts.passwords) does not allow."""
    names = (unit.name, unit.code) if unit is not None else ()
    code = password_problem(password, username=username, unit_names=names)
    if code is not None:
        raise AccountError(code)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def find_user(username: str) -> User | None:
    return db.session.scalar(
        select(User).where(func.lower(User.username) == username.strip().lower())
    )


class AccountLocked(Exception):
    """The right password for an account locked after too many failures."""

    def __init__(self, until: datetime) -> None:
        super().__init__(until.isoformat())
        self.until = until


def _config(name: str) -> Any:
    return current_app.config[name]


def has_usable_password(user: User) -> bool:
    """False until the owner has set a password through their one-time link."""
    return user.password_hash != UNUSABLE_PASSWORD


def is_locked(user: User) -> bool:
    return user.locked_until is not None and as_utc(user.locked_until) > utcnow()


def authenticate(username: str, password: str) -> User | None:
    """Return the enabled user with these credentials, or None.

    A wrong password counts towards the account's lock (``LOCKOUT_THRESHOLD`` in a row);
    the right password for a locked account raises AccountLocked, so only someone who knows
    the password learns that the account is locked.
    """
    user = find_user(username)
    if user is None:
        verify_password(_dummy_hash(), password)
        return None
    if not verify_password(user.password_hash, password):
        count_failure(user)
        return None
    if is_locked(user):
        raise AccountLocked(as_utc(user.locked_until or utcnow()))
    if not user.is_active:
        return None
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def count_failure(user: User) -> None:
    user.failed_logins += 1
    if user.failed_logins >= _config("LOCKOUT_THRESHOLD") and not is_locked(user):
        user.locked_until = utcnow() + timedelta(minutes=_config("LOCKOUT_MINUTES"))
        audit.record(
            "user.locked",
            user,
            actor_id=None,
            details={"failed_logins": user.failed_logins},
        )


def unlock(*, actor: User, user: User) -> None:
    """A station head or the administrator lifts a lock before it runs out."""
    user.failed_logins = 0
    user.locked_until = None
    audit.record("user.unlock", user, actor_id=actor.id)


def record_login(user: User) -> int:
    """Note a successful login; returns the failed attempts since the last one, which the
    owner is told about."""
    failures = user.failed_logins
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = utcnow()
    audit.record("user.login", user, actor_id=user.id)
    return failures


def record_failed_login(username: str) -> None:
    audit.record("user.login_failed", details={"username": username[:64]})


# An argon2 hash never equals this, so an account with it cannot be signed in to until its
# owner sets a password through a one-time link.
UNUSABLE_PASSWORD = "!unusable"  # noqa: S105  (not a password: a value no hash matches)


def create_user(
    *,
    actor: User | None,
    username: str,
    display_name: str,
    role: Role,
    unit: Unit,
    supervised_units: list[Unit] | None = None,
    password: str | None = None,
) -> User:
    """Create an account; its owner sets the password through a one-time link (a password
    is given only by the shell and seed commands, where ``actor`` is None).

    An account with access to people and cases that an administrator creates waits for
    confirmation (``request_confirmation``)."""
    if find_user(username) is not None:
        raise AccountError("username_taken")
    if password is not None:
        check_password(password, username=username.strip(), unit=unit)
    user = User(
        username=username.strip(),
        display_name=display_name.strip(),
        password_hash=hash_password(password) if password is not None else UNUSABLE_PASSWORD,
        role=role,
        unit=unit,
        supervised_units=list(supervised_units or []) if role is Role.TUTOR else [],
    )
    db.session.add(user)
    db.session.flush()
    audit.record(
        "user.create",
        user,
        actor_id=actor.id if actor else None,
        details={"role": role.value, "unit": unit.code},
    )
    if actor is not None and actor.role is Role.SYSADMIN:
        request_confirmation(actor=actor, user=user, reason="created")
    return user


# Roles separation of duties guards: those that open people and cases, and the
# administrator's own (a second administrator account would otherwise confirm the rest).
GUARDED_ROLES = (Role.SOCIAL_WORKER, Role.STATION_HEAD, Role.TUTOR, Role.SYSADMIN)


def request_confirmation(*, actor: User, user: User, reason: str) -> None:
    """The administrator changed who can sign in as ``user`` (``reason``: "created" or
    "password_reset"): access to people and cases waits for a second person."""
    if user.role not in GUARDED_ROLES:
        return
    user.is_pending_confirmation = True
    user.confirmation_requested_by_id = actor.id
    user.confirmation_requested_at = utcnow()
    user.confirmation_reason = reason
    user.confirmed_by_id = None
    user.confirmed_at = None
    audit.record("user.confirmation_requested", user, actor_id=actor.id, details={"reason": reason})


def confirm_account(*, actor: User, user: User) -> None:
    """The station head (or a second administrator) confirms the account's access."""
    user.is_pending_confirmation = False
    user.confirmed_by_id = actor.id
    user.confirmed_at = utcnow()
    audit.record("user.confirm", user, actor_id=actor.id)


def issue_password_link(*, actor: User | None, user: User) -> str:
    """A one-time link token for ``user`` to set their own password; earlier ones lapse."""
    now = utcnow()
    for link in db.session.scalars(
        select(PasswordLink).where(PasswordLink.user_id == user.id, PasswordLink.used_at.is_(None))
    ):
        link.used_at = now
    token = secrets.token_urlsafe(32)
    db.session.add(
        PasswordLink(
            token_hash=token_digest(token),
            user_id=user.id,
            created_by_id=actor.id if actor else None,
            expires_at=now + timedelta(hours=_config("PASSWORD_LINK_HOURS")),
        )
    )
    audit.record("user.password_link", user, actor_id=actor.id if actor else None)
    return token


def find_password_link(token: str) -> PasswordLink | None:
    """The unused, unexpired link for ``token``, or None."""
    link = db.session.scalar(
        select(PasswordLink).where(PasswordLink.token_hash == token_digest(token))
    )
    if link is None or link.used_at is not None or as_utc(link.expires_at) <= utcnow():
        return None
    return link


def set_password_from_link(*, link: PasswordLink, new_password: str) -> User:
    """The owner sets their password; the link is spent and every session ends."""
    user = link.user
    check_password(new_password, username=user.username, unit=user.unit)
    user.password_hash = hash_password(new_password)
    user.session_version += 1
    user.failed_logins = 0
    user.locked_until = None
    link.used_at = utcnow()
    end_all_sessions(user=user, reason="password_set")
    audit.record("user.password_set", user, actor_id=user.id)
    return user


def set_active(*, actor: User, user: User, active: bool) -> None:
    """Enable or disable an account; disabling ends its sessions at once."""
    if user.id == actor.id and not active:
        raise AccountError("cannot_disable_self")
    if user.is_active == active:
        return
    user.is_active = active
    user.session_version += 1
    if not active:
        end_all_sessions(user=user, reason="disabled")
    audit.record("user.enable" if active else "user.disable", user, actor_id=actor.id)


def change_password(
    *, user: User, current_password: str, new_password: str, keep_session: UserSession | None
) -> None:
    """Change one's own password; every other session of the user ends."""
    if not verify_password(user.password_hash, current_password):
        raise AccountError("wrong_password")
    check_password(new_password, username=user.username, unit=user.unit)
    user.password_hash = hash_password(new_password)
    user.session_version += 1
    end_all_sessions(user=user, reason="password_change", keep=keep_session)
    audit.record("user.password_change", user, actor_id=user.id)


def reset_password(*, actor: User, user: User) -> str:
    """The old password stops working and every session ends; the owner sets a new one
    through the returned one-time link token. A reset by the administrator also waits for
    the head's confirmation, since whoever holds the link could sign in."""
    user.password_hash = UNUSABLE_PASSWORD
    user.session_version += 1
    end_all_sessions(user=user, reason="password_reset")
    audit.record("user.password_reset", user, actor_id=actor.id)
    if actor.role is Role.SYSADMIN:
        request_confirmation(actor=actor, user=user, reason="password_reset")
    return issue_password_link(actor=actor, user=user)


def set_locale(user: User, locale: str) -> None:
    user.locale = locale


# --- sessions -------------------------------------------------------------------------------

SESSION_KEY = "sid"
# last_seen_at is written at most this often, not on every request.
TOUCH_INTERVAL = timedelta(seconds=60)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(user: User, ip_address: str | None) -> str:
    """A new server-side session; the returned token goes into the signed cookie."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(token_hash=token_digest(token), user_id=user.id, ip_address=ip_address)
    )
    return token


def end_session(record: UserSession, reason: str) -> None:
    if record.ended_at is None:
        record.ended_at = utcnow()
        record.ended_reason = reason


def log_out(user: User, record: UserSession | None) -> None:
    if record is not None:
        end_session(record, "logout")
    audit.record("user.logout", user, actor_id=user.id)


def end_all_sessions(*, user: User, reason: str, keep: UserSession | None = None) -> int:
    """End every open session of ``user`` (but ``keep``); returns how many ended."""
    query = update(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None)
    )
    if keep is not None:
        query = query.where(UserSession.id != keep.id)
    result = db.session.execute(
        query.values(ended_at=utcnow(), ended_reason=reason),
        execution_options={"synchronize_session": False},
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def end_sessions_by_administrator(*, actor: User, user: User) -> int:
    ended = end_all_sessions(user=user, reason="ended_by_administrator")
    audit.record("user.sessions_end", user, actor_id=actor.id, details={"ended": ended})
    return ended


def current_session() -> UserSession | None:
    """The session record behind the request's cookie, if it is still open and in time."""
    token = session.get(SESSION_KEY)
    if not isinstance(token, str) or not token:
        return None
    record = db.session.scalar(
        select(UserSession)
        .where(UserSession.token_hash == token_digest(token))
        .options(joinedload(UserSession.user))  # the user comes in the same statement
    )
    if record is None or record.ended_at is not None:
        return None
    now = utcnow()
    if now - as_utc(record.created_at) > timedelta(hours=_config("SESSION_MAX_HOURS")):
        return None
    if now - as_utc(record.last_seen_at) > timedelta(minutes=_config("SESSION_IDLE_MINUTES")):
        return None
    return record


def _touch(record: UserSession) -> None:
    """Note the session's use in its own short transaction, so idleness is measured even on
    pages that change nothing (and whatever the request does with its own transaction)."""
    now = utcnow()
    if now - as_utc(record.last_seen_at) < TOUCH_INTERVAL:
        return
    with db.engine.begin() as connection:
        connection.execute(
            update(UserSession).where(UserSession.id == record.id).values(last_seen_at=now)
        )


def load_session_user(user_id: str) -> User | None:
    """Flask-Login's loader: the user of the request's open server-side session."""
    record = current_session()
    if record is None or not user_id.isdigit() or record.user_id != int(user_id):
        return None
    user = record.user
    if not user.is_active:
        return None
    _touch(record)
    return user
