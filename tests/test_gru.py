"""Tests of rnnkit.gru: gradient checks, cell vs sequence, batch vs examples, an oracle, errors."""

from functools import partial

import numpy as np
import pytest
from checks import expect_error

from rnnkit.gradcheck import gradient_check
from rnnkit.gru import gru_backward, gru_cell_backward, gru_cell_forward, gru_forward

N_X, N_A, N_Y, M, T_X = 3, 4, 5, 2, 4
FORMS = [False, True]  # simplified?


def make(simplified=False, seed=0, n_y=None, dtype=np.float64, m=M):
    """Random parameters (lecture keys), x (n_x, m, T_x) and c0 (n_a, m)."""
    rng = np.random.default_rng(seed)
    keys = ("u", "c") if simplified else ("u", "r", "c")
    p = {f"W{g}": rng.normal(0, 0.6, (N_A, N_A + N_X)) for g in keys}
    p.update({f"b{g}": rng.normal(0, 0.3, (N_A, 1)) for g in keys})
    if n_y:
        p.update(Wy=rng.normal(0, 0.6, (n_y, N_A)), by=rng.normal(0, 0.3, (n_y, 1)))
    x = rng.normal(0, 1, (N_X, m, T_X))
    c0 = rng.normal(0, 0.5, (N_A, m))
    cast = lambda a: a.astype(dtype)  # noqa: E731
    return {k: cast(v) for k, v in p.items()}, cast(x), cast(c0)


# ---------------------------------------------------------------- independent oracle

def oracle_forward(x, c0, p, simplified):
    """The lecture's equations, one example at a time, with W split into its hidden and input blocks."""
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    n_a = c0.shape[0]
    c = np.zeros((n_a,) + x.shape[1:])
    for i in range(x.shape[1]):
        c_prev = c0[:, i]
        for t in range(x.shape[2]):
            xt = x[:, i, t]
            Wu_c, Wu_x = p["Wu"][:, :n_a], p["Wu"][:, n_a:]
            Wc_c, Wc_x = p["Wc"][:, :n_a], p["Wc"][:, n_a:]
            gu = sig(Wu_c @ c_prev + Wu_x @ xt + p["bu"][:, 0])
            if simplified:
                gated = c_prev
            else:
                gr = sig(p["Wr"][:, :n_a] @ c_prev + p["Wr"][:, n_a:] @ xt + p["br"][:, 0])
                gated = gr * c_prev
            ct = np.tanh(Wc_c @ gated + Wc_x @ xt + p["bc"][:, 0])
            c_prev = gu * ct + (1 - gu) * c_prev
            c[:, i, t] = c_prev
    return c


@pytest.mark.parametrize("simplified", FORMS)
def test_forward_matches_independent_oracle(simplified):
    p, x, c0 = make(simplified, n_y=N_Y)
    c, y_pred, _ = gru_forward(x, c0, p, simplified=simplified)
    want = oracle_forward(x, c0, p, simplified)
    np.testing.assert_allclose(c, want, rtol=1e-12, atol=1e-12, err_msg="c: ours vs oracle")
    z = np.einsum("ya,amt->ymt", p["Wy"], want) + p["by"][:, :, None]
    y_want = np.exp(z) / np.exp(z).sum(axis=0)
    np.testing.assert_allclose(y_pred, y_want, rtol=1e-12, atol=1e-12, err_msg="y_hat: ours vs oracle")


def test_concatenation_order_hidden_first():
    """Only the hidden block of Wu touching c<t-1> changes Γu: a swapped [x; c] would not match."""
    p, x, c0 = make()
    xt = x[:, :, 0]
    p0 = {k: v.copy() for k, v in p.items()}
    p0["Wu"][:, N_A:] = 0  # drop the x<t> block: Γu = σ(Wu[:, :n_a] c<t-1> + bu)
    _, _, cache = gru_cell_forward(xt, c0, p0)
    want = 1 / (1 + np.exp(-(p0["Wu"][:, :N_A] @ c0 + p0["bu"])))
    np.testing.assert_allclose(cache.gamma_u, want, rtol=1e-12)
    np.testing.assert_allclose(cache.concat, np.vstack([c0, xt]))


# ---------------------------------------------------------------- gradients

def loss_and_grad(simplified, seed=1):
    """A random linear functional of the states, J = Σ R * c; its upstream gradient is dc = R."""
    p, x, c0 = make(simplified, seed=seed)
    R = np.random.default_rng(seed + 100).normal(size=(N_A, M, T_X))
    theta = {**p, "x": x, "a0": c0}

    def J(th):
        c, _, _ = gru_forward(th["x"], th["a0"], {k: th[k] for k in p}, simplified=simplified)
        return np.sum(R * c)

    return J, theta, R


@pytest.mark.parametrize("simplified", FORMS)
def test_gru_backward_gradient_check(simplified):
    J, theta, R = loss_and_grad(simplified)
    _, _, caches = gru_forward(theta["x"], theta["a0"], theta, simplified=simplified)
    grads = gru_backward(R, caches)
    assert grads["dc0"] is grads["da0"]
    report = gradient_check(J, theta, grads)
    expected = {"dWu", "dbu", "dWc", "dbc", "dx", "da0"} | (set() if simplified else {"dWr", "dbr"})
    assert set(report.errors) == expected
    assert report.ok, str(report)
    assert report.worst < 1e-7, str(report)


@pytest.mark.parametrize("simplified", FORMS)
def test_gru_cell_backward_gradient_check(simplified):
    p, x, c0 = make(simplified, seed=2)
    R = np.random.default_rng(3).normal(size=(N_A, M))
    theta = {**p, "xt": x[:, :, 0], "c_prev": c0}

    def J(th):
        c_next, _, _ = gru_cell_forward(th["xt"], th["c_prev"], {k: th[k] for k in p}, simplified)
        return np.sum(R * c_next)

    _, _, cache = gru_cell_forward(theta["xt"], theta["c_prev"], p, simplified)
    grads = gru_cell_backward(R, cache)
    keys = {"dxt", "dc_prev", "dWu", "dbu", "dWc", "dbc"} | (set() if simplified else {"dWr", "dbr"})
    assert set(grads) == keys
    report = gradient_check(J, theta, grads)
    assert report.ok, str(report)


# ---------------------------------------------------------------- consistency

@pytest.mark.parametrize("simplified", FORMS)
def test_cell_loop_equals_sequence(simplified):
    p, x, c0 = make(simplified, n_y=N_Y)
    c, y_pred, caches = gru_forward(x, c0, p, simplified=simplified)
    c_next = c0
    for t in range(T_X):
        c_next, yt_pred, _ = gru_cell_forward(x[:, :, t], c_next, p, simplified=simplified)
        np.testing.assert_allclose(c[:, :, t], c_next, rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(y_pred[:, :, t], yt_pred, rtol=1e-14)
    # and backward: the cell loop carries dc_prev back by hand
    R = np.random.default_rng(5).normal(size=c.shape)
    grads = gru_backward(R, caches)
    dc_prev = np.zeros_like(c0)
    total = {k: 0.0 for k in grads if k.startswith("dW") or k.startswith("db")}
    for t in reversed(range(T_X)):
        step = gru_cell_backward(R[:, :, t] + dc_prev, caches[t])
        np.testing.assert_allclose(grads["dx"][:, :, t], step["dxt"], rtol=1e-13)
        dc_prev = step["dc_prev"]
        for k in total:
            total[k] = total[k] + step[k]
    np.testing.assert_allclose(grads["dc0"], dc_prev, rtol=1e-13)
    for k in total:
        np.testing.assert_allclose(grads[k], total[k], rtol=1e-13, err_msg=k)


@pytest.mark.parametrize("simplified", FORMS)
def test_batch_equals_single_examples(simplified):
    p, x, c0 = make(simplified, n_y=N_Y, m=3)
    c, y_pred, caches = gru_forward(x, c0, p, simplified=simplified)
    R = np.random.default_rng(6).normal(size=c.shape)
    grads = gru_backward(R, caches)
    summed = {k: np.zeros_like(v) for k, v in grads.items() if k[1] in "Wb"}
    for i in range(3):
        ci, yi, cache_i = gru_forward(x[:, i : i + 1], c0[:, i : i + 1], p, simplified=simplified)
        np.testing.assert_allclose(c[:, i : i + 1], ci, rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(y_pred[:, i : i + 1], yi, rtol=1e-13, atol=1e-15)
        gi = gru_backward(R[:, i : i + 1], cache_i)
        np.testing.assert_allclose(grads["dx"][:, i : i + 1], gi["dx"], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(grads["da0"][:, i : i + 1], gi["da0"], rtol=1e-12, atol=1e-15)
        for k in summed:
            summed[k] += gi[k]
    for k in summed:
        np.testing.assert_allclose(grads[k], summed[k], rtol=1e-12, atol=1e-14, err_msg=k)


@pytest.mark.parametrize("simplified", FORMS)
def test_float32_in_float32_out(simplified):
    p64, x64, c064 = make(simplified, n_y=N_Y)
    p, x, c0 = make(simplified, n_y=N_Y, dtype=np.float32)
    c, y_pred, caches = gru_forward(x, c0, p, simplified=simplified)
    assert c.dtype == np.float32 and y_pred.dtype == np.float32
    np.testing.assert_allclose(c, gru_forward(x64, c064, p64, simplified=simplified)[0], atol=1e-5)
    grads = gru_backward(np.ones_like(c), caches)
    assert all(g.dtype == np.float32 for g in grads.values()), {k: g.dtype for k, g in grads.items()}


def test_no_output_layer_gives_none_and_a_equals_c():
    p, x, c0 = make()
    c, y_pred, caches = gru_forward(x, c0, p)
    assert y_pred is None
    assert caches[-1].c_next is not None and np.array_equal(caches[-1].c_next, c[:, :, -1])


def test_update_gate_shut_keeps_memory():
    """Γu ≈ 0 (bu very negative) copies c<t-1> to c<t>: the GRU's long memory."""
    p, x, c0 = make()
    p["bu"][:] = -50.0
    c, _, _ = gru_forward(x, c0, p)
    np.testing.assert_allclose(c[:, :, -1], c0, atol=1e-15)


# ---------------------------------------------------------------- simplified GRU

def test_simplified_ignores_and_does_not_need_relevance_gate():
    p, x, c0 = make(simplified=False, n_y=N_Y)
    without = {k: v for k, v in p.items() if k not in ("Wr", "br")}
    c1, y1, _ = gru_forward(x, c0, without, simplified=True)
    c2, y2, caches = gru_forward(x, c0, p, simplified=True)
    bad = {**without, "Wr": "not an array", "br": np.zeros((7, 7))}  # not even checked
    c3, _, _ = gru_forward(x, c0, bad, simplified=True)
    np.testing.assert_array_equal(c1, c2)
    np.testing.assert_array_equal(c1, c3)
    np.testing.assert_array_equal(y1, y2)
    assert caches[0].gamma_r is None and "Wr" not in caches[0].parameters
    # and it differs from the full GRU, which does use Γr
    assert not np.allclose(c1, gru_forward(x, c0, p)[0])
    grads = gru_backward(np.ones_like(c2), caches)
    assert "dWr" not in grads and "dbr" not in grads


def test_simplified_equals_full_with_relevance_gate_open():
    """Γr ≈ 1 (br very positive) turns the full GRU into the simplified one."""
    p, x, c0 = make()
    p["br"][:] = 50.0
    full, simple = gru_forward(x, c0, p)[0], gru_forward(x, c0, p, simplified=True)[0]
    np.testing.assert_allclose(full, simple, atol=1e-14)


# ---------------------------------------------------------------- errors in lecture notation

def test_invalid_inputs_name_argument_and_shape():
    p, x, c0 = make()
    xt = x[:, :, 0]
    wrong = np.zeros((N_X + 1, M))
    expect_error(lambda: gru_cell_forward(wrong, c0, p), "xt", "(n_x, m)", f"({N_X}, m)", f"got ({N_X + 1}, {M})")
    expect_error(lambda: gru_cell_forward(np.zeros(N_X), c0, p), "xt", "(n_x, m)")
    expect_error(lambda: gru_cell_forward(xt, np.zeros((N_A + 1, M)), p), "c_prev", "(n_a, m)", f"({N_A}, {M})")
    expect_error(lambda: gru_cell_forward(xt, np.zeros((N_A, M + 1)), p), "c_prev", "(n_a, m)")
    expect_error(lambda: gru_forward(x[:, :, 0], c0, p), "x", "(n_x, m, T_x)")
    expect_error(lambda: gru_forward(x, c0.T, p), "c0", "(n_a, m)")


def test_missing_key_and_wrong_parameter_shape():
    p, x, c0 = make(n_y=N_Y)
    xt = x[:, :, 0]
    for key, notation in [("Wr", "(n_a, n_a + n_x)"), ("bc", "(n_a, 1)"), ("Wu", "(n_a, n_a + n_x)")]:
        missing = {k: v for k, v in p.items() if k != key}
        expect_error(partial(gru_cell_forward, xt, c0, missing), key, notation)
        expect_error(partial(gru_forward, x, c0, missing), key, notation)
    expect_error(lambda: gru_cell_forward(xt, c0, {**p, "Wu": np.zeros((N_A, N_A))}), "Wu", "(n_a, n_a + n_x)")
    expect_error(lambda: gru_cell_forward(xt, c0, {**p, "bu": np.zeros((N_A + 1, 1))}), "bu", "(n_a, 1)")
    expect_error(lambda: gru_cell_forward(xt, c0, {**p, "Wy": np.zeros((N_Y, N_A + 1))}), "Wy", "(n_y, n_a)")
    expect_error(lambda: gru_cell_forward(xt, c0, "params"), "parameters", "dict")


def test_string_dtype_and_bad_upstream_gradients():
    p, x, c0 = make()
    xt = x[:, :, 0]
    expect_error(lambda: gru_cell_forward(xt.astype(str), c0, p), "xt", "dtype")
    expect_error(lambda: gru_cell_forward(xt, c0, {**p, "Wc": p["Wc"].astype(str)}), "Wc", "dtype")
    _, _, caches = gru_forward(x, c0, p)
    expect_error(lambda: gru_backward(np.zeros((N_A, M)), caches), "dc", "(n_a, m, T_x)")
    expect_error(lambda: gru_backward(np.zeros((N_A, M, T_X)), []), "caches")
    expect_error(lambda: gru_cell_backward(np.zeros((N_A + 1, M)), caches[0]), "dc_next", "(n_a, m)")
