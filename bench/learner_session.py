"""One simulated learner's browser: a kept-alive connection, the session cookie, timed requests,
and the forms of the pages it reads.

``LearnerSession`` sends requests with the standard library's ``http.client`` (no package
beyond the project's own), keeps the cookies the server sets, as a browser does, and times
every request from sending it to reading the whole answer. Redirects are not followed: the
caller checks each status and goes where ``Location`` says, as the benchmark's steps require.

``PageForm`` reads a page's HTML the way a browser builds its forms: the CSRF token, the
inputs with their values, the labels they carry and the options of each ``<select>``.
``answer_fields`` turns a question's right answer (``generated_quiz.RightAnswer``) into the
form fields a person would fill in after reading the page.
"""

from __future__ import annotations

import http.client
import time
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from generated_quiz import RightAnswer
from wrk import USER_AGENT, BenchError

REQUEST_TIMEOUT = 120.0  # seconds; a request queued behind 200 learners may wait a while
# A kept-alive connection the server closed while idle fails on reuse before the request is
# read: sending it again on a new connection is what browsers (and urllib3) do.
STALE_CONNECTION = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


@dataclass(frozen=True)
class Timing:
    step: str
    seconds: float
    status: int  # 0: no answer (a connection error or a timeout)


@dataclass(frozen=True)
class Reply:
    status: int
    location: str  # the path (and query) a redirect points to; "" otherwise
    text: str


class UnexpectedReply(BenchError):
    """A step's answer was not what a working server sends; the learner stops there."""

    def __init__(self, step: str, status: int, detail: str = "") -> None:
        super().__init__(f"{step}: {status} {detail}".rstrip())
        self.step, self.status = step, status


@dataclass
class LearnerSession:
    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    timings: list[Timing] = field(default_factory=list)
    retries: int = 0
    _connection: http.client.HTTPConnection | None = None

    def copy(self) -> LearnerSession:
        """A second tab: the same cookies, its own connection and its own timings."""
        return LearnerSession(self.host, self.port, dict(self.cookies))

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def get(self, step: str, path: str, expect: int = 200) -> Reply:
        return self._send(step, "GET", path, None, expect)

    def post(self, step: str, path: str, form: Iterable[tuple[str, str]], expect: int) -> Reply:
        return self._send(step, "POST", path, urllib.parse.urlencode(list(form)), expect)

    def _send(self, step: str, method: str, path: str, body: str | None, expect: int) -> Reply:
        headers = {"User-Agent": USER_AGENT, "Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            response, data = self._exchange(method, path, body, headers)
        except (OSError, http.client.HTTPException) as error:
            self.timings.append(Timing(step, time.perf_counter() - started, 0))
            self.close()
            raise UnexpectedReply(step, 0, f"{type(error).__name__}: {error}") from error
        self.timings.append(Timing(step, time.perf_counter() - started, response.status))
        for header in response.headers.get_all("Set-Cookie") or ():
            self._keep_cookie(header)
        location = urllib.parse.urlsplit(response.headers.get("Location", ""))
        where = location.path + (f"?{location.query}" if location.query else "")
        reply = Reply(response.status, where, data.decode("utf-8", "replace"))
        if reply.status != expect:
            raise UnexpectedReply(step, reply.status, f"(expected {expect}) {where}")
        return reply

    def _exchange(
        self, method: str, path: str, body: str | None, headers: dict[str, str]
    ) -> tuple[http.client.HTTPResponse, bytes]:
        reused = self._connection is not None
        if self._connection is None:
            self._connection = http.client.HTTPConnection(
                self.host, self.port, timeout=REQUEST_TIMEOUT
            )
        try:
            self._connection.request(method, path, body, headers)
            response = self._connection.getresponse()
        except STALE_CONNECTION:
            self.close()
            if not reused:
                raise
            self.retries += 1
            self._connection = http.client.HTTPConnection(
                self.host, self.port, timeout=REQUEST_TIMEOUT
            )
            self._connection.request(method, path, body, headers)
            response = self._connection.getresponse()
        data = response.read()
        if response.will_close:  # sync workers close after every answer
            self.close()
        return response, data

    def _keep_cookie(self, header: str) -> None:
        name, _, rest = header.partition("=")
        value, _, attributes = rest.partition(";")
        expired = "max-age=0" in attributes.lower().replace(" ", "") or "1970" in attributes
        if not value or expired:
            self.cookies.pop(name.strip(), None)
        else:
            self.cookies[name.strip()] = value.strip()


# --- Reading a page's forms -------------------------------------------------------------------


@dataclass
class Input:
    type: str
    name: str
    id: str
    value: str


@dataclass
class Select:
    name: str
    id: str
    options: dict[str, str] = field(default_factory=dict)  # value -> the text shown


class PageForm(HTMLParser):
    """The inputs, labels and selects of a page, and its CSRF token."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.inputs: list[Input] = []
        self.selects: list[Select] = []
        self.labels: dict[str, str] = {}  # the `for` of a label -> its text
        self._label: tuple[str, list[str]] | None = None
        self._option: tuple[str, list[str]] | None = None
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag == "input":
            self.inputs.append(
                Input(
                    values.get("type", "text"),
                    values.get("name", ""),
                    values.get("id", ""),
                    values.get("value", ""),
                )
            )
        elif tag == "label":
            self._label = (values.get("for", ""), [])
        elif tag == "select":
            self.selects.append(Select(values.get("name", ""), values.get("id", "")))
        elif tag == "option" and self.selects:
            self._option = (values.get("value", ""), [])

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self._label is not None:
            target, parts = self._label
            self.labels[target] = " ".join("".join(parts).split())
            self._label = None
        elif tag == "option" and self._option is not None:
            value, parts = self._option
            self.selects[-1].options[value] = " ".join("".join(parts).split())
            self._option = None

    def handle_data(self, data: str) -> None:
        for pending in (self._label, self._option):
            if pending is not None:
                pending[1].append(data)

    @property
    def csrf_token(self) -> str:
        token = next((i.value for i in self.inputs if i.name == "csrf_token"), "")
        if not token:
            raise BenchError("no csrf_token on the page")
        return token

    def choices(self, name: str) -> dict[str, str]:
        """The label of each radio button or checkbox called `name`, by its value."""
        return {
            i.value: self.labels.get(i.id, "")
            for i in self.inputs
            if i.name == name and i.type in ("radio", "checkbox")
        }


def answer_fields(page: PageForm, name: str, right: RightAnswer) -> list[tuple[str, str]]:
    """The fields a person fills in for question field `name`, having read `page`."""
    if right.type in ("multichoice", "multiresponse"):
        by_label = {label: value for value, label in page.choices(name).items()}
        missing = [label for label in right.labels if label not in by_label]
        if missing:
            raise BenchError(f"{name}: no choice labelled {missing} on the page")
        return [(name, by_label[label]) for label in right.labels]
    if right.type == "truefalse":
        if right.value not in page.choices(name):
            raise BenchError(f"{name}: no {right.value} choice on the page")
        return [(name, right.value)]
    if right.type in ("shortanswer", "numerical"):
        if not any(i.name == name for i in page.inputs):
            raise BenchError(f"{name}: no text box on the page")
        return [(name, right.value)]
    fields = []
    for select in (s for s in page.selects if s.name.startswith(f"{name}-")):
        prompt = page.labels.get(select.id, "")
        wanted = right.matches.get(prompt)
        value = next((v for v, text in select.options.items() if v and text == wanted), None)
        if value is None:
            raise BenchError(f"{name}: cannot match {prompt!r} to {wanted!r} on the page")
        fields.append((select.name, value))
    if len(fields) != len(right.matches):
        raise BenchError(f"{name}: {len(fields)} rows to match, not {len(right.matches)}")
    return fields
