"""Settings: defaults here, then ``instance/config.py``, then ``CASEWORK_*`` variables.

This is the only module that reads ``os.environ``.
"""

from __future__ import annotations

import json
import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any, ClassVar

from argon2 import Parameters, profiles

ENV_PREFIX = "CASEWORK_"
SECRET_KEY_FILE = "secret_key"  # noqa: S105  (a file name, not a secret)
DATA_KEY_FILE = "data_key"
PREVIOUS_DATA_KEY_FILE = "data_key_previous"
AUDIT_KEY_FILE = "audit_key"


class DefaultConfig:
    """Defaults that are safe for a single station on one machine."""

    # Empty means SQLite at instance/casework.db; e.g. postgresql+psycopg://user@host/db.
    DATABASE_URL = ""
    SECRET_KEY = ""  # empty means: generated once into instance/secret_key
    # hide_parameters: a database error in the log never carries the values (personal data).
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, Any]] = {
        "pool_pre_ping": True,
        "hide_parameters": True,
    }
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    # PostgreSQL: a statement of a web request running longer than this is cancelled and
    # the request answers a 503 page; below gunicorn's worker timeout (60 s). Commands
    # (migrations, rebuilds, backups) have no limit. 0 turns it off.
    DATABASE_STATEMENT_TIMEOUT_MS = 30_000

    # Demo mode: seed-demo may create the demo accounts, and the login page lists them.
    DEMO = False
    LOG_LEVEL = "INFO"

    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ("zh_CN", "en")

    SESSION_COOKIE_NAME = "casework_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Off by default so that http://127.0.0.1:5000 works; production behind TLS turns it on.
    SESSION_COOKIE_SECURE = False
    # A signed-in session ends after this much idleness, and in any case this long after
    # signing in (accounts.models.UserSession); the cookie lives no longer.
    SESSION_IDLE_MINUTES = 30
    SESSION_MAX_HOURS = 12
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    # Failed logins in a row before an account is locked, and for how long.
    LOCKOUT_THRESHOLD = 10
    LOCKOUT_MINUTES = 30
    # The argon2 parameters of new password hashes: a profile of argon2.profiles.
    PASSWORD_HASH_PROFILE = "RFC_9106_LOW_MEMORY"  # noqa: S105  (a profile name)
    # How long a one-time link to set one's password stays valid.
    PASSWORD_LINK_HOURS = 24
    # Roles that must sign in with a second factor (TOTP); enrolment is forced at the next
    # login. Social workers may enrol of their own accord, or be added here (a comma-separated
    # list in CASEWORK_MFA_REQUIRED_ROLES). Demo mode skips enrolment for demo accounts.
    MFA_REQUIRED_ROLES: ClassVar[tuple[str, ...]] = (
        "sysadmin",
        "bureau_viewer",
        "station_head",
        "tutor",
    )
    # The name authenticator apps show next to the account.
    MFA_ISSUER = "casework"
    # Second-factor attempts per address (every POST counts; failures also count towards
    # the account's lock), and how long the step between password and code may take.
    MFA_RATE_LIMIT = "10 per minute"
    MFA_PENDING_MINUTES = 5
    # An export with full ID and phone numbers of more people than this needs a second
    # person's approval (the station head's); the approved file downloads once within
    # EXPORT_APPROVAL_HOURS. Masked exports never need one.
    EXPORT_APPROVAL_THRESHOLD = 20
    EXPORT_APPROVAL_HOURS = 24
    # Audit entries older than this are deleted by `flask casework prune-audit` (run it from
    # the nightly timer). 等保 2.0 level 3 asks for six months at least: the app refuses to
    # start below 180, and the database refuses to delete younger entries.
    AUDIT_RETENTION_DAYS = 3 * 365
    # The 32-byte key that encrypts residents' ID and phone numbers and addresses, staff
    # files' numbers and second-factor seeds at rest (core.crypto): 64 hex digits in
    # CASEWORK_DATA_KEY, or instance/data_key (created, mode 0600, on first start). It is
    # never stored in the database: back it up apart from the database backups, or the
    # encrypted fields are lost. While `flask casework rotate-data-key` moves the data to a
    # new key, the old one is DATA_KEY_PREVIOUS.
    DATA_KEY = ""
    DATA_KEY_PREVIOUS = ""
    # The key of the audit log's hash chain (core.audit_chain), instance/audit_key unless
    # set: separate from the data key, so that rotating the data key leaves the chain
    # verifiable.
    AUDIT_KEY = ""

    WTF_CSRF_TIME_LIMIT = 8 * 3600

    # Email for notifications (casework/notifications): an SMTP server; empty sends none
    # (the inbox still works). `flask casework send-notifications` runs every minute.
    MAIL_SERVER = ""
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_FROM = "casework@localhost"
    # Text messages to residents who chose SMS contact (casework/notifications/sms.py): an
    # HTTP gateway's address and key, and the signature (签名) carriers require. Empty: none.
    SMS_PROVIDER_URL = ""
    SMS_PROVIDER_KEY = ""
    SMS_SIGN_NAME = "社区社工站"

    # The JSON API (casework/api): calls per token (or, without one, per address), and
    # the OpenAPI document flask-smorest generates at /api/v1/openapi.json.
    API_RATE_LIMIT = "120 per minute"
    API_TITLE = "casework API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.1.0"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    API_SPEC_OPTIONS: ClassVar[dict[str, Any]] = {
        "info": {"description": "Personal API tokens: see /account/api-tokens."},
        "security": [{"bearerAuth": []}],
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
    }

    # Counters in the app's database (core/ratelimit.py): shared by every worker and host.
    # "redis://127.0.0.1:6379" works as well; "memory://" counts per worker process.
    RATELIMIT_STORAGE_URI = "database://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STRATEGY = "fixed-window"
    LOGIN_RATE_LIMIT = "5 per minute"
    # Residents' help form, per address; every POST counts (a spam run need not succeed to
    # cost us). One resident needs one submission plus a few retries after a validation
    # error, but mobile carriers put many phones behind one address (CGNAT) and a station
    # may let residents use its Wi-Fi, so the limit stays well above one person's needs.
    HELP_SUBMIT_RATE_LIMIT = "10 per hour"
    # Status lookups, per address: a resident checks a handful of times. Guessing a
    # 12-character code is hopeless anyway (31**12); this only keeps scripts off the database.
    HELP_STATUS_RATE_LIMIT = "10 per minute"
    # Shown on the public privacy notice (/help/privacy): how long an ended help request is
    # kept; `flask casework retention --apply` (daily) then removes the caller's details.
    HELP_RETENTION_YEARS = 3
    # Years after a person's last case ended (or, with no case, after registration) before
    # the same command anonymises them; at least 5 (casework/retention).
    RETENTION_CASE_YEARS = 10
    # Days a unit may see another unit's service user after the holding unit grants its
    # request for access (people/file_requests.py); the holder can take it back earlier.
    FILE_ACCESS_DAYS = 180
    # After a case moves to another unit (cases/transfers.py), the sending unit's staff and
    # tutors may still download the case file as they left it (only what was written before
    # the transfer). Off by default: the case is then the receiving unit's alone.
    TRANSFER_SENDER_KEEPS_READ = False
    # Hours after the end of the service day within which a service record counts as
    # written on time (cases/timeliness.py); later ones are marked late for the worker
    # and counted in the workers' summaries.
    RECORD_LATE_HOURS = 24

    # A wall screen's secret address (dashboards.models.DisplayToken) works this many days
    # unless revoked sooner; the screen fetches fresh figures this often.
    WALL_TOKEN_DAYS = 365
    WALL_REFRESH_SECONDS = 60
    # The bureau dashboard's and the wall screens' figures are worked out at most this often
    # per unit and period (per worker process); 0 works them out on every request.
    DASHBOARD_CACHE_SECONDS = 60

    # Render each PDF in a short-lived child process (fork): the layout engine's memory goes
    # back to the system when the child exits, instead of staying in the worker.
    PDF_RENDER_IN_SUBPROCESS = True
    # Seconds a PDF render may take before it is abandoned (the child is killed) and the
    # user asked to retry; below gunicorn's worker timeout (gunicorn.conf.py: 60 s), so a
    # slow render never takes its worker down with it.
    PDF_RENDER_TIMEOUT = 45
    # Renders at once on this machine, shared by all workers (lock files in instance/run);
    # a request waits up to PDF_RENDER_QUEUE_WAIT seconds for a free slot.
    PDF_RENDER_SLOTS = 2
    PDF_RENDER_QUEUE_WAIT = 20
    # Bytes of rendered PDFs each worker keeps in memory, by the digest of their HTML (the
    # same case file, unchanged, is not laid out twice); 0 turns the cache off.
    PDF_CACHE_BYTES = 16 * 1024 * 1024
    # Evidence packs (评估台账, casework/evidence): built outside the request, so their PDF
    # may take longer; kept for download this many days; a build whose heartbeat is older
    # than EVIDENCE_STALE_MINUTES was left by a dead process and is started again by
    # `flask casework build-evidence-packs`. Empty folder means instance/evidence.
    EVIDENCE_PDF_TIMEOUT = 900
    EVIDENCE_KEEP_DAYS = 7
    EVIDENCE_STALE_MINUTES = 30
    EVIDENCE_FOLDER = ""
    # Build a requested pack in a thread of the process that took the request (off: only
    # the command builds them, e.g. from a timer).
    EVIDENCE_BUILD_IN_THREAD = True

    # Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted.
    TRUSTED_PROXY_COUNT = 0
    # The address people reach the app at, e.g. https://casework.example.gov.cn: links that
    # leave the page (calendar feeds) are built from it, never from the request's Host header.
    # `make run` sets it to http://127.0.0.1:<port>.
    EXTERNAL_URL = ""

    MAX_CONTENT_LENGTH = 20 * 1024 * 1024
    # Where attachments are stored; empty means instance/uploads. Share it between hosts.
    UPLOAD_FOLDER = ""
    ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


def check_password_hash_profile(name: object) -> None:
    """Refuse to start with a ``PASSWORD_HASH_PROFILE`` that argon2 does not define."""
    if not isinstance(getattr(profiles, str(name), None), Parameters):
        raise ValueError(f"PASSWORD_HASH_PROFILE: {name!r} is not a profile of argon2.profiles")


def check_audit_retention(days: object) -> None:
    if not isinstance(days, int) or days < 180:
        raise ValueError(
            f"AUDIT_RETENTION_DAYS: {days!r} is below the 180 days audit entries are kept"
        )


def instance_path_from_environment(default: str) -> str:
    """``CASEWORK_INSTANCE_PATH`` puts runtime data (database, key, uploads) elsewhere."""
    return os.environ.get(ENV_PREFIX + "INSTANCE_PATH") or default


def _parse_env_value(raw: str) -> Any:
    """Read booleans and numbers from the environment; everything else stays a string."""
    lowered = raw.strip().lower()
    if lowered in {"true", "yes", "on"}:
        return True
    if lowered in {"false", "no", "off"}:
        return False
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def settings_from_environment(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Return ``CASEWORK_FOO=bar`` as ``{"FOO": bar}``."""
    source = os.environ if environ is None else environ
    return {
        key[len(ENV_PREFIX) :]: _parse_env_value(value)
        for key, value in source.items()
        if key.startswith(ENV_PREFIX)
        and len(key) > len(ENV_PREFIX)
        and key != ENV_PREFIX + "INSTANCE_PATH"
    }


def load_or_create_secret_key(instance_path: str, name: str = SECRET_KEY_FILE) -> str:
    """Read a key (``secret_key``, ``data_key``) from ``instance/``, creating it (mode 0600)
    on first start."""
    path = Path(instance_path) / name
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # O_EXCL: if two workers start at once, only one writes and the other reads it.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    return key


def roles_setting(value: object) -> tuple[str, ...]:
    """``MFA_REQUIRED_ROLES`` from a list, or from the environment's comma-separated text."""
    items = value.split(",") if isinstance(value, str) else list(value or ())  # type: ignore[call-overload]
    return tuple(str(item).strip() for item in items if str(item).strip())


def default_database_uri(instance_path: str) -> str:
    return "sqlite:///" + str(Path(instance_path) / "casework.db")
