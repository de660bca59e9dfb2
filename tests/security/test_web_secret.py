"""16.4: `digest serve` never runs on the public development secret, with or without an SMTP
host: links signed with that secret (it is in the source) would unsubscribe anyone."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.security.server import command, environment, write_config


@pytest.mark.parametrize("secret", [None, "short"])
def test_serve_without_a_secret_of_its_own_refuses_to_start(
    tmp_path: Path, secret: str | None
) -> None:
    env = environment()
    del env["DIGEST_SECRET"]
    if secret is not None:
        env["DIGEST_SECRET"] = secret
    config = write_config(tmp_path)  # no smtp.host: the outbox, where the dev secret used to do
    ran = subprocess.run(
        command(config, tmp_path / "x.db", "serve", "--port", "1"),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ran.returncode == 2, ran.stdout + ran.stderr
    assert "DIGEST_SECRET" in ran.stderr and "openssl rand" in ran.stderr
