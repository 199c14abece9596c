"""Tests for rnnkit.vocab: tokens and indices, <EOS>/<UNK>, padding, one-hot columns."""

import numpy as np
import pytest

from rnnkit.vocab import Vocab, one_hot, pad_sequences, tokenize

HARRY = "Harry Potter and Hermione Granger invented a new spell."


def test_word_tokenize_the_lecture_sentences():
    assert tokenize("Cats average 15 hours.", "word") == ["cats", "average", "15", "hours", "."]
    words = tokenize(HARRY, "word")
    assert words == ["harry", "potter", "and", "hermione", "granger", "invented", "a", "new", "spell", "."]
    assert len([w for w in words if w != "."]) == 9  # the lecture's T_x = 9 words
    assert tokenize("a day. <EOS>", "word") == ["a", "day", ".", "<EOS>"]
    assert tokenize("Hi, you!", "char") == list("Hi, you!")


def test_specials_come_last_with_unk_last():
    v = Vocab(["a", "aaron", "zulu"], level="word")
    assert v.tokens == ("a", "aaron", "zulu", "<EOS>", "<UNK>")
    assert len(v) == 5 and v.eos == 3 and v.unk == 4
    assert v.tokens[-1] == "<UNK>"
    # already present: not added twice, and the order given is kept
    v = Vocab(["<UNK>", "b", "a"], level="word")
    assert v.tokens == ("<UNK>", "b", "a", "<EOS>") and v.unk == 0
    plain = Vocab(["a", "b"], specials=False)
    assert plain.tokens == ("a", "b") and plain.eos is None and plain.unk is None


def test_from_texts_sorted_unique_with_min_count():
    v = Vocab.from_texts(["hello", "help"])
    assert v.tokens == ("e", "h", "l", "o", "p", "<EOS>", "<UNK>")
    assert v.level == "char"
    w = Vocab.from_texts(["The cat sat.", "the dog sat"], level="word", min_count=2)
    assert w.tokens == ("sat", "the", "<EOS>", "<UNK>")


def test_char_round_trip_and_eos():
    v = Vocab.from_texts(["hello world"])
    ids = v.encode("hello", add_eos=True)
    assert ids == [v.index(c) for c in "hello"] + [v.eos]
    assert v.decode(ids) == "hello<EOS>"  # decoding shows <EOS> and does not stop there
    assert v.decode(v.encode("world")) == "world"
    assert v.decode(np.array(v.encode("low"))) == "low"


def test_word_round_trip_and_unknown_words():
    v = Vocab.from_texts(["Cats average 15 hours of sleep a day."], level="word")
    assert v.decode(v.encode("Cats average 15 hours.")) == "cats average 15 hours ."
    ids = v.encode("The Egyptian Mau is a cat.", add_eos=True)
    assert ids.count(v.unk) == 5  # the, egyptian, mau, is, cat
    assert v.decode(ids) == "<UNK> <UNK> <UNK> <UNK> a <UNK> . <EOS>"
    assert v.encode(["sleep", "zzz"]) == [v.index("sleep"), v.unk]


def test_index_token_and_errors_name_their_argument():
    v = Vocab(list("abc"))
    assert v.index("b") == 1 and v.token(2) == "c" and "a" in v and "z" not in v
    with pytest.raises(ValueError, match="'z'"):
        v.index("z")
    with pytest.raises(ValueError, match=r"i must be an integer index in \[0, n_x\) = \[0, 5\)"):
        v.token(5)
    with pytest.raises(ValueError, match="indices"):
        v.decode([0, 7])
    with pytest.raises(ValueError, match="indices"):
        v.decode([0.5])
    plain = Vocab(list("abc"), specials=False)
    with pytest.raises(ValueError, match="'z'"):
        plain.encode("abz")
    with pytest.raises(ValueError, match="add_eos"):
        plain.encode("ab", add_eos=True)
    with pytest.raises(ValueError, match="level"):
        Vocab(list("abc"), level="sentence")
    with pytest.raises(ValueError, match="tokens must be unique"):
        Vocab(["a", "b", "a"])
    with pytest.raises(ValueError, match="tokens"):
        Vocab(["ab"], level="char")
    with pytest.raises(ValueError, match="min_count"):
        Vocab.from_texts(["abc"], min_count=0)


def test_pad_sequences_pads_to_the_longest():
    ids, mask = pad_sequences([[3, 1, 4], [1], [5, 9]])
    assert ids.dtype == np.int64 and mask.dtype == bool
    np.testing.assert_array_equal(ids, [[3, 1, 4], [1, -1, -1], [5, 9, -1]])
    np.testing.assert_array_equal(mask, [[True, True, True], [True, False, False], [True, True, False]])
    single, single_mask = pad_sequences([2, 0])
    assert single.shape == (1, 2) and single_mask.all()
    with pytest.raises(ValueError, match="sequences"):
        pad_sequences([])
    with pytest.raises(ValueError, match=r"sequences\[1\]"):
        pad_sequences([[1], [2, -1]])


def test_one_hot_shape_and_columns():
    ids, _ = pad_sequences([[0, 2, 1], [1, 1]])
    x = one_hot(ids, 4)
    assert x.shape == (4, 2, 3) and x.dtype == np.float64  # (n_x, m, T_x)
    np.testing.assert_array_equal(x[:, 0, 1], [0, 0, 1, 0])
    np.testing.assert_array_equal(x[:, 1, 0], [0, 1, 0, 0])
    np.testing.assert_array_equal(x[:, 1, 2], 0)  # padding column is all zeros
    np.testing.assert_array_equal(x.sum(axis=0), [[1, 1, 1], [1, 1, 0]])
    assert one_hot([3, 0], 4).shape == (4, 1, 2)  # one sequence: m = 1


def test_one_hot_of_an_encoded_sentence():
    v = Vocab.from_texts([HARRY], level="word")
    x = one_hot(v.encode(HARRY), len(v))
    assert x.shape == (len(v), 1, 10)
    assert x[v.index("harry"), 0, 0] == 1 and x[v.index("."), 0, 9] == 1


def test_one_hot_rejects_bad_ids_naming_ids_and_n_x():
    with pytest.raises(ValueError, match=r"ids must lie in \[0, n_x\) = \[0, 3\).*got 3"):
        one_hot([[0, 3]], 3)
    with pytest.raises(ValueError, match=r"ids .* n_x.*got -2"):
        one_hot([[0, -2]], 3)
    with pytest.raises(ValueError, match="ids"):
        one_hot([[0.0, 1.0]], 3)
    with pytest.raises(ValueError, match="ids"):
        one_hot([[0, 1], [2]], 3)
    with pytest.raises(ValueError, match="n_x"):
        one_hot([[0, 1]], 0)
