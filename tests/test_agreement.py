"""Tests of rnnkit.agreement: the subject–verb agreement data, accuracy and the small trainer."""

import numpy as np
import pytest

from rnnkit.agreement import (
    ATTRACTORS_PLURAL,
    ATTRACTORS_SINGULAR,
    NEUTRAL,
    PLURAL,
    SINGULAR,
    VOCAB,
    accuracy,
    make_agreement,
    predict_agreement,
    sentence,
    train_agreement,
)


@pytest.mark.parametrize("k", [0, 1, 7])
def test_shapes_follow_the_lecture(k):
    x, y, vocab, ids = make_agreement(10, k, seed=3)
    assert x.shape == (len(VOCAB), 10, k + 4)
    assert y.shape == (1, 10) and y.dtype == np.float64
    assert ids.shape == (10, k + 4) and ids.dtype == np.int64
    assert vocab == VOCAB
    assert (x.sum(axis=0) == 1).all()  # one-hot columns
    assert (x.argmax(axis=0) == ids).all()


def test_sentence_structure_and_label_follow_the_subject():
    data = make_agreement(200, 5, seed=0)
    for row, label in zip(data.ids, data.y[0]):
        words = [VOCAB[i] for i in row]
        assert words[0] == "the" and words[2] == "which" and words[-1] == ","
        assert words[1] in (PLURAL if label == 1 else SINGULAR)
        assert all(w in NEUTRAL for w in words[3:-1])


def test_mixed_clauses_hold_attractors_of_both_numbers_independent_of_the_label():
    data = make_agreement(400, 6, seed=1, mixed=True)
    clause = [VOCAB[i] for i in data.ids[:, 3:-1].ravel()]
    share = np.mean([w in ATTRACTORS_SINGULAR + ATTRACTORS_PLURAL for w in clause])
    assert 0.4 < share < 0.6
    assert set(ATTRACTORS_SINGULAR) <= set(clause) and set(ATTRACTORS_PLURAL) <= set(clause)
    plural_attractor = np.isin(data.ids[:, 3:-1], [VOCAB.index(w) for w in ATTRACTORS_PLURAL]).any(axis=1)
    # the clause says nothing about the label: as many plural attractors for both subjects
    assert abs(plural_attractor[data.y[0] == 1].mean() - plural_attractor[data.y[0] == 0].mean()) < 0.15


def test_deterministic_by_seed_and_balanced():
    a, b, c = make_agreement(31, 4, seed=5), make_agreement(31, 4, seed=5), make_agreement(31, 4, seed=6)
    assert (a.ids == b.ids).all() and (a.y == b.y).all()
    assert not (a.ids == c.ids).all()
    assert a.y.sum() == 15
    free = make_agreement(1000, 2, seed=0, balanced=False)
    assert 400 < free.y.sum() < 600


@pytest.mark.parametrize("bad", [dict(m=0, k=1), dict(m=3, k=-1), dict(m=2.5, k=1), dict(m=3, k=True)])
def test_bad_sizes_raise(bad):
    with pytest.raises(ValueError, match="must be an integer"):
        make_agreement(**bad)


def test_sentence_and_accuracy():
    data = make_agreement(2, 1, seed=0)
    text = sentence(data.ids[0], data.y[0, 0])
    assert text.startswith("the ") and text.endswith(("was full.", "were full."))
    assert sentence(data.ids[0]).endswith("___ full.")
    assert accuracy(np.array([[0.9, 0.2, 0.6, 0.4]]), np.array([[1, 0, 0, 0]])) == 0.75
    with pytest.raises(ValueError, match="same number"):
        accuracy(np.zeros((1, 3)), np.zeros((1, 4)))


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_trainer_learns_a_short_clause_deterministically(cell):
    train, test = make_agreement(128, 2, seed=1), make_agreement(64, 2, seed=2)
    first = train_agreement(cell, train.x, train.y, n_a=6, epochs=6, seed=0)
    again = train_agreement(cell, train.x, train.y, n_a=6, epochs=6, seed=0)
    assert first.losses == again.losses
    assert first.losses[-1] < first.losses[0]
    y_hat = predict_agreement(cell, first.parameters, test.x)
    assert y_hat.shape == (1, 64)
    assert accuracy(y_hat, test.y) > 0.9


@pytest.mark.parametrize("cell", ["rnn", "gru", "lstm"])
def test_trainer_gradients_match_numerical_ones(cell):
    """The gradient of one update (before clipping) agrees with centred differences of the batch loss."""
    from rnnkit.agreement import _INIT, _loss_and_gradients
    from rnnkit.gradcheck import gradient_check

    data = make_agreement(5, 2, seed=4, mixed=True)
    p = _INIT[cell](len(VOCAB), 3, n_y=1, seed=1, scale=0.5)
    _, grads = _loss_and_gradients(cell, p, data.x, data.y)
    def J(q):
        return _loss_and_gradients(cell, q, data.x, data.y)[0]

    report = gradient_check(J, p, grads, threshold=1e-5)  # dWr's tiny entries are noisy at 1e-7
    assert report.ok, str(report)
