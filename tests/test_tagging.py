"""Tests of rnnkit.tagging: the name-tagging data where only the next word tells."""

import numpy as np
import pytest

from rnnkit.tagging import (
    AMBIGUOUS,
    FIRST_NAMES,
    LABELS,
    SURNAMES,
    VOCAB,
    lecture_examples,
    make_batch,
    make_tagging,
    show,
)


def test_shapes_follow_the_lecture():
    data = make_tagging(50, seed=3)
    n_x, m, T_x = data.x.shape
    assert (n_x, m) == (len(VOCAB), 50) and T_x == data.lengths.max()
    assert data.y.shape == (len(LABELS), m, T_x)
    for field in ("labels", "mask", "ambiguous", "ids"):
        assert getattr(data, field).shape == (m, T_x), field
    assert data.lengths.shape == (m,) and data.lengths.dtype == np.int64
    assert data.mask.dtype == bool and data.ambiguous.dtype == bool
    assert len(data.words) == m and [len(w) for w in data.words] == data.lengths.tolist()


def test_padding_is_masked_everywhere():
    data = make_tagging(200, seed=0)
    mask = data.mask
    assert (mask == (np.arange(mask.shape[1]) < data.lengths[:, None])).all()  # padding at the end
    assert (data.x.sum(axis=0) == mask).all()  # one-hot on real words, zero columns at padding
    assert (data.y.sum(axis=0) == mask).all()
    assert (data.labels[~mask] == -1).all() and (data.ids[~mask] == -1).all()
    assert not data.ambiguous[~mask].any()
    assert (data.y.argmax(axis=0)[mask] == data.labels[mask]).all()
    assert (data.x.argmax(axis=0)[mask] == data.ids[mask]).all()


def test_lecture_pair():
    data = lecture_examples()
    assert data.words[0][:5] == data.words[1][:5] == ["he", "said", ",", '"', "teddy"]
    assert data.labels[0, 4] == 0 and data.labels[1, 4] == 1 and data.labels[1, 5] == 1  # teddy (roosevelt)
    assert data.labels[0].max() == 0 and data.labels[1].sum() == 2
    assert data.ambiguous[:, 4].all() and data.ambiguous.sum() == 2
    assert data.lengths.tolist() == [11, 12]
    assert show(data, 1) == 'he said , " TEDDY ROOSEVELT was a great president ! "'


def test_labels_follow_the_grammar():
    data = make_tagging(500, seed=4)
    for words, labels in zip(data.words, data.labels):
        for t, (w, lab) in enumerate(zip(words, labels)):
            if w in FIRST_NAMES or w in SURNAMES:
                assert lab == 1, (words, t)
            elif w in AMBIGUOUS:
                after = words[t + 1]
                assert lab == int(after in SURNAMES), (words, t)
                assert after in SURNAMES or after in AMBIGUOUS[w]
            else:
                assert lab == 0, (words, t)


def test_ambiguous_words_are_names_half_of_the_time_and_the_past_does_not_tell():
    data = make_tagging(3000, seed=5)
    amb_labels = data.labels[data.ambiguous]
    assert 0.45 < amb_labels.mean() < 0.55
    assert set(AMBIGUOUS) == {data.words[i][t] for i, t in zip(*np.nonzero(data.ambiguous))}
    # whatever precedes an ambiguous word (its previous word), both readings stay about equally likely
    previous = {}
    for i, t in zip(*np.nonzero(data.ambiguous)):
        key = data.words[i][t - 1] if t > 0 else "<start>"
        previous.setdefault(key, []).append(data.labels[i, t])
    for key, labels in previous.items():
        if len(labels) >= 100:
            assert 0.35 < np.mean(labels) < 0.65, (key, np.mean(labels))


def test_deterministic_by_seed():
    a, b, c = make_tagging(40, seed=7), make_tagging(40, seed=7), make_tagging(40, seed=8)
    assert a.words == b.words and (a.labels == b.labels).all()
    assert a.words != c.words
    rng1, rng2 = np.random.default_rng(3), np.random.default_rng(3)
    assert make_tagging(10, seed=rng1).words == make_tagging(10, seed=rng2).words


def test_show_marks_wrong_predictions():
    data = lecture_examples()
    predictions = np.zeros_like(data.labels)
    text = show(data, 1, predictions)
    assert text.splitlines()[1].startswith('he said , " teddy✗ roosevelt✗ was')


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"m": 0}, "m must be"),
    ({"m": 3, "seed": -1}, "seed must be"),
    ({"m": 3, "p_ambiguous": 1.5}, "p_ambiguous"),
])
def test_make_tagging_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_tagging(**kwargs)


def test_make_batch_rejects_bad_input():
    with pytest.raises(ValueError, match="2 words but 1 labels"):
        make_batch([["teddy", "bears"]], [[0]])
    with pytest.raises(ValueError, match="outside the vocabulary"):
        make_batch([["teddy", "zebras"]], [[0, 0]])
    with pytest.raises(ValueError, match="only 0 and 1"):
        make_batch([["teddy", "bears"]], [[0, 2]])
