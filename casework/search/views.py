"""The staff search box and its results page."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from casework.core import audit
from casework.core.permissions import require
from casework.extensions import db
from casework.search import queries
from casework.search.forms import SearchForm
from casework.search.index import Section
from casework.search.permissions import can_search
from casework.search.tokens import ParsedQuery, parse_query

bp = Blueprint("search", __name__, url_prefix="/search")

PREVIEW = 5  # hits per section on the overview
PER_PAGE = 20

KIND_LABELS = {
    "service_users": _l("服务对象"),
    "cases": _l("个案"),
    "intake_records": _l("接案登记表"),
    "assessments": _l("预估表"),
    "service_plans": _l("服务计划书"),
    "service_records": _l("服务记录"),
    "referrals": _l("转介"),
    "evaluations": _l("评估报告"),
    "closure_reports": _l("结案报告"),
    "follow_ups": _l("回访记录"),
    "supervisor_comments": _l("督导意见"),
}
FIELD_LABELS = {
    "name": _l("姓名"),
    "pinyin": _l("拼音"),
    "id_number": _l("身份证号"),
    "phone": _l("联系电话"),
    "number": _l("个案编号"),
}
SECTIONS = {"people": Section.PERSON, "cases": Section.CASE, "records": Section.RECORD}


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    require(can_search(current_user))
    return render_template("search/results.html", form=SearchForm(), query=None)


@bp.post("/")
@login_required
def results() -> ResponseReturnValue:
    require(can_search(current_user))
    form = SearchForm()
    if not form.validate_on_submit():
        return render_template("search/results.html", form=form, query=None), 422
    query = parse_query(form.q.data or "")
    section = form.section.data if form.section.data in SECTIONS else "all"
    context: dict[str, object] = {"form": form, "query": query, "section": section}
    if query.is_searchable:
        context |= _run(query, section, after=form.after.data, page=form.page.data or 1)
    audit.record(
        "search.run",
        unit_id=current_user.unit_id,
        details={"section": section, "results": int(str(context.get("shown", 0)))},
    )
    db.session.commit()
    return render_template(
        "search/results.html", kind_labels=KIND_LABELS, field_labels=FIELD_LABELS, **context
    )


def _run(query: ParsedQuery, section: str, *, after: int | None, page: int) -> dict[str, object]:
    user = current_user._get_current_object()
    found: dict[str, object] = {}
    shown = 0
    if section in ("all", "people"):
        people = queries.search_people(user, query)
        size = PREVIEW if section == "all" else PER_PAGE
        page = max(1, min(page, max(1, -(-len(people) // size))))
        found["people"] = people[(page - 1) * size : page * size]
        found["cases_of"] = queries.cases_of_people(
            user,
            [hit.entity.id for hit in found["people"]],  # type: ignore[attr-defined]
        )
        found["people_total"] = len(people)
        found["people_page"] = page
        found["people_pages"] = -(-len(people) // size)
        shown += len(found["people"])  # type: ignore[arg-type]
    for name, kind in (("cases", Section.CASE), ("records", Section.RECORD)):
        if section not in ("all", name):
            continue
        size = PREVIEW if section == "all" else PER_PAGE
        result = queries.search_section(user, query, kind, after=after, per_page=size)
        if kind is Section.CASE and after is None:
            exact = queries.exact_case(user, query)
            if exact is not None:
                result.hits = [hit for hit in result.hits if hit.entity.id != exact.id]
                result.hits.insert(0, queries.case_hit(exact, query))
        found[name] = result
        shown += len(result.hits)
    found["shown"] = shown
    return found


@bp.app_context_processor
def search_box() -> dict[str, object]:
    """Whether the layout shows the search box in the navigation bar."""
    user = current_user
    return {"show_search_box": bool(user and user.is_authenticated and can_search(user))}
