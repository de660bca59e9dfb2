"""Waiting for a file another thread or process writes (a mail sent after the answer)."""

import time
from pathlib import Path


def wait_for(path: Path, seconds: float = 20) -> None:
    """Return once `path` exists; fail the test after `seconds`."""
    deadline = time.monotonic() + seconds
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert path.exists(), path
