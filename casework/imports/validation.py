"""Checking every row of a list before anything is written, with a few bulk queries.

Existing records are looked up once per file (chunked ``IN`` lists), never once per row,
so that a list of ten thousand rows is checked in seconds.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any, TypeVar

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from casework.core.clock import local_today
from casework.core.crypto import blind_candidates
from casework.extensions import db
from casework.imports.columns import COLUMNS, max_length
from casework.imports.models import ImportKind
from casework.imports.parsing import SheetRow, Value
from casework.orgs.models import SERVICE_KINDS, Unit
from casework.people import idcard
from casework.people.models import Gender, ServiceUser
from casework.volunteers.models import Volunteer, VolunteerCategory
from casework.workforce.models import Certificate, CertificateLevel, EducationLevel, WorkerProfile

E = TypeVar("E", bound=Enum)

CHUNK = 1000
PHONE = re.compile(r"[0-9+\- ]{7,20}")
DATE_PATTERNS = (
    re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
EARLIEST_YEAR = 1900
YES = {"是", "y", "yes", "true", "1", "√", "✓"}
NO = {"否", "n", "no", "false", "0", "×", "x"}

# Names people use in real lists besides the labels.
ALIASES: dict[type[Enum], dict[str, Enum]] = {
    Gender: {"男性": Gender.MALE, "女性": Gender.FEMALE},
    CertificateLevel: {
        "初级": CertificateLevel.ASSISTANT,
        "助理社工师": CertificateLevel.ASSISTANT,
        "中级": CertificateLevel.INTERMEDIATE,
        "社工师": CertificateLevel.INTERMEDIATE,
        "高级": CertificateLevel.SENIOR,
        "高级社工师": CertificateLevel.SENIOR,
    },
    EducationLevel: {
        "高中": EducationLevel.HIGH_SCHOOL,
        "中专": EducationLevel.HIGH_SCHOOL,
        "初中": EducationLevel.HIGH_SCHOOL,
        "专科": EducationLevel.JUNIOR_COLLEGE,
        "大学本科": EducationLevel.BACHELOR,
        "硕士研究生": EducationLevel.MASTER,
        "研究生": EducationLevel.MASTER,
        "博士研究生": EducationLevel.DOCTORATE,
    },
}

PROBLEMS: dict[str, Any] = {
    "required": _l("必填项为空"),
    "too_long": _l("内容过长"),
    "invalid_id_number": _l("身份证号无效"),
    "invalid_date": _l("日期无效"),
    "invalid_phone": _l("电话号码无效"),
    "unknown_unit": _l("单位代码不存在"),
    "unit_not_allowed": _l("不能导入到该单位"),
    "unknown_level": _l("证书等级无法识别"),
    "unknown_value": _l("取值无法识别"),
    "birth_date_mismatch": _l("出生日期与身份证号不一致"),
    "duplicate_existing": _l("与已登记的人员重复"),
    "id_number_registered": _l("该身份证号已经登记（一人一档，不能重复登记）"),
    "duplicate_in_file": _l("与文件中其他行重复"),
}


@dataclass(frozen=True)
class Problem:
    """What is wrong in one cell: the column key, a code from ``PROBLEMS``, maybe a row."""

    field: str
    code: str
    other_row: int | None = None

    @property
    def label(self) -> Any:
        return PROBLEMS[self.code]


@dataclass
class RowResult:
    number: int
    cells: dict[str, Value]
    unit: Unit | None = None
    data: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.problems

    def add(self, field_key: str, code: str, other_row: int | None = None) -> None:
        self.problems.append(Problem(field_key, code, other_row))


@dataclass(frozen=True)
class Scope:
    """Where the rows may go: the default unit, and whether each row may name any unit."""

    default_unit: Unit | None
    any_unit: bool


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


# --- bulk look-ups (one query per thousand values) ---------------------------------------


def units_by_code(codes: Iterable[str]) -> dict[str, Unit]:
    wanted = sorted(set(codes))
    found: dict[str, Unit] = {}
    for chunk in _chunks(wanted):
        for unit in db.session.scalars(select(Unit).where(Unit.code.in_(chunk))):
            found[unit.code] = unit
    return found


def existing_certificate_numbers(numbers: Iterable[str]) -> set[str]:
    wanted = sorted(set(numbers))
    found: set[str] = set()
    for chunk in _chunks(wanted):
        found.update(
            db.session.scalars(
                select(Certificate.certificate_number).where(
                    Certificate.certificate_number.in_(chunk)
                )
            )
        )
    return found


def _indexes(values: Iterable[str], purpose: str) -> list[str]:
    """The blind indexes ``values`` may be stored under (the columns are encrypted)."""
    return [index for value in values for index in blind_candidates(value, purpose)]


def existing_profile_id_numbers(numbers: Iterable[str]) -> set[str]:
    """Personnel files are one per person, whichever unit holds them."""
    wanted = sorted(set(numbers))
    found: set[str] = set()
    for chunk in _chunks(wanted):
        found.update(
            number
            for number in db.session.scalars(
                select(WorkerProfile.id_number).where(
                    WorkerProfile.id_number_index.in_(_indexes(chunk, "id_number"))
                )
            )
            if number
        )
    return found


def existing_people_keys(
    unit_ids: Iterable[int], id_numbers: Iterable[str], names: Iterable[str]
) -> tuple[set[str], set[tuple[int, str, date]]]:
    """The ID numbers registered anywhere in the organisation (one person, one file), and
    the service users of ``unit_ids`` by lower-case name and birth date.

    The same rules as ``people.services`` (``id_number_holder``, ``find_possible_duplicates``),
    for a whole file.
    """
    units = sorted(set(unit_ids))
    by_id: set[str] = set()
    by_name: set[tuple[int, str, date]] = set()
    active = ServiceUser.is_archived.is_(False)
    for chunk in _chunks(sorted(set(id_numbers))):
        rows = db.session.scalars(
            select(ServiceUser.id_number).where(
                active, ServiceUser.id_number_index.in_(_indexes(chunk, "id_number"))
            )
        )
        by_id.update(number for number in rows if number)
    if not units:
        return by_id, by_name
    for chunk in _chunks(sorted(set(names))):
        named = db.session.execute(
            select(ServiceUser.unit_id, func.lower(ServiceUser.name), ServiceUser.birth_date).where(
                active,
                ServiceUser.unit_id.in_(units),
                func.lower(ServiceUser.name).in_(chunk),
                ServiceUser.birth_date.is_not(None),
            )
        )
        by_name.update((unit_id, name, born) for unit_id, name, born in named if born)
    return by_id, by_name


def existing_volunteer_phones(
    unit_ids: Iterable[int], names: Iterable[str]
) -> dict[tuple[int, str], set[str]]:
    """The phones ("" for none) of volunteers of ``unit_ids``, by (unit, lower-case name)."""
    units = sorted(set(unit_ids))
    found: dict[tuple[int, str], set[str]] = {}
    if not units:
        return found
    for chunk in _chunks(sorted(set(names))):
        rows = db.session.execute(
            select(Volunteer.unit_id, func.lower(Volunteer.name), Volunteer.phone).where(
                Volunteer.unit_id.in_(units), func.lower(Volunteer.name).in_(chunk)
            )
        )
        for unit_id, name, phone in rows:
            found.setdefault((unit_id, name), set()).add(phone or "")
    return found


# --- cell rules --------------------------------------------------------------------------


def _text(value: Value) -> str:
    return value.isoformat() if isinstance(value, date) else value


def _narrow(value: str) -> str:
    """Full-width digits and letters, as Chinese input methods type them, become ASCII."""
    return unicodedata.normalize("NFKC", value)


def parse_date(value: Value) -> date | None:
    """A date from a cell: a real date, or 2020-03-01, 2020/3/1, 2020.3.1, 2020年3月1日."""
    if isinstance(value, date):
        day: date | None = value
    else:
        text = _narrow(value).replace(" ", "")
        day = None
        for pattern in DATE_PATTERNS:
            match = pattern.fullmatch(text)
            if match:
                try:
                    day = date(int(match[1]), int(match[2]), int(match[3]))
                except ValueError:
                    return None
                break
    if day is None or day.year < EARLIEST_YEAR or day > local_today():
        return None
    return day


def source_labels(enum_class: type[E]) -> dict[str, E]:
    """Each member by its stored value and by its Chinese label (the source string)."""
    with force_locale("zh_CN"):
        labels = {str(member.label): member for member in enum_class}  # type: ignore[attr-defined]
    values = {str(member.value).lower(): member for member in enum_class}
    aliases: dict[str, Any] = ALIASES.get(enum_class, {})
    return labels | values | aliases


class _RowChecker:
    """Reads one row's cells into typed data, collecting problems on the way."""

    def __init__(self, kind: ImportKind, result: RowResult) -> None:
        self.kind = kind
        self.result = result

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = _text(self.result.cells.get(key, ""))
        if not value:
            if required:
                self.result.add(key, "required")
            return None
        limit = max_length(self.kind, key)
        if limit is not None and len(value) > limit:
            self.result.add(key, "too_long")
            return None
        return value

    def day(self, key: str, *, required: bool = False) -> date | None:
        value = self.result.cells.get(key, "")
        if value == "":
            if required:
                self.result.add(key, "required")
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.result.add(key, "invalid_date")
        return parsed

    def choice(
        self,
        key: str,
        choices: dict[str, E],
        *,
        required: bool = False,
        code: str = "unknown_value",
    ) -> E | None:
        value = _text(self.result.cells.get(key, "")).replace(" ", "")
        if not value:
            if required:
                self.result.add(key, "required")
            return None
        member = choices.get(value) or choices.get(value.lower())
        if member is None:
            self.result.add(key, code)
        return member

    def yes_no(self, key: str) -> bool:
        value = _text(self.result.cells.get(key, "")).strip().lower()
        if not value or value in NO:
            return False
        if value in YES:
            return True
        self.result.add(key, "unknown_value")
        return False

    def id_number(self) -> str | None:
        value = idcard.normalise(_narrow(_text(self.result.cells.get("id_number", ""))))
        if not value:
            return None
        if not idcard.is_valid(value):
            self.result.add("id_number", "invalid_id_number")
            return None
        return value

    def phone(self) -> str | None:
        value = _narrow(_text(self.result.cells.get("phone", ""))).strip()
        if not value:
            return None
        if not PHONE.fullmatch(value):
            self.result.add("phone", "invalid_phone")
            return None
        return value


# --- per kind ----------------------------------------------------------------------------


def _check_staff(check: _RowChecker, choices: dict[type[Enum], dict[str, Any]]) -> None:
    data = check.result.data
    data["name"] = check.text("name", required=True)
    data["gender"] = check.choice("gender", choices[Gender])
    data["id_number"] = check.id_number()
    data["phone"] = check.phone()
    data["education_level"] = check.choice("education_level", choices[EducationLevel])
    data["major"] = check.text("major")
    data["is_social_work_major"] = check.yes_no("is_social_work_major")
    data["position_title"] = check.text("position_title")
    data["employed_since"] = check.day("employed_since")
    certificate_keys = (
        "certificate_level",
        "certificate_number",
        "obtained_on",
        "registration_number",
        "registered_on",
    )
    has_certificate = any(check.result.cells.get(key, "") != "" for key in certificate_keys)
    data["certificate_level"] = check.choice(
        "certificate_level",
        choices[CertificateLevel],
        required=has_certificate,
        code="unknown_level",
    )
    data["certificate_number"] = check.text("certificate_number", required=has_certificate)
    data["obtained_on"] = check.day("obtained_on", required=has_certificate)
    data["registration_number"] = check.text("registration_number")
    data["registered_on"] = check.day("registered_on")
    obtained, registered = data["obtained_on"], data["registered_on"]
    if obtained and registered and registered < obtained:
        check.result.add("registered_on", "invalid_date")


def _check_volunteer(check: _RowChecker, choices: dict[type[Enum], dict[str, Any]]) -> None:
    data = check.result.data
    data["name"] = check.text("name", required=True)
    data["phone"] = check.phone()
    data["category"] = check.choice("category", choices[VolunteerCategory], required=True)
    data["skills"] = check.text("skills") or ""
    data["availability"] = check.text("availability") or ""


def _check_service_user(check: _RowChecker, choices: dict[type[Enum], dict[str, Any]]) -> None:
    data = check.result.data
    data["name"] = check.text("name", required=True)
    data["gender"] = check.choice("gender", choices[Gender])
    birth_date = check.day("birth_date")
    id_number = check.id_number()
    if id_number:
        encoded = idcard.birth_date_of(id_number)
        if birth_date and encoded != birth_date:
            check.result.add("birth_date", "birth_date_mismatch")
        birth_date = encoded
        if data["gender"] is None:
            data["gender"] = Gender.MALE if idcard.is_male(id_number) else Gender.FEMALE
    data["birth_date"] = birth_date
    data["id_number"] = id_number
    data["phone"] = check.phone()
    data["address"] = check.text("address")
    data["notes"] = check.text("notes")


CHECKS: dict[ImportKind, Callable[[_RowChecker, dict[type[Enum], dict[str, Any]]], None]] = {
    ImportKind.STAFF: _check_staff,
    ImportKind.VOLUNTEERS: _check_volunteer,
    ImportKind.SERVICE_USERS: _check_service_user,
}


# --- units and duplicates ----------------------------------------------------------------


def _may_use(unit: Unit, scope: Scope) -> bool:
    if scope.any_unit:
        return unit.is_active and unit.kind in SERVICE_KINDS
    return scope.default_unit is not None and unit.id == scope.default_unit.id


def _assign_units(results: list[RowResult], scope: Scope) -> None:
    codes = {str(result.cells.get("unit_code", "")) for result in results} - {""}
    known = units_by_code(codes)
    for result in results:
        code = _text(result.cells.get("unit_code", ""))
        if not code:
            result.unit = scope.default_unit
            if result.unit is None:
                result.add("unit_code", "required")
            continue
        unit = known.get(code)
        if unit is None:
            result.add("unit_code", "unknown_unit")
        elif _may_use(unit, scope):
            result.unit = unit
        else:
            result.add("unit_code", "unit_not_allowed")


def _mark_in_file(
    results: list[RowResult], field_key: str, key: Callable[[RowResult], Any]
) -> None:
    first_row: dict[Any, int] = {}
    for result in results:
        value = key(result)
        if value is None:
            continue
        if value in first_row:
            result.add(field_key, "duplicate_in_file", first_row[value])
        else:
            first_row[value] = result.number


def _staff_duplicates(results: list[RowResult]) -> None:
    numbers = existing_certificate_numbers(
        r.data["certificate_number"] for r in results if r.data.get("certificate_number")
    )
    id_numbers = existing_profile_id_numbers(
        r.data["id_number"] for r in results if r.data.get("id_number")
    )
    for result in results:
        if result.data.get("id_number") in id_numbers:
            result.add("id_number", "duplicate_existing")
        if result.data.get("certificate_number") in numbers:
            result.add("certificate_number", "duplicate_existing")
    _mark_in_file(results, "id_number", lambda r: r.data.get("id_number"))
    _mark_in_file(results, "certificate_number", lambda r: r.data.get("certificate_number"))


def _name_key(result: RowResult) -> str | None:
    name = result.data.get("name")
    return name.strip().lower() if name else None


def _people_duplicates(results: list[RowResult]) -> None:
    placed = [r for r in results if r.unit is not None]
    by_id, by_name = existing_people_keys(
        (r.unit.id for r in placed if r.unit),
        (r.data["id_number"] for r in placed if r.data.get("id_number")),
        (key for r in placed if (key := _name_key(r))),
    )
    for result in placed:
        if result.unit is None:
            continue
        number, name, born = (
            result.data.get("id_number"),
            _name_key(result),
            result.data.get("birth_date"),
        )
        if number and number in by_id:
            result.add("id_number", "id_number_registered")
        elif name and born and (result.unit.id, name, born) in by_name:
            result.add("name", "duplicate_existing")

    def same_name_and_birth(r: RowResult) -> Any:
        name, born = _name_key(r), r.data.get("birth_date")
        return (r.unit.id if r.unit else None, name, born) if name and born else None

    _mark_in_file(results, "id_number", lambda r: r.data.get("id_number"))
    _mark_in_file(
        [r for r in results if not any(p.code == "duplicate_in_file" for p in r.problems)],
        "name",
        same_name_and_birth,
    )


def _volunteer_key(result: RowResult) -> tuple[int, str, str] | None:
    name = _name_key(result)
    if result.unit is None or not name:
        return None
    return (result.unit.id, name, result.data.get("phone") or "")


def _volunteer_duplicates(results: list[RowResult]) -> None:
    """The same name in the unit with the same phone, or with no phone to tell them apart."""
    existing = existing_volunteer_phones(
        (r.unit.id for r in results if r.unit), (key for r in results if (key := _name_key(r)))
    )
    for result in results:
        volunteer = _volunteer_key(result)
        if volunteer is None:
            continue
        unit_id, name, phone = volunteer
        phones = existing.get((unit_id, name))
        if phones and (not phone or phone in phones):
            result.add("name", "duplicate_existing")
    _mark_in_file(results, "name", _volunteer_key)


DUPLICATES: dict[ImportKind, Callable[[list[RowResult]], None]] = {
    ImportKind.STAFF: _staff_duplicates,
    ImportKind.VOLUNTEERS: _volunteer_duplicates,
    ImportKind.SERVICE_USERS: _people_duplicates,
}


def validate(kind: ImportKind, rows: Sequence[SheetRow], scope: Scope) -> list[RowResult]:
    """Every row with its typed data and its problems; writes nothing."""
    results = [RowResult(number=row.number, cells=row.cells) for row in rows]
    _assign_units(results, scope)
    choices: dict[type[Enum], dict[str, Any]] = {
        enum_class: source_labels(enum_class)
        for enum_class in (Gender, EducationLevel, CertificateLevel, VolunteerCategory)
    }
    check = CHECKS[kind]
    for result in results:
        check(_RowChecker(kind, result), choices)
    DUPLICATES[kind](results)
    order = {column.key: index for index, column in enumerate(COLUMNS[kind])}
    for result in results:
        result.problems.sort(key=lambda problem: order.get(problem.field, len(order)))
    return results
