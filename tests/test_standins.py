"""Tests of rnnkit.standins: the stand-ins the trusted checks pass to a student's code."""

import numpy as np

from rnnkit.init import initialize_lstm
from rnnkit.lstm import lstm_cell_forward
from rnnkit.standins import peephole_lstm_cell_forward


def test_peephole_lstm_cell_forward_is_the_lstm_without_peepholes_and_has_its_derivative():
    rng = np.random.default_rng(0)
    p = initialize_lstm(3, 4, seed=1, scale=0.9)
    xt, a_prev, c_prev = rng.normal(size=(3, 5)), rng.normal(size=(4, 5)), rng.normal(size=(4, 5))
    plain = {**p, "pf": np.zeros((4, 1)), "pu": np.zeros((4, 1))}
    a, c, y, _ = peephole_lstm_cell_forward(xt, a_prev, c_prev, plain)
    want_a, want_c, _, _ = lstm_cell_forward(xt, a_prev, c_prev, p)
    assert y is None
    np.testing.assert_allclose(a, want_a, rtol=1e-12)
    np.testing.assert_allclose(c, want_c, rtol=1e-12)
    p.update(pf=rng.normal(size=(4, 1)), pu=rng.normal(size=(4, 1)))
    _, _, _, g = peephole_lstm_cell_forward(xt, a_prev, c_prev, p)
    expected = (g["gamma_f"] + c_prev * g["gamma_f"] * (1 - g["gamma_f"]) * p["pf"]
                + g["c_tilde"] * g["gamma_u"] * (1 - g["gamma_u"]) * p["pu"])
    eps = 1e-6
    up = peephole_lstm_cell_forward(xt, a_prev, c_prev + eps, p)[1]
    down = peephole_lstm_cell_forward(xt, a_prev, c_prev - eps, p)[1]
    np.testing.assert_allclose((up - down) / (2 * eps), expected, rtol=1e-6, atol=1e-8)


def test_recording_sgd_steps_by_the_gradient_and_records_its_norm():
    from rnnkit.standins import RecordingSGD, batch_id_loss

    params = {"w": np.full((2, 2), 10.0)}
    opt = RecordingSGD()
    L, grads = batch_id_loss(params, np.full((1, 1, 1), 2.0), None, None)
    assert L == 2.0
    np.testing.assert_allclose(grads["dw"], np.full((2, 2), 100.0))
    assert opt.step(params, {"dw": np.full((2, 2), 0.5)}) is params
    np.testing.assert_allclose(params["w"], np.full((2, 2), 9.5))
    assert opt.norms == [1.0]


def test_rnn_stand_ins_agree_with_the_reference_and_a_gradient_check():
    import rnnkit
    from rnnkit.standins import half_squares, rnn_loss, rnn_loss_and_gradients

    rng = np.random.default_rng(0)
    p = rnnkit.initialize_rnn(3, 4, 2, seed=1)
    x, a0 = rng.standard_normal((3, 2, 5)), np.zeros((4, 2))
    y = rnnkit.one_hot(rng.integers(0, 2, size=(2, 5)), 2)
    L, grads = rnn_loss_and_gradients(x, a0, y, p)
    J = lambda q: rnnkit.cross_entropy(rnnkit.rnn_forward(x, a0, q)[1], y)  # noqa: E731
    assert L == J(p) and max(rnnkit.gradient_check(J, p, grads).errors.values()) < 1e-7
    steps, total = rnn_loss(rnnkit.rnn_forward(x, a0, p)[1], y)
    assert steps.shape == (2, 5) and abs(steps.sum() / 2 - total) < 1e-12
    L, g = half_squares(x, a0, y, {k: np.ones((2, 2)) for k in ("Waa", "Wax", "ba", "Wya", "by")})
    assert L == 10.0 and np.array_equal(g["dWya"], np.ones((2, 2)))


def test_count_functions():
    import rnnkit
    from rnnkit.standins import deep_rnn_parameter_count, squared_sum_count

    p = rnnkit.initialize_rnn(27, 30, 27, seed=0)
    assert deep_rnn_parameter_count(27, 27)([30]) == sum(v.size for v in p.values())
    assert squared_sum_count(4)([3]) == 36 and squared_sum_count(7, 3)([1, 2]) == 66
