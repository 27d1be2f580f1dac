"""A cohort's progress matrix: each learner's stage in each module, agreeing with the learner's
full outcome record, who is overdue by how many local days, who is floor ready since when, and
the share complete day by day. Learners get there through the real services of the marking
world (module A1: knowledge check, two-essay summative, moderation, certificates)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from itertools import pairwise

import pytest
from sqlalchemy import event, select

from lms.auth.models import User
from lms.auth.roles import Role
from lms.certificates import revocation
from lms.cohorts import matrix, services
from lms.cohorts.models import Cohort
from lms.cohorts.standing import Stage, standings
from lms.content import catalogue
from lms.content.catalogue import current_catalogue
from lms.extensions import db
from lms.marking import appeals, moderation
from lms.marking.models import Appeal, OutcomeJudgement, ReviewVerdict
from lms.marking.record import OutcomeStatus, module_record
from tests.certificates.certificate_steps import certificates_of, certified, confirm_sample
from tests.cohorts.progress_world import (
    DAY,
    LO1,
    LO2,
    NOW,
    START,
    TODAY,
    People,
    every_stage,
    people,
    two_module_world,
)
from tests.marking.conftest import assessor, moderator
from tests.marking.marking_steps import (
    NYC,
    C,
    finalise,
    judgements_of,
    module_a1,
    new_learner,
    submit_summative,
)

__all__ = ["assessor", "moderator", "people", "two_module_world"]


def stages_by_name(found: matrix.Matrix) -> dict[str, list[Stage]]:
    return {row.learner.full_name: [cell.stage for cell in row.cells] for row in found.rows}


# --- The matrix ------------------------------------------------------------------------------


def test_the_matrix_shows_each_learners_stage_in_each_module(people: People) -> None:
    """Rows are the current learners by name, columns the modules in programme order with
    their due dates, and each cell the learner's stage."""
    learners = every_stage(people)
    cohort = people.cohort("January", ("B2", "A1"), due_days=(None, 5))
    people.enrol(cohort, *learners.values())

    found = matrix.cohort_matrix(cohort, now=NOW)

    assert [(c.module.code, c.due) for c in found.columns] == [
        ("A1", date(2026, 11, 27)),
        ("B2", None),
    ]
    # Lessons read count as started everywhere: every learner but the first read B2 too.
    b2 = [Stage.NOT_STARTED, *[Stage.IN_PROGRESS] * 6]
    assert stages_by_name(found) == {
        f"{index} {stage.label}": [stage, b2[index - 1]]
        for index, stage in enumerate(Stage, start=1)
    }
    assert found.complete == 2 and found.pairs == 14 and found.percent_complete == 14


def test_learners_who_left_are_not_in_the_matrix(people: People) -> None:
    """A withdrawn learner's row goes; their records stay with them."""
    staying = people.learner_at(Stage.KNOWLEDGE_CHECK_PASSED, "Staying")
    leaving = people.learner_at(Stage.KNOWLEDGE_CHECK_PASSED, "Leaving")
    cohort = people.cohort("January")
    people.enrol(cohort, staying, leaving)
    membership = services.current_membership(leaving.id)
    assert membership is not None
    services.withdraw(membership, actor=people.trainer, now=NOW, note="Left the company")
    db.session.commit()

    found = matrix.cohort_matrix(cohort, now=NOW)

    assert [row.learner.full_name for row in found.rows] == ["Staying"]


def test_the_matrix_reads_the_same_few_queries_however_many_learners(
    people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No query per learner or per cell: five learners cost what one does."""
    monkeypatch.setattr(catalogue, "STAMP_CHECK_SECONDS", 3600.0)  # no check mid-test
    small, large = people.cohort("Small"), people.cohort("Large")
    people.enrol(small, people.learner_at(Stage.IN_PROGRESS, "Alone"))
    people.enrol(large, *[people.learner_at(Stage.IN_PROGRESS, f"L{n}") for n in range(5)])
    current_catalogue()  # loaded once per process, not per page

    def queries(cohort: Cohort) -> int:
        db.session.expire_all()
        statements: list[str] = []

        def count(*args: object) -> None:
            statements.append(str(args[2]))

        engine = db.engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            loaded = db.session.get(Cohort, cohort.id)
            assert loaded is not None
            found = matrix.cohort_matrix(loaded, now=NOW)
            _ = [row.learner.full_name for row in found.rows], found.overdue()
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    assert queries(small) == queries(large) <= 10


# --- Agreement with the learner's outcome record ---------------------------------------------


Scenario = Callable[[People, User], None]


def _submitted(people: People, learner: User) -> None:
    submit_summative(learner)


def _in_sample(people: People, learner: User) -> None:
    finalise(people.assessor, submit_summative(learner), {LO1: C, LO2: C})


def _nyc_confirmed(people: People, learner: User) -> None:
    finalise(people.assessor, submit_summative(learner), {LO1: C, LO2: NYC})
    confirm_sample(learner, people.moderator)


def _resubmitted(people: People, learner: User) -> None:
    _nyc_confirmed(people, learner)
    submit_summative(learner, at=NOW + DAY)


def _overturned(people: People, learner: User) -> None:
    attempt = submit_summative(learner)
    finalise(people.assessor, attempt, {LO1: C, LO2: C})
    first = next(j for j in judgements_of(attempt) if j.outcome.code == LO1)
    moderation.review(first, people.moderator, ReviewVerdict.OVERTURNED, "No ACD.", now=NOW)
    db.session.commit()


def _appealed(people: People, learner: User) -> None:
    _nyc_confirmed(people, learner)
    decided = select(OutcomeJudgement).where(
        OutcomeJudgement.learner_id == learner.id, OutcomeJudgement.verdict == NYC
    )
    appeals.lodge(db.session.scalars(decided).one(), learner, "I named the ACD.", now=NOW + DAY)
    db.session.commit()


def _appeal_upheld(people: People, learner: User) -> None:
    _appealed(people, learner)
    appeal = db.session.scalars(select(Appeal).where(Appeal.learner_id == learner.id)).one()
    reason = "The answer names the ACD."
    appeals.decide(appeal, people.moderator, upheld=True, reason=reason, now=NOW + DAY)
    db.session.commit()


def _certified(people: People, learner: User) -> None:
    certified(learner, people.assessor, people.moderator)


def _revoked(people: People, learner: User) -> None:
    certified(learner, people.assessor, people.moderator)
    revocation.revoke(certificates_of(learner)[0], people.hr, "Issued in error.", now=NOW)
    db.session.commit()


@pytest.mark.parametrize(
    ("scenario", "expected"),
    [
        (None, Stage.KNOWLEDGE_CHECK_PASSED),
        (_submitted, Stage.AWAITING_MARKING),
        (_in_sample, Stage.AWAITING_MARKING),
        (_nyc_confirmed, Stage.NOT_YET_COMPETENT),
        (_resubmitted, Stage.AWAITING_MARKING),
        (_overturned, Stage.AWAITING_MARKING),
        (_appealed, Stage.NOT_YET_COMPETENT),
        (_appeal_upheld, Stage.CERTIFIED),
        (_certified, Stage.CERTIFIED),
        (_revoked, Stage.COMPETENT),
    ],
    ids=lambda value: getattr(value, "__name__", str(value)).strip("_"),
)
def test_standings_agree_with_the_learners_outcome_record(
    people: People, scenario: Scenario | None, expected: Stage
) -> None:
    """The many-learner standings reach the verdict the one-learner record does: complete
    exactly when every outcome is Competent and final, waiting whenever an outcome waits."""
    learner = new_learner(people.world, people.make_user, full_name="Thandi Mokoena")
    if scenario is not None:
        scenario(people, learner)
    later = NOW + 2 * DAY
    db.session.expire_all()
    a1 = next(entry for entry in current_catalogue().modules if entry.code == "A1")

    standing = standings([learner.id], [a1], now=later)[learner.id, a1.id]
    record = module_record(learner, module_a1(), as_learner=False, now=later)

    statuses = {outcome.status for outcome in record.outcomes}
    assert standing.stage is expected
    assert standing.complete is record.all_competent
    if statuses & {OutcomeStatus.AWAITING_MARKING, OutcomeStatus.UNDER_MODERATION}:
        assert standing.stage is Stage.AWAITING_MARKING
    elif statuses & {OutcomeStatus.NOT_YET_COMPETENT, OutcomeStatus.UNDER_APPEAL}:
        assert standing.stage is Stage.NOT_YET_COMPETENT
    elif not record.all_competent:
        assert statuses == {OutcomeStatus.NOT_ASSESSED}


# --- Overdue ---------------------------------------------------------------------------------


def test_overdue_learners_come_most_overdue_first(people: People) -> None:
    """A1 due on day 3 (25 November) and B2 on day 7 (29 November): on 1 December a learner
    behind on both is six days overdue, one who finished A1 two days; complete is never late."""
    behind = people.learner_at(Stage.IN_PROGRESS, "Behind")
    ahead = people.learner_at(Stage.CERTIFIED, "Ahead", at=NOW - 7 * DAY)
    marked = people.learner_at(Stage.AWAITING_MARKING, "Marked")
    cohort = people.cohort("January", due_days=(3, 7))
    people.enrol(cohort, ahead, behind, marked)

    overdue = matrix.cohort_matrix(cohort, now=NOW).overdue()

    assert [
        (entry.learner.full_name, [(c.module.code, days) for c, days in entry.modules])
        for entry in overdue
    ] == [
        ("Behind", [("A1", 6), ("B2", 2)]),
        ("Marked", [("A1", 6), ("B2", 2)]),
        ("Ahead", [("B2", 2)]),
    ]


@pytest.mark.parametrize(
    ("now", "late"),
    [
        (datetime(2026, 11, 27, 21, 59, tzinfo=UTC), 0),  # 23:59 on the due day, local time
        (datetime(2026, 11, 27, 22, 0, tzinfo=UTC), 1),  # local midnight: still the 27th in UTC
        (datetime(2026, 11, 29, 9, 0, tzinfo=UTC), 2),
    ],
)
def test_a_module_is_overdue_from_local_midnight_after_its_due_day(
    people: People, now: datetime, late: int
) -> None:
    """Due on day 5, 27 November: overdue from the first instant of the 28th in Johannesburg."""
    learner = people.learner_at(Stage.IN_PROGRESS, "Late")
    cohort = people.cohort("January", ("A1",), due_days=(5,))
    people.enrol(cohort, learner)

    found = matrix.cohort_matrix(cohort, now=now)

    assert found.rows[0].cells[0].days_overdue == late
    assert [entry.learner.full_name for entry in found.overdue()] == (["Late"] if late else [])


# --- Floor readiness and completion over time ------------------------------------------------


def test_floor_ready_learners_with_the_local_day_each_became_ready(people: People) -> None:
    """Ready once every module is Competent, dated by the last decision in local time: a
    confirmation at 23:30 UTC on the 29th is 30 November in Johannesburg."""
    first = people.learner_at(Stage.CERTIFIED, "First", at=datetime(2026, 11, 28, 9, tzinfo=UTC))
    late = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)
    second = people.learner_at(Stage.COMPETENT, "Second", at=late)
    waiting = people.learner_at(Stage.KNOWLEDGE_CHECK_PASSED, "Waiting")
    cohort = people.cohort("January", ("A1",), due_days=(5,))
    people.enrol(cohort, waiting, second, first)

    found = matrix.cohort_matrix(cohort, now=NOW)

    assert [(entry.learner.full_name, entry.ready_on) for entry in found.floor_ready()] == [
        ("First", date(2026, 11, 28)),
        ("Second", date(2026, 11, 30)),
    ]
    assert [row.ready for row in found.rows] == [True, True, False]
    # A module with no assessment is never complete, so nobody is ready in a cohort taking it.
    both = people.cohort("February", ("A1", "B2"))
    people.enrol(both, people.learner_at(Stage.CERTIFIED, "Third"))
    assert matrix.cohort_matrix(both, now=NOW).floor_ready() == []


def test_completion_over_time_counts_each_pair_from_its_local_completion_day(
    people: People,
) -> None:
    """Three learners in A1 from 23 November: one complete on the 28th, one on the 30th."""
    first = people.learner_at(Stage.CERTIFIED, "First", at=datetime(2026, 11, 28, 9, tzinfo=UTC))
    second = people.learner_at(
        Stage.CERTIFIED, "Second", at=datetime(2026, 11, 29, 23, 30, tzinfo=UTC)
    )
    cohort = people.cohort("January", ("A1",), due_days=(5,))
    people.enrol(cohort, first, second, people.learner_at(Stage.IN_PROGRESS, "Third"))

    series = matrix.cohort_matrix(cohort, now=NOW).completion_series()

    expected = [0, 0, 0, 0, 0, 1, 1, 2, 2]  # 23 November to 1 December
    assert [(share.day, share.complete, share.total) for share in series] == [
        (START + offset * DAY, complete, 3) for offset, complete in enumerate(expected)
    ]
    assert round(series[-1].percent) == 67


def test_a_long_cohort_is_charted_in_at_most_so_many_evenly_spaced_days(people: People) -> None:
    """From 2 January to 1 December is 334 days: every third day, the last one today."""
    cohort = people.cohort("Long ago", ("A1",), due_days=(5,), start=date(2026, 1, 2))
    people.enrol(cohort, people.learner_at(Stage.IN_PROGRESS, "Someone"))

    days = [share.day for share in matrix.cohort_matrix(cohort, now=NOW).completion_series()]

    assert len(days) <= matrix.MAX_CHART_DAYS + 1
    assert days[0] == date(2026, 1, 2) and days[-1] == TODAY
    assert {(b - a).days for a, b in pairwise(days[:-1])} == {3}


def test_nothing_is_charted_before_the_cohort_starts(people: People) -> None:
    cohort = people.cohort("Next month", start=date(2027, 1, 4))
    people.enrol(cohort, people.learner_at(Stage.NOT_STARTED, "Early"))

    assert matrix.cohort_matrix(cohort, now=NOW).completion_series() == []


# --- The trainer's summaries -----------------------------------------------------------------


def test_trainer_summaries_give_each_cohorts_figures(people: People) -> None:
    """Learners, share complete, learners overdue and floor ready, for the trainer's own
    cohorts only, newest start first."""
    other_trainer = people.user(Role.TRAINER, "Nomsa Khumalo")
    january = people.cohort("January", ("A1",), due_days=(3,))
    february = people.cohort("February", ("A1",), due_days=(None,), start=date(2026, 12, 7))
    people.cohort("Someone else's", ("A1",), trainer=other_trainer)
    people.enrol(
        january,
        people.learner_at(Stage.CERTIFIED, "Done"),
        people.learner_at(Stage.IN_PROGRESS, "Late"),
        people.learner_at(Stage.KNOWLEDGE_CHECK_PASSED, "Later"),
    )
    people.enrol(february, people.learner_at(Stage.NOT_STARTED, "New"))

    cohorts = matrix.trained_by(people.trainer)
    found = matrix.summaries(cohorts, now=NOW)

    assert [
        (s.cohort.name, s.learners, s.percent_complete, s.overdue, s.floor_ready, s.started)
        for s in found
    ] == [
        ("February", 1, 0, 0, 0, False),
        ("January", 3, 33, 2, 1, True),
    ]
