#!/usr/bin/env python3
"""Fire many concurrent submissions at a running casework's public help form.

Every success stores a real help request: point it at a test server and database only.
Each submission is one worker thread with its own cookies, as one phone would be: it
GETs /help?station=<id> for the session cookie and CSRF token, POSTs the form without
following the redirect, then GETs /help/submitted to read the tracking code.

    python scripts/flood_help_form.py http://127.0.0.1:5000 --total 200

Standard library only, so it runs from any Python 3.11 without the project's venv.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
CSRF_TOKEN = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')
FIRST_STATION = re.compile(r'<option value="(\d+)">')
TRACKING_CODE = re.compile(r'id="tracking-code">\s*([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})\s*<')

SUCCESS = "success"
LIMITED = "limited"
ERROR = "error"


@dataclass
class Outcome:
    kind: str
    code: str | None = None
    detail: str = ""


@dataclass
class FloodResult:
    total: int
    elapsed: float
    counts: Counter[str] = field(default_factory=Counter)
    codes: list[str] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)

    @property
    def successes(self) -> int:
        return self.counts[SUCCESS]

    @property
    def rate_limited(self) -> int:
        return self.counts[LIMITED]

    @property
    def failed(self) -> int:
        return self.counts[ERROR]

    @property
    def distinct_codes(self) -> set[str]:
        return set(self.codes)

    @property
    def per_second(self) -> float:
        return self.successes / self.elapsed if self.elapsed else 0.0


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Let the 303 come back as it is, so a success can be told from anything else."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _opener() -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())


def _get(opener: urllib.request.OpenerDirector, url: str, timeout: float) -> str:
    with opener.open(url, timeout=timeout) as response:
        body: bytes = response.read()
    return body.decode("utf-8")


def find_station(base_url: str, timeout: float = 10.0) -> str:
    """The first station the form offers."""
    match = FIRST_STATION.search(_get(_opener(), base_url + "/help", timeout))
    if match is None:
        raise SystemExit("no station is offered on /help")
    return match.group(1)


def submit_once(base_url: str, station: str, number: int, timeout: float) -> Outcome:
    """One resident: read the form, post it, read the code."""
    opener = _opener()
    try:
        form = _get(opener, f"{base_url}/help?station={station}", timeout)
        token = CSRF_TOKEN.search(form)
        if token is None:
            return Outcome(ERROR, detail="no CSRF token on the form")
        data = urllib.parse.urlencode(
            {
                "csrf_token": token.group(1),
                "station": station,
                "category": "other",
                "description": f"压力测试提交第 {number} 号：楼道灯坏了，请派人维修。",
                "contact_preference": "online_only",
                "consent": "y",
                "website": "",
            }
        ).encode()
        try:
            opener.open(base_url + "/help", data=data, timeout=timeout).close()
            return Outcome(ERROR, detail="POST answered without a redirect")
        except urllib.error.HTTPError as answer:
            answer.close()
            if answer.code == 429:
                return Outcome(LIMITED)
            location = answer.headers.get("Location", "")
            if answer.code != 303 or not location.endswith("/help/submitted"):
                return Outcome(ERROR, detail=f"HTTP {answer.code}")
        page = _get(opener, base_url + "/help/submitted", timeout)
        code = TRACKING_CODE.search(page)
        if code is None:
            return Outcome(ERROR, detail="no tracking code on /help/submitted")
        return Outcome(SUCCESS, code=code.group(1))
    except urllib.error.HTTPError as error:
        error.close()
        return Outcome(LIMITED if error.code == 429 else ERROR, detail=f"HTTP {error.code}")
    # refused, reset, timed out, cut off mid-answer (IncompleteRead), bad answer
    except (OSError, ValueError, http.client.HTTPException) as error:
        return Outcome(ERROR, detail=type(error).__name__)


def flood(
    base_url: str,
    total: int = 200,
    *,
    concurrency: int | None = None,
    station: str | None = None,
    timeout: float = 30.0,
    allow_remote: bool = False,
) -> FloodResult:
    """Submit ``total`` requests, ``concurrency`` at a time (default: all at once)."""
    base_url = base_url.rstrip("/")
    host = urllib.parse.urlsplit(base_url).hostname or ""
    if host not in LOOPBACK_HOSTS and not allow_remote:
        raise SystemExit(f"refusing to flood {host!r}: only loopback unless --allow-remote")
    station = station or find_station(base_url, timeout)
    workers = max(1, min(concurrency or total, total))
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        outcomes = list(
            pool.map(lambda n: submit_once(base_url, station, n, timeout), range(1, total + 1))
        )
    result = FloodResult(total=total, elapsed=time.perf_counter() - started)
    for outcome in outcomes:
        result.counts[outcome.kind] += 1
        if outcome.code:
            result.codes.append(outcome.code)
        if outcome.kind == ERROR:
            result.errors[outcome.detail] += 1
    return result


def report(result: FloodResult) -> str:
    lines = [
        f"submissions:    {result.total} in {result.elapsed:.2f} s",
        f"success (303):  {result.successes}  ({result.per_second:.1f}/s)",
        f"rate limited:   {result.rate_limited}",
        f"errors:         {result.failed}",
        f"distinct codes: {len(result.distinct_codes)}",
    ]
    lines += [f"  error {detail}: {count}" for detail, count in result.errors.most_common()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("base_url", help="e.g. http://127.0.0.1:5000")
    parser.add_argument("--total", type=int, default=200, help="submissions (default 200)")
    parser.add_argument("--concurrency", type=int, default=None, help="threads (default: all)")
    parser.add_argument("--station", default=None, help="unit id (default: the first offered)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per HTTP request")
    parser.add_argument(
        "--allow-remote", action="store_true", help="allow a host other than loopback"
    )
    parser.add_argument("--show-codes", action="store_true", help="print every code seen")
    args = parser.parse_args(argv)
    result = flood(
        args.base_url,
        args.total,
        concurrency=args.concurrency,
        station=args.station,
        timeout=args.timeout,
        allow_remote=args.allow_remote,
    )
    print(report(result))
    if args.show_codes:
        print("\n".join(sorted(result.distinct_codes)))
    return 1 if result.failed else 0


if __name__ == "__main__":
    sys.exit(main())
