"""An actor that is a common word: the reader took a capitalised word at the start of a sentence
("Cet", "Tandis", "Visite") for a company. Such a name is written in lower case elsewhere in the
story's own pages, as a company's name never is; the story is held for the editor. Whether an
actor is the state or a public body as such (no_firms.yaml's `state` forms) is said here too."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from digest.language import data
from digest.read.wordnames import opens_with_function_word


def common_word(name: str, texts: Iterable[str]) -> bool:
    """Whether a one-word name stands in lower case, as a word, in the texts, and never with
    its capital inside a sentence (where a name keeps it: "la fintech Sunday")."""
    word = name.strip()
    if " " in word or not word[:1].isupper() or word.isupper():
        return False  # names of several words, acronyms: not this misreading
    lower = re.compile(rf"(?<![\w-]){re.escape(word.lower())}(?![\w-])")
    named = re.compile(rf"[^\W\d_][,’']?\s+{re.escape(word)}(?![\w-])")
    texts = [t for t in texts if t]
    return any(lower.search(t) for t in texts) and not any(named.search(t) for t in texts)


@cache
def _state() -> re.Pattern[str]:
    forms = data.load("no_firms.yaml")["kinds"]["state"]["patterns"]
    return re.compile("|".join(f"(?:{p})" for p in forms), re.I)


def public_body(name: str) -> bool:
    """The state, a government or a public body as such ("État français", "gouvernement")."""
    return bool(_state().fullmatch(name.strip()))


def held_actor(actors: Iterable[str | None], texts: list[str]) -> str | None:
    """The hold reason when the story's actor is a common word of its pages, or opens with a
    connector or a pronoun ("Malgré", "Cela", "If Envision") the reader found no name for."""
    for name in actors:
        if name and (common_word(name, texts) or opens_with_function_word(name)):
            return f"Acteur lu dans un mot courant\u202f: «\u202f{name}\u202f»"
    return None
