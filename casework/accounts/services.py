"""Account changes: creating, enabling and disabling users, passwords, login."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from casework.accounts.models import Role, User
from casework.core import audit
from casework.core.models import utcnow
from casework.extensions import db
from casework.orgs.models import Unit

MIN_PASSWORD_LENGTH = 10

_hasher = PasswordHasher()
# Verified against when the username is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash("casework-timing-equaliser")


class AccountError(ValueError):
    """A rule about accounts forbids the change."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def find_user(username: str) -> User | None:
    return db.session.scalar(
        select(User).where(func.lower(User.username) == username.strip().lower())
    )


def authenticate(username: str, password: str) -> User | None:
    """Return the enabled user with these credentials, or None."""
    user = find_user(username)
    if user is None:
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password) or not user.is_active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def record_login(user: User) -> None:
    user.last_login_at = utcnow()
    audit.record("user.login", user, actor_id=user.id)


def record_failed_login(username: str) -> None:
    audit.record("user.login_failed", details={"username": username[:64]})


def create_user(
    *,
    actor: User | None,
    username: str,
    display_name: str,
    password: str,
    role: Role,
    unit: Unit,
    supervised_units: list[Unit] | None = None,
) -> User:
    """Create an account; ``actor`` is None only for the shell and seed commands."""
    if find_user(username) is not None:
        raise AccountError("username_taken")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("password_too_short")
    user = User(
        username=username.strip(),
        display_name=display_name.strip(),
        password_hash=hash_password(password),
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
    return user


def set_active(*, actor: User, user: User, active: bool) -> None:
    """Enable or disable an account; disabling ends its sessions at once."""
    if user.id == actor.id and not active:
        raise AccountError("cannot_disable_self")
    if user.is_active == active:
        return
    user.is_active = active
    user.session_version += 1
    audit.record("user.enable" if active else "user.disable", user, actor_id=actor.id)


def change_password(*, user: User, current_password: str, new_password: str) -> None:
    """Change one's own password; every other session of the user ends."""
    if not verify_password(user.password_hash, current_password):
        raise AccountError("wrong_password")
    if len(new_password) < MIN_PASSWORD_LENGTH:
        raise AccountError("password_too_short")
    user.password_hash = hash_password(new_password)
    user.session_version += 1
    audit.record("user.password_change", user, actor_id=user.id)


def reset_password(*, actor: User, user: User, new_password: str) -> None:
    """An administrator sets a new password; the user's sessions end."""
    if len(new_password) < MIN_PASSWORD_LENGTH:
        raise AccountError("password_too_short")
    user.password_hash = hash_password(new_password)
    user.session_version += 1
    audit.record("user.password_reset", user, actor_id=actor.id)


def set_locale(user: User, locale: str) -> None:
    user.locale = locale


def load_session_user(session_id: str) -> User | None:
    """Flask-Login loader: the id carries the session version, so old sessions fail."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user
