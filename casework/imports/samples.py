"""Deterministic example lists: the sample files under ``casework/fixtures/imports`` and
the rows of the import benchmark.

ID numbers use the region code 229901, which no county has, with correct check characters:
they pass GB 11643 validation and belong to nobody.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections.abc import Iterator
from datetime import date, timedelta

from casework.imports.columns import COLUMNS
from casework.imports.models import ImportKind
from casework.people.idcard import check_character

FICTITIOUS_REGION = "229901"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
# Two-character given names, run together.
GIVEN_NAMES = (
    "建华秀英志强桂兰海燕国庆玉珍晓明丽娟文博雨桐子涵浩然欣怡宇轩"
    "淑芬春生凤琴德明红梅立新雅琴永刚慧敏家乐思远佳琪俊杰婉婷明轩"
)
GIVEN = tuple(GIVEN_NAMES[start : start + 2] for start in range(0, len(GIVEN_NAMES), 2))
STREETS = ("湖西路", "西解放路", "自强街", "重庆路", "人民大街", "同志街")
SKILLS = ("理发", "维修家电", "陪伴聊天", "书法", "健康讲座", "法律咨询", "心理疏导", "摄影")
TIMES = ("周末上午", "工作日晚间", "周六全天", "每月第一个周日")
CATEGORIES = ("社区居民", "党团员", "大学生", "医务人员", "教师", "复退军人")
LEVELS = ("助理社会工作师", "社会工作师", "高级社会工作师")
EDUCATION = ("大专", "本科", "本科", "硕士")
FIXED_ZIP_TIME = (2026, 1, 1, 0, 0, 0)
FIXED_TIMESTAMP = "2026-01-01T00:00:00Z"


def fictitious_id_number(born: date, serial: int) -> str:
    first_17 = f"{FICTITIOUS_REGION}{born:%Y%m%d}{serial % 1000:03d}"
    return first_17 + check_character(first_17)


def as_row(kind: ImportKind, values: dict[str, str]) -> list[str]:
    """A row in the column order of ``kind``; columns not given stay empty."""
    return [values.get(column.key, "") for column in COLUMNS[kind]]


class _People:
    """Names, birth dates and ID numbers, never the same person twice."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 (repeatable samples, not secrets)
        self.used: set[tuple[str, date]] = set()
        self.serials: dict[date, int] = {}

    def person(self, earliest: int, latest: int) -> tuple[str, date, str, bool]:
        while True:
            name = self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)
            born = date(earliest, 1, 1) + timedelta(
                days=self.rng.randrange((latest - earliest) * 365)
            )
            if (name, born) not in self.used:
                break
        self.used.add((name, born))
        male = self.rng.random() < 0.5
        serial = self.serials.get(born, 0) + 1
        self.serials[born] = serial + 1
        # The 17th digit is odd for men, even for women.
        serial = serial * 2 + (1 if male else 0)
        return name, born, fictitious_id_number(born, serial), male

    def phone(self) -> str:
        return f"13{self.rng.randrange(10)}{self.rng.randrange(10**8):08d}"


def staff_rows(count: int, *, unit_code: str = "", seed: int = 1) -> list[list[str]]:
    people = _People(seed)
    rows = []
    for index in range(count):
        name, _born, number, male = people.person(1965, 2000)
        values = {
            "unit_code": unit_code,
            "name": name,
            "gender": "男" if male else "女",
            "id_number": number,
            "phone": people.phone(),
            "education_level": people.rng.choice(EDUCATION),
            "major": "社会工作" if index % 3 else "心理学",
            "is_social_work_major": "是" if index % 3 else "否",
            "position_title": "社工",
            "employed_since": f"{2012 + index % 12}-0{1 + index % 9}-01",
        }
        if index % 4 != 3:  # one in four without a certificate
            obtained = date(2014 + index % 10, 6, 20 + index % 8)
            values |= {
                "certificate_level": LEVELS[0 if index % 5 else 1 + index % 2],
                "certificate_number": f"YB{obtained.year}22{seed:02d}{index:06d}",
                "obtained_on": obtained.isoformat(),
            }
            if index % 2:
                values |= {
                    "registration_number": f"DJ{obtained.year + 1}{seed:02d}{index:06d}",
                    "registered_on": date(obtained.year + 1, 3, 1).isoformat(),
                }
        rows.append(as_row(ImportKind.STAFF, values))
    return rows


def volunteer_rows(count: int, *, unit_code: str = "", seed: int = 2) -> list[list[str]]:
    people = _People(seed)
    rows = []
    for index in range(count):
        name, _born, _number, _male = people.person(1950, 2004)
        rows.append(
            as_row(
                ImportKind.VOLUNTEERS,
                {
                    "unit_code": unit_code,
                    "name": name,
                    "phone": people.phone(),
                    "category": CATEGORIES[index % len(CATEGORIES)],
                    "skills": "、".join(people.rng.sample(SKILLS, 2)),
                    "availability": people.rng.choice(TIMES),
                },
            )
        )
    return rows


def service_user_rows(count: int, *, unit_code: str = "", seed: int = 3) -> list[list[str]]:
    people = _People(seed)
    rows = []
    for index in range(count):
        name, born, number, male = people.person(1930, 2015)
        rows.append(
            as_row(
                ImportKind.SERVICE_USERS,
                {
                    "unit_code": unit_code,
                    "name": name,
                    "gender": "男" if male else "女",
                    "birth_date": born.isoformat(),
                    "id_number": number,
                    "phone": people.phone(),
                    "address": f"朝阳区{people.rng.choice(STREETS)}{100 + index % 900}号",
                    "notes": "",
                },
            )
        )
    return rows


def deterministic_xlsx(data: bytes) -> bytes:
    """The same workbook with fixed zip and document times, so that it is reproducible."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + FIXED_TIMESTAMP.encode() + rb"\g<3>",
                    content,
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, content)
    return buffer.getvalue()


def rows_as_dicts(kind: ImportKind, rows: list[list[str]]) -> Iterator[dict[str, str]]:
    keys = [column.key for column in COLUMNS[kind]]
    for row in rows:
        yield dict(zip(keys, row, strict=True))
