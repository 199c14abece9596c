"""Trusted checks of 09_deep_rnn: the visible cases and the hidden ones, judged in the grader."""

import numpy as np

from autograder.trusted import Checks, Make, Own, Ref
from rnnkit import cross_entropy, cross_entropy_grad, deep_rnn_backward, deep_rnn_forward, output_backward
from rnnkit.gradcheck import numerical_gradients
from rnnkit.standins import deep_rnn_parameter_count, squared_sum_count
from rnnkit.testing import check_close, check_equal, check_shape, check_type

checks = Checks()


def random_layers(rng, sizes, w):
    """L layers of random weights: Waa[l], Wax[l] scaled by w, ba[l] by 0.5 (drawn in this order)."""
    return [{"Waa": w * rng.normal(size=(sizes[l], sizes[l])), "Wax": w * rng.normal(size=(sizes[l], sizes[l - 1])),
             "ba": 0.5 * rng.normal(size=(sizes[l], 1))} for l in range(1, len(sizes))]


def random_deep_rnn(sizes, n_y, m, T_x, seed):
    """The notebook's random_deep_rnn (its setup cell): x (n_x, m, T_x), a0 (list of (n_a[l], m)), parameters."""
    rng = np.random.default_rng(seed)
    parameters = {"layers": random_layers(rng, sizes, 0.6)}
    if n_y is not None:
        parameters["Wy"] = rng.normal(size=(n_y, sizes[-1]))
        parameters["by"] = 0.5 * rng.normal(size=(n_y, 1))
    x = rng.normal(size=(sizes[0], m, T_x))
    return x, [0.5 * rng.normal(size=(n, m)) for n in sizes[1:]], parameters


def hidden_model(rng, sizes, n_y):
    """The hidden cases' models: weights scaled by 0.7, an output layer unless n_y is None."""
    p = {"layers": random_layers(rng, sizes, 0.7)}
    if n_y is not None:
        p["Wy"], p["by"] = rng.normal(size=(n_y, sizes[-1])), rng.normal(size=(n_y, 1))
    return p


def count(sizes, n_y):
    return sum(sizes[l] * (sizes[l] + sizes[l - 1] + 1) for l in range(1, len(sizes))) + n_y * (sizes[-1] + 1)


# rnnkit.standins.deep_rnn_parameter_count (a stand-in in matching_width's check) computes this count: its use is
# flagged for review.
@checks("09_count_parameters_tests", functions=("count_parameters",), reference=("deep_rnn_parameter_count",))
def count_parameters(student):
    """Waa[l] (n_a[l], n_a[l]), Wax[l] (n_a[l], n_a[l-1]), ba[l] (n_a[l], 1), then Wy and by."""
    check_equal(
        "count_parameters(3, [5], 2)",
        student.count_parameters(3, [5], 2),
        57,
        hint="one layer: Waa 5·5 + Wax 5·3 + ba 5 = 45, and Wy 2·5 + by 2 = 12",
    )
    n = student.count_parameters(4, [8, 6, 5], 3)
    wrong = {
        "with n_x columns in every Wax[l]; but Wax[l] is (n_a[l], n_a[l-1]), as wide as the layer below": 238,
        "without the biases ba[l] and by": 250,
        "without the output layer Wy, by": 254,
    }
    check_equal(
        "count_parameters(4, [8, 6, 5], 3)",
        n,
        272,
        hint=next(
            (f"your count is that of a stack {why}" for why, k in wrong.items() if k == n),
            "layer 1: 8·8 + 8·4 + 8; layer 2: 6·6 + 6·8 + 6; layer 3: 5·5 + 5·6 + 5; output: 3·5 + 3",
        ),
    )
    check_type("count_parameters(4, [8, 6, 5], 3)", n, int)
    for n_x, n_as, n_y in ((7, [4], 9), (2, [3, 11], 5), (27, [26, 26, 26], 27), (5, [9, 2, 7, 3], 1)):
        expected = count([n_x, *n_as], n_y)
        check_equal(f"count_parameters({n_x}, {n_as}, {n_y})", student.count_parameters(n_x, list(n_as), n_y), expected)
        check_equal(
            f"count_parameters({n_x}, {tuple(n_as)}, {n_y}) with a tuple of widths",
            student.count_parameters(n_x, tuple(n_as), n_y),
            expected,
        )


@checks("09_deep_rnn_forward_tests", functions=("deep_rnn_forward",), reference=("deep_rnn_forward",))
def forward(student):
    """a[l]<t> = tanh(Waa[l] a[l]<t-1> + Wax[l] a[l-1]<t> + ba[l]), y_hat from the top layer."""
    x, a0, p = random_deep_rnn([3, 3, 3], n_y=2, m=2, T_x=3, seed=90)
    a, y_pred, caches = student.deep_rnn_forward(x, a0, p)
    ea, ey, _ = deep_rnn_forward(x, a0, p)
    check_type("a (the list of the layers' states)", a, list)
    check_equal("len(a)", len(a), 2, hint="one array a[l] per layer, l = 1..L")
    check_shape("a[1] (layer 2's states a[2])", a[1], (3, 2, 3), notation="(n_a[2], m, T_x)")
    zeros_a = deep_rnn_forward(x, None, p)[0]
    # tolerance: 1e-6 relative (the default)
    check_close(
        "a[0][:, :, 2] (a[1]<3>)",
        a[0][:, :, 2],
        ea[0][:, :, 2],
        mistakes={"a[1]<3> computed from zeros, not from a0: a[l]<0> = a0[l - 1]": zeros_a[0][:, :, 2],
                  "a[1]<3> computed from a[1]<2> in place of x<3>: layer 1's input is a[0]<t> = x<t>":
                  [[0.7107368075, 0.1749557587], [-0.8138785831, -0.8907748233], [0.2413531839, -0.3405966155]]},
        hint="layer 1 is an RNN over x: a[1]<t> = tanh(Waa[1] a[1]<t-1> + Wax[1] x<t> + ba[1])",
    )
    check_close(
        "a[1][:, :, 2] (a[2]<3>, the lecture's example)",
        a[1][:, :, 2],
        ea[1][:, :, 2],
        mistakes={  # the visible test cell's values of the three mistakes
            "a[2]<3> from x<3> in place of a[1]<3>: each layer must read the layer below, a[l-1]<t>":
            [[0.9995938477, -0.02871711818], [0.6785716775, -0.9804845925], [-0.9106576716, -0.69117714]],
            "a[2]<3> from its own a[2]<2> in place of a[1]<3>: layer l is fed a[l], not a[l-1]":
            [[0.7906136966, 0.8553192398], [0.1465215059, 0.436806038], [-0.6074289192, -0.7207296678]],
            "a[2]<3> from a[1]<2> (the layer below one step too early): use a[l-1]<t>, the same step":
            [[0.9969202324, 0.534990125], [0.6271233871, 0.106395683], [-0.8601411341, -0.1317509331]],
        },
        hint="a[2]<3> = tanh(Waa[2] a[2]<2> + Wax[2] a[1]<3> + ba[2]): the input from below is layer 1's "
        "state at the same step",
    )
    check_close(
        "y_pred[:, :, 2] (y_hat<3>)",
        y_pred[:, :, 2],
        ey[:, :, 2],
        hint="y_hat<t> = softmax(Wy a[L]<t> + by): the output reads the TOP layer",
    )
    check_equal("len(caches.layer_caches[1])", len(caches.layer_caches[1]), 3, hint="one cache per step in each layer")
    x, a0, p = random_deep_rnn([2, 4, 5, 3], n_y=None, m=3, T_x=2, seed=91)
    a, y_pred, _ = student.deep_rnn_forward(x, None, p)
    check_equal("len(a) for L = 3", len(a), 3)
    for l, n_a in ((1, 4), (2, 5), (3, 3)):
        check_shape(f"a[{l - 1}] (layer {l}'s states a[{l}])", a[l - 1], (n_a, 3, 2), notation=f"(n_a[{l}], m, T_x)")
    check_equal("y_pred without Wy and by", y_pred, None, hint="no output layer in parameters: y_pred is None")
    check_close(
        "a[2][:, :, 0] (a[3]<1>, from a0 = None)",
        a[2][:, :, 0],
        deep_rnn_forward(x, None, p)[0][2][:, :, 0],
        hint="a0 = None means a[l]<0> = 0 in every layer",
    )
    rng = np.random.default_rng(9002)
    for sizes, n_y, m, T, with_a0 in (
        ([4, 4, 4, 4], 3, 1, 5, True),
        ([3, 6, 2], 4, 5, 4, True),
        ([5, 3], None, 2, 3, True),
        ([2, 4, 4], 3, 4, 3, False),
    ):
        p = hidden_model(rng, sizes, n_y)
        x = rng.normal(size=(sizes[0], m, T))
        a0 = [0.5 * rng.normal(size=(n, m)) for n in sizes[1:]] if with_a0 else None
        exp = deep_rnn_forward(x, a0, p)
        got = student.deep_rnn_forward(x, a0, p)
        check_type("deep_rnn_forward's result", got, tuple)
        check_equal("len(a)", len(got[0]), len(sizes) - 1)
        for l in range(1, len(sizes)):
            # tolerance 1e-6 relative, 1e-8 absolute (float64, the same operations)
            check_close(f"a[{l - 1}] (layer {l}'s states)", got[0][l - 1], exp[0][l - 1])
            check_equal(f"len(caches.layer_caches[{l - 1}])", len(got[2].layer_caches[l - 1]), T)
            for t in range(T):
                check_close(
                    f"layer {l}'s cache at t = {t + 1}: xt (a[{l - 1}]<t>)",
                    got[2].layer_caches[l - 1][t].xt,
                    exp[2].layer_caches[l - 1][t].xt,
                )
                check_close(
                    f"layer {l}'s cache at t = {t + 1}: a_prev (a[{l}]<t-1>)",
                    got[2].layer_caches[l - 1][t].a_prev,
                    exp[2].layer_caches[l - 1][t].a_prev,
                )
        if n_y is None:
            check_equal("y_pred without an output layer", got[1], None)
        else:
            check_close("y_pred", got[1], exp[1])


@checks("09_deep_rnn_backward_tests", functions=("deep_rnn_backward",), reference=("deep_rnn_backward",))
def backward(student):
    """Every gradient against centred differences of the stacked forward pass, then against rnnkit's."""
    for sizes, seed in (([3, 3, 3], 92), ([2, 4, 3], 93)):
        x, a0, p = random_deep_rnn(sizes, n_y=None, m=2, T_x=3, seed=seed)
        da = np.random.default_rng(seed + 100).normal(size=(sizes[-1], 2, 3))
        _, _, caches = deep_rnn_forward(x, a0, p)
        grads = student.deep_rnn_backward(da, caches)
        check_type("deep_rnn_backward's result", grads, dict)
        check_equal(
            "len(gradients['layers'])", len(grads.get("layers", [])), 2, hint="one dict per layer, layer 1 first"
        )

        def J(v, layer=2, da=da):
            return np.sum(da * deep_rnn_forward(v["x"], v["a0"], v)[0][layer - 1])

        values = {"x": x, "a0": a0, "layers": p["layers"]}
        numeric = numerical_gradients(J, values)
        top_da = numerical_gradients(lambda v, J=J: J(v, layer=1), values) if sizes[1] == sizes[2] else {"layers": [{}]}
        # centred differences agree with a correct backward pass to about 1e-9: tolerance 1e-5 relative, 1e-7 absolute
        for l in (2, 1):
            for key in ("dWaa", "dWax", "dba"):
                mistakes = {}
                if l == 1:
                    dropped = "zero: the gradient into layer 1 was dropped; layer 2's dx must be layer 1's da"
                    fed_da = "the gradient of layer 1 fed with da, the top layer's gradient, in place of layer 2's dx"
                    mistakes = {dropped: np.zeros_like(numeric["layers"][0][key]),
                                fed_da: top_da["layers"][0].get(key)}
                check_close(
                    f"gradients['layers'][{l - 1}]['{key}'] (layer {l}, n_a = {sizes[1:]})",
                    grads["layers"][l - 1].get(key),
                    numeric["layers"][l - 1][key],
                    rtol=1e-5,
                    atol=1e-7,
                    mistakes={k: v for k, v in mistakes.items() if v is not None},
                    hint="go down the stack: the upstream da of layer l is the dx that rnn_backward "
                    "returned for layer l + 1",
                )
        check_close(
            f"gradients['dx'] (n_a = {sizes[1:]})",
            grads.get("dx"),
            numeric["dx"],
            rtol=1e-5,
            atol=1e-7,
            hint="the dx of the whole stack is the dx of layer 1",
        )
        for l in (1, 2):
            check_close(
                f"gradients['da0'][{l - 1}] (∂L/∂a[{l}]<0>)",
                grads["da0"][l - 1],
                numeric["a0"][l - 1],
                rtol=1e-5,
                atol=1e-7,
                hint="da0 is a list with one array per layer, layer 1 first",
            )
    rng = np.random.default_rng(9003)
    for sizes, m, T in (([4, 4, 4, 4], 1, 4), ([3, 5, 2], 6, 3), ([2, 3, 6, 4], 2, 5), ([3, 4], 3, 3)):
        p = hidden_model(rng, sizes, None)
        x = rng.normal(size=(sizes[0], m, T))
        a0 = [0.5 * rng.normal(size=(n, m)) for n in sizes[1:]]
        caches = deep_rnn_forward(x, a0, p)[2]
        da = rng.normal(size=(sizes[-1], m, T))
        exp = deep_rnn_backward(da, caches)
        got = student.deep_rnn_backward(da, caches)
        check_type("deep_rnn_backward's result", got, dict)
        check_equal("len(gradients['layers'])", len(got["layers"]), len(sizes) - 1)
        for l in range(len(sizes) - 1, 0, -1):
            for key in ("dWaa", "dWax", "dba"):
                # tolerance 1e-6 relative, 1e-8 absolute (float64, the same operations)
                check_close(
                    f"gradients['layers'][{l - 1}]['{key}']", got["layers"][l - 1].get(key), exp["layers"][l - 1][key]
                )
            check_close(f"gradients['da0'][{l - 1}]", got["da0"][l - 1], exp["da0"][l - 1])
        check_close("gradients['dx']", got["dx"], exp["dx"])


LIBRARY = {"deep_rnn_forward": Ref("rnnkit.deep_rnn_forward"), "deep_rnn_backward": Ref("rnnkit.deep_rnn_backward")}


@checks("09_deep_loss_and_gradients_tests", functions=("deep_loss_and_gradients",))
def loss_and_gradients(student):
    """The loss and a gradient check, on the library's forward and backward passes (not counted twice)."""
    x, _, p = random_deep_rnn([3, 4, 2], n_y=3, m=2, T_x=4, seed=94)
    y = np.eye(3)[:, np.random.default_rng(95).integers(0, 3, size=(2, 4))]
    mask = np.array([[1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 0.0, 0.0]])
    loss, grads = student.run("deep_loss_and_gradients", p, x, y, mask, standins=LIBRARY).value
    check_type("gradients", grads, dict)

    def J(q):
        return cross_entropy(deep_rnn_forward(x, None, q)[1], y, mask)

    # the same operations: tolerance 1e-6 relative
    check_close(
        "L",
        loss,
        J(p),
        mistakes={"L summed over the m examples, not averaged": 2 * J(p)},
        hint="L = cross_entropy(y_hat, y, mask): Σ_t L<t> over the real steps, averaged over the m examples",
    )
    numeric = numerical_gradients(J, p)
    # centred differences agree with a correct backward pass to about 1e-9: tolerance 1e-5 relative, 1e-7 absolute
    for key in ("dWy", "dby"):
        check_close(
            f"gradients['{key}']",
            grads.get(key),
            numeric[key],
            rtol=1e-5,
            atol=1e-7,
            mistakes={"m times the gradient: dz must be divided by m (cross_entropy_grad does it)": 2 * numeric[key]},
            hint="dWy, dby, da_top = output_backward(dz, a[L], Wy) with dz = cross_entropy_grad(y_hat, y, mask)",
        )
    for l in (1, 2):
        for key in ("dWaa", "dWax", "dba"):
            check_close(
                f"gradients['layers'][{l - 1}]['{key}']",
                grads["layers"][l - 1].get(key),
                numeric["layers"][l - 1][key],
                rtol=1e-5,
                atol=1e-7,
                mistakes={
                    "m times the gradient: dz must be divided by m (cross_entropy_grad does it)": 2
                    * numeric["layers"][l - 1][key]
                },
                hint="the top layer's upstream gradient is the da that output_backward returns",
            )
    rng = np.random.default_rng(9004)
    for sizes, n_y, m, T, masked in (([4, 4, 4], 4, 1, 5, False), ([3, 5, 2, 3], 6, 5, 4, True)):
        p = hidden_model(rng, sizes, n_y)
        x = rng.normal(size=(sizes[0], m, T))
        y = np.eye(n_y)[:, rng.integers(0, n_y, size=(m, T))]
        mask = (rng.random((m, T)) < 0.7).astype(float) if masked else None
        a, y_hat, caches = deep_rnn_forward(x, None, p)
        dWy, dby, da = output_backward(cross_entropy_grad(y_hat, y, mask), a[-1], p["Wy"])
        hidden = deep_rnn_backward(da, caches)
        got = student.run("deep_loss_and_gradients", p, x, y, mask, standins=LIBRARY).value
        # tolerance 1e-6 relative, 1e-8 absolute (float64, the same operations)
        check_close("L", got[0], cross_entropy(y_hat, y, mask))
        check_close("gradients['dWy']", got[1].get("dWy"), dWy)
        check_close("gradients['dby']", got[1].get("dby"), dby)
        for l in range(1, len(sizes)):
            for key in ("dWaa", "dWax", "dba"):
                check_close(
                    f"gradients['layers'][{l - 1}]['{key}']",
                    got[1]["layers"][l - 1].get(key),
                    hidden["layers"][l - 1][key],
                )


def closest(L, budget, counter):
    return min(range(1, 200), key=lambda w: (abs(counter([w] * L) - budget), w))


@checks("09_matching_width_tests", functions=("matching_width",))
def matching_width(student):
    """The width whose count is closest to the budget, the smaller one on a tie."""
    toy = Own("toy_count")  # the visible test cell's made-up count: w·w + 10 per layer

    def toy_count(n_as):
        return sum(w * w + 10 for w in n_as)

    for budget, hint in (
        (70, "count([5, 5]) is exactly 70"),
        (
            88,
            "count([6, 6]) = 92 is 4 away from 88, count([5, 5]) = 70 is 18 away: take the closer "
            "one, even when it is above the budget",
        ),
        (76, "count([5, 5]) = 70 is 6 away from 76, count([6, 6]) = 92 is 16 away"),
        (81, "on a tie (70 and 92 are both 11 away), the smaller width"),
    ):
        check_equal(
            f"matching_width(2, {budget}, toy_count)",
            student.matching_width(2, budget, toy),
            closest(2, budget, toy_count),
            hint=hint,
        )
    check_equal("matching_width(3, 5, toy_count)", student.matching_width(3, 5, toy), 1, hint="the width is at least 1")

    for L, budget, (path, args) in (
        (1, 4971, ("deep_rnn_parameter_count", (27, 27))),
        (2, 4971, ("deep_rnn_parameter_count", (27, 27))),
        (3, 4971, ("deep_rnn_parameter_count", (27, 27))),
        (2, 1000, ("deep_rnn_parameter_count", (5, 3))),
        (4, 300, ("deep_rnn_parameter_count", (2, 2))),
        (1, 64, ("squared_sum_count", (4,))),
        (1, 40, ("squared_sum_count", (4,))),
        (3, 20000, ("squared_sum_count", (7, 3))),
    ):
        here = {"deep_rnn_parameter_count": deep_rnn_parameter_count, "squared_sum_count": squared_sum_count}[path]
        there = Make.of(f"rnnkit.standins.{path}", *args)
        check_equal(
            f"matching_width({L}, {budget}, count)",
            student.matching_width(L, budget, there),
            closest(L, budget, here(*args)),
        )
