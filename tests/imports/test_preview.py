"""Uploading a list and its preview: every problem shown, nothing written."""

from __future__ import annotations

import io
from datetime import date

import pytest
from flask.testing import FlaskClient
from openpyxl import Workbook
from sqlalchemy import func, select

from casework.extensions import db
from casework.imports import samples
from casework.imports.models import ImportKind, ImportRun, ImportStatus
from casework.people.models import ServiceUser
from casework.volunteers.models import Volunteer
from casework.workforce.models import CertificateLevel, WorkerProfile
from casework.workforce.services import add_certificate, create_profile
from tests.conftest import Login
from tests.factories import ServiceUserFactory, StationFactory, StationHeadFactory
from tests.imports.helpers import csv_bytes, person, run_id_of, staff, upload, volunteer, xlsx_bytes

BORN = date(1956, 3, 14)


def _count(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_preview_lists_every_problem_kind_for_staff(client: FlaskClient, login: Login) -> None:
    head = StationHeadFactory()
    other = StationFactory()
    existing = create_profile(unit=head.unit, name="已有", actor=head)
    add_certificate(
        existing,
        level=CertificateLevel.ASSISTANT,
        certificate_number="OLD-1",
        obtained_on=date(2019, 1, 1),
        actor=head,
    )
    db.session.commit()
    login(head)
    rows = [
        staff("", "A-1"),  # 必填项为空
        staff("错号码", "A-2", id_number="229901195603140010"),  # 身份证号无效
        staff("错日期", "A-3", obtained_on="2020-02-30"),  # 日期无效
        staff("错单位", "A-4", unit_code="NO-SUCH-UNIT"),  # 单位代码不存在
        staff("别站", "A-5", unit_code=other.code),  # 不能导入到该单位
        staff("错等级", "A-6", certificate_level="特级社工"),  # 证书等级无法识别
        staff("已有证书", "OLD-1"),  # 与已登记的人员重复
        staff("第一", "A-7"),
        staff("第二", "A-7"),  # 与文件中其他行重复
    ]
    response = upload(client, ImportKind.STAFF, csv_bytes(ImportKind.STAFF, rows))
    assert response.status_code == 302
    page = client.get(f"/imports/{run_id_of(response)}/preview").get_data(as_text=True)
    for label in (
        "必填项为空",
        "身份证号无效",
        "日期无效",
        "单位代码不存在",
        "不能导入到该单位",
        "证书等级无法识别",
        "与已登记的人员重复",
        "与文件中其他行重复",
    ):
        assert label in page, label
    assert "共 9 行：1 行可以导入，8 行有问题。" in page
    assert "（第 9 行）" in page  # the duplicate names the row it repeats


def test_preview_flags_a_service_user_already_registered(client: FlaskClient, login: Login) -> None:
    head = StationHeadFactory()
    known = ServiceUserFactory(unit=head.unit, id_number=samples.fictitious_id_number(BORN, 2))
    login(head)
    rows = [person("新人", BORN, 2, id_number=known.id_number or "")]
    response = upload(client, ImportKind.SERVICE_USERS, csv_bytes(ImportKind.SERVICE_USERS, rows))
    page = client.get(f"/imports/{run_id_of(response)}/preview").get_data(as_text=True)
    assert "该身份证号已经登记" in page


def test_preview_flags_an_id_number_registered_at_another_station(
    client: FlaskClient, login: Login
) -> None:
    head = StationHeadFactory()
    elsewhere = ServiceUserFactory(id_number=samples.fictitious_id_number(BORN, 2))
    login(head)
    rows = [person("新人", BORN, 2, id_number=elsewhere.id_number or "")]
    response = upload(client, ImportKind.SERVICE_USERS, csv_bytes(ImportKind.SERVICE_USERS, rows))
    page = client.get(f"/imports/{run_id_of(response)}/preview").get_data(as_text=True)
    assert "该身份证号已经登记" in page


def test_preview_writes_nothing(client: FlaskClient, login: Login) -> None:
    head = StationHeadFactory()
    login(head)
    for kind, rows in (
        (ImportKind.STAFF, [staff("甲", "N-1")]),
        (ImportKind.VOLUNTEERS, [volunteer("乙")]),
        (ImportKind.SERVICE_USERS, [person("丙", BORN, 4)]),
    ):
        response = upload(client, kind, csv_bytes(kind, rows))
        assert client.get(f"/imports/{run_id_of(response)}/preview").status_code == 200
    assert (_count(WorkerProfile), _count(Volunteer), _count(ServiceUser)) == (0, 0, 0)
    statuses = set(db.session.scalars(select(ImportRun.status)))
    assert statuses == {ImportStatus.PENDING}


def test_preview_masks_id_and_phone_numbers(client: FlaskClient, login: Login) -> None:
    login(StationHeadFactory())
    row = person("丁", BORN, 6, phone="13912345678")
    response = upload(client, ImportKind.SERVICE_USERS, csv_bytes(ImportKind.SERVICE_USERS, [row]))
    page = client.get(f"/imports/{run_id_of(response)}/preview").get_data(as_text=True)
    assert row["id_number"] not in page
    assert row["id_number"][:6] + "********" + row["id_number"][-4:] in page
    assert "13912345678" not in page
    assert "139****5678" in page


def test_the_stored_file_has_a_random_name_outside_the_url(
    client: FlaskClient, login: Login
) -> None:
    login(StationHeadFactory())
    response = upload(
        client,
        ImportKind.VOLUNTEERS,
        csv_bytes(ImportKind.VOLUNTEERS, [volunteer("戊")]),
        name="张三的名单.csv",
    )
    run = db.session.get(ImportRun, run_id_of(response))
    assert run is not None
    assert run.stored_name is not None
    assert len(run.stored_name) == 32
    assert run.stored_name not in response.headers["Location"]
    assert "张三" not in response.headers["Location"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_encodings_are_read(client: FlaskClient, login: Login, encoding: str) -> None:
    login(StationHeadFactory())
    content = csv_bytes(ImportKind.VOLUNTEERS, [volunteer("欧阳娜娜", skills="书法")], encoding)
    response = upload(client, ImportKind.VOLUNTEERS, content)
    page = client.get(f"/imports/{run_id_of(response)}/preview").get_data(as_text=True)
    assert "欧阳娜娜" in page
    assert "书法" in page
    assert "共 1 行：1 行可以导入，0 行有问题。" in page


def test_xlsx_is_read(client: FlaskClient, login: Login) -> None:
    login(StationHeadFactory())
    content = xlsx_bytes(ImportKind.STAFF, [staff("诸葛亮", "X-1", registered_on="2021-03-01")])
    response = upload(client, ImportKind.STAFF, content, name="staff.xlsx")
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    page = client.get(f"/imports/{run_id_of(response)}/preview").get_data(as_text=True)
    assert "诸葛亮" in page
    assert "共 1 行：1 行可以导入，0 行有问题。" in page


def test_xlsx_dates_and_numbers_typed_by_excel_are_read(client: FlaskClient, login: Login) -> None:
    login(StationHeadFactory())
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "出生日期", "联系电话"])
    sheet.append(["钱七", date(1950, 5, 6), 13912345678])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(client, ImportKind.SERVICE_USERS, buffer.getvalue(), name="people.xlsx")
    page = client.get(f"/imports/{run_id_of(response)}/preview").get_data(as_text=True)
    assert "1950-05-06" in page
    assert "139****5678" in page
    assert "0 行有问题" in page


def test_too_large_file_is_rejected(make_app, login: Login) -> None:  # type: ignore[no-untyped-def]
    app = make_app(IMPORT_MAX_BYTES=200)
    client = app.test_client()
    head = StationHeadFactory()
    client.post("/login", data={"username": head.username, "password": "correct-horse-battery"})
    rows = [volunteer(f"人{i}") for i in range(30)]
    response = upload(client, ImportKind.VOLUNTEERS, csv_bytes(ImportKind.VOLUNTEERS, rows))
    assert response.status_code == 422
    assert "文件过大" in response.get_data(as_text=True)
    with app.app_context():
        assert _count(ImportRun) == 0


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.7 something", "list.pdf", "只能导入 Excel（.xlsx）或 CSV 文件"),
        (b"\x89PNG\r\n\x1a\n....", "list.xlsx", "只能导入 Excel（.xlsx）或 CSV 文件"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "list.xls", "旧版 Excel"),
        ("名字,电话\n张三,1\n".encode(), "list.csv", "文件缺少必填的列：姓名"),
        ("姓名,志愿者类别\n".encode(), "list.csv", "文件中没有数据行"),
    ],
)
def test_unreadable_files_are_rejected_with_a_message(
    client: FlaskClient, login: Login, content: bytes, name: str, message: str
) -> None:
    login(StationHeadFactory())
    response = upload(client, ImportKind.VOLUNTEERS, content, name=name)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(ImportRun) == 0


def test_service_users_need_a_stated_consent_basis(client: FlaskClient, login: Login) -> None:
    login(StationHeadFactory())
    content = csv_bytes(ImportKind.SERVICE_USERS, [person("己", BORN, 8)])
    response = upload(client, ImportKind.SERVICE_USERS, content, consent_basis="")
    assert response.status_code == 422
    assert "必须说明个人信息处理依据" in response.get_data(as_text=True)
    assert _count(ImportRun) == 0
