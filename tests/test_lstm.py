"""Tests of rnnkit.lstm: gradient checks, cell vs sequence, batch vs examples, an oracle, errors."""

from functools import partial

import numpy as np
from checks import expect_error

from rnnkit.gradcheck import gradient_check
from rnnkit.lstm import lstm_backward, lstm_cell_backward, lstm_cell_forward, lstm_forward

N_X, N_A, N_Y, M, T_X = 3, 4, 5, 2, 4
KEYS = ("f", "u", "o", "c")


def make(seed=0, n_y=None, dtype=np.float64, m=M):
    """Random parameters (lecture keys), x (n_x, m, T_x), a0 and c0 (n_a, m)."""
    rng = np.random.default_rng(seed)
    p = {f"W{g}": rng.normal(0, 0.6, (N_A, N_A + N_X)) for g in KEYS}
    p.update({f"b{g}": rng.normal(0, 0.3, (N_A, 1)) for g in KEYS})
    if n_y:
        p.update(Wy=rng.normal(0, 0.6, (n_y, N_A)), by=rng.normal(0, 0.3, (n_y, 1)))
    x = rng.normal(0, 1, (N_X, m, T_X))
    a0 = rng.normal(0, 0.5, (N_A, m))
    c0 = rng.normal(0, 0.5, (N_A, m))
    cast = lambda a: a.astype(dtype)  # noqa: E731
    return {k: cast(v) for k, v in p.items()}, cast(x), cast(a0), cast(c0)


# ---------------------------------------------------------------- independent oracle

def oracle_forward(x, a0, c0, p):
    """The lecture's equations, one example at a time, with W split into its hidden and input blocks."""
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    n_a = a0.shape[0]
    a, c = np.zeros((n_a,) + x.shape[1:]), np.zeros((n_a,) + x.shape[1:])

    def pre(g, a_prev, xt):
        return p[f"W{g}"][:, :n_a] @ a_prev + p[f"W{g}"][:, n_a:] @ xt + p[f"b{g}"][:, 0]

    for i in range(x.shape[1]):
        a_prev, c_prev = a0[:, i], c0[:, i]
        for t in range(x.shape[2]):
            xt = x[:, i, t]
            gf, gu, go = (sig(pre(g, a_prev, xt)) for g in "fuo")
            ct = np.tanh(pre("c", a_prev, xt))
            c_prev = gu * ct + gf * c_prev
            a_prev = go * np.tanh(c_prev)
            a[:, i, t], c[:, i, t] = a_prev, c_prev
    return a, c


def test_forward_matches_independent_oracle():
    p, x, a0, c0 = make(n_y=N_Y)
    a, y_pred, c, _ = lstm_forward(x, a0, p, c0=c0)
    a_want, c_want = oracle_forward(x, a0, c0, p)
    np.testing.assert_allclose(a, a_want, rtol=1e-12, atol=1e-12, err_msg="a: ours vs oracle")
    np.testing.assert_allclose(c, c_want, rtol=1e-12, atol=1e-12, err_msg="c: ours vs oracle")
    z = np.einsum("ya,amt->ymt", p["Wy"], a_want) + p["by"][:, :, None]
    y_want = np.exp(z) / np.exp(z).sum(axis=0)
    np.testing.assert_allclose(y_pred, y_want, rtol=1e-12, atol=1e-12, err_msg="y_hat: ours vs oracle")


def test_wide_layer_matches_oracle_and_step_by_step_backward():
    """n_a = 11, n_x = 10: more rows than lstm's step-major copies move at once (8), and not a multiple of 8."""
    rng = np.random.default_rng(7)
    n_x, n_a, m, T_x = 10, 11, 3, 5
    p = {f"W{g}": rng.normal(0, 0.4, (n_a, n_a + n_x)) for g in KEYS}
    p.update({f"b{g}": rng.normal(0, 0.3, (n_a, 1)) for g in KEYS})
    x, a0, c0 = rng.normal(size=(n_x, m, T_x)), rng.normal(0, 0.5, (n_a, m)), rng.normal(0, 0.5, (n_a, m))
    a, _, c, caches = lstm_forward(x, a0, p, c0=c0)
    a_want, c_want = oracle_forward(x, a0, c0, p)
    np.testing.assert_allclose(a, a_want, rtol=1e-12, atol=1e-12, err_msg="a: ours vs oracle")
    np.testing.assert_allclose(c, c_want, rtol=1e-12, atol=1e-12, err_msg="c: ours vs oracle")
    da, dc = rng.normal(size=(n_a, m, T_x)), rng.normal(size=(n_a, m, T_x))
    fast, slow = lstm_backward(da, caches, dc), lstm_backward(da, list(caches), dc)  # a plain list: step by step
    assert set(fast) == set(slow)
    for k in fast:
        np.testing.assert_allclose(fast[k], slow[k], rtol=1e-12, atol=1e-13, err_msg=k)


def test_c0_defaults_to_zeros():
    p, x, a0, _ = make()
    a1, _, c1, _ = lstm_forward(x, a0, p)
    a2, _, c2, _ = lstm_forward(x, a0, p, c0=np.zeros_like(a0))
    np.testing.assert_array_equal(a1, a2)
    np.testing.assert_array_equal(c1, c2)
    np.testing.assert_allclose(a1, oracle_forward(x, a0, np.zeros_like(a0), p)[0], rtol=1e-12, atol=1e-14)


# ---------------------------------------------------------------- gradients

def test_lstm_backward_gradient_check():
    """J = Σ Ra * a + Σ Rc * c, so da = Ra and dc = Rc: dc must be carried back through time."""
    p, x, a0, c0 = make(seed=1)
    rng = np.random.default_rng(101)
    Ra, Rc = rng.normal(size=(N_A, M, T_X)), rng.normal(size=(N_A, M, T_X))
    theta = {**p, "x": x, "a0": a0, "c0": c0}

    def J(th):
        a, _, c, _ = lstm_forward(th["x"], th["a0"], {k: th[k] for k in p}, c0=th["c0"])
        return np.sum(Ra * a) + np.sum(Rc * c)

    _, _, _, caches = lstm_forward(x, a0, p, c0=c0)
    grads = lstm_backward(Ra, caches, dc=Rc)
    report = gradient_check(J, theta, grads)
    assert set(report.errors) == {f"d{k}" for k in theta}
    assert report.ok, str(report)

    # with da only (dc=None means zeros)
    def J_a(th):
        return np.sum(Ra * lstm_forward(th["x"], th["a0"], {k: th[k] for k in p}, c0=th["c0"])[0])

    report = gradient_check(J_a, theta, lstm_backward(Ra, caches))
    assert report.ok, str(report)


def test_lstm_cell_backward_gradient_check():
    p, x, a0, c0 = make(seed=2)
    rng = np.random.default_rng(3)
    Ra, Rc = rng.normal(size=(N_A, M)), rng.normal(size=(N_A, M))
    theta = {**p, "xt": x[:, :, 0], "a_prev": a0, "c_prev": c0}

    def J(th):
        a_next, c_next, _, _ = lstm_cell_forward(th["xt"], th["a_prev"], th["c_prev"], {k: th[k] for k in p})
        return np.sum(Ra * a_next) + np.sum(Rc * c_next)

    _, _, _, cache = lstm_cell_forward(x[:, :, 0], a0, c0, p)
    grads = lstm_cell_backward(Ra, Rc, cache)
    assert list(grads) == ["dxt", "da_prev", "dc_prev"] + [f"d{w}{g}" for g in KEYS for w in "Wb"]
    report = gradient_check(J, theta, grads)
    assert report.ok, str(report)


def test_memory_cell_path_is_gamma_f():
    """∂c<t>/∂c<t-1> along the memory cell alone (da_next = 0, dc_next = 1) is Γf."""
    p, x, a0, c0 = make(seed=4)
    _, _, _, cache = lstm_cell_forward(x[:, :, 0], a0, c0, p)
    grads = lstm_cell_backward(np.zeros((N_A, M)), np.ones((N_A, M)), cache)
    gamma_f = 1 / (1 + np.exp(-(p["Wf"] @ np.vstack([a0, x[:, :, 0]]) + p["bf"])))
    np.testing.assert_allclose(grads["dc_prev"], gamma_f, rtol=1e-14)
    np.testing.assert_array_equal(grads["dc_prev"], cache.gamma_f)
    # c<t> does not depend on Γo: without da_next the output gate gets no gradient
    assert np.all(grads["dWo"] == 0) and np.all(grads["dbo"] == 0)


# ---------------------------------------------------------------- consistency

def test_cell_loop_equals_sequence():
    p, x, a0, c0 = make(n_y=N_Y)
    a, y_pred, c, caches = lstm_forward(x, a0, p, c0=c0)
    a_next, c_next = a0, c0
    for t in range(T_X):
        a_next, c_next, yt_pred, _ = lstm_cell_forward(x[:, :, t], a_next, c_next, p)
        np.testing.assert_allclose(a[:, :, t], a_next, rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(c[:, :, t], c_next, rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(y_pred[:, :, t], yt_pred, rtol=1e-14)
    rng = np.random.default_rng(5)
    Ra, Rc = rng.normal(size=a.shape), rng.normal(size=a.shape)
    grads = lstm_backward(Ra, caches, dc=Rc)
    da_prev, dc_prev = np.zeros_like(a0), np.zeros_like(c0)
    total = {k: 0.0 for k in grads if k[1] in "Wb"}
    for t in reversed(range(T_X)):
        step = lstm_cell_backward(Ra[:, :, t] + da_prev, Rc[:, :, t] + dc_prev, caches[t])
        np.testing.assert_allclose(grads["dx"][:, :, t], step["dxt"], rtol=1e-13)
        da_prev, dc_prev = step["da_prev"], step["dc_prev"]
        for k in total:
            total[k] = total[k] + step[k]
    np.testing.assert_allclose(grads["da0"], da_prev, rtol=1e-13)
    np.testing.assert_allclose(grads["dc0"], dc_prev, rtol=1e-13)
    for k in total:
        np.testing.assert_allclose(grads[k], total[k], rtol=1e-13, err_msg=k)


def test_batch_equals_single_examples():
    p, x, a0, c0 = make(n_y=N_Y, m=3)
    a, y_pred, c, caches = lstm_forward(x, a0, p, c0=c0)
    rng = np.random.default_rng(6)
    Ra, Rc = rng.normal(size=a.shape), rng.normal(size=a.shape)
    grads = lstm_backward(Ra, caches, dc=Rc)
    summed = {k: np.zeros_like(v) for k, v in grads.items() if k[1] in "Wb"}
    for i in range(3):
        s = slice(i, i + 1)
        ai, yi, ci, cache_i = lstm_forward(x[:, s], a0[:, s], p, c0=c0[:, s])
        for ours, single in [(a, ai), (y_pred, yi), (c, ci)]:
            np.testing.assert_allclose(ours[:, s], single, rtol=1e-13, atol=1e-15)
        gi = lstm_backward(Ra[:, s], cache_i, dc=Rc[:, s])
        for k in ("dx", "da0", "dc0"):
            np.testing.assert_allclose(grads[k][:, s], gi[k], rtol=1e-12, atol=1e-15, err_msg=k)
        for k in summed:
            summed[k] += gi[k]
    for k in summed:
        np.testing.assert_allclose(grads[k], summed[k], rtol=1e-12, atol=1e-14, err_msg=k)


def test_float32_in_float32_out():
    p64, x64, a064, _ = make(n_y=N_Y)
    p, x, a0, _ = make(n_y=N_Y, dtype=np.float32)
    a, y_pred, c, caches = lstm_forward(x, a0, p)
    assert a.dtype == c.dtype == y_pred.dtype == np.float32
    np.testing.assert_allclose(a, lstm_forward(x64, a064, p64)[0], atol=1e-5)
    grads = lstm_backward(np.ones_like(a), caches)
    assert all(g.dtype == np.float32 for g in grads.values()), {k: g.dtype for k, g in grads.items()}


def test_no_output_layer_gives_none():
    p, x, a0, _ = make()
    a, y_pred, c, _ = lstm_forward(x, a0, p)
    assert y_pred is None and a.shape == c.shape == (N_A, M, T_X)
    assert np.all(np.abs(a) < 1)  # a<t> = Γo * tanh(c<t>) stays in (−1, 1)


# ---------------------------------------------------------------- errors in lecture notation

def test_invalid_inputs_name_argument_and_shape():
    p, x, a0, c0 = make()
    xt = x[:, :, 0]
    expect_error(lambda: lstm_cell_forward(np.zeros((N_X + 1, M)), a0, c0, p), "xt", "(n_x, m)", f"({N_X}, m)")
    expect_error(lambda: lstm_cell_forward(np.zeros(N_X), a0, c0, p), "xt", "(n_x, m)")
    tall, wide = np.zeros((N_A + 1, M)), np.zeros((N_A, M + 1))
    expect_error(lambda: lstm_cell_forward(xt, tall, c0, p), "a_prev", "(n_a, m)", f"({N_A}, {M})")
    expect_error(lambda: lstm_cell_forward(xt, a0, wide, p), "c_prev", "(n_a, m)", f"({N_A}, {M})")
    expect_error(lambda: lstm_forward(x[:, :, 0], a0, p), "x", "(n_x, m, T_x)")
    expect_error(lambda: lstm_forward(x, a0.T, p), "a0", "(n_a, m)")
    expect_error(lambda: lstm_forward(x, a0, p, c0=np.zeros((N_A + 1, M))), "c0", "(n_a, m)")


def test_missing_key_and_wrong_parameter_shape():
    p, x, a0, c0 = make(n_y=N_Y)
    xt = x[:, :, 0]
    for key, notation in [("Wf", "(n_a, n_a + n_x)"), ("bo", "(n_a, 1)"), ("Wc", "(n_a, n_a + n_x)")]:
        missing = {k: v for k, v in p.items() if k != key}
        expect_error(partial(lstm_cell_forward, xt, a0, c0, missing), key, notation)
        expect_error(partial(lstm_forward, x, a0, missing), key, notation)
    narrow = np.zeros((N_A, N_X))  # (n_a, n_x): the hidden block is missing
    expect_error(lambda: lstm_cell_forward(xt, a0, c0, {**p, "Wf": narrow}), "Wf", "(n_a, n_a + n_x)")
    expect_error(lambda: lstm_cell_forward(xt, a0, c0, {**p, "bu": np.zeros((1, N_A))}), "bu", "(n_a, 1)")
    expect_error(lambda: lstm_cell_forward(xt, a0, c0, {**p, "by": np.zeros((N_Y + 1, 1))}), "by", "(n_y, 1)")
    expect_error(lambda: lstm_forward(x, a0, [p]), "parameters", "dict")


def test_string_dtype_and_bad_upstream_gradients():
    p, x, a0, c0 = make()
    xt = x[:, :, 0]
    expect_error(lambda: lstm_cell_forward(xt.astype(str), a0, c0, p), "xt", "dtype")
    expect_error(lambda: lstm_cell_forward(xt, a0, c0, {**p, "Wo": p["Wo"].astype(str)}), "Wo", "dtype")
    _, _, _, caches = lstm_forward(x, a0, p)
    expect_error(lambda: lstm_backward(np.zeros((N_A, M)), caches), "da", "(n_a, m, T_x)")
    da = np.zeros((N_A, M, T_X))
    expect_error(lambda: lstm_backward(da, caches, dc=np.zeros((N_A, M, 1))), "dc", "(n_a, m, T_x)")
    expect_error(lambda: lstm_backward(da, []), "caches")
    expect_error(lambda: lstm_cell_backward(da[:, :, 0], np.zeros((N_A + 1, M)), caches[0]), "dc_next", "(n_a, m)")
