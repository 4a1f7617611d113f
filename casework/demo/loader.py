"""Reading the demo data files and seeding what they describe, through the services.

The files in ``data/`` are read in the order their contents refer to each other: the
organisation (units, accounts), the casework (the people it registers), group work
(volunteers, then the groups and activities that use them), help requests, the workforce,
supervision, the annual assessments, the pilot units and the purchased services (an agency
and its projects). A key that names something not defined before it (an account, a unit, a person,
a volunteer, a personnel file) raises ``DemoDataError`` naming the file and key.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from casework.cases.wording import load_default_rules
from casework.demo.assessments import AssessmentSpec, seed_assessments
from casework.demo.case_specs import CaseworkSpec, FileRequestSpec, HouseholdSpec, TransferSpec
from casework.demo.cases import seed_casework
from casework.demo.group_specs import ActivitySpec, GroupSpec, GroupWorkSpec, VolunteerSpec
from casework.demo.groups import seed_groups
from casework.demo.help_requests import HelpDeskSpec, RequestSpec, seed_requests
from casework.demo.notifications import settle_notifications
from casework.demo.organisation import AccountSpec, UnitSpec, seed_accounts, seed_units
from casework.demo.pilot import PilotSpec, seed_pilots
from casework.demo.projects import AgencySpec, SchemeSpec, seed_projects
from casework.demo.supervision import SupervisionSpec, seed_supervision
from casework.demo.tables import (
    References,
    Username,
    Where,
    build,
    build_all,
    convert,
    read_table,
)
from casework.demo.workforce import (
    PostSpec,
    ProfileSpec,
    TargetSpec,
    TrainingPlanSpec,
    WorkforceSpec,
    seed_workforce,
)
from casework.people.services import DEFAULT_TAGS

DATA = Path(__file__).parent / "data"
T = TypeVar("T")


@dataclass(frozen=True)
class DemoData:
    """Everything the data files describe, checked and ready to seed."""

    units: tuple[UnitSpec, ...]
    accounts: tuple[AccountSpec, ...]
    casework: CaseworkSpec
    group_work: GroupWorkSpec
    help_desk: HelpDeskSpec
    workforce: WorkforceSpec
    supervision: tuple[SupervisionSpec, ...]
    assessments: tuple[AssessmentSpec, ...]
    pilots: tuple[PilotSpec, ...]
    schemes: tuple[SchemeSpec, ...]
    agencies: tuple[AgencySpec, ...]


def seed_demo(password: str, folder: Path = DATA) -> None:
    """Create what the data files describe, in the order the services need it; no commit."""
    data = load_demo_data(folder)
    units = seed_units(data.units)
    users = seed_accounts(data.accounts, units, password)
    load_default_rules(actor=None)
    seed_casework(data.casework, units, users)
    seed_requests(data.help_desk, units, users)
    seed_groups(data.group_work, units, users)
    seed_workforce(data.workforce, units, users)
    seed_supervision(data.supervision, units, users)
    seed_assessments(data.assessments, users)
    seed_pilots(data.pilots, units, users)
    seed_projects(data.schemes, data.agencies, units, users)
    settle_notifications()


def load_demo_data(folder: Path = DATA) -> DemoData:
    """Every data file read and every reference between them resolved."""
    references = References()
    for tag in DEFAULT_TAGS:
        references.define("tag", tag, Where("reference data"))
    units, accounts = _organisation(folder, references)
    casework = _casework(folder, references)
    stations = _stations_of_people(casework)
    return DemoData(
        units=units,
        accounts=accounts,
        casework=casework,
        group_work=_group_work(folder, references, stations),
        help_desk=_help_desk(folder, references, stations),
        workforce=_workforce(folder, references),
        supervision=_supervision(folder, references),
        assessments=_assessments(folder, references),
        pilots=_pilots(folder, references),
        **_purchased_services(folder, references),
    )


def demo_usernames(folder: Path = DATA) -> tuple[str, ...]:
    """The demo accounts' usernames, in the order the login page lists them."""
    return tuple(account.username for account in _organisation(folder, References())[1])


def _organisation(
    folder: Path, references: References
) -> tuple[tuple[UnitSpec, ...], tuple[AccountSpec, ...]]:
    table, where = _read(folder, "organisation.toml", ("units", "accounts"))
    units = _build_defining(
        UnitSpec, table, where, references, kind="unit", key_of=lambda unit: unit.code
    )
    accounts = _build_defining(
        AccountSpec,
        table,
        where,
        references,
        kind="account",
        key_of=lambda account: account.username,
    )
    return units, accounts


def _casework(folder: Path, references: References) -> CaseworkSpec:
    keys = (
        "tutor",
        "problem_areas",
        "cases",
        "residents",
        "households",
        "transfers",
        "file_requests",
    )
    table, where = _read(folder, "cases.toml", keys)
    later = {key: table.pop(key, []) for key in ("households", "transfers", "file_requests")}
    casework = build(CaseworkSpec, table, where, references)
    for index, case in enumerate(casework.cases):
        name_at = where.key("cases").item(index).key("person").key("name")
        references.define("person", case.person.name, name_at)
    for index, resident in enumerate(casework.residents):
        name_at = where.key("residents").item(index).key("person").key("name")
        references.define("person", resident.person.name, name_at)
    return dataclasses.replace(
        casework,
        households=build_all(
            HouseholdSpec, later["households"], where.key("households"), references
        ),
        transfers=build_all(TransferSpec, later["transfers"], where.key("transfers"), references),
        file_requests=build_all(
            FileRequestSpec, later["file_requests"], where.key("file_requests"), references
        ),
    )


def _group_work(folder: Path, references: References, stations: Mapping[str, str]) -> GroupWorkSpec:
    keys = ("tutor", "volunteers", "groups", "activities")
    table, where = _read(folder, "groups.toml", keys)
    group_work = GroupWorkSpec(
        tutor=convert(Username, table.get("tutor"), where.key("tutor"), references),
        volunteers=_build_defining(
            VolunteerSpec,
            table,
            where,
            references,
            kind="volunteer",
            key_of=lambda volunteer: volunteer.name,
        ),
        groups=build_all(GroupSpec, table.get("groups"), where.key("groups"), references),
        activities=build_all(
            ActivitySpec, table.get("activities"), where.key("activities"), references
        ),
    )
    for index, group in enumerate(group_work.groups):
        at = where.key("groups").item(index)
        _check_registered_at(group.station, group.people(), stations, at)
        named = [leaver.name for leaver in group.leavers]
        named += [absence.name for absence in group.absences]
        for name in named:
            if name not in group.people():
                raise at.error(f"{name!r} is not a member of the group")
    for index, activity in enumerate(group_work.activities):
        at = where.key("activities").item(index)
        _check_registered_at(activity.station, activity.participants, stations, at)
        for photo in activity.photos:
            if not (folder / "photos" / photo).is_file():
                raise at.key("photos").error(f"no photo {photo!r} in data/photos")
    return group_work


def _help_desk(folder: Path, references: References, stations: Mapping[str, str]) -> HelpDeskSpec:
    table, where = _read(folder, "requests.toml", ("tutor", "notice_boards", "requests"))
    help_desk = build(HelpDeskSpec, table, where, references)
    for index, request in enumerate(help_desk.requests):
        _check_actions(request, where.key("requests").item(index), stations)
    return help_desk


def _workforce(folder: Path, references: References) -> WorkforceSpec:
    table, where = _read(folder, "workforce.toml", ("profiles", "posts", "training", "target"))
    profiles = _build_defining(
        ProfileSpec, table, where, references, kind="profile", key_of=lambda profile: profile.key
    )
    for index, profile in enumerate(profiles):
        for number, certificate in enumerate(profile.certificates):
            if certificate.obtained_days_ago is None and certificate.registered() is None:
                at = where.key("profiles").item(index).key("certificates").item(number)
                raise at.error("needs obtained_days_ago, or a registration to count back from")
    training = build(TrainingPlanSpec, table.get("training"), where.key("training"), references)
    _check_attendance(training, where.key("training"))
    return WorkforceSpec(
        profiles=profiles,
        posts=build_all(PostSpec, table.get("posts"), where.key("posts"), references),
        training=training,
        target=build(TargetSpec, table.get("target"), where.key("target"), references),
    )


def _supervision(folder: Path, references: References) -> tuple[SupervisionSpec, ...]:
    table, where = _read(folder, "supervision.toml", ("sessions",))
    return build_all(SupervisionSpec, table.get("sessions"), where.key("sessions"), references)


def _assessments(folder: Path, references: References) -> tuple[AssessmentSpec, ...]:
    table, where = _read(folder, "assessments.toml", ("assessments",))
    return build_all(AssessmentSpec, table.get("assessments"), where.key("assessments"), references)


def _pilots(folder: Path, references: References) -> tuple[PilotSpec, ...]:
    table, where = _read(folder, "pilot.toml", ("pilots",))
    return build_all(PilotSpec, table.get("pilots"), where.key("pilots"), references)


def _purchased_services(folder: Path, references: References) -> dict[str, Any]:
    table, where = _read(folder, "projects.toml", ("schemes", "agencies"))
    return {
        "schemes": build_all(SchemeSpec, table.get("schemes"), where.key("schemes"), references),
        "agencies": build_all(AgencySpec, table.get("agencies"), where.key("agencies"), references),
    }


def _read(folder: Path, name: str, keys: tuple[str, ...]) -> tuple[dict[str, Any], Where]:
    """The file's top-level table, which holds ``keys`` and nothing else."""
    where = Where(name)
    table = read_table(folder / name)
    for key in table:
        if key not in keys:
            raise where.error(f"unknown key {key!r} (expected one of {', '.join(keys)})")
    for key in keys:
        if key not in table:
            raise where.error(f"missing key {key!r}")
    return table, where


def _build_defining(
    spec: type[T],
    table: Mapping[str, Any],
    where: Where,
    references: References,
    *,
    kind: str,
    key_of: Callable[[T], str],
) -> tuple[T, ...]:
    """Each table of the array ``<kind>s``, its key defined as soon as it is read.

    Later items (a unit's parent) and later files may then refer to it.
    """
    array = f"{kind}s"
    items = table.get(array)
    if not isinstance(items, list):
        raise where.key(array).error("expected an array of tables")
    built: list[T] = []
    for index, item in enumerate(items):
        at = where.key(array).item(index)
        value = build(spec, item, at, references)
        references.define(kind, key_of(value), at)
        built.append(value)
    return tuple(built)


def _stations_of_people(casework: CaseworkSpec) -> dict[str, str]:
    """The station that registered each person, by name."""
    stations = {case.person.name: case.station for case in casework.cases}
    stations.update((resident.person.name, resident.station) for resident in casework.residents)
    return stations


def _check_registered_at(
    station: str, names: Iterable[str], stations: Mapping[str, str], where: Where
) -> None:
    for name in names:
        if stations[name] != station:
            raise where.error(f"{name!r} is registered at {stations[name]}, not at {station}")


def _check_actions(request: RequestSpec, where: Where, stations: Mapping[str, str]) -> None:
    """Each action names what its kind needs; a conversion names someone at the station."""
    needs = {"assign": "worker", "refer_unit": "unit", "refer_agency": "agency", "convert": "case"}
    station = request.station
    for index, action in enumerate(request.actions):
        at = where.key("actions").item(index)
        needed = needs.get(action.kind)
        if needed is not None and not getattr(action, needed):
            raise at.error(f"a {action.kind!r} action needs {needed!r}")
        if action.unit is not None:
            station = action.unit
        if action.case is not None:
            _check_registered_at(station, [action.case.person], stations, at.key("case"))


def _check_attendance(training: TrainingPlanSpec, where: Where) -> None:
    """Attendance is taken for a course's trainees: nobody else can be present."""
    for index, course in enumerate(training.courses):
        for number, session in enumerate(course.sessions):
            at = where.key("courses").item(index).key("sessions").item(number).key("present")
            for key in session.present:
                if key not in course.trainees:
                    raise at.error(f"{key!r} is not among the course's trainees")
