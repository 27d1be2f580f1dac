"""How long `lms content sync` takes on a large programme, and how much memory it needs.

What it measures
    A programme of 100 modules x 10 lessons is generated in a temporary folder (each lesson
    400 to 900 words of contact-centre prose with ``##`` sections, a list, a table and an
    admonition; each module with 2 outcomes: generated_content.py). On a fresh SQLite
    database (a temporary ``LMS_INSTANCE_PATH``, brought up to date with ``lms db upgrade``),
    the real ``lms`` console script then runs, each time as a new process:

    0. ``lms content sync <empty folder> --dry-run --json``: the start-up cost alone (Python,
       Flask, the models, one connection), to subtract from the rows below;
    1. ``lms content sync <dir> --json``: the first sync, which creates everything;
    2. the same again with nothing changed;
    3. the same after editing 10 % of the lessons (a paragraph added to each).

    For each: the wall time, the CPU time (user + system: unlike wall time, not lengthened
    by other processes waiting for the same CPUs, though a slow host still shows), and the
    peak resident memory of the sync process (its own ``ru_maxrss``, from ``os.wait4``).
    Each JSON summary must show exactly what the step should do (1000 lessons created; 1000
    unchanged; 100 updated and 900 unchanged; no module updated or retired after the first),
    or the run is refused.

Target
    the first sync of 100 x 10 takes under 10 s (wall time) on SQLite.

How to run it (from the repository root)::

    .venv/bin/python bench/content_sync.py            # 100 modules x 10 lessons
    .venv/bin/python bench/content_sync.py --modules 20 --lessons 5
    .venv/bin/python bench/content_sync.py --json     # the figures as JSON on stdout

``LMS_DATABASE_URL`` is ignored, so no real database is touched; the temporary folder is
always removed. It is a benchmark, not a test: nothing asserts timings, and the exit status
is non-zero only when the run itself is invalid (setup failed, a sync failed or its counts
were wrong).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import machine as machine_state
from generated_content import (
    lesson_body,
    lesson_file,
    lesson_title,
    module_file,
    paragraph,
    rng_for,
    slug,
)
from server import BIN_DIR, REPO_ROOT, log
from wrk import BenchError

TARGET_FIRST_SYNC_S = 10.0
EDIT_EVERY = 10  # one lesson in ten is edited before the third sync
SYNC_TIMEOUT = 900
AREAS = (
    "Billing support",
    "Technical support",
    "Sales and retention",
    "Collections",
    "Complaints handling",
    "Quality and coaching",
    "Workforce basics",
    "Customer onboarding",
)
TALLY_FIELDS = ("total", "created", "updated", "unchanged", "retired")


@dataclass(frozen=True)
class Step:
    name: str
    wall_s: float
    cpu_s: float  # user + system time of the sync process
    peak_rss_mib: float
    modules: dict[str, int]  # the summary's tallies: total, created, updated, unchanged, retired
    lessons: dict[str, int]


@dataclass(frozen=True)
class Report:
    programme: dict[str, Any]
    steps: list[Step]
    targets: dict[str, Any]
    machine: dict[str, Any]


# --- The programme ----------------------------------------------------------------------------


def write_programme(root: Path, modules: int, lessons: int) -> tuple[list[Path], int]:
    """Write `modules` module folders of `lessons` lessons; the lesson files and total words."""
    paths, total_words = [], 0
    for index in range(modules):
        code = f"S{index + 1:03d}"
        title = f"{AREAS[index % len(AREAS)]}, part {index // len(AREAS) + 1}"
        folder = root / f"{index:02d}-sync-module-{index + 1:03d}"  # folder names: two digits
        folder.mkdir(parents=True)
        intro = f"Module {index + 1} of the generated programme: {title.lower()}."
        (folder / "module.md").write_text(
            module_file(code, title, index + 1, 2, intro), encoding="utf-8"
        )
        taken: set[str] = set()
        for order in range(1, lessons + 1):
            rng = rng_for(f"sync-{index}-{order}")
            body, count = lesson_body(rng, rng.randint(400, 900))
            name = lesson_title(rng)
            while slug(name) in taken:
                name = lesson_title(rng)
            taken.add(slug(name))
            text = lesson_file(name, order, body, count, f"{code}-LO{1 + order % 2}")
            path = folder / f"{order:02d}-{slug(name)}.md"
            path.write_text(text, encoding="utf-8")
            paths.append(path)
            total_words += count
    return paths, total_words


def edit_lessons(paths: list[Path]) -> int:
    """Add a paragraph to one lesson in ten, spread over the modules and positions."""
    picked = [paths[k * EDIT_EVERY + k % EDIT_EVERY] for k in range(len(paths) // EDIT_EVERY)]
    for path in picked:
        addition = paragraph(rng_for(f"edit-{path.name}"), 60)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"\n## Update, November 2026\n\n{addition}\n")
    return len(picked)


# --- Running lms ------------------------------------------------------------------------------


def lms_env(instance: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("LMS_DATABASE_URL", None)  # always the temporary SQLite file, never a real database
    env.pop("LMS_CONTENT_PATH", None)
    env["LMS_INSTANCE_PATH"] = str(instance)
    return env


def run_lms(args: list[str], env: dict[str, str]) -> tuple[str, float, resource.struct_rusage]:
    """Run `lms <args>` as its own process: its stdout, wall time and resource usage."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            [str(BIN_DIR / "lms"), *args], cwd=REPO_ROOT, env=env, stdout=out, stderr=err
        )
        timer = threading.Timer(SYNC_TIMEOUT, process.kill)  # a hung sync fails the run
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)  # this process's own rusage
            process.returncode = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait
        finally:
            timer.cancel()
            if process.returncode is None:  # interrupted while waiting
                process.kill()
                process.wait()
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if process.returncode != 0:
        raise BenchError(f"lms {' '.join(args)} failed ({process.returncode}):\n{stderr}{stdout}")
    return stdout, wall, usage


def sync_step(
    name: str, folder: Path, env: dict[str, str], expected: dict[str, dict[str, int]], *extra: str
) -> Step:
    log(f"{name}: lms content sync {folder.name} {' '.join(extra)}".rstrip())
    stdout, wall, usage = run_lms(["content", "sync", str(folder), "--json", *extra], env)
    try:
        summary = json.loads(stdout)
        details = summary["details"]
    except (ValueError, KeyError, TypeError) as error:
        raise BenchError(f"{name}: could not read the summary:\n{stdout}") from error
    check_summary(name, summary, expected)
    return Step(
        name=name,
        wall_s=round(wall, 3),
        cpu_s=round(usage.ru_utime + usage.ru_stime, 3),
        peak_rss_mib=round(usage.ru_maxrss / 1024, 1),  # Linux: kibibytes
        modules={k: details["modules"][k] for k in TALLY_FIELDS},
        lessons={k: details["lessons"][k] for k in TALLY_FIELDS},
    )


def tally(total: int, **counts: int) -> dict[str, int]:
    return {"total": total, **{k: counts.get(k, 0) for k in TALLY_FIELDS[1:]}}


def check_summary(name: str, summary: dict[str, Any], expected: dict[str, dict[str, int]]) -> None:
    """Refuse the run unless the sync did exactly what this step should do."""
    details = summary.get("details", {})
    wrong = [
        f"{kind}: {details.get(kind)} instead of {want}"
        for kind, want in {**expected, "media": tally(0)}.items()
        if {k: details.get(kind, {}).get(k) for k in TALLY_FIELDS} != want
    ]
    if not summary.get("ok") or summary.get("errors"):
        wrong.append(f"errors: {summary.get('errors')}")
    if wrong:
        raise BenchError(
            f"{name}: the sync's summary is not what it should be:\n" + "\n".join(wrong)
        )


# --- The run ----------------------------------------------------------------------------------


@contextlib.contextmanager
def workspace() -> Iterator[Path]:
    root = Path(tempfile.mkdtemp(prefix="lms-bench-sync-"))
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


def run(args: argparse.Namespace) -> Report:
    modules, lessons = args.modules, args.lessons
    count = modules * lessons
    machine = machine_state.before()
    with workspace() as root:
        content, empty, instance = root / "modules", root / "empty", root / "instance"
        empty.mkdir()
        log(f"writing {modules} modules x {lessons} lessons in {content}")
        started = time.perf_counter()
        paths, words = write_programme(content, modules, lessons)
        generated = time.perf_counter() - started
        size = sum(p.stat().st_size for p in content.rglob("*.md"))
        env = lms_env(instance)
        log("lms db upgrade")
        run_lms(["db", "upgrade"], env)
        none = {"modules": tally(0), "lessons": tally(0)}
        steps = [sync_step("start-up (empty folder, dry run)", empty, env, none, "--dry-run")]
        created = {
            "modules": tally(modules, created=modules),
            "lessons": tally(count, created=count),
        }
        steps.append(sync_step("first sync", content, env, created))
        database = sum(p.stat().st_size for p in instance.glob("lms.sqlite3*"))
        same = {
            "modules": tally(modules, unchanged=modules),
            "lessons": tally(count, unchanged=count),
        }
        steps.append(sync_step("second sync, nothing changed", content, env, same))
        edited = edit_lessons(paths)
        changed = {
            "modules": tally(modules, unchanged=modules),
            "lessons": tally(count, updated=edited, unchanged=count - edited),
        }
        steps.append(sync_step(f"third sync, {edited} lessons edited", content, env, changed))
    machine["load_after"] = machine_state.load()
    first = steps[1].wall_s
    targets = {
        "first_sync_s": first,
        "first_sync_target_s": TARGET_FIRST_SYNC_S,
        "first_sync_pass": first < TARGET_FIRST_SYNC_S,
    }
    programme = {
        "modules": modules,
        "lessons": count,
        "words": words,
        "markdown_bytes": size,
        "edited_lessons": edited,
        "generated_s": round(generated, 2),
        "database_bytes_after_first_sync": database,
    }
    return Report(programme, steps, targets, machine)


def print_table(report: Report) -> None:
    programme, machine, targets = report.programme, report.machine, report.targets
    print(
        f"lms content sync --json, {programme['modules']} modules x "
        f"{programme['lessons'] // programme['modules']} lessons ({programme['lessons']} "
        f"lessons, {programme['words']} words, {programme['markdown_bytes'] / 2**20:.1f} MiB "
        f"of Markdown), fresh SQLite database"
    )
    print(machine_state.describe(machine))
    print()
    header = f"{'step':<34} {'wall s':>7} {'CPU s':>7} {'peak MiB':>9}  lessons new/upd/same/ret"
    print(header)
    for step in report.steps:
        lessons = "/".join(str(step.lessons[k]) for k in TALLY_FIELDS[1:])
        print(
            f"{step.name:<34} {step.wall_s:>7.2f} {step.cpu_s:>7.2f} {step.peak_rss_mib:>9.1f}"
            f"  {lessons}"
        )
    print()
    database = programme["database_bytes_after_first_sync"] / 2**20
    print(f"database after the first sync: {database:.1f} MiB")
    verdict = "PASS" if targets["first_sync_pass"] else "MISS"
    print(
        f"first sync {targets['first_sync_s']:>6.2f} s   target < "
        f"{TARGET_FIRST_SYNC_S:.0f} s   {verdict}"
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modules", type=int, default=100, help="modules (100; at most 100)")
    parser.add_argument("--lessons", type=int, default=10, help="lessons per module (10)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not 1 <= args.modules <= 100:  # module folders are named with two digits
        parser.error("--modules must be between 1 and 100")
    if not 1 <= args.lessons <= 99:
        parser.error("--lessons must be between 1 and 99")
    if args.modules * args.lessons < EDIT_EVERY:
        parser.error(f"at least {EDIT_EVERY} lessons in all, so some can be edited")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        report = run(args)
    except (BenchError, OSError, subprocess.SubprocessError) as error:
        log(f"benchmark failed: {error}")
        return 1
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: the temporary folder is already gone
        log("benchmark interrupted")
        return 130
    if args.json:
        print(json.dumps(asdict(report), indent=2))
    else:
        print_table(report)
    return 0


if __name__ == "__main__":
    for signum in (signal.SIGINT, signal.SIGTERM):  # clean up however the run is stopped
        signal.signal(signum, signal.default_int_handler)
    sys.exit(main())
