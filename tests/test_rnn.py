"""Tests of rnnkit.rnn and rnnkit.output: oracle, gradient checks, cell vs sequence, batch, padding, errors."""

import numpy as np
import pytest

from rnnkit import (
    cross_entropy,
    cross_entropy_grad,
    gradient_check,
    initialize_rnn,
    one_hot,
    output_backward,
    pad_sequences,
    rnn_backward,
    rnn_cell_backward,
    rnn_cell_forward,
    rnn_forward,
)

N_X, N_A, N_Y, M, T_X = 3, 4, 5, 2, 4


def make(seed=0, m=M, dtype=np.float64):
    rng = np.random.default_rng(seed)
    p = {"Waa": rng.normal(0, 0.5, (N_A, N_A)), "Wax": rng.normal(0, 0.8, (N_A, N_X)),
         "ba": rng.normal(0, 0.3, (N_A, 1)), "Wya": rng.normal(0, 0.8, (N_Y, N_A)), "by": rng.normal(0, 0.3, (N_Y, 1))}
    x, a0 = rng.normal(0, 1, (N_X, m, T_X)), rng.normal(0, 0.5, (N_A, m))
    return {k: v.astype(dtype) for k, v in p.items()}, x.astype(dtype), a0.astype(dtype)


def oracle(x, a0, p, g=np.tanh):
    """The lecture's equations for one example and one step at a time, with plain loops."""
    a, y = np.zeros((N_A,) + x.shape[1:]), np.zeros((N_Y,) + x.shape[1:])
    for i in range(x.shape[1]):
        a_prev = a0[:, i]
        for t in range(x.shape[2]):
            a_prev = g(p["Waa"] @ a_prev + p["Wax"] @ x[:, i, t] + p["ba"][:, 0])
            z = p["Wya"] @ a_prev + p["by"][:, 0]
            a[:, i, t], y[:, i, t] = a_prev, np.exp(z) / np.exp(z).sum()
    return a, y


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_forward_matches_oracle(activation):
    p, x, a0 = make()
    a, y_pred, caches = rnn_forward(x, a0, p, activation=activation)
    g = np.tanh if activation == "tanh" else (lambda z: np.maximum(z, 0))
    want_a, want_y = oracle(x, a0, p, g)
    np.testing.assert_allclose(a, want_a, rtol=1e-12, atol=1e-14, err_msg="a: ours vs oracle")
    np.testing.assert_allclose(y_pred, want_y, rtol=1e-12, atol=1e-14, err_msg="y_pred: ours vs oracle")
    assert len(caches) == T_X


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_backward_matches_numerical_gradients(activation):
    """Parameters, dx and da0 through the output layer and a cross-entropy loss, float64."""
    p, x, a0 = make(seed=1)
    y = one_hot(np.random.default_rng(2).integers(0, N_Y, (M, T_X)), N_Y)
    inputs = {"x": x, "a0": a0}

    def J(params):
        return cross_entropy(rnn_forward(inputs["x"], inputs["a0"], params, activation)[1], y)

    a, y_pred, caches = rnn_forward(x, a0, p, activation)
    dWya, dby, da = output_backward(cross_entropy_grad(y_pred, y), a, p["Wya"])
    grads = {**rnn_backward(da, caches), "dWya": dWya, "dby": dby}
    report = gradient_check(J, p, grads)
    assert report.ok, str(report)
    # dx and da0: the same check with the inputs as the "parameters"
    J_in = lambda inp: cross_entropy(rnn_forward(inp["x"], inp["a0"], p, activation)[1], y)  # noqa: E731
    report = gradient_check(J_in, inputs, grads)
    assert report.ok, str(report)


def test_cell_by_cell_equals_sequence():
    p, x, a0 = make()
    a, y_pred, caches = rnn_forward(x, a0, p)
    a_next, da_prev = a0, None
    for t in range(T_X):
        a_next, yt_pred, _ = rnn_cell_forward(x[:, :, t], a_next, p)
        np.testing.assert_allclose(a_next, a[:, :, t], rtol=1e-14)
        np.testing.assert_allclose(yt_pred, y_pred[:, :, t], rtol=1e-14)
    # backward: one step at a time, carrying da_prev, equals rnn_backward
    da = np.random.default_rng(3).normal(size=a.shape)
    total = rnn_backward(da, caches)
    da_prev, dWaa = np.zeros_like(a0), np.zeros_like(p["Waa"])
    for t in reversed(range(T_X)):
        step = rnn_cell_backward(da[:, :, t] + da_prev, caches[t])
        da_prev, dWaa = step["da_prev"], dWaa + step["dWaa"]
    np.testing.assert_allclose(total["da0"], da_prev, rtol=1e-12)
    np.testing.assert_allclose(total["dWaa"], dWaa, rtol=1e-12)


def test_batch_equals_single_examples():
    p, x, a0 = make(m=3)
    a, y_pred, caches = rnn_forward(x, a0, p)
    da = np.random.default_rng(4).normal(size=a.shape)
    grads = rnn_backward(da, caches)
    summed = {k: 0 for k in ("dWaa", "dWax", "dba")}
    for i in range(3):
        ai, yi, ci = rnn_forward(x[:, i : i + 1], a0[:, i : i + 1], p)
        np.testing.assert_allclose(ai[:, 0], a[:, i], rtol=1e-13)
        np.testing.assert_allclose(yi[:, 0], y_pred[:, i], rtol=1e-13)
        gi = rnn_backward(da[:, i : i + 1], ci)
        np.testing.assert_allclose(gi["dx"][:, 0], grads["dx"][:, i], rtol=1e-12)
        summed = {k: summed[k] + gi[k] for k in summed}
    for k in summed:
        np.testing.assert_allclose(summed[k], grads[k], rtol=1e-12)


def test_padded_steps_contribute_nothing():
    """A padded batch with a mask gives the loss and gradients of its examples taken one by one."""
    p = initialize_rnn(N_X, N_A, N_Y, seed=5)
    seqs = [[0, 2, 1, 1, 0], [2, 1], [1, 0, 2]]
    targets = [[2, 1, 1, 0, 1], [1, 0], [0, 2, 2]]
    ids, mask = pad_sequences(seqs)
    y_ids, _ = pad_sequences(targets)
    x, y = one_hot(ids, N_X), one_hot(y_ids, N_Y)
    a0 = np.zeros((N_A, len(seqs)))

    def loss_and_grads(x, y, a0, mask):
        a, y_pred, caches = rnn_forward(x, a0, p)
        dWya, dby, da = output_backward(cross_entropy_grad(y_pred, y, mask), a, p["Wya"])
        return cross_entropy(y_pred, y, mask), {**rnn_backward(da, caches), "dWya": dWya, "dby": dby}

    L, grads = loss_and_grads(x, y, a0, mask)
    m = len(seqs)
    L_sum, g_sum = 0.0, {k: 0 for k in ("dWaa", "dWax", "dba", "dWya", "dby")}
    for s, tg in zip(seqs, targets):
        Li, gi = loss_and_grads(one_hot([s], N_X), one_hot([tg], N_Y), np.zeros((N_A, 1)), None)
        L_sum += Li / m  # cross_entropy averages over the batch
        g_sum = {k: g_sum[k] + gi[k] / m for k in g_sum}
    assert L == pytest.approx(L_sum, rel=1e-12)
    for k in g_sum:
        np.testing.assert_allclose(grads[k], g_sum[k], rtol=1e-10, atol=1e-15, err_msg=k)
    assert np.all(grads["dx"][:, ~mask] == 0), "no gradient reaches a padded input"


def test_float32_stays_float32():
    p, x, a0 = make(dtype=np.float32)
    a, y_pred, caches = rnn_forward(x, a0, p)
    assert a.dtype == y_pred.dtype == np.float32
    assert rnn_backward(np.ones_like(a), caches)["dWaa"].dtype == np.float32


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda p, x, a0: rnn_forward(x.transpose(1, 0, 2), a0, p),
         r"x must have shape \(n_x, m, T_x\) = \(3, m, T_x\)"),
        (lambda p, x, a0: rnn_forward(x, a0.T, p), r"a0 must have shape \(n_a, m\) = \(4, 2\), got \(2, 4\)"),
        (lambda p, x, a0: rnn_forward(x[:, :, 0], a0, p), r"x must have shape \(n_x, m, T_x\).*2-d"),
        (lambda p, x, a0: rnn_cell_forward(x[:, :, 0], a0, {k: v for k, v in p.items() if k != "Wax"}),
         r"parameters is missing Wax \(n_a, n_x\)"),
        (lambda p, x, a0: rnn_cell_forward(x[:, :, 0], a0, dict(p, ba=np.zeros(N_A))),
         r"parameters\['ba'\] must have shape \(n_a, 1\)"),
        (lambda p, x, a0: rnn_cell_forward(x[:, :, 0], a0, dict(p, Waa=p["Waa"].T[:3])),
         r"parameters\['Waa'\] must have shape \(n_a, n_a\)"),
        (lambda p, x, a0: rnn_forward(x.astype(str), a0, p), r"x must hold real numbers"),
        (lambda p, x, a0: rnn_forward(x, a0, p, activation="sigmoid!"), r"activation must be one of"),
        (lambda p, x, a0: rnn_forward(x, a0, [p]), r"parameters must be a dict"),
        (lambda p, x, a0: rnn_backward(np.ones((N_A, M, T_X + 1)), rnn_forward(x, a0, p)[2]),
         r"da must have shape \(n_a, m, T_x\) = \(4, 2, 4\)"),
        (lambda p, x, a0: rnn_cell_backward(np.ones((M, N_A)), rnn_cell_forward(x[:, :, 0], a0, p)[2]),
         r"da_next must have shape \(n_a, m\) = \(4, 2\)"),
        (lambda p, x, a0: rnn_backward(np.ones((N_A, M, 0)), []), r"caches must hold one RNNCache per time step"),
    ],
)
def test_invalid_input_is_named_in_lecture_notation(call, message):
    p, x, a0 = make()
    with pytest.raises(ValueError, match=message):
        call(p, x, a0)
