"""Hostile values in the GET filters of the user list and the audit log: a 400 that names them."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.bad_input.conftest import (
    BAD_DATE,
    CONTROL,
    DATE_RANGE,
    SENT_TWICE,
    Fields,
    Snapshot,
    World,
    assert_nothing_written,
    assert_shown,
    encode,
    hostile_values,
    longer_than,
)

FILTER_CASES: list[Any] = [
    *[
        pytest.param("/admin/users", changes, field, message, id=f"users-{name}")
        for name, changes, field, message in [
            *hostile_values("q", "Lee", required=None, too_long=longer_than(254)),
            ("role-unknown", {"role": "superuser"}, "role", "Not a valid choice."),
            ("role-wrong-case", {"role": "ADMIN"}, "role", "Not a valid choice."),
            ("role-10kB", {"role": "x" * 10_000}, "role", "Not a valid choice."),
            ("role-nul", {"role": "admin\x00"}, "role", CONTROL),
            ("role-not-utf8", {"role": b"admin\xff"}, "role", "Not a valid choice."),
            ("role-sent-twice", {"role": ["admin", "learner"]}, "role", SENT_TWICE),
        ]
    ],
    *[
        pytest.param("/admin/audit", changes, field, message, id=f"audit-{name}")
        for name, changes, field, message in [
            *hostile_values("action", "user.created", required=None, too_long=longer_than(64)),
            *hostile_values("actor", "ada", required=None, too_long=longer_than(254)),
            ("since-not-a-date", {"since": "not-a-date"}, "since", BAD_DATE),
            ("since-no-such-day", {"since": "2025-02-30"}, "since", BAD_DATE),
            ("since-no-such-month", {"since": "2025-13-01"}, "since", BAD_DATE),
            ("since-10kB", {"since": "2" * 10_000}, "since", BAD_DATE),
            ("since-nul", {"since": "2025-01-01\x00"}, "since", BAD_DATE),
            ("since-not-utf8", {"since": b"2025-01-01\xff"}, "since", BAD_DATE),
            ("since-sent-twice", {"since": ["2025-01-01", "2025-02-01"]}, "since", BAD_DATE),
            ("since-first-day", {"since": "0001-01-01"}, "since", DATE_RANGE),
            ("until-not-a-date", {"until": "not-a-date"}, "until", BAD_DATE),
            ("until-last-day", {"until": "9999-12-31"}, "until", DATE_RANGE),
            (
                "until-before-since",
                {"since": "2025-03-01", "until": "2025-02-01"},
                "until",
                "The end date is before the start date.",
            ),
        ]
    ],
]


@pytest.mark.parametrize(("path", "changes", "field", "message"), FILTER_CASES)
def test_a_filter_refuses_a_hostile_value_with_its_message(
    app: Flask, world: World, before: Snapshot, path: str, changes: Fields, field: str, message: str
) -> None:
    """A bad filter on the user list or the audit log is a 400 that names the field."""
    client = world.client(world.admin)

    response = client.get(path, query_string=encode(changes))

    assert response.status_code == 400
    assert_shown(response, field, message)
    assert_nothing_written(app, before)
