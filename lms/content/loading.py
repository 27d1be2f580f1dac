"""Reading `content/modules/` into checked, rendered sources, without touching the database.

Every file is read and every problem collected, so an author sees all of them at once. The
database is only written (by `sync.py`) when the whole tree is clean.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath

from lms.content.frontmatter import (
    ContentError,
    KeyPath,
    SourceError,
    normalise_text,
    read_metadata,
    split_front_matter,
)
from lms.content.rendering import MEDIA_URL_PREFIX, Rendered, render_markdown
from lms.content.schema import LessonMeta, ModuleMeta

MODULE_FILE = "module.md"
MEDIA_FOLDER = "media"
MAX_TEXT_BYTES = 1024 * 1024
MAX_MEDIA_BYTES = 5 * 1024 * 1024
MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".webp": "image/webp"}  # fmt: skip
_SIGNATURES = {"image/png": (b"\x89PNG\r\n\x1a\n",), "image/jpeg": (b"\xff\xd8\xff",),
               "image/gif": (b"GIF87a", b"GIF89a"), "image/webp": (b"RIFF",)}  # fmt: skip
_SUBTYPES = {"image/webp": (8, b"WEBP")}  # RIFF holds sound and video too
_NAME = re.compile(r"^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)$")
_MEDIA_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$")
_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")
_FENCE = re.compile(r"^(`{3,}|~{3,})")  # Python-Markdown's fences: not indented
_TOP_HEADING = re.compile(r"^#(?!#)")  # Python-Markdown needs no space after the #
_SETEXT_TOP = re.compile(r"^=+[ ]*$")


@dataclass(frozen=True)
class MediaSource:
    name: str
    data: bytes
    sha256: str
    mime_type: str

    @property
    def url(self) -> str:
        return f"{MEDIA_URL_PREFIX}{self.sha256}/{self.name}"


@dataclass(frozen=True)
class LessonSource:
    slug: str
    path: str
    meta: LessonMeta
    body: str
    # The file, its name and its pictures: any change makes a new revision.
    source_hash: str
    content_hash: str  # what the learner reads: a change here means "updated since you read it"
    key_lines: dict[KeyPath, int] = field(compare=False, repr=False)
    media_urls: dict[str, str] = field(compare=False, repr=False)

    @cached_property
    def rendered(self) -> Rendered:
        """The body as safe HTML, rendered on first use: a sync renders only the lessons whose
        file changed, and rendering is most of the cost of reading a lesson."""
        return render_markdown(self.body, self.media_urls)


@dataclass(frozen=True)
class ModuleSource:
    slug: str
    path: str
    meta: ModuleMeta
    rendered_intro: Rendered
    source_hash: str
    lessons: tuple[LessonSource, ...]
    media: tuple[MediaSource, ...]
    key_lines: dict[KeyPath, int] = field(compare=False, repr=False)


@dataclass
class Problems:
    """Problems found while reading files, collected so all are reported at once."""

    errors: list[SourceError] = field(default_factory=list)

    def add(self, file: str, line: int, message: str) -> None:
        self.errors.append(SourceError(file, line, message))


def read_programme(
    root: Path, on_module: Callable[[str], None] | None = None
) -> list[ModuleSource]:
    """Read and check every module folder under `root`; raise ContentError listing all problems.

    `on_module` is called with each folder's name once it has been read (for progress bars).
    """
    problems = Problems()
    if not root.is_dir():
        raise ContentError([SourceError(str(root), 0, "no such folder")])
    modules = []
    for folder in sorted(p for p in root.iterdir() if not p.name.startswith(".")):
        if not folder.is_dir():
            continue
        module = _read_module(folder, root, problems)
        if module is not None:
            modules.append(module)
        if on_module is not None:
            on_module(folder.name)
    _check_programme(modules, problems)
    if problems.errors:
        raise ContentError(problems.errors)
    return sorted(modules, key=lambda module: module.meta.order)


def display_path(path: Path, root: Path) -> str:
    return str(PurePosixPath(root.name, path.relative_to(root).as_posix()))


def _read_module(folder: Path, root: Path, problems: Problems) -> ModuleSource | None:
    name = display_path(folder, root)
    match = _NAME.match(folder.name)
    if not match:
        problems.add(name, 0, "module folders are named NN-slug, for example 01-welcome")
        return None
    media = _read_media(folder / MEDIA_FOLDER, root, problems)
    urls = {f"{MEDIA_FOLDER}/{item.name}": item.url for item in media}
    module_file = folder / MODULE_FILE
    if not module_file.is_file():
        problems.add(name, 0, f"the folder has no {MODULE_FILE}")
        return None
    module_path = display_path(module_file, root)
    module_text = read_text(module_file, module_path, problems)
    lessons = _read_lessons(folder, root, urls, problems)
    if module_text is None:
        return None
    try:
        parts = split_front_matter(module_text, module_path)
        used = _check_markdown(parts.body, parts.body_line, module_path, urls, problems)
        meta, key_lines = read_metadata(parts, module_path, ModuleMeta)
    except ContentError as error:
        problems.errors.extend(error.errors)
        return None
    return ModuleSource(
        slug=match.group(2),
        path=module_path,
        meta=meta,
        rendered_intro=render_markdown(parts.body, urls),
        source_hash=content_digest(
            path_within(module_path), module_text, *_media_hashes(used, media)
        ),
        lessons=tuple(lessons),
        media=tuple(media),
        key_lines=key_lines,
    )


def _read_lessons(
    folder: Path, root: Path, urls: dict[str, str], problems: Problems
) -> list[LessonSource]:
    lessons = []
    named_like_lessons = 0
    for path in sorted(folder.iterdir()):
        if path.name in (MODULE_FILE, MEDIA_FOLDER) or path.name.startswith("."):
            continue
        display = display_path(path, root)
        match = _NAME.match(path.stem)
        if path.suffix != ".md" or not path.is_file() or not match:
            problems.add(display, 1, "lesson files are named NN-slug.md, for example 01-welcome.md")
            continue
        lesson = _read_lesson(path, display, match.group(2), urls, problems)
        if lesson is not None:
            lessons.append(lesson)
        named_like_lessons += 1
    if not named_like_lessons:
        problems.add(display_path(folder, root), 0, "the module has no lesson files")
    return sorted(lessons, key=lambda lesson: lesson.meta.order)


def _read_lesson(
    path: Path, display: str, slug: str, urls: dict[str, str], problems: Problems
) -> LessonSource | None:
    text = read_text(path, display, problems)
    if text is None:
        return None
    try:
        parts = split_front_matter(text, display)
        if not parts.body.strip():
            problems.add(display, parts.body_line, "the lesson has no text after the front matter")
        used = _check_markdown(parts.body, parts.body_line, display, urls, problems)
        meta, key_lines = read_metadata(parts, display, LessonMeta)
    except ContentError as error:
        problems.errors.extend(error.errors)
        return None
    if not parts.body.strip():
        return None
    pictures = sorted(urls[image] for image in used if image in urls)
    return LessonSource(
        slug=slug,
        path=display,
        meta=meta,
        body=parts.body,
        source_hash=content_digest(path_within(display), text, *pictures),
        content_hash=content_digest(meta.title, meta.statement() or "", parts.body, *pictures),
        key_lines=key_lines,
        media_urls=urls,
    )


def read_text(path: Path, display: str, problems: Problems) -> str | None:
    data = path.read_bytes()
    if len(data) > MAX_TEXT_BYTES:
        problems.add(display, 1, f"the file is larger than {MAX_TEXT_BYTES // 1024} KB")
        return None
    try:
        return normalise_text(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.add(display, line, "the file is not UTF-8 text")
        return None


def _check_markdown(
    body: str, first_line: int, file: str, urls: dict[str, str], problems: Problems
) -> set[str]:
    """Report top-level headings and missing pictures; return the pictures the text uses."""
    used = set()
    previous = ""
    for number, line in _lines_outside_code(body, first_line):
        if _TOP_HEADING.match(line):
            problems.add(file, number, "use ## for sections: the title is the only # heading")
        elif _SETEXT_TOP.match(line) and previous.strip():
            problems.add(file, number - 1, "use ## for sections: the title is the only # heading")
        previous = line
        for target in _IMAGE.findall(line):
            if target not in urls:
                problems.add(file, number, f"image {target} is not in this module's media/ folder")
            used.add(target)
    return used


def _lines_outside_code(body: str, first_line: int) -> Iterator[tuple[int, str]]:
    fence = ""  # the fence that opened the code block we are in, if any
    for offset, line in enumerate(body.split("\n")):
        match = _FENCE.match(line)
        if not fence and match:
            fence = match.group(1)
        elif fence:
            closing = line.rstrip()
            if closing.startswith(fence) and not closing.strip(fence[0]):
                fence = ""
        else:
            yield first_line + offset, line


def _read_media(folder: Path, root: Path, problems: Problems) -> list[MediaSource]:
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(p for p in folder.iterdir() if not p.name.startswith(".")):
        display = display_path(path, root)
        mime_type = MEDIA_TYPES.get(path.suffix.lower())
        if not path.is_file() or mime_type is None or not _MEDIA_NAME.match(path.name):
            problems.add(display, 1, "media/ holds only PNG, JPEG, GIF or WebP images")
            continue
        data = path.read_bytes()
        if len(data) > MAX_MEDIA_BYTES:
            problems.add(display, 1, f"the image is larger than {MAX_MEDIA_BYTES // 2**20} MB")
        elif not data.startswith(_SIGNATURES[mime_type]) or not _has_subtype(data, mime_type):
            problems.add(display, 1, f"the file's content is not a {mime_type} image")
        else:
            digest = hashlib.sha256(data).hexdigest()
            found.append(MediaSource(path.name, data, digest, mime_type))
    return found


def _has_subtype(data: bytes, mime_type: str) -> bool:
    offset, marker = _SUBTYPES.get(mime_type, (0, b""))
    return data[offset : offset + len(marker)] == marker


def _media_hashes(used: set[str], media: list[MediaSource]) -> list[str]:
    return sorted(item.sha256 for item in media if f"{MEDIA_FOLDER}/{item.name}" in used)


def _check_programme(modules: list[ModuleSource], problems: Problems) -> None:
    """What no single file can check: codes, slugs and orders unique; outcomes that exist."""
    codes = [(m.meta.code, m.path, _at(m, "code"), "module code") for m in modules]
    _report_repeats(problems, codes)
    _report_repeats(problems, [(m.slug, m.path, 1, "module folder name") for m in modules])
    _report_repeats(
        problems, [(str(m.meta.order), m.path, _at(m, "order"), "module order") for m in modules]
    )
    outcomes = [
        (outcome.code, m.path, _at(m, "outcomes", index, "code"), "outcome code")
        for m in modules
        for index, outcome in enumerate(m.meta.outcomes)
    ]
    _report_repeats(problems, outcomes)
    for module in modules:
        _check_lessons(module, problems)


def _check_lessons(module: ModuleSource, problems: Problems) -> None:
    lessons = module.lessons
    orders = [(str(s.meta.order), s.path, _at(s, "order"), "lesson order") for s in lessons]
    _report_repeats(problems, orders)
    _report_repeats(problems, [(s.slug, s.path, 1, "lesson name") for s in lessons])
    criteria = criteria_counts(module)
    for lesson in lessons:
        for index, code in enumerate(lesson.meta.outcomes):
            if code not in criteria:
                line = _at(lesson, "outcomes", index)
                problems.add(lesson.path, line, f"outcome {code} is not an outcome of this module")
        for code, numbers in lesson.meta.criteria.items():
            message = criteria_problem(code, numbers, criteria)
            if message:
                problems.add(lesson.path, _at(lesson, "criteria", code), message)


def criteria_counts(module: ModuleSource) -> dict[str, int]:
    """Each outcome code of the module with the number of its assessment criteria."""
    return {outcome.code: len(outcome.criteria) for outcome in module.meta.outcomes}


def criteria_problem(code: str, numbers: list[int], counts: Mapping[str, int]) -> str | None:
    """What is wrong with naming criteria `numbers` of outcome `code`, if anything."""
    if code not in counts:
        return f"outcome {code} is not an outcome of this module"
    beyond = [n for n in numbers if n > counts[code]]
    if beyond:
        listed = ", ".join(map(str, beyond))
        has = f"{counts[code]} criteria" if counts[code] > 1 else "1 criterion"
        return f"outcome {code} has {has}; there is no criterion {listed}"
    return None


def _at(source: ModuleSource | LessonSource, *key: str | int) -> int:
    return source.key_lines.get(key, 1)


def _report_repeats(problems: Problems, items: list[tuple[str, str, int, str]]) -> None:
    first: dict[str, str] = {}
    for value, path, line, what in items:
        if value in first:
            problems.add(path, line, f"{what} {value} is already used by {first[value]}")
        else:
            first[value] = path


def path_within(display: str) -> str:
    """A displayed path without the root folder's name, which may differ between checkouts."""
    return display.split("/", 1)[-1]


def content_digest(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()
