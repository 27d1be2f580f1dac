"""Demo data: one account per role, so every page of a fresh install shows something real.

Loading is idempotent: what exists is kept as it is, only what is missing is created.
"""

from __future__ import annotations

from dataclasses import dataclass

from lms.auth import services
from lms.auth.roles import Role


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    password: str
    roles: tuple[Role, ...]


DEMO_ACCOUNTS = (
    DemoAccount("learner@example.com", "Thandi Mokoena", "learner-demo-pass", (Role.LEARNER,)),
    DemoAccount("trainer@example.com", "Sipho Ndlovu", "trainer-demo-pass", (Role.TRAINER,)),
    DemoAccount("assessor@example.com", "Priya Naidoo", "assessor-demo-pass", (Role.ASSESSOR,)),
    DemoAccount("moderator@example.com", "Johan van Wyk", "moderator-demo-pass", (Role.MODERATOR,)),
    DemoAccount("hr@example.com", "Lerato Khumalo", "hr-demo-pass", (Role.HR,)),
    DemoAccount("admin@example.com", "Ayesha Patel", "admin-demo-pass", (Role.ADMIN,)),
)


def load_demo_data() -> list[DemoAccount]:
    """Create whichever demo accounts are missing; the caller commits."""
    for account in DEMO_ACCOUNTS:
        if services.find_user_by_email(account.email) is None:
            services.create_user(
                email=account.email,
                full_name=account.full_name,
                password=account.password,
                roles=account.roles,
                actor=None,
            )
    return list(DEMO_ACCOUNTS)
