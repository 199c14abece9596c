"""The bidirectional layer (rnnkit.brnn) against two plain runs of its family, plus gradient checks."""

from importlib import import_module

import numpy as np
import pytest

from rnnkit.brnn import brnn_backward, brnn_forward, reverse_in_time
from rnnkit.gradcheck import gradient_check
from rnnkit.init import initialize_gru, initialize_lstm, initialize_rnn
from rnnkit.output import output_backward, output_forward

CELLS = ["rnn", "gru", "lstm"]
INIT = {"rnn": initialize_rnn, "gru": initialize_gru, "lstm": initialize_lstm}
n_x, n_a, n_y, m, T_x = 3, 4, 3, 2, 4


def plain_forward(cell, x, a0, p):
    """The family's own sequence forward, called directly: the oracle for one direction."""
    module = import_module(f"rnnkit.{cell}")
    return getattr(module, f"{cell}_forward")(x, a0, p)[0]  # a (n_a, m, T_x); c for the GRU


def make(cell, seed=0, output=True, n_x=n_x, n_a=n_a, m=m, T_x=T_x):
    """x, a0 and parameters with random (non-zero) biases, all float64."""
    rng = np.random.default_rng(seed)
    parameters = {}
    for i, direction in enumerate(("forward", "backward")):
        p = INIT[cell](n_x, n_a, seed=seed + 10 + i)
        parameters[direction] = {k: v + 0.3 * rng.standard_normal(v.shape) if k.startswith("b") else v
                                 for k, v in p.items()}
    if output:
        parameters["Wy"] = rng.standard_normal((n_y, 2 * n_a))  # the local n_a
        parameters["by"] = rng.standard_normal((n_y, 1))
    x = rng.standard_normal((n_x, m, T_x))
    a0 = 0.5 * rng.standard_normal((n_a, m))
    return x, a0, parameters


def linear_loss(a, y_pred, Q, R):
    """J = Σ Q * a + Σ R * y_hat, a random linear functional of the states and the outputs."""
    return float(np.sum(Q * a) + np.sum(R * y_pred))


def loss_gradients(x, a0, parameters, cell, Q, R, lengths=None):
    """Analytic gradients of linear_loss, the output layer through output_backward."""
    a, y_pred, caches = brnn_forward(x, a0, parameters, cell, lengths)
    dz = y_pred * (R - np.sum(R * y_pred, axis=0, keepdims=True))  # softmax backward of Σ R * y_hat
    dWy, dby, da_out = output_backward(dz, a, parameters["Wy"])
    grads = brnn_backward(Q + da_out, caches)
    return grads, dWy, dby


@pytest.mark.parametrize("cell", CELLS)
def test_brnn_forward_equals_two_plain_runs(cell):
    """a = [a→; a←]: a→ is the family on x, a← the family on x reversed in time, reversed back."""
    x, a0, parameters = make(cell)
    a, y_pred, _ = brnn_forward(x, a0, parameters, cell=cell)
    assert a.shape == (2 * n_a, m, T_x)
    a_forward = plain_forward(cell, x, a0, parameters["forward"])
    a_backward = plain_forward(cell, x[:, :, ::-1], a0, parameters["backward"])[:, :, ::-1]
    np.testing.assert_allclose(a[:n_a], a_forward, rtol=0, atol=1e-12, err_msg="a→ (ours vs the family)")
    np.testing.assert_allclose(a[n_a:], a_backward, rtol=0, atol=1e-12, err_msg="a← (ours vs the family)")
    z = parameters["Wy"] @ a.reshape(2 * n_a, -1) + parameters["by"]
    e = np.exp(z - z.max(axis=0))
    np.testing.assert_allclose(y_pred, (e / e.sum(axis=0)).reshape(n_y, m, T_x), rtol=0, atol=1e-12)


def test_brnn_without_output_layer_returns_no_predictions():
    """Without Wy/by the layer returns y_pred = None and the same states."""
    x, a0, parameters = make("rnn")
    a, y_pred, _ = brnn_forward(x, a0, parameters)
    hidden = {k: parameters[k] for k in ("forward", "backward")}
    a_hidden, y_none, _ = brnn_forward(x, a0, hidden)
    assert y_none is None and y_pred is not None
    np.testing.assert_array_equal(a_hidden, a)


@pytest.mark.parametrize("cell", CELLS)
def test_backward_direction_at_first_step_sees_the_last_input(cell):
    """a←<1> depends on x<T_x>; a→<1> does not."""
    x, a0, parameters = make(cell)
    a, _, _ = brnn_forward(x, a0, parameters, cell=cell)
    x2 = x.copy()
    x2[:, :, -1] += 1.0
    a2, _, _ = brnn_forward(x2, a0, parameters, cell=cell)
    assert np.abs(a2[n_a:, :, 0] - a[n_a:, :, 0]).max() > 1e-6, "a←<1> must change with x<T_x>"
    np.testing.assert_array_equal(a2[:n_a, :, :-1], a[:n_a, :, :-1])  # a→<t> for t < T_x sees only x<1..t>


def test_order_of_the_concatenation_matters_against_Wy():
    """y_hat<t> = softmax(Wy [a→<t>; a←<t>] + by): [a←; a→] gives another y_hat."""
    x, a0, parameters = make("rnn")
    a, y_pred, _ = brnn_forward(x, a0, parameters)
    a_forward = plain_forward("rnn", x, a0, parameters["forward"])
    a_backward = plain_forward("rnn", x[:, :, ::-1], a0, parameters["backward"])[:, :, ::-1]
    right = output_forward(np.concatenate([a_forward, a_backward]), parameters["Wy"], parameters["by"])
    swapped = output_forward(np.concatenate([a_backward, a_forward]), parameters["Wy"], parameters["by"])
    np.testing.assert_allclose(y_pred, right, rtol=0, atol=1e-12)
    assert np.abs(y_pred - swapped).max() > 1e-3


@pytest.mark.parametrize("cell", CELLS)
def test_brnn_gradient_check_every_parameter_and_dx(cell):
    """Both directions' parameters, Wy, by, x and a0 against centred differences (rel. error < 1e-7).

    Tiny shapes (n_x = 2, n_a = 3, T_x = 3) keep the gated cells' checks fast.
    """
    x, a0, parameters = make(cell, seed=3, n_x=2, n_a=3, T_x=3)
    rng = np.random.default_rng(4)
    Q, R = rng.standard_normal((2 * 3, m, 3)), rng.standard_normal((n_y, m, 3))
    grads, dWy, dby = loss_gradients(x, a0, parameters, cell, Q, R)

    def J(p):
        return linear_loss(*brnn_forward(x, a0, p, cell)[:2], Q, R)

    analytic = {"forward": grads["forward"], "backward": grads["backward"], "dWy": dWy, "dby": dby}
    report = gradient_check(J, parameters, analytic)
    assert report.ok, str(report)
    assert len(report.errors) == 2 * len(parameters["forward"]) + 2

    def J_inputs(v):
        return linear_loss(*brnn_forward(v["x"], v["a0"], parameters, cell)[:2], Q, R)

    inputs = {"x": x.copy(), "a0": a0.copy()}
    report = gradient_check(J_inputs, inputs, {"dx": grads["dx"], "da0": grads["da0"]})
    assert report.ok, str(report)


def test_reverse_in_time_within_lengths():
    """Each example is reversed within its own length; padding stays at the end; twice is identity."""
    x = np.arange(2 * 5, dtype=float).reshape(1, 2, 5)  # example 0: 0..4, example 1: 5..9
    out = reverse_in_time(x, lengths=np.array([3, 5]))
    np.testing.assert_array_equal(out[0], [[2, 1, 0, 3, 4], [9, 8, 7, 6, 5]])
    np.testing.assert_array_equal(reverse_in_time(out, np.array([3, 5])), x)
    np.testing.assert_array_equal(reverse_in_time(x), x[..., ::-1])


@pytest.mark.parametrize("cell", CELLS)
def test_padding_gives_the_states_and_gradients_of_the_unpadded_example(cell):
    """A sequence of length 3 padded to T_x = 5 (junk in the padding) acts as the length-3 sequence alone."""
    rng = np.random.default_rng(7)
    x, a0, parameters = make(cell, seed=5, m=2, T_x=5)
    lengths = np.array([3, 5])
    a, y_pred, caches = brnn_forward(x, a0, parameters, cell, lengths)
    a_alone, y_alone, caches_alone = brnn_forward(x[:, :1, :3], a0[:, :1], parameters, cell)
    np.testing.assert_allclose(a[:, :1, :3], a_alone, rtol=0, atol=1e-12, err_msg="states on real steps")
    np.testing.assert_allclose(y_pred[:, :1, :3], y_alone, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(a[:, 0, 3:], 0.0)  # padded steps hold no state
    full, _, _ = brnn_forward(x[:, 1:], a0[:, 1:], parameters, cell)  # the unpadded example is untouched
    np.testing.assert_allclose(a[:, 1:], full, rtol=0, atol=1e-12)
    x_nan = x.copy()
    x_nan[:, 0, 3:] = np.nan  # whatever the padding holds, even NaN, never reaches a real step
    np.testing.assert_array_equal(brnn_forward(x_nan, a0, parameters, cell, lengths)[0], a)

    # Gradients with example 0 alone in the batch: its padding's upstream gradient is junk too.
    da = rng.standard_normal((2 * n_a, 1, 5))
    padded = brnn_backward(da, brnn_forward(x[:, :1], a0[:, :1], parameters, cell, np.array([3]))[2])
    alone = brnn_backward(da[:, :, :3], caches_alone)
    for direction in ("forward", "backward"):
        for k, g in alone[direction].items():
            np.testing.assert_allclose(padded[direction][k], g, rtol=1e-12, atol=1e-12, err_msg=direction + k)
    np.testing.assert_allclose(padded["dx"][:, :, :3], alone["dx"], rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(padded["dx"][:, :, 3:], 0.0)
    np.testing.assert_allclose(padded["da0"], alone["da0"], rtol=1e-12, atol=1e-12)
    x_nan = x[:, :1].copy()
    x_nan[:, :, 3:] = np.nan
    nan_padded = brnn_backward(da, brnn_forward(x_nan, a0[:, :1], parameters, cell, np.array([3]))[2])
    np.testing.assert_array_equal(nan_padded["dx"], padded["dx"])
    for direction in ("forward", "backward"):
        for k, g in padded[direction].items():
            np.testing.assert_array_equal(nan_padded[direction][k], g, err_msg=f"{direction} {k} NaN")


def test_padded_brnn_gradient_check():
    """With lengths, the gradients still match centred differences (the mask is the same both ways)."""
    x, a0, parameters = make("rnn", seed=8, m=3, T_x=4)
    lengths = np.array([2, 4, 3])
    rng = np.random.default_rng(9)
    Q, R = rng.standard_normal((2 * n_a, 3, 4)), rng.standard_normal((n_y, 3, 4))
    grads, dWy, dby = loss_gradients(x, a0, parameters, "rnn", Q, R, lengths)

    def J(p):
        return linear_loss(*brnn_forward(x, a0, p, "rnn", lengths)[:2], Q, R)

    analytic = {"forward": grads["forward"], "backward": grads["backward"], "dWy": dWy, "dby": dby}
    report = gradient_check(J, parameters, analytic)
    assert report.ok, str(report)
    def J_x(v):
        return linear_loss(*brnn_forward(v["x"], a0, parameters, "rnn", lengths)[:2], Q, R)

    report = gradient_check(J_x, {"x": x.copy()}, {"dx": grads["dx"]})
    assert report.ok, str(report)


def test_float32_is_accepted():
    """float32 inputs and parameters run and stay float32."""
    x, a0, parameters = make("rnn")
    p32 = {"forward": {k: v.astype(np.float32) for k, v in parameters["forward"].items()},
           "backward": {k: v.astype(np.float32) for k, v in parameters["backward"].items()}}
    a, _, caches = brnn_forward(x.astype(np.float32), a0.astype(np.float32), p32)
    assert a.dtype == np.float32
    assert brnn_backward(np.ones_like(a), caches)["dx"].dtype == np.float32


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda x, a0, p: (x, a0, p, {"cell": "transformer"}), ["cell", "rnn", "gru", "lstm"]),
        (lambda x, a0, p: (x, a0, {"forward": p["forward"]}, {}), ["parameters", "'backward'"]),
        (lambda x, a0, p: (x, a0, {"backward": p["backward"]}, {}), ["parameters", "'forward'"]),
        (lambda x, a0, p: (x[:, :, 0], a0, p, {}), ["x", "(n_x, m, T_x)"]),
        (lambda x, a0, p: (x, a0[:-1], p, {}), ["a0", "(n_a, m)"]),
        (lambda x, a0, p: (x, a0, {**p, "backward": {**p["backward"], "Wax": np.zeros((n_a, n_x + 1))}}, {}),
         ["parameters['backward']['Wax']", "(n_a, n_x)"]),
        (lambda x, a0, p: (x, a0, {**p, "forward": {**p["forward"], "ba": np.zeros((n_a + 1, 1))}}, {}),
         ["parameters['forward']['ba']", "(n_a, 1)"]),
        (lambda x, a0, p: (x, a0, {**p, "Wy": np.zeros((n_y, n_a))}, {}),
         ["parameters['Wy']", "(n_y, 2 * n_a)"]),
        (lambda x, a0, p: (x, a0, p, {"lengths": np.array([1, T_x + 1])}), ["lengths", "T_x"]),
        (lambda x, a0, p: (x, a0, p, {"lengths": np.array([1.0, 2.0])}), ["lengths", "(m,)"]),
        (lambda x, a0, p: (x, a0, p, {"lengths": np.array([1, 2, 3])}), ["lengths", "(m,)"]),
    ],
)
def test_invalid_inputs_raise_value_error_naming_them(change, words):
    """Wrong cells, keys, shapes and lengths raise ValueError in lecture notation."""
    x, a0, parameters = make("rnn")
    x, a0, parameters, kwargs = change(x, a0, parameters)
    with pytest.raises(ValueError) as err:
        brnn_forward(x, a0, parameters, **kwargs)
    for word in words:
        assert word in str(err.value), str(err.value)


def test_backward_validates_da_and_caches():
    """da must be (2 n_a, m, T_x); caches must come from brnn_forward."""
    x, a0, parameters = make("rnn")
    a, _, caches = brnn_forward(x, a0, parameters)
    with pytest.raises(ValueError, match=r"da must have shape \(2 \* n_a, m, T_x\)"):
        brnn_backward(a[:n_a], caches)
    with pytest.raises(ValueError, match="caches"):
        brnn_backward(a, list(caches))
