"""Staff pages on the loaded content (library, revision preview) and the media every page uses."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from werkzeug.wrappers import Response

from lms.auth.access import roles, signed_in
from lms.auth.roles import STAFF
from lms.content import services

bp = Blueprint("content", __name__, url_prefix="/content")

# A picture's URL carries its hash, so its bytes never change: caches may keep it for good.
IMMUTABLE = "private, max-age=31536000, immutable"


@bp.get("/")
@roles(*STAFF)
def library() -> str:
    return render_template("content/library.html", modules=services.library())


@bp.get("/revisions/<int:revision_id>")
@roles(*STAFF)
def revision(revision_id: int) -> str:
    shown = services.get_revision(revision_id)
    if shown is None:
        abort(404)
    return render_template("content/revision.html", revision=shown, lesson=shown.lesson)


@bp.get("/media/<sha256>/<filename>")
@signed_in
def media(sha256: str, filename: str) -> Response:
    # The hash names the picture; the file name is whatever the lesson called it, and the same
    # bytes may be called differently by two modules (or renamed), so it is not compared.
    stored = services.media_file(sha256) if len(sha256) == 64 else None
    if stored is None:
        abort(404)
    response = Response(stored.data, mimetype=stored.mime_type)
    response.headers["Cache-Control"] = IMMUTABLE
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
