"""Every page shape of every demo role, and the public pages, is valid HTML (Nu checker)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections import deque
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from casework.demo import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
JAVA = shutil.which("java")
ROLES = ["admin", "bureau", "tutor", "head1", "worker1"]
NOT_PAGES = re.compile(
    r"^/(api|static|exports|attachments|calendar/feed/|logout)|\.(pdf|json|ics|csv|xlsx|zip)$"
    r"|/(pdf|zip|export)$"
)
FORMS_SENT_EMPTY = {
    "head1": ["/people/new", "/groups/new", "/activities/new", "/people/households/new"],
    "admin": ["/users/new"],
    "bureau": ["/projects/agencies/new", "/projects/new", "/pilot/units/new"],
    "tutor": ["/account/password"],
}
HREF = re.compile(r'<a\b[^>]*\bhref="(/[^"#]*)"')


def _vnu_jar() -> Path | None:
    """The checker `make vnu` fetched (CASEWORK_VNU_JAR names it when make runs the tests)."""
    named = os.environ.get("CASEWORK_VNU_JAR")
    if named:
        return Path(named) if Path(named).is_file() else None
    found = sorted(ROOT.glob(".cache/vnu-*/vnu.jar"))
    return found[-1] if found else None


def _shape(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/{n}", urlsplit(path).path)


def _crawl(client: FlaskClient, start: str, pages: dict[str, str], label: str) -> None:
    """Fetch one page of each shape reachable by links from ``start``."""
    seen = {_shape(start)}
    queue = deque([start])
    while queue:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        pages[f"{label} {path}"] = html
        for link in HREF.findall(html):
            link = link.replace("&amp;", "&")
            if NOT_PAGES.search(urlsplit(link).path) or _shape(link) in seen:
                continue
            seen.add(_shape(link))
            queue.append(link)


def _sign_in(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, username
    return client


def _public_pages(app: Flask) -> dict[str, str]:
    client = app.test_client()
    pages: dict[str, str] = {}
    for path in ["/login", "/help", "/help/status", "/help/privacy", "/no-such-page"]:
        pages[f"public {path}"] = client.get(path).get_data(as_text=True)
    station = re.search(r'href="/help\?station=(\d+)"', pages["public /help"])
    if station:
        path = f"/help?station={station.group(1)}"
        pages[f"public {path}"] = client.get(path).get_data(as_text=True)
        # The form as it comes back with every error shown.
        answer = client.post("/help", data={"station": station.group(1)})
        pages["public /help (errors)"] = answer.get_data(as_text=True)
        # A real request: the one-time code page, then its status with the timeline.
        sent = client.post(
            "/help",
            data={
                "station": station.group(1),
                "category": "livelihood",
                "description": "家里老人行动不便，想申请上门探访服务",
                "contact_preference": "online_only",
                "consent": "y",
            },
        )
        assert sent.status_code == 303, sent.get_data(as_text=True)[:2000]
        shown = client.get("/help/submitted").get_data(as_text=True)
        code = re.search(r'id="tracking-code">\s*([0-9A-Z-]+)\s*<', shown)
        assert code, "no tracking code shown"
        pages["public /help/submitted"] = shown
        found = client.post("/help/status", data={"code": code.group(1)})
        assert found.status_code == 200
        assert 'class="timeline' in found.get_data(as_text=True), "no timeline shown"
        pages["public /help/status (found)"] = found.get_data(as_text=True)
    pages["public /help/status (errors)"] = client.post(
        "/help/status", data={"code": "?"}
    ).get_data(as_text=True)
    pages["public /login (errors)"] = client.post(
        "/login", data={"username": "nobody", "password": "wrong"}
    ).get_data(as_text=True)
    elder = app.test_client()
    elder.set_cookie("elder_mode", "1")
    pages["public /help (elder)"] = elder.get("/help").get_data(as_text=True)
    english = app.test_client()
    english.post("/locale", data={"locale": "en", "next": "/help"})
    pages["public /help (en)"] = english.get("/help").get_data(as_text=True)
    return pages


def _nu_errors(pages: dict[str, str], folder: Path) -> list[str]:
    jar = _vnu_jar()
    if jar is None:
        pytest.fail("vnu.jar is missing: run `make vnu` (it fetches the Nu checker from npm)")
    names = {}
    for number, (label, html) in enumerate(pages.items()):
        file = folder / f"page-{number}.html"
        file.write_text(html, encoding="utf-8")
        names[file.name] = label
    files = [str(folder / f"page-{number}.html") for number in range(len(pages))]
    checked = subprocess.run(  # noqa: S603 - our own command line, no shell
        [JAVA or "java", "-jar", str(jar), "--errors-only", "--format", "json", "--stdout", *files],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    try:
        messages = json.loads(checked.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"the checker gave no report (exit {checked.returncode}): {checked.stderr}")
    # Errors, and what stopped a page being checked at all (non-document-error: an
    # unreadable file, a checker fault); warnings were not asked for.
    found = sorted(
        f"{names.get(message.get('url', '').rsplit('/', 1)[-1], message.get('url'))}: "
        f"{message['type']} {message.get('message', '')}"
        f" «{message.get('extract', '').strip()[:80]}»"
        for message in messages
        if message["type"] in ("error", "non-document-error")
    )
    if checked.returncode != 0 and not found:
        found.append(f"the checker exited {checked.returncode}: {checked.stderr.strip()[:500]}")
    return found


def _structure_problems(pages: dict[str, str]) -> list[str]:
    """What the checker allows but the pages must have: one h1, a main landmark, a lang."""
    problems = []
    for label, html in pages.items():
        headings = len(re.findall(r"<h1\b", html))
        if headings != 1:
            problems.append(f"{label}: {headings} h1 elements")
        if len(re.findall(r"<main\b", html)) != 1:
            problems.append(f"{label}: no single main element")
        expected = "en" if label.endswith("(en)") else "zh-CN"
        if f'<html lang="{expected}"' not in html:
            problems.append(f"{label}: lang is not {expected}")
    return problems


@pytest.mark.skipif(JAVA is None, reason="java is not installed: the Nu HTML checker needs it")
def test_every_page_shape_is_valid_html(make_app: Callable[..., Flask], tmp_path: Path) -> None:
    app = make_app(DEMO=True)
    result = app.test_cli_runner().invoke(args=["casework", "seed-demo"])
    assert result.exit_code == 0, result.output
    pages = _public_pages(app)
    for username in ROLES:
        client = _sign_in(app, username)
        _crawl(client, "/", pages, username)
        # Staff forms as they come back with every error shown.
        for path in FORMS_SENT_EMPTY.get(username, []):
            refused = client.post(path, data={})
            assert refused.status_code == 422, path
            pages[f"{username} {path} (errors)"] = refused.get_data(as_text=True)
        if username == "bureau":
            created = client.post("/dashboard/displays", data={"label": "大厅"})
            wall = re.search(
                r'value="https?://[^/"]+(/wall/[^"]+)"', created.get_data(as_text=True)
            )
            assert wall, "no wall screen address"
            pages["wall screen"] = app.test_client().get(wall.group(1)).get_data(as_text=True)
    assert len(pages) > 150
    problems = _structure_problems(pages) + _nu_errors(pages, tmp_path)
    assert problems == []
