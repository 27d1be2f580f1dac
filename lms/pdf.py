"""HTML to PDF: the one way the platform renders a PDF (portfolios now, certificates later).

WeasyPrint fetches every URL a document names. Templates escape user text, but should an
`<img src="http://...">` or a `file:///etc/passwd` stylesheet ever reach the HTML, the server
must neither call out nor read its own files into a learner's download. So the fetcher here
serves only `data:` URLs and files inside the app's static folder; anything else is refused,
logged by WeasyPrint, and the document renders without it.

Callers pass HTML rendered from a plain dict of values, never model objects (STYLE.md §8).
"""

from __future__ import annotations

import mimetypes
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import current_app

# DejaVu covers Latin with every accent, Greek, Cyrillic, Vietnamese, Hebrew and Arabic; the
# later names catch what it lacks where they are installed, and Pango falls back beyond them.
FONT_STACK = (
    '"DejaVu Sans", "Noto Sans", "Liberation Sans", "Noto Sans CJK SC", '
    '"Noto Sans Devanagari", sans-serif'
)
BASE_CSS = f"html {{ font-family: {FONT_STACK}; }}"


class PdfUnavailable(RuntimeError):
    """WeasyPrint's system libraries (Pango) are missing: PDFs cannot be made here."""


class RefusedURL(ValueError):
    """A document named a resource that is neither a `data:` URL nor a static file."""


def render_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Render `html` to PDF bytes, fetching only `data:` URLs and the app's static files.

    Relative URLs resolve against `base_url`, by default the static folder itself, so a
    template names a static file as `src="img/logo.png"`. Needs an app context.
    """
    try:
        import weasyprint  # here, not at the top: the app starts without Pango; only PDFs need it
    except OSError as missing:
        raise PdfUnavailable(
            "PDF rendering needs Pango on the server (apt-get install libpango-1.0-0 "
            "libpangoft2-1.0-0)."
        ) from missing

    fetcher = static_only_fetcher()
    if base_url is None and fetcher.static_root is not None:
        base_url = fetcher.static_root.as_uri() + "/"
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    base = weasyprint.CSS(string=BASE_CSS, url_fetcher=fetcher)
    return bytes(document.write_pdf(stylesheets=[base]))


def static_only_fetcher() -> Any:
    """A fresh fetcher for the current app's static folder (a `weasyprint.urls.URLFetcher`)."""
    folder = current_app.static_folder
    root = Path(folder).resolve() if folder else None
    return _fetcher_class()(root)


@cache
def _fetcher_class() -> type:
    # WeasyPrint 68 replaced fetcher functions with URLFetcher subclasses overriding
    # `fetch(url, headers)`; the class is built on first use to keep the import lazy.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def __init__(self, static_root: Path | None) -> None:
            # Defence in depth: the parent's own opener is never handed anything but data:.
            super().__init__(allowed_protocols=("data",), allow_redirects=False)
            self.static_root = static_root

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = static_file(url, self.static_root)
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime})
            raise RefusedURL(f"only data: URLs and static files may be loaded, not {url[:120]}")

    return StaticOnlyFetcher


def static_file(url: str, static_root: Path | None) -> Path:
    """The file a `file:` URL names, if it is inside `static_root`; RefusedURL otherwise.

    Symbolic links and `..` (plain or percent-encoded) are resolved before the check.
    """
    parts = urlsplit(url)
    if static_root is None or parts.netloc not in ("", "localhost"):
        raise RefusedURL(f"not a static file: {url[:120]}")
    path = Path(unquote(parts.path)).resolve()
    if not path.is_relative_to(static_root) or not path.is_file():
        raise RefusedURL(f"not a static file: {url[:120]}")
    return path
