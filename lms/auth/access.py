"""Who may use each route: every view declares it, and one hook enforces it.

A view is marked `@public`, `@signed_in` or `@roles(...)`. `create_app` refuses to start when
a registered view has no declaration, so a new route cannot be reachable by accident.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, abort, current_app, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from lms.auth.roles import Role

View = TypeVar("View", bound=Callable[..., Any])


@dataclass(frozen=True)
class AccessRule:
    public: bool = False
    roles: frozenset[Role] = frozenset()  # empty and not public: any signed-in user

    def allows(self, user: Any) -> bool:
        if self.public:
            return True
        if not user.is_authenticated:
            return False
        return not self.roles or user.has_role(*self.roles)


PUBLIC = AccessRule(public=True)
SIGNED_IN = AccessRule()


def _declare(rule: AccessRule) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        view.access_rule = rule  # type: ignore[attr-defined]
        return view

    return decorate


public = _declare(PUBLIC)
signed_in = _declare(SIGNED_IN)


def roles(*allowed: Role) -> Callable[[View], View]:
    """Only users holding at least one of these roles."""
    return _declare(AccessRule(roles=frozenset(allowed)))


def rule_for(app: Flask, endpoint: str) -> AccessRule | None:
    if endpoint == "static":
        return PUBLIC
    return getattr(app.view_functions.get(endpoint), "access_rule", None)


def check_every_view_declares_access(app: Flask) -> None:
    missing = sorted(e for e in app.view_functions if rule_for(app, e) is None)
    if missing:
        raise RuntimeError(f"views without an access rule: {', '.join(missing)}")


def enforce_access() -> Response | None:
    """Before each request: send strangers to the login page and refuse the wrong roles."""
    if request.endpoint is None:  # 404 and 405 are answered by the router
        return None
    rule = rule_for(current_app, request.endpoint)
    if rule is None:
        abort(403)
    if rule.allows(current_user):
        return None
    if not current_user.is_authenticated:
        target = request.full_path if request.method == "GET" else request.path
        return redirect(url_for("auth.login", next=target.rstrip("?")))
    abort(403)
