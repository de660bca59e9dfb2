"""Where the repository and the shared corpora (beside it, when present) are."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
