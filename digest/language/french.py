"""French formatting of facts: numbers, amounts, jobs, elision, prepositions of places and lists.

"1,2 milliard d'euros", "4 milliards d'euros", "3 000 emplois" (U+202F as thousands separator),
"d'Amazon", "en France", "au Havre", "à Paris, Marseille et Mulhouse".
"""

from __future__ import annotations

from functools import cache

from babel.numbers import format_decimal

from digest.language import amounts
from digest.language.fold import fold, name_key
from digest.language.places import gazetteer
from digest.language.regions import REGIONS
from digest.models import Amount, Quantity

NNBSP = "\u202f"  # narrow no-break space: thousands separator and before « : ; ! ? »
_VOWELS = set("aeiouyàâäéèêëîïôöùûüœæ")

# currency code → (plural noun, singular noun); the noun decides the elision ("d'euros")
CURRENCIES: dict[str, tuple[str, str]] = {
    "EUR": ("euros", "euro"),
    "USD": ("dollars", "dollar"),
    "GBP": ("livres sterling", "livre sterling"),
    "CHF": ("francs suisses", "franc suisse"),
    "CAD": ("dollars canadiens", "dollar canadien"),
    "AUD": ("dollars australiens", "dollar australien"),
    "JPY": ("yens", "yen"),
    "CNY": ("yuans", "yuan"),
    "INR": ("roupies", "roupie"),
    "SEK": ("couronnes suédoises", "couronne suédoise"),
    "DKK": ("couronnes danoises", "couronne danoise"),
    "NOK": ("couronnes norvégiennes", "couronne norvégienne"),
    "AED": ("dirhams", "dirham"),
    "MAD": ("dirhams", "dirham"),
    "SAR": ("riyals", "riyal"),
}
# (threshold, singular, plural) from the largest down
SCALES = (
    (1e12, "billion", "billions"),
    (1e9, "milliard", "milliards"),
    (1e6, "million", "millions"),
)
# the qualifier words a source may use, the first of each list being the default
QUALIFIER_WORDS = {
    "about": ("environ", "près de", "quelque", "autour de"),
    "at_least": ("plus de", "au moins", "au minimum"),
    "up_to": ("jusqu'à",),
}
COUNTRY_PREPOSITIONS = {
    "France": "en",
    "États-Unis": "aux",
    "Pays-Bas": "aux",
    "Émirats arabes unis": "aux",
    "Philippines": "aux",
    "Royaume-Uni": "au",
    "Japon": "au",
    "Canada": "au",
    "Maroc": "au",
    "Portugal": "au",
    "Luxembourg": "au",
    "Danemark": "au",
    "Brésil": "au",
    "Mexique": "au",
    "Québec": "au",
    "Qatar": "au",
    "Sénégal": "au",
    "Vietnam": "au",
    "Chili": "au",
    "Pérou": "au",
    "Cambodge": "au",
    "Mozambique": "au",
    "Zimbabwe": "au",
    "Nigeria": "au",
    "Kenya": "au",
    "Liban": "au",
    "Bénin": "au",
    "Cameroun": "au",
    "Gabon": "au",
    "Ghana": "au",
    "Rwanda": "au",
    "Singapour": "à",
    "Monaco": "à",
    "Israël": "en",
}
# regions and other places that do not take "à"
PLACE_PREPOSITIONS = {
    "Hauts-de-France": "dans les",
    "Pays de la Loire": "dans les",
    "Grand Est": "dans le",
    "Centre-Val de Loire": "dans le",
    "Grand Paris": "dans le",
    "Nord": "dans le",
    "Var": "dans le",
    "Rhône": "dans le",
    "Finistère": "dans le",
    "Morbihan": "dans le",
    "La Réunion": "à",
    "Mayotte": "à",
    "Loire": "dans la",
    "Somme": "dans la",
    "Manche": "dans la",
    "Sarthe": "dans la",
    "Meuse": "dans la",
    "Marne": "dans la",
    "Vienne": "dans la",
    "Drôme": "dans la",
    "Maine-et-Loire": "dans le",
    # regions and states abroad
    "Texas": "au",
    "Ohio": "dans l'",
    "Arizona": "en",
    "Californie": "en",
    "Floride": "en",
    "Virginie": "en",
    "Brandebourg": "dans le",
    "Bade-Wurtemberg": "dans le",
    "Bavière": "en",
    "Hesse": "en",
    "Saxe": "en",
    "Rhénanie-du-Nord-Westphalie": "en",
    "Catalogne": "en",
    "Andalousie": "en",
    "Lombardie": "en",
    "Wallonie": "en",
    "Flandre": "en",
}


# names that are common nouns take their article: "l'État", "la Région Bretagne"
ARTICLES = {
    "etat": "l'",
    "region": "la ",
    "ville": "la ",
    "departement": "le ",
    "commune": "la ",
    "banque": "la ",
    "caisse": "la ",
    "metropole": "la ",
}


@cache
def approximations() -> dict[int, str]:
    """'une cinquantaine', 'un millier': the approximate nouns of numbers.yaml, by value, for
    round values stated as "about"."""
    nouns = amounts.lexicon()["approximate"]
    return {int(v): ("une " if n.endswith("aine") else "un ") + n for n, v in nouns.items()}


@cache
def _small() -> dict[int, str]:
    """Counts from 2 to 9 in words, as French copy writes them: "cinq emplois"."""
    return {int(v): w for w, v in amounts.lexicon()["words"]["fr"].items() if 2 <= v <= 9}


def subject(name: str) -> str:
    """'Microsoft', "l'État français", 'la Région Bretagne'."""
    first = fold(name).split(" ")[0]
    return ARTICLES.get(first, "") + name


def starts_with_vowel(word: str) -> bool:
    return bool(word) and word[0].lower() in _VOWELS


def de(word: str) -> str:
    """'de Microsoft', "d'Amazon", "d'IBM"."""
    if word.startswith(("le ", "les ")):
        return ("du " if word.startswith("le ") else "des ") + word.split(" ", 1)[1]
    return f"d'{word}" if starts_with_vowel(word) else f"de {word}"


def number(value: float, digits: int = 2) -> str:
    """3 000, 1,2, 12,5: French decimals with U+202F between thousands."""
    rounded = round(value, digits)
    text = format_decimal(
        rounded, format=f"#,##0.{'#' * digits}" if digits else "#,##0", locale="fr_FR"
    )
    return text.replace("\u00a0", NNBSP)


def scaled(value: float) -> tuple[str, bool]:
    """'1,2 milliard', '4 milliards', '800 000': the figure and whether a scale noun ends it."""
    for threshold, one, many in SCALES:
        if value >= threshold:
            n = value / threshold
            if abs(round(n, 3) - n) > 1e-9 * max(n, 1):
                break  # 12 345 678: no scale noun says it exactly
            return f"{number(n, 3)} {one if n < 2 else many}", True
    return number(value, 2), False


def _qualifier_word(qualifier: str, as_stated: str) -> str:
    words = QUALIFIER_WORDS.get(qualifier, ())
    stated = fold(as_stated)
    return next((w for w in words if fold(w) in stated), words[0] if words else "")


def money(value: float, currency: str | None) -> str:
    """'1,2 milliard d'euros', '800 000 euros', '45 millions de dollars', '4 milliards'."""
    figure, has_scale = scaled(value)
    if not currency:
        return figure
    many, one = CURRENCIES.get(currency, (currency, currency))
    if has_scale:
        return f"{figure} {de(many)}"
    return f"{figure} {one if value < 2 else many}"


def amount(a: Amount, *, equivalents: bool = False) -> str:
    """An amount with its qualifier: 'près de 6 milliards d'euros (6,5 milliards de dollars)'."""
    word = _qualifier_word(a.qualifier, a.as_stated)
    text = f"{word} {money(a.value, a.currency)}" if word else money(a.value, a.currency)
    shown = [money(e.value, e.currency) for e in a.equivalents if e.currency != a.currency]
    if equivalents and shown:
        text += f" ({', '.join(shown)})"
    return text


def de_amount(a: Amount, *, equivalents: bool = False) -> str:
    """The amount after a noun: 'de 4 milliards d'euros', 'pouvant atteindre 1 milliard d'euros'."""
    text = amount(a, equivalents=equivalents)
    if a.qualifier == "up_to":
        return "pouvant atteindre " + text.removeprefix("jusqu'à ")
    return de(text) if text.startswith(("environ", "au ")) else f"de {text}"


def count(q: Quantity, singular: str, plural: str) -> str:
    """'3 000 emplois', 'une cinquantaine d'emplois', 'plus de 3 000 emplois', '1 emploi',
    '1 million de personnes'."""
    if q.qualifier == "about" and q.value in approximations():
        return f"{approximations()[q.value]} {de(plural)}"
    figure, has_scale = scaled(q.value) if q.value >= 1e6 else (number(q.value, 0), False)
    figure = _small().get(q.value, figure)
    noun = de(plural) if has_scale else singular if q.value < 2 else plural
    text = f"{figure} {noun}"
    word = _qualifier_word(q.qualifier, q.as_stated)
    return f"{word} {text}" if word else text


def quantity(q: Quantity) -> str:
    """The count alone, as `count` says it, in figures: '1 million', 'jusqu'à 25 000',
    'une cinquantaine' (for a key figure whose label names the thing)."""
    if q.qualifier == "about" and q.value in approximations():
        return approximations()[q.value]
    figure = scaled(q.value)[0] if q.value >= 1e6 else number(q.value, 0)
    word = _qualifier_word(q.qualifier, q.as_stated)
    return f"{word} {figure}" if word else figure


def jobs(q: Quantity) -> str:
    return count(q, "emploi", "emplois")


def in_country(country: str) -> str:
    """'en France', 'aux États-Unis', 'au Japon', 'en Allemagne'."""
    prep = COUNTRY_PREPOSITIONS.get(country)
    if prep is None:
        prep = "en" if starts_with_vowel(country) or country.endswith("e") else "au"
    return f"{prep} {country}"


def at_place(place: str) -> str:
    """'à Paris', 'au Havre', 'aux Ulis', 'en Île-de-France', 'dans les Hauts-de-France'."""
    if place in PLACE_PREPOSITIONS:
        prep = PLACE_PREPOSITIONS[place]
        return f"{prep}{place}" if prep.endswith("'") else f"{prep} {place}"
    if place in REGIONS:
        return f"en {place}"
    if gazetteer().entries.get(name_key(place), ("", ""))[1] == "region":
        return f"{_department(place)}{place}"
    if place.startswith("Le "):
        return f"au {place[3:]}"
    if place.startswith("Les "):
        return f"aux {place[4:]}"
    return f"à {place}"


def _department(name: str) -> str:
    """'en Gironde ', "dans l'Isère ", 'dans les Bouches-du-Rhône ', 'dans le Tarn-et-Garonne '."""
    first = name.split("-")[0]
    if starts_with_vowel(name):
        return "dans l'"
    if first.endswith("s") and first not in ("Pas", "Calvados", "Doubs", "Gers"):
        return "dans les "
    return "en " if first.endswith("e") else "dans le "


def at_places(places: list[str]) -> str:
    """'à Paris, Marseille et Mulhouse'; mixed kinds keep each its own preposition."""
    phrases = [at_place(p) for p in places]
    if all(ph.startswith("à ") for ph in phrases):
        return "à " + join([p.removeprefix("à ") for p in phrases])
    return join(phrases)


def join(words: list[str], last: str = "et") -> str:
    """'A', 'A et B', 'A, B et C'."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
