"""Rendering many lessons at once: spread over processes, the same result as one by one."""

from __future__ import annotations

import pytest

from lms.content import rendering
from lms.content.rendering import render_many, render_markdown


def _documents(count: int) -> list[tuple[str, dict[str, str]]]:
    return [
        (f"## Part {n}\n\nLesson {n} says *this*.[^1]\n\n[^1]: A note {n}.\n", {})
        for n in range(count)
    ]


def test_a_large_batch_is_rendered_in_other_processes_exactly_as_one_by_one() -> None:
    """Past the threshold the work goes to a process pool; every result matches, in order."""
    documents = _documents(rendering.PARALLEL_FROM + 5)
    assert render_many(documents) == [render_markdown(source, urls) for source, urls in documents]


def test_a_small_batch_stays_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Below the threshold no process is started: starting one costs more than it saves."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a process pool was started for a small batch")

    monkeypatch.setattr(rendering, "ProcessPoolExecutor", refuse)
    documents = _documents(3)
    assert [r.html for r in render_many(documents)] == [
        render_markdown(source, urls).html for source, urls in documents
    ]
