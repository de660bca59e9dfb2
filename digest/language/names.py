"""Organisation names: the alias table ("AWS" → Amazon) and the organisations named in a text.

The table is data (digest/language/data/aliases.yaml, plus the files of `reading.aliases`); matching
ignores case and accents but a capitalised alias only matches a capitalised word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from digest.config import Config, ConfigError, load_yaml
from digest.language import data
from digest.language.fold import fold_spans, name_key


@dataclass
class Org:
    """An organisation named in a text, at text offsets, under its canonical name."""

    start: int
    end: int
    name: str
    surface: str
    source: str  # alias | ner | caps | descriptor


class Aliases:
    """The alias table: canonical names, their other names, descriptors, non-organisations."""

    def __init__(self, tables: list[dict]) -> None:
        self.canonical: dict[str, str] = {}
        self.descriptors: dict[str, str] = {}
        self.excluded: set[str] = set()
        for table in tables:
            for name, others in (table.get("names") or {}).items():
                for alias in [name, *(others or [])]:
                    self.canonical[name_key(str(alias))] = str(name)
            for name, phrases in (table.get("descriptors") or {}).items():
                for phrase in phrases or []:
                    self.descriptors[name_key(phrase)] = str(name)
            self.excluded |= {name_key(w) for w in table.get("not_organisations") or []}
        self._capital = {name_key(a): a[:1].isupper() for t in tables for a in _all_names(t)}
        names = sorted(self.canonical, key=len, reverse=True)
        self._names = re.compile(r"(?<![\w@])(?:" + "|".join(map(_loose, names)) + r")(?![\w])")
        descr = sorted(self.descriptors, key=len, reverse=True)
        self._descr = re.compile(r"\b(?:" + "|".join(map(_loose, descr)) + r")\b")

    def name(self, text: str) -> str:
        """The canonical name of a name as written (unknown names come back tidied)."""
        k = name_key(text)
        if k in self.canonical:
            return self.canonical[k]
        return re.sub(r"\s+", " ", text).strip(" .,;:«»\"'’()")

    def is_excluded(self, text: str) -> bool:
        k = name_key(text)
        return k in self.excluded or k.removeprefix("l'") in self.excluded

    def find(self, text: str) -> list[Org]:
        """Every known organisation named in a text, longest names first, no overlaps."""
        folded, starts, ends = fold_spans(text)
        found = []
        for m in self._names.finditer(folded):
            k, a, b = name_key(m.group(0)), starts[m.start()], ends[m.end() - 1]
            if self._capital.get(k, False) and not text[a].isupper():
                continue
            found.append(Org(a, b, self.canonical[k], text[a:b], "alias"))
        return found

    def find_descriptors(self, text: str) -> list[Org]:
        """Phrases such as "la firme de Redmond", with the organisation they stand for."""
        folded, starts, ends = fold_spans(text)
        found = []
        for m in self._descr.finditer(folded):
            a, b = starts[m.start()], ends[m.end() - 1]
            found.append(Org(a, b, self.descriptors[name_key(m.group(0))], text[a:b], "descriptor"))
        return found


def _all_names(table: dict) -> list[str]:
    return [str(a) for n, o in (table.get("names") or {}).items() for a in [n, *(o or [])]]


def _loose(k: str) -> str:
    """A folded name as a pattern where a space also matches a hyphen or a line break."""
    return r"[\s\-]+".join(re.escape(p) for p in k.split(" "))


def _read(path: Path | None) -> dict:
    if path is None:
        return data.load("aliases.yaml") or {}
    try:
        table = load_yaml(path.read_text(encoding="utf-8")) or {}
    except OSError as e:
        raise ConfigError(f"reading.aliases: cannot read {path} ({e.strerror})") from None
    except yaml.YAMLError as e:
        raise ConfigError(f"reading.aliases: {path} is not valid YAML ({e})") from None
    if not isinstance(table, dict) or not set(table) <= {
        "names",
        "descriptors",
        "not_organisations",
    }:
        raise ConfigError(
            f"reading.aliases: {path} must be a mapping with names:, descriptors: and/or "
            "not_organisations: (see digest/language/data/aliases.yaml)"
        )
    return table


def load_aliases(config: Config | None = None) -> Aliases:
    """The shipped table, then the operator's files of `reading.aliases` (theirs win)."""
    extra = tuple(str(config.resolve(p)) for p in config.reading.aliases) if config else ()
    return _load(extra)


@cache
def _load(extra: tuple[str, ...]) -> Aliases:
    return Aliases([_read(None), *(_read(Path(p)) for p in extra)])
