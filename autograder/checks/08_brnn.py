"""Trusted checks of 08_brnn: the visible cases and the hidden ones, judged in the grader."""

import numpy as np

import rnnkit
from autograder.trusted import Checks, Ref
from rnnkit import initialize_gru, initialize_lstm, initialize_rnn, numerical_gradients, rnn_backward, rnn_forward
from rnnkit.activations import softmax
from rnnkit.brnn import BRNNCache
from rnnkit.rnn import RNNCache
from rnnkit.testing import check_close, check_equal, check_shape, check_type

checks = Checks()

# A mistake in Exercise 1 is not counted again in the exercises whose functions may call reverse_in_time.
LIBRARY_REVERSAL = {"reverse_in_time": Ref("rnnkit.reverse_in_time")}
INITIALIZERS = {"rnn": initialize_rnn, "gru": initialize_gru, "lstm": initialize_lstm}


def random_brnn(n_x, n_a, n_y, m, T_x, seed):
    """The notebook's random_brnn (its setup cell): x, a0 and BRNN parameters, every weight and bias random."""
    rng = np.random.default_rng(seed)
    parameters = {}
    for direction in ("forward", "backward"):
        parameters[direction] = {"Waa": 0.7 * rng.normal(size=(n_a, n_a)), "Wax": rng.normal(size=(n_a, n_x)),
                                 "ba": rng.normal(size=(n_a, 1))}
    parameters["Wy"] = rng.normal(size=(n_y, 2 * n_a))
    parameters["by"] = rng.normal(size=(n_y, 1))
    return rng.normal(size=(n_x, m, T_x)), rng.normal(size=(n_a, m)), parameters


def random_directions(rng, n_x, n_a):
    """Both directions' RNN parameters, drawn from ``rng`` (every bias active)."""
    p = {"forward": initialize_rnn(n_x, n_a, seed=rng, scale=0.8),
         "backward": initialize_rnn(n_x, n_a, seed=rng, scale=0.8)}
    return p


def brnn_cache(caches):
    """The student's BRNNCache (a Record of Records, as it came back) rebuilt as rnnkit's classes."""
    check_type("caches (the third value brnn_forward returns)", caches, tuple)
    fields = dict(zip(BRNNCache._fields, caches))
    for key in ("forward_caches", "backward_caches"):
        fields[key] = [RNNCache(*c) for c in fields[key]]
    return BRNNCache(**fields)


@checks("08_reverse_in_time_tests", functions=("reverse_in_time",), reference=("reverse_in_time",))
def reverse_in_time(student):
    """reverse_in_time: each example reversed within its own length, padding left at the end, x unchanged."""
    x = np.arange(1.0, 9.0).reshape(1, 2, 4)  # m = 2 examples of T = 4 steps: [[1 2 3 4], [5 6 7 8]]
    reversed_x = student.reverse_in_time(x)
    check_shape("reverse_in_time(x)", reversed_x, (1, 2, 4), notation="(n_x, m, T_x)")
    check_close("reverse_in_time(x) without lengths", reversed_x, [[[4, 3, 2, 1], [8, 7, 6, 5]]],
                hint="without lengths, step t of the result is step T + 1 − t of x: x[..., ::-1]")
    # example 0 has 4 real steps, example 1 only 2 (steps 3 and 4 are padding, here 0)
    x = np.array([[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 0.0, 0.0]]])
    call = student.run("reverse_in_time", x, lengths=np.array([4, 2]))
    check_close("reverse_in_time(x, lengths=[4, 2])", call.value, [[[4, 3, 2, 1], [6, 5, 0, 0]]],
                mistakes={"the whole row reversed: the padding moved to the front": x[..., ::-1]},
                hint="example 1 has 2 real steps: reverse x[..., 1, :2] and leave the padding at the end")
    check_close("x after the call", call.args[0], [[[1, 2, 3, 4], [5, 6, 0, 0]]],
                hint="return a new array; do not change x")
    rng = np.random.default_rng(8001)
    for shape, lengths in (((3, 1, 5), np.array([3])), ((2, 4, 6), np.array([6, 1, 4, 2])), ((5, 3, 4), None),
                           ((4, 3, 7), np.array([7, 7, 5])), ((2, 6), np.array([6, 1]))):
        x = rng.normal(size=shape)
        call = student.run("reverse_in_time", x, lengths)
        # tolerance 1e-12 absolute: a copy of the values
        check_close(f"reverse_in_time(x of shape {shape}, lengths={lengths})", call.value,
                    rnnkit.reverse_in_time(x, lengths), rtol=0, atol=1e-12,
                    mistakes=None if lengths is None else {
                        "the whole row reversed: the padding moved to the front": x[..., ::-1]},
                    hint="example i is reversed within its first lengths[i] steps; its padding stays at the end")
        check_close("x after the call (unchanged)", call.args[0], x, rtol=0, atol=0,
                    hint="return a new array; do not change x")
        twice = student.reverse_in_time(call.value, lengths)
        check_close("reverse_in_time twice", twice, x, rtol=0, atol=1e-12, hint="reversing twice gives x back")


@checks("08_brnn_forward_tests", functions=("brnn_forward",), reference=("brnn_forward",))
def brnn_forward(student):
    """brnn_forward: a = [a→; a←] with a← the RNN on x reversed in time, reversed back; y_hat = softmax(Wy a + by)."""
    x, a0, parameters = random_brnn(n_x=3, n_a=2, n_y=4, m=2, T_x=5, seed=1)
    result = student.run("brnn_forward", x, a0, parameters, standins=LIBRARY_REVERSAL).value
    check_type("brnn_forward's result", result, tuple, hint="return a, y_pred, caches")
    a, y_pred, caches = result
    check_shape("a ([a→; a←])", a, (4, 2, 5), notation="(2 n_a, m, T_x)", hint="stack a→ and a← on axis 0")
    check_shape("y_pred", y_pred, (4, 2, 5), notation="(n_y, m, T_x)")
    # the two directions, from the RNN of assignment 02
    a_f = rnn_forward(x, a0, parameters["forward"])[0]
    a_rev = rnn_forward(x[:, :, ::-1], a0, parameters["backward"])[0]
    a_b = a_rev[:, :, ::-1]
    mistakes = {
        "a← computed on x in its original order (the backward direction is not reversed in time)":
            np.concatenate([a_f, rnn_forward(x, a0, parameters["backward"])[0]]),
        "a← left in reversed time (the backward states are not reversed back before the concatenation)":
            np.concatenate([a_f, a_rev]),
        "[a←; a→], the backward direction first": np.concatenate([a_b, a_f]),
        "both directions computed with parameters['forward']":
            np.concatenate([a_f, rnn_forward(x[:, :, ::-1], a0, parameters["forward"])[0][:, :, ::-1]]),
    }
    # tolerance 1e-6 relative, 1e-8 absolute
    check_close("a", a, np.concatenate([a_f, a_b]), mistakes=mistakes,
                hint="a = [a→; a←]: a→ is rnn_forward(x, a0, parameters['forward']); for a←, run the RNN on "
                     "x[:, :, ::-1] with parameters['backward'], then reverse its states")
    backward = parameters["backward"]
    check_close("a←<T_x> (a[n_a:, :, -1])", a[2:, :, -1],
                np.tanh(backward["Waa"] @ a0 + backward["Wax"] @ x[:, :, -1] + backward["ba"]),
                hint="the backward direction starts at the LAST word: a←<T_x> is computed from a0 and x<T_x>")
    z = np.einsum("yk,kmt->ymt", parameters["Wy"], np.concatenate([a_f, a_b])) + parameters["by"][:, :, None]
    z_swapped = np.einsum("yk,kmt->ymt", parameters["Wy"], np.concatenate([a_b, a_f])) + parameters["by"][:, :, None]
    check_close("y_pred", y_pred, softmax(z),
                mistakes={"y_hat computed with Wy against [a←; a→] (the stacked order must match Wy's columns)":
                          softmax(z_swapped)},
                hint="y_hat<t> = softmax(Wy [a→<t>; a←<t>] + by); each column sums to 1")
    check_type("caches", caches, tuple, hint="keep the last lines of the function: caches = BRNNCache(...)")
    check_equal("len(caches.forward_caches)", len(caches.forward_caches), 5, hint="one RNN cache per step")
    check_close("caches.backward_caches[0].xt", caches.backward_caches[0].xt, x[:, :, -1],
                hint="the backward RNN reads x<T_x> first: keep the caches in the order it computed them")

    rng = np.random.default_rng(8002)
    for n_x, n_a, n_y, m, T in ((4, 3, 2, 1, 6), (3, 5, 4, 7, 4)):
        p = {**random_directions(rng, n_x, n_a), "Wy": rng.normal(size=(n_y, 2 * n_a)),
             "by": rng.normal(size=(n_y, 1))}
        for d in ("forward", "backward"):
            p[d]["ba"] = rng.normal(size=(n_a, 1))  # every bias active
        x, a0 = rng.normal(size=(n_x, m, T)), rng.normal(size=(n_a, m))
        a_exp, y_exp, caches_exp = rnnkit.brnn_forward(x, a0, p)
        got = student.run("brnn_forward", x, a0, p, standins=LIBRARY_REVERSAL).value
        check_type("brnn_forward's result", got, tuple, hint="return a, y_pred, caches")
        # tolerance 1e-6 relative, 1e-8 absolute (float64, the same operations)
        check_close("a", got[0], a_exp, notation="(2 n_a, m, T_x)")
        check_close("y_pred", got[1], y_exp, notation="(n_y, m, T_x)")
        # the caches must give the library's gradients
        da = rng.normal(size=(2 * n_a, m, T))
        g_exp = rnnkit.brnn_backward(da, caches_exp)
        g_got = rnnkit.brnn_backward(da, brnn_cache(got[2]))
        check_close("dx from your caches", g_got["dx"], g_exp["dx"],
                    hint="the caches are the lists that rnn_forward returns, the backward one in reversed time")
        check_close("dWaa← from your caches", g_got["backward"]["dWaa"], g_exp["backward"]["dWaa"],
                    hint="the caches are the lists that rnn_forward returns, the backward one in reversed time")


def check_gradients(gradients):
    """The form of brnn_backward's result: a dict with a dict per direction."""
    check_type("brnn_backward's result", gradients, dict)
    check_type("gradients['forward']", gradients.get("forward"), dict, hint="a dict {dWaa, dWax, dba} per direction")
    check_type("gradients['backward']", gradients.get("backward"), dict, hint="a dict {dWaa, dWax, dba} per direction")


@checks("08_brnn_backward_tests", functions=("brnn_backward",), reference=("brnn_backward",))
def brnn_backward(student):
    """brnn_backward: every gradient against centred differences, then against the library's backward pass."""
    x, a0, parameters = random_brnn(n_x=3, n_a=2, n_y=2, m=2, T_x=4, seed=2)
    hidden = {"forward": parameters["forward"], "backward": parameters["backward"]}
    da = np.random.default_rng(3).normal(size=(4, 2, 4))
    _, _, caches = rnnkit.brnn_forward(x, a0, hidden)
    gradients = student.run("brnn_backward", da, caches, standins=LIBRARY_REVERSAL).value
    check_gradients(gradients)

    def J(v):
        """A loss whose gradient on [a→<t>; a←<t>] is da."""
        directions = {"forward": v["forward"], "backward": v["backward"]}
        return np.sum(da * rnnkit.brnn_forward(v["x"], v["a0"], directions)[0])

    numeric = numerical_gradients(J, {"x": x, "a0": a0, **hidden})
    # what the usual mistakes give, from the library's RNN backward pass
    g_f = rnn_backward(da[:2], caches.forward_caches)
    g_b = rnn_backward(da[2:, :, ::-1], caches.backward_caches)
    g_b_unreversed = rnn_backward(da[2:], caches.backward_caches)
    g_swapped = rnn_backward(da[:2, :, ::-1], caches.backward_caches)
    g_forward_swapped = rnn_backward(da[2:], caches.forward_caches)
    mistakes = {
        "dx": {"dx with the backward direction's dx left in reversed time (reverse it back before adding)":
               g_f["dx"] + g_b["dx"],
               "dx of the forward direction only": g_f["dx"]},
        "dWaa→": {"dWaa→ from da←: the rows of da are split the wrong way round": g_forward_swapped["dWaa"]},
        "da0": {"da0 of the forward direction only (a0 starts both directions)": g_f["da0"]},
        "dWaa←": {"dWaa← from da← in its original time order (reverse da← in time first)": g_b_unreversed["dWaa"],
                  "dWaa← from da→: the rows of da are split the wrong way round": g_swapped["dWaa"]},
    }
    # centred differences agree with a correct backward pass to about 1e-9: tolerance 1e-5 relative, 1e-7 absolute
    for direction, arrow in (("forward", "→"), ("backward", "←")):
        for key in ("dWaa", "dWax", "dba"):
            check_close(f"gradients['{direction}']['{key}'] ({key}{arrow})", gradients[direction].get(key),
                        numeric[direction][key], rtol=1e-5, atol=1e-7, mistakes=mistakes.get(key + arrow),
                        hint=f"the {direction} direction's BPTT gets da[{':n_a' if direction == 'forward' else 'n_a:'}]"
                             + ("" if direction == "forward" else " reversed in time, as a← was computed"))
    check_close("gradients['dx']", gradients.get("dx"), numeric["dx"], rtol=1e-5, atol=1e-7, mistakes=mistakes["dx"],
                hint="dx = dx of the forward RNN + dx of the backward RNN reversed back in time")
    check_close("gradients['da0']", gradients.get("da0"), numeric["da0"], rtol=1e-5, atol=1e-7,
                mistakes=mistakes["da0"], hint="a0 starts both directions: da0 is the sum of both directions' da0")

    rng = np.random.default_rng(8003)
    for n_x, n_a, m, T in ((4, 3, 1, 5), (3, 5, 6, 3)):
        p = random_directions(rng, n_x, n_a)
        for d in ("forward", "backward"):
            p[d]["ba"] = rng.normal(size=(n_a, 1))
        x, a0 = rng.normal(size=(n_x, m, T)), rng.normal(size=(n_a, m))
        caches = rnnkit.brnn_forward(x, a0, p)[2]
        da = rng.normal(size=(2 * n_a, m, T))
        expected = rnnkit.brnn_backward(da, caches)
        got = student.run("brnn_backward", da, caches, standins=LIBRARY_REVERSAL).value
        check_gradients(got)
        # tolerance 1e-6 relative, 1e-8 absolute (float64, the same operations)
        for d in ("forward", "backward"):
            for k in ("dWaa", "dWax", "dba"):
                check_close(f"gradients['{d}']['{k}']", got[d].get(k), expected[d][k])
        check_close("gradients['dx']", got.get("dx"), expected["dx"], notation="(n_x, m, T_x)",
                    hint="dx = dx of the forward RNN + dx of the backward RNN reversed back in time")
        check_close("gradients['da0']", got.get("da0"), expected["da0"], notation="(n_a, m)",
                    hint="a0 starts both directions: da0 is the sum of both directions' da0")


@checks("08_initialize_brnn_tests", functions=("initialize_brnn",))
def initialize_brnn(student):
    """initialize_brnn: two directions with their own numbers, drawn from one generator; Wy of shape (n_y, 2 n_a).

    Whether two arrays are the same object cannot cross from the kernel; the directions are told apart by their
    values, which a correct initializer draws differently (the same dict twice gives the forward numbers twice).
    """
    p = student.initialize_brnn(n_x=5, n_a=3, n_y=2, cell="lstm", seed=0)
    check_type("initialize_brnn's result", p, dict)
    check_equal("the keys of parameters", sorted(p), ["Wy", "backward", "by", "forward"])
    check_type("parameters['forward']", p["forward"], dict, hint="each direction has its own dict of parameters")
    check_type("parameters['backward']", p["backward"], dict, hint="each direction has its own dict of parameters")
    check_equal("the keys of parameters['forward'] (LSTM)", sorted(p["forward"]), sorted(initialize_lstm(5, 3)))
    check_shape("parameters['forward']['Wf']", p["forward"]["Wf"], (3, 8), notation="(n_a, n_a + n_x)")
    check_shape("parameters['Wy']", p["Wy"], (2, 6), notation="(n_y, 2 n_a)",
                hint="Wy multiplies [a→<t>; a←<t>], which has 2 n_a rows")
    check_shape("parameters['by']", p["by"], (2, 1), notation="(n_y, 1)")
    check_shape("parameters['backward']['Wc']", p["backward"].get("Wc"), (3, 8), notation="(n_a, n_a + n_x)")
    check_equal("the two directions start from different numbers",
                bool((p["forward"]["Wc"] != p["backward"]["Wc"]).any()), True,
                hint="each direction has its own dict of parameters: draw the backward direction from the same "
                     "generator, after the forward one")
    rng = np.random.default_rng(0)
    forward, backward = initialize_lstm(5, 3, seed=rng), initialize_lstm(5, 3, seed=rng)
    # tolerance 1e-6 relative: the same random numbers
    check_close("parameters['backward']['Wu']", p["backward"]["Wu"], backward["Wu"],
                mistakes={"the forward direction's numbers (both directions from the same seed, or one dict)":
                          forward["Wu"]},
                hint="rng = np.random.default_rng(seed), then initialize_lstm(n_x, n_a, seed=rng) twice")
    check_close("parameters['Wy']", p["Wy"], rng.normal(size=(2, 6)) / np.sqrt(6),
                hint="Wy = rng.normal(size=(n_y, 2 n_a)) / sqrt(2 n_a), drawn after both directions")
    rnnkit.brnn_forward(np.zeros((5, 2, 4)), np.zeros((3, 2)), p, cell="lstm")  # the library accepts them

    for cell, n_x, n_a, n_y, seed in (("rnn", 4, 3, 2, 5), ("gru", 3, 5, 4, 6), ("lstm", 6, 2, 3, 7)):
        got = student.initialize_brnn(n_x, n_a, n_y, cell, seed)
        rng = np.random.default_rng(seed)
        f, b = INITIALIZERS[cell](n_x, n_a, seed=rng), INITIALIZERS[cell](n_x, n_a, seed=rng)
        check_type("initialize_brnn's result", got, dict)
        check_equal("the keys", sorted(got), ["Wy", "backward", "by", "forward"])
        for d, expected in (("forward", f), ("backward", b)):
            check_type(f"parameters['{d}']", got[d], dict, hint="each direction has its own dict of parameters")
            check_equal(f"the keys of {d} ({cell})", sorted(got[d]), sorted(expected))
            for k in expected:
                # tolerance 1e-12 absolute: the same random numbers
                check_close(f"{d}['{k}'] ({cell})", got[d][k], expected[k], rtol=0, atol=1e-12,
                            hint=f"rng = np.random.default_rng(seed), then initialize_{cell}(n_x, n_a, seed=rng) "
                                 "for the forward direction, and again for the backward one")
        check_close(f"Wy ({cell})", got["Wy"], rng.normal(size=(n_y, 2 * n_a)) / (2 * n_a) ** 0.5,
                    rtol=0, atol=1e-12, notation="(n_y, 2 n_a)",
                    hint="Wy = rng.normal(size=(n_y, 2 n_a)) / sqrt(2 n_a), drawn after both directions")
        check_close(f"by ({cell})", got["by"], np.zeros((n_y, 1)), rtol=0, atol=0, notation="(n_y, 1)")
        _, y, _ = rnnkit.brnn_forward(rng.normal(size=(n_x, 2, 3)), np.zeros((n_a, 2)), got, cell=cell)
        check_shape("y_pred of the library's BRNN on your parameters", y, (n_y, 2, 3), notation="(n_y, m, T_x)")


@checks("08_tag_accuracy_tests", functions=("tag_accuracy",))
def tag_accuracy(student):
    """tag_accuracy: the predicted tag is the argmax over the classes; padding counts in neither accuracy."""
    # m = 1 sentence of 4 real words and 2 padding steps; word 2 ("teddy") is ambiguous
    labels = np.array([[0, 1, 1, 0, -1, -1]])
    mask = labels >= 0
    ambiguous = np.array([[False, True, False, False, False, False]])
    p_name = np.array([[0.2, 0.4, 0.9, 0.7, 0.1, 0.1]])  # predicted tags 0, 0, 1, 1 (and 0 0 at padding)
    y_hat = np.stack([1 - p_name, p_name])  # (2, m, T_x)
    result = student.tag_accuracy(y_hat, labels, mask, ambiguous)
    check_type("tag_accuracy's result", result, tuple,
               hint="return (accuracy on ambiguous words, accuracy on the others)")
    check_close("accuracy on the ambiguous words", result[0], 0.0, hint="teddy is a name (1) and was tagged 0")
    check_close("accuracy on the other words", result[1], 2 / 3,
                mistakes={"an accuracy that counts the padding steps as words": np.array(2 / 5),
                          "an accuracy over all real words, the ambiguous ones included": np.array(2 / 4)},
                hint="3 other real words, 2 of them right; padding (mask False) counts in neither")
    rng = np.random.default_rng(8005)
    for m, T in ((1, 7), (9, 5), (40, 12)):
        lengths = rng.integers(1, T + 1, size=m)
        lengths[0] = T
        mask = np.arange(T)[None, :] < lengths[:, None]
        labels = np.where(mask, rng.integers(0, 2, size=(m, T)), -1)
        ambiguous = (rng.random((m, T)) < 0.3) & mask
        ambiguous[0, 0], ambiguous[0, -1] = True, False  # at least one of each
        p = rng.random((m, T))
        y_hat = np.stack([1 - p, p])
        got = student.tag_accuracy(y_hat, labels, mask, ambiguous)
        check_type("tag_accuracy's result", got, tuple,
                   hint="return (accuracy on ambiguous words, accuracy on the others)")
        correct = y_hat.argmax(axis=0) == labels
        others = mask & ~ambiguous
        # tolerance 1e-9 absolute: a ratio of counts
        check_close("accuracy on the ambiguous words", got[0], correct[ambiguous].sum() / ambiguous.sum(),
                    rtol=0, atol=1e-9)
        check_close("accuracy on the other words", got[1], correct[others].sum() / others.sum(), rtol=0, atol=1e-9,
                    mistakes={"an accuracy that counts the padding steps as words":
                              np.array(correct[~ambiguous].sum() / (~ambiguous).sum()),
                              "an accuracy over all real words, the ambiguous ones included":
                              np.array(correct[mask].sum() / mask.sum())},
                    hint="padding (mask False) counts in neither; the other words are real and not ambiguous")
