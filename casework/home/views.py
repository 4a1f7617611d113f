"""The home page: what the signed-in person can do from here."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import login_required

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    return render_template("home/index.html")
