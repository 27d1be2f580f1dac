"""What the learning tests share: a programme written to a temporary folder and synced for real,
and helpers to read a learner's progress straight from the tables."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from lms.content.models import Lesson, LessonRevision, Module
from lms.content.sync import SyncReport
from lms.extensions import db
from lms.learning.models import LessonAcknowledgement, LessonProgress
from tests.content_files import LessonFile, ModuleFile, sample_module, sync, write_module

pytest.register_assert_rewrite("tests.learning.pages", "tests.learning.service_steps")

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
MODULE = "alpha"  # the slug of sample_module()'s folder, 01-alpha
FIRST, SECOND, POLICY = "first-steps", "on-the-phone", "code-of-conduct"
STATEMENT = "I have read the code of conduct and will follow it."


@dataclass
class Programme:
    """Module folders under `root`: change `modules`, then `publish()` them as a sync does."""

    app: Flask
    root: Path
    modules: list[ModuleFile] = field(default_factory=list)

    def publish(self) -> SyncReport:
        """Write every module (removing folders no longer listed) and sync; it must be clean."""
        self.root.mkdir(parents=True, exist_ok=True)
        wanted = {module.folder for module in self.modules}
        for folder in self.root.iterdir():
            if folder.name not in wanted:
                shutil.rmtree(folder)
        for module in self.modules:
            write_module(self.root, module)
        report = sync(self.app, self.root)
        assert report.errors == []
        return report

    def module(self, code: str = "A1") -> ModuleFile:
        return next(module for module in self.modules if module.code == code)

    def lesson(self, slug: str, code: str = "A1") -> LessonFile:
        return next(lesson for lesson in self.module(code).lessons if lesson.slug == slug)

    def remove_lesson(self, slug: str, code: str = "A1") -> None:
        module = self.module(code)
        module.lessons = [lesson for lesson in module.lessons if lesson.slug != slug]

    def remove_module(self, code: str) -> None:
        self.modules = [module for module in self.modules if module.code != code]


def second_module() -> ModuleFile:
    """Another three-lesson module, after the sample one, with the same lesson names."""
    return sample_module("02-beta", "B1", title="Beta module", order=2)


@pytest.fixture
def programme(app: Flask, tmp_path: Path) -> Programme:
    """The sample module published: three lessons in any order, the third a policy."""
    programme = Programme(app, tmp_path / "content", [sample_module(title="Alpha module")])
    programme.publish()
    return programme


def revision_id(lesson_slug: str, module_slug: str = MODULE) -> int:
    """The id of the lesson's current revision (needs an app context)."""
    query = (
        select(LessonRevision.id)
        .join(Lesson, LessonRevision.lesson_id == Lesson.id)
        .join(Module, Lesson.module_id == Module.id)
        .where(Module.slug == module_slug, Lesson.slug == lesson_slug, LessonRevision.is_current)
    )
    found = db.session.scalar(query)
    assert found is not None
    return found


def progress_row(
    user_id: int, lesson_slug: str, module_slug: str = MODULE
) -> LessonProgress | None:
    """The learner's progress row for the lesson, read fresh (needs an app context)."""
    query = (
        select(LessonProgress)
        .join(Lesson, LessonProgress.lesson_id == Lesson.id)
        .join(Module, Lesson.module_id == Module.id)
        .where(
            LessonProgress.user_id == user_id,
            Module.slug == module_slug,
            Lesson.slug == lesson_slug,
        )
        .execution_options(populate_existing=True)
    )
    return db.session.scalar(query)


def acknowledgements(user_id: int | None = None) -> list[LessonAcknowledgement]:
    """Acknowledgements in the order they were written, of one learner or of everyone."""
    query = select(LessonAcknowledgement).order_by(LessonAcknowledgement.id)
    if user_id is not None:
        query = query.where(LessonAcknowledgement.user_id == user_id)
    return list(db.session.scalars(query.execution_options(populate_existing=True)))


def completed_count() -> int:
    """How many progress rows, of anyone, are complete."""
    query = select(func.count()).select_from(LessonProgress)
    return db.session.scalar(query.where(LessonProgress.completed_at.is_not(None))) or 0


def backdate_views(app: Flask, user_id: int, by: timedelta) -> None:
    """Move the learner's last views back in time, as if they had come back `by` later."""
    with app.app_context():
        rows = db.session.scalars(select(LessonProgress).where(LessonProgress.user_id == user_id))
        for row in rows:
            row.last_viewed_at -= by
        db.session.commit()
