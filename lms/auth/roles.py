"""The roles a user can hold, and what each one is called and where it lands."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    LEARNER = "learner"
    TRAINER = "trainer"
    ASSESSOR = "assessor"
    MODERATOR = "moderator"
    HR = "hr"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.LEARNER: "Learner",
    Role.TRAINER: "Trainer",
    Role.ASSESSOR: "Assessor",
    Role.MODERATOR: "Moderator",
    Role.HR: "HR",
    Role.ADMIN: "Administrator",
}

# After login a user lands on the dashboard of the first role they hold in this order: the
# role with the most to act on comes first.
LANDING_ORDER = (
    Role.ADMIN,
    Role.HR,
    Role.MODERATOR,
    Role.ASSESSOR,
    Role.TRAINER,
    Role.LEARNER,
)

# Who may read course material as its authors and markers do: answer keys, marking guides,
# every revision.
STAFF = (Role.TRAINER, Role.ASSESSOR, Role.MODERATOR, Role.ADMIN)
