"""`make bench-read`: 5 000 items through the read stage, against spaCy's own full pipeline.

The items are the labelled corpus (samples and tests/corpus/*.yaml), repeated with the company
names swapped so that no two texts are equal. The reader loads the model once with only the
components it uses (tok2vec + ner) and batches texts with nlp.pipe. Printed: items/s, chars/s,
the peak memory of the process (max RSS), and the throughput of spaCy's nlp.pipe with the full
fr_core_news_md pipeline on the first `--baseline` of the same texts (the same batch size), so
the cost of our own layer (patterns, amounts, assembly) over the model's is visible.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from dataclasses import replace

import spacy

from digest.evaluate.corpus import load_corpus
from digest.models import Item
from digest.read.reader import Reader, item_text

NAMES = ("Orvale", "Brindis", "Kalvio", "Sorbel", "Tamarix", "Quillon", "Vespar", "Ondine")


def items(n: int) -> list[Item]:
    """n items made from the labelled corpus, each text made distinct by a swapped name."""
    base = [g.item for g in load_corpus().items]
    out = []
    for i in range(n):
        item = base[i % len(base)]
        tag = f"{NAMES[i % len(NAMES)]}{i // len(base)}"
        text = item.text.replace("Microsoft", tag).replace("Amazon", tag)
        out.append(replace(item, id=i + 1, guid=f"bench-{i}", text=text))
    return out


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--baseline", type=int, default=1000, help="texts for the full pipeline")
    args = parser.parse_args(argv)
    batch = items(args.items)
    texts = [item_text(i) for i in batch]
    chars = sum(map(len, texts))

    started = time.perf_counter()
    reader = Reader()
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    mentions = sum(len(m) for m in reader.read_many(batch))
    took = time.perf_counter() - started
    ours = len(batch) / took
    print(f"reader: model loaded in {loaded:.1f} s, pipes {reader.nlp.pipe_names}")
    print(
        f"reader: {len(batch)} items ({chars / 1e6:.1f} M chars) in {took:.1f} s: "
        f"{ours:.0f} items/s, {chars / took / 1e3:.0f} k chars/s, {mentions} mentions, "
        f"peak memory {peak_mb():.0f} MB"
    )

    sample_items = batch[: args.baseline]
    sample = texts[: args.baseline]
    full = spacy.load("fr_core_news_md")
    spent = {}
    for name, run in (
        ("full", lambda: list(full.pipe(sample, batch_size=reader.batch_size))),
        ("ner", lambda: list(reader.nlp.pipe(sample, batch_size=reader.batch_size))),
        ("reader", lambda: reader.read_many(sample_items)),
    ):
        started = time.perf_counter()
        run()
        spent[name] = time.perf_counter() - started
    n = len(sample)
    print(f"on the first {n} texts, one after the other in this process:")
    print(f"  spaCy nlp.pipe, full pipeline {full.pipe_names}: {n / spent['full']:.0f} items/s")
    print(f"  spaCy nlp.pipe, tok2vec + ner only: {n / spent['ner']:.0f} items/s")
    print(f"  reader (tok2vec + ner + our layer): {n / spent['reader']:.0f} items/s")
    print(
        f"reader / full pipeline: {spent['full'] / spent['reader']:.2f}x the throughput; "
        f"our layer takes {100 * (1 - spent['ner'] / spent['reader']):.0f}% of the reader's time"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
