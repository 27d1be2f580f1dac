"""Markdown to safe HTML: the one path lesson text takes to a page.

Python-Markdown passes raw HTML through, so its output is always cleaned by nh3 against an
allow-list: scripts, event handlers, `javascript:` links and inline styles never survive.
"""

from __future__ import annotations

import html
import multiprocessing
import os
import re
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from xml.etree.ElementTree import Element

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

MEDIA_URL_PREFIX = "/content/media/"
PARALLEL_FROM = 200  # below this, starting processes costs more than it saves
MAX_RENDER_PROCESSES = 4

ALLOWED_TAGS = {
    *("h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "pre", "code", "kbd", "samp"),
    *("a", "img", "figure", "figcaption", "ul", "ol", "li", "dl", "dt", "dd", "abbr", "q"),
    *("em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "sub", "sup", "small", "cite"),
    *("table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col"),
    *("div", "span", "details", "summary", "time"),
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "td": {"align", "colspan", "rowspan"},
    "time": {"datetime"},
    "sup": {"id"},
    "li": {"id"},
    **{f"h{level}": {"id"} for level in range(2, 7)},
}
ADMONITION_KINDS = {"note", "tip", "hint", "important", "warning", "caution", "danger", "example"}
ALLOWED_CLASSES = {
    "div": {"admonition", "footnote", *ADMONITION_KINDS},
    "p": {"admonition-title"},
    "a": {"footnote-ref", "footnote-backref"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Ids the renderer makes: headings (`sec-`) and footnotes. Any other id could clash with the page.
_OWN_ID = re.compile(r"^(sec-[\w-]+|fn:[\w-]+|fnref\d*:[\w-]+)$")
_MEDIA_SRC = re.compile(re.escape(MEDIA_URL_PREFIX) + r"[0-9a-f]{64}/[A-Za-z0-9][A-Za-z0-9._-]*")
_TAGS = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+(?:['\u2019-]\w+)*")


@dataclass(frozen=True)
class TocEntry:
    level: int
    anchor: str
    title: str


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: tuple[TocEntry, ...]
    word_count: int


def render_markdown(source: str, media_urls: dict[str, str] | None = None) -> Rendered:
    """Render lesson Markdown to sanitised HTML with its table of contents and word count.

    `media_urls` maps image paths as written (`media/chart.png`) to the URLs that serve them;
    an image not in it loses its source rather than pointing outside the platform.
    """
    return _render(source, tuple(sorted((media_urls or {}).items())))


@lru_cache(maxsize=256)
def _render(source: str, media_urls: tuple[tuple[str, str], ...]) -> Rendered:
    with _CONVERTING:
        converter = _converter(media_urls).reset()
        body = _scrollable_tables(sanitise_html(converter.convert(source)))
        toc = tuple(_flatten(getattr(converter, "toc_tokens", [])))
    return Rendered(body, toc, count_words(body))


_CONVERTING = threading.Lock()  # a converter holds the state of the document it converts


@lru_cache(maxsize=32)
def _converter(media_urls: tuple[tuple[str, str], ...]) -> markdown.Markdown:
    """A converter for documents showing these pictures, built once and reset before each
    document: building one costs about a tenth of converting a lesson."""
    return markdown.Markdown(
        extensions=[
            "tables",
            "footnotes",
            "fenced_code",
            "def_list",
            "abbr",
            "admonition",
            "sane_lists",
            "toc",
            _MediaLinks(urls=dict(media_urls)),
        ],
        extension_configs={
            "tables": {"use_align_attribute": True},
            "footnotes": {"BACKLINK_TITLE": "Back to the text"},
            "toc": {"slugify": _heading_anchor, "toc_depth": "2-3"},
        },
        output_format="html",
    )


def render_many(documents: list[tuple[str, dict[str, str]]]) -> list[Rendered]:
    """Render many documents (source, media URLs), in order.

    Rendering is most of a large sync's time, so from `PARALLEL_FROM` documents on it is spread
    over the machine's processors. Fresh ("spawn") processes are used, since forking a process
    that runs threads can copy a lock another thread holds.
    """
    workers = min(os.cpu_count() or 1, MAX_RENDER_PROCESSES)
    if len(documents) < PARALLEL_FROM or workers < 2:
        return [render_markdown(source, urls) for source, urls in documents]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return list(pool.map(_render_document, documents, chunksize=20))


def _render_document(document: tuple[str, dict[str, str]]) -> Rendered:
    return render_markdown(*document)


def sanitise_html(fragment: str) -> str:
    """Keep only the allow-listed tags, attributes, classes and URL schemes."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_filter_attribute,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def _scrollable_tables(fragment: str) -> str:
    """Wrap each table in a region that scrolls sideways, so a wide table never widens a phone's
    page; the region takes the keyboard's focus so it can be scrolled without a mouse.

    Runs after cleaning: every `<table>` here came from Markdown and carries no attributes.
    """
    number = 0

    def wrap(_match: re.Match[str]) -> str:
        nonlocal number
        number += 1
        label = f"Table {number}"
        return f'<div class="table-scroll" role="region" tabindex="0" aria-label="{label}"><table>'

    return _TABLE_OPEN.sub(wrap, fragment).replace("</table>", "</table></div>")


_TABLE_OPEN = re.compile(r"<table>")


def count_words(fragment: str) -> int:
    """Words a reader sees in an HTML fragment."""
    return len(_WORD.findall(html.unescape(_TAGS.sub(" ", fragment))))


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "id":
        return value if _OWN_ID.match(value) else None
    if tag == "img" and attribute == "src":
        # Pictures come from the platform's media store only; nothing else is fetched.
        return value if _MEDIA_SRC.fullmatch(value) else None
    return value


def _heading_anchor(value: str, separator: str) -> str:
    return "sec-" + (slugify_unicode(value, separator) or "section")


def _flatten(tokens: list[dict[str, Any]]) -> list[TocEntry]:
    entries = []
    for token in tokens:
        entries.append(TocEntry(token["level"], token["id"], html.unescape(token["name"])))
        entries.extend(_flatten(token.get("children", [])))
    return entries


class _MediaLinks(Extension):
    """Points `![..](media/x.png)` at the stored copy of that picture."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {"urls": [{}, "image path -> URL"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_RewriteImages(md, self.getConfig("urls")), "lms_media", 5)


class _RewriteImages(Treeprocessor):
    def __init__(self, md: markdown.Markdown, urls: dict[str, str]) -> None:
        super().__init__(md)
        self.urls = urls

    def run(self, root: Element) -> None:
        for image in root.iter("img"):
            image.set("src", self.urls.get(image.get("src", ""), ""))
