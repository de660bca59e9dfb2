"""16.16: a CSV of random text must not print a 100 000-character error line."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.cli import Ran, runner
from tests.support.sendkit import write_config


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Ran]:
    return runner(capsys, monkeypatch)


def noise(size: int, seed: int) -> str:
    """Printable junk without line breaks, as a random file that happens to be UTF-8."""
    pick = random.Random(seed)
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789@.,;é€ \t"
    return "".join(pick.choice(alphabet) for _ in range(size))


def test_error_lines_quote_at_most_a_short_piece_of_the_input(
    tmp_path: Path, run: Callable[..., Ran]
) -> None:
    write_config(tmp_path)
    header = tmp_path / "header.csv"
    header.write_text(noise(100_000, 1) + "\n" + noise(100, 2) + "\n", encoding="utf-8")
    row = tmp_path / "row.csv"
    row.write_text("email,name\n" + "x" * 100_000 + "@exemple.fr,X\n", encoding="utf-8")
    name = tmp_path / "name.csv"
    name.write_text("email,name\nnom@exemple.fr," + "N" * 100_000 + "\n", encoding="utf-8")
    binary = tmp_path / "bytes.csv"
    binary.write_bytes(random.Random(3).randbytes(100_000))
    for path in (header, row, name, binary):
        ran = run(tmp_path, "subscribers", "import", str(path))
        assert ran.returncode in (1, 2), ran
        said = ran.stdout + ran.stderr  # rich folds long lines: count every character
        assert len(said) <= 600, (path.name, len(said), said[:300])
