"""Places: countries, regions, cities and sites named in a text, from the gazetteer
(digest/language/data/places.yaml) and from NER locations introduced by a cue word
("à", "près de")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from digest.language import data
from digest.language.fold import fold_spans, name_key


@dataclass
class Place:
    start: int
    end: int
    name: str  # canonical (French) name
    kind: str  # country | region | city | site
    country: str | None


class Gazetteer:
    """Every place name of the gazetteer, matched whole-word, accent- and case-insensitively."""

    def __init__(self, data: dict) -> None:
        self.entries: dict[str, tuple[str, str, str | None]] = {}
        self._capital: dict[str, bool] = {}
        for name, others in data["countries"].items():
            self._add(name, others, "country", name)
        for name, others in data["regions"].items():
            self._add(name, others, "region", "France")
        for name, others in data["cities"].items():
            self._add(name, others, "city", "France")
        for name, country in data["foreign_cities"].items():
            self._add(name, [], "city", country)
        for name in data.get("areas") or []:
            self._add(name, [], "area", None)
        names = sorted(self.entries, key=len, reverse=True)
        alts = "|".join(r"[\s\-]+".join(map(re.escape, n.split(" "))) for n in names)
        self._pattern = re.compile(rf"(?<![\w])(?:{alts})(?![\w])")

    def _add(self, name: str, others: list[str] | None, kind: str, country: str | None) -> None:
        for alias in [name, *(others or [])]:
            k = name_key(alias)
            self.entries[k] = (name, kind, country)
            self._capital[k] = alias[:1].isupper()

    def lookup(self, text: str) -> Place | None:
        """The gazetteer entry of a place name, if any (offsets 0, len)."""
        k = name_key(text)
        entry = self.entries.get(k) or self.entries.get(k.removeprefix("l'"))
        return Place(0, len(text), *entry) if entry else None

    def find(self, text: str) -> list[Place]:
        """Every place of the gazetteer named in a text, at text offsets."""
        folded, starts, ends = fold_spans(text)
        found = []
        for m in self._pattern.finditer(folded):
            k, a, b = name_key(m.group(0)), starts[m.start()], ends[m.end() - 1]
            if self._capital.get(k) and not text[a].isupper():
                continue
            found.append(Place(a, b, *self.entries[k]))
        return found

    def country(self, name: str | None) -> str | None:
        """The canonical country of a place or country name."""
        if not name:
            return None
        entry = self.entries.get(name_key(name))
        return entry[2] if entry else None

    def country_words(self, country: str) -> list[str]:
        """Every word that says a country, folded: its names here and in places.yaml, and its
        adjectives and nicknames (country_words.yaml)."""
        names = [k for k, (name, kind, _) in self.entries.items() if kind == "country"]
        names = [k for k in names if self.entries[k][0] == country]
        return names + [name_key(w) for w in _country_words().get(country) or []]

    def canonical(self, name: str) -> str:
        """The canonical name of a place as written; unknown places come back tidied."""
        entry = self.entries.get(name_key(name))
        return entry[0] if entry else re.sub(r"\s+", " ", name).strip(" .,;:")


@cache
def _country_words() -> dict[str, list[str]]:
    return data.load("country_words.yaml")


@cache
def gazetteer() -> Gazetteer:
    return Gazetteer(data.load("places.yaml"))
