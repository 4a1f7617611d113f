"""``flask casework …`` commands."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from casework.accounts import services as accounts
from casework.accounts.models import Role
from casework.api.models import TokenScope
from casework.api.tokens import LIFETIMES, create_token
from casework.extensions import db
from casework.orgs.models import Unit
from casework.summaries.measures import MEASURES

group = AppGroup("casework", help="casework administration commands.")


@group.command("create-user")
@click.option("--username", required=True)
@click.option("--name", "display_name", required=True, help="Display name, e.g. 王芳.")
@click.option("--role", type=click.Choice([role.value for role in Role]), required=True)
@click.option("--unit", "unit_code", required=True, help="Code of the unit the user belongs to.")
@click.option(
    "--supervises",
    multiple=True,
    help="Unit code a tutor supervises; repeat for several units.",
)
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from standard input instead of prompting.",
)
def create_user(
    username: str,
    display_name: str,
    role: str,
    unit_code: str,
    supervises: tuple[str, ...],
    password_stdin: bool,
) -> None:
    """Create a staff account."""
    unit = db.session.scalar(select(Unit).where(Unit.code == unit_code))
    if unit is None:
        raise click.ClickException(f"no unit with code {unit_code!r}")
    supervised = list(db.session.scalars(select(Unit).where(Unit.code.in_(supervises))))
    if len(supervised) != len(set(supervises)):
        raise click.ClickException("an unknown unit code was given to --supervises")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = accounts.create_user(
            actor=None,
            username=username,
            display_name=display_name,
            password=password,
            role=Role.of(role),
            unit=unit,
            supervised_units=supervised,
        )
    except accounts.AccountError as error:
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(f"created {user.username} ({user.role.value}) in {unit.code}")


@group.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has units.")
def seed_demo(if_empty: bool) -> None:
    """Load the demo organisation and accounts (demo mode only)."""
    from casework.demo import seed

    if db.session.scalar(select(Unit.id).limit(1)) is not None:
        if if_empty:
            click.echo("database is not empty: demo data not loaded")
            return
        raise click.ClickException("the database already holds data; demo data needs an empty one")
    if not current_app.config["DEMO"]:
        raise click.ClickException("demo data is loaded only in demo mode (CASEWORK_DEMO=1)")
    seed()
    db.session.commit()
    click.echo("demo data loaded")


@group.command("load-reference")
def load_reference() -> None:
    """Add the standard reference data (vulnerable-group tags) that is missing."""
    from casework.people.services import load_default_tags

    added = load_default_tags()
    db.session.commit()
    click.echo(f"reference data: {added} tags added")


@group.command("search-reindex")
@click.option("--batch-size", default=5000, show_default=True, help="Rows per bulk insert.")
def search_reindex(batch_size: int) -> None:
    """Rebuild the search index from the people, cases and records in the database."""
    import time

    from casework.search.index import rebuild

    started = time.perf_counter()
    with db.engine.begin() as connection:
        count = rebuild(connection, batch_size=batch_size)
    elapsed = time.perf_counter() - started
    click.echo(f"search index: {count} documents in {elapsed:.1f} s")


@group.command("rebuild-summaries")
@click.option(
    "--measure",
    "names",
    multiple=True,
    type=click.Choice([measure.name for measure in MEASURES]),
    help="Only this measure (repeatable; default: all).",
)
def rebuild_summaries(names: tuple[str, ...]) -> None:
    """Refill the statistics' summary table from the raw rows, in one transaction.

    Needed after rows are written outside the app (a bulk load, a manual repair); the app
    keeps the table in step with its own writes.
    """
    import time

    from casework.summaries.maintain import rebuild

    started = time.perf_counter()
    with db.engine.begin() as connection:
        written = rebuild(connection, names or None)
    elapsed = time.perf_counter() - started
    for name, count in written.items():
        click.echo(f"  {name:<20}{count:>12,} rows")
    click.echo(f"summaries rebuilt in {elapsed:.1f} s")


@group.command("check-summaries")
@click.option("--unit", "unit_id", type=int, default=None, help="A unit (default: every root).")
@click.option("--year", type=int, default=None, help="A calendar year (default: this year).")
def check_summaries(unit_id: int | None, year: int | None) -> None:
    """Compare the summaries with the raw rows for a unit's subtree, each month of a year
    and the whole year; exits 1 on the first difference."""
    import calendar
    from datetime import date

    from sqlalchemy import select

    from casework.core.clock import local_today
    from casework.orgs.models import Unit
    from casework.summaries.read import differences

    year = year or local_today().year
    if unit_id is not None:
        chosen = db.session.get(Unit, unit_id)
        if chosen is None:
            raise click.ClickException(f"no unit with id {unit_id}")
        roots = [chosen]
    else:
        roots = list(db.session.scalars(select(Unit).where(Unit.parent_id.is_(None))))
    periods = [(date(year, 1, 1), date(year, 12, 31))] + [
        (date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))
        for month in range(1, 13)
    ]
    for root in roots:
        ids = list(db.session.scalars(select(Unit.id).where(Unit.path.startswith(root.path))))
        for start, end in periods:
            found = differences(ids, start, end)
            if found:
                for name, (summary, raw) in found.items():
                    click.echo(f"{root.name} {start}..{end} {name}: {summary} != {raw}", err=True)
                sys.exit(1)
        click.echo(f"{root.name}: summaries match the raw rows for {year}")


@group.command("generate")
@click.option(
    "--scale",
    type=click.Choice(["station", "city", "province"]),
    required=True,
    help="station: a few dozen people; city: 100,000 cases; province: 1,000,000 cases.",
)
@click.option("--seed", type=click.IntRange(0, 10**12), default=1, show_default=True)
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Count every date back from this day (default: today).",
)
@click.option("--no-search-index", is_flag=True, help="Do not rebuild the search index.")
def generate(scale: str, seed: int, as_of: datetime | None, no_search_index: bool) -> None:
    """Fill an EMPTY database with generated test data (never a database with real data).

    Every generated staff account has the password in casework.generate.scales.STAFF_PASSWORD.
    """
    from casework.core.clock import local_today
    from casework.generate.marker import Refusal
    from casework.generate.run import generate as run
    from casework.generate.scales import SCALES

    chosen = SCALES[scale]
    day = as_of.date() if as_of else local_today()
    with (
        db.engine.connect() as connection,
        click.progressbar(
            length=chosen.estimated_rows, label=f"generating {scale} (seed {seed})", file=sys.stderr
        ) as bar,
    ):
        try:
            summary = run(
                connection,
                chosen,
                seed=seed,
                as_of=day,
                progress=bar.update,
                search_index=not no_search_index,
            )
        except Refusal as error:
            raise click.ClickException(str(error)) from error
        bar.update(max(0, chosen.estimated_rows - bar.pos))
    from casework.core import audit_chain
    from casework.summaries.maintain import rebuild as rebuild_summaries

    sealed = audit_chain.seal_pending()
    click.echo(f"audit log: {sealed:,} entries sealed into the hash chain", err=True)
    with db.engine.begin() as connection:
        written = rebuild_summaries(connection)
    click.echo(f"summaries: {sum(written.values()):,} rows", err=True)
    for name, count in sorted(summary.counts.items()):
        click.echo(f"  {name:<24}{count:>12,}")
    click.echo(
        f"generated {summary.rows:,} rows in {summary.seconds:.1f} s "
        f"({summary.rows_per_second:,.0f} rows/s); search index: {summary.search_index}"
    )


@group.command("verify-audit")
def verify_audit() -> None:
    """Seal new audit entries, then check the whole chain; exits 1 at the first broken link."""
    from casework.core import audit_chain

    sealed = audit_chain.seal_pending()
    verdict = audit_chain.verify()
    if verdict.ok:
        click.echo(
            f"audit log intact: {verdict.checked:,} entries checked ({sealed:,} newly sealed)"
        )
        return
    where = f"entry id {verdict.entry_id}" if verdict.entry_id is not None else "the end"
    click.echo(
        f"audit log BROKEN at sequence {verdict.broken_at} ({where}): {verdict.reason}; "
        f"{verdict.checked:,} entries before it are intact",
        err=True,
    )
    sys.exit(1)


@group.command("prune-audit")
def prune_audit() -> None:
    """Delete audit entries older than AUDIT_RETENTION_DAYS (at least 180) from the start of
    the chain; verification then starts at the first entry kept."""
    from casework.core import audit_chain

    audit_chain.seal_pending()
    from casework.core.retention_policy import current_policy

    days = current_policy().audit_days
    deleted = audit_chain.prune(days)
    click.echo(f"audit log: {deleted:,} entries older than {days} days deleted")


@group.command("rotate-data-key")
@click.option(
    "--new-key",
    is_flag=True,
    help="Step 1: keep instance/data_key as instance/data_key_previous and write a new one.",
)
def rotate_data_key(new_key: bool) -> None:
    """Move every encrypted value to a new data key (resumable; run it again if stopped).

    Step 1, `--new-key`, then restart every app server so that all of them write with the
    new key and read both. Step 2, this command without options: re-encrypts in batches,
    recomputes the blind indexes and rebuilds the search index.
    """
    from casework.core import keyrotation
    from casework.search.index import rebuild

    if new_key:
        _new_key_files()
        return
    try:
        changed = keyrotation.rotate(
            lambda table, count: click.echo(f"  {table}: {count:,} rows re-encrypted", err=True)
        )
    except keyrotation.RotationError as error:
        raise click.ClickException(str(error)) from error
    with db.engine.begin() as connection:
        documents = rebuild(connection)
    click.echo(
        f"data key rotated: {changed:,} rows re-encrypted, search index rebuilt "
        f"({documents:,} documents). Keep the previous key until no backup made before "
        "today is needed, then remove it."
    )


def _new_key_files() -> None:

    from casework.config import DATA_KEY_FILE, PREVIOUS_DATA_KEY_FILE, load_or_create_secret_key

    instance = Path(current_app.instance_path)
    current, previous = instance / DATA_KEY_FILE, instance / PREVIOUS_DATA_KEY_FILE
    if previous.exists():
        raise click.ClickException(
            f"{previous} exists: a rotation is under way. Finish it (run this command without "
            "--new-key), then delete that file before starting another."
        )
    if not current.exists():
        raise click.ClickException(
            f"{current} does not exist: the key comes from CASEWORK_DATA_KEY. Set "
            "CASEWORK_DATA_KEY_PREVIOUS to it and CASEWORK_DATA_KEY to a new key "
            "(python -c 'import secrets; print(secrets.token_hex(32))'), restart, then run "
            "this command without --new-key."
        )
    current.rename(previous)
    load_or_create_secret_key(str(instance), DATA_KEY_FILE)
    click.echo(
        f"new data key written to {current}; the old one is now {previous}. Restart every "
        "app server, then run `flask casework rotate-data-key`."
    )


@group.command("backup")
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--encrypt", is_flag=True, help="Seal the archive with the data key as well.")
@click.option("--prune", "prune_old", is_flag=True, help="Then delete archives beyond --keep-*.")
@click.option("--keep-daily", default=7, show_default=True)
@click.option("--keep-weekly", default=4, show_default=True)
@click.option("--keep-monthly", default=12, show_default=True)
def backup(
    folder: Path | None,
    encrypt: bool,
    prune_old: bool,
    keep_daily: int,
    keep_weekly: int,
    keep_monthly: int,
) -> None:
    """Back up the database and uploads into FOLDER (default instance/backups), online."""
    from casework import backup as backups

    target = folder or backups.default_folder()
    made = backups.create_backup(target, encrypt=encrypt)
    click.echo(f"backup: {made.path} ({made.size:,} bytes, {made.files:,} files)")
    if prune_old:
        deleted = backups.prune(target, daily=keep_daily, weekly=keep_weekly, monthly=keep_monthly)
        click.echo(f"backup: {len(deleted)} older archives deleted")


@group.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore(archive: Path) -> None:
    """Restore ARCHIVE into this instance's EMPTY database and upload folder."""
    from casework import backup as backups

    try:
        manifest = backups.restore(archive)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"restored: {len(manifest['files']):,} files checked and restored, taken "
        f"{manifest['created_at']} at schema revision {manifest['revision']}. "
        "Run `flask db upgrade` if this code is newer."
    )


@group.command("holidays")
def holidays() -> None:
    """The years whose holiday schedule (节假日安排) is known; exits 1 when this year's, or in
    December next year's, is missing (add it to instance/holidays.toml)."""
    from casework.core.clock import local_today, missing_schedule_year, work_calendar

    calendar = work_calendar()
    for year in sorted(calendar.years):
        days = sum(1 for day in calendar.holidays if day.year == year)
        worked = sum(1 for day in calendar.workdays if day.year == year)
        click.echo(f"{year}: {days} holidays, {worked} make-up working days")
    missing = missing_schedule_year(local_today())
    if missing is not None:
        click.echo(
            f"the holiday schedule of {missing} is missing: working days count Monday to "
            "Friday only until it is added to instance/holidays.toml",
            err=True,
        )
        sys.exit(1)


@group.command("retention")
@click.option("--apply", "apply_", is_flag=True, help="Do it (without: only count).")
def retention(apply_: bool) -> None:
    """Anonymise people and help requests past their retention period, prune the audit log.

    A dry run unless --apply; run it daily with --apply (README, "Backups")."""
    from casework import retention as rules

    try:
        report = rules.run(apply=apply_)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    verb = "anonymised" if report.applied else "due"
    click.echo(
        f"people whose cases ended before {report.cutoffs['cases']}: {report.people:,} {verb}"
        f" ({report.people_held:,} kept by a legal hold)"
    )
    click.echo(
        f"help requests ended before {report.cutoffs['help_requests']}: "
        f"{report.help_requests:,} {verb}"
    )
    if report.applied:
        click.echo(f"audit entries pruned: {report.audit_entries:,}")
    else:
        click.echo("dry run: nothing changed (--apply to do it)")


@group.command("create-api-token")
@click.option("--username", required=True)
@click.option("--name", required=True, help="What the token is for, e.g. 12345.")
@click.option("--scope", type=click.Choice([scope.value for scope in TokenScope]), default="read")
@click.option("--days", type=click.Choice([str(days) for days in LIFETIMES]), default="30")
def create_api_token(username: str, name: str, scope: str, days: str) -> None:
    """Make a personal API token for a user (as the user would on the tokens page) and
    print its secret: for connecting a system from a deployment script."""
    from casework.accounts.models import User

    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    made = create_token(actor=user, name=name, scope=TokenScope.of(scope), days=int(days))
    db.session.commit()
    click.echo(made.secret)


@group.command("connect-system")
@click.option("--name", required=True, help="The system, e.g. 长春市 12345.")
@click.option("--unit", "unit_code", required=True, help="Its stations are those under this unit.")
@click.option("--callback-url", default=None, help="Where results are reported (POST).")
def connect_system(name: str, unit_code: str, callback_url: str | None) -> None:
    """Connect a system that dispatches work orders (the 12345 hotline): prints its
    service token and the key that signs the callbacks, each once."""
    from casework.hotline.services import connect_system as connect

    unit = db.session.scalar(select(Unit).where(Unit.code == unit_code))
    if unit is None:
        raise click.ClickException(f"no unit with code {unit_code!r}")
    connection = connect(name=name, unit=unit, callback_url=callback_url)
    db.session.commit()
    click.echo(f"token: {connection.token}")
    click.echo(f"callback signing key: {connection.callback_secret}")


@group.command("deliver-callbacks")
def deliver_callbacks() -> None:
    """Report work orders' progress to their systems: every report that is due (run it
    every minute from a timer)."""
    from casework.hotline.services import deliver_due

    delivered, pending = deliver_due()
    click.echo(f"delivered {delivered}, not delivered {pending}")


@group.command("send-notifications")
def send_notifications() -> None:
    """Email the notifications users asked to receive by email, and text residents who
    chose SMS contact that their request was answered (run it every minute)."""
    from casework.helpdesk.services import send_sms
    from casework.notifications.services import send_emails
    from casework.notifications.sms import configured_provider

    sent, waiting = send_emails()
    click.echo(f"emails sent {sent}, waiting {waiting}")
    provider = configured_provider()
    if provider is not None:
        sent, waiting = send_sms(provider)
        click.echo(f"text messages sent {sent}, waiting {waiting}")


@group.command("notify-due")
def notify_due() -> None:
    """Tell workers what falls due tomorrow and what became overdue (run it each morning)."""
    from casework.cases.notices import notify_due as notices
    from casework.core.clock import local_today

    sent = notices(local_today())
    db.session.commit()
    click.echo(f"notices sent: {sent}")


@group.command("build-evidence-packs")
def build_evidence_packs() -> None:
    """Build the queued evidence packs, and again those a dead process left half built
    (run it every few minutes from a timer)."""
    from casework.evidence.build import build_queued

    click.echo(f"evidence packs built: {build_queued()}")


@group.command("prune-evidence-packs")
def prune_evidence_packs() -> None:
    """Delete the files of evidence packs past their expiry (run it daily)."""
    from casework.evidence.build import prune_packs

    click.echo(f"evidence packs expired: {prune_packs()}")


def register(app: Flask) -> None:
    app.cli.add_command(group)
