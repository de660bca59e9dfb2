"""Near-duplicate items (syndicated copies), recognised before grouping: MinHash over word
shingles with LSH bands, so a copy is found by a few band look-ups, never by comparing pairs.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

import numpy as np

from digest.similarity import fold

SHINGLE = 3
_TOKEN = re.compile(r"\w+")
PERMUTATIONS = 64
RECENT = 32  # items kept per band
BANDS = 16  # 16 bands of 4 rows: pairs above ~0.5 Jaccard meet in some band
_ROWS = PERMUTATIONS // BANDS
_PRIME = (1 << 61) - 1
_rng = np.random.default_rng(20240513)  # fixed: signatures must match across runs
_A = _rng.integers(1, 1 << 31, size=PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, 1 << 31, size=PERMUTATIONS, dtype=np.uint64)
_EMPTY = np.full(PERMUTATIONS, np.iinfo(np.uint64).max, dtype=np.uint64)


def _hash32(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=4).digest(), "little")


def shingles(title: str, text: str) -> set[int]:
    """Hashed word 3-grams of title and text (folded; numbers kept: they tell deals apart)."""
    tokens = _TOKEN.findall(fold(title + " " + text))
    if len(tokens) < SHINGLE:
        return {_hash32(" ".join(tokens))} if tokens else set()
    return {_hash32(" ".join(tokens[i : i + SHINGLE])) for i in range(len(tokens) - SHINGLE + 1)}


def signature(title: str, text: str) -> list[int]:
    """The MinHash signature of an item: PERMUTATIONS minima of (a·h + b) mod 2^61−1."""
    hashed = np.fromiter(shingles(title, text), dtype=np.uint64)
    if hashed.size == 0:
        return _EMPTY.tolist()
    # a < 2^31 and h < 2^32 keep a·h + b below 2^64
    mins = ((_A[:, None] * hashed[None, :] + _B[:, None]) % _PRIME).min(axis=1)
    return mins.tolist()


def bands(sig: list[int]) -> list[int]:
    """One key per band: a hash of the band's rows and its position."""
    out = []
    for i in range(BANDS):
        rows = ",".join(map(str, sig[i * _ROWS : (i + 1) * _ROWS]))
        out.append(int.from_bytes(hashlib.blake2b(f"{i}:{rows}".encode(), digest_size=7).digest()))
    return out


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity of two signatures."""
    if not a or a == _EMPTY.tolist():
        return 0.0
    return sum(x == y for x, y in zip(a, b, strict=True)) / PERMUTATIONS


class NearDuplicates:
    """An LSH index of item signatures: `find` returns the best earlier copy above threshold."""

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold
        self.by_band: dict[int, list[str]] = {}
        self.signatures: dict[str, list[int]] = {}

    def add(self, key: str, sig: list[int]) -> None:
        if key in self.signatures:
            return
        self.signatures[key] = sig
        for band in bands(sig):
            keys = self.by_band.setdefault(band, [])
            keys.append(key)
            if len(keys) > RECENT:
                del keys[0]  # copies appear within days: only recent items are worth a look

    def find(self, sig: list[int], exclude: Iterable[str] = ()) -> str | None:
        """The most similar indexed item (ties: smallest key), or None."""
        skip = set(exclude)
        seen: set[str] = set()
        best: tuple[float, str] | None = None
        for band in bands(sig):
            for key in self.by_band.get(band, ()):
                if key in seen or key in skip:
                    continue
                seen.add(key)
                score = similarity(sig, self.signatures[key])
                if score >= self.threshold and (
                    best is None or (-score, key) < (-best[0], best[1])
                ):
                    best = (score, key)
        return best[1] if best else None
