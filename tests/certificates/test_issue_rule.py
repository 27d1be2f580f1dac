"""The issue rule: a module certificate once every outcome is Competent and final, never
before, and never twice."""

from __future__ import annotations

from lms.auth.models import User
from lms.certificates import issuing
from lms.certificates.codes import CODE_PATTERN
from lms.certificates.models import PROGRAMME, CertificateStatus
from tests.certificates.certificate_steps import (
    NOW,
    certificates_of,
    certified,
    confirm_sample,
    judged_competent,
)


def test_no_certificate_while_a_sampled_judgement_waits_for_moderation(
    learner: User, assessor: User, moderator: User
) -> None:
    judged_competent(learner, assessor)

    assert certificates_of(learner) == []


def test_confirming_the_last_sampled_judgement_issues_the_module_certificate(
    learner: User, assessor: User, moderator: User
) -> None:
    judged_competent(learner, assessor)
    confirm_sample(learner, moderator)

    certificate, programme = certificates_of(learner)  # A1 is the whole programme here
    assert (certificate.subject_key, programme.subject_key) == ("A1", PROGRAMME)
    assert CODE_PATTERN.match(certificate.code)
    assert certificate.learner_name == "Thandi Mokoena"
    assert certificate.assessor_names == "Priya Naidoo"
    assert [o["code"] for o in certificate.achievements[0]["outcomes"]] == ["A1-LO1", "A1-LO2"]
    assert certificate.status(NOW) is CertificateStatus.VALID
    assert len(certificate.pdf_sha256) == 64 and certificate.pdf_size > 1000


def test_running_the_rule_again_issues_nothing_new(
    learner: User, assessor: User, moderator: User
) -> None:
    first = certified(learner, assessor, moderator)

    assert issuing.issue_due(learner, now=NOW) == []
    codes = [c.code for c in certificates_of(learner)]
    assert len(codes) == 2 and codes[0] == first.code
