"""Regions from INSEE's code officiel géographique: every commune, not a hand list of cities."""

from __future__ import annotations

import gzip
import json
from importlib import resources

import pytest

from digest.language import data
from digest.language.build_communes import build
from digest.language.regions import cog, region_of, region_of_place
from digest.models import Story


@pytest.mark.parametrize(
    ("place", "region"),
    [
        ("Vitré", "Bretagne"),  # communes the old list of 286 cities did not have
        ("Bègles", "Nouvelle-Aquitaine"),
        ("Illkirch-Graffenstaden", "Grand Est"),
        ("Pointe-à-Pitre", "Guadeloupe"),
        ("rueil malmaison", "Île-de-France"),  # case, accents and hyphens aside
        ("Gironde", "Nouvelle-Aquitaine"),  # a département
        ("Occitanie", "Occitanie"),  # a région
        ("Cherbourg-Octeville", "Normandie"),  # an old commune, now part of a merged one
        ("Sophia Antipolis", "Provence-Alpes-Côte d'Azur"),  # a business district, no commune
    ],
)
def test_a_place_maps_to_its_region(place: str, region: str) -> None:
    assert region_of_place(place) == region


def test_homonyms_far_apart_stay_unknown_else_the_most_populous() -> None:
    assert region_of_place("Saint-Denis") is None  # Seine-Saint-Denis or La Réunion: unknown
    assert region_of_place("Valence") == "Auvergne-Rhône-Alpes"  # the Drôme's, 5x the next
    assert region_of_place("Atlantis-sur-Mer") is None


def test_the_table_is_complete_and_compact() -> None:
    table = cog()
    assert len(table.regions) >= 18 and len(table.departements) >= 101
    assert len(table.places) > 30_000
    size = len(resources.files(data).joinpath("communes.tsv.gz").read_bytes())
    assert size < 300 * 1024
    text = gzip.decompress(resources.files(data).joinpath("communes.tsv.gz").read_bytes())
    assert text.decode("utf-8").count("\nC\t") > 30_000


def test_a_story_falls_back_to_its_country() -> None:
    assert region_of(Story("a", locations=["Atlantis-sur-Mer", "Pessac"])) == "Nouvelle-Aquitaine"
    assert region_of(Story("b", country="Allemagne")) == "Allemagne"
    assert region_of(Story("c", locations=["Atlantis-sur-Mer"], country="France")) == "France"


def test_the_table_is_rebuilt_from_the_package_data(tmp_path) -> None:
    def commune(name: str, dep: str, people: int, kind: str = "commune-actuelle") -> dict:
        return {"nom": name, "departement": dep, "population": people, "type": kind}

    (tmp_path / "regions.json").write_text(
        json.dumps([{"code": "53", "nom": "Bretagne"}, {"code": "84", "nom": "Auvergne"}])
    )
    (tmp_path / "departements.json").write_text(
        json.dumps(
            [
                {"code": "35", "nom": "Ille-et-Vilaine", "region": "53"},
                {"code": "22", "nom": "Côtes-d'Armor", "region": "53"},
                {"code": "63", "nom": "Puy-de-Dôme", "region": "84"},
            ]
        )
    )
    communes = [
        commune("Rennes", "35", 220_000),
        commune("Plouër", "22", 3_000),
        commune("Plouër", "35", 2_000),  # homonyms in one région: the région is known
        commune("Bourg", "35", 10_000),
        commune("Bourg", "63", 9_000),  # homonyms far apart, as large: unknown
        commune("Cité", "35", 50_000),
        commune("Cité", "63", 500),  # the most populous by far
        commune("Vieux-Bourg", "63", 0, "commune-deleguee"),
    ]
    (tmp_path / "communes.json").write_text(json.dumps(communes))
    lines = build(tmp_path)
    assert "C\tRennes\t35" in lines and "C\tPlouër\t22" in lines and "C\tCité\t35" in lines
    assert "C\tVieux-Bourg\t63" in lines and not [ln for ln in lines if "\tBourg\t" in ln]
    assert "D\t63\tPuy-de-Dôme\t84" in lines and "R\t53\tBretagne" in lines
