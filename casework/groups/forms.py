"""Forms for groups: the plan, members, scores, sessions, attendance, records, summary."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from casework.cases.enums import ServiceDomain
from casework.cases.forms import LONG_TEXT, enum_choices, text
from casework.core.forms import CheckboxListField, Form
from casework.core.inputs import MAX_ID
from casework.groups.models import AttendanceStatus, GroupMember, GroupType


class GroupPlanForm(Form):
    """小组计划书."""

    name = StringField(_l("小组名称"), validators=[DataRequired(), Length(max=100)])
    group_type = SelectField(_l("小组类型"), choices=enum_choices(GroupType))
    domain = SelectField(_l("服务领域"), choices=enum_choices(ServiceDomain))
    purpose = text(_l("小组目的"))
    goals = text(_l("小组目标"))
    target_members = text(_l("招募对象"))
    rationale = text(_l("需求分析与理论依据"), required=False)
    session_plan = text(_l("各节活动安排"), required=False)
    planned_sessions = IntegerField(
        _l("计划节数"),
        validators=[
            InputRequired(),
            NumberRange(min=1, max=100, message=_l("计划节数须在 1 到 100 之间")),
        ],
    )
    recruitment_from = DateField(_l("招募开始日期"), validators=[Optional()])
    recruitment_until = DateField(_l("招募截止日期"), validators=[Optional()])
    measure_name = StringField(_l("前后测量表名称"), validators=[Optional(), Length(max=100)])
    measure_max = IntegerField(
        _l("量表满分"),
        validators=[
            InputRequired(),
            NumberRange(min=1, max=1000, message=_l("量表满分须在 1 到 1000 之间")),
        ],
    )


class NewGroupForm(GroupPlanForm):
    facilitator_id = SelectField(_l("带领者"), coerce=int)
    co_facilitator_ids = CheckboxListField(_l("协同带领者"), coerce=int)
    observer_id = SelectField(_l("观察员"), coerce=int)
    tutor_id = SelectField(_l("督导"), coerce=int)


class StepForm(Form):
    reason = TextAreaField(_l("原因或意见"), validators=[Optional(), Length(max=LONG_TEXT)])


class AddMemberForm(Form):
    person_id = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=MAX_ID)])
    joined_on = DateField(_l("加入日期"), validators=[Optional()])


class LeaveForm(Form):
    left_on = DateField(_l("退出日期"), validators=[DataRequired()])
    reason = StringField(_l("退出原因"), validators=[DataRequired(), Length(max=200)])


class ScoreRowForm(Form):
    class Meta:
        csrf = False  # the enclosing scores form carries the token

    member_id = HiddenField()
    pre_score = IntegerField(_l("前测"), validators=[Optional(), NumberRange(min=0)])
    post_score = IntegerField(_l("后测"), validators=[Optional(), NumberRange(min=0)])


class ScoresForm(Form):
    rows = FieldList(FormField(ScoreRowForm))


class SessionForm(Form):
    held_on = DateField(_l("日期"), validators=[DataRequired()])
    starts_at = TimeField(_l("开始时间"), validators=[DataRequired()])
    duration_minutes = IntegerField(
        _l("时长（分钟）"),
        validators=[
            InputRequired(),
            NumberRange(min=1, max=600, message=_l("时长须在 1 到 600 分钟之间")),
        ],
    )
    place = StringField(_l("地点"), validators=[DataRequired(), Length(max=100)])
    topic = StringField(_l("主题"), validators=[DataRequired(), Length(max=200)])
    planned_content = text(_l("计划内容"), required=False)


class SessionRecordForm(Form):
    """每节记录."""

    # Not "process": that name is taken by Form.process.
    process_text = text(_l("活动过程"))
    observations = text(_l("组员表现与观察"), required=False)
    goal_progress = text(_l("目标达成情况"), required=False)


class SessionCommentForm(Form):
    comment = TextAreaField(_l("督导意见"), validators=[DataRequired(), Length(max=LONG_TEXT)])


class SummaryForm(Form):
    """小组总结报告."""

    summary = text(_l("小组总结"))
    outcomes = text(_l("成效评估"), required=False)


class AttendanceForm(Form):
    """One radio group per expected member (``mark-<member id>``), read by ``marks_from``."""

    save = SubmitField(_l("保存点名"))
    all_present = SubmitField(_l("全部出席并保存"))


def mark_field_name(member: GroupMember) -> str:
    return f"mark-{member.id}"


def marks_from(
    formdata: Mapping[str, str], members: Iterable[GroupMember]
) -> dict[int, AttendanceStatus]:
    """The valid marks sent for ``members``; a member without one is left out."""
    marks: dict[int, AttendanceStatus] = {}
    for member in members:
        try:
            marks[member.id] = AttendanceStatus.of(formdata.get(mark_field_name(member), ""))
        except ValueError:
            continue
    return marks
