"""Near-duplicate items (syndicated copies), recognised before grouping: MinHash over word
shingles with LSH bands, so a copy is found by a few band look-ups, never by comparing pairs.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import deque
from collections.abc import Iterable

import numpy as np

from digest.language.fold import fold

SHINGLE = 3
_TOKEN = re.compile(r"\w+")
PERMUTATIONS = 64
LENGTH = 4000  # characters of text read: a copy shows itself in its first paragraphs
RECENT = 32  # items kept per band
BANDS = 16  # 16 bands of 4 rows: pairs above ~0.5 Jaccard meet in some band
_ROWS = PERMUTATIONS // BANDS
_PRIME = (1 << 61) - 1
_rng = np.random.default_rng(20240513)  # fixed: signatures must match across runs
_A = _rng.integers(1, 1 << 31, size=PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, 1 << 31, size=PERMUTATIONS, dtype=np.uint64)
_EMPTY = np.full(PERMUTATIONS, np.iinfo(np.uint64).max, dtype=np.uint64)


def _hash32(text: str) -> int:
    """A stable 32-bit hash (signatures are stored, so Python's salted hash() will not do)."""
    return zlib.crc32(text.encode())


def shingles(title: str, text: str) -> set[int]:
    """Hashed word 3-grams of title and text (folded; numbers kept: they tell deals apart)."""
    tokens = _TOKEN.findall(fold(title + " " + text))
    if len(tokens) < SHINGLE:
        return {_hash32(" ".join(tokens))} if tokens else set()
    return {_hash32(" ".join(tokens[i : i + SHINGLE])) for i in range(len(tokens) - SHINGLE + 1)}


Signature = np.ndarray  # PERMUTATIONS uint64 minima


def signature(title: str, text: str) -> Signature:
    """The MinHash signature of an item: PERMUTATIONS minima of (a·h + b) mod 2^61−1."""
    hashed = np.fromiter(shingles(title, text[:LENGTH]), dtype=np.uint64)
    if hashed.size == 0:
        return _EMPTY.copy()
    # a < 2^31 and h < 2^32 keep a·h + b below 2^64
    return ((_A[:, None] * hashed[None, :] + _B[:, None]) % _PRIME).min(axis=1)


def as_signature(values: list[int]) -> Signature:
    """A signature back from its JSON list."""
    return np.array(values, dtype=np.uint64)


def bands(sig: Signature) -> list[int]:
    """One key per band: a hash of the band's rows and its position (fits SQLite's INTEGER)."""
    raw = sig.tobytes()
    size = len(raw) // BANDS
    return [
        int.from_bytes(
            hashlib.blake2b(
                raw[i * size : (i + 1) * size], digest_size=7, person=bytes([i])
            ).digest()
        )
        for i in range(BANDS)
    ]


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of two signatures."""
    if (a == _EMPTY).all():
        return 0.0
    return int(np.count_nonzero(a == b)) / PERMUTATIONS


class NearDuplicates:
    """An LSH index of item signatures: `find` returns the best earlier copy above threshold.
    Items dated more than `horizon` days before the newest are forgotten (a copy appears
    within days), so the index stays the size of a few days of news."""

    def __init__(self, threshold: float, horizon: float = 7.0) -> None:
        self.threshold = threshold
        self.horizon = horizon
        self.by_band: dict[int, list[str]] = {}
        self.signatures: dict[str, Signature] = {}
        self._arrivals: deque[tuple[float, str]] = deque()
        self._newest = float("-inf")

    def add(self, key: str, sig: Signature, day: float | None = None) -> list[str]:
        """Index an item (dated in days, or None to keep it); returns the keys forgotten."""
        if key in self.signatures:
            return []
        self.signatures[key] = sig
        for band in bands(sig):
            keys = self.by_band.setdefault(band, [])
            keys.append(key)
            if len(keys) > RECENT:
                del keys[0]  # only recent items are worth a look
        if day is None:
            return []
        self._arrivals.append((day, key))
        self._newest = max(self._newest, day)
        forgotten = []
        while self._arrivals and self._arrivals[0][0] < self._newest - self.horizon:
            forgotten.append(self._forget(self._arrivals.popleft()[1]))
        return forgotten

    def _forget(self, key: str) -> str:
        for band in bands(self.signatures.pop(key)):
            keys = self.by_band.get(band)
            if keys and key in keys:
                keys.remove(key)
                if not keys:
                    del self.by_band[band]
        return key

    def find(self, sig: Signature, exclude: Iterable[str] = ()) -> str | None:
        """The most similar indexed item (ties: smallest key), or None."""
        skip = set(exclude)
        seen: set[str] = set()
        best: tuple[float, str] | None = None
        for band in bands(sig):
            for key in self.by_band.get(band, ()):
                if key in seen or key in skip or key not in self.signatures:
                    continue
                seen.add(key)
                score = similarity(sig, self.signatures[key])
                if score >= self.threshold and (
                    best is None or (-score, key) < (-best[0], best[1])
                ):
                    best = (score, key)
        return best[1] if best else None
