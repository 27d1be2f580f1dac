"""What marking one answer gives: a frozen `Grade`, produced by pure functions."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# Moodle counts a question right above 99.9999 % and wrong below 0.0001 %, in percent here.
WHOLE_MARK_MARGIN = 1e-4


class GradeOutcome(StrEnum):
    CORRECT = "correct"
    PARTIAL = "partial"
    INCORRECT = "incorrect"
    UNANSWERED = "unanswered"
    NEEDS_MARKING = "needs-marking"


@dataclass(frozen=True)
class Grade:
    """Points earned out of `max_points`, with the feedback the learner's answer earned."""

    points: float
    max_points: float
    outcome: GradeOutcome
    feedback: tuple[str, ...] = ()

    @property
    def correct(self) -> bool:
        return self.outcome is GradeOutcome.CORRECT

    @classmethod
    def from_fraction(
        cls, fraction: float, max_points: float, feedback: tuple[str, ...] = ()
    ) -> Grade:
        """A grade from a percentage: floored at 0 and capped at 100, as Moodle marks.

        Within Moodle's margin of a whole mark (a millionth) counts as whole, so three answers
        of 33.33333 % together are right and earn full points.
        """
        fraction = min(100.0, max(0.0, fraction))
        if fraction > 100 - WHOLE_MARK_MARGIN:
            fraction, outcome = 100.0, GradeOutcome.CORRECT
        elif fraction >= WHOLE_MARK_MARGIN:
            outcome = GradeOutcome.PARTIAL
        else:
            outcome = GradeOutcome.INCORRECT
        points = round(max_points * fraction / 100, 7)
        return cls(points, max_points, outcome, tuple(f for f in feedback if f))

    @classmethod
    def unanswered(cls, max_points: float) -> Grade:
        return cls(0.0, max_points, GradeOutcome.UNANSWERED, ("Not answered.",))

    @classmethod
    def needs_marking(cls, max_points: float) -> Grade:
        return cls(0.0, max_points, GradeOutcome.NEEDS_MARKING)
