"""The API reference page: Swagger UI, vendored in static/, over the generated document."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

bp = Blueprint("api_docs_page", __name__, url_prefix="/api/v1")


@bp.get("/docs")
def docs() -> ResponseReturnValue:
    """Public like the document it shows: the API's shape, no data."""
    return render_template("api/docs.html")
