"""What the marking demo's learners write: the keyed answers to a knowledge check, and essays.

Right answers are read from each question's stored key and turned into the form values a
learner's page would post, so they pass through the same reading and grading as real work.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from lms.assessments.attempts import field_name, parsed_question
from lms.assessments.formats.questions import ParsedQuestion
from lms.assessments.models import Response
from lms.assessments.question_types import FormValues, matching_options

FormFields = dict[str, list[str]]


def right_answer_form(responses: Sequence[Response]) -> FormValues:
    """The form a learner posts who answers every auto-marked question as its key says."""
    fields: FormFields = {}
    for response in responses:
        fields.update(_right_fields(response))
    return lambda name: fields.get(name, [])


def essay_form(responses: Sequence[Response], essays: Mapping[str, str]) -> FormValues:
    """The form of a page of essays, each answer found by its question's name."""
    fields = {
        field_name(r): [essays[r.question.name]]
        for r in responses
        if r.question.name is not None and r.question.name in essays
    }
    return lambda name: fields.get(name, [])


def _right_fields(response: Response) -> FormFields:
    question, name = parsed_question(response.question), field_name(response)
    # Forms send the 1-based place a choice was shown at, not the question's own index.
    shown = {index: str(place) for place, index in enumerate(response.choice_order, start=1)}
    if question.type == "multichoice":
        best = max(a.fraction for a in question.answers)
        right = next(i for i, a in enumerate(question.answers) if a.fraction == best)
        return {name: [shown[right]]}
    if question.type == "multiresponse":
        return {name: [shown[i] for i, a in enumerate(question.answers) if a.fraction > 0]}
    if question.type == "truefalse":
        assert question.truefalse is not None
        return {name: ["true" if question.truefalse.correct else "false"]}
    if question.type == "shortanswer":
        return {name: [_typed(next(a.text for a in question.answers if a.fraction == 100))]}
    if question.type == "numerical":
        return {name: [f"{next(n.value for n in question.numerical if n.fraction == 100):g}"]}
    if question.type == "matching":
        return _matching_fields(question, name, shown)
    return {}  # essays and descriptions have no key


def _typed(pattern: str) -> str:
    """A text a short-answer pattern accepts: its wildcards matching nothing."""
    return re.sub(r"(?<!\\)\*", "", pattern).replace("\\*", "*")


def _matching_fields(question: ParsedQuestion, name: str, shown: dict[int, str]) -> FormFields:
    options = matching_options(question)
    return {
        f"{name}-{index}": [shown[options.index(pair.answer)]]
        for index, pair in enumerate(question.pairs)
        if pair.question
    }


# --- The learners' essays for M1's summative assessment ------------------------------------

AIMS, RUSHING, CHANGE, OVERSIGHT = (
    "m1-aims-explained",
    "m1-rushing-calls-scenario",
    "m1-product-change",
    "m1-harbour-hale-oversight",
)


@dataclass(frozen=True)
class DemoEssays:
    """A learner's first answers, and what they change when resubmitting."""

    first: dict[str, str]
    revised: dict[str, str] = field(default_factory=dict)


KABELO = DemoEssays(
    {
        AIMS: (
            "Ilanga aims to give Vela Mobile's customers service good enough that they stay, and "
            "to keep its clients by meeting every contract; on that account it means answering "
            "80 % of calls within 20 seconds in each half-hour and letting no more than 5 % "
            "abandon. The agent is often the only person from Vela Mobile a customer ever speaks "
            "to, so a quick, correct and polite answer keeps the customer, and for Ilanga it "
            "means a renewed contract, no penalties and fewer costly repeat calls."
        ),
        RUSHING: (
            "His AHT would look better, but his FCR, QA score and CSAT would drop, coaching would "
            "pick up the habit, and a wrap-up code that hides what happened is a dishonest record "
            "under the code of conduct. Customers would wait again and repeat their story, the "
            "extra calls would cost Ilanga money and could push the Vela Mobile SLA off target, "
            "so Thandi should not copy him and should raise it with Sipho Ndlovu."
        ),
        CHANGE: (
            "The trainer briefs agents on the new upgrade rules, the rules reach Ilanga early "
            "enough for someone to own the updated procedure and knowledge article, and the WFM "
            "analyst forecasts the extra calls; an article on its own changes nothing if nobody "
            "keeps it current or is expected to use it. The team leader runs huddles, the QA "
            "analyst checks upgrade calls and the operations manager agrees the plan with Vela "
            "Mobile, and a strong agent could move up to team leader or across into QA."
        ),
        OVERSIGHT: (
            "Megan Clarke is Harbour & Hale's liaison: she follows our daily work against the "
            "contract and its SLA of 90 % of calls in 30 seconds, and the client supplies "
            "training, scripts and procedure manuals. Our QA analysts and team leaders check "
            "calls every day while Megan listens in and joins calibration, because front-office "
            "calls shape the client's customers more than Sizwe Life's back-office work does; "
            "offshore, shifts are replanned when UK clocks change (two hours behind us in winter, "
            "one in summer) and agents learn UK terms."
        ),
    }
)

LINDIWE = DemoEssays(
    {
        AIMS: (
            "Ilanga wants its clients' customers to be happy enough to stay, wants every contract "
            "met so the client renews it, and wants to be a good place to work; two objectives "
            "on Vela Mobile are 80 % of calls answered in 20 seconds and a QA score of at least "
            "85 %. For many callers we are the only voice of Vela Mobile they hear, so fast, "
            "right and friendly service keeps them, and meeting the targets keeps Ilanga's "
            "contract, costs and good name safe."
        ),
        RUSHING: (
            "Ending calls early would flatter his handle time, but his FCR and quality scores "
            "would fall and a misleading wrap-up code breaks the code of conduct. Customers "
            "would have to call back, Ilanga would pay for those calls and could miss its "
            "service level, so Thandi should say no and tell her team leader, Sipho Ndlovu."
        ),
        CHANGE: (
            "Ilanga should put the new upgrade rules in the knowledge base before the change so "
            "that agents can look them up on the day."
        ),
        OVERSIGHT: (
            "Megan Clarke works for Harbour & Hale and checks Ilanga's work against the contract "
            "and SLA; Harbour & Hale gives us training, scripts and manuals, and Ilanga's QA team "
            "and Megan both monitor calls. Front-office calls touch the client's customers "
            "directly, unlike Sizwe Life's back-office work, and being offshore means planning "
            "shifts around the UK time difference and learning UK words and customs."
        ),
    },
    revised={
        CHANGE: (
            "People: the trainer briefs us and team leaders hold huddles; process: Vela Mobile "
            "sends the rules in time and the updated article gets an owner; technology: the "
            "knowledge base, the CRM wrap-up codes and the WFM forecast are updated, because a "
            "knowledge base alone fails if nobody trusts it or is told to use it. The QA analyst "
            "checks the first upgrade calls and coaches, the WFM analyst adds staff for the rush "
            "and the operations manager agrees the plan with Vela Mobile; a strong agent could "
            "become a senior agent and then team leader, or move across into training."
        ),
    },
)

AYANDA = DemoEssays(
    {
        AIMS: (
            "Ilanga exists to give its clients' customers service that keeps them loyal and to "
            "meet its contracts at a fair cost, which becomes objectives such as answering Vela "
            "Mobile emails within 24 hours and keeping abandoned calls to 5 % or fewer. The "
            "contact centre is often a customer's first contact with Vela Mobile, so a short "
            "wait, a right answer and a respectful tone protect the brand, while for Ilanga it "
            "means a renewed contract, fewer repeat calls to pay for and a good reputation."
        ),
        RUSHING: (
            "A lower AHT would not hide the fall in FCR, QA and CSAT that the team leader reads "
            "together, and wrong wrap-up codes are dishonest records that coaching would catch. "
            "Customers stay stuck and call again, Ilanga carries the cost and risks its SLA with "
            "Vela Mobile, so Thandi should ignore the tip and speak to Sipho Ndlovu about it."
        ),
        CHANGE: (
            "The trainer runs a short refresher, the updated script and article have an owner "
            "who changes them as soon as Vela Mobile sends the rules, and the WFM analyst plans "
            "for the extra calls, because the best article is useless if agents are not briefed "
            "and expected to use it. The team leader supports the floor, the QA analyst checks "
            "upgrade calls, the operations manager agrees the plan with the client, and a good "
            "agent can move up to team leader or across into WFM."
        ),
        OVERSIGHT: (
            "Megan Clarke is the client's own liaison on site who checks Ilanga's work against "
            "the contract and the 90 %-in-30-seconds SLA, and Harbour & Hale supplies training, "
            "scripts and procedure manuals. Ilanga's QA analysts and team leaders check quality "
            "daily and Megan does so through call listening and calibration, as front-office "
            "calls need closer watching than Sizwe Life's back-office work; the one- or two-hour "
            "time difference means replanning shifts when UK clocks change."
        ),
    }
)

ZANELE = DemoEssays(
    {
        AIMS: (
            "Ilanga wants happy customers and wants to keep its clients, so it sets targets like "
            "answering 80 % of Vela Mobile calls in 20 seconds and a QA score of 85 %. The agent "
            "is the first contact a customer has with Vela Mobile, so good service matters."
        ),
        RUSHING: (
            "The colleague would get a better AHT but worse QA and FCR, and the wrong wrap-up "
            "codes go against the code of conduct; customers would have to call back, and those "
            "repeat calls cost Ilanga money and could put the Vela Mobile contract at risk. "
            "Thandi should not do it and should tell Sipho."
        ),
        CHANGE: (
            "Ilanga should brief and coach its agents, update the upgrade procedure and give the "
            "article an owner, and update the knowledge base, wrap-up codes and forecast, since "
            "a system nobody is told to use changes nothing. The trainer runs the briefing, the "
            "team leader supports the floor, the QA analyst checks calls and the WFM analyst "
            "plans staff; an agent could grow into a team leader or a QA analyst."
        ),
        OVERSIGHT: (
            "Megan Clarke is Harbour & Hale's liaison who checks our work against the SLA of "
            "90 % in 30 seconds; the client sends training, scripts and manuals, and Ilanga's QA "
            "analysts and Megan both listen to calls. The account is front office so the client "
            "stays close, unlike Sizwe Life's back-office work, and being offshore brings the UK "
            "time difference (two hours in winter, one in summer) and UK terms, handled by "
            "replanning shifts and extra training."
        ),
    }
)
