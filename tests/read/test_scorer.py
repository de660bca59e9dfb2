"""The learned scorer of the read stage: its file format, its arithmetic, its training, and what
the committed model (digest/read/data/scorer.json) does to items written for these tests."""

from __future__ import annotations

import json
import math

import pytest

from digest.evaluate import train
from digest.models import Item
from digest.read import scorer
from digest.read.reader import Reader
from tests.support.items import news_item


def test_a_model_is_a_logistic_regression() -> None:
    m = scorer.Model({"a": 2.0, "b": -1.0}, 0.5)
    assert m.probability({}) == pytest.approx(1 / (1 + math.exp(-0.5)))
    assert m.probability({"a": 1.0, "b": 1.0, "unknown": 9.0}) == pytest.approx(
        1 / (1 + math.exp(-1.5))
    )


def test_training_writes_json_the_reader_loads(tmp_path, monkeypatch) -> None:
    rows = [
        train.Row(model, f"p{i}", {"cue": float(i % 2), "noise": 1.0}, bool(i % 2))
        for model in ("item", "actor")
        for i in range(20)
    ]
    path = tmp_path / "scorer.json"
    train.write(train.fit(rows, without={"p0", "p1"}), path)
    monkeypatch.setenv(scorer.ENV, str(path))
    loaded = scorer.load_scorer()
    assert loaded is not None
    for model in (loaded.item, loaded.actor):
        assert model.probability({"cue": 1.0, "noise": 1.0}) > 0.5
        assert model.probability({"noise": 1.0}) < 0.5
    assert set(json.loads(path.read_text())) == {"item", "actor"}


def test_the_committed_model_is_small_plain_json() -> None:
    loaded = scorer.load_scorer()
    assert loaded is not None, "digest/read/data/scorer.json is missing: run make train-read"
    assert all(0 < len(m.weights) < 300 for m in (loaded.item, loaded.actor))


def item(title: str, text: str) -> Item:
    return news_item(
        title, text, feed_name="La Gazette des Pousses", url="https://example.org/s", id=3
    )


def test_the_outlet_cited_as_source_is_not_the_company(reader: Reader) -> None:
    news = item(
        "Tamarix boucle une levée de fonds",  # (a title stating the amount settles it alone)
        "Toutefois, selon La Gazette des Pousses, la jeune pousse lyonnaise Tamarix a bouclé une "
        "levée de 18 millions d'euros. Parallèlement, le fonds Brume Capital mène le tour.",
    )
    found = reader.read(news)
    assert found and {m.beneficiary for m in found} == {"Tamarix"}
    rules = Reader(nlp=reader.nlp)
    rules.scorer = None
    assert "Gazette des Pousses" in {m.beneficiary for m in rules.read(news)}  # what it fixes


def test_a_public_plan_is_not_the_company_raising(reader: Reader) -> None:
    news = item(
        "France 2030 : la jeune pousse grenobloise boucle 120 millions d'euros",
        "Dans le cadre de France 2030, la société Ostralis a bouclé une levée de 120 millions "
        "d'euros en série C. France 2030 accompagne la future usine.",
    )
    assert [m.beneficiary for m in reader.read(news)] == ["Ostralis"]


def test_a_funds_own_money_for_a_kind_of_firms_is_no_deal(reader: Reader) -> None:
    found = reader.read(
        news_item(
            "Le fonds Ravel Capital boucle son troisième véhicule",
            "La société de gestion Ravel Capital annonce avoir levé 300 millions d'euros auprès "
            "d'investisseurs institutionnels. Ravel Capital investira 200 millions d'euros dans "
            "les start-up de la santé et le reste dans l'industrie.",
            feed_name="Le Courrier des Pousses",
        )
    )
    assert not [m for m in found if m.amount and m.investor == "Ravel Capital"]


def test_a_fund_investing_in_a_named_firm_is_a_deal(reader: Reader) -> None:
    found = reader.read(
        news_item(
            "Ravel Capital investit dans Brumel",
            "Le fonds Ravel Capital investit 20 millions d'euros dans la start-up angevine "
            "Brumel pour l'aider à s'étendre en Europe.",
            feed_name="Le Courrier des Pousses",
        )
    )
    assert [m.amount.value for m in found if m.amount] == [20_000_000]
