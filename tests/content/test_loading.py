"""Reading a content tree: every naming, structure, Markdown and picture problem is reported with
its file and line, all at once, and the hashes say exactly what changed."""

from __future__ import annotations

import shutil
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from lms.content import loading
from lms.content.frontmatter import ContentError
from lms.content.loading import LessonSource, ModuleSource, read_programme
from tests.content_files import LessonFile, ModuleFile, sample_module, write_module


def png_bytes(colour: tuple[int, int, int] = (0, 0, 0)) -> bytes:
    """A real one-pixel PNG of the given colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + bytes(colour))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"  # noqa: E501


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "modules"
    folder.mkdir()
    return folder


def problems(root: Path) -> list[str]:
    """The errors reading `root` raises, as `file:line: message` strings."""
    with pytest.raises(ContentError) as raised:
        read_programme(root)
    return [str(error) for error in raised.value.errors]


def lesson(modules: list[ModuleSource], slug: str) -> LessonSource:
    return next(item for module in modules for item in module.lessons if item.slug == slug)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def lesson_file(title: str, order: int, *lines: str, body: str = "Text.") -> str:
    return "\n".join(
        ["---", f"title: {title}", f"order: {order}", "estimated_minutes: 5", *lines, "---", body]
    )


# --- a clean tree --------------------------------------------------------------------------------


def test_a_clean_tree_is_read_in_module_and_lesson_order(root: Path) -> None:
    """Modules come back by their `order`, lessons by theirs, each with slug, path and HTML."""
    write_module(root, sample_module("01-beta", "B1", order=2))
    write_module(root, sample_module("02-alpha", "A1", order=1))
    modules = read_programme(root)
    assert [(m.slug, m.meta.code) for m in modules] == [("alpha", "A1"), ("beta", "B1")]
    alpha = modules[0]
    assert alpha.path == "modules/02-alpha/module.md"
    assert [item.slug for item in alpha.lessons] == [
        "first-steps",
        "on-the-phone",
        "code-of-conduct",
    ]
    phone = alpha.lessons[1]
    assert phone.path == "modules/02-alpha/02-on-the-phone.md"
    assert phone.body == "## Greeting\nSay hello.\n\n"
    assert phone.rendered.html == '<h2 id="sec-greeting">Greeting</h2>\n<p>Say hello.</p>'
    assert alpha.rendered_intro.html == "<p>What this module is about.</p>"
    assert (
        alpha.lessons[2].meta.statement() == "I have read the code of conduct and will follow it."
    )
    assert alpha.media == ()


def test_lessons_are_ordered_by_their_order_key_not_their_file_name(root: Path) -> None:
    """`order` decides; the NN in the file name only keeps folders tidy."""
    module = sample_module()
    module.lessons[0].order = 9
    write_module(root, module)
    [read] = read_programme(root)
    assert [item.slug for item in read.lessons] == [
        "on-the-phone",
        "code-of-conduct",
        "first-steps",
    ]


def test_hidden_entries_and_loose_files_at_the_top_are_ignored(root: Path) -> None:
    """`.git`, `.DS_Store` and a README beside the module folders are not modules."""
    folder = write_module(root, sample_module())
    (root / ".git").mkdir()
    write(root / "README.md", "# Notes for authors\n")
    write(folder / ".DS_Store", "\x00")
    write(folder / ".01-draft.md", "not front matter")
    (folder / "media").mkdir()
    write(folder / "media" / ".gitkeep", "")
    [read] = read_programme(root)
    assert len(read.lessons) == 3


def test_a_missing_content_folder_is_reported(tmp_path: Path) -> None:
    """A wrong path is one clear error rather than an empty programme."""
    assert problems(tmp_path / "nowhere") == [f"{tmp_path / 'nowhere'}:0: no such folder"]


def test_reading_reports_progress_once_per_module_folder(root: Path) -> None:
    """`on_module` is told each folder's name, for the progress bar."""
    write_module(root, sample_module("01-alpha", "A1"))
    write_module(root, sample_module("02-beta", "B1", order=2))
    seen: list[str] = []
    read_programme(root, on_module=seen.append)
    assert seen == ["01-alpha", "02-beta"]


# --- names and structure -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["1-alpha", "001-alpha", "01_alpha", "01-Alpha", "alpha", "01-alpha-", "01--alpha"]
)
def test_a_module_folder_not_named_nn_slug_is_refused(root: Path, name: str) -> None:
    """Folder names are two digits, a dash and a lower-case slug."""
    write_module(root, sample_module(name))
    assert problems(root) == [
        f"modules/{name}:0: module folders are named NN-slug, for example 01-welcome"
    ]


@pytest.mark.parametrize(
    "name", ["1-intro.md", "01-intro.txt", "01-Intro.md", "01_intro.md", "intro.md", "01-intro.MD"]
)
def test_a_lesson_file_not_named_nn_slug_md_is_refused(root: Path, name: str) -> None:
    """Anything in a module folder other than module.md and media/ must be a lesson file."""
    folder = write_module(root, sample_module())
    write(folder / name, lesson_file("Extra", 9))
    assert problems(root) == [
        f"modules/01-alpha/{name}:1: lesson files are named NN-slug.md, for example 01-welcome.md"
    ]


def test_a_sub_folder_in_a_module_is_refused(root: Path) -> None:
    """Only media/ may be a folder inside a module."""
    folder = write_module(root, sample_module())
    (folder / "04-extra").mkdir()
    assert problems(root) == [
        "modules/01-alpha/04-extra:1: lesson files are named NN-slug.md, for example 01-welcome.md"
    ]


def test_a_module_folder_without_module_md_is_refused(root: Path) -> None:
    """The module's own file is required."""
    folder = write_module(root, sample_module())
    (folder / "module.md").unlink()
    assert problems(root) == ["modules/01-alpha:0: the folder has no module.md"]


def test_a_module_with_no_lessons_is_refused(root: Path) -> None:
    """A module must teach something."""
    write_module(root, ModuleFile("01-alpha", "A1"))
    assert problems(root) == ["modules/01-alpha:0: the module has no lesson files"]


def test_a_module_whose_only_lessons_are_misnamed_is_also_reported_empty(root: Path) -> None:
    """The misnamed file and the missing lessons are both explained."""
    folder = write_module(root, ModuleFile("01-alpha", "A1"))
    write(folder / "intro.md", lesson_file("Intro", 1))
    assert problems(root) == [
        "modules/01-alpha:0: the module has no lesson files",
        "modules/01-alpha/intro.md:1: lesson files are named NN-slug.md, for example 01-welcome.md",
    ]


def test_module_codes_orders_and_outcome_codes_must_differ_across_modules(root: Path) -> None:
    """The second module to use a code or order is reported at that key's line."""
    write_module(root, sample_module("01-alpha", "A1", order=1))
    write_module(root, ModuleFile("02-beta", "A1", order=1, lessons=[LessonFile("intro", "I")]))
    assert problems(root) == [
        "modules/02-beta/module.md:3: module code A1 is already used by modules/01-alpha/module.md",
        "modules/02-beta/module.md:7: module order 1 is already used by modules/01-alpha/module.md",
        "modules/02-beta/module.md:9: outcome code A1-LO1 is already used by "
        "modules/01-alpha/module.md",
    ]


def test_an_outcome_code_used_by_another_module_is_reported_at_its_item(root: Path) -> None:
    """Outcome codes are unique across the programme; the repeat is reported at its own line."""
    write_module(root, sample_module("01-alpha", "A1"))
    beta = ModuleFile("02-beta", "B1", order=2, outcomes=("LO1", "LO2"))
    beta.lessons = [LessonFile("intro", "Intro")]
    folder = write_module(root, beta)
    text = (folder / "module.md").read_text().replace("B1-LO2", "A1-LO1")
    write(folder / "module.md", text)
    assert problems(root) == [
        "modules/02-beta/module.md:13: outcome code A1-LO1 is already used by "
        "modules/01-alpha/module.md"
    ]


def test_two_module_folders_with_the_same_slug_are_refused(root: Path) -> None:
    """`01-alpha` and `02-alpha` would have the same address."""
    write_module(root, sample_module("01-alpha", "A1"))
    write_module(root, sample_module("02-alpha", "B1", order=2))
    assert problems(root) == [
        "modules/02-alpha/module.md:1: module folder name alpha is already used by "
        "modules/01-alpha/module.md"
    ]


def test_two_lessons_with_the_same_order_are_refused(root: Path) -> None:
    """The later file is reported at its `order` line."""
    module = sample_module()
    module.lessons[2].order = 2
    write_module(root, module)
    assert problems(root) == [
        "modules/01-alpha/03-code-of-conduct.md:3: lesson order 2 is already used by "
        "modules/01-alpha/02-on-the-phone.md"
    ]


def test_two_lesson_files_with_the_same_slug_are_refused(root: Path) -> None:
    """`01-intro.md` and `02-intro.md` would have the same address."""
    folder = write_module(root, ModuleFile("01-alpha", "A1"))
    write(folder / "01-intro.md", lesson_file("Intro", 1))
    write(folder / "02-intro.md", lesson_file("Intro again", 2))
    assert problems(root) == [
        "modules/01-alpha/02-intro.md:1: lesson name intro is already used by "
        "modules/01-alpha/01-intro.md"
    ]


def test_a_lesson_naming_an_outcome_of_another_module_is_refused_at_that_item(root: Path) -> None:
    """Each outcome in the list has its own line; the wrong one is pointed at."""
    write_module(root, sample_module("01-alpha", "A1"))
    folder = write_module(root, ModuleFile("02-beta", "B1", order=2))
    write(
        folder / "01-intro.md",
        lesson_file("Intro", 1, "outcomes:", "  - B1-LO1", "  - A1-LO1", "  - B1-LO9"),
    )
    assert problems(root) == [
        "modules/02-beta/01-intro.md:7: outcome A1-LO1 is not an outcome of this module",
        "modules/02-beta/01-intro.md:8: outcome B1-LO9 is not an outcome of this module",
    ]


# --- Markdown checks -----------------------------------------------------------------------------


def test_a_top_level_heading_in_a_lesson_is_refused_at_its_line(root: Path) -> None:
    """The title comes from the front matter; `#` in the text is reported, `##` is fine."""
    folder = write_module(root, ModuleFile("01-alpha", "A1"))
    body = "Intro.\n\n# Second title\n\n## A section\n\n### A sub-section\n"
    write(folder / "01-intro.md", lesson_file("Intro", 1, body=body))
    assert problems(root) == [
        "modules/01-alpha/01-intro.md:8: use ## for sections: the title is the only # heading"
    ]


def test_a_top_level_heading_in_the_module_intro_is_refused_at_its_line(root: Path) -> None:
    """module.md's own text follows the same rule."""
    module = sample_module(intro="About.\n\n# Welcome\n")
    write_module(root, module)
    assert problems(root) == [
        "modules/01-alpha/module.md:16: use ## for sections: the title is the only # heading"
    ]


@pytest.mark.parametrize("fence", ["```", "~~~", "```bash", "````", "~~~~~"])
def test_a_hash_line_inside_fenced_code_is_allowed(root: Path, fence: str) -> None:
    """A shell comment or a Markdown example in a code block is not a heading."""
    folder = write_module(root, ModuleFile("01-alpha", "A1"))
    body = f"Run this:\n\n{fence}\n# a comment\n{fence.rstrip('bash')}\n\nDone.\n"
    write(folder / "01-intro.md", lesson_file("Intro", 1, body=body))
    [module] = read_programme(root)
    assert "# a comment" in module.lessons[0].rendered.html


def test_a_heading_after_a_fenced_block_is_still_checked(root: Path) -> None:
    """Leaving the code block starts checking again."""
    folder = write_module(root, ModuleFile("01-alpha", "A1"))
    body = "```\n# comment\n```\n\n# Heading\n"
    write(folder / "01-intro.md", lesson_file("Intro", 1, body=body))
    assert problems(root) == [
        "modules/01-alpha/01-intro.md:10: use ## for sections: the title is the only # heading"
    ]


def test_code_blocks_are_recognised_as_the_renderer_recognises_them(root: Path) -> None:
    """A fence ends only at a matching fence, and an indented fence is no fence at all (for
    Python-Markdown): the check sees the same headings the page would show."""
    folder = write_module(root, ModuleFile("01-alpha", "A1"))
    tildes = "~~~\n```\n~~~\n\n# Real heading\n"
    write(folder / "01-tildes.md", lesson_file("Tildes", 1, body=tildes))
    backticks = "````markdown\n```\n# Example heading\n```\n````\n\nDone.\n"
    write(folder / "02-backticks.md", lesson_file("Backticks", 2, body=backticks))
    indented = "Text.\n\n   ```\n# Not in code\n```\n"
    write(folder / "03-indented.md", lesson_file("Indented", 3, body=indented))
    assert problems(root) == [
        "modules/01-alpha/01-tildes.md:10: use ## for sections: the title is the only # heading",
        "modules/01-alpha/03-indented.md:9: use ## for sections: the title is the only # heading",
    ]


@pytest.mark.parametrize(
    ("body", "line"),
    [("Intro.\n\n#Heading without a space\n", 8), ("Intro.\n\nBig title\n=========\n\nText.\n", 8)],
    ids=["no-space", "setext"],
)
def test_other_spellings_of_a_top_level_heading_are_refused(
    root: Path, body: str, line: int
) -> None:
    """Python-Markdown makes `#Heading` and an `===` underline into a top-level heading too,
    which the page would then show as bare text."""
    folder = write_module(root, ModuleFile("01-alpha", "A1"))
    write(folder / "01-intro.md", lesson_file("Intro", 1, body=body))
    assert problems(root) == [
        f"modules/01-alpha/01-intro.md:{line}: use ## for sections: the title is the only # heading"
    ]


def test_an_image_not_in_the_module_media_folder_is_refused_at_its_line(root: Path) -> None:
    """Missing pictures, pictures of another module and remote pictures are all refused."""
    write_module(root, sample_module("01-alpha", "A1"))
    write(root / "01-alpha" / "media" / "here.png", "")
    (root / "01-alpha" / "media" / "here.png").write_bytes(png_bytes())
    folder = write_module(root, ModuleFile("02-beta", "B1", order=2))
    body = (
        "Text.\n\n![missing](media/missing.png)\n![other module](../01-alpha/media/here.png)\n"
        "![remote](https://example.com/x.png)\n"
    )
    write(folder / "01-intro.md", lesson_file("Intro", 1, body=body))
    assert problems(root) == [
        "modules/02-beta/01-intro.md:8: image media/missing.png is not in this module's media/ "
        "folder",
        "modules/02-beta/01-intro.md:9: image ../01-alpha/media/here.png is not in this module's "
        "media/ folder",
        "modules/02-beta/01-intro.md:10: image https://example.com/x.png is not in this module's "
        "media/ folder",
    ]


def test_an_image_inside_fenced_code_is_not_checked(root: Path) -> None:
    """Showing the Markdown for a picture, in a code block, is not using a picture."""
    folder = write_module(root, ModuleFile("01-alpha", "A1"))
    body = "How to add a picture:\n\n```\n![chart](media/chart.png)\n```\n"
    write(folder / "01-intro.md", lesson_file("Intro", 1, body=body))
    [module] = read_programme(root)
    assert "![chart](media/chart.png)" in module.lessons[0].rendered.html


def test_a_picture_in_media_is_served_from_its_hash_address(root: Path) -> None:
    """`media/chart.png` becomes `/content/media/<sha256>/chart.png` in the lesson's HTML."""
    folder = write_module(root, ModuleFile("01-alpha", "A1"))
    (folder / "media").mkdir()
    (folder / "media" / "chart.png").write_bytes(png_bytes())
    write(folder / "01-intro.md", lesson_file("Intro", 1, body="![A chart](media/chart.png)"))
    [module] = read_programme(root)
    [picture] = module.media
    assert picture.mime_type == "image/png"
    assert picture.url == f"/content/media/{picture.sha256}/chart.png"
    assert f'<img alt="A chart" src="{picture.url}">' in module.lessons[0].rendered.html


@pytest.mark.parametrize(
    ("name", "data", "mime_type"),
    [
        ("chart.png", png_bytes(), "image/png"),
        ("CHART.PNG", png_bytes(), "image/png"),
        ("photo.jpg", JPEG, "image/jpeg"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        ("anim.gif", GIF, "image/gif"),
        ("modern.webp", WEBP, "image/webp"),
    ],
)
def test_each_supported_picture_type_is_accepted(
    root: Path, name: str, data: bytes, mime_type: str
) -> None:
    """PNG, JPEG, GIF and WebP, whatever the case of the extension."""
    folder = write_module(root, sample_module())
    (folder / "media").mkdir()
    (folder / "media" / name).write_bytes(data)
    [module] = read_programme(root)
    assert [(m.name, m.mime_type, m.data) for m in module.media] == [(name, mime_type, data)]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "diagram.svg",
            b"<svg onload='alert(1)'/>",
            "media/ holds only PNG, JPEG, GIF or WebP images",
        ),
        ("notes.txt", b"text", "media/ holds only PNG, JPEG, GIF or WebP images"),
        ("picture.bmp", b"BM", "media/ holds only PNG, JPEG, GIF or WebP images"),
        ("page.html", b"<script>", "media/ holds only PNG, JPEG, GIF or WebP images"),
        ("no-extension", png_bytes(), "media/ holds only PNG, JPEG, GIF or WebP images"),
        ("my chart.png", png_bytes(), "media/ holds only PNG, JPEG, GIF or WebP images"),
        ("-chart.png", png_bytes(), "media/ holds only PNG, JPEG, GIF or WebP images"),
        ("chart.png", JPEG, "the file's content is not a image/png image"),
        ("photo.jpg", png_bytes(), "the file's content is not a image/jpeg image"),
        ("anim.gif", b"<svg onload='alert(1)'/>", "the file's content is not a image/gif image"),
        ("modern.webp", png_bytes(), "the file's content is not a image/webp image"),
        ("empty.png", b"", "the file's content is not a image/png image"),
    ],
)
def test_a_media_file_of_the_wrong_type_or_name_is_refused(
    root: Path, name: str, data: bytes, message: str
) -> None:
    """Only pictures, with a sensible name, whose bytes match their extension."""
    folder = write_module(root, sample_module())
    (folder / "media").mkdir()
    (folder / "media" / name).write_bytes(data)
    assert problems(root) == [f"modules/01-alpha/media/{name}:1: {message}"]


def test_a_riff_file_that_is_not_webp_is_refused(root: Path) -> None:
    """A WAV sound is a RIFF file too; a `.webp` must say WEBP after the RIFF header."""
    folder = write_module(root, sample_module())
    (folder / "media").mkdir()
    wave = b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00" + b"\x00" * 16
    (folder / "media" / "sound.webp").write_bytes(wave)
    assert problems(root) == [
        "modules/01-alpha/media/sound.webp:1: the file's content is not a image/webp image"
    ]


def test_a_folder_inside_media_is_refused(root: Path) -> None:
    """media/ is flat."""
    folder = write_module(root, sample_module())
    (folder / "media" / "old").mkdir(parents=True)
    assert problems(root) == [
        "modules/01-alpha/media/old:1: media/ holds only PNG, JPEG, GIF or WebP images"
    ]


def test_a_picture_larger_than_the_limit_is_refused(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One byte over the limit is refused; exactly at the limit is accepted."""
    monkeypatch.setattr(loading, "MAX_MEDIA_BYTES", 2**20)
    folder = write_module(root, sample_module())
    (folder / "media").mkdir()
    picture = png_bytes()
    (folder / "media" / "fits.png").write_bytes(picture.ljust(2**20, b"\0"))
    (folder / "media" / "huge.png").write_bytes(picture.ljust(2**20 + 1, b"\0"))
    assert problems(root) == ["modules/01-alpha/media/huge.png:1: the image is larger than 1 MB"]


def test_a_text_file_larger_than_the_limit_is_refused(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lesson files are text of a sensible size."""
    monkeypatch.setattr(loading, "MAX_TEXT_BYTES", 4096)
    folder = write_module(root, sample_module())
    write(folder / "04-long.md", lesson_file("Long", 4, body="word " * 1000))
    assert problems(root) == ["modules/01-alpha/04-long.md:1: the file is larger than 4 KB"]


# --- text encoding and empty files ---------------------------------------------------------------


def test_a_lesson_that_is_not_utf8_is_refused_at_the_line_of_the_first_bad_byte(
    root: Path,
) -> None:
    """A file saved as Latin-1 is pointed at the line with the first accented letter."""
    folder = write_module(root, sample_module())
    data = lesson_file("Intro", 4, body="First line.\nSecond line.\nCafé au lait.\n")
    (folder / "04-intro.md").write_bytes(data.encode("latin-1"))
    assert problems(root) == ["modules/01-alpha/04-intro.md:8: the file is not UTF-8 text"]


def test_a_module_file_that_is_not_utf8_is_refused_and_its_lessons_still_checked(
    root: Path,
) -> None:
    """The bad module.md and a bad lesson beside it are both reported."""
    module = sample_module()
    module.title = "Módulo"
    folder = write_module(root, module)
    (folder / "module.md").write_bytes(module.text().encode("latin-1"))
    write(folder / "04-bad.md", "no front matter\n")
    assert problems(root) == [
        "modules/01-alpha/04-bad.md:1: the file must start with a '---' line",
        "modules/01-alpha/module.md:2: the file is not UTF-8 text",
    ]


@pytest.mark.parametrize(
    "body", ["", "\n\n", "   \n\t\n"], ids=["nothing", "blank-lines", "spaces"]
)
def test_a_lesson_with_no_text_after_the_front_matter_is_refused(root: Path, body: str) -> None:
    """The error points at the line where the text should start."""
    folder = write_module(root, ModuleFile("01-alpha", "A1"))
    write(folder / "01-intro.md", lesson_file("Intro", 1, body=body))
    assert problems(root) == [
        "modules/01-alpha/01-intro.md:6: the lesson has no text after the front matter"
    ]


def test_an_empty_lesson_with_bad_front_matter_reports_both(root: Path) -> None:
    """An empty body does not hide a front-matter mistake, nor the reverse."""
    folder = write_module(root, ModuleFile("01-alpha", "A1"))
    write(folder / "01-intro.md", lesson_file("Intro", 1, "colour: red", body=""))
    assert problems(root) == [
        "modules/01-alpha/01-intro.md:5: `colour` is not a known key",
        "modules/01-alpha/01-intro.md:7: the lesson has no text after the front matter",
    ]


def test_windows_line_ends_and_a_bom_read_the_same_and_hash_the_same(root: Path) -> None:
    """Saving the same lesson from another editor is not a change."""
    folder = write_module(root, sample_module())
    before = read_programme(root)
    for path in folder.glob("*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    after = read_programme(root)
    assert after == before
    for old, new in zip(before[0].lessons, after[0].lessons, strict=True):
        assert (new.source_hash, new.content_hash) == (old.source_hash, old.content_hash)
    assert after[0].source_hash == before[0].source_hash


# --- everything at once --------------------------------------------------------------------------


def test_every_problem_in_every_file_is_reported_together(root: Path) -> None:
    """One run lists them all, sorted by file and line, so an author fixes everything at once."""
    write_module(root, sample_module("01-alpha", "A1"))
    text = (root / "01-alpha" / "module.md").read_text().replace("order: 1", "order: 010")
    write(root / "01-alpha" / "module.md", text)
    beta = write_module(root, sample_module("02-beta", "B1", order=2))
    write(beta / "02-on-the-phone.md", lesson_file("Phone", 2, "acknowledge: yes"))
    gamma = write_module(root, sample_module("03-gamma", "C1", order=3))
    (gamma / "media").mkdir()
    (gamma / "media" / "chart.png").write_bytes(JPEG)
    write(gamma / "01-first-steps.md", lesson_file("First", 1, body="# Title\n![x](media/y.png)"))
    delta = write_module(root, sample_module("04-delta", "D1", order=4))
    (delta / "module.md").unlink()
    write_module(root, sample_module("5-epsilon", "E1", order=5))
    assert problems(root) == [
        "modules/01-alpha/module.md:7: `order`: YAML reads 010 as a number in another base; "
        'write "010" in quotes',
        "modules/02-beta/02-on-the-phone.md:5: `acknowledge`: YAML reads an unquoted yes as true; "
        'write true or false, or "yes" in quotes if you mean the word',
        "modules/03-gamma/01-first-steps.md:6: use ## for sections: the title is the only # "
        "heading",
        "modules/03-gamma/01-first-steps.md:7: image media/y.png is not in this module's media/ "
        "folder",
        "modules/03-gamma/media/chart.png:1: the file's content is not a image/png image",
        "modules/04-delta:0: the folder has no module.md",
        "modules/5-epsilon:0: module folders are named NN-slug, for example 01-welcome",
    ]


def test_programme_checks_still_run_beside_errors_in_single_files(root: Path) -> None:
    """A repeated module code is reported even when another module has a broken lesson."""
    write_module(root, sample_module("01-alpha", "A1"))
    folder = write_module(root, ModuleFile("02-beta", "A1", order=2, outcomes=("X",)))
    write(folder / "01-intro.md", lesson_file("Intro", 1, "colour: red"))
    assert problems(root) == [
        "modules/02-beta/01-intro.md:5: `colour` is not a known key",
        "modules/02-beta/module.md:3: module code A1 is already used by modules/01-alpha/module.md",
    ]


# --- hashes --------------------------------------------------------------------------------------


def read_lesson(root: Path, module: ModuleFile, slug: str = "on-the-phone") -> LessonSource:
    write_module(root, module)
    return lesson(read_programme(root), slug)


def test_reading_twice_gives_the_same_hashes(root: Path) -> None:
    """Hashes depend on the files only."""
    first = read_lesson(root, sample_module())
    second = read_lesson(root, sample_module())
    assert (first.source_hash, first.content_hash) == (second.source_hash, second.content_hash)
    assert len(first.source_hash) == len(first.content_hash) == 64


@pytest.mark.parametrize(
    "change",
    [
        lambda lesson: setattr(lesson, "order", 7),
        lambda lesson: setattr(lesson, "minutes", 45),
        lambda lesson: setattr(lesson, "outcomes", ("A1-LO1",)),
    ],
    ids=["order", "minutes", "outcomes"],
)
def test_bookkeeping_changes_the_source_hash_but_not_the_content_hash(
    root: Path, change: Callable[[LessonFile], object]
) -> None:
    """Moving a lesson or re-estimating its time is a new revision, not "updated since you
    read it"."""
    module = sample_module()
    before = read_lesson(root, module)
    change(module.lessons[1])
    after = read_lesson(root, module)
    assert after.source_hash != before.source_hash
    assert after.content_hash == before.content_hash


def ask_to_confirm(lesson: LessonFile) -> None:
    lesson.acknowledge = True
    lesson.statement = "I will greet every caller."


@pytest.mark.parametrize(
    "change",
    [
        lambda lesson: setattr(lesson, "body", "## Greeting\nSay hello warmly.\n"),
        lambda lesson: setattr(lesson, "title", "On the telephone"),
        lambda lesson: setattr(lesson, "acknowledge", True),
        ask_to_confirm,
    ],
    ids=["body", "title", "acknowledge", "statement"],
)
def test_what_the_learner_reads_changes_the_content_hash(
    root: Path, change: Callable[[LessonFile], object]
) -> None:
    """Text, title and the statement to confirm are what learners read."""
    module = sample_module()
    before = read_lesson(root, module)
    change(module.lessons[1])
    after = read_lesson(root, module)
    assert after.content_hash != before.content_hash
    assert after.source_hash != before.source_hash


def test_a_changed_statement_changes_the_content_hash(root: Path) -> None:
    """Rewording what is confirmed asks for a new confirmation."""
    module = sample_module()
    before = read_lesson(root, module, "code-of-conduct")
    module.lessons[2].statement = "I will follow the code of conduct at all times."
    after = read_lesson(root, module, "code-of-conduct")
    assert after.content_hash != before.content_hash


def test_new_picture_bytes_change_the_hashes_of_the_lessons_that_show_it(root: Path) -> None:
    """Replacing chart.png with another picture of the same name changes what is read, but only
    for the lesson that shows it."""
    module = sample_module()
    module.lessons[1].body = "## Chart\n![Chart](media/chart.png)\n"
    folder = write_module(root, module)
    (folder / "media").mkdir()
    (folder / "media" / "chart.png").write_bytes(png_bytes((0, 0, 0)))
    before = read_programme(root)
    (folder / "media" / "chart.png").write_bytes(png_bytes((255, 0, 0)))
    after = read_programme(root)
    shown_before, shown_after = lesson(before, "on-the-phone"), lesson(after, "on-the-phone")
    assert shown_after.content_hash != shown_before.content_hash
    assert shown_after.source_hash != shown_before.source_hash
    assert shown_after.rendered.html != shown_before.rendered.html
    other_before, other_after = lesson(before, "first-steps"), lesson(after, "first-steps")
    assert other_after.content_hash == other_before.content_hash
    assert other_after.source_hash == other_before.source_hash


def test_new_picture_bytes_change_the_module_hash_when_the_intro_shows_it(root: Path) -> None:
    """The module's own text can show a picture too."""
    folder = write_module(root, sample_module(intro="![Map](media/map.png)\n"))
    (folder / "media").mkdir()
    (folder / "media" / "map.png").write_bytes(png_bytes((0, 0, 0)))
    [before] = read_programme(root)
    (folder / "media" / "map.png").write_bytes(png_bytes((0, 0, 255)))
    [after] = read_programme(root)
    assert after.source_hash != before.source_hash
    assert after.rendered_intro.html != before.rendered_intro.html


def test_moving_a_file_changes_its_source_hash_but_not_its_content_hash(root: Path) -> None:
    """Renumbering the folder (01- to 05-) records the new path in a new revision, yet is not a
    change to what the lesson says."""
    write_module(root, sample_module("01-alpha"))
    before = lesson(read_programme(root), "on-the-phone")
    shutil.move(root / "01-alpha", root / "05-alpha")
    after = lesson(read_programme(root), "on-the-phone")
    assert after.path == "modules/05-alpha/02-on-the-phone.md"
    assert after.source_hash != before.source_hash
    assert after.content_hash == before.content_hash


def test_the_name_of_the_content_folder_itself_does_not_change_any_hash(tmp_path: Path) -> None:
    """Two checkouts of the same content in differently named folders hash alike."""
    first, second = tmp_path / "modules", tmp_path / "content-copy"
    write_module(first, sample_module())
    write_module(second, sample_module())
    [one], [two] = read_programme(first), read_programme(second)
    assert one.source_hash == two.source_hash
    assert [item.source_hash for item in one.lessons] == [item.source_hash for item in two.lessons]
    assert two.lessons[0].path == "content-copy/01-alpha/01-first-steps.md"
