"""Forms for personnel files, certificates, continuing education, posts and training."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from casework.core.enums import LabelledEnum
from casework.core.forms import FiniteDecimalField, Form, SelectChoice
from casework.people import idcard
from casework.people.models import Gender
from casework.workforce.models import (
    CertificateLevel,
    CourseFormat,
    CourseKind,
    EducationKind,
    EducationLevel,
    PartnerKind,
    PostKind,
)

PHONE = Regexp(r"^[0-9+\- ]{7,20}$", message=_l("请填写有效的电话号码"))


def enum_choices(enum_class: type[LabelledEnum], *, blank: Any = None) -> list[SelectChoice]:
    """The members as choices; with ``blank``, a first empty choice carrying that label."""
    choices = [SelectChoice(member.value, member.lazy_label) for member in enum_class]
    if blank is not None:
        choices.insert(0, SelectChoice("", blank))
    return choices


class ProfileForm(Form):
    unit = SelectField(_l("所属单位"), choices=[])
    account = SelectField(_l("关联账号"), choices=[])
    name = StringField(_l("姓名"), validators=[DataRequired(), Length(max=50)])
    gender = SelectField(_l("性别"), choices=enum_choices(Gender, blank=_l("未填写")))
    id_number = StringField(_l("身份证号"), validators=[Optional(), Length(max=18)])
    phone = StringField(_l("联系电话"), validators=[Optional(), Length(max=20), PHONE])
    education_level = SelectField(
        _l("学历"), choices=enum_choices(EducationLevel, blank=_l("未填写"))
    )
    major = StringField(_l("所学专业"), validators=[Optional(), Length(max=100)])
    is_social_work_major = BooleanField(_l("社会工作专业"))
    position_title = StringField(_l("职务"), validators=[Optional(), Length(max=50)])
    employed_since = DateField(_l("参加社会工作时间"), validators=[Optional()])
    is_active = BooleanField(_l("在职"), default=True)

    def validate_id_number(self, field: StringField) -> None:
        number = idcard.normalise(field.data or "")
        if number and not idcard.is_valid(number):
            raise ValidationError(_l("身份证号无效，请核对。"))


class CertificateForm(Form):
    level = SelectField(_l("证书等级"), choices=enum_choices(CertificateLevel))
    certificate_number = StringField(_l("证书编号"), validators=[DataRequired(), Length(max=40)])
    obtained_on = DateField(_l("取得日期"), validators=[DataRequired()])
    registration_number = StringField(_l("登记证号"), validators=[Optional(), Length(max=40)])
    registered_on = DateField(_l("登记日期"), validators=[Optional()])


class RegistrationForm(Form):
    registration_number = StringField(_l("登记证号"), validators=[Optional(), Length(max=40)])
    registered_on = DateField(_l("登记日期"), validators=[Optional()])
    last_reregistered_on = DateField(_l("最近再登记日期"), validators=[Optional()])


class EmploymentForm(Form):
    employer = StringField(_l("工作单位"), validators=[DataRequired(), Length(max=100)])
    position = StringField(_l("岗位或职务"), validators=[Optional(), Length(max=50)])
    started_on = DateField(_l("开始日期"), validators=[DataRequired()])
    ended_on = DateField(_l("结束日期"), validators=[Optional()])


class ExamForm(Form):
    year = IntegerField(
        _l("考试年度"), validators=[InputRequired(), NumberRange(min=2008, max=2100)]
    )
    level = SelectField(_l("考试级别"), choices=enum_choices(CertificateLevel))
    subjects_passed = StringField(_l("通过科目"), validators=[Optional(), Length(max=100)])
    is_passed = BooleanField(_l("已通过全部科目"))


class AwardForm(Form):
    title = StringField(_l("奖励或考核结果"), validators=[DataRequired(), Length(max=100)])
    awarded_by = StringField(_l("授予单位"), validators=[Optional(), Length(max=100)])
    awarded_on = DateField(_l("日期"), validators=[DataRequired()])


class EducationEntryForm(Form):
    kind = SelectField(_l("继续教育类型"), choices=enum_choices(EducationKind))
    title = StringField(_l("名称"), validators=[DataRequired(), Length(max=100)])
    provider = StringField(_l("举办单位"), validators=[Optional(), Length(max=100)])
    started_on = DateField(_l("开始日期"), validators=[DataRequired()])
    ended_on = DateField(_l("结束日期"), validators=[Optional()])
    hours = FiniteDecimalField(_l("学时"), places=1, validators=[Optional()])
    is_degree_completed = BooleanField(_l("学历教育已毕业"))
    evidence = StringField(_l("证明材料"), validators=[Optional(), Length(max=200)])


class PostForm(Form):
    title = StringField(_l("岗位名称"), validators=[DataRequired(), Length(max=100)])
    kind = SelectField(_l("岗位类型"), choices=enum_choices(PostKind))
    required_level = SelectField(
        _l("任职资格要求"), choices=enum_choices(CertificateLevel, blank=_l("不要求证书"))
    )
    salary_band = StringField(_l("薪酬等级"), validators=[Optional(), Length(max=50)])
    holder = SelectField(_l("在岗人员"), choices=[])


class PlanForm(Form):
    year = IntegerField(_l("年度"), validators=[InputRequired(), NumberRange(min=2008, max=2100)])
    title = StringField(_l("计划名称"), validators=[DataRequired(), Length(max=100)])
    notes = TextAreaField(_l("计划内容"), validators=[Optional(), Length(max=4000)])


class CourseForm(Form):
    plan = SelectField(_l("所属培训计划"), choices=[])
    title = StringField(_l("课程名称"), validators=[DataRequired(), Length(max=100)])
    kind = SelectField(_l("培训类别"), choices=enum_choices(CourseKind))
    format = SelectField(_l("培训形式"), choices=enum_choices(CourseFormat))
    trainer = StringField(_l("授课人"), validators=[Optional(), Length(max=100)])
    partner_kind = SelectField(
        _l("培训基地类型"), choices=enum_choices(PartnerKind, blank=_l("无"))
    )
    partner_name = StringField(_l("培训基地名称"), validators=[Optional(), Length(max=100)])
    hours = FiniteDecimalField(
        _l("计划学时"), places=1, validators=[InputRequired(), NumberRange(min=0, max=999)]
    )


class SessionForm(Form):
    held_on = DateField(_l("培训日期"), validators=[DataRequired()])
    hours = FiniteDecimalField(
        _l("学时"), places=1, validators=[InputRequired(), NumberRange(min=0.5, max=24)]
    )
    place = StringField(_l("培训地点"), validators=[Optional(), Length(max=100)])


class TargetForm(Form):
    target = IntegerField(
        _l("持证社工目标人数"), validators=[InputRequired(), NumberRange(min=0, max=1_000_000)]
    )
    due_on = DateField(_l("目标期限"), validators=[Optional()])
