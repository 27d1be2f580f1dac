"""Synced pictures: stored once by their hash, kept beside a changed one, and served."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from lms.auth.roles import Role
from lms.content.models import MediaFile
from lms.extensions import db
from tests.content.pictures import png_bytes
from tests.content.synced_rows import revisions, tallies
from tests.content_files import ModuleFile, sample_module, sync, write_module

ClientAs = Callable[..., FlaskClient]


def add_picture(root: Path, module: ModuleFile, name: str, data: bytes) -> None:
    """Give `module` a picture in media/ shown by its second lesson."""
    module.lessons[1].body = f"## Chart\n![Chart]({'media/' + name})\n"
    write_module(root, module)
    (root / module.folder / "media").mkdir(exist_ok=True)
    (root / module.folder / "media" / name).write_bytes(data)


def test_a_picture_used_by_two_modules_is_stored_once(app: Flask, root: Path) -> None:
    """Pictures are kept by their SHA-256: the same bytes make one row."""
    alpha, beta = sample_module("01-alpha", "A1"), sample_module("02-beta", "B1", order=2)
    add_picture(root, alpha, "chart.png", png_bytes())
    add_picture(root, beta, "chart.png", png_bytes())
    report = sync(app, root)
    assert tallies(report)["media"] == (2, 1, 0, 1, 0)
    with app.app_context():
        [stored] = db.session.scalars(select(MediaFile)).all()
        assert stored.data == png_bytes()
        assert (stored.filename, stored.mime_type, stored.size) == (
            "chart.png",
            "image/png",
            len(png_bytes()),
        )
        url = f"/content/media/{stored.sha256}/chart.png"
        htmls = [r.html for r in revisions("on-the-phone")]
        assert len(htmls) == 2
        assert all(f'src="{url}"' in text for text in htmls)
    again = sync(app, root)
    assert tallies(again)["media"] == (2, 0, 0, 2, 0)


def test_a_changed_picture_is_stored_beside_the_old_one(app: Flask, root: Path) -> None:
    """Old revisions keep showing the picture they were written with."""
    module = sample_module()
    add_picture(root, module, "chart.png", png_bytes((0, 0, 0)))
    sync(app, root)
    (root / "01-alpha" / "media" / "chart.png").write_bytes(png_bytes((255, 255, 255)))
    report = sync(app, root)
    assert tallies(report)["media"] == (1, 1, 0, 0, 0)
    assert tallies(report)["lessons"] == (3, 0, 1, 2, 0)
    with app.app_context():
        stored = {m.sha256 for m in db.session.scalars(select(MediaFile))}
        assert len(stored) == 2
        old, new = revisions("on-the-phone")
        assert new.content_hash != old.content_hash
        for revision in (old, new):
            [sha] = [s for s in stored if s in revision.html]
            assert f"/content/media/{sha}/chart.png" in revision.html


def test_every_picture_a_lesson_shows_is_served(
    app: Flask, root: Path, client_as: ClientAs
) -> None:
    """The same picture under two names (in two modules, or renamed) is stored once, and each
    lesson's image address still answers with the picture."""
    alpha, beta = sample_module("01-alpha", "A1"), sample_module("02-beta", "B1", order=2)
    add_picture(root, alpha, "chart.png", png_bytes())
    add_picture(root, beta, "service-level.png", png_bytes())
    sync(app, root)
    with app.app_context():
        sources = [r.html.split('src="')[1].split('"')[0] for r in revisions("on-the-phone")]
    assert len(sources) == 2
    client = client_as(Role.LEARNER)
    for source in sources:
        response = client.get(source)
        assert response.status_code == 200, source
        assert response.data == png_bytes()
        assert response.mimetype == "image/png"
