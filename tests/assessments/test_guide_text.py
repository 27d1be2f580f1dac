"""Marking guides as written in settings files become a lead paragraph, a list of points and
a closing paragraph, sanitised like every other text."""

from __future__ import annotations

from lms.assessments.text import guide_html

GUIDE = """A competent answer covers both parts. Tick each point:
- Criterion 1: names the IVR and says what it does for the caller,
  in the learner's own words.
- Criterion 2: names the ACD.
Not Yet Competent: names neither, or copies the lesson.
"""


def test_a_guide_keeps_its_points_as_a_list_between_two_paragraphs() -> None:
    html = str(guide_html(GUIDE))
    assert html.startswith("<p>A competent answer covers both parts. Tick each point:</p>\n<ul>")
    assert html.count("<li>") == 2
    assert "for the caller,\n  in the learner's own words.</li>" in html
    assert html.endswith("<p>Not Yet Competent: names neither, or copies the lesson.</p>")


def test_a_guide_cannot_carry_a_script() -> None:
    html = str(guide_html("Look for <script>alert(1)</script> this."))
    assert "<script" not in html and "alert(1)" not in html
