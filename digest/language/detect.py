"""The language of an item: detected on its text when the detector is sure, else as declared.

Detection is py3langid's naive Bayes model, shipped in its wheel (4 MB, no download, about
0.5 ms an item); the languages, the confidence bar and the names a feed may declare are data:
digest/language/data/languages.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from digest.language import data

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

DEFAULT = "fr"
_CODE = re.compile(r"([a-z]{2,3})(?:[-_][a-z0-9]+)*")
_WORD = re.compile(r"[^\W\d_]+")


@cache
def settings() -> dict[str, Any]:
    return data.load("languages.yaml")


@cache
def identifier() -> LanguageIdentifier:
    """The detector, restricted to the languages of languages.yaml (loaded once, ~0.5 s)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(settings()["detect"])
    return ident


@cache
def cue_languages() -> dict[str, str]:
    """Each cue word of languages.yaml → its language."""
    return {word: lang for lang, words in settings()["cues"].items() for word in words}


def cue_counts(text: str) -> dict[str, int]:
    """How many cue words of each language the start of the text holds."""
    cues = cue_languages()
    found: dict[str, int] = {}
    for word in _WORD.findall(text[: settings()["cue_chars"]].lower()):
        lang = cues.get(word)
        if lang:
            found[lang] = found.get(lang, 0) + 1
    return found


def cued(text: str) -> str | None:
    """The language whose cue words the start of the text holds (at least cue_words of them)
    when it holds none of another language's, else None."""
    found = cue_counts(text)
    if len(found) != 1:
        return None
    ((lang, count),) = found.items()
    return lang if count >= settings()["cue_words"] else None


def declared(value: object) -> str | None:
    """A declared language as a 2-letter code: "en-US", "fr_FR", "English" → en, fr, en."""
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    if text in settings()["names"]:
        return settings()["names"][text]
    m = _CODE.fullmatch(text)
    return m.group(1) if m and len(m.group(1)) == 2 else None


def detect(text: str) -> str | None:
    """The language of a text when the detector is confident, else None."""
    sample = text[: settings()["sample_chars"]]
    if not re.search(r"[^\W\d_]{2}", sample):
        return None
    first = settings()["first_look_chars"]  # most texts are clear early: read the rest only if not
    if len(sample) > first:
        found = _confident(sample[:first])
        if found:
            return found
    return _confident(sample)


def _confident(sample: str) -> str | None:
    lang, probability = identifier().classify(sample)
    return lang if probability >= settings()["confident"] else None


def _fallback(declared_langs: tuple[str | None, ...]) -> str:
    return next((d for d in map(declared, declared_langs) if d), DEFAULT)


def item_language(title: str, text: str, *declared_langs: str | None) -> str:
    """Detected on title and text when confident, else the first declared language (the
    entry's, the feed's, feeds.yaml's), else French. The detector is not asked when the cue
    words of the text are all of that language (see languages.yaml, cues)."""
    fallback = _fallback(declared_langs)
    sample = f"{title}\n{text}"[: settings()["sample_chars"]]
    if cued(sample) == fallback:
        return fallback
    return detect(sample) or fallback


def _pooled_language(items: Sequence[tuple[str, str, str | None]]) -> str | None:
    """The language detected on the heads of a feed's items, joined (pool_chars of each)."""
    s = settings()
    heads: list[str] = []
    size = 0
    for title, text, _ in items:
        heads.append(f"{title}\n{text}"[: s["pool_chars"]])
        size += len(heads[-1]) + 1
        if size >= s["sample_chars"]:
            break
    return detect("\n".join(heads))


def feed_languages(
    items: Sequence[tuple[str, str, str | None]], *feed_langs: str | None
) -> list[str]:
    """The language of each (title, text, declared language) of one feed, feed_langs being the
    feed's and feeds.yaml's: as item_language gives it, except that the items are first
    detected once together, and when that confirms the language an item would get without
    detection, an item holding cue words of that language only (even fewer than cue_words)
    keeps it, undetected (languages.yaml, pool_chars)."""
    s = settings()
    pooled: list[str | None] = []  # [the feed's detected language], once asked

    def feed_detected() -> str | None:
        if not pooled:
            pooled.append(_pooled_language(items))
        return pooled[0]

    langs = []
    for title, text, entry_lang in items:
        fallback = _fallback((entry_lang, *feed_langs))
        sample = f"{title}\n{text}"[: s["sample_chars"]]
        found = cue_counts(sample)
        if set(found) == {fallback} and (
            found[fallback] >= s["cue_words"] or feed_detected() == fallback
        ):
            langs.append(fallback)
        else:
            langs.append(detect(sample) or fallback)
    return langs
