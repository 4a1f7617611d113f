# The soak starts the venv's own tools with arguments it builds itself.
"""``make soak``: a realistic mix at a steady rate for a long time; does it stay flat?

Serves a generated dataset like ``make bench`` (gunicorn, 2 sync workers, no recycling, so
that a leak shows), and drives a mix a station's day is made of: caseloads, case pages,
searches, service records written, residents' submissions and now and then a PDF case file.
Every window it records p50/p99 latency and each worker's resident memory. It fails when a
worker's memory keeps growing or the p99 of the last third drifts above the first third's by
more than the margin.

Settings (environment), besides BENCH_SCALE, BENCH_DB and BENCH_SEED of bench/run.py:
  SOAK_MINUTES   how long (default 30)
  SOAK_RATE      requests per second in all (default: half the peak, measured first by
                 driving the same mix with no pause for SOAK_CALIBRATE seconds)
  SOAK_CALIBRATE seconds of that measurement (default 60)
  SOAK_WINDOW    seconds per line of the report (default 60)
  SOAK_MARGIN    allowed p99 drift, as a share (default 0.5: last third ≤ 1.5 × first third)
  SOAK_RSS_MB    allowed growth of a worker's memory over the last two thirds (default 30)

A station's work is spread over its cases: pages, records and PDFs rotate over the worker's
cases in service, so no single case grows by hundreds of records during the run (that would
measure the growth of one case, not of the workers). Memory is judged after the first third,
once the bounded caches (the PDF cache, SQLAlchemy's statement cache, compiled templates)
have filled; the report prints the growth from the first window as well.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import sys
import threading
import time
import urllib.error
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run

MINUTES = float(os.environ.get("SOAK_MINUTES", "30"))
RATE = float(os.environ.get("SOAK_RATE") or 0)
CALIBRATE_SECONDS = float(os.environ.get("SOAK_CALIBRATE", "60"))
WINDOW = float(os.environ.get("SOAK_WINDOW", "60"))
MARGIN = float(os.environ.get("SOAK_MARGIN", "0.5"))
RSS_GROWTH_MB = float(os.environ.get("SOAK_RSS_MB", "30"))
CLIENTS = 8
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

# (share of the requests, name)
MIX = (
    (30, "caseload"),
    (25, "case"),
    (15, "search"),
    (10, "record"),
    (15, "help"),
    (5, "home"),
)
PDF_EVERY_SECONDS = 30


@dataclass
class Sample:
    at: float
    name: str
    seconds: float
    ok: bool


@dataclass
class Window:
    start: float
    samples: list[Sample] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)


class Load:
    def __init__(self, app: run.Server, subjects: run.Subjects, in_service: list[int]) -> None:
        self.app = app
        self.subjects = subjects
        self.in_service = in_service
        self.rate = RATE
        self.samples: list[Sample] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.choices = [name for share, name in MIX for _ in range(share)]

    def timed(self, name: str, action: Any) -> None:
        started = time.perf_counter()
        try:
            ok = bool(action())
        except (OSError, urllib.error.URLError):
            ok = False
        sample = Sample(time.time(), name, time.perf_counter() - started, ok)
        with self.lock:
            self.samples.append(sample)

    def client(self, number: int, stop: threading.Event) -> None:
        """One client's share of the mix: paced at the soak's rate, or with no pause while
        the rate is not yet known (calibration)."""
        worker = run.logged_in(self.app.base, self.subjects.worker)
        resident = run.Browser(self.app.base)
        rng = random.Random(number)  # noqa: S311  (a load mix, not a secret)
        pace = CLIENTS / self.rate if self.rate else 0.0
        next_at = time.monotonic() + rng.random() * pace
        while not stop.is_set():
            time.sleep(max(0.0, next_at - time.monotonic()))
            next_at += pace
            name = rng.choice(self.choices)
            case = rng.choice(self.subjects.long_cases + self.in_service)
            if name == "caseload":
                self.timed(name, lambda: worker.get("/cases/"))
            elif name == "case":
                self.timed(name, lambda c=case: worker.get(f"/cases/{c}"))
            elif name == "home":
                self.timed(name, lambda: worker.get("/"))
            elif name == "search":
                query = rng.choice((self.subjects.name, self.subjects.phrase, "助餐"))
                self.timed(name, lambda q=query: self.search(worker, q))
            elif name == "record":
                target = rng.choice(self.in_service)
                self.timed(name, lambda c=target: self.write_record(worker, c))
            else:
                self.timed(name, lambda: self.submit_help(resident))

    def calibrate(self) -> float:
        """Requests per second that the workers serve of this mix with every client busy."""
        stop = threading.Event()
        threads = [
            threading.Thread(target=self.client, args=(n, stop), daemon=True)
            for n in range(CLIENTS)
        ]
        for thread in threads:
            thread.start()
        time.sleep(CALIBRATE_SECONDS)
        stop.set()
        for thread in threads:
            thread.join(60)
        with self.lock:
            served = [sample for sample in self.samples if sample.ok]
            self.samples = []
        return len(served) / CALIBRATE_SECONDS

    def pdfs(self) -> None:
        worker = run.logged_in(self.app.base, self.subjects.worker)
        cases = self.subjects.long_cases
        turn = 0
        while not self.stop.wait(PDF_EVERY_SECONDS):
            case = cases[turn % len(cases)]
            turn += 1
            self.timed("pdf", lambda c=case: worker.get(f"/cases/{c}/file.pdf"))

    @staticmethod
    def search(worker: run.Browser, query: str) -> bool:
        token = CSRF.search(worker.get("/search/"))
        fields = {"csrf_token": token.group(1) if token else "", "q": query, "section": "all"}
        return worker.post("/search/", fields) == 200

    @staticmethod
    def write_record(worker: run.Browser, case: int) -> bool:
        path = f"/cases/{case}/records/new"
        token = CSRF.search(worker.get(path))
        fields = {
            "csrf_token": token.group(1) if token else "",
            "served_on": date.today().isoformat(),  # noqa: DTZ011  (the server's today)
            "form": "phone",
            "duration_minutes": "20",
            "content": "电话回访，老人情绪平稳，按时服药。",
        }
        return worker.post(path, fields) == 302

    def submit_help(self, resident: run.Browser) -> bool:
        station = self.subjects.station
        token = CSRF.search(resident.get(f"/help?station={station}"))
        fields = {
            "csrf_token": token.group(1) if token else "",
            "station": str(station),
            "category": "livelihood",
            "description": "家里老人独居，腿脚不便，想申请上门照料服务。",
            "contact_preference": "online_only",
            "consent": "y",
            "website": "",
        }
        return resident.post("/help", fields) == 303


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else 0.0


def worker_rss_mb(app: run.Server) -> list[float]:
    found = []
    for pid in app.workers():
        try:
            text = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        match = re.search(r"^VmRSS:\s+(\d+) kB", text, re.MULTILINE)
        if match:
            found.append(int(match.group(1)) / 1024)
    return found


SOAK_DATABASE = "casework_soak"


def cases_in_service(url: str, username: str) -> list[int]:
    """The worker's cases in the intervention stage, where service records are written."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        found = list(
            connection.scalars(
                text(
                    "SELECT c.id FROM cases c JOIN users u ON u.id = c.worker_id"
                    " WHERE u.username = :u AND c.status = 'intervention' ORDER BY c.id LIMIT 200"
                ),
                {"u": username},
            )
        )
    engine.dispose()
    if not found:
        raise SystemExit(f"soak: {username} has no case in service to write records into")
    return found


def scratch_copy(url: str) -> str:
    """A copy of the generated database for the soak to write into, so the cached dataset
    stays as generated."""
    if url.startswith("sqlite"):
        source = Path(url.removeprefix("sqlite:///"))
        target = source.with_name("soak.db")
        shutil.copyfile(source, target)
        return f"sqlite:///{target}"
    run._pg_admin(f"DROP DATABASE IF EXISTS {SOAK_DATABASE} WITH (FORCE)")
    run._pg_admin(f"CREATE DATABASE {SOAK_DATABASE} TEMPLATE casework_bench")
    return url.rsplit("/", 1)[0] + "/" + SOAK_DATABASE


def drop_copy(url: str) -> None:
    if url.startswith("sqlite"):
        for leftover in Path(url.removeprefix("sqlite:///")).parent.glob("soak.db*"):
            leftover.unlink()
    else:
        run._pg_admin(f"DROP DATABASE IF EXISTS {SOAK_DATABASE} WITH (FORCE)")


def main() -> None:
    url = scratch_copy(run.prepare_database())
    subjects = run.discover(url)
    env = run.flask_env(url)
    env.update(
        CASEWORK_LOGIN_RATE_LIMIT=run.RATE_LIMIT_OFF,
        CASEWORK_HELP_SUBMIT_RATE_LIMIT=run.RATE_LIMIT_OFF,
        CASEWORK_HELP_STATUS_RATE_LIMIT=run.RATE_LIMIT_OFF,
        CASEWORK_MFA_REQUIRED_ROLES="",
    )
    load_before = Path("/proc/loadavg").read_text().strip()
    app = run.start("soak", "wsgi:app", run.APP_PORT, env)
    load = Load(app, subjects, cases_in_service(url, subjects.worker))
    windows: list[Window] = []
    try:
        if not load.rate:
            peak = load.calibrate()
            load.rate = round(peak / 2, 1)
            run.say(f"soak: the mix's peak is {peak:.1f} req/s; the soak runs at half of it")
        threads = [
            threading.Thread(target=load.client, args=(n, load.stop), daemon=True)
            for n in range(CLIENTS)
        ]
        threads.append(threading.Thread(target=load.pdfs, daemon=True))
        for thread in threads:
            thread.start()
        started = time.time()
        run.say(f"soak: {MINUTES:g} min at {load.rate:g} req/s, windows of {WINDOW:g} s")
        print(f"{'minute':>7} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p99 ms':>8}  RSS MB")
        while time.time() - started < MINUTES * 60:
            window = Window(time.time())
            time.sleep(min(WINDOW, MINUTES * 60 - (time.time() - started)))
            with load.lock:
                window.samples, load.samples = load.samples, []
            window.rss_mb = worker_rss_mb(app)
            windows.append(window)
            seconds = [sample.seconds for sample in window.samples]
            errors = sum(not sample.ok for sample in window.samples)
            print(
                f"{(window.start - started) / 60 + WINDOW / 60:>7.1f} {len(seconds):>9} "
                f"{errors:>7} {percentile(seconds, 0.5):>8.1f} {percentile(seconds, 0.99):>8.1f}"
                f"  {', '.join(f'{mb:.0f}' for mb in window.rss_mb)}",
                flush=True,
            )
        load.stop.set()
        for thread in threads:
            thread.join(60)
    finally:
        app.stop()
        drop_copy(url)
    sys.exit(verdict(windows, load_before, load.rate))


def verdict(windows: list[Window], load_before: str, rate: float) -> int:
    if len(windows) < 3:
        print("soak: too short to judge (fewer than three windows)")
        return 0
    third = max(1, len(windows) // 3)
    first = [s.seconds for w in windows[:third] for s in w.samples]
    last = [s.seconds for w in windows[-third:] for s in w.samples]
    p99_first, p99_last = percentile(first, 0.99), percentile(last, 0.99)
    rss_first = max(windows[0].rss_mb or [0])
    rss_warm = max(windows[third - 1].rss_mb or [0])
    rss_last = max(windows[-1].rss_mb or [0])
    rss_peak = max(max(w.rss_mb or [0]) for w in windows)
    errors = sum(not s.ok for w in windows for s in w.samples)
    total = sum(len(w.samples) for w in windows)
    p99_ok = p99_last <= p99_first * (1 + MARGIN)
    rss_ok = rss_last - rss_warm <= RSS_GROWTH_MB
    print(
        f"soak: {total} requests, {errors} errors; p99 first third {p99_first:.0f} ms, last "
        f"third {p99_last:.0f} ms (margin {MARGIN:.0%}): {'met' if p99_ok else 'NOT met'}; "
        f"worker RSS {rss_first:.0f} MB after the first window, {rss_warm:.0f} MB after the "
        f"first third, {rss_last:.0f} MB at the end, peak {rss_peak:.0f} MB (growth allowed "
        f"over the last two thirds {RSS_GROWTH_MB:g} MB): "
        f"{'flat' if rss_ok else 'GROWING'}"
    )
    print(f"load before {load_before}; at the end {Path('/proc/loadavg').read_text().strip()}")
    run.RESULTS.mkdir(parents=True, exist_ok=True)
    out = run.RESULTS / f"soak-{run.DB_KIND}-{run.SCALE}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(
        json.dumps(
            {
                "minutes": MINUTES,
                "rate": rate,
                "windows": [
                    {
                        "requests": len(w.samples),
                        "errors": sum(not s.ok for s in w.samples),
                        "p50_ms": percentile([s.seconds for s in w.samples], 0.5),
                        "p99_ms": percentile([s.seconds for s in w.samples], 0.99),
                        "rss_mb": w.rss_mb,
                    }
                    for w in windows
                ],
            },
            indent=2,
        )
    )
    print(f"results: {out.relative_to(run.ROOT)}")
    return 0 if (p99_ok and rss_ok and errors == 0) else 1


if __name__ == "__main__":
    main()
