"""Locale and time-zone selection, and the date formats of the glossary."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from flask import current_app, has_request_context, session
from flask_babel import format_date, get_locale, gettext, to_user_timezone
from flask_login import current_user


def select_locale() -> str:
    """The user's saved choice, then this browser's choice, then Chinese."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # shell commands and scripts speak the default language
        return str(current_app.config["BABEL_DEFAULT_LOCALE"])
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return str(current_user.locale)
    chosen = session.get("locale")
    if chosen in languages:
        return str(chosen)
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


def html_lang() -> str:
    """The value of ``<html lang>``: ``zh-CN`` or ``en``."""
    locale = get_locale()
    if locale is None or locale.language == "zh":
        return "zh-CN"
    return str(locale.language)


def _is_chinese() -> bool:
    return str(get_locale()).startswith("zh")


def long_date(value: date | datetime | None) -> str:
    """``2026年11月29日`` in prose (or ``29 November 2026`` in English)."""
    if value is None:
        return ""
    if _is_chinese():
        return str(format_date(value, "y年M月d日"))
    return str(format_date(value, "d MMMM y"))


def short_date(value: date | datetime | None) -> str:
    """``2026-11-29`` for tables and exports (the same in every language, so formatted
    without Babel: a list shows dozens of them)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_user_timezone(value).date()
    return value.isoformat()


def short_datetime(value: datetime | None) -> str:
    """``2026-11-29 14:05`` in the user's time zone (Asia/Shanghai), 24-hour."""
    if value is None:
        return ""
    local: datetime = to_user_timezone(value)
    return local.strftime("%Y-%m-%d %H:%M")


def listing(items: Iterable[object]) -> str:
    """Items in a run of text: ``甲、乙、丙`` (``a, b, c`` in English)."""
    return str(gettext("、")).join(str(item) for item in items)


def with_note(text: object, note: object) -> str:
    """``王芳（社工）`` (``Wang Fang (Social worker)`` in English)."""
    return str(gettext("%(text)s（%(note)s）", text=text, note=note))


def labelled(label: object, value: object) -> str:
    """``风险：高`` (``Risk: High`` in English)."""
    return str(gettext("%(label)s：%(value)s", label=label, value=value))
