"""Forms for cases and the records of each stage."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from casework.accounts.models import User
from casework.accounts.queries import front_line_staff, tutors_of
from casework.cases.enums import (
    AssessmentArea,
    Attainment,
    CaseSource,
    ClosureType,
    NeedLevel,
    ProblemCategory,
    ReferralOutcome,
    RiskLevel,
    ServiceDomain,
    ServiceForm,
)
from casework.core.enums import LabelledEnum
from casework.core.forms import CheckboxListField, Form, SelectChoice
from casework.people.models import ConsentBasis

LONG_TEXT = 10000


def enum_choices(enum_class: type[LabelledEnum]) -> list[SelectChoice]:
    return [SelectChoice(member.value, member.lazy_label) for member in enum_class]


def text(label: Any, *, required: bool = True) -> TextAreaField:
    validators = [DataRequired()] if required else [Optional()]
    return TextAreaField(label, validators=[*validators, Length(max=LONG_TEXT)])


def chosen_by_worker(label: Any, enum_class: type[LabelledEnum], message: Any) -> SelectField:
    """A select that starts empty: the worker decides, nothing is filled in for them."""
    return SelectField(
        label,
        choices=[SelectChoice("", _l("（请选择）")), *enum_choices(enum_class)],
        validators=[DataRequired(message=message)],
    )


class CaseDetailsForm(Form):
    summary = StringField(_l("个案概况"), validators=[DataRequired(), Length(max=200)])
    domain = chosen_by_worker(_l("服务领域"), ServiceDomain, _l("请选择服务领域"))
    problems = CheckboxListField(
        _l("问题类别"),
        choices=enum_choices(ProblemCategory),
        validators=[DataRequired(message=_l("请至少选择一个问题类别"))],
    )
    source = SelectField(_l("个案来源"), choices=enum_choices(CaseSource))
    risk_level = chosen_by_worker(_l("风险等级"), RiskLevel, _l("请选择风险等级"))


class OpenCaseForm(CaseDetailsForm):
    worker_id = SelectField(_l("负责社工"), coerce=int)
    tutor_id = SelectField(_l("督导"), coerce=int)


class AssignForm(Form):
    worker_id = SelectField(_l("负责社工"), coerce=int)
    tutor_id = SelectField(_l("督导"), coerce=int)


NO_TUTOR = 0


def fill_staff_choices(form: OpenCaseForm | AssignForm, unit_id: int) -> list[User]:
    """Offer the unit's front-line staff as workers and its tutors; returns the tutors."""
    form.worker_id.choices = [
        SelectChoice(str(worker.id), worker.display_name) for worker in front_line_staff([unit_id])
    ]
    tutors = tutors_of(unit_id)
    form.tutor_id.choices = [SelectChoice(str(NO_TUTOR), _l("（暂不指定）"))] + [
        SelectChoice(str(tutor.id), tutor.display_name) for tutor in tutors
    ]
    return tutors


def default_tutor_id(tutors: list[User]) -> int:
    """The unit's tutor when it has exactly one; otherwise the worker picks."""
    return tutors[0].id if len(tutors) == 1 else NO_TUTOR


class IntakeForm(Form):
    presenting_problem = text(_l("求助问题"))
    arrival = text(_l("来源与求助经过"))
    # A case opened from a help request starts with the request's words and no judgement yet:
    # the record saves without it, and accepting the case needs it (services.take_step).
    first_judgement = text(_l("初步判断"), required=False)
    agreement_signed = BooleanField(_l("已签署服务协议"))
    agreement_signed_on = DateField(_l("协议签署日期"), validators=[Optional()])


class AssessmentForm(Form):
    """The standard areas (``<area>_level`` and ``<area>_note``, added below), then the rest."""

    needs = text(_l("主要需要"))
    strengths = text(_l("优势与资源"))
    risks = text(_l("风险"))
    summary = text(_l("预估小结"))

    def area_fields(self) -> list[tuple[AssessmentArea, Any, Any]]:
        return [
            (area, self[f"{area.value}_level"], self[f"{area.value}_note"])
            for area in AssessmentArea
        ]


for _area in AssessmentArea:
    setattr(
        AssessmentForm,
        f"{_area.value}_level",
        chosen_by_worker(
            _l("需要程度"), NeedLevel, _l("请评定“%(area)s”的需要程度", area=_area.lazy_label)
        ),
    )
    setattr(AssessmentForm, f"{_area.value}_note", text(_area.lazy_label, required=False))


class GoalForm(Form):
    class Meta:
        csrf = False  # the enclosing plan form carries the token

    description = TextAreaField(_l("服务目标"), validators=[Optional(), Length(max=2000)])
    indicator = TextAreaField(_l("衡量指标"), validators=[Optional(), Length(max=2000)])
    actions = TextAreaField(_l("行动措施"), validators=[Optional(), Length(max=2000)])
    responsible = StringField(_l("负责人"), validators=[Optional(), Length(max=64)])
    due_on = DateField(_l("完成期限"), validators=[Optional()])

    def is_blank(self) -> bool:
        """An empty row the worker added but did not fill in."""
        texts = (self.description.data, self.indicator.data, self.actions.data)
        return not any((value or "").strip() for value in texts) and self.due_on.data is None


class PlanForm(Form):
    overall_goal = text(_l("总目标"))
    review_due = DateField(_l("计划检讨日期"), validators=[DataRequired()])
    goals = FieldList(FormField(GoalForm), min_entries=1, max_entries=20)
    add_goal = SubmitField(_l("添加目标"))


class ServiceRecordForm(Form):
    served_on = DateField(_l("服务日期"), validators=[DataRequired()])
    form = SelectField(_l("服务形式"), choices=enum_choices(ServiceForm))
    duration_minutes = IntegerField(
        _l("时长（分钟）"),
        validators=[
            DataRequired(),
            NumberRange(min=1, max=1440, message=_l("时长须在 1 到 1440 分钟之间")),
        ],
    )
    content = text(_l("服务内容"))
    response = text(_l("服务对象的反应"), required=False)
    next_step = text(_l("下一步计划"), required=False)
    # The approved plan's goals, offered by the view.
    goal_ids = CheckboxListField(
        _l("本次服务针对的服务目标"), coerce=int, validators=[Optional()], choices=[]
    )


class ReferralForm(Form):
    referred_on = DateField(_l("转介日期"), validators=[DataRequired()])
    to_unit_id = SelectField(_l("转介至本系统单位"), coerce=int)
    shared_information = text(_l("向接收单位提供的信息（对方只能看到这些）"), required=False)
    consent_basis = SelectField(
        _l("服务对象同意提供信息的依据"),
        choices=[SelectChoice("", _l("（请选择）")), *enum_choices(ConsentBasis)],
        validators=[Optional()],
    )
    to_agency = StringField(_l("或转介至外部机构"), validators=[Optional(), Length(max=100)])
    agency_contact = StringField(
        _l("外部机构联系人及电话"), validators=[Optional(), Length(max=100)]
    )
    reason = text(_l("转介原因"))


class ReferralAnswerForm(Form):
    outcome = chosen_by_worker(_l("答复"), ReferralOutcome, _l("请选择接收、不接收或服务完成"))
    outcome_on = DateField(_l("日期"), validators=[DataRequired()])
    note = text(_l("给转介方的反馈"), required=False)


class TransferForm(Form):
    to_unit_id = SelectField(_l("转移至"), coerce=int, validators=[DataRequired()])
    reason = text(_l("转移理由"))
    handover_note = text(_l("交接说明"))


class RejectTransferForm(Form):
    reason = text(_l("退回理由"))


class ReferralOutcomeForm(Form):
    outcome = SelectField(_l("转介结果"), choices=enum_choices(ReferralOutcome))
    outcome_on = DateField(_l("日期"), validators=[DataRequired()])
    note = text(_l("说明"), required=False)


class GoalResultForm(Form):
    class Meta:
        csrf = False

    goal_id = HiddenField()
    attainment = chosen_by_worker(_l("达成情况"), Attainment, _l("请选择该目标的达成情况"))
    note = StringField(_l("说明"), validators=[Optional(), Length(max=500)])


class EvaluationForm(Form):
    results = FieldList(FormField(GoalResultForm))
    client_view = text(_l("服务对象的评价"))
    # Starts empty: the person's own rating is asked for, never assumed.
    satisfaction = SelectField(
        _l("满意度"),
        coerce=lambda value: int(value) if value not in (None, "") else None,
        choices=[
            SelectChoice("", _l("（请选择）")),
            SelectChoice("5", _l("5 非常满意")),
            SelectChoice("4", _l("4 满意")),
            SelectChoice("3", _l("3 一般")),
            SelectChoice("2", _l("2 不满意")),
            SelectChoice("1", _l("1 非常不满意")),
        ],
        validators=[InputRequired(message=_l("请选择服务对象的满意度"))],
    )
    summary = text(_l("评估小结"))


class ClosureForm(Form):
    closure_type = chosen_by_worker(_l("结案类型"), ClosureType, _l("请选择结案类型"))
    summary = text(_l("结案小结"))
    follow_up_plan = text(_l("回访计划"), required=False)
    follow_up_due = DateField(_l("计划回访日期"), validators=[Optional()])


class FollowUpForm(Form):
    followed_on = DateField(_l("回访日期"), validators=[DataRequired()])
    form = SelectField(_l("回访形式"), choices=enum_choices(ServiceForm))
    content = text(_l("回访情况"))
    next_due = DateField(_l("下次回访日期"), validators=[Optional()])


class StepForm(Form):
    reason = TextAreaField(_l("原因或意见"), validators=[Optional(), Length(max=LONG_TEXT)])
    referral_to = StringField(_l("转介至（可选）"), validators=[Optional(), Length(max=100)])


class CommentForm(Form):
    subject_type = HiddenField(validators=[DataRequired()])
    subject_id = HiddenField()
    body = TextAreaField(_l("督导意见"), validators=[DataRequired(), Length(max=LONG_TEXT)])


class BreakGlassForm(Form):
    case_number = StringField(_l("个案编号"), validators=[DataRequired(), Length(max=48)])
    reason = TextAreaField(
        _l("查看原因（将被记录）"), validators=[DataRequired(), Length(max=2000)]
    )


class WordingRuleForm(Form):
    word = StringField(_l("词语"), validators=[DataRequired(), Length(max=50)])
    suggestion = StringField(_l("建议的中性表述"), validators=[DataRequired(), Length(max=300)])
    exceptions = StringField(
        _l("例外（含该词但无评判意味的说法，用“、”分隔）"), validators=[Length(max=300)]
    )
    is_active = BooleanField(_l("启用"), default=True)
