"""Text similarity for grouping: TF-IDF over words and entities, with document frequencies
counted online (Miranda et al. 2018 keep theirs the same way), so nothing is refitted per poll.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping

from digest.language.fold import fold

_WORD = re.compile(r"[a-z][a-z0-9]+")
_STOP_WORDS = """
au aux avec ce ces cet cette dans de des du elle en et il ils je la le les leur leurs lui ma mais
me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes
toi ton tu un une vos votre vous est sont ete etre avoir fait faire plus moins tres aussi ainsi
comme dont entre apres avant chez depuis selon sous vers sans si deja encore tout tous toute
toutes autre autres annonce annoncent mardi lundi mercredi jeudi vendredi samedi dimanche
millions million milliard milliards euros euro dollars dollar
the a an and or of to in on for with by at from as is are was were be been has have had its
it this that these those will would can could into over about after before than their our
said says new also more which who his her they them we you not but
"""
_STOP = frozenset(_STOP_WORDS.split())
MAX_TERMS = 120  # a story keeps its heaviest terms only: its cost stays flat as it grows


def _stem(word: str) -> str:
    """A light plural strip, enough for 'investissements' to meet 'investissement'."""
    if len(word) > 4 and word[-1] in "sx" and word[-2] != "s":
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """Content words of a text, folded and lightly stemmed."""
    return [_stem(w) for w in _WORD.findall(fold(text)) if w not in _STOP]


def term_counts(text: str, entities: Iterable[str] = ()) -> Counter[str]:
    """Word terms plus entity terms ('e:' + folded name), counted."""
    counts = Counter(words(text))
    for name in entities:
        if name:
            counts["e:" + fold(name).strip()] += 2
    return counts


def prune(counts: Mapping[str, float], limit: int = MAX_TERMS) -> dict[str, float]:
    """The `limit` heaviest terms (ties broken by the term, so the result is deterministic)."""
    if len(counts) <= limit:
        return dict(counts)
    best = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return dict(best)


class Vocabulary:
    """Document frequencies, counted as documents arrive; `added` keeps what is new since load."""

    def __init__(self, df: Mapping[str, int] | None = None, documents: int = 0) -> None:
        self.df: dict[str, int] = dict(df or {})
        self.documents = documents
        self.added: Counter[str] = Counter()
        self.added_documents = 0

    def add(self, terms: Iterable[str]) -> None:
        """Count one document holding these terms."""
        self.documents += 1
        self.added_documents += 1
        for term in set(terms):
            self.df[term] = self.df.get(term, 0) + 1
            self.added[term] += 1

    def idf(self, term: str) -> float:
        return math.log((self.documents + 1) / (self.df.get(term, 0) + 1)) + 1.0


def cosine(a: Mapping[str, float], b: Mapping[str, float], vocabulary: Vocabulary) -> float:
    """Cosine of two term-count vectors, each term weighted (1 + log tf) × idf."""
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = 0.0
    for term, tf in a.items():
        other = b.get(term)
        if other:
            dot += _w(tf) * _w(other) * vocabulary.idf(term) ** 2
    if dot == 0.0:
        return 0.0
    return dot / (_norm(a, vocabulary) * _norm(b, vocabulary))


def _w(tf: float) -> float:
    return 1.0 + math.log(tf) if tf >= 1 else tf


def _norm(vector: Mapping[str, float], vocabulary: Vocabulary) -> float:
    return math.sqrt(sum((_w(tf) * vocabulary.idf(t)) ** 2 for t, tf in vector.items()))
