"""`make bench-send`: 20 000 personalised copies of the sample edition to a local SMTP sink.

The sink is Postfix's `smtp-sink` when installed (Debian package `postfix`), else an aiosmtpd
server that accepts and discards; either runs in its own process on a free 127.0.0.1 port. The
sample edition is the one `digest demo` builds (made in a child process, so that its spaCy model
does not weigh on our figures). The copies are sent by `digest.send.send_edition` in a fresh
child process, exactly as `digest send` would (claim, send, record per copy, no rate limit), and
it reports msgs/s, peak memory (max RSS) and CPU time. When `smtp-source` is installed, it then
sends the same number of messages of the same size with the same concurrency to the same sink,
and our throughput is printed as a ratio of it (target: at least 0.5). Last, `--dkim-count`
copies are sent again without and with DKIM signing (a fresh 2048-bit key), and both rates and
their ratio are printed.

The edition is sent from SQLite, then from PostgreSQL by one sender and by two at once (two
processes sharing it, as two machines would): a server the bench starts itself in a temporary
folder (tests/support/postgres.py), or the empty database named by --db postgresql://…; the DKIM
runs use the first database.

Usage: bench/send.py [--count N] [--dkim-count N] [--concurrency N] [--sink auto|aiosmtpd]
                     [--db both|sqlite|postgres|postgresql://…] [--senders 1,2]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SINK = """
import sys
from aiosmtpd.controller import Controller

class Discard:
    async def handle_DATA(self, server, session, envelope):
        return "250 2.0.0 Ok: discarded"

controller = Controller(Discard(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
sys.stdin.read()
controller.stop()
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"the SMTP sink exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    sys.exit("the SMTP sink did not start listening")


def postfix_tool(name: str) -> str | None:
    """Postfix's test tools live in /usr/sbin, often outside a normal user's PATH."""
    found = shutil.which(name) or f"/usr/sbin/{name}"
    return found if os.access(found, os.X_OK) else None


def start_sink(port: int, kind: str) -> tuple[str, subprocess.Popen]:
    tool = postfix_tool("smtp-sink") if kind == "auto" else None
    if tool:
        user = ["-u", "nobody"] if os.geteuid() == 0 else []
        proc = subprocess.Popen([tool, *user, f"127.0.0.1:{port}", "1024"])
        name = "Postfix smtp-sink"
    else:
        proc = subprocess.Popen([sys.executable, "-c", SINK, str(port)], stdin=subprocess.PIPE)
        name = "aiosmtpd" + (" (smtp-sink not installed)" if kind == "auto" else "")
    wait_for_port(port, proc)
    return name, proc


def sample_edition(workdir: Path) -> Path:
    """Build the demo's edition in a child process; return the database holding it."""
    code = (
        "import sys; from pathlib import Path; from digest.samples.demo import run_demo;"
        " run_demo(Path(sys.argv[1]), Path(sys.argv[1]) / 'out')"
    )
    subprocess.run([sys.executable, "-c", code, str(workdir)], check=True, capture_output=True)
    return workdir / "demo.db"


def prepare(workdir: Path, count: int, location: str) -> tuple[str, int]:
    """A database with the sample edition and `count` active subscribers; (edition id, size)."""
    from digest.models import Edition
    from digest.store import editions, open_db
    from digest.store import subscribers as subscriber_store

    try:
        demo_db = workdir / "demo.db"
        demo = open_db(demo_db if demo_db.exists() else sample_edition(workdir))
        edition = editions.latest(demo)
        demo.close()
    except subprocess.CalledProcessError as e:
        print(f"note: the demo could not build the sample edition ({e.stderr[-300:]!r});")
        print("      a synthetic edition of similar size is sent instead")
        edition = None
    if edition is None:
        moment = datetime.now(UTC)
        html = "<p>Une levée de fonds à Montpellier, une usine à Dunkerque.</p>" * 1000
        edition = Edition("bench", 1, moment, moment, moment, subject="Bench", html=html, text=html)
    edition.stories = []  # rendered already; the bench database holds no story rows
    db = open_db(location)
    editions.save(db, edition)
    rows = [(f"lecteur{i}@exemple.fr", "") for i in range(count)]
    subscriber_store.insert_many(db, rows, state="active", source="bench")
    db.close()
    return edition.id, len((edition.html + edition.text).encode())


def child(workdir: Path, location: str, port: int, concurrency: int, dkim: bool) -> None:
    """Send the edition as `digest send` would; print the figures as JSON."""
    from digest.config import load_config
    from digest.send.sender import send_edition
    from digest.store import editions, open_db

    signing = ""
    if dkim:
        signing = ", dkim_selector: bench, dkim_domain: example.org, dkim_key_file: dkim.pem"
    config_path = workdir / "feeds.yaml"
    config_path.write_text(
        "feeds: []\n"
        f"smtp: {{host: 127.0.0.1, port: {port}, security: none}}\n"
        f"sending: {{pool_size: {concurrency}, rate_per_second: 1000000000{signing}}}\n",
        encoding="utf-8",
    )
    os.environ.setdefault("DIGEST_SECRET", "bench-secret-0123456789abcdef")
    config = load_config(config_path)
    db = open_db(location)
    edition = editions.latest(db)
    assert edition is not None
    begun = time.time()
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    report = send_edition(db, config, edition)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    signers = resource.getrusage(resource.RUSAGE_CHILDREN)  # the DKIM signing processes
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    figures = {
        "sent": report.sent,
        "failed": report.failed + report.bounced,
        "seconds": seconds,
        "cpu": cpu,
        "signing_cpu": signers.ru_utime + signers.ru_stime,
        "peak_mb": after.ru_maxrss / 1024,
        "begun": begun,
        "ended": time.time(),
    }
    print(json.dumps(figures))


def smtp_source(port: int, count: int, size: int, concurrency: int) -> float | None:
    """Seconds smtp-source takes for the same load; None when it is not installed."""
    tool = postfix_tool("smtp-source")
    if not tool:
        return None
    command = [tool, "-d", "-s", str(concurrency), "-l", str(size), "-m", str(count)]
    command += ["-f", "digest@example.org", "-t", "lecteur@exemple.fr", f"127.0.0.1:{port}"]
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def keep_subscribers(location: str, count: int) -> None:
    """Only the first `count` subscribers stay active (the DKIM runs are shorter)."""
    from digest.store import open_db

    db = open_db(location)
    db.execute("UPDATE subscribers SET state = 'unsubscribed' WHERE id > ?", (count,))
    db.close()


def dkim_key(workdir: Path) -> None:
    command = ["openssl", "genrsa", "-out", str(workdir / "dkim.pem"), "2048"]
    subprocess.run(command, check=True, capture_output=True)


@contextmanager
def postgres_database(choice: str) -> Iterator[str | None]:
    """The URL to send from on PostgreSQL (a server of our own unless one is given); None when
    PostgreSQL is not wanted or cannot start here."""
    if choice == "sqlite":
        yield None
        return
    if choice.startswith("postgresql://"):
        yield choice
        return
    sys.path.insert(0, str(ROOT))
    from tests.support import postgres

    try:
        with postgres.server() as base:
            yield postgres.fresh(base, migrated=False)
    except (postgres.Unavailable, ImportError) as e:
        print(f"PostgreSQL cannot start here ({e}): SQLite only")
        yield None


def run_senders(
    workdir: Path, location: str, port: int, concurrency: int, senders: int, dkim: bool = False
) -> dict:
    """Send the whole edition again with `senders` processes at once; the figures of the run."""
    from digest.store import open_db

    db = open_db(location)
    db.execute("DELETE FROM deliveries")  # every copy to send again
    db.close()
    command = [sys.executable, __file__, "--child", str(workdir), "--db", location]
    command += ["--port", str(port), "--concurrency", str(concurrency)]
    command += ["--dkim"] if dkim else []
    children = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(senders)
    ]
    results = []
    for c in children:
        out, errors = c.communicate()
        if c.returncode != 0:
            sys.exit(f"a sender failed: {errors[-2000:]}")
        results.append(json.loads(out.strip().splitlines()[-1]))
    return {
        "sent": sum(r["sent"] for r in results),
        "failed": sum(r["failed"] for r in results),
        "seconds": max(r["ended"] for r in results) - min(r["begun"] for r in results),
        "cpu": sum(r["cpu"] for r in results),
        "signing_cpu": sum(r["signing_cpu"] for r in results),
        "peak_mb": max(r["peak_mb"] for r in results),
        "shares": [r["sent"] for r in results],
    }


def report(name: str, figures: dict, concurrency: int) -> float:
    rate = figures["sent"] / figures["seconds"]
    shares = figures["shares"]
    split = f" (shared {' + '.join(map(str, shares))})" if len(shares) > 1 else ""
    print(
        f"{name}: {figures['sent']} copies ({figures['failed']} failed) in"
        f" {figures['seconds']:.1f} s = {rate:.0f} msgs/s, {concurrency} connections per"
        f" sender{split}; peak {figures['peak_mb']:.0f} MB, CPU {figures['cpu']:.1f} s"
        f" ({1000 * figures['cpu'] / max(figures['sent'], 1):.2f} ms per copy)"
    )
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--dkim-count", type=int, default=3_000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--sink", choices=("auto", "aiosmtpd"), default="auto")
    parser.add_argument("--db", default="both", help="both, sqlite, postgres or postgresql://…")
    parser.add_argument("--senders", default="1,2", help="PostgreSQL runs: senders at once")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--dkim", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child), args.db, args.port, args.concurrency, args.dkim)
        return
    with (
        tempfile.TemporaryDirectory(prefix="bench-send-") as tmp,
        postgres_database(args.db) as url,
    ):
        workdir = Path(tmp)
        print(f"preparing the sample edition and {args.count} subscribers…")
        runs: list[tuple[str, str, int]] = []
        if args.db in ("both", "sqlite"):
            edition_id, size = prepare(workdir, args.count, str(workdir / "bench.db"))
            runs.append(("SQLite, 1 sender", str(workdir / "bench.db"), 1))
        if url:
            edition_id, size = prepare(workdir, args.count, url)
            for n in (int(x) for x in args.senders.split(",")):
                runs.append((f"PostgreSQL, {n} sender{'s' if n > 1 else ''}", url, n))
        port = free_port()
        sink_name, sink = start_sink(port, args.sink)
        try:
            results = [
                (name, run_senders(workdir, location, port, args.concurrency, n))
                for name, location, n in runs
            ]
            reference = smtp_source(port, args.count, size, args.concurrency)
            dkim_key(workdir)
            first = runs[0][1]
            keep_subscribers(first, args.dkim_count)
            plain = run_senders(workdir, first, port, args.concurrency, 1)
            signed = run_senders(workdir, first, port, args.concurrency, 1, dkim=True)
        finally:
            if sink.stdin:
                sink.stdin.close()
            sink.terminate()
            sink.wait()
    print(f"edition {edition_id}: {size / 1024:.0f} KiB of HTML + text per copy; sink: {sink_name}")
    rate = 0.0
    for i, (name, figures) in enumerate(results):
        shown = report(name, figures, args.concurrency)
        rate = shown if i == 0 else rate
    without, with_dkim = (r["sent"] / r["seconds"] for r in (plain, signed))
    print(
        f"DKIM ({signed['sent']} copies, 2048-bit RSA): {without:.0f} msgs/s without,"
        f" {with_dkim:.0f} msgs/s with ({with_dkim / without:.2f} of the rate without);"
        f" CPU per copy {1000 * plain['cpu'] / max(plain['sent'], 1):.2f} ms without,"
        f" {1000 * signed['cpu'] / max(signed['sent'], 1):.2f} ms with in the sending process"
        f" + {1000 * signed['signing_cpu'] / max(signed['sent'], 1):.2f} ms in the signing ones"
    )
    if reference is None:
        print("smtp-source not installed (Debian package postfix): no reference ratio")
        return
    theirs = args.count / reference
    print(
        f"smtp-source: {args.count} messages of {size} bytes"
        f" in {reference:.1f} s = {theirs:.0f} msgs/s"
    )
    ratio = rate / theirs
    verdict = "meets" if ratio >= 0.5 else "misses"
    print(f"ratio digest/smtp-source (first run): {ratio:.2f} ({verdict} the 0.5 target)")


if __name__ == "__main__":
    main()
