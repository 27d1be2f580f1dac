"""What the content tests share: an empty content folder to write modules into."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.register_assert_rewrite("tests.content.sample_front_matter", "tests.content.trees")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "modules"
    folder.mkdir()
    return folder
