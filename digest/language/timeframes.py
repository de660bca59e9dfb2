"""Timeframes normalised: a year, a span of years, a duration or this/next year, read from what
a French or English source states ("by the end of 2027", "sur cinq ans") and written in French
("d'ici fin 2027", "sur cinq ans"). French copy never shows an English timeframe: one that no
shape here reads is not shown."""

from __future__ import annotations

import re
from dataclasses import dataclass

from digest.language import amounts
from digest.language.fold import fold

# relation of a timeframe to its years or duration → French shape
_FRENCH = {
    "by": "d'ici {year}",
    "by_end": "d'ici fin {year}",
    "in": "en {year}",
    "until": "jusqu'en {year}",
    "between": "entre {year} et {last}",
    "horizon": "à l'horizon {year}",
    "over": "sur {count} {unit}",
    "within": "d'ici {count} {unit}",
    "this_year": "cette année",
    "next_year": "l'an prochain",
    "coming_months": "dans les prochains mois",
}
_N = r"(\d+|[a-z]+)"
# English shapes, on folded text (lower case, no accents, one apostrophe)
_ENGLISH = [
    (r"by (?:the )?end(?: of|-| )\s*(\d{4})", "by_end"),
    (r"(?:by|before) (\d{4})", "by"),
    (r"through (?:the end of )?(\d{4})", "until"),
    (r"(?:in|during) (\d{4})", "in"),
    (r"between (\d{4}) and (\d{4})", "between"),
    (rf"over (?:the )?(?:next |coming )?{_N} (years?|months?)", "over"),
    (rf"within (?:the next )?{_N} (years?|months?)", "within"),
    (rf"in the (?:next|coming) {_N} (years?|months?)", "within"),
    (r"in the (?:next|coming) months", "coming_months"),
    (r"this year", "this_year"),
    (r"next year", "next_year"),
]
_UNITS = {"year": ("an", "ans"), "month": ("mois", "mois")}
_FR_WORDS = {
    1: "un",
    2: "deux",
    3: "trois",
    4: "quatre",
    5: "cinq",
    6: "six",
    7: "sept",
    8: "huit",
    9: "neuf",
    10: "dix",
}


@dataclass(frozen=True)
class Timeframe:
    """A timeframe as the program understands it; `french` writes it."""

    relation: str  # a key of _FRENCH
    years: tuple[int, ...] = ()
    count: int = 0
    unit: str = ""  # year | month (a duration)


def _count(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    value = amounts.number_value(word, "en")
    return int(value) if value and value == int(value) else None


def read_english(text: str) -> Timeframe | None:
    """The timeframe an English source states, when one of the known shapes says it whole."""
    folded = " ".join(fold(text).replace("’", "'").split())
    for pattern, relation in _ENGLISH:
        m = re.fullmatch(pattern, folded)
        if not m:
            continue
        groups = m.groups()
        if relation in ("over", "within"):
            count = _count(groups[0])
            if count is None:
                return None
            return Timeframe(relation, count=count, unit=groups[1].rstrip("s"))
        return Timeframe(relation, years=tuple(int(g) for g in groups))
    return None


def french(tf: Timeframe) -> str:
    """The timeframe in French: "d'ici fin 2027", "sur cinq ans", "cette année"."""
    one, many = _UNITS.get(tf.unit, ("", ""))
    return _FRENCH[tf.relation].format(
        year=tf.years[0] if tf.years else "",
        last=tf.years[-1] if tf.years else "",
        count=_FR_WORDS.get(tf.count, str(tf.count)),
        unit=one if tf.count == 1 else many,
    )


def in_french(text: str, lang: str | None = None) -> str | None:
    """A stated timeframe for French copy: a French one as stated (in lower case), an English
    one rewritten, None for an English one no known shape reads. lang: the source's, when
    known; otherwise an English shape read whole decides."""
    tf = read_english(text)
    if tf:
        return french(tf)
    if lang == "en" or _looks_english(text):
        return None
    text = " ".join(text.split())
    return text[:1].lower() + text[1:]  # "Dès l'été" opened a sentence; a timeframe names no one


_ENGLISH_WORDS = re.compile(
    r"\b(?:by|the|of|over|within|next|years?|months?|this|through|during|end|coming|in)\b", re.I
)


def _looks_english(text: str) -> bool:
    """Whether a timeframe says any English word (French timeframes say none of these)."""
    return bool(_ENGLISH_WORDS.search(text))
