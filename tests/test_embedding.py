"""Tests of rnnkit.embedding: a lookup equal to E times a one-hot, a backward pass that only touches the
looked-up columns (repeats add up), and a language model with an embedding that passes the gradient check."""

import numpy as np
import pytest

from rnnkit import gradient_check, one_hot
from rnnkit.embedding import (
    embedding_backward,
    embedding_forward,
    embedding_lm_loss_and_grads,
    initialize_embedding_lm,
)

IDS = np.array([[-1, 2, 2, 4], [-1, 0, -1, -1]])  # x<1> = 0 in both rows, padding in the second


def test_forward_is_E_times_the_one_hot_and_minus_one_looks_up_zero():
    E = np.random.default_rng(0).standard_normal((3, 5))
    e = embedding_forward(IDS, E)
    assert e.shape == (3, 2, 4)
    np.testing.assert_allclose(e, np.einsum("ex,xmt->emt", E, one_hot(IDS, 5)), rtol=0, atol=0)
    np.testing.assert_array_equal(e[:, 0, 1], E[:, 2])
    assert not e[:, :, 0].any() and not e[:, 1, 2:].any()
    e[:] = 1.0
    assert not np.any(E == 1.0), "e must be a copy, not a view of E"


def test_backward_sums_over_repeats_and_touches_only_looked_up_columns():
    rng = np.random.default_rng(1)
    de = rng.standard_normal((3, 2, 4))
    dE = embedding_backward(de, IDS, 5)
    assert dE.shape == (3, 5)
    np.testing.assert_allclose(dE, de.reshape(3, -1) @ one_hot(IDS, 5).reshape(5, -1).T, rtol=1e-12)
    np.testing.assert_allclose(dE[:, 2], de[:, 0, 1] + de[:, 0, 2])  # token 2 looked up twice
    assert not dE[:, [1, 3]].any()  # never looked up
    np.testing.assert_allclose(dE[:, 4], de[:, 0, 3])  # not the −1 of padding


@pytest.mark.parametrize(("call", "message"), [
    (lambda: embedding_forward(np.array([[0, 5]]), np.zeros((2, 5))), r"\[0, n_x\) = \[0, 5\)"),
    (lambda: embedding_forward(np.array([0, 1]), np.zeros((2, 5))), r"shape \(m, T_x\)"),
    (lambda: embedding_forward(np.array([[0.0]]), np.zeros((2, 5))), "integer"),
    (lambda: embedding_forward(np.array([[0]]), np.zeros(5)), r"E must have shape \(n_e, n_x\)"),
    (lambda: embedding_backward(np.zeros((2, 1, 3)), np.array([[0, 1]]), 4), r"ids must have shape \(m, T_x\)"),
    (lambda: embedding_backward(np.zeros((2, 3)), np.array([[0, 1]]), 4), r"de must have shape"),
])
def test_bad_input_names_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_language_model_with_an_embedding_passes_the_gradient_check():
    p = initialize_embedding_lm(n_x=5, n_e=3, n_a=4, seed=1)
    p["E"] *= 10  # larger inputs than the initial 0.1 scale, so every weight matters
    y = one_hot(np.array([[2, 2, 4, 1], [0, 3, -1, -1]]), 5)
    mask = np.array([[1.0, 1, 1, 1], [1, 1, 0, 0]])
    L, grads = embedding_lm_loss_and_grads(p, IDS, y, mask)
    assert sorted(grads) == ["dE", "dWaa", "dWax", "dWya", "dba", "dby"]
    report = gradient_check(lambda q: embedding_lm_loss_and_grads(q, IDS, y, mask)[0], p, grads)
    assert report.ok, str(report)
    assert not grads["dE"][:, 1].any()  # token 1 is only a target, never an input
    with pytest.raises(ValueError, match=r"y must have shape \(n_x, m, T_x\)"):
        embedding_lm_loss_and_grads(p, IDS, y[:, :1], mask)
    with pytest.raises(ValueError, match="missing E"):
        embedding_lm_loss_and_grads({k: v for k, v in p.items() if k != "E"}, IDS, y, mask)
