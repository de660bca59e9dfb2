"""`digest --help`, `status` and `send` start without spaCy, numpy or the reading stages.

Each command runs in a child process of its own (this process has them all loaded), which writes
the names of its loaded modules when it exits.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
import atexit, json, os, sys

atexit.register(lambda: open(os.environ["MODULES_OUT"], "w").write(json.dumps(sorted(sys.modules))))
from digest.cli import main

main()
"""

HEAVY = ("spacy", "numpy", "digest.read", "digest.group", "digest.write", "digest.flow")


def loaded_by(tmp_path: Path, *args: str, expect: int) -> set[str]:
    """The modules `digest ARGS` loaded, on a configuration with an outbox and a fresh database."""
    config = tmp_path / "feeds.yaml"
    config.write_text("feeds:\n  - name: Sample\n    url: sample.xml\n", encoding="utf-8")
    listing = tmp_path / "modules.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIGEST_")}
    where = ["--config", str(config), "--db", str(tmp_path / "digest.db")]
    ran = subprocess.run(
        [sys.executable, "-c", PROBE, *where, *args],
        env={**env, "MODULES_OUT": str(listing)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ran.returncode == expect, ran.stderr
    return set(json.loads(listing.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("args", "expect", "used"),
    [
        (["--help"], 0, "digest.cli.mail"),
        (["status"], 1, "digest.daemon.status"),  # no daemon runs
        (["send"], 1, "digest.send.mailing"),  # no edition built yet: nothing to send
    ],
)
def test_commands_that_do_not_read_leave_the_reader_unloaded(
    tmp_path: Path, args: list[str], expect: int, used: str
) -> None:
    modules = loaded_by(tmp_path, *args, expect=expect)
    assert used in modules  # the listing holds what the command did load
    assert sorted(m for m in modules if any(m == h or m.startswith(f"{h}.") for h in HEAVY)) == []


def test_help_goes_without_the_configuration_and_its_validation(tmp_path: Path) -> None:
    modules = loaded_by(tmp_path, "--help", expect=0)
    assert {"digest.config", "pydantic", "dkim", "httpx"}.isdisjoint(modules)
