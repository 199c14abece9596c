"""The corpora shipped in rnnkit/data/: they load without the network, match their generators
exactly, and have the properties the notebooks rely on."""

import re
from importlib import resources

import pytest

from rnnkit import Vocab, datasets
from rnnkit.datasets import (
    FOOD_SEED,
    NAMES_SEED,
    load_food_sentences,
    load_names,
    make_food_sentences,
    make_names,
)


def test_names_file_equals_its_generator():
    assert load_names() == make_names(NAMES_SEED)


def test_food_file_equals_its_generator():
    assert load_food_sentences() == make_food_sentences(FOOD_SEED)


def test_files_are_package_resources_with_data_cards():
    data = resources.files("rnnkit").joinpath("data")
    for name in ("names.txt", "names.md", "food.txt", "food.md"):
        assert data.joinpath(name).is_file(), name
    for card in ("names.md", "food.md"):
        text = data.joinpath(card).read_text(encoding="utf-8")
        assert "Licence" in text and "Source" in text and "rnnkit.datasets.make_" in text


def test_names_are_distinct_lowercase_and_3_to_10_letters():
    names = load_names()
    assert 2000 <= len(names) <= 4000
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[a-z]{3,10}", n) for n in names)
    assert len(set("".join(names))) >= 24  # nearly every letter a-z is used


def test_generators_are_seeded():
    assert make_names(1, n=50) == make_names(1, n=50)
    assert make_names(1, n=50) != make_names(2, n=50)
    assert make_food_sentences(1, n=50) == make_food_sentences(1, n=50)
    assert make_food_sentences(1, n=50) != make_food_sentences(2, n=50)


def test_make_names_fails_clearly_when_the_generator_is_exhausted(monkeypatch):
    monkeypatch.setattr(datasets, "_make_name", lambda rng: "ana")
    with pytest.raises(ValueError, match="distinct names"):
        make_names(0, n=2)


def test_food_sentences_use_pear_and_pair_in_different_contexts():
    sentences = load_food_sentences()
    assert len(sentences) >= 1000
    assert all(s.endswith(" .") and s == s.lower() for s in sentences)
    vocab = Vocab.from_texts(sentences, level="word")
    assert "pear" in vocab and "pair" in vocab
    words = [s.split() for s in sentences]
    after_pair = {w[i + 1] for w in words for i in range(len(w) - 1) if w[i] == "pair"}
    assert after_pair == {"of"}
    assert not any("and pair" in s or "pair salad" in s for s in sentences)
    assert any(s.startswith("the apple and pear salad") for s in sentences)
