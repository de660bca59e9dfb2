"""A bad command line or a bad configuration, through the real `digest` command: exit 2 and a
message a person can act on, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def digest(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIGEST_")}
    return subprocess.run(
        [sys.executable, "-m", "digest", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["send", "--bogus"], "No such option: --bogus"),
        (["nosuch"], "No such command 'nosuch'"),
        (["subscribers", "add"], "Missing argument 'address'"),
    ],
)
def test_a_bad_command_line_shows_the_usage_and_exits_2(
    tmp_path: Path, args: list[str], says: str
) -> None:
    ran = digest(*args, cwd=tmp_path)
    assert ran.returncode == 2
    assert says in ran.stderr and "Usage: " in ran.stderr and "--help' for help" in ran.stderr
    assert "Traceback" not in ran.stderr


def test_a_missing_configuration_is_named_and_exits_2(tmp_path: Path) -> None:
    ran = digest("--config", str(tmp_path / "absent.yaml"), "status", cwd=tmp_path)
    assert ran.returncode == 2
    assert "Configuration error" in ran.stderr and "absent.yaml" in ran.stderr
    assert "Traceback" not in ran.stderr
