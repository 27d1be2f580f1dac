"""Writing quizzes for tests: a GIFT file and its settings beside a content tree, synced for real.

`QuizWorld` holds a content folder and an assessments folder under one temporary root; tests
change its quizzes, `publish()` them through the same sync `lms content sync` runs, and get
learners whose lessons are done so a knowledge check opens.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from flask import Flask
from sqlalchemy import select

from lms.assessments.models import Attempt, Quiz, QuizRevision
from lms.assessments.sync import sync_programme
from lms.auth.models import User
from lms.content.models import Lesson, LessonRevision
from lms.content.sync import SyncReport
from lms.database import utcnow
from lms.extensions import db
from lms.learning.models import LessonProgress
from tests.content_files import ModuleFile, sample_module, write_module

# Six questions, one of each auto-marked type, every one named (names map to outcomes).
KNOWLEDGE_CHECK_GIFT = """\
$CATEGORY: Basics

::pick-one::Which colour is the sky on a clear day?
{=blue#Yes, blue. ~green#Not green. ~red#Not red.}

::pick-many::Which of these are fruit?
{~%50%apple#Apple is a fruit. ~%50%pear#Pear is a fruit. ~%-100%carrot#A carrot is a root.}

::true-false::Water boils at 100 °C at sea level. {T#No, it does.#Yes.}

::short::What is the name of the stage where you confirm who is calling?
{=verification#Right. =%50%checking#Nearly.}

::number::What is 336 ÷ 400 as a percentage? {#84:0.5#Right: 84.}

::match::Match each term with its meaning.
{=IVR -> the phone menu =ACD -> the queue's router =AHT -> the average handle time}
"""

SUMMATIVE_GIFT = """\
::explain::Explain how a call reaches you. {}

::conduct::Explain what you do when a caller is not verified. {}
"""

# Answers a learner's form sends for KNOWLEDGE_CHECK_GIFT (without shuffling), all right.
RIGHT_ANSWERS_UNSHUFFLED = {
    "q1": "1",
    "q2": ["1", "2"],
    "q3": "true",
    "q4": "Verification",
    "q5": "84",
}


@dataclass
class QuizFile:
    slug: str
    module: str  # the module's code
    gift: str = KNOWLEDGE_CHECK_GIFT
    settings: dict[str, Any] = field(default_factory=dict)

    def settings_text(self) -> str:
        values = {
            "title": f"Quiz {self.slug}",
            "module": self.module,
            "kind": "knowledge-check",
            "pass_mark": 75,
            **self.settings,
        }
        return yaml.safe_dump(values, sort_keys=False, allow_unicode=True)


def summative_quiz(module: str = "A1", **settings: Any) -> QuizFile:
    """A summative assessment of two essays, each with its guide and outcome."""
    values = {
        "kind": "summative",
        "pass_mark": 100,
        "layout": "all-on-one-page",
        "outcomes": {"questions": {"explain": [f"{module}-LO1"], "conduct": [f"{module}-LO1"]}},
        "marking_guides": {"explain": "Names the IVR and the ACD.", "conduct": "Refuses."},
        **settings,
    }
    return QuizFile("summative", module, SUMMATIVE_GIFT, values)


@dataclass
class QuizWorld:
    """A content tree and its assessments under `root`; `publish()` syncs both for real."""

    app: Flask
    root: Path
    modules: list[ModuleFile] = field(default_factory=list)
    quizzes: list[QuizFile] = field(default_factory=list)

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def assessments(self) -> Path:
        return self.root / "assessments"

    def write(self) -> None:
        """Write every module and quiz, removing files no longer listed."""
        for folder in (self.content, self.assessments):
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
        for module in self.modules:
            write_module(self.content, module)
        for quiz in self.quizzes:
            folder = self.assessments / quiz.module
            folder.mkdir(exist_ok=True)
            (folder / f"{quiz.slug}.gift").write_text(quiz.gift, encoding="utf-8")
            (folder / f"{quiz.slug}.yml").write_text(quiz.settings_text(), encoding="utf-8")

    def sync(self, *, now: datetime | None = None, dry_run: bool = False) -> SyncReport:
        """Sync what is on disk, committing when clean (as `lms content sync` does)."""
        with self.app.app_context():
            report = sync_programme(
                self.content, self.assessments, now=now or utcnow(), dry_run=dry_run
            )
            if report.errors or dry_run:
                db.session.rollback()
            else:
                db.session.commit()
            db.session.remove()
        return report

    def publish(self, *, now: datetime | None = None) -> SyncReport:
        """Write and sync; the files must be clean."""
        self.write()
        report = self.sync(now=now)
        assert report.errors == [], report.errors
        return report

    def quiz(self, slug: str = "knowledge-check") -> QuizFile:
        return next(quiz for quiz in self.quizzes if quiz.slug == slug)


def quiz_world(app: Flask, root: Path, **settings: Any) -> QuizWorld:
    """Module A1 (three lessons) with a knowledge check of KNOWLEDGE_CHECK_GIFT, unshuffled."""
    values = {"shuffle_answers": False, **settings}
    knowledge = QuizFile("knowledge-check", "A1", settings=values)
    return QuizWorld(app, root, [sample_module()], [knowledge])


def finish_lessons(app: Flask, user: User, *, now: datetime | None = None) -> None:
    """Record every current lesson as completed by `user`, so knowledge checks open."""
    moment = now or utcnow()
    with app.app_context():
        revisions = db.session.scalars(
            select(LessonRevision).join(Lesson).where(LessonRevision.is_current)
        ).all()
        for revision in revisions:
            db.session.add(
                LessonProgress(
                    user_id=user.id,
                    lesson_id=revision.lesson_id,
                    started_at=moment,
                    started_revision_id=revision.id,
                    last_viewed_at=moment,
                    last_viewed_revision_id=revision.id,
                    completed_at=moment,
                    completed_revision_id=revision.id,
                    completed_content_hash=revision.content_hash,
                    confirmed_at=moment,
                )
            )
        db.session.commit()
        db.session.remove()


def current_revision(slug: str = "knowledge-check") -> QuizRevision:
    """The current revision of the quiz with this slug (needs an app context)."""
    query = select(QuizRevision).join(Quiz).where(Quiz.slug == slug, QuizRevision.is_current)
    revision = db.session.scalar(query)
    assert revision is not None, f"no quiz {slug}"
    return revision


def attempts_of(user: User) -> list[Attempt]:
    """Every attempt of `user`, oldest first (needs an app context)."""
    query = select(Attempt).where(Attempt.user_id == user.id).order_by(Attempt.id)
    return list(db.session.scalars(query))
