"""The floor: the thinnest Flask app that serves the benchmark's rows with raw SQL.

No login, no permissions, no audit, no ORM, one minimal template per page: what is left is
the cost of HTTP, WSGI, the queries themselves and rendering the rows. ``make bench``
measures the real app against this, on the same database, in the same run.

    BENCH_FLOOR_DATABASE_URL=sqlite:////path/to.db gunicorn bench.floor_app:app
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from datetime import UTC, datetime
from typing import Any

from flask import Flask, abort, redirect, request
from jinja2 import Environment

URL = os.environ.get("BENCH_FLOOR_DATABASE_URL", "")
PER_PAGE = 25
SEARCH_LIMIT = 20
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

app = Flask(__name__)
templates = Environment(autoescape=True)

_connection: Any = None


def connection() -> Any:
    """One connection per worker process, opened after the fork."""
    global _connection
    if _connection is None:
        if URL.startswith("sqlite:///"):
            _connection = sqlite3.connect(URL.removeprefix("sqlite:///"), check_same_thread=False)
            _connection.execute("PRAGMA busy_timeout=5000")
            _connection.execute("PRAGMA journal_mode=WAL")
            _connection.execute("PRAGMA synchronous=NORMAL")
        else:
            import psycopg

            conninfo = URL.replace("postgresql+psycopg://", "postgresql://", 1)
            _connection = psycopg.connect(conninfo, autocommit=True)
    return _connection


def is_sqlite() -> bool:
    return URL.startswith("sqlite:///")


def query(sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if not is_sqlite():
        sql = sql.replace("?", "%s")
    cursor = connection().execute(sql, params)
    return list(cursor.fetchall())


LAYOUT = """<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>{{ title }}</title>
<body><h1>{{ title }}</h1>{% block body %}{% endblock %}</body></html>"""

CASELOAD = templates.from_string(
    LAYOUT.replace(
        "{% block body %}{% endblock %}",
        """<p>共 {{ total }} 个个案</p><table>
{% for id, number, status, risk, opened, last, name in rows %}
<tr><td><a href="/cases/{{ id }}">{{ number }}</a></td><td>{{ name }}</td><td>{{ status }}</td>
<td>{{ risk }}</td><td>{{ opened }}</td><td>{{ last or "" }}</td></tr>{% endfor %}</table>""",
    )
)
CASE = templates.from_string(
    LAYOUT.replace(
        "{% block body %}{% endblock %}",
        """<p>{{ case[1] }} · {{ case[2] }} · {{ case[3] }} · {{ case[4] }}</p>
<h2>服务记录</h2>{% for served, form, minutes, content, response, next_step in records %}
<article><h3>{{ served }} {{ form }} {{ minutes }}分钟</h3><p>{{ content }}</p>
<p>{{ response }}</p><p>{{ next_step }}</p></article>{% endfor %}
<h2>流程</h2><ol>{% for action, to_status, at in transitions %}
<li>{{ at }} {{ action }} → {{ to_status }}</li>{% endfor %}</ol>""",
    )
)
RESULTS = templates.from_string(
    LAYOUT.replace(
        "{% block body %}{% endblock %}",
        """<ul>{% for row in rows %}<li>{{ row|join(" · ") }}</li>{% endfor %}</ul>""",
    )
)
HELP_FORM = templates.from_string(
    LAYOUT.replace(
        "{% block body %}{% endblock %}",
        """<form method="post"><input type="hidden" name="station" value="{{ station[0] }}">
<p>{{ station[1] }}</p><textarea name="description"></textarea>
<input name="name"><input name="phone"><button>提交</button></form>""",
    )
)


@app.get("/cases/")
def caseload() -> str:
    unit_id = request.args.get("unit", type=int)
    page = max(1, request.args.get("page", 1, type=int))
    rows = query(
        "SELECT c.id, c.number, c.status, c.risk_level, c.opened_on, c.last_service_on, p.name"
        " FROM cases c JOIN service_users p ON p.id = c.service_user_id"
        " WHERE c.unit_id = ? ORDER BY c.opened_on DESC, c.id DESC LIMIT ? OFFSET ?",
        (unit_id, PER_PAGE, (page - 1) * PER_PAGE),
    )
    total = query("SELECT count(*) FROM cases WHERE unit_id = ?", (unit_id,))[0][0]
    return CASELOAD.render(title="个案", rows=rows, total=total)


@app.get("/cases/<int:case_id>")
def case_page(case_id: int) -> str:
    found = query(
        "SELECT c.id, c.number, c.status, p.name, c.summary FROM cases c"
        " JOIN service_users p ON p.id = c.service_user_id WHERE c.id = ?",
        (case_id,),
    )
    if not found:
        abort(404)
    records = query(
        "SELECT served_on, form, duration_minutes, content, response, next_step"
        " FROM service_records WHERE case_id = ? ORDER BY served_on, id",
        (case_id,),
    )
    transitions = query(
        "SELECT action, to_status, at FROM case_transitions WHERE case_id = ? ORDER BY id",
        (case_id,),
    )
    return CASE.render(title=found[0][1], case=found[0], records=records, transitions=transitions)


@app.post("/search")
def search() -> str:
    """LIKE scans within one unit, as the scoped search would be without an index."""
    unit_id = request.args.get("unit", type=int)
    kind = request.args.get("kind", "name")
    pattern = "%" + request.form.get("q", "") + "%"
    if kind == "phrase":
        rows = query(
            "SELECT r.id, c.number, r.served_on, substr(r.content, 1, 60)"
            " FROM service_records r JOIN cases c ON c.id = r.case_id"
            " WHERE c.unit_id = ? AND r.content LIKE ? ORDER BY r.served_on DESC LIMIT ?",
            (unit_id, pattern, SEARCH_LIMIT),
        )
    else:
        column = "id_number" if kind == "id" else "name"
        rows = query(
            f"SELECT id, name, id_number, phone FROM service_users"  # noqa: S608
            f" WHERE unit_id = ? AND {column} LIKE ? ORDER BY name LIMIT ?",
            (unit_id, pattern, SEARCH_LIMIT),
        )
    return RESULTS.render(title="搜索", rows=rows)


@app.get("/help")
def help_form() -> str:
    station = query(
        "SELECT id, name FROM units WHERE id = ?", (request.args.get("station", type=int),)
    )
    if not station:
        abort(404)
    return HELP_FORM.render(title="求助", station=station[0])


@app.post("/help")
def help_submit() -> Any:
    now = datetime.now(UTC)
    stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f") if is_sqlite() else now
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    form = request.form
    db = connection()
    insert = (
        "INSERT INTO help_requests (tracking_code, unit_id, channel, category, description,"
        " name, phone, contact_preference, consent_at, status, submitted_at, created_at,"
        " updated_at) VALUES (?, ?, 'web', ?, ?, ?, ?, ?, ?, 'new', ?, ?, ?)"
    )
    params = (
        code,
        int(form["station"]),
        form.get("category", "other"),
        form.get("description", ""),
        form.get("name") or None,
        # The app stores phones encrypted; the floor has no key, so it keeps none (a plain
        # number would be unreadable to the app's pages in the same run).
        None,
        form.get("contact_preference", "online_only"),
        stamp,
        stamp,
        stamp,
        stamp,
    )
    if is_sqlite():
        with db:
            cursor = db.execute(insert, params)
            db.execute(
                "INSERT INTO help_request_events (request_id, kind, at, body, is_public)"
                " VALUES (?, 'submitted', ?, '', 1)",
                (cursor.lastrowid, stamp),
            )
    else:
        with db.transaction():
            request_id = db.execute(insert.replace("?", "%s") + " RETURNING id", params).fetchone()[
                0
            ]
            db.execute(
                "INSERT INTO help_request_events (request_id, kind, at, body, is_public)"
                " VALUES (%s, 'submitted', %s, '', true)",
                (request_id, stamp),
            )
    return redirect("/help/submitted", code=303)


@app.get("/healthz")
def health() -> str:
    return "ok"
