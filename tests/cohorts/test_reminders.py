"""Due-date reminders through a real SMTP server on loopback, with time passed in: two days
before a module is due, on the first day it is overdue and weekly after that, once a day at
most; a weekly summary to each trainer; nothing for complete modules, withdrawn learners or
deactivated accounts."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import Result
from flask import Flask
from sqlalchemy import func, select

from lms.auth.models import User
from lms.auth.roles import Role
from lms.cli import main
from lms.cohorts import services
from lms.cohorts.models import Cohort, ReminderSent
from lms.cohorts.reminders import ReminderReport, send_reminders
from lms.cohorts.services import CohortDetails, ModulePlan
from lms.content.models import Module
from lms.extensions import db
from lms.notifications import Notification
from tests.certificates.certificate_steps import certified
from tests.conftest import AppFactory, UserFactory
from tests.content_files import sample_module
from tests.marking.conftest import assessor, learner, moderator
from tests.marking.marking_steps import NOW, as_user, marking_quiz
from tests.quiz_files import QuizWorld, quiz_world
from tests.smtp_mailbox import SITE, Mailbox, mailbox, mailing_app

__all__ = ["assessor", "learner", "mailbox", "mailing_app", "moderator"]

JOHANNESBURG = ZoneInfo("Africa/Johannesburg")
START = date(2026, 11, 30)  # a Monday
A1_DUE = date(2026, 12, 10)  # a Thursday
A2_DUE = date(2026, 12, 24)


def at(day: date, hour: int = 7) -> datetime:
    """A moment on `day`, local time in Johannesburg, where cron runs the command."""
    return datetime.combine(day, time(hour), tzinfo=JOHANNESBURG)


def december(day: int) -> date:
    return date(2026, 12, day)


@pytest.fixture(name="world")
def two_module_world(app: Flask, tmp_path: Path) -> QuizWorld:
    """A1 (knowledge check and a marked summative, as in the marking world) and A2."""
    world = quiz_world(app, tmp_path / "programme")
    world.modules = [
        sample_module(outcomes=("LO1", "LO2")),
        sample_module("02-beta", "A2", title="Another module", order=2),
    ]
    world.quizzes.append(marking_quiz())
    world.publish()
    return world


@pytest.fixture
def trainer(app_context: None, world: QuizWorld, make_user: UserFactory) -> User:
    made = make_user(Role.TRAINER, full_name="Sipho Ndlovu", email="sipho@example.com")
    found = db.session.get(User, made.id)
    assert found is not None
    return found


def new_learner(make_user: UserFactory, name: str, **kwargs: Any) -> User:
    email_address = name.split()[0].lower() + "@example.com"
    made = make_user(Role.LEARNER, full_name=name, email=email_address, **kwargs)
    found = db.session.get(User, made.id)
    assert found is not None
    return found


def module(code: str) -> Module:
    found = db.session.scalar(select(Module).where(Module.code == code))
    assert found is not None
    return found


def cohort_of(
    trainer: User, *learners: User, due: dict[str, date] | None = None, name: str = "Wave 1"
) -> Cohort:
    """A cohort starting on START that `trainer` runs, with `learners` enrolled."""
    plans = [
        ModulePlan(module(code).id, due_on=day)
        for code, day in (due or {"A1": A1_DUE, "A2": A2_DUE}).items()
    ]
    details = CohortDetails(name=name, start_date=START, modules=tuple(plans), client="Vela Mobile")
    cohort = services.create_cohort(details, actor=trainer)
    for person in learners:
        services.enrol(cohort, person, actor=trainer, now=NOW)
    db.session.commit()
    return cohort


def remind(app: Flask, now: datetime) -> ReminderReport:
    """One run of the daily command at `now`, in the mailing app."""
    db.session.commit()  # the test's own session holds nothing open meanwhile
    with app.app_context():
        report = send_reminders(now=now)
    db.session.expire_all()
    return report


def run_command(app: Flask, *args: str) -> Result:
    """`lms reminders send ARGS` with `app` as the current app (the command uses the app
    context it finds, and the test's own belongs to the app without a mail server)."""
    with app.app_context():
        return app.test_cli_runner().invoke(main, ["reminders", "send", *args])


def text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None, "no plain-text part"
    return str(body.get_content()).replace("\r\n", "\n")


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://\S+", text)


def test_a_learner_hears_two_days_before_on_the_first_overdue_day_and_then_weekly(
    app: Flask, mailing_app: Flask, mailbox: Mailbox, trainer: User, make_user: UserFactory
) -> None:
    """Daily runs from 7 to 26 December: A1 (due the 10th) two days ahead, the day after it
    was due and a week later; A2 (due the 24th) two days ahead, which also repeats what is
    overdue, then overdue in its turn. Never twice on one day."""
    pupil = new_learner(make_user, "Karabo Dlamini")
    cohort_of(trainer, pupil)

    heard: dict[date, list[str]] = {}
    for day in (december(d) for d in range(7, 27)):
        remind(mailing_app, at(day))
        remind(mailing_app, at(day, hour=18))  # cron twice, or a rerun by hand
        subjects = mailbox.subjects_to(pupil.email)
        if subjects:
            heard[day] = subjects

    assert heard == {
        december(8): ["A1 A module is due in 2 days"],
        december(11): ["Overdue: A1 A module"],
        december(18): ["Overdue: A1 A module"],
        december(22): ["Overdue: A1 A module, and 1 due soon"],
        december(25): ["2 modules overdue"],
    }


def test_the_email_has_a_plain_text_part_and_links_that_open_for_the_learner(
    app: Flask, mailing_app: Flask, mailbox: Mailbox, trainer: User, make_user: UserFactory
) -> None:
    """The reminder says what is due when, links to the module and the dashboard on the public
    address, and leaves a note on the learner's dashboard that links inside the site."""
    pupil = new_learner(make_user, "Karabo Dlamini")
    cohort_of(trainer, pupil)

    report = remind(mailing_app, at(december(8)))

    assert report.due_soon == [pupil.email] and report.overdue == []
    [message] = [m for to, m in mailbox.take() if to == [pupil.email]]
    body = text_of(message)
    assert body.startswith("Hello Karabo,")
    assert "- A1 A module: due on Thursday 10 December 2026 (2 days left)" in body
    assert "talk to your trainer, Sipho Ndlovu" in body
    module_link, dashboard_link = links_in(body)
    assert module_link == f"{SITE}/learn/alpha"
    assert dashboard_link == f"{SITE}/dashboard"
    client = as_user(app, pupil)
    page = client.get(module_link.removeprefix(SITE))
    assert page.status_code == 200
    assert "A module" in page.get_data(as_text=True)
    assert client.get(dashboard_link.removeprefix(SITE), follow_redirects=True).status_code == 200
    note = db.session.scalar(select(Notification).where(Notification.user_id == pupil.id))
    assert note is not None
    assert note.subject == "A1 A module is due in 2 days"
    assert note.body == "A1 A module: 2 days left."
    assert note.link == "/learn/alpha"


def test_complete_modules_withdrawn_learners_and_deactivated_accounts_get_nothing(
    app: Flask,
    mailing_app: Flask,
    mailbox: Mailbox,
    trainer: User,
    learner: User,
    assessor: User,
    moderator: User,
    make_user: UserFactory,
) -> None:
    """Of four learners only the one still working on A1 hears about it: Thandi completed it,
    Lwazi was withdrawn and Refilwe's account is deactivated."""
    certified(learner, assessor, moderator)
    pupil = new_learner(make_user, "Karabo Dlamini")
    leaver = new_learner(make_user, "Lwazi Ngcobo")
    gone = new_learner(make_user, "Refilwe Mahlangu", active=False)
    cohort = cohort_of(trainer, learner, pupil, leaver, gone, due={"A1": A1_DUE})
    [membership] = [m for m in services.members(cohort) if m.user_id == leaver.id]
    services.withdraw(membership, actor=trainer, now=NOW, note="Took a job elsewhere.")
    db.session.commit()

    for day in (december(8), december(14)):  # due soon; overdue (and a new week's summary)
        report = remind(mailing_app, at(day))
        assert report.learners == 1
        assert {tuple(to) for to, _ in mailbox.take()} == {(pupil.email,), (trainer.email,)}
    keys = db.session.scalars(select(ReminderSent.key).where(ReminderSent.user_id != trainer.id))
    assert all(f"user={pupil.id}" in key for key in keys)


def test_each_trainer_gets_one_summary_a_week_with_overdue_and_floor_ready_learners(
    app: Flask,
    mailing_app: Flask,
    mailbox: Mailbox,
    trainer: User,
    learner: User,
    assessor: User,
    moderator: User,
    make_user: UserFactory,
) -> None:
    """The first run of each ISO week sends it, later runs that week do not; it counts the
    cohort's learners, who is overdue with what, and who is floor ready, and links to the
    progress page the trainer can open."""
    certified(learner, assessor, moderator)
    pupil = new_learner(make_user, "Karabo Dlamini")
    cohort = cohort_of(trainer, learner, pupil, due={"A1": A1_DUE})

    sent_on = []
    for day in (december(15), december(16), december(21), december(21), december(27)):
        report = remind(mailing_app, at(day, hour=6))
        if report.trainers:
            sent_on.append(day)
            summary = next(m for to, m in mailbox.take() if to == [trainer.email])
    assert sent_on == [december(15), december(21)]  # Tuesday (first run of the week), Monday

    assert summary["Subject"] == "Weekly summary: Wave 1"
    body = text_of(summary)
    assert "Your cohorts in the week of Monday 21 December 2026:" in body
    assert "Wave 1 (Vela Mobile)" in body
    assert "- Learners: 2" in body
    assert "- Modules complete: 1 of 2 (50 %)" in body
    assert "- Floor ready (every module complete): 1 of 2" in body
    assert "- Overdue: 1 learner\n  - Karabo Dlamini (karabo@example.com): A1 by 11 days" in body
    [progress] = links_in(body)
    assert progress == f"{SITE}/cohorts/{cohort.id}/progress"
    page = as_user(app, trainer).get(progress.removeprefix(SITE))
    assert page.status_code == 200
    assert "Karabo Dlamini" in page.get_data(as_text=True)


def test_a_cohort_whose_learners_are_all_floor_ready_gets_no_summary(
    app: Flask,
    mailing_app: Flask,
    mailbox: Mailbox,
    trainer: User,
    learner: User,
    assessor: User,
    moderator: User,
) -> None:
    """Nothing is left to chase, so the trainer is not written to."""
    certified(learner, assessor, moderator)
    cohort_of(trainer, learner, due={"A1": A1_DUE})

    assert remind(mailing_app, at(december(14))).trainers == []
    assert mailbox.take() == []


def test_a_missed_run_is_caught_up_until_the_due_date(
    app: Flask, mailing_app: Flask, mailbox: Mailbox, trainer: User, make_user: UserFactory
) -> None:
    """With no run two days ahead, the first run on the due date still warns, once."""
    pupil = new_learner(make_user, "Karabo Dlamini")
    cohort_of(trainer, pupil)

    remind(mailing_app, at(A1_DUE))
    assert mailbox.subjects_to(pupil.email) == ["A1 A module is due today"]
    remind(mailing_app, at(A1_DUE, hour=20))
    assert mailbox.subjects_to(pupil.email) == []


def test_the_days_ahead_come_from_the_due_reminder_days_setting(
    app: Flask, make_app: AppFactory, mailbox: Mailbox, trainer: User, make_user: UserFactory
) -> None:
    """DUE_REMINDER_DAYS = 5: the warning goes five days ahead, not two."""
    pupil = new_learner(make_user, "Karabo Dlamini")
    cohort_of(trainer, pupil)
    five_days = make_app(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=mailbox.port,
        MAIL_USE_TLS=False,
        SITE_URL=SITE,
        DUE_REMINDER_DAYS=5,
    )

    remind(five_days, at(december(4)))
    assert mailbox.subjects_to(pupil.email) == []
    remind(five_days, at(december(5)))
    assert mailbox.subjects_to(pupil.email) == ["A1 A module is due in 5 days"]


def test_a_refused_email_is_not_recorded_and_goes_out_on_the_next_run(
    app: Flask, mailing_app: Flask, mailbox: Mailbox, trainer: User, make_user: UserFactory
) -> None:
    """The failure is reported and leaves no key or note behind, so the next run retries."""
    pupil = new_learner(make_user, "Karabo Dlamini")
    cohort_of(trainer, pupil)
    mailbox.refuse.add(pupil.email)

    report = remind(mailing_app, at(december(8)))

    assert report.failed == [pupil.email] and report.due_soon == []
    mine = select(func.count()).where(ReminderSent.user_id == pupil.id)
    assert db.session.scalar(mine) == 0
    notes = select(func.count()).where(Notification.user_id == pupil.id)
    assert db.session.scalar(notes) == 0
    mailbox.refuse.clear()
    assert remind(mailing_app, at(december(8), hour=9)).due_soon == [pupil.email]
    assert mailbox.subjects_to(pupil.email) == ["A1 A module is due in 2 days"]


def test_the_command_prints_counts_and_rejects_a_bad_moment(
    app: Flask, mailing_app: Flask, mailbox: Mailbox, trainer: User, make_user: UserFactory
) -> None:
    """`lms reminders send --now` in local time: counts on stdout, nothing on a rerun; a
    moment that is not ISO 8601 is refused with a message and sends nothing."""
    pupil = new_learner(make_user, "Karabo Dlamini")
    cohort_of(trainer, pupil)
    db.session.commit()

    bad = run_command(mailing_app, "--now", "next Tuesday")
    assert bad.exit_code == 2
    assert "'next Tuesday' is not an ISO 8601 date and time" in bad.output
    assert mailbox.take() == []

    first = run_command(mailing_app, "--now", "2026-12-08T07:00")
    assert first.exit_code == 0, first.output
    assert first.output.splitlines() == [
        "Due-date reminders for Tuesday 8 December 2026 (modules due within 2 days: "
        "DUE_REMINDER_DAYS).",
        "Emailed 1 learner(s): 1 with modules due soon, 0 with overdue modules.",
        "Sent the weekly summary to 1 trainer(s).",
    ]
    assert sorted(to[0] for to, _ in mailbox.take()) == [pupil.email, trainer.email]
    again = run_command(mailing_app, "--now", "2026-12-08T21:30+02:00")
    assert "Emailed 0 learner(s)" in again.output
    assert "Sent the weekly summary to 0 trainer(s)." in again.output
    assert mailbox.take() == []


def test_the_command_exits_with_status_1_when_the_server_refuses(
    app: Flask, mailing_app: Flask, mailbox: Mailbox, trainer: User, make_user: UserFactory
) -> None:
    """Cron (or a monitor) notices: the address is named on stderr."""
    pupil = new_learner(make_user, "Karabo Dlamini")
    cohort_of(trainer, pupil)
    db.session.commit()
    mailbox.refuse.add(pupil.email)

    result = run_command(mailing_app, "--now", "2026-12-08T07:00")

    assert result.exit_code == 1
    assert f"Could not email {pupil.email}; it is tried again on the next run." in result.stderr
