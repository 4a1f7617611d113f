"""Social-work posts (社会工作岗位) per unit: list with fill state and 持证上岗率, and editing."""

from __future__ import annotations

from collections import defaultdict

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from casework.accounts.forms import ActionForm
from casework.core.actions import done, form_status, report_refusal
from casework.core.clock import local_today
from casework.core.forms import SelectChoice
from casework.core.permissions import require
from casework.extensions import db
from casework.orgs.models import Unit
from casework.workforce import posts as post_services
from casework.workforce import services
from casework.workforce.forms import PostForm
from casework.workforce.models import CertificateLevel, Post, PostKind, WorkerProfile
from casework.workforce.permissions import can_manage_workforce, can_use_workforce, posts_visible_to
from casework.workforce.statistics import counts_by_unit, total
from casework.workforce.views import bp, chosen_unit, form_page, managed_units


@bp.get("/posts/")
@login_required
def posts() -> ResponseReturnValue:
    require(can_use_workforce(current_user))
    rows = list(
        db.session.scalars(
            posts_visible_to(current_user)
            .options(
                selectinload(Post.unit),
                selectinload(Post.holder).selectinload(WorkerProfile.certificates),
            )
            .order_by(Post.unit_id, Post.title, Post.id)
        )
    )
    by_unit: dict[Unit, list[Post]] = defaultdict(list)
    for post in rows:
        by_unit[post.unit].append(post)
    units = sorted(by_unit, key=lambda unit: unit.path)
    today = local_today()
    ids = [unit.id for unit in units]
    # The same counts as the workforce statistics (workforce.posts, workforce.posts_certified).
    counts = counts_by_unit(ids, start=today, end=today, today=today)
    return render_template(
        "workforce/posts.html",
        units=units,
        by_unit=by_unit,
        summaries=counts,
        overall=total(counts[unit_id] for unit_id in ids),
        can_add=bool(managed_units(current_user)),
        can_manage={unit.id: can_manage_workforce(current_user, unit.id) for unit in units},
        action_form=ActionForm(),
    )


def _holder_choices(unit_id: int) -> tuple[list[WorkerProfile], list[SelectChoice]]:
    people = list(
        db.session.scalars(
            select(WorkerProfile)
            .where(WorkerProfile.unit_id == unit_id, WorkerProfile.is_active.is_(True))
            .order_by(WorkerProfile.name)
        )
    )
    return people, [
        SelectChoice("", _l("空缺")),
        *(SelectChoice(str(person.id), person.name) for person in people),
    ]


def _details(form: PostForm, people: list[WorkerProfile]) -> post_services.PostDetails:
    return post_services.PostDetails(
        title=form.title.data or "",
        kind=PostKind.of(form.kind.data or ""),
        required_level=(
            CertificateLevel.of(form.required_level.data) if form.required_level.data else None
        ),
        salary_band=form.salary_band.data,
        holder=next((p for p in people if str(p.id) == form.holder.data), None),
    )


@bp.route("/posts/new", methods=["GET", "POST"])
@login_required
def new_post() -> ResponseReturnValue:
    units = managed_units(current_user)
    require(bool(units))
    unit = chosen_unit(request.args.get("unit") or str(current_user.unit_id), units) or units[0]
    people, choices = _holder_choices(unit.id)
    form = PostForm()
    form.holder.choices = choices
    page = {
        "heading": _("新增社会工作岗位：%(unit)s", unit=unit.name),
        "back": url_for("workforce.posts"),
        "crumbs": [(_("社会工作岗位"), url_for("workforce.posts"))],
    }
    if not form.validate_on_submit():
        return form_page(form, status=form_status(), **page)
    try:
        post_services.create_post(unit=unit, details=_details(form, people), actor=current_user)
    except services.WorkforceError as error:
        report_refusal(error, form.holder)
        return form_page(form, status=422, **page)
    return done(_("岗位已添加。"), url_for("workforce.posts"))


def _managed_post_or_404(post_id: int) -> Post:
    post: Post = db.first_or_404(posts_visible_to(current_user).where(Post.id == post_id))
    require(can_manage_workforce(current_user, post.unit_id))
    return post


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit_post(post_id: int) -> ResponseReturnValue:
    post = _managed_post_or_404(post_id)
    people, choices = _holder_choices(post.unit_id)
    if post.holder is not None and post.holder not in people:
        # A holder who has left stays selectable until the post is reassigned.
        people.append(post.holder)
        choices.append(SelectChoice(str(post.holder.id), post.holder.name))
    form = PostForm()
    form.holder.choices = choices
    if request.method == "GET":
        form.title.data = post.title
        form.kind.data = post.kind.value
        form.required_level.data = post.required_level.value if post.required_level else ""
        form.salary_band.data = post.salary_band
        form.holder.data = str(post.holder_profile_id or "")
    page = {
        "heading": _("修改岗位：%(title)s", title=post.title),
        "back": url_for("workforce.posts"),
        "crumbs": [(_("社会工作岗位"), url_for("workforce.posts"))],
    }
    if not form.validate_on_submit():
        return form_page(form, status=form_status(), **page)
    try:
        post_services.update_post(post, details=_details(form, people), actor=current_user)
    except services.WorkforceError as error:
        report_refusal(error, form.holder)
        return form_page(form, status=422, **page)
    return done(_("岗位已保存。"), url_for("workforce.posts"))


@bp.post("/posts/<int:post_id>/delete")
@login_required
def delete_post(post_id: int) -> ResponseReturnValue:
    post = _managed_post_or_404(post_id)
    if ActionForm().validate_on_submit():
        post_services.delete_post(post, actor=current_user)
        db.session.commit()
        flash(_("岗位已删除。"), "success")
    return redirect(url_for("workforce.posts"))
