"""Writing small content trees for tests: a module folder with its lessons, in the real format."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask

from lms.content.sync import SyncReport, sync_content
from lms.database import utcnow
from lms.extensions import db


@dataclass
class LessonFile:
    slug: str
    title: str
    body: str = "Some lesson text for the learner to read."
    order: int | None = None
    minutes: int = 5
    acknowledge: bool = False
    statement: str | None = None
    outcomes: Sequence[str] = ()

    def text(self, order: int) -> str:
        lines = ["---", f"title: {self.title}", f"order: {self.order or order}"]
        lines.append(f"estimated_minutes: {self.minutes}")
        if self.acknowledge:
            lines.append("acknowledge: true")
        if self.statement:
            lines.append(f"acknowledge_statement: {self.statement}")
        if self.outcomes:
            lines.append(f"outcomes: [{', '.join(self.outcomes)}]")
        return "\n".join([*lines, "---", self.body, ""])


@dataclass
class ModuleFile:
    folder: str  # NN-slug
    code: str
    title: str = "A module"
    order: int = 1
    lessons_in_order: bool = False
    outcomes: Sequence[str] = ("LO1",)
    intro: str = "What this module is about."
    lessons: list[LessonFile] = field(default_factory=list)

    def text(self) -> str:
        lines = ["---", f"title: {self.title}", f"code: {self.code}", "summary: A summary."]
        lines += ["estimated_minutes: 30", "reviewed: 2026-11-01", f"order: {self.order}"]
        if self.lessons_in_order:
            lines.append("lessons_in_order: true")
        lines.append("outcomes:")
        for outcome in self.outcomes:
            lines += [f"  - code: {self.code}-{outcome}", "    statement: Do the thing."]
            lines += ["    criteria:", "      - Does it well."]
        return "\n".join([*lines, "---", self.intro, ""])


def write_module(root: Path, module: ModuleFile) -> Path:
    """Write `module` under `root` (replacing lesson files already there); return its folder."""
    folder = root / module.folder
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.md"):
        old.unlink()
    (folder / "module.md").write_text(module.text(), encoding="utf-8")
    for order, lesson in enumerate(module.lessons, start=1):
        (folder / f"{order:02d}-{lesson.slug}.md").write_text(lesson.text(order), encoding="utf-8")
    return folder


def sync(app: Flask, root: Path, *, dry_run: bool = False) -> SyncReport:
    """Run a sync as `lms content sync` does: commit when clean, roll back otherwise."""
    with app.app_context():
        report = sync_content(root, now=utcnow(), dry_run=dry_run)
        if report.errors or dry_run:
            db.session.rollback()
        else:
            db.session.commit()
        db.session.remove()
    return report


def sample_module(folder: str = "01-alpha", code: str = "A1", **kwargs: object) -> ModuleFile:
    """A three-lesson module; the third lesson must be acknowledged."""
    lessons = [
        LessonFile("first-steps", "First steps", outcomes=(f"{code}-LO1",)),
        LessonFile("on-the-phone", "On the phone", body="## Greeting\nSay hello.\n"),
        LessonFile(
            "code-of-conduct",
            "Code of conduct",
            acknowledge=True,
            statement="I have read the code of conduct and will follow it.",
        ),
    ]
    return ModuleFile(folder, code, lessons=lessons, **kwargs)  # type: ignore[arg-type]
