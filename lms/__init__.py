"""The induction-training platform: `create_app` is the only place the app is assembled."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from lms.config import load_settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application; `config` overrides defaults and `LMS_*` variables."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("LMS_INSTANCE_PATH", str(PROJECT_ROOT / "instance")),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    load_settings(app, config)
    _init_extensions(app)
    _register_blueprints(app)
    _register_hooks(app)
    return app


def _init_extensions(app: Flask) -> None:
    # Importing the models registers their tables with the metadata.
    from lms import (
        audit,  # noqa: F401
        notifications,  # noqa: F401
    )
    from lms.assessments import models as assessment_models  # noqa: F401
    from lms.auth.services import load_session_user
    from lms.certificates import issuing
    from lms.certificates import models as certificate_models  # noqa: F401
    from lms.cohorts import models as cohort_models  # noqa: F401
    from lms.content import models as content_models  # noqa: F401
    from lms.extensions import csrf, db, limiter, login_manager, migrate
    from lms.learning import models as learning_models  # noqa: F401
    from lms.marking import models as marking_models  # noqa: F401
    from lms.marking.services import attempt_settled

    db.init_app(app)
    attempt_settled.connect(issuing.on_attempt_settled)
    migrate.init_app(
        app,
        db,
        directory=str(Path(__file__).parent / "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    csrf.init_app(app)
    limiter.init_app(app)
    # Strangers are redirected by the access hook (lms/auth/access.py), not by Flask-Login.
    login_manager.init_app(app)
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_session_user)
    count = int(app.config["PROXY_COUNT"])
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)  # type: ignore[method-assign]


def _register_blueprints(app: Flask) -> None:
    from lms.admin.routes import bp as admin_bp
    from lms.assessments.routes import bp as assessments_bp
    from lms.auth.access import check_every_view_declares_access
    from lms.auth.routes import bp as auth_bp
    from lms.calculators.routes import bp as calculators_bp
    from lms.certificates.badge_routes import bp as badges_bp
    from lms.certificates.routes import bp as certificates_bp
    from lms.certificates.template_routes import bp as certificate_template_bp
    from lms.certificates.verify_routes import bp as verification_bp
    from lms.cohorts.progress_routes import bp as cohort_progress_bp
    from lms.cohorts.routes import bp as cohorts_bp
    from lms.content.routes import bp as content_bp
    from lms.dashboards.routes import bp as dashboards_bp
    from lms.health import bp as health_bp
    from lms.learning.routes import bp as learning_bp
    from lms.marking.learner_routes import bp as learner_record_bp
    from lms.marking.moderation_routes import bp as moderation_bp
    from lms.marking.routes import bp as marking_bp
    from lms.reports.routes import bp as reports_bp

    blueprints = (auth_bp, admin_bp, dashboards_bp, health_bp, content_bp, learning_bp)
    marking = (marking_bp, learner_record_bp, moderation_bp)
    certificates = (certificates_bp, certificate_template_bp, verification_bp, badges_bp)
    cohorts = (cohorts_bp, cohort_progress_bp, reports_bp)
    for blueprint in (
        *blueprints,
        assessments_bp,
        calculators_bp,
        *marking,
        *certificates,
        *cohorts,
    ):
        app.register_blueprint(blueprint)
    check_every_view_declares_access(app)


def _register_hooks(app: Flask) -> None:
    from lms.auth.access import enforce_access
    from lms.errors import register_error_pages
    from lms.security import add_security_headers

    app.before_request(enforce_access)
    app.after_request(add_security_headers)
    register_error_pages(app)
    zone = ZoneInfo(app.config["TIMEZONE"])

    @app.template_filter("localtime")
    def localtime(value: datetime | None, fmt: str = "%d %b %Y %H:%M") -> str:
        return value.astimezone(zone).strftime(fmt) if value else ""

    @app.context_processor
    def site() -> dict[str, Any]:
        return {"site_name": app.config["SITE_NAME"]}
