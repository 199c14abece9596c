"""Trusted checks of 07_lstm: the visible cases and the hidden ones, judged in the grader."""

import numpy as np

from autograder.trusted import Checks, Ref
from rnnkit import lstm_backward, lstm_cell_backward, lstm_cell_forward, lstm_forward
from rnnkit.activations import sigmoid
from rnnkit.gradcheck import numerical_gradients
from rnnkit.init import initialize_lstm
from rnnkit.standins import peephole_lstm_cell_forward
from rnnkit.testing import check_close, check_equal, check_shape, check_type

checks = Checks()

GRADIENT_KEYS = ("dWf", "dbf", "dWu", "dbu", "dWo", "dbo", "dWc", "dbc")
LIBRARY_CELL = {"lstm_cell_forward": Ref("rnnkit.lstm_cell_forward")}  # a mistake in Exercise 1 is not counted twice
LIBRARY_STEP_BACK = {"lstm_cell_backward": Ref("rnnkit.lstm_cell_backward")}  # nor one in Exercise 3


def random_lstm(n_x, n_a, n_y, m, seed):
    """The notebook's random_lstm (its setup cell): parameters and xt, a_prev, c_prev."""
    rng = np.random.default_rng(seed)
    parameters = {}
    for g in "fuoc":
        parameters["W" + g] = 0.8 * rng.normal(size=(n_a, n_a + n_x))
        parameters["b" + g] = rng.normal(size=(n_a, 1))
    parameters["Wy"] = rng.normal(size=(n_y, n_a))
    parameters["by"] = rng.normal(size=(n_y, 1))
    xt, a_prev, c_prev = rng.normal(size=(n_x, m)), rng.normal(size=(n_a, m)), rng.normal(size=(n_a, m))
    return parameters, xt, a_prev, c_prev


def hidden_lstm(rng, n_x, n_a, n_y, scale, biases=("bf", "bu", "bo", "bc")):
    """Parameters of a hidden case: initialize_lstm from ``rng``, then every bias drawn (all active)."""
    p = initialize_lstm(n_x, n_a, n_y, seed=rng, scale=scale)
    for key in biases:
        p[key] = rng.normal(size=p[key].shape)
    return p


@checks("07_lstm_cell_forward_tests", functions=("lstm_cell_forward",),
        reference=("lstm_cell_forward", "lstm_forward"))
def cell_forward(student):
    """The gates, c<t> = Γu * c~<t> + Γf * c<t-1>, a<t> = Γo * tanh(c<t>), y_hat<t> and the cache."""
    parameters, xt, a_prev, c_prev = random_lstm(n_x=2, n_a=3, n_y=2, m=2, seed=1)
    a_next, c_next, yt_pred, cache = student.lstm_cell_forward(xt, a_prev, c_prev, parameters)
    check_shape("a_next (a<t>)", a_next, (3, 2), notation="(n_a, m)")
    check_shape("c_next (c<t>)", c_next, (3, 2), notation="(n_a, m)")
    check_shape("yt_pred (y_hat<t>)", yt_pred, (2, 2), notation="(n_y, m)")
    gamma_o = lstm_cell_forward(xt, a_prev, c_prev, parameters)[3].gamma_o
    # expected values from a correct implementation; tolerance 1e-6 relative
    check_close("cache.gamma_f (Γf)", cache.gamma_f,
                [[0.190101557, 0.460683], [0.663710325, 0.56854582], [0.428754237, 0.470610779]],
                mistakes={"Γf with [x<t>; a<t-1>] (x first): the lecture's order is [a<t-1>; x<t>]":
                          [[0.724136022, 0.595524744], [0.793495314, 0.740428551], [0.168370113, 0.199120517]]},
                hint="Γf = σ(Wf [a<t-1>; x<t>] + bf), with the hidden part a<t-1> first in the concatenation")
    check_close("c_next (c<t>)", c_next,
                [[0.607117115, 0.690134555], [0.822451503, 0.534199503], [1.225920189, -0.273538892]],
                mistakes={"c<t> with [x<t>; a<t-1>] (x first) in the gates: the lecture's order is [a<t-1>; x<t>]":
                          [[1.54396841, 0.9887436], [0.748796627, 0.435047495], [-0.151995953, -0.69435096]]},
                hint="c<t> = Γu * c~<t> + Γf * c<t-1>, all element-wise")
    check_close("a_next (a<t>)", a_next,
                [[0.434091773, 0.322427367], [0.298343635, 0.232042607], [0.447759194, -0.10533217]],
                mistakes={"a<t> = Γo * c<t>, the slide's form without tanh": gamma_o * c_next,
                          "a<t> with [x<t>; a<t-1>] (x first) in the gates: the lecture's order is [a<t-1>; x<t>]":
                          [[0.597283327, 0.436413756], [0.288470372, 0.226874923], [-0.085126692, -0.364065578]]},
                hint="a<t> = Γo * tanh(c<t>)")
    check_close("yt_pred (y_hat<t>)", yt_pred, [[0.66804471, 0.464412657], [0.33195529, 0.535587343]],
                hint="y_hat<t> = softmax(Wy a<t> + by): each column sums to 1")
    check_close("cache.tanh_c_next", cache.tanh_c_next, np.tanh(c_next), hint="the cache keeps tanh(c<t>)")
    rng = np.random.default_rng(7001)
    for n_x, n_a, n_y, m in ((4, 3, 5, 1), (3, 6, 2, 9)):
        p = hidden_lstm(rng, n_x, n_a, n_y, scale=0.8, biases=("bf", "bu", "bo", "bc", "by"))
        xt, a_prev, c_prev = rng.normal(size=(n_x, m)), rng.normal(size=(n_a, m)), rng.normal(size=(n_a, m))
        expected = lstm_cell_forward(xt, a_prev, c_prev, p)
        got = student.lstm_cell_forward(xt, a_prev, c_prev, p)
        # tolerance 1e-6 relative, 1e-8 absolute (float64, same operations)
        check_close("a_next", got[0], expected[0])
        check_close("c_next", got[1], expected[1])
        check_close("yt_pred", got[2], expected[2])
        for field in ("concat", "gamma_f", "gamma_u", "gamma_o", "c_tilde", "tanh_c_next"):
            check_close(f"cache.{field}", getattr(got[3], field), getattr(expected[3], field))


@checks("07_lstm_forward_tests", functions=("lstm_forward",), reference=("lstm_forward",))
def sequence_forward(student):
    """a<t> and c<t> carried from step to step from a<0> = a0, c<0> = 0 (on rnnkit's cell)."""
    parameters, _, a0, _ = random_lstm(n_x=2, n_a=3, n_y=2, m=4, seed=2)
    x = np.random.default_rng(3).normal(size=(2, 4, 5))
    a, y_pred, c, caches = student.run("lstm_forward", x, a0, parameters, standins=LIBRARY_CELL).value
    check_shape("a", a, (3, 4, 5), notation="(n_a, m, T_x)")
    check_shape("y_pred", y_pred, (2, 4, 5), notation="(n_y, m, T_x)")
    check_shape("c", c, (3, 4, 5), notation="(n_a, m, T_x)")
    check_equal("len(caches)", len(caches), 5, hint="one cache per time step, T_x = 5")
    zeros = np.zeros((3, 4))
    a1, c1, y1, _ = lstm_cell_forward(x[:, :, 0], a0, zeros, parameters)
    # tolerance 1e-6 relative
    check_close("a[:, :, 0] (a<1>)", a[:, :, 0], a1, hint="step 1 starts from a<0> = a0 and c<0> = 0")
    check_close("y_pred[:, :, 0] (y_hat<1>)", y_pred[:, :, 0], y1)
    for t in range(1, 5):
        a_t, c_t, y_t, _ = lstm_cell_forward(x[:, :, t], a[:, :, t - 1], c[:, :, t - 1], parameters)
        lost = lstm_cell_forward(x[:, :, t], a[:, :, t - 1], zeros, parameters)
        check_close(f"c[:, :, {t}] (c<{t + 1}>)", c[:, :, t], c_t,
                    mistakes={"c<t> computed from c<t-1> = 0: the memory cell is not carried to the next step":
                              lost[1]},
                    hint=f"c<{t + 1}> comes from a<{t}>, c<{t}> and x<{t + 1}>")
        check_close(f"a[:, :, {t}] (a<{t + 1}>)", a[:, :, t], a_t,
                    mistakes={"a<t> computed from c<t-1> = 0: the memory cell is not carried to the next step":
                              lost[0]},
                    hint=f"a<{t + 1}> comes from a<{t}>, c<{t}> and x<{t + 1}>")
        check_close(f"y_pred[:, :, {t}]", y_pred[:, :, t], y_t)
    rng = np.random.default_rng(7002)
    for n_x, n_a, n_y, m, T in ((3, 5, 2, 1, 6), (5, 2, 4, 7, 3)):
        p = hidden_lstm(rng, n_x, n_a, n_y, scale=0.9, biases=("bf", "bu", "bo", "bc", "by"))
        x, a0 = rng.normal(size=(n_x, m, T)), rng.normal(size=(n_a, m))
        expected = lstm_forward(x, a0, p)
        got = student.run("lstm_forward", x, a0, p, standins=LIBRARY_CELL).value
        # tolerance 1e-6 relative, 1e-8 absolute
        check_close("a", got[0], expected[0])
        check_close("y_pred", got[1], expected[1])
        check_close("c", got[2], expected[2])
        check_equal("len(caches)", len(got[3]), T)
        check_close("caches[-1].c_prev", got[3][-1].c_prev, expected[3][-1].c_prev)
        check_close("caches[0].a_prev", got[3][0].a_prev, a0)


@checks("07_lstm_cell_backward_tests", functions=("lstm_cell_backward",),
        reference=("lstm_cell_backward", "lstm_backward"))
def cell_backward(student):
    """Every gradient of one step against centred differences of rnnkit's forward, then against rnnkit's backward."""
    parameters, xt, a_prev, c_prev = random_lstm(n_x=2, n_a=3, n_y=2, m=1, seed=4)
    del parameters["Wy"], parameters["by"]
    rng = np.random.default_rng(5)
    da_next, dc_next = rng.normal(size=(3, 1)), rng.normal(size=(3, 1))
    _, _, _, cache = lstm_cell_forward(xt, a_prev, c_prev, parameters)
    gradients = student.lstm_cell_backward(da_next, dc_next, cache)
    check_type("lstm_cell_backward's result", gradients, dict)

    def J(v):
        """A loss whose gradients on a<t> and c<t> are da_next and dc_next."""
        a_t, c_t, _, _ = lstm_cell_forward(v["xt"], v["a_prev"], v["c_prev"], v)
        return np.sum(da_next * a_t) + np.sum(dc_next * c_t)

    numeric = numerical_gradients(J, {"xt": xt, "a_prev": a_prev, "c_prev": c_prev, **parameters})
    hints = {
        "dc_prev": "dc_prev = dc * Γf, where dc = dc_next + da_next * Γo * (1 − tanh²(c<t>))",
        "da_prev": "da_prev is the first n_a rows of Wfᵀ dz_f + Wuᵀ dz_u + Woᵀ dz_o + Wcᵀ dz_c: all four gates",
        "dxt": "dxt is the last n_x rows of Wfᵀ dz_f + Wuᵀ dz_u + Woᵀ dz_o + Wcᵀ dz_c",
        "dWf": "dz_f = dc * c<t-1> * Γf (1 − Γf); dWf = dz_f [a<t-1>; x<t>]ᵀ",
        "dWu": "dz_u = dc * c~<t> * Γu (1 − Γu)",
        "dWo": "dz_o = da_next * tanh(c<t>) * Γo (1 − Γo)",
        "dWc": "dz_c = dc * Γu * (1 − c~²)",
    }
    # with m = 1, dbf holds dz_f itself: the known mistakes can be built from the numerical gradients
    mistakes = {
        "dc_prev": {"dc_prev = dc without the factor Γf": numeric["dc_prev"] / cache.gamma_f},
        "da_prev": {"da_prev without the forget gate's term Wfᵀ dz_f":
                    numeric["da_prev"] - parameters["Wf"][:, :3].T @ numeric["dbf"]},
        "dxt": {"dxt without the forget gate's term Wfᵀ dz_f":
                numeric["dxt"] - parameters["Wf"][:, 3:].T @ numeric["dbf"]},
    }
    # centred differences agree with a correct backward pass to about 1e-9: tolerance 1e-5 relative, 1e-7 absolute
    for key in ("dc_prev", "da_prev", "dxt", *GRADIENT_KEYS):
        check_close(f"gradients['{key}']", gradients.get(key), numeric[key], rtol=1e-5, atol=1e-7,
                    mistakes=mistakes.get(key), hint=hints.get(key, hints.get("dW" + key[2:])))
    rng = np.random.default_rng(7003)
    for n_x, n_a, m in ((3, 4, 1), (5, 2, 6)):
        p = hidden_lstm(rng, n_x, n_a, 3, scale=0.9)
        xt, a_prev, c_prev = rng.normal(size=(n_x, m)), rng.normal(size=(n_a, m)), rng.normal(size=(n_a, m))
        cache = lstm_cell_forward(xt, a_prev, c_prev, p)[3]
        da, dc = rng.normal(size=(n_a, m)), rng.normal(size=(n_a, m))
        expected = lstm_cell_backward(da, dc, cache)
        got = student.lstm_cell_backward(da, dc, cache)
        check_type("lstm_cell_backward's result", got, dict)
        for key in ("dxt", "da_prev", "dc_prev", *GRADIENT_KEYS):
            # tolerance 1e-6 relative, 1e-8 absolute (float64, same operations)
            check_close(f"gradients['{key}']", got.get(key), expected[key])


@checks("07_lstm_backward_tests", functions=("lstm_backward",), reference=("lstm_backward",))
def sequence_backward(student):
    """BPTT carrying da_prev and dc_prev, gradients summed: a gradient check, then rnnkit's BPTT (on rnnkit's step)."""
    parameters, _, a0, c0 = random_lstm(n_x=2, n_a=3, n_y=2, m=2, seed=6)
    del parameters["Wy"], parameters["by"]
    rng = np.random.default_rng(7)
    x, da = rng.normal(size=(2, 2, 4)), rng.normal(size=(3, 2, 4))
    _, _, _, caches = lstm_forward(x, a0, parameters, c0=c0)
    gradients = student.run("lstm_backward", da, caches, standins=LIBRARY_STEP_BACK).value
    check_type("lstm_backward's result", gradients, dict)

    def J(v):
        """A loss whose gradient on every a<t> is da."""
        return np.sum(da * lstm_forward(v["x"], v["a0"], v, c0=v["c0"])[0])

    numeric = numerical_gradients(J, {"x": x, "a0": a0, "c0": c0, **parameters})
    hints = {
        "dc0": "the memory cell's gradient goes back through every step: dc_next of step t is dc_prev of step t+1",
        "da0": "da_next of step t is da[:, :, t-1] plus da_prev of step t+1",
        "dx": "dx[:, :, t-1] is dxt of step t",
    }
    # centred differences agree with a correct backward pass to about 1e-9: tolerance 1e-5 relative, 1e-7 absolute
    for key in ("dc0", "da0", "dx", *GRADIENT_KEYS):
        check_close(f"gradients['{key}']", gradients.get(key), numeric[key], rtol=1e-5, atol=1e-7,
                    hint=hints.get(key, "sum the step's gradients over all T_x steps, and carry both da_prev and "
                                        "dc_prev"))
    rng = np.random.default_rng(7004)
    for n_x, n_a, m, T in ((3, 4, 1, 5), (5, 2, 6, 3)):
        p = hidden_lstm(rng, n_x, n_a, None, scale=0.9)
        x, a0, c0 = rng.normal(size=(n_x, m, T)), rng.normal(size=(n_a, m)), rng.normal(size=(n_a, m))
        caches = lstm_forward(x, a0, p, c0=c0)[3]
        da = rng.normal(size=(n_a, m, T))
        expected = lstm_backward(da, caches)
        got = student.run("lstm_backward", da, caches, standins=LIBRARY_STEP_BACK).value
        check_type("lstm_backward's result", got, dict)
        for key in ("dx", "da0", "dc0", *GRADIENT_KEYS):
            # tolerance 1e-6 relative, 1e-8 absolute (float64, same operations)
            check_close(f"gradients['{key}']", got.get(key), expected[key])


@checks("07_numerical_dc_dc_prev_tests", functions=("numerical_dc_dc_prev",),
        reference=("lstm_cell_backward", "lstm_backward", "numerical_gradients", "gradient_check"))
def numerical_dc_dc_prev(student):
    """D = ∂c<t>/∂c<t-1> by centred differences: Γf on rnnkit's LSTM cell, the peephole formula on a peephole cell."""
    lstm_cell = Ref("rnnkit.lstm_cell_forward")
    parameters, xt, a_prev, c_prev = random_lstm(n_x=2, n_a=3, n_y=2, m=4, seed=8)
    run = student.run("numerical_dc_dc_prev", lstm_cell, xt, a_prev, c_prev, parameters)
    D, c_prev_after = run.value, run.args[3]
    _, _, _, cache = lstm_cell_forward(xt, a_prev, c_prev, parameters)
    check_shape("D", D, (3, 4), notation="(n_a, m)")
    check_close("c_prev after the call", c_prev_after, c_prev, hint="perturb a copy of c_prev, not c_prev itself")
    # c<t> is linear in c<t-1>: centred differences are exact up to rounding; tolerance 1e-6 relative, 1e-8 absolute
    check_close("D = ∂c<t>/∂c<t-1>", D, cache.gamma_f,
                mistakes={"2 Γf: the difference over 2 eps divided by eps only": 2 * cache.gamma_f,
                          "∂a<t>/∂c<t-1>: the first result of cell_forward (a<t>) where c<t> (the second) is wanted":
                          cache.gamma_o * (1 - cache.tanh_c_next ** 2) * cache.gamma_f},
                hint="D[j] = (c<t>[j] with c_prev[j] + eps − c<t>[j] with c_prev[j] − eps) / (2 eps)")
    rng = np.random.default_rng(7005)
    for n_x, n_a, m in ((3, 5, 1), (2, 4, 6)):
        p = hidden_lstm(rng, n_x, n_a, 2, scale=0.9)
        xt, a_prev, c_prev = rng.normal(size=(n_x, m)), rng.normal(size=(n_a, m)), rng.normal(size=(n_a, m))
        gamma_f = lstm_cell_forward(xt, a_prev, c_prev, p)[3].gamma_f
        # tolerance 1e-6 relative, 1e-8 absolute
        check_close("D on the LSTM cell", student.numerical_dc_dc_prev(lstm_cell, xt, a_prev, c_prev, p), gamma_f)
    # an LSTM whose forget and update gates also read c<t-1> (diagonal peepholes pf, pu): D is not Γf
    p["pf"], p["pu"] = rng.normal(size=(n_a, 1)), rng.normal(size=(n_a, 1))
    g = peephole_lstm_cell_forward(xt, a_prev, c_prev, p)[3]
    gf, gu = g["gamma_f"], g["gamma_u"]
    expected = gf + c_prev * gf * (1 - gf) * p["pf"] + g["c_tilde"] * gu * (1 - gu) * p["pu"]
    D = student.numerical_dc_dc_prev(Ref("rnnkit.standins.peephole_lstm_cell_forward"), xt, a_prev, c_prev, p, 1e-6)
    # the peephole cell is not linear in c<t-1>: centred differences are off by O(eps²); tolerance 1e-6 relative,
    # 1e-8 absolute
    check_close("D on a peephole LSTM cell", D, expected)


def pytorch_lstm_cell(xt, h, c, weights):
    """One step of PyTorch's nn.LSTM (its documented equations, gates i, f, g, o) on column vectors: (h', c')."""
    z = (weights["weight_ih_l0"] @ xt + weights["bias_ih_l0"][:, None]
         + weights["weight_hh_l0"] @ h + weights["bias_hh_l0"][:, None])  # (4 n_a, m)
    i, f, g, o = np.split(z, 4)
    c_new = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    return sigmoid(o) * np.tanh(c_new), c_new


def blocks_held(weight_ih, parameters, n_a):
    """What each block of the student's weight_ih_l0 holds (the notebook printed this): a hint, no expected value."""
    held = []
    for block, gate in enumerate("ifgo"):
        rows = weight_ih[n_a * block:n_a * (block + 1)]
        found = [f"{part} columns of {key}" for key in ("Wf", "Wu", "Wo", "Wc")
                 for part, cols in (("x<t>", slice(n_a, None)), ("a<t-1>", slice(0, n_a)))
                 if parameters[key][:, cols].shape == rows.shape and np.allclose(parameters[key][:, cols], rows)]
        held.append(f"block {block} ({gate}): {found[0] if found else 'none of our weights'}")
    return "your weight_ih_l0 holds " + "; ".join(held)


@checks("07_to_pytorch_lstm_tests", functions=("to_pytorch_lstm",))
def to_pytorch_lstm(student):
    """PyTorch's layout: gates i, f, g, o = Γu, Γf, c~, Γo; x<t> columns in weight_ih_l0, 1-d biases summed."""
    parameters, xt, a_prev, c_prev = random_lstm(n_x=2, n_a=3, n_y=2, m=4, seed=9)
    weights = student.to_pytorch_lstm(parameters)
    check_type("to_pytorch_lstm's result", weights, dict)
    check_shape("weight_ih_l0", weights.get("weight_ih_l0"), (12, 2), notation="(4 n_a, n_x)")
    check_shape("weight_hh_l0", weights.get("weight_hh_l0"), (12, 3), notation="(4 n_a, n_a)")
    check_shape("bias_ih_l0", weights.get("bias_ih_l0"), (12,), notation="(4 n_a,)", hint="PyTorch's biases are 1-d")
    check_shape("bias_hh_l0", weights.get("bias_hh_l0"), (12,), notation="(4 n_a,)", hint="PyTorch's biases are 1-d")
    held = blocks_held(weights["weight_ih_l0"], parameters, 3)
    a_next, c_next, _, _ = lstm_cell_forward(xt, a_prev, c_prev, parameters)
    h_torch, c_torch = pytorch_lstm_cell(xt, a_prev, c_prev, weights)
    # the same operations in another order: tolerance 1e-6 relative, 1e-8 absolute
    check_close("c' of PyTorch's equations on your weights", c_torch, c_next,
                hint="PyTorch's order is i, f, g, o: i is the update gate Γu, g the candidate c~<t>; "
                     f"in [a<t-1>; x<t>] the first n_a columns belong to weight_hh_l0 ({held})")
    check_close("h' of PyTorch's equations on your weights", h_torch, a_next,
                hint=f"h' is our a<t>: is block o built from Wo? ({held})")
    rng = np.random.default_rng(7006)
    for n_x, n_a, _m in ((5, 2, 1), (3, 4, 6)):
        p = hidden_lstm(rng, n_x, n_a, 2, scale=0.9)
        got = student.to_pytorch_lstm(p)
        check_type("to_pytorch_lstm's result", got, dict)
        W = np.concatenate([p["W" + g] for g in "ufco"])  # PyTorch's i, f, g, o: (4 n_a, n_a + n_x)
        b = np.concatenate([p["b" + g][:, 0] for g in "ufco"])  # (4 n_a,)
        # tolerance 1e-6 relative, 1e-8 absolute (a copy of the values)
        check_close("weight_ih_l0", got.get("weight_ih_l0"), W[:, n_a:])
        check_close("weight_hh_l0", got.get("weight_hh_l0"), W[:, :n_a])
        check_shape("bias_ih_l0", got.get("bias_ih_l0"), (4 * n_a,))
        check_shape("bias_hh_l0", got.get("bias_hh_l0"), (4 * n_a,))
        check_close("bias_ih_l0 + bias_hh_l0", got["bias_ih_l0"] + got["bias_hh_l0"], b)
