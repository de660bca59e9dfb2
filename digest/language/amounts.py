"""Amounts of money and counts as French, English, German, Spanish and Italian texts write them.

"1,2 milliard d'euros", "4,3 Mds$", "€1.2bn", "quinze milliards", "plus de 3 000 emplois",
"une cinquantaine d'emplois", "1,2 Milliarden Euro", "mil millones de euros": value, currency
as stated (never converted), qualifier (exact, about, at_least, up_to) and the text as stated.
The lexicon is data: digest/language/data/numbers.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from digest.language import data
from digest.models import Amount, Qualifier, Quantity

_APOS = "['’]"
_SPACE = "[ \u00a0\u202f]"
# digits: "3 000", "3000", "1,2", "4.3", "1.200.000", "3,000" (English thousands)
_DIGITS = rf"(?<![\d.,])(?:\d{{1,3}}(?:{_SPACE}\d{{3}})+(?![\d])(?:[.,]\d+)?|\d+(?:[.,]\d+)*)"


@dataclass
class Spot:
    """A number found in a text, with what the parser understood of it."""

    start: int  # the stated text, qualifier excluded
    end: int
    value: float
    qualifier: Qualifier
    text: str
    currency: str | None = None
    money: bool = False
    qstart: int = 0  # start including the qualifier words
    noun: str = ""  # for a count: the words that follow ("emplois", "GPU de dernière génération")
    equivalents: list[Spot] = field(default_factory=list)

    def amount(self) -> Amount:
        return Amount(
            value=self.value,
            currency=self.currency,
            qualifier=self.qualifier,
            as_stated=self.text,
            equivalents=[e.amount() for e in self.equivalents],
        )

    def quantity(self) -> Quantity:
        return Quantity(value=round(self.value), qualifier=self.qualifier, as_stated=self.text)


@cache
def lexicon() -> dict[str, Any]:
    return data.load("numbers.yaml")


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


LANGS = ("fr", "en", "de", "es", "it")  # the languages numbers.yaml has words for
AGREE = 3.0  # stated figures of one deal agree within this factor (rounding, currency, "plus de")
COMPARABLE = frozenset({None, "EUR", "USD", "GBP", "CHF"})  # within 1.5x of one another


def may_be_equivalent(a: Amount, b: Amount) -> bool:
    """Whether two figures in currencies of near rates may be the same money (a typo's "586
    milliards d'euros" for 680 M$ may not); figures in other currencies are taken as stated."""
    if a.currency not in COMPARABLE or b.currency not in COMPARABLE or not (a.value and b.value):
        return True
    return 1 / AGREE <= a.value / b.value <= AGREE


@dataclass
class _Grammar:
    lang: str
    words: dict[str, int]
    thousand: set[str]  # in any language read: "mille" in an English source still is 1000
    scales: dict[str, float]
    currency_of: dict[str, str]
    qualifier_of: dict[str, Qualifier]
    approximate: dict[str, int]
    money: re.Pattern[str]
    count: re.Pattern[str]
    qualifier: re.Pattern[str]


@cache
def grammar(lang: str) -> _Grammar:
    """The compiled patterns of one language (see LANGS); anything else reads as French."""
    lang = lang[:2] if lang[:2] in LANGS else "fr"
    lex = lexicon()
    words = {k.lower(): int(v) for k, v in lex["words"][lang].items()}
    mille = lex["thousand"][lang]
    thousand = {w for ws in lex["thousand"].values() for w in ws}
    scales = {**lex["scales"]["common"], **lex["scales"][lang]}
    tight = set(lex["tight_scales"])
    currency_of = {s: code for code, d in lex["currencies"].items() for s in d["symbols"]}
    qualifier_of = {
        v.lower(): q
        for q, ws in lex["qualifiers"].items()
        for w in ws
        for v in {w, w.replace("'", "’"), w.replace("’", "'")}
    }
    approx = {k: int(v) for k, v in lex["approximate"].items()}

    word = _alt([*words, *mille])
    words_re = rf"\b(?:{word})(?:(?:[\s-]+(?:et[\s-]+)?|-)(?:{word}))*\b"
    loose = _alt([s for s in scales if s not in tight])
    tight_re = _alt([s for s in scales if s in tight])
    cur_words = [s for s in currency_of if re.fullmatch(r"[^\W\d_][^\W\d_ ]*(?: [^\W\d_]+)*", s)]
    symbols = [s for s in currency_of if s not in cur_words]
    sym = _alt(symbols)
    cur_after = rf"(?:{_SPACE}?(?:{sym})|{_SPACE}+(?:{_link()}{_SPACE}*)?(?i:{_alt(cur_words)})\b)"
    scale = (
        rf"(?:{_SPACE}*(?:{loose})(?![\w])|(?:{tight_re})(?![\w])"
        rf"|{_SPACE}?(?:{tight_re})(?=(?:{sym})))"
    )
    number = rf"(?:{_DIGITS}|(?i:{words_re}))"
    money = re.compile(
        rf"(?P<pre>(?:{sym}){_SPACE}?)?(?P<num>{number})(?P<scale>{scale})?(?P<cur>{cur_after})?"
    )
    approx_re = rf"\b(?i:une?|quelques?)\s+(?P<approx>{_alt(list(approx))})s?\b"
    count = re.compile(
        rf"(?:{approx_re}|(?P<num>{_DIGITS}|(?i:{words_re}))(?P<scale>{_SPACE}*(?:million|millions|milliard|milliards)\b)?)"
        rf"(?:{_SPACE}+(?:de{_SPACE}+|d{_APOS}))?(?:{_SPACE}+(?:{_alt(lex['adjectives'])})\b)?"
        rf"(?P<noun>{_SPACE}*[^\W\d][\w’'-]*)(?P<rest>(?:{_SPACE}+(?:de{_SPACE}+|d{_APOS})[^\W\d][\w’'-]*)?)"
    )
    qualifier = re.compile(rf"(?:{_alt(list(qualifier_of))})\s*$", re.IGNORECASE)
    return _Grammar(
        lang=lang,
        words=words,
        thousand=thousand,
        scales=scales,
        currency_of=currency_of,
        qualifier_of=qualifier_of,
        approximate=approx,
        money=money,
        count=count,
        qualifier=qualifier,
    )


def number_value(text: str, lang: str = "fr") -> float | None:
    """The value of "3 000", "1,2", "3,000" (English), "quarante-cinq", "deux cents"."""
    g = grammar(lang)
    raw = re.sub(_SPACE, "", text.strip())
    if raw and raw[0].isdigit():
        return _digits_value(raw, g.lang)
    total, current = 0, 0
    for w in re.split(r"[\s-]+", text.lower()):
        if w == "et" or not w:
            continue
        if w in g.thousand:
            total += (current or 1) * 1000
            current = 0
        elif w in ("cent", "cents", "hundred"):
            current = (current or 1) * 100
        elif w.startswith("vingt") and current % 100 == 4:
            current = current - 4 + 80  # quatre-vingt(s)
        elif w in g.words:
            current += g.words[w]
        else:
            return None
    return float(total + current)


def _digits_value(raw: str, lang: str) -> float | None:
    seps = re.findall(r"[.,]", raw)
    if not seps:
        return float(raw)
    groups = re.split(r"[.,]", raw)
    thousands = all(len(g) == 3 for g in groups[1:])
    if len(set(seps)) == 2:  # "1,200.50" or "1.200,50": the last one is the decimal mark
        dec = seps[-1]
        whole = raw.rsplit(dec, 1)
        return float(re.sub(r"[.,]", "", whole[0]) + "." + whole[1])
    sep = seps[0]
    if len(seps) > 1:  # "1.200.000" / "1,200,000"
        return float(raw.replace(sep, "")) if thousands else None
    if thousands and (lang == "en") == (sep == ","):  # "3,000" in English, "3.000" in French
        return float(raw.replace(sep, ""))
    return float(raw.replace(",", "."))


def _qualifier(text: str, start: int, g: _Grammar) -> tuple[Qualifier, int]:
    window = max(0, start - 30)
    m = g.qualifier.search(text[window:start])
    if not m:
        return "exact", start
    word = m.group(0).strip().lower()
    q = g.qualifier_of.get(word) or g.qualifier_of.get(word.replace("’", "'"), "exact")
    return q, window + m.start()


@cache
def _bare_follow() -> re.Pattern[str]:
    """What may follow a scaled number stated without a currency for it to be money."""
    follow = _alt(lexicon()["bare_amount_followers"])
    return re.compile(rf"\s*(?:$|[^\w\s]|(?:{follow})\b)", re.IGNORECASE)


def _tight() -> set[str]:
    return set(lexicon()["tight_scales"])


@cache
def _link() -> str:
    """The words joining an amount to its currency word ("de", "d'", "di")."""
    return f"(?:{_alt(lexicon()['currency_links'])})"


def abbreviated_scales() -> list[str]:
    """Scales written with a full stop ("Mio.", "Mrd."): such a stop ends no sentence."""
    lex = lexicon()["scales"]
    return sorted({s for scales in lex.values() for s in scales if s.endswith(".")})


def _currency(g: _Grammar, stated: str | None) -> str | None:
    if not stated:
        return None
    stated = re.sub(rf"^{_SPACE}*(?:{_link()}{_SPACE}*)?", "", stated)
    return g.currency_of.get(stated) or g.currency_of.get(stated.lower())


def find_money(text: str, lang: str = "fr") -> list[Spot]:
    """Amounts of money in a text, in order; a bare scaled number takes the currency before it.

    "4 milliards d'euros (4,3 milliards de dollars)" gives one spot with one equivalent.
    """
    g = grammar(lang)
    spots: list[Spot] = []
    pos = 0
    while m := g.money.search(text, pos):
        pos = m.end()
        num, scale, pre, cur = m.group("num"), m.group("scale"), m.group("pre"), m.group("cur")
        if not (scale or pre or cur):
            continue
        if not num[0].isdigit() and not scale:
            pos = m.start("num") + len(num)  # "a $35M": the word is no number, the rest may be
            continue  # "deux euros" is not news; "deux milliards" is
        value = number_value(num, g.lang)
        if value is None:
            continue
        factor = g.scales[scale.strip(" \u00a0\u202f")] if scale else 1.0
        currency = (
            _currency(g, cur)
            or _currency(g, (pre or "").strip(" \u00a0\u202f"))
            or _code_before(g, text, m.start())
        )
        if currency is None and (
            not scale
            or scale.strip(" \u00a0\u202f") in _tight()
            or factor < 1e6
            or not _bare_follow().match(text, m.end())
        ):
            continue  # "1 million de Français" is a count, not money
        qualifier, qstart = _qualifier(text, m.start(), g)
        spots.append(
            Spot(
                start=m.start(),
                end=m.end(),
                value=value * (factor or 1.0),
                qualifier=qualifier,
                text=text[m.start() : m.end()],
                currency=currency,
                money=True,
                qstart=qstart,
            )
        )
    return _carry_and_fold(text, spots)


_CODE_BEFORE = re.compile(r"(?<![\w])([A-Z]{3}|[Ee]uros?)\s+$")


def _code_before(g: _Grammar, text: str, start: int) -> str | None:
    """The currency of a scaled number written after its code or name: "EUR 1.3 bln", "a Euro
    1.3 billion investment" (a symbol such as € is read by the grammar itself)."""
    m = _CODE_BEFORE.search(text[max(0, start - 8) : start])
    return _currency(g, m.group(1)) if m else None


def _carry_and_fold(text: str, spots: list[Spot]) -> list[Spot]:
    """Carry a currency to the bare amounts that follow it; fold restatements in brackets."""
    last = None
    for s in spots:
        if s.currency is None and last is not None:
            s.currency = last
        last = s.currency or last
    out: list[Spot] = []
    for s in spots:
        prev = out[-1] if out else None
        between = text[prev.end : s.qstart] if prev else ""
        if (
            prev is not None
            and re.fullmatch(
                r"\s*(?:\(\s*(?:soit\s+|environ\s+|about\s+|or\s+)?|,\s*soit\s+)", between
            )
            and s.currency != prev.currency
        ):
            prev.equivalents.append(s)
            continue
        out.append(s)
    return out


def find_counts(text: str, lang: str = "fr", money: list[Spot] | None = None) -> list[Spot]:
    """Numbers followed by a word ("3 000 emplois", "une centaine de postes", "25 000 GPU").

    Amounts of money are left out; years and dates are left to the caller's nouns.
    """
    g = grammar(lang)
    taken = [(s.qstart, s.end) for s in (money if money is not None else find_money(text, lang))]
    spots = []
    for m in g.count.finditer(text):
        if any(a <= m.start() < b or a < m.end() <= b for a, b in taken):
            continue
        value: float | None
        qualifier: Qualifier
        if m.group("approx"):
            value, qualifier, qstart = (
                float(g.approximate[m.group("approx").lower()]),
                "about",
                m.start(),
            )
        else:
            value = number_value(m.group("num"), g.lang)
            if value is None:
                continue
            if m.group("scale"):
                value *= 1e9 if m.group("scale").strip().startswith("milliard") else 1e6
            qualifier, qstart = _qualifier(text, m.start(), g)
        noun = re.sub(rf"^{_SPACE}*(?:(?:de|d{_APOS}){_SPACE}*)?", "", m.group("noun")).strip()
        end = m.end("noun")
        spots.append(
            Spot(
                start=m.start(),
                end=end,
                value=value,
                qualifier=qualifier,
                text=text[m.start() : end],
                qstart=qstart,
                noun=noun + m.group("rest"),
            )
        )
    return spots


def parse_amount(text: str, lang: str = "fr") -> Amount | None:
    """The first amount of money in a text, or None."""
    spots = find_money(text, lang)
    return spots[0].amount() if spots else None
