"""Every route, as a stranger and as every role, answered as the one access table says."""

from __future__ import annotations

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from lms.auth.roles import Role
from tests.conftest import UserFactory, sign_in

ANON = "anonymous"
EVERYONE = frozenset({ANON, *Role})
SIGNED_IN = frozenset(Role)


def only(*roles: Role) -> frozenset[str]:
    return frozenset(roles)


RECORD_READERS = only(Role.ASSESSOR, Role.MODERATOR, Role.TRAINER, Role.HR, Role.ADMIN)
COHORT_STAFF = only(Role.TRAINER, Role.ASSESSOR, Role.HR, Role.ADMIN)
COHORT_RUNNERS = only(Role.TRAINER, Role.ADMIN)
RECORD_KEEPERS = only(Role.TRAINER, Role.HR, Role.ADMIN)

# endpoint -> who may use it. A route missing from this table fails the test.
ACCESS = {
    "static": EVERYONE,
    "health.healthz": EVERYONE,
    "dashboards.index": EVERYONE,
    "auth.login": EVERYONE,
    "auth.request_password_reset": EVERYONE,
    "auth.reset_password": EVERYONE,
    "auth.logout": SIGNED_IN,
    "auth.profile": SIGNED_IN,
    "auth.change_password": SIGNED_IN,
    "dashboards.home": SIGNED_IN,
    "dashboards.learner": only(Role.LEARNER),
    "dashboards.trainer": only(Role.TRAINER),
    "dashboards.assessor": only(Role.ASSESSOR),
    "dashboards.moderator": only(Role.MODERATOR),
    "dashboards.hr": only(Role.HR),
    "dashboards.admin": only(Role.ADMIN),
    "admin.users": only(Role.ADMIN),
    "admin.new_user": only(Role.ADMIN),
    "admin.edit_user": only(Role.ADMIN),
    "admin.set_active": only(Role.ADMIN),
    "admin.send_password_link": only(Role.ADMIN),
    "admin.audit_log": only(Role.ADMIN),
    "admin.assessors": only(Role.ADMIN),
    "learning.catalogue": only(Role.LEARNER),
    "learning.module": only(Role.LEARNER),
    "learning.lesson": only(Role.LEARNER),
    "learning.complete_lesson": only(Role.LEARNER),
    "content.library": only(Role.TRAINER, Role.ASSESSOR, Role.MODERATOR, Role.ADMIN),
    "content.revision": only(Role.TRAINER, Role.ASSESSOR, Role.MODERATOR, Role.ADMIN),
    "content.media": SIGNED_IN,
    "assessments.quiz": only(Role.LEARNER),
    "assessments.start": only(Role.LEARNER),
    "assessments.attempt": only(Role.LEARNER),
    "assessments.save": only(Role.LEARNER),
    "assessments.autosave": only(Role.LEARNER),
    "assessments.summary": only(Role.LEARNER),
    "assessments.submit": only(Role.LEARNER),
    "assessments.review": only(Role.LEARNER),
    "assessments.quiz_bank": only(Role.TRAINER, Role.ASSESSOR, Role.MODERATOR, Role.ADMIN),
    "assessments.preview": only(Role.TRAINER, Role.ASSESSOR, Role.MODERATOR, Role.ADMIN),
    "calculators.service_level": SIGNED_IN,
    "dashboards.read_notifications": SIGNED_IN,
    "marking.queue": only(Role.ASSESSOR),
    "marking.mark": only(Role.ASSESSOR),
    "marking.take": only(Role.ASSESSOR),
    "marking.release": only(Role.ASSESSOR),
    "marking.save": only(Role.ASSESSOR),
    "learner_record.overview": only(Role.LEARNER),
    "learner_record.module_record_page": only(Role.LEARNER),
    "learner_record.appeal": only(Role.LEARNER),
    "learner_record.portfolio": only(Role.LEARNER),
    "learner_record.staff_record": RECORD_READERS,
    "learner_record.staff_portfolio": RECORD_READERS,
    "learner_record.unlock": only(Role.TRAINER, Role.ADMIN),
    "moderation.sample": only(Role.MODERATOR),
    "moderation.judgement": only(Role.MODERATOR),
    "moderation.appeals": only(Role.MODERATOR),
    "moderation.appeal": only(Role.MODERATOR),
    "moderation.report": only(Role.MODERATOR),
    # A certificate is the learner's own or certificate staff's; the check is in the service
    # (404 for anyone else), so every signed-in role reaches the route.
    "certificates.download": SIGNED_IN,
    "verification.verify_code": EVERYONE,
    "verification.verify": EVERYONE,
    "badges.assertion": EVERYONE,
    "badges.badge_class": EVERYONE,
    "badges.issuer": EVERYONE,
    "certificate_template.edit": only(Role.TRAINER, Role.ADMIN),
    "certificate_template.preview": only(Role.TRAINER, Role.ADMIN),
    "certificate_template.preview_draft": only(Role.TRAINER, Role.ADMIN),
    "certificates.register": only(Role.HR, Role.ADMIN),
    "certificates.detail": only(Role.HR, Role.ADMIN),
    "certificates.revoke": only(Role.HR, Role.ADMIN),
    "certificates.export_csv": only(Role.HR, Role.ADMIN),
    "certificates.download_zip": only(Role.HR, Role.ADMIN),
    # Cohorts: the role decides who gets in; which cohorts they then see is checked by the
    # cohort tests (tests/cohorts/), where another cohort's staff get 404.
    "cohorts.index": COHORT_STAFF,
    "cohorts.detail": COHORT_STAFF,
    "cohorts.new": COHORT_RUNNERS,
    "cohorts.edit": COHORT_RUNNERS,
    "cohorts.enrol": COHORT_RUNNERS,
    "cohorts.import_file": COHORT_RUNNERS,
    "cohorts.confirm_import": COHORT_RUNNERS,
    "cohorts.learner": COHORT_RUNNERS,
    "cohorts.move": COHORT_RUNNERS,
    "cohorts.withdraw": COHORT_RUNNERS,
    "cohort_progress.progress": COHORT_STAFF,
    # Records: trainers see their cohorts' learners only (tests/reports/test_access.py).
    "reports.records": RECORD_KEEPERS,
    "reports.export_csv": RECORD_KEEPERS,
    "reports.export_xlsx": RECORD_KEEPERS,
    "reports.transcript": RECORD_KEEPERS,
    "reports.transcript_pdf": RECORD_KEEPERS,
    "reports.my_transcript": only(Role.LEARNER),
    "reports.my_transcript_pdf": only(Role.LEARNER),
}

# Values for URL variables: a real user id is filled in at run time.
SAMPLE_ARGUMENTS = {
    "token": "no-such-token",
    "filename": "css/site.css",
    "slug": "no-such-module",
    "lesson_slug": "no-such-lesson",
    "revision_id": 999_999,
    "sha256": "0" * 64,
    "module_slug": "no-such-module",
    "quiz_slug": "no-such-quiz",
    "attempt_id": 999_999,
    "judgement_id": 999_999,
    "appeal_id": 999_999,
    "code": "2222-2222-2222",
    "subject_key": "NO-SUCH-SUBJECT",
    "cohort_id": 999_999,
    "membership_id": 999_999,
    "learner_id": 999_999,
}
# Where one endpoint needs a different value for a shared name.
ENDPOINT_ARGUMENTS = {"content.media": {"filename": "chart.png"}}


def _routes(app: Flask) -> list[tuple[str, Rule, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, rule, method))
    return found


def test_every_route_is_in_the_access_table(app: Flask) -> None:
    """A new route cannot ship without a row saying who may use it."""
    endpoints = {endpoint for endpoint, _, _ in _routes(app)}
    assert endpoints - ACCESS.keys() == set(), "add these endpoints to ACCESS"
    assert ACCESS.keys() - endpoints == set(), "ACCESS names endpoints that no longer exist"


@pytest.mark.parametrize("who", [ANON, *Role])
def test_each_route_answers_each_role_as_the_table_says(
    app: Flask, make_user: UserFactory, who: str
) -> None:
    """Strangers go to the login page, the wrong roles get 403, the right ones get in."""
    app.config["WTF_CSRF_ENABLED"] = False  # the table is about roles; CSRF has its own tests
    try:
        target = make_user(Role.LEARNER)
        client: FlaskClient = app.test_client()
        if who != ANON:
            sign_in(client, make_user(Role(who)))
        failures = []
        for endpoint, rule, method in _routes(app):
            url = _url(app, rule, target.id)
            response = client.open(url, method=method)
            response.close()
            expected = _expected(endpoint, who)
            if not _matches(response.status_code, response.location, expected):
                failures.append(f"{method} {url}: {response.status_code}, expected {expected}")
            if endpoint == "auth.logout" and who != ANON:
                sign_in(client, make_user(Role(who)))  # logging out ends this identity
        assert failures == []
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


def _url(app: Flask, rule: Rule, user_id: int) -> str:
    samples = {**SAMPLE_ARGUMENTS, **ENDPOINT_ARGUMENTS.get(rule.endpoint, {})}
    arguments = {name: (user_id if name == "user_id" else samples[name]) for name in rule.arguments}
    with app.test_request_context():
        return url_for(rule.endpoint, **arguments)


def _expected(endpoint: str, who: str) -> str:
    if who in ACCESS[endpoint]:
        return "allowed"
    return "login" if who == ANON else "forbidden"


def _matches(status: int, location: str | None, expected: str) -> bool:
    if expected == "login":
        return status == 302 and (location or "").startswith("/login")
    if expected == "forbidden":
        return status == 403
    return status < 500 and status not in (401, 403)
