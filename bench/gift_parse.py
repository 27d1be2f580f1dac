"""How fast `parse_gift` reads a large question bank.

What it measures
    A GIFT file of 2,000 questions is generated in memory, cycling through every type the
    reader knows: single and multiple response choice (with weights and feedback), true/false
    with both feedbacks, short answer with weights, numerical (tolerance, range and several
    weighted answers), matching, missing word, essay and description, with names, comments,
    a category every 100 questions, format tags, escapes and general feedback. `parse_gift`
    reads it several times in this process; the best and the median wall times are printed
    with the questions per second. Every run must return all 2,000 questions and no error, or
    the figures are refused.

Target
    2,000 questions in under 1 s (the best run).

How to run it (from the repository root)::

    .venv/bin/python bench/gift_parse.py              # 2,000 questions, 7 runs
    .venv/bin/python bench/gift_parse.py --questions 10000 --runs 3
    .venv/bin/python bench/gift_parse.py --json       # the figures as JSON on stdout

It is a benchmark, not a test: nothing asserts timings, and the exit status is non-zero only
when the run itself is invalid (the parse lost questions or reported errors).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from typing import Any

import machine as machine_state

from lms.assessments.formats.gift import parse_gift

TARGET_S = 1.0

TEMPLATES = (
    "// choice {n}\n::Choice {n}::Which channel answers a billing query {n} first? {{\n"
    "\t=Live chat#Right: it is the fastest.\n\t~E-mail#Too slow.\n\t~Letter\n"
    "\t####Chat first, then e-mail.\n}}",
    "::Several {n}::Which two greetings are on script {n}? {{\n\t~%50%Good morning\n"
    "\t~%50%Thank you for calling\n\t~%-100%Yo\n\t~%-100%What?\n}}",
    "::True {n}::Calls are recorded for training (rule {n}).{{TRUE#Read the notice.#Yes.}}",
    "::Short {n}::The code for a refund is {{=RF{n} =%50%RF#Close: add the number.}}.",
    "::Number {n}::How many seconds may a caller wait on hold? {{#{n}:5}}",
    "::Range {n}::Pick a score between 1 and 5. {{#1..5}}",
    "::Weighted {n}::Average handling time, in minutes? {{#\n\t=6:0#Exactly.\n"
    "\t=%50%6:1#Close.\n}}",
    "::Match {n}::[html]Match the <b>queue</b> to its team. {{\n\t=Billing -> Finance\n"
    "\t=Faults -> Engineering\n\t=Sales -> Retention\n}}",
    "The first line of a call is {{~Hi =Good morning, this is Ana ~Yes?}} in queue {n}.",
    "::Essay {n}::Describe how you would calm an angry caller \\{{case {n}\\}}. {{####Tone.}}",
    "Module {n}\\: the next questions are about escalation.",
)


def generated_gift(count: int) -> str:
    """A GIFT file of `count` questions cycling through the templates."""
    blocks = []
    for index in range(count):
        if index % 100 == 0:
            blocks.append(f"$CATEGORY: induction/week {index // 100 + 1}")
        blocks.append(TEMPLATES[index % len(TEMPLATES)].format(n=index + 1))
    return "\n\n".join(blocks) + "\n"


def run(count: int, runs: int) -> dict[str, Any]:
    machine = machine_state.before()
    text = generated_gift(count)
    timings, kinds = [], Counter[str]()
    for _ in range(runs):
        started = time.perf_counter()
        parsed = parse_gift(text, "bench.gift")
        timings.append(time.perf_counter() - started)
        if len(parsed.questions) != count or parsed.errors:
            raise SystemExit(
                f"refused: {len(parsed.questions)} questions of {count}, "
                f"errors: {[str(error) for error in parsed.errors[:3]]}"
            )
        kinds = Counter(question.type for question in parsed.questions)
    machine["load_after"] = machine_state.load()
    best, median = min(timings), statistics.median(timings)
    return {
        "questions": count,
        "bytes": len(text.encode()),
        "types": dict(kinds),
        "runs": runs,
        "best_s": round(best, 4),
        "median_s": round(median, 4),
        "questions_per_s": round(count / best),
        "target_s": TARGET_S,
        "pass": best < TARGET_S,
        "machine": machine,
    }


def print_table(report: dict[str, Any]) -> None:
    kinds = ", ".join(f"{number} {kind}" for kind, number in sorted(report["types"].items()))
    print(
        f"parse_gift on {report['questions']} questions ({report['bytes'] / 1024:.0f} KiB; "
        f"{kinds}), {report['runs']} runs"
    )
    print(machine_state.describe(report["machine"]))
    print()
    print(f"best   {report['best_s']:.4f} s   {report['questions_per_s']:,} questions/s")
    print(f"median {report['median_s']:.4f} s")
    verdict = "PASS" if report["pass"] else "MISS"
    print(f"best {report['best_s']:.4f} s   target < {TARGET_S:.0f} s   {verdict}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=2000, help="questions (2000)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs (7)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.questions < 1 or args.runs < 1:
        parser.error("--questions and --runs must be at least 1")
    report = run(args.questions, args.runs)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_table(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
