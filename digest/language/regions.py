"""Where a story happens, as a reader of a French newsletter groups it: a region of France, else
the country ("du côté des territoires" in the MaddyMoney round-ups)."""

from __future__ import annotations

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

_CITIES = {
    "Auvergne-Rhône-Alpes": (
        "Lyon, Grenoble, Saint-Étienne, Clermont-Ferrand, Annecy, Villeurbanne, Chambéry, "
        "Valence, Roanne, Vienne, Montélimar"
    ),
    "Bourgogne-Franche-Comté": (
        "Dijon, Besançon, Belfort, Montbéliard, Chalon-sur-Saône, Auxerre, Mâcon"
    ),
    "Bretagne": ("Rennes, Brest, Quimper, Lorient, Vannes, Saint-Malo, Lannion, Saint-Brieuc"),
    "Centre-Val de Loire": ("Orléans, Tours, Bourges, Blois, Chartres, Châteauroux"),
    "Corse": ("Ajaccio, Bastia"),
    "Grand Est": ("Strasbourg, Reims, Metz, Nancy, Mulhouse, Colmar, Troyes, Charleville-Mézières"),
    "Hauts-de-France": (
        "Lille, Amiens, Roubaix, Tourcoing, Dunkerque, Calais, Valenciennes, Douai, "
        "Arras, Compiègne, Beauvais, Lens, Béthune"
    ),
    "Île-de-France": (
        "Paris, Saclay, Boulogne-Billancourt, Issy-les-Moulineaux, Nanterre, Courbevoie, "
        "La Défense, Saint-Denis, Montreuil, Versailles, Massy, Évry, Cergy, Créteil, "
        "Vitry-sur-Seine, Neuilly-sur-Seine, Levallois-Perret, Rueil-Malmaison, "
        "Palaiseau, Marne-la-Vallée, Saint-Ouen, Clichy, Ivry-sur-Seine, Puteaux"
    ),
    "Normandie": ("Rouen, Caen, Le Havre, Cherbourg, Évreux, Alençon"),
    "Nouvelle-Aquitaine": (
        "Bordeaux, Limoges, Poitiers, Pau, Bayonne, Biarritz, La Rochelle, Angoulême, "
        "Mérignac, Pessac, Niort"
    ),
    "Occitanie": (
        "Toulouse, Montpellier, Nîmes, Perpignan, Béziers, Albi, Montauban, Tarbes, Sète, Blagnac"
    ),
    "Pays de la Loire": ("Nantes, Angers, Le Mans, Saint-Nazaire, La Roche-sur-Yon, Laval, Cholet"),
    "Provence-Alpes-Côte d'Azur": (
        "Marseille, Nice, Toulon, Aix-en-Provence, Avignon, Cannes, Antibes, Sophia "
        "Antipolis, Fos-sur-Mer, Gap, Arles"
    ),
}


def _city_table() -> dict[str, str]:
    table = {name_key(r): r for r in REGIONS}
    for region, cities in _CITIES.items():
        for city in cities.split(", "):
            table[name_key(city)] = region
    return table


_TABLE = _city_table()


def region_of(story: Story) -> str | None:
    """The French region of the story's first known place, else its country, else None."""
    for place in story.locations:
        region = _TABLE.get(name_key(place))
        if region:
            return region
    if story.country and story.country != "France":
        return story.country
    return "France" if story.country == "France" or story.locations else None
