"""One way to write a form view: load → check → validate → service → commit → respond.

A view loads its object and checks the permission itself (those differ per page); the
rest is always the same and lives here::

    form = ThingForm()
    if not form.validate_on_submit():
        return form_page("things/edit.html", form=form, thing=thing)
    try:
        services.change_thing(actor=current_user, thing=thing, details=_details(form))
    except RuleError as error:
        return refused(error, "things/edit.html", form=form, thing=thing)
    return done(_("已保存。"), url_for("things.detail", thing_id=thing.id))

The form page is 200 when first shown and 422 when a submission was refused, with the
user's input kept; a refusal rolls back everything the request wrote (``report_refusal``
puts the rule's message on the field it is about, or at the top of the page); the commit
is the request's one transaction.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request
from flask.typing import ResponseReturnValue
from wtforms import Field

from casework.core.forms import add_error
from casework.core.rules import RuleError
from casework.extensions import db


def form_status() -> int:
    """A form page's status: 200 when first shown, 422 when a submission did not validate."""
    return 422 if request.method == "POST" else 200


def form_page(template: str, **context: Any) -> ResponseReturnValue:
    """The form page, with :func:`form_status`."""
    return render_template(template, **context), form_status()


def report_refusal(error: RuleError, field: Field | None = None) -> None:
    """A rule refused the change: roll back what the request wrote and say why, on ``field``
    when the rule is about one, else as a message at the top of the page."""
    db.session.rollback()
    if field is None:
        flash(str(error.message), "danger")
    else:
        add_error(field, str(error.message))


def refused(error: RuleError, template: str, **context: Any) -> ResponseReturnValue:
    """A rule refused the change: nothing is written, the form shows again with its message."""
    report_refusal(error)
    return render_template(template, **context), 422


def done(message: Any, target: str, category: str = "success") -> ResponseReturnValue:
    """Commit the request's one transaction, say so, and go to ``target``."""
    db.session.commit()
    flash(message, category)
    return redirect(target)
