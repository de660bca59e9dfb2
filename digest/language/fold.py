"""The one fold and the one name key: how every stage compares words and names.

`fold` is lower case without accents: ligatures expanded (œ → oe, æ → ae), typographic
apostrophes made ', non-breaking hyphens made -, every kind of space made one space.
`name_key` is a name's identity: folded, hyphens and spaces made one, and the legal suffixes of
digest/language/data/legal_suffixes.yaml dropped ("L'Oréal SA" → "l'oreal").
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from digest.language import data

_APOSTROPHES = "’‘ʼ′`´"
_HYPHENS = "\u2010\u2011\u00ad"  # hyphen, non-breaking hyphen, soft hyphen
_LIGATURES = {"œ": "oe", "æ": "ae"}


def _fold_char(ch: str) -> str:
    if ch in _APOSTROPHES:
        return "'"
    if ch in _HYPHENS:
        return "-"
    if unicodedata.category(ch) == "Zs":
        return " "
    plain = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    low = unicodedata.normalize("NFD", plain.casefold())
    return "".join(_LIGATURES.get(c, c) for c in low if not unicodedata.combining(c))


class _Table(dict[int, str]):
    """str.translate's table, each character folded on first sight."""

    def __missing__(self, code: int) -> str:
        self[code] = folded = _fold_char(chr(code))
        return folded


_TABLE = _Table()


def fold(text: str) -> str:
    """'L’Œuvre d’Île‑de‑France' → "l'oeuvre d'ile-de-france"."""
    return text.translate(_TABLE)


def fold_spans(text: str) -> tuple[str, list[int], list[int]]:
    """The fold of a text, with the text offsets where each folded character starts and ends,
    for finding words in the fold and pointing at them in the text."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        f = fold(ch)
        if not f and ends:
            ends[-1] = i + 1  # a combining accent belongs to the letter before it
        out.append(f)
        starts += [i] * len(f)
        ends += [i + 1] * len(f)
    return "".join(out), starts, ends


@cache
def _legal() -> tuple[re.Pattern[str], re.Pattern[str]]:
    table = data.load("legal_suffixes.yaml")

    def dotted(word: str) -> str:  # "sa" also matches "s.a."
        return r"\.?".join(map(re.escape, word)) + r"\.?"

    words = sorted(table["suffixes"], key=len, reverse=True)
    suffix = re.compile(r"[\s,]+(?:" + "|".join(map(dotted, words)) + r")$")
    prefix = re.compile(r"^(?:" + "|".join(map(re.escape, table["prefixes"])) + r") ")
    return suffix, prefix


def name_key(name: str) -> str:
    """'Groupe Société Générale S.A.' → 'societe generale', 'L’Oréal' → "l'oreal"."""
    text = re.sub(r"[\s\-]+", " ", fold(name)).strip(" .,;:")
    suffix, prefix = _legal()
    while True:
        stripped = prefix.sub("", suffix.sub("", text)).strip(" .,;:")
        if stripped == text or not stripped:
            return text
        text = stripped
