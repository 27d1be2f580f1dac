"""Open Badges 2.0: every certificate is a hosted Assertion whose BadgeClass and issuer Profile
are linked documents on the same site, each valid against the specification's schema."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask, g, has_app_context
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from werkzeug.test import TestResponse

from lms.auth.models import User
from lms.certificates.models import PROGRAMME
from lms.database import utcnow
from lms.extensions import db
from tests.certificates.certificate_steps import certificates_of, certified
from tests.conftest import AppFactory
from tests.marking.marking_steps import module_a1

SCHEMAS = Path(__file__).parent / "schemas"
LD_JSON = "application/ld+json"


def _registry() -> Registry:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text())
        resources.append((schema["$id"], Resource.from_contents(schema)))
    return Registry().with_resources(resources)


def schema_check(name: str, document: dict[str, Any]) -> None:
    """Raise ValidationError unless `document` is valid against schemas/<name>.json."""
    schema = json.loads((SCHEMAS / f"{name}.json").read_text())
    Draft202012Validator.check_schema(schema)
    Draft202012Validator(schema, registry=_registry()).validate(document)


def stranger(app: Flask) -> FlaskClient:
    """A client nobody signed in to; the shared app context forgets the last request's user."""
    if has_app_context():
        g.pop("_login_user", None)
    return app.test_client()


def fetch(client: FlaskClient, url: str, **headers: str) -> TestResponse:
    """GET an absolute URL of this site, as a backpack following the links would."""
    parts = urlsplit(url)
    assert parts.scheme == "http" and parts.netloc == "localhost", url
    return client.get(parts.path, headers=headers)


def test_the_assertion_badge_class_and_issuer_form_a_valid_hosted_badge(
    app: Flask, learner: User, assessor: User, moderator: User
) -> None:
    """Follow the links a verifier follows; each document is valid and is where its id says."""
    certificate = certified(learner, assessor, moderator)
    client = stranger(app)

    assertion = client.get(f"/badges/assertions/{certificate.code}")
    assert assertion.status_code == 200 and assertion.mimetype == LD_JSON
    document = assertion.json
    assert document is not None
    schema_check("assertion", document)
    assert fetch(client, document["id"]).json == document
    assert document["verification"] == {"type": "hosted"}
    assert document["issuedOn"] == "2026-12-01T09:00:00+00:00"

    badge_class = fetch(client, document["badge"])
    assert badge_class.status_code == 200 and badge_class.json is not None
    schema_check("badgeclass", badge_class.json)
    assert badge_class.json["id"] == document["badge"]
    with fetch(client, badge_class.json["image"]) as image:
        assert image.status_code == 200 and image.mimetype == "image/svg+xml"

    issuer = fetch(client, badge_class.json["issuer"])
    assert issuer.status_code == 200 and issuer.json is not None
    schema_check("issuer", issuer.json)
    assert issuer.json["id"] == badge_class.json["issuer"]


def test_the_recipient_is_the_salted_hash_of_the_learners_email(
    app: Flask, learner: User, assessor: User, moderator: User
) -> None:
    """identity = "sha256$" + sha256(email + salt); the email itself is not in the document."""
    module_certificate, programme_certificate = certificates_of(
        certified(learner, assessor, moderator).learner
    )
    client = stranger(app)

    first = client.get(f"/badges/assertions/{module_certificate.code}")
    recipient = first.json["recipient"] if first.json else {}

    expected = hashlib.sha256((learner.email + recipient["salt"]).encode()).hexdigest()
    assert recipient == {
        "type": "email",
        "hashed": True,
        "salt": recipient["salt"],
        "identity": f"sha256${expected}",
    }
    assert learner.email not in first.get_data(as_text=True)
    again = client.get(f"/badges/assertions/{module_certificate.code}").json or {}
    other = client.get(f"/badges/assertions/{programme_certificate.code}").json or {}
    assert again["recipient"]["salt"] == recipient["salt"]  # stable
    assert other["recipient"]["salt"] != recipient["salt"]  # one per certificate


def test_the_recipient_hash_outlives_a_new_secret_key(
    app: Flask, learner: User, assessor: User, moderator: User
) -> None:
    """A backpack keeps the published hash: rotating SECRET_KEY must not change it."""
    code = certified(learner, assessor, moderator).code
    before = stranger(app).get(f"/badges/assertions/{code}").json or {}
    key = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"] = "a-rotated-secret-key"
    try:
        after = stranger(app).get(f"/badges/assertions/{code}").json or {}
    finally:
        app.config["SECRET_KEY"] = key
    assert after["recipient"] == before["recipient"]


def test_a_revoked_assertion_answers_410_gone_with_revoked_true_and_no_recipient(
    app: Flask, learner: User, assessor: User, moderator: User
) -> None:
    certificate = certified(learner, assessor, moderator)
    certificate.revoked_at = utcnow()
    certificate.revoke_reason = "Awarded in error after an appeal"
    db.session.commit()

    response = stranger(app).get(f"/badges/assertions/{certificate.code}")

    assert response.status_code == 410
    document = response.json
    assert document is not None
    schema_check("assertion", document)
    assert document["revoked"] is True
    assert document["id"] == f"http://localhost/badges/assertions/{certificate.code}"
    assert "recipient" not in document
    assert "appeal" not in response.get_data(as_text=True)


def test_an_expired_certificate_keeps_its_assertion_with_the_expiry_date(
    app: Flask, learner: User, assessor: User, moderator: User
) -> None:
    certificate = certified(learner, assessor, moderator)
    certificate.expires_at = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    db.session.commit()

    response = stranger(app).get(f"/badges/assertions/{certificate.code}")

    assert response.status_code == 200 and response.json is not None
    schema_check("assertion", response.json)
    assert response.json["expires"] == "2026-12-02T09:00:00+00:00"


def test_a_client_that_accepts_only_json_gets_application_json(
    app: Flask, learner: User, assessor: User, moderator: User
) -> None:
    certificate = certified(learner, assessor, moderator)
    client = stranger(app)

    only_json = client.get(
        f"/badges/assertions/{certificate.code}", headers={"Accept": "application/json"}
    )
    anything = client.get("/badges/issuer", headers={"Accept": "*/*"})

    assert only_json.mimetype == "application/json"
    assert anything.mimetype == LD_JSON


def test_unknown_codes_and_subjects_answer_404_json(app: Flask) -> None:
    client = stranger(app)

    unknown_code = client.get("/badges/assertions/2345-6789-ABCD")
    unknown_subject = client.get("/badges/classes/NOPE")

    assert unknown_code.status_code == 404 and unknown_code.json == {
        "error": "No certificate has this code."
    }
    assert unknown_subject.status_code == 404 and unknown_subject.json == {
        "error": "No badge has this name."
    }


def test_a_module_badge_class_names_its_outcomes_in_the_criteria(
    app: Flask, learner: User, assessor: User, moderator: User
) -> None:
    module = module_a1()

    document = stranger(app).get("/badges/classes/A1").json or {}

    assert document["name"] == module.title
    narrative = document["criteria"]["narrative"]
    for outcome in module.current_outcomes:
        assert f"- {outcome.code}: {outcome.statement}" in narrative


def test_the_programme_badge_class_names_the_programme_and_its_modules(
    app: Flask, learner: User, assessor: User, moderator: User
) -> None:
    module = module_a1()

    response = stranger(app).get(f"/badges/classes/{PROGRAMME}")

    document = response.json or {}
    schema_check("badgeclass", document)
    assert document["name"] == app.config["PROGRAMME_TITLE"]
    assert f"- A1: {module.title}" in document["criteria"]["narrative"]
    assert response.headers["Cache-Control"] == "public, max-age=300"


def test_the_issuer_is_the_site_with_its_mail_address(app: Flask) -> None:
    response = stranger(app).get("/badges/issuer")

    assert response.json == {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Issuer",
        "id": "http://localhost/badges/issuer",
        "name": app.config["SITE_NAME"],
        "url": "http://localhost/",
        "email": "no-reply@localhost",
    }
    assert response.headers["Cache-Control"] == "public, max-age=300"


def test_assertions_are_never_cached_nor_indexed(
    app: Flask, learner: User, assessor: User, moderator: User
) -> None:
    """A revocation must show on the next check."""
    certificate = certified(learner, assessor, moderator)

    response = stranger(app).get(f"/badges/assertions/{certificate.code}")

    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Robots-Tag"] == "noindex"


@pytest.mark.parametrize(
    ("name", "broken"),
    [
        ("assertion", lambda d: d.pop("recipient")),
        ("assertion", lambda d: d.update(issuedOn="2026-12-01 09:00")),  # no zone
        ("assertion", lambda d: d["recipient"].update(identity="someone@example.com")),
        ("badgeclass", lambda d: d.pop("criteria")),
        ("issuer", lambda d: d.pop("email")),
    ],
)
def test_the_schemas_refuse_a_document_the_specification_refuses(
    app: Flask,
    learner: User,
    assessor: User,
    moderator: User,
    name: str,
    broken: Any,
) -> None:
    """The vendored schemas are strict enough to catch a broken document."""
    certificate = certified(learner, assessor, moderator)
    client = stranger(app)
    paths = {
        "assertion": f"/badges/assertions/{certificate.code}",
        "badgeclass": "/badges/classes/A1",
        "issuer": "/badges/issuer",
    }
    document = client.get(paths[name]).json or {}
    schema_check(name, document)

    broken(document)

    with pytest.raises(ValidationError):
        schema_check(name, document)


def test_another_spelling_of_a_code_moves_to_the_canonical_assertion(
    app: Flask, learner: User, assessor: User, moderator: User
) -> None:
    certificate = certified(learner, assessor, moderator)

    response = stranger(app).get(f"/badges/assertions/{certificate.code.lower()}")

    assert response.status_code == 301
    assert response.headers["Location"] == f"/badges/assertions/{certificate.code}"


def test_expiry_in_the_past_is_stated_in_utc(
    app: Flask, learner: User, assessor: User, moderator: User
) -> None:
    """Timestamps carry their zone, as OB 2.0 requires."""
    certificate = certified(learner, assessor, moderator)
    certificate.expires_at = utcnow() - timedelta(days=1)
    db.session.commit()

    document = stranger(app).get(f"/badges/assertions/{certificate.code}").json or {}

    assert document["expires"].endswith("+00:00")


def test_assertions_are_throttled_per_address_like_the_verification_page(
    make_app: AppFactory,
) -> None:
    """Codes cannot be tried in bulk through the JSON either."""
    app = make_app(VERIFY_LIMIT_PER_ADDRESS="2 per minute")
    client = app.test_client()

    answers = [client.get(f"/badges/assertions/2345-6789-ABC{n}").status_code for n in "234"]

    assert answers == [404, 404, 429]
