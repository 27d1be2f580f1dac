"""Writing small assessments folders file by file, and what reading or syncing them gives.

Loading tests describe a quiz folder as `{relative path: text}` on top of one clean quiz, so a
table row shows exactly the file (and the line in it) that is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from lms.assessments.loading import QuizSource, read_assessments
from lms.assessments.models import Question, Quiz, QuizRevision
from lms.audit import AuditEvent
from lms.content.frontmatter import ContentError, SourceError
from lms.content.models import Lesson, LessonRevision, Module
from lms.content.sync import SyncReport
from lms.extensions import db

# The modules a loading test pretends are being loaded, with their outcome codes.
# Each module's outcomes with how many assessment criteria each has.
OUTCOMES: dict[str, dict[str, int]] = {"A1": {"A1-LO1": 2, "A1-LO2": 1}, "B1": {"B1-LO1": 1}}

# A clean knowledge check of module A1: the line numbers below are the ones tests expect.
GIFT = """\
$CATEGORY: Basics

::colour::Which colour is the sky on a clear day? {=blue ~green ~red}

::boils::Water boils at 100 °C at sea level. {T}

::fruit::Which of these are fruit?
{~%50%apple ~%50%pear ~%-100%carrot}
"""

SETTINGS = """\
title: Sky and water
module: A1
kind: knowledge-check
pass_mark: 75
"""

# A clean summative of module A1: one description, then two essays (lines 3 and 5).
SUMMATIVE_GIFT = """\
Read each question before you start.

::explain::Explain how a call reaches you. {}

::conduct::Explain what you do when a caller is not verified. {}
"""

SUMMATIVE_SETTINGS = """\
title: Written answers
module: A1
kind: summative
pass_mark: 100
outcomes:
  questions:
    explain: [A1-LO1]
    conduct: [A1-LO2]
marking_guides:
  explain: Names the IVR and the ACD.
  conduct: Refuses until the caller is verified.
"""

CLEAN_TREE: dict[str, str | bytes] = {"A1/check.gift": GIFT, "A1/check.yml": SETTINGS}

Files = Mapping[str, str | bytes | None]


def write_tree(root: Path, files: Files) -> Path:
    """Write `files` (relative to `root`; text, bytes, or None for a folder) and return `root`."""
    root.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = root / name
        if content is None:
            path.mkdir(parents=True, exist_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def clean_tree_with(root: Path, files: Files, *, without: tuple[str, ...] = ()) -> Path:
    """The clean quiz, changed by `files` and with the files named in `without` left out."""
    tree = {name: text for name, text in CLEAN_TREE.items() if name not in without}
    return write_tree(root, {**tree, **files})


def problems(root: Path, outcomes: Mapping[str, Mapping[str, int]] = OUTCOMES) -> list[SourceError]:
    """Every problem reading `root` reports; an empty list when it reads cleanly."""
    try:
        read_assessments(root, outcomes)
    except ContentError as error:
        return error.errors
    return []


def located(errors: list[SourceError]) -> list[tuple[str, int]]:
    """Where each problem is: (file, line)."""
    return [(error.file, error.line) for error in errors]


def read_clean(
    root: Path, outcomes: Mapping[str, Mapping[str, int]] = OUTCOMES
) -> list[QuizSource]:
    """The quizzes under `root`, which must read without a problem."""
    return read_assessments(root, outcomes)


def quiz_tally(report: SyncReport) -> tuple[int, int, int, int, int]:
    """(total, created, updated, unchanged, retired) of the report's quizzes."""
    tally = report.quizzes
    return (tally.total, tally.created, tally.updated, tally.unchanged, tally.retired)


def row_counts(app: Flask) -> dict[str, int]:
    """How many quizzes, revisions, questions, modules, lessons and sync audit events exist."""
    models = {
        "quizzes": Quiz,
        "quiz_revisions": QuizRevision,
        "questions": Question,
        "modules": Module,
        "lessons": Lesson,
        "lesson_revisions": LessonRevision,
    }
    with app.app_context():
        counts = {
            name: db.session.scalar(select(func.count()).select_from(model)) or 0
            for name, model in models.items()
        }
        counts["sync_events"] = len(sync_events())
        db.session.remove()
    return counts


def sync_events() -> list[AuditEvent]:
    """Every `content.synced` audit event, oldest first (needs an app context)."""
    query = select(AuditEvent).where(AuditEvent.action == "content.synced")
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


def quiz_row(slug: str, module_code: str = "A1") -> Quiz:
    """The quiz with this slug in this module (needs an app context)."""
    query = select(Quiz).join(Module).where(Quiz.slug == slug, Module.code == module_code)
    return db.session.scalars(query).one()
