"""Filters and globals every template can use."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app

from casework.core import i18n
from casework.core.numbers import format_number


def register_template_helpers(app: Flask) -> None:
    app.add_template_filter(i18n.long_date, "long_date")
    app.add_template_filter(i18n.short_date, "short_date")
    app.add_template_filter(i18n.short_datetime, "short_datetime")
    app.add_template_filter(format_number, "number")

    @app.context_processor
    def layout_context() -> dict[str, Any]:
        return {
            "html_lang": i18n.html_lang(),
            "is_demo": bool(current_app.config["DEMO"]),
        }
