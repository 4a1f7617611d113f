"""A bounded sqlmap pass over the running app: the public help form, login and search.

Serves a fresh demo database with gunicorn (limits raised so that the probe is not simply
turned away), signs in as a social worker for the search, and runs sqlmap against each
form with its CSRF token. Fails when sqlmap reports an injection point. CI runs it after
the suite; locally: ``.venv/bin/python scripts/probe_sql_injection.py``.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import demo_server

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PORT = int(os.environ.get("PROBE_PORT", "5197"))
BASE = f"http://127.0.0.1:{PORT}"
FOUND = re.compile(r"identified the following injection point|is vulnerable")
# Boolean, error and UNION techniques at level 2 keep the whole pass to a few minutes;
# time-based blind probing would multiply that without adding a different kind of flaw.
SQLMAP_BOUNDS = [
    "--batch",
    "--level=2",
    "--risk=1",
    "--technique=BEU",
    "--timeout=20",
    # Refusals are the app's normal answers to bad input: wrong password, unknown code,
    # a form shown again.
    "--ignore-code=400,401,404,422",
]


def _sign_in(jar_path: Path) -> None:
    """A social worker's session, saved for sqlmap in the Netscape cookie format."""
    jar = http.cookiejar.MozillaCookieJar(str(jar_path))
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(BASE + "/login") as page:
        token = _token(page.read().decode())
    form = urllib.parse.urlencode(
        {"username": "worker1", "password": "casework-demo", "csrf_token": token}
    ).encode()
    opener.open(BASE + "/login", data=form).close()
    jar.save(ignore_discard=True, ignore_expires=True)


def _token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    if not match:
        raise SystemExit("no CSRF token on the page")
    return match.group(1)


def _first_option(html: str, name: str) -> str:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    values = re.findall(r'value="([^"]+)"', select.group(1) if select else "")
    if not values:
        raise SystemExit(f"no choices for {name}")
    return values[0]


def _first_station(path: str = "/help") -> str:
    """The first station the help form's finder links to, following its areas."""
    with urllib.request.urlopen(BASE + path) as page:  # noqa: S310
        html = page.read().decode()
    station = re.search(r'href="/help\?station=(\d+)"', html)
    if station:
        return station.group(1)
    area = re.search(r'href="(/help\?area=\d+)"', html)
    if not area:
        raise SystemExit("no station on the help form")
    return _first_station(area.group(1))


def _targets(jar: Path) -> list[tuple[str, list[str]]]:
    station = _first_station()
    form_url = f"{BASE}/help?station={station}"
    with urllib.request.urlopen(form_url) as page:  # noqa: S310
        help_page = page.read().decode()
    help_form = urllib.parse.urlencode(
        {
            "station": station,
            "category": _first_option(help_page, "category"),
            "description": "楼道灯坏了很久，老人晚上出门不方便",
            "name": "测试",
            "phone": "13800000000",
            "contact_preference": "phone",
            "consent": "y",
            "website": "",
            "csrf_token": "x",
        }
    )
    csrf = ["--csrf-token=csrf_token"]
    return [
        (
            "help form",
            [
                f"--url={BASE}/help",
                f"--data={help_form}",
                f"--csrf-url={form_url}",
                *csrf,
                "-p",
                "station,category,description,name,phone",
            ],
        ),
        (
            "help status",
            [
                f"--url={BASE}/help/status",
                "--data=code=ABCD-EFGH-JKLM&csrf_token=x",
                f"--csrf-url={BASE}/help/status",
                *csrf,
                "-p",
                "code",
            ],
        ),
        (
            "login",
            [
                f"--url={BASE}/login",
                "--data=username=worker1&password=wrong-pass&csrf_token=x",
                f"--csrf-url={BASE}/login",
                *csrf,
                "-p",
                "username,password",
            ],
        ),
        (
            "search",
            [
                f"--url={BASE}/search/",
                "--data=q=zqx&csrf_token=x",
                f"--csrf-url={BASE}/search/",
                *csrf,
                f"--load-cookies={jar}",
                "-p",
                "q",
            ],
        ),
        (
            "people list",
            [f"--url={BASE}/people/?q=zqx", f"--load-cookies={jar}", "-p", "q"],
        ),
    ]


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="casework-sqlmap-") as folder:
        work = Path(folder)
        env = demo_server.environment(
            work / "instance",
            # Limits raised so that the probe is not simply turned away.
            CASEWORK_LOGIN_RATE_LIMIT="100000 per minute",
            CASEWORK_HELP_SUBMIT_RATE_LIMIT="100000 per minute",
            CASEWORK_HELP_STATUS_RATE_LIMIT="100000 per minute",
            CASEWORK_LOCKOUT_THRESHOLD="1000000",
        )
        demo_server.seed(env)
        with demo_server.served(env, PORT, work / "gunicorn.log"):
            jar = work / "cookies.txt"
            _sign_in(jar)
            found = []
            only = sys.argv[1:]
            for name, arguments in _targets(jar):
                if only and name not in only:
                    continue
                started = time.monotonic()
                result = subprocess.run(  # noqa: S603
                    [
                        str(BIN / "sqlmap"),
                        *SQLMAP_BOUNDS,
                        f"--output-dir={work / 'sqlmap'}",
                        *arguments,
                    ],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                output = result.stdout + result.stderr
                verdict = "INJECTABLE" if FOUND.search(output) else "no injection found"
                print(f"sqlmap {name}: {verdict} ({time.monotonic() - started:.0f} s)", flush=True)
                if "all tested parameters do not appear to be injectable" not in output and (
                    verdict != "INJECTABLE"
                ):
                    print(output[-2000:], flush=True)
                    if result.returncode != 0 or "CRITICAL" in output:
                        found.append(f"{name}: sqlmap did not finish")
                if verdict == "INJECTABLE":
                    print(output[-4000:])
                    found.append(name)
    if found:
        print("sqlmap reported problems: " + ", ".join(found))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
