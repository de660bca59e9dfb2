"""What an installed package offers: `digest --version`, shell completion, a license."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DIGEST = Path(sys.executable).parent / "digest"  # the console script of the installed package


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DIGEST_", "_DIGEST"))}
    return subprocess.run(
        [str(DIGEST), *args], env={**clean, **env}, capture_output=True, text=True, timeout=60
    )


def test_version_is_the_installed_distributions() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    ran = run("--version")
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == f"digest {project['version']}"
    assert project["name"] == "digest-newsletter" and project["license"] == "MIT"
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")


def test_shell_completion_is_offered_and_completes_commands() -> None:
    script = run("--show-completion", "bash")
    assert script.returncode == 0 and "_DIGEST_COMPLETE=complete_bash" in script.stdout
    completed = run(_DIGEST_COMPLETE="complete_bash", COMP_WORDS="digest ba", COMP_CWORD="1")
    assert completed.returncode == 0 and completed.stdout.split() == ["backup"]
