"""The second factor: TOTP (RFC 6238) with one-time recovery codes.

Enrolment stores a fresh seed (encrypted with the data key) and counts only once the owner
proves it with a code from their app; the recovery codes are shown once and kept as hashes.
A code is accepted once: the time step it belongs to is remembered.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import ClassVar

import pyotp
import segno
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from casework.accounts.models import RecoveryCode, Role, User
from casework.core import audit
from casework.core.models import utcnow
from casework.core.rules import RuleError
from casework.extensions import db

RECOVERY_CODE_COUNT = 10
# Recovery codes: 10 characters of Crockford's base32 (50 bits), shown as XXXXX-XXXXX.
RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# Codes from one step before or after the current one count too (clocks drift).
VALID_WINDOW = 1


class MfaError(RuleError):
    MESSAGES: ClassVar[dict[str, object]] = {
        "wrong_code": _l("验证码不正确或已使用过，请输入认证应用上当前显示的 6 位数字。"),
        "not_enrolled": _l("尚未启用两步验证。"),
        "required": _l("您的角色必须使用两步验证，不能关闭。"),
    }

    def __init__(self, code: str) -> None:
        super().__init__(self.MESSAGES[code], code=code)


def is_enabled(user: User) -> bool:
    return user.mfa_enabled_at is not None and user.totp_secret is not None


def is_required(user: User) -> bool:
    """The user's role must use a second factor (``MFA_REQUIRED_ROLES``)."""
    return user.role.value in current_app.config["MFA_REQUIRED_ROLES"]


def must_enrol(user: User) -> bool:
    """Sign-in stops at enrolment: the role requires a second factor the user has not set
    up. Demo mode lets the demo accounts through, so that anyone can try the app."""
    if is_enabled(user) or not is_required(user):
        return False
    return not (current_app.config["DEMO"] and user.username in _demo_usernames())


def _demo_usernames() -> tuple[str, ...]:
    return tuple(current_app.config.get("DEMO_ACCOUNTS", ()))


def _totp(user: User) -> pyotp.TOTP:
    if user.totp_secret is None:
        raise MfaError("not_enrolled")
    return pyotp.TOTP(user.totp_secret)


def begin_enrolment(user: User) -> str:
    """A fresh seed for ``user`` (replacing an unconfirmed one); returns it in base32."""
    secret = pyotp.random_base32()
    user.totp_secret = secret  # encrypted at rest by the column type
    user.totp_last_step = None
    return secret


def pending_secret(user: User) -> str | None:
    """The seed of an enrolment not yet confirmed, to show again (QR code and text)."""
    if user.totp_secret is None or is_enabled(user):
        return None
    return user.totp_secret


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(
        name=user.username, issuer_name=current_app.config["MFA_ISSUER"]
    )


def qr_svg(uri: str) -> str:
    """The enrolment QR code as inline SVG, drawn here: the seed never leaves the server."""
    return str(segno.make(uri, error="m").svg_inline(scale=5, border=2))


def _matching_step(user: User, code: str) -> int | None:
    """The time step whose code ``code`` is, if it is within the window and unused."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = _totp(user)
    now = utcnow()
    current = totp.timecode(now)
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        step = current + offset
        if secrets.compare_digest(totp.generate_otp(step), code):
            if user.totp_last_step is not None and step <= user.totp_last_step:
                return None  # replayed
            return step
    return None


def confirm_enrolment(user: User, code: str) -> list[str]:
    """The owner proves the seed with a code: the second factor is on. Returns the new
    recovery codes, to show once."""
    step = _matching_step(user, code)
    if step is None:
        raise MfaError("wrong_code")
    user.totp_last_step = step
    user.mfa_enabled_at = utcnow()
    audit.record("user.mfa_enabled", user, actor_id=user.id)
    return _new_recovery_codes(user)


def verify(user: User, code: str) -> str | None:
    """Check a sign-in code: a TOTP code or an unused recovery code (spent here). Returns
    "totp" or "recovery", or None when it is wrong."""
    step = _matching_step(user, code)
    if step is not None:
        user.totp_last_step = step
        return "totp"
    normalised = normalise_recovery_code(code)
    if normalised is None:
        return None
    record = db.session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _digest(normalised),
            RecoveryCode.used_at.is_(None),
        )
    )
    if record is None:
        return None
    record.used_at = utcnow()
    audit.record(
        "user.mfa_recovery_used", user, actor_id=user.id, details={"left": remaining_codes(user)}
    )
    return "recovery"


def remaining_codes(user: User) -> int:
    return len(
        db.session.scalars(
            select(RecoveryCode.id).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        ).all()
    )


def regenerate_recovery_codes(user: User, code: str) -> list[str]:
    """New recovery codes, after a current code from the app; the old ones stop working."""
    step = _matching_step(user, code)
    if step is None:
        raise MfaError("wrong_code")
    user.totp_last_step = step
    audit.record("user.mfa_codes_regenerated", user, actor_id=user.id)
    return _new_recovery_codes(user)


def disable(user: User, code: str) -> None:
    """The owner turns the second factor off, where their role does not require it."""
    if is_required(user):
        raise MfaError("required")
    if _matching_step(user, code) is None:
        raise MfaError("wrong_code")
    _clear(user)
    audit.record("user.mfa_disabled", user, actor_id=user.id)


def reset(*, actor: User, user: User) -> None:
    """An administrator or head clears a lost second factor: the owner enrols again at the
    next sign-in, every session ends, and an administrator's reset waits for the head's
    confirmation like a password reset (whoever enrols first would own the account)."""
    from casework.accounts import services

    _clear(user)
    user.session_version += 1
    services.end_all_sessions(user=user, reason="mfa_reset")
    audit.record("user.mfa_reset", user, actor_id=actor.id)
    if actor.role is Role.SYSADMIN:
        services.request_confirmation(actor=actor, user=user, reason="mfa_reset")


def _clear(user: User) -> None:
    user.totp_secret = None
    user.mfa_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_digest(code)) for code in codes)
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def normalise_recovery_code(text: str) -> str | None:
    """Upper case without separators; Crockford's look-alikes (O, I, L) read as digits."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    cleaned = cleaned.translate(str.maketrans("OIL", "011"))
    if len(cleaned) != 10 or any(ch not in RECOVERY_ALPHABET for ch in cleaned):
        return None
    return cleaned


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()
