"""Absolute links for what leaves the site: certificates, badges and emails.

A certificate's QR code and a reminder email are made outside any request (at issue, from a
daily command), so links are built from the `SITE_URL` setting where it is set, from the
request being served otherwise, and from the development address as a last resort.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request

DEVELOPMENT_URL = "http://127.0.0.1:5000/"


def site_url() -> str:
    """The site's address, ending in "/"."""
    configured = current_app.config.get("SITE_URL")
    if configured:
        return str(configured).rstrip("/") + "/"
    if has_request_context():
        return request.host_url
    return DEVELOPMENT_URL


def external_url(endpoint: str, **values: Any) -> str:
    """`url_for(endpoint, **values)` as an absolute URL on `site_url()`; needs an app context."""
    return _adapter().build(endpoint, values, force_external=True)


def path_for(endpoint: str, **values: Any) -> str:
    """`url_for(endpoint, **values)` that works outside a request too (a daily command)."""
    return _adapter().build(endpoint, values)


def _adapter() -> Any:
    parts = urlsplit(site_url())
    return current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme
    )


def absolute(path: str) -> str:
    """A path inside the site (from `url_for`) as an absolute URL."""
    return site_url().rstrip("/") + path
