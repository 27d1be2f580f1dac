"""Error pages in the site's layout, and JSON errors for clients that ask for JSON."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

from lms.extensions import db

MESSAGES = {
    400: ("Bad request", "The request could not be understood. Go back, reload and try again."),
    403: ("Not allowed", "Your account does not have access to this page."),
    404: ("Page not found", "There is nothing at this address. Check the link or go back."),
    405: ("Method not allowed", "This address does not accept that kind of request."),
    413: ("Too large", "What you sent is larger than this site accepts."),
    429: ("Too many attempts", "Please wait a minute before trying again."),
    500: ("Something went wrong", "The error has been logged. Please try again in a moment."),
}


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return request.path.startswith(("/api/", "/badges/")) or best == "application/json"


def render_error(error: HTTPException) -> tuple[Response | str, int]:
    code = error.code or 500
    title, message = MESSAGES.get(code, (error.name, error.description or ""))
    if isinstance(error, CSRFError):
        message = "The form had expired or did not come from this site. Reload it and try again."
    elif code != 429 and error.description and error.description != type(error).description:
        message = error.description  # a message our own code gave with abort()
    if _wants_json():
        return jsonify(error=title, message=message, status=code), code
    return render_template("errors/error.html", code=code, title=title, message=message), code


def register_error_pages(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response | str, int]:
        return render_error(error)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> tuple[Response | str, int]:
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return render_error(InternalServerError())
