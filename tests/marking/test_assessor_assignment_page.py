"""The admin page that assigns assessors to modules (until cohorts carry the assignment)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from lms.audit import AuditEvent
from lms.auth.models import User
from lms.auth.roles import Role
from lms.content.models import Module
from lms.extensions import db
from lms.marking import marking_queue
from tests.bad_input.conftest import (
    CSRF_MESSAGE,
    Fields,
    assert_error_page,
    assert_shown,
    post_form,
)
from tests.conftest import UserFactory, csrf_token
from tests.marking.marking_steps import as_user, module_a1
from tests.marking.steps_marking import audit_trail, database_state, user_with_roles
from tests.quiz_files import QuizWorld

PAGE = "/admin/assessors"


@pytest.fixture
def admin(app_context: None, world: QuizWorld, make_user: UserFactory) -> User:
    return user_with_roles(make_user, Role.ADMIN, full_name="Ayesha Admin")


@pytest.fixture
def assessors(app_context: None, make_user: UserFactory) -> list[User]:
    return [
        user_with_roles(make_user, Role.ASSESSOR, full_name=name)
        for name in ("Priya Naidoo", "Kagiso Molefe")
    ]


def field_of(module: Module) -> str:
    return f"module-{module.id}"


def save(client: FlaskClient, ticked: dict[str, list[str]]) -> TestResponse:
    """Post the page's form with these boxes ticked, as a browser does."""
    return client.post(PAGE, data={**ticked, "csrf_token": csrf_token(client, PAGE)})


def assigned(module: Module) -> list[int]:
    db.session.expire_all()
    return sorted(user.id for user in marking_queue.assessors_by_module().get(module.id, []))


def test_the_page_offers_every_assessor_for_each_current_module(
    app: Flask, admin: User, assessors: list[User], make_user: UserFactory
) -> None:
    """A fieldset per module, a labelled checkbox per assessor, and nobody else offered."""
    learner = user_with_roles(make_user, Role.LEARNER, full_name="Thandi Mokoena")
    module = module_a1()

    page = as_user(app, admin).get(PAGE).get_data(as_text=True)

    assert f"<legend>{module.code} {module.title}</legend>" in page
    for index, user in enumerate(assessors[::-1]):  # by name: Kagiso before Priya
        box = f'id="{field_of(module)}-{index}" name="{field_of(module)}" type="checkbox"'
        assert f'{box} value="{user.id}"' in page
        assert f"{user.full_name} ({user.email})</label>" in page
    assert learner.full_name not in page


def test_the_users_page_links_to_the_assignments(app: Flask, admin: User) -> None:
    """The users page, where the assessor role is given, links to the assignments."""
    page = as_user(app, admin).get("/admin/users").get_data(as_text=True)
    assert f'href="{PAGE}">Assign assessors to modules</a>' in page


def test_saving_assigns_and_unassigns_with_an_audit_event(
    app: Flask, admin: User, assessors: list[User]
) -> None:
    """Ticking assigns, clearing unassigns; each change is audited with the assessors chosen,
    and saving without a change records nothing."""
    module, (priya, kagiso) = module_a1(), assessors
    client = as_user(app, admin)

    response = save(client, {field_of(module): [str(priya.id), str(kagiso.id)]})
    assert (response.status_code, response.location) == (303, PAGE)
    assert assigned(module) == sorted([priya.id, kagiso.id])
    assert "Assessors saved." in client.get(PAGE).get_data(as_text=True)

    save(client, {field_of(module): [str(kagiso.id)]})
    assert assigned(module) == [kagiso.id]
    save(client, {field_of(module): [str(kagiso.id)]})  # unchanged: no event
    assert save(client, {}).status_code == 303
    assert assigned(module) == []

    trail = audit_trail(module)
    assert trail == [("marking.assessors_assigned", admin.id)] * 3
    details = [
        event.details
        for event in db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_type == "modules", AuditEvent.object_id == str(module.id))
            .order_by(AuditEvent.id)
        )
    ]
    assert details == [
        {"assessors": sorted([priya.email, kagiso.email])},
        {"assessors": [kagiso.email]},
        {"assessors": []},
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        pytest.param("learner", "Only people holding the assessor role", id="not-an-assessor"),
        pytest.param("999999", "(not user 999999)", id="unknown-id"),
        pytest.param("abc", "Choose people from the list.", id="not-a-number"),
        pytest.param("1\x00", "Choose people from the list.", id="nul"),
    ],
)
def test_a_person_who_is_not_an_assessor_is_refused_and_nothing_changes(
    app: Flask,
    admin: User,
    assessors: list[User],
    make_user: UserFactory,
    value: str,
    message: str,
) -> None:
    """A forged id (a learner's, an unknown one, not a number): 422 at the module's field and
    no assignment or audit event, even for the valid boxes sent with it."""
    module, (priya, _) = module_a1(), assessors
    if value == "learner":
        value = str(user_with_roles(make_user, Role.LEARNER, full_name="Lee Learner").id)
    before = database_state()

    response = save(as_user(app, admin), {field_of(module): [str(priya.id), value]})

    assert response.status_code == 422
    assert_shown(response, field_of(module), message)
    assert database_state() == before
    assert assigned(module) == []


def test_saving_without_the_csrf_token_is_refused(
    app: Flask, admin: User, assessors: list[User]
) -> None:
    """Without this session's token: a 400 that says so, nothing assigned."""
    module = module_a1()
    client = as_user(app, admin)
    csrf_token(client, PAGE)
    before = database_state()

    fields: Fields = {field_of(module): [str(assessors[0].id)]}
    for token in (None, "", "forged"):
        assert_error_page(post_form(client, PAGE, fields, token=token), 400, CSRF_MESSAGE)
    assert database_state() == before


@pytest.mark.parametrize("role", [Role.LEARNER, Role.ASSESSOR, Role.MODERATOR, Role.TRAINER])
def test_only_an_admin_reaches_the_page(
    app: Flask, app_context: None, make_user: UserFactory, role: Role
) -> None:
    """Everyone else gets 403, to the page and to its form."""
    client = as_user(app, user_with_roles(make_user, role, full_name="Not An Admin"))
    assert client.get(PAGE).status_code == 403
    assert post_form(client, PAGE, {}, token=csrf_token(client, "/account")).status_code == 403
