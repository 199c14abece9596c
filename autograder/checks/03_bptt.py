"""Trusted checks of 03_bptt: the visible cases and the hidden ones, judged in the grader."""

import numpy as np

import rnnkit
import rnnkit.standins
from autograder.trusted import Checks, Ref
from rnnkit import (
    clip_by_norm,
    cross_entropy,
    cross_entropy_grad,
    cross_entropy_steps,
    gradient_check,
    initialize_rnn,
    one_hot,
    output_backward,
    rnn_backward,
    rnn_cell_backward,
    rnn_cell_forward,
    rnn_forward,
    softmax,
)
from rnnkit.testing import check_close, check_equal, check_shape, check_type

checks = Checks()
KEYS = ("Waa", "Wax", "ba", "Wya", "by")
REF_CELL = {"rnn_cell_backward": Ref("rnnkit.rnn_cell_backward")}  # one exercise at a time: earlier ones are rnnkit's


@checks("03_rnn_loss_tests", functions=("rnn_loss",),
        reference=("cross_entropy", "cross_entropy_steps", "rnn_loss"))  # rnnkit.standins.rnn_loss too
def loss(student):
    """L<t> = −log(probability of the right class), L = Σ_t L<t> averaged over m."""
    targets = np.array([[0, 2, 1], [1, 1, 0]])
    p_right = np.array([[0.5, 0.8, 0.25], [0.1, 0.9, 0.6]])
    y = one_hot(targets, 3)
    y_hat = y * p_right + (1 - y) * (1 - p_right) / 2
    L_steps, L = student.rnn_loss(y_hat, y)
    # tolerance: rtol 1e-6 (the default)
    check_close("L_steps (L<t> for every example)", L_steps, -np.log(p_right), notation="(m, T_y)",
                mistakes={"+log(y_hat) (the minus sign is missing)": np.log(p_right)},
                hint="L<t> = −Σ_i y_i<t> log y_hat_i<t>: sum over the class axis 0 only")
    check_close("L", L, -np.log(p_right).sum() / 2,
                mistakes={"L averaged over the T_y time steps (the lecture SUMS: L = Σ_t L<t>)":
                          -np.log(p_right).mean(),
                          "L summed over the m examples (average over the batch instead)": -np.log(p_right).sum()},
                hint="add L<t> over t, then divide by m = 2")
    rng = np.random.default_rng(3001)
    for n_y, m, T in [(4, 3, 5), (2, 1, 3), (6, 5, 2)]:
        y_hat = softmax(2.0 * rng.standard_normal((n_y, m, T)))
        y = one_hot(rng.integers(0, n_y, size=(m, T)), n_y)
        steps, L = student.rnn_loss(y_hat, y)
        # tolerance: rtol 1e-6, atol 1e-8 (the defaults)
        check_close(f"L_steps (n_y={n_y}, m={m}, T_y={T})", steps, cross_entropy_steps(y_hat, y), notation="(m, T_y)")
        check_close(f"L (n_y={n_y}, m={m}, T_y={T})", L, cross_entropy(y_hat, y))
    # a probability that underflowed to 0 must give a finite loss, not nan
    y_hat = softmax(rng.standard_normal((3, 2, 2)))
    y_hat[0, 0, 0], y_hat[1, 0, 0] = 0.0, y_hat[1, 0, 0] + y_hat[0, 0, 0]
    for targets, which in (([[1, 2], [0, 0]], "not the target"), ([[0, 2], [0, 0]], "the target")):
        y = one_hot(targets, 3)
        # tolerance: rtol 1e-6, atol 1e-8 (the clip changes log(1) by at most 1e-12)
        check_close(f"L (with y_hat = 0 for a class that is {which})", student.rnn_loss(y_hat, y)[1],
                    cross_entropy(y_hat, y), hint="clip y_hat to [1e-12, 1] before the log")


@checks("03_rnn_cell_backward_tests", functions=("rnn_cell_backward",),
        reference=("rnn_cell_backward", "rnn_backward"))
def cell_backward(student):
    """Every gradient of one step, tanh and ReLU."""
    xt = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, -0.5]])
    a_prev = np.array([[0.2, -0.4], [0.1, 0.3]])
    params = {"Waa": np.array([[0.5, -0.3], [0.8, 0.2]]), "Wax": np.array([[0.4, -0.6, 0.3], [0.1, 0.7, -0.2]]),
              "ba": np.array([[0.1], [-0.2]])}
    da_next = np.array([[1.0, -0.5], [0.3, 2.0]])
    _, _, cache = rnn_cell_forward(xt, a_prev, params)
    grads = student.rnn_cell_backward(da_next, cache)
    check_type("rnn_cell_backward(...)", grads, dict)
    check_equal("the keys of the gradients", sorted(grads), ["dWaa", "dWax", "da_prev", "dba", "dxt"])
    expected = rnn_cell_backward(da_next, cache)
    a = cache.a_next
    z = params["Waa"] @ a_prev + params["Wax"] @ xt + params["ba"]
    # tolerance: rtol 1e-6 (the default)
    check_close("dWaa", grads["dWaa"], expected["dWaa"], notation="(n_a, n_a)",
                mistakes={"dz<t> = da<t> * (1 − a<t>), the derivative of tanh written without the square":
                          (da_next * (1 - a)) @ a_prev.T,
                          "dz<t> = da<t> * (1 − z<t>²), the derivative taken at the pre-activation z<t>":
                          (da_next * (1 - z**2)) @ a_prev.T,
                          "dz<t> = da<t> * (1 − tanh(a<t>)²): a<t> is already tanh(z<t>)":
                          (da_next * (1 - np.tanh(a) ** 2)) @ a_prev.T},
                hint="dWaa = dz<t> a<t-1>ᵀ with dz<t> = da<t> * (1 − (a<t>)²) and a<t> = cache.a_next")
    check_close("dWax", grads["dWax"], expected["dWax"], notation="(n_a, n_x)", hint="dWax = dz<t> x<t>ᵀ")
    check_close("dba", grads["dba"], expected["dba"], notation="(n_a, 1)",
                hint="dba sums dz<t> over the examples (axis 1) and keeps the column: keepdims=True")
    check_close("dxt (dx<t>)", grads["dxt"], expected["dxt"], notation="(n_x, m)", hint="dx<t> = Waxᵀ dz<t>")
    check_close("da_prev (da<t-1>)", grads["da_prev"], expected["da_prev"], notation="(n_a, m)",
                hint="da<t-1> = Waaᵀ dz<t>: transpose Waa")
    _, _, cache_relu = rnn_cell_forward(xt, a_prev, params, activation="relu")
    check_close("da_prev (da<t-1>) with ReLU", student.rnn_cell_backward(da_next, cache_relu)["da_prev"],
                np.array([[0.5, 1.6], [-0.3, 0.4]]), notation="(n_a, m)",
                mistakes={"the tanh derivative 1 − a<t>² used for a ReLU cell":
                          params["Waa"].T @ (da_next * (1 - cache_relu.a_next ** 2))},
                hint="with cache.activation == 'relu', g'(z<t>) is 1 where a<t> > 0 and 0 elsewhere")
    rng = np.random.default_rng(3002)
    for n_x, n_a, m, act in [(3, 5, 4, "tanh"), (4, 2, 1, "tanh"), (2, 6, 3, "relu"), (5, 3, 1, "relu")]:
        p = {"Waa": 0.7 * rng.standard_normal((n_a, n_a)), "Wax": 0.7 * rng.standard_normal((n_a, n_x)),
             "ba": 0.5 * rng.standard_normal((n_a, 1))}
        _, _, cache = rnn_cell_forward(rng.standard_normal((n_x, m)), rng.standard_normal((n_a, m)), p, activation=act)
        da_next = rng.standard_normal((n_a, m))
        expected = rnn_cell_backward(da_next, cache)
        got = student.rnn_cell_backward(da_next, cache)
        check_type("rnn_cell_backward(...)", got, dict)
        for k in ("dxt", "da_prev", "dWax", "dWaa", "dba"):
            # tolerance: rtol 1e-6, atol 1e-10 (float64, a handful of products)
            check_close(f"{k} ({act}, n_x={n_x}, n_a={n_a}, m={m})", got.get(k), expected[k], rtol=1e-6, atol=1e-10)


@checks("03_rnn_backward_tests", functions=("rnn_backward",), reference=("rnn_backward",))
def backward(student):
    """Gradients summed over time, da<t> carried back from step t+1; the cell is rnnkit's."""
    x = np.stack([np.array([[1.0, 0.0], [0.0, 1.0], [0.5, -0.5]]), np.array([[0.0, 1.0], [1.0, 0.0], [-0.5, 0.5]]),
                  np.array([[0.3, 0.0], [0.0, -0.3], [1.0, 1.0]])], axis=2)
    a0 = np.array([[0.2, -0.4], [0.1, 0.3]])
    params = {"Waa": np.array([[0.5, -0.3], [0.8, 0.2]]), "Wax": np.array([[0.4, -0.6, 0.3], [0.1, 0.7, -0.2]]),
              "ba": np.array([[0.1], [-0.2]])}
    da = np.stack([np.array([[1.0, -0.5], [0.3, 2.0]]), np.array([[-0.7, 0.4], [0.5, 0.1]]),
                   np.array([[0.2, 0.9], [-1.0, 0.6]])], axis=2)
    _, _, caches = rnn_forward(x, a0, params)
    grads = student.run("rnn_backward", da, caches, standins=REF_CELL).value
    check_type("rnn_backward(...)", grads, dict)
    check_equal("the keys of the gradients", sorted(grads), ["dWaa", "dWax", "da0", "dba", "dx"])
    check_shape("dx", grads["dx"], (3, 2, 3), notation="(n_x, m, T_x)")
    expected = rnn_backward(da, caches)
    alone = [rnn_cell_backward(da[:, :, t], caches[t]) for t in range(3)]  # no gradient from step t+1
    # tolerance: rtol 1e-6 (the default)
    check_close("da0 (da<0>)", grads["da0"], expected["da0"], notation="(n_a, m)",
                mistakes={"BPTT with da[:, :, t] alone: the gradient from step t+1 is not added to da<t>":
                          alone[0]["da_prev"]},
                hint="the cell's input at step t is da[:, :, t] + da_prev of step t+1; da0 is da_prev after step 1")
    check_close("dWaa", grads["dWaa"], expected["dWaa"], notation="(n_a, n_a)",
                mistakes={"dWaa of step 1 only: the shared weight's gradient is overwritten at each step, not summed":
                          rnn_cell_backward(da[:, :, 0] + rnn_cell_backward(
                              da[:, :, 1] + rnn_cell_backward(da[:, :, 2], caches[2])["da_prev"],
                              caches[1])["da_prev"], caches[0])["dWaa"],
                          "BPTT with da[:, :, t] alone: the gradient from step t+1 is not added to da<t>":
                          sum(s["dWaa"] for s in alone)},
                hint="weight sharing: dWaa = Σ_t dz<t> a<t-1>ᵀ, so add (+=) each step's dWaa")
    check_close("dba", grads["dba"], expected["dba"], notation="(n_a, 1)", hint="dba = Σ_t (dba of step t)")
    check_close("dx[:, :, 0] (dx<1>)", grads["dx"][:, :, 0], expected["dx"][:, :, 0], notation="(n_x, m)",
                hint="dx<t> goes to dx[:, :, t]; steps run t = T_x-1, ..., 0 in numpy")
    rng = np.random.default_rng(3003)
    for n_x, n_a, m, T, act in [(3, 5, 4, 4, "tanh"), (4, 2, 1, 3, "tanh"), (2, 4, 3, 6, "relu"), (6, 3, 2, 5, "tanh")]:
        p = {"Waa": 0.6 * rng.standard_normal((n_a, n_a)), "Wax": 0.6 * rng.standard_normal((n_a, n_x)),
             "ba": 0.3 * rng.standard_normal((n_a, 1))}
        x = rng.standard_normal((n_x, m, T))
        _, _, caches = rnn_forward(x, rng.standard_normal((n_a, m)), p, activation=act)
        da = rng.standard_normal((n_a, m, T))  # non-zero at every step
        expected = rnn_backward(da, caches)
        got = student.run("rnn_backward", da, caches, standins=REF_CELL).value
        check_type("rnn_backward(...)", got, dict)
        for k in ("dx", "da0", "dWax", "dWaa", "dba"):
            # tolerance: rtol 1e-6, atol 1e-10 (float64, T_x steps of products)
            check_close(f"{k} ({act}, n_x={n_x}, n_a={n_a}, m={m}, T_x={T})", got.get(k), expected[k],
                        rtol=1e-6, atol=1e-10)


LOSS_STANDINS = {"rnn_backward": Ref("rnnkit.rnn_backward"), "rnn_loss": Ref("rnnkit.standins.rnn_loss")}


@checks("03_loss_and_gradients_tests", functions=("loss_and_gradients",),
        reference=("rnn_loss_and_gradients",))  # the grader's public stand-in is no answer
def loss_and_gradients(student):
    """The loss, and gradients that pass rnnkit's gradient check; rnn_backward and rnn_loss are rnnkit's."""
    rng = np.random.default_rng(30)
    params = initialize_rnn(n_x=3, n_a=4, n_y=5, seed=3)
    params["ba"] += 0.1 * rng.standard_normal((4, 1))
    params["by"] += 0.1 * rng.standard_normal((5, 1))
    x = rng.standard_normal((3, 2, 4))
    a0 = 0.5 * rng.standard_normal((4, 2))
    y = one_hot(rng.integers(0, 5, size=(2, 4)), 5)

    def J(parameters):
        return cross_entropy(rnn_forward(x, a0, parameters)[1], y)

    L, gradients = student.run("loss_and_gradients", x, a0, y, params, standins=LOSS_STANDINS).value
    check_type("gradients", gradients, dict)
    check_equal("the keys of the gradients", sorted(gradients), ["dWaa", "dWax", "dWya", "dba", "dby"],
                hint="only the five parameters' gradients (no dx, no da0)")
    # tolerance: rtol 1e-6 (the default)
    check_close("L", L, J(params), hint="L is the second result of rnn_loss(y_hat, y)")
    for k in gradients:
        check_shape(k, gradients[k], params[k[1:]].shape)
    report = gradient_check(J, params, gradients)
    check_equal("the gradients whose relative error is above 1e-7",
                [k for k, e in report.errors.items() if e >= 1e-7], [],
                hint="is dz = (y_hat − y) / m, divided by m because L is averaged over the batch? "
                     "Are da and the caches passed to rnn_backward?")
    rng = np.random.default_rng(3004)
    for n_x, n_a, n_y, m, T in [(3, 5, 4, 3, 4), (2, 3, 2, 1, 3), (5, 4, 3, 4, 5)]:
        p = {"Waa": 0.6 * rng.standard_normal((n_a, n_a)), "Wax": 0.6 * rng.standard_normal((n_a, n_x)),
             "ba": 0.3 * rng.standard_normal((n_a, 1)), "Wya": rng.standard_normal((n_y, n_a)),
             "by": 0.3 * rng.standard_normal((n_y, 1))}
        x = rng.standard_normal((n_x, m, T))
        a0 = rng.standard_normal((n_a, m))
        y = one_hot(rng.integers(0, n_y, size=(m, T)), n_y)
        a, y_hat, caches = rnn_forward(x, a0, p)
        dWya, dby, da = output_backward(cross_entropy_grad(y_hat, y), a, p["Wya"])
        expected = dict(rnn_backward(da, caches), dWya=dWya, dby=dby)
        L, got = student.run("loss_and_gradients", x, a0, y, p, standins=LOSS_STANDINS).value
        # tolerance: rtol 1e-6, atol 1e-10 (float64)
        check_close("L", L, cross_entropy(y_hat, y), rtol=1e-6, atol=1e-10)
        check_type("gradients", got, dict)
        check_equal("the keys of the gradients", sorted(got), ["dWaa", "dWax", "dWya", "dba", "dby"])
        for k in ("dWaa", "dWax", "dba", "dWya", "dby"):
            check_close(f"{k} (n_x={n_x}, n_a={n_a}, n_y={n_y}, m={m}, T_x={T})", got[k], expected[k],
                        rtol=1e-6, atol=1e-10)


def norms_back(da_last, caches):
    """||∂L/∂a<T_x - k>|| for k = 0, ..., T_x - 1 by rnnkit's cell (the loss at the last step only)."""
    norms, d = [float(np.sqrt((da_last * da_last).sum()))], da_last
    for t in range(len(caches) - 1, 0, -1):
        d = rnn_cell_backward(d, caches[t])["da_prev"]
        norms.append(float(np.sqrt((d * d).sum())))
    return np.array(norms)


@checks("03_gradient_norms_tests", functions=("gradient_norms",))
def gradient_norms(student):
    """||∂L/∂a<T_x - k>|| for k = 0, ..., T_x - 1; the cell is rnnkit's."""
    T_x = 6
    params = {"Waa": 0.5 * np.eye(2), "Wax": np.zeros((2, 3)), "ba": np.ones((2, 1))}
    _, _, caches = rnn_forward(np.zeros((3, 1, T_x)), np.zeros((2, 1)), params, activation="relu")
    norms = student.run("gradient_norms", np.array([[3.0], [4.0]]), caches, standins=REF_CELL).value
    # tolerance: rtol 1e-6 (the default)
    check_close("norms", norms, 5.0 * 0.5 ** np.arange(T_x), notation="(T_x,)",
                mistakes={"the norms in time order t = 1, ..., T_x (norms[0] should be at a<T_x>, the loss)":
                          5.0 * 0.5 ** np.arange(T_x)[::-1],
                          "the norms starting at a<T_x - 1>: norms[0] must be ||da_last|| itself":
                          5.0 * 0.5 ** np.arange(1, T_x + 1),
                          "T_x + 1 norms, down to a<0>: stop at a<1>": 5.0 * 0.5 ** np.arange(T_x + 1)},
                hint="here da<t-1> = Waaᵀ da<t> = 0.5 da<t>: norms[k] = 5 · 0.5^k")
    rng = np.random.default_rng(3005)
    for n_x, n_a, m, T, act in [(3, 5, 4, 7, "tanh"), (2, 4, 1, 3, "relu"), (4, 3, 2, 5, "tanh")]:
        p = {"Waa": 0.8 * rng.standard_normal((n_a, n_a)), "Wax": 0.6 * rng.standard_normal((n_a, n_x)),
             "ba": 0.3 * rng.standard_normal((n_a, 1))}
        _, _, caches = rnn_forward(rng.standard_normal((n_x, m, T)), rng.standard_normal((n_a, m)), p, activation=act)
        da_last = rng.standard_normal((n_a, m))
        got = student.run("gradient_norms", da_last, caches, standins=REF_CELL).value
        # tolerance: rtol 1e-6, atol 1e-12 (float64)
        check_close(f"norms ({act}, T_x={T}, m={m})", got, norms_back(da_last, caches), notation="(T_x,)",
                    rtol=1e-6, atol=1e-12)


@checks("03_clip_by_value_tests", functions=("clip_by_value",), reference=("clip_by_value",))
def clip_value(student):
    """Entries cut to [−max_value, max_value], in a new dict; the given arrays unchanged."""
    grads = {"dWaa": np.array([[10.0, -2.0], [0.5, -30.0]]), "dba": np.array([[4.0], [-0.1]])}
    run = student.run("clip_by_value", grads, 5.0)
    clipped = run.value
    check_type("clip_by_value(...)", clipped, dict)
    check_equal("the keys", sorted(clipped), ["dWaa", "dba"])
    # tolerance: rtol 1e-6 (the default)
    check_close("clipped['dWaa']", clipped["dWaa"], np.array([[5.0, -2.0], [0.5, -5.0]]),
                hint="entries above max_value become max_value, below −max_value become −max_value")
    check_close("clipped['dba']", clipped["dba"], np.array([[4.0], [-0.1]]), hint="entries inside the range stay")
    check_close("grads['dWaa'] after the call", run.args[0]["dWaa"], grads["dWaa"],
                hint="return new arrays: do not clip the given ones in place (no out=, no slice assignment)")
    rng = np.random.default_rng(3006)
    grads = {"dWax": 4 * rng.standard_normal((3, 2)), "dWaa": 4 * rng.standard_normal((3, 3)),
             "dba": 4 * rng.standard_normal((3, 1)), "dWya": 4 * rng.standard_normal((2, 3)),
             "dby": rng.standard_normal((2, 1))}
    for max_value in (0.5, 2.5):
        run = student.run("clip_by_value", grads, max_value)
        check_type("clip_by_value(...)", run.value, dict)
        check_equal("the keys", sorted(run.value), sorted(grads))
        for k, g in grads.items():
            # tolerance: rtol 1e-6, atol 1e-12 (a clip is exact)
            check_close(f"clipped['{k}'] (max_value={max_value})", run.value[k], np.clip(g, -max_value, max_value),
                        rtol=1e-6, atol=1e-12)
            check_close(f"gradients['{k}'] after the call (unchanged)", run.args[0][k], g, rtol=0, atol=0)


@checks("03_clip_by_norm_tests", functions=("clip_by_norm",), reference=("clip_by_norm",))
def clip_norm(student):
    """One global norm for all the arrays; the direction is kept; the given arrays unchanged."""
    grads = {"dWaa": np.array([[3.0, 0.0], [0.0, 0.0]]), "dba": np.array([[0.0], [4.0]])}
    run = student.run("clip_by_norm", grads, 1.0)
    check_type("clip_by_norm(...)", run.value, tuple)
    clipped, norm = run.value
    # tolerance: rtol 1e-6 (the default)
    check_close("norm", norm, 5.0, mistakes={"the norm of the last array only (not the global one)": 4.0,
                                             "the squared norm (take the square root)": 25.0},
                hint="||g|| = sqrt(3² + 4²): all the arrays' entries together")
    check_close("clipped['dWaa']", clipped["dWaa"], np.array([[0.6, 0.0], [0.0, 0.0]]),
                mistakes={"each array clipped to norm 1 separately (use ONE global norm for all the arrays)":
                          np.array([[1.0, 0.0], [0.0, 0.0]])},
                hint="every array is multiplied by the same factor max_norm / ||g|| = 1/5")
    check_close("clipped['dba']", clipped["dba"], np.array([[0.0], [0.8]]),
                mistakes={"each array clipped to norm 1 separately (use ONE global norm for all the arrays)":
                          np.array([[0.0], [1.0]])})
    unchanged, _ = student.clip_by_norm(grads, 10.0)
    check_close("clipped['dba'] when ||g|| = 5 <= max_norm = 10", unchanged["dba"], np.array([[0.0], [4.0]]),
                mistakes={"the gradient rescaled to norm max_norm even though it was smaller":
                          np.array([[0.0], [8.0]])},
                hint="only clip when ||g|| > max_norm")
    check_close("grads['dba'] after the call", run.args[0]["dba"], grads["dba"], hint="return new arrays")
    rng = np.random.default_rng(3007)
    grads = {"dWax": 3 * rng.standard_normal((4, 3)), "dWaa": 0.2 * rng.standard_normal((4, 4)),
             "dba": 5 * rng.standard_normal((4, 1)), "dWya": rng.standard_normal((2, 4)),
             "dby": rng.standard_normal((2, 1))}
    for max_norm in (0.5, 3.0, 1e3):
        run = student.run("clip_by_norm", grads, max_norm)
        check_type("clip_by_norm(...)", run.value, tuple)
        got, got_norm = run.value
        expected, expected_norm = clip_by_norm(grads, max_norm)
        # tolerance: rtol 1e-6, atol 1e-12 (float64)
        check_close(f"norm (max_norm={max_norm})", got_norm, expected_norm, rtol=1e-6, atol=1e-12)
        check_equal("the keys", sorted(got), sorted(expected))
        for k in expected:
            check_close(f"clipped['{k}'] (max_norm={max_norm})", got[k], expected[k], rtol=1e-6, atol=1e-12)
            check_close(f"gradients['{k}'] after the call (unchanged)", run.args[0][k], grads[k], rtol=0, atol=0)


@checks("03_train_tests", functions=("train",), reference=("step", "half_squares"))  # no optimizer's step
def train(student):
    """SGD steps θ ← θ − lr · dθ, first on a stand-in loss L = ½ Σ θ² (dθ = θ), then on the real model."""
    shapes = {"Waa": (2, 2), "Wax": (2, 3), "ba": (2, 1), "Wya": (3, 2), "by": (3, 1)}  # 21 entries
    x, y = np.zeros((3, 4, 5)), np.zeros((3, 4, 5))
    standins = {"loss_and_gradients": Ref("rnnkit.standins.half_squares"), "clip_by_norm": Ref("rnnkit.clip_by_norm")}

    def ones():
        return {k: np.ones(s) for k, s in shapes.items()}

    trained, losses = student.run("train", x, y, ones(), 0.1, 3, standins=standins).value
    check_equal("len(losses)", len(losses), 3, hint="one loss per iteration")
    # tolerance: rtol 1e-6 (the default)
    check_close("losses", np.array(losses, dtype=float), 10.5 * 0.81 ** np.arange(3),
                hint="append L BEFORE the update; each step multiplies θ by 0.9 and L by 0.81")
    check_close("trained['Wya'] after 3 steps", trained["Wya"], np.full((3, 2), 0.9**3),
                mistakes={"θ ← θ + lr · dθ (gradient ascent: the sign is wrong)": np.full((3, 2), 1.1**3),
                          "Wya never updated": np.ones((3, 2))},
                hint="update all five: Waa, Wax, ba, Wya, by")
    clipped_run, _ = student.run("train", x, y, ones(), 0.1, 3, max_norm=1.0, standins=standins).value
    check_close("trained['Waa'] after 3 clipped steps", clipped_run["Waa"], np.full((2, 2), 1 - 0.3 / 21**0.5),
                mistakes={"max_norm ignored (no clipping)": np.full((2, 2), 0.9**3)},
                hint="gradients, _ = clip_by_norm(gradients, max_norm) before the update")
    real = {"loss_and_gradients": Ref("rnnkit.standins.rnn_loss_and_gradients"),
            "clip_by_norm": Ref("rnnkit.clip_by_norm")}
    rng = np.random.default_rng(3008)
    for n_x, n_a, m, T, lr, max_norm in [(3, 4, 5, 4, 0.3, None), (4, 3, 2, 3, 0.5, 0.7), (2, 5, 1, 5, 0.2, 2.0)]:
        p0 = initialize_rnn(n_x, n_a, n_x, seed=int(rng.integers(1000)))
        p0["ba"] += 0.1 * rng.standard_normal((n_a, 1))
        x = one_hot(rng.integers(0, n_x, size=(m, T)), n_x)
        y = one_hot(rng.integers(0, n_x, size=(m, T)), n_x)
        p, expected_losses = {k: p0[k].copy() for k in KEYS}, []
        for _ in range(4):
            L, g = rnnkit.standins.rnn_loss_and_gradients(x, np.zeros((n_a, m)), y, p)
            expected_losses.append(L)
            if max_norm is not None:
                g, _ = clip_by_norm(g, max_norm)
            p = {k: p[k] - lr * g["d" + k] for k in KEYS}
        trained, losses = student.run("train", x, y, {k: p0[k].copy() for k in KEYS}, lr, 4, max_norm=max_norm,
                                      standins=real).value
        # tolerance: rtol 1e-6, atol 1e-10 (float64, 4 steps)
        check_close(f"losses (lr={lr}, max_norm={max_norm})", np.array(losses, dtype=float),
                    np.array(expected_losses), rtol=1e-6, atol=1e-10)
        for k in KEYS:
            check_close(f"{k} after 4 steps (lr={lr}, max_norm={max_norm})", trained[k], p[k], rtol=1e-6, atol=1e-10)
