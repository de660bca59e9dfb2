"""`digest` run in this process (its start-up costs seconds) as a person runs it, its output
captured: the attack tests of tests/security go through it."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from digest.cli import main
from tests.support.sendkit import SECRET


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


def runner(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Ran]:
    """`digest --config <folder>/feeds.yaml --db <folder>/digest.db ARGS`, with $DIGEST_SECRET."""

    def digest(folder: Path, *args: str) -> Ran:
        for key in [k for k in os.environ if k.startswith("DIGEST_")]:
            monkeypatch.delenv(key)
        monkeypatch.setenv("DIGEST_SECRET", SECRET)
        monkeypatch.setenv("COLUMNS", "200")
        db = str(folder / "digest.db")
        monkeypatch.setattr(
            sys, "argv", ["digest", "--config", str(folder / "feeds.yaml"), "--db", db, *args]
        )
        capsys.readouterr()
        with pytest.raises(SystemExit) as stopped:
            main()
            sys.exit(0)
        captured = capsys.readouterr()
        return Ran(stopped.value.code or 0, captured.out, captured.err)

    return digest
