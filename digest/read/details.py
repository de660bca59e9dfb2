"""Facts of one sentence beyond who and how much: jobs and programme figures, timeframe, round
type, named investors of a round, sector and event. Patterns: digest/language/data/patterns.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from digest.language.amounts import Spot
from digest.language.lexicon import lexicon, round_words, words
from digest.language.names import Aliases, Org

_STOP = re.compile(
    r"[;(]|\s[-–—]\s|\s(?:pour|afin|qui|que|ce\s+qui|alors|tandis|dans\s+le\s+cadre)\s", re.I
)
_SPLIT = re.compile(
    r",\s*|\s+(?:et|and|ainsi\s+que|tout\s+comme|de\s+même\s+que|comme|ou|puis|avec)\s+|\s*&\s+(?=[a-z])",
    re.I,
)
_APPOSITION = re.compile(
    r"(?:son\s+|l['’]|le\s+)?(?:chef\s+de\s+file|lead(?:er)?|déjà\s+(?:présent|actionnaire)\b.*|"
    r"(?:actionnaire|investisseur)s?\s+historiques?|existing\s+(?:backer|investor)s?)$",
    re.I,
)
_CONNECT = {"de", "des", "du", "d'", "la", "le", "les", "l'", "&", "and", "et", "of", "the", "for"}


_TRAIN = re.compile(
    r"\b(?:former|formera|formation\s+d[e']|train(?:ing)?|sensibiliser)\s+(?:\S+\s+){0,2}$", re.I
)
_PRONOUN_HIRE = re.compile(r"\ben\s+(?:recrut|embauch|cr[ée]|cr[ée]{2})\w*\s+$", re.I)


@cache
def _new_staff() -> re.Pattern[str]:
    """New staff counted (round_words.yaml, new_staff): jobs whatever the verb."""
    return words([p for e in round_words().get("new_staff", []) for p in e["patterns"]])


@cache
def own_round() -> re.Pattern[str]:
    """An amount said to be of the company's own round (round_words.yaml, own_round)."""
    return words([p for e in round_words().get("own_round", []) for p in e["patterns"]])


@cache
def extension() -> re.Pattern[str]:
    """The extension of a round (round_words.yaml, extension)."""
    return words([p for e in round_words().get("extension", []) for p in e["patterns"]])


@cache
def _status() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Words saying investors are already in the capital, and words saying they are new."""
    groups = [round_words().get(g, []) for g in ("existing", "newcomers")]
    old, new = (words([p for e in g for p in e["patterns"]]) for g in groups)
    return old, new


# what may stand between a list of names and the words describing it: names, "et", articles,
# a number, an investor noun ("Orme et Kestrel, deux nouveaux fonds"; "ses fonds historiques, X")
_LISTING = re.compile(
    r"(?:[\s,:]|\b(?:et|and|dont|les|des|ses|leurs|its|their|the|deux|trois|quatre|two|three|"
    r"investisseurs?|investors?|fonds|funds?|partenaires?|partners?|actionnaires?|"
    r"shareholders?|backers?)\b|[A-Z0-9][\w’'.&-]*)*",
)


def existing_investors(text: str, start: int, names: list[str]) -> set[str]:
    """The names of a list (read from an offset) said to be already in the capital: "auprès de
    ses actionnaires historiques X et Y, rejoints par Z" → X and Y; "auprès de X, ses
    investisseurs historiques, et de Z, un nouveau fonds" → X."""
    old, new = _status()
    found = set()
    for n in names:
        pos = text.find(n, start)
        if pos < 0:
            continue
        end = pos + len(n)
        after = [m for p in (old, new) for m in p.finditer(text, end, end + 60)]
        first = min(after, key=lambda m: m.start(), default=None)
        if first is not None and _LISTING.fullmatch(text[end : first.start()]):
            if old.fullmatch(first.group(0)):
                found.add(n)
            continue
        before = [m for p in (old, new) for m in p.finditer(text, start, pos)]
        last = max(before, key=lambda m: m.end(), default=None)
        listed = last is not None and _LISTING.fullmatch(text[last.end() : pos])
        if listed and last is not None and old.fullmatch(last.group(0)):
            found.add(n)
    return found


@dataclass
class Count:
    """A count classified: jobs | headcount | gpus | people_trained | startups_supported."""

    kind: str
    spot: Spot
    earlier: bool = False  # jobs of an earlier plan, not of this deal


def classify_counts(text: str, counts: list[Spot]) -> list[Count]:
    """Which counts of a sentence are jobs created, head counts or programme figures."""
    lex = lexicon()
    out = []
    for c in counts:
        before = text[max(0, c.qstart - 60) : c.qstart]
        after = text[c.end : c.end + 40]
        noun = c.noun
        verb_after = re.match(r"\s*(?:y\s+|will\s+)?(?:\S+\s+){0,2}", after)
        hired = lex.people_nouns.match(noun) and (
            lex.job_verbs.search(before[-45:])
            or (verb_after and lex.job_verbs.search(verb_after.group(0)))
        )
        trained = lex.people_nouns.match(noun) and _TRAIN.search(before[-25:])
        implied = _PRONOUN_HIRE.search(before)  # "veut en recruter une centaine"
        new = _new_staff().search(c.text)  # "90 nouveaux collaborateurs rejoindront"
        jobs = lex.job_nouns.match(noun) or hired or implied or new
        kind = "jobs" if jobs and not trained else None
        head = before[-30:].split(",")[-1] + c.text
        if kind == "jobs" and lex.headcount.search(head):
            kind = "headcount"  # "qui emploie 70 personnes", not "…, prévoit 80 embauches"
        if kind is None:
            for name, nouns, cues in lex.figures:
                if nouns.match(noun) and (cues is None or cues.search(before + " " + after)):
                    kind = name
                    break
        if kind is None or (kind == "jobs" and c.value < 2):
            continue  # "un recrutement massif" names no number of jobs
        earlier = kind == "jobs" and bool(lex.earlier.search(before + " " + after[:50]))
        out.append(Count(kind, c, earlier))
    return out


def timeframes(text: str, published_year: int | None) -> list[re.Match[str]]:
    """Timeframes as stated ("d'ici fin 2025", "sur trois ans"); years past are not timeframes."""
    found = []
    for m in lexicon().timeframe.finditer(text):
        years = [int(y) for y in re.findall(r"\b(20\d\d)\b", m.group(0))]
        if published_year and any(y < published_year for y in years):
            continue
        found.append(m)
    return found


VAGUE_ROUNDS = ("bridge", "croissance", "dette")  # words that also name other things


def round_type(
    text: str,
    near: int,
    others: list[int] | None = None,
    names: list[tuple[int, int]] | None = None,
    vague: bool = True,
) -> str | None:
    """The round named in a sentence nearest to an offset (an amount's end); a round word
    nearer to another amount of the sentence is that amount's, one inside an organisation's
    name ("X Growth Equity", "Y Seed Fund") is no round. An extension of a named round is that
    round ("l'extension de sa série B"); vague=False: named rounds only."""
    best: tuple[bool, int, str] | None = None
    for name, pattern in lexicon().rounds:
        if not vague and name in VAGUE_ROUNDS:
            continue
        for m in pattern.finditer(text):
            if any(a <= m.start() and m.end() <= b for a, b in names or []):
                continue
            d = min(abs(m.start() - near), abs(m.end() - near))
            if any(min(abs(m.start() - o), abs(m.end() - o)) < d for o in others or []):
                continue
            rank = (name == "bridge", d, name)
            if best is None or rank < best:
                best = rank
    return best[2] if best else None


def named_list(text: str, start: int, orgs: list[Org], aliases: Aliases) -> list[str]:
    """The names listed from an offset: "Partech, Elaia et Kima Ventures, ce qui…" → 3 names."""
    segment = re.sub(r",\s*qui\s+[^,.;]*,", ",", text[start:])  # ", qui mène le tour,"
    segment = re.sub(r"\s*\((?:lead|chef\s+de\s+file|leader)\)", "", segment, flags=re.I)
    segment = re.sub(r"\s*\([A-Z]{2,6}\)", "", segment)  # "la Banque européenne (BEI)"
    stop = _STOP.search(segment)
    segment = segment[: stop.start()] if stop else segment
    segment = re.split(r"[.!?](?:\s|$)", segment)[0]
    names: list[str] = []
    pos = start
    for piece in _SPLIT.split(segment):
        offset = text.find(piece, pos) if piece else -1
        pos = offset + len(piece) if offset >= 0 else pos
        name = _name_in(piece, offset, orgs, aliases)
        if name is None:
            if names and not _APPOSITION.match(piece.strip()):
                break
            continue
        if name not in names:
            names.append(name)
    return names


_MARK = re.compile(r"\s*\((?:lead|chef\s+de\s+file|leader)\)", re.I)
_PIECE = re.compile(r",|;|:|\s(?:et|and|avec|with|de|d['’]|du|des|from|auprès)\s|\sd['’]", re.I)


def marked_lead(text: str, orgs: list[Org], aliases: Aliases) -> str | None:
    """The name a list marks as the lead: "auprès de Orme Capital (lead), Kestrel et …"."""
    for m in _MARK.finditer(text):
        named = [o for o in orgs if o.end <= m.start() and m.start() - o.end <= 1]
        if named:
            return named[-1].name
        piece = _PIECE.split(text[: m.start()])[-1]
        name = _name_in(piece, -1, [], aliases)
        if name:
            return name
    return None


_OTHER_ROUND = re.compile(
    r"\s*(?:\S+\s+){0,2}?(?:lev[ée]e|tour|op[ée]ration|round|financement|funding)s?\b", re.I
)


def _capital(token: str) -> bool:
    """A token that opens a name: capitalised, or digits then a capital ("83North", "3M")."""
    return token[:1].isupper() or bool(re.match(r"\d+[A-Z]", token))


def _name_in(piece: str, offset: int, orgs: list[Org], aliases: Aliases) -> str | None:
    """The organisation or person a list piece names, skipping "le fonds", "de", "ses"…; none
    in a piece about a round ("derrière la levée de X": X raised, it is no investor)."""
    if _OTHER_ROUND.match(piece):
        return None
    for o in orgs:
        if offset >= 0 and offset <= o.start < offset + len(piece):
            return o.name
    tokens = piece.split()
    lead = 0
    while lead < len(tokens) and not _capital(tokens[lead]):
        lead += 1
    if lead == len(tokens) or lead > 4:
        return None
    kept = []
    for t in tokens[lead:]:
        if t[:1].isupper() or t[:1].isdigit() or t.lower() in _CONNECT:
            kept.append(t)
        else:
            break
    while kept and kept[-1].lower() in _CONNECT:
        kept.pop()
    name = " ".join(kept).strip(' .,;:«»"')
    if not name or aliases.is_excluded(name) or lexicon().anaphor.fullmatch(name):
        return None
    return aliases.name(name)


def labelled(patterns: tuple[tuple[str, re.Pattern[str]], ...], text: str) -> str | None:
    """The first label whose pattern occurs in the text (sectors, events)."""
    best = None
    for name, pattern in patterns:
        m = pattern.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), name, m.group(0))
    return best[1] if best else None


def event(text: str) -> str | None:
    """The event as stated, with its year when the text gives one ("Choose France 2024")."""
    for _, pattern in lexicon().events:
        m = pattern.search(text)
        if m:
            return re.sub(r"\s+", " ", m.group(0))
    return None
