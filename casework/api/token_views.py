"""A user's personal API tokens: make one (its secret shown once), list them, revoke."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from casework.accounts.forms import ActionForm
from casework.api import tokens
from casework.api.forms import TokenForm
from casework.api.models import ApiToken, TokenScope
from casework.core.actions import form_page, refused
from casework.core.permissions import require
from casework.extensions import db

bp = Blueprint("api_tokens", __name__, url_prefix="/account/api-tokens")


def _page(form: TokenForm, secret: str | None = None) -> dict[str, object]:
    return {
        "form": form,
        "items": tokens.tokens_of(current_user),
        "is_usable": tokens.is_usable,
        "action_form": ActionForm(),
        "secret": secret,
    }


@bp.route("/", methods=["GET", "POST"])
@login_required
def index() -> ResponseReturnValue:
    require(tokens.can_use_api(current_user))
    form = TokenForm()
    if not form.validate_on_submit():
        return form_page("api/tokens.html", **_page(form))
    try:
        made = tokens.create_token(
            actor=current_user,
            name=form.name.data or "",
            scope=TokenScope.of(form.scope.data or ""),
            days=int(form.days.data or 0),
        )
    except tokens.TokenError as error:
        return refused(error, "api/tokens.html", **_page(form))
    db.session.commit()
    # Shown on this answer only (never in a flash message, which travels in the cookie).
    return render_template("api/tokens.html", **_page(TokenForm(formdata=None), made.secret))


@bp.post("/<int:token_id>/revoke")
@login_required
def revoke(token_id: int) -> ResponseReturnValue:
    token: ApiToken = db.first_or_404(
        db.select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == current_user.id)
    )
    if ActionForm().validate_on_submit():
        tokens.revoke_token(actor=current_user, token=token)
        db.session.commit()
        flash(_("令牌已撤销，使用它的系统将无法再访问。"), "success")
    return redirect(url_for("api_tokens.index"))
