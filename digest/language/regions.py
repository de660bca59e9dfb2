"""Where a story happens, as a reader of a French newsletter groups it: a region of France, else
the country ("du côté des territoires" in the MaddyMoney round-ups). Communes, départements
and régions come from INSEE's code officiel géographique (data/communes.tsv.gz)."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import cache
from importlib import resources

from digest.language import data
from digest.language.fold import name_key
from digest.models import Story

REGIONS = (
    "Auvergne-Rhône-Alpes",
    "Bourgogne-Franche-Comté",
    "Bretagne",
    "Centre-Val de Loire",
    "Corse",
    "Grand Est",
    "Hauts-de-France",
    "Île-de-France",
    "Normandie",
    "Nouvelle-Aquitaine",
    "Occitanie",
    "Pays de la Loire",
    "Provence-Alpes-Côte d'Azur",
    "Guadeloupe",
    "Martinique",
    "Guyane",
    "La Réunion",
    "Mayotte",
)

# names in use that are no commune's official one (business districts, the short name of a
# merged commune), by département code; a département's name wins over a commune's ("Vienne")
_USUAL = {
    "Cherbourg": "50",
    "Évry": "91",
    "Saint-Ouen": "93",
    "La Défense": "92",
    "Sophia Antipolis": "06",
    "Marne-la-Vallée": "77",
    "Paris-Saclay": "91",
    "Plateau de Saclay": "91",
}


@dataclass(frozen=True)
class Cog:
    """INSEE's code officiel géographique, folded names to codes (data/communes.tsv.gz, built by
    digest.language.build_communes)."""

    regions: dict[str, str]  # région code → name
    departements: dict[str, str]  # département code → région code
    places: dict[str, str]  # folded name of a région, département or commune → région code


@cache
def cog() -> Cog:
    """The table, read once on first use (34 000 lines)."""
    raw = resources.files(data).joinpath("communes.tsv.gz").read_bytes()
    regions: dict[str, str] = {}
    departements: dict[str, str] = {}
    places: dict[str, str] = {}
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        kind, *fields = line.split("\t")
        if kind == "R":
            code, name = fields
            regions[code] = name
            places[name_key(name)] = code
        elif kind == "D":
            code, name, region = fields
            departements[code] = region
            places.setdefault(name_key(name), region)
        else:
            name, dep = fields
            places.setdefault(name_key(name), departements[dep])
    for name, dep in _USUAL.items():
        places[name_key(name)] = departements[dep]
    return Cog(regions, departements, places)


def region_of_place(place: str) -> str | None:
    """The French région of a commune, département or région name; None when unknown or when
    several communes far apart share the name (see build_communes)."""
    table = cog()
    code = table.places.get(name_key(place))
    return table.regions[code] if code else None


def region_of(story: Story) -> str | None:
    """The French region of the story's first known place, else its country, else None."""
    for place in story.locations:
        region = region_of_place(place)
        if region:
            return region
    if story.country and story.country != "France":
        return story.country
    return "France" if story.country == "France" or story.locations else None
