"""Running wrk for the HTTP benchmark: the command, the Lua hook, and reading its output.

wrk's ``--latency`` table has no p95, so every figure is read from a small Lua ``done()``
hook that prints ``BENCH <name> <value>`` lines; ``parse_wrk`` turns them, with wrk's own
``Requests/sec`` and ``Non-2xx or 3xx responses`` lines, into a ``Result``.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

WRK_THREADS = 2
USER_AGENT = "lms-http-bench/1"  # the same for login and wrk: Flask-Login checks it
PERCENTILES = (50, 90, 95, 99)

# wrk's --latency table has no p95, so every figure is read from this done() hook, which wrk
# calls once at the end; latency:percentile() answers in microseconds.
WRK_LUA = """\
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH requests %d\\n", summary.requests))
  io.write(string.format("BENCH duration_us %d\\n", summary.duration))
  io.write(string.format("BENCH bytes %d\\n", summary.bytes))
  io.write(string.format("BENCH socket_errors %d\\n", e.connect + e.read + e.write + e.timeout))
  io.write(string.format("BENCH status_errors %d\\n", e.status))
  for _, p in ipairs({50, 90, 95, 99}) do
    io.write(string.format("BENCH p%d_us %d\\n", p, latency:percentile(p)))
  end
end
"""


class BenchError(RuntimeError):
    """The run cannot give valid figures; the message says why."""


@dataclass(frozen=True)
class Result:
    endpoint: str
    requests: int
    requests_per_sec: float
    p50_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    mean_bytes: float
    non_2xx_3xx: int
    socket_errors: int


@contextlib.contextmanager
def lua_script() -> Iterator[Path]:
    """The Lua hook written to a temporary file, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="lms-bench-lua-") as lua_dir:
        lua = Path(lua_dir) / "percentiles.lua"
        lua.write_text(WRK_LUA)
        yield lua


def wrk_command(
    url: str, seconds: int, connections: int, lua: Path, cookie: str | None
) -> list[str]:
    command = ["wrk", f"-t{WRK_THREADS}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    command += ["-s", str(lua), "-H", f"User-Agent: {USER_AGENT}"]
    if cookie:
        command += ["-H", f"Cookie: session={cookie}"]
    return [*command, url]


def run_wrk(command: list[str], seconds: int) -> str:
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    if done.returncode != 0:
        raise BenchError(f"wrk failed ({done.returncode}):\n{done.stderr}{done.stdout}")
    return done.stdout


def parse_wrk(endpoint: str, output: str) -> Result:
    figures = {k: int(v) for k, v in re.findall(r"^BENCH (\w+) (\d+)$", output, re.MULTILINE)}
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if rate is None or "p95_us" not in figures:
        raise BenchError(f"could not read wrk's output:\n{output}")
    requests = figures["requests"]
    return Result(
        endpoint=endpoint,
        requests=requests,
        requests_per_sec=float(rate.group(1)),
        **{f"p{p}_ms": figures[f"p{p}_us"] / 1000 for p in PERCENTILES},
        mean_bytes=round(figures["bytes"] / requests, 1) if requests else 0.0,
        non_2xx_3xx=max(figures["status_errors"], int(non_2xx.group(1)) if non_2xx else 0),
        socket_errors=figures["socket_errors"],
    )
