"""Trusted checks of 02_forward_pass: the visible cases and the hidden ones, judged in the grader."""

import numpy as np

from autograder.trusted import Checks, Ref, StudentError
from rnnkit import output_forward, rnn_cell_forward, rnn_forward, sigmoid
from rnnkit.testing import check_close, check_equal, check_shape, check_type

checks = Checks()
REF_CELL = {"rnn_cell_forward": Ref("rnnkit.rnn_cell_forward")}  # one exercise at a time: the cell is rnnkit's

# The setup cell's slide values: vocabulary {h, e, l, o}, n_a = 3.
CHARS = ["h", "e", "l", "o"]
W_HY = np.array([[0.37168, 0.974829459, 0.830034886],
                 [0.39141, 0.282585823, 0.659835709],
                 [0.64985, 0.09821557, 0.334287084],
                 [0.91266, 0.32581642, 0.144630018]])
H_T = np.array([[0.936534], [0.949104], [0.762341]])


def rnn_params(rng, n_x, n_a, n_y, wya_scale=1.0):
    """Waa, Wax, ba, Wya, by drawn from ``rng`` in the order the old tests drew them."""
    return {"Waa": rng.normal(size=(n_a, n_a)), "Wax": rng.normal(size=(n_a, n_x)), "ba": rng.normal(size=(n_a, 1)),
            "Wya": wya_scale * rng.normal(size=(n_y, n_a)), "by": rng.normal(size=(n_y, 1))}


@checks("02_output_probabilities_tests", functions=("output_probabilities",),
        reference=("softmax", "output_forward"))
def output_probabilities(student):
    """y_hat<t> = softmax(Wya a<t> + by) down each column: the slide's numbers, a batch, huge scores."""
    y_hat = student.output_probabilities(H_T, W_HY, np.zeros((4, 1)))
    # tolerance 1e-5: the slide prints the probabilities rounded to 6 decimals
    check_close("y_hat<t> for the slide's h_t", y_hat, np.array([[0.419748], [0.194682], [0.162429], [0.223141]]),
                rtol=0, atol=1e-5, notation="(n_y, m)",
                mistakes={"the scores W_hy h_t before the softmax": W_HY @ H_T,
                          "a softmax over axis 1 (the batch): with m = 1 every entry becomes 1": np.ones((4, 1))},
                hint="y_hat<t> = softmax(Wya a<t> + by), the softmax taken down each column (axis 0)")
    batch = np.array([[0.9, -1.0, 0.0], [0.9, 2.0, 0.0], [0.7, 0.5, 0.0]])  # three examples: m = 3
    y_batch = student.output_probabilities(batch, W_HY, np.array([[0.1], [-0.2], [0.3], [0.0]]))
    check_shape("y_hat<t> for a batch of m = 3", y_batch, (4, 3), notation="(n_y, m)")
    # tolerance 1e-8: sums of four probabilities
    check_close("the sum of each column of y_hat<t>", y_batch.sum(axis=0), np.ones(3), atol=1e-8,
                hint="each example (column) gets its own distribution over the n_y letters: normalize along axis 0")
    big = student.output_probabilities(np.array([[400.0], [500.0], [300.0]]), W_HY, np.zeros((4, 1)))
    check_close("y_hat<t> for very large scores (about 950)", big, np.array([[1.0], [0.0], [0.0], [0.0]]), atol=1e-8,
                hint="e^950 is inf in float64: subtract each column's maximum from the scores before np.exp")
    rng = np.random.default_rng(2024)
    for n_a, n_y, m in ((3, 4, 1), (5, 7, 6), (2, 3, 4)):
        a_t = rng.normal(size=(n_a, m))
        Wya, by = 2.0 * rng.normal(size=(n_y, n_a)), rng.normal(size=(n_y, 1))
        # tolerance rtol 1e-6: float64 softmax, computed in a different order
        check_close(f"y_hat<t> (n_a={n_a}, n_y={n_y}, m={m})", student.output_probabilities(a_t, Wya, by),
                    output_forward(a_t, Wya, by), notation="(n_y, m)")
    huge, W_big, b0 = rng.normal(size=(3, 5)) * 300.0, rng.random(size=(4, 3)), np.zeros((4, 1))
    # tolerance rtol 1e-6: scores of several hundred must not overflow
    check_close("y_hat<t> for scores of several hundred", student.output_probabilities(huge, W_big, b0),
                output_forward(huge, W_big, b0), notation="(n_y, m)",
                hint="subtract each column's maximum from the scores before np.exp")


@checks("02_predicted_chars_tests", functions=("predicted_chars",))
def predicted_chars(student):
    """The argmax down each column of y_hat (n_y, m): one character per example."""
    slide = np.array([[0.419748], [0.194682], [0.162429], [0.223141]])
    check_equal("predicted_chars(slide's y_hat, ['h', 'e', 'l', 'o'])", list(student.predicted_chars(slide, CHARS)),
                ["h"], hint="the largest probability, 0.419748, is in row 0 of the column")
    three = np.array([[0.1, 0.7, 0.2], [0.2, 0.1, 0.2], [0.6, 0.1, 0.1], [0.1, 0.1, 0.5]])
    check_equal("predicted_chars for m = 3 columns", list(student.predicted_chars(three, CHARS)), ["l", "h", "o"],
                hint="one character per example: the argmax down each column (axis 0)")
    rng = np.random.default_rng(7)
    abc = list("abcdefg")
    p = rng.random(size=(7, 9))
    expected = [abc[int(k)] for k in p.argmax(axis=0)]
    check_equal("predicted_chars for 7 characters and m = 9", list(student.predicted_chars(p, abc)), expected)
    check_equal("predicted_chars for m = 1", list(student.predicted_chars(p[:, :1], abc)), expected[:1])


SHAPE_HINT = ("Waa is (n_a, n_a), Wax (n_a, n_x), x<t> (n_x, m), a<t-1> (n_a, m): Waa a<t-1> and Wax x<t> are "
              "both (n_a, m). Is a matrix transposed?")


def cell_of(student, xt, a_prev, params):
    """The student's rnn_cell_forward(xt, a_prev, params), a shape error explained in lecture terms."""
    try:
        result = student.rnn_cell_forward(xt, a_prev, params)
    except StudentError as error:
        if "raised ValueError" in str(error):
            raise StudentError(f"{error}\n  hint: {SHAPE_HINT}") from None
        raise
    check_type("rnn_cell_forward(...)", result, tuple, hint="return a_next, yt_pred, cache")
    check_equal("the number of values rnn_cell_forward returns", len(result), 3,
                hint="return a_next, yt_pred, cache")
    return result


@checks("02_rnn_cell_forward_tests", functions=("rnn_cell_forward",),
        reference=("rnn_cell_forward", "rnn_forward", "output_forward", "softmax"))
def rnn_cell(student):
    """a<t> = tanh(Waa a<t-1> + Wax x<t> + ba) and y_hat<t> = softmax(Wya a<t> + by) for a batch."""
    rng = np.random.default_rng(1)
    n_x, n_a, n_y, m = 3, 5, 2, 4
    params = rnn_params(rng, n_x, n_a, n_y)
    xt, a_prev = rng.normal(size=(n_x, m)), rng.normal(size=(n_a, m))
    a_next, yt_pred, _ = cell_of(student, xt, a_prev, params)
    check_shape("a_next (a<t>)", a_next, (n_a, m), notation="(n_a, m)", hint="a<t> has one column per example")
    check_shape("yt_pred (y_hat<t>)", yt_pred, (n_y, m), notation="(n_y, m)")
    # the known mistakes, computed from the same inputs
    za, zx, zb = params["Waa"] @ a_prev, params["Wax"] @ xt, params["ba"]
    mistakes = {
        "tanh(Wax x<t> + ba), in which a<t> does not change with a<t-1> (is `Waa a<t-1>` in the sum?)":
            np.tanh(zx + zb),
        "tanh(Waa a<t-1> + Wax x<t>): the bias ba is left out": np.tanh(za + zx),
        "sigmoid(...) where the lecture's g is tanh": sigmoid(za + zx + zb),
        "tanh(Waa a<t-1>) + tanh(Wax x<t>) + tanh(ba): each term squashed on its own; tanh applies to the whole sum":
            np.tanh(za) + np.tanh(zx) + np.tanh(zb),
        "tanh(Waa a<t-1> + ba): x<t> never enters": np.tanh(za + zb),
    }
    # tolerance rtol 1e-6: float64 arithmetic in a possibly different order
    check_close("a_next (a<t>)", a_next, np.tanh(za + zx + zb), notation="(n_a, m)", mistakes=mistakes,
                hint="a<t> = tanh(Waa a<t-1> + Wax x<t> + ba), tanh applied once to the whole sum")
    scores = params["Wya"] @ np.tanh(za + zx + zb) + params["by"]
    per_column = np.exp(scores) / np.exp(scores).sum(axis=0)
    per_row = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    # tolerance rtol 1e-6
    check_close("yt_pred (y_hat<t>)", yt_pred, per_column, notation="(n_y, m)",
                mistakes={"a softmax over axis 1, across the batch: each example must get its own distribution":
                          per_row, "the scores Wya a<t> + by without the softmax": scores},
                hint="y_hat<t> = softmax(Wya a<t> + by), normalized down each column (axis 0)")
    rng = np.random.default_rng(31415)
    # n_x != n_a (a transposed Wax cannot multiply), n_x == n_a (it can, with wrong values), m = 1 and m > 1
    for n_x, n_a, n_y, m in ((4, 6, 3, 5), (4, 4, 3, 1), (5, 5, 2, 3), (7, 3, 4, 1)):
        p = rnn_params(rng, n_x, n_a, n_y, wya_scale=1.5)
        xt, a_prev = rng.normal(size=(n_x, m)), rng.normal(size=(n_a, m))
        a_exp, y_exp, _ = rnn_cell_forward(xt, a_prev, p)
        a_got, y_got, _ = cell_of(student, xt, a_prev, p)
        case = f"(n_x={n_x}, n_a={n_a}, n_y={n_y}, m={m})"
        # tolerance rtol 1e-6: float64, the reference computes the same sums
        check_close(f"a_next {case}", a_got, a_exp, notation="(n_a, m)")
        check_close(f"yt_pred {case}", y_got, y_exp, notation="(n_y, m)")


@checks("02_rnn_forward_tests", functions=("rnn_forward",),
        reference=("rnn_forward", "rnn_cell_forward", "output_forward", "softmax"))
def forward(student):
    """Every a<t> from a<t-1> and x<t>, starting at the given a0; the cell is rnnkit's (Exercise 3 is judged there)."""
    rng = np.random.default_rng(5)
    n_x, n_a, n_y, m, T_x = 3, 5, 2, 4, 6
    params = rnn_params(rng, n_x, n_a, n_y)
    x, a0 = rng.normal(size=(n_x, m, T_x)), rng.normal(size=(n_a, m))

    def lecture_step(state, t):
        """a<t> from a<t-1> = state and x<t> = x[:, :, t] (t counted from 0)."""
        return np.tanh(params["Waa"] @ state + params["Wax"] @ x[:, :, t] + params["ba"])

    expected, started_at_zero = [], []
    carried, from_zero = a0, np.zeros((n_a, m))
    for t in range(T_x):
        carried, from_zero = lecture_step(carried, t), lecture_step(from_zero, t)
        expected.append(carried)
        started_at_zero.append(from_zero)
    expected, started_at_zero = np.stack(expected, axis=2), np.stack(started_at_zero, axis=2)
    every_step_from_a0 = np.stack([lecture_step(a0, t) for t in range(T_x)], axis=2)

    result = student.run("rnn_forward", x, a0, params, standins=REF_CELL).value
    check_type("rnn_forward(...)", result, tuple, hint="return a, y_pred, caches")
    a, y_pred, caches = result
    check_shape("a (every a<t>)", a, (n_a, m, T_x), notation="(n_a, m, T_x)")
    check_shape("y_pred (every y_hat<t>)", y_pred, (n_y, m, T_x), notation="(n_y, m, T_x)")
    check_equal("len(caches)", len(caches), T_x, hint="one cache per time step")
    # tolerance rtol 1e-6
    check_close("a[:, :, 0] (a<1>)", a[:, :, 0], expected[:, :, 0], notation="(n_a, m)",
                mistakes={"a<1> computed from a<0> = 0 instead of the given a0": started_at_zero[:, :, 0]},
                hint="the first step starts from the a0 passed to rnn_forward, not from zeros")
    check_close("a (every a<t>)", a, expected, notation="(n_a, m, T_x)",
                mistakes={"every a<t> computed from a0: a<t-1> is not carried into the next step": every_step_from_a0,
                          "a<t> started from a<0> = 0 instead of the given a0": started_at_zero},
                hint="a<t> = tanh(Waa a<t-1> + Wax x<t> + ba), with a<t-1> the state the previous step returned")
    # tolerance 1e-8
    check_close("the sum over classes of y_pred", y_pred.sum(axis=0), np.ones((m, T_x)), atol=1e-8,
                hint="y_pred[:, :, t] is y_hat<t+1>: a distribution per example and time step")
    rng = np.random.default_rng(27182)
    for n_x, n_a, n_y, m, T_x in ((4, 6, 3, 5, 7), (4, 4, 3, 1, 5), (6, 3, 2, 2, 1), (2, 5, 4, 3, 4)):
        p = rnn_params(rng, n_x, n_a, n_y)
        x, a0 = rng.normal(size=(n_x, m, T_x)), rng.normal(size=(n_a, m))
        a_exp, y_exp, _ = rnn_forward(x, a0, p)
        result = student.run("rnn_forward", x, a0, p, standins=REF_CELL).value
        check_type("rnn_forward(...)", result, tuple, hint="return a, y_pred, caches")
        a_got, y_got, caches = result
        case = f"(n_x={n_x}, n_a={n_a}, m={m}, T_x={T_x})"
        # tolerance rtol 1e-6: float64, T_x steps of the same arithmetic
        check_close(f"a {case}", a_got, a_exp, notation="(n_a, m, T_x)")
        check_close(f"y_pred {case}", y_got, y_exp, notation="(n_y, m, T_x)",
                    hint="y_pred[:, :, t] is the yt_pred of the step that reads x[:, :, t]")
        check_equal(f"len(caches) {case}", len(caches), T_x, hint="one cache per time step")


@checks("02_simplified_notation_tests", functions=("stack_weights", "rnn_cell_simplified"),
        reference=("rnn_cell_forward", "rnn_forward"))
def simplified_notation(student):
    """Wa = [Waa | Wax] and a<t> = tanh(Wa [a<t-1>; x<t>] + ba): the lecture's 100 x 10,100 Wa."""
    rng = np.random.default_rng(100)
    n_a, n_x = 100, 10_000
    Waa, Wax, ba = rng.normal(size=(n_a, n_a)) / 10, rng.normal(size=(n_a, n_x)), rng.normal(size=(n_a, 1))
    Wa = student.stack_weights(Waa, Wax)
    check_shape("Wa = stack_weights(Waa, Wax)", Wa, (100, 10_100), notation="(n_a, n_a + n_x)",
                hint="Waa (100, 100) and Wax (100, 10,000) side by side: 100 rows, 10,100 columns")
    check_close("Wa[:, :100] (the first n_a columns)", Wa[:, :100], Waa,
                mistakes={"Wax's first 100 columns: [Wax | Waa] stacked in the wrong order": Wax[:, :100]},
                hint="the hidden part comes first: Wa = [Waa | Wax]")
    x_harry = np.zeros((n_x, 1))
    x_harry[4074] = 1.0  # "harry" is word 4075 of the lecture's vocabulary: row 4074 in numpy
    a_prev = rng.normal(size=(n_a, 1))
    two_matrices = np.tanh(Waa @ a_prev + Wax @ x_harry + ba)
    a_simple = student.rnn_cell_simplified(x_harry, a_prev, np.concatenate([Waa, Wax], axis=1), ba)
    # tolerance rtol 1e-6: the same sums, grouped differently
    check_close("a<t> = tanh(Wa [a<t-1>; x<t>] + ba)", a_simple, two_matrices, notation="(n_a, m)",
                mistakes={"tanh(Wa [a<t-1>; x<t>]): the bias ba is left out": np.tanh(Waa @ a_prev + Wax @ x_harry)},
                hint="[a<t-1>; x<t>] puts a<t-1> (100 rows) on top of x<t> (10,000 rows): 10,100 rows")
    rng = np.random.default_rng(1010)
    for n_x, n_a, m in ((6, 4, 3), (5, 5, 1), (3, 7, 2)):
        Waa, Wax, ba = rng.normal(size=(n_a, n_a)), rng.normal(size=(n_a, n_x)), rng.normal(size=(n_a, 1))
        xt, a_prev = rng.normal(size=(n_x, m)), rng.normal(size=(n_a, m))
        Wa = student.stack_weights(Waa, Wax)
        case = f"(n_x={n_x}, n_a={n_a}, m={m})"
        check_shape(f"Wa {case}", Wa, (n_a, n_a + n_x), notation="(n_a, n_a + n_x)")
        # tolerance rtol 1e-6: a copy of the entries
        check_close(f"Wa[:, :n_a] {case}", Wa[:, :n_a], Waa, hint="the hidden part comes first: Wa = [Waa | Wax]")
        check_close(f"Wa[:, n_a:] {case}", Wa[:, n_a:], Wax)
        expected = rnn_cell_forward(xt, a_prev, {"Waa": Waa, "Wax": Wax, "ba": ba})[0]
        got = student.rnn_cell_simplified(xt, a_prev, np.concatenate([Waa, Wax], axis=1), ba)
        # tolerance rtol 1e-6
        check_close(f"rnn_cell_simplified {case}", got, expected, notation="(n_a, m)")


@checks("02_many_to_one_tests", functions=("many_to_one_output",), reference=("output_forward",))
def many_to_one(student):
    """y_hat = sigmoid(Wya a<T_x> + by): the output layer at the last step only."""
    rng = np.random.default_rng(8)
    a_seq = np.tanh(rng.normal(size=(4, 3, 5)))  # n_a = 4, m = 3, T_x = 5
    Wya_1, by_1 = rng.normal(size=(1, 4)) * 2, np.array([[0.3]])
    y_hat = student.many_to_one_output(a_seq, Wya_1, by_1)
    check_shape("y_hat", y_hat, (1, 3), notation="(n_y, m)", hint="one prediction per example, no time axis")
    z_last = Wya_1 @ a_seq[:, :, 4] + by_1
    # tolerance rtol 1e-6
    check_close("y_hat", y_hat, 1 / (1 + np.exp(-z_last)), notation="(n_y, m)",
                mistakes={"the prediction from a<1>: the many-to-one output reads the LAST state a<T_x>":
                          1 / (1 + np.exp(-(Wya_1 @ a_seq[:, :, 0] + by_1))),
                          "a softmax over a single output (always 1): one yes/no output needs the sigmoid":
                          np.ones((1, 3)),
                          "tanh where the output is a probability: use the sigmoid": np.tanh(z_last)},
                hint="y_hat = sigmoid(Wya a<T_x> + by), with a<T_x> = a[:, :, -1]")
    rng = np.random.default_rng(99)
    for n_a, n_y, m, T_x in ((3, 1, 1, 4), (5, 1, 6, 2), (4, 2, 3, 3)):
        a = rng.normal(size=(n_a, m, T_x))
        Wya, by = 2 * rng.normal(size=(n_y, n_a)), rng.normal(size=(n_y, 1))
        # tolerance rtol 1e-6
        check_close(f"y_hat (n_a={n_a}, n_y={n_y}, m={m}, T_x={T_x})", student.many_to_one_output(a, Wya, by),
                    sigmoid(Wya @ a[:, :, -1] + by), notation="(n_y, m)",
                    hint="y_hat = sigmoid(Wya a<T_x> + by), with a<T_x> = a[:, :, -1]")


SHAPE_CASES = {  # kind: ((n_x, n_y, m, T_x, T_y), expected)
    "one-to-one": ((3, 2, 4, 1, 1), {"x": (3, 4), "y_hat": (2, 4), "steps": 1}),
    "one-to-many": ((88, 88, 1, 1, 50), {"x": (88, 1), "y_hat": (88, 1, 50), "steps": 50}),
    "many-to-one": ((27, 5, 3, 11, 1), {"x": (27, 3, 11), "y_hat": (5, 3), "steps": 11}),
    "many-to-many": ((27, 2, 3, 6, 6), {"x": (27, 3, 6), "y_hat": (2, 3, 6), "steps": 6}),
    "encoder-decoder": ((30, 40, 2, 9, 4), {"x": (30, 2, 9), "y_hat": (40, 2, 4), "steps": 13}),
}


@checks("02_rnn_shapes_tests", functions=("rnn_shapes",))
def rnn_shapes(student):
    """The input and output shapes and the number of cell steps of each RNN type."""
    sentiment = student.rnn_shapes("many-to-one", n_x=10_000, n_y=1, m=32, T_x=8, T_y=1)
    check_type("rnn_shapes(...)", sentiment, dict, hint='return {"x": ..., "y_hat": ..., "steps": ...}')
    check_equal("many-to-one: x", tuple(sentiment["x"]), (10_000, 32, 8), hint="8 words read: (n_x, m, T_x)")
    check_equal("many-to-one: y_hat", tuple(sentiment["y_hat"]), (1, 32), hint="a single prediction has no time axis")
    ner = student.rnn_shapes("many-to-many", n_x=10_000, n_y=1, m=32, T_x=9, T_y=9)
    check_equal("many-to-many (named entities): y_hat", tuple(ner["y_hat"]), (1, 32, 9), hint="one y_hat<t> per word")
    translation = student.rnn_shapes("encoder-decoder", n_x=5_000, n_y=6_000, m=16, T_x=5, T_y=7)
    check_equal("encoder-decoder (translation): y_hat", tuple(translation["y_hat"]), (6_000, 16, 7),
                hint="the output sentence has its own length T_y = 7")
    check_equal("encoder-decoder: steps", translation["steps"], 12,
                hint="the encoder runs T_x = 5 steps before the decoder's T_y = 7 steps")
    for kind, (args, expected) in SHAPE_CASES.items():
        got = student.rnn_shapes(kind, *args)
        check_type(f"rnn_shapes({kind!r}, ...)", got, dict)
        for key in ("x", "y_hat"):
            check_equal(f"rnn_shapes({kind!r}, ...)[{key!r}]", tuple(got[key]), expected[key])
        check_equal(f"rnn_shapes({kind!r}, ...)['steps']", int(got["steps"]), expected["steps"])
