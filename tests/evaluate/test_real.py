"""`make eval-real`: the whole program on real news. On a tiny corpus written here, the
instrument runs end to end; on ../shared/news-corpus (skipped when absent), every deal is
scored and the levels measured when the instrument was built cannot slip back."""

from __future__ import annotations

import json

import pytest

from digest.evaluate import deals, real
from digest.evaluate.news import corpus_dir, load_news
from digest.evaluate.replay import run
from tests.evaluate.test_news import make_corpus

NEWS = corpus_dir()
# measured on 2026-12-07 with the read scorer of issue 13 (digest/read/data/scorer.json, trained
# on this corpus: these are not held-out figures, `make eval-real-cv` gives those), minus a margin
# of about two deals
FLOORS = {
    # all branches of the third reading round merged (leads, constructions, round-ups, names
    # that are no firm): 98/104, 97/102, 97/102, 14/17, 31/40, 17/21; the same held out.
    # The company raising never its own investor, newcomers before the investors already in
    # the capital, an extension's round, one investor under two forms (issue 13): 98/102,
    # 15/17, 35/40, the same held out
    # Names read in their form (no title glued to the text): round 15/17, jobs 16/21 (one
    # deal's jobs stay in a story of its part)
    # Figureless stories meeting their figured story: amount 98/102, jobs 18/21
    "company": 0.93,
    "amount": 0.95,
    "currency": 0.93,
    "round": 0.82,
    "lead investor": 0.85,
    "jobs": 0.76,
}


def shares_are_sane(report: dict) -> None:
    """Every share in [0, 1] and every count consistent with the scored announcements."""
    scored = report["scored"]
    assert len(scored) == report["corpus"]["deals"]
    for name in deals.FIELDS:
        share = report["facts"][name]
        assert share["n"] == sum(name in s["right"] for s in scored)
        assert share["right"] == sum(s["right"].get(name, False) for s in scored)
        assert 0.0 <= share["share"] <= 1.0
    for name in ("pairwise", "bcubed"):
        assert all(0.0 <= v <= 1.0 for v in report["grouping"][name].values())
    editor = report["editor"]
    for name in ("story precision", "deal recall", "hold precision", "hold recall"):
        assert 0.0 <= editor[name]["share"] <= 1.0 and editor[name]["right"] <= editor[name]["n"]
    assert editor["deal recall"]["n"] == report["corpus"]["deals"]
    cv = report["cross-validation"]
    assert sum(f["deals"] for f in cv["folds"]) == report["corpus"]["deals"]
    for name in deals.FIELDS:
        assert sum(f[name]["n"] for f in cv["folds"]) == report["facts"][name]["n"]


@pytest.mark.slow
def test_the_instrument_runs_the_program_on_a_tiny_corpus(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DIGEST_NEWS_CORPUS", str(make_corpus(tmp_path / "news")))
    assert real.main(["--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    shares_are_sane(report)
    assert report["corpus"] == {"articles": 3, "announcements": 2, "deals": 1}
    assert report["program"]["stories"] >= 1  # the deal is read and written
    assert report["facts"]["company"]["n"] == 1 and report["facts"]["jobs"]["n"] == 1
    assert report["facts"]["round"]["n"] == 0  # the gold states none: not scored
    assert report["related"]["n"] == 1
    assert set(report["errors"]) == {
        "wrong actor",
        "background figure",
        "related read as deal",
        "language",
        "missed construction",
    }


def test_without_a_corpus_it_says_so_and_succeeds(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DIGEST_NEWS_CORPUS", str(tmp_path / "absent"))
    assert real.main([]) == 0
    assert "skipped" in capsys.readouterr().out


@pytest.fixture(scope="module")
def report():
    if not (NEWS / "gold.json").is_file():
        pytest.skip("../shared/news-corpus is absent")
    corpus = load_news(NEWS)
    return real.evaluate(corpus, run(corpus))


@pytest.mark.slow
def test_every_announced_deal_is_scored(report):
    shares_are_sane(report)
    assert report["corpus"]["deals"] >= 100 and report["facts"]["company"]["n"] >= 100
    assert report["facts"]["amount"]["n"] >= 90
    assert report["related"]["n"] >= 20


@pytest.mark.slow
def test_reading_does_not_slip_back(report):
    got = {name: report["facts"][name]["share"] for name in deals.FIELDS}
    assert all(got[name] >= floor for name, floor in FLOORS.items()), "\n".join(real.text(report))
    # 6/30 once a fund's own, a state's aid and a plan for all start-ups give no mention; 5/30
    # once a fund's money for no named firm gives none; 2/30 once a project's cost told again
    # on the page of its inauguration or its state aid is no deal (counted by deal mentions:
    # an event's is none, nor a deal the gold says the page reports too)
    assert report["related"]["share"] <= 0.10


@pytest.mark.slow
def test_grouping_and_the_edition_do_not_slip_back(report):
    g, e = report["grouping"], report["editor"]
    lines = "\n".join(real.text(report))
    # measured on the merge of the fourth round: pairwise P 1.000 R 0.812 F1 0.896, B-cubed F1
    # 0.896, story precision 0.948 (92/97), deal recall 0.885, 2 duplicates, no related page shown,
    # hold check P 0.938 R 0.938 (issue 14: misread actors, names spelled two ways, undated round-
    # ups dated by what they list, stories of other topics, a page's past figure and a titled deal
    # read twice held, deals told without a figure joining or held beside their figured story,
    # another firm's background and the state's aid to a firm held, the story confidence trained on
    # all of the corpus here: `make train-confidence` prints its 5-fold CV figures); figureless
    # stories meeting their figured story, pages dated just beyond the window and late pages
    # restating a deal's figures recalling it; the pages of news that is no deal (an inauguration, a
    # plan dropped, an acquisition) making event stories, never shown
    assert g["pairwise"]["recall"] >= 0.79 and g["pairwise"]["f1"] >= 0.88, lines
    assert g["pairwise"]["precision"] >= 0.98, lines
    assert g["bcubed"]["f1"] >= 0.88 and report["program"]["events"] >= 12, lines
    assert not any(g["pairs joined that must not be"].values()), lines  # hard negatives apart
    assert e["story precision"]["share"] >= 0.93 and e["deal recall"]["share"] >= 0.87, lines
    assert e["hold precision"]["share"] >= 0.92 and e["hold recall"]["share"] >= 0.92, lines
    assert len(e["duplicates"]) <= 2 and not e["related shown"], lines
