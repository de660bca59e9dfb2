"""`make bench-startup`: what `digest --help`, `digest status` and `digest send` cost to start.

Each command runs N times in a fresh `python -m digest` process on a temporary configuration
(one feed, an outbox, no SMTP host) and a fresh database that holds no edition, so `send` stops
at once with "nothing to send" (exit 1). The same is done for a bare typer CLI of one command,
written to the temporary folder; the figures are the median wall time, the median CPU time
(user + system: steadier than wall time on a busy machine) and the peak memory (max RSS of the
child), each from wait4, and their ratios to the bare CLI (goal: at most 2×).

Usage: bench/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = '''
import typer

app = typer.Typer(add_completion=False)


@app.command()
def hello(name: str = "world") -> None:
    """Say hello."""
    typer.echo(f"hello {name}")


@app.callback()
def main() -> None:
    """A bare typer CLI."""


app()
'''

CONFIG = """
feeds:
  - name: Sample
    url: sample.xml
sending:
  outbox: outbox
"""


Figures = tuple[float, float, float]  # median wall seconds, median CPU seconds, peak RSS in MB


def measure(argv: list[str], runs: int, expect: int) -> Figures:
    """The figures of `argv` run `runs` times after one warm-up run."""
    times, cpus, peaks = [], [], []
    for n in range(runs + 1):
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        stderr = child.stderr.read().decode() if child.stderr else ""
        if child.stderr:
            child.stderr.close()
        if child.returncode != expect:
            sys.exit(f"{' '.join(argv)} exited {child.returncode}, not {expect}:\n{stderr}")
        if n:  # the first run warms the disk cache and migrates the fresh database
            times.append(elapsed)
            cpus.append(usage.ru_utime + usage.ru_stime)
            peaks.append(usage.ru_maxrss / 1024)  # KiB on Linux
    return statistics.median(times), statistics.median(cpus), max(peaks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory(prefix="digest-startup-") as tmp:
        folder = Path(tmp)
        (folder / "bare.py").write_text(BARE, encoding="utf-8")
        (folder / "feeds.yaml").write_text(CONFIG, encoding="utf-8")
        py = [sys.executable]
        digest = [*py, "-m", "digest", "--config", str(folder / "feeds.yaml")]
        digest += ["--db", str(folder / "digest.db")]
        bare = [*py, str(folder / "bare.py")]
        bare_help = measure([*bare, "--help"], runs, 0)
        bare_run = measure([*bare, "hello"], runs, 0)
        rows = [
            ("digest --help", measure([*digest, "--help"], runs, 0), bare_help),
            ("digest status", measure([*digest, "status"], runs, 1), bare_run),  # no daemon
            ("digest send", measure([*digest, "send"], runs, 1), bare_run),
        ]
    print(f"start-up, median of {runs} runs; × is the ratio to the bare typer CLI (goal ≤ 2)")
    print(f"{'':15}{'wall':>8}{'CPU':>8}{'peak RSS':>10}{'× wall':>8}{'× CPU':>7}{'× RSS':>7}")
    print(f"{'bare --help':15}{line(bare_help)}")
    print(f"{'bare hello':15}{line(bare_run)}")
    for name, figures, bare_figures in rows:
        ratios = "".join(f"{a / b:6.1f}×" for a, b in zip(figures, bare_figures, strict=True))
        print(f"{name:15}{line(figures)} {ratios}")


def line(figures: Figures) -> str:
    wall, cpu, mb = figures
    return f"{wall * 1000:6.0f}ms{cpu * 1000:6.0f}ms{mb:7.0f} MB"


if __name__ == "__main__":
    main()
