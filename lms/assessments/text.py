"""Question text to safe HTML, in the format its author chose, through the one sanitiser."""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup, escape

from lms.content.rendering import render_markdown, sanitise_html


@lru_cache(maxsize=4096)
def question_html(text: str, text_format: str) -> Markup:
    """Render question or answer text: Moodle's own format and HTML keep their (allowed) tags,
    Markdown is rendered, plain text is escaped; every result goes through the sanitiser."""
    if text_format == "markdown":
        return Markup(render_markdown(text).html)  # noqa: S704 (sanitised by the renderer)
    if text_format == "plain":
        return Markup(str(escape(text)).replace("\n", "<br>"))  # noqa: S704 (escaped)
    html = sanitise_html(text)
    if text_format == "moodle":
        html = html.replace("\n", "<br>")  # Moodle's auto-format keeps the author's line breaks
    return Markup(html)  # noqa: S704 (sanitised above)


@lru_cache(maxsize=1024)
def guide_html(text: str) -> Markup:
    """A marking guide as written in a settings file (a lead line, then "- " points whose long
    lines continue indented) rendered as Markdown, which needs a blank line between a paragraph
    and a list; the result goes through the sanitiser."""
    lines: list[str] = []
    previous = "blank"
    for line in text.splitlines():
        kind = _guide_line_kind(line, previous)
        if {previous, kind} == {"text", "item"} or (previous == "continued" and kind == "text"):
            lines.append("")
        lines.append(line)
        previous = kind
    return Markup(render_markdown("\n".join(lines)).html)  # noqa: S704 (sanitised by the renderer)


def _guide_line_kind(line: str, previous: str) -> str:
    if not line.strip():
        return "blank"
    if line.lstrip().startswith(("- ", "* ")) and not line.startswith(" "):
        return "item"
    if line.startswith(" ") and previous in ("item", "continued"):
        return "continued"
    return "text"
