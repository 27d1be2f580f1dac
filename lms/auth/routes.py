"""Signing in and out, and the user's own password: change, and reset by emailed link."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from lms.auth import services
from lms.auth.access import public, signed_in
from lms.auth.forms import (
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    PasswordResetRequestForm,
)
from lms.auth.models import User
from lms.extensions import db, limiter
from lms.forms import FORM_REJECTED
from lms.mail import send_email
from lms.security import safe_next_path

bp = Blueprint("auth", __name__)

GENERIC_LOGIN_ERROR = "The email or password is not correct, or the account is not active."


def _address_limit() -> str:
    return str(current_app.config["LOGIN_LIMIT_PER_ADDRESS"])


def _account_limit() -> str:
    return str(current_app.config["LOGIN_LIMIT_PER_ACCOUNT"])


def _account_key() -> str:
    return "account:" + services.normalise_email(request.form.get("email", ""))[:254]


def _failed(response: Response) -> bool:
    """Only failed sign-ins count towards the throttle; a success redirects."""
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_account_limit, methods=["POST"], key_func=_account_key, deduct_when=_failed)
@public
def login() -> Response | tuple[str, int]:
    form = LoginForm()
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(safe_next_path(request.args.get("next")) or url_for("dashboards.home"))
        form.next.data = safe_next_path(request.args.get("next")) or ""
        return render_template("auth/login.html", form=form), 200
    if form.validate_on_submit():
        user = services.authenticate(form.email.data or "", form.password.data or "")
        db.session.commit()
        if user is not None:
            session.clear()  # nothing from before sign-in survives into the new session
            login_user(user)
            session.permanent = True
            return redirect(safe_next_path(form.next.data) or url_for("dashboards.home"))
        form.form_errors.append(GENERIC_LOGIN_ERROR)
    return render_template("auth/login.html", form=form), FORM_REJECTED


@bp.post("/logout")
@signed_in
def logout() -> Response:
    logout_user()
    session.clear()
    flash("You have signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.get("/account")
@signed_in
def profile() -> str:
    return render_template("auth/profile.html")


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in
def change_password() -> Response | tuple[str, int]:
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user,
                current=form.current_password.data or "",
                new=form.new_password.data or "",
            )
        except services.AccountError as error:
            wrong_current = error.field == "current_password"
            (form.current_password if wrong_current else form.new_password).errors.append(
                str(error)
            )
        else:
            db.session.commit()
            login_user(current_user)  # the cookie must carry the new session token
            flash("Your password has been changed. Other devices have been signed out.", "success")
            return redirect(url_for("auth.profile"))
    status = FORM_REJECTED if request.method == "POST" else 200
    return render_template("auth/change_password.html", form=form), status


@bp.route("/password-reset", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"])
@public
def request_password_reset() -> Response | tuple[str, int]:
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        minutes = int(current_app.config["PASSWORD_RESET_MINUTES"])
        started = services.start_password_reset(
            form.email.data or "", valid_for=timedelta(minutes=minutes)
        )
        if started is not None:
            send_reset_email(*started, minutes=minutes)
        db.session.commit()
        # The same answer whether or not the account exists.
        flash(
            "If an active account uses that email, a reset link is on its way. "
            f"It works once, within {minutes} minutes.",
            "success",
        )
        return redirect(url_for("auth.login"))
    status = FORM_REJECTED if request.method == "POST" else 200
    return render_template("auth/reset_request.html", form=form), status


def send_reset_email(user: User, token: str, *, minutes: int) -> None:
    link = url_for("auth.reset_password", token=token, _external=True)
    body = render_template("email/password_reset.txt", user=user, link=link, minutes=minutes)
    send_email(user.email, f"Reset your {current_app.config['SITE_NAME']} password", body)


@bp.route("/password-reset/<token>", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"])
@public
def reset_password(token: str) -> Response | tuple[str, int]:
    if services.usable_reset_token(token) is None:
        return render_template("auth/reset_expired.html"), 404
    form = PasswordResetForm()
    if form.validate_on_submit():
        try:
            services.complete_password_reset(token, form.new_password.data or "")
        except services.AccountError as error:
            form.new_password.errors.append(str(error))
        else:
            db.session.commit()
            flash("Your password has been set. Sign in with it now.", "success")
            return redirect(url_for("auth.login"))
    status = FORM_REJECTED if request.method == "POST" else 200
    return render_template("auth/reset_password.html", form=form), status
