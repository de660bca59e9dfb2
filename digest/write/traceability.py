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

from digest.language import amounts, french
from digest.language.fold import fold
from digest.language.places import gazetteer
from digest.write import prose

_NAME = re.compile(r"(?<![\w'’])[^\W\d_a-zß-ÿ][\w]*(?:[-'’][\w]+)*")


@dataclass
class Found:
    """What the sources say, ready to be searched."""

    text: str  # folded, every non-word character as a space
    numbers: list[float]


def _num_pattern(lang: str) -> re.Pattern[str]:
    g = amounts.grammar(lang)
    digits = (
        r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?"
        if lang == "en"
        else r"(\d{1,3}(?:[ \u202f\u00a0.]\d{3})+|\d+)(?:,(\d+))?"
    )
    word = "|".join(sorted([*g.words, *_BIG], key=len, reverse=True))
    words = rf"(?:{word})(?:[\s-]+(?:et[\s-]+)?(?:{word}))*"
    scale = "|".join(sorted(_scales(lang), key=len, reverse=True))
    return re.compile(
        rf"(?<![\w,.])(?:{digits}|\b({words})\b)(?:\s*(?:de\s+)?({scale})(?![a-z0-9]))?"
        rf"|\b({'|'.join(g.approximate)})s?\b",
        re.IGNORECASE,
    )


_BIG = ("mille", "thousand")  # number words the reader's grammar joins to the others itself


@cache
def _scales(lang: str) -> dict[str, float]:
    """The scale words of numbers.yaml, in lower case (the pattern ignores case)."""
    return {k.lower(): v for k, v in amounts.grammar(lang).scales.items()}


@cache
def _pattern(lang: str) -> re.Pattern[str]:
    return _num_pattern(lang)


def numbers(text: str, lang: str = "fr") -> list[tuple[float, str]]:
    """Every number of a text with its value and surface: '1,2 milliard' → 1.2e9."""
    g = amounts.grammar(lang)
    out = []
    for m in _pattern(lang).finditer(text.replace("’", "'")):
        whole, frac, word, scale, approx = m.groups()
        if approx:
            out.append((float(g.approximate[approx.lower()]), m[0]))
            continue
        if word:
            value = amounts.number_value(word, lang) or 0.0
        else:
            value = float(re.sub(r"[ \u202f\u00a0.,]", "", whole) + (f".{frac}" if frac else ""))
        if scale:
            value *= _scales(lang)[scale.lower()]
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
        [
            *french.approximations().values(),
            *(w for ws in french.QUALIFIER_WORDS.values() for w in ws),
        ]
    )
    return prose.own_words() | {fold(w) for w in re.findall(r"[^\W\d_]+", extra)}


def has(source: Found, name: str) -> bool:
    """Whether the sources name it (a country also through its adjective)."""
    flat = _flat(name)
    if f" {flat} " in source.text:
        return True
    country = gazetteer().lookup(name)
    if country is None or country.kind != "country":
        return False
    return any(f" {_flat(w)} " in source.text for w in gazetteer().country_words(country.name))


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
