"""casework: case management for community social-work stations."""

from __future__ import annotations

import logging
import os
from contextlib import suppress
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from casework.core.version import __version__  # noqa: F401  (the package's release)

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application: settings, extensions, blueprints, error pages."""
    from casework.config import instance_path_from_environment

    app = Flask(
        __name__,
        instance_path=instance_path_from_environment(os.path.join(PROJECT_ROOT, "instance")),
        instance_relative_config=True,
        template_folder=os.path.join(PROJECT_ROOT, "templates"),
        static_folder=os.path.join(PROJECT_ROOT, "static"),
    )
    _configure(app, test_config)
    _secure_instance(app)
    _configure_logging(app)

    from casework import (
        models,  # noqa: F401  (every table on the metadata)
        navigation,
    )
    from casework.core import (
        audit_chain,
        database,  # noqa: F401  (registers the SQLite pragmas)
        disclosure,
        errors,
        headers,
        i18n,
        requestlog,
        templating,
    )
    from casework.core.inputs import IdConverter
    from casework.extensions import babel, csrf, db, limiter, migrate
    from casework.hotline.services import register_callback_events
    from casework.search.index import register_index_events
    from casework.summaries.maintain import register_summary_events

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(PROJECT_ROOT, "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        default_translation_directories=os.path.join(os.path.dirname(__file__), "translations"),
    )
    _configure_login(app)
    register_index_events()
    register_summary_events()
    register_callback_events()
    from casework.people.views import NUMBER_FRAGMENTS
    from casework.search.queries import people_with_number_fragment

    app.extensions[NUMBER_FRAGMENTS] = people_with_number_fragment

    if app.config["TRUSTED_PROXY_COUNT"]:
        count = int(app.config["TRUSTED_PROXY_COUNT"])
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=count, x_proto=count, x_host=count
        )

    # Before any route is added: ids too large for the database match no route.
    app.url_map.converters["int"] = IdConverter
    _register_blueprints(app)
    errors.register_error_handlers(app)
    headers.register_security_headers(app)
    requestlog.register_request_log(app)
    audit_chain.register_sealing(app)  # before any hook that writes the log
    disclosure.register_disclosure_audit(app)
    templating.register_template_helpers(app)
    navigation.register_menu(app)

    from casework import cli

    cli.register(app)
    return app


def _configure(app: Flask, test_config: dict[str, Any] | None) -> None:
    from casework.config import (
        AUDIT_KEY_FILE,
        DATA_KEY_FILE,
        PREVIOUS_DATA_KEY_FILE,
        DefaultConfig,
        check_audit_retention,
        check_password_hash_profile,
        default_database_uri,
        load_or_create_secret_key,
        roles_setting,
        settings_from_environment,
    )

    app.config.from_object(DefaultConfig)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(settings_from_environment())
    if test_config:
        app.config.update(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"] or default_database_uri(
        app.instance_path
    )
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_or_create_secret_key(app.instance_path)
    if not app.config.get("DATA_KEY"):
        app.config["DATA_KEY"] = load_or_create_secret_key(app.instance_path, DATA_KEY_FILE)
    previous_key_file = Path(app.instance_path) / PREVIOUS_DATA_KEY_FILE
    if not app.config.get("DATA_KEY_PREVIOUS") and previous_key_file.exists():
        app.config["DATA_KEY_PREVIOUS"] = previous_key_file.read_text(encoding="ascii").strip()
    if not app.config.get("AUDIT_KEY"):
        app.config["AUDIT_KEY"] = load_or_create_secret_key(app.instance_path, AUDIT_KEY_FILE)
    check_password_hash_profile(app.config["PASSWORD_HASH_PROFILE"])
    check_audit_retention(app.config["AUDIT_RETENTION_DAYS"])
    app.config["MFA_REQUIRED_ROLES"] = roles_setting(app.config["MFA_REQUIRED_ROLES"])
    if app.config["DEMO"]:
        from casework.demo import DEMO_USERNAMES

        # The login page lists them in demo mode (accounts sit below the demo data).
        app.config.setdefault("DEMO_ACCOUNTS", DEMO_USERNAMES)


def _secure_instance(app: Flask) -> None:
    """``instance/`` holds the database, the key and the uploads: only its owner may read it.

    Files this process creates from here on are 0600 and folders 0700 (the umask), and an
    instance folder or SQLite file left readable by an earlier version is closed up.
    """
    os.umask(0o077)
    instance = Path(app.instance_path)
    instance.mkdir(mode=0o700, parents=True, exist_ok=True)
    with suppress(PermissionError):
        instance.chmod(0o700)
        for name in (
            "casework.db",
            "casework.db-wal",
            "casework.db-shm",
            "secret_key",
            "data_key",
            "audit_key",
        ):
            if (instance / name).exists():
                (instance / name).chmod(0o600)


def _configure_logging(app: Flask) -> None:
    """Our own loggers go to stderr; other libraries keep their own settings."""
    logger = logging.getLogger("casework")
    logger.setLevel(app.config["LOG_LEVEL"])
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        logger.addHandler(handler)


def _configure_login(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from casework.accounts.services import load_session_user
    from casework.extensions import login_manager

    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("请先登录。")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_session_user)


def _register_blueprints(app: Flask) -> None:
    from casework.accounts import mfa_views  # noqa: F401  (routes on the accounts blueprint)
    from casework.accounts.views import bp as accounts_bp
    from casework.activities.views import bp as activities_bp
    from casework.api import views as _api_views  # noqa: F401  (routes on the API blueprint)
    from casework.api.base import api
    from casework.api.base import blp as api_bp
    from casework.api.doc_views import bp as api_docs_bp
    from casework.api.token_views import bp as api_tokens_bp
    from casework.api.work_orders import blp as work_orders_bp
    from casework.attachments.views import bp as attachments_bp
    from casework.audit.views import bp as audit_bp
    from casework.calendar.views import bp as calendar_bp
    from casework.cases import (  # noqa: F401  (routes on the cases blueprint)
        inbound_views,
        record_views,
        transfer_views,
    )
    from casework.cases.views import bp as cases_bp
    from casework.cases.wording_views import bp as wording_bp
    from casework.core.health import bp as health_bp
    from casework.dashboards.views import bp as dashboards_bp
    from casework.dashboards.wall_views import bp as wall_bp
    from casework.evidence.views import bp as evidence_bp
    from casework.exports import approval_views as _approvals  # noqa: F401  (routes)
    from casework.exports import report_views as _export_reports  # noqa: F401  (routes)
    from casework.exports.views import bp as exports_bp
    from casework.groups import (
        report_views,  # noqa: F401  (routes on the groups blueprint)
        session_views,  # noqa: F401  (routes on the groups blueprint)
    )
    from casework.groups.views import bp as groups_bp
    from casework.helpdesk import convert_views as _conversion  # noqa: F401  (routes)
    from casework.helpdesk.public_views import bp as help_bp
    from casework.helpdesk.views import bp as requests_bp
    from casework.home.views import bp as home_bp
    from casework.hotline.views import bp as hotline_bp
    from casework.imports.views import bp as imports_bp
    from casework.merges.views import bp as merges_bp
    from casework.notifications.views import bp as notifications_bp
    from casework.orgs.views import bp as orgs_bp
    from casework.people import (  # noqa: F401  (routes on the people blueprint)
        file_request_views,
        household_views,
    )
    from casework.people.views import bp as people_bp
    from casework.pilot.views import bp as pilot_bp
    from casework.projects.views import bp as projects_bp
    from casework.reports.views import bp as reports_bp
    from casework.retention.views import bp as retention_bp
    from casework.rights.views import bp as rights_bp
    from casework.search.views import bp as search_bp
    from casework.supervision.views import bp as supervision_bp
    from casework.volunteers.views import bp as volunteers_bp
    from casework.worker_reports.views import bp as worker_reports_bp
    from casework.workforce import (  # noqa: F401  (routes on the workforce blueprint)
        post_views,
        statistics_views,
        training_views,
    )
    from casework.workforce import record_views as _workforce_records  # noqa: F401  (routes)
    from casework.workforce.views import bp as workforce_bp

    api.init_app(app)
    api.register_blueprint(api_bp)
    api.register_blueprint(work_orders_bp)
    for blueprint in (
        api_docs_bp,
        api_tokens_bp,
        health_bp,
        accounts_bp,
        home_bp,
        orgs_bp,
        people_bp,
        cases_bp,
        wording_bp,
        requests_bp,
        attachments_bp,
        groups_bp,
        activities_bp,
        volunteers_bp,
        calendar_bp,
        audit_bp,
        reports_bp,
        rights_bp,
        retention_bp,
        exports_bp,
        dashboards_bp,
        wall_bp,
        evidence_bp,
        pilot_bp,
        projects_bp,
        supervision_bp,
        workforce_bp,
        worker_reports_bp,
        imports_bp,
        merges_bp,
        hotline_bp,
        notifications_bp,
        search_bp,
        help_bp,
    ):
        app.register_blueprint(blueprint)
