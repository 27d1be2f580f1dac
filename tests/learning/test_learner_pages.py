"""The learner's pages over HTTP: catalogue, dashboard, module, lesson and "Mark as complete"."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from lms.auth.models import User
from lms.auth.roles import Role
from tests.conftest import UserFactory, sign_in
from tests.learning.conftest import (
    FIRST,
    MODULE,
    POLICY,
    SECOND,
    STATEMENT,
    Programme,
    acknowledgements,
    backdate_views,
    completed_count,
    progress_row,
    revision_id,
    second_module,
)

OVERVIEWS = ["/learn/", "/dashboard/learner"]
TICK_THE_BOX = "Tick the box to confirm the statement before completing."
UPDATED_WHILE_READING = (
    "This lesson was updated while you were reading it. Please read the new version."
)


@dataclass(frozen=True)
class Learner:
    user: User
    client: FlaskClient


@pytest.fixture
def learner(app: Flask, programme: Programme, make_user: UserFactory) -> Learner:
    """A signed-in learner of the published sample module."""
    user = make_user(Role.LEARNER, full_name="Lee Learner")
    return Learner(user, sign_in(app.test_client(), user))


def lesson_path(lesson: str, module: str = MODULE) -> str:
    return f"/learn/{module}/{lesson}"


def words(response: TestResponse) -> str:
    """The page's text as read: tags dropped, entities decoded, white space made one space."""
    text = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return " ".join(html.unescape(text).split())


def completion_form(client: FlaskClient, lesson: str, module: str = MODULE) -> dict[str, str]:
    """Open the lesson's page and return what its completion form posts as it stands."""
    response = client.get(lesson_path(lesson, module))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    revision = re.search(r'name="revision_id"[^>]*value="(\d+)"', page)
    assert token and revision, f"no completion form on {lesson}"
    return {"csrf_token": token.group(1), "revision_id": revision.group(1)}


def complete(client: FlaskClient, lesson: str, module: str = MODULE, **extra: str) -> TestResponse:
    """Open the lesson and press its completion button, with any extra fields."""
    fields = {**completion_form(client, lesson, module), **extra}
    return client.post(f"{lesson_path(lesson, module)}/complete", data=fields)


def complete_all(client: FlaskClient, module: str = MODULE) -> None:
    for lesson in (FIRST, SECOND, POLICY):
        ticked = {"acknowledge": "y"} if lesson == POLICY else {}
        assert complete(client, lesson, module, **ticked).status_code == 303


def progress_bar(response: TestResponse, element_id: str) -> int:
    """The value of the `<progress>` bar with this id."""
    page = response.get_data(as_text=True)
    found = re.search(
        rf'<progress class="progress" id="{element_id}" max="100" value="(\d+)"', page
    )
    assert found, f"no progress bar {element_id}"
    return int(found.group(1))


def module_cards(response: TestResponse) -> dict[str, str]:
    """Each module card's text, by the module's link."""
    page = response.get_data(as_text=True)
    cards = re.findall(r'<li class="card module-card">(.*?)</li>', page, re.S)
    found = {}
    for card in cards:
        link = re.search(r'href="(/learn/[^"]+)"', card)
        assert link
        found[link.group(1)] = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", card)).split())
    return found


def resume_link(response: TestResponse) -> tuple[str, str] | None:
    """The "Continue where you left off" button: its address and its words."""
    page = response.get_data(as_text=True)
    section = re.search(r'<section class="card resume".*?</section>', page, re.S)
    assert section, "no resume card"
    assert "Continue where you left off" in section.group(0)
    link = re.search(r'<a class="button" href="([^"]+)">(.*?)</a>', section.group(0), re.S)
    if link is None:
        return None
    return link.group(1), html.unescape(link.group(2))


def lesson_states(response: TestResponse) -> dict[str, str]:
    """Each lesson of the module page by title: its badges' words, "(no link)" if not linked."""
    page = response.get_data(as_text=True)
    listing = re.search(r'<ol class="lesson-list">(.*?)</ol>', page, re.S)
    assert listing
    states = {}
    for item in re.findall(r"<li>(.*?)</li>", listing.group(1), re.S):
        item = item.strip()
        name = re.match(r'<(a|span) class="lesson-name"[^>]*>(.*?)</', item)
        assert name
        badges = re.findall(
            r'<span class="badge [^"]+">((?:<span[^>]*>[^<]*</span>)?[^<]*)</span>', item
        )
        shown = " + ".join(re.sub(r"<[^>]+>[^<]*</span>", "", badge) for badge in badges)
        states[html.unescape(name.group(2))] = shown + (
            "" if name.group(1) == "a" else " (no link)"
        )
    return states


def location(response: TestResponse) -> str:
    return response.headers["Location"]


# The catalogue and the dashboard


@pytest.fixture
def two_modules(programme: Programme) -> Programme:
    programme.modules.append(second_module())
    programme.publish()
    return programme


@pytest.mark.parametrize("path", OVERVIEWS)
def test_each_module_shows_a_progress_bar_and_its_progress_in_words(
    two_modules: Programme, learner: Learner, path: str
) -> None:
    """Every module has a bar at its percentage, lessons done of all, and minutes left."""
    assert complete(learner.client, FIRST).status_code == 303

    response = learner.client.get(path)

    assert response.status_code == 200
    assert progress_bar(response, f"progress-{MODULE}") == 33
    assert progress_bar(response, "progress-beta") == 0
    cards = module_cards(response)
    assert "1 of 3 lessons done · about 10 min left" in cards[f"/learn/{MODULE}"]
    assert "0 of 3 lessons done · about 15 min left" in cards["/learn/beta"]


@pytest.mark.parametrize("path", OVERVIEWS)
def test_a_finished_module_shows_a_full_bar_and_no_minutes_left(
    learner: Learner, path: str
) -> None:
    """Once every lesson is done the bar is full and no time is left to give."""
    complete_all(learner.client)

    response = learner.client.get(path)

    assert progress_bar(response, f"progress-{MODULE}") == 100
    card = module_cards(response)[f"/learn/{MODULE}"]
    assert "3 of 3 lessons done" in card
    assert "min left" not in card


@pytest.mark.parametrize("path", OVERVIEWS)
def test_continue_starts_at_the_first_lesson_when_nothing_is_opened(
    two_modules: Programme, learner: Learner, path: str
) -> None:
    """A new learner is offered the first lesson of the first module."""
    response = learner.client.get(path)

    assert resume_link(response) == (lesson_path(FIRST), "Start “First steps”")


@pytest.mark.parametrize("path", OVERVIEWS)
def test_continue_goes_back_to_the_lesson_last_opened(
    app: Flask, two_modules: Programme, learner: Learner, path: str
) -> None:
    """The unfinished lesson opened last is where the learner carries on, in any module."""
    learner.client.get(lesson_path(POLICY))
    learner.client.get(lesson_path(SECOND, "beta"))
    assert resume_link(learner.client.get(path)) == (
        lesson_path(SECOND, "beta"),
        "Continue “On the phone”",
    )
    # Views less than a minute apart are not recorded again: come back a little later.
    backdate_views(app, learner.user.id, timedelta(minutes=5))

    learner.client.get(lesson_path(POLICY))

    assert resume_link(learner.client.get(path)) == (
        lesson_path(POLICY),
        "Continue “Code of conduct”",
    )


@pytest.mark.parametrize("path", OVERVIEWS)
def test_continue_moves_on_to_the_next_lesson_after_a_completion(
    learner: Learner, path: str
) -> None:
    """With the lesson just finished, the next one to start is offered."""
    complete(learner.client, FIRST)

    assert resume_link(learner.client.get(path)) == (lesson_path(SECOND), "Start “On the phone”")


@pytest.mark.parametrize("path", OVERVIEWS)
def test_continue_says_nothing_is_left_when_all_is_done(learner: Learner, path: str) -> None:
    """With every lesson done there is no link, only a word of congratulation."""
    complete_all(learner.client)

    response = learner.client.get(path)

    assert resume_link(response) is None
    assert "There is nothing left to read: every lesson is done." in words(response)


# The module page


def test_the_module_page_lists_outcomes_and_each_lessons_state(learner: Learner) -> None:
    """Outcomes with their criteria, and each lesson as Not started, In progress or Done."""
    learner.client.get(lesson_path(FIRST))
    complete(learner.client, SECOND)

    response = learner.client.get(f"/learn/{MODULE}")

    assert response.status_code == 200
    text = words(response)
    assert "What you will be able to do" in text
    assert "A1-LO1 Do the thing." in text
    assert "Does it well." in text
    assert lesson_states(response) == {
        "First steps": "In progress",
        "On the phone": "Done",
        "Code of conduct": "Not started",
    }
    assert progress_bar(response, "module-progress") == 33
    assert "Continue “First steps”" in text


def test_the_module_page_shows_later_lessons_locked_in_an_ordered_module(
    programme: Programme, learner: Learner
) -> None:
    """In a module taken in order, lessons after the first unfinished one are Locked, unlinked."""
    programme.module().lessons_in_order = True
    programme.publish()
    complete(learner.client, FIRST)

    response = learner.client.get(f"/learn/{MODULE}")

    assert "Lessons in this module are taken in order" in words(response)
    assert lesson_states(response) == {
        "First steps": "Done",
        "On the phone": "Not started",
        "Code of conduct": "Locked (no link)",
    }


# The lesson page


def test_the_lesson_page_shows_its_place_neighbours_and_reading_time(
    programme: Programme, learner: Learner
) -> None:
    """Its place ("Lesson 2 of 3"), reading time, and links to the previous and next lessons."""
    programme.lesson(SECOND).minutes = 7
    programme.publish()

    response = learner.client.get(lesson_path(SECOND))

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    text = words(response)
    assert "Lesson 2 of 3 · about 7 min read" in text
    assert re.search(rf'href="{lesson_path(FIRST)}" rel="prev"', page)
    assert re.search(rf'href="{lesson_path(POLICY)}" rel="next"', page)
    assert "Previous lesson First steps" in text
    assert "Next lesson Code of conduct" in text


def test_the_first_and_last_lessons_have_no_previous_or_next(learner: Learner) -> None:
    """The first lesson has no previous link; the last one leads back to the module."""
    first = learner.client.get(lesson_path(FIRST))
    last = learner.client.get(lesson_path(POLICY))

    assert 'rel="prev"' not in first.get_data(as_text=True)
    assert "Lesson 1 of 3" in words(first)
    assert 'rel="next"' not in last.get_data(as_text=True)
    assert "Lesson 3 of 3" in words(last)
    assert f'href="/learn/{MODULE}"><span class="pager-label">End of module</span>' in (
        last.get_data(as_text=True)
    )


def test_a_table_of_contents_appears_only_for_three_headings_or_more(
    programme: Programme, learner: Learner
) -> None:
    """Three headings get an "On this page" list linking each; one or two get none."""
    programme.lesson(FIRST).body = (
        "## Before the call\nPrepare.\n\n## During the call\nListen.\n\n"
        "### Difficult callers\nStay calm.\n"
    )
    programme.lesson(POLICY).body = "## Dress\nSmart.\n\n## Breaks\nOn time.\n"
    programme.publish()

    with_toc = learner.client.get(lesson_path(FIRST))
    one_heading = learner.client.get(lesson_path(SECOND))
    two_headings = learner.client.get(lesson_path(POLICY))

    toc = re.search(r'<nav class="toc card".*?</nav>', with_toc.get_data(as_text=True), re.S)
    assert toc
    assert re.findall(r'<a href="#[^"]+">([^<]+)</a>', toc.group(0)) == [
        "Before the call",
        "During the call",
        "Difficult callers",
    ]
    for page in (one_heading, two_headings):
        assert "On this page" not in words(page)
        assert 'class="toc' not in page.get_data(as_text=True)


def test_opening_a_lesson_marks_it_started(app: Flask, learner: Learner) -> None:
    """Reading a lesson records its start on the current revision; the module says In progress."""
    response = learner.client.get(lesson_path(FIRST))

    assert response.status_code == 200
    assert "In progress" in words(response)
    with app.app_context():
        row = progress_row(learner.user.id, FIRST)
        assert row is not None
        assert row.started_revision_id == revision_id(FIRST)
        assert row.completed_at is None
    states = lesson_states(learner.client.get(f"/learn/{MODULE}"))
    assert states["First steps"] == "In progress"


def test_mark_as_complete_completes_and_goes_on_to_the_next_lesson(
    app: Flask, learner: Learner
) -> None:
    """The completion is stored and the learner is sent (303) to the next lesson."""
    response = complete(learner.client, FIRST)

    assert response.status_code == 303
    assert location(response) == lesson_path(SECOND)
    with app.app_context():
        row = progress_row(learner.user.id, FIRST)
        assert row is not None
        assert row.completed_at is not None
        assert row.completed_revision_id == revision_id(FIRST)
    following = learner.client.get(location(response))
    assert "“First steps” is complete." in words(following)
    again = words(learner.client.get(lesson_path(FIRST)))
    assert "You completed this lesson on" in again
    assert "Mark as complete" not in again


def test_completing_the_last_lesson_left_goes_back_to_the_module(learner: Learner) -> None:
    """When nothing is left the learner lands on the module page, congratulated."""
    complete(learner.client, POLICY, acknowledge="y")
    complete(learner.client, FIRST)

    response = complete(learner.client, SECOND)

    assert response.status_code == 303
    assert location(response) == f"/learn/{MODULE}"
    text = words(learner.client.get(location(response)))
    assert "Well done: you have completed every lesson of Alpha module." in text
    assert "You have completed every lesson of this module." in text


# Locks, unknown and retired lessons


@pytest.fixture
def in_order(programme: Programme) -> Programme:
    programme.module().lessons_in_order = True
    programme.publish()
    return programme


def test_a_locked_lesson_answers_403_naming_the_lesson_to_finish(
    app: Flask, in_order: Programme, learner: Learner
) -> None:
    """Opening a later lesson first is a 403 that says which lesson to finish, and links it."""
    response = learner.client.get(lesson_path(SECOND))

    assert response.status_code == 403
    text = words(response)
    assert "“On the phone” is not open yet" in text
    assert "Finish “First steps” first, and this lesson will open." in text
    assert f'href="{lesson_path(FIRST)}"' in response.get_data(as_text=True)
    with app.app_context():
        assert progress_row(learner.user.id, SECOND) is None


def test_completing_a_locked_lesson_answers_403_and_records_nothing(
    app: Flask, in_order: Programme, learner: Learner
) -> None:
    """Posting "complete" to a later lesson first is the same 403; nothing is stored."""
    token = completion_form(learner.client, FIRST)["csrf_token"]
    with app.app_context():
        locked_revision = revision_id(SECOND)

    response = learner.client.post(
        f"{lesson_path(SECOND)}/complete",
        data={"csrf_token": token, "revision_id": str(locked_revision)},
    )

    assert response.status_code == 403
    assert "Finish “First steps” first" in words(response)
    with app.app_context():
        assert progress_row(learner.user.id, SECOND) is None
        assert completed_count() == 0


@pytest.mark.parametrize(
    "path", ["/learn/no-such-module", f"/learn/no-such-module/{FIRST}", "/learn/beta"]
)
def test_an_unknown_module_is_404(learner: Learner, path: str) -> None:
    """A module slug that names nothing the learner studies is 404, module or lesson."""
    assert learner.client.get(path).status_code == 404


@pytest.mark.parametrize(
    ("module", "lesson"),
    [("no-such-module", FIRST), (MODULE, "no-such-lesson"), ("beta", FIRST)],
)
def test_an_unknown_lesson_is_404_to_read_or_to_complete(
    app: Flask, learner: Learner, module: str, lesson: str
) -> None:
    """A lesson slug that names nothing the learner studies is 404, and nothing is completed."""
    form = completion_form(learner.client, FIRST)

    read = learner.client.get(lesson_path(lesson, module))
    posted = learner.client.post(f"{lesson_path(lesson, module)}/complete", data=form)

    assert read.status_code == 404
    assert posted.status_code == 404
    with app.app_context():
        assert completed_count() == 0


def test_a_retired_lesson_is_404(app: Flask, programme: Programme, learner: Learner) -> None:
    """A lesson removed from the content is 404, to read or to complete from a page left open."""
    form = completion_form(learner.client, SECOND)
    programme.remove_lesson(SECOND)
    programme.publish()

    read = learner.client.get(lesson_path(SECOND))
    posted = learner.client.post(f"{lesson_path(SECOND)}/complete", data=form)

    assert read.status_code == 404
    assert posted.status_code == 404
    with app.app_context():
        assert completed_count() == 0
    assert "Lesson 2 of 2" in words(learner.client.get(lesson_path(POLICY)))


def test_a_retired_module_is_404(programme: Programme, learner: Learner) -> None:
    """A module removed from the content leaves the catalogue and its pages are 404."""
    programme.modules.append(second_module())
    programme.remove_module("A1")
    programme.publish()

    assert learner.client.get(f"/learn/{MODULE}").status_code == 404
    assert learner.client.get(lesson_path(FIRST)).status_code == 404
    assert list(module_cards(learner.client.get("/learn/"))) == ["/learn/beta"]


# Policy lessons


def test_a_policy_lesson_shows_its_statement_to_tick(learner: Learner) -> None:
    """The policy lesson asks for its statement to be ticked before it completes."""
    response = learner.client.get(lesson_path(POLICY))

    page = response.get_data(as_text=True)
    assert re.search(r'<input id="acknowledge" name="acknowledge" type="checkbox" value="y">', page)
    assert f'<label for="acknowledge">{STATEMENT}</label>' in page
    assert "Acknowledge and complete" in words(response)


def test_a_policy_lesson_without_the_tick_is_refused_and_nothing_recorded(
    app: Flask, learner: Learner
) -> None:
    """Without the tick: 422, the message by the box, no completion, no acknowledgement."""
    response = complete(learner.client, POLICY)

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'<p class="error" id="acknowledge-error">{TICK_THE_BOX}</p>' in page
    assert re.search(rf'<a href="#acknowledge">[^<]*{TICK_THE_BOX}</a>', page)  # the summary
    assert 'aria-invalid="true"' in page
    with app.app_context():
        row = progress_row(learner.user.id, POLICY)
        assert row is not None  # opened by reading it
        assert row.completed_at is None
        assert acknowledgements() == []


def test_a_policy_lesson_with_the_tick_is_completed_and_acknowledged(
    app: Flask, learner: Learner
) -> None:
    """With the tick: completed, and the statement acknowledged from the learner's address."""
    response = complete(learner.client, POLICY, acknowledge="y")

    assert response.status_code == 303
    with app.app_context():
        row = progress_row(learner.user.id, POLICY)
        assert row is not None
        assert row.completed_at is not None
        [record] = acknowledgements()
        assert (record.user_id, record.revision_id) == (learner.user.id, revision_id(POLICY))
        assert record.statement == STATEMENT
        assert record.ip_address == "127.0.0.1"
    page = words(learner.client.get(lesson_path(POLICY)))
    assert "You completed this lesson on" in page
    assert "Acknowledge and complete" not in page


# Lessons that change


def test_a_stale_revision_sends_the_learner_back_to_read_the_update(
    app: Flask, programme: Programme, learner: Learner
) -> None:
    """Completing the revision opened before an update redirects to it with a notice."""
    form = completion_form(learner.client, FIRST)
    programme.lesson(FIRST).body = "Changed while the learner was reading."
    programme.publish()

    response = learner.client.post(f"{lesson_path(FIRST)}/complete", data=form)

    assert response.status_code == 303
    assert location(response) == lesson_path(FIRST)
    with app.app_context():
        assert completed_count() == 0
    again = learner.client.get(location(response))
    assert UPDATED_WHILE_READING in words(again)
    assert "Changed while the learner was reading." in words(again)


def test_an_updated_lesson_says_so_and_can_be_confirmed(
    app: Flask, programme: Programme, learner: Learner
) -> None:
    """After a content change the lesson says "Updated since you read it"; confirming clears it."""
    complete(learner.client, SECOND)
    with app.app_context():
        first_completion = progress_row(learner.user.id, SECOND)
        assert first_completion is not None
    programme.lesson(SECOND).body = "## Greeting\nSay hello and give your name.\n"
    programme.publish()

    module_page = learner.client.get(f"/learn/{MODULE}")
    lesson_page = learner.client.get(lesson_path(SECOND))
    confirmed = complete(learner.client, SECOND)

    assert lesson_states(module_page)["On the phone"] == "Done + Updated since you read it"
    text = words(lesson_page)
    assert "Updated since you read it. This lesson changed after you completed it" in text
    assert "I have read the updated lesson" in text
    assert confirmed.status_code == 303
    with app.app_context():
        row = progress_row(learner.user.id, SECOND)
        assert row is not None
        assert row.completed_revision_id == revision_id(SECOND)
        assert row.completed_at == first_completion.completed_at
    after = words(learner.client.get(lesson_path(SECOND)))
    assert "Updated since you read it" not in after
    assert "I have read the updated lesson" not in after


def test_an_order_only_change_is_not_shown_as_an_update(
    programme: Programme, learner: Learner
) -> None:
    """Moving a completed lesson does not tell the learner it changed."""
    complete(learner.client, FIRST)
    module = programme.module()
    module.lessons = [module.lessons[1], module.lessons[0], *module.lessons[2:]]
    programme.publish()

    response = learner.client.get(lesson_path(FIRST))

    assert "Lesson 2 of 3" in words(response)
    assert "Updated since you read it" not in words(response)
    assert "You completed this lesson on" in words(response)


def test_an_updated_policy_asks_for_the_new_version_to_be_acknowledged(
    app: Flask, programme: Programme, learner: Learner
) -> None:
    """A changed policy shows the tick box again; ticking adds a second acknowledgement."""
    complete(learner.client, POLICY, acknowledge="y")
    programme.lesson(POLICY).body = "Breaks are now taken in the quiet room."
    programme.publish()

    page = words(learner.client.get(lesson_path(POLICY)))
    response = complete(learner.client, POLICY, acknowledge="y")

    assert "and confirm the new version below" in page
    assert "Acknowledge and complete" in page
    assert response.status_code == 303
    with app.app_context():
        old, new = acknowledgements(learner.user.id)
        assert old.revision_id != new.revision_id == revision_id(POLICY)


# Who sees what


def test_other_roles_cannot_open_the_learner_pages(
    programme: Programme, make_user: UserFactory, app: Flask
) -> None:
    """A trainer is refused the catalogue and lessons with 403 (the access matrix has the rest)."""
    client = sign_in(app.test_client(), make_user(Role.TRAINER))

    assert client.get("/learn/").status_code == 403
    assert client.get(lesson_path(FIRST)).status_code == 403


def test_a_learner_never_sees_another_learners_progress(
    app: Flask, learner: Learner, make_user: UserFactory
) -> None:
    """Two learners' progress is kept apart: one's completions never show for the other."""
    other = Learner(user := make_user(Role.LEARNER), sign_in(app.test_client(), user))
    complete(learner.client, FIRST)
    complete(learner.client, POLICY, acknowledge="y")
    other.client.get(lesson_path(SECOND))

    mine = learner.client.get(f"/learn/{MODULE}")
    theirs = other.client.get(f"/learn/{MODULE}")

    assert lesson_states(mine) == {
        "First steps": "Done",
        "On the phone": "Not started",
        "Code of conduct": "Done",
    }
    assert lesson_states(theirs) == {
        "First steps": "Not started",
        "On the phone": "In progress",
        "Code of conduct": "Not started",
    }
    assert progress_bar(learner.client.get("/learn/"), f"progress-{MODULE}") == 67
    assert progress_bar(other.client.get("/learn/"), f"progress-{MODULE}") == 0
    assert "Acknowledge and complete" in words(other.client.get(lesson_path(POLICY)))
    with app.app_context():
        assert [a.user_id for a in acknowledgements()] == [learner.user.id]
