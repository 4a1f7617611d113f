"""The organisation tree as the administrator sees and extends it."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from casework.core.actions import done, form_page
from casework.core.forms import SelectChoice, add_error
from casework.core.permissions import require
from casework.extensions import db
from casework.orgs import services
from casework.orgs.forms import NO_PARENT, UnitForm, unit_choices
from casework.orgs.models import Unit, UnitKind
from casework.orgs.permissions import can_manage_units

bp = Blueprint("orgs", __name__, url_prefix="/units")


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    require(can_manage_units(current_user))
    return render_template("orgs/index.html", units=services.all_units())


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> ResponseReturnValue:
    require(can_manage_units(current_user))
    form = UnitForm()
    form.parent_id.choices = [
        SelectChoice(str(NO_PARENT), _("（无上级单位）")),
        *unit_choices(services.all_units()),
    ]
    if not form.validate_on_submit():
        return form_page("orgs/new.html", form=form)
    parent = db.session.get(Unit, form.parent_id.data) if form.parent_id.data else None
    code = (form.code.data or "").strip()
    if db.session.scalar(select(Unit.id).where(Unit.code == code)) is not None:
        add_error(form.code, _("该单位代码已存在"))
        return render_template("orgs/new.html", form=form), 422
    try:
        unit = services.create_unit(
            actor_id=current_user.id,
            code=code,
            name=(form.name.data or "").strip(),
            kind=UnitKind.of(form.kind.data or ""),
            parent=parent,
        )
    except services.InvalidParent:
        add_error(form.parent_id, _("这类单位不能设在所选的上级单位之下"))
        return render_template("orgs/new.html", form=form), 422
    return done(_("单位 %(name)s 已创建。", name=unit.name), url_for("orgs.index"))
