"""The case file (个案档案): every record of a case as plain data, and its PDF."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework.accounts.models import User
from casework.cases import lifecycle
from casework.cases.enums import AssessmentArea
from casework.cases.models import (
    Assessment,
    Case,
    CaseTransfer,
    CaseTransition,
    ClosureReport,
    Evaluation,
    FollowUp,
    IntakeRecord,
    Referral,
    ServicePlan,
    ServiceRecord,
    SupervisorComment,
)
from casework.core.clock import local_today
from casework.core.models import as_utc
from casework.core.pdf import render_pdf
from casework.extensions import db
from casework.people.models import ServiceUser

TEMPLATE = "cases/file_pdf.html"

# The first transition is written by open_case, not by a lifecycle step.
OPEN_ACTION_LABEL = _l("开案")

Record = dict[str, Any]
Comments = dict[tuple[str, int | None], list[Record]]


def case_file_data(case: Case, *, sent: CaseTransfer | None = None) -> Record:
    """The whole case as dicts, lists and plain values (str, int, bool, date, datetime).

    With ``sent`` (an accepted transfer), the file as the sending unit left it: only what
    was written before the transfer, under the sending unit and worker.
    """
    before = as_utc(sent.decided_at) if sent is not None and sent.decided_at else None

    def kept(row: Any, moment: str = "created_at") -> bool:
        return row is not None and (before is None or as_utc(getattr(row, moment)) < before)

    comments = _comments_by_subject(case, before)
    data: Record = {
        "number": case.number,
        "cover": _cover(case) if sent is None else _sent_cover(case, sent),
        "person": _person(case.service_user),
        "intake": _intake(case.intake, comments) if kept(case.intake) else None,
        "assessment": _assessment(case.assessment, comments) if kept(case.assessment) else None,
        "plans": [_plan(plan, comments) for plan in case.plans if kept(plan)],
        "service_records": [
            _service_record(record, comments) for record in case.service_records if kept(record)
        ],
        "referrals": [
            _referral(referral, comments) for referral in case.referrals if kept(referral)
        ],
        "evaluation": _evaluation(case.evaluation, comments) if kept(case.evaluation) else None,
        "closure": _closure(case.closure, comments) if kept(case.closure) else None,
        "follow_ups": [
            _follow_up(follow_up, comments) for follow_up in case.follow_ups if kept(follow_up)
        ],
        "transitions": [
            _transition(transition) for transition in case.transitions if kept(transition, "at")
        ],
    }
    # Comments on the case itself, and any whose record is not in the file, so that no
    # supervisor's comment is ever left out.
    remaining = [comment for group in comments.values() for comment in group]
    data["case_comments"] = sorted(remaining, key=lambda comment: comment["at"])
    return data


def render_case_file(case: Case, *, sent: CaseTransfer | None = None) -> bytes:
    """The case file as a PDF (needs a request context for the language)."""
    return render_pdf(
        TEMPLATE, case_file=case_file_data(case, sent=sent), generated_on=local_today()
    )


def _name(user: User | None) -> str:
    return user.display_name if user is not None else ""


def _comments_by_subject(case: Case, before: datetime | None = None) -> Comments:
    query = (
        select(SupervisorComment)
        .where(SupervisorComment.case_id == case.id)
        .order_by(SupervisorComment.at, SupervisorComment.id)
    )
    grouped: Comments = {}
    for comment in db.session.scalars(query):
        if before is not None and as_utc(comment.at) >= before:
            continue
        subject_id = None if comment.subject_type == "case" else comment.subject_id
        grouped.setdefault((comment.subject_type, subject_id), []).append(
            {
                "author": _name(comment.author),
                "at": comment.at,
                "body": comment.body,
            }
        )
    return grouped


def _take(comments: Comments, subject_type: str, subject_id: int) -> list[Record]:
    return comments.pop((subject_type, subject_id), [])


def _cover(case: Case) -> Record:
    return {
        "number": case.number,
        "unit": case.unit.name,
        "domain": case.domain.label,
        "source": case.source.label,
        "risk": case.risk_level.label,
        "status": case.status.label,
        "summary": case.summary,
        "problems": [problem.label for problem in case.problems],
        "worker": _name(case.worker),
        "tutor": _name(case.tutor),
        "opened_on": case.opened_on,
        "closed_on": case.closed_on,
    }


def _sent_cover(case: Case, sent: CaseTransfer) -> Record:
    """The cover as the sending unit left the case."""
    return {
        **_cover(case),
        "unit": sent.from_unit.name,
        "status": _l("已转移至%(unit)s", unit=sent.to_unit.name),
        "worker": _name(db.session.get(User, sent.from_worker_id)),
        "tutor": "",
        "closed_on": None,
    }


def _person(person: ServiceUser) -> Record:
    return {
        "name": person.name,
        "gender": person.gender.label if person.gender else "",
        "birth_date": person.birth_date,
        # Only the masked forms ever reach the document (PIPL: show the minimum).
        "id_number": person.masked_id_number,
        "phone": person.masked_phone,
        "address": person.address or "",
        "tags": [tag.name for tag in person.tags],
        "household": household_data(person),
    }


def household_data(person: ServiceUser) -> list[Record]:
    """The person's household as plain data (the case file and a resident's own copy)."""
    return [
        {
            "name": member.name,
            "relationship": member.relationship_to_user,
            "birth_year": member.birth_year,
            "lives_together": member.lives_together,
            "notes": member.notes or "",
        }
        for member in person.household
    ]


def _intake(intake: IntakeRecord | None, comments: Comments) -> Record | None:
    if intake is None:
        return None
    return {
        "presenting_problem": intake.presenting_problem,
        "arrival": intake.arrival,
        "first_judgement": intake.first_judgement,
        "agreement_signed": intake.agreement_signed,
        "agreement_signed_on": intake.agreement_signed_on,
        "author": _name(intake.author),
        "updated_at": intake.updated_at,
        "comments": _take(comments, "intake", intake.id),
    }


def _assessment(assessment: Assessment | None, comments: Comments) -> Record | None:
    if assessment is None:
        return None
    return {
        "areas": [
            {
                "area": area.label,
                "level": level.label if (level := assessment.level(area)) else "",
                "note": assessment.note(area),
            }
            for area in AssessmentArea
        ],
        "needs": assessment.needs,
        "strengths": assessment.strengths,
        "risks": assessment.risks,
        "summary": assessment.summary,
        "author": _name(assessment.author),
        "updated_at": assessment.updated_at,
        "comments": _take(comments, "assessment", assessment.id),
    }


def _plan(plan: ServicePlan, comments: Comments) -> Record:
    return {
        "version": plan.version,
        "status": plan.status.label,
        "overall_goal": plan.overall_goal,
        "review_due": plan.review_due,
        "author": _name(plan.author),
        "submitted_at": plan.submitted_at,
        "decided_at": plan.decided_at,
        "decided_by": _name(plan.decided_by),
        "goals": [
            {
                "position": goal.position,
                "description": goal.description,
                "indicator": goal.indicator,
                "actions": goal.actions,
                "responsible": goal.responsible,
                "due_on": goal.due_on,
            }
            for goal in plan.goals
        ],
        "comments": _take(comments, "plan", plan.id),
    }


def _service_record(record: ServiceRecord, comments: Comments) -> Record:
    return {
        "served_on": record.served_on,
        "form": record.form.label,
        "duration_minutes": record.duration_minutes,
        "content": record.content,
        "response": record.response,
        "next_step": record.next_step,
        "goals": [f"{goal.position}. {goal.description}" for goal in record.goals],
        "author": _name(record.author),
        "comments": _take(comments, "service_record", record.id),
    }


def _referral(referral: Referral, comments: Comments) -> Record:
    return {
        "referred_on": referral.referred_on,
        "destination": referral.destination,
        "reason": referral.reason,
        "outcome": referral.outcome.label,
        "outcome_note": referral.outcome_note or "",
        "outcome_on": referral.outcome_on,
        "author": _name(referral.author),
        "comments": _take(comments, "referral", referral.id),
    }


def _evaluation(evaluation: Evaluation | None, comments: Comments) -> Record | None:
    if evaluation is None:
        return None
    return {
        "client_view": evaluation.client_view,
        "satisfaction": evaluation.satisfaction,
        "summary": evaluation.summary,
        "goal_results": [
            {
                "plan_version": result.goal.plan.version,
                "position": result.goal.position,
                "goal": result.goal.description,
                "indicator": result.goal.indicator,
                "attainment": result.attainment.label,
                "note": result.note,
            }
            for result in evaluation.goal_results
        ],
        "author": _name(evaluation.author),
        "updated_at": evaluation.updated_at,
        "comments": _take(comments, "evaluation", evaluation.id),
    }


def _closure(closure: ClosureReport | None, comments: Comments) -> Record | None:
    if closure is None:
        return None
    return {
        "closure_type": closure.closure_type.label,
        "summary": closure.summary,
        "follow_up_plan": closure.follow_up_plan,
        "follow_up_due": closure.follow_up_due,
        "author": _name(closure.author),
        "updated_at": closure.updated_at,
        "comments": _take(comments, "closure", closure.id),
    }


def _follow_up(follow_up: FollowUp, comments: Comments) -> Record:
    return {
        "followed_on": follow_up.followed_on,
        "form": follow_up.form.label,
        "content": follow_up.content,
        "next_due": follow_up.next_due,
        "author": _name(follow_up.author),
        "comments": _take(comments, "follow_up", follow_up.id),
    }


def _transition(transition: CaseTransition) -> Record:
    step = lifecycle.STEPS.get(transition.action)
    return {
        "at": transition.at,
        "actor": _name(transition.actor),
        "action": str(step.label if step else OPEN_ACTION_LABEL),
        "from_status": transition.from_status.label if transition.from_status else "",
        "to_status": transition.to_status.label,
        "reason": transition.reason or "",
    }
