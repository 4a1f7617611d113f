# The benchmark starts the venv's own tools and wrk with arguments it builds itself.
# ruff: noqa: S603, S607
"""``make bench``: the real app under gunicorn against wrk, beside a floor app, one table.

Settings (environment):
  BENCH_SCALE        province (default), city or station
  BENCH_DB           sqlite (default), postgresql (database casework_bench on 127.0.0.1),
                     or both: one run on each, then a table of the two side by side
  BENCH_SEED         seed of the generated data (default 1)
  BENCH_WORKERS      gunicorn sync workers (default 2)
  BENCH_CONNECTIONS  wrk connections per worker (default 2)
  BENCH_DURATION     seconds per scenario (default 10)
  BENCH_ONLY         comma-separated scenario names to run (default: all)

The generated database is kept in bench/.cache and reused while the scale, seed and schema
revision stay the same. Results are also written to bench/results/ as JSON.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
# The app's own modules (the data key, the audit chain) are used to discover and clean up.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
BIN = ROOT / ".venv" / "bin"
CACHE = ROOT / "bench" / ".cache"
RESULTS = ROOT / "bench" / "results"
WRK_SCRIPT = ROOT / "bench" / "wrk.lua"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/casework_bench"
APP_PORT = 5081
FLOOR_PORT = 5082
PASSWORD = "casework-bench"  # noqa: S105  (casework.generate.scales.STAFF_PASSWORD)
RATE_LIMIT_OFF = "1000000 per minute"

SCALE = os.environ.get("BENCH_SCALE", "province")
DB_KIND = os.environ.get("BENCH_DB", "sqlite")
SEED = int(os.environ.get("BENCH_SEED", "1"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "2")) * WORKERS
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
ONLY = {name for name in os.environ.get("BENCH_ONLY", "").split(",") if name}


def say(message: str) -> None:
    print(f"bench: {message}", flush=True)


# --- the database -------------------------------------------------------------------------


def flask_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        FLASK_APP="wsgi:app",
        CASEWORK_DATABASE_URL=url,
        CASEWORK_DEMO="0",
        CASEWORK_INSTANCE_PATH=str(CACHE / "instance"),
    )
    return env


def flask(url: str, *args: str) -> None:
    subprocess.run([str(BIN / "flask"), *args], env=flask_env(url), cwd=ROOT, check=True)


def head_revision() -> str:
    out = subprocess.run(
        [str(BIN / "flask"), "db", "heads"],
        env=flask_env("sqlite://"),
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    match = re.search(r"([0-9a-f]{12})", out)
    return match.group(1) if match else "unknown"


def dataset_key() -> str:
    """Scale, seed and a digest of the generator's code: what decides the generated rows.

    The schema is not part of the key: a cached database is brought to the current schema
    by the migrations (``upgrade``), as a real installation would be.
    """
    digest = hashlib.sha256()
    for source in sorted((ROOT / "casework" / "generate").glob("*.py")):
        digest.update(source.read_bytes())
    return f"{SCALE}-s{SEED}-{digest.hexdigest()[:8]}"


def upgrade(url: str, stamp: Path) -> None:
    """Bring a cached database to the current schema (migrations fill derived tables)."""
    head = head_revision()
    if stamp.exists() and stamp.read_text().strip() == head:
        return
    started = time.perf_counter()
    flask(url, "db", "upgrade")
    say(f"migrated the cached database to {head} in {time.perf_counter() - started:.0f} s")
    stamp.write_text(head)


def build(url: str) -> None:
    flask(url, "db", "upgrade")
    flask(url, "casework", "load-reference")
    started = time.perf_counter()
    flask(url, "casework", "generate", "--scale", SCALE, "--seed", str(SEED))
    say(f"generated the {SCALE} dataset in {time.perf_counter() - started:.0f} s")


def prepare_database() -> str:
    """The URL of a generated database for this scale and seed, built if missing."""
    CACHE.mkdir(parents=True, exist_ok=True)
    key = dataset_key()
    if DB_KIND == "sqlite":
        path = CACHE / f"casework-{key}.db"
        url = f"sqlite:///{path}"
        head_stamp = path.with_suffix(".head")
        if path.exists():
            say(f"reusing {path.relative_to(ROOT)}")
            upgrade(url, head_stamp)
            return url
        building = path.with_name(path.stem + ".building.db")
        for leftover in CACHE.glob(building.name + "*"):
            leftover.unlink()
        say(f"generating the {SCALE} dataset into {path.relative_to(ROOT)} (once)")
        build(f"sqlite:///{building}")
        connection = sqlite3.connect(building)
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()
        building.rename(path)
        for leftover in CACHE.glob(building.name + "-*"):
            leftover.unlink()
        head_stamp.write_text(head_revision())
        return url
    if DB_KIND != "postgresql":
        raise SystemExit(f"BENCH_DB must be sqlite, postgresql or both, not {DB_KIND!r}")
    stamp = CACHE / "postgresql.key"
    head_stamp = CACHE / "postgresql.head"
    if stamp.exists() and stamp.read_text().strip() == key and _pg_has_data():
        say("reusing database casework_bench")
        upgrade(PG_URL, head_stamp)
        return PG_URL
    stamp.unlink(missing_ok=True)
    say(f"generating the {SCALE} dataset into database casework_bench (once)")
    _pg_recreate()
    build(PG_URL)
    stamp.write_text(key)
    head_stamp.write_text(head_revision())
    return PG_URL


def _pg_admin(sql: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(PG_URL.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(sql))
    engine.dispose()


def _pg_recreate() -> None:
    _pg_admin("DROP DATABASE IF EXISTS casework_bench WITH (FORCE)")
    _pg_admin("CREATE DATABASE casework_bench")


def _pg_has_data() -> bool:
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(PG_URL)
        with engine.connect() as connection:
            found = connection.execute(text("SELECT count(*) FROM units")).scalar()
        engine.dispose()
    except Exception:
        return False
    return bool(found)


# --- who and what the scenarios use -------------------------------------------------------


@dataclass
class Subjects:
    worker: str
    unit_id: int
    long_case: int
    long_cases: list[int]
    tutor: str
    bureau: str
    city_unit: int
    root_bureau: str | None
    root_unit: int | None
    name: str
    pinyin: str
    initials: str
    phrase: str
    id_fragment: str
    station: int


def discover(url: str) -> Subjects:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:

        def one(sql: str, **params: Any) -> Any:
            return connection.execute(text(sql), params).first()

        worker = "worker-g0101-01-01-1"
        unit_id, worker_id = one("SELECT unit_id, id FROM users WHERE username = :u", u=worker)
        long_cases = [
            row[0]
            for row in connection.execute(
                text(
                    "SELECT c.id FROM cases c WHERE c.worker_id = :w AND"
                    " (SELECT count(*) FROM service_records r WHERE r.case_id = c.id) >= 50"
                    " ORDER BY c.id LIMIT 8"
                ),
                {"w": worker_id},
            )
        ]
        long_case = long_cases[0]
        (tutor,) = one(
            "SELECT u.username FROM users u JOIN tutor_units t ON t.user_id = u.id"
            " WHERE t.unit_id = :unit ORDER BY u.id LIMIT 1",
            unit=unit_id,
        )
        bureau, city_unit = one(
            "SELECT u.username, n.id FROM users u JOIN units n ON n.id = u.unit_id"
            " WHERE u.role = 'bureau_viewer' AND n.kind = 'city_bureau' ORDER BY u.id LIMIT 1"
        )
        root = one(
            "SELECT u.username, n.id FROM users u JOIN units n ON n.id = u.unit_id"
            " WHERE u.role = 'bureau_viewer' AND n.kind = 'province_bureau' ORDER BY u.id LIMIT 1"
        )
        (name,) = one(
            "SELECT name FROM service_users WHERE unit_id = :unit AND length(name) = 2"
            " GROUP BY name ORDER BY count(*) DESC, name LIMIT 1",
            unit=unit_id,
        )
        (stored_id_number,) = one(
            "SELECT id_number FROM service_users WHERE unit_id = :unit"
            " AND id_number IS NOT NULL ORDER BY id LIMIT 1",
            unit=unit_id,
        )
    engine.dispose()
    # ID numbers are encrypted at rest (casework.core.crypto) with the instance's data key.
    from casework.core import crypto

    key = crypto.parse_key((CACHE / "instance" / "data_key").read_text().strip())
    id_number = crypto.decrypt(stored_id_number, "id_number", {key.id: key})
    try:
        from pypinyin import lazy_pinyin

        syllables = lazy_pinyin(name)
    except ImportError:
        syllables = []
    pinyin = "".join(syllables)
    initials = "".join(syllable[0] for syllable in syllables)
    return Subjects(
        worker=worker,
        unit_id=unit_id,
        long_case=long_case,
        long_cases=long_cases,
        tutor=tutor,
        bureau=bureau,
        city_unit=city_unit,
        root_bureau=root[0] if root else None,
        root_unit=root[1] if root else None,
        name=name,
        pinyin=pinyin,
        initials=initials,
        phrase="独居",
        id_fragment=id_number[-6:],
        station=unit_id,
    )


# --- servers ------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    hwm_after: dict[str, int] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> list[int]:
        children = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                text_ = status.read_text()
            except OSError:
                continue
            if re.search(rf"^PPid:\s+{self.process.pid}$", text_, re.MULTILINE):
                children.append(int(status.parent.name))
        return sorted(children)

    def peak_rss_mb(self) -> list[float]:
        """VmHWM (peak resident memory) of each worker, in MB."""
        peaks = []
        for pid in self.workers():
            try:
                text_ = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"^VmHWM:\s+(\d+) kB", text_, re.MULTILINE)
            if match:
                peaks.append(int(match.group(1)) / 1024)
        return peaks

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start(name: str, module: str, port: int, env: dict[str, str]) -> Server:
    RESULTS.mkdir(parents=True, exist_ok=True)
    log = (RESULTS / f"gunicorn-{name}.log").open("wb")
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            # No recycling during a run: a worker restarting mid-scenario would be measured.
            "--max-requests",
            "0",
            module,
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = Server(name, port, process)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(server.base + "/healthz", timeout=5):  # noqa: S310
                return server
        except OSError:
            time.sleep(0.3)
    server.stop()
    raise SystemExit(f"{name} did not start; see {log.name}")


# --- sessions -----------------------------------------------------------------------------

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Browser:
    """A cookie-keeping client, to log in and pick up CSRF tokens for wrk."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: Any, **kwargs: Any) -> None:
                return None

        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=120) as response:
            return str(response.read().decode("utf-8", "replace"))

    def post(self, path: str, fields: dict[str, str]) -> int:
        data = urllib.parse.urlencode(fields).encode()
        try:
            with self.opener.open(self.base + path, data=data, timeout=120) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    def token(self, path: str) -> str:
        match = CSRF.search(self.get(path))
        if not match:
            raise SystemExit(f"no CSRF token on {path}")
        return match.group(1)

    @property
    def cookie(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


WALL_URL = re.compile(r'id="wall-url" value="[^"]*?(/wall/[^"]+)"')


def wall_path(bureau: Browser) -> str:
    """A new wall screen address of the bureau viewer's unit, made through its page."""
    token = bureau.token("/dashboard/displays")
    data = urllib.parse.urlencode({"csrf_token": token, "label": "benchmark"}).encode()
    with bureau.opener.open(bureau.base + "/dashboard/displays", data=data, timeout=120) as page:
        match = WALL_URL.search(page.read().decode("utf-8", "replace"))
    if not match:
        raise SystemExit("no wall screen address on /dashboard/displays")
    return match.group(1)


def logged_in(base: str, username: str) -> Browser:
    browser = Browser(base)
    token = browser.token("/login")
    status = browser.post(
        "/login", {"csrf_token": token, "username": username, "password": PASSWORD}
    )
    if status != 302:
        raise SystemExit(f"could not log in as {username} (HTTP {status})")
    return browser


# --- scenarios ----------------------------------------------------------------------------


@dataclass
class Request:
    method: str
    path: str
    body: str = ""
    cookie: str = ""


@dataclass
class Result:
    rps: float
    p50: float
    p95: float
    p99: float
    errors: int
    requests: int
    statuses: dict[str, int]

    @classmethod
    def parse(cls, output: str) -> Result:
        line = next(line for line in output.splitlines() if line.startswith("BENCH_RESULT "))
        data = json.loads(line.removeprefix("BENCH_RESULT "))
        statuses = {str(k): int(v) for k, v in data["statuses"].items()}
        socket_errors = data["connect"] + data["read"] + data["write"] + data["timeout"]
        return cls(
            rps=data["requests"] / (data["duration_us"] / 1e6),
            p50=data["p50"] / 1000,
            p95=data["p95"] / 1000,
            p99=data["p99"] / 1000,
            errors=data["status"] + socket_errors,
            requests=data["requests"],
            statuses=statuses,
        )


def wrk(base: str, request: Request, duration: int = DURATION) -> Result:
    for _ in range(3):  # warm the caches and the worker's imports
        warm = urllib.request.Request(  # noqa: S310
            base + request.path,
            data=request.body.encode() if request.body else None,
            headers={"Cookie": request.cookie} if request.cookie else {},
            method=request.method,
        )
        if request.body:
            warm.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with urllib.request.urlopen(warm, timeout=120):  # noqa: S310
                pass
        except OSError:
            pass
    env = dict(os.environ)
    env.update(
        BENCH_METHOD=request.method,
        BENCH_PATH=request.path,
        BENCH_BODY=request.body,
        BENCH_COOKIE=request.cookie,
    )
    out = subprocess.run(
        [
            "wrk",
            f"-t{min(WORKERS, CONNECTIONS)}",
            f"-c{CONNECTIONS}",
            f"-d{duration}s",
            "--timeout",
            "30s",
            "-s",
            str(WRK_SCRIPT),
            base + "/",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return Result.parse(out)


@dataclass
class Scenario:
    name: str
    label: str
    app: Request
    floor: Request | None = None
    target: str = ""
    # Slow pages need longer than the default for a few requests to complete.
    min_duration: int = 0


def form(fields: dict[str, str]) -> str:
    return urllib.parse.urlencode(fields)


def scenarios(app: Server, subjects: Subjects) -> list[Scenario]:
    worker = logged_in(app.base, subjects.worker)
    worker_token = worker.token("/search/")
    tutor = logged_in(app.base, subjects.tutor)
    bureau = logged_in(app.base, subjects.bureau)
    root_bureau = logged_in(app.base, subjects.root_bureau) if subjects.root_bureau else None
    anonymous = Browser(app.base)
    login_token = anonymous.token("/login")
    resident = Browser(app.base)
    help_token = resident.token(f"/help?station={subjects.station}")
    unit = subjects.unit_id
    year = datetime.now(ZoneInfo("Asia/Shanghai")).year

    def search(query: str, kind: str) -> tuple[Request, Request]:
        body = form({"csrf_token": worker_token, "q": query, "section": "all"})
        return (
            Request("POST", "/search/", body, worker.cookie),
            Request("POST", f"/search?unit={unit}&kind={kind}", form({"q": query})),
        )

    help_fields = {
        "station": str(subjects.station),
        "category": "livelihood",
        "description": "家里老人独居，腿脚不便，想申请上门照料服务。",
        "name": "王阿姨",
        "phone": "13912345678",
        "contact_preference": "phone",
        "consent": "y",
        "website": "",
    }
    result = [
        Scenario(
            "login",
            "登录 login",
            Request(
                "POST",
                "/login",
                form(
                    {
                        "csrf_token": login_token,
                        "username": subjects.worker,
                        "password": PASSWORD,
                    }
                ),
                anonymous.cookie,
            ),
        ),
        Scenario(
            "caseload",
            "个案列表 caseload list",
            Request("GET", "/cases/", cookie=worker.cookie),
            Request("GET", f"/cases/?unit={unit}"),
            "p95 ≤ 50 ms, ≥ ½ floor req/s",
        ),
        Scenario(
            "case",
            "个案页（50 条记录）case page",
            Request("GET", f"/cases/{subjects.long_case}", cookie=worker.cookie),
            Request("GET", f"/cases/{subjects.long_case}"),
            "p95 ≤ 80 ms",
        ),
    ]
    for name, label, query, kind in (
        ("search_name", f"搜索姓名 {subjects.name}", subjects.name, "name"),
        ("search_pinyin", f"搜索拼音 {subjects.pinyin}", subjects.pinyin, "name"),
        ("search_initials", f"搜索拼音首字母 {subjects.initials}", subjects.initials, "name"),
        ("search_phrase", f"搜索短语 {subjects.phrase}", subjects.phrase, "phrase"),
        ("search_id", f"搜索证件号片段 {subjects.id_fragment}", subjects.id_fragment, "id"),
    ):
        app_request, floor_request = search(query, kind)
        result.append(
            Scenario(
                name,
                label,
                app_request,
                None if name in ("search_pinyin", "search_initials") else floor_request,
                "p95 ≤ 100 ms",
            )
        )
    result += [
        Scenario(
            "tutor",
            "督导工作台 tutor dashboard",
            Request("GET", "/dashboard/tutor", cookie=tutor.cookie),
            target="p95 ≤ 300 ms",
        ),
        Scenario(
            "statistics",
            "市级统计（本年）city statistics",
            Request(
                "GET",
                f"/reports/?unit={subjects.city_unit}&start={year}-01-01&end={year}-12-31",
                cookie=bureau.cookie,
            ),
            target="p95 ≤ 300 ms",
        ),
    ]
    wall = wall_path(bureau)
    result += [
        Scenario(
            "bureau_dashboard",
            "数据看板（本月）bureau dashboard",
            Request("GET", "/dashboard/bureau", cookie=bureau.cookie),
            target="p95 ≤ 300 ms",
        ),
        Scenario(
            "wall",
            "数据大屏 wall screen",
            Request("GET", wall),
            target="p95 ≤ 300 ms",
        ),
        Scenario(
            "wall_json",
            "数据大屏刷新 wall figures (JSON)",
            Request("GET", f"{wall}/data.json"),
            target="p95 ≤ 300 ms",
        ),
    ]
    if root_bureau is not None:
        result.append(
            Scenario(
                "statistics_root",
                "省级统计（本年）province statistics",
                Request(
                    "GET",
                    f"/reports/?unit={subjects.root_unit}&start={year}-01-01&end={year}-12-31",
                    cookie=root_bureau.cookie,
                ),
                target="p95 ≤ 300 ms",
            )
        )
    result += [
        Scenario(
            "pdf",
            "个案档案 PDF（同一份）case file",
            Request("GET", f"/cases/{subjects.long_case}/file.pdf", cookie=worker.cookie),
            target="p95 ≤ 1.5 s, ≤ 300 MB",
            min_duration=20,
        ),
        Scenario(
            "help_form",
            "求助表单 help form (GET)",
            Request("GET", f"/help?station={subjects.station}", cookie=resident.cookie),
            Request("GET", f"/help?station={subjects.station}"),
        ),
        Scenario(
            "help_submit",
            "提交求助 help form (POST)",
            Request(
                "POST", "/help", form({"csrf_token": help_token, **help_fields}), resident.cookie
            ),
            Request("POST", "/help", form(help_fields)),
            "≥ 300/s, none lost",
        ),
    ]
    if not subjects.pinyin:
        result = [s for s in result if s.name not in ("search_pinyin", "search_initials")]
    return result


def cold_pdfs(app: Server, subjects: Subjects) -> dict[str, Any]:
    """Case files of different cases one after another, none of them rendered before: the
    render itself, without the cache of rendered documents."""
    worker = logged_in(app.base, subjects.worker)
    seconds = []
    for case_id in subjects.long_cases:
        started = time.perf_counter()
        worker.get(f"/cases/{case_id}/file.pdf")
        seconds.append(time.perf_counter() - started)
    seconds.sort()
    milliseconds = [value * 1000 for value in seconds]
    result = Result(
        rps=len(seconds) / sum(seconds),
        p50=milliseconds[len(milliseconds) // 2],
        p95=milliseconds[-1],
        p99=milliseconds[-1],
        errors=0,
        requests=len(seconds),
        statuses={},
    )
    return {
        "name": "pdf_cold",
        "label": "PDF 首次生成 one render, uncached",
        "target": "≤ 500 ms",
        "app": result.__dict__,
        "floor": None,
        "extra": {"renders": len(seconds)},
        "verdict": "met" if result.p50 <= 500 else "NOT met",
        "load": Path("/proc/loadavg").read_text().strip(),
    }


def search_available(app: Server, subjects: Subjects) -> bool:
    try:
        logged_in(app.base, subjects.worker).get("/search/")
    except urllib.error.HTTPError:
        return False
    return True


# Tables the scenarios append to (help-form submissions by the app and the floor, audit
# entries of page views). Rows above the ids they had before the run are deleted after it,
# so that every run meets the same data: otherwise each run's tens of thousands of help
# requests would slow the next run's statistics.
APPENDED_TABLES = ("help_request_events", "help_requests", "audit_entries")
REQUEST_MEASURES = ("--measure", "requests.submitted", "--measure", "requests.answered")


def high_water_marks(url: str) -> dict[str, int]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        marks = {
            table: int(connection.execute(text(f"SELECT max(id) FROM {table}")).scalar() or 0)  # noqa: S608
            for table in APPENDED_TABLES
        }
    engine.dispose()
    return marks


def remove_rows_above(url: str, marks: dict[str, int]) -> None:
    from sqlalchemy import create_engine, text

    from casework.core.audit_chain import guard_lifted, rewind_head

    engine = create_engine(url)
    # The audit log is append-only; the benchmark's own copy is put back as it was, with the
    # chain's head on the last entry kept.
    with engine.begin() as connection, guard_lifted(connection):
        # Without the app's pragmas SQLite does not cascade: the page views' disclosures go
        # with their audit entries here, or the next run's entries would reuse their ids.
        connection.execute(
            text("DELETE FROM audit_disclosures WHERE entry_id > :mark"),
            {"mark": marks["audit_entries"]},
        )
        for table in APPENDED_TABLES:
            statement = f"DELETE FROM {table} WHERE id > :mark"  # noqa: S608 (fixed names)
            connection.execute(text(statement), {"mark": marks[table]})
        rewind_head(connection)
    engine.dispose()
    # The submissions were counted in the statistics' summaries as they were stored.
    flask(url, "casework", "rebuild-summaries", *REQUEST_MEASURES)


def help_request_count(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        count = int(connection.execute(text("SELECT count(*) FROM help_requests")).scalar() or 0)
    engine.dispose()
    return count


# --- the report ---------------------------------------------------------------------------


def verdict(name: str, app: Result, floor: Result | None, extra: dict[str, Any]) -> str:
    checks: list[bool] = []
    if name == "caseload":
        checks = [app.p95 <= 50, floor is not None and app.rps >= floor.rps / 2]
    elif name == "case":
        checks = [app.p95 <= 80]
    elif name.startswith("search"):
        checks = [app.p95 <= 100]
    elif name in (
        "tutor",
        "statistics",
        "statistics_root",
        "bureau_dashboard",
        "wall",
        "wall_json",
    ):
        checks = [app.p95 <= 300]
    elif name == "pdf":
        checks = [app.p95 <= 1500, extra.get("pdf_peak_mb", 0) <= 300]
    elif name == "help_submit":
        checks = [app.rps >= 300, extra.get("lost", 1) == 0]
    else:
        return ""
    if not app.requests:
        return "NOT met (no request completed)"
    return "met" if all(checks) else "NOT met"


def main() -> None:
    if subprocess.run([str(ROOT / "bench" / "ensure-wrk.sh")], check=False).returncode:
        raise SystemExit(1)
    url = prepare_database()
    subjects = discover(url)
    env = flask_env(url)
    env.update(
        CASEWORK_LOGIN_RATE_LIMIT=RATE_LIMIT_OFF,
        CASEWORK_HELP_SUBMIT_RATE_LIMIT=RATE_LIMIT_OFF,
        CASEWORK_HELP_STATUS_RATE_LIMIT=RATE_LIMIT_OFF,
        # The load clients sign in with a password; the second factor is one more request
        # at login and changes nothing on the pages measured.
        CASEWORK_MFA_REQUIRED_ROLES="",
    )
    floor_env = dict(os.environ, BENCH_FLOOR_DATABASE_URL=url)
    load_before = Path("/proc/loadavg").read_text().strip()
    say(f"load before the run: {load_before}")
    marks = high_water_marks(url)
    app = start("app", "wsgi:app", APP_PORT, env)
    floor = start("floor", "bench.floor_app:app", FLOOR_PORT, floor_env)
    rows: list[dict[str, Any]] = []
    try:
        has_search = search_available(app, subjects)
        if not ONLY or "pdf_cold" in ONLY:
            rows.append(cold_pdfs(app, subjects))
        for scenario in scenarios(app, subjects):
            if ONLY and scenario.name not in ONLY:
                continue
            if scenario.name.startswith("search") and not has_search:
                rows.append({"name": scenario.name, "label": scenario.label, "na": True})
                continue
            say(f"{scenario.name} …")
            before = help_request_count(url) if scenario.name == "help_submit" else 0
            extra: dict[str, Any] = {}
            if scenario.name == "pdf":
                extra["peak_before_mb"] = max(app.peak_rss_mb() or [0])
            result = wrk(app.base, scenario.app, max(DURATION, scenario.min_duration))
            if scenario.name == "pdf":
                extra["pdf_peak_mb"] = max(app.peak_rss_mb() or [0])
            if scenario.name == "help_submit":
                stored = help_request_count(url) - before
                redirected = result.statuses.get("303", 0)
                # Warm-up requests are stored too (3 of them).
                extra["lost"] = max(0, redirected + 3 - stored)
                extra["stored"] = stored
            floor_result = wrk(floor.base, scenario.floor) if scenario.floor else None
            rows.append(
                {
                    "name": scenario.name,
                    "label": scenario.label,
                    "target": scenario.target,
                    "app": result.__dict__,
                    "floor": floor_result.__dict__ if floor_result else None,
                    "extra": extra,
                    "verdict": verdict(scenario.name, result, floor_result, extra),
                    "load": Path("/proc/loadavg").read_text().strip(),
                }
            )
        app_rss = app.peak_rss_mb()
        floor_rss = floor.peak_rss_mb()
    finally:
        app.stop()
        floor.stop()
        remove_rows_above(url, marks)
    print(f"BENCH_RESULTS_FILE {report(rows, app_rss, floor_rss, url, load_before)}")


def main_both() -> None:
    """SQLite, then PostgreSQL, each in its own run; then both side by side."""
    files = []
    for kind in ("sqlite", "postgresql"):
        process = subprocess.run(
            [str(BIN / "python"), str(Path(__file__).resolve())],
            env=dict(os.environ, BENCH_DB=kind),
            stdout=subprocess.PIPE,
            text=True,
            check=True,
        )
        print(process.stdout, end="")
        found = re.search(r"^BENCH_RESULTS_FILE (.+)$", process.stdout, re.MULTILINE)
        if not found:
            raise SystemExit(f"the {kind} run wrote no results")
        files.append(json.loads(Path(found.group(1)).read_text()))
    side_by_side(*files)


def side_by_side(sqlite_run: dict[str, Any], postgres_run: dict[str, Any]) -> None:
    """One line per scenario: req/s, p95 and ratio to the floor on each engine."""

    def cells(row: dict[str, Any] | None) -> str:
        if not row or row.get("na"):
            return f"{'n/a':>32}"
        app, floor = row["app"], row.get("floor")
        ratio = f"{app['rps'] / floor['rps']:.2f}×" if floor and floor["rps"] else "—"
        return f"{app['rps']:>8.1f} {app['p95']:>8.1f} {ratio:>6} {row['verdict'] or '—':>8}"

    print()
    print(f"casework benchmark — {SCALE} scale, SQLite and PostgreSQL side by side")
    for run in (sqlite_run, postgres_run):
        print(
            f"  {run['db']}: {run['date']}, load before {run['load_before']}, "
            f"after {run['load_after']}, peak RSS per worker "
            + ", ".join(f"{mb:.0f} MB" for mb in run["app_rss_mb"])
        )
    header = (
        f"{'scenario':<34} | {'SQLite r/s':>8} {'p95 ms':>8} {'ratio':>6} {'result':>8} | "
        f"{'PG r/s':>8} {'p95 ms':>8} {'ratio':>6} {'result':>8}"
    )
    print(header)
    print("-" * len(header))
    postgres_rows = {row["name"]: row for row in postgres_run["rows"]}
    for row in sqlite_run["rows"]:
        print(f"{row['label']:<34} | {cells(row)} | {cells(postgres_rows.get(row['name']))}")


def report(
    rows: list[dict[str, Any]],
    app_rss: list[float],
    floor_rss: list[float],
    url: str,
    load_before: str,
) -> Path:
    def cell(result: dict[str, Any] | None) -> str:
        if not result:
            return f"{'—':>8} {'':>23} {'':>5}"
        return (
            f"{result['rps']:>8.1f} {result['p50']:>7.1f}/{result['p95']:>7.1f}/"
            f"{result['p99']:>7.1f} {result['errors']:>5}"
        )

    def ratio(row: dict[str, Any]) -> str:
        floor = row.get("floor")
        return f"{row['app']['rps'] / floor['rps']:>5.2f}×" if floor and floor["rps"] else " " * 6

    db_name = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
    load_after = Path("/proc/loadavg").read_text().strip()
    print()
    print(
        f"casework benchmark — {SCALE} scale (seed {SEED}), {db_name}, {WORKERS} sync workers, "
        f"{CONNECTIONS} connections, {DURATION} s per scenario, {os.cpu_count()} CPUs"
    )
    header = (
        f"{'scenario':<34} {'app req/s':>8} {'p50/p95/p99 ms':>23} {'err':>5} | "
        f"{'floor r/s':>8} {'p50/p95/p99 ms':>23} {'err':>5} | {'ratio':>6} | "
        f"{'target':<28} result"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        if row.get("na"):
            print(f"{row['label']:<34} n/a (no search page in this build)")
            continue
        notes = ""
        extra = row["extra"]
        if "pdf_peak_mb" in extra:
            notes = (
                f" (worker peak {extra['peak_before_mb']:.0f} MB before,"
                f" {extra['pdf_peak_mb']:.0f} MB after)"
            )
        if "lost" in extra:
            notes = f" (stored {extra['stored']}, lost {extra['lost']})"
        print(
            f"{row['label']:<34} {cell(row['app'])} | {cell(row['floor'])} | {ratio(row)} | "
            f"{row['target']:<28} {row['verdict']}{notes}"
        )
    worst = max(app_rss or [0])
    print("-" * len(header))
    print(
        "peak RSS per worker (VmHWM): app "
        + ", ".join(f"{mb:.0f} MB" for mb in app_rss)
        + " — floor "
        + ", ".join(f"{mb:.0f} MB" for mb in floor_rss)
        + f" | target ≤ 200 MB: {'met' if worst <= 200 else 'NOT met'}"
    )
    print(f"load average before: {load_before}; at the end: {load_after}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    out = RESULTS / f"{DB_KIND}-{SCALE}-{stamp}.json"
    out.write_text(
        json.dumps(
            {
                "scale": SCALE,
                "db": DB_KIND,
                "workers": WORKERS,
                "connections": CONNECTIONS,
                "duration": DURATION,
                "rows": rows,
                "app_rss_mb": app_rss,
                "floor_rss_mb": floor_rss,
                "load_before": load_before,
                "load_after": load_after,
                "date": time.strftime("%Y-%m-%d %H:%M"),
            },
            ensure_ascii=False,
            indent=2,
        )
    )
    print(f"results: {out.relative_to(ROOT)}")
    return out


if __name__ == "__main__":
    if DB_KIND == "both":
        main_both()
    else:
        main()
