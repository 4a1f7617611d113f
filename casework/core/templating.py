"""Filters and globals every template can use."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app
from flask_babel import get_translations
from jinja2.ext import (  # the wrappers Jinja's own install_gettext_callables uses
    _make_new_gettext,
    _make_new_ngettext,
    _make_new_npgettext,
    _make_new_pgettext,
)

from casework.core import i18n
from casework.core.numbers import format_number


def register_template_helpers(app: Flask) -> None:
    app.add_template_filter(i18n.long_date, "long_date")
    app.add_template_filter(i18n.short_date, "short_date")
    app.add_template_filter(i18n.short_datetime, "short_datetime")
    app.add_template_filter(format_number, "number")
    app.add_template_global(invalid_attrs, "invalid_attrs")

    @app.context_processor
    def layout_context() -> dict[str, Any]:
        return {
            "html_lang": i18n.html_lang(),
            "is_demo": bool(current_app.config["DEMO"]),
            **translations_of_this_render(),
        }


def invalid_attrs(field: Any) -> dict[str, str]:
    """The attributes that tie a field to its error message (``<id>-error``) when it has one."""
    if not field.errors:
        return {}
    return {"aria-invalid": "true", "aria-describedby": f"{field.id}-error"}


def translations_of_this_render() -> dict[str, Any]:
    """``_``, ``gettext`` and friends bound to this request's catalogue, looked up once.

    Flask-Babel's own template callables look the catalogue up again for every string (the
    locale, the domain and ``g`` each time): a page of a few hundred labels spent a third
    of its time there. Template variables come before the environment's globals, so every
    ``_()`` and ``{% trans %}`` of this render uses these; macros imported without context
    still reach Flask-Babel's.
    """
    translations = get_translations()
    return {
        "gettext": _make_new_gettext(translations.ugettext),
        "ngettext": _make_new_ngettext(translations.ungettext),
        "pgettext": _make_new_pgettext(translations.upgettext),
        "npgettext": _make_new_npgettext(translations.unpgettext),
    }
