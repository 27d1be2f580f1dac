"""Pictures: lessons show only their module's media/, which holds real images of a sane size."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.content import loading
from lms.content.loading import read_programme
from tests.content.pictures import GIF, JPEG, WEBP, png_bytes
from tests.content.trees import lesson_file, problems, write
from tests.content_files import ModuleFile, sample_module, write_module

# --- pictures shown in the text ------------------------------------------------------------------


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


# --- the media folder ----------------------------------------------------------------------------


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
