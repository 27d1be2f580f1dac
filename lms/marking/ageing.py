"""Work waiting for assessors and moderators, counted per module by how long it has waited.

The dashboards draw these as bars. Each picture is one grouped query over the same statement
the queue page lists (`queue_query`, `sample_query`, `open_appeals_query`), so the counts and
the lists always agree, and no waiting row is loaded to be counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, case, func

from lms.assessments.models import Attempt, Quiz
from lms.auth.models import User
from lms.content.models import Module, Outcome
from lms.extensions import db
from lms.marking import appeals, marking_queue, moderation
from lms.marking.models import Appeal, OutcomeJudgement

# Work waiting under 2 days, 2 to 5 days, and 5 days or more since it arrived. The last bucket
# matches the marking queue's "waiting at least 5 days" filter, so its link shows exactly those.
AGE_LIMITS = (2, 5)
AGE_LABELS = ("Under 2 days", "2 to 5 days", "5 days or more")


@dataclass(frozen=True)
class AgedRow:
    """One module's waiting work, counted by age."""

    module_id: int
    module_code: str
    module_title: str
    counts: tuple[int, ...]  # one per AGE_LABELS
    oldest: datetime

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class Ageing:
    rows: list[AgedRow]

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)

    @property
    def counts(self) -> tuple[int, ...]:
        return tuple(sum(row.counts[i] for row in self.rows) for i in range(len(AGE_LABELS)))

    @property
    def oldest(self) -> datetime | None:
        return min((row.oldest for row in self.rows), default=None)

    @property
    def buckets(self) -> list[tuple[str, int]]:
        return list(zip(AGE_LABELS, self.counts, strict=True))


def marking_ageing(assessor: User, *, now: datetime) -> Ageing:
    """The assessor's marking queue per module, by time since submission."""
    query = marking_queue.queue_query(assessor, marking_queue.QueueFilter(), now=now)
    return _aged(query, Attempt.submitted_at, Quiz.module_id, now)


def sample_ageing(moderator: User, *, now: datetime) -> Ageing:
    """Judgements waiting in the moderator's sample per module, by time since finalised."""
    query = moderation.sample_query(moderator).select_from(OutcomeJudgement)
    query = query.join(Outcome, Outcome.id == OutcomeJudgement.outcome_id)
    return _aged(query, OutcomeJudgement.finalised_at, Outcome.module_id, now)


def appeal_ageing(moderator: User, *, now: datetime) -> Ageing:
    """Open appeals the moderator may decide per module, by time since lodged."""
    query = appeals.open_appeals_query(moderator).join(
        Outcome, Outcome.id == OutcomeJudgement.outcome_id
    )
    return _aged(query, Appeal.lodged_at, Outcome.module_id, now)


def _aged(query: Select[Any], at: Any, module_id: Any, now: datetime) -> Ageing:
    """Count the rows `query` finds per module and age bucket, in one grouped query."""
    newer, older = (now - timedelta(days=days) for days in AGE_LIMITS)
    buckets = (at > newer, and_(at <= newer, at > older), at <= older)
    counted = (
        query.order_by(None)
        .join(Module, Module.id == module_id)
        .with_only_columns(
            Module.id,
            Module.code,
            Module.title,
            *(func.count(case((bucket, 1))) for bucket in buckets),
            func.min(at),
        )
        .group_by(Module.id, Module.code, Module.title, Module.position)
        .order_by(Module.position, Module.code)
    )
    rows = [
        AgedRow(module, code, title, tuple(counts), oldest)
        for module, code, title, *counts, oldest in db.session.execute(counted)
    ]
    return Ageing(rows)
