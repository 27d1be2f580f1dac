"""Reading `assessments/<module-code>/<quiz-slug>.gift` + `.yml` into checked quiz sources.

Every file is read and every problem collected, each as `file:line: message`, before anything
is loaded; one bad file stops the whole sync, as for lessons.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lms.assessments.formats.gift import parse_gift
from lms.assessments.formats.questions import ParsedQuestion
from lms.assessments.settings import QuizSettings
from lms.content.frontmatter import (
    ContentError,
    KeyPath,
    Parts,
    SourceError,
    read_metadata,
)
from lms.content.loading import (
    ModuleSource,
    Problems,
    content_digest,
    criteria_counts,
    criteria_problem,
    display_path,
    path_within,
    read_text,
)

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SLUG = 80  # the length of quizzes.slug
MAX_NAME = 200  # the length of questions.name and questions.category
QUESTIONS_SUFFIX, SETTINGS_SUFFIX = ".gift", ".yml"


@dataclass(frozen=True)
class QuestionSource:
    parsed: ParsedQuestion
    outcome_codes: tuple[str, ...]
    criteria: tuple[tuple[str, int], ...]  # (outcome code, criterion number) pairs it tests
    marking_guide: str | None
    points: float


@dataclass(frozen=True)
class QuizSource:
    module_code: str
    slug: str
    path: str  # of the GIFT file, as shown in messages
    settings: QuizSettings
    gift_source: str
    settings_source: str
    source_hash: str
    questions: tuple[QuestionSource, ...]

    @property
    def settings_json(self) -> dict[str, Any]:
        return self.settings.model_dump(mode="json")


def read_quizzes_of(modules: Sequence[ModuleSource], root: Path) -> list[QuizSource]:
    """The quizzes under `root` of these modules, checked against their outcomes and criteria."""
    return read_assessments(root, {module.meta.code: criteria_counts(module) for module in modules})


def read_assessments(root: Path, outcomes: Mapping[str, Mapping[str, int]]) -> list[QuizSource]:
    """Read every quiz under `root`; raise ContentError listing every problem.

    `outcomes` maps each module code being loaded to its outcome codes, each with its number of
    assessment criteria: a quiz must belong to one of those modules and name only that module's
    outcomes and criteria.
    """
    if not root.is_dir():
        raise ContentError([SourceError(str(root), 0, "no such folder")])
    problems = Problems()
    quizzes = []
    for folder in sorted(p for p in root.iterdir() if not p.name.startswith(".")):
        display = display_path(folder, root)
        if not folder.is_dir():
            problems.add(display, 1, "only module folders belong here, named by module code")
            continue
        if folder.name not in outcomes:
            problems.add(display, 0, f"there is no module with the code {folder.name}")
            continue
        quizzes += _read_folder(folder, root, outcomes[folder.name], problems)
    if problems.errors:
        raise ContentError(problems.errors)
    return quizzes


def _read_folder(
    folder: Path, root: Path, module_outcomes: Mapping[str, int], problems: Problems
) -> list[QuizSource]:
    files = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    quiz_files = [
        p for p in files if p.is_file() and p.suffix in (QUESTIONS_SUFFIX, SETTINGS_SUFFIX)
    ]
    for path in files:
        if path not in quiz_files:
            problems.add(display_path(path, root), 1, "only .gift and .yml files belong here")
    quizzes = []
    for slug in sorted({p.stem for p in quiz_files}):
        gift_path, settings_path = folder / f"{slug}.gift", folder / f"{slug}.yml"
        named = display_path(gift_path if gift_path.is_file() else settings_path, root)
        if not _SLUG.match(slug):
            message = "a quiz file name may use only lower-case letters, digits and '-'"
            problems.add(named, 1, message)
            continue
        if len(slug) > MAX_SLUG:
            problems.add(named, 1, f"a quiz file name may be at most {MAX_SLUG} characters long")
            continue
        if not settings_path.is_file() or not gift_path.is_file():
            missing, present = (
                (settings_path, gift_path) if gift_path.is_file() else (gift_path, settings_path)
            )
            problems.add(display_path(present, root), 1, f"{missing.name} is missing beside it")
            continue
        quiz = _read_quiz(
            folder.name, slug, gift_path, settings_path, root, module_outcomes, problems
        )
        if quiz is not None:
            quizzes.append(quiz)
    return quizzes


def _read_quiz(
    module_code: str,
    slug: str,
    gift_path: Path,
    settings_path: Path,
    root: Path,
    module_outcomes: Mapping[str, int],
    problems: Problems,
) -> QuizSource | None:
    gift_file, settings_file = display_path(gift_path, root), display_path(settings_path, root)
    gift_text = read_text(gift_path, gift_file, problems)
    settings_text = read_text(settings_path, settings_file, problems)
    if gift_text is None or settings_text is None:
        return None
    try:
        settings, lines = read_metadata(
            Parts(settings_text, 1, "", 0), settings_file, QuizSettings, called="the file"
        )
    except ContentError as error:
        problems.errors += error.errors
        settings = None
    parsed = parse_gift(gift_text, gift_file)
    problems.errors += parsed.errors
    if settings is None or parsed.errors:
        return None
    check = _QuizCheck(settings, lines, settings_file, gift_file, module_outcomes, problems)
    if settings.module != module_code:
        check.at(("module",), f"the quiz is in the folder of module {module_code}")
    questions = check.questions(parsed.questions)
    if questions is None:
        return None
    within = path_within(gift_file), path_within(settings_file)
    return QuizSource(
        module_code=module_code,
        slug=slug,
        path=gift_file,
        settings=settings,
        gift_source=gift_text,
        settings_source=settings_text,
        source_hash=content_digest(*within, gift_text, settings_text),
        questions=questions,
    )


class _QuizCheck:
    """The rules that tie a settings file to its questions and its module's outcomes."""

    def __init__(
        self,
        settings: QuizSettings,
        lines: dict[KeyPath, int],
        settings_file: str,
        gift_file: str,
        module_outcomes: Mapping[str, int],
        problems: Problems,
    ) -> None:
        self.settings, self.lines = settings, lines
        self.settings_file, self.gift_file = settings_file, gift_file
        self.module_outcomes, self.problems = module_outcomes, problems
        self.count = len(problems.errors)

    def at(self, key: KeyPath, message: str) -> None:
        line = next(
            (self.lines[key[:end]] for end in range(len(key), -1, -1) if key[:end] in self.lines), 1
        )
        self.problems.add(self.settings_file, line, message)

    def questions(self, parsed: tuple[ParsedQuestion, ...]) -> tuple[QuestionSource, ...] | None:
        settings = self.settings
        names = Counter(q.name for q in parsed if q.name)
        categories = {q.category for q in parsed if q.category}
        self._references("questions", settings.outcomes.questions, names)
        self._references_categories(settings.outcomes.categories, categories)
        self._criteria(names)
        self._guides(parsed, names)
        self._lengths(parsed)
        counted = [q for q in parsed if q.type != "description"]
        if not counted:
            self.problems.add(self.gift_file, 1, "the file has no questions")
        if settings.draw is not None and settings.draw > len(counted):
            self.at(
                ("draw",),
                f"`draw` asks for {settings.draw} questions but the file has {len(counted)}",
            )
        sources = tuple(self._question(q) for q in parsed)
        return sources if len(self.problems.errors) == self.count else None

    def _lengths(self, parsed: tuple[ParsedQuestion, ...]) -> None:
        for question in parsed:
            for what, value in (("name", question.name), ("category", question.category)):
                if value is not None and len(value) > MAX_NAME:
                    message = f"a question {what} may be at most {MAX_NAME} characters long"
                    self.problems.add(self.gift_file, question.line, message)

    def _references(self, key: str, mapping: Mapping[str, list[str]], names: Counter[str]) -> None:
        for name, codes in mapping.items():
            if names[name] == 0:
                self.at(("outcomes", key, name), f"no question is named {name}")
            elif names[name] > 1:
                self.at(("outcomes", key, name), f"{names[name]} questions are named {name}")
            self._codes(("outcomes", key, name), codes)

    def _references_categories(self, mapping: Mapping[str, list[str]], known: set[str]) -> None:
        for category, codes in mapping.items():
            if category not in known:
                self.at(("outcomes", "categories", category), f"no category is named {category}")
            self._codes(("outcomes", "categories", category), codes)

    def _criteria(self, names: Counter[str]) -> None:
        for name, criteria in self.settings.criteria.items():
            if names[name] != 1:
                found = "no question is" if names[name] == 0 else f"{names[name]} questions are"
                self.at(("criteria", name), f"{found} named {name}")
            for code, numbers in criteria.items():
                message = criteria_problem(code, numbers, self.module_outcomes)
                if message:
                    self.at(("criteria", name, code), message)

    def _codes(self, key: KeyPath, codes: list[str]) -> None:
        for index, code in enumerate(codes):
            if code not in self.module_outcomes:
                self.at((*key, index), f"outcome {code} is not an outcome of this module")

    def _guides(self, parsed: tuple[ParsedQuestion, ...], names: Counter[str]) -> None:
        essays = {q.name for q in parsed if q.type == "essay"}
        for name in self.settings.marking_guides:
            if names[name] == 0:
                self.at(("marking_guides", name), f"no question is named {name}")
            elif names[name] > 1:
                self.at(("marking_guides", name), f"{names[name]} questions are named {name}")
            elif name not in essays:
                self.at(("marking_guides", name), f"{name} is not an essay question")

    def _question(self, question: ParsedQuestion) -> QuestionSource:
        settings = self.settings
        codes = list(settings.outcomes.categories.get(question.category or "", []))
        codes += settings.outcomes.questions.get(question.name or "", [])
        criteria = settings.criteria.get(question.name or "", {})
        codes += criteria
        guide = settings.marking_guides.get(question.name or "")
        if question.type == "essay":
            self._essay(question, codes, guide)
        return QuestionSource(
            parsed=question,
            outcome_codes=tuple(dict.fromkeys(codes)),
            criteria=tuple((code, n) for code, numbers in criteria.items() for n in numbers),
            marking_guide=guide,
            points=0.0 if question.type == "description" else 1.0,
        )

    def _essay(self, question: ParsedQuestion, codes: list[str], guide: str | None) -> None:
        label = question.name or "this essay question"
        if self.settings.kind == "knowledge-check":
            message = "a knowledge check is marked automatically: essays belong in a summative"
            self.problems.add(self.gift_file, question.line, message)
            return
        if guide is None:
            message = f"{label} needs a marking guide under `marking_guides` in the settings"
            self.problems.add(self.gift_file, question.line, message)
        if not codes:
            message = f"{label} needs an outcome under `outcomes` or `criteria` in the settings"
            self.problems.add(self.gift_file, question.line, message)
