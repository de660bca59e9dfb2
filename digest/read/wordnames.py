"""A deal's company that is a word, not a name: a connector or an article opening it ("Malgré",
"Cela", "And Thursday", "If Envision": spaCy's French and English function words), a common
noun the model knows, written after a determiner ("la PME savoyarde Fermatik", "le Conseil
régional"), or the end of a picture's credit ("/ Germany OUT"). Such a draft takes the name its
sentence gives right after the word, else the nearest other name of its sentences; with none,
it is left for the write stage to hold."""

from __future__ import annotations

import re
from functools import cache

from digest.language.fold import fold
from digest.language.places import gazetteer
from digest.read.clauses import Sent
from digest.read.cues import around
from digest.read.deals import Assembler, Draft

_DETERMINER = re.compile(
    r"(?:^|[\s(«\"'’])(?:la|le|les|l['’]|une?|cette|ce|cet|ces|sa|son|ses|leur|the|a|an|its)\s*$",
    re.I,
)
_ARTICLE = re.compile(
    r"(?:l[ea]s?|l['’]\w*|une?|des|du|the|an?|mon|ma|mes|notre|nos|votre|vos|my|our|your)", re.I
)
AFTER = 40  # characters after the word where the name it describes stands


@cache
def function_words(lang: str = "") -> frozenset[str]:
    """French and English function words (spaCy's lists), folded; of one language if asked."""
    from spacy.lang.en.stop_words import STOP_WORDS as english
    from spacy.lang.fr.stop_words import STOP_WORDS as french

    chosen = {"fr": french, "en": english}.get(lang, french | english)
    return frozenset(fold(w) for w in chosen)


def opens_with_function_word(name: str) -> bool:
    """A connector or a pronoun, or a name opening with one ("Malgré", "Cela", "If Envision");
    an article or a possessive opens many a company's name ("Le Slip Français", "The
    Exploration Company", "Ma French Bank"), and so does an English adverb or noun of the
    stop list ("Back Market"): after the first word only a French one or a short one counts."""
    words = name.split()
    first = words[0] if words else ""
    if not first or first.isupper() or fold(first) not in function_words():
        return False
    if len(words) == 1:
        return True
    if _ARTICLE.fullmatch(first):
        return False
    return fold(first) in function_words("fr") or len(first) <= 3


def is_word(a: Assembler, name: str) -> bool:
    """Whether the item uses this name as a word, not as a company's name."""
    seen = [(s, o) for s in a.sents for o in s.orgs if o.name == name]
    if not seen or any(o.source == "alias" for _, o in seen):
        return False
    if opens_with_function_word(name):
        return True
    if all("photo" in around(s.text, o.start, o.end) for s, o in seen):
        return True  # a picture's credit: "(Photo … / Agence) / Germany OUT"
    return " " not in name.strip() and all(
        a.is_common_name(o) and _DETERMINER.search(s.text[: o.start]) for s, o in seen
    )


def _fine(a: Assembler, d: Draft, name: str) -> bool:
    return name not in d.investors and not is_word(a, name) and gazetteer().lookup(name) is None


def _replacement(a: Assembler, d: Draft, word: str) -> str | None:
    """The name right after the word in one of the draft's sentences, else the nearest name
    of its sentences (in reading order)."""
    sents: list[Sent] = [s for s in a.sents if s.index in d.sentences] or list(a.sents)
    for s in sents:
        for w in (o for o in s.orgs if o.name == word):
            after = [o for o in s.orgs if 0 <= o.start - w.end <= AFTER and _fine(a, d, o.name)]
            if after:
                return after[0].name
    names = [o.name for s in sents for o in s.orgs if o.name != word and _fine(a, d, o.name)]
    return names[0] if names else None


def rename_word_actors(a: Assembler) -> None:
    """Each draft whose company is a word takes the name its sentences give instead."""
    for d in a.drafts:
        for word in {n for n in (d.actor, d.beneficiary) if n and is_word(a, n)}:
            name = _replacement(a, d, word)
            if name is None:
                continue
            d.actor = name if d.actor == word else d.actor
            d.beneficiary = name if d.beneficiary == word else d.beneficiary
            d.investor = name if d.investor == word else d.investor
