"""Certificates: rendering one PDF, serving a stored one, and a ZIP of 500.

What it measures
    A fresh instance (a temporary folder with its own SQLite file; ``LMS_DATABASE_URL`` is
    ignored) is brought up to date by the migrations, with an HR account and 500 learners.

    (a) Rendering. One programme certificate through the platform's path (``certificate_values``
        → the Jinja template → ``lms.pdf.render_pdf``, the hardened fetcher included) against
        WeasyPrint rendering the very same HTML string alone
        (``weasyprint.HTML(string=..., base_url=static/).write_pdf()``), alternately, in this
        process, after one untimed render of each. Best and median of ``--renders`` runs.
        Target: our median at most 1.5 times WeasyPrint's.
    (b) Serving. gunicorn (2 sync workers) on a free port of 127.0.0.1; signed in as HR through
        the login form, ``wrk`` loads ``GET /certificates/<code>.pdf`` (the stored file: the
        row is looked up, the access checked, the file sent) and then ``/healthz`` for
        ``--seconds`` each. Target: the PDF at least 50 % of /healthz's requests per second.
    (c) Bulk ZIP. The 500 stored certificates are NOT rendered one by one: one real PDF is
        rendered and stored under 500 codes, with their rows inserted directly (the ZIP only
        reads stored files). ``POST /certificates/download.zip`` is then asked for 50 ticked
        codes and for ``all=1`` (all 500), on a one-worker gunicorn, and the body is read in
        64 KB chunks. The worker's peak resident memory (``VmHWM`` in /proc/<pid>/status) is
        read after start-up, after the 50 and after the 500. Target: under 200 MB, and flat
        (the 500 add less than 20 MB to the 50's peak).

How to run it (from the repository root)::

    make bench-certificates
    .venv/bin/python bench/certificates.py --renders 20 --seconds 10 --json

It is a benchmark, not a test: timings never change the exit status. It is 1 when the run is
invalid (setup failed, a response was not what it should be), 130 when interrupted, 0
otherwise. gunicorn is always stopped and the temporary folder removed.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import machine as machine_state
from certificate_data import HR_EMAIL, PASSWORD, bench_code, build_instance, sample
from server import (
    browser_signed_in,
    csrf_token,
    gunicorn_serving,
    log,
    peak_mb,
    server_env,
    workers_of,
)
from wrk import BenchError, lua_script, parse_wrk, run_wrk, wrk_command

from lms import create_app
from lms.certificates.rendering import certificate_values, render_certificate
from lms.extensions import db

RENDER_TARGET = 1.5  # ours / WeasyPrint alone, medians
SERVE_TARGET = 0.50  # PDF requests per second / /healthz's
ZIP_TARGET_MB = 200.0
ZIP_GROWTH_MB = 20.0  # what 500 certificates may add to the peak of 50


# --- (a) Rendering ---------------------------------------------------------------------------


def rendering(runs: int) -> dict[str, Any]:
    """Our path against WeasyPrint alone on the same HTML, alternately."""
    import weasyprint
    from flask import render_template

    app = create_app({"SECURE_COOKIES": False})
    with app.app_context():
        certificate = sample(1, bench_code(0))
        static = Path(app.static_folder or "static").resolve().as_uri() + "/"

        def ours() -> bytes:
            return render_certificate(certificate_values(certificate))

        html = render_template(
            "certificates/certificate_pdf.html", **certificate_values(certificate)
        )

        def alone() -> bytes:
            return bytes(weasyprint.HTML(string=html, base_url=static).write_pdf())

        ours(), alone()  # fonts, the template, the QR code library: loaded once per process
        times: dict[str, list[float]] = {"ours": [], "weasyprint": []}
        for _ in range(runs):
            for name, action in (("ours", ours), ("weasyprint", alone)):
                times[name].append(seconds(action))
        db.session.remove()
        db.engine.dispose()
    figures = {
        name: {"best_ms": ms(min(values)), "median_ms": ms(statistics.median(values))}
        for name, values in times.items()
    }
    ratio = statistics.median(times["ours"]) / statistics.median(times["weasyprint"])
    return {**figures, "runs": runs, "ratio": round(ratio, 2), "pass": ratio <= RENDER_TARGET}


def seconds(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def ms(value: float) -> float:
    return round(value * 1000, 1)


# --- The server ------------------------------------------------------------------------------


def signed_in(base: str) -> tuple[urllib.request.OpenerDirector, str]:
    """A browser signed in as HR through the login form, and its session cookie."""
    return browser_signed_in(base, HR_EMAIL, PASSWORD, landing="/dashboard/hr")


# --- (b) Serving -----------------------------------------------------------------------------


def serving(instance: Path, code: str, size: int, seconds_each: int, connections: int) -> Any:
    with gunicorn_serving(instance, server_env(instance), 2) as (base, _process):
        browser, cookie = signed_in(base)
        path = f"/certificates/{code}.pdf"
        with browser.open(base + path, timeout=10) as response:
            body = response.read()
        if response.status != 200 or len(body) != size or not body.startswith(b"%PDF"):
            raise BenchError(f"{path} did not answer with the stored PDF ({len(body)} bytes)")
        results = {}
        with lua_script() as lua:
            for name, target, sent in (("pdf", path, cookie), ("healthz", "/healthz", None)):
                run_wrk(wrk_command(base + target, 2, connections, lua, sent), 2)  # warm-up
                command = wrk_command(base + target, seconds_each, connections, lua, sent)
                result = parse_wrk(target, run_wrk(command, seconds_each))
                if result.non_2xx_3xx or (name == "pdf" and result.mean_bytes < size):
                    raise BenchError(f"{target}: errors or short answers under load: {result}")
                results[name] = result
    ratio = results["pdf"].requests_per_sec / results["healthz"].requests_per_sec
    return {
        "pdf_rps": results["pdf"].requests_per_sec,
        "pdf_p95_ms": results["pdf"].p95_ms,
        "healthz_rps": results["healthz"].requests_per_sec,
        "healthz_p95_ms": results["healthz"].p95_ms,
        "ratio": round(ratio, 2),
        "pass": ratio >= SERVE_TARGET,
    }


# --- (c) The bulk ZIP ------------------------------------------------------------------------


def bulk_zip(instance: Path, codes: list[str]) -> dict[str, Any]:
    with gunicorn_serving(instance, server_env(instance), 1) as (base, process):
        worker = workers_of(process.pid)[0]
        browser, _cookie = signed_in(base)
        peaks = {"start_mb": peak_mb(worker)}
        fifty = download(browser, base, [("code", code) for code in codes[:50]], 50)
        peaks["after_50_mb"] = peak_mb(worker)
        everything = download(browser, base, [("all", "1")], len(codes))
        peaks["after_500_mb"] = peak_mb(worker)
    growth = peaks["after_500_mb"] - peaks["after_50_mb"]
    return {
        **peaks,
        "zip_50": fifty,
        "zip_500": everything,
        "growth_mb": round(growth, 1),
        "pass": peaks["after_500_mb"] < ZIP_TARGET_MB and growth < ZIP_GROWTH_MB,
    }


def download(
    browser: urllib.request.OpenerDirector, base: str, fields: list[tuple[str, str]], expect: int
) -> dict[str, Any]:
    """POST the ZIP form (its CSRF token from the register page), read the body in chunks."""
    with browser.open(base + "/certificates/", timeout=30) as response:
        token = csrf_token(response.read().decode())
    data = urllib.parse.urlencode([("csrf_token", token), *fields]).encode()
    started, first_byte, received = time.perf_counter(), None, io.BytesIO()
    with browser.open(base + "/certificates/download.zip", data=data, timeout=300) as response:
        if response.headers.get_content_type() != "application/zip":
            raise BenchError(f"download.zip answered {response.headers.get_content_type()}")
        while chunk := response.read(64 * 1024):
            first_byte = first_byte or time.perf_counter()
            received.write(chunk)
    elapsed = time.perf_counter() - started
    with zipfile.ZipFile(received) as archive:
        pdfs = [n for n in archive.namelist() if n.endswith(".pdf")]
    if len(pdfs) != expect:
        raise BenchError(f"the ZIP held {len(pdfs)} PDFs, not {expect}")
    return {
        "certificates": len(pdfs),
        "mb": round(received.tell() / 2**20, 1),
        "seconds": round(elapsed, 2),
        "first_byte_ms": ms((first_byte or started) - started),
    }


# --- Report ----------------------------------------------------------------------------------


def verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def report(figures: dict[str, Any]) -> None:
    r, s, z = figures["render"], figures["serve"], figures["zip"]
    print(
        f"Certificates benchmark, {figures['date']}: {machine_state.describe(figures['machine'])}"
    )
    print(
        f"(a) render one certificate ({r['runs']} runs): ours best {r['ours']['best_ms']} ms, "
        f"median {r['ours']['median_ms']} ms; WeasyPrint alone best {r['weasyprint']['best_ms']}"
        f" ms, median {r['weasyprint']['median_ms']} ms; ratio {r['ratio']} "
        f"(target ≤ {RENDER_TARGET}) {verdict(r['pass'])}"
    )
    print(
        f"(b) serve a stored PDF: {s['pdf_rps']} req/s (p95 {s['pdf_p95_ms']} ms) vs /healthz "
        f"{s['healthz_rps']} req/s (p95 {s['healthz_p95_ms']} ms); ratio {s['ratio']:.0%} "
        f"(target ≥ {SERVE_TARGET:.0%}) {verdict(s['pass'])}"
    )
    print(
        "(c) bulk ZIP (one real PDF stored under 500 codes, rows inserted directly): "
        f"50 in {z['zip_50']['seconds']} s ({z['zip_50']['mb']} MB), "
        f"500 in {z['zip_500']['seconds']} s ({z['zip_500']['mb']} MB, first byte after "
        f"{z['zip_500']['first_byte_ms']} ms); worker peak RSS {z['start_mb']} MB at start, "
        f"{z['after_50_mb']} MB after 50, {z['after_500_mb']} MB after 500 "
        f"(+{z['growth_mb']} MB; target < {ZIP_TARGET_MB:.0f} MB, flat) {verdict(z['pass'])}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--renders", type=int, default=10, help="timed renders of each kind")
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per endpoint")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    options = parser.parse_args()
    instance = Path(tempfile.mkdtemp(prefix="lms-bench-certificates-"))
    machine = machine_state.before()
    try:
        log("building the instance: HR, 500 learners, 500 stored certificates ...")
        codes, size = build_instance(instance)
        log("(a) rendering ...")
        render = rendering(options.renders)
        log("(b) serving under wrk ...")
        serve = serving(instance, codes[0], size, options.seconds, options.connections)
        log("(c) bulk ZIP ...")
        bulk = bulk_zip(instance, codes)
    except BenchError as invalid:
        log(f"invalid run: {invalid}")
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        shutil.rmtree(instance, ignore_errors=True)
    machine["load_after"] = machine_state.load()
    figures = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": machine,
        "render": render,
        "serve": serve,
        "zip": bulk,
    }
    if options.json:
        print(json.dumps(figures, indent=2))
    else:
        report(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
