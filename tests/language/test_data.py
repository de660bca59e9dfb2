"""The data files an operator edits (digest/language/data/*.yaml) stay loadable: every pattern
compiles, every list holds text, every alias and place has a name."""

from __future__ import annotations

import re
from importlib import resources

import pytest
import yaml

from digest.language.lexicon import lexicon
from digest.language.names import load_aliases
from digest.language.places import gazetteer

DATA = (
    "aliases.yaml",
    "company_words.yaml",
    "country_words.yaml",
    "labels_fr.yaml",
    "languages.yaml",
    "legal_suffixes.yaml",
    "numbers.yaml",
    "patterns.yaml",
    "places.yaml",
)


def _leaves(node: object, path: str = "") -> list[tuple[str, object]]:
    if isinstance(node, dict):
        return [leaf for k, v in node.items() for leaf in _leaves(v, f"{path}.{k}")]
    if isinstance(node, list):
        return [leaf for v in node for leaf in _leaves(v, path)]
    return [(path, node)]


@pytest.mark.parametrize("name", DATA)
def test_every_entry_is_text_or_a_number(name: str) -> None:
    text = resources.files("digest.language.data").joinpath(name).read_text(encoding="utf-8")
    bad = [
        (path, value)
        for path, value in _leaves(yaml.safe_load(text))
        if not isinstance(value, str | int | float) or isinstance(value, bool)
    ]
    assert bad == [], f"{name}: entries that YAML did not read as text (quote them): {bad}"


def test_every_phrase_pattern_compiles() -> None:
    text = (
        resources.files("digest.language.data")
        .joinpath("patterns.yaml")
        .read_text(encoding="utf-8")
    )
    for _path, value in _leaves(yaml.safe_load(text)):
        re.compile(str(value))  # raises with the pattern in the message
    assert lexicon().investment_verbs.search("Orvale va investir 3 M€")


def test_the_tables_load() -> None:
    aliases = load_aliases()
    assert aliases.name("Amazon Web Services") == "Amazon"
    assert aliases.name("aws") == "Amazon"
    assert gazetteer().lookup("Petit-Landau") is not None
    assert gazetteer().country("Mulhouse") == "France"


def test_every_country_with_words_is_a_country_of_the_gazetteer() -> None:
    text = resources.files("digest.language.data").joinpath("country_words.yaml")
    for country in yaml.safe_load(text.read_text(encoding="utf-8")):
        place = gazetteer().lookup(country)
        assert place is not None and place.kind == "country", country
        assert len(gazetteer().country_words(country)) > 1
