"""On the demo city: the pilot page is not empty, and head1 finds her station's record."""

from __future__ import annotations

from bs4 import BeautifulSoup
from flask import Flask

from casework.demo import DEMO_PASSWORD


def test_the_demo_bureau_sees_its_pilot_units_and_the_same_figure(demo: Flask) -> None:
    client = demo.test_client()
    client.post("/login", data={"username": "bureau", "password": DEMO_PASSWORD})
    page = BeautifulSoup(client.get("/pilot/").get_data(as_text=True), "html.parser")
    dashboard = BeautifulSoup(client.get("/dashboard/bureau").get_data(as_text=True), "html.parser")
    names = [link.get_text(strip=True) for link in page.select("#pilot-cities li a")]
    assert names == ["朝阳区重庆街道社会工作服务中心", "湖西社区社会工作服务站", "长春市社会福利院"]
    figure = '[data-figure="workforce.certified"]'
    assert page.select_one(figure).get_text() == dashboard.select_one(figure).get_text()  # type: ignore[union-attr]


def test_the_demo_head_finds_her_stations_record(demo: Flask) -> None:
    client = demo.test_client()
    client.post("/login", data={"username": "head1", "password": DEMO_PASSWORD})
    body = client.get("/pilot/mine").get_data(as_text=True)
    assert "湖西社区社会工作服务站" in body
    assert "城乡社区试点" in body
