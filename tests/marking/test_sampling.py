"""The moderation sample (DESIGN.md, "Moderation sampling"): every Not Yet Competent, an
assessor's first 20 judgements, and a reproducible 25 % of the rest, drawn in blocks of 20 from
the pool's stored seed. The rules first as pure functions with fixed seeds, then through real
finalisations."""

from __future__ import annotations

import random

import pytest
from flask import Flask
from sqlalchemy import select, update

from lms.auth.models import User
from lms.auth.roles import Role
from lms.extensions import db
from lms.marking import sampling
from lms.marking.models import JudgementStatus, ModerationPool, OutcomeJudgement, SampleRule
from lms.marking.sampling import BLOCK, SamplingRules, check_pool, randomly_drawn, rule_for
from tests.conftest import AppFactory, UserFactory
from tests.marking.marking_steps import NYC, C, finalise, judgements_of, submit_summative
from tests.marking.steps_marking import (
    LO1,
    LO2,
    assign_to_a1,
    learners,
    request_around_the_test,  # noqa: F401 - the `in_request` fixture
    user_with_roles,
)
from tests.quiz_files import QuizWorld

SEED, OTHER_SEED = "5eed0000feedc0de5eed0000feedc0de", "0ther5eed0ther5eed0ther5eed0ther"
DEFAULT = SamplingRules()
FIRST_20 = range(1, 21)


def rules_for(sequences: range, *, seed: str = SEED, rules: SamplingRules = DEFAULT) -> list:
    """The rule each Competent judgement at these places of a pool is sampled by."""
    return [rule_for(C, sequence, seed, rules) for sequence in sequences]


def drawn(sequences: range, seed: str = SEED) -> set[int]:
    """The places drawn at random, at the default rate."""
    return {s for s in sequences if randomly_drawn(seed, s, DEFAULT.picks_per_block)}


def block(k: int) -> range:
    """The places of the k-th block of BLOCK judgements (block 0 holds places 1 to 20)."""
    return range(k * BLOCK + 1, (k + 1) * BLOCK + 1)


# The rules as pure functions ----------------------------------------------------------------


def test_the_defaults_are_the_documented_rules() -> None:
    """Every NYC, the first 20, and 25 %: five judgements of each block of twenty."""
    assert SamplingRules(all_not_yet_competent=True, first_judgements=20) == DEFAULT
    assert (DEFAULT.rate_percent, DEFAULT.picks_per_block, BLOCK) == (25, 5, 20)


def test_every_not_yet_competent_is_sampled_wherever_it_falls() -> None:
    """An NYC is moderated whatever its place, before and after the first twenty."""
    assert {rule_for(NYC, s, SEED, DEFAULT) for s in range(1, 301)} == {
        SampleRule.NOT_YET_COMPETENT
    }


def test_the_first_twenty_judgements_of_a_pool_are_sampled() -> None:
    """Places 1 to 20 are all sampled as first judgements; place 21 is not one of them."""
    assert rules_for(FIRST_20) == [SampleRule.FIRST_JUDGEMENTS] * 20
    assert rule_for(C, 21, SEED, DEFAULT) is not SampleRule.FIRST_JUDGEMENTS


@pytest.mark.parametrize("k", range(1, 11))
def test_exactly_five_of_each_later_block_of_twenty_are_drawn(k: int) -> None:
    """Exactly 25 % of the rest, block by block; nothing else in the block is sampled."""
    rules = rules_for(block(k))
    assert rules.count(SampleRule.RANDOM) == 5
    assert rules.count(None) == 15


@pytest.mark.parametrize(
    ("rate", "picks"),
    [(0, 0), (5, 1), (10, 2), (25, 5), (33, 7), (50, 10), (100, 20), (150, 20), (-10, 0)],
)
def test_picks_per_block_is_the_rate_to_the_nearest_five_percent(rate: int, picks: int) -> None:
    """The rate becomes whole judgements per block, never below none or above all."""
    assert SamplingRules(rate_percent=rate).picks_per_block == picks


def test_the_same_seed_draws_the_same_sample_after_the_cache_is_cleared() -> None:
    """Reproducible from the stored seed alone, not from anything held in memory."""
    places = range(21, 421)
    first = drawn(places)
    sampling._picked.cache_clear()
    assert drawn(places) == first
    assert len(first) == 5 * 20


def test_an_auditor_recomputes_a_block_from_the_documented_formula() -> None:
    """Block k's places are random.Random(f"{seed}:{k}").sample(range(20), picks)."""
    for k in (1, 2, 7):
        places = random.Random(f"{SEED}:{k}").sample(range(BLOCK), 5)
        assert drawn(block(k)) == {k * BLOCK + place + 1 for place in places}


def test_a_different_seed_draws_a_different_sample() -> None:
    """Two pools' seeds give two samples of the same size."""
    places = range(21, 221)
    assert drawn(places, SEED) != drawn(places, OTHER_SEED)
    assert len(drawn(places, SEED)) == len(drawn(places, OTHER_SEED)) == 50


# Configurable rules ---------------------------------------------------------------------------


def test_a_rate_of_zero_samples_nothing_after_the_first_twenty() -> None:
    """Rate 0: only the first twenty (and NYCs) reach a moderator."""
    rules = SamplingRules(rate_percent=0)
    assert rules_for(range(21, 221), rules=rules) == [None] * 200
    assert rules_for(FIRST_20, rules=rules) == [SampleRule.FIRST_JUDGEMENTS] * 20


def test_a_rate_of_one_hundred_samples_every_later_judgement() -> None:
    """Rate 100: every judgement after the first twenty is drawn."""
    rules = SamplingRules(rate_percent=100)
    assert rules_for(range(21, 121), rules=rules) == [SampleRule.RANDOM] * 100


def test_with_no_first_judgements_the_draw_starts_at_the_first() -> None:
    """First judgements set to 0: block 0 is drawn like any other, five of twenty."""
    rules = rules_for(FIRST_20, rules=SamplingRules(first_judgements=0))
    assert SampleRule.FIRST_JUDGEMENTS not in rules
    assert rules.count(SampleRule.RANDOM) == 5


def test_with_all_nyc_off_a_later_nyc_is_drawn_like_any_judgement() -> None:
    """Only the draw (or the first twenty) then samples a Not Yet Competent."""
    rules = SamplingRules(all_not_yet_competent=False)
    assert rule_for(NYC, 3, SEED, rules) is SampleRule.FIRST_JUDGEMENTS
    later = [rule_for(NYC, s, SEED, rules) for s in block(1)]
    assert later == rules_for(block(1), rules=rules)
    assert later.count(SampleRule.RANDOM) == 5


def test_a_rejudgement_is_always_sampled() -> None:
    """A decision made again after an overturn goes back to a moderator, whatever the rules."""
    off = SamplingRules(all_not_yet_competent=False, first_judgements=0, rate_percent=0)
    assert rule_for(C, 999, SEED, off, rejudged=True) is SampleRule.REJUDGED


def test_the_rules_are_read_from_the_settings(make_app: AppFactory) -> None:
    """MODERATE_ALL_NOT_YET_COMPETENT, MODERATE_FIRST_JUDGEMENTS and MODERATION_RATE_PERCENT."""
    other = make_app(
        MODERATE_ALL_NOT_YET_COMPETENT=False,
        MODERATE_FIRST_JUDGEMENTS=0,
        MODERATION_RATE_PERCENT=100,
    )
    with other.app_context():
        assert SamplingRules.from_config() == SamplingRules(False, 0, 100)
    with make_app().app_context():
        assert SamplingRules.from_config() == DEFAULT


# Real finalisations -----------------------------------------------------------------------------


def finalise_all(assessor: User, world: QuizWorld, make_user: UserFactory, count: int) -> None:
    """`count` learners submit; the assessor judges both outcomes of each Competent."""
    for learner in learners(world, make_user, count):
        finalise(assessor, submit_summative(learner), {LO1: C, LO2: C})


def pool_of(assessor: User) -> ModerationPool:
    """The assessor's one pool, read afresh."""
    db.session.expire_all()
    return db.session.scalars(
        select(ModerationPool).where(ModerationPool.assessor_id == assessor.id)
    ).one()


def pool_judgements(pool: ModerationPool) -> list[OutcomeJudgement]:
    """The pool's judgements in the order they were numbered."""
    query = select(OutcomeJudgement).where(OutcomeJudgement.pool_id == pool.id)
    return list(db.session.scalars(query.order_by(OutcomeJudgement.sequence)))


def test_a_pool_numbers_its_judgements_one_after_another(
    world: QuizWorld, make_user: UserFactory, assessor: User
) -> None:
    """Three markings of two outcomes: places 1 to 6 in one pool with a stored seed."""
    finalise_all(assessor, world, make_user, 3)
    pool = pool_of(assessor)
    assert [j.sequence for j in pool_judgements(pool)] == [1, 2, 3, 4, 5, 6]
    assert pool.judged == 6
    assert len(pool.seed) == 32


def test_the_first_twenty_real_judgements_wait_and_the_draw_decides_the_next(
    world: QuizWorld, make_user: UserFactory, assessor: User, in_request: None
) -> None:
    """Ten markings fill the first twenty; the eleventh's places follow the seed's draw."""
    finalise_all(assessor, world, make_user, 11)
    pool = pool_of(assessor)
    judged = pool_judgements(pool)
    assert [(j.sample_rule, j.status) for j in judged[:20]] == [
        (SampleRule.FIRST_JUDGEMENTS, JudgementStatus.IN_SAMPLE)
    ] * 20
    for judgement in judged[20:]:
        expected = rule_for(C, judgement.sequence or 0, pool.seed, DEFAULT)
        assert judgement.sample_rule is expected
        waits = expected is not None
        assert judgement.status is (JudgementStatus.IN_SAMPLE if waits else JudgementStatus.FINAL)


def test_a_real_nyc_is_sampled_when_nothing_else_would_be(
    app: Flask, learner: User, assessor: User, in_request: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No first judgements and no draw: the NYC still waits; the Competent is released."""
    monkeypatch.setitem(app.config, "MODERATE_FIRST_JUDGEMENTS", 0)
    monkeypatch.setitem(app.config, "MODERATION_RATE_PERCENT", 0)
    attempt = submit_summative(learner)
    finalise(assessor, attempt, {LO1: C, LO2: NYC})
    assert [(j.sample_rule, j.status) for j in judgements_of(attempt)] == [
        (None, JudgementStatus.FINAL),
        (SampleRule.NOT_YET_COMPETENT, JudgementStatus.IN_SAMPLE),
    ]


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"MODERATION_RATE_PERCENT": 100}, [SampleRule.RANDOM, SampleRule.NOT_YET_COMPETENT]),
        ({"MODERATE_ALL_NOT_YET_COMPETENT": False, "MODERATION_RATE_PERCENT": 0}, [None, None]),
    ],
    ids=["rate-100", "all-nyc-off"],
)
def test_changed_settings_apply_to_the_next_finalisation(
    app: Flask,
    learner: User,
    assessor: User,
    in_request: None,
    monkeypatch: pytest.MonkeyPatch,
    settings: dict[str, object],
    expected: list[SampleRule | None],
) -> None:
    """With no first judgements, rate 100 samples the Competent too; with all-NYC off and
    rate 0 an NYC is released to the learner at once."""
    for name, value in {"MODERATE_FIRST_JUDGEMENTS": 0, **settings}.items():
        monkeypatch.setitem(app.config, name, value)
    attempt = submit_summative(learner)
    finalise(assessor, attempt, {LO1: C, LO2: NYC})
    judged = judgements_of(attempt)
    assert [j.sample_rule for j in judged] == expected
    assert [j.status is JudgementStatus.FINAL for j in judged] == [r is None for r in expected]


def test_check_pool_finds_the_stored_sample_as_recomputed(
    world: QuizWorld, make_user: UserFactory, assessor: User, in_request: None
) -> None:
    """An auditor's recomputation agrees with every stored rule after real finalisations."""
    finalise_all(assessor, world, make_user, 12)
    check = check_pool(pool_of(assessor), DEFAULT)
    assert (check.judgements, check.mismatches) == (24, ())
    assert check.sampled == 20 + len(drawn(range(21, 25), pool_of(assessor).seed))


def test_check_pool_finds_a_tampered_row(learner: User, assessor: User) -> None:
    """A first judgement quietly taken out of the sample is reported by its id."""
    attempt = submit_summative(learner)
    finalise(assessor, attempt, {LO1: C, LO2: C})
    tampered = judgements_of(attempt)[1]
    db.session.execute(
        update(OutcomeJudgement).where(OutcomeJudgement.id == tampered.id).values(sample_rule=None)
    )
    assert check_pool(pool_of(assessor), DEFAULT).mismatches == (tampered.id,)


def test_each_assessor_has_their_own_pool_and_first_twenty(
    world: QuizWorld, make_user: UserFactory, assessor: User, in_request: None
) -> None:
    """A second assessor's first judgements are sampled though the first is past twenty."""
    finalise_all(assessor, world, make_user, 10)
    second = assign_to_a1(user_with_roles(make_user, Role.ASSESSOR, full_name="Lerato Khumalo"))
    a, b = learners(world, make_user, 2)
    finalise(second, submit_summative(a), {LO1: C, LO2: C})
    finalise(assessor, submit_summative(b), {LO1: C, LO2: C})

    own, theirs = pool_of(assessor), pool_of(second)
    assert own.id != theirs.id and own.seed != theirs.seed
    assert [(j.sequence, j.sample_rule) for j in pool_judgements(theirs)] == [
        (1, SampleRule.FIRST_JUDGEMENTS),
        (2, SampleRule.FIRST_JUDGEMENTS),
    ]
    assert [j.sequence for j in pool_judgements(own)] == list(range(1, 23))
    assert (own.judged, theirs.judged) == (22, 2)
