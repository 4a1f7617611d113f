"""The columns of each list: the Chinese header, whether it is required, how to fill it.

Headers are part of the file format, not of the interface: they stay Chinese in every
locale so that a template downloaded in English imports the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from casework.imports.models import ImportKind


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    note: str
    example: str = ""
    masked: bool = False  # ID and phone numbers are masked in the preview


UNIT_CODE = Column(
    "unit_code",
    "单位代码",
    False,
    "站长导入时可留空（导入到本站）；系统管理员可按行填写单位代码，或在上传时选择单位。",
    "CC-CQ-HX",
)
NAME = Column("name", "姓名", True, "必填。", "王小明")
GENDER = Column("gender", "性别", False, "男 或 女；可留空。", "女")
ID_NUMBER = Column(
    "id_number",
    "身份证号",
    False,
    "18 位居民身份证号，最后一位可为 X；请将此列设为文本格式，以免 Excel 改成科学计数法。",
    "",
    masked=True,
)
PHONE = Column("phone", "联系电话", False, "手机或固定电话，7–20 位数字。", "", masked=True)

STAFF = (
    UNIT_CODE,
    NAME,
    GENDER,
    ID_NUMBER,
    PHONE,
    Column("education_level", "学历", False, "高中及以下、大专、本科、硕士 或 博士。", "本科"),
    Column("major", "所学专业", False, "最多 100 个字。", "社会工作"),
    Column("is_social_work_major", "是否社会工作专业", False, "是 或 否；留空视为否。", "是"),
    Column("position_title", "职务", False, "最多 50 个字。", "社工"),
    Column("employed_since", "入职日期", False, "日期，如 2020-03-01。", "2020-03-01"),
    Column(
        "certificate_level",
        "证书等级",
        False,
        "助理社会工作师、社会工作师 或 高级社会工作师；无证书时证书各列都留空。",
        "助理社会工作师",
    ),
    Column(
        "certificate_number",
        "证书编号",
        False,
        "填写证书等级时必填；全系统唯一，最多 40 个字符。",
        "",
    ),
    Column("obtained_on", "取得证书日期", False, "填写证书等级时必填；日期。", "2021-06-20"),
    Column("registration_number", "登记证号", False, "已登记的填写，最多 40 个字符。", ""),
    Column("registered_on", "登记日期", False, "已登记的填写；日期。", ""),
)

VOLUNTEERS = (
    UNIT_CODE,
    NAME,
    PHONE,
    Column(
        "category",
        "志愿者类别",
        True,
        "必填：公职人员、党团员、人大政协代表、劳动模范、医务人员、教师、复退军人、"
        "低保对象、大学生、社区居民 或 其他。",
        "社区居民",
    ),
    Column("skills", "特长技能", False, "最多 200 个字。", "理发、维修家电"),
    Column("availability", "可服务时间", False, "最多 200 个字。", "周末上午"),
)

SERVICE_USERS = (
    UNIT_CODE,
    NAME,
    GENDER,
    Column(
        "birth_date",
        "出生日期",
        False,
        "日期；填写身份证号时可留空（按身份证号计算）。",
        "1956-03-14",
    ),
    ID_NUMBER,
    PHONE,
    Column("address", "住址", False, "最多 200 个字。", "朝阳区湖西路 1 号"),
    Column("notes", "备注", False, "最多 2000 个字。", ""),
)

COLUMNS: dict[ImportKind, tuple[Column, ...]] = {
    ImportKind.STAFF: STAFF,
    ImportKind.VOLUNTEERS: VOLUNTEERS,
    ImportKind.SERVICE_USERS: SERVICE_USERS,
}

# Lengths of the columns the values go into (a staff member's name: 50, see below).
MAX_LENGTHS = {
    "unit_code": 32,
    "name": 64,
    "phone": 20,
    "major": 100,
    "position_title": 50,
    "certificate_number": 40,
    "registration_number": 40,
    "skills": 200,
    "availability": 200,
    "address": 200,
    "notes": 2000,
}


STAFF_NAME_MAX_LENGTH = 50


def max_length(kind: ImportKind, key: str) -> int | None:
    if kind is ImportKind.STAFF and key == "name":
        return STAFF_NAME_MAX_LENGTH
    return MAX_LENGTHS.get(key)


def column_by_key(kind: ImportKind, key: str) -> Column | None:
    return next((column for column in COLUMNS[kind] if column.key == key), None)
