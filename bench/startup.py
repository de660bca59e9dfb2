"""`make bench-startup`: what `digest --help`, `digest status` and `digest send` cost to start.

Each command runs N times in a fresh `python -m digest` process on a temporary configuration
(one feed, an outbox, no SMTP host) and a fresh database that holds no edition, so `send` stops
at once with "nothing to send" (exit 1). The same is done for a bare typer CLI of one command,
written to the temporary folder; the figures are the median wall time and the peak memory
(max RSS of the child, from wait4), and the ratio to the bare CLI (goal: at most 2×).

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


def measure(argv: list[str], runs: int, expect: int) -> tuple[float, float]:
    """(median wall seconds, peak RSS in MB) of `argv` run `runs` times after one warm-up."""
    times, peaks = [], []
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
            peaks.append(usage.ru_maxrss / 1024)  # KiB on Linux
    return statistics.median(times), max(peaks)


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
            ("digest status", measure([*digest, "status"], runs, 0), bare_run),
            ("digest send", measure([*digest, "send"], runs, 1), bare_run),
        ]
    print(f"start-up, median of {runs} runs (bare = a typer CLI of one command)")
    print(f"{'':16}{'time':>9}{'peak RSS':>11}{'× bare time':>13}{'× bare RSS':>12}")
    print(f"{'bare --help':16}{bare_help[0] * 1000:7.0f}ms{bare_help[1]:8.0f} MB")
    print(f"{'bare hello':16}{bare_run[0] * 1000:7.0f}ms{bare_run[1]:8.0f} MB")
    for name, (secs, mb), (base_secs, base_mb) in rows:
        print(
            f"{name:16}{secs * 1000:7.0f}ms{mb:8.0f} MB"
            f"{secs / base_secs:12.1f}×{mb / base_mb:11.1f}×"
        )


if __name__ == "__main__":
    main()
