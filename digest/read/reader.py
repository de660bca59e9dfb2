"""The read stage: item text → mentions of investments, each fact with the sentence it came from.

spaCy's NER (fr_core_news_md, only tok2vec + ner loaded, texts batched with nlp.pipe) gives
candidate names; the alias table, the gazetteer and the phrase patterns of digest/language/data/
decide who invests, who receives, how much, where, how many jobs and by when (see
digest/read/deals.py).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from digest.config import Config, ConfigError
from digest.language import amounts
from digest.language.lexicon import capitalised, company_words, lexicon
from digest.language.names import Aliases, Org, load_aliases
from digest.language.places import Place, gazetteer
from digest.models import Item, Mention
from digest.read import details, nameform, roundups
from digest.read.clauses import Sent, triggers
from digest.read.context import (
    attach_investors,
    attach_places,
    attach_time_and_round,
    finish,
    rescue_jobs,
)
from digest.read.deals import Assembler
from digest.read.events import read_event
from digest.read.recall import mark_recalled
from digest.read.scorer import ENV as SCORER_FILE
from digest.read.scorer import Scorer, announces, choose_actors, load_scorer
from digest.read.steps import drop_restated_costs
from digest.read.wordnames import rename_word_actors

log = logging.getLogger(__name__)
PIPES = ("tok2vec", "ner")  # all the reader uses of the model
# a full stop ends a sentence, unless it ends a scale ("500 Mio. Euro") or a dotted
# abbreviation of single letters ("Brumel S.A. a annoncé")
_SENTENCE = re.compile(
    r"\n+|(?<=[.!?…])(?<!\b[A-Z]\.[A-Z]\.)"
    + "".join(f"(?<!{re.escape(a)})" for a in amounts.abbreviated_scales())
    + r"[\"»”)]?\s+(?=[«\"“(A-ZÀ-ÖØ-Þ0-9])"
)
_CAPS = re.compile(
    r"(?<![\w’'-])[A-ZÀ-ÖØ-Þ][\w&’'.\-]*\w(?:\s+(?:(?:de|des|du|&)\s+)?[A-ZÀ-ÖØ-Þ0-9][\w&’'.\-]*\w)*"
)
_LEADING = re.compile(
    r"^(?:(?:La|Le|Les|L['’]|Un|Une|De|Du|Des|Ce|Cette|Ces|Après|Avec|Selon|Pour|En|Dans|Au|Aux|"
    r"Son|Sa|Ses|Leur|Il|Elle|Ils|Elles|Nous|Vous|On|We|Our|They|Mais|Et|Ainsi|Enfin|Depuis|Chez|Sur|Par|Côté|"
    r"Der|Die|Das|Den|Dem|Ein|Eine|El|Los|Las|Lo|Gli|"
    r"The|A|An|In|On|At|For|With|Its|It|This|That|Tour|Série|Seed|Series|Basée|Installée|"
    r"Environ|Près|Plus|Quelque|Some|About|Around|Nearly|Over|[\w-]+-based|C['’]est|D['’]une?|"
    r"Qu['’]\w+|S['’]\w+|N['’]\w+|D['’]\w+|Objectif|Montant|Cap|Direction)\b\s*)+"
)
_DAYS = (
    r"(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|January|February|March|April|May|June|"
    r"July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday)"
)
# a month or a day, or a date made of them: "Wednesday January 19", "May 2024", "17 mars"
_MONTHS = re.compile(
    rf"^(?:{_DAYS},?\s+)?(?:\d{{1,2}}(?:er|st|nd|rd|th)?\s+)?{_DAYS}"
    r"(?:\s+\d{1,2}(?:st|nd|rd|th)?)?(?:,?\s+\d{4})?$",
    re.I,
)


# a unit of measure written in capitals is no name: "200 MW", "16 GWh", "moins de CO2"
_UNIT = re.compile(r"[kMGT]W[hc]?|[kMG]VA|[kMG]Hz|[GT]o|CO2|CO₂|NOx")
_ROUND = re.compile(r"(?:M\s+)?S[ée]ries?(?:\s+[A-F])?|[A-Z]", re.I)


_COMPANY_WORD = re.compile(r"\s+" + capitalised(company_words()["name_endings"]))
# "Das Münchner Robotik-Unternehmen Nordwind": the name starts after the describing noun
_DESCRIBED_BEFORE = re.compile(
    r"^.*?(?:\S*-)?" + capitalised(company_words()["described_before"]) + r"\s+(?=\S)"
)


_DESCRIBED = re.compile(
    r"\s+(?:[a-z-]+\s+){0,2}(?:startup|start-up|maker|group|company|firm|giant|operator|developer|"
    r"specialist|fund|investor|bank|groupe|spécialiste|fabricant|éditeur|opérateur)\b"
)


def load_model(name: str) -> Language:
    """The spaCy model with only the components the reader uses (the others are not loaded)."""
    try:
        path = spacy.util.get_package_path(name)
        meta = spacy.util.get_model_meta(path)
    except (OSError, ImportError, ValueError):
        raise ConfigError(
            f"reading.model: spaCy model {name!r} is not installed "
            f"(install it with: python -m spacy download {name})"
        ) from None
    names = meta.get("components") or meta.get("pipeline") or []
    return spacy.load(name, exclude=[p for p in names if p not in PIPES])


class Reader:
    """Reads items into mentions; the model is loaded once per reader."""

    def __init__(self, config: Config | None = None, nlp: Language | None = None) -> None:
        self.aliases: Aliases = load_aliases(config)
        self.nlp = nlp or load_model(config.reading.model if config else "fr_core_news_md")
        self.batch_size = 32
        self.scorer: Scorer | None = load_scorer()

    def read(self, item: Item) -> list[Mention]:
        return self.read_many([item])[0]

    def read_many(self, items: Sequence[Item]) -> list[list[Mention]]:
        texts = [item_text(item) for item in items]
        docs = self.nlp.pipe(texts, batch_size=self.batch_size)
        return [self.extract(item, doc) for item, doc in zip(items, docs, strict=True)]

    def extract(self, item: Item, doc: Doc) -> list[Mention]:
        """The mentions of one item, from its text and the model's entities."""
        a = self.assemble(item, doc)
        listing = roundups.read_roundup(a)  # a round-up: one draft per listed deal
        if self.scorer is not None and not listing and not announces(a, self.scorer):
            a.drafts.clear()
        attach_places(a)
        attach_time_and_round(a)
        attach_investors(a)
        roundups.apart(a, listing)
        if self.scorer is not None and not listing:
            choose_actors(a, self.scorer, item.feed_name)
            attach_time_and_round(a)  # the chosen company's other sentences may name the round
            attach_investors(a)  # and a name read as the company may be the round's lead
        rename_word_actors(a, item.feed_name)
        rescue_jobs(a)
        a.drafts = [d for d in a.drafts if not d.earlier]  # a recalled deal is not this page's news
        drop_restated_costs(a)  # nor a project's cost restated at its inauguration, its permit…
        deals = finish(a, item.id or 0, a.lang, doc.text)
        event = None if deals else read_event(a, item)  # no deal: news of a company, if any
        return deals or ([event] if event else [])

    def assemble(self, item: Item, doc: Doc) -> Assembler:
        """The drafts the rules propose for one item: its deals' amounts, jobs and figures."""
        lang = amounts.grammar(item.lang).lang  # the item's language, or French if unknown
        sents = self.sentences(doc.text, doc, lang, title_end=len(item.title.strip()))
        year = item.published.year if item.published else None
        a = Assembler(sents, self.aliases, year, lang, self.is_common)
        a.track_focus()
        for s in sents:
            a.read_money(s)
        for s in sents:
            a.read_counts(s)
        mark_recalled(a, item.published.month if item.published else None)
        a.read_lead()
        return a

    def sentences(self, text: str, doc: Doc, lang: str, title_end: int) -> list[Sent]:
        ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        out: list[Sent] = []
        for start, end in _figures_joined(text, _spans(text), lang, title_end):
            stext = text[start:end]
            places = gazetteer().find(stext)
            money = amounts.find_money(stext, lang)
            trigs = triggers(stext)
            orgs = self._orgs(stext, start, ents, places, money, trigs)
            counts = details.classify_counts(stext, amounts.find_counts(stext, lang, money))
            s = Sent(len(out), stext, orgs, places, money, counts, title=start < title_end)
            s.triggers = trigs
            out.append(s)
        nameform.tidy([o for s in out for o in s.orgs], self.is_common, self.aliases.name)
        return out

    def _orgs(
        self,
        text: str,
        offset: int,
        ents: list[tuple[int, int, str]],
        places: list[Place],
        money: list[amounts.Spot],
        trigs: list[tuple[int, int, str]],
    ) -> list[Org]:
        """Organisation candidates: the alias table, descriptors, NER, capitalised names."""
        taken = self.aliases.find(text)
        found = list(taken)
        for o in self.aliases.find_descriptors(text):
            if not any(o.start < x.end and x.start < o.end for x in taken):
                found.append(o)
                places[:] = [p for p in places if not (o.start <= p.start and p.end <= o.end)]
        for p in list(places):  # "Loire Angels", "Paris Capital": a place opening a name
            if _COMPANY_WORD.match(text, p.end):
                places.remove(p)
        for a, b, label in ents:  # a name holding a place name: "Loire Angels"
            a, b = a - offset, b - offset
            inner = [p for p in places if a <= p.start and p.end <= b and b - a > p.end - p.start]
            if label != "LOC" and inner:
                places[:] = [p for p in places if p not in inner]
        spans = [(o.start, o.end) for o in found] + [(p.start, p.end) for p in places]
        spans += [(m.qstart, m.end) for m in money]

        def free(a: int, b: int) -> bool:
            return not any(a < y and x < b for x, y in spans)

        for a, b, label in ents:
            a, b = a - offset, b - offset
            if a < 0 or b > len(text):
                continue
            a, b = self._widen(text, *self._trim(text, a, b))
            name = text[a:b]
            if not name or not free(a, b) or self._not_a_name(name) or _DESCRIBED.match(text, b):
                continue
            if re.search(r"[«“\"]\s*$", text[:a]) and re.match(r"\s*[»”\"]", text[b:]):
                continue  # « Compétences IA »: the name of a programme, not of an investor
            cue = lexicon().place_cue.search(text[max(0, a - 20) : a])
            if label == "LOC" and cue:  # a place after a cue word
                places.append(Place(a, b, name, "site", None))
                spans.append((a, b))
                continue
            source = {"PER": "per", "LOC": "loc"}.get(label, "ner")
            found.append(Org(a, b, self.aliases.name(name), name, source))
            spans.append((a, b))
        for m in _CAPS.finditer(text):
            lead = (
                _DESCRIBED_BEFORE.match(m.group(0))
                or _LEADING.match(m.group(0))
                or re.match(r".*-based\s+", m.group(0))
            )
            a = m.start() + (lead.end() if lead else 0)
            name = text[a : m.end()]
            if _DESCRIBED.match(text, m.end()):
                continue  # "French AI startup Nébuleuse": a description, the name comes after
            if name[:1].isupper() and free(a, m.end()) and not self._not_a_name(name):
                found.append(Org(a, m.end(), self.aliases.name(name), name, "caps"))
        found.sort(key=lambda o: o.start)
        return found

    def is_common(self, name: str) -> bool:
        """A single word the model knows as a common word ("Montant", "Huit"), not a name."""
        word = name.strip().lower()
        return " " not in word and self.nlp.vocab.has_vector(word)

    @staticmethod
    def _widen(text: str, a: int, b: int) -> tuple[int, int]:
        """The whole capitalised name around an entity the model cut short ("Capital" in
        "Brume Capital mène…")."""
        if a == b:
            return a, b
        left = re.search(r"(?:(?<=\s)|^)(?:[A-ZÀ-ÖØ-Þ][\w&’'.-]*\s+)+$", text[:a])
        if left and _COMPANY_WORD.match(" " + text[a:b]):  # "[Brume] Capital"
            lead = _LEADING.match(left.group(0))
            if not lead or left.group(0)[lead.end() : lead.end() + 1].isupper():
                a = left.start() + (lead.end() if lead else 0)
        right = _COMPANY_WORD.match(text, b)  # "Atlantique [Ventures]"
        return a, right.end() if right else b

    def _trim(self, text: str, a: int, b: int) -> tuple[int, int]:
        """The name inside an entity span: its longest run of capitalised words ("Tidal energy
        start-up Tideform" → Tideform, "Novacell will" → Novacell), round words left out."""
        runs: list[list[tuple[int, int]]] = [[]]
        for t in re.finditer(r"[^\s,;:()«»\"]+", text[a:b]):
            word = re.sub(r"['’]s$", "", t.group(0).rstrip("."))  # "Lyon's Nuvelia"
            start, end = a + t.start(), a + t.start() + len(word)
            if runs[-1] and re.search(r"[:;]", text[runs[-1][-1][1] : start]):
                runs.append([])  # "investisseurs de Brumel: Ravel Capital": two names
            if word[:1].isupper() or (word[:1].isdigit() and runs[-1]):
                runs[-1].append((start, end))
            elif word.lower() in ("de", "des", "du", "d'", "la", "&", "of") and runs[-1]:
                continue
            else:
                runs.append([])
        best, best_tokens = (a, a), 0
        for run in runs:
            if not run:
                continue
            x, y = run[0][0], run[-1][1]
            lead = (
                _DESCRIBED_BEFORE.match(text[x:y])
                or _LEADING.match(text[x:y])
                or re.match(r".*-based\s+", text[x:y])
            )
            x += lead.end() if lead else 0
            name = text[x:y]
            if len(name) < 2 or _ROUND.fullmatch(name) or self.aliases.is_excluded(name):
                continue
            if _DESCRIBED.match(text, y) and y < b:
                continue  # "Power-chip maker Silicis", "Paris AI startup Lumenstack"
            if len(run) >= best_tokens:
                best, best_tokens = (x, y), len(run)
        return best

    def _not_a_name(self, name: str) -> bool:
        return (
            self.aliases.is_excluded(name)
            or gazetteer().lookup(name) is not None
            or bool(_MONTHS.match(name))
            or bool(_UNIT.fullmatch(name))
            or bool(lexicon().anaphor.fullmatch(name))
            or len(name) < 2
            or _number_words(name)
        )


def _spans(text: str) -> list[tuple[int, int]]:
    """The sentences of a text, as (start, end)."""
    out = []
    pos = 0
    for piece in _SENTENCE.split(text):
        start = text.find(piece, pos) if piece else -1
        if not piece.strip() or start < 0:
            continue
        pos = start + len(piece)
        out.append((start, pos))
    return out


def _figures_joined(
    text: str, spans: list[tuple[int, int]], lang: str, title_end: int
) -> list[tuple[int, int]]:
    """A figure standing alone on its line (a heading's number: "3 millions d'euros", then "C'est
    la somme que…") reads as one sentence with the sentence after it, whose words tell whose
    figure it is."""
    out: list[tuple[int, int]] = []
    held: int | None = None  # the start of a figure waiting for its sentence
    for start, end in spans:
        piece = text[start:end]
        short = len(piece) <= 60 and re.match(r"\s*[\d€$£]", piece)  # most sentences are not
        rest = piece
        for m in reversed(amounts.find_money(piece, lang) if short else []):
            rest = rest[: m.qstart] + rest[m.end :]
        alone = short and rest != piece and not re.search(r"\w", rest)
        if held is None and alone and start >= title_end:
            held = start
            continue
        out.append((start if held is None else held, end))
        held = None
    if held is not None:
        out.append((held, spans[-1][1]))
    return out


def _number_words(name: str) -> bool:
    """A number in words, in any language read ("Twenty-four hours later", "Zwei"), is no name."""
    return name[:1].isalpha() and any(
        amounts.number_value(name, lang) is not None for lang in amounts.LANGS
    )


def item_text(item: Item) -> str:
    """What the reader reads: the title, then the text with hard-wrapped lines joined, without
    its first line when that line only repeats the title (many feeds open the text with it:
    read twice, the title would push the lead's sentences out of the lead)."""
    title = item.title.strip()
    text = unwrap(item.text)
    first, _, rest = text.partition("\n")
    if title and _spaced(first) == _spaced(title):
        text = rest
    return f"{title}\n{text}" if title else text


def _spaced(text: str) -> str:
    return " ".join(text.split())


def unwrap(text: str) -> str:
    """One line per paragraph: a line break inside a sentence of a wrapped text is a space;
    a line that ends a sentence, a short line (a heading), or a line followed by one opening
    with a capital, a figure or a bracket keeps its break: feeds drop the blank lines between
    paragraphs, and a title repeated atop the text, a heading or a picture's credit glued to
    the next paragraph would read as one sentence ("… pour Brumel" + "Brumel, start-up…" gives
    "Brumel Brumel")."""
    out: list[str] = []
    for para in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in para.split("\n") if line.strip()]
        for i, line in enumerate(lines):
            prev = lines[i - 1] if i else ""
            wrapped = not re.search(r"[.!?:;…»\"”]$", prev) and len(prev) >= 60
            if i and wrapped and line[:1].islower():
                out[-1] += " " + line
            else:
                out.append(line)
    return "\n".join(out)


class ReadStore(Protocol):
    """What reading asks of a store (digest.store.mentions.ReadingStore over SQLite)."""

    def unread(self) -> list[Item]: ...
    def save(self, read: Sequence[tuple[Item, list[Mention]]]) -> int: ...


def read_pending(store: ReadStore, reader: Callable[[], Reader]) -> tuple[int, int]:
    """Read every item not read yet, store its mentions and mark it read: (items, mentions).
    `reader` is called only when an item waits (loading the model takes seconds)."""
    pending = store.unread()
    if not pending:
        return 0, 0
    read = reader()
    stored = 0
    for batch in _batches(pending, 200):
        found = read.read_many(batch)
        stored += store.save(list(zip(batch, found, strict=True)))
    log.info("read items=%d mentions=%d", len(pending), stored)
    return len(pending), stored


def shared_reader(config: Config) -> Reader:
    """One reader per model and alias files, kept for the life of the process (the daemon
    reads every poll; the model is loaded once). Another scorer file ($DIGEST_READ_SCORER) is
    another reader."""
    aliases = tuple(str(config.resolve(p)) for p in config.reading.aliases)
    key = (config.reading.model, aliases, os.environ.get(SCORER_FILE, ""))
    if key not in _READERS:
        _READERS[key] = Reader(config)
    return _READERS[key]


_READERS: dict[tuple[str, tuple[str, ...], str], Reader] = {}


def _batches(items: list[Item], size: int) -> Iterable[list[Item]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
