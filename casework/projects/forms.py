"""Forms for agencies, projects, their funds, targets and milestones, and evaluations."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    Field,
    FieldList,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from casework.core.forms import CheckboxListField, FiniteDecimalField, Form, SelectChoice
from casework.projects import credit_code
from casework.projects.messages import INVALID_CREDIT_CODE
from casework.projects.models import DeliverableKind, FundSource, MilestoneKind, QualificationLevel

MAX_AMOUNT = Decimal("9999999999.99")


def _cents(_form: Any, field: Any) -> None:
    """Money is entered in yuan with at most two decimals (stored in fen)."""
    value = field.data
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -2:
            raise ValidationError(str(_l("金额最多保留两位小数。")))


def to_fen(value: Decimal) -> int:
    return int(value * 100)


def _enum_choices(kind: Any) -> list[SelectChoice]:
    return [SelectChoice(member.value, member.label) for member in kind]


class AgencyForm(Form):
    """The agency's registration details; a new agency may bring a new unit of the tree."""

    unit = SelectField(_l("机构单位"), coerce=int, validate_choice=False)
    parent = SelectField(_l("登记所属民政部门"), coerce=int, validate_choice=False)
    unit_name = StringField(_l("机构名称"), validators=[Optional(), Length(max=100)])
    unit_code = StringField(_l("单位编码"), validators=[Optional(), Length(max=32)])
    credit_code = StringField(
        _l("统一社会信用代码"), validators=[DataRequired(), Length(min=18, max=18)]
    )
    registration_authority = StringField(
        _l("登记管理机关"), validators=[DataRequired(), Length(max=100)]
    )
    legal_representative = StringField(
        _l("法定代表人"), validators=[DataRequired(), Length(max=50)]
    )
    founded_on = DateField(_l("成立日期"), validators=[DataRequired()])
    qualification = SelectField(_l("评估等级"), validators=[DataRequired()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.qualification.choices = _enum_choices(QualificationLevel)

    def validate_credit_code(self, field: Any) -> None:
        """Said at once, beside the other fields' messages (the service checks it again)."""
        if field.data and not credit_code.is_valid(credit_code.normalise(field.data)):
            raise ValidationError(str(INVALID_CREDIT_CODE))


class ProjectForm(Form):
    name = StringField(_l("项目名称"), validators=[DataRequired(), Length(max=200)])
    purchaser = SelectField(_l("购买方"), coerce=int, validate_choice=False)
    agency = SelectField(_l("承接机构"), coerce=int, validate_choice=False)
    units = CheckboxListField(_l("服务站点"), coerce=int, validate_choice=False)
    contract_number = StringField(_l("合同编号"), validators=[DataRequired(), Length(max=50)])
    starts_on = DateField(_l("合同开始日期"), validators=[DataRequired()])
    ends_on = DateField(_l("合同结束日期"), validators=[DataRequired()])
    budget = FiniteDecimalField(
        _l("项目预算（元）"),
        validators=[InputRequired(), NumberRange(min=0, max=MAX_AMOUNT), _cents],
    )

    def validate_ends_on(self, field: Any) -> None:
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(str(_l("合同结束日期不能早于开始日期。")))

    def validate_units(self, field: Any) -> None:
        if not field.data:
            raise ValidationError(str(_l("请至少选择一个服务站点。")))


class TargetsForm(Form):
    """One optional target per kind of deliverable (fields ``target_<kind>``)."""

    def target_fields(self) -> list[tuple[DeliverableKind, Any]]:
        return [(kind, self[f"target_{kind.value}"]) for kind in DeliverableKind]


for _kind in DeliverableKind:
    setattr(
        TargetsForm,
        f"target_{_kind.value}",
        FiniteDecimalField(
            _kind.lazy_label,
            places=1,
            validators=[Optional(), NumberRange(min=Decimal("0.1"), max=Decimal("99999999"))],
        ),
    )


class FundForm(Form):
    source = SelectField(_l("资金来源"), validators=[DataRequired()])
    amount = FiniteDecimalField(
        _l("到账金额（元）"),
        validators=[DataRequired(), NumberRange(min=Decimal("0.01"), max=MAX_AMOUNT), _cents],
    )
    received_on = DateField(_l("到账日期"), validators=[DataRequired()])
    note = StringField(_l("说明"), validators=[Optional(), Length(max=200)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.source.choices = _enum_choices(FundSource)


class MilestoneForm(Form):
    kind = SelectField(_l("评估节点"), validators=[DataRequired()])
    held_on = DateField(_l("评估日期"), validators=[DataRequired()])
    score = FiniteDecimalField(
        _l("得分"), places=1, validators=[Optional(), NumberRange(min=0, max=100)]
    )
    findings = TextAreaField(_l("评估意见"), validators=[Optional(), Length(max=5000)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = _enum_choices(MilestoneKind)


class IndicatorRowForm(Form):
    class Meta:
        csrf = False

    name = StringField(_l("指标名称"), validators=[Optional(), Length(max=50)])
    weight = IntegerField(_l("权重"), validators=[Optional(), NumberRange(min=1, max=100)])


INDICATOR_ROWS = 8


class IndicatorsForm(Form):
    rows = FieldList(
        FormField(IndicatorRowForm), min_entries=INDICATOR_ROWS, max_entries=INDICATOR_ROWS
    )
    # How many rows the request sent: the list keeps the first ``INDICATOR_ROWS`` only, so
    # more are refused here rather than dropped without a word.
    submitted_rows = 0

    def process(
        self,
        formdata: Any = None,
        obj: Any = None,
        data: Any = None,
        extra_filters: Any = None,
        **kwargs: Any,
    ) -> None:
        super().process(formdata, obj, data, extra_filters, **kwargs)
        sent = self.meta.wrap_formdata(self, formdata)
        prefix = f"{self.rows.name}-"
        self.submitted_rows = len(
            {
                key.removeprefix(prefix).split("-", 1)[0]
                for key in (sent or ())
                if key.startswith(prefix) and key.removeprefix(prefix).split("-", 1)[0].isdigit()
            }
        )

    def validate_rows(self, field: Field) -> None:
        if self.submitted_rows > INDICATOR_ROWS:
            raise ValidationError(
                _l("评估指标最多 %(count)d 项，请合并或删减后再保存。", count=INDICATOR_ROWS)
            )


class EvaluationForm(Form):
    """Scores per indicator are fields ``score_<indicator id>``, added per scheme."""

    evaluator = StringField(_l("评估机构（评估人）"), validators=[DataRequired(), Length(max=100)])
    evaluated_on = DateField(_l("评估日期"), validators=[DataRequired()])
    report = TextAreaField(_l("评估报告"), validators=[Optional(), Length(max=20000)])


def evaluation_form(indicator_ids: list[tuple[int, str]], **kwargs: Any) -> EvaluationForm:
    """An evaluation form with one score field per indicator of the scheme."""

    class SchemeForm(EvaluationForm):
        pass

    for indicator_id, name in indicator_ids:
        setattr(
            SchemeForm,
            f"score_{indicator_id}",
            FiniteDecimalField(
                name, places=1, validators=[InputRequired(), NumberRange(min=0, max=100)]
            ),
        )
    return SchemeForm(**kwargs)
