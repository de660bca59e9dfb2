"""Zero invented facts: every number, name and place written in a headline or summary must be
present in at least one source of the story (a fact's sentence, an item's title or text).

Numbers compare by value ("4 milliards" is found as "4 Md€", "4 000 millions" or "quatre
milliards"); names and places by their folded form (case, accents and hyphens aside). Words of
our own phrases are not facts and pass. A story failing the check is held back, never sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from digest.language import french
from digest.language.fold import fold
from digest.write import prose

_SCALES_FR = {
    "billion": 1e12, "billions": 1e12, "milliard": 1e9, "milliards": 1e9, "md": 1e9, "mds": 1e9,
    "mrd": 1e9, "mrds": 1e9, "mdr": 1e9, "million": 1e6, "millions": 1e6, "m": 1e6, "mn": 1e6,
    "mille": 1e3, "k": 1e3,
}  # fmt: skip
_SCALES_EN = {
    "trillion": 1e12, "trillions": 1e12, "billion": 1e9, "billions": 1e9, "bn": 1e9, "b": 1e9,
    "million": 1e6, "millions": 1e6, "m": 1e6, "mn": 1e6, "thousand": 1e3, "k": 1e3,
}  # fmt: skip
_WORDS = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
    "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40,
    "cinquante": 50, "soixante": 60, "septante": 70, "nonante": 90, "cent": 100, "cents": 100,
    "mille": 1000, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "ten": 10,
    "twenty": 20, "fifty": 50, "hundred": 100, "thousand": 1000,
}  # fmt: skip
_APPROX = {
    "dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30,
    "quarantaine": 40, "cinquantaine": 50, "soixantaine": 60, "centaine": 100, "millier": 1000,
}  # fmt: skip
# a country is also present through its adjective or a common name for it
_COUNTRY_WORDS = {
    "france": ("francais", "francaise", "hexagone", "french", "tricolore"),
    "etats-unis": ("americain", "americaine", "us", "usa", "united states", "american"),
    "royaume-uni": ("britannique", "uk", "united kingdom", "british", "angleterre"),
    "allemagne": ("allemand", "allemande", "germany", "german"),
    "espagne": ("espagnol", "espagnole", "spain", "spanish"),
    "italie": ("italien", "italienne", "italy", "italian"),
    "belgique": ("belge", "belgium", "belgian"),
    "suisse": ("switzerland", "swiss", "helvetique"),
    "pays-bas": ("neerlandais", "neerlandaise", "netherlands", "dutch", "hollande"),
    "japon": ("japonais", "japonaise", "japan", "japanese"),
    "chine": ("chinois", "chinoise", "china", "chinese"),
    "inde": ("indien", "indienne", "india", "indian"),
    "canada": ("canadien", "canadienne", "canadian"),
    "maroc": ("marocain", "marocaine", "morocco", "moroccan"),
}
_NAME = re.compile(r"(?<![\w'’])[^\W\d_a-zß-ÿ][\w]*(?:[-'’][\w]+)*")


@dataclass
class Found:
    """What the sources say, ready to be searched."""

    text: str  # folded, every non-word character as a space
    numbers: list[float]


def _num_pattern(lang: str) -> re.Pattern[str]:
    scales = _SCALES_EN if lang == "en" else _SCALES_FR
    digits = (
        r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?"
        if lang == "en"
        else r"(\d{1,3}(?:[ \u202f\u00a0.]\d{3})+|\d+)(?:,(\d+))?"
    )
    word = "|".join(sorted(_WORDS, key=len, reverse=True))
    words = rf"(?:{word})(?:[\s-]+(?:et[\s-]+)?(?:{word}))*"
    scale = "|".join(sorted(scales, key=len, reverse=True))
    return re.compile(
        rf"(?<![\w,.])(?:{digits}|\b({words})\b)(?:\s*(?:de\s+)?({scale})(?![a-z0-9]))?"
        rf"|\b({'|'.join(_APPROX)})s?\b",
        re.IGNORECASE,
    )


@cache
def _pattern(lang: str) -> re.Pattern[str]:
    return _num_pattern(lang)


def _spelled(words: str) -> float:
    """'trois cents' → 300, 'deux cent cinquante' → 250, 'quatre-vingt-dix' → 90."""
    total, current = 0, 0
    for w in re.split(r"[\s-]+", words.lower()):
        n = _WORDS.get(w)
        if n is None:
            continue  # "et"
        if n == 100:
            current = (current or 1) * 100
        elif n == 1000:
            total, current = total + (current or 1) * 1000, 0
        elif n == 20 and 1 < current < 10:
            current *= 20  # quatre-vingts
        else:
            current += n
    return float(total + current)


def numbers(text: str, lang: str = "fr") -> list[tuple[float, str]]:
    """Every number of a text with its value and surface: '1,2 milliard' → 1.2e9."""
    scales = _SCALES_EN if lang == "en" else _SCALES_FR
    out = []
    for m in _pattern(lang).finditer(text.replace("’", "'")):
        whole, frac, word, scale, approx = m.groups()
        if approx:
            out.append((float(_APPROX[approx.lower()]), m[0]))
            continue
        if word:
            value = _spelled(word)
        else:
            value = float(re.sub(r"[ \u202f\u00a0.,]", "", whole) + (f".{frac}" if frac else ""))
        if scale:
            value *= scales[scale.lower()]
        elif word and value < 2:
            continue  # a bare "un" is an article, not a number
        out.append((value, m[0]))
    return out


def _flat(text: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", fold(text)).split())


def found(texts: Iterable[tuple[str, str]]) -> Found:
    """Index the sources: (text, lang) pairs."""
    texts = list(texts)
    values = [v for text, lang in texts for v, _ in numbers(text, lang)]
    # "3.000 emplois" may be three thousand or three: keep both readings
    values += [v for text, _ in texts for v, _ in numbers(text, "en")]
    return Found(" " + " ".join(_flat(t) for t, _ in texts) + " ", values)


@cache
def own_words() -> frozenset[str]:
    """Our phrases' words and the words the French formatter adds: never facts."""
    extra = " ".join(
        [*french.APPROX.values(), *(w for ws in french.QUALIFIER_WORDS.values() for w in ws)]
    )
    return prose.own_words() | {fold(w) for w in re.findall(r"[^\W\d_]+", extra)}


def has(source: Found, name: str) -> bool:
    """Whether the sources name it (a country also through its adjective)."""
    flat = _flat(name)
    if f" {flat} " in source.text:
        return True
    return any(f" {w} " in source.text for w in _COUNTRY_WORDS.get(fold(name), ()))


def problems(text: str, source: Found, outlets: list[str]) -> list[str]:
    """What the text says that no source says, as short French notes for the editor.

    outlets: names the text may cite without a source saying them (the outlets of "selon X",
    and names the sources give under another of their aliases).
    """
    out = []
    for value, surface in numbers(text):
        if not any(abs(value - v) <= 1e-6 * max(value, 1.0) for v in source.numbers):
            out.append(f"le nombre « {surface} »")
    cited = " " + " ".join(_flat(o) for o in outlets) + " "
    for m in _NAME.finditer(text):
        name = re.sub(r"^[LlDd]['’]", "", m[0])  # "L'État", "D'Amazon": the article is ours
        if fold(name) in own_words() or f" {_flat(name)} " in cited:
            continue
        if not has(source, name):
            out.append(f"le nom « {name} »")
    return out
