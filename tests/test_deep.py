"""The stacked layers (rnnkit.deep) against layer-by-layer runs of the family, plus gradient checks."""

from importlib import import_module

import numpy as np
import pytest

from rnnkit.deep import deep_rnn_backward, deep_rnn_forward
from rnnkit.gradcheck import gradient_check
from rnnkit.init import initialize_gru, initialize_lstm, initialize_rnn
from rnnkit.output import output_backward

CELLS = ["rnn", "gru", "lstm"]
INIT = {"rnn": initialize_rnn, "gru": initialize_gru, "lstm": initialize_lstm}
n_y, m, T_x = 3, 2, 4


def family(cell, direction):
    """The family's own rnn_forward / gru_backward ..., called directly: the oracle."""
    return getattr(import_module(f"rnnkit.{cell}"), f"{cell}_{direction}")


def make(cell, sizes, seed=0, output=True, T_x=T_x):
    """x (sizes[0], m, T_x), a0 (list) and parameters for layers of sizes n_a[1..L] = sizes[1:]."""
    rng = np.random.default_rng(seed)
    layers = []
    for i in range(1, len(sizes)):
        p = INIT[cell](sizes[i - 1], sizes[i], seed=seed + 10 + i)
        layers.append({k: v + 0.3 * rng.standard_normal(v.shape) if k.startswith("b") else v
                       for k, v in p.items()})
    parameters = {"layers": layers}
    if output:
        parameters["Wy"] = rng.standard_normal((n_y, sizes[-1]))
        parameters["by"] = rng.standard_normal((n_y, 1))
    x = rng.standard_normal((sizes[0], m, T_x))
    a0 = [0.5 * rng.standard_normal((n, m)) for n in sizes[1:]]
    return x, a0, parameters


def linear_loss(a_top, y_pred, Q, R):
    """J = Σ Q * a[L] + Σ R * y_hat, a random linear functional of the top states and the outputs."""
    return float(np.sum(Q * a_top) + np.sum(R * y_pred))


@pytest.mark.parametrize("cell", CELLS)
def test_one_layer_is_the_family_itself(cell):
    """L = 1: the same states and the same gradients as the family's forward and backward."""
    x, a0, parameters = make(cell, [3, 4], output=False)
    a, y_pred, caches = deep_rnn_forward(x, a0, parameters, cell)
    assert y_pred is None and len(a) == 1
    oracle = family(cell, "forward")(x, a0[0], parameters["layers"][0])
    np.testing.assert_allclose(a[0], oracle[0], rtol=0, atol=1e-12, err_msg="a[1] (ours vs the family)")
    da = np.random.default_rng(1).standard_normal(a[0].shape)
    ours = deep_rnn_backward(da, caches)
    theirs = family(cell, "backward")(da, oracle[-1])
    for k, g in ours["layers"][0].items():
        np.testing.assert_allclose(g, theirs[k], rtol=0, atol=1e-12, err_msg=k)
    np.testing.assert_allclose(ours["dx"], theirs["dx"], rtol=0, atol=1e-12)


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("sizes", [[3, 4, 5, 2], [4, 4, 4, 4]])
def test_three_layers_each_read_the_layer_below(cell, sizes):
    """L = 3: layer l is the family run on a[l-1] (a[0] = x), never on its own states.

    The equal sizes [4, 4, 4, 4] make the classic bugs (layer l reading x, or its own states a[l], instead
    of a[l-1]) run without a shape error; the comparison with the layer-by-layer oracle catches it.
    """
    x, a0, parameters = make(cell, sizes)
    a, y_pred, _ = deep_rnn_forward(x, a0, parameters, cell)
    assert [al.shape for al in a] == [(n, m, T_x) for n in sizes[1:]]
    assert y_pred.shape == (n_y, m, T_x)
    a_below = x
    for i in range(1, 4):
        oracle = family(cell, "forward")(a_below, a0[i - 1], parameters["layers"][i - 1])[0]
        np.testing.assert_allclose(a[i - 1], oracle, rtol=0, atol=1e-12, err_msg=f"a[{i}] (ours vs family)")
        a_below = oracle


def test_a0_none_means_zeros():
    """a0 = None and a list of zeros give the same states; so does a None entry in the list."""
    x, a0, parameters = make("rnn", [3, 4, 2])
    zeros = [np.zeros_like(a) for a in a0]
    a_none, _, _ = deep_rnn_forward(x, None, parameters)
    a_zeros, _, _ = deep_rnn_forward(x, zeros, parameters)
    a_mixed, _, _ = deep_rnn_forward(x, [None, zeros[1]], parameters)
    for i in range(2):
        np.testing.assert_array_equal(a_none[i], a_zeros[i])
        np.testing.assert_array_equal(a_mixed[i], a_zeros[i])


@pytest.mark.parametrize("cell", CELLS)
def test_deep_gradient_check_every_layer_and_dx(cell):
    """Every layer's parameters, Wy, by, x and every a0[l] against centred differences (rel. error < 1e-7).

    Tiny shapes (n_a = [2, 3, 2, 3], T_x = 3), all different from one layer to the next, keep it fast.
    """
    sizes = [2, 3, 2, 3]
    x, a0, parameters = make(cell, sizes, seed=3, T_x=3)
    rng = np.random.default_rng(4)
    Q, R = rng.standard_normal((sizes[-1], m, 3)), rng.standard_normal((n_y, m, 3))
    a, y_pred, caches = deep_rnn_forward(x, a0, parameters, cell)
    dz = y_pred * (R - np.sum(R * y_pred, axis=0, keepdims=True))  # softmax backward of Σ R * y_hat
    dWy, dby, da_out = output_backward(dz, a[-1], parameters["Wy"])
    grads = deep_rnn_backward(Q + da_out, caches)
    assert [g.shape for g in grads["da0"]] == [(n, m) for n in sizes[1:]]

    def J(p):
        a, y_pred, _ = deep_rnn_forward(x, a0, p, cell)
        return linear_loss(a[-1], y_pred, Q, R)

    # eps = 1e-5: the LSTM's bottom-layer gradients are only ~1e-3, and the round-off of the
    # centred difference (~1e-16 |J| / eps) would be too close to the 1e-7 threshold with eps = 1e-6.
    report = gradient_check(J, parameters, {"layers": grads["layers"], "dWy": dWy, "dby": dby}, eps=1e-5)
    assert report.ok, str(report)
    assert len(report.errors) == 3 * len(parameters["layers"][0]) + 2

    def J_inputs(v):
        a, y_pred, _ = deep_rnn_forward(v["x"], v["a0"], parameters, cell)
        return linear_loss(a[-1], y_pred, Q, R)

    inputs = {"x": x.copy(), "a0": [a.copy() for a in a0]}
    report = gradient_check(J_inputs, inputs, {"dx": grads["dx"], "a0": grads["da0"]}, eps=1e-5)
    assert report.ok, str(report)


def test_gradient_reaches_the_bottom_layer():
    """Layer 1's weights change the loss through layers 2..3, and its gradient is not zero."""
    x, a0, parameters = make("rnn", [3, 4, 5, 2], output=False)
    Q = np.random.default_rng(2).standard_normal((2, m, T_x))
    a, _, caches = deep_rnn_forward(x, a0, parameters)
    before = np.sum(Q * a[-1])
    bumped = {"layers": [dict(p) for p in parameters["layers"]]}
    bumped["layers"][0]["Wax"] = parameters["layers"][0]["Wax"] + 0.1
    assert abs(np.sum(Q * deep_rnn_forward(x, a0, bumped)[0][-1]) - before) > 1e-4
    grads = deep_rnn_backward(Q, caches)
    assert np.abs(grads["layers"][0]["dWax"]).max() > 1e-4
    assert np.abs(grads["dx"]).max() > 1e-4


def test_float32_is_accepted():
    """float32 inputs and parameters run and stay float32."""
    x, _, parameters = make("rnn", [3, 4, 2], output=False)
    p32 = {"layers": [{k: v.astype(np.float32) for k, v in p.items()} for p in parameters["layers"]]}
    a, _, caches = deep_rnn_forward(x.astype(np.float32), None, p32)
    assert all(al.dtype == np.float32 for al in a)
    assert deep_rnn_backward(np.ones_like(a[-1]), caches)["dx"].dtype == np.float32


def _replace(parameters, index, key, value):
    layers = [dict(p) for p in parameters["layers"]]
    layers[index][key] = value
    return {**parameters, "layers": layers}


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda x, a0, p: (x, a0, p, "gru4"), ["cell", "rnn", "gru", "lstm"]),
        (lambda x, a0, p: (x, a0, {"Wy": p["Wy"], "by": p["by"]}, "rnn"), ["parameters", "'layers'"]),
        (lambda x, a0, p: (x, a0, {"layers": []}, "rnn"), ["parameters['layers']", "non-empty"]),
        (lambda x, a0, p: (x[:, :, 0], a0, p, "rnn"), ["x", "(n_x, m, T_x)"]),
        (lambda x, a0, p: (x, a0[:2], p, "rnn"), ["a0", "L = 3"]),
        (lambda x, a0, p: (x, [a0[0], a0[0], a0[2]], p, "rnn"), ["a0[1]", "(n_a[2], m) = (5, 2)"]),
        (lambda x, a0, p: (x, a0, _replace(p, 1, "Wax", np.zeros((5, 3))), "rnn"),
         ["parameters['layers'][1]['Wax']", "(n_a[2], n_a[1]) = (5, 4)", "got (5, 3)",
          "layer l = 2"]),
        (lambda x, a0, p: (x, a0, _replace(p, 0, "Wax", np.zeros((4, 2))), "rnn"),
         ["parameters['layers'][0]['Wax']", "(n_a[1], n_a[0]) = (4, 3)", "a[0] = x"]),
        (lambda x, a0, p: (x, a0, _replace(p, 2, "Waa", np.zeros((2, 3))), "rnn"),
         ["parameters['layers'][2]['Waa']", "(n_a[3], n_a[3])"]),
        (lambda x, a0, p: (x, a0, _replace(p, 2, "ba", None), "rnn"), ["parameters['layers'][2]['ba']"]),
        (lambda x, a0, p: (x, a0, {**p, "Wy": np.zeros((n_y, 5))}, "rnn"),
         ["parameters['Wy']", "(n_y, n_a[3])"]),
    ],
)
def test_invalid_inputs_raise_value_error_naming_them(change, words):
    """Wrong cells, keys, shapes and layer sizes raise ValueError in lecture notation."""
    x, a0, parameters = make("rnn", [3, 4, 5, 2])
    x, a0, parameters, cell = change(x, a0, parameters)
    with pytest.raises(ValueError) as err:
        deep_rnn_forward(x, a0, parameters, cell)
    for word in words:
        assert word in str(err.value), str(err.value)


def test_missing_key_in_a_layer_is_named():
    """A layer without one of its family's keys raises ValueError naming the key and its shape."""
    x, a0, parameters = make("rnn", [3, 4, 2])
    layers = [parameters["layers"][0], {k: v for k, v in parameters["layers"][1].items() if k != "Waa"}]
    expected = r"parameters\['layers'\]\[1\] is missing Waa \(n_a\[2\], n_a\[2\]\)"
    with pytest.raises(ValueError, match=expected):
        deep_rnn_forward(x, a0, {"layers": layers})


def test_backward_validates_da_and_caches():
    """da must be (n_a[L], m, T_x); caches must come from deep_rnn_forward."""
    x, a0, parameters = make("rnn", [3, 4, 2], output=False)
    a, _, caches = deep_rnn_forward(x, a0, parameters)
    with pytest.raises(ValueError, match=r"da must have shape \(n_a\[2\], m, T_x\) = \(2, 2, 4\)"):
        deep_rnn_backward(a[0], caches)
    with pytest.raises(ValueError, match="caches"):
        deep_rnn_backward(a[-1], caches.layer_caches)
