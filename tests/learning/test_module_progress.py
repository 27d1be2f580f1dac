"""A module's progress, where to carry on, and which modules a learner studies."""

from __future__ import annotations

from datetime import timedelta

from lms.auth.models import User
from lms.learning import services
from tests.learning.conftest import FIRST, MODULE, NOW, POLICY, SECOND, Programme, second_module
from tests.learning.service_steps import (
    LATER,
    complete,
    learner_in_session,  # noqa: F401 - the `learner` fixture
    module_progress,
    open_,
    republish,
)

# A module's progress


def test_module_progress_counts_percent_minutes_and_the_next_lesson(
    learner: User, programme: Programme
) -> None:
    """Percent, minutes left and the next lesson follow each completion to the end."""
    for lesson, minutes in zip(programme.module().lessons, (4, 6, 8), strict=True):
        lesson.minutes = minutes
    republish(programme)
    seen = []

    for lesson in (None, FIRST, SECOND, POLICY):
        if lesson is not None:
            complete(learner, lesson, at=NOW, acknowledged=lesson == POLICY)
        progress = module_progress(learner)
        following = progress.next_lesson
        seen.append(
            (
                progress.done_count,
                progress.percent,
                progress.minutes_left,
                following.lesson.slug if following else None,
                progress.complete,
            )
        )

    assert seen == [
        (0, 0, 18, FIRST, False),
        (1, 33, 14, SECOND, False),
        (2, 67, 8, POLICY, False),
        (3, 100, 0, None, True),
    ]


def test_next_lesson_skips_lessons_already_done(learner: User) -> None:
    """With the second lesson done out of order, the next lesson is still the first."""
    complete(learner, SECOND, at=NOW)

    following = module_progress(learner).next_lesson

    assert following is not None
    assert following.lesson.slug == FIRST


def test_a_retired_lesson_drops_out_of_progress(learner: User, programme: Programme) -> None:
    """A removed lesson no longer counts, done or not; the others are renumbered."""
    complete(learner, SECOND, at=NOW)
    programme.remove_lesson(SECOND)

    republish(programme)

    progress = module_progress(learner)
    assert [(s.lesson.slug, s.number) for s in progress.lessons] == [(FIRST, 1), (POLICY, 2)]
    assert progress.done_count == 0
    assert progress.percent == 0
    assert progress.find(SECOND) is None


# Where to carry on


def test_resume_point_is_the_first_lesson_before_anything_is_opened(learner: User) -> None:
    """With nothing opened, carry on at the first lesson of the first module."""
    resume = services.resume_point([module_progress(learner)])

    assert resume is not None
    assert resume.lesson.slug == FIRST
    assert resume.progress is None


def test_resume_point_is_the_most_recently_viewed_unfinished_lesson(
    learner: User, programme: Programme
) -> None:
    """The unfinished lesson viewed last wins, across modules."""
    programme.modules.append(second_module())
    republish(programme)
    open_(learner, FIRST, at=NOW)
    open_(learner, SECOND, at=LATER, module_slug="beta")
    open_(learner, POLICY, at=NOW + timedelta(minutes=30))
    modules = services.progress_in(learner, services.enrolled_modules(learner))

    resume = services.resume_point(modules)

    assert resume is not None
    assert (resume.lesson.module.slug, resume.lesson.slug) == ("beta", SECOND)


def test_resume_point_passes_over_finished_lessons(learner: User) -> None:
    """A lesson viewed last but finished gives way to the latest unfinished one."""
    open_(learner, SECOND, at=NOW)
    complete(learner, FIRST, at=LATER)

    resume = services.resume_point([module_progress(learner)])

    assert resume is not None
    assert resume.lesson.slug == SECOND


def test_resume_point_is_the_next_lesson_when_nothing_opened_is_unfinished(
    learner: User,
) -> None:
    """With every opened lesson finished, carry on at the next lesson to start."""
    complete(learner, FIRST, at=NOW)

    resume = services.resume_point([module_progress(learner)])

    assert resume is not None
    assert resume.lesson.slug == SECOND
    assert resume.progress is None


def test_resume_point_is_none_when_every_lesson_is_done(learner: User) -> None:
    """Nothing to carry on with once all is done."""
    for lesson in (FIRST, SECOND, POLICY):
        complete(learner, lesson, at=NOW, acknowledged=lesson == POLICY)

    assert services.resume_point([module_progress(learner)]) is None


# Enrolment


def test_enrolled_modules_are_the_current_ones_in_programme_order(
    learner: User, programme: Programme
) -> None:
    """Every module not retired, by its order; a retired one is neither listed nor found."""
    programme.modules.append(second_module())
    programme.module().order = 3
    republish(programme)
    assert [m.slug for m in services.enrolled_modules(learner)] == ["beta", MODULE]

    programme.remove_module("B1")
    republish(programme)

    assert [m.slug for m in services.enrolled_modules(learner)] == [MODULE]
    assert services.find_enrolled_module(learner, "beta") is None
    assert services.find_enrolled_module(learner, MODULE) is not None
