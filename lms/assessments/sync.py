"""Loading checked quiz sources into the database as revisions, idempotently.

The same rules as lessons: an unchanged pair of files changes nothing, a change to either file
makes a new current revision (attempts already started keep theirs), and a quiz whose files
disappeared is retired, never deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from lms.assessments.loading import QuizSource, read_quizzes_of
from lms.assessments.models import Question, Quiz, QuizRevision
from lms.content.frontmatter import ContentError
from lms.content.loading import read_programme
from lms.content.models import Module
from lms.content.sync import SyncReport, Tally, apply_content, finish_sync
from lms.extensions import db


def sync_quizzes(
    sources: list[QuizSource], modules: Mapping[str, Module], now: datetime, tally: Tally
) -> None:
    """Bring the quizzes in line with `sources`; count what changed in `tally`."""
    quizzes = {(q.module_id, q.slug): q for q in db.session.scalars(select(Quiz))}
    current = {
        r.quiz_id: r
        for r in db.session.scalars(select(QuizRevision).where(QuizRevision.is_current))
    }
    last_number = dict(
        db.session.execute(
            select(QuizRevision.quiz_id, func.max(QuizRevision.number)).group_by(
                QuizRevision.quiz_id
            )
        ).all()
    )
    present = set()
    for source in sources:
        tally.total += 1
        module = modules[source.module_code]
        quiz = quizzes.get((module.id, source.slug))
        if quiz is None:
            quiz = Quiz(module_id=module.id, slug=source.slug, created_at=now)
            db.session.add(quiz)
            db.session.flush()
            tally.created += 1
        revision = current.get(quiz.id)
        restored = quiz.retired_at is not None
        quiz.retired_at = None
        present.add(quiz.id)
        if revision is not None and revision.source_hash == source.source_hash:
            if restored:
                tally.updated += 1
            else:
                tally.unchanged += 1
            continue
        if revision is not None:
            revision.is_current = False
            db.session.flush()  # the old revision stops being current before the new one starts
            tally.updated += 1
        _add_revision(quiz, source, last_number.get(quiz.id, 0) + 1, now)
    for quiz in quizzes.values():
        if quiz.id not in present and quiz.retired_at is None:
            quiz.retired_at = now
            tally.retired += 1


def _add_revision(quiz: Quiz, source: QuizSource, number: int, now: datetime) -> None:
    revision = QuizRevision(
        quiz_id=quiz.id,
        number=number,
        title=source.settings.title,
        kind=source.settings.kind,
        settings=source.settings_json,
        gift_source=source.gift_source,
        settings_source=source.settings_source,
        source_path=source.path,
        source_hash=source.source_hash,
        is_current=True,
        created_at=now,
    )
    db.session.add(revision)
    db.session.flush()
    db.session.add_all(
        Question(
            revision_id=revision.id,
            position=position,
            name=question.parsed.name,
            category=question.parsed.category,
            qtype=question.parsed.type,
            data=question.parsed.as_json(),
            points=question.points,
            outcome_codes=list(question.outcome_codes),
            marking_guide=question.marking_guide,
            source_line=question.parsed.line,
        )
        for position, question in enumerate(source.questions, start=1)
    )


def sync_programme(
    content_root: Path,
    assessments_root: Path | None,
    *,
    now: datetime,
    dry_run: bool = False,
    on_module: Callable[[str], None] | None = None,
) -> SyncReport:
    """Load the modules under `content_root` and, when given, the quizzes under
    `assessments_root`, all or nothing: a problem in any file loads nothing from any file."""
    assessments = str(assessments_root) if assessments_root else None
    report = SyncReport(path=str(content_root), dry_run=dry_run, assessments=assessments)
    try:
        sources = read_programme(content_root, on_module=on_module)
        quizzes = read_quizzes_of(sources, assessments_root) if assessments_root else None
    except ContentError as error:
        report.errors = error.errors
        return report
    modules = apply_content(sources, now, report)
    if quizzes is not None:
        sync_quizzes(quizzes, modules, now, report.quizzes)
    finish_sync(report, now)
    return report
