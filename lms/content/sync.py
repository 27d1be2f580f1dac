"""Loading checked sources into the database as revisions, idempotently.

An unchanged file changes nothing; a changed lesson file becomes a new published revision; a
lesson, outcome or module that disappeared is retired, never deleted, so the records that
point at it stay readable. The caller commits, or rolls back for a dry run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import load_only

from lms import audit
from lms.content.catalogue import mark_content_changed
from lms.content.frontmatter import ContentError, SourceError
from lms.content.loading import LessonSource, MediaSource, ModuleSource, read_programme
from lms.content.models import Lesson, LessonRevision, MediaFile, Module, Outcome
from lms.content.rendering import Rendered, render_many
from lms.extensions import db


@dataclass
class Tally:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0


@dataclass
class SyncReport:
    """What a sync did (or, for a dry run, would do)."""

    path: str
    dry_run: bool
    assessments: str | None = None  # the quizzes' folder, when quizzes were part of the sync
    modules: Tally = field(default_factory=Tally)
    lessons: Tally = field(default_factory=Tally)
    media: Tally = field(default_factory=Tally)
    quizzes: Tally = field(default_factory=Tally)
    errors: list[SourceError] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        tallies = (self.modules, self.lessons, self.media, self.quizzes)
        return any(t.created or t.updated or t.retired for t in tallies)

    def as_json(self) -> dict[str, Any]:
        """The `--json` summary; its shape is documented in docs/CONTENT.md."""
        kinds = {
            "modules": self.modules,
            "lessons": self.lessons,
            "media": self.media,
            "quizzes": self.quizzes,
        }
        return {
            "path": self.path,
            "assessments": self.assessments,
            "dry_run": self.dry_run,
            "ok": not self.errors,
            "modules": self.modules.total,
            "lessons": self.lessons.total,
            "quizzes": self.quizzes.total,
            **{
                what: sum(
                    getattr(tally, what) for tally in (self.modules, self.lessons, self.quizzes)
                )
                for what in ("created", "updated", "unchanged", "retired")
            },
            "details": {name: asdict(tally) for name, tally in kinds.items()},
            "errors": [asdict(error) for error in self.errors],
        }


def sync_content(
    root: Path,
    *,
    now: datetime,
    dry_run: bool = False,
    on_module: Callable[[str], None] | None = None,
) -> SyncReport:
    """Read every module under `root` and bring the database in line with it.

    A problem in any file leaves the database untouched and is listed in the report. The
    caller commits, or rolls back when `dry_run` is set.
    """
    report = SyncReport(path=str(root), dry_run=dry_run)
    try:
        sources = read_programme(root, on_module=on_module)
    except ContentError as error:
        report.errors = error.errors
        return report
    apply_content(sources, now, report)
    finish_sync(report, now)
    return report


def apply_content(
    sources: list[ModuleSource], now: datetime, report: SyncReport
) -> dict[str, Module]:
    """Write checked module sources; return every module (retired ones too) by code."""
    applier = _Applier(now, report)
    applier.apply(sources)
    return applier.modules


def finish_sync(report: SyncReport, now: datetime) -> None:
    """Tell learner pages the content changed, and record the sync, when anything did."""
    if report.changed:
        mark_content_changed(now)
        summary = report.as_json()
        details = {key: summary[key] for key in ("path", "created", "updated", "retired")}
        audit.record("content.synced", actor=None, details=details)
    db.session.flush()


class _Applier:
    """Holds what the database has, loaded in a few queries, while sources are applied."""

    def __init__(self, now: datetime, report: SyncReport) -> None:
        self.now = now
        self.report = report
        self.modules = {m.code: m for m in db.session.scalars(select(Module))}
        self.outcomes = {o.code: o for o in db.session.scalars(select(Outcome))}
        self.lessons: dict[int, dict[str, Lesson]] = defaultdict(dict)
        for lesson in db.session.scalars(select(Lesson)):
            self.lessons[lesson.module_id][lesson.slug] = lesson
        self.current = {
            revision.lesson_id: revision
            for revision in db.session.scalars(
                select(LessonRevision)
                .where(LessonRevision.is_current)
                .options(load_only(LessonRevision.lesson_id, LessonRevision.source_hash))
            )
        }
        self.last_number: dict[int, int] = dict(
            db.session.execute(
                select(LessonRevision.lesson_id, func.max(LessonRevision.number)).group_by(
                    LessonRevision.lesson_id
                )
            ).all()
        )
        self.media = set(db.session.scalars(select(MediaFile.sha256)))

    def apply(self, sources: list[ModuleSource]) -> None:
        self._free_slugs_of_departed_modules(sources)
        changed: list[tuple[Lesson, LessonSource]] = []
        for source in sources:
            module = self._module(source)
            self._outcomes(module, source)
            changed += self._lessons(module, source.lessons)
            self._media(source.media)
        texts = render_many([(lesson.body, lesson.media_urls) for _, lesson in changed])
        for (lesson_row, lesson_source), text in zip(changed, texts, strict=True):
            self._add_revision(lesson_row, lesson_source, text)
        self._retire_departed(sources)

    def _free_slugs_of_departed_modules(self, sources: list[ModuleSource]) -> None:
        """Let go of every slug that changes hands before any module takes its new one.

        A retired module's slug may be taken by a new module (the old one keeps its records),
        and renamed folders may swap or pass on names within one sync.
        """
        slugs = {source.meta.code: source.slug for source in sources}
        wanted = set(slugs.values())
        for module in self.modules.values():
            if module.code not in slugs:
                if module.slug in wanted:
                    module.slug = f"{module.slug}-retired-{module.id}"
            elif module.slug != slugs[module.code] and module.slug in wanted:
                module.slug = f"{module.slug}-renaming-{module.id}"  # set for good in _module
        db.session.flush()

    def _module(self, source: ModuleSource) -> Module:
        tally = self.report.modules
        tally.total += 1
        values = _module_values(source)
        module = self.modules.get(source.meta.code)
        if module is None:
            module = Module(code=source.meta.code, **values)
            module.created_at = module.updated_at = self.now
            db.session.add(module)
            db.session.flush()
            self.modules[module.code] = module
            tally.created += 1
        elif module.source_hash != source.source_hash or module.retired_at is not None:
            for name, value in values.items():
                setattr(module, name, value)
            module.version += 1
            module.updated_at, module.retired_at = self.now, None
            tally.updated += 1
        else:
            tally.unchanged += 1
        return module

    def _outcomes(self, module: Module, source: ModuleSource) -> None:
        for position, meta in enumerate(source.meta.outcomes, start=1):
            values = {
                "module_id": module.id,
                "statement": meta.statement,
                "criteria": list(meta.criteria),
                "position": position,
                "retired_at": None,
            }
            outcome = self.outcomes.get(meta.code)
            if outcome is None:
                outcome = Outcome(code=meta.code, **values)
                db.session.add(outcome)
                self.outcomes[meta.code] = outcome
            else:
                _assign(outcome, values)

    def _lessons(
        self, module: Module, sources: tuple[LessonSource, ...]
    ) -> list[tuple[Lesson, LessonSource]]:
        """Create, move, restore and retire the module's lessons; return those that need a new
        revision."""
        existing = self.lessons[module.id]
        changed: list[tuple[Lesson, LessonSource]] = []
        for position, source in enumerate(sources, start=1):
            self.report.lessons.total += 1
            lesson = existing.get(source.slug)
            if lesson is None:
                lesson = Lesson(module_id=module.id, slug=source.slug, position=position)
                lesson.created_at = self.now
                db.session.add(lesson)
                existing[source.slug] = lesson
                changed.append((lesson, source))
                self.report.lessons.created += 1
                continue
            restored = lesson.retired_at is not None
            moved = _assign(lesson, {"position": position, "retired_at": None})
            current = self.current.get(lesson.id)
            if current is None or current.source_hash != source.source_hash:
                if current is not None:
                    current.is_current = False
                changed.append((lesson, source))
                self.report.lessons.updated += 1
            elif restored or moved:
                self.report.lessons.updated += 1
            else:
                self.report.lessons.unchanged += 1
        db.session.flush()  # replaced revisions stop being current before new ones start
        present = {source.slug for source in sources}
        for slug, lesson in existing.items():
            if slug not in present and lesson.retired_at is None:
                lesson.retired_at = self.now
                self.report.lessons.retired += 1
        return changed

    def _add_revision(self, lesson: Lesson, source: LessonSource, rendered: Rendered) -> None:
        number = self.last_number.get(lesson.id, 0) + 1
        meta = source.meta
        revision = LessonRevision(
            lesson_id=lesson.id,
            number=number,
            title=meta.title,
            estimated_minutes=meta.estimated_minutes,
            word_count=rendered.word_count,
            acknowledge=meta.acknowledge,
            acknowledge_statement=meta.statement(),
            outcome_codes=meta.outcome_codes,
            source=source.body,
            html=rendered.html,
            toc=[asdict(entry) for entry in rendered.toc],
            source_hash=source.source_hash,
            content_hash=source.content_hash,
            source_path=source.path,
            published=True,
            is_current=True,
            created_at=self.now,
        )
        db.session.add(revision)

    def _media(self, items: tuple[MediaSource, ...]) -> None:
        for item in items:
            self.report.media.total += 1
            if item.sha256 in self.media:
                self.report.media.unchanged += 1
                continue
            db.session.add(
                MediaFile(
                    sha256=item.sha256,
                    filename=item.name,
                    mime_type=item.mime_type,
                    size=len(item.data),
                    data=item.data,
                    created_at=self.now,
                )
            )
            self.media.add(item.sha256)
            self.report.media.created += 1

    def _retire_departed(self, sources: list[ModuleSource]) -> None:
        codes = {source.meta.code for source in sources}
        for code, module in self.modules.items():
            if code not in codes and module.retired_at is None:
                module.retired_at = self.now
                self.report.modules.retired += 1
        outcome_codes = {o.code for source in sources for o in source.meta.outcomes}
        for code, outcome in self.outcomes.items():
            if code not in outcome_codes and outcome.retired_at is None:
                outcome.retired_at = self.now


def _module_values(source: ModuleSource) -> dict[str, Any]:
    meta = source.meta
    return {
        "slug": source.slug,
        "title": meta.title,
        "summary": meta.summary,
        "estimated_minutes": meta.estimated_minutes,
        "reviewed_on": meta.reviewed,
        "position": meta.order,
        "lessons_in_order": meta.lessons_in_order,
        "certificate_valid_months": meta.certificate_valid_months,
        "intro_html": source.rendered_intro.html,
        "source_path": source.path,
        "source_hash": source.source_hash,
    }


def _assign(target: Any, values: dict[str, Any]) -> bool:
    """Set the attributes that differ; say whether any did."""
    changed = False
    for name, value in values.items():
        if getattr(target, name) != value:
            setattr(target, name, value)
            changed = True
    return changed
