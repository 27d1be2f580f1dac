"""Which finalised judgements a moderator checks (docs/ASSESSORS.md, "Moderation sampling").

Rules, in order: every Not Yet Competent; every judgement among an assessor's first N in a
cohort; then a random share of the rest. The random share is drawn in blocks of
`BLOCK` judgements: within block k, the positions picked are
`random.Random(f"{seed}:{k}").sample(range(BLOCK), picks)`, so the sample is exactly the rate
per full block, is known the moment a judgement is finalised, and anyone holding the pool's
stored seed can recompute it.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from lms.auth.models import User
from lms.cohorts.models import Membership
from lms.extensions import db
from lms.marking.models import ModerationPool, OutcomeJudgement, SampleRule, Verdict

BLOCK = 20


@dataclass(frozen=True)
class SamplingRules:
    all_not_yet_competent: bool = True
    first_judgements: int = 20
    rate_percent: int = 25

    @classmethod
    def from_config(cls) -> SamplingRules:
        config = current_app.config
        return cls(
            all_not_yet_competent=bool(config["MODERATE_ALL_NOT_YET_COMPETENT"]),
            first_judgements=int(config["MODERATE_FIRST_JUDGEMENTS"]),
            rate_percent=int(config["MODERATION_RATE_PERCENT"]),
        )

    @property
    def picks_per_block(self) -> int:
        """Judgements drawn from each block of BLOCK: the rate to the nearest 5 %."""
        return max(0, min(BLOCK, round(self.rate_percent * BLOCK / 100)))


def rule_for(
    verdict: Verdict, sequence: int, seed: str, rules: SamplingRules, *, rejudged: bool = False
) -> SampleRule | None:
    """The rule that puts the `sequence`-th judgement of a pool into the sample, or None."""
    if rejudged:
        return SampleRule.REJUDGED
    if rules.all_not_yet_competent and verdict is Verdict.NOT_YET_COMPETENT:
        return SampleRule.NOT_YET_COMPETENT
    if sequence <= rules.first_judgements:
        return SampleRule.FIRST_JUDGEMENTS
    if randomly_drawn(seed, sequence, rules.picks_per_block):
        return SampleRule.RANDOM
    return None


def randomly_drawn(seed: str, sequence: int, picks: int) -> bool:
    block, place = divmod(sequence - 1, BLOCK)
    return place in _picked(seed, block, picks)


@lru_cache(maxsize=4096)
def _picked(seed: str, block: int, picks: int) -> frozenset[int]:
    # Reproducible, not secret: an auditor recomputes it from the stored seed.
    rng = random.Random(f"{seed}:{block}")  # noqa: S311
    return frozenset(rng.sample(range(BLOCK), picks))


def pool_key_of(learner_id: int) -> str:
    """The pool key of the learner's current cohort (its id); "" for a learner in none."""
    query = select(Membership.cohort_id).where(
        Membership.user_id == learner_id, Membership.left_at.is_(None)
    )
    cohort_id = db.session.scalar(query)
    return "" if cohort_id is None else str(cohort_id)


def pool_for(assessor_id: int, cohort_key: str = "") -> ModerationPool:
    """The assessor's pool in a cohort, created with a fresh seed the first time."""
    query = select(ModerationPool).where(
        ModerationPool.assessor_id == assessor_id, ModerationPool.cohort_key == cohort_key
    )
    pool = db.session.scalar(query)
    if pool is not None:
        return pool
    try:
        with db.session.begin_nested():
            pool = ModerationPool(
                assessor_id=assessor_id, cohort_key=cohort_key, seed=secrets.token_hex(16)
            )
            db.session.add(pool)
    except IntegrityError:  # created at the same moment by another finalisation
        pool = db.session.scalars(query).one()
    return pool


def draw(
    judgements: Sequence[OutcomeJudgement],
    rules: SamplingRules,
    *,
    rejudged_outcomes: Collection[int] = (),
) -> None:
    """Give one marking's judgements, being finalised, their places in their assessor's pool
    (in the order given) and their sampling rules; `rejudged_outcomes` were overturned before.

    Counting up `judged` takes the pool's row lock, so an assessor's judgements are numbered
    one after another even when two of their markings are finalised at once.
    """
    if not judgements:
        return
    assessors = {judgement.assessor_id for judgement in judgements}
    learners = {judgement.learner_id for judgement in judgements}
    assert len(assessors) == len(learners) == 1, "one marking, one assessor, one learner"
    # No flush here: the judgements are then inserted once, with their places.
    with db.session.no_autoflush:
        cohort = pool_key_of(learners.pop())
        pool_id, seed, last = _count_up(assessors.pop(), len(judgements), cohort)
    first = last - len(judgements) + 1
    for sequence, judgement in enumerate(judgements, start=first):
        assert judgement.verdict is not None
        judgement.pool_id, judgement.sequence = pool_id, sequence
        rejudged = judgement.outcome_id in rejudged_outcomes
        judgement.sample_rule = rule_for(
            judgement.verdict, sequence, seed, rules, rejudged=rejudged
        )


def _count_up(assessor_id: int, count: int, cohort_key: str = "") -> tuple[int, str, int]:
    """Add `count` to the assessor's pool and return (pool id, seed, new count) in one
    statement, creating the pool the first time. The update holds the pool's row lock until
    the transaction ends."""
    counted = db.session.execute(
        update(ModerationPool)
        .where(ModerationPool.assessor_id == assessor_id, ModerationPool.cohort_key == cohort_key)
        .values(judged=ModerationPool.judged + count)
        .returning(ModerationPool.id, ModerationPool.seed, ModerationPool.judged)
        .execution_options(synchronize_session=False)
    ).one_or_none()
    if counted is None:
        pool_for(assessor_id, cohort_key)
        return _count_up(assessor_id, count, cohort_key)
    pool_id, seed, judged = counted
    return pool_id, seed, judged


@dataclass(frozen=True)
class SampleCheck:
    """A recomputation of a pool's sample from its seed, as an auditor would do it."""

    pool: ModerationPool
    judgements: int
    sampled: int
    mismatches: tuple[int, ...]  # judgement ids whose stored rule differs from the recomputed


def check_pool(pool: ModerationPool, rules: SamplingRules) -> SampleCheck:
    rows = db.session.execute(
        select(
            OutcomeJudgement.id,
            OutcomeJudgement.verdict,
            OutcomeJudgement.sequence,
            OutcomeJudgement.sample_rule,
        ).where(OutcomeJudgement.pool_id == pool.id)
    ).all()
    mismatches, sampled = [], 0
    for judgement_id, verdict, sequence, stored in rows:
        if verdict is None or sequence is None:  # a draft has no place in the pool yet
            continue
        rejudged = stored is SampleRule.REJUDGED
        expected = rule_for(verdict, sequence, pool.seed, rules, rejudged=rejudged)
        sampled += expected is not None
        if expected != stored:
            mismatches.append(judgement_id)
    return SampleCheck(pool, len(rows), sampled, tuple(mismatches))


def pool_checks(rules: SamplingRules) -> list[SampleCheck]:
    """Every pool's stored sample recomputed from its seed, by assessor name."""
    pools = db.session.scalars(
        select(ModerationPool)
        .join(ModerationPool.assessor)
        .options(contains_eager(ModerationPool.assessor))
        .order_by(func.lower(User.full_name), ModerationPool.cohort_key)
    )
    return [check_pool(pool, rules) for pool in pools]
