"""The annual assessment's steps: the head saves or completes it, the worker signs it off."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework.accounts.models import User
from casework.core import audit
from casework.core.models import utcnow
from casework.core.rules import RuleError
from casework.extensions import db
from casework.worker_reports.figures import snapshot, worker_figures
from casework.worker_reports.models import AnnualAssessment, AssessmentGrade, AssessmentStatus
from casework.worker_reports.permissions import can_assess_worker, can_sign_assessment


class AssessmentRuleError(RuleError):
    """A rule of the annual assessment refuses the change."""


@dataclass(frozen=True)
class Judgement:
    """What the head writes: the grade and the comments."""

    grade: AssessmentGrade | None
    strengths: str
    improvements: str
    comments: str


def assessment_for(worker: User, year: int) -> AnnualAssessment | None:
    return db.session.scalar(
        select(AnnualAssessment).where(
            AnnualAssessment.worker_id == worker.id, AnnualAssessment.year == year
        )
    )


def save_assessment(
    *, actor: User, worker: User, year: int, judgement: Judgement, complete: bool
) -> AnnualAssessment:
    """Save the head's assessment as a draft, or complete it with the year's figures."""
    if not can_assess_worker(actor, worker):
        raise AssessmentRuleError(_l("只有社工所在站点的站长可以填写年度考核。"), code="not_head")
    assessment = assessment_for(worker, year)
    if assessment is not None and assessment.is_signed:
        raise AssessmentRuleError(_l("本人已确认的年度考核不能再修改。"), code="signed")
    if complete and judgement.grade is None:
        raise AssessmentRuleError(_l("请选择考核等次。"), code="grade_missing")
    if assessment is None:
        assessment = AnnualAssessment(worker_id=worker.id, year=year)
        db.session.add(assessment)
    assessment.unit_id = worker.unit_id
    assessment.grade = judgement.grade
    assessment.strengths = judgement.strengths
    assessment.improvements = judgement.improvements
    assessment.comments = judgement.comments
    assessment.assessor_id = actor.id
    if complete:
        figures = worker_figures(worker, date(year, 1, 1), date(year, 12, 31))
        assessment.figures = snapshot(figures)
        assessment.status = AssessmentStatus.COMPLETED
        assessment.completed_at = utcnow()
    else:
        assessment.status = AssessmentStatus.DRAFT
        assessment.completed_at = None
    db.session.flush()
    audit.record(
        "assessment.complete" if complete else "assessment.save",
        assessment,
        actor_id=actor.id,
        details={"year": year, "worker_id": worker.id},
    )
    return assessment


def sign_assessment(
    *, actor: User, assessment: AnnualAssessment, agrees: bool, comment: str
) -> None:
    """The worker signs the completed assessment off, agreeing or recording disagreement."""
    if assessment.is_signed:
        raise AssessmentRuleError(_l("本人已确认的年度考核不能再修改。"), code="signed")
    if not can_sign_assessment(actor, assessment):
        raise AssessmentRuleError(
            _l("只有被考核的社工本人可以在站长完成考核后确认。"), code="not_signable"
        )
    assessment.status = AssessmentStatus.SIGNED
    assessment.signed_at = utcnow()
    assessment.worker_agrees = agrees
    assessment.worker_comment = comment
    audit.record(
        "assessment.sign",
        assessment,
        actor_id=actor.id,
        details={"year": assessment.year, "agrees": agrees},
    )
