"""The service-level calculator page: the example it opens with, a learner's own figures, and
every kind of bad input answered with the field at fault and nothing worse than a 422."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlencode

import pytest
from flask.testing import FlaskClient

from lms.auth.roles import Role
from lms.calculators.erlang import agents_needed

URL = "/tools/service-level"
GOOD = {
    "calls": "100",
    "handle_seconds": "180",
    "interval_minutes": "30",
    "target_percent": "80",
    "target_seconds": "20",
}


def page_text(html: str) -> str:
    """The page's words, one space apart, without tags."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.fixture
def learner(client_as: Callable[..., FlaskClient]) -> FlaskClient:
    return client_as(Role.LEARNER)


def calculate(client: FlaskClient, **changes: str) -> tuple[int, str]:
    response = client.get(f"{URL}?{urlencode({**GOOD, **changes})}")
    return response.status_code, page_text(response.get_data(as_text=True))


def test_the_page_opens_with_the_lessons_example_worked_out(learner: FlaskClient) -> None:
    """240 calls of 300 s in a half hour at 80/20 need 46 agents, as the M3 lesson says."""
    expected = agents_needed(240, 300, 1800, 20, 0.8)
    response = learner.get(URL)
    text = page_text(response.get_data(as_text=True))
    assert response.status_code == 200
    assert expected.agents == 46
    assert "46 agents on the phones answer 82.2 % of calls within 20 s (target 80 %)" in text
    assert "40.0 erlangs (240 calls × 300 s ÷ 1800 s)" in text  # noqa: RUF001
    assert "Occupancy 87.0 %" in text
    assert 'value="240"' in response.get_data(as_text=True)


def table_rows(html: str) -> dict[int, str]:
    """Agents -> the service level their row shows."""
    rows = re.findall(r'<th scope="row">(\d+).*?progress-figure">([\d.]+) %', html, flags=re.S)
    return {int(agents): level for agents, level in rows}


def test_a_learners_figures_give_the_erlang_c_answer_and_its_neighbours(
    learner: FlaskClient,
) -> None:
    """The published example: 14 agents for 80/20; the table runs from 11 to 17 agents."""
    response = learner.get(f"{URL}?{urlencode(GOOD)}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "14 agents on the phones answer 88.8 % of calls within 20 s" in page_text(html)
    rows = table_rows(html)
    assert list(rows) == list(range(11, 18))
    assert (rows[11], rows[13], rows[14]) == ("39.0", "79.6", "88.8")
    assert re.search(r"14 needed ?: the fewest that meet the target", page_text(html))
    assert "Agents to schedule" not in html


def test_shrinkage_gives_the_number_to_roster(learner: FlaskClient) -> None:
    """14 agents on the phones with 30 % shrinkage means 20 on the roster (14 ÷ 0.7)."""
    status, text = calculate(learner, shrinkage_percent="30")
    assert status == 200
    assert "Agents to schedule 20, allowing 30 % shrinkage" in text


def test_a_very_busy_interval_warns_about_occupancy(learner: FlaskClient) -> None:
    """Large queues run hot: the page says what occupancy above 90 % means for agents."""
    status, text = calculate(learner, calls="2000", target_percent="50", target_seconds="60")
    assert status == 200
    assert "Occupancy above 90 %" in text


def test_a_load_no_queue_could_staff_is_explained(learner: FlaskClient) -> None:
    """100,000 calls of two hours in five minutes would need millions of agents."""
    status, text = calculate(learner, calls="100000", handle_seconds="7200", interval_minutes="5")
    assert status == 422
    assert "These figures need more than 10,000 agents" in text


BAD_INPUT = [
    ("calls", "", "Calls per interval: Enter the calls per interval."),
    ("calls", "abc", "Calls per interval: Enter a whole number, such as 240."),
    ("calls", "0", "Calls per interval: Enter a whole number from 1 to 100,000 calls."),
    ("calls", "2.5", "Calls per interval: Enter a whole number, such as 240."),
    ("calls", "9" * 40, "Calls per interval: Enter a whole number from 1 to 100,000 calls."),
    ("handle_seconds", "-3", "Average handle time: Enter a whole number from 1 to 7,200 seconds."),
    ("interval_minutes", "1", "Interval length: Enter a whole number from 5 to 1,440 minutes."),
    ("target_percent", "100", "Target service level: Enter a percentage from 1 to 99.9."),
    ("target_percent", "NaN", "Target service level: Enter a number, such as 80 or 85.5."),
    ("target_percent", "Infinity", "Target service level: Enter a number, such as 80 or 85.5."),
    ("target_percent", "-inf", "Target service level: Enter a number, such as 80 or 85.5."),
    ("target_percent", "1e999999", "Target service level: Enter a percentage from 1 to 99.9."),
    ("target_seconds", "0", "Answered within: Enter a whole number from 1 to 3,600 seconds."),
    ("shrinkage_percent", "95", "Shrinkage (optional): Enter a percentage from 0 to 80."),
    ("shrinkage_percent", "snan", "Shrinkage (optional): Enter a number, such as 80 or 85.5."),
    ("calls", "12\x0b", "Calls per interval: This contains characters that are not allowed."),
]


@pytest.mark.parametrize(
    ("name", "value", "message"), BAD_INPUT, ids=[f"{n}={v!r}" for n, v, _ in BAD_INPUT]
)
def test_bad_figures_name_the_field_and_why(
    learner: FlaskClient, name: str, value: str, message: str
) -> None:
    """No result is shown, the problem is listed with a link to its field, and the status is 422."""
    status, text = calculate(learner, **{name: value})
    assert status == 422
    assert message in text
    assert "Correct the figures marked above to see a result." in text
    assert "agents on the phones" not in text
    assert text.count(message) == 1  # once in the summary; the field repeats only the reason


def test_a_figure_sent_twice_is_refused(learner: FlaskClient) -> None:
    """Two values for one field are ambiguous, so neither is used."""
    response = learner.get(f"{URL}?{urlencode(GOOD)}&calls=200")
    assert response.status_code == 422
    assert "Calls per interval: This was sent more than once." in page_text(
        response.get_data(as_text=True)
    )


def test_typed_text_comes_back_escaped(learner: FlaskClient) -> None:
    """What a learner types is shown back in its field as text, never as markup."""
    response = learner.get(f"{URL}?{urlencode({**GOOD, 'calls': '<script>alert(1)</script>'})}")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_calculator_asks_strangers_to_sign_in(client: FlaskClient) -> None:
    """Like every course page, it is for signed-in users."""
    response = client.get(URL)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
