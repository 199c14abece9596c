"""Trusted checks of 01_notation: the visible cases and the hidden ones, judged in the grader."""

import re

import numpy as np

from autograder.trusted import Checks
from rnnkit.testing import check_close, check_equal, check_shape
from rnnkit.vocab import one_hot, pad_sequences

checks = Checks()


def words(sentence):
    """The notebook's tokenize (its setup cell): lower-case words, numbers and punctuation marks."""
    return re.findall(r"[a-z0-9']+|[^\sa-z0-9']", sentence.lower())


@checks("01_build_vocabulary_tests", functions=("build_vocabulary",), reference=("Vocab",))
def build_vocabulary(student):
    vocab = student.build_vocabulary(["Cats average 15 hours of sleep a day.", "The Egyptian Mau is a breed of cat."])
    check_equal("the type of build_vocabulary's result", type(vocab).__name__, "dict")
    check_equal("n_x = len(word_to_index)", len(vocab), 17, hint="15 distinct tokens (with '.') plus <EOS> and <UNK>")
    check_equal("word_to_index['.']", vocab.get("."), 0, hint="'.' sorts before digits and letters: index 0")
    check_equal("word_to_index['<UNK>']", vocab.get("<UNK>"), 16, hint="<UNK> comes last, after <EOS>")
    sentences = ["Harry Potter and Hermione Granger invented a new spell.", "He said, Teddy bears are on sale!",
                 "zulu a b"]
    tokens = sorted({t for s in sentences for t in words(s)})
    expected = {t: i for i, t in enumerate(tokens)} | {"<EOS>": len(tokens), "<UNK>": len(tokens) + 1}
    got = student.build_vocabulary(sentences)
    check_equal("the type of build_vocabulary's result", type(got).__name__, "dict")
    check_equal("build_vocabulary(...) as sorted (token, index) pairs", sorted(got.items(), key=lambda kv: kv[1]),
                sorted(expected.items(), key=lambda kv: kv[1]))
    check_equal("build_vocabulary([])", student.build_vocabulary([]), {"<EOS>": 0, "<UNK>": 1})


@checks("01_encode_tests", functions=("encode",), reference=("Vocab",))
def encode(student):
    w2i = {"a": 0, "cat": 1, "is": 2, "the": 3, ".": 4, "<EOS>": 5, "<UNK>": 6}
    check_equal("encode('The cat is a cat.')", student.encode("The cat is a cat.", w2i), [3, 1, 2, 0, 1, 4, 5],
                hint="one index per token of tokenize(sentence), then <EOS> (5)")
    check_equal("encode('The Mau is a cat.')", student.encode("The Mau is a cat.", w2i), [3, 6, 2, 0, 1, 4, 5],
                hint="'mau' is not in the vocabulary: it becomes <UNK> (6), it is not dropped")
    w2i = {"apple": 0, "and": 1, "pear": 2, "salad": 3, "the": 4, "<EOS>": 5, "<UNK>": 6}
    check_equal("encode('The apple and pair salad')", student.encode("The apple and pair salad", w2i),
                [4, 0, 1, 6, 3, 5])
    check_equal("encode('')", student.encode("", w2i), [5])
    check_equal("encode('zulu zulu')", student.encode("zulu zulu", w2i), [6, 6, 5])


@checks("01_one_hot_tests", functions=("one_hot",), reference=("one_hot",))
def one_hot_sequence(student):
    x = student.one_hot([3, 1, 2, 0, 1], n_x=4)
    check_shape("x = one_hot([3, 1, 2, 0, 1], n_x=4)", x, (4, 1, 5), notation="(n_x, m, T_x)",
                hint="the vocabulary is axis 0, the batch axis 1, time axis 2")
    check_close("x[:, 0, 0] (x<1>)", x[:, 0, 0], np.array([0.0, 0.0, 0.0, 1.0]), hint="x<1> is the column of index 3")
    check_close("the sum of each column x<t>", x.sum(axis=0), np.ones((1, 5)), hint="exactly one 1 per time step")
    for idx, n_x in (([5, 0, 5, 2, 9, 9, 1], 10), ([0], 3)):
        check_close(f"one_hot({idx}, n_x={n_x})", student.one_hot(idx, n_x), one_hot([idx], n_x),
                    notation="(n_x, m, T_x)")


@checks("01_pad_batch_tests", functions=("pad_batch",), reference=("pad_sequences",))
def pad_batch(student):
    ids, mask = student.pad_batch([[4, 2, 7], [1], [3, 3]])
    check_close("ids", ids, np.array([[4, 2, 7], [1, -1, -1], [3, 3, -1]]), notation="(m, T_x)",
                hint="T_x is the longest length (3); shorter rows end with -1")
    check_close("mask", mask, np.array([[True, True, True], [True, False, False], [True, True, False]]),
                notation="(m, T_x)", hint="True where ids holds a real index")
    sequences = [[0], [5, 6, 7, 8, 9], [], [2, 2]]
    expected_ids, expected_mask = pad_sequences(sequences)
    got_ids, got_mask = student.pad_batch(sequences)
    check_close("ids", got_ids, expected_ids, notation="(m, T_x)")
    check_close("mask", got_mask, expected_mask, notation="(m, T_x)")
    check_equal("mask dtype", np.asarray(got_mask).dtype.kind, "b", hint="the mask holds booleans")


@checks("01_one_hot_batch_tests", functions=("one_hot_batch",), reference=("one_hot",))
def one_hot_batch(student):
    x = student.one_hot_batch(np.array([[0, 2], [3, -1]]), n_x=4)
    check_shape("one_hot_batch(ids, n_x=4)", x, (4, 2, 2), notation="(n_x, m, T_x)")
    check_close("x[:, 1, 0] (x(2)<1>)", x[:, 1, 0], np.array([0.0, 0.0, 0.0, 1.0]),
                hint="example 2 starts with index 3")
    check_close("x[:, 1, 1] (a padded step)", x[:, 1, 1], np.zeros(4),
                hint="a padded step (-1) must be all zeros, not a 1 in the last row")
    ids = np.array([[1, 4, 4, 0], [2, -1, -1, -1], [0, 3, -1, -1]])
    check_close("one_hot_batch(ids, n_x=5)", student.one_hot_batch(ids, 5), one_hot(ids, 5), notation="(n_x, m, T_x)")


@checks("01_ner_targets_tests", functions=("ner_targets",))
def ner_targets(student):
    y = student.ner_targets("Harry Potter and Hermione Granger invented a new spell".split(),
                            {"Harry", "Potter", "Hermione", "Granger"})
    check_equal("T_y = len(y)", len(y), 9, hint="one target per word: T_y = T_x = 9")
    check_equal("y", list(y), [1, 1, 0, 1, 1, 0, 0, 0, 0])
    words_ = "He said Teddy Roosevelt was a great President".split()
    check_equal("y", list(student.ner_targets(words_, {"Teddy", "Roosevelt"})), [0, 0, 1, 1, 0, 0, 0, 0])
    check_equal("y", list(student.ner_targets(["Granger"], {"Granger"})), [1])
    check_equal("y", list(student.ner_targets([], {"Granger"})), [])


@checks("01_char_training_pair_tests", functions=("char_training_pair",), reference=("one_hot",))
def char_training_pair(student):
    x, y = student.char_training_pair("hello", ["h", "e", "l", "o"])
    check_shape("x", x, (4, 1, 4), notation="(n_x, m, T_x)", hint="T_x = 4: the last character is only a target")
    check_equal("y (target indices)", list(y), [1, 2, 2, 3], hint="y<t> is the character AFTER x<t>")
    check_close("x[:, 0, 0] (x<1> = h)", x[:, 0, 0], np.array([1.0, 0.0, 0.0, 0.0]))
    chars = list("abcdr")
    x, y = student.char_training_pair("abracadabra", chars)
    idx = [chars.index(c) for c in "abracadabra"]
    check_close("x", x, one_hot([idx[:-1]], 5), notation="(n_x, m, T_x)")
    check_equal("y", list(y), idx[1:])
