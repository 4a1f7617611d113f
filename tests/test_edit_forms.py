"""Every edit form of the demo data, submitted again unchanged, saves: never a 5xx, never a
refusal of what the system itself wrote.

Each demo account walks the app from its home page, following its links, and every page
that edits something already recorded (a form posting back to the page itself, on an
endpoint that is not one for creating) is submitted with exactly the values it shows.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from bs4.element import Tag
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from casework.demo import DEMO_PASSWORD, DEMO_USERNAMES

# Pages whose form makes something new, acts rather than edits, or is not about records.
NOT_EDITS = {
    "accounts.login",
    "accounts.change_password",
    "accounts.reset_password",
    "cases.break_glass",
    "helpdesk.convert",
    "calendar.feed",
    "imports.new",
    "search.results",
    "exports.people",
    "people.tags",  # adds a tag; the list of tags beside it has no form
    "api_tokens.index",  # makes a new token; the list beside it has no form
}
# Links a walk must not follow: they end the session, download files or change state.
SKIPPED_PREFIXES = ("/logout", "/locale", "/exports/", "/help", "/static/", "/search")
SKIPPED_ENDINGS = (".pdf", ".ics", ".csv", ".xlsx", "/download", "/template")
MAX_PAGES_PER_ACCOUNT = 1500


def _endpoint(app: Flask, path: str) -> str | None:
    try:
        endpoint, _args = app.url_map.bind("localhost").match(path, method="GET")
    except HTTPException:
        return None
    return str(endpoint)


def _is_edit(endpoint: str | None) -> bool:
    return endpoint is not None and ".new" not in endpoint and endpoint not in NOT_EDITS


def _links(html: str) -> list[str]:
    links = []
    for anchor in BeautifulSoup(html, "html.parser").select("a[href]"):
        href = str(anchor["href"])
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not href.startswith("/"):
            continue
        path = parts.path
        if path.startswith(SKIPPED_PREFIXES) or path.endswith(SKIPPED_ENDINGS):
            continue
        # Filters and later pages of a list lead to the same records.
        links.append(path)
    return links


def _self_posting_form(html: str, path: str) -> Tag | None:
    for form in BeautifulSoup(html, "html.parser").select("form"):
        if str(form.get("method", "get")).lower() != "post":
            continue
        action = urlsplit(str(form.get("action") or path)).path
        if action == path:
            return form
    return None


def _holds_a_record(form: Tag) -> bool:
    """A form showing something written before, rather than the blank form for a new one."""
    texts = form.select("textarea") + form.select('input[type="text"], input:not([type])')
    if any(field.get_text().strip() or str(field.get("value", "")).strip() for field in texts):
        return True
    chosen = 'option[selected]:not([value=""]), input[type="checkbox"][checked]'
    return bool(form.select(chosen + ', input[type="radio"][checked]'))


def _values(form: Tag) -> list[tuple[str, str]]:
    """What a browser would send for the form as it stands."""
    data: list[tuple[str, str]] = []
    for field in form.select("input[name], select[name], textarea[name]"):
        name = str(field["name"])
        if field.name == "textarea":
            # As in a browser: the line break right after <textarea> is not part of the text.
            text = field.get_text()
            data.append((name, text[2:] if text.startswith("\r\n") else text.removeprefix("\n")))
        elif field.name == "select":
            chosen = field.select("option[selected]") or field.select("option")[:1]
            data.extend((name, str(option.get("value", option.get_text()))) for option in chosen)
        else:
            kind = str(field.get("type", "text")).lower()
            if kind in ("submit", "button", "file", "reset", "image"):
                continue
            if kind in ("checkbox", "radio") and not field.has_attr("checked"):
                continue
            data.append((name, str(field.get("value", "on" if kind == "checkbox" else ""))))
    return data


Submit = Callable[[FlaskClient, str, list[tuple[str, str]], set[str]], "str | None"]


def _unchanged(
    client: FlaskClient, path: str, values: list[tuple[str, str]], _texts: set[str]
) -> str | None:
    saved = client.post(path, data=MultiDict(values))
    return None if saved.status_code == 302 else f"POST {path} unchanged: {saved.status_code}"


def _with_a_nul(
    client: FlaskClient, path: str, values: list[tuple[str, str]], texts: set[str]
) -> str | None:
    """The first text field's value with a NUL byte in it: refused with a message, not saved."""
    index = next((i for i, (name, _value) in enumerate(values) if name in texts), None)
    if index is None:
        return None
    name, value = values[index]
    changed = [*values[:index], (name, value + "\x00"), *values[index + 1 :]]
    refused = client.post(path, data=MultiDict(changed))
    if refused.status_code != 422 or "控制字符" not in refused.get_data(as_text=True):
        return f"POST {path} with a NUL in {name}: {refused.status_code}"
    return None


def _text_names(form: Tag) -> set[str]:
    fields = form.select('textarea[name], input[name][type="text"], input[name]:not([type])')
    return {str(field["name"]) for field in fields}


def _walk(
    app: Flask, client: FlaskClient, submit: Submit = _unchanged
) -> tuple[list[str], list[str]]:
    """Visit every page the account reaches; submit every edit form met on the way."""
    seen: set[str] = set()
    queue: deque[str] = deque(["/"])
    submitted: list[str] = []
    problems: list[str] = []
    while queue and len(seen) < MAX_PAGES_PER_ACCOUNT:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code >= 500:
            problems.append(f"GET {path}: {response.status_code}")
        if response.status_code != 200 or response.mimetype != "text/html":
            response.close()  # a download (an attachment, a PDF) holds its file open
            continue
        html = response.get_data(as_text=True)
        queue.extend(link for link in _links(html) if link not in seen)
        form = _self_posting_form(html, path)
        if form is None or not _is_edit(_endpoint(app, path)) or not _holds_a_record(form):
            continue
        submitted.append(path)
        problem = submit(client, path, _values(form), _text_names(form))
        if problem is not None:
            problems.append(problem)
    return submitted, problems


def test_every_edit_form_saves_when_submitted_unchanged(demo: Flask) -> None:
    submitted: dict[str, list[str]] = {}
    problems: list[str] = []
    for username in DEMO_USERNAMES:
        client = demo.test_client()
        signed_in = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
        assert signed_in.status_code == 302
        submitted[username], found = _walk(demo, client)
        problems += [f"{username}: {problem}" for problem in found]
    assert not problems, "\n".join(problems)
    # The walk reached the edit forms of every kind of record the demo holds.
    endpoints = {_endpoint(demo, path) for paths in submitted.values() for path in paths}
    expected = {
        "cases.edit",
        "cases.intake",
        "cases.assessment",
        "cases.plan",
        "cases.evaluation",
        "cases.closure",
        "cases.assign",
        "people.edit",
        "groups.plan",
        "groups.record",
        "groups.attendance",
        "activities.edit",
        "volunteers.edit",
        "supervision.edit",
        "helpdesk.profile",
        "workforce.edit_profile",
        "workforce.edit_post",
    }
    assert expected <= endpoints, sorted(expected - endpoints)


def test_a_control_character_in_any_edit_form_is_refused_with_a_message(demo: Flask) -> None:
    client = demo.test_client()
    client.post("/login", data={"username": "head1", "password": DEMO_PASSWORD})
    submitted, problems = _walk(demo, client, _with_a_nul)
    assert submitted
    assert not problems, "\n".join(problems)
