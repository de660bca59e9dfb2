"""Running the real `digest` command in the test process (its start-up costs seconds in a
subprocess), as a person runs it, with only the environment given: the CLI and attack tests."""

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


Run = Callable[..., Ran]


def runner(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    """`run(folder, *args, **env)`: digest with folder/feeds.yaml and folder/digest.db; the
    environment holds DIGEST_SECRET and `env` only (its startup costs seconds in a subprocess)."""

    def digest(folder: Path, *args: str, **env: str) -> Ran:
        for key in [k for k in os.environ if k.startswith("DIGEST_")]:
            monkeypatch.delenv(key)
        for key, value in {"DIGEST_SECRET": SECRET, "COLUMNS": "200", **env}.items():
            monkeypatch.setenv(key, value)
        db = str(folder / "digest.db")
        argv = ["digest", "--config", str(folder / "feeds.yaml"), "--db", db, *args]
        monkeypatch.setattr(sys, "argv", argv)
        capsys.readouterr()
        with pytest.raises(SystemExit) as stopped:
            main()
            sys.exit(0)
        captured = capsys.readouterr()
        return Ran(stopped.value.code or 0, captured.out, captured.err)

    return digest
