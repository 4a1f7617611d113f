"""Every change to agencies, projects and evaluations: checked, audited, never committed."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError
from werkzeug.datastructures import FileStorage

from casework.accounts.models import User
from casework.attachments.services import discard_file, store_file
from casework.core import audit
from casework.core.rules import RuleError
from casework.extensions import db
from casework.orgs.models import BUREAU_KINDS, Unit, UnitKind
from casework.orgs.services import create_unit
from casework.projects import credit_code
from casework.projects.messages import INVALID_CREDIT_CODE
from casework.projects.models import (
    Agency,
    Deliverable,
    DeliverableKind,
    EvaluationIndicator,
    FundSource,
    Milestone,
    MilestoneKind,
    Project,
    ProjectDocument,
    ProjectEvaluation,
    ProjectEvaluationScore,
    ProjectFund,
    QualificationLevel,
)

WEIGHT_TOTAL = 100
TENTH = Decimal("0.1")


def tenth(value: Decimal) -> Decimal:
    """Scores and targets are kept to one decimal, the same on every database."""
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


class ProjectRuleError(RuleError):
    """A rule about agencies, projects or evaluations refuses the change."""


def _credit_code_taken() -> ProjectRuleError:
    return ProjectRuleError(_l("该统一社会信用代码已登记为另一家机构。"), code="credit_code_taken")


def _unit_code_taken() -> ProjectRuleError:
    return ProjectRuleError(_l("该单位编码已被使用。"), code="unit_code")


def _agency_registered() -> ProjectRuleError:
    return ProjectRuleError(_l("该机构已登记。"), code="unit")


def _contract_number_taken() -> ProjectRuleError:
    return ProjectRuleError(_l("该合同编号已被另一个项目使用。"), code="contract_number")


@contextmanager
def _refusing_duplicates(refusal: Callable[[], ProjectRuleError]) -> Iterator[None]:
    """Make the block's changes and write them. A row written meanwhile by another request
    with the same unique key (after the check above looked) makes the database's unique
    index refuse them: that is the refusal the check would have given, not a server error.

    The request's transaction is rolled back first, as the refusal would anyway (the view
    shows the form again). No savepoint: on SQLite a savepoint opened before the request's
    first write is the outermost transaction, and releasing it would commit."""
    try:
        yield
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise refusal() from None


@dataclass(frozen=True)
class AgencyDetails:
    credit_code: str
    registration_authority: str
    legal_representative: str
    founded_on: date
    qualification: QualificationLevel


def _check_credit_code(code: str, agency: Agency | None) -> str:
    code = credit_code.normalise(code)
    if not credit_code.is_valid(code):
        raise ProjectRuleError(INVALID_CREDIT_CODE, code="credit_code")
    holder = credit_code_holder(code)
    if holder is not None and holder is not agency:
        raise _credit_code_taken()
    return code


def credit_code_holder(code: str) -> Agency | None:
    return db.session.scalar(select(Agency).where(Agency.credit_code == code))


def _apply(agency: Agency, details: AgencyDetails, code: str) -> None:
    agency.credit_code = code
    agency.registration_authority = details.registration_authority.strip()
    agency.legal_representative = details.legal_representative.strip()
    agency.founded_on = details.founded_on
    agency.qualification = details.qualification


def create_agency(
    *,
    actor: User,
    details: AgencyDetails,
    unit: Unit | None = None,
    new_unit_parent: Unit | None = None,
    new_unit_name: str = "",
    new_unit_code: str = "",
) -> Agency:
    """Register an agency: on an agency unit of the tree, or on a new one added under a
    bureau."""
    code = _check_credit_code(details.credit_code, None)
    if unit is None:
        if new_unit_parent is None or new_unit_parent.kind not in BUREAU_KINDS:
            raise ProjectRuleError(_l("请选择机构所属的民政部门。"), code="parent")
        if db.session.scalar(select(Unit.id).where(Unit.code == new_unit_code.strip())):
            raise _unit_code_taken()
        with _refusing_duplicates(_unit_code_taken):
            unit = create_unit(
                actor_id=actor.id,
                code=new_unit_code.strip(),
                name=new_unit_name.strip(),
                kind=UnitKind.AGENCY,
                parent=new_unit_parent,
            )
    elif unit.kind is not UnitKind.AGENCY:
        raise ProjectRuleError(_l("所选单位不是民办社会工作服务机构。"), code="unit")
    elif db.session.scalar(select(Agency.id).where(Agency.unit_id == unit.id)):
        raise _agency_registered()
    with _refusing_duplicates(lambda: _agency_refusal(code)):
        agency = Agency(unit=unit)
        _apply(agency, details, code)
        db.session.add(agency)
    audit.record("agency.create", agency, actor_id=actor.id, unit_id=unit.id)
    return agency


def _agency_refusal(code: str) -> ProjectRuleError:
    """Which unique key a new agency met: its credit code, else its unit."""
    if db.session.scalar(select(Agency.id).where(Agency.credit_code == code)) is not None:
        return _credit_code_taken()
    return _agency_registered()


def update_agency(*, actor: User, agency: Agency, details: AgencyDetails) -> None:
    code = _check_credit_code(details.credit_code, agency)
    with _refusing_duplicates(_credit_code_taken):
        _apply(agency, details, code)
    audit.record("agency.update", agency, actor_id=actor.id, unit_id=agency.unit_id)


@dataclass(frozen=True)
class ProjectDetails:
    name: str
    purchaser: Unit
    agency: Agency
    units: Sequence[Unit]
    contract_number: str
    starts_on: date
    ends_on: date
    budget_fen: int


def _check_project(details: ProjectDetails, project: Project | None) -> None:
    if details.ends_on < details.starts_on:
        raise ProjectRuleError(_l("合同结束日期不能早于开始日期。"), code="period")
    if details.purchaser.kind not in BUREAU_KINDS:
        raise ProjectRuleError(_l("购买方须为民政部门。"), code="purchaser")
    if details.budget_fen < 0:
        raise ProjectRuleError(_l("项目预算不能为负数。"), code="budget")
    if not details.units:
        raise ProjectRuleError(_l("请至少选择一个服务站点。"), code="units")
    outside = [unit for unit in details.units if not unit.path.startswith(details.purchaser.path)]
    if outside:
        raise ProjectRuleError(
            _l(
                "服务站点须在购买方辖区内，以下站点不属于%(purchaser)s：%(names)s。",
                purchaser=details.purchaser.name,
                names="、".join(unit.name for unit in outside),
            ),
            code="units",
        )
    holder = contract_number_holder(details.contract_number.strip())
    if holder is not None and holder is not project:
        raise _contract_number_taken()


def contract_number_holder(number: str) -> Project | None:
    return db.session.scalar(select(Project).where(Project.contract_number == number))


def _apply_project(project: Project, details: ProjectDetails) -> None:
    project.name = details.name.strip()
    project.purchaser = details.purchaser
    project.agency = details.agency
    project.units = list(dict.fromkeys(details.units))
    project.contract_number = details.contract_number.strip()
    project.starts_on = details.starts_on
    project.ends_on = details.ends_on
    project.budget_fen = details.budget_fen


def create_project(*, actor: User, details: ProjectDetails) -> Project:
    _check_project(details, None)
    with _refusing_duplicates(_contract_number_taken):
        project = Project()
        _apply_project(project, details)
        db.session.add(project)
    audit.record("project.create", project, actor_id=actor.id, unit_id=details.purchaser.id)
    return project


def update_project(*, actor: User, project: Project, details: ProjectDetails) -> None:
    _check_project(details, project)
    with _refusing_duplicates(_contract_number_taken):
        _apply_project(project, details)
    audit.record("project.update", project, actor_id=actor.id, unit_id=project.purchaser_id)


def add_fund(
    *,
    actor: User,
    project: Project,
    source: FundSource,
    amount_fen: int,
    received_on: date,
    note: str = "",
) -> ProjectFund:
    """Record money received for the project from one source."""
    if amount_fen <= 0:
        raise ProjectRuleError(_l("金额须大于 0。"), code="amount")
    fund = ProjectFund(
        project=project, source=source, amount_fen=amount_fen, received_on=received_on, note=note
    )
    db.session.add(fund)
    db.session.flush()
    audit.record(
        "project.fund_add",
        project,
        actor_id=actor.id,
        unit_id=project.purchaser_id,
        details={"source": source.value, "amount_fen": amount_fen},
    )
    return fund


def remove_fund(*, actor: User, fund: ProjectFund) -> None:
    project = fund.project
    project.funds.remove(fund)
    db.session.flush()
    audit.record(
        "project.fund_remove",
        project,
        actor_id=actor.id,
        unit_id=project.purchaser_id,
        details={"source": fund.source.value, "amount_fen": fund.amount_fen},
    )


def _targets_changed() -> ProjectRuleError:
    return ProjectRuleError(_l("合同指标刚被他人修改，请查看后重新填写。"), code="targets_changed")


def set_targets(*, actor: User, project: Project, targets: dict[DeliverableKind, Decimal]) -> None:
    """Replace the project's deliverables by ``targets`` (a kind left out has none)."""
    if any(tenth(target) <= 0 for target in targets.values()):
        raise ProjectRuleError(_l("指标目标须大于 0。"), code="target")
    with _refusing_duplicates(_targets_changed):
        existing = {deliverable.kind: deliverable for deliverable in project.deliverables}
        for kind, deliverable in existing.items():
            if kind not in targets:
                project.deliverables.remove(deliverable)
        for kind in DeliverableKind:
            if kind in targets:
                if kind in existing:
                    existing[kind].target = tenth(targets[kind])
                else:
                    target = tenth(targets[kind])
                    project.deliverables.append(Deliverable(kind=kind, target=target))
    audit.record(
        "project.targets",
        project,
        actor_id=actor.id,
        unit_id=project.purchaser_id,
        details={kind.value: str(target) for kind, target in targets.items()},
    )


def add_milestone(
    *,
    actor: User,
    project: Project,
    kind: MilestoneKind,
    held_on: date,
    findings: str,
    score: Decimal | None,
) -> Milestone:
    if score is not None and not Decimal(0) <= score <= Decimal(100):
        raise ProjectRuleError(_l("得分须在 0 到 100 之间。"), code="score")
    milestone = Milestone(
        project=project,
        kind=kind,
        held_on=held_on,
        findings=findings.strip(),
        score=None if score is None else tenth(score),
    )
    db.session.add(milestone)
    db.session.flush()
    audit.record(
        "project.milestone",
        project,
        actor_id=actor.id,
        unit_id=project.purchaser_id,
        details={"kind": kind.value},
    )
    return milestone


def active_indicators(bureau: Unit) -> list[EvaluationIndicator]:
    """The scheme that applies under ``bureau``: its own, else the nearest one above it."""
    unit: Unit | None = bureau
    while unit is not None:
        found = list(
            db.session.scalars(
                select(EvaluationIndicator)
                .where(
                    EvaluationIndicator.bureau_id == unit.id,
                    EvaluationIndicator.is_active.is_(True),
                )
                .order_by(EvaluationIndicator.position, EvaluationIndicator.id)
            )
        )
        if found:
            return found
        unit = unit.parent
    return []


def set_indicators(
    *, actor: User, bureau: Unit, indicators: Sequence[tuple[str, int]]
) -> list[EvaluationIndicator]:
    """Replace the bureau's scheme; the old indicators stay for the evaluations that used
    them."""
    named = [(name.strip(), weight) for name, weight in indicators]
    if any(not name for name, _weight in named):
        raise ProjectRuleError(_l("每项指标都须填写名称。"), code="indicators")
    if not named:
        raise ProjectRuleError(_l("请至少填写一项评估指标。"), code="indicators")
    if len({name for name, _weight in named}) != len(named):
        raise ProjectRuleError(_l("指标名称不能重复。"), code="indicators")
    if any(weight <= 0 for _name, weight in named):
        raise ProjectRuleError(_l("每项指标的权重须大于 0。"), code="weights")
    if sum(weight for _name, weight in named) != WEIGHT_TOTAL:
        raise ProjectRuleError(_l("各项指标的权重之和须为 100。"), code="weights")
    # Two saves at once would each deactivate the scheme they read and both insert theirs:
    # holding the bureau's row makes the second wait and deactivate the first's.
    db.session.execute(select(Unit.id).where(Unit.id == bureau.id).with_for_update())
    for old in db.session.scalars(
        select(EvaluationIndicator).where(
            EvaluationIndicator.bureau_id == bureau.id, EvaluationIndicator.is_active.is_(True)
        )
    ):
        old.is_active = False
    created = [
        EvaluationIndicator(bureau_id=bureau.id, name=name, weight=weight, position=position)
        for position, (name, weight) in enumerate(named)
    ]
    db.session.add_all(created)
    db.session.flush()
    audit.record(
        "evaluation.indicators",
        bureau,
        actor_id=actor.id,
        unit_id=bureau.id,
        details={"indicators": [[name, weight] for name, weight in named]},
    )
    return created


def weighted_total(scores: Sequence[tuple[int, Decimal]]) -> Decimal:
    """Σ score × weight / 100, to one decimal (weights sum to 100)."""
    total = sum((score * weight for weight, score in scores), Decimal(0)) / WEIGHT_TOTAL
    return tenth(total)


def record_evaluation(
    *,
    actor: User,
    project: Project,
    evaluator: str,
    evaluated_on: date,
    report: str,
    scores: dict[int, Decimal],
) -> ProjectEvaluation:
    """Score each indicator of the scheme that applies to the project's purchaser."""
    indicators = active_indicators(project.purchaser)
    if not indicators:
        raise ProjectRuleError(_l("请先设置评估指标和权重。"), code="indicators")
    if set(scores) != {indicator.id for indicator in indicators}:
        raise ProjectRuleError(_l("请为每一项指标评分。"), code="scores")
    if any(not Decimal(0) <= score <= Decimal(100) for score in scores.values()):
        raise ProjectRuleError(_l("得分须在 0 到 100 之间。"), code="score")
    scores = {key: tenth(score) for key, score in scores.items()}
    evaluation = ProjectEvaluation(
        project=project,
        evaluator=evaluator.strip(),
        evaluated_on=evaluated_on,
        report=report.strip(),
        total=weighted_total([(item.weight, scores[item.id]) for item in indicators]),
        created_by_id=actor.id,
        scores=[
            ProjectEvaluationScore(
                indicator_id=item.id, name=item.name, weight=item.weight, score=scores[item.id]
            )
            for item in indicators
        ],
    )
    db.session.add(evaluation)
    db.session.flush()
    audit.record(
        "evaluation.create",
        evaluation,
        actor_id=actor.id,
        unit_id=project.purchaser_id,
        details={"project_id": project.id, "total": str(evaluation.total)},
    )
    return evaluation


def record_pdf_download(*, actor: User, evaluation: ProjectEvaluation) -> None:
    audit.record(
        "evaluation.pdf",
        evaluation,
        actor_id=actor.id,
        unit_id=evaluation.project.purchaser_id,
    )


def record_export(*, actor: User, kind: str, fmt: str) -> None:
    audit.record(
        "export.projects",
        actor_id=actor.id,
        unit_id=actor.unit_id,
        details={"list": kind, "format": fmt},
    )


def add_document(
    *, actor: User, project: Project, file_storage: FileStorage, description: str
) -> ProjectDocument:
    """Store an uploaded document of the project (checked by content, like an attachment)."""
    stored = store_file(file_storage)
    document = ProjectDocument(
        project=project,
        stored_name=stored.stored_name,
        original_name=stored.original_name,
        content_type=stored.file_type.content_type,
        size=stored.size,
        description=description.strip()[:200],
        uploaded_by_id=actor.id,
    )
    db.session.add(document)
    try:
        db.session.flush()
    except DBAPIError:
        discard_file(stored.stored_name)
        raise
    audit.record(
        "project.document_add",
        document,
        actor_id=actor.id,
        unit_id=project.purchaser_id,
        details={"project_id": project.id, "size": stored.size},
    )
    return document


def archive_document(*, actor: User, document: ProjectDocument) -> None:
    document.is_archived = True
    audit.record(
        "project.document_archive",
        document,
        actor_id=actor.id,
        unit_id=document.project.purchaser_id,
    )


def record_document_download(*, actor: User, document: ProjectDocument) -> None:
    audit.record(
        "project.document_download",
        document,
        actor_id=actor.id,
        unit_id=document.project.purchaser_id,
    )
